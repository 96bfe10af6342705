"""Regression metrics."""

# SPDX-License-Identifier: BSD-3-Clause

import torch

from .._engine import to_tensor
from ..utils.validation import check_consistent_length, column_or_1d

__all__ = ["r2_score"]


def _weighted_mean(values, weight):
    """Mean over samples (dim 0), weighted if ``weight`` is given."""
    if weight is None:
        return values.mean(dim=0)
    return (values * weight.reshape(-1, *([1] * (values.ndim - 1)))).sum(dim=0) / weight.sum()


def _regression_inputs(y_true, y_pred, sample_weight):
    """Tensors of shape (n_samples, n_outputs) and the weights, lengths checked."""
    check_consistent_length(y_true, y_pred, sample_weight)
    y_true = to_tensor(y_true)
    y_pred = to_tensor(y_pred, device=y_true.device)
    if y_true.ndim == 1:
        y_true = y_true.reshape(-1, 1)
    if y_pred.ndim == 1:
        y_pred = y_pred.reshape(-1, 1)
    if y_true.shape[1] != y_pred.shape[1]:
        raise ValueError(
            f"y_true and y_pred have different number of output ({y_true.shape[1]}!={y_pred.shape[1]})"
        )
    weight = None
    if sample_weight is not None:
        weight = to_tensor(column_or_1d(sample_weight), device=y_true.device)
    return y_true, y_pred, weight


def _aggregate_outputs(per_output, multioutput, weight_for_variance=None):
    """Combine per-output scores: "raw_values", "uniform_average" or explicit weights."""
    if isinstance(multioutput, str):
        if multioutput == "raw_values":
            return per_output.cpu().numpy()
        if multioutput == "uniform_average":
            return float(per_output.mean())
        if multioutput == "variance_weighted" and weight_for_variance is not None:
            if float(weight_for_variance.sum()) == 0:
                return float(per_output.mean())
            return float((per_output * weight_for_variance).sum() / weight_for_variance.sum())
        raise ValueError(f"Unknown multioutput option {multioutput!r}.")
    weights = to_tensor(multioutput, device=per_output.device)
    if weights.shape != per_output.shape:
        raise ValueError("There must be equally many custom weights as outputs.")
    return float((per_output * weights).sum() / weights.sum())


def r2_score(y_true, y_pred, *, sample_weight=None, multioutput="uniform_average", force_finite=True):
    """R² (coefficient of determination) regression score.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,) or (n_samples, n_outputs)
    sample_weight : array-like of shape (n_samples,), default=None
    multioutput : {"raw_values", "uniform_average", "variance_weighted"} or array-like, default="uniform_average"
    force_finite : bool, default=True
        Constant y_true gives 1.0 (perfect prediction) or 0.0 instead of NaN/-inf.

    Examples
    --------
    >>> from learnflow.metrics import r2_score
    >>> round(r2_score([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]), 6)
    0.948608
    """
    y_true, y_pred, weight = _regression_inputs(y_true, y_pred, sample_weight)
    if y_true.shape[0] < 2:
        raise ValueError("R^2 score is not well-defined with less than two samples.")
    numerator = _weighted_mean((y_true - y_pred) ** 2, weight)
    denominator = _weighted_mean((y_true - _weighted_mean(y_true, weight)) ** 2, weight)
    nonzero_denominator = denominator != 0
    nonzero_numerator = numerator != 0
    per_output = torch.ones_like(numerator)
    valid = nonzero_denominator & nonzero_numerator
    per_output[valid] = 1 - numerator[valid] / denominator[valid]
    if force_finite:
        per_output[nonzero_numerator & ~nonzero_denominator] = 0.0
    else:
        per_output[~nonzero_denominator] = torch.where(
            nonzero_numerator[~nonzero_denominator], -torch.inf, torch.nan
        ).to(per_output.dtype)
    return _aggregate_outputs(per_output, multioutput, weight_for_variance=denominator)
