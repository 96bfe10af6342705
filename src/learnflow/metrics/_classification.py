"""Classification metrics: accuracy, confusion matrices, precision / recall / F, losses.

Labels are handled with numpy (they may be strings); the counting (confusion
matrices, per-label true/false positives) is done with ``torch.bincount`` in
float64, so weighted counts are exact sums as in scikit-learn.
"""

# SPDX-License-Identifier: BSD-3-Clause

import warnings
from numbers import Integral, Real

import numpy as np
import torch

from .._engine import to_numpy
from ..exceptions import UndefinedMetricWarning
from ..utils._param_validation import Interval, Options, StrOptions, _Constraint, validate_params
from ..utils.multiclass import type_of_target, unique_labels
from ..utils.validation import _num_samples, check_array, check_consistent_length, column_or_1d

__all__ = [
    "accuracy_score",
    "balanced_accuracy_score",
    "classification_report",
    "confusion_matrix",
    "f1_score",
    "fbeta_score",
    "hamming_loss",
    "log_loss",
    "multilabel_confusion_matrix",
    "precision_recall_fscore_support",
    "precision_score",
    "recall_score",
    "zero_one_loss",
]


class _NaN(_Constraint):
    """The value is a float NaN (``zero_division=np.nan``)."""

    def is_satisfied_by(self, val):
        return isinstance(val, float) and np.isnan(val)

    def __str__(self):
        return "nan"


_AVERAGES = (None, "micro", "macro", "weighted", "samples")
_ZERO_DIVISION = [Options(Real, {0.0, 1.0}), _NaN(), StrOptions({"warn"})]
_PRF_CONSTRAINTS = {
    "y_true": ["array-like"],
    "y_pred": ["array-like"],
    "labels": ["array-like", None],
    "pos_label": [Real, str, "boolean", None],
    "average": [StrOptions({"micro", "macro", "samples", "weighted", "binary"}), None],
    "sample_weight": ["array-like", None],
    "zero_division": _ZERO_DIVISION,
}


# --------------------------------------------------------------------------
# Input checks
# --------------------------------------------------------------------------


def _as_numpy(y):
    """Labels (list, numpy, pandas, torch) as a numpy array."""
    if hasattr(y, "detach"):
        return to_numpy(y)
    if hasattr(y, "to_numpy"):
        return y.to_numpy()
    return np.asarray(y)


def _weights(sample_weight, n_samples):
    """Sample weights as float64 numpy (None stays None), length checked."""
    if sample_weight is None:
        return None
    weight = np.asarray(_as_numpy(sample_weight), dtype=np.float64).reshape(-1)
    if weight.shape[0] != n_samples:
        raise ValueError(
            f"Found input variables with inconsistent numbers of samples: {[n_samples, weight.shape[0]]}"
        )
    return weight


def _check_targets(y_true, y_pred):
    """The common type of two classification targets, and both as numpy arrays.

    Binary targets whose union holds more than two labels are "multiclass";
    column vectors are raveled.
    """
    check_consistent_length(y_true, y_pred)
    y_true, y_pred = _as_numpy(y_true), _as_numpy(y_pred)
    if _num_samples(y_true) < 1:
        raise ValueError(
            "Found empty input array (e.g., `y_true` or `y_pred`) while a minimum of 1 sample is required."
        )
    type_true = type_of_target(y_true, input_name="y_true")
    type_pred = type_of_target(y_pred, input_name="y_pred")
    types = {type_true, type_pred}
    if types == {"binary", "multiclass"}:
        types = {"multiclass"}
    if len(types) > 1:
        raise ValueError(f"Classification metrics can't handle a mix of {type_true} and {type_pred} targets")
    y_type = types.pop()
    if y_type not in ("binary", "multiclass", "multilabel-indicator"):
        raise ValueError(f"{y_type} is not supported")
    if y_type in ("binary", "multiclass"):
        y_true, y_pred = column_or_1d(y_true), column_or_1d(y_pred)
        if y_type == "binary" and len(unique_labels(y_true, y_pred)) > 2:
            y_type = "multiclass"
    return y_type, y_true, y_pred


def _check_zero_division(zero_division):
    if isinstance(zero_division, str) and zero_division == "warn":
        return 0.0
    if isinstance(zero_division, (int, float)) and zero_division in (0, 1):
        return float(zero_division)
    return np.nan


