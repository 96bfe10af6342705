"""Feature scaling: StandardScaler and MinMaxScaler (Chapter 2, "Feature Scaling").

Statistics are computed on torch tensors through the engine, so the scalers
run on a GPU inside ``config_context(device="cuda")``; NaN values are ignored
when fitting and kept when transforming, as scikit-learn does.
"""

# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
import torch

from .._engine import to_numpy, to_output, to_tensor
from ..base import BaseEstimator, TransformerMixin, _fit_context
from ..utils.validation import check_is_fitted, check_sample_weight, validate_data
from ..utils.validation import _check_feature_names_in

__all__ = ["MinMaxScaler", "StandardScaler"]

_EPS = float(np.finfo(np.float64).eps)


def _solve_batch_moments(X, weight):
    """Weighted count, mean and variance of each column, NaN ignored.

    # n_j = sum_i w_i [x_ij not NaN];  mean_j = sum_i w_i x_ij / n_j;
    # var_j = sum_i w_i (x_ij - mean_j)^2 / n_j
    """
    weight = weight.to(X.dtype)
    if not bool(torch.isnan(X).any()):  # fast path: two matrix-vector products
        count = weight.sum().expand(X.shape[1])
        mean = weight @ X / count
        var = weight @ (X - mean) ** 2 / count
        return count, mean, var
    present = ~torch.isnan(X)
    W = weight[:, None] * present
    Xz = torch.where(present, X, torch.zeros((), dtype=X.dtype, device=X.device))
    count = W.sum(0)
    safe = torch.where(count > 0, count, torch.ones_like(count))
    mean = (W * Xz).sum(0) / safe
    centered = torch.where(present, Xz - mean, torch.zeros((), dtype=X.dtype, device=X.device))
    var = (W * centered**2).sum(0) / safe
    return count, mean, var


def _solve_merge_moments(count_a, mean_a, var_a, count_b, mean_b, var_b):
    """Merge two sets of column moments (Chan, Golub and LeVeque's parallel update).

    # n = n_a + n_b;  delta = mean_b - mean_a;  mean = mean_a + delta n_b / n
    # var = (n_a var_a + n_b var_b + delta^2 n_a n_b / n) / n
    """
    count = count_a + count_b
    safe = torch.where(count > 0, count, torch.ones_like(count))
    delta = mean_b - mean_a
    mean = mean_a + delta * count_b / safe
    m2 = count_a * var_a + count_b * var_b + delta**2 * count_a * count_b / safe
    return count, mean, m2 / safe


def _constant_feature_mask(var, mean, count):
    """Columns whose variance is within floating-point error of zero (scikit-learn's bound)."""
    upper = count * _EPS * var + (count * mean * _EPS) ** 2
    return var <= upper


def _handle_zeros_in_scale(scale, constant_mask=None):
    """Replace the scale of constant columns by 1 so that dividing leaves them unchanged."""
    if constant_mask is None:
        constant_mask = scale < 10 * _EPS
    return torch.where(constant_mask, torch.ones_like(scale), scale)


def _as_float_array(values):
    return None if values is None else to_numpy(values).astype(np.float64)


