"""``Imputer``: scikit-learn < 0.22's spelling of missing-value imputation (Chapters 2-3).

The book writes ``from sklearn.preprocessing import Imputer``. Column-wise
imputation (``axis=0``) is :class:`learnflow.impute.SimpleImputer`; the old
row-wise mode (``axis=1``, each row's statistic computed at transform time) is
implemented here.
"""

# SPDX-License-Identifier: BSD-3-Clause

import numbers
import warnings

import numpy as np
import torch

from .._engine import is_torch, to_numpy, to_output, to_tensor
from ..base import BaseEstimator, TransformerMixin, _fit_context
# The module, not its names: learnflow.impute imports learnflow.preprocessing, so
# its names are looked up at call time (either package may be imported first).
from ..impute import _base as _impute
from ..utils._param_validation import Options, StrOptions
from ..utils.validation import _check_feature_names_in, check_is_fitted, validate_data
from ._common import _is_scalar_nan

__all__ = ["Imputer"]

_DEPRECATION = (
    "Imputer was deprecated in scikit-learn 0.20 and removed in 0.22; use "
    "learnflow.impute.SimpleImputer instead (Imputer(axis=0) is SimpleImputer with the same "
    "missing_values and strategy)."
)


def _solve_row_statistics(X, mask, strategy):
    """Each row's statistic of its present entries (NaN for an all-missing row).

    # stat_i = strategy({x_ij : x_ij not missing}), the column statistics of X^T
    """
    if strategy in _impute._NUMERIC_STRATEGIES:
        Xt = to_tensor(X, dtype="keep").to(torch.float64)
        maskt = to_tensor(to_numpy(mask), dtype="keep", device=Xt.device).to(torch.bool)
        return to_numpy(_impute._NUMERIC_STRATEGIES[strategy](Xt.T, maskt.T)).astype(np.float64)
    Xn, maskn = to_numpy(X), to_numpy(mask)
    return np.asarray([_impute._solve_most_frequent(Xn[i], ~maskn[i]) for i in range(Xn.shape[0])], dtype=np.float64)


