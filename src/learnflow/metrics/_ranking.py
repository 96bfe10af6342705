"""Ranking metrics: ROC and precision-recall curves, their areas.

Scores are sorted and cumulated on torch (float64); labels are handled with
numpy. The results equal scikit-learn's, threshold for threshold.
"""

# SPDX-License-Identifier: BSD-3-Clause

import warnings
from functools import partial
from itertools import combinations
from numbers import Real

import numpy as np
import torch

from .._engine import to_numpy
from ..exceptions import UndefinedMetricWarning
from ..utils._param_validation import Interval, StrOptions, validate_params
from ..utils.multiclass import type_of_target
from ..utils.validation import check_array, check_consistent_length, column_or_1d

__all__ = ["auc", "average_precision_score", "precision_recall_curve", "roc_auc_score", "roc_curve"]


def _as_numpy(y):
    if hasattr(y, "detach"):
        return to_numpy(y)
    if hasattr(y, "to_numpy"):
        return y.to_numpy()
    return np.asarray(y)


# --------------------------------------------------------------------------
# Curves
# --------------------------------------------------------------------------


@validate_params({"x": ["array-like"], "y": ["array-like"]})
def auc(x, y):
    """Area under a curve given by points (x, y), with the trapezoidal rule.

    ``x`` must be monotonic (increasing or decreasing).

    Examples
    --------
    >>> from learnflow.metrics import auc
    >>> auc([0, 0.5, 1], [0, 1, 1])
    0.75
    """
    check_consistent_length(x, y)
    x, y = column_or_1d(_as_numpy(x)).astype(np.float64), column_or_1d(_as_numpy(y)).astype(np.float64)
    if x.shape[0] < 2:
        raise ValueError(f"At least 2 points are needed to compute area under curve, but x.shape = {x.shape[0]}")
    direction = 1
    dx = np.diff(x)
    if np.any(dx < 0):
        if not np.all(dx <= 0):
            raise ValueError(f"x is neither increasing nor decreasing : {x}.")
        direction = -1
    # area = sum_i (x_{i+1} - x_i) (y_i + y_{i+1}) / 2
    return float(direction * np.trapezoid(y, x))


def _check_pos_label(pos_label, y_true):
    """The positive label: ``pos_label``, or 1 when y_true's labels are {0, 1} or {-1, 1}."""
    classes = np.unique(y_true)
    if pos_label is None and (
        classes.dtype.kind in "OUS"
        or not any(
            np.array_equal(classes, c) for c in ([0, 1], [-1, 1], [0], [-1], [1])
        )
    ):
        shown = ", ".join(repr(c) for c in classes)
        raise ValueError(
            f"y_true takes value in {{{shown}}} and pos_label is not specified: either make y_true take value "
            "in {0, 1} or {-1, 1} or pass pos_label explicitly."
        )
    return 1 if pos_label is None else pos_label


def _solve_clf_counts(y_true, y_score, sample_weight):
    # sort by decreasing score; at each distinct score s:
    # tps(s) = sum of the weights of positives with score >= s, fps(s) likewise for negatives
    positive = torch.as_tensor(y_true, dtype=torch.float64)
    score = torch.as_tensor(y_score, dtype=torch.float64)
    order = torch.argsort(score, descending=True, stable=True)
    score, positive = score[order], positive[order]
    weight = None if sample_weight is None else torch.as_tensor(sample_weight, dtype=torch.float64)[order]
    distinct = torch.nonzero(torch.diff(score)).reshape(-1)
    last = torch.cat([distinct, torch.tensor([len(score) - 1])])
    w = 1.0 if weight is None else weight
    tps = torch.cumsum(positive * w, dim=0)[last]
    if weight is None:
        fps = 1 + last.to(torch.float64) - tps
    else:
        fps = torch.cumsum((1 - positive) * w, dim=0)[last]
    return fps.numpy(), tps.numpy(), score[last].numpy()


