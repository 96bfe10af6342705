"""Classification metrics."""

# SPDX-License-Identifier: BSD-3-Clause

import numpy as np

from .._engine import to_numpy
from ..utils.multiclass import type_of_target
from ..utils.validation import check_consistent_length, column_or_1d

__all__ = ["accuracy_score"]


def _check_targets(y_true, y_pred):
    """The common type of two classification targets, and both as numpy arrays."""
    check_consistent_length(y_true, y_pred)
    y_true = np.asarray(to_numpy(y_true) if hasattr(y_true, "detach") else y_true)
    y_pred = np.asarray(to_numpy(y_pred) if hasattr(y_pred, "detach") else y_pred)
    types = {type_of_target(y_true, input_name="y_true"), type_of_target(y_pred, input_name="y_pred")}
    if types == {"binary", "multiclass"}:
        types = {"multiclass"}
    if len(types) > 1:
        raise ValueError(
            f"Classification metrics can't handle a mix of {' and '.join(sorted(types))} targets"
        )
    y_type = types.pop()
    if y_type not in ("binary", "multiclass", "multilabel-indicator"):
        raise ValueError(f"{y_type} is not supported")
    if y_type in ("binary", "multiclass"):
        y_true, y_pred = column_or_1d(y_true), column_or_1d(y_pred)
    return y_type, y_true, y_pred


def accuracy_score(y_true, y_pred, *, normalize=True, sample_weight=None):
    """Fraction (or count) of samples whose predicted labels all equal the true ones.

    Examples
    --------
    >>> from learnflow.metrics import accuracy_score
    >>> accuracy_score([0, 1, 2, 3], [0, 2, 1, 3])
    0.5
    """
    _, y_true, y_pred = _check_targets(y_true, y_pred)
    correct = y_true == y_pred
    if correct.ndim > 1:
        correct = correct.all(axis=1)
    if sample_weight is None:
        weights = np.ones(len(correct))
    else:
        weights = np.asarray(to_numpy(sample_weight), dtype=np.float64)
        check_consistent_length(correct, weights)
    total = float(np.dot(correct, weights))
    return total / float(weights.sum()) if normalize else total
