"""Regression metrics, computed on torch tensors.

Every metric takes ``y_true`` and ``y_pred`` of shape (n_samples,) or
(n_samples, n_outputs), optional ``sample_weight`` and (where scikit-learn has
it) ``multioutput``: "raw_values" returns one value per output (numpy, or a
tensor when ``y_pred`` is a tensor), "uniform_average" their mean, an
array-like their weighted mean.
"""

# SPDX-License-Identifier: BSD-3-Clause

import warnings

import torch

from .._engine import is_torch, to_output, to_tensor
from ..exceptions import UndefinedMetricWarning
from ..utils.validation import check_array, check_consistent_length, check_sample_weight

__all__ = [
    "explained_variance_score",
    "max_error",
    "mean_absolute_error",
    "mean_absolute_percentage_error",
    "mean_squared_error",
    "mean_squared_log_error",
    "median_absolute_error",
    "r2_score",
    "root_mean_squared_error",
    "root_mean_squared_log_error",
]

_AVERAGES = ("raw_values", "uniform_average")
_AVERAGES_VARIANCE = ("raw_values", "uniform_average", "variance_weighted")


def _weighted_mean(values, weight):
    """Mean over samples (dim 0), weighted if ``weight`` is given."""
    # mean_w(v) = sum_i w_i v_i / sum_i w_i
    if weight is None:
        return values.mean(dim=0)
    return (values * weight.reshape(-1, *([1] * (values.ndim - 1)))).sum(dim=0) / weight.sum()


def _weighted_median(values, weight):
    """Weighted median of each column, averaging at an exact half (scikit-learn's rule)."""
    # CDF_j(k) = sum_{i<=k} w_(i); median = first sorted value with CDF >= total / 2,
    # averaged with the next one when CDF lands exactly on total / 2.
    if weight is None:
        return values.quantile(0.5, dim=0)
    if bool((weight == 0).all()):
        return torch.full((values.shape[1],), torch.nan, dtype=values.dtype, device=values.device)
    order = torch.sort(values, dim=0, stable=True).indices
    sorted_weight = weight[order]
    cdf = torch.cumsum(sorted_weight, dim=0).T.contiguous()
    half = cdf[:, -1:] / 2
    last = values.shape[0] - 1
    position = torch.searchsorted(cdf, half).clamp(0, last).reshape(-1)
    columns = torch.arange(values.shape[1], device=values.device)
    lower = values[order[position, columns], columns]
    above = (cdf[columns, position] - half.reshape(-1)) > torch.finfo(values.dtype).eps
    upper_position = (position + 1).clamp(0, last)
    for col in torch.nonzero(sorted_weight[upper_position, columns] == 0).reshape(-1).tolist():
        # the next sample with non-zero weight: where the CDF grows past its current value
        nxt = int(torch.searchsorted(cdf[col], cdf[col, position[col]], right=True))
        upper_position[col] = position[col] if nxt > last else nxt
    upper = values[order[upper_position, columns], columns]
    return torch.where(above, lower, (lower + upper) / 2)


def _check_reg_targets(y_true, y_pred, sample_weight, multioutput, allowed=_AVERAGES):
    """Validate a regression metric's inputs; return 2-D tensors, weights and multioutput.

    Returns
    -------
    y_true, y_pred : torch.Tensor of shape (n_samples, n_outputs)
    weight : torch.Tensor of shape (n_samples,) or None
    multioutput : str or torch.Tensor of shape (n_outputs,)
    """
    check_consistent_length(y_true, y_pred, sample_weight)
    device = y_pred.device if is_torch(y_pred) else (y_true.device if is_torch(y_true) else None)
    arrays = []
    for name, y in (("y_true", y_true), ("y_pred", y_pred)):
        checked = check_array(y, ensure_2d=False, dtype="numeric", input_name=name)
        if not is_torch(checked) and not checked.flags.writeable:  # pandas may hand out read-only views
            checked = checked.copy()
        if checked.ndim > 2:
            raise ValueError(f"{name} must be 1-D or 2-D, got an array of shape {tuple(checked.shape)}.")
        tensor = to_tensor(checked, device=device)
        arrays.append(tensor.reshape(-1, 1) if tensor.ndim == 1 else tensor)
    y_true, y_pred = arrays
    if y_true.shape[1] != y_pred.shape[1]:
        raise ValueError(
            f"y_true and y_pred have different number of output ({y_true.shape[1]}!={y_pred.shape[1]})"
        )
    weight = None
    if sample_weight is not None:
        weight = to_tensor(
            check_sample_weight(sample_weight, y_true.cpu().numpy(), allow_all_zero_weights=True),
            device=y_true.device,
        )
    n_outputs = y_true.shape[1]
    if isinstance(multioutput, str):
        if multioutput not in allowed:
            raise ValueError(
                f"Allowed 'multioutput' string values are {allowed}. You provided multioutput={multioutput!r}"
            )
    elif multioutput is not None:
        multioutput = to_tensor(check_array(multioutput, ensure_2d=False), device=y_true.device)
        if n_outputs == 1:
            raise ValueError("Custom weights are useful only in multi-output cases.")
        if multioutput.shape[0] != n_outputs:
            raise ValueError(
                f"There must be equally many custom weights ({multioutput.shape[0]}) as outputs ({n_outputs})."
            )
    return y_true, y_pred, weight, multioutput


