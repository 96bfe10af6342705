"""Array ops: constants, placeholders, shapes, slicing, joining, gathering.

Each op type is registered once with its kernel, shape function and gradient
next to each other; the public wrapper follows.

>>> import learnflow.flow as tf
>>> with tf.Session(graph=tf.Graph()) as sess, sess.graph.as_default():
...     x = tf.constant([[1, 2, 3], [4, 5, 6]])
...     print(sess.run(tf.reshape(x[:, ::-1], [-1])))
[3 2 1 6 5 4]
"""

# SPDX-License-Identifier: BSD-3-Clause

import builtins

import numpy as np
import torch

from .. import errors
from .._framework import dtypes as _dtypes
from .._framework.op_util import apply_op, normalize_axes, unchanged_shape
from .._framework.ops import Tensor, convert_to_tensor, infer_dtype
from .._framework.registry import not_differentiable, register_op
from .._framework.tensor_shape import TensorShape, as_shape, unknown_shape

__all__ = [
    "broadcast_like", "concat", "constant", "expand_dims", "fill", "gather", "identity",
    "newaxis", "one_hot", "ones", "ones_like", "pad", "placeholder", "placeholder_with_default",
    "rank", "reshape", "reshape_like", "reverse", "shape", "size", "slice", "split", "squeeze",
    "stack", "stop_gradient", "strided_slice", "tile", "transpose", "unstack", "where",
    "zeros", "zeros_like", "cast", "matrix_transpose",
]

newaxis = None
_builtin_slice = builtins.slice


def _t(x, dtype=None):
    return convert_to_tensor(x, dtype=dtype)


# --- Const -----------------------------------------------------------------

def _const_factory(op, ctx):
    """Convert the value once per plan and device; each run returns the same tensor."""
    value, dtype = op.get_attr("value"), op.outputs[0].dtype
    if dtype is _dtypes.string:
        return lambda: value
    tensor = torch.tensor(np.asarray(value), device=ctx.device).to(dtype.as_torch_dtype)
    return lambda: tensor


register_op("Const", kernel_factory=_const_factory,
            shape=lambda op: [TensorShape(np.shape(op.get_attr("value")))])
not_differentiable("Const")


def _to_numpy_value(value, dtype):
    if isinstance(value, torch.Tensor):
        value = value.detach().cpu().numpy()
    if dtype is _dtypes.string:
        return np.asarray(value, dtype=object)
    arr = np.asarray(value)
    if arr.dtype.kind in "SUO" and dtype is not _dtypes.string:
        raise TypeError(f"Expected {dtype.name}, got {value!r} of type {type(value).__name__}")
    return arr.astype(dtype.as_numpy_dtype, copy=False)


def constant(value, dtype=None, shape=None, name="Const", verify_shape=False, _strict=False):
    """A constant tensor holding ``value`` (Python floats give float32, ints int32).

    Parameters
    ----------
    value : scalar, list or numpy array
    dtype : DType, default=None
        Inferred from ``value`` when None.
    shape : sequence of int, default=None
        Reshape ``value`` to it (a scalar is filled into it).
    name : str, default="Const"
    """
    dtype = infer_dtype(value) if dtype is None else _dtypes.as_dtype(dtype)
    arr = _to_numpy_value(value, dtype)
    if _strict and np.asarray(value).dtype.kind == "f" and dtype.is_integer:
        raise TypeError("float value cannot be converted to an integer dtype")
    if shape is not None:
        shape = [int(d) for d in (shape if isinstance(shape, (list, tuple)) else [shape])]
        if arr.size == 1:
            arr = np.full(shape, arr.reshape(()), dtype=arr.dtype)
        elif verify_shape and list(arr.shape) != shape:
            raise TypeError(f"Expected Tensor's shape: {tuple(shape)}, got {arr.shape}.")
        else:
            arr = arr.reshape(shape)
    from .._framework.ops import get_default_graph

    op = get_default_graph().create_op("Const", [], dtypes=[dtype], name=name,
                                       attrs={"value": arr, "dtype": dtype})
    return op.outputs[0]


# --- Placeholder -----------------------------------------------------------

def _placeholder_factory(op, ctx):
    def unfed():
        shape = op.outputs[0].get_shape()
        dims = "<unknown>" if shape.ndims is None else "[" + ",".join(
            "?" if d is None else str(d) for d in shape.as_list()) + "]"
        raise errors.InvalidArgumentError(
            None, op,
            f"You must feed a value for placeholder tensor '{op.name}' with dtype "
            f"{op.outputs[0].dtype.name} and shape {dims}")
    return unfed


register_op("Placeholder", kernel_factory=_placeholder_factory,
            shape=lambda op: [as_shape(op.get_attr("shape"))])
not_differentiable("Placeholder")


