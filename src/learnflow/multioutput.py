"""Multi-output meta-estimators: one estimator per target column.

The book's Chapter 3 multioutput classification (denoising digits: one
output per pixel) needs estimators that handle several targets at once;
these wrappers give that to any single-output estimator.
"""

# SPDX-License-Identifier: BSD-3-Clause

import inspect
from numbers import Integral

import numpy as np
from joblib import Parallel, delayed

from ._engine import labels_to_output, to_numpy, to_output
from .base import (
    BaseEstimator,
    ClassifierMixin,
    MetaEstimatorMixin,
    MultiOutputMixin,
    RegressorMixin,
    _fit_context,
    clone,
    is_classifier,
)
from .utils._available_if import available_if
from .utils._param_validation import HasMethods
from .utils._tags import get_tags
from .utils.multiclass import check_classification_targets
from .utils.validation import check_is_fitted, validate_data

__all__ = ["MultiOutputClassifier", "MultiOutputRegressor"]


def _fit_estimator(estimator, X, y, sample_weight=None, **fit_params):
    estimator = clone(estimator)
    if sample_weight is not None:
        return estimator.fit(X, y, sample_weight=sample_weight, **fit_params)
    return estimator.fit(X, y, **fit_params)


def _accepts_sample_weight(estimator):
    return "sample_weight" in inspect.signature(estimator.fit).parameters


def _estimators_have(attr):
    def check(self):
        if hasattr(self, "estimators_"):
            return all(hasattr(e, attr) for e in self.estimators_)
        return hasattr(self.estimator, attr)

    return check


class _MultiOutputEstimator(MetaEstimatorMixin, MultiOutputMixin, BaseEstimator):
    """Fit a clone of ``estimator`` per column of y; predictions are stacked as columns."""

    _parameter_constraints = {"estimator": [HasMethods(["fit", "predict"])], "n_jobs": [Integral, None]}

    def __init__(self, estimator, *, n_jobs=None):
        self.estimator = estimator
        self.n_jobs = n_jobs

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, sample_weight=None, **fit_params):
        """Fit one estimator per target column.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples, n_outputs)
        sample_weight : array-like of shape (n_samples,), default=None
            Passed to every estimator (which must accept it).
        **fit_params : dict
            Passed to every estimator's ``fit``.
        """
        X, y = validate_data(self, X, y, multi_output=True, ensure_all_finite=False, dtype=None)
        y = to_numpy(y)
        if is_classifier(self):
            check_classification_targets(y)
        if y.ndim == 1:
            raise ValueError("y must have at least two dimensions for multi-output regression but has only one.")
        if sample_weight is not None and not _accepts_sample_weight(self.estimator):
            raise ValueError("Underlying estimator does not support sample weights.")
        self.estimators_ = Parallel(n_jobs=self.n_jobs)(
            delayed(_fit_estimator)(self.estimator, X, y[:, i], sample_weight, **fit_params)
            for i in range(y.shape[1])
        )
        return self

    def _check_X(self, X):
        check_is_fitted(self)
        return validate_data(self, X, reset=False, ensure_all_finite=False, dtype=None)

    def predict(self, X):
        """Each estimator's predictions as a column: shape (n_samples, n_outputs)."""
        X_checked = self._check_X(X)
        columns = Parallel(n_jobs=self.n_jobs)(delayed(e.predict)(X_checked) for e in self.estimators_)
        return labels_to_output(np.asarray([to_numpy(c) for c in columns]).T, X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = get_tags(self.estimator)
        tags.input_tags.allow_nan = inner.input_tags.allow_nan
        tags.target_tags.single_output = False
        return tags


class MultiOutputRegressor(RegressorMixin, _MultiOutputEstimator):
    """Multi-target regression: one regressor per target.

    Parameters
    ----------
    estimator : estimator object
        A regressor with ``fit`` and ``predict``.
    n_jobs : int, default=None
        Regressors fitted (and predicting) in parallel with joblib.

    Attributes
    ----------
    estimators_ : list of ``n_outputs`` fitted regressors
    n_features_in_ : int

    Examples
    --------
    >>> from learnflow.multioutput import MultiOutputRegressor
    >>> from learnflow.neighbors import KNeighborsRegressor
    >>> reg = MultiOutputRegressor(KNeighborsRegressor(n_neighbors=1))
    >>> reg.fit([[0], [1]], [[0, 10], [1, 11]]).predict([[0.9]])
    array([[ 1., 11.]])
    """


class MultiOutputClassifier(ClassifierMixin, _MultiOutputEstimator):
    """Multi-target classification: one classifier per target (multilabel, or multiclass per output).

    Parameters
    ----------
    estimator : estimator object
        A classifier with ``fit`` and ``predict``.
    n_jobs : int, default=None
        Classifiers fitted (and predicting) in parallel with joblib.

    Attributes
    ----------
    classes_ : list of ``n_outputs`` ndarrays
    estimators_ : list of ``n_outputs`` fitted classifiers
    n_features_in_ : int

    Examples
    --------
    >>> from learnflow.multioutput import MultiOutputClassifier
    >>> from learnflow.neighbors import KNeighborsClassifier
    >>> clf = MultiOutputClassifier(KNeighborsClassifier(n_neighbors=1))
    >>> clf.fit([[0], [1], [2]], [[0, 1], [1, 1], [1, 0]]).predict([[1.9]])
    array([[1, 0]])
    """

    @property
    def classes_(self):
        """The classes of each output."""
        return [e.classes_ for e in self.estimators_]

    @available_if(_estimators_have("predict_proba"))
    def predict_proba(self, X):
        """A list with each output's class probabilities, shape (n_samples, n_classes_k)."""
        X_checked = self._check_X(X)
        return [to_output(e.predict_proba(X_checked), X) for e in self.estimators_]

    def score(self, X, y):
        """Subset accuracy: the share of samples with every output right."""
        check_is_fitted(self)
        y = to_numpy(y)
        if y.ndim == 1:
            raise ValueError("y must have at least two dimensions for multi target classification but has only one")
        if y.shape[1] != len(self.estimators_):
            raise ValueError(
                f"The number of outputs of Y for fit {len(self.estimators_)} and score {y.shape[1]} should be same"
            )
        return float(np.mean(np.all(y == self.predict(X), axis=1)))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # As scikit-learn's own MultiOutputClassifier: the generic checks feed 1-D class targets, which a
        # multi-output classifier rejects by design; tests/test_multioutput.py checks it against scikit-learn.
        tags._skip_test = True
        return tags
