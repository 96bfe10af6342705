"""Math ops: element-wise arithmetic, comparisons, reductions, matrix ops.

Binary gradients sum their result down to each input's shape with the one
helper :func:`unbroadcast` (the only broadcast-reduction code in flow).

>>> import learnflow.flow as tf
>>> with tf.Session(graph=tf.Graph()) as sess, sess.graph.as_default():
...     x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
...     print(sess.run(tf.reduce_sum(x * 2 + 1, axis=0)))
[10. 14.]
"""

# SPDX-License-Identifier: BSD-3-Clause

import builtins

import numpy as np
import torch

from .._framework import dtypes as _dtypes
from .._framework.op_util import apply_op, broadcast_shape, normalize_axes, unchanged_shape
from .._framework.ops import Tensor, convert_to_tensor
from .._framework.registry import not_differentiable, register_op
from .._framework.tensor_shape import TensorShape, unknown_shape
from . import array_ops
from .array_ops import broadcast_like, cast, zeros_like

__all__ = [
    "abs", "add", "add_n", "argmax", "argmin", "ceil", "cos", "divide", "equal", "exp", "floor",
    "floordiv", "greater", "greater_equal", "less", "less_equal", "log", "log1p",
    "logical_and", "logical_not", "logical_or", "logical_xor", "matmul", "matrix_determinant",
    "matrix_inverse", "maximum", "minimum", "mod", "multiply", "negative", "not_equal", "pow",
    "range", "reciprocal", "reduce_all", "reduce_any", "reduce_max", "reduce_mean", "reduce_min",
    "reduce_prod", "reduce_sum", "round", "rsqrt", "sigmoid", "sign", "sin", "sqrt", "square",
    "squared_difference", "subtract", "tan", "tanh", "truediv", "unbroadcast", "where",
]


def _t(x, dtype=None):
    return convert_to_tensor(x, dtype=dtype)


def _binary_inputs(x, y, op_name):
    """Convert both operands; Python/numpy values take the other operand's dtype."""
    if isinstance(x, Tensor) or hasattr(x, "_as_graph_element"):
        x = _t(x)
        y = _t(y, x.dtype) if not hasattr(y, "_as_graph_element") else _t(y)
    elif isinstance(y, Tensor) or hasattr(y, "_as_graph_element"):
        y = _t(y)
        x = _t(x, y.dtype)
    else:
        x = _t(x)
        y = _t(y, x.dtype)
    if x.dtype is not y.dtype:
        raise TypeError(
            f"Input 'y' of '{op_name}' Op has type {y.dtype.name} that does not match type "
            f"{x.dtype.name} of argument 'x'.")
    return x, y


# --- the one broadcast-reduction helper --------------------------------------------

def _covers(x, other):
    """True when broadcasting ``x`` with ``other`` never changes ``x``'s shape."""
    xs, os_ = x.get_shape(), other.get_shape()
    if xs.ndims is None or os_.ndims is None or os_.ndims > xs.ndims:
        return False
    for a, b in zip(xs.as_list()[::-1], os_.as_list()[::-1]):
        if not (b == 1 or (a is not None and a == b)):
            return False
    return True


def unbroadcast(grad, x, other=None):
    """Sum ``grad`` down to the shape of ``x`` (undoing numpy broadcasting).

    ``other`` is the op's other operand: when broadcasting against it can never
    change ``x``'s shape, ``grad`` already has that shape and is returned as is.
    """
    if grad is None:
        return None
    gs, xs = grad.get_shape(), x.get_shape()
    if gs.is_fully_defined() and xs.is_fully_defined() and gs == xs:
        return grad
    if other is not None and _covers(x, other):
        return grad
    return apply_op("SumToLike", [grad, x], name="SumToLike")


def _sum_to_kernel(g, x):
    if g.shape == x.shape:
        return g
    return g.sum_to_size(x.shape) if g.dim() >= x.dim() else g.expand_as(x)


