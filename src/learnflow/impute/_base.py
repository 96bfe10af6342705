"""Missing-value imputation: SimpleImputer and MissingIndicator (Chapter 2, "Data Cleaning").

Numeric statistics (mean, median) are computed on torch tensors through the
engine; "most_frequent" and "constant" also work on string/object columns.
"""

# SPDX-License-Identifier: BSD-3-Clause

import numbers
import warnings
from collections import Counter

import numpy as np
import scipy.sparse as sp
import torch

from .._engine import is_torch, to_numpy, to_output, to_tensor
from ..base import BaseEstimator, TransformerMixin, _fit_context
from ..preprocessing._common import _is_scalar_nan
from ..utils.validation import _check_feature_names_in
from ..utils._param_validation import StrOptions
from ..utils.validation import check_array, check_is_fitted, validate_data

__all__ = ["MissingIndicator", "SimpleImputer"]


def _missing_mask(X, missing_values):
    """Boolean mask of the entries equal to ``missing_values`` (NaN matches NaN)."""
    if is_torch(X):
        return torch.isnan(X) if _is_scalar_nan(missing_values) else X == missing_values
    if _is_scalar_nan(missing_values):
        if X.dtype.kind == "f":
            return np.isnan(X)
        if X.dtype.kind in "biu":
            return np.zeros(X.shape, dtype=bool)
        return np.frompyfunc(_is_scalar_nan, 1, 1)(X).astype(bool)
    if X.dtype.kind == "O" or isinstance(missing_values, str) or missing_values is None:
        return np.frompyfunc(lambda v: v is missing_values or (v == missing_values) is True, 1, 1)(X).astype(bool)
    return X == missing_values


def _check_finite(X, *, allow_nan):
    """Raise for infinity (and NaN unless allowed), column by column so object arrays work."""
    flag = "allow-nan" if allow_nan else True
    if is_torch(X) or X.dtype.kind != "O":
        check_array(X, dtype=None, ensure_all_finite=flag, ensure_min_samples=0, input_name="X")
        return
    for j in range(X.shape[1]):
        check_array(X[:, j], dtype=None, ensure_2d=False, ensure_all_finite=flag, ensure_min_samples=0, input_name="X")


def _solve_mean(X, mask):
    """Mean of the present entries of each column (NaN for an all-missing column).

    # mean_j = sum_i x_ij [not missing] / #present_j
    """
    present = ~mask
    count = present.sum(0)
    total = torch.where(present, X, torch.zeros((), dtype=X.dtype, device=X.device)).sum(0)
    return torch.where(count > 0, total / count.clamp(min=1), torch.full_like(total, float("nan")))