class StandardScaler(TransformerMixin, BaseEstimator):
    """Standardize features: subtract the mean and divide by the standard deviation.

    Parameters
    ----------
    copy : bool, default=True
        Kept for scikit-learn compatibility; transforms always return new arrays.
    with_mean : bool, default=True
        Center the data before scaling.
    with_std : bool, default=True
        Scale the data to unit variance.

    Attributes
    ----------
    scale_ : ndarray of shape (n_features,) or None
        Per-feature scale (the standard deviation, 1 for constant features).
    mean_ : ndarray of shape (n_features,) or None
    var_ : ndarray of shape (n_features,) or None
    n_samples_seen_ : int or ndarray of shape (n_features,)
        Samples seen per feature (an array when NaN made the counts differ).
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,)

    Examples
    --------
    >>> from learnflow.preprocessing import StandardScaler
    >>> scaler = StandardScaler().fit([[0, 0], [0, 0], [1, 1], [1, 1]])
    >>> scaler.mean_
    array([0.5, 0.5])
    >>> scaler.transform([[2, 2]])
    array([[3., 3.]])
    """

    _parameter_constraints = {"copy": ["boolean"], "with_mean": ["boolean"], "with_std": ["boolean"]}

    def __init__(self, *, copy=True, with_mean=True, with_std=True):
        self.copy = copy
        self.with_mean = with_mean
        self.with_std = with_std

    def _reset(self):
        for name in ("n_samples_seen_", "mean_", "var_", "scale_", "_count", "_mean", "_var"):
            if hasattr(self, name):
                delattr(self, name)

    def fit(self, X, y=None, sample_weight=None):
        """Compute the mean and standard deviation of each feature."""
        self._reset()
        return self.partial_fit(X, y, sample_weight)

    @_fit_context()
    def partial_fit(self, X, y=None, sample_weight=None):
        """Update the mean and standard deviation with a batch of samples."""
        first = not hasattr(self, "n_samples_seen_")
        X = validate_data(self, X, reset=first, ensure_all_finite="allow-nan", dtype="numeric")
        weight = to_tensor(check_sample_weight(sample_weight, X))
        Xt = to_tensor(X)
        count_b, mean_b, var_b = _solve_batch_moments(Xt, weight)
        if first:
            self._count, self._mean, self._var = count_b, mean_b, var_b
        else:
            dev = Xt.device
            self._count, self._mean, self._var = _solve_merge_moments(
                self._count.to(dev), self._mean.to(dev), self._var.to(dev), count_b, mean_b, var_b
            )
        self._weighted = getattr(self, "_weighted", False) or sample_weight is not None
        self._publish()
        return self

    def _publish(self):
        """Expose the running moments as scikit-learn's attributes."""
        counts = to_numpy(self._count)
        counts = counts if self._weighted else np.rint(counts).astype(np.int64)
        self.n_samples_seen_ = counts[0] if counts.size and np.ptp(counts) == 0 else counts
        self.mean_ = _as_float_array(self._mean) if (self.with_mean or self.with_std) else None
        self.var_ = _as_float_array(self._var) if self.with_std else None
        if self.with_std:
            constant = _constant_feature_mask(self._var, self._mean, self._count)
            self._scale = _handle_zeros_in_scale(torch.sqrt(self._var), constant)
            self.scale_ = _as_float_array(self._scale)
        else:
            self.scale_ = None

    def _moments_on(self, device, dtype):
        mean = self._mean.to(device=device, dtype=dtype) if self.with_mean else None
        scale = self._scale.to(device=device, dtype=dtype) if self.with_std else None
        return mean, scale

    def transform(self, X, copy=None):
        """Standardize X with the fitted mean and scale."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, ensure_all_finite="allow-nan", dtype="numeric")
        Xt = to_tensor(X)
        mean, scale = self._moments_on(Xt.device, Xt.dtype)
        if mean is not None:
            Xt = Xt - mean
        if scale is not None:
            Xt = Xt / scale
        return to_output(Xt, X)

    def inverse_transform(self, X, copy=None):
        """Undo the standardization."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, ensure_all_finite="allow-nan", dtype="numeric")
        Xt = to_tensor(X)
        mean, scale = self._moments_on(Xt.device, Xt.dtype)
        if scale is not None:
            Xt = Xt * scale
        if mean is not None:
            Xt = Xt + mean
        return to_output(Xt, X)

    def get_feature_names_out(self, input_features=None):
        """The output feature names: the input names, unchanged."""
        check_is_fitted(self)
        return _check_feature_names_in(self, input_features)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        return tags