register_op("SumToLike", kernel=_sum_to_kernel, shape=lambda op: [op.inputs[1].get_shape()],
            grad=lambda op, grad: (broadcast_like(grad, op.inputs[0]), None))


# --- unary ops -------------------------------------------------------------------------

def _unary(op_type, kernel, grad, doc):
    register_op(op_type, kernel=kernel, shape=unchanged_shape, grad=grad)

    def wrapper(x, name=None):
        return apply_op(op_type, [_t(x)], name=name or op_type)

    wrapper.__doc__ = doc
    return wrapper


negative = _unary("Neg", torch.neg, lambda op, g: -g, "Returns -x element-wise.")
abs = _unary("Abs", torch.abs, lambda op, g: g * sign(op.inputs[0]),  # noqa: A001
             "Returns |x|; gradient grad * sign(x).")
sign = _unary("Sign", torch.sign, None, "Returns the sign of x (no gradient).")
round = _unary("Round", lambda x: torch.round(x), None,  # noqa: A001
               "Rounds half to even (no gradient).")
floor = _unary("Floor", torch.floor, None, "Returns floor(x) (no gradient).")
ceil = _unary("Ceil", torch.ceil, None, "Returns ceil(x) (no gradient).")
square = _unary("Square", torch.square, lambda op, g: g * (2.0 * op.inputs[0]),
                "Returns x * x; gradient grad * 2x.")
sqrt = _unary("Sqrt", torch.sqrt, lambda op, g: g / (2.0 * op.outputs[0]),
              "Returns sqrt(x); gradient grad / (2 y).")
rsqrt = _unary("Rsqrt", torch.rsqrt, lambda op, g: g * (-0.5 * op.outputs[0] ** 3),
               "Returns 1/sqrt(x); gradient -grad * y^3 / 2.")
exp = _unary("Exp", torch.exp, lambda op, g: g * op.outputs[0], "Returns e^x; gradient grad * y.")
log = _unary("Log", torch.log, lambda op, g: g / op.inputs[0], "Returns ln(x); gradient grad / x.")
log1p = _unary("Log1p", torch.log1p, lambda op, g: g / (1.0 + op.inputs[0]),
               "Returns ln(1 + x); gradient grad / (1 + x).")
sin = _unary("Sin", torch.sin, lambda op, g: g * cos(op.inputs[0]),
             "Returns sin(x); gradient grad * cos(x).")
cos = _unary("Cos", torch.cos, lambda op, g: -g * sin(op.inputs[0]),
             "Returns cos(x); gradient -grad * sin(x).")
tan = _unary("Tan", torch.tan, lambda op, g: g * (1.0 + square(op.outputs[0])),
             "Returns tan(x); gradient grad * (1 + y^2).")
tanh = _unary("Tanh", torch.tanh, lambda op, g: g * (1.0 - op.outputs[0] * op.outputs[0]),
              "Returns tanh(x); gradient grad * (1 - y^2).")
# NOTE: sigmoid is a primitive (not 1/(1+exp(-x))) for stability at large |x|.
sigmoid = _unary("Sigmoid", torch.sigmoid,
                 lambda op, g: g * (op.outputs[0] * (1.0 - op.outputs[0])),
                 "Returns 1/(1+e^-x); gradient grad * y * (1 - y).")
reciprocal = _unary("Reciprocal", torch.reciprocal, lambda op, g: -g * square(op.outputs[0]),
                    "Returns 1/x; gradient -grad * y^2.")
# --- binary ops -------------------------------------------------------------------------

def _binary(op_type, kernel, grad, doc, out_bool=False):
    register_op(op_type, kernel=kernel, shape=broadcast_shape, grad=grad)

    def wrapper(x, y, name=None):
        x, y = _binary_inputs(x, y, op_type)
        dtypes = [_dtypes.bool] if out_bool else None
        return apply_op(op_type, [x, y], name=name or op_type, dtypes=dtypes)

    wrapper.__doc__ = doc
    return wrapper


