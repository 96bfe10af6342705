"""Symbolic reverse-mode automatic differentiation: ``gradients(ys, xs)``.

TensorFlow's algorithm, written iteratively: find the ops between ``xs`` and
``ys``, count for each op how many of its consumers lie on those paths (the
*pending count*), then walk a queue backwards from ``ys``. An op is processed
when all of its consumers have sent their gradients; gradients arriving on one
tensor from several consumers are summed with ``add_n``. Each op's gradient is
built from ordinary graph ops under ``gradients/<op name>_grad``, so gradients of
gradients work.

>>> import learnflow.flow as tf
>>> with tf.Graph().as_default():
...     x = tf.constant(3.0); y = tf.constant(4.0)
...     f = x * x * y + y + 2
...     dx, dy = tf.gradients(f, [x, y])
...     with tf.Session() as sess:
...         print(*sess.run([dx, dy]))
24.0 10.0
"""

# SPDX-License-Identifier: BSD-3-Clause

import collections

from ._framework.ops import convert_to_tensor, name_scope
from ._framework.registry import get_gradient_function
from ._ops import array_ops, math_ops
from ._ops.control_flow_ops import _OuterContext

__all__ = ["gradients"]


def _as_list(x):
    return list(x) if isinstance(x, (list, tuple)) else [x]


def _reachable_from(xs_ops):
    """Ops reachable forwards from ``xs_ops`` (through data edges)."""
    seen, queue = set(xs_ops), collections.deque(xs_ops)
    while queue:
        op = queue.popleft()
        for t in op._outputs:
            for consumer in t._consumers:
                if consumer not in seen:
                    seen.add(consumer)
                    queue.append(consumer)
    return seen


def _between(ys_ops, reachable, stop_ops):
    """Ops on a path from xs to ys: reachable from xs and reaching ys (backwards walk)."""
    between, queue = set(), collections.deque(op for op in ys_ops if op in reachable)
    between.update(queue)
    while queue:
        op = queue.popleft()
        if op in stop_ops:
            continue
        for t in op._inputs:
            if t.op in reachable and t.op not in between:
                between.add(t.op)
                queue.append(t.op)
    return between


def _pending_counts(between, stop_ops):
    """For each op, how many of its consumer ops on the paths will send a gradient."""
    pending = collections.Counter()
    for op in between:
        if op in stop_ops:
            continue
        for t in op._inputs:
            if t.op in between:
                pending[t.op] += 1
    return pending


def _aggregate(grads):
    grads = [g for g in grads if g is not None]
    if not grads:
        return None
    if len(grads) == 1:
        return grads[0]
    return math_ops.add_n(grads)


def _gradient_function(op):
    override = getattr(op, "_gradient_override", None)
    try:
        return get_gradient_function(override or op.type)
    except LookupError:
        raise LookupError(
            f"No gradient defined for operation '{op.name}' (op type: {op.type})") from None


def _call_gradient(op, grad_fn, out_grads):
    with _OuterContext(op.graph, op._cond_ctx):
        in_grads = grad_fn(op, *out_grads)
    in_grads = list(in_grads) if isinstance(in_grads, (list, tuple)) else [in_grads]
    if len(in_grads) != len(op._inputs):
        raise ValueError(f"Num gradients {len(in_grads)} generated for op {op.name} do not "
                         f"match num inputs {len(op._inputs)}")
    for i, (g, t) in enumerate(zip(in_grads, op._inputs)):
        if g is None:
            continue
        try:
            g.set_shape(t.get_shape())
        except ValueError:
            raise ValueError(f"Incompatible shapes between op input and calculated input "
                             f"gradient. Forward operation: {op.name}. Input index: {i}. "
                             f"Original input shape: {t.get_shape()}. Calculated input "
                             f"gradient shape: {g.get_shape()}") from None
    return in_grads


