"""Control flow: no_op, group, tuple, cond, Print, py_func.

``cond`` builds both branches in the graph inside a ``CondContext``; the session
runs an op of a branch only when the predicate selects that branch (the other
branch's tensors are *dead*), and ``Merge`` forwards the live value. Outer
tensors used in a branch enter it through ``CondInput`` ops, whose gradient
turns a dead gradient into zeros, so ``gradients()`` works through ``cond``.

>>> import learnflow.flow as tf
>>> with tf.Session(graph=tf.Graph()) as sess, sess.graph.as_default():
...     x = tf.placeholder(tf.float32, [])
...     y = tf.cond(x > 0, lambda: x * 2.0, lambda: -x)
...     print(sess.run(y, {x: 3.0}), sess.run(y, {x: -4.0}))
6.0 4.0
"""

# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
import torch

from .._framework import dtypes as _dtypes
from .._framework.op_util import apply_op, unchanged_shape
from .._framework.ops import (Operation, Tensor, control_dependencies, convert_to_tensor,
                              get_default_graph, name_scope)
from .._framework.registry import not_differentiable, register_op
from .._framework.tensor_shape import unknown_shape
from . import array_ops

__all__ = ["DEAD", "Print", "cond", "group", "no_op", "print_v2", "py_func", "tuple"]


class _Dead:
    """The value of a tensor of a branch that ``cond`` did not take."""

    def __repr__(self):
        return "<dead>"


DEAD = _Dead()


# --- NoOp / group / tuple -----------------------------------------------------------------

register_op("NoOp", kernel=lambda: None, shape=lambda op: [])
not_differentiable("NoOp")


def no_op(name=None):
    """An op that does nothing (useful with control dependencies)."""
    return get_default_graph().create_op("NoOp", [], dtypes=[], name=name or "NoOp")


def group(*inputs, **kwargs):
    """An op that runs all ``inputs`` (ops or tensors)."""
    name = kwargs.pop("name", None)
    if kwargs:
        raise TypeError(f"Unknown keyword arguments: {sorted(kwargs)}")
    flat = []
    for item in inputs:
        flat.extend(item if isinstance(item, (list, type(()))) else [item])
    with name_scope(name, "group_deps", flat) as scope:
        with control_dependencies(flat):
            return no_op(name=scope or None)


def tuple(tensors, name=None, control_inputs=None):  # noqa: A001
    """Tensors equal to ``tensors``, each available only after all of them are computed."""
    tensors = list(tensors)
    with name_scope(name, "tuple", [t for t in tensors if t is not None]):
        gate = group(*[t for t in tensors if t is not None], *(control_inputs or []))
        out = []
        for t in tensors:
            if t is None:
                out.append(None)
                continue
            with control_dependencies([gate]):
                out.append(array_ops.identity(t))
        return out


# --- cond -----------------------------------------------------------------------------------

class CondContext:
    """The branch of a ``cond`` that ops created inside belong to."""

    def __init__(self, pred, branch, outer):
        self.pred = pred
        self.branch = branch
        self.outer = outer
        self._captured = {}
        self._capturing = False

    def guards(self):
        """(pred tensor, branch) for this context and every enclosing one."""
        ctx, out = self, []
        while ctx is not None:
            out.append((ctx.pred, ctx.branch))
            ctx = ctx.outer
        return out

    def contains(self, ctx):
        while ctx is not None:
            if ctx is self:
                return True
            ctx = ctx.outer
        return False

    def capture(self, tensor):
        """``tensor`` as seen from inside this branch (through a CondInput op)."""
        if self._capturing or self.contains(tensor.op._cond_ctx):
            return tensor
        if self.outer is not None and not self.outer.contains(tensor.op._cond_ctx):
            tensor = self.outer.capture(tensor)  # enter each enclosing branch in turn
        if tensor not in self._captured:
            self._capturing = True
            try:
                with _OuterContext(tensor.graph, self):
                    self._captured[tensor] = apply_op("CondInput", [tensor], name="CondInput")
            finally:
                self._capturing = False
        return self._captured[tensor]

    def __enter__(self):
        self._graph = self.pred.graph
        self._saved = self._graph._cond_ctx
        self._graph._cond_ctx = self
        return self

    def __exit__(self, *exc):
        self._graph._cond_ctx = self._saved