def _add_grad(op, grad):
    """Returns grad, grad (each summed to its input's shape)."""
    x, y = op.inputs
    return unbroadcast(grad, x, y), unbroadcast(grad, y, x)


def _sub_grad(op, grad):
    """Returns grad, -grad."""
    x, y = op.inputs
    return unbroadcast(grad, x, y), unbroadcast(-grad, y, x)


def _mul_grad(op, grad):
    """Returns grad * y, x * grad."""
    x, y = op.inputs
    return unbroadcast(grad * y, x, y), unbroadcast(x * grad, y, x)


def _div_grad(op, grad):
    """Returns grad / y, -grad * x / y^2."""
    x, y = op.inputs
    return unbroadcast(grad / y, x, y), unbroadcast(-grad * x / (y * y), y, x)


def _pow_grad(op, grad):
    """Returns grad * y * x^(y-1), grad * z * log(x) (0 where x <= 0)."""
    x, y = op.inputs
    z = op.outputs[0]
    gx = grad * y * pow(x, y - 1.0)
    safe_log = array_ops.where(greater(x, 0.0), log(array_ops.where(
        greater(x, 0.0), x, array_ops.ones_like(x))), zeros_like(x))
    return unbroadcast(gx, x, y), unbroadcast(grad * z * safe_log, y, x)


def _mod_grad(op, grad):
    """Returns grad, -grad * floor(x / y)."""
    x, y = op.inputs
    return unbroadcast(grad, x, y), unbroadcast(-grad * floor(x / y), y, x)


def _select_mask_grad(compare):
    def grad_fn(op, grad):
        """Returns grad where x wins the comparison, else to y."""
        x, y = op.inputs
        mask = compare(x, y)  # already of grad's (broadcast) shape
        zero = array_ops.constant(0, dtype=grad.dtype)
        gx = array_ops.where(mask, grad, zero)
        gy = array_ops.where(mask, zero, grad)
        return unbroadcast(gx, x, y), unbroadcast(gy, y, x)
    return grad_fn


def _floordiv_kernel(x, y):
    return torch.div(x, y, rounding_mode="floor")


def _truediv_kernel(x, y):
    return x / y


add = _binary("AddV2", torch.add, _add_grad, "Returns x + y element-wise (broadcasting).")
subtract = _binary("Sub", torch.sub, _sub_grad, "Returns x - y element-wise.")
multiply = _binary("Mul", torch.mul, _mul_grad, "Returns x * y element-wise.")
_realdiv = _binary("RealDiv", _truediv_kernel, _div_grad, "Returns x / y element-wise.")
floordiv = _binary("FloorDiv", _floordiv_kernel, None, "Returns floor(x / y) (no gradient).")
mod = _binary("FloorMod", torch.remainder, _mod_grad, "Returns x mod y with the sign of y.")
pow = _binary("Pow", torch.pow, _pow_grad, "Returns x ** y.")  # noqa: A001
maximum = _binary("Maximum", torch.maximum, _select_mask_grad(lambda x, y: greater_equal(x, y)),
                  "Returns max(x, y) element-wise; the gradient goes to x where x >= y.")
minimum = _binary("Minimum", torch.minimum, _select_mask_grad(lambda x, y: less_equal(x, y)),
                  "Returns min(x, y) element-wise; the gradient goes to x where x <= y.")
squared_difference = _binary(
    "SquaredDifference", lambda x, y: torch.square(x - y),
    lambda op, g: (unbroadcast(g * 2.0 * (op.inputs[0] - op.inputs[1]), op.inputs[0]),
                   unbroadcast(g * -2.0 * (op.inputs[0] - op.inputs[1]), op.inputs[1])),
    "Returns (x - y)^2.")
