"""Weight regularizers and initializers under ``tf.contrib.layers`` names (Chapter 11)."""

# SPDX-License-Identifier: BSD-3-Clause

import numbers

from ..._framework import dtypes as _dtypes
from ..._framework.ops import get_default_graph, name_scope
from ..._initializers import variance_scaling_initializer as _variance_scaling
from ..._ops import clip_ops, math_ops
from ... import nn

__all__ = ["l1_l2_regularizer", "l1_regularizer", "l2_regularizer", "max_norm_regularizer",
           "variance_scaling_initializer", "xavier_initializer"]


def _check_scale(scale, name):
    if not isinstance(scale, numbers.Real) or isinstance(scale, bool):
        raise TypeError(f"scale must be a float; got {scale!r} for {name}")
    if scale < 0.0:
        raise ValueError(f"Setting a scale less than 0 on a regularizer: {scale}")
    return float(scale)


def l1_regularizer(scale, scope=None):
    """Returns ``weights -> scale * sum(|weights|)`` (None when scale is 0)."""
    scale = _check_scale(scale, "l1_regularizer")

    def l1(weights):
        if scale == 0.0:
            return None
        with name_scope(scope, "l1_regularizer", [weights]):
            return scale * math_ops.reduce_sum(math_ops.abs(weights))
    return l1


def l2_regularizer(scale, scope=None):
    """Returns ``weights -> scale * sum(weights ** 2) / 2`` (TensorFlow's ``l2_loss``)."""
    scale = _check_scale(scale, "l2_regularizer")

    def l2(weights):
        if scale == 0.0:
            return None
        with name_scope(scope, "l2_regularizer", [weights]):
            return scale * nn.l2_loss(weights)
    return l2


def l1_l2_regularizer(scale_l1=1.0, scale_l2=1.0, scope=None):
    """Returns ``weights -> l1(weights) + l2(weights)``."""
    l1, l2 = l1_regularizer(scale_l1), l2_regularizer(scale_l2)

    def l1_l2(weights):
        with name_scope(scope, "l1_l2_regularizer", [weights]):
            terms = [t for t in (l1(weights), l2(weights)) if t is not None]
            return math_ops.add_n(terms) if terms else None
    return l1_l2


def max_norm_regularizer(threshold, axes=1, name="max_norm", collection="max_norm"):
    """The book's max-norm constraint as a ``regularizer=`` argument.

    Returns a function that adds ``weights.assign(clip_by_norm(weights, threshold, axes))``
    to ``collection`` and returns no loss; run ``tf.get_collection(collection)`` after
    each training step. With ``axes=1`` each row (incoming weights of one input) of a
    ``(n_inputs, n_neurons)`` kernel is clipped, as in the book.
    """
    def max_norm(weights):
        clipped = clip_ops.clip_by_norm(weights, clip_norm=threshold, axes=axes)
        clip_weights = _assign(weights, clipped, name)
        get_default_graph().add_to_collection(collection, clip_weights)
        return None
    return max_norm


def _assign(weights, value, name):
    from ..._ops import state_ops

    ref = getattr(weights, "_variable", weights)
    return state_ops.assign(ref, value, name=name)


def variance_scaling_initializer(factor=2.0, mode="FAN_IN", uniform=False, seed=None,
                                 dtype=_dtypes.float32):
    """He initialization by default: variance ``factor / n`` (n from ``mode``, FAN_IN...)."""
    if mode not in ("FAN_IN", "FAN_OUT", "FAN_AVG"):
        raise TypeError(f"Unknown mode {mode} [FAN_IN, FAN_OUT, FAN_AVG]")
    return _variance_scaling(factor, mode.lower(), "uniform" if uniform else "truncated_normal",
                             seed, dtype)


def xavier_initializer(uniform=True, seed=None, dtype=_dtypes.float32):
    """Glorot initialization (Equation 11-1): variance 2 / (fan_in + fan_out)."""
    return _variance_scaling(1.0, "fan_avg", "uniform" if uniform else "truncated_normal",
                             seed, dtype)


xavier_initializer_conv2d = xavier_initializer