def _solve_median(X, mask):
    """Median of the present entries of each column (mean of the two middle values).

    # sort present values of column j ascending; median = (s[(k-1)//2] + s[k//2]) / 2
    """
    inf = torch.tensor(float("inf"), dtype=X.dtype, device=X.device)
    ordered, _ = torch.sort(torch.where(mask, inf, X), dim=0)
    count = (~mask).sum(0)
    low = ((count - 1).clamp(min=0) // 2).unsqueeze(0)
    high = (count // 2).clamp(max=X.shape[0] - 1).unsqueeze(0)
    median = (ordered.gather(0, low) + ordered.gather(0, high)).squeeze(0) / 2
    return torch.where(count > 0, median, torch.full_like(median, float("nan")))


_NUMERIC_STRATEGIES = {"mean": _solve_mean, "median": _solve_median}


def _solve_most_frequent(column, present):
    """Most frequent present value of a column; ties go to the smallest value."""
    values = column[present]
    if len(values) == 0:
        return np.nan
    if column.dtype.kind in "biuf":
        uniques, counts = np.unique(values, return_counts=True)
        return uniques[np.argmax(counts)]
    counts = Counter(values.tolist())
    best = max(counts.values())
    return min(v for v, c in counts.items() if c == best)


class _BaseImputer(TransformerMixin, BaseEstimator):
    """Shared parameters and the optional missing indicator."""

    def _fit_indicator(self, X):
        if self.add_indicator:
            self.indicator_ = MissingIndicator(missing_values=self.missing_values, error_on_new=False)
            self.indicator_._fit(X, precomputed=True)
        else:
            self.indicator_ = None

    def _concatenate_indicator(self, X_imputed, mask):
        if not self.add_indicator:
            return X_imputed
        indicator = self.indicator_._transform_mask(mask)
        if is_torch(X_imputed):
            return torch.cat([X_imputed, to_tensor(indicator, device=X_imputed.device).to(X_imputed.dtype)], 1)
        if X_imputed.dtype.kind == "O":
            return np.hstack([X_imputed, indicator.astype(object)])
        return np.hstack([X_imputed, indicator.astype(X_imputed.dtype)])


class SimpleImputer(_BaseImputer):
    """Replace missing values by a per-column statistic (mean, median, most frequent) or a constant.

    Parameters
    ----------
    missing_values : int, float, str, np.nan or None, default=np.nan
        The placeholder of missing values.
    strategy : {"mean", "median", "most_frequent", "constant"}, default="mean"
    fill_value : str or number, default=None
        The value "constant" fills in: 0 for numeric data, "missing_value" for strings.
    copy : bool, default=True
        Kept for scikit-learn compatibility; transforms always return new arrays.
    add_indicator : bool, default=False
        Append a :class:`MissingIndicator`'s columns to the output.
    keep_empty_features : bool, default=False
        Keep all-missing columns (filled with 0, or ``fill_value``) instead of dropping them.

    Attributes
    ----------
    statistics_ : ndarray of shape (n_features,)
        The fill value of each column (NaN for an all-missing column).
    indicator_ : MissingIndicator or None
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,)

    Examples
    --------
    >>> import numpy as np
    >>> from learnflow.impute import SimpleImputer
    >>> imputer = SimpleImputer(strategy="median").fit([[1, 2], [np.nan, 3], [7, 6]])
    >>> imputer.statistics_
    array([4., 3.])
    >>> imputer.transform([[np.nan, np.nan]])
    array([[4., 3.]])
    """

    _parameter_constraints = {
        "missing_values": [numbers.Real, str, None],
        "strategy": [StrOptions({"mean", "median", "most_frequent", "constant"}), callable],
        "fill_value": "no_validation",
        "copy": ["boolean"],
        "add_indicator": ["boolean"],
        "keep_empty_features": ["boolean"],
    }

    def __init__(
        self,
        *,
        missing_values=np.nan,
        strategy="mean",
        fill_value=None,
        copy=True,
        add_indicator=False,
        keep_empty_features=False,
    ):
        self.missing_values = missing_values
        self.strategy = strategy
        self.fill_value = fill_value
        self.copy = copy
        self.add_indicator = add_indicator
        self.keep_empty_features = keep_empty_features

    def _validate_input(self, X, *, reset):
        allow_nan = _is_scalar_nan(self.missing_values) or self.missing_values is None
        numeric_only = self.strategy in ("mean", "median")
        try:
            X = validate_data(
                self,
                X,
                reset=reset,
                dtype="numeric" if numeric_only else None,
                ensure_all_finite=False,
            )
        except ValueError as exc:
            if numeric_only and ("numeric" in str(exc) or "could not convert" in str(exc)):
                raise ValueError(f"Cannot use {self.strategy} strategy with non-numeric data:\n{exc}") from exc
            raise
        _check_finite(X, allow_nan=allow_nan)
        if not is_torch(X):
            if X.dtype.kind in "USV":
                X = X.astype(object)
            if X.dtype.kind not in "biufO":
                raise ValueError(f"SimpleImputer does not support data with dtype {X.dtype}.")
            if numeric_only and X.dtype.kind != "f":
                X = X.astype(np.float64)
        return X

    def _fill_value(self, X):
        numeric = is_torch(X) or X.dtype.kind in "biuf"
        if self.fill_value is None:
            return 0 if numeric else "missing_value"
        if numeric and not isinstance(self.fill_value, numbers.Real):
            raise ValueError(
                f"fill_value={self.fill_value!r} (of type {type(self.fill_value)!r}) cannot be cast "
                f"to the input data that is {X.dtype!r}. Make sure that both dtypes are of the same kind."
            )
        return self.fill_value

    @_fit_context()
    def fit(self, X, y=None):
        """Compute the fill value of each column."""
        X = self._validate_input(X, reset=True)
        mask = _missing_mask(X, self.missing_values)
        if self.strategy == "constant":
            fill = self._fill_value(X)
            stats = np.full(X.shape[1], fill, dtype=object if isinstance(fill, str) else np.float64)
            if not isinstance(fill, str) and not is_torch(X) and X.dtype.kind == "O":
                stats = stats.astype(object)
        elif self.strategy in ("mean", "median"):
            Xt, maskt = to_tensor(X), to_tensor(mask, dtype="keep").to(torch.bool)
            stats = to_numpy(_NUMERIC_STRATEGIES[self.strategy](Xt, maskt)).astype(np.float64)
        else:
            Xn, maskn = to_numpy(X), to_numpy(mask)
            values = [_solve_most_frequent(Xn[:, j], ~maskn[:, j]) for j in range(Xn.shape[1])]
            stats = np.asarray(values, dtype=object if Xn.dtype.kind == "O" else np.float64)
        if self.keep_empty_features and self.strategy != "constant":
            empty = np.asarray([_is_scalar_nan(v) for v in stats]) & to_numpy(mask).all(0)
            stats[empty] = 0
        self.statistics_ = stats
        self._empty = to_numpy(mask).all(0)
        self._fit_indicator(mask)
        return self

    def _valid_columns(self):
        if self.keep_empty_features:
            return np.ones(len(self.statistics_), dtype=bool)
        return ~self._empty

    def transform(self, X):
        """Fill the missing entries of X (all-missing fitted columns are dropped unless kept)."""
        check_is_fitted(self)
        X = self._validate_input(X, reset=False)
        mask = _missing_mask(X, self.missing_values)
        valid = self._valid_columns()
        if not valid.all():
            dropped = np.flatnonzero(~valid)
            warnings.warn(
                f"Skipping features without any observed values: {dropped}. At least one non-missing "
                f"value is needed for imputation with strategy='{self.strategy}'.",
                UserWarning,
            )
        if is_torch(X) or X.dtype.kind in "biuf":
            Xt, maskt = to_tensor(X, dtype="keep"), to_tensor(to_numpy(mask), dtype="keep").to(torch.bool)
            stats = to_tensor(self.statistics_.astype(np.float64), device=Xt.device).to(Xt.dtype)
            filled = torch.where(maskt, stats, Xt)[:, torch.as_tensor(valid, device=Xt.device)]
            out = to_output(filled, X)
        else:
            out = X.copy()
            rows, cols = np.nonzero(mask)
            out[rows, cols] = self.statistics_[cols]
            out = out[:, valid]
        return self._concatenate_indicator(out, to_numpy(mask))

    def inverse_transform(self, X):
        """Put ``missing_values`` back where the indicator columns say (needs ``add_indicator``)."""
        check_is_fitted(self)
        if not self.add_indicator:
            raise ValueError(
                "'inverse_transform' works only when 'SimpleImputer' is instantiated with "
                f"'add_indicator=True'. Got 'add_indicator={self.add_indicator}' instead."
            )
        X = to_numpy(X)
        n_kept = int(self._valid_columns().sum())
        features = self.indicator_.features_
        imputed, indicator = X[:, :n_kept].copy(), X[:, n_kept:].astype(bool)
        full = np.full((X.shape[0], len(self.statistics_)), self.missing_values, dtype=imputed.dtype)
        full[:, self._valid_columns()] = imputed
        for k, j in enumerate(features):
            full[indicator[:, k], j] = self.missing_values
        return full

    def get_feature_names_out(self, input_features=None):
        """The kept input names, then ``"missingindicator_<name>"`` columns if any."""
        check_is_fitted(self)
        input_features = _check_feature_names_in(self, input_features)
        names = input_features[self._valid_columns()]
        if self.add_indicator:
            names = np.concatenate([names, self.indicator_.get_feature_names_out(input_features)])
        return np.asarray(names, dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = _is_scalar_nan(self.missing_values) or self.missing_values is None
        return tags


class MissingIndicator(TransformerMixin, BaseEstimator):
    """Binary indicators of missing values.

    Parameters
    ----------
    missing_values : int, float, str, np.nan or None, default=np.nan
    features : {"missing-only", "all"}, default="missing-only"
        Indicate only the features that had missing values in fit, or all.
    sparse : bool or "auto", default="auto"
        Return a scipy CSR matrix ("auto": never, as the input is dense).
    error_on_new : bool, default=True
        With "missing-only", raise if transform finds missing values in a
        feature that had none in fit.

    Attributes
    ----------
    features_ : ndarray
        Indices of the indicated features.
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,)

    Examples
    --------
    >>> import numpy as np
    >>> from learnflow.impute import MissingIndicator
    >>> MissingIndicator().fit_transform(np.array([[np.nan, 1, 3], [4, 0, np.nan], [8, 1, 0]]))
    array([[ True, False],
           [False,  True],
           [False, False]])
    """

    _parameter_constraints = {
        "missing_values": [numbers.Real, str, None],
        "features": [StrOptions({"missing-only", "all"})],
        "sparse": ["boolean", StrOptions({"auto"})],
        "error_on_new": ["boolean"],
    }

    def __init__(self, *, missing_values=np.nan, features="missing-only", sparse="auto", error_on_new=True):
        self.missing_values = missing_values
        self.features = features
        self.sparse = sparse
        self.error_on_new = error_on_new

    def _mask(self, X, *, reset):
        allow_nan = _is_scalar_nan(self.missing_values) or self.missing_values is None
        X = validate_data(self, X, reset=reset, dtype=None, ensure_all_finite=False)
        _check_finite(X, allow_nan=allow_nan)
        if not is_torch(X) and X.dtype.kind in "USV":
            X = X.astype(object)
        return to_numpy(_missing_mask(X, self.missing_values))

    def _fit(self, X, precomputed=False):
        mask = X if precomputed else self._mask(X, reset=True)
        if precomputed:
            self.n_features_in_ = mask.shape[1]
        self._n_features = mask.shape[1]
        if self.features == "missing-only":
            self.features_ = np.flatnonzero(mask.any(0))
        else:
            self.features_ = np.arange(mask.shape[1])
        return mask

    @_fit_context()
    def fit(self, X, y=None):
        """Find the features to indicate."""
        self._fit(X)
        return self

    def _transform_mask(self, mask):
        if self.features == "missing-only" and self.error_on_new:
            new = np.setdiff1d(np.flatnonzero(mask.any(0)), self.features_)
            if len(new):
                raise ValueError(
                    f"The features {new} have missing values in transform but have no missing values in fit."
                )
        out = mask[:, self.features_]
        return sp.csr_matrix(out) if self.sparse is True else out

    def transform(self, X):
        """The indicator matrix of X's missing values."""
        check_is_fitted(self)
        return self._transform_mask(self._mask(X, reset=False))

    def fit_transform(self, X, y=None):
        """Fit, then return the indicator matrix."""
        self._validate_params()
        return self._transform_mask(self._fit(X))

    def get_feature_names_out(self, input_features=None):
        """``"missingindicator_<name>"`` for each indicated feature."""
        check_is_fitted(self)
        input_features = _check_feature_names_in(self, input_features)
        return np.asarray([f"missingindicator_{input_features[j]}" for j in self.features_], dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.string = True
        tags.transformer_tags.preserves_dtype = []
        return tags
