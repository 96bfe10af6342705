"""Clipping, built from primitive ops (no gradient code of their own).

>>> import learnflow.flow as tf
>>> with tf.Session(graph=tf.Graph()) as sess, sess.graph.as_default():
...     print(sess.run(tf.clip_by_norm(tf.constant([3.0, 4.0]), 1.0)))
[0.6 0.8]
"""

# SPDX-License-Identifier: BSD-3-Clause

from .._framework.ops import convert_to_tensor, name_scope
from . import array_ops, math_ops

__all__ = ["clip_by_global_norm", "clip_by_norm", "clip_by_value", "global_norm"]


def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    """Returns min(max(t, clip_value_min), clip_value_max)."""
    t = convert_to_tensor(t)
    with name_scope(name, "clip_by_value", [t]) as scope:
        lower = math_ops.maximum(t, clip_value_min)
        return math_ops.minimum(lower, clip_value_max, name=scope or None)


def clip_by_norm(t, clip_norm, axes=None, name=None):
    """Returns t * clip_norm / max(||t||_2 over ``axes``, clip_norm)."""
    t = convert_to_tensor(t)
    with name_scope(name, "clip_by_norm", [t]) as scope:
        l2 = math_ops.sqrt(math_ops.reduce_sum(t * t, axes, keepdims=True))
        clip = convert_to_tensor(clip_norm, dtype=t.dtype)
        return array_ops.identity(t * clip / math_ops.maximum(l2, clip), name=scope or None)


def global_norm(t_list, name=None):
    """Returns sqrt(sum of squared L2 norms of the tensors in ``t_list``)."""
    tensors = [convert_to_tensor(t) for t in t_list if t is not None]
    with name_scope(name, "global_norm", tensors):
        return math_ops.sqrt(math_ops.add_n([math_ops.reduce_sum(t * t) for t in tensors]))


def clip_by_global_norm(t_list, clip_norm, use_norm=None, name=None):
    """Scale every tensor by clip_norm / max(global_norm, clip_norm); returns (list, norm)."""
    t_list = list(t_list)
    with name_scope(name, "clip_by_global_norm", [t for t in t_list if t is not None]):
        norm = global_norm(t_list) if use_norm is None else convert_to_tensor(use_norm)
        clip = convert_to_tensor(clip_norm, dtype=norm.dtype)
        scale = clip / math_ops.maximum(norm, clip)
        clipped = [None if t is None else array_ops.identity(convert_to_tensor(t) * scale)
                   for t in t_list]
        return clipped, norm
