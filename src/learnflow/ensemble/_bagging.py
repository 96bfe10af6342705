"""Bagging and pasting (Chapter 7): one model trained on many random subsets.

Every member gets its own seed ``seeds[i]`` from
``check_random_state(random_state).randint(MAX_INT, size=n_estimators)``; a
fresh ``check_random_state(seeds[i])`` then draws its feature indices and its
sample indices, exactly as scikit-learn's ``_generate_bagging_indices``, so the
same ``random_state`` gives the same subsets (``estimators_samples_``).
"""

# SPDX-License-Identifier: BSD-3-Clause

import warnings
from numbers import Integral, Real

import numpy as np

from .._engine import check_random_state, seeded_state
from ..base import ClassifierMixin, RegressorMixin, _fit_context
from ..utils._available_if import available_if
from ..utils._param_validation import HasMethods, Interval
from ..utils._tags import get_tags
from ..utils.multiclass import check_classification_targets
from ..utils.validation import check_is_fitted, check_sample_weight, column_or_1d, validate_data
from ..utils.random import sample_without_replacement
from ._base import (MAX_INT, BaseEnsemble, _accepts_sample_weight, _as_numpy, _fit_member, _follow_input,
                    _run_batches, _tree_input)

__all__ = ["BaggingClassifier", "BaggingRegressor"]


class _RealNotInt(Real):
    """Reals that are not integers."""


_RealNotInt.register(float)


# =============================================================================
# Random draws
# =============================================================================


def _generate_indices(rng, bootstrap, n_population, n_draws):
    """``n_draws`` indices of ``range(n_population)``: with replacement if ``bootstrap``."""
    if bootstrap:
        return rng.randint(0, n_population, n_draws)
    return sample_without_replacement(n_population, n_draws, random_state=rng)


def _generate_bagging_indices(seed, bootstrap_features, bootstrap, n_features, n_samples, max_features, max_samples,
                              sample_weight):
    """(feature indices, sample indices) of one member: features are drawn first."""
    rng = seeded_state(seed)
    features = _generate_indices(rng, bootstrap_features, n_features, max_features)
    if sample_weight is None:
        samples = _generate_indices(rng, bootstrap, n_samples, max_samples)
    else:
        samples = rng.choice(n_samples, max_samples, replace=bootstrap, p=sample_weight / np.sum(sample_weight))
    return features, samples


def _n_samples_bootstrap(n_samples, max_samples, sample_weight):
    """How many rows a member draws (scikit-learn's ``_get_n_samples_bootstrap``)."""
    if max_samples is None:
        return n_samples
    if isinstance(max_samples, Integral):
        return int(max_samples)
    total = n_samples if sample_weight is None else float(np.sum(sample_weight))
    n_draws = max(int(max_samples * total), 1)
    if n_draws < max(10, n_samples ** (1 / 3)):
        warnings.warn(
            f"Using the fractional value max_samples={max_samples} when the number of samples is {total} "
            f"results in a low number ({n_draws}) of bootstrap samples. "
            "We recommend passing `max_samples` as an integer instead."
        )
    return n_draws


def _build_members(start, stop, ensemble, X, y, sample_weight, seeds, X32=None):
    """Fit members ``start:stop`` (one joblib batch); returns [(estimator, features)].

    ``X32``: X as learnflow's trees grow on it, when the members are such trees on every feature: they
    then skip the input checks, and the batch's trees share X's sort and the encoded y (the same trees).
    """
    n_samples, n_features = X.shape
    subset_features = _subsets_features(ensemble, n_features)
    weighted = _accepts_sample_weight(ensemble.estimator_)
    root_sort = {}
    built = []
    for seed in seeds[start:stop]:
        estimator = ensemble._make_estimator(append=False, random_state=seed)
        features, samples = ensemble._draw(seed, n_samples, sample_weight)
        if weighted:
            counts = np.bincount(samples, minlength=n_samples).astype(np.float64)
            if X32 is not None:
                _fit_member(estimator, X, X32, y, counts, root_sort)
            else:
                estimator.fit(X[:, features] if subset_features else X, y, sample_weight=counts)
        else:
            X_ = X[samples]
            estimator.fit(X_[:, features] if subset_features else X_, y[samples])
        if ensemble.verbose > 1:
            print(f"Built estimator {start + len(built) + 1} of {len(seeds)}")
        built.append((estimator, features))
    return built