def _binary_clf_curve(y_true, y_score, pos_label=None, sample_weight=None):
    """False/true positive counts at each distinct score (decreasing) and those scores."""
    y_type = type_of_target(y_true, input_name="y_true")
    if not (y_type == "binary" or (y_type == "multiclass" and pos_label is not None)):
        raise ValueError(f"{y_type} format is not supported")
    check_consistent_length(y_true, y_score, sample_weight)
    y_true = column_or_1d(_as_numpy(y_true))
    y_score = column_or_1d(check_array(_as_numpy(y_score), ensure_2d=False, dtype=None))
    if not np.isfinite(np.asarray(y_score, dtype=np.float64)).all():
        raise ValueError("Input y_score contains NaN or infinity.")
    pos_label = _check_pos_label(pos_label, y_true)
    y_true = y_true == pos_label
    if sample_weight is not None:
        sample_weight = column_or_1d(_as_numpy(sample_weight)).astype(np.float64)
        keep = sample_weight != 0
        y_true, y_score, sample_weight = y_true[keep], y_score[keep], sample_weight[keep]
    return _solve_clf_counts(y_true, y_score, sample_weight)


_CURVE_CONSTRAINTS = {
    "y_true": ["array-like"],
    "y_score": ["array-like"],
    "pos_label": [Real, str, "boolean", None],
    "sample_weight": ["array-like", None],
    "drop_intermediate": ["boolean"],
}


@validate_params(_CURVE_CONSTRAINTS)
def precision_recall_curve(y_true, y_score, *, pos_label=None, sample_weight=None, drop_intermediate=False):
    """Precision-recall pairs for every decision threshold (the book's Figures 3-4 and 3-5).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Binary labels ({0, 1}, {-1, 1}, or any two with ``pos_label``).
    y_score : array-like of shape (n_samples,)
        Scores (probabilities or decision values) of the positive class.
    pos_label : int, float, bool or str, default=None
    sample_weight : array-like of shape (n_samples,), default=None
    drop_intermediate : bool, default=False
        Drop thresholds where the curve only moves in precision.

    Returns
    -------
    precision, recall : ndarray of shape (n_thresholds + 1,)
        Ending with precision 1 and recall 0.
    thresholds : ndarray of shape (n_thresholds,), increasing

    Examples
    --------
    >>> from learnflow.metrics import precision_recall_curve
    >>> precision, recall, thresholds = precision_recall_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> precision
    array([0.5       , 0.66666667, 0.5       , 1.        , 1.        ])
    >>> recall
    array([1. , 1. , 0.5, 0.5, 0. ])
    >>> thresholds
    array([0.1 , 0.35, 0.4 , 0.8 ])
    """
    fps, tps, thresholds = _binary_clf_curve(y_true, y_score, pos_label=pos_label, sample_weight=sample_weight)
    if drop_intermediate and fps.shape[0] > 2:
        keep = np.r_[True, np.logical_or(np.diff(tps[:-1]), np.diff(tps[1:])), True]
        fps, tps, thresholds = fps[keep], tps[keep], thresholds[keep]
    predicted = tps + fps
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(predicted != 0, tps / np.where(predicted != 0, predicted, 1), 0.0)
    if tps[-1] == 0:
        warnings.warn("No positive class found in y_true, recall is set to one for all thresholds.")
        recall = np.ones_like(tps)
    else:
        recall = tps / tps[-1]
    return np.r_[precision[::-1], 1.0], np.r_[recall[::-1], 0.0], thresholds[::-1]


@validate_params(_CURVE_CONSTRAINTS)
def roc_curve(y_true, y_score, *, pos_label=None, sample_weight=None, drop_intermediate=True):
    """Receiver operating characteristic: false and true positive rates per threshold.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
    y_score : array-like of shape (n_samples,)
    pos_label : int, float, bool or str, default=None
    sample_weight : array-like of shape (n_samples,), default=None
    drop_intermediate : bool, default=True
        Drop thresholds that would not appear on a plotted curve (collinear points).

    Returns
    -------
    fpr, tpr : ndarray of shape (n_thresholds,)
    thresholds : ndarray of shape (n_thresholds,)
        Decreasing; the first is ``inf`` (nothing predicted positive).

    Examples
    --------
    >>> from learnflow.metrics import roc_curve
    >>> fpr, tpr, thresholds = roc_curve([1, 1, 2, 2], [0.1, 0.4, 0.35, 0.8], pos_label=2)
    >>> fpr
    array([0. , 0. , 0.5, 0.5, 1. ])
    >>> tpr
    array([0. , 0.5, 0.5, 1. , 1. ])
    >>> thresholds
    array([ inf, 0.8 , 0.4 , 0.35, 0.1 ])
    """
    fps, tps, thresholds = _binary_clf_curve(y_true, y_score, pos_label=pos_label, sample_weight=sample_weight)
    if drop_intermediate and fps.shape[0] > 2:
        keep = np.r_[True, np.logical_or(np.diff(fps, 2), np.diff(tps, 2)), True]
        fps, tps, thresholds = fps[keep], tps[keep], thresholds[keep]
    tps, fps = np.r_[0.0, tps], np.r_[0.0, fps]
    thresholds = np.r_[np.inf, thresholds.astype(np.float64)]
    fpr = _rate(fps, "No negative samples in y_true, false positive value should be meaningless")
    tpr = _rate(tps, "No positive samples in y_true, true positive value should be meaningless")
    return fpr, tpr, thresholds


