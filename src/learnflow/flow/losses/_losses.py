"""Loss functions of ``tf.losses`` built from flow ops (added to ``GraphKeys.LOSSES``).

>>> import learnflow.flow as tf
>>> with tf.Session(graph=tf.Graph()) as sess, sess.graph.as_default():
...     loss = tf.losses.log_loss([[1.0], [0.0]], [[0.9], [0.2]])
...     print(round(float(sess.run(loss)), 4))
0.1643
"""

# SPDX-License-Identifier: BSD-3-Clause

from .._framework.ops import GraphKeys, convert_to_tensor, get_default_graph, name_scope
from .._ops import array_ops, math_ops

__all__ = ["Reduction", "absolute_difference", "compute_weighted_loss", "get_losses",
           "get_regularization_loss", "get_regularization_losses", "get_total_loss",
           "log_loss", "mean_squared_error"]


class Reduction:
    """How ``compute_weighted_loss`` reduces the weighted per-element losses."""

    NONE = "none"
    SUM = "weighted_sum"
    MEAN = "weighted_mean"
    SUM_OVER_BATCH_SIZE = "weighted_sum_over_batch_size"
    SUM_BY_NONZERO_WEIGHTS = "weighted_sum_by_nonzero_weights"


def compute_weighted_loss(losses, weights=1.0, scope=None, loss_collection=GraphKeys.LOSSES,
                          reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """Returns the reduction of losses * weights (default: sum / number of non-zero weights)."""
    losses = convert_to_tensor(losses)
    with name_scope(scope, "weighted_loss", [losses]):
        weights = convert_to_tensor(weights, dtype=losses.dtype)
        weighted = losses * weights
        if reduction == Reduction.NONE:
            loss = weighted
        else:
            total = math_ops.reduce_sum(weighted)
            broadcast_w = weights * array_ops.ones_like(losses)
            if reduction == Reduction.SUM:
                loss = total
            elif reduction == Reduction.MEAN:
                loss = total / math_ops.reduce_sum(broadcast_w)
            elif reduction == Reduction.SUM_OVER_BATCH_SIZE:
                loss = total / array_ops.cast(array_ops.size(losses), losses.dtype)
            elif reduction == Reduction.SUM_BY_NONZERO_WEIGHTS:
                nonzero = math_ops.reduce_sum(array_ops.cast(
                    math_ops.not_equal(broadcast_w, 0.0), losses.dtype))
                loss = array_ops.where(nonzero > 0.0, total / math_ops.maximum(nonzero, 1.0),
                                       array_ops.zeros_like(total))
            else:
                raise ValueError(f"Invalid reduction: {reduction!r}")
        if loss_collection:
            get_default_graph().add_to_collection(loss_collection, loss)
        return loss


def log_loss(labels, predictions, weights=1.0, epsilon=1e-7, scope=None,
             loss_collection=GraphKeys.LOSSES, reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """Returns -labels log(p + eps) - (1 - labels) log(1 - p + eps), weighted and reduced."""
    predictions = convert_to_tensor(predictions)
    labels = convert_to_tensor(labels, dtype=predictions.dtype)
    with name_scope(scope, "log_loss", [predictions, labels]) as s:
        losses = (-labels * math_ops.log(predictions + epsilon)
                  - (1.0 - labels) * math_ops.log(1.0 - predictions + epsilon))
        return compute_weighted_loss(losses, weights, s, loss_collection, reduction)


def mean_squared_error(labels, predictions, weights=1.0, scope=None,
                       loss_collection=GraphKeys.LOSSES,
                       reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """Returns (predictions - labels)^2, weighted and reduced."""
    predictions = convert_to_tensor(predictions)
    labels = convert_to_tensor(labels, dtype=predictions.dtype)
    with name_scope(scope, "mean_squared_error", [predictions, labels]) as s:
        losses = math_ops.squared_difference(predictions, labels)
        return compute_weighted_loss(losses, weights, s, loss_collection, reduction)


def absolute_difference(labels, predictions, weights=1.0, scope=None,
                        loss_collection=GraphKeys.LOSSES,
                        reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """Returns |predictions - labels|, weighted and reduced."""
    predictions = convert_to_tensor(predictions)
    labels = convert_to_tensor(labels, dtype=predictions.dtype)
    with name_scope(scope, "absolute_difference", [predictions, labels]) as s:
        losses = math_ops.abs(predictions - labels)
        return compute_weighted_loss(losses, weights, s, loss_collection, reduction)


def get_losses(scope=None, loss_collection=GraphKeys.LOSSES):
    """The losses in ``loss_collection``."""
    return get_default_graph().get_collection(loss_collection, scope)


def get_regularization_losses(scope=None):
    """The tensors of ``GraphKeys.REGULARIZATION_LOSSES``."""
    return get_default_graph().get_collection(GraphKeys.REGULARIZATION_LOSSES, scope)


def get_regularization_loss(scope=None, name="total_regularization_loss"):
    """The sum of the regularization losses (0.0 when there are none)."""
    losses = get_regularization_losses(scope)
    if losses:
        return math_ops.add_n(losses, name=name)
    return array_ops.constant(0.0, name=name)


def get_total_loss(add_regularization_losses=True, name="total_loss", scope=None):
    """The sum of the losses (and regularization losses)."""
    losses = get_losses(scope)
    if add_regularization_losses:
        losses = losses + get_regularization_losses(scope)
    if not losses:
        raise ValueError("No losses found in the graph.")
    return math_ops.add_n(losses, name=name)