def _subsets_features(ensemble, n_features):
    return ensemble.bootstrap_features or ensemble._max_features != n_features


# =============================================================================
# Base bagging
# =============================================================================


class BaseBagging(BaseEnsemble):
    """Fit / draw / out-of-bag logic shared by the bagging classifier and regressor."""

    _parameter_constraints = {
        "estimator": [HasMethods(["fit", "predict"]), None],
        "n_estimators": [Interval(Integral, 1, None, closed="left")],
        "max_samples": [None, Interval(Integral, 1, None, closed="left"), Interval(_RealNotInt, 0, 1, closed="right")],
        "max_features": [Interval(Integral, 1, None, closed="left"), Interval(_RealNotInt, 0, 1, closed="right")],
        "bootstrap": ["boolean"],
        "bootstrap_features": ["boolean"],
        "oob_score": ["boolean"],
        "warm_start": ["boolean"],
        "n_jobs": [None, Integral],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(self, estimator=None, n_estimators=10, *, max_samples=None, max_features=1.0, bootstrap=True,
                 bootstrap_features=False, oob_score=False, warm_start=False, n_jobs=None, random_state=None,
                 verbose=0):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.max_samples = max_samples
        self.max_features = max_features
        self.bootstrap = bootstrap
        self.bootstrap_features = bootstrap_features
        self.oob_score = oob_score
        self.warm_start = warm_start
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose

    @_fit_context()
    def fit(self, X, y, sample_weight=None, **fit_params):
        """Fit ``n_estimators`` members, each on its random subset of rows and features."""
        X, y = validate_data(self, X, y, dtype=None, ensure_all_finite=False, multi_output=True)
        X, y = _as_numpy(X), _as_numpy(y)
        if sample_weight is not None:
            sample_weight = check_sample_weight(sample_weight, X, dtype=None)
        self._validate_estimator()
        y = self._validate_y(y)
        self._resolve_sizes(X, sample_weight)
        if self.oob_score and not self.bootstrap:
            raise ValueError("Out of bag estimation only available if bootstrap=True")
        if self.oob_score and self.warm_start:
            raise ValueError("Out of bag estimate only available if warm_start=False")
        if not self.warm_start or not hasattr(self, "estimators_"):
            self.estimators_, self.estimators_features_, self._seeds = [], [], np.zeros(0, dtype=np.int64)
        n_more = self.n_estimators - len(self.estimators_)
        if n_more < 0:
            raise ValueError(
                f"n_estimators={self.n_estimators} must be larger or equal to "
                f"len(estimators_)={len(self.estimators_)} when warm_start==True"
            )
        if n_more == 0:
            warnings.warn("Warm-start fitting without increasing n_estimators does not fit new trees.")
            return self
        rng = check_random_state(self.random_state)
        if len(self.estimators_):
            rng.randint(MAX_INT, size=len(self.estimators_))  # the seeds already used
        seeds = rng.randint(MAX_INT, size=n_more)
        X32 = None
        if y.ndim == 1 and not _subsets_features(self, X.shape[1]):
            X32 = _tree_input(self.estimator_, X)
        built = _run_batches(self.n_jobs, self.verbose, _build_members, n_more, self, X, y, sample_weight, seeds, X32)
        self.estimators_ += [est for est, _ in built]
        self.estimators_features_ += [features for _, features in built]
        self._seeds = np.concatenate([self._seeds, seeds])
        if self.oob_score:
            self._set_oob_score(X, y)
        return self

    def _resolve_sizes(self, X, sample_weight):
        n_samples, n_features = X.shape
        self._n_samples = n_samples
        self._sample_weight = sample_weight
        max_samples = _n_samples_bootstrap(n_samples, self.max_samples, sample_weight)
        if not self.bootstrap and max_samples > n_samples:
            raise ValueError(
                f"Effective max_samples={max_samples} must be <= n_samples={n_samples} "
                "to be able to sample without replacement."
            )
        self._max_samples = max_samples
        if isinstance(self.max_features, Integral):
            max_features = int(self.max_features)
        else:
            max_features = int(self.max_features * n_features)
        if max_features > n_features:
            raise ValueError("max_features must be <= n_features")
        self._max_features = max(1, max_features)

    def _draw(self, seed, n_samples, sample_weight):
        return _generate_bagging_indices(
            seed, self.bootstrap_features, self.bootstrap, self.n_features_in_, n_samples, self._max_features,
            self._max_samples, sample_weight,
        )

    @property
    def estimators_samples_(self):
        """The in-bag sample indices of every member (recomputed from the seeds)."""
        return [self._draw(seed, self._n_samples, self._sample_weight)[1] for seed in self._seeds]

    def _oob_masks(self):
        for samples in self.estimators_samples_:
            mask = np.ones(self._n_samples, dtype=bool)
            mask[samples] = False
            yield mask

    def _check_X(self, X):
        check_is_fitted(self)
        return _as_numpy(validate_data(self, X, reset=False, dtype=None, ensure_all_finite=False))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        estimator = self._default_estimator() if self.estimator is None else self.estimator
        tags.input_tags.allow_nan = get_tags(estimator).input_tags.allow_nan
        return tags


def _estimator_has(attr):
    def check(self):
        estimator = getattr(self, "estimator_", None)
        if estimator is None:
            estimator = self._default_estimator() if self.estimator is None else self.estimator
        return hasattr(estimator, attr)

    return check


# =============================================================================
# Public estimators
# =============================================================================


class BaggingClassifier(ClassifierMixin, BaseBagging):
    """Bagging (``bootstrap=True``) or pasting of a classifier; probabilities are averaged.

    Parameters
    ----------
    estimator : estimator, default=None
        The member; a :class:`~learnflow.tree.DecisionTreeClassifier` if None.
    n_estimators : int, default=10
    max_samples : int or float, default=None
        Rows drawn per member: all (None), a count (int) or a fraction (float).
    max_features : int or float, default=1.0
        Features drawn per member: a count or a fraction.
    bootstrap : bool, default=True
        Draw rows with replacement (bagging) or without (pasting).
    bootstrap_features : bool, default=False
        Draw features with replacement.
    oob_score : bool, default=False
        Score each row with the members that did not see it.
    warm_start : bool, default=False
        Keep the fitted members and add new ones.
    n_jobs : int, default=None
        Members fitted in parallel (joblib threads).
    random_state : int, RandomState or None, default=None
    verbose : int, default=0

    Attributes
    ----------
    estimator_ : estimator
    estimators_ : list of fitted members
    estimators_samples_ : list of ndarray
    estimators_features_ : list of ndarray
    classes_ : ndarray of shape (n_classes,)
    n_classes_ : int
    oob_score_ : float
    oob_decision_function_ : ndarray of shape (n_samples, n_classes)
    n_features_in_ : int

    Examples
    --------
    >>> from learnflow.ensemble import BaggingClassifier
    >>> X, y = [[0.0], [1.0], [2.0], [3.0], [4.0], [5.0]], [0, 0, 0, 1, 1, 1]
    >>> bag = BaggingClassifier(n_estimators=5, random_state=0).fit(X, y)
    >>> bag.predict([[0.0], [5.0]])
    array([0, 1])
    """

    def _default_estimator(self):
        from ..tree import DecisionTreeClassifier

        return DecisionTreeClassifier()

    def _validate_y(self, y):
        y = column_or_1d(y, warn=True)
        check_classification_targets(y)
        self.classes_, encoded = np.unique(y, return_inverse=True)
        self.n_classes_ = len(self.classes_)
        return encoded

    def _member_proba(self, estimator, X):
        """A member's probabilities in the ensemble's class columns (votes if it has no predict_proba)."""
        proba = np.zeros((X.shape[0], self.n_classes_))
        if hasattr(estimator, "predict_proba"):
            member = _as_numpy(estimator.predict_proba(X))
            proba[:, np.asarray(estimator.classes_, dtype=np.int64)] = member[:, : len(estimator.classes_)]
        else:
            proba[np.arange(X.shape[0]), _as_numpy(estimator.predict(X)).astype(np.int64)] = 1.0
        return proba

    def _set_oob_score(self, X, y):
        predictions = np.zeros((X.shape[0], self.n_classes_))
        for estimator, features, mask in zip(self.estimators_, self.estimators_features_, self._oob_masks()):
            if mask.any():
                predictions[mask] += self._member_proba(estimator, X[mask][:, features])
        totals = predictions.sum(axis=1)
        if (totals == 0).any():
            warnings.warn(
                "Some inputs do not have OOB scores. This probably means too few estimators were used "
                "to compute any reliable oob estimates."
            )
        with np.errstate(invalid="ignore", divide="ignore"):
            self.oob_decision_function_ = predictions / totals[:, None]
        self.oob_score_ = float(np.mean(y == np.argmax(predictions, axis=1)))

    def _proba(self, X):
        total = sum(self._member_proba(est, X[:, f]) for est, f in zip(self.estimators_, self.estimators_features_))
        return total / len(self.estimators_)

    def predict_proba(self, X):
        """Mean of the members' probabilities (of their votes when they have no predict_proba)."""
        return _follow_input(self._proba(self._check_X(X)), X)

    def predict(self, X):
        """The class with the largest mean probability."""
        proba = self._proba(self._check_X(X))
        return _follow_input(self.classes_.take(np.argmax(proba, axis=1)), X)

    def predict_log_proba(self, X):
        """Logarithm of ``predict_proba``."""
        with np.errstate(divide="ignore"):
            return _follow_input(np.log(self.predict_proba(X)), X)

    @available_if(_estimator_has("decision_function"))
    def decision_function(self, X):
        """Mean of the members' decision functions."""
        X_checked = self._check_X(X)
        total = sum(
            _as_numpy(est.decision_function(X_checked[:, f]))
            for est, f in zip(self.estimators_, self.estimators_features_)
        )
        return _follow_input(total / len(self.estimators_), X)


class BaggingRegressor(RegressorMixin, BaseBagging):
    """Bagging (``bootstrap=True``) or pasting of a regressor; predictions are averaged.

    Parameters
    ----------
    estimator : estimator, default=None
        The member; a :class:`~learnflow.tree.DecisionTreeRegressor` if None.
    n_estimators, max_samples, max_features, bootstrap, bootstrap_features, oob_score, warm_start, n_jobs,
    random_state, verbose :
        As for :class:`BaggingClassifier`.

    Attributes
    ----------
    estimator_, estimators_, estimators_samples_, estimators_features_, n_features_in_ :
        As for :class:`BaggingClassifier`.
    oob_score_ : float
        R² of the out-of-bag predictions.
    oob_prediction_ : ndarray of shape (n_samples,)

    Examples
    --------
    >>> from learnflow.ensemble import BaggingRegressor
    >>> X, y = [[0.0], [1.0], [2.0], [3.0]], [0.0, 0.0, 1.0, 1.0]
    >>> reg = BaggingRegressor(n_estimators=3, bootstrap=False, random_state=0).fit(X, y)
    >>> reg.predict([[0.0], [3.0]])
    array([0., 1.])
    """

    def _default_estimator(self):
        from ..tree import DecisionTreeRegressor

        return DecisionTreeRegressor()

    def _validate_y(self, y):
        if y.ndim == 1 or y.shape[1] == 1:
            return column_or_1d(y, warn=True)
        return y

    def predict(self, X):
        """Mean of the members' predictions."""
        X_checked = self._check_X(X)
        total = sum(
            _as_numpy(est.predict(X_checked[:, f])) for est, f in zip(self.estimators_, self.estimators_features_)
        )
        return _follow_input(np.asarray(total / len(self.estimators_), dtype=np.float64), X)

    def _set_oob_score(self, X, y):
        predictions = np.zeros(y.shape)
        counts = np.zeros(X.shape[0])
        for estimator, features, mask in zip(self.estimators_, self.estimators_features_, self._oob_masks()):
            if mask.any():
                predictions[mask] += _as_numpy(estimator.predict(X[mask][:, features])).reshape(predictions[mask].shape)
                counts[mask] += 1
        if (counts == 0).any():
            warnings.warn(
                "Some inputs do not have OOB scores. This probably means too few estimators were used "
                "to compute any reliable oob estimates."
            )
            counts[counts == 0] = 1
        self.oob_prediction_ = predictions / (counts if y.ndim == 1 else counts[:, None])
        from ..metrics import r2_score

        self.oob_score_ = float(r2_score(y, self.oob_prediction_))