def _rate(counts, message):
    if counts[-1] <= 0:
        warnings.warn(message, UndefinedMetricWarning)
        return np.full(counts.shape, np.nan)
    return counts / counts[-1]


# --------------------------------------------------------------------------
# Areas
# --------------------------------------------------------------------------


def _average_binary_score(binary_metric, y_true, y_score, average, sample_weight=None):
    """Apply a binary metric to each label of a multilabel target and average."""
    if average not in (None, "micro", "macro", "weighted", "samples"):
        raise ValueError(f"average has to be one of {(None, 'micro', 'macro', 'weighted', 'samples')}")
    y_type = type_of_target(y_true)
    if y_type not in ("binary", "multilabel-indicator"):
        raise ValueError(f"{y_type} format is not supported")
    if y_type == "binary":
        return binary_metric(y_true, y_score, sample_weight=sample_weight)
    check_consistent_length(y_true, y_score, sample_weight)
    y_true, y_score = np.asarray(check_array(y_true)), np.asarray(check_array(y_score))
    axis, score_weight, average_weight = 1, sample_weight, None
    if average == "micro":
        score_weight = None if score_weight is None else np.repeat(score_weight, y_true.shape[1])
        y_true, y_score = y_true.ravel(), y_score.ravel()
    elif average == "weighted":
        weight = 1.0 if score_weight is None else np.asarray(score_weight).reshape(-1, 1)
        average_weight = np.sum(y_true * weight, axis=0)
        if np.isclose(average_weight.sum(), 0.0):
            return 0
    elif average == "samples":
        average_weight, score_weight, axis = score_weight, None, 0
    y_true = y_true.reshape(-1, 1) if y_true.ndim == 1 else y_true
    y_score = y_score.reshape(-1, 1) if y_score.ndim == 1 else y_score
    n = y_score.shape[axis]
    scores = np.array(
        [binary_metric(np.take(y_true, c, axis=axis), np.take(y_score, c, axis=axis), sample_weight=score_weight)
         for c in range(n)]
    )
    if average is None:
        return scores
    if average_weight is not None:
        scores[np.asarray(average_weight) == 0] = 0
    return float(np.average(scores, weights=average_weight))


@validate_params(
    {
        "y_true": ["array-like"],
        "y_score": ["array-like"],
        "average": [StrOptions({"micro", "samples", "weighted", "macro"}), None],
        "pos_label": [Real, str, "boolean"],
        "sample_weight": ["array-like", None],
    }
)
def average_precision_score(y_true, y_score, *, average="macro", pos_label=1, sample_weight=None):
    """Average precision: ``sum_n (R_n - R_{n-1}) P_n`` over the thresholds.

    Examples
    --------
    >>> from learnflow.metrics import average_precision_score
    >>> round(average_precision_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]), 4)
    0.8333
    """
    y_true_np = _as_numpy(y_true)
    y_score = np.asarray(_as_numpy(y_score), dtype=np.float64)
    sample_weight = None if sample_weight is None else column_or_1d(_as_numpy(sample_weight))
    y_type = type_of_target(y_true_np, input_name="y_true")
    present = np.unique(y_true_np)
    if y_type == "binary":
        if len(present) == 2 and pos_label not in present.tolist():
            raise ValueError(f"pos_label={pos_label} is not a valid label. It should be one of {present}")
    elif y_type == "multilabel-indicator" and pos_label != 1:
        raise ValueError(
            "Parameter pos_label is fixed to 1 for multilabel-indicator y_true. Do not set pos_label or set pos_label to 1."
        )
    elif y_type == "multiclass":
        if pos_label != 1:
            raise ValueError(
                "Parameter pos_label is fixed to 1 for multiclass y_true. Do not set pos_label or set pos_label to 1."
            )
        y_true_np = (column_or_1d(y_true_np)[:, None] == present[None, :]).astype(np.int64)
        if y_score.shape != y_true_np.shape:
            raise ValueError(
                "`y_score` needs to be of shape `(n_samples, n_classes)`, since `y_true` contains multiple "
                f"classes. Got `y_score.shape={y_score.shape}`."
            )
    metric = partial(_binary_average_precision, pos_label=pos_label)
    return _average_binary_score(metric, y_true_np, y_score, average, sample_weight=sample_weight)