equal = _binary("Equal", torch.eq, None, "Returns x == y element-wise (bool).", out_bool=True)
not_equal = _binary("NotEqual", torch.ne, None, "Returns x != y (bool).", out_bool=True)
less = _binary("Less", torch.lt, None, "Returns x < y (bool).", out_bool=True)
less_equal = _binary("LessEqual", torch.le, None, "Returns x <= y (bool).", out_bool=True)
greater = _binary("Greater", torch.gt, None, "Returns x > y (bool).", out_bool=True)
greater_equal = _binary("GreaterEqual", torch.ge, None, "Returns x >= y (bool).", out_bool=True)
logical_and = _binary("LogicalAnd", torch.logical_and, None, "Returns x AND y.", out_bool=True)
logical_or = _binary("LogicalOr", torch.logical_or, None, "Returns x OR y.", out_bool=True)
logical_not = _unary("LogicalNot", torch.logical_not, None, "Returns NOT x.")


def logical_xor(x, y, name="LogicalXor"):
    """Returns (x OR y) AND NOT (x AND y)."""
    return logical_and(logical_or(x, y), logical_not(logical_and(x, y)), name=name)


def divide(x, y, name=None):
    """Returns x / y; integer inputs are divided as floats (Python 3 semantics)."""
    x, y = _binary_inputs(x, y, "RealDiv")
    if not x.dtype.is_floating:
        x, y = cast(x, _dtypes.float64), cast(y, _dtypes.float64)
    return _realdiv(x, y, name=name or "truediv")


truediv = divide


# --- n-ary -----------------------------------------------------------------------------

def _add_n_shape(op):
    shape = op.inputs[0].get_shape()
    for t in op.inputs[1:]:
        shape = shape.merge_with(t.get_shape())
    return [shape]


def _add_n_kernel(*xs):
    total = xs[0]
    for x in xs[1:]:
        total = total + x
    return total


register_op("AddN", kernel=_add_n_kernel, shape=_add_n_shape,
            grad=lambda op, grad: [grad] * len(op.inputs))


def add_n(inputs, name=None):
    """Sum a list of tensors of the same shape and dtype."""
    if not inputs:
        raise ValueError("inputs must be a non-empty list of tensors")
    inputs = [_t(x) for x in inputs]
    if len(inputs) == 1:
        return array_ops.identity(inputs[0], name=name)
    return apply_op("AddN", inputs, name=name or "AddN")


# --- matrix ops --------------------------------------------------------------------------

def _matmul_kernel(a, b, transpose_a, transpose_b):
    if transpose_a:
        a = a.mT
    if transpose_b:
        b = b.mT
    return torch.matmul(a, b)


def _matmul_shape(op):
    a, b = (t.get_shape() for t in op.inputs)
    ta, tb = op.get_attr("transpose_a"), op.get_attr("transpose_b")
    if a.ndims is None or b.ndims is None:
        return [unknown_shape()]
    a_dims, b_dims = a.as_list(), b.as_list()
    if len(a_dims) < 2 or len(b_dims) < 2:
        raise ValueError(f"Shape must be rank >= 2 for MatMul, got {a} and {b}")
    m, ka = (a_dims[-1], a_dims[-2]) if ta else (a_dims[-2], a_dims[-1])
    kb, n = (b_dims[-1], b_dims[-2]) if tb else (b_dims[-2], b_dims[-1])
    if ka is not None and kb is not None and ka != kb:
        raise ValueError(f"Dimensions must be equal, but are {ka} and {kb} for 'MatMul' "
                         f"with input shapes: {a}, {b}.")
    from .._framework.op_util import broadcast_static

    batch = broadcast_static(a_dims[:-2], b_dims[:-2]).as_list()
    return [TensorShape(batch + [m, n])]