def _weighted_mean(values, weight, normalize=True):
    """Mean (or sum when not ``normalize``) of ``values``, weighted if asked."""
    values = np.asarray(values, dtype=np.float64)
    if not normalize:
        return float(values.sum() if weight is None else np.dot(values, weight))
    return float(np.average(values, weights=weight))


# --------------------------------------------------------------------------
# Counting
# --------------------------------------------------------------------------


def _encode(values, labels):
    """Index of each value in ``labels`` (len(labels) where absent)."""
    order = np.argsort(labels, kind="stable")
    sorted_labels = labels[order]
    position = np.searchsorted(sorted_labels, values)
    position = np.clip(position, 0, max(len(labels) - 1, 0))
    found = sorted_labels[position] == values if len(labels) else np.zeros(len(values), dtype=bool)
    return np.where(found, order[position], len(labels))


def _bincount(indices, weight, length):
    """Weighted counts of ``indices`` in [0, length) (float64, or int64 without weights)."""
    indices = torch.as_tensor(np.asarray(indices, dtype=np.int64))
    weights = None if weight is None else torch.as_tensor(np.asarray(weight, dtype=np.float64))
    return torch.bincount(indices, weights=weights, minlength=length)[:length].numpy()


def _solve_confusion_counts(true_index, pred_index, weight, n_labels):
    # C[i, j] = sum of the weights of the samples with y_true = label i and y_pred = label j
    keep = (true_index < n_labels) & (pred_index < n_labels)
    flat = true_index[keep] * n_labels + pred_index[keep]
    kept_weight = None if weight is None else weight[keep]
    return _bincount(flat, kept_weight, n_labels * n_labels).reshape(n_labels, n_labels)


def _multiclass_tp_pred_true(y_true, y_pred, weight, labels):
    """Per-label weighted counts of true positives, predictions and true samples."""
    true_index, pred_index = _encode(y_true, labels), _encode(y_pred, labels)
    n = len(labels)
    hit = true_index == pred_index
    tp = _bincount(true_index[hit], None if weight is None else weight[hit], n + 1)[:n]
    if not hit.any():
        tp = tp.astype(np.float64)  # as scikit-learn: no hit gives float counts
    pred = _bincount(pred_index, weight, n + 1)[:n]
    true = _bincount(true_index, weight, n + 1)[:n]
    return tp, pred, true


def _multilabel_tp_pred_true(y_true, y_pred, weight, axis):
    """Weighted counts per label (axis=0) or per sample (axis=1) for indicator matrices."""
    true_t = torch.as_tensor(np.asarray(y_true) != 0, dtype=torch.float64)
    pred_t = torch.as_tensor(np.asarray(y_pred) != 0, dtype=torch.float64)
    both = true_t * pred_t
    if weight is not None and axis == 0:
        w = torch.as_tensor(weight)[:, None]
        true_t, pred_t, both = true_t * w, pred_t * w, both * w
    counts = [t.sum(dim=axis).numpy() for t in (both, pred_t, true_t)]
    if weight is None:
        counts = [c.astype(np.int64) for c in counts]
    elif axis == 1:
        counts = [c * weight for c in counts]
    return counts


# --------------------------------------------------------------------------
# Accuracy and losses
# --------------------------------------------------------------------------


