"""``while_loop``: a loop whose condition and body are traced once into a function graph.

The ``While`` op runs the body's execution plan until the condition is false.
Besides the final loop variables it outputs, for each loop variable, the stack
of its values at the start of every iteration (computed only when something,
such as the gradient, uses it). Its gradient is another ``while_loop`` built
from graph ops: it walks the iterations backwards, reading the stacks with
``gather`` and calling the symbolic gradient of the body through a
``FunctionCall`` op, whose own gradient is again a ``FunctionCall``. So the
gradient of a loop is differentiable too (second derivatives through loops),
and it works when the trip count is only known at run time. Outer tensors used
in the loop are captured as extra inputs of the ``While`` op and receive
gradients.

Variables: an outer variable read inside the body is read afresh at the start
of every iteration, and ``assign`` / ``assign_add`` / ``assign_sub`` inside the
body write the session's variable itself (as TensorFlow 1 does with resource
variables); such writes run when the loop's outputs depend on them (return the
assign's result or use ``control_dependencies``), as in TensorFlow.

Limits: loop variables are a flat list of tensors; gradients need loop variables
of the same shape in every iteration (the stacks); the gradient treats each read
of a variable inside the body as the variable itself (writes inside the loop are
not differentiated through).

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
from .._framework.registry import register_op
from .._framework.tensor_shape import unknown_shape
from . import array_ops, state_ops

__all__ = ["function_call", "while_loop"]


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


# --- FunctionCall: run a function graph as one op ---------------------------------------

def _call_factory(op, ctx):
    from .._session import _Plan

    plan = _Plan(ctx.session, op.get_attr("outputs"), op.get_attr("inputs"))
    single = len(op.outputs) == 1

    def run(*inputs):
        out = plan.run(list(inputs))
        return out[0] if single else type(())(out)
    return run


def _call_grad(op, *grads):
    """Returns the inputs' gradients: a ``FunctionCall`` of the function's symbolic gradient."""
    from .._gradients import gradients

    func, inputs, outputs = (op.get_attr(k) for k in ("function", "inputs", "outputs"))
    wanted = [i for i, (o, g) in enumerate(zip(outputs, grads))
              if g is not None and o.dtype.is_floating]
    if not wanted:
        return [None] * len(inputs)
    cache = func.__dict__.setdefault("_gradient_functions", {})
    key = (tuple(id(t) for t in outputs), tuple(wanted), tuple(id(t) for t in inputs))
    if key not in cache:
        with func.as_default(), func.name_scope(None):
            grad_in = [array_ops.placeholder(outputs[i].dtype, outputs[i].get_shape(),
                                             name="grad_in") for i in wanted]
            in_grads = gradients([outputs[i] for i in wanted], inputs, grad_ys=grad_in)
        cache[key] = (grad_in, in_grads)
    grad_in, in_grads = cache[key]
    present = [i for i, g in enumerate(in_grads) if g is not None]
    if not present:
        return [None] * len(inputs)
    results = function_call(func, inputs + grad_in, [in_grads[i] for i in present],
                            list(op.inputs) + [grads[i] for i in wanted], name="FunctionCallGrad")
    out = [None] * len(inputs)
    for i, r in zip(present, results):
        out[i] = r
    return out


register_op("FunctionCall", kernel_factory=_call_factory,
            shape=lambda op: [t.get_shape() for t in op.get_attr("outputs")], grad=_call_grad)


def function_call(func, inputs, outputs, args, name=None):
    """Tensors ``outputs`` of function graph ``func`` evaluated with ``inputs`` fed ``args``."""
    args = [convert_to_tensor(a) for a in args]
    op = get_default_graph().create_op(
        "FunctionCall", args, dtypes=[t.dtype for t in outputs], name=name or "FunctionCall",
        attrs={"function": func, "inputs": list(inputs), "outputs": list(outputs)})
    return op.outputs


# --- While ------------------------------------------------------------------------------

def _while_factory(op, ctx):
    from .._session import _Plan

    n = op.get_attr("n_vars")
    loop_in, caps, cond_out = (op.get_attr(k) for k in ("loop_inputs", "capture_inputs",
                                                         "cond_output"))
    cond_plan = _Plan(ctx.session, [cond_out], loop_in + caps)
    body_plan = _Plan(ctx.session, op.get_attr("body_outputs"), loop_in + caps)
    max_iter = op.get_attr("maximum_iterations")
    keep = [t in ctx.used for t in op.outputs[n:2 * n]]  # stacks this plan needs
    state = ctx.state
    # outer variables are read afresh each iteration (the body may assign them)
    live = [(j, state_ops.variable_op_of(t)) for j, t in enumerate(op.inputs[n:])]
    live = [(j, v) for j, v in live if v.type == "VariableV2"]

    def run(*inputs):
        values, captured = list(inputs[:n]), list(inputs[n:])
        history = [[] if k else None for k in keep]
        count = 0
        while max_iter is None or count < max_iter:
            for j, var_op in live:
                captured[j] = state[var_op]
            if not bool(cond_plan.run(values + captured)[0]):
                break
            for h, v in zip(history, values):
                if h is not None:
                    h.append(v)
            values = body_plan.run(values + captured)
            count += 1
        return (*values, *[_stack(h, x0, op) for h, x0 in zip(history, inputs[:n])])
    return run


def _stack(history, first, op):
    if history is None or not isinstance(first, torch.Tensor):
        return None
    if not history:
        return first.new_empty((0, *first.shape))
    try:
        return torch.stack(history)
    except RuntimeError as exc:
        raise errors.InvalidArgumentError(
            None, op, f"The gradient of while_loop {op.name} needs each loop variable to keep "
            f"its shape across iterations ({exc})") from None


def _while_shape(op):
    finals = [t.get_shape() for t in op.inputs[:op.get_attr("n_vars")]]
    return finals + [unknown_shape() if s.ndims is None else unknown_shape(s.ndims + 1)
                     for s in finals]


def _body_gradient_function(op):
    """(inputs, outputs) of the body's gradient inside the body graph (built once per op)."""
    from .._gradients import gradients

    cached = op.__dict__.get("_body_gradient")
    if cached is not None:
        return cached
    graph = op.get_attr("body_graph")
    loop_in, caps = op.get_attr("loop_inputs"), op.get_attr("capture_inputs")
    outs = op.get_attr("body_outputs")
    floats = [i for i, o in enumerate(outs) if o.dtype.is_floating]
    with graph.as_default(), graph.name_scope(None):
        grad_in = [array_ops.placeholder(outs[i].dtype, outs[i].get_shape(), name="grad_in")
                   for i in floats]
        if floats:
            grads = gradients([outs[i] for i in floats], loop_in + caps, grad_ys=grad_in)
        else:
            grads = [None] * (len(loop_in) + len(caps))
    op.__dict__["_body_gradient"] = (floats, loop_in + caps + grad_in, grads)
    return op.__dict__["_body_gradient"]


