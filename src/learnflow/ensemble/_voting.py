"""Voting ensembles (Chapter 7): majority or averaged-probability votes of different models.

``VotingClassifier`` predicts the mode of its members' labels (hard voting) or
the argmax of their weighted average probabilities (soft voting);
``VotingRegressor`` averages the members' predictions.
"""

# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral

import numpy as np

from ..base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, RegressorMixin, TransformerMixin, _fit_context
from ..base import clone
from ..utils import Bunch
from ..utils._available_if import available_if
from ..utils._param_validation import StrOptions
from ..utils.multiclass import check_classification_targets
from ..utils.validation import check_is_fitted, column_or_1d, validate_data
from ._base import _as_numpy, _fit_single, _follow_input, _parallel

__all__ = ["VotingClassifier", "VotingRegressor"]


def _weighted_mode(labels, weights, n_classes):
    """Per row of ``labels`` (n_samples, n_members), the label with the largest total weight."""
    weights = np.ones(labels.shape[1]) if weights is None else np.asarray(weights, dtype=np.float64)
    votes = np.zeros((labels.shape[0], n_classes))
    for j in range(labels.shape[1]):
        votes[np.arange(labels.shape[0]), labels[:, j]] += weights[j]
    return votes.argmax(axis=1)


class _BaseVoting(TransformerMixin, MetaEstimatorMixin, BaseEstimator):
    """Member bookkeeping shared by the voting classifier and regressor."""

    _parameter_constraints = {
        "estimators": [list],
        "weights": ["array-like", None],
        "n_jobs": [None, Integral],
        "verbose": ["verbose"],
    }

    @property
    def _weights_not_none(self):
        if self.weights is None:
            return None
        return [w for (_, est), w in zip(self.estimators, self.weights) if est != "drop"]

    def _validate_estimators(self):
        if len(self.estimators) == 0 or not all(isinstance(e, tuple) and len(e) == 2 for e in self.estimators):
            raise ValueError(
                "Invalid 'estimators' attribute, 'estimators' should be a non-empty list of (string, estimator) tuples."
            )
        names, estimators = zip(*self.estimators)
        if len(set(names)) != len(names):
            raise ValueError(f"Names provided are not unique: {list(names)!r}")
        invalid = [n for n in names if "__" in n or n in self.get_params(deep=False)]
        if invalid:
            raise ValueError(f"Estimator names must not contain __ or conflict with constructor arguments: {invalid}")
        if all(est == "drop" for est in estimators):
            raise ValueError("All estimators are dropped. At least one is required to be an estimator.")
        if self.weights is not None and len(self.weights) != len(self.estimators):
            raise ValueError(
                f"Number of `estimators` and weights must be equal; got {len(self.weights)} weights, "
                f"{len(self.estimators)} estimators"
            )
        return names, estimators

    def _fit_members(self, X, y, sample_weight):
        names, estimators = self._validate_estimators()
        validate_data(self, X, reset=True, dtype=None, ensure_all_finite=False)
        kept = [clone(est) for est in estimators if est != "drop"]
        self.estimators_ = _parallel(self.n_jobs)(
            _delayed_fit(est, X, y, sample_weight) for est in kept
        )
        self.named_estimators_ = Bunch()
        fitted = iter(self.estimators_)
        for name, est in self.estimators:
            self.named_estimators_[name] = next(fitted) if est != "drop" else "drop"
        return self

    def _predict_all(self, X):
        """Members' predictions, shape (n_samples, n_members)."""
        return np.column_stack([_as_numpy(est.predict(X)) for est in self.estimators_])

    def get_params(self, deep=True):
        """Parameters, and with ``deep`` the members by name and their parameters."""
        out = super().get_params(deep=False)
        estimators = self.estimators
        if not deep or not isinstance(estimators, list) or not all(
            isinstance(e, tuple) and len(e) == 2 for e in estimators
        ):
            return out
        out.update(estimators)
        for name, est in estimators:
            if hasattr(est, "get_params"):
                out.update((f"{name}__{k}", v) for k, v in est.get_params(deep=True).items())
        return out

    def set_params(self, **params):
        """Set parameters; a member's name replaces it (or "drop" removes it)."""
        estimators = getattr(self, "estimators", [])
        valid = isinstance(estimators, list) and all(isinstance(e, tuple) and len(e) == 2 for e in estimators)
        names = [n for n, _ in estimators] if valid else []
        for name in list(params):
            if name in names:
                self.estimators = [(n, params.pop(name) if n == name else e) for n, e in self.estimators]
        nested = {k: v for k, v in params.items() if k.split("__", 1)[0] in names}
        for key, value in nested.items():
            name, sub = key.split("__", 1)
            dict(self.estimators)[name].set_params(**{sub: value})
            params.pop(key)
        return super().set_params(**params)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        try:
            tags.input_tags.allow_nan = all(
                est == "drop" or _safe_tags(est).input_tags.allow_nan for _, est in self.estimators
            )
        except (TypeError, ValueError, AttributeError):
            tags.input_tags.allow_nan = False
        return tags