class _OuterContext:
    """Temporarily build ops in ``ctx`` (None: outside every cond)."""

    def __init__(self, graph, ctx):
        self._graph, self._ctx = graph, ctx

    def __enter__(self):
        self._saved = self._graph._cond_ctx
        self._graph._cond_ctx = self._ctx

    def __exit__(self, *exc):
        self._graph._cond_ctx = self._saved


def _cond_input_grad(op, grad):
    """Returns grad where the branch ran, zeros (as x) where it did not."""
    ctx = op._cond_ctx
    with _OuterContext(op.graph, ctx.outer):
        return apply_op("CondGradExit", [grad, op.inputs[0]], {"ctx": ctx}, name="CondGradExit")


register_op("CondInput", kernel=lambda x: x, shape=unchanged_shape, grad=_cond_input_grad)


def _cond_grad_exit_kernel(g, x, ctx):
    return torch.zeros_like(x) if g is DEAD else g


def _cond_grad_exit_grad(op, grad):
    """Returns grad captured into the branch, None."""
    ctx = op.get_attr("ctx")
    with _OuterContext(op.graph, ctx):
        return ctx.capture(grad), None


register_op("CondGradExit", kernel=_cond_grad_exit_kernel,
            shape=lambda op: [op.inputs[1].get_shape()], grad=_cond_grad_exit_grad)


def _merge_shape(op):
    a, b = op.inputs[0].get_shape(), op.inputs[1].get_shape()
    return [a.merge_with(b) if a.is_compatible_with(b) else unknown_shape()]


def _merge_grad(op, grad):
    """Returns grad routed into each branch (dead in the branch not taken)."""
    ctx_t, ctx_f = op.get_attr("contexts")
    out = []
    for ctx in (ctx_t, ctx_f):
        with _OuterContext(op.graph, ctx):
            out.append(ctx.capture(grad))
    return out


register_op("Merge", kernel=lambda t, f, contexts: f if t is DEAD else t, shape=_merge_shape,
            grad=_merge_grad)


def _branch_outputs(ctx, fn):
    with ctx:
        result = fn()
        flat = result if isinstance(result, (list, type(()))) else [result]
        out = []
        for item in flat:
            if isinstance(item, Operation):
                with control_dependencies([item]):
                    out.append(array_ops.constant(True))
            else:
                out.append(ctx.capture(convert_to_tensor(item)))
    return result, out


def cond(pred, true_fn=None, false_fn=None, strict=False, name=None, fn1=None, fn2=None):
    """``true_fn()`` if ``pred`` else ``false_fn()``; only the chosen branch runs.

    Both functions must return the same structure (a tensor, or a list/tuple of tensors
    or operations).
    """
    true_fn = fn1 if true_fn is None else true_fn
    false_fn = fn2 if false_fn is None else false_fn
    if not callable(true_fn) or not callable(false_fn):
        raise TypeError("true_fn and false_fn must be callable.")
    pred = convert_to_tensor(pred)
    if pred.dtype is not _dtypes.bool:
        raise TypeError(f"pred must be a bool tensor, got {pred.dtype.name}")
    graph = pred.graph
    with graph.as_default(), name_scope(name, "cond", [pred]):
        outer = graph._cond_ctx
        ctx_t, ctx_f = CondContext(pred, True, outer), CondContext(pred, False, outer)
        res_t, out_t = _branch_outputs(ctx_t, true_fn)
        res_f, out_f = _branch_outputs(ctx_f, false_fn)
        if len(out_t) != len(out_f):
            raise ValueError("true_fn and false_fn must return the same number of outputs")
        merged = []
        for a, b in zip(out_t, out_f):
            if a.dtype is not b.dtype:
                raise TypeError(f"Outputs of true_fn and false_fn must have the same type: "
                                f"{a.dtype.name}, {b.dtype.name}")
            merged.append(apply_op("Merge", [a, b], {"contexts": (ctx_t, ctx_f)}, name="Merge"))
    flat_t = res_t if isinstance(res_t, (list, type(()))) else [res_t]
    merged = [m.op if isinstance(r, Operation) else m for m, r in zip(merged, flat_t)]
    if isinstance(res_t, (list, type(()))):
        return type(res_t)(merged) if not hasattr(res_t, "_fields") else type(res_t)(*merged)
    return merged[0]


