"""Chapter 11 training techniques as small reusable helpers.

Gradient clipping on ``compute_gradients`` output, early stopping with an in-memory
"winner" snapshot, freezing layers, caching frozen-layer outputs and restoring a subset
of a checkpoint into a new graph (transfer learning).
"""

# SPDX-License-Identifier: BSD-3-Clause

import math

import numpy as np

from ..._framework.ops import GraphKeys, get_default_graph
from ..._ops import clip_ops

__all__ = ["EarlyStopping", "cache_outputs", "clip_gradients", "frozen_var_list",
           "get_model_params", "restore_model_params", "restore_subset"]


def _clip_value(grads, threshold):
    return [clip_ops.clip_by_value(g, -threshold, threshold) for g in grads]


def _clip_norm(grads, threshold):
    return [clip_ops.clip_by_norm(g, threshold) for g in grads]


def _clip_global_norm(grads, threshold):
    return clip_ops.clip_by_global_norm(grads, threshold)[0]


_CLIPPERS = {"value": _clip_value, "norm": _clip_norm, "global_norm": _clip_global_norm}


def clip_gradients(grads_and_vars, threshold=1.0, method="value"):
    """Clip the gradients of ``optimizer.compute_gradients`` output (the book's recipe).

    ``method`` is "value" (each element to [-threshold, threshold], the book's example),
    "norm" (each gradient's L2 norm) or "global_norm" (all gradients jointly). Pairs with
    a None gradient are kept as they are. Pass the result to ``apply_gradients``.
    """
    if method not in _CLIPPERS:
        raise ValueError(f"method must be one of {sorted(_CLIPPERS)}, got {method!r}")
    pairs = [(g, v) for g, v in grads_and_vars if g is not None]
    clipped = _CLIPPERS[method]([g for g, _ in pairs], threshold)
    it = iter(clipped)
    return [(next(it), v) if g is not None else (g, v) for g, v in grads_and_vars]


def frozen_var_list(scope):
    """The trainable variables whose names match the regex ``scope`` (e.g. "hidden[34]|outputs").

    Passing this to ``optimizer.minimize(loss, var_list=...)`` trains only these layers and
    freezes the others.
    """
    return get_default_graph().get_collection(GraphKeys.TRAINABLE_VARIABLES, scope)


def get_model_params(sess, var_list=None):
    """``{variable name: value}`` of the global variables (a snapshot in memory)."""
    variables = var_list if var_list is not None else sess.graph.get_collection(
        GraphKeys.GLOBAL_VARIABLES)
    values = sess.run(list(variables))
    return {v.op.name: value for v, value in zip(variables, values)}


def restore_model_params(sess, params):
    """Load a snapshot made by :func:`get_model_params` back into the variables."""
    for var in sess.graph.get_collection(GraphKeys.GLOBAL_VARIABLES):
        if var.op.name in params:
            var.load(params[var.op.name], sess)


class EarlyStopping:
    """Early stopping: keep the best ("winner") parameters, stop after ``patience`` checks
    without improvement, then restore the winner (the book evaluates every 50 steps and
    stops after 2,000 steps without progress, i.e. patience=40).

    >>> stopper = EarlyStopping(patience=2)
    >>> [stopper.update(loss) for loss in [3.0, 2.0, 2.5, 2.4]]
    [True, True, False, False]
    >>> stopper.should_stop, stopper.best_score
    (True, 2.0)
    """

    def __init__(self, patience=20, min_delta=0.0, mode="min"):
        if mode not in ("min", "max"):
            raise ValueError(f"mode must be 'min' or 'max', got {mode!r}")
        self.patience, self.min_delta, self.mode = patience, min_delta, mode
        self.best_score = math.inf if mode == "min" else -math.inf
        self.best_params, self.checks_without_progress, self.should_stop = None, 0, False

    def update(self, score, sess=None):
        """Record a validation score; returns True (and snapshots ``sess``) if it is the best."""
        sign = 1.0 if self.mode == "min" else -1.0
        if sign * (self.best_score - score) > self.min_delta:
            self.best_score, self.checks_without_progress = float(score), 0
            if sess is not None:
                self.best_params = get_model_params(sess)
            return True
        self.checks_without_progress += 1
        self.should_stop = self.checks_without_progress >= self.patience
        return False

    def restore_best(self, sess):
        """Load the winner's parameters into ``sess`` (if a snapshot was taken)."""
        if self.best_params is not None:
            restore_model_params(sess, self.best_params)


def cache_outputs(sess, tensor, feed_tensor, X, batch_size=1000, feed_dict=None):
    """Run ``tensor`` (a frozen layer's output) on all of ``X`` once, in batches.

    Training the upper layers then feeds these cached values instead of ``X``, so the
    frozen layers are not recomputed every epoch.
    """
    extra = dict(feed_dict or {})
    parts = [sess.run(tensor, {**extra, feed_tensor: X[i:i + batch_size]})
             for i in range(0, len(X), batch_size)]
    return np.concatenate(parts) if parts else np.empty((0,))


def restore_subset(sess, save_path, scope=None, var_list=None):
    """Restore only some variables (matching ``scope`` regex, or ``var_list``) from a
    checkpoint into the current graph: the transfer-learning step of Chapter 11.

    Call it after ``global_variables_initializer`` has run, as the book does.
    """
    from ...train import Saver

    if var_list is None:
        var_list = get_default_graph().get_collection(GraphKeys.GLOBAL_VARIABLES, scope)
    if not var_list:
        raise ValueError(f"No variables match scope {scope!r}")
    if not isinstance(var_list, dict):
        var_list = {v.op.name: v for v in var_list}
    Saver(var_list).restore(sess, save_path)
    return var_list