def placeholder(dtype, shape=None, name=None):
    """A tensor whose value must be fed at run time; ``None`` dims accept any size."""
    from .._framework.ops import get_default_graph

    dtype = _dtypes.as_dtype(dtype)
    op = get_default_graph().create_op("Placeholder", [], dtypes=[dtype], name=name or "Placeholder",
                                       attrs={"dtype": dtype, "shape": as_shape(shape)})
    return op.outputs[0]


def _identity_grad(op, grad):
    """Returns grad."""
    return grad


register_op("PlaceholderWithDefault", kernel=lambda x, shape=None: x,
            shape=lambda op: [as_shape(op.get_attr("shape"))], grad=_identity_grad)


def placeholder_with_default(input, shape, name=None):  # noqa: A002
    """A placeholder that outputs ``input`` when not fed."""
    return apply_op("PlaceholderWithDefault", [_t(input)], {"shape": as_shape(shape)},
                    name=name or "PlaceholderWithDefault")


# --- Identity, StopGradient, Cast -----------------------------------------

register_op("Identity", kernel=lambda x: x, shape=unchanged_shape, grad=_identity_grad)
register_op("StopGradient", kernel=lambda x: x, shape=unchanged_shape, grad=None)


def identity(input, name=None):  # noqa: A002
    """Returns ``input`` (a new node)."""
    return apply_op("Identity", [_t(input)], name=name or "Identity")


def stop_gradient(input, name=None):  # noqa: A002
    """Identity for the forward pass; gradients do not flow through it."""
    return apply_op("StopGradient", [_t(input)], name=name or "StopGradient")


def _cast_kernel(x, dtype):
    return x.to(dtype.as_torch_dtype)


def _cast_grad(op, grad):
    """Returns cast(grad, x.dtype) between floating types, else None."""
    src = op.inputs[0].dtype
    if src.is_floating and op.outputs[0].dtype.is_floating:
        return cast(grad, src)
    return None


register_op("Cast", kernel=_cast_kernel, shape=unchanged_shape, grad=_cast_grad)


def cast(x, dtype, name=None):
    """Cast ``x`` to ``dtype``."""
    x, dtype = _t(x), _dtypes.as_dtype(dtype)
    if x.dtype is dtype:
        return x
    return apply_op("Cast", [x], {"dtype": dtype}, name=name or "Cast", dtypes=[dtype])


# --- Shape, Size, Rank -----------------------------------------------------

def _shape_factory(op, ctx):
    dtype, device = op.outputs[0].dtype.as_torch_dtype, ctx.device
    return lambda x: torch.tensor(x.shape, dtype=dtype, device=device)


def _size_factory(op, ctx):
    dtype, device = op.outputs[0].dtype.as_torch_dtype, ctx.device
    # string tensors are numpy object arrays, which have size rather than numel
    return lambda x: torch.tensor(x.size if isinstance(x, np.ndarray) else x.numel(), dtype=dtype, device=device)


def _rank_factory(op, ctx):
    dtype, device = op.outputs[0].dtype.as_torch_dtype, ctx.device
    return lambda x: torch.tensor(x.dim(), dtype=dtype, device=device)


register_op("Shape", kernel_factory=_shape_factory,
            shape=lambda op: [TensorShape([op.inputs[0].get_shape().ndims])])
register_op("Size", kernel_factory=_size_factory, shape=lambda op: [TensorShape([])])
register_op("Rank", kernel_factory=_rank_factory, shape=lambda op: [TensorShape([])])
for _name in ("Shape", "Size", "Rank"):
    not_differentiable(_name)


def shape(input, name=None, out_type=_dtypes.int32):  # noqa: A002
    """The dynamic shape of ``input`` as a 1-D int tensor."""
    return apply_op("Shape", [_t(input)], name=name or "Shape", dtypes=[out_type])


def size(input, name=None, out_type=_dtypes.int32):  # noqa: A002
    """The number of elements of ``input``."""
    return apply_op("Size", [_t(input)], name=name or "Size", dtypes=[out_type])


def rank(input, name=None):  # noqa: A002
    """The rank of ``input``."""
    return apply_op("Rank", [_t(input)], name=name or "Rank", dtypes=[_dtypes.int32])


# --- Reshape family ---------------------------------------------------------

def _reshape_kernel(x, *shape_t, shape=None):
    if shape_t:
        shape = [int(d) for d in shape_t[0].tolist()]
    return x.reshape(shape)


def _reshape_shape(op):
    target = op.get_attr("shape")
    if target is None:
        return [unknown_shape()]
    in_shape = op.inputs[0].get_shape()
    n = in_shape.num_elements()
    if -1 in target:
        known = int(np.prod([d for d in target if d != -1])) if len(target) > 1 else 1
        fill = n // known if n is not None and known else None
        return [TensorShape([fill if d == -1 else d for d in target])]
    if n is not None and n != int(np.prod(target)):
        raise ValueError(f"Cannot reshape a tensor with {n} elements to shape {target}")
    return [TensorShape(target)]