# --- Print / py_func --------------------------------------------------------------------

def _print_factory(op, ctx):
    message, summarize = op.get_attr("message"), op.get_attr("summarize")

    def run(x, *data):
        parts = [np.array2string(d.detach().cpu().numpy().reshape(-1)[:summarize], separator=" ")
                 if isinstance(d, torch.Tensor) else str(d) for d in data]
        print(message + "".join(parts))
        return x
    return run


register_op("Print", kernel_factory=_print_factory, shape=unchanged_shape, stateful=True,
            grad=lambda op, grad: [grad] + [None] * (len(op.inputs) - 1))


def Print(input_, data, message=None, first_n=None, summarize=None, name=None):  # noqa: N802
    """Identity on ``input_`` that prints ``message`` and the values of ``data`` when run."""
    data = [convert_to_tensor(d) for d in data]
    return apply_op("Print", [convert_to_tensor(input_)] + data,
                    {"message": message or "", "summarize": summarize or 3},
                    name=name or "Print")


def print_v2(*inputs, output_stream=None, name=None):
    """An op printing its inputs (tensors are shown by value) when run."""
    tensors = [convert_to_tensor(i) for i in inputs if hasattr(i, "_as_graph_element")]
    texts = [i for i in inputs if not hasattr(i, "_as_graph_element")]

    def _fmt(*values):
        it = iter(values)
        parts = [str(next(it)) if hasattr(i, "_as_graph_element") else str(i) for i in inputs]
        print(" ".join(parts))
        return np.zeros((), np.bool_)

    _ = texts
    return py_func(_fmt, tensors, _dtypes.bool, stateful=True, name=name or "PrintV2").op


def _py_func_factory(op, ctx):
    func, out_types, device = op.get_attr("func"), op.get_attr("Tout"), ctx.device

    def run(*inputs):
        values = [x.detach().cpu().numpy() if isinstance(x, torch.Tensor) else x for x in inputs]
        result = func(*values)
        results = list(result) if isinstance(result, (list, type(()))) else [result]
        out = []
        for value, dtype in zip(results, out_types):
            if dtype is _dtypes.string:
                out.append(np.asarray(value, dtype=object))
            else:
                arr = np.asarray(value, dtype=dtype.as_numpy_dtype)
                out.append(torch.as_tensor(arr, device=device).to(dtype.as_torch_dtype))
        return out[0] if len(out) == 1 else type(())(out)
    return run


register_op("PyFunc", kernel_factory=_py_func_factory,
            shape=lambda op: [unknown_shape()] * len(op.get_attr("Tout")), stateful=True)
not_differentiable("PyFunc")


def py_func(func, inp, Tout, stateful=True, name=None):  # noqa: N803
    """Wrap a Python function of numpy arrays as an op (no gradient)."""
    single = not isinstance(Tout, (list, type(())))
    out_types = [_dtypes.as_dtype(t) for t in ([Tout] if single else Tout)]
    inputs = [convert_to_tensor(x) for x in inp]
    graph = inputs[0].graph if inputs else get_default_graph()
    op = graph.create_op("PyFunc", inputs, dtypes=out_types, name=name or "PyFunc",
                         attrs={"func": func, "Tout": out_types})
    return op.outputs[0] if single else op.outputs


_ = Tensor
