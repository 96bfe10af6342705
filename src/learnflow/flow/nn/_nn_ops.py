"""``tf.nn``: activations, softmax, losses, dropout, normalization, top-k (Chapters 10-11).

Primitives are registered here with kernel, shape and gradient side by side;
everything else is a composition of flow ops (STYLE rule 7).

>>> import learnflow.flow as tf
>>> with tf.Session(graph=tf.Graph()) as sess, sess.graph.as_default():
...     print(sess.run(tf.nn.relu(tf.constant([-1.0, 2.0]))))
[0. 2.]
"""

# SPDX-License-Identifier: BSD-3-Clause

import torch
import torch.nn.functional as F

from .._framework import dtypes as _dtypes
from .._framework.op_util import apply_op, unchanged_shape
from .._framework.ops import convert_to_tensor, name_scope
from .._framework.registry import not_differentiable, register_op
from .._framework.tensor_shape import TensorShape, unknown_shape
from .._ops import array_ops, math_ops, random_ops

__all__ = [
    "batch_normalization", "bias_add", "dropout", "elu", "fused_batch_norm", "in_top_k", "l2_loss", "l2_normalize",
    "leaky_relu", "log_softmax", "moments", "relu", "relu6", "selu", "sigmoid",
    "sigmoid_cross_entropy_with_logits", "softmax", "softmax_cross_entropy_with_logits",
    "softmax_cross_entropy_with_logits_v2", "softplus", "softsign",
    "sparse_softmax_cross_entropy_with_logits", "tanh", "top_k", "xw_plus_b", "zero_fraction",
]

sigmoid = math_ops.sigmoid
tanh = math_ops.tanh


def _t(x, dtype=None):
    return convert_to_tensor(x, dtype=dtype)


def _positive_mask(x):
    return math_ops.greater(x, array_ops.zeros_like(x))


# --- activations: primitives -------------------------------------------------------------

def _relu_grad(op, grad):
    """Returns ReluGrad(grad, y): grad where y > 0, else 0."""
    return apply_op("ReluGrad", [grad, op.outputs[0]], name="ReluGrad")


# NOTE: a primitive, not maximum(x, 0): one fused kernel, and the gradient at 0 is 0 (not split).
register_op("Relu", kernel=torch.relu, shape=unchanged_shape, grad=_relu_grad)


def _relu_grad_grad(op, grad):
    """Returns ReluGrad(grad, y), zeros (the mask is piecewise constant in y)."""
    return (apply_op("ReluGrad", [grad, op.inputs[1]], name="ReluGrad"),
            array_ops.zeros_like(op.inputs[1]))


# NOTE: a primitive for speed, as TensorFlow's ReluGrad: one backward kernel instead of a
# mask, zeros and a select.
register_op("ReluGrad", kernel=lambda g, y: torch.ops.aten.threshold_backward(g, y, 0),
            shape=unchanged_shape, grad=_relu_grad_grad)


def _elu_grad(op, grad):
    """Returns EluGrad(grad, y): grad where y > 0, else grad * (y + 1)."""
    return apply_op("EluGrad", [grad, op.outputs[0]], name="EluGrad")


# NOTE: a primitive so that exp(x) - 1 is computed with expm1 (accurate near 0): torch's
# elu kernel does so.
register_op("Elu", kernel=F.elu, shape=unchanged_shape, grad=_elu_grad)


def _elu_grad_kernel(g, y):
    return torch.ops.aten.elu_backward(g, 1.0, 1.0, 1.0, True, y)


def _elu_grad_grad(op, grad):
    """Returns EluGrad(grad, y), grad * g where y <= 0 (else 0)."""
    g, y = op.inputs
    return (apply_op("EluGrad", [grad, y], name="EluGrad"),
            array_ops.where(_positive_mask(y), array_ops.zeros_like(grad), grad * g))


# NOTE: a primitive for speed, as TensorFlow's EluGrad (from the output y: exp(x) = y + 1 where
# x <= 0): one backward kernel instead of four ops.
register_op("EluGrad", kernel=_elu_grad_kernel, shape=unchanged_shape, grad=_elu_grad_grad)


def _softplus_grad(op, grad):
    """Returns grad * sigmoid(x)."""
    return grad * math_ops.sigmoid(op.inputs[0])


# NOTE: a primitive because log(1 + exp(x)) overflows for large x (torch's kernel does not).
register_op("Softplus", kernel=F.softplus, shape=unchanged_shape, grad=_softplus_grad)


