"""Table-driven gradient tests (STYLE rule 8).

One row per op (and per interesting configuration): the symbolic gradient of a
random projection of the op's output is compared in float64 with central finite
differences (relative error < 1e-6) and with ``torch.autograd``; rows of order 2
also compare the Hessian-vector product with torch's double backward.
``test_every_differentiable_op_has_a_row`` enumerates the registry and fails for a
differentiable op whose gradient no row exercises.
"""

from dataclasses import dataclass, field

import numpy as np
import pytest
import torch

import learnflow.flow as tf
from learnflow.flow._framework.op_util import apply_op
from learnflow.flow._framework.registry import get_gradient_function, registered_ops
from learnflow.flow._ops.array_ops import broadcast_like
from learnflow.flow._ops.math_ops import unbroadcast


@dataclass
class Row:
    id: str
    flow_fn: object
    torch_fn: object
    shapes: list
    domain: str = "any"
    order: int = 2
    tol: float = 1e-6
    extra: dict = field(default_factory=dict)


def _tt(x):
    return x


def _torch_bn(x, scale, offset):
    flat = x.reshape(-1, x.shape[-1])
    out = torch.nn.functional.batch_norm(flat, None, None, scale, offset, training=True,
                                         eps=1e-3)
    return out.reshape(x.shape)


def _torch_while(x):
    y = x
    for _ in range(3):
        y = torch.sin(y) * y + x
    return y


def _op_types(graph, seen=None):
    """Op types of ``graph`` and of the function graphs (loop bodies) its ops refer to."""
    seen = set() if seen is None else seen
    types = set()
    if graph in seen:
        return types
    seen.add(graph)
    for op in graph.get_operations():
        types.add(op.type)
        for value in op.attrs.values():
            if isinstance(value, tf.Graph):
                types |= _op_types(value, seen)
    return types