def gradients(ys, xs, grad_ys=None, name="gradients", colocate_gradients_with_ops=False,
              gate_gradients=False, aggregation_method=None, stop_gradients=None):
    """Symbolic derivatives of ``sum(ys)`` with respect to each tensor in ``xs``.

    Parameters
    ----------
    ys : Tensor or list of Tensor
    xs : Tensor, Variable or list of them
    grad_ys : list of Tensor, default=None
        Initial gradients for each y (ones when None).
    name : str, default="gradients"
        Name scope of the gradient ops.
    stop_gradients : list of Tensor, default=None
        Tensors treated as constants (no gradient flows through them).

    Returns
    -------
    list of Tensor
        One gradient per x; ``None`` where x does not affect ``ys``.

    Raises
    ------
    LookupError
        If an op on the path has no registered gradient function.
    """
    ys = [convert_to_tensor(y) for y in _as_list(ys)]
    xs = [convert_to_tensor(x) for x in _as_list(xs)]
    grad_ys = [None] * len(ys) if grad_ys is None else _as_list(grad_ys)
    stop_tensors = {convert_to_tensor(t) for t in _as_list(stop_gradients or [])}
    graph = ys[0].graph
    xs = [_as_seen_from(graph, x) for x in xs]
    with graph.as_default(), name_scope(name):
        init = [_ones_for(y, i) if g is None else convert_to_tensor(g)
                for i, (y, g) in enumerate(zip(ys, grad_ys))]
        return _backprop(ys, xs, init, stop_tensors)


def _as_seen_from(graph, x):
    """``x`` as used inside ``graph``: inside a while_loop body, an outer tensor (a
    variable, say) is its captured placeholder."""
    chain, g = [], graph
    while g is not None and g is not x.graph:
        chain.append(g)
        g = getattr(g, "outer_graph", None)
    if g is None:
        return x
    for inner in reversed(chain):
        if x not in inner.captures:
            return x
        x = inner.captures[x]
    return x


def _ones_for(y, i):
    """The initial gradient of ``y``: a constant when its shape is known, else ones_like."""
    shape = y.get_shape()
    if shape.is_fully_defined() and y.dtype.as_numpy_dtype is not None and y.dtype.is_numeric:
        import numpy as np

        return array_ops.constant(np.ones(shape.as_list(), y.dtype.as_numpy_dtype),
                                  dtype=y.dtype, name=f"grad_ys_{i}")
    return array_ops.ones_like(y, name=f"grad_ys_{i}")


def _backprop(ys, xs, init_grads, stop_tensors):
    xs_ops = {x.op for x in xs}
    stop_ops = {t.op for t in stop_tensors}
    reachable = _reachable_from(xs_ops)
    between = _between({y.op for y in ys}, reachable, stop_ops)
    pending = _pending_counts(between, stop_ops)
    received = collections.defaultdict(list)
    for y, g in zip(ys, init_grads):
        received[y].append(g)
    ready = collections.deque(op for op in between if pending[op] == 0)
    done = set()
    while ready:
        op = ready.popleft()
        if op in done:
            continue
        done.add(op)
        with _OuterContext(op.graph, op._cond_ctx):
            out_grads = [_aggregate(received[t]) for t in op._outputs]
        for t, g in zip(op._outputs, out_grads):
            received[t] = [] if g is None else [g]
        if op in stop_ops or not op._inputs:
            continue
        if all(g is None for g in out_grads):
            in_grads = [None] * len(op._inputs)
        else:
            grad_fn = _gradient_function(op)
            if grad_fn is None:
                in_grads = [None] * len(op._inputs)
            else:
                with name_scope(op.name + "_grad"):
                    in_grads = _call_gradient(op, grad_fn, out_grads)
        for t, g in zip(op._inputs, in_grads):
            if t.op not in between:
                continue
            if g is not None:
                received[t].append(g)
            pending[t.op] -= 1
            if pending[t.op] == 0:
                ready.append(t.op)
    return [_aggregate(received.get(x, [])) for x in xs]