@validate_params(
    {"y_true": ["array-like"], "y_pred": ["array-like"], "normalize": ["boolean"], "sample_weight": ["array-like", None]}
)
def accuracy_score(y_true, y_pred, *, normalize=True, sample_weight=None):
    """Fraction (or count) of samples whose predicted labels all equal the true ones.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,) or label indicator matrix
    normalize : bool, default=True
        If False, return the (weighted) number of correct samples.
    sample_weight : array-like of shape (n_samples,), default=None

    Returns
    -------
    score : float

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
    return _weighted_mean(correct, _weights(sample_weight, len(correct)), normalize)


@validate_params(
    {"y_true": ["array-like"], "y_pred": ["array-like"], "normalize": ["boolean"], "sample_weight": ["array-like", None]}
)
def zero_one_loss(y_true, y_pred, *, normalize=True, sample_weight=None):
    """Fraction (or count) of misclassified samples: ``1 - accuracy``.

    Examples
    --------
    >>> from learnflow.metrics import zero_one_loss
    >>> zero_one_loss([1, 2, 3, 4], [2, 2, 3, 4])
    0.25
    """
    score = accuracy_score(y_true, y_pred, normalize=normalize, sample_weight=sample_weight)
    if normalize:
        return 1 - score
    total = _num_samples(y_true) if sample_weight is None else float(np.sum(_as_numpy(sample_weight)))
    return total - score


@validate_params({"y_true": ["array-like"], "y_pred": ["array-like"], "sample_weight": ["array-like", None]})
def hamming_loss(y_true, y_pred, *, sample_weight=None):
    """Fraction of labels that are wrongly predicted.

    Examples
    --------
    >>> from learnflow.metrics import hamming_loss
    >>> hamming_loss([[0, 1], [1, 1]], [[0, 0], [1, 1]])
    0.25
    """
    y_type, y_true, y_pred = _check_targets(y_true, y_pred)
    weight = _weights(sample_weight, len(y_true))
    if y_type == "multilabel-indicator":
        wrong = (np.asarray(y_true) != np.asarray(y_pred)).sum(axis=1)
        mean_weight = 1.0 if weight is None else float(np.mean(weight))
        total = float(wrong.sum() if weight is None else np.dot(wrong, weight))
        return total / (y_true.shape[0] * y_true.shape[1] * mean_weight)
    return _weighted_mean(y_true != y_pred, weight)


def _one_hot(y_true, labels):
    """One-hot encoding of y_true over the sorted labels, and those labels."""
    y_true = _as_numpy(y_true)
    if y_true.ndim == 2 and y_true.shape[1] > 1:
        classes = np.arange(y_true.shape[1])
        return np.asarray(y_true, dtype=np.float64), classes
    y_true = column_or_1d(y_true)
    if labels is not None:
        classes = np.unique(_as_numpy(labels))
        undeclared = set(np.unique(y_true).tolist()) - set(classes.tolist())
        if undeclared:
            raise ValueError(f"y_true contains values {undeclared} not belonging to the passed labels {labels}.")
    else:
        classes = np.unique(y_true)
    if len(classes) == 1:
        if labels is None:
            raise ValueError(
                f"y_true contains only one label ({classes[0]}). Please provide the list of all expected "
                "class labels explicitly through the labels argument."
            )
        raise ValueError(f"The labels array needs to contain at least two labels, got {classes}.")
    encoded = (y_true[:, None] == classes[None, :]).astype(np.float64)
    return encoded, classes


@validate_params(
    {
        "y_true": ["array-like"],
        "y_proba": ["array-like"],
        "normalize": ["boolean"],
        "sample_weight": ["array-like", None],
        "labels": ["array-like", None],
    }
)
def log_loss(y_true, y_proba, *, normalize=True, sample_weight=None, labels=None):
    """Log loss (cross-entropy) of predicted probabilities.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or label indicator matrix
    y_proba : array-like of shape (n_samples, n_classes) or (n_samples,)
        Probabilities of the sorted classes (a 1-D array is the positive
        class's); clipped to ``[eps, 1 - eps]``.
    normalize : bool, default=True
        Mean per-sample loss (True) or the sum.
    sample_weight : array-like of shape (n_samples,), default=None
    labels : array-like, default=None
        The classes, when y_true does not show them all.

    Examples
    --------
    >>> from learnflow.metrics import log_loss
    >>> round(log_loss(["spam", "ham", "ham", "spam"], [[.1, .9], [.9, .1], [.8, .2], [.35, .65]]), 5)
    0.21616
    """
    proba = np.asarray(check_array(_as_numpy(y_proba), ensure_2d=False, dtype=[np.float64, np.float32]))
    if proba.max() > 1:
        raise ValueError(f"y_prob contains values greater than 1: {proba.max()}")
    if proba.min() < 0:
        raise ValueError(f"y_prob contains values lower than 0: {proba.min()}")
    check_consistent_length(proba, y_true, sample_weight)
    encoded, classes = _one_hot(y_true, labels)
    proba = proba[:, None] if proba.ndim == 1 else proba
    if proba.shape[1] == 1:
        proba = np.concatenate([1 - proba, proba], axis=1)
    eps = np.finfo(proba.dtype).eps
    if not np.allclose(proba.sum(axis=1), 1, rtol=np.sqrt(eps), atol=0):
        warnings.warn("The y_prob values do not sum to one. Make sure to pass probabilities.", UserWarning)
    if len(classes) != proba.shape[1]:
        raise ValueError(
            f"y_true and y_prob contain different number of classes: {len(classes)} vs {proba.shape[1]}. "
            f"Please provide the true labels explicitly through the labels argument. Classes found in y_true: {classes}"
        )
    # loss_i = -sum_k y_ik log(clip(p_ik, eps, 1 - eps))
    clipped = torch.as_tensor(np.clip(proba, eps, 1 - eps), dtype=torch.float64)
    loss = -torch.xlogy(torch.as_tensor(encoded), clipped).sum(dim=1).numpy()
    return _weighted_mean(loss, _weights(sample_weight, len(loss)), normalize)


# --------------------------------------------------------------------------
# Confusion matrices
# --------------------------------------------------------------------------


@validate_params(
    {
        "y_true": ["array-like"],
        "y_pred": ["array-like"],
        "labels": ["array-like", None],
        "sample_weight": ["array-like", None],
        "normalize": [StrOptions({"true", "pred", "all"}), None],
    }
)
def confusion_matrix(y_true, y_pred, *, labels=None, sample_weight=None, normalize=None):
    """Confusion matrix: ``C[i, j]`` counts samples of true class i predicted as j.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
    labels : array-like of shape (n_classes,), default=None
        The classes, in the order of the rows and columns (default: sorted
        union of both targets). Samples with other labels are ignored.
    sample_weight : array-like of shape (n_samples,), default=None
    normalize : {"true", "pred", "all"}, default=None
        Divide by the row sums, the column sums or the total.

    Returns
    -------
    C : ndarray of shape (n_classes, n_classes)

    Examples
    --------
    >>> from learnflow.metrics import confusion_matrix
    >>> confusion_matrix([2, 0, 2, 2, 0, 1], [0, 0, 2, 2, 0, 2])
    array([[2, 0, 0],
           [0, 0, 1],
           [1, 0, 2]])
    """
    y_type, y_true, y_pred = _check_targets(y_true, y_pred)
    if y_type not in ("binary", "multiclass"):
        raise ValueError(f"{y_type} is not supported")
    labels = _checked_labels(labels, y_true, y_pred)
    weight = _weights(sample_weight, len(y_true))
    n_labels = len(labels)
    cm = _solve_confusion_counts(_encode(y_true, labels), _encode(y_pred, labels), weight, n_labels)
    cm = _normalize_confusion(cm, normalize)
    if cm.shape == (1, 1):
        warnings.warn(
            "A single label was found in 'y_true' and 'y_pred'. For the confusion matrix to have the correct "
            "shape, use the 'labels' parameter to pass all known labels.",
            UserWarning,
        )
    return cm


def _checked_labels(labels, y_true, y_pred):
    if labels is None:
        return unique_labels(y_true, y_pred)
    labels = _as_numpy(labels)
    if labels.size == 0:
        raise ValueError("'labels' should contain at least one label.")
    if len(np.intersect1d(y_true, labels)) == 0:
        raise ValueError("At least one label specified must be in y_true")
    return labels


_CONFUSION_NORMALIZERS = {
    "true": lambda cm: cm.sum(axis=1, keepdims=True),
    "pred": lambda cm: cm.sum(axis=0, keepdims=True),
    "all": lambda cm: cm.sum(),
}


def _normalize_confusion(cm, normalize):
    if normalize is None:
        return cm
    with np.errstate(all="ignore"):
        return np.nan_to_num(cm / _CONFUSION_NORMALIZERS[normalize](cm))


@validate_params(
    {
        "y_true": ["array-like"],
        "y_pred": ["array-like"],
        "sample_weight": ["array-like", None],
        "labels": ["array-like", None],
        "samplewise": ["boolean"],
    }
)
def multilabel_confusion_matrix(y_true, y_pred, *, sample_weight=None, labels=None, samplewise=False):
    """One 2x2 confusion matrix ``[[tn, fp], [fn, tp]]`` per label (or per sample).

    Examples
    --------
    >>> from learnflow.metrics import multilabel_confusion_matrix
    >>> multilabel_confusion_matrix([[1, 0, 1], [0, 1, 0]], [[1, 0, 0], [0, 1, 1]])
    array([[[1, 0],
            [0, 1]],
    <BLANKLINE>
           [[1, 0],
            [0, 1]],
    <BLANKLINE>
           [[0, 1],
            [1, 0]]])
    """
    tp, fp, fn, tn = _tp_fp_fn_tn(y_true, y_pred, sample_weight, labels, samplewise)
    return np.stack([tn, fp, fn, tp]).T.reshape(-1, 2, 2)


def _tp_fp_fn_tn(y_true, y_pred, sample_weight, labels, samplewise):
    y_type, y_true, y_pred = _check_targets(y_true, y_pred)
    weight = _weights(sample_weight, len(y_true))
    present = unique_labels(y_true, y_pred)
    n_labels = None
    if labels is not None:
        labels = _as_numpy(labels)
        n_labels = len(labels)
        labels = np.concatenate([labels, np.setdiff1d(present, labels, assume_unique=True)])
    else:
        labels = present
    if y_true.ndim == 1:
        if samplewise:
            raise ValueError("Samplewise metrics are not available outside of multilabel classification.")
        unknown = np.setdiff1d(np.concatenate([y_true, y_pred]), labels)
        if len(unknown):
            raise ValueError(f"y contains previously unseen labels: {unknown.tolist()}")
        tp, pred, true = _multiclass_tp_pred_true(y_true, y_pred, weight, labels[:n_labels])
    else:
        if labels.max() > present.max():
            raise ValueError(
                f"All labels must be in [0, n labels) for multilabel targets. Got {labels.max()} > {present.max()}"
            )
        if labels.min() < 0:
            raise ValueError(f"All labels must be in [0, n labels) for multilabel targets. Got {labels.min()} < 0")
        if n_labels is not None:
            y_true, y_pred = y_true[:, labels[:n_labels]], y_pred[:, labels[:n_labels]]
        tp, pred, true = _multilabel_tp_pred_true(y_true, y_pred, weight, axis=1 if samplewise else 0)
    fp, fn = pred - tp, true - tp
    if weight is not None and samplewise:
        tn = weight * y_true.shape[1] - tp - fp - fn
    elif weight is not None:
        tn = weight.sum() - tp - fp - fn
    else:
        tn = (y_true.shape[1] if samplewise else y_true.shape[0]) - tp - fp - fn
    return tp, fp, fn, tn


# --------------------------------------------------------------------------
# Precision, recall, F-score
# --------------------------------------------------------------------------


def _warn_prf(average, modifier, msg_start, result_size):
    axis0, axis1 = ("label", "sample") if average == "samples" else ("sample", "label")
    msg = (
        f"{msg_start} ill-defined and being set to 0.0 {{0}} no {modifier} {axis0}s. "
        "Use `zero_division` parameter to control this behavior."
    )
    msg = msg.format("due to" if result_size == 1 else f"in {axis1}s with")
    warnings.warn(msg, UndefinedMetricWarning, stacklevel=3)


def _prf_divide(numerator, denominator, metric, modifier, average, warn_for, zero_division):
    """numerator / denominator, with ``zero_division`` (and a warning) where the denominator is 0."""
    numerator = np.asarray(numerator, dtype=np.float64)
    denominator = np.array(denominator, dtype=np.float64)
    mask = denominator == 0
    denominator[mask] = 1
    result = numerator / denominator
    if not mask.any():
        return result
    result[mask] = _check_zero_division(zero_division)
    if zero_division == "warn" and metric in warn_for:
        _warn_prf(average, modifier, f"{metric.capitalize()} is", result.shape[0])
    return result


def _check_set_wise_labels(y_true, y_pred, average, labels, pos_label):
    """The labels to score, after checking ``average`` against the target type."""
    if average not in _AVERAGES and average != "binary":
        raise ValueError("average has to be one of " + str(_AVERAGES))
    y_type, y_true, y_pred = _check_targets(y_true, y_pred)
    present = unique_labels(y_true, y_pred).tolist()
    if average == "binary":
        if y_type == "binary":
            if pos_label not in present and len(present) >= 2:
                raise ValueError(f"pos_label={pos_label} is not a valid label. It should be one of {present}")
            return [pos_label]
        options = [a for a in _AVERAGES if not (y_type == "multiclass" and a == "samples")]
        raise ValueError(
            f"Target is {y_type} but average='binary'. Please choose another average setting, one of {options!r}."
        )
    if pos_label not in (None, 1):
        warnings.warn(
            f"Note that pos_label (set to {pos_label!r}) is ignored when average != 'binary' (got {average!r}). "
            "You may use labels=[pos_label] to specify a single positive class.",
            UserWarning,
        )
    return labels


def _nanaverage(values, weights=None):
    """Weighted mean ignoring NaN entries (all-zero weights fall back to a plain mean)."""
    if values.shape[0] == 0:
        return np.nan
    mask = np.isnan(values)
    if mask.all():
        return np.nan
    if weights is None:
        return float(np.mean(values[~mask]))
    values, weights = values[~mask], np.asarray(weights, dtype=np.float64)[~mask]
    if weights.sum() == 0:
        return float(np.mean(values))
    return float(np.average(values, weights=weights))


def _solve_fbeta(tp, pred, true, beta, average, warn_for, zero_division):
    # precision = tp / pred; recall = tp / true
    # F_beta = (1 + beta^2) tp / ((1 + beta^2) tp + beta^2 fn + fp) = (1 + beta^2) tp / (beta^2 true + pred)
    precision = _prf_divide(tp, pred, "precision", "predicted", average, warn_for, zero_division)
    recall = _prf_divide(tp, true, "recall", "true", average, warn_for, zero_division)
    if np.isposinf(beta):
        return precision, recall, recall
    if beta == 0:
        return precision, recall, precision
    beta2 = beta**2
    denominator = beta2 * np.asarray(true, dtype=np.float64) + np.asarray(pred, dtype=np.float64)
    f_score = _prf_divide(
        (1 + beta2) * np.asarray(tp, dtype=np.float64), denominator, "f-score", "true nor predicted",
        average, warn_for, zero_division,
    )
    return precision, recall, f_score


@validate_params(
    {**_PRF_CONSTRAINTS, "beta": [Interval(Real, 0.0, None, closed="both")], "warn_for": [list, tuple, set]}
)
def precision_recall_fscore_support(
    y_true,
    y_pred,
    *,
    beta=1.0,
    labels=None,
    pos_label=1,
    average=None,
    warn_for=("precision", "recall", "f-score"),
    sample_weight=None,
    zero_division="warn",
):
    """Precision, recall, F-beta score and support, per label or averaged.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,) or label indicator matrix
    beta : float, default=1.0
        Weight of recall relative to precision in the F-score.
    labels : array-like, default=None
        The labels to score (and their order when ``average=None``).
    pos_label : int, float, bool or str, default=1
        The class scored when ``average="binary"``.
    average : {"binary", "micro", "macro", "weighted", "samples"} or None, default=None
        None gives per-label arrays; "micro" pools the counts; "macro" is
        the plain mean over labels; "weighted" weights by support;
        "samples" averages over samples (multilabel).
    warn_for : tuple or set, for internal use
        Which metrics warn when ill-defined.
    sample_weight : array-like of shape (n_samples,), default=None
    zero_division : {"warn", 0.0, 1.0, np.nan}, default="warn"
        The value of an ill-defined ratio ("warn": 0 plus an
        UndefinedMetricWarning; NaN values are left out of averages).

    Returns
    -------
    precision, recall, fbeta_score : float or ndarray of shape (n_labels,)
    support : None or ndarray of shape (n_labels,)

    Examples
    --------
    >>> from learnflow.metrics import precision_recall_fscore_support
    >>> y_true = ["cat", "dog", "pig", "cat", "dog", "pig"]
    >>> y_pred = ["cat", "pig", "dog", "cat", "cat", "dog"]
    >>> p, r, f, s = precision_recall_fscore_support(y_true, y_pred, average="macro")
    >>> round(p, 3), round(r, 3), round(f, 3), s
    (0.222, 0.333, 0.267, None)
    """
    _check_zero_division(zero_division)
    labels = _check_set_wise_labels(y_true, y_pred, average, labels, pos_label)
    tp, fp, fn, _ = _tp_fp_fn_tn(y_true, y_pred, sample_weight, labels, average == "samples")
    pred, true = tp + fp, tp + fn
    if average == "micro":
        tp, pred, true = np.array([tp.sum()]), np.array([pred.sum()]), np.array([true.sum()])
    precision, recall, f_score = _solve_fbeta(tp, pred, true, beta, average, warn_for, zero_division)
    if average is None:
        return precision, recall, f_score, true
    weights = {"weighted": true, "samples": _weights(sample_weight, _num_samples(y_true))}.get(average)
    return _nanaverage(precision, weights), _nanaverage(recall, weights), _nanaverage(f_score, weights), None


@validate_params({**_PRF_CONSTRAINTS, "beta": [Interval(Real, 0.0, None, closed="both")]})
def fbeta_score(
    y_true, y_pred, *, beta, labels=None, pos_label=1, average="binary", sample_weight=None, zero_division="warn"
):
    """F-beta score: the weighted harmonic mean of precision and recall.

    Examples
    --------
    >>> from learnflow.metrics import fbeta_score
    >>> round(fbeta_score([0, 1, 1, 0, 1], [0, 1, 0, 0, 1], beta=2), 4)
    0.7143
    """
    _, _, f, _ = precision_recall_fscore_support(
        y_true, y_pred, beta=beta, labels=labels, pos_label=pos_label, average=average,
        warn_for=("f-score",), sample_weight=sample_weight, zero_division=zero_division,
    )
    return f


@validate_params(_PRF_CONSTRAINTS)
def f1_score(y_true, y_pred, *, labels=None, pos_label=1, average="binary", sample_weight=None, zero_division="warn"):
    """F1 score: ``2 * precision * recall / (precision + recall)`` (the book's Equation 3-3).

    Examples
    --------
    >>> from learnflow.metrics import f1_score
    >>> f1_score([0, 1, 1, 0, 1], [0, 1, 0, 0, 1])
    0.8
    """
    return fbeta_score(
        y_true, y_pred, beta=1, labels=labels, pos_label=pos_label, average=average,
        sample_weight=sample_weight, zero_division=zero_division,
    )


@validate_params(_PRF_CONSTRAINTS)
def precision_score(
    y_true, y_pred, *, labels=None, pos_label=1, average="binary", sample_weight=None, zero_division="warn"
):
    """Precision ``tp / (tp + fp)`` (the book's Equation 3-1).

    Examples
    --------
    >>> from learnflow.metrics import precision_score
    >>> precision_score([0, 1, 1, 0, 1], [1, 1, 0, 0, 1])
    0.6666666666666666
    """
    p, _, _, _ = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, pos_label=pos_label, average=average,
        warn_for=("precision",), sample_weight=sample_weight, zero_division=zero_division,
    )
    return p


@validate_params(_PRF_CONSTRAINTS)
def recall_score(
    y_true, y_pred, *, labels=None, pos_label=1, average="binary", sample_weight=None, zero_division="warn"
):
    """Recall ``tp / (tp + fn)`` (the book's Equation 3-2).

    Examples
    --------
    >>> from learnflow.metrics import recall_score
    >>> recall_score([0, 1, 1, 0, 1], [1, 1, 0, 0, 1])
    0.6666666666666666
    """
    _, r, _, _ = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, pos_label=pos_label, average=average,
        warn_for=("recall",), sample_weight=sample_weight, zero_division=zero_division,
    )
    return r


@validate_params(
    {"y_true": ["array-like"], "y_pred": ["array-like"], "sample_weight": ["array-like", None], "adjusted": ["boolean"]}
)
def balanced_accuracy_score(y_true, y_pred, *, sample_weight=None, adjusted=False):
    """Mean recall over the classes (chance-adjusted to 0 if ``adjusted``).

    Examples
    --------
    >>> from learnflow.metrics import balanced_accuracy_score
    >>> balanced_accuracy_score([0, 1, 0, 0, 1, 0], [0, 1, 0, 0, 0, 1])
    0.625
    """
    cm = confusion_matrix(y_true, y_pred, sample_weight=sample_weight)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_class = np.diag(cm) / cm.sum(axis=1)
    if np.isnan(per_class).any():
        warnings.warn("y_pred contains classes not in y_true")
        per_class = per_class[~np.isnan(per_class)]
    score = np.mean(per_class)
    if adjusted:
        chance = 1 / len(per_class)
        score = (score - chance) / (1 - chance)
    return float(score)


# --------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------


@validate_params(
    {
        "y_true": ["array-like"],
        "y_pred": ["array-like"],
        "labels": ["array-like", None],
        "target_names": ["array-like", None],
        "sample_weight": ["array-like", None],
        "digits": [Interval(Integral, 0, None, closed="left")],
        "output_dict": ["boolean"],
        "zero_division": _ZERO_DIVISION,
    }
)
def classification_report(
    y_true, y_pred, *, labels=None, target_names=None, sample_weight=None, digits=2, output_dict=False,
    zero_division="warn",
):
    """Text (or dict) report of precision, recall, F1 and support per class and averaged.

    Examples
    --------
    >>> from learnflow.metrics import classification_report
    >>> print(classification_report([0, 1, 2, 2, 2], [0, 0, 2, 2, 1], target_names=["a", "b", "c"]))
                  precision    recall  f1-score   support
    <BLANKLINE>
               a       0.50      1.00      0.67         1
               b       0.00      0.00      0.00         1
               c       1.00      0.67      0.80         3
    <BLANKLINE>
        accuracy                           0.60         5
       macro avg       0.50      0.56      0.49         5
    weighted avg       0.70      0.60      0.61         5
    <BLANKLINE>
    """
    y_type, y_true, y_pred = _check_targets(y_true, y_pred)
    labels_given = labels is not None
    labels = _as_numpy(labels) if labels_given else unique_labels(y_true, y_pred)
    micro_is_accuracy = y_type in ("multiclass", "binary") and (
        not labels_given or set(labels.tolist()) >= set(unique_labels(y_true, y_pred).tolist())
    )
    if target_names is not None and len(labels) != len(target_names):
        if not labels_given:
            raise ValueError(
                f"Number of classes, {len(labels)}, does not match size of target_names, {len(target_names)}. "
                "Try specifying the labels parameter"
            )
        warnings.warn(f"labels size, {len(labels)}, does not match size of target_names, {len(target_names)}")
    names = [f"{label}" for label in labels] if target_names is None else [f"{n}" for n in target_names]
    averages = ("micro", "macro", "weighted") + (("samples",) if y_type == "multilabel-indicator" else ())
    kwargs = {"labels": labels, "sample_weight": sample_weight, "zero_division": zero_division}
    p, r, f1, s = precision_recall_fscore_support(y_true, y_pred, average=None, **kwargs)
    rows = [(name, p[i], r[i], f1[i], s[i]) for i, name in enumerate(names)]
    summary = []
    for average in averages:
        heading = "accuracy" if average == "micro" and micro_is_accuracy else f"{average} avg"
        avg_p, avg_r, avg_f1, _ = precision_recall_fscore_support(y_true, y_pred, average=average, **kwargs)
        summary.append((heading, avg_p, avg_r, avg_f1, np.sum(s)))
    if output_dict:
        return _report_dict(rows, summary)
    return _report_text(rows, summary, digits)


_REPORT_HEADERS = ["precision", "recall", "f1-score", "support"]


def _report_dict(rows, summary):
    report = {name: dict(zip(_REPORT_HEADERS, [float(v) for v in values])) for name, *values in rows}
    for heading, *values in summary:
        report[heading] = dict(zip(_REPORT_HEADERS, [float(v) for v in values]))
    if "accuracy" in report:
        report["accuracy"] = report["accuracy"]["precision"]
    return report


def _report_text(rows, summary, digits):
    width = max(max(len(name) for name, *_ in rows), len("weighted avg"), digits)
    head_fmt = "{:>{width}s} " + " {:>9}" * len(_REPORT_HEADERS)
    row_fmt = "{:>{width}s} " + " {:>9.{digits}f}" * 3 + " {:>9}\n"
    report = head_fmt.format("", *_REPORT_HEADERS, width=width) + "\n\n"
    for row in rows:
        report += row_fmt.format(*row, width=width, digits=digits)
    report += "\n"
    for heading, *values in summary:
        if heading == "accuracy":
            accuracy_fmt = "{:>{width}s} " + " {:>9.{digits}}" * 2 + " {:>9.{digits}f}" + " {:>9}\n"
            report += accuracy_fmt.format(heading, "", "", *values[2:], width=width, digits=digits)
        else:
            report += row_fmt.format(heading, *values, width=width, digits=digits)
    return report