def relu(features, name=None):
    """Returns max(features, 0)."""
    return apply_op("Relu", [_t(features)], name=name or "Relu")


def elu(features, name=None):
    """Returns features if > 0, else exp(features) - 1 (Equation 11-2 with alpha = 1)."""
    return apply_op("Elu", [_t(features)], name=name or "Elu")


def softplus(features, name=None):
    """Returns log(1 + exp(features))."""
    return apply_op("Softplus", [_t(features)], name=name or "Softplus")


# --- activations: compositions -----------------------------------------------------------

def relu6(features, name=None):
    """Returns min(max(features, 0), 6)."""
    with name_scope(name, "Relu6", [features]):
        return math_ops.minimum(relu(features), 6.0)


def leaky_relu(features, alpha=0.2, name=None):
    """Returns max(alpha * features, features) (the book's LeakyReLU_alpha)."""
    with name_scope(name, "LeakyRelu", [features]):
        features = _t(features)
        return math_ops.maximum(alpha * features, features)


_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def selu(features, name=None):
    """Returns scale * (features if > 0 else alpha * (exp(features) - 1))."""
    with name_scope(name, "Selu", [features]):
        features = _t(features)
        neg = _SELU_ALPHA * elu(features)
        return _SELU_SCALE * array_ops.where(_positive_mask(features), features, neg)


def softsign(features, name=None):
    """Returns features / (1 + |features|)."""
    with name_scope(name, "Softsign", [features]):
        features = _t(features)
        return features / (1.0 + math_ops.abs(features))


# --- softmax -----------------------------------------------------------------------------

def _softmax_grad(op, grad):
    """Returns (grad - sum(grad * y, axis)) * y."""
    y, axis = op.outputs[0], op.get_attr("axis")
    return (grad - math_ops.reduce_sum(grad * y, axis=axis, keepdims=True)) * y


def _log_softmax_grad(op, grad):
    """Returns grad - exp(y) * sum(grad, axis)."""
    y, axis = op.outputs[0], op.get_attr("axis")
    return grad - math_ops.exp(y) * math_ops.reduce_sum(grad, axis=axis, keepdims=True)


# NOTE: primitives (not exp(x) / sum(exp(x))): torch's kernels subtract the max for stability.
register_op("Softmax", kernel=lambda x, axis: torch.softmax(x, dim=axis), shape=unchanged_shape,
            grad=_softmax_grad)
register_op("LogSoftmax", kernel=lambda x, axis: torch.log_softmax(x, dim=axis),
            shape=unchanged_shape, grad=_log_softmax_grad)


def _softmax_axis(logits, axis, dim):
    axis = dim if axis is None else axis
    axis = -1 if axis is None else int(axis)
    ndims = logits.get_shape().ndims
    return axis % ndims if ndims else axis


def softmax(logits, axis=None, name=None, dim=None):
    """Returns exp(logits) / sum(exp(logits), axis) (``dim`` is the old spelling of ``axis``)."""
    logits = _t(logits)
    return apply_op("Softmax", [logits], {"axis": _softmax_axis(logits, axis, dim)},
                    name=name or "Softmax")


def log_softmax(logits, axis=None, name=None, dim=None):
    """Returns logits - log(sum(exp(logits), axis))."""
    logits = _t(logits)
    return apply_op("LogSoftmax", [logits], {"axis": _softmax_axis(logits, axis, dim)},
                    name=name or "LogSoftmax")


# --- cross-entropy losses ------------------------------------------------------------------

def _sparse_xent_kernel(logits, labels):
    return F.cross_entropy(logits, labels.long(), reduction="none")


def _sparse_xent_shape(op):
    shape = op.inputs[0].get_shape()
    return [unknown_shape() if shape.ndims is None else shape[:-1]]


def _sparse_xent_grad(op, grad):
    """Returns grad[:, None] * (softmax(logits) - one_hot(labels)), None."""
    logits, labels = op.inputs
    depth = logits.get_shape()[-1].value
    probs = softmax(logits)
    one_hot = array_ops.one_hot(labels, depth, dtype=logits.dtype)
    return array_ops.expand_dims(grad, -1) * (probs - one_hot), None


# NOTE: a primitive (fused log-softmax + pick) for speed and stability; the book's loss.
register_op("SparseSoftmaxCrossEntropyWithLogits", kernel=_sparse_xent_kernel,
            shape=_sparse_xent_shape, grad=_sparse_xent_grad)


