"""TransformedTargetRegressor: fit a regressor on a transformed target (e.g. log of prices)."""

# SPDX-License-Identifier: BSD-3-Clause

import warnings

import numpy as np

from .._engine import is_torch, to_numpy, to_output
from ..base import BaseEstimator, RegressorMixin, _fit_context, clone
from ..preprocessing import FunctionTransformer
from ..utils._param_validation import HasMethods
from ..utils._tags import get_tags
from ..utils.validation import check_array, check_is_fitted

__all__ = ["TransformedTargetRegressor"]


def _default_regressor():
    try:
        from ..linear_model import LinearRegression
    except ImportError as exc:
        raise ImportError(
            "TransformedTargetRegressor(regressor=None) uses learnflow.linear_model.LinearRegression, "
            "which is not available; pass a regressor explicitly."
        ) from exc
    return LinearRegression()


class TransformedTargetRegressor(RegressorMixin, BaseEstimator):
    """Regress on a transformed target; predictions are mapped back with the inverse transform.

    Parameters
    ----------
    regressor : estimator, default=None
        The regressor (``learnflow.linear_model.LinearRegression()`` when None).
    transformer : transformer, default=None
        Transforms y (2-D) before fitting; exclusive with ``func``/``inverse_func``.
    func, inverse_func : callable, default=None
        The target transform and its inverse (both or neither).
    check_inverse : bool, default=True
        Warn when the inverse does not give back y on a subset.

    Attributes
    ----------
    regressor_ : estimator
    transformer_ : transformer
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,)

    Examples
    --------
    >>> import numpy as np
    >>> from learnflow.compose import TransformedTargetRegressor
    >>> from learnflow.dummy import DummyRegressor
    >>> tt = TransformedTargetRegressor(DummyRegressor(), func=np.log, inverse_func=np.exp)
    >>> tt.fit([[0], [1]], [1.0, 100.0]).predict([[2]])
    array([10.])
    """

    _parameter_constraints = {
        "regressor": [HasMethods(["fit", "predict"]), None],
        "transformer": [HasMethods("transform"), None],
        "func": [callable, None],
        "inverse_func": [callable, None],
        "check_inverse": ["boolean"],
    }

    def __init__(self, regressor=None, *, transformer=None, func=None, inverse_func=None, check_inverse=True):
        self.regressor = regressor
        self.transformer = transformer
        self.func = func
        self.inverse_func = inverse_func
        self.check_inverse = check_inverse

    def _fit_transformer(self, y):
        if self.transformer is not None and (self.func is not None or self.inverse_func is not None):
            raise ValueError("'transformer' and functions 'func'/'inverse_func' cannot both be set.")
        if self.transformer is not None:
            self.transformer_ = clone(self.transformer)
        else:
            if (self.func is None) != (self.inverse_func is None):
                missing = "inverse_func" if self.inverse_func is None else "func"
                given = "func" if missing == "inverse_func" else "inverse_func"
                raise ValueError(f"When '{given}' is provided, '{missing}' must also be provided")
            self.transformer_ = FunctionTransformer(
                func=self.func, inverse_func=self.inverse_func, validate=True, check_inverse=self.check_inverse
            )
        self.transformer_.fit(y)
        if self.check_inverse:
            idx = slice(None, None, max(1, y.shape[0] // 10))
            y_sel = y[idx]
            y_round = self.transformer_.inverse_transform(self.transformer_.transform(y_sel))
            if not np.allclose(to_numpy(y_sel), to_numpy(y_round)):
                warnings.warn(
                    "The provided functions or transformer are not strictly inverse of each other. If "
                    "you are sure you want to proceed regardless, set 'check_inverse=False'",
                    UserWarning,
                )

    @_fit_context()
    def fit(self, X, y, **fit_params):
        """Fit the transformer on y, then the regressor on (X, transformed y)."""
        if y is None:
            raise ValueError(
                f"This {type(self).__name__} estimator requires y to be passed, but the target y is None."
            )
        y = check_array(to_numpy(y) if is_torch(y) else y, input_name="y", ensure_2d=False, dtype="numeric")
        self._training_dim = y.ndim
        y_2d = y.reshape(-1, 1) if y.ndim == 1 else y
        self._fit_transformer(y_2d)
        y_trans = to_numpy(self.transformer_.transform(y_2d))
        if y_trans.ndim == 2 and y_trans.shape[1] == 1 and self._training_dim == 1:
            y_trans = y_trans.squeeze(axis=1)
        self.regressor_ = clone(self.regressor) if self.regressor is not None else _default_regressor()
        self.regressor_.fit(X, y_trans, **fit_params)
        if hasattr(self.regressor_, "feature_names_in_"):
            self.feature_names_in_ = self.regressor_.feature_names_in_
        return self

    def predict(self, X, **predict_params):
        """The regressor's predictions, mapped back through the inverse transform."""
        check_is_fitted(self)
        pred = to_numpy(self.regressor_.predict(X, **predict_params))
        pred_2d = pred.reshape(-1, 1) if pred.ndim == 1 else pred
        pred_trans = to_numpy(self.transformer_.inverse_transform(pred_2d))
        if self._training_dim == 1 and pred_trans.ndim == 2 and pred_trans.shape[1] == 1:
            pred_trans = pred_trans.squeeze(axis=1)
        return to_output(pred_trans, X)

    @property
    def n_features_in_(self):
        """Number of features the regressor saw in fit."""
        try:
            check_is_fitted(self)
        except Exception as exc:
            raise AttributeError(f"{type(self).__name__} object has no n_features_in_ attribute.") from exc
        return self.regressor_.n_features_in_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        regressor = self.regressor
        if regressor is None:
            try:
                regressor = _default_regressor()
            except ImportError:
                return tags
        sub = get_tags(regressor)
        tags.regressor_tags.poor_score = True
        tags.input_tags.sparse = sub.input_tags.sparse
        tags.target_tags.multi_output = sub.target_tags.multi_output
        return tags