T = torch
ROWS = [
    # unary element-wise
    Row("neg", tf.negative, T.neg, [(3, 4)]),
    Row("abs", tf.abs, T.abs, [(3, 4)], "nonzero"),
    Row("square", tf.square, T.square, [(3, 4)]),
    Row("sqrt", tf.sqrt, T.sqrt, [(3, 4)], "positive"),
    Row("rsqrt", tf.rsqrt, T.rsqrt, [(3, 4)], "positive"),
    Row("exp", tf.exp, T.exp, [(3, 4)]),
    Row("log", tf.log, T.log, [(3, 4)], "positive"),
    Row("log1p", tf.log1p, T.log1p, [(3, 4)], "positive"),
    Row("sin", tf.sin, T.sin, [(3, 4)]),
    Row("cos", tf.cos, T.cos, [(3, 4)]),
    Row("tan", tf.tan, T.tan, [(3, 4)], "small"),
    Row("tanh", tf.tanh, T.tanh, [(3, 4)]),
    Row("sigmoid", tf.sigmoid, T.sigmoid, [(3, 4)]),
    Row("sigmoid_extreme", tf.sigmoid, T.sigmoid, [(3, 4)], "large"),
    Row("reciprocal", tf.reciprocal, T.reciprocal, [(3, 4)], "nonzero"),
    Row("identity", tf.identity, _tt, [(3, 4)]),
    Row("placeholder_with_default", lambda x: tf.placeholder_with_default(x, [3, 4]), _tt,
        [(3, 4)]),
    Row("print", lambda x: tf.Print(x, [], message=""), _tt, [(2,)], order=1),
    # binary with broadcasting shape pairs
    Row("add", tf.add, T.add, [(2, 3, 4), (3, 1)]),
    Row("add_scalar", tf.add, T.add, [(3, 4), ()]),
    Row("subtract", tf.subtract, T.sub, [(3, 4), (4,)]),
    Row("multiply", tf.multiply, T.mul, [(2, 3, 4), (3, 1)]),
    Row("multiply_same", tf.multiply, T.mul, [(3, 4), (3, 4)]),
    Row("divide", tf.divide, T.div, [(3, 4), (4,)], "nonzero"),
    Row("pow", tf.pow, T.pow, [(3, 4), (4,)], "positive"),
    Row("floormod", tf.mod, T.remainder, [(3, 4), (4,)], "positive", order=1),
    Row("maximum", tf.maximum, T.maximum, [(3, 4), (4,)]),
    Row("minimum", tf.minimum, T.minimum, [(3, 4), (3, 1)]),
    Row("squared_difference", tf.squared_difference, lambda x, y: (x - y) ** 2,
        [(3, 4), (4,)]),
    Row("add_n", lambda a, b, c: tf.add_n([a, b, c]), lambda a, b, c: a + b + c,
        [(3, 4)] * 3),
    Row("operators", lambda x, y: (x * y - y / (x * x + 1.0)) ** 2.0 + -x,
        lambda x, y: (x * y - y / (x * x + 1.0)) ** 2.0 + -x, [(3, 4), (4,)]),
    Row("fused_batch_norm", lambda x, s, b: tf.nn.fused_batch_norm(x, s, b, epsilon=1e-3)[0],
        lambda x, s, b: _torch_bn(x, s, b), [(2, 3, 4), (4,), (4,)]),
    Row("fused_batch_norm_statistics",
        lambda x, s, b: (lambda r: r[0] * r[1] + r[2])(tf.nn.fused_batch_norm(x, s, b)),
        lambda x, s, b: _torch_bn(x, s, b) * x.mean(0) + x.var(0), [(5, 4), (4,), (4,)]),
    # control flow: the gradient of a loop is a loop (second order through FunctionCall)
    Row("while_loop", lambda x: tf.while_loop(
        lambda i, y: i < 3, lambda i, y: (i + 1, tf.sin(y) * y + x), [tf.constant(0), x])[1],
        lambda x: _torch_while(x), [(3, 4)]),
    # internal gradient helpers (their own gradients are used by higher orders)
    Row("broadcast_like", lambda x, y: broadcast_like(x, y) * y, lambda x, y: x.expand_as(y) * y,
        [(3, 1), (3, 4)]),
    Row("sum_to_like", lambda g, x: unbroadcast(g, x) * x, lambda g, x: g.sum(0) * x,
        [(2, 3, 4), (3, 4)]),
    # matrix ops
    Row("matmul", tf.matmul, T.matmul, [(3, 4), (4, 2)]),
    Row("matmul_ta", lambda a, b: tf.matmul(a, b, transpose_a=True),
        lambda a, b: a.T @ b, [(4, 3), (4, 2)]),
    Row("matmul_tb", lambda a, b: tf.matmul(a, b, transpose_b=True),
        lambda a, b: a @ b.T, [(3, 4), (2, 4)]),
    Row("matmul_tab", lambda a, b: tf.matmul(a, b, transpose_a=True, transpose_b=True),
        lambda a, b: a.T @ b.T, [(4, 3), (2, 4)]),
    Row("matmul_batch_broadcast", tf.matmul, T.matmul, [(2, 3, 4), (4, 2)]),
    Row("matmul_operator", lambda a, b: a @ b, T.matmul, [(3, 4), (4, 2)]),
    Row("matrix_inverse", tf.matrix_inverse, T.linalg.inv, [(3, 3)], "invertible"),
    Row("matrix_determinant", tf.matrix_determinant, T.linalg.det, [(3, 3)], "invertible"),
    # reductions
    Row("reduce_sum_all", tf.reduce_sum, T.sum, [(3, 4)]),
    Row("reduce_sum_axis", lambda x: tf.reduce_sum(x, axis=[0, 2]),
        lambda x: x.sum(dim=(0, 2)), [(2, 3, 4)]),
    Row("reduce_sum_keepdims", lambda x: tf.reduce_sum(x, axis=-1, keepdims=True),
        lambda x: x.sum(dim=-1, keepdim=True), [(3, 4)]),
    Row("reduce_mean", lambda x: tf.reduce_mean(x, axis=1), lambda x: x.mean(dim=1), [(3, 4)]),
    Row("reduce_mean_all", tf.reduce_mean, T.mean, [(3, 4)]),
    Row("reduce_max", lambda x: tf.reduce_max(x, axis=0), lambda x: x.amax(dim=0), [(3, 4)],
        order=1),
    Row("reduce_min_all", tf.reduce_min, T.amin, [(3, 4)], order=1),
    Row("reduce_prod", lambda x: tf.reduce_prod(x, axis=1), lambda x: x.prod(dim=1),
        [(3, 4)], "nonzero"),
    # shape ops
    Row("reshape", lambda x: tf.reshape(x, [4, -1]), lambda x: x.reshape(4, -1), [(2, 3, 2)]),
    Row("reshape_dynamic", lambda x: tf.reshape(x, tf.shape(tf.transpose(x))),
        lambda x: x.reshape(x.shape[::-1]), [(2, 3)]),
    Row("squeeze", lambda x: tf.squeeze(x, axis=[1]), lambda x: x.squeeze(1), [(3, 1, 2)]),
    Row("expand_dims", lambda x: tf.expand_dims(x, 1), lambda x: x.unsqueeze(1), [(3, 4)]),
    Row("transpose", lambda x: tf.transpose(x, [2, 0, 1]), lambda x: x.permute(2, 0, 1),
        [(2, 3, 4)]),
    Row("transpose_default", tf.transpose, lambda x: x.T, [(3, 4)]),
    Row("concat", lambda a, b: tf.concat([a, b], axis=1), lambda a, b: T.cat([a, b], 1),
        [(3, 2), (3, 4)]),
    Row("stack_unstack", lambda x: tf.stack(tf.unstack(x, axis=1)[::-1], axis=0),
        lambda x: T.stack(T.unbind(x, 1)[::-1], 0), [(3, 4)]),
    Row("split", lambda x: tf.split(x, [1, 3], axis=1)[1] * 2.0,
        lambda x: T.split(x, [1, 3], 1)[1] * 2.0, [(3, 4)]),
    Row("split_equal", lambda x: tf.split(x, 2, axis=1)[0],
        lambda x: T.chunk(x, 2, 1)[0], [(3, 4)]),
    Row("getitem", lambda x: x[1:, ::2], lambda x: x[1:, ::2], [(3, 4)]),
    Row("getitem_negative_step", lambda x: x[::-1, tf.newaxis, -1:0:-2],
        lambda x: T.flip(x, [0])[:, None, [3, 1]], [(3, 4)]),
    Row("getitem_ellipsis_index", lambda x: x[..., 1], lambda x: x[..., 1], [(2, 3, 4)]),
    Row("slice", lambda x: tf.slice(x, [1, 0], [2, -1]), lambda x: x[1:3, :], [(3, 4)]),
    Row("gather", lambda x: tf.gather(x, tf.constant([2, 0, 2])),
        lambda x: x[[2, 0, 2]], [(3, 4)]),
    Row("gather_axis1", lambda x: tf.gather(x, tf.constant([[3, 0]]), axis=1),
        lambda x: x[:, [[3, 0]]], [(3, 4)]),
    Row("tile", lambda x: tf.tile(x, [2, 3]), lambda x: x.repeat(2, 3), [(2, 3)]),
    Row("pad", lambda x: tf.pad(x, [[1, 0], [2, 1]]),
        lambda x: T.nn.functional.pad(x, (2, 1, 1, 0)), [(2, 3)]),
    Row("reverse", lambda x: tf.reverse(x, [1]), lambda x: T.flip(x, [1]), [(2, 3)]),
    Row("where", lambda x, y: tf.where(tf.constant([[True, False, True]] * 2), x, y),
        lambda x, y: T.where(T.tensor([[True, False, True]] * 2), x, y), [(2, 3), (2, 3)]),
    Row("fill", lambda v: tf.fill([2, 3], v), lambda v: v.expand(2, 3), [()]),
    Row("fill_dynamic", lambda v: tf.fill(tf.constant([2, 3]), v), lambda v: v.expand(2, 3),
        [()]),
    Row("clip_by_value", lambda x: tf.clip_by_value(x, -0.5, 0.7),
        lambda x: T.clamp(x, -0.5, 0.7), [(3, 4)], order=1),
    Row("clip_by_norm", lambda x: tf.clip_by_norm(x, 1.0, axes=[1]),
        lambda x: x * 1.0 / T.clamp(x.norm(dim=1, keepdim=True), min=1.0), [(3, 4)]),
    # tf.nn (Chapters 10-11): primitives and compositions
    Row("nn_relu", tf.nn.relu, T.relu, [(3, 4)], "nonzero"),
    Row("nn_relu6", tf.nn.relu6, lambda x: T.clamp(x, 0, 6), [(3, 4)], "nonzero"),
    Row("nn_elu", tf.nn.elu, T.nn.functional.elu, [(3, 4)], "nonzero"),
    Row("nn_selu", tf.nn.selu, T.nn.functional.selu, [(3, 4)], "nonzero"),
    Row("nn_leaky_relu", lambda x: tf.nn.leaky_relu(x, alpha=0.01),
        lambda x: T.nn.functional.leaky_relu(x, 0.01), [(3, 4)], "nonzero"),
    Row("nn_softplus", tf.nn.softplus, T.nn.functional.softplus, [(3, 4)]),
    Row("nn_softplus_extreme", tf.nn.softplus, T.nn.functional.softplus, [(3, 4)], "large"),
    Row("nn_softsign", tf.nn.softsign, T.nn.functional.softsign, [(3, 4)], "nonzero"),
    Row("nn_softmax", tf.nn.softmax, lambda x: T.softmax(x, -1), [(3, 4)]),
    Row("nn_softmax_axis0", lambda x: tf.nn.softmax(x, axis=0), lambda x: T.softmax(x, 0),
        [(3, 4)]),
    Row("nn_log_softmax", lambda x: tf.nn.log_softmax(x, dim=1),
        lambda x: T.log_softmax(x, 1), [(3, 4)]),
    Row("nn_sparse_xent", lambda x: tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=tf.constant([0, 3, 1]), logits=x),
        lambda x: T.nn.functional.cross_entropy(x, T.tensor([0, 3, 1]), reduction="none"),
        [(3, 4)]),
    Row("nn_softmax_xent_v2", lambda z, x: tf.nn.softmax_cross_entropy_with_logits_v2(
        labels=z, logits=x), lambda z, x: -(z * T.log_softmax(x, -1)).sum(-1),
        [(3, 4), (3, 4)]),
    Row("nn_sigmoid_xent", lambda z, x: tf.nn.sigmoid_cross_entropy_with_logits(
        labels=z, logits=x), lambda z, x: T.clamp(x, min=0) - x * z + T.log1p(T.exp(-x.abs())),
        [(3, 4), (3, 4)], "nonzero"),
    Row("nn_l2_loss", tf.nn.l2_loss, lambda x: (x * x).sum() / 2, [(3, 4)]),
    Row("nn_l2_normalize", lambda x: tf.nn.l2_normalize(x, axis=1),
        lambda x: T.nn.functional.normalize(x, dim=1), [(3, 4)]),
    Row("nn_moments", lambda x: 2.0 * tf.nn.moments(x, axes=[0])[0] + tf.nn.moments(
        x, axes=[0])[1], lambda x: 2.0 * x.mean(0) + x.var(0, unbiased=False), [(5, 4)]),
    Row("nn_batch_normalization", lambda x, m, v, b, g: tf.nn.batch_normalization(
        x, m, v, b, g, 1e-3), lambda x, m, v, b, g: (x - m) / T.sqrt(v + 1e-3) * g + b,
        [(3, 4), (4,), (4,), (4,), (4,)], "positive"),
    Row("nn_bias_add", tf.nn.bias_add, T.add, [(3, 4), (4,)]),
    Row("nn_xw_plus_b", tf.nn.xw_plus_b, lambda x, w, b: x @ w + b, [(3, 4), (4, 2), (2,)]),
    Row("nn_top_k", lambda x: tf.nn.top_k(x, 2)[0], lambda x: T.topk(x, 2)[0], [(3, 4)]),
    Row("nn_scatter_last_axis", lambda g: apply_op(
        "ScatterLastAxis", [g, tf.constant([[1, 3], [0, 2], [3, 2]]), tf.zeros([3, 4], tf.float64)]),
        lambda g: T.zeros(3, 4, dtype=g.dtype).scatter_add(-1, T.tensor([[1, 3], [0, 2], [3, 2]]),
                                                            g), [(3, 2)]),
]