def sparse_softmax_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None, name=None):
    """Per-example cross-entropy between integer ``labels`` (0..K-1) and ``logits`` (..., K)."""
    if _sentinel is not None or labels is None or logits is None:
        raise ValueError("Only call `sparse_softmax_cross_entropy_with_logits` with named "
                         "arguments (labels=..., logits=..., ...)")
    logits = _t(logits)
    labels = _t(labels)
    if labels.dtype.is_floating:
        raise TypeError(f"labels must be an integer tensor, got {labels.dtype.name}")
    if logits.get_shape().ndims != 2:
        shape = array_ops.shape(labels)
        flat = array_ops.reshape(logits, [-1, logits.get_shape()[-1].value])
        loss = apply_op("SparseSoftmaxCrossEntropyWithLogits",
                        [flat, array_ops.reshape(labels, [-1])], name=name or "xentropy")
        return array_ops.reshape(loss, shape)
    return apply_op("SparseSoftmaxCrossEntropyWithLogits", [logits, labels],
                    name=name or "SparseSoftmaxCrossEntropyWithLogits")


def softmax_cross_entropy_with_logits_v2(_sentinel=None, labels=None, logits=None, dim=-1,
                                         name=None, axis=None):
    """Returns -sum(labels * log_softmax(logits), axis) (gradient also flows into labels)."""
    if _sentinel is not None or labels is None or logits is None:
        raise ValueError("Only call `softmax_cross_entropy_with_logits` with named arguments "
                         "(labels=..., logits=..., ...)")
    axis = dim if axis is None else axis
    with name_scope(name, "softmax_cross_entropy_with_logits", [logits, labels]):
        logits = _t(logits)
        labels = _t(labels, logits.dtype)
        return -math_ops.reduce_sum(labels * log_softmax(logits, axis=axis), axis=axis)


def softmax_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None, dim=-1,
                                      name=None, axis=None):
    """As the ``_v2`` version, with no gradient into ``labels`` (TensorFlow 1's behaviour)."""
    if labels is not None:
        labels = array_ops.stop_gradient(_t(labels))
    return softmax_cross_entropy_with_logits_v2(_sentinel, labels, logits, dim, name, axis)


def sigmoid_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None, name=None):
    """Returns max(x, 0) - x * z + log(1 + exp(-|x|)) (x logits, z labels): stable form."""
    if _sentinel is not None or labels is None or logits is None:
        raise ValueError("Only call `sigmoid_cross_entropy_with_logits` with named arguments "
                         "(labels=..., logits=..., ...)")
    with name_scope(name, "logistic_loss", [logits, labels]):
        logits = _t(logits)
        labels = _t(labels, logits.dtype)
        return relu(logits) - logits * labels + softplus(-math_ops.abs(logits))


# --- dropout -----------------------------------------------------------------------------

def dropout(x, keep_prob=None, noise_shape=None, seed=None, name=None, rate=None):
    """Zero each element with probability ``1 - keep_prob``; scale the others by 1/keep_prob.

    Give ``keep_prob`` (TensorFlow 1.x) or ``rate = 1 - keep_prob``; either may be a
    tensor. ``noise_shape`` broadcasts one keep/drop decision over dimensions of size 1.
    """
    if (keep_prob is None) == (rate is None):
        raise ValueError("Give exactly one of keep_prob and rate.")
    with name_scope(name, "dropout", [x]):
        x = _t(x)
        if rate is not None:
            keep_prob = 1.0 - _t(rate, x.dtype) if hasattr(rate, "_as_graph_element") else (
                1.0 - rate)
        if not hasattr(keep_prob, "_as_graph_element"):
            if not 0.0 < float(keep_prob) <= 1.0:
                raise ValueError(f"keep_prob must be a scalar tensor or a float in the range "
                                 f"(0, 1], got {keep_prob}")
            if float(keep_prob) == 1.0:
                return x
        keep_prob = _t(keep_prob, x.dtype)
        shape = array_ops.shape(x) if noise_shape is None else noise_shape
        uniform = random_ops.random_uniform(shape, seed=seed, dtype=x.dtype)
        mask = math_ops.floor(keep_prob + uniform)  # 1 with probability keep_prob
        return x / keep_prob * mask


# --- losses and normalization ---------------------------------------------------------------

def l2_loss(t, name=None):
    """Returns sum(t ** 2) / 2."""
    with name_scope(name, "L2Loss", [t]):
        return math_ops.reduce_sum(math_ops.square(t)) / 2.0