class MinMaxScaler(TransformerMixin, BaseEstimator):
    """Scale each feature to ``feature_range`` (by default [0, 1]).

    Parameters
    ----------
    feature_range : tuple (min, max), default=(0, 1)
    copy : bool, default=True
        Kept for scikit-learn compatibility; transforms always return new arrays.
    clip : bool, default=False
        Clip transformed values of unseen data to ``feature_range``.

    Attributes
    ----------
    min_ : ndarray of shape (n_features,)
        Per-feature offset: ``X * scale_ + min_``.
    scale_ : ndarray of shape (n_features,)
    data_min_, data_max_, data_range_ : ndarray of shape (n_features,)
    n_samples_seen_ : int
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,)

    Examples
    --------
    >>> from learnflow.preprocessing import MinMaxScaler
    >>> scaler = MinMaxScaler().fit([[-1, 2], [-0.5, 6], [0, 10], [1, 18]])
    >>> scaler.data_max_
    array([ 1., 18.])
    >>> scaler.transform([[2, 2]])
    array([[1.5, 0. ]])
    """

    _parameter_constraints = {"feature_range": [tuple], "copy": ["boolean"], "clip": ["boolean"]}

    def __init__(self, feature_range=(0, 1), *, copy=True, clip=False):
        self.feature_range = feature_range
        self.copy = copy
        self.clip = clip

    def fit(self, X, y=None):
        """Compute the minimum and maximum of each feature."""
        for name in ("n_samples_seen_", "_data_min", "_data_max"):
            if hasattr(self, name):
                delattr(self, name)
        return self.partial_fit(X, y)

    @_fit_context()
    def partial_fit(self, X, y=None):
        """Update the minimum and maximum with a batch of samples."""
        low, high = self.feature_range
        if low >= high:
            raise ValueError(
                f"Minimum of desired feature range must be smaller than maximum. Got {self.feature_range!r}."
            )
        first = not hasattr(self, "n_samples_seen_")
        X = validate_data(self, X, reset=first, ensure_all_finite="allow-nan", dtype="numeric")
        Xt = to_tensor(X)
        present = ~torch.isnan(Xt)
        inf = torch.tensor(float("inf"), dtype=Xt.dtype, device=Xt.device)
        batch_min = torch.where(present, Xt, inf).amin(0)
        batch_max = torch.where(present, Xt, -inf).amax(0)
        if not first:
            batch_min = torch.minimum(self._data_min.to(Xt.device), batch_min)
            batch_max = torch.maximum(self._data_max.to(Xt.device), batch_max)
            self.n_samples_seen_ += X.shape[0]
        else:
            self.n_samples_seen_ = X.shape[0]
        self._data_min, self._data_max = batch_min, batch_max
        self._solve_scale(low, high)
        return self

    def _solve_scale(self, low, high):
        """Scale and offset mapping [data_min, data_max] onto [low, high].

        # scale = (high - low) / (data_max - data_min);  min = low - data_min * scale
        """
        nan = torch.tensor(float("nan"), dtype=self._data_min.dtype, device=self._data_min.device)
        data_min = torch.where(torch.isinf(self._data_min), nan, self._data_min)
        data_max = torch.where(torch.isinf(self._data_max), nan, self._data_max)
        data_range = data_max - data_min
        self._scale = (high - low) / _handle_zeros_in_scale(data_range)
        self._min = low - data_min * self._scale
        self.data_min_, self.data_max_ = _as_float_array(data_min), _as_float_array(data_max)
        self.data_range_ = _as_float_array(data_range)
        self.scale_, self.min_ = _as_float_array(self._scale), _as_float_array(self._min)

    def transform(self, X):
        """Scale X to ``feature_range``."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, ensure_all_finite="allow-nan", dtype="numeric")
        Xt = to_tensor(X)
        Xt = Xt * self._scale.to(Xt.device, Xt.dtype) + self._min.to(Xt.device, Xt.dtype)
        if self.clip:
            Xt = torch.clamp(Xt, float(self.feature_range[0]), float(self.feature_range[1]))
        return to_output(Xt, X)

    def inverse_transform(self, X):
        """Undo the scaling."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, ensure_all_finite="allow-nan", dtype="numeric")
        Xt = to_tensor(X)
        Xt = (Xt - self._min.to(Xt.device, Xt.dtype)) / self._scale.to(Xt.device, Xt.dtype)
        return to_output(Xt, X)

    def get_feature_names_out(self, input_features=None):
        """The output feature names: the input names, unchanged."""
        check_is_fitted(self)
        return _check_feature_names_in(self, input_features)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        return tags
