"""``while_loop``: a loop whose condition and body are traced once into a function graph.

The ``While`` op runs the body's execution plan until the condition is false
and also outputs the loop's history (the loop variables of every iteration).
Its gradient is a ``WhileGrad`` op that runs the symbolic gradient of the body
backwards over that history, so ``gradients()`` works through loops whose trip
count is only known at run time. Outer tensors used in the loop (including
variables) are captured as extra inputs and receive gradients too.

Limits: loop variables are a flat list of tensors; ops inside the body that
write variables act on the loop's copies; gradients of ``WhileGrad`` (second
order through a loop) are not defined.

>>> import learnflow.flow as tf
>>> with tf.Session(graph=tf.Graph()) as sess, sess.graph.as_default():
...     i, s = tf.while_loop(lambda i, s: i < 4, lambda i, s: (i + 1, s * 2.0),
...                          [tf.constant(0), tf.constant(1.0)])
...     print(*sess.run([i, s]))
4 16.0
"""

# SPDX-License-Identifier: BSD-3-Clause

import torch

from .. import errors
from .._framework import dtypes as _dtypes
from .._framework.ops import Graph, convert_to_tensor, get_default_graph, name_scope
from .._framework.registry import not_differentiable, register_op
from .._framework.tensor_shape import unknown_shape
from . import array_ops

__all__ = ["while_loop"]


class FuncGraph(Graph):
    """A graph traced from Python functions; outer tensors become placeholders."""

    def __init__(self, outer_graph, name):
        super().__init__()
        self.outer_graph = outer_graph
        self.name = name
        self.seed = outer_graph.seed
        self.captures = {}

    def _capture(self, tensor):
        if tensor.graph is self:
            return tensor
        if tensor not in self.captures:
            with self.as_default(), self.name_scope(None):
                self.captures[tensor] = array_ops.placeholder(
                    tensor.dtype, tensor.get_shape(), name="capture")
        return self.captures[tensor]


class _History:
    """Loop variables at the start of every iteration (opaque run-time value)."""

    def __init__(self, states):
        self.states = states


def _while_factory(op, ctx):
    graph, n = op.get_attr("body_graph"), op.get_attr("n_vars")
    loop_in, caps, cond_out = (op.get_attr(k) for k in ("loop_inputs", "capture_inputs",
                                                         "cond_output"))
    from .._session import _Plan

    cond_plan = _Plan(ctx.session, [cond_out], loop_in + caps)
    body_plan = _Plan(ctx.session, op.get_attr("body_outputs"), loop_in + caps)
    max_iter = op.get_attr("maximum_iterations")

    def run(*inputs):
        values, captured, states = list(inputs[:n]), list(inputs[n:]), []
        while bool(cond_plan.run(values + captured)[0]):
            if max_iter is not None and len(states) >= max_iter:
                break
            states.append(values)
            values = body_plan.run(values + captured)
        return (*values, _History(states))
    _ = graph
    return run


def _while_grad(op, *grads):
    """Returns the loop-variable and capture gradients from running the body's gradient backwards."""
    n = op.get_attr("n_vars")
    grads = [g if g is not None else array_ops.zeros_like(o)
             for g, o in zip(grads[:n], op.outputs[:n])]
    attrs = _body_gradient(op)
    k = len(op.inputs) - n
    out = op.graph.create_op(
        "WhileGrad", [op.outputs[n]] + grads + op.inputs[n:],
        dtypes=[t.dtype for t in op.inputs], name="WhileGrad", attrs=attrs).outputs
    return out[:n] + out[n:n + k]


def _body_gradient(op):
    from .._gradients import gradients

    graph = op.get_attr("body_graph")
    loop_in, caps = op.get_attr("loop_inputs"), op.get_attr("capture_inputs")
    outs = op.get_attr("body_outputs")
    with graph.as_default(), graph.name_scope(None):
        grad_in = [array_ops.placeholder(t.dtype, t.get_shape(), name="grad_in") for t in outs]
        float_outs = [(o, g) for o, g in zip(outs, grad_in) if o.dtype.is_floating]
        xs = loop_in + caps
        if float_outs:
            grads = gradients([o for o, _ in float_outs], xs, grad_ys=[g for _, g in float_outs])
        else:
            grads = [None] * len(xs)
    return {"body_graph": graph, "feeds": loop_in + caps + grad_in,
            "grads": grads, "n_vars": op.get_attr("n_vars")}