def _aggregate(per_output, multioutput, like, variance=None):
    """Combine per-output values: "raw_values", "uniform_average", "variance_weighted" or weights."""
    if isinstance(multioutput, str):
        if multioutput == "raw_values":
            return to_output(per_output, like)
        if multioutput == "uniform_average":
            return float(per_output.mean())
        if bool((variance != 0).any()):  # variance_weighted
            return float((per_output * variance).sum() / variance.sum())
        return float(per_output.mean())
    return float((per_output * multioutput).sum() / multioutput.sum())


def _explained_fraction(numerator, denominator, force_finite):
    """1 - numerator / denominator per output, with scikit-learn's finite conventions."""
    # score_j = 1 - num_j / den_j; force_finite: 0/0 -> 1 (perfect), x/0 -> 0
    if not force_finite:
        return 1 - numerator / denominator
    nonzero_denominator = denominator != 0
    nonzero_numerator = numerator != 0
    scores = torch.ones_like(numerator)
    valid = nonzero_denominator & nonzero_numerator
    scores[valid] = 1 - numerator[valid] / denominator[valid]
    scores[nonzero_numerator & ~nonzero_denominator] = 0.0
    return scores


def mean_squared_error(y_true, y_pred, *, sample_weight=None, multioutput="uniform_average"):
    """Mean squared error regression loss.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,) or (n_samples, n_outputs)
    sample_weight : array-like of shape (n_samples,), default=None
    multioutput : {"raw_values", "uniform_average"} or array-like of shape (n_outputs,), default="uniform_average"

    Returns
    -------
    loss : float or ndarray of shape (n_outputs,)

    Examples
    --------
    >>> from learnflow.metrics import mean_squared_error
    >>> mean_squared_error([3, -0.5, 2, 7], [2.5, 0.0, 2, 8])
    0.375
    """
    yt, yp, weight, multioutput = _check_reg_targets(y_true, y_pred, sample_weight, multioutput)
    # MSE_j = mean_w((y_ij - yhat_ij)^2)
    return _aggregate(_weighted_mean((yt - yp) ** 2, weight), multioutput, y_pred)


def root_mean_squared_error(y_true, y_pred, *, sample_weight=None, multioutput="uniform_average"):
    """Root mean squared error regression loss (the square root of each output's MSE).

    Parameters are those of :func:`mean_squared_error`.

    Examples
    --------
    >>> from learnflow.metrics import root_mean_squared_error
    >>> round(root_mean_squared_error([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]), 6)
    0.612372
    """
    yt, yp, weight, multioutput = _check_reg_targets(y_true, y_pred, sample_weight, multioutput)
    return _aggregate(torch.sqrt(_weighted_mean((yt - yp) ** 2, weight)), multioutput, y_pred)


def _check_log_targets(yt, yp, name):
    if bool((yt <= -1).any()) or bool((yp <= -1).any()):
        raise ValueError(f"{name} cannot be used when targets contain values less than or equal to -1.")


def mean_squared_log_error(y_true, y_pred, *, sample_weight=None, multioutput="uniform_average"):
    """Mean squared logarithmic error: the MSE of ``log1p(y_true)`` and ``log1p(y_pred)``.

    Parameters are those of :func:`mean_squared_error`; targets must be > -1.

    Examples
    --------
    >>> from learnflow.metrics import mean_squared_log_error
    >>> round(mean_squared_log_error([3, 5, 2.5, 7], [2.5, 5, 4, 8]), 6)
    0.03973
    """
    yt, yp, weight, multioutput = _check_reg_targets(y_true, y_pred, sample_weight, multioutput)
    _check_log_targets(yt, yp, "Mean Squared Logarithmic Error")
    return _aggregate(_weighted_mean((torch.log1p(yt) - torch.log1p(yp)) ** 2, weight), multioutput, y_pred)


def root_mean_squared_log_error(y_true, y_pred, *, sample_weight=None, multioutput="uniform_average"):
    """Root mean squared logarithmic error (per output, then averaged).

    Examples
    --------
    >>> from learnflow.metrics import root_mean_squared_log_error
    >>> round(root_mean_squared_log_error([3, 5, 2.5, 7], [2.5, 5, 4, 8]), 6)
    0.199324
    """
    yt, yp, weight, multioutput = _check_reg_targets(y_true, y_pred, sample_weight, multioutput)
    _check_log_targets(yt, yp, "Root Mean Squared Logarithmic Error")
    per_output = torch.sqrt(_weighted_mean((torch.log1p(yt) - torch.log1p(yp)) ** 2, weight))
    return _aggregate(per_output, multioutput, y_pred)