def _sample(shape, domain, rng):
    if domain == "invertible":
        return rng.uniform(-1, 1, shape) + 3 * np.eye(shape[-1])
    if domain == "positive":
        return rng.uniform(0.5, 2.0, shape)
    if domain == "nonzero":
        return rng.choice([-1.0, 1.0], shape) * rng.uniform(0.5, 2.0, shape)
    if domain == "small":
        return rng.uniform(-1.0, 1.0, shape)
    if domain == "large":
        return rng.choice([-1.0, 1.0], shape) * rng.uniform(8.0, 12.0, shape)
    return rng.uniform(-2.0, 2.0, shape)


def _build(row, graph):
    """Inputs, projected scalar loss, first-order grads, Hessian-vector products."""
    with graph.as_default():
        xs = [tf.placeholder(tf.float64, s) for s in row.shapes]
        y = row.flow_fn(*xs)
        forward_types = _op_types(graph)
        w = tf.placeholder(tf.float64, y.get_shape())
        loss = tf.reduce_sum(y * w)
        grads = tf.gradients(loss, xs)
        first_types = _op_types(graph)
        hvp, vs = None, None
        if row.order >= 2:
            vs = [tf.placeholder(tf.float64, s) for s in row.shapes]
            z = tf.add_n([tf.reduce_sum(g * v) for g, v in zip(grads, vs) if g is not None])
            hvp = tf.gradients(z, xs)
    return xs, y, w, loss, grads, hvp, vs, forward_types, first_types