def _while_grad(op, *grads):
    """Returns the loop-variable and capture gradients: a backward ``while_loop``."""
    n = op.get_attr("n_vars")
    m = len(op.inputs) - n
    floats, func_inputs, body_grads = _body_gradient_function(op)
    float_caps = [j for j in range(m) if body_grads[n + j] is not None]
    if not floats or all(g is None for g in grads):
        return [None] * (n + m)
    finals, stacks = op.outputs[:n], op.outputs[n:2 * n]
    g_final, g_stack = grads[:n], grads[n:2 * n]
    outer_caps = list(op.inputs[n:])
    present = [k for k, g in enumerate(body_grads) if g is not None]
    init = [g_final[i] if g_final[i] is not None else array_ops.zeros_like(finals[i])
            for i in floats]
    init += [array_ops.zeros_like(outer_caps[j]) for j in float_caps]
    trips = array_ops.shape(stacks[floats[0]])[0]
    nf = len(floats)

    def cond(k, *_):
        return k >= 0

    def body(k, *carried):
        g, acc = carried[:nf], carried[nf:]
        # g holds the gradient of the state after iteration k; the state before it
        # (stack entry k) gets the body's vector-Jacobian product plus its own gradient
        values = [array_ops.gather(s, k) for s in stacks]
        results = [None] * len(body_grads)
        if present:
            called = function_call(op.get_attr("body_graph"), func_inputs,
                                   [body_grads[k2] for k2 in present],
                                   values + outer_caps + list(g), name="body_grad")
            for k2, r in zip(present, called):
                results[k2] = r
        new_g = []
        for i in floats:
            gi = results[i] if results[i] is not None else array_ops.zeros_like(values[i])
            new_g.append(gi if g_stack[i] is None else gi + array_ops.gather(g_stack[i], k))
        new_acc = [a + results[n + j] for a, j in zip(acc, float_caps)]
        return [k - 1] + new_g + new_acc

    with name_scope("while_grad"):
        out = while_loop(cond, body, [trips - 1] + init, name="backward")
    result = [None] * (n + m)
    for i, t in zip(floats, out[1:1 + nf]):
        result[i] = t
    for j, t in zip(float_caps, out[1 + nf:]):
        result[n + j] = t
    return result


register_op("While", kernel_factory=_while_factory, stateful=True, shape=_while_shape,
            grad=_while_grad)


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
        dtypes = [v.dtype for v in loop_vars] * 2
        op = outer.create_op("While", loop_vars + captured, dtypes=dtypes, name="While",
                             attrs=attrs)
    results = op.outputs[:len(loop_vars)]
    return results[0] if single else results