def mean_absolute_error(y_true, y_pred, *, sample_weight=None, multioutput="uniform_average"):
    """Mean absolute error regression loss.

    Examples
    --------
    >>> from learnflow.metrics import mean_absolute_error
    >>> mean_absolute_error([3, -0.5, 2, 7], [2.5, 0.0, 2, 8])
    0.5
    """
    yt, yp, weight, multioutput = _check_reg_targets(y_true, y_pred, sample_weight, multioutput)
    # MAE_j = mean_w(|y_ij - yhat_ij|)
    return _aggregate(_weighted_mean((yt - yp).abs(), weight), multioutput, y_pred)


def mean_absolute_percentage_error(y_true, y_pred, *, sample_weight=None, multioutput="uniform_average"):
    """Mean absolute percentage error (a relative error, not multiplied by 100).

    Examples
    --------
    >>> from learnflow.metrics import mean_absolute_percentage_error
    >>> round(mean_absolute_percentage_error([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]), 6)
    0.327381
    """
    yt, yp, weight, multioutput = _check_reg_targets(y_true, y_pred, sample_weight, multioutput)
    # MAPE_j = mean_w(|y - yhat| / max(|y|, eps))
    eps = torch.finfo(torch.float64).eps
    ratio = (yp - yt).abs() / yt.abs().clamp_min(eps)
    return _aggregate(_weighted_mean(ratio, weight), multioutput, y_pred)


def median_absolute_error(y_true, y_pred, *, multioutput="uniform_average", sample_weight=None):
    """Median absolute error regression loss (robust to outliers).

    Examples
    --------
    >>> from learnflow.metrics import median_absolute_error
    >>> median_absolute_error([3, -0.5, 2, 7], [2.5, 0.0, 2, 8])
    0.5
    """
    yt, yp, weight, multioutput = _check_reg_targets(y_true, y_pred, sample_weight, multioutput)
    return _aggregate(_weighted_median((yp - yt).abs(), weight), multioutput, y_pred)


def max_error(y_true, y_pred):
    """The largest absolute residual (single-output targets only).

    Examples
    --------
    >>> from learnflow.metrics import max_error
    >>> max_error([3, 2, 7, 1], [4, 2, 7, 1])
    1.0
    """
    yt, yp, _, _ = _check_reg_targets(y_true, y_pred, None, None)
    if yt.shape[1] > 1:
        raise ValueError("Multioutput not supported in max_error")
    return float((yt - yp).abs().max())


def explained_variance_score(
    y_true, y_pred, *, sample_weight=None, multioutput="uniform_average", force_finite=True
):
    """Explained variance regression score: 1 - Var(y - yhat) / Var(y).

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,) or (n_samples, n_outputs)
    sample_weight : array-like of shape (n_samples,), default=None
    multioutput : {"raw_values", "uniform_average", "variance_weighted"} or array-like, default="uniform_average"
    force_finite : bool, default=True
        Constant y_true gives 1.0 (perfect prediction) or 0.0 instead of NaN/-inf.

    Examples
    --------
    >>> from learnflow.metrics import explained_variance_score
    >>> round(explained_variance_score([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]), 6)
    0.957173
    """
    yt, yp, weight, multioutput = _check_reg_targets(y_true, y_pred, sample_weight, multioutput, _AVERAGES_VARIANCE)
    residual = yt - yp
    numerator = _weighted_mean((residual - _weighted_mean(residual, weight)) ** 2, weight)
    denominator = _weighted_mean((yt - _weighted_mean(yt, weight)) ** 2, weight)
    scores = _explained_fraction(numerator, denominator, force_finite)
    return _aggregate(scores, multioutput, y_pred, variance=denominator)


def r2_score(y_true, y_pred, *, sample_weight=None, multioutput="uniform_average", force_finite=True):
    """R² (coefficient of determination) regression score.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,) or (n_samples, n_outputs)
    sample_weight : array-like of shape (n_samples,), default=None
    multioutput : {"raw_values", "uniform_average", "variance_weighted"} or array-like, default="uniform_average"
    force_finite : bool, default=True
        Constant y_true gives 1.0 (perfect prediction) or 0.0 instead of NaN/-inf.

    Returns
    -------
    score : float or ndarray of shape (n_outputs,)
        NaN, with an UndefinedMetricWarning, for fewer than two samples.

    Examples
    --------
    >>> from learnflow.metrics import r2_score
    >>> round(r2_score([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]), 6)
    0.948608
    """
    yt, yp, weight, multioutput = _check_reg_targets(y_true, y_pred, sample_weight, multioutput, _AVERAGES_VARIANCE)
    if yt.shape[0] < 2:
        warnings.warn("R^2 score is not well-defined with less than two samples.", UndefinedMetricWarning)
        return float("nan")
    # R2_j = 1 - sum_i w_i (y_ij - yhat_ij)^2 / sum_i w_i (y_ij - mean_w(y_j))^2
    w = torch.ones(yt.shape[0], dtype=yt.dtype, device=yt.device) if weight is None else weight
    numerator = (w[:, None] * (yt - yp) ** 2).sum(dim=0)
    denominator = (w[:, None] * (yt - _weighted_mean(yt, weight)) ** 2).sum(dim=0)
    scores = _explained_fraction(numerator, denominator, force_finite)
    return _aggregate(scores, multioutput, y_pred, variance=denominator)