def _zeros_if_none(values, like):
    return [np.zeros_like(b) if a is None else a for a, b in zip(values, like)]


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
def test_gradient_matches_finite_differences_and_torch(row):
    rng = np.random.RandomState(0)
    graph = tf.Graph()
    xs, y, w, loss, grads, hvp, vs, _, _ = _build(row, graph)
    values = [_sample(s, row.domain, rng) for s in row.shapes]
    with tf.Session(graph=graph) as sess:
        y_val = np.asarray(sess.run(y, dict(zip(xs, values))))
        # the shape function agrees with the kernel's output (run_op_test-style check)
        assert y.get_shape().is_compatible_with(y_val.shape), (y.get_shape(), y_val.shape)
        assert y_val.dtype == np.float64
        np.testing.assert_allclose(
            y_val, row.torch_fn(*[torch.tensor(v) for v in values]).numpy(), rtol=1e-12)
        w_val = rng.uniform(-1, 1, y_val.shape)
        feed = {**dict(zip(xs, values)), w: w_val}
        sym = _zeros_if_none(sess.run([g for g in grads if g is not None], feed) if all(
            g is not None for g in grads) else [None if g is None else sess.run(g, feed)
                                                for g in grads], values)
        # central finite differences, float64
        eps = 1e-6
        for i, x0 in enumerate(values):
            fd = np.zeros(x0.size)
            for k in range(x0.size):
                xp, xm = x0.copy().reshape(-1), x0.copy().reshape(-1)
                xp[k] += eps
                xm[k] -= eps
                lp = sess.run(loss, {**feed, xs[i]: xp.reshape(x0.shape)})
                lm = sess.run(loss, {**feed, xs[i]: xm.reshape(x0.shape)})
                fd[k] = (lp - lm) / (2 * eps)
            err = np.linalg.norm(np.ravel(sym[i]) - fd) / max(np.linalg.norm(fd), 1.0)
            assert err < row.tol, f"{row.id}: input {i} relative error {err}"
        # torch.autograd oracle (first and second order)
        tx = [torch.tensor(v, requires_grad=True) for v in values]
        ty = row.torch_fn(*tx)
        tloss = (ty * torch.tensor(w_val)).sum()
        tgrads = torch.autograd.grad(tloss, tx, create_graph=True, allow_unused=True)
        for a, b in zip(sym, tgrads):
            b = np.zeros_like(a) if b is None else b.detach().numpy(force=True)
            np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-10)
        if row.order >= 2:
            v_vals = [rng.uniform(-1, 1, s) for s in row.shapes]
            feed2 = {**feed, **dict(zip(vs, v_vals))}
            flow_hvp = [None if h is None else sess.run(h, feed2) for h in hvp]
            tz = sum((g * torch.tensor(v)).sum() for g, v in zip(tgrads, v_vals)
                     if g is not None and g.requires_grad)
            if isinstance(tz, torch.Tensor) and tz.requires_grad:
                thvp = torch.autograd.grad(tz, tx, allow_unused=True)
            else:
                thvp = [None] * len(tx)
            for a, b, x0 in zip(flow_hvp, thvp, values):
                a = np.zeros_like(x0) if a is None else a
                b = np.zeros_like(x0) if b is None else b.detach().numpy(force=True)
                np.testing.assert_allclose(a, b, rtol=1e-8, atol=1e-9)