def l2_normalize(x, axis=None, epsilon=1e-12, name=None, dim=None):
    """Returns x / sqrt(max(sum(x ** 2, axis), epsilon))."""
    axis = dim if axis is None else axis
    with name_scope(name, "l2_normalize", [x]):
        x = _t(x)
        square_sum = math_ops.reduce_sum(math_ops.square(x), axis=axis, keepdims=True)
        return x * math_ops.rsqrt(math_ops.maximum(square_sum, epsilon))


def moments(x, axes, shift=None, name=None, keep_dims=False, keepdims=None):
    """Returns (mean, variance) of ``x`` over ``axes`` (biased variance, as Equation 11-3)."""
    keep = keep_dims if keepdims is None else keepdims
    with name_scope(name, "moments", [x]):
        x = _t(x)
        mean = math_ops.reduce_mean(x, axis=axes, keepdims=True)
        # no stop_gradient on the mean (TF has one): it would break second derivatives
        variance = math_ops.reduce_mean(math_ops.squared_difference(x, mean), axis=axes,
                                        keepdims=True)
        if not keep:
            mean = array_ops.squeeze(mean, axis=list(axes))
            variance = array_ops.squeeze(variance, axis=list(axes))
        return mean, variance


def batch_normalization(x, mean, variance, offset, scale, variance_epsilon, name=None):
    """Returns scale * (x - mean) / sqrt(variance + eps) + offset (None: no scale / offset)."""
    with name_scope(name, "batchnorm", [x, mean, variance, offset, scale]):
        x = _t(x)
        inv = math_ops.rsqrt(_t(variance, x.dtype) + variance_epsilon)
        if scale is not None:
            inv = inv * _t(scale, x.dtype)
        shift = -_t(mean, x.dtype) * inv
        if offset is not None:
            shift = shift + _t(offset, x.dtype)
        return x * inv + shift


# --- fused batch normalization (TensorFlow's FusedBatchNorm) ----------------------------------

def _fused_bn_kernel(x, scale, offset, epsilon, bessel):
    """y, batch mean, batch variance (Bessel-corrected if ``bessel``), mean, 1/sqrt(var + eps).

    Normalizes over every axis but the last (NHWC), with torch's batch-norm kernel.
    """
    flat = x.reshape(-1, x.shape[-1])
    y, mean, invstd = torch.native_batch_norm(flat, scale, offset, None, None, True, 0.0,
                                              epsilon)
    var = invstd.pow(-2).sub_(epsilon).clamp_(min=0)  # biased variance (cheaper than torch.var)
    if bessel:
        n = flat.shape[0]
        var = var.mul_(n / max(n - 1, 1))
    return y.reshape(x.shape), mean, var, mean, invstd


def _fused_bn_shape(op):
    x = op.inputs[0].get_shape()
    c = TensorShape([None]) if x.ndims is None else TensorShape([x[-1].value])
    return [x, c, c, c, c]


