"""State ops: variables live in the session; these ops read and write them.

A variable op's value is kept in ``ctx.state`` (one dict per session), keyed by
the variable's ``Operation``; assignments replace the stored tensor (no in-place
writes), so a value read earlier in the same run stays what it was.
"""

# SPDX-License-Identifier: BSD-3-Clause

import torch

from .. import errors
from .._framework import dtypes as _dtypes
from .._framework.op_util import _reaches, apply_op
from .._framework.ops import convert_to_tensor, get_default_graph
from .._framework.registry import not_differentiable, register_op
from .._framework.tensor_shape import TensorShape, as_shape

OWNED_IDS = "updated-in-place"  # see train/_training_ops.py

__all__ = ["assign", "assign_add", "assign_sub", "is_variable_initialized", "variable_op",
           "variable_op_of"]


def variable_op_of(tensor):
    """The op whose session state ``tensor`` refers to.

    A variable used inside a ``while_loop`` body is captured by the body's function
    graph as a placeholder; this follows such captures out to the ``VariableV2`` op,
    so reads and writes inside a loop act on the session's variable itself.
    """
    op = tensor.op
    while op.type == "Placeholder":
        captures = getattr(op.graph, "captures", None)
        outer = next((o for o, inner in (captures or {}).items() if inner.op is op), None)
        if outer is None:
            break
        op = outer.op
    return op


def _variable_factory(op, ctx):
    state = ctx.state

    def read():
        try:
            return state[op]
        except KeyError:
            raise errors.FailedPreconditionError(
                None, op, f"Attempting to use uninitialized value {op.name}") from None
    return read


register_op("VariableV2", kernel_factory=_variable_factory,
            shape=lambda op: [as_shape(op.get_attr("shape"))], stateful=True)
not_differentiable("VariableV2")


def variable_op(shape, dtype, name="Variable"):
    """The op holding a variable's value in each session."""
    from .._framework.ops import get_default_graph

    dtype = _dtypes.as_dtype(dtype)
    op = get_default_graph().create_op("VariableV2", [], dtypes=[dtype], name=name,
                                       attrs={"shape": as_shape(shape), "dtype": dtype})
    return op.outputs[0]


def _check_shape(op, value, var_op):
    if op.get_attr("validate_shape"):
        expected = var_op.outputs[0].get_shape()
        if expected.ndims is not None and not expected.is_compatible_with(list(value.shape)):
            raise errors.InvalidArgumentError(
                None, op, f"Assign requires shapes of both tensors to match. lhs shape= "
                f"{expected.as_list()} rhs shape= {list(value.shape)}")


def _assign_factory(update):
    def factory(op, ctx):
        state, var_op = ctx.state, variable_op_of(op.inputs[0])

        def run(value):
            if update is None:
                _check_shape(op, value, var_op)
                # never alias a tensor that an optimizer updates in place
                new = value.clone() if id(value) in state.get(OWNED_IDS, ()) else value
            else:
                try:
                    new = update(state[var_op], value)
                except KeyError:
                    raise errors.FailedPreconditionError(
                        None, op, f"Attempting to use uninitialized value {var_op.name}") from None
            state[var_op] = new
            return new
        return run
    return factory


def _assign_shape(op):
    if op.get_attr("validate_shape"):
        return [op.inputs[0].get_shape().merge_with(op.inputs[1].get_shape())]
    return [op.inputs[1].get_shape()]


for _type, _update in (("Assign", None), ("AssignAdd", torch.add), ("AssignSub", torch.sub)):
    register_op(_type, kernel_factory=_assign_factory(_update), shape=_assign_shape,
                ref_inputs=(0,), stateful=True)
    not_differentiable(_type)


def _ref(ref):
    var_tensor = getattr(ref, "_variable", None)
    tensor = var_tensor if var_tensor is not None else convert_to_tensor(ref)
    if tensor.op.type != "VariableV2":
        raise TypeError(f"Input 'ref' of assign must be a Variable, got {tensor!r}")
    return tensor


def _assign(op_type, ref, value, validate_shape, name):
    ref_t = _ref(ref)
    default = get_default_graph()
    # inside a while_loop body (a function graph of the variable's graph) the op goes
    # into the body; elsewhere into the variable's graph
    graph = default if _reaches(default, ref_t.graph) else ref_t.graph
    with graph.as_default():
        value = convert_to_tensor(value, dtype=ref_t.dtype)
        return apply_op(op_type, [ref_t, value], {"validate_shape": bool(validate_shape)},
                        name=name or op_type)


def assign(ref, value, validate_shape=None, use_locking=None, name=None):
    """Store ``value`` into variable ``ref``; returns the new value."""
    return _assign("Assign", ref, value, True if validate_shape is None else validate_shape, name)


def assign_add(ref, value, use_locking=None, name=None):
    """``ref += value``; returns the new value."""
    return _assign("AssignAdd", ref, value, False, name)


def assign_sub(ref, value, use_locking=None, name=None):
    """``ref -= value``; returns the new value."""
    return _assign("AssignSub", ref, value, False, name)


def _is_init_factory(op, ctx):
    state, var_op, device = ctx.state, variable_op_of(op.inputs[0]), ctx.device
    return lambda: torch.tensor(var_op in state, device=device)


register_op("IsVariableInitialized", kernel_factory=_is_init_factory,
            shape=lambda op: [TensorShape([])], ref_inputs=(0,))
not_differentiable("IsVariableInitialized")


def is_variable_initialized(variable):
    """A bool tensor: whether ``variable`` holds a value in the running session."""
    ref_t = _ref(variable)
    return apply_op("IsVariableInitialized", [ref_t], dtypes=[_dtypes.bool],
                    name="IsVariableInitialized")


def _value_or_init_factory(op, ctx):
    state, var_op = ctx.state, variable_op_of(op.inputs[0])

    def run(initial):
        return state.get(var_op, initial)
    return run


register_op("VariableValueOrInitial", kernel_factory=_value_or_init_factory,
            shape=lambda op: [op.inputs[0].get_shape()], ref_inputs=(0,),
            grad=lambda op, grad: (None, grad))


def _value_or_initial(var_tensor, initial_value):
    return apply_op("VariableValueOrInitial", [var_tensor, initial_value],
                    name="initialized_value")