def _reshape_grad(op, grad):
    """Returns reshape(grad, shape(x))."""
    return [reshape_like(grad, op.inputs[0])] + [None] * (len(op.inputs) - 1)


register_op("Reshape", kernel=_reshape_kernel, shape=_reshape_shape, grad=_reshape_grad)


def reshape(tensor, shape, name=None):
    """Reshape ``tensor``; ``shape`` is a list (one ``-1`` allowed) or an int tensor."""
    tensor = _t(tensor)
    if isinstance(shape, (list, tuple)) and any(hasattr(d, "_as_graph_element") for d in shape):
        shape = stack([cast(_t(d), _dtypes.int32) if hasattr(d, "_as_graph_element")
                       else constant(int(d), dtype=_dtypes.int32) for d in shape])
    if isinstance(shape, Tensor) or hasattr(shape, "_as_graph_element"):
        return apply_op("Reshape", [tensor, _t(shape)], {"shape": None}, name=name or "Reshape")
    target = [int(d) for d in np.asarray(shape).reshape(-1)]
    return apply_op("Reshape", [tensor], {"shape": target}, name=name or "Reshape")


def _reshape_like_grad(op, grad):
    """Returns reshape(grad, shape(g)), None."""
    return reshape_like(grad, op.inputs[0]), None


register_op("ReshapeLike", kernel=lambda x, like: x.reshape(like.shape),
            shape=lambda op: [op.inputs[1].get_shape()], grad=_reshape_like_grad)


def reshape_like(x, like, name=None):
    """Reshape ``x`` to the dynamic shape of ``like`` (gradient helper)."""
    if x.get_shape().is_fully_defined() and x.get_shape() == like.get_shape():
        return x
    return apply_op("ReshapeLike", [x, like], name=name or "ReshapeLike")


def _squeeze_kernel(x, axis):
    if axis is None:
        return x.squeeze()
    for a in sorted((a % x.dim() for a in axis), reverse=True):
        if x.shape[a] != 1:
            raise errors.InvalidArgumentError(
                None, None, f"Can not squeeze dim[{a}], expected a dimension of 1, got {x.shape[a]}")
        x = x.squeeze(a)
    return x


def _squeeze_shape(op):
    shape, axis = op.inputs[0].get_shape(), op.get_attr("axis")
    if shape.ndims is None:
        return [unknown_shape()]
    dims = shape.as_list()
    if axis is None:
        if None in dims:
            return [unknown_shape()]
        return [TensorShape([d for d in dims if d != 1])]
    axes = normalize_axes(axis, len(dims))
    for a in axes:
        if dims[a] not in (1, None):
            raise ValueError(f"Can not squeeze dim[{a}], expected a dimension of 1, got {dims[a]}")
    return [TensorShape([d for i, d in enumerate(dims) if i not in axes])]


register_op("Squeeze", kernel=_squeeze_kernel, shape=_squeeze_shape, grad=_reshape_grad)


def squeeze(input, axis=None, name=None, squeeze_dims=None):  # noqa: A002
    """Remove size-1 dimensions (all of them, or those in ``axis``)."""
    axis = squeeze_dims if axis is None else axis
    axis = [axis] if isinstance(axis, int) else (None if axis is None else list(axis))
    return apply_op("Squeeze", [_t(input)], {"axis": axis}, name=name or "Squeeze")


def _expand_dims_shape(op):
    shape, axis = op.inputs[0].get_shape(), op.get_attr("axis")
    if shape.ndims is None:
        return [unknown_shape()]
    dims = shape.as_list()
    axis = axis % (len(dims) + 1)
    return [TensorShape(dims[:axis] + [1] + dims[axis:])]


register_op("ExpandDims", kernel=lambda x, axis: x.unsqueeze(axis), shape=_expand_dims_shape,
            grad=_reshape_grad)


def expand_dims(input, axis=None, name=None, dim=None):  # noqa: A002
    """Insert a size-1 dimension at ``axis``."""
    axis = dim if axis is None else axis
    return apply_op("ExpandDims", [_t(input)], {"axis": int(axis)}, name=name or "ExpandDims")


# --- Transpose ---------------------------------------------------------------

def _transpose_kernel(x, perm):
    if perm is None:
        return x.permute(*range(x.dim() - 1, -1, -1))
    return x.permute(*perm)


def _transpose_shape(op):
    shape, perm = op.inputs[0].get_shape(), op.get_attr("perm")
    if shape.ndims is None:
        return [unknown_shape(None if perm is None else len(perm))]
    dims = shape.as_list()
    perm = list(range(len(dims) - 1, -1, -1)) if perm is None else perm
    if sorted(perm) != list(range(len(dims))):
        raise ValueError(f"transpose: perm {perm} is not a permutation of the {len(dims)} dims")
    return [TensorShape([dims[p] for p in perm])]


def _transpose_grad(op, grad):
    """Returns transpose(grad, inverse(perm))."""
    perm = op.get_attr("perm")
    return transpose(grad, None if perm is None else list(np.argsort(perm)))