def _control_flow_builders():
    """Graphs whose gradients exercise cond, while_loop and variable ops (see test_control_flow)."""
    def cond_graph():
        x = tf.placeholder(tf.float64, [])
        y = tf.cond(x > 0, lambda: tf.square(x), lambda: -x)
        g = tf.gradients(y, x)[0]
        tf.gradients(g, x)

    def while_graph():
        x = tf.placeholder(tf.float64, [])
        _, y = tf.while_loop(lambda i, y: i < 3, lambda i, y: (i + 1, tf.sin(y)),
                             [tf.constant(0), x])
        tf.gradients(y, x)

    def initialized_value_graph():
        x = tf.placeholder(tf.float64, [])
        v = tf.Variable(x * 2.0, validate_shape=False)
        tf.gradients(v.initialized_value(), x)

    def cast_graph():
        x = tf.placeholder(tf.float64, [2])
        tf.gradients(tf.cast(x, tf.float32), x)

    return [cond_graph, while_graph, initialized_value_graph, cast_graph]


def test_every_differentiable_op_has_a_row():
    """Every op type with a gradient function has its gradient exercised by a table row."""
    covered = set()
    for row in ROWS:
        *_, forward_types, first_types = _build(row, tf.Graph())
        covered |= forward_types
        if row.order >= 2:
            covered |= first_types
    for builder in _control_flow_builders():
        graph = tf.Graph()
        with graph.as_default():
            builder()
        covered |= _op_types(graph)
    missing = []
    for op_type in registered_ops():
        if op_type.startswith("Test"):
            continue  # registered by tests of the registration API itself
        try:
            fn = get_gradient_function(op_type)
        except LookupError:
            fn = "missing"
        if fn is None:
            continue  # explicitly not differentiable
        if op_type not in covered:
            missing.append(op_type)
    # (FunctionCall, inside loop bodies, is covered by the while_loop row of order 2.)
    assert not missing, f"differentiable ops without a gradient test row: {missing}"


def test_missing_gradient_raises_lookup_error():
    from learnflow.flow._framework.registry import register_op

    if "TestNoGradOp" not in registered_ops():
        register_op("TestNoGradOp", kernel=lambda x: x, shape=lambda op: [op.inputs[0].shape])
    with tf.Graph().as_default() as g:
        x = tf.constant(1.0)
        y = g.create_op("TestNoGradOp", [x], name="nograd").outputs[0]
        with pytest.raises(LookupError, match="nograd.*TestNoGradOp"):
            tf.gradients(y, x)