register_op("While", kernel_factory=_while_factory, stateful=True,
            shape=lambda op: [t.get_shape() for t in op.inputs[:op.get_attr("n_vars")]]
            + [unknown_shape()], grad=_while_grad)


def _while_grad_factory(op, ctx):
    from .._session import _Plan

    grads, n = op.get_attr("grads"), op.get_attr("n_vars")
    fetch_index = [i for i, g in enumerate(grads) if g is not None]
    plan = _Plan(ctx.session, [grads[i] for i in fetch_index], op.get_attr("feeds"))

    def run(history, *rest):
        out_grads, captured = list(rest[:n]), list(rest[n:])
        acc = [torch.zeros_like(c) if isinstance(c, torch.Tensor) else None for c in captured]
        for values in reversed(history.states):
            fetched = plan.run(list(values) + captured + out_grads) if fetch_index else []
            full = [None] * len(grads)
            for i, value in zip(fetch_index, fetched):
                full[i] = value
            out_grads = [full[i] if full[i] is not None else torch.zeros_like(v)
                         for i, v in enumerate(values)]
            acc = [a if full[n + j] is None else a + full[n + j] for j, a in enumerate(acc)]
        return (*out_grads, *acc)
    return run


register_op("WhileGrad", kernel_factory=_while_grad_factory,
            shape=lambda op: [t.get_shape() for t in op.inputs[1:]])
not_differentiable("WhileGrad")


def _flat(values):
    return list(values) if isinstance(values, (list, tuple)) else [values]


def while_loop(cond, body, loop_vars, shape_invariants=None, parallel_iterations=10,
               back_prop=True, swap_memory=False, name=None, maximum_iterations=None,
               return_same_structure=False):
    """Repeat ``loop_vars = body(*loop_vars)`` while ``cond(*loop_vars)`` is true.

    Parameters
    ----------
    cond : callable returning a scalar bool tensor
    body : callable returning the new loop variables (same number and dtypes)
    loop_vars : tensor or list/tuple of tensors
    maximum_iterations : int, default=None
        Stop after this many iterations.

    Returns
    -------
    The final loop variables (a single tensor if ``loop_vars`` was one tensor).
    """
    single = not isinstance(loop_vars, (list, tuple))
    loop_vars = [convert_to_tensor(v) for v in _flat(loop_vars)]
    outer = get_default_graph()
    with name_scope(name, "while", loop_vars) as scope:
        graph = FuncGraph(outer, scope[:-1])
        with graph.as_default():
            loop_in = [array_ops.placeholder(v.dtype, unknown_shape(v.get_shape().ndims),
                                             name="loop_var") for v in loop_vars]
            cond_out = convert_to_tensor(cond(*loop_in))
            body_out = [convert_to_tensor(t) for t in _flat(body(*loop_in))]
        if len(body_out) != len(loop_vars):
            raise ValueError(f"body returned {len(body_out)} values for {len(loop_vars)} "
                             "loop variables")
        for v, o in zip(loop_vars, body_out):
            if v.dtype is not o.dtype:
                raise TypeError(f"Loop variable {v.name} has dtype {v.dtype.name} but the body "
                                f"returns {o.dtype.name}")
        if cond_out.dtype is not _dtypes.bool:
            raise TypeError("while_loop cond must return a bool tensor")
        captured = list(graph.captures)
        attrs = {"body_graph": graph, "n_vars": len(loop_vars), "loop_inputs": loop_in,
                 "capture_inputs": [graph.captures[t] for t in captured],
                 "cond_output": cond_out, "body_outputs": body_out,
                 "maximum_iterations": maximum_iterations}
        dtypes = [v.dtype for v in loop_vars] + [_dtypes.string]
        op = outer.create_op("While", loop_vars + captured, dtypes=dtypes, name="While",
                             attrs=attrs)
    results = op.outputs[:len(loop_vars)]
    return results[0] if single else results


_ = errors