register_op("Transpose", kernel=_transpose_kernel, shape=_transpose_shape, grad=_transpose_grad)


def transpose(a, perm=None, name="transpose", conjugate=False):
    """Permute the dimensions (reverse them when ``perm`` is None)."""
    perm = None if perm is None else [int(p) for p in perm]
    return apply_op("Transpose", [_t(a)], {"perm": perm}, name=name)


def matrix_transpose(a, name="matrix_transpose"):
    """Swap the last two dimensions."""
    a = _t(a)
    ndims = a.get_shape().ndims
    if ndims is None:
        raise ValueError("matrix_transpose needs a tensor of known rank")
    return transpose(a, list(range(ndims - 2)) + [ndims - 1, ndims - 2], name=name)


# --- Concat / Stack / Unstack / Split -----------------------------------------

def _concat_shape(op):
    axis = op.get_attr("axis")
    shapes = [t.get_shape() for t in op.inputs]
    if any(s.ndims is None for s in shapes):
        return [unknown_shape()]
    rank_ = shapes[0].ndims
    axis = axis % rank_
    dims = shapes[0].as_list()
    total = 0
    for s in shapes:
        if s.ndims != rank_:
            raise ValueError(f"concat: ranks of inputs differ: {shapes}")
        d = s.as_list()
        total = None if total is None or d[axis] is None else total + d[axis]
        dims = [a if i == axis else (a if a is not None else b) for i, (a, b) in enumerate(zip(dims, d))]
    dims[axis] = total
    return [TensorShape(dims)]


def _concat_grad(op, grad):
    """Returns the slice of grad matching each input."""
    axis, n = op.get_attr("axis"), len(op.inputs)
    return [apply_op("ConcatSlice", [grad] + op.inputs, {"axis": axis, "index": i})
            for i in range(n)]


register_op("ConcatV2", kernel=lambda *xs, axis: torch.cat(xs, dim=axis), shape=_concat_shape,
            grad=_concat_grad)


def _concat_slice_kernel(g, *values, axis, index):
    return torch.split(g, [v.shape[axis] for v in values], dim=axis)[index]


def _concat_slice_grad(op, grad):
    """Returns concat(zeros_like(v_j) for j != index, grad at index), None..."""
    axis, index, values = op.get_attr("axis"), op.get_attr("index"), op.inputs[1:]
    parts = [grad if j == index else zeros_like(v) for j, v in enumerate(values)]
    return [concat(parts, axis)] + [None] * len(values)


register_op("ConcatSlice", kernel=_concat_slice_kernel,
            shape=lambda op: [op.inputs[1 + op.get_attr("index")].get_shape()],
            grad=_concat_slice_grad)


def concat(values, axis, name="concat"):
    """Join tensors along ``axis``."""
    values = [_t(v) for v in values]
    if len(values) == 1:
        return identity(values[0], name=name)
    return apply_op("ConcatV2", values, {"axis": int(axis)}, name=name)


def _stack_shape(op):
    axis = op.get_attr("axis")
    shape = op.inputs[0].get_shape()
    for t in op.inputs[1:]:
        shape = shape.merge_with(t.get_shape())
    if shape.ndims is None:
        return [unknown_shape()]
    dims = shape.as_list()
    axis = axis % (len(dims) + 1)
    return [TensorShape(dims[:axis] + [len(op.inputs)] + dims[axis:])]


def _stack_grad(op, grad):
    """Returns unstack(grad, axis)."""
    outputs = unstack(grad, num=len(op.inputs), axis=op.get_attr("axis"))
    return outputs


register_op("Pack", kernel=lambda *xs, axis: torch.stack(xs, dim=axis), shape=_stack_shape,
            grad=_stack_grad)


def stack(values, axis=0, name="stack"):
    """Stack rank-R tensors into one rank-(R+1) tensor."""
    values = [_t(v) for v in values]
    dtype = values[0].dtype
    values = [v if v.dtype is dtype else _t(v, dtype) for v in values]
    return apply_op("Pack", values, {"axis": int(axis)}, name=name)


def _unstack_shape(op):
    shape, axis, num = op.inputs[0].get_shape(), op.get_attr("axis"), op.get_attr("num")
    if shape.ndims is None:
        return [unknown_shape()] * num
    dims = shape.as_list()
    axis = axis % len(dims)
    return [TensorShape(dims[:axis] + dims[axis + 1:])] * num


def _unstack_grad(op, *grads):
    """Returns stack(grads) (zeros for outputs without gradient)."""
    grads = [g if g is not None else zeros_like(o) for g, o in zip(grads, op.outputs)]
    return stack(grads, axis=op.get_attr("axis"))


register_op("Unpack", kernel=lambda x, axis, num: tuple(torch.unbind(x, dim=axis)),
            shape=_unstack_shape, grad=_unstack_grad)