def _matmul_grad(op, grad):
    """Returns grad @ b^T, a^T @ grad (with the transposes folded in)."""
    a, b = op.inputs
    ta, tb = op.get_attr("transpose_a"), op.get_attr("transpose_b")
    if not ta and not tb:
        ga, gb = matmul(grad, b, transpose_b=True), matmul(a, grad, transpose_a=True)
    elif not ta and tb:
        ga, gb = matmul(grad, b), matmul(grad, a, transpose_a=True)
    elif ta and not tb:
        ga, gb = matmul(b, grad, transpose_b=True), matmul(a, grad)
    else:
        ga = matmul(b, grad, transpose_a=True, transpose_b=True)
        gb = matmul(grad, a, transpose_a=True, transpose_b=True)
    if a.get_shape().ndims == 2 and b.get_shape().ndims == 2:
        return ga, gb  # plain matrix product: no batch broadcasting
    return unbroadcast(ga, a), unbroadcast(gb, b)


register_op("MatMul", kernel=_matmul_kernel, shape=_matmul_shape, grad=_matmul_grad)


def matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False,
           a_is_sparse=False, b_is_sparse=False, name=None):
    """Matrix product ``a @ b`` (batched over leading dimensions)."""
    a, b = _binary_inputs(a, b, "MatMul")
    attrs = {"transpose_a": bool(transpose_a or adjoint_a),
             "transpose_b": bool(transpose_b or adjoint_b)}
    return apply_op("MatMul", [a, b], attrs, name=name or "MatMul")


def _matrix_inverse_grad(op, grad):
    """Returns -inv(a)^T @ grad @ inv(a)^T."""
    ainv = op.outputs[0]
    return -matmul(ainv, matmul(grad, ainv, transpose_b=True), transpose_a=True)


register_op("MatrixInverse", kernel=torch.linalg.inv, shape=unchanged_shape,
            grad=_matrix_inverse_grad)


def matrix_inverse(input, adjoint=False, name=None):  # noqa: A002
    """The inverse of square matrices (batched)."""
    x = _t(input)
    result = apply_op("MatrixInverse", [x], name=name or "MatrixInverse")
    return array_ops.matrix_transpose(result) if adjoint else result


def _det_shape(op):
    shape = op.inputs[0].get_shape()
    return [unknown_shape() if shape.ndims is None else shape[:-2]]


def _det_grad(op, grad):
    """Returns grad * det(a) * inv(a)^T."""
    a, det = op.inputs[0], op.outputs[0]
    scale = array_ops.expand_dims(array_ops.expand_dims(grad * det, -1), -1)
    return scale * array_ops.matrix_transpose(matrix_inverse(a))


register_op("MatrixDeterminant", kernel=torch.linalg.det, shape=_det_shape, grad=_det_grad)


def matrix_determinant(input, name=None):  # noqa: A002
    """The determinant of square matrices (batched)."""
    return apply_op("MatrixDeterminant", [_t(input)], name=name or "MatrixDeterminant")


# --- reductions --------------------------------------------------------------------------

def _reduce_shape(op):
    shape, axis, keep = op.inputs[0].get_shape(), op.get_attr("axis"), op.get_attr("keepdims")
    if shape.ndims is None:
        return [unknown_shape()]
    axes = normalize_axes(axis, shape.ndims)
    dims = shape.as_list()
    if keep:
        return [TensorShape([1 if i in axes else d for i, d in enumerate(dims)])]
    return [TensorShape([d for i, d in enumerate(dims) if i not in axes])]


def _reduce_kernel(torch_fn):
    def kernel(x, axis, keepdims):
        if axis is None:
            out = torch_fn(x)
            return out.reshape([1] * x.dim()) if keepdims else out
        if not axis:
            return x
        return torch_fn(x, dim=axis, keepdim=keepdims)
    return kernel


def _minmax_kernel(torch_fn):
    def kernel(x, axis, keepdims):
        if axis is None:
            out = torch_fn(x)
            return out.reshape([1] * x.dim()) if keepdims else out
        return torch_fn(x, dim=tuple(axis), keepdim=keepdims)
    return kernel


