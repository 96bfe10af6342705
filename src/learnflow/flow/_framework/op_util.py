"""Helpers shared by the op modules: building an op and common shape functions."""

# SPDX-License-Identifier: BSD-3-Clause

from .ops import get_default_graph
from .tensor_shape import TensorShape, as_shape

__all__ = ["apply_op", "broadcast_static", "unchanged_shape", "scalar_shape", "same_as_input"]


def apply_op(op_type, inputs, attrs=None, name=None, dtypes=None, control_inputs=()):
    """Create an op in the graph of its inputs; return its one output, or the list of outputs.

    Inside a function graph (a ``while_loop`` body) whose outer graphs hold the
    inputs, the op goes into the function graph, which captures them.
    """
    default = get_default_graph()
    if inputs and all(_reaches(default, t.graph) for t in inputs):
        graph = default
    else:
        graph = inputs[0].graph if inputs else default
        for t in inputs:
            if t.graph is not graph:
                raise ValueError(
                    f"Tensor {t.name} must be from the same graph as {inputs[0].name}.")
    op = graph.create_op(op_type, inputs, dtypes=dtypes, name=name, attrs=attrs,
                         control_inputs=control_inputs)
    outputs = op.outputs
    if len(outputs) == 1:
        return outputs[0]
    return outputs if outputs else op


def _reaches(graph, other):
    """True if ``other`` is ``graph`` or one of its outer graphs."""
    while graph is not None:
        if graph is other:
            return True
        graph = getattr(graph, "outer_graph", None)
    return False


def unchanged_shape(op):
    return [op.inputs[0].get_shape()]


def same_as_input(index):
    return lambda op: [op.inputs[index].get_shape()]


def scalar_shape(op):
    return [TensorShape([])]


def broadcast_static(shape_x, shape_y):
    """The numpy-broadcast static shape of two partial shapes (ValueError if incompatible)."""
    shape_x, shape_y = as_shape(shape_x), as_shape(shape_y)
    if shape_x.ndims is None or shape_y.ndims is None:
        return TensorShape(None)
    dims_x, dims_y = shape_x.as_list()[::-1], shape_y.as_list()[::-1]
    result = []
    for i in range(max(len(dims_x), len(dims_y))):
        a = dims_x[i] if i < len(dims_x) else 1
        b = dims_y[i] if i < len(dims_y) else 1
        if a == 1:
            result.append(b)
        elif b == 1:
            result.append(a)
        elif a is None or b is None:
            result.append(a if b is None else b)
        elif a == b:
            result.append(a)
        else:
            raise ValueError(f"Incompatible shapes for broadcasting: {shape_x} and {shape_y}")
    return TensorShape(result[::-1])


def broadcast_shape(op):
    return [broadcast_static(op.inputs[0].get_shape(), op.inputs[1].get_shape())]


def normalize_axes(axis, rank):
    """Sorted non-negative axes (None -> all); needs a known rank for negative axes."""
    if axis is None:
        return list(range(rank)) if rank is not None else None
    axes = [axis] if isinstance(axis, int) else list(axis)
    if rank is None:
        if any(a < 0 for a in axes):
            return None
        return sorted(axes)
    for a in axes:
        if not -rank <= a < max(rank, 1):
            raise ValueError(f"axis {a} is out of range for a tensor of rank {rank}")
    return sorted({a % rank if rank else 0 for a in axes})