def _fused_bn_grad(op, dy, dmean, dvar, dres_mean, dres_invstd):
    """Returns FusedBatchNormGrad(dy, ...) plus the paths through the batch statistics."""
    x, scale, offset = op.inputs
    _, mean, _, res_mean, invstd = op.outputs
    epsilon, bessel = op.get_attr("epsilon"), op.get_attr("bessel")
    if dy is not None:
        dx, dscale, doffset = apply_op("FusedBatchNormGrad", [dy, x, scale, res_mean, invstd],
                                       {"epsilon": epsilon}, name="FusedBatchNormGrad",
                                       dtypes=[x.dtype] * 3)
    else:
        dx, dscale, doffset = None, None, None
    if dmean is None and dvar is None and dres_mean is None and dres_invstd is None:
        return dx, dscale, doffset
    n = math_ops.cast(array_ops.size(x) // array_ops.size(mean), x.dtype)
    extra = []
    if dres_invstd is not None:  # invstd = (biased var + eps) ** -1/2
        dvar_biased = -0.5 * dres_invstd * invstd * invstd * invstd
        extra.append(2.0 * (x - mean) * dvar_biased / n)
    for g in (dmean, dres_mean):
        if g is not None:
            extra.append(array_ops.zeros_like(x) + g / n)
    if dvar is not None:
        denom = n - 1.0 if bessel else n
        extra.append(2.0 * (x - mean) * dvar / denom)
    dx = math_ops.add_n(([dx] if dx is not None else []) + extra)
    return dx, dscale, doffset


# NOTE: a primitive for speed, as TensorFlow's FusedBatchNorm: one torch kernel forward and
# one backward (FusedBatchNormGrad) instead of about 15 and 40 small ops per layer; the
# second derivatives come from the composed formula (``_fused_bn_grad_grad``).
register_op("FusedBatchNorm", kernel=_fused_bn_kernel, shape=_fused_bn_shape,
            grad=_fused_bn_grad)


def _fused_bn_grad_kernel(dy, x, scale, mean, invstd, epsilon):
    flat = x.reshape(-1, x.shape[-1])
    dx, dscale, doffset = torch.ops.aten.native_batch_norm_backward(
        dy.reshape(flat.shape), flat, scale, None, None, mean, invstd, True, epsilon,
        [True, True, True])
    return dx.reshape(x.shape), dscale, doffset


def _fused_bn_grad_grad(op, g_dx, g_dscale, g_doffset):
    """Returns the second derivatives from the batch-norm formula written in graph ops.

    The batch statistics are recomputed from x, so the mean and 1/std inputs get None.
    """
    from .._gradients import gradients

    dy, x, scale = op.inputs[:3]
    ndims = x.get_shape().ndims
    axes = list(range(ndims - 1))
    mean = math_ops.reduce_mean(x, axis=axes)
    var = math_ops.reduce_mean(math_ops.squared_difference(x, mean), axis=axes)
    y = (x - mean) * (math_ops.rsqrt(var + op.get_attr("epsilon")) * scale)
    # partial derivatives: dy, x and scale are independent inputs here, even when the
    # graph makes one a function of another (dy = f(y(x)) in a Hessian, say)
    dx, dscale = gradients(y, [x, scale], grad_ys=[dy], stop_gradients=[x, scale])
    doffset = math_ops.reduce_sum(dy, axis=axes)
    pairs = [(t, g) for t, g in zip((dx, dscale, doffset), (g_dx, g_dscale, g_doffset))
             if g is not None]
    if not pairs:
        return None, None, None, None, None
    d_dy, d_x, d_scale = gradients([t for t, _ in pairs], [dy, x, scale],
                                   grad_ys=[g for _, g in pairs], stop_gradients=[dy, x, scale])
    return d_dy, d_x, d_scale, None, None


register_op("FusedBatchNormGrad", kernel=_fused_bn_grad_kernel,
            shape=lambda op: [op.inputs[1].get_shape(), op.inputs[2].get_shape(),
                              op.inputs[2].get_shape()], grad=_fused_bn_grad_grad)


def fused_batch_norm(x, scale, offset, mean=None, variance=None, epsilon=0.001,
                     data_format="NHWC", is_training=True, name=None):
    """Batch normalization over every axis but the last, as one op.

    Parameters
    ----------
    x : Tensor of shape (..., C)
    scale, offset : Tensor of shape (C,)
        gamma and beta.
    mean, variance : Tensor of shape (C,), default=None
        The statistics to use when ``is_training`` is False.
    epsilon : float, default=0.001
    data_format : {"NHWC"}
        Features on the last axis.
    is_training : bool, default=True
        Normalize with the batch's statistics.

    Returns
    -------
    (y, batch_mean, batch_variance)
        In training the statistics are the batch's and, as in TensorFlow,
        ``batch_variance`` has Bessel's correction (n / (n - 1)); otherwise
        ``mean`` and ``variance`` are returned.
    """
    if data_format != "NHWC":
        raise ValueError(f"fused_batch_norm supports data_format='NHWC' only, got "
                         f"{data_format!r}")
    x = _t(x)
    with name_scope(name, "FusedBatchNorm", [x, scale, offset]):
        scale, offset = _t(scale, x.dtype), _t(offset, x.dtype)
        if not is_training:
            if mean is None or variance is None:
                raise ValueError("fused_batch_norm needs mean and variance when "
                                 "is_training is False")
            mean, variance = _t(mean, x.dtype), _t(variance, x.dtype)
            return (batch_normalization(x, mean, variance, offset, scale, epsilon), mean,
                    variance)
        y, batch_mean, batch_var, _, _ = _fused_batch_norm_train(x, scale, offset, epsilon,
                                                                 bessel=True)
        return y, batch_mean, batch_var


def _fused_batch_norm_train(x, scale, offset, epsilon, bessel):
    return apply_op("FusedBatchNorm", [x, scale, offset],
                    {"epsilon": float(epsilon), "bessel": bool(bessel)}, name="FusedBatchNorm",
                    dtypes=[x.dtype] * 5)


# --- bias, top-k ------------------------------------------------------------------------------

def bias_add(value, bias, data_format=None, name=None):
    """Returns value + bias, ``bias`` 1-D of the size of the last (NHWC) or channel (NCHW) axis."""
    with name_scope(name, "BiasAdd", [value, bias]):
        value = _t(value)
        bias = _t(bias, value.dtype)
        if bias.get_shape().ndims != 1:
            raise ValueError(f"bias must be 1-D, got shape {bias.get_shape()}")
        if data_format == "NCHW" and value.get_shape().ndims not in (None, 2):
            extra = value.get_shape().ndims - 2
            bias = array_ops.reshape(bias, [-1] + [1] * extra)
        return value + bias


def xw_plus_b(x, weights, biases, name=None):
    """Returns matmul(x, weights) + biases."""
    with name_scope(name, "xw_plus_b", [x, weights, biases]):
        return bias_add(math_ops.matmul(x, weights), biases)


def zero_fraction(value, name=None):
    """Returns the fraction of zeros in ``value`` (a float32 scalar)."""
    with name_scope(name, "zero_fraction", [value]):
        value = _t(value)
        zero = math_ops.equal(value, array_ops.zeros_like(value))
        return math_ops.reduce_mean(array_ops.cast(zero, _dtypes.float32))


def _top_k_kernel(x, k, sorted):  # noqa: A002
    values, indices = torch.topk(x, k, dim=-1, largest=True, sorted=True)
    return values, indices.to(torch.int32)


def _top_k_shape(op):
    shape = op.inputs[0].get_shape()
    if shape.ndims is None:
        return [unknown_shape(), unknown_shape()]
    out = TensorShape(shape.as_list()[:-1] + [op.get_attr("k")])
    return [out, out]


def _top_k_grad(op, grad, _indices_grad=None):
    """Returns grad scattered to the positions of the top k values."""
    if grad is None:
        return None
    return apply_op("ScatterLastAxis", [grad, op.outputs[1], op.inputs[0]],
                    name="TopKGrad")


register_op("TopKV2", kernel=_top_k_kernel, shape=_top_k_shape, grad=_top_k_grad)


def _scatter_last_axis_kernel(g, indices, like):
    out = torch.zeros_like(like)
    return out.scatter_add(-1, indices.long(), g)


def _scatter_last_axis_grad(op, grad):
    """Returns gather(grad, indices) along the last axis, None, None."""
    return apply_op("GatherLastAxis", [grad, op.inputs[1]], name="GatherLastAxis"), None, None


def _gather_last_axis_grad(op, grad):
    """Returns grad scattered back along the last axis, None."""
    return apply_op("ScatterLastAxis", [grad, op.inputs[1], op.inputs[0]],
                    name="ScatterLastAxis"), None


register_op("ScatterLastAxis", kernel=_scatter_last_axis_kernel,
            shape=lambda op: [op.inputs[2].get_shape()], grad=_scatter_last_axis_grad)
register_op("GatherLastAxis", kernel=lambda x, i: torch.take_along_dim(x, i.long(), dim=-1),
            shape=lambda op: [op.inputs[1].get_shape()], grad=_gather_last_axis_grad)


def top_k(input, k=1, sorted=True, name=None):  # noqa: A002
    """Returns (values, indices) of the ``k`` largest entries along the last axis."""
    x = _t(input)
    return tuple(apply_op("TopKV2", [x], {"k": int(k), "sorted": bool(sorted)},
                          name=name or "TopKV2", dtypes=[x.dtype, _dtypes.int32]))


def _in_top_k_kernel(predictions, targets, k):
    target_values = predictions.gather(1, targets.long().unsqueeze(1))
    larger = (predictions > target_values).sum(dim=1)
    finite = torch.isfinite(predictions).all(dim=1)
    return (larger < k) & finite


register_op("InTopKV2", kernel=_in_top_k_kernel,
            shape=lambda op: [op.inputs[1].get_shape()])
not_differentiable("InTopKV2")


def in_top_k(predictions, targets, k, name=None):
    """Returns whether ``targets[i]`` is among the ``k`` largest ``predictions[i]`` (ties count)."""
    predictions, targets = _t(predictions), _t(targets)
    return apply_op("InTopKV2", [predictions, targets], {"k": int(k)}, name=name or "InTopKV2",
                    dtypes=[_dtypes.bool])