def unstack(value, num=None, axis=0, name="unstack"):
    """Split a tensor into a list of tensors along ``axis``."""
    value = _t(value)
    if num is None:
        dims = value.get_shape().dims
        if dims is None or dims[axis].value is None:
            raise ValueError(f"Cannot infer num from shape {value.get_shape()}")
        num = dims[axis].value
    op = value.graph.create_op("Unpack", [value], dtypes=[value.dtype] * num, name=name,
                               attrs={"axis": int(axis), "num": int(num)})
    return op.outputs


def _split_kernel(x, sizes, axis):
    return tuple(torch.split(x, sizes, dim=axis)) if isinstance(sizes, list) else tuple(
        torch.chunk(x, sizes, dim=axis))


def _split_shape(op):
    shape, sizes, axis = op.inputs[0].get_shape(), op.get_attr("sizes"), op.get_attr("axis")
    n = len(sizes) if isinstance(sizes, list) else sizes
    if shape.ndims is None:
        return [unknown_shape()] * n
    dims = shape.as_list()
    axis = axis % len(dims)
    if isinstance(sizes, list):
        parts = sizes
    else:
        if dims[axis] is not None and dims[axis] % sizes:
            raise ValueError(f"split: dimension {dims[axis]} is not divisible by {sizes}")
        parts = [None if dims[axis] is None else dims[axis] // sizes] * sizes
    return [TensorShape(dims[:axis] + [p] + dims[axis + 1:]) for p in parts]


def _split_grad(op, *grads):
    """Returns concat(grads) (zeros for outputs without gradient)."""
    grads = [g if g is not None else zeros_like(o) for g, o in zip(grads, op.outputs)]
    return concat(grads, op.get_attr("axis"))


register_op("Split", kernel=_split_kernel, shape=_split_shape, grad=_split_grad)


def split(value, num_or_size_splits, axis=0, num=None, name="split"):
    """Split into ``num_or_size_splits`` equal parts, or parts of the given sizes."""
    value = _t(value)
    sizes = num_or_size_splits
    sizes = int(sizes) if np.isscalar(sizes) else [int(s) for s in sizes]
    n = sizes if isinstance(sizes, int) else len(sizes)
    op = value.graph.create_op("Split", [value], dtypes=[value.dtype] * n, name=name,
                               attrs={"sizes": sizes, "axis": int(axis)})
    return op.outputs


# --- Slicing -----------------------------------------------------------------

def _normalize_key(key):
    """Turn a __getitem__ key into a tuple of int / slice / None / Ellipsis."""
    key = key if isinstance(key, tuple) else (key,)
    out = []
    for k in key:
        if isinstance(k, (int, np.integer)) and not isinstance(k, bool):
            out.append(int(k))
        elif isinstance(k, _builtin_slice):
            parts = [None if v is None else int(v) for v in (k.start, k.stop, k.step)]
            if parts[2] == 0:
                raise ValueError("slice step cannot be zero")
            out.append(_builtin_slice(*parts))
        elif k is None or k is Ellipsis:
            out.append(k)
        else:
            raise TypeError(
                f"Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) are valid "
                f"indices, got {k!r}")
    return tuple(out)


def _expand_key(key, ndim):
    """Replace Ellipsis by full slices, for a tensor of rank ``ndim``."""
    n_real = sum(1 for k in key if k is not None and k is not Ellipsis)
    if Ellipsis in key:
        i = key.index(Ellipsis)
        fill = (_builtin_slice(None),) * max(ndim - n_real, 0)
        return key[:i] + fill + key[i + 1:]
    return key + (_builtin_slice(None),) * max(ndim - n_real, 0)


def _getitem_kernel(x, key):
    if all(not isinstance(k, _builtin_slice) or k.step is None or k.step > 0 for k in key):
        return x[key]
    key = _expand_key(key, x.dim())
    dim = 0
    for k in key:
        if k is None:
            x = x.unsqueeze(dim)
            dim += 1
        elif isinstance(k, int):
            x = x.select(dim, k)
        else:
            idx = range(x.shape[dim])[k]
            x = x.index_select(dim, torch.as_tensor(list(idx), dtype=torch.long, device=x.device))
            dim += 1
    return x


def _strided_slice_shape(op):
    shape, key = op.inputs[0].get_shape(), op.get_attr("key")
    if shape.ndims is None:
        return [unknown_shape()]
    dims = shape.as_list()
    key = _expand_key(key, len(dims))
    out, dim = [], 0
    for k in key:
        if k is None:
            out.append(1)
            continue
        if dim >= len(dims):
            raise ValueError(f"Index out of range: too many indices for shape {shape}")
        n = dims[dim]
        if isinstance(k, int):
            if n is not None and not -n <= k < n:
                raise ValueError(f"slice index {k} of dimension {dim} out of bounds.")
        else:
            out.append(None if n is None else len(range(n)[k]))
        dim += 1
    return [TensorShape(out)]


def _strided_slice_grad(op, grad):
    """Returns zeros_like(x) with grad scattered into x[key]."""
    return apply_op("StridedSliceGrad", [grad, op.inputs[0]], {"key": op.get_attr("key")})


register_op("StridedSlice", kernel=_getitem_kernel, shape=_strided_slice_shape,
            grad=_strided_slice_grad)


def _strided_slice_grad_kernel(g, x, key):
    out = torch.zeros_like(x, dtype=g.dtype)
    if all(not isinstance(k, _builtin_slice) or k.step is None or k.step > 0 for k in key):
        out[tuple(k for k in key if k is not None)] = g.reshape(
            out[tuple(k for k in key if k is not None)].shape)
        return out
    flat_index = _getitem_kernel(torch.arange(x.numel(), device=x.device).reshape(x.shape), key)
    out.view(-1).index_put_((flat_index.reshape(-1),), g.reshape(-1), accumulate=True)
    return out


def _strided_slice_grad_grad(op, grad):
    """Returns x_grad[key], None."""
    return strided_slice(grad, op.get_attr("key")), None


register_op("StridedSliceGrad", kernel=_strided_slice_grad_kernel,
            shape=lambda op: [op.inputs[1].get_shape()], grad=_strided_slice_grad_grad)


def strided_slice(input_, key, name="strided_slice"):
    """``input_[key]`` with numpy indexing (ints, slices with any step, newaxis, Ellipsis)."""
    return apply_op("StridedSlice", [_t(input_)], {"key": _normalize_key(key)}, name=name)


def _getitem(tensor, key):
    return strided_slice(tensor, key)


def slice(input_, begin, size, name=None):  # noqa: A001
    """The part of ``input_`` starting at ``begin`` of size ``size`` (-1: to the end)."""
    key = tuple(_builtin_slice(b, None if s == -1 else b + s)
                for b, s in zip([int(b) for b in begin], [int(s) for s in size]))
    return strided_slice(input_, key, name=name or "Slice")




# --- Gather ----------------------------------------------------------------------

def _gather_kernel(params, indices, axis):
    idx = indices.long()
    out = params.index_select(axis, idx.reshape(-1))
    return out.reshape(params.shape[:axis] + idx.shape + params.shape[axis + 1:])


def _gather_shape(op):
    p, i, axis = op.inputs[0].get_shape(), op.inputs[1].get_shape(), op.get_attr("axis")
    if p.ndims is None or i.ndims is None:
        return [unknown_shape()]
    dims = p.as_list()
    axis = axis % len(dims)
    return [TensorShape(dims[:axis] + i.as_list() + dims[axis + 1:])]


def _gather_grad(op, grad):
    """Returns scatter_add(zeros_like(params), indices, grad), None."""
    params, indices = op.inputs
    return apply_op("GatherGrad", [grad, indices, params], {"axis": op.get_attr("axis")}), None


register_op("GatherV2", kernel=_gather_kernel, shape=_gather_shape, grad=_gather_grad)


def _gather_grad_kernel(g, indices, params, axis):
    idx = indices.long().reshape(-1)
    g = g.reshape(params.shape[:axis] + (idx.numel(),) + params.shape[axis + 1:])
    return torch.zeros_like(params, dtype=g.dtype).index_add(axis, idx, g)


def _gather_grad_grad(op, grad):
    """Returns gather(grad, indices), None, None."""
    return gather(grad, op.inputs[1], axis=op.get_attr("axis")), None, None


register_op("GatherGrad", kernel=_gather_grad_kernel, shape=lambda op: [op.inputs[2].get_shape()],
            grad=_gather_grad_grad)


def gather(params, indices, validate_indices=None, name=None, axis=0):
    """Gather slices of ``params`` along ``axis`` at ``indices``."""
    return apply_op("GatherV2", [_t(params), _t(indices)], {"axis": int(axis)},
                    name=name or "GatherV2")


# --- Tile / Pad / Reverse ----------------------------------------------------------

def _tile_shape(op):
    shape, mult = op.inputs[0].get_shape(), op.get_attr("multiples")
    if shape.ndims is None:
        return [unknown_shape(len(mult))]
    return [TensorShape([None if d is None else d * m for d, m in zip(shape.as_list(), mult)])]


def _tile_grad(op, grad):
    """Returns the sum of grad over the tiled copies."""
    return apply_op("TileGrad", [grad, op.inputs[0]], {"multiples": op.get_attr("multiples")})


register_op("Tile", kernel=lambda x, multiples: x.repeat(*multiples), shape=_tile_shape,
            grad=_tile_grad)


def _tile_grad_kernel(g, x, multiples):
    split_shape = []
    for m, d in zip(multiples, x.shape):
        split_shape += [m, d]
    return g.reshape(split_shape).sum(dim=tuple(range(0, 2 * x.dim(), 2)))


register_op("TileGrad", kernel=_tile_grad_kernel, shape=lambda op: [op.inputs[1].get_shape()],
            grad=lambda op, grad: (tile(grad, op.get_attr("multiples")), None))


def tile(input, multiples, name=None):  # noqa: A002
    """Repeat ``input`` ``multiples[i]`` times along dimension ``i``."""
    return apply_op("Tile", [_t(input)], {"multiples": [int(m) for m in multiples]},
                    name=name or "Tile")


def _pad_kernel(x, paddings, mode, constant_values):
    flat = [int(p) for pair in reversed(paddings) for p in pair]
    if mode == "CONSTANT":
        return torch.nn.functional.pad(x, flat, value=constant_values)
    torch_mode = {"REFLECT": "reflect", "SYMMETRIC": "replicate"}[mode]
    return torch.nn.functional.pad(x, flat, mode=torch_mode)


def _pad_shape(op):
    shape, paddings = op.inputs[0].get_shape(), op.get_attr("paddings")
    if shape.ndims is None:
        return [unknown_shape(len(paddings))]
    return [TensorShape([None if d is None else d + a + b
                         for d, (a, b) in zip(shape.as_list(), paddings)])]


def _pad_grad(op, grad):
    """Returns grad with the padding cut off."""
    if op.get_attr("mode") != "CONSTANT":
        raise LookupError(f"No gradient defined for operation '{op.name}' (op type: Pad, "
                          f"mode {op.get_attr('mode')})")
    key = tuple(_builtin_slice(a, (-b) if b else None) for a, b in op.get_attr("paddings"))
    return strided_slice(grad, key)


register_op("Pad", kernel=_pad_kernel, shape=_pad_shape, grad=_pad_grad)


def pad(tensor, paddings, mode="CONSTANT", name=None, constant_values=0):
    """Pad ``tensor`` with ``paddings[i] = [before, after]`` along each dimension."""
    paddings = [[int(a), int(b)] for a, b in np.asarray(paddings).reshape(-1, 2)]
    return apply_op("Pad", [_t(tensor)], {"paddings": paddings, "mode": mode.upper(),
                                          "constant_values": constant_values}, name=name or "Pad")


register_op("ReverseV2", kernel=lambda x, axis: torch.flip(x, axis), shape=unchanged_shape,
            grad=lambda op, grad: reverse(grad, op.get_attr("axis")))


def reverse(tensor, axis, name=None):
    """Reverse ``tensor`` along the dimensions in ``axis``."""
    axis = [int(axis)] if np.isscalar(axis) else [int(a) for a in axis]
    return apply_op("ReverseV2", [_t(tensor)], {"axis": axis}, name=name or "ReverseV2")


# --- Where / Select -----------------------------------------------------------------

def _select_shape(op):
    from .._framework.op_util import broadcast_static

    c, x, y = (t.get_shape() for t in op.inputs)
    return [broadcast_static(broadcast_static(c, x), y)]


def _select_grad(op, grad):
    """Returns None, where(c, grad, 0), where(c, 0, grad) (each summed to its input's shape)."""
    from .math_ops import unbroadcast

    c, x, y = op.inputs
    zero = constant(0, dtype=grad.dtype)
    return (None, unbroadcast(where(c, grad, zero), x), unbroadcast(where(c, zero, grad), y))


register_op("Select", kernel=torch.where, shape=_select_shape, grad=_select_grad)


def _where_indices_factory(op, ctx):
    return lambda c: torch.nonzero(c).to(torch.int64)


register_op("Where", kernel_factory=_where_indices_factory,
            shape=lambda op: [TensorShape([None, op.inputs[0].get_shape().ndims])])
not_differentiable("Where")


def where(condition, x=None, y=None, name=None):
    """Elements of ``x`` where ``condition`` else of ``y``; with only ``condition``,
    the coordinates of its true elements (int64, shape [n, rank])."""
    condition = _t(condition)
    if x is None and y is None:
        return apply_op("Where", [condition], name=name or "Where", dtypes=[_dtypes.int64])
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")
    x = _t(x)
    y = _t(y, x.dtype)
    return apply_op("Select", [condition, x, y], name=name or "Select", dtypes=[x.dtype])


# --- Fill, zeros, ones, one_hot ---------------------------------------------------------

def _fill_factory(op, ctx):
    dims = op.get_attr("dims")
    return lambda value: value.expand(dims).clone() if dims is not None else value


def _fill_dyn_kernel(dims, value):
    return value.expand([int(d) for d in dims.tolist()]).clone()


def _fill_grad(op, grad):
    """Returns reduce_sum(grad) for the value (None for dims)."""
    from .math_ops import reduce_sum

    return [None] * (len(op.inputs) - 1) + [reduce_sum(grad)]


register_op("Fill", kernel_factory=_fill_factory,
            shape=lambda op: [TensorShape(op.get_attr("dims"))], grad=_fill_grad)
register_op("FillDynamic", kernel=_fill_dyn_kernel, shape=lambda op: [unknown_shape()],
            grad=_fill_grad)


def fill(dims, value, name=None):
    """A tensor of shape ``dims`` filled with ``value``."""
    value = _t(value)
    if isinstance(dims, Tensor):
        return apply_op("FillDynamic", [dims, value], name=name or "Fill", dtypes=[value.dtype])
    return apply_op("Fill", [value], {"dims": [int(d) for d in dims]}, name=name or "Fill")


def zeros(shape, dtype=_dtypes.float32, name=None):
    """A tensor of zeros."""
    dtype = _dtypes.as_dtype(dtype)
    if isinstance(shape, Tensor):
        return fill(shape, constant(0, dtype=dtype), name=name or "zeros")
    shape = [int(s) for s in np.asarray(shape).reshape(-1)] if not np.isscalar(shape) else [shape]
    return constant(np.zeros(shape, dtype=dtype.as_numpy_dtype), dtype=dtype, name=name or "zeros")


def ones(shape, dtype=_dtypes.float32, name=None):
    """A tensor of ones."""
    dtype = _dtypes.as_dtype(dtype)
    if isinstance(shape, Tensor):
        return fill(shape, constant(1, dtype=dtype), name=name or "ones")
    shape = [int(s) for s in np.asarray(shape).reshape(-1)] if not np.isscalar(shape) else [shape]
    return constant(np.ones(shape, dtype=dtype.as_numpy_dtype), dtype=dtype, name=name or "ones")


def _like_kernel(fill_value):
    def kernel(x, dtype):
        return torch.full_like(x, fill_value, dtype=dtype.as_torch_dtype)
    return kernel


register_op("ZerosLike", kernel=_like_kernel(0), shape=unchanged_shape)
register_op("OnesLike", kernel=_like_kernel(1), shape=unchanged_shape)
not_differentiable("ZerosLike")
not_differentiable("OnesLike")


def zeros_like(tensor, dtype=None, name=None, optimize=True):
    """Zeros with the shape of ``tensor``."""
    tensor = _t(tensor)
    dtype = tensor.dtype if dtype is None else _dtypes.as_dtype(dtype)
    return apply_op("ZerosLike", [tensor], {"dtype": dtype}, name=name or "zeros_like",
                    dtypes=[dtype])


def ones_like(tensor, dtype=None, name=None, optimize=True):
    """Ones with the shape of ``tensor``."""
    tensor = _t(tensor)
    dtype = tensor.dtype if dtype is None else _dtypes.as_dtype(dtype)
    return apply_op("OnesLike", [tensor], {"dtype": dtype}, name=name or "ones_like",
                    dtypes=[dtype])


def _one_hot_factory(op, ctx):
    """Rows of a (depth + 1) x depth table; the last row (off values) serves bad indices."""
    depth, on, off, axis = (op.get_attr(k) for k in ("depth", "on_value", "off_value", "axis"))
    dtype = op.get_attr("dtype").as_torch_dtype
    table = torch.full((depth + 1, depth), off, dtype=torch.float64)
    table[torch.arange(depth), torch.arange(depth)] = on
    table = table.to(device=ctx.device, dtype=dtype)

    def run(indices):
        out = table[indices.long().clamp(-1, depth)]  # -1 and depth both pick the last row
        return out if axis == -1 else out.movedim(-1, axis)
    return run


def _one_hot_shape(op):
    shape, depth, axis = op.inputs[0].get_shape(), op.get_attr("depth"), op.get_attr("axis")
    if shape.ndims is None:
        return [unknown_shape()]
    dims = shape.as_list()
    axis = len(dims) if axis == -1 else axis
    return [TensorShape(dims[:axis] + [depth] + dims[axis:])]


register_op("OneHot", kernel_factory=_one_hot_factory, shape=_one_hot_shape)
not_differentiable("OneHot")


def one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype=None, name=None):
    """One-hot encode ``indices`` into a new dimension of size ``depth``."""
    dtype = _dtypes.float32 if dtype is None else _dtypes.as_dtype(dtype)
    attrs = {"depth": int(depth), "on_value": 1 if on_value is None else on_value,
             "off_value": 0 if off_value is None else off_value,
             "axis": -1 if axis is None else int(axis), "dtype": dtype}
    return apply_op("OneHot", [_t(indices)], attrs, name=name or "one_hot", dtypes=[dtype])


# --- gradient helpers ------------------------------------------------------------

def _broadcast_like_grad(op, grad):
    """Returns sum_to_shape(grad, x), None."""
    from .math_ops import unbroadcast

    return unbroadcast(grad, op.inputs[0]), None


register_op("BroadcastLike", kernel=lambda x, like: x.expand_as(like),
            shape=lambda op: [op.inputs[1].get_shape()], grad=_broadcast_like_grad)


def broadcast_like(x, like, name=None):
    """Broadcast ``x`` to the dynamic shape of ``like`` (gradient helper)."""
    return apply_op("BroadcastLike", [x, like], name=name or "BroadcastLike")


Tensor._override_operator("__getitem__", _getitem)