def _binary_average_precision(y_true, y_score, pos_label=1, sample_weight=None):
    # AP = -sum_n (R_{n+1} - R_n) P_n over the decreasing-recall curve
    precision, recall, _ = precision_recall_curve(y_true, y_score, pos_label=pos_label, sample_weight=sample_weight)
    return float(max(0.0, -np.sum(np.diff(recall) * np.array(precision)[:-1])))


def _binary_roc_auc_score(y_true, y_score, sample_weight=None, max_fpr=None):
    if len(np.unique(y_true)) != 2:
        warnings.warn("Only one class is present in y_true. ROC AUC score is not defined in that case.",
                      UndefinedMetricWarning)
        return np.nan
    fpr, tpr, _ = roc_curve(y_true, y_score, sample_weight=sample_weight)
    if max_fpr is None or max_fpr == 1:
        return auc(fpr, tpr)
    # McClish-standardized partial AUC up to max_fpr
    stop = np.searchsorted(fpr, max_fpr, "right")
    tpr = np.append(tpr[:stop], np.interp(max_fpr, [fpr[stop - 1], fpr[stop]], [tpr[stop - 1], tpr[stop]]))
    fpr = np.append(fpr[:stop], max_fpr)
    partial_auc = auc(fpr, tpr)
    min_area, max_area = 0.5 * max_fpr**2, max_fpr
    return 0.5 * (1 + (partial_auc - min_area) / (max_area - min_area))


@validate_params(
    {
        "y_true": ["array-like"],
        "y_score": ["array-like"],
        "average": [StrOptions({"micro", "macro", "samples", "weighted"}), None],
        "sample_weight": ["array-like", None],
        "max_fpr": [Interval(Real, 0.0, 1, closed="right"), None],
        "multi_class": [StrOptions({"raise", "ovr", "ovo"})],
        "labels": ["array-like", None],
    }
)
def roc_auc_score(y_true, y_score, *, average="macro", sample_weight=None, max_fpr=None, multi_class="raise",
                  labels=None):
    """Area under the ROC curve: binary, multiclass (one-vs-rest or one-vs-one) or multilabel.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_classes)
    y_score : array-like of shape (n_samples,) or (n_samples, n_classes)
        Positive-class scores (binary); class probabilities summing to 1
        (multiclass); per-label scores (multilabel).
    average : {"micro", "macro", "samples", "weighted"} or None, default="macro"
    sample_weight : array-like of shape (n_samples,), default=None
    max_fpr : float in (0, 1], default=None
        Standardized partial AUC up to this false positive rate (binary).
    multi_class : {"raise", "ovr", "ovo"}, default="raise"
    labels : array-like of shape (n_classes,), default=None
        The classes of y_score's columns (multiclass).

    Examples
    --------
    >>> from learnflow.metrics import roc_auc_score
    >>> roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    0.75
    """
    y_type = type_of_target(y_true, input_name="y_true")
    y_true = np.asarray(check_array(_as_numpy(y_true), ensure_2d=False, dtype=None))
    y_score = np.asarray(check_array(_as_numpy(y_score), ensure_2d=False), dtype=np.float64)
    sample_weight = None if sample_weight is None else column_or_1d(_as_numpy(sample_weight))
    binary_auc = partial(_binary_roc_auc_score, max_fpr=max_fpr)
    if y_type == "multiclass" or (y_type == "binary" and y_score.ndim == 2 and y_score.shape[1] > 2):
        if max_fpr is not None and max_fpr != 1.0:
            raise ValueError(
                "Partial AUC computation not available in multiclass setting, 'max_fpr' must be set to `None`, "
                f"received `max_fpr={max_fpr}` instead"
            )
        if multi_class == "raise":
            raise ValueError("multi_class must be in ('ovo', 'ovr')")
        return _multiclass_roc_auc_score(y_true, y_score, labels, multi_class, average, sample_weight)
    if y_type == "binary":
        y_true = (y_true == np.unique(y_true)[-1]).astype(np.int64)
    return _average_binary_score(binary_auc, y_true, y_score, average, sample_weight=sample_weight)