def _broadcast_reduced_kernel(g, x, axis, keepdims, mean=False):
    count = g.numel()
    if not keepdims:
        axes = builtins.range(x.dim()) if axis is None else [a % x.dim() for a in axis]
        for a in sorted(axes):
            g = g.unsqueeze(a)
    if mean:
        g = g / (x.numel() // max(count, 1) if x.numel() else 1)
    return g.expand_as(x)


def _broadcast_reduced_grad(op, grad):
    """Returns reduce_sum (reduce_mean if mean) of grad over the broadcast axes, None."""
    kind = "Mean" if op.get_attr("mean") else "Sum"
    return _reduce(kind, grad, op.get_attr("axis"), op.get_attr("keepdims"), None), None


register_op("BroadcastReduced", kernel=_broadcast_reduced_kernel,
            shape=lambda op: [op.inputs[1].get_shape()], grad=_broadcast_reduced_grad)


def _broadcast_reduced(g, x, op, mean=False):
    return apply_op("BroadcastReduced", [g, x], {"axis": op.get_attr("axis"),
                                                  "keepdims": op.get_attr("keepdims"),
                                                  "mean": mean})


def _sum_grad(op, grad):
    """Returns grad broadcast back over the reduced axes."""
    return _broadcast_reduced(grad, op.inputs[0], op)


def _mean_grad(op, grad):
    """Returns grad broadcast back over the reduced axes / number of reduced elements."""
    return _broadcast_reduced(grad, op.inputs[0], op, mean=True)


def _minmax_grad(op, grad):
    """Returns grad split evenly among the elements equal to the extremum."""
    x, y = op.inputs[0], op.outputs[0]
    y_b = _broadcast_reduced(y, x, op)
    indicators = cast(equal(y_b, x), grad.dtype)
    counts = _reduce("Sum", indicators, op.get_attr("axis"), True, None)
    return _broadcast_reduced(grad, x, op) * indicators / broadcast_like(counts, x)


def _prod_grad(op, grad):
    """Returns grad * prod / x (inputs must be non-zero)."""
    x = op.inputs[0]
    return _broadcast_reduced(grad * op.outputs[0], x, op) / x


register_op("Sum", kernel=_reduce_kernel(torch.sum), shape=_reduce_shape, grad=_sum_grad)
def _mean(x, dim=None, keepdim=False):
    if x.is_floating_point():
        return torch.mean(x) if dim is None else torch.mean(x, dim=dim, keepdim=keepdim)
    total = torch.sum(x) if dim is None else torch.sum(x, dim=dim, keepdim=keepdim)
    count = x.numel() // max(total.numel(), 1)
    return torch.div(total, count, rounding_mode="trunc").to(x.dtype)  # integer mean, as TF


register_op("Mean", kernel=_reduce_kernel(_mean), shape=_reduce_shape, grad=_mean_grad)
register_op("Max", kernel=_minmax_kernel(torch.amax), shape=_reduce_shape, grad=_minmax_grad)
register_op("Min", kernel=_minmax_kernel(torch.amin), shape=_reduce_shape, grad=_minmax_grad)


def _prod_kernel(x, axis, keepdims):
    if axis is None:
        out = torch.prod(x)
        return out.reshape([1] * x.dim()) if keepdims else out
    for a in sorted(axis, reverse=True):
        x = torch.prod(x, dim=a, keepdim=keepdims)
    return x


register_op("Prod", kernel=_prod_kernel, shape=_reduce_shape, grad=_prod_grad)


def _bool_reduce_kernel(torch_fn):
    def kernel(x, axis, keepdims):
        if axis is None:
            out = torch_fn(x)
            return out.reshape([1] * x.dim()) if keepdims else out
        for a in sorted(axis, reverse=True):
            x = torch_fn(x, dim=a, keepdim=keepdims)
        return x
    return kernel


register_op("Any", kernel=_bool_reduce_kernel(torch.any), shape=_reduce_shape, grad=None)
register_op("All", kernel=_bool_reduce_kernel(torch.all), shape=_reduce_shape, grad=None)


def _reduce(op_type, x, axis, keepdims, name, dtypes=None):
    x = _t(x)
    ndims = x.get_shape().ndims
    if isinstance(axis, Tensor):
        raise TypeError(f"{op_type}: axis must be a Python int or list of ints")
    if axis is not None:
        axis = [int(a) for a in np.asarray(axis).reshape(-1)]
        if ndims is not None:
            axis = normalize_axes(axis, ndims)
    return apply_op(op_type, [x], {"axis": axis, "keepdims": bool(keepdims)},
                    name=name or op_type, dtypes=dtypes)


def _reduction(op_type, doc):
    def wrapper(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None,
                keep_dims=None):
        if axis is None:
            axis = reduction_indices
        keep = keepdims if keepdims is not None else bool(keep_dims)
        return _reduce(op_type, input_tensor, axis, keep, name)

    wrapper.__doc__ = doc + (
        "\n\n    ``axis`` (old spelling ``reduction_indices``) is an int or list of ints"
        "\n    (None: all axes); ``keepdims`` (old ``keep_dims``) keeps reduced axes as size 1.")
    return wrapper


reduce_sum = _reduction("Sum", "Sum of elements across dimensions.")
reduce_mean = _reduction("Mean", "Mean of elements across dimensions.")
reduce_max = _reduction("Max", "Maximum of elements across dimensions.")
reduce_min = _reduction("Min", "Minimum of elements across dimensions.")
reduce_prod = _reduction("Prod", "Product of elements across dimensions.")
reduce_any = _reduction("Any", "Logical OR across dimensions.")
reduce_all = _reduction("All", "Logical AND across dimensions.")


def _arg_kernel(torch_fn):
    def kernel(x, axis, output_type):
        return torch_fn(x, dim=axis).to(output_type.as_torch_dtype)
    return kernel


def _arg_shape(op):
    shape, axis = op.inputs[0].get_shape(), op.get_attr("axis")
    if shape.ndims is None:
        return [unknown_shape()]
    axis = axis % shape.ndims
    return [TensorShape([d for i, d in enumerate(shape.as_list()) if i != axis])]


register_op("ArgMax", kernel=_arg_kernel(torch.argmax), shape=_arg_shape, grad=None)
register_op("ArgMin", kernel=_arg_kernel(torch.argmin), shape=_arg_shape, grad=None)


def argmax(input, axis=None, name=None, dimension=None, output_type=_dtypes.int64):  # noqa: A002
    """Index of the largest value along ``axis`` (default 0)."""
    axis = dimension if axis is None else axis
    axis = 0 if axis is None else int(axis)
    dtype = _dtypes.as_dtype(output_type)
    return apply_op("ArgMax", [_t(input)], {"axis": axis, "output_type": dtype},
                    name=name or "ArgMax", dtypes=[dtype])


def argmin(input, axis=None, name=None, dimension=None, output_type=_dtypes.int64):  # noqa: A002
    """Index of the smallest value along ``axis`` (default 0)."""
    axis = dimension if axis is None else axis
    axis = 0 if axis is None else int(axis)
    dtype = _dtypes.as_dtype(output_type)
    return apply_op("ArgMin", [_t(input)], {"axis": axis, "output_type": dtype},
                    name=name or "ArgMin", dtypes=[dtype])


# --- range ---------------------------------------------------------------------------

def _range_factory(op, ctx):
    start, limit, delta, dtype = (op.get_attr(k) for k in ("start", "limit", "delta", "dtype"))
    out = torch.arange(start, limit, delta, device=ctx.device).to(dtype.as_torch_dtype)
    return lambda: out


register_op("Range", kernel_factory=_range_factory,
            shape=lambda op: [TensorShape([len(np.arange(op.get_attr("start"), op.get_attr(
                "limit"), op.get_attr("delta")))])])
not_differentiable("Range")


def _range_dynamic_kernel(start, limit, delta):
    return torch.arange(start.item(), limit.item(), delta.item(), device=start.device).to(
        start.dtype)


register_op("RangeDynamic", kernel=_range_dynamic_kernel, shape=lambda op: [TensorShape([None])])
not_differentiable("RangeDynamic")


def range(start, limit=None, delta=1, dtype=None, name="range"):  # noqa: A001
    """Numbers from ``start`` to ``limit`` (exclusive) by ``delta`` (numbers or scalar tensors)."""
    if limit is None:
        start, limit = 0, start
    values = (start, limit, delta)
    if any(hasattr(v, "_as_graph_element") for v in values):
        tensors = [_t(v) for v in values if hasattr(v, "_as_graph_element")]
        dtype = tensors[0].dtype if dtype is None else _dtypes.as_dtype(dtype)
        inputs = [cast(_t(v, None if hasattr(v, "_as_graph_element") else dtype), dtype)
                  for v in values]
        return apply_op("RangeDynamic", inputs, name=name, dtypes=[dtype])
    if dtype is None:
        dtype = _dtypes.float32 if any(isinstance(v, float) for v in values) else _dtypes.int32
    dtype = _dtypes.as_dtype(dtype)
    from .._framework.ops import get_default_graph

    op = get_default_graph().create_op("Range", [], dtypes=[dtype], name=name, attrs={
        "start": start, "limit": limit, "delta": delta, "dtype": dtype})
    return op.outputs[0]


def where(condition, x=None, y=None, name=None):
    """See :func:`array_ops.where`."""
    return array_ops.where(condition, x, y, name)


# --- operator overloading ---------------------------------------------------------------

def _r(fn):
    return lambda y, x: fn(x, y)


def _overload(cls):
    cls.__add__, cls.__radd__ = (lambda x, y: add(x, y, name="add")), _r(
        lambda x, y: add(x, y, name="add"))
    cls.__sub__, cls.__rsub__ = (lambda x, y: subtract(x, y, name="sub")), _r(
        lambda x, y: subtract(x, y, name="sub"))
    cls.__mul__, cls.__rmul__ = (lambda x, y: multiply(x, y, name="mul")), _r(
        lambda x, y: multiply(x, y, name="mul"))
    cls.__truediv__, cls.__rtruediv__ = divide, _r(divide)
    cls.__floordiv__, cls.__rfloordiv__ = (lambda x, y: floordiv(x, y, name="floordiv")), _r(
        lambda x, y: floordiv(x, y, name="floordiv"))
    cls.__mod__, cls.__rmod__ = (lambda x, y: mod(x, y, name="mod")), _r(
        lambda x, y: mod(x, y, name="mod"))
    cls.__pow__, cls.__rpow__ = (lambda x, y: pow(x, y, name="pow")), _r(
        lambda x, y: pow(x, y, name="pow"))
    cls.__matmul__, cls.__rmatmul__ = matmul, _r(matmul)
    cls.__neg__ = lambda x: negative(x, name="Neg")
    cls.__abs__ = lambda x: abs(x, name="Abs")
    cls.__lt__ = lambda x, y: less(x, y, name="Less")
    cls.__le__ = lambda x, y: less_equal(x, y, name="LessEqual")
    cls.__gt__ = lambda x, y: greater(x, y, name="Greater")
    cls.__ge__ = lambda x, y: greater_equal(x, y, name="GreaterEqual")
    cls.__and__, cls.__rand__ = logical_and, _r(logical_and)
    cls.__or__, cls.__ror__ = logical_or, _r(logical_or)
    cls.__xor__, cls.__rxor__ = logical_xor, _r(logical_xor)
    cls.__invert__ = logical_not


_overload(Tensor)