class Imputer(TransformerMixin, BaseEstimator):
    """Imputation transformer for completing missing values (scikit-learn < 0.22's ``Imputer``).

    .. deprecated::
        scikit-learn deprecated ``Imputer`` in 0.20 and removed it in 0.22;
        use :class:`learnflow.impute.SimpleImputer`. ``fit`` warns with a
        ``FutureWarning``.

    With ``axis=0`` each column's missing entries get that column's
    statistic, learned in ``fit`` (a :class:`~learnflow.impute.SimpleImputer`
    does the work; columns with no observed value are dropped). With
    ``axis=1`` each row's missing entries get that row's statistic, computed
    in ``transform`` from the rows being transformed.

    Parameters
    ----------
    missing_values : int, float or "NaN", default="NaN"
        The placeholder of missing values; "NaN" (or ``np.nan``) means NaN.
    strategy : {"mean", "median", "most_frequent"}, default="mean"
        The statistic that replaces missing values.
    axis : {0, 1}, default=0
        0: impute along columns (statistics from ``fit``); 1: along rows
        (statistics of each transformed row).
    verbose : int, default=0
        If positive, warn when ``axis=0`` drops columns with no observed value.
    copy : bool, default=True
        Kept for compatibility; transforms always return new arrays.

    Attributes
    ----------
    statistics_ : ndarray of shape (n_features,)
        The fill value of each column (NaN for an all-missing column); only
        with ``axis=0``, as in scikit-learn.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of the features seen during fit, when they are all strings.

    See Also
    --------
    learnflow.impute.SimpleImputer : The replacement of ``Imputer(axis=0)``.

    Examples
    --------
    >>> import warnings
    >>> import numpy as np
    >>> from learnflow.preprocessing import Imputer
    >>> X = [[1, 2], [np.nan, 3], [7, 6]]
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", FutureWarning)
    ...     imputer = Imputer(strategy="median").fit(X)
    >>> imputer.statistics_
    array([4., 3.])
    >>> imputer.transform([[np.nan, np.nan]])
    array([[4., 3.]])
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", FutureWarning)
    ...     Imputer(axis=1).fit_transform([[1, np.nan, 5], [np.nan, 2, 2]])
    array([[1., 3., 5.],
           [2., 2., 2.]])
    """

    _parameter_constraints = {
        "missing_values": [StrOptions({"NaN"}), numbers.Real],
        "strategy": [StrOptions({"mean", "median", "most_frequent"})],
        "axis": [Options(numbers.Integral, {0, 1})],
        "verbose": ["verbose"],
        "copy": ["boolean"],
    }

    def __init__(self, missing_values="NaN", strategy="mean", axis=0, verbose=0, copy=True):
        self.missing_values = missing_values
        self.strategy = strategy
        self.axis = axis
        self.verbose = verbose
        self.copy = copy

    def _missing_value(self):
        """The placeholder as SimpleImputer takes it: the string "NaN" is np.nan."""
        return np.nan if isinstance(self.missing_values, str) else self.missing_values

    def _validate_input(self, X, *, reset):
        X = validate_data(self, X, reset=reset, dtype="numeric", ensure_all_finite=False)
        _impute._check_finite(X, allow_nan=_is_scalar_nan(self._missing_value()))
        if not is_torch(X) and X.dtype.kind != "f":
            X = X.astype(np.float64)
        return X

    @_fit_context()
    def fit(self, X, y=None):
        """Learn each column's statistic (``axis=0``); with ``axis=1`` only check X.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : None
            Ignored.

        Returns
        -------
        self : Imputer
        """
        warnings.warn(_DEPRECATION, FutureWarning, stacklevel=3)
        X = self._validate_input(X, reset=True)
        if self.axis == 0:
            self._imputer = _impute.SimpleImputer(
                missing_values=self._missing_value(), strategy=self.strategy, copy=self.copy
            ).fit(X)
            self.statistics_ = self._imputer.statistics_
        return self

    def transform(self, X):
        """Replace the missing entries of X.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        X_new : ndarray or tensor of shape (n_samples, n_features_kept)
            Float values; with ``axis=0`` columns without any observed value
            in fit are dropped.

        Raises
        ------
        ValueError
            With ``axis=1``, if a row has only missing values.
        """
        check_is_fitted(self)
        X = self._validate_input(X, reset=False)
        if self.axis == 0:
            with warnings.catch_warnings():
                if not self.verbose:
                    warnings.filterwarnings("ignore", "Skipping features without any observed values")
                return self._imputer.transform(X)
        return self._transform_rows(X)

    def _transform_rows(self, X):
        mask = _impute._missing_mask(X, self._missing_value())
        statistics = _solve_row_statistics(X, mask, self.strategy)
        empty = np.flatnonzero(np.isnan(statistics))
        if len(empty):
            raise ValueError(f"Some rows only contain missing values: {empty}")
        Xt = to_tensor(X, dtype="keep")
        maskt = to_tensor(to_numpy(mask), dtype="keep", device=Xt.device).to(torch.bool)
        stats = to_tensor(statistics, device=Xt.device).to(Xt.dtype).unsqueeze(1)
        return to_output(torch.where(maskt, stats, Xt), X)

    def get_feature_names_out(self, input_features=None):
        """The input names, less the columns ``axis=0`` drops.

        Parameters
        ----------
        input_features : array-like of str or None, default=None

        Returns
        -------
        feature_names_out : ndarray of str objects
        """
        check_is_fitted(self)
        names = _check_feature_names_in(self, input_features)
        if self.axis == 0:
            names = names[self._imputer._valid_columns()]
        return np.asarray(names, dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = _is_scalar_nan(self._missing_value())
        return tags