def _multiclass_classes(y_true, y_score, labels):
    if labels is None:
        classes = np.unique(y_true)
        if len(classes) != y_score.shape[1]:
            raise ValueError("Number of classes in y_true not equal to the number of columns in 'y_score'")
        return classes
    labels = column_or_1d(_as_numpy(labels))
    classes = np.unique(labels)
    if len(classes) != len(labels):
        raise ValueError("Parameter 'labels' must be unique")
    if not np.array_equal(classes, labels):
        raise ValueError("Parameter 'labels' must be ordered")
    if len(classes) != y_score.shape[1]:
        raise ValueError(
            f"Number of given labels, {len(classes)}, not equal to the number of columns in 'y_score', "
            f"{y_score.shape[1]}"
        )
    if len(np.setdiff1d(y_true, classes)):
        raise ValueError("'y_true' contains labels not in parameter 'labels'")
    return classes


def _multiclass_roc_auc_score(y_true, y_score, labels, multi_class, average, sample_weight):
    if y_score.ndim != 2:
        raise ValueError(
            "`y_score` needs to be of shape `(n_samples, n_classes)`, since `y_true` contains multiple classes. "
            f"Got `y_score.shape={y_score.shape}`."
        )
    if not np.allclose(1, y_score.sum(axis=1)):
        raise ValueError(
            "Target scores need to be probabilities for multiclass roc_auc, i.e. they should sum up to 1.0 over classes"
        )
    options = ("macro", "weighted", None) if multi_class == "ovo" else ("micro", "macro", "weighted", None)
    if average not in options:
        raise ValueError(f"average must be one of {options} for multiclass problems")
    if average is None and multi_class == "ovo":
        raise ValueError("average=None is not supported for multi_class='ovo'; use 'macro' or 'weighted'.")
    classes = _multiclass_classes(y_true, y_score, labels)
    if multi_class == "ovo":
        if sample_weight is not None:
            raise ValueError(
                "sample_weight is not supported for multiclass one-vs-one ROC AUC, 'sample_weight' must be None "
                "in this case."
            )
        return _average_multiclass_ovo_score(_binary_roc_auc_score, np.searchsorted(classes, y_true), y_score,
                                             average)
    one_hot = (y_true[:, None] == classes[None, :]).astype(np.int64)
    return _average_binary_score(_binary_roc_auc_score, one_hot, y_score, average, sample_weight=sample_weight)


def _average_multiclass_ovo_score(binary_metric, y_true, y_score, average="macro"):
    # Hand & Till: mean over class pairs (a, b) of (AUC(a | a, b) + AUC(b | a, b)) / 2
    check_consistent_length(y_true, y_score)
    classes = np.unique(y_true)
    pairs = list(combinations(classes, 2))
    scores, prevalence = np.empty(len(pairs)), np.empty(len(pairs))
    for i, (a, b) in enumerate(pairs):
        a_mask, b_mask = y_true == a, y_true == b
        ab_mask = a_mask | b_mask
        prevalence[i] = np.average(ab_mask)
        a_score = binary_metric(a_mask[ab_mask], y_score[ab_mask, a])
        b_score = binary_metric(b_mask[ab_mask], y_score[ab_mask, b])
        scores[i] = (a_score + b_score) / 2
    return float(np.average(scores, weights=prevalence if average == "weighted" else None))