def _safe_tags(estimator):
    from ..utils._tags import get_tags

    return get_tags(estimator)


def _delayed_fit(estimator, X, y, sample_weight):
    from joblib import delayed

    fit_params = {} if sample_weight is None else {"sample_weight": sample_weight}
    return delayed(_fit_single)(estimator, X, y, **fit_params)


class VotingClassifier(ClassifierMixin, _BaseVoting):
    """Soft or hard voting over several fitted classifiers.

    Parameters
    ----------
    estimators : list of (str, estimator)
        The members; an estimator may be ``"drop"``.
    voting : {"hard", "soft"}, default="hard"
        "hard" predicts the (weighted) majority label; "soft" the argmax of the
        (weighted) mean of the members' ``predict_proba``.
    weights : array-like of shape (n_estimators,), default=None
        Weights of the members' votes or probabilities (uniform if None).
    n_jobs : int, default=None
        Members fitted in parallel (joblib threads).
    flatten_transform : bool, default=True
        With soft voting, ``transform`` returns (n_samples, n_members * n_classes)
        when True, (n_members, n_samples, n_classes) when False.
    verbose : bool, default=False

    Attributes
    ----------
    estimators_ : list of fitted members (without the dropped ones)
    named_estimators_ : Bunch of the members by name
    le_ : LabelEncoder
    classes_ : ndarray of shape (n_classes,)
    n_features_in_ : int

    Examples
    --------
    >>> from learnflow.ensemble import VotingClassifier
    >>> from learnflow.linear_model import LogisticRegression
    >>> from learnflow.tree import DecisionTreeClassifier
    >>> X, y = [[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1]
    >>> vote = VotingClassifier([("lr", LogisticRegression()), ("tree", DecisionTreeClassifier())]).fit(X, y)
    >>> vote.predict([[0.0], [3.0]])
    array([0, 1])
    """

    _parameter_constraints = {
        **_BaseVoting._parameter_constraints,
        "voting": [StrOptions({"hard", "soft"})],
        "flatten_transform": ["boolean"],
    }

    def __init__(self, estimators, *, voting="hard", weights=None, n_jobs=None, flatten_transform=True, verbose=False):
        self.estimators = estimators
        self.voting = voting
        self.weights = weights
        self.n_jobs = n_jobs
        self.flatten_transform = flatten_transform
        self.verbose = verbose

    @_fit_context()
    def fit(self, X, y, sample_weight=None, **fit_params):
        """Fit every member on (X, encoded y)."""
        from ..preprocessing import LabelEncoder

        y = _as_numpy(y)
        if y.ndim > 1 and y.shape[1] > 1:
            raise ValueError(
                f"VotingClassifier takes a single column of labels; y has shape {y.shape} "
                "(multilabel and multi-output targets are not supported, as in scikit-learn)."
            )
        y = column_or_1d(y, warn=True)
        check_classification_targets(y)
        self.le_ = LabelEncoder().fit(y)
        self.classes_ = self.le_.classes_
        return self._fit_members(X, self.le_.transform(y), sample_weight)

    def predict(self, X):
        """The class with the most (weighted) votes, or the largest mean probability."""
        check_is_fitted(self)
        if self.voting == "soft":
            encoded = np.argmax(self._mean_proba(X), axis=1)
        else:
            labels = self._predict_all(X).astype(np.int64)
            encoded = _weighted_mode(labels, self._weights_not_none, len(self.classes_))
        return _follow_input(self.le_.inverse_transform(encoded), X)

    def _collect_probas(self, X):
        return np.asarray([_as_numpy(est.predict_proba(X)) for est in self.estimators_])

    def _mean_proba(self, X):
        return np.average(self._collect_probas(X), axis=0, weights=self._weights_not_none)

    def _check_voting(self):
        if self.voting == "hard":
            raise AttributeError(f"predict_proba is not available when voting={self.voting!r}")
        return True

    @available_if(_check_voting)
    def predict_proba(self, X):
        """The (weighted) mean of the members' class probabilities."""
        check_is_fitted(self)
        return _follow_input(self._mean_proba(X), X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = []
        return tags

    def transform(self, X):
        """Members' probabilities (soft voting) or predicted labels (hard voting)."""
        check_is_fitted(self)
        if self.voting == "soft":
            probas = self._collect_probas(X)
            result = np.hstack(probas) if self.flatten_transform else probas
        else:
            result = self._predict_all(X)
        return _follow_input(result, X)

    def get_feature_names_out(self, input_features=None):
        """``votingclassifier_<name>`` (hard) or ``votingclassifier_<name><k>`` (soft, flattened)."""
        check_is_fitted(self, "n_features_in_")
        if self.voting == "soft" and not self.flatten_transform:
            raise ValueError(
                "get_feature_names_out is not supported when `voting='soft'` and `flatten_transform=False`"
            )
        prefix = type(self).__name__.lower()
        names = [name for name, est in self.estimators if est != "drop"]
        if self.voting == "hard":
            return np.asarray([f"{prefix}_{name}" for name in names], dtype=object)
        n_classes = len(self.classes_)
        return np.asarray([f"{prefix}_{name}{k}" for name in names for k in range(n_classes)], dtype=object)


class VotingRegressor(RegressorMixin, _BaseVoting):
    """The (weighted) mean of several fitted regressors' predictions.

    Parameters
    ----------
    estimators : list of (str, estimator)
    weights : array-like of shape (n_estimators,), default=None
    n_jobs : int, default=None
    verbose : bool, default=False

    Attributes
    ----------
    estimators_ : list of fitted members
    named_estimators_ : Bunch
    n_features_in_ : int

    Examples
    --------
    >>> from learnflow.ensemble import VotingRegressor
    >>> from learnflow.linear_model import LinearRegression
    >>> from learnflow.dummy import DummyRegressor
    >>> X, y = [[0.0], [1.0], [2.0], [3.0]], [0.0, 2.0, 4.0, 6.0]
    >>> VotingRegressor([("lin", LinearRegression()), ("mean", DummyRegressor())]).fit(X, y).predict([[4.0]])
    array([5.5])
    """

    def __init__(self, estimators, *, weights=None, n_jobs=None, verbose=False):
        self.estimators = estimators
        self.weights = weights
        self.n_jobs = n_jobs
        self.verbose = verbose

    @_fit_context()
    def fit(self, X, y, sample_weight=None, **fit_params):
        """Fit every member on (X, y)."""
        y = column_or_1d(_as_numpy(y), warn=True)
        return self._fit_members(X, y, sample_weight)

    def predict(self, X):
        """The (weighted) mean of the members' predictions."""
        check_is_fitted(self)
        return _follow_input(np.average(self._predict_all(X), axis=1, weights=self._weights_not_none), X)

    def transform(self, X):
        """The members' predictions, shape (n_samples, n_members)."""
        check_is_fitted(self)
        return _follow_input(self._predict_all(X), X)

    def get_feature_names_out(self, input_features=None):
        """``votingregressor_<name>`` per member."""
        check_is_fitted(self, "n_features_in_")
        prefix = type(self).__name__.lower()
        return np.asarray([f"{prefix}_{name}" for name, est in self.estimators if est != "drop"], dtype=object)
