"""Hyper-parameter search: GridSearchCV and RandomizedSearchCV.

Every candidate is cross-validated on the same splits; ``cv_results_`` has
scikit-learn's keys, the best candidate is refitted on all the data, and the
search then predicts, transforms and scores through it. Candidates are drawn
exactly as scikit-learn draws them (the grid in the same order, the random
candidates from the same RandomState stream).
"""

# SPDX-License-Identifier: BSD-3-Clause

import numbers
import operator
import time
import warnings
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from copy import deepcopy
from functools import reduce
from itertools import product

import numpy as np
from joblib import Parallel, delayed
from numpy.ma import MaskedArray
from scipy.stats import rankdata

from .._engine import check_random_state
from ..base import BaseEstimator, MetaEstimatorMixin, _fit_context, clone, is_classifier
from ..exceptions import NotFittedError
from ..metrics._scorer import _check_multimetric_scoring, _MultimetricScorer, check_scoring
from ..utils._available_if import available_if
from ..utils._param_validation import HasMethods, Interval, StrOptions
from ..utils._tags import get_tags
from ..utils.random import sample_without_replacement
from ..utils.validation import check_is_fitted
from ._split import _indexable, check_cv
from ._validation import (
    _aggregate_score_dicts,
    _fit_and_score,
    _insert_error_scores,
    _normalize_score_results,
    _warn_or_raise_about_fit_failures,
)

__all__ = ["GridSearchCV", "ParameterGrid", "ParameterSampler", "RandomizedSearchCV"]


class ParameterGrid:
    """Every combination of the given parameter values (keys in sorted order).

    Parameters
    ----------
    param_grid : dict of str to sequence, or list of such dicts
        Each dict is a grid; a list explores several grids one after another.

    Examples
    --------
    >>> from learnflow.model_selection import ParameterGrid
    >>> list(ParameterGrid({"a": [1, 2], "b": [True, False]}))
    [{'a': 1, 'b': True}, {'a': 1, 'b': False}, {'a': 2, 'b': True}, {'a': 2, 'b': False}]
    """

    def __init__(self, param_grid):
        if not isinstance(param_grid, (Mapping, Iterable)):
            raise TypeError(
                f"Parameter grid should be a dict or a list, got: {param_grid!r} of type {type(param_grid).__name__}"
            )
        if isinstance(param_grid, Mapping):
            param_grid = [param_grid]
        for grid in param_grid:
            if not isinstance(grid, dict):
                raise TypeError(f"Parameter grid is not a dict ({grid!r})")
            for key, value in grid.items():
                if isinstance(value, np.ndarray) and value.ndim > 1:
                    raise ValueError(
                        f"Parameter array for {key!r} should be one-dimensional, got: {value!r} with shape {value.shape}"
                    )
                if isinstance(value, str) or not isinstance(value, (np.ndarray, Sequence)):
                    raise TypeError(
                        f"Parameter grid for parameter {key!r} needs to be a list or a numpy array, but got "
                        f"{value!r} (of type {type(value).__name__}) instead. Single values need to be wrapped "
                        "in a list with one element."
                    )
                if len(value) == 0:
                    raise ValueError(f"Parameter grid for parameter {key!r} need to be a non-empty sequence, got: {value!r}")
        self.param_grid = param_grid

    def __iter__(self):
        for grid in self.param_grid:
            items = sorted(grid.items())
            if not items:
                yield {}
                continue
            keys, values = zip(*items)
            for combination in product(*values):
                yield dict(zip(keys, combination))

    def __len__(self):
        return sum(reduce(operator.mul, (len(v) for v in grid.values()), 1) for grid in self.param_grid)

    def __getitem__(self, ind):
        """The ``ind``-th combination, without iterating (as ``list(self)[ind]``)."""
        for grid in self.param_grid:
            if not grid:
                if ind == 0:
                    return {}
                ind -= 1
                continue
            keys, values_lists = zip(*sorted(grid.items())[::-1])
            sizes = [len(v) for v in values_lists]
            total = int(np.prod(sizes))
            if ind >= total:
                ind -= total
                continue
            out = {}
            for key, values, size in zip(keys, values_lists, sizes):
                ind, offset = divmod(ind, size)
                out[key] = values[offset]
            return out
        raise IndexError("ParameterGrid index out of range")


class ParameterSampler:
    """``n_iter`` parameter settings sampled from lists or scipy.stats distributions.

    With lists only, settings are drawn without replacement from the grid;
    otherwise each list value is drawn uniformly and each distribution through
    its ``rvs``. The draws equal scikit-learn's for the same ``random_state``.

    Parameters
    ----------
    param_distributions : dict or list of dicts
    n_iter : int
    random_state : int, RandomState or None, default=None

    Examples
    --------
    >>> from scipy.stats import uniform
    >>> from learnflow.model_selection import ParameterSampler
    >>> params = list(ParameterSampler({"a": [1, 2], "b": uniform(0, 1)}, n_iter=2, random_state=0))
    >>> [p["a"] for p in params], [round(float(p["b"]), 4) for p in params]
    ([1, 1], [0.5928, 0.6028])
    """

    def __init__(self, param_distributions, n_iter, *, random_state=None):
        if not isinstance(param_distributions, (Mapping, Iterable)):
            raise TypeError(
                f"Parameter distribution is not a dict or a list, got: {param_distributions!r} of type "
                f"{type(param_distributions).__name__}"
            )
        if isinstance(param_distributions, Mapping):
            param_distributions = [param_distributions]
        for dist in param_distributions:
            if not isinstance(dist, dict):
                raise TypeError(f"Parameter distribution is not a dict ({dist!r})")
            for key, value in dist.items():
                if not isinstance(value, Iterable) and not hasattr(value, "rvs"):
                    raise TypeError(
                        f"Parameter grid for parameter {key!r} is not iterable or a distribution (value={value})"
                    )
        self.n_iter = n_iter
        self.random_state = random_state
        self.param_distributions = param_distributions

    def _is_all_lists(self):
        return all(not hasattr(v, "rvs") for dist in self.param_distributions for v in dist.values())

    def __iter__(self):
        rng = check_random_state(self.random_state)
        if self._is_all_lists():
            grid = ParameterGrid(self.param_distributions)
            n_iter = self.n_iter
            if len(grid) < n_iter:
                warnings.warn(
                    f"The total space of parameters {len(grid)} is smaller than n_iter={self.n_iter}. Running "
                    f"{len(grid)} iterations. For exhaustive searches, use GridSearchCV.",
                    UserWarning,
                )
                n_iter = len(grid)
            for i in sample_without_replacement(len(grid), n_iter, rng):
                yield grid[i]
            return
        for _ in range(self.n_iter):
            dist = rng.choice(self.param_distributions)
            params = {}
            for key, value in sorted(dist.items()):
                params[key] = value.rvs(random_state=rng) if hasattr(value, "rvs") else value[rng.randint(len(value))]
            yield params

    def __len__(self):
        if self._is_all_lists():
            return min(self.n_iter, len(ParameterGrid(self.param_distributions)))
        return self.n_iter


def _check_refit(search, attr):
    if not search.refit:
        raise AttributeError(
            f"This {type(search).__name__} instance was initialized with `refit=False`. {attr} is available "
            "only after refitting on the best parameters. You can refit an estimator manually using the "
            "`best_params_` attribute"
        )


def _search_estimator_has(attr):
    """available_if check: refit is on and the (best) estimator has ``attr``."""

    def check(self):
        _check_refit(self, attr)
        getattr(self.best_estimator_ if hasattr(self, "best_estimator_") else self.estimator, attr)
        return True

    return check


def _masked_param_arrays(candidate_params):
    """``param_<name>`` masked arrays: masked where a candidate lacks the parameter."""
    n_candidates = len(candidate_params)
    param_results = defaultdict(dict)
    for index, params in enumerate(candidate_params):
        for name, value in params.items():
            param_results[f"param_{name}"][index] = value
    for key, values in param_results.items():
        try:
            array = np.array(list(values.values()))
        except ValueError:
            dtype = np.dtype(object)
        else:
            dtype = array.dtype if array.dtype.kind != "U" and array.ndim == 1 else object
        masked = MaskedArray(np.empty(n_candidates, dtype=dtype), mask=True)
        for index, value in values.items():
            masked[index] = value
        yield key, masked


def _rank_descending(means):
    """Rank 1 for the largest mean (ties share the minimum rank; NaN ranks last)."""
    if np.isnan(means).all():
        return np.ones_like(means, dtype=np.int32)
    means = np.nan_to_num(means, nan=np.nanmin(means) - 1)
    return rankdata(-means, method="min").astype(np.int32, copy=False)


class BaseSearchCV(MetaEstimatorMixin, BaseEstimator):
    """Base class of the hyper-parameter searches (``_run_search`` proposes candidates)."""

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit"])],
        "scoring": [str, callable, list, tuple, dict, None],
        "n_jobs": [numbers.Integral, None],
        "refit": ["boolean", str, callable],
        "cv": ["cv_object"],
        "verbose": ["verbose"],
        "pre_dispatch": [numbers.Integral, str],
        "error_score": [StrOptions({"raise"}), numbers.Real],
        "return_train_score": ["boolean"],
    }

    def __init__(
        self,
        estimator,
        *,
        scoring=None,
        n_jobs=None,
        refit=True,
        cv=None,
        verbose=0,
        pre_dispatch="2*n_jobs",
        error_score=np.nan,
        return_train_score=True,
    ):
        self.scoring = scoring
        self.estimator = estimator
        self.n_jobs = n_jobs
        self.refit = refit
        self.cv = cv
        self.verbose = verbose
        self.pre_dispatch = pre_dispatch
        self.error_score = error_score
        self.return_train_score = return_train_score

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        sub = get_tags(self.estimator)
        tags.estimator_type = sub.estimator_type
        tags.classifier_tags = deepcopy(sub.classifier_tags)
        tags.regressor_tags = deepcopy(sub.regressor_tags)
        tags.target_tags.required = sub.target_tags.required
        tags.target_tags.multi_output = sub.target_tags.multi_output
        tags.target_tags.single_output = sub.target_tags.single_output
        tags.input_tags.pairwise = sub.input_tags.pairwise
        tags.input_tags.sparse = sub.input_tags.sparse
        tags.input_tags.allow_nan = sub.input_tags.allow_nan
        return tags

    def score(self, X, y=None, **params):
        """Score of the refitted best estimator with ``scorer_`` (the refit metric if several)."""
        _check_refit(self, "score")
        check_is_fitted(self)
        if self.scorer_ is None:
            raise ValueError(
                f"No score function explicitly defined, and the estimator doesn't provide one {self.best_estimator_}"
            )
        if isinstance(self.scorer_, dict):
            scorer = self.scorer_[self.refit] if self.multimetric_ else self.scorer_
            return scorer(self.best_estimator_, X, y, **params)
        score = self.scorer_(self.best_estimator_, X, y, **params)
        return score[self.refit] if self.multimetric_ else score

    @available_if(_search_estimator_has("score_samples"))
    def score_samples(self, X):
        """``best_estimator_.score_samples(X)``."""
        check_is_fitted(self)
        return self.best_estimator_.score_samples(X)

    @available_if(_search_estimator_has("predict"))
    def predict(self, X):
        """``best_estimator_.predict(X)``."""
        check_is_fitted(self)
        return self.best_estimator_.predict(X)

    @available_if(_search_estimator_has("predict_proba"))
    def predict_proba(self, X):
        """``best_estimator_.predict_proba(X)``."""
        check_is_fitted(self)
        return self.best_estimator_.predict_proba(X)

    @available_if(_search_estimator_has("predict_log_proba"))
    def predict_log_proba(self, X):
        """``best_estimator_.predict_log_proba(X)``."""
        check_is_fitted(self)
        return self.best_estimator_.predict_log_proba(X)

    @available_if(_search_estimator_has("decision_function"))
    def decision_function(self, X):
        """``best_estimator_.decision_function(X)``."""
        check_is_fitted(self)
        return self.best_estimator_.decision_function(X)

    @available_if(_search_estimator_has("transform"))
    def transform(self, X):
        """``best_estimator_.transform(X)``."""
        check_is_fitted(self)
        return self.best_estimator_.transform(X)

    @available_if(_search_estimator_has("inverse_transform"))
    def inverse_transform(self, X):
        """``best_estimator_.inverse_transform(X)``."""
        check_is_fitted(self)
        return self.best_estimator_.inverse_transform(X)

    @property
    def n_features_in_(self):
        """Number of features seen by the refitted best estimator."""
        try:
            check_is_fitted(self)
        except NotFittedError as exc:
            raise AttributeError(f"{type(self).__name__} object has no n_features_in_ attribute.") from exc
        return self.best_estimator_.n_features_in_

    @property
    def classes_(self):
        """Class labels of the refitted best estimator."""
        _search_estimator_has("classes_")(self)
        return self.best_estimator_.classes_

    def __sklearn_is_fitted__(self):
        return hasattr(self, "cv_results_")

    def _check_refit_for_multimetric(self, scores):
        valid = isinstance(self.refit, str) and self.refit in scores
        if self.refit is not False and not valid and not callable(self.refit):
            raise ValueError(
                "For multi-metric scoring, the parameter refit must be set to a scorer key or a callable to "
                "refit an estimator with the best parameter setting on the whole data and make the best_* "
                "attributes available for that metric. If this is not needed, refit should be set to False "
                f"explicitly. {self.refit!r} was passed."
            )

    @staticmethod
    def _select_best_index(refit, refit_metric, results):
        if callable(refit):
            best_index = refit(results)
            if not isinstance(best_index, numbers.Integral):
                raise TypeError("best_index_ returned is not an integer")
            if best_index < 0 or best_index >= len(results["params"]):
                raise IndexError("best_index_ index out of range")
            return best_index
        return results[f"rank_test_{refit_metric}"].argmin()

    def _get_scorers(self):
        if callable(self.scoring):
            return self.scoring, "score"
        if self.scoring is None or isinstance(self.scoring, str):
            return check_scoring(self.estimator, self.scoring), "score"
        scorers = _check_multimetric_scoring(self.estimator, self.scoring)
        self._check_refit_for_multimetric(scorers)
        return _MultimetricScorer(scorers=scorers, raise_exc=(self.error_score == "raise")), self.refit

    def _evaluate(self, base_estimator, candidate_params, cv, X, y, groups, fit_kwargs):
        """Fit and score each candidate on each split; returns the per-fit result dicts."""
        candidate_params = list(candidate_params)
        splits = list(cv.split(X, y, groups))
        if len(splits) != self.n_splits_:
            raise ValueError(
                f"cv.split and cv.get_n_splits return inconsistent results. Expected {self.n_splits_} "
                f"splits, got {len(splits)}"
            )
        n_fits = len(candidate_params) * len(splits)
        if self.verbose > 0:
            print(
                f"Fitting {self.n_splits_} folds for each of {len(candidate_params)} candidates, totalling {n_fits} fits"
            )
        jobs = (
            delayed(_fit_and_score)(
                clone(base_estimator),
                X,
                y,
                train=train,
                test=test,
                parameters=parameters,
                split_progress=(split_idx, self.n_splits_),
                candidate_progress=(cand_idx, len(candidate_params)),
                **fit_kwargs,
            )
            for (cand_idx, parameters), (split_idx, (train, test)) in product(
                enumerate(candidate_params), enumerate(splits)
            )
        )
        parallel = Parallel(n_jobs=self.n_jobs, pre_dispatch=self.pre_dispatch, return_as="generator")
        results = parallel(jobs)
        if self.verbose:
            from tqdm.auto import tqdm

            results = tqdm(results, total=n_fits, desc=type(self).__name__, unit="fit")
        out = list(results)
        if not out:
            raise ValueError("No fits were performed. Was the CV iterator empty? Were there no candidates?")
        _warn_or_raise_about_fit_failures(out, self.error_score)
        if callable(self.scoring):
            _insert_error_scores(out, self.error_score)
        return candidate_params, out

    @_fit_context()
    def fit(self, X, y=None, **params):
        """Cross-validate every candidate, then refit the best one on all of X, y.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_outputs), default=None
        **params : dict
            ``groups`` goes to the splitter, the rest to the estimator's ``fit``
            (``sample_weight`` also to the scorers that accept it).

        Returns
        -------
        self : object
        """
        scorers, refit_metric = self._get_scorers()
        if y is None and get_tags(self).target_tags.required:
            raise ValueError(
                f"This {type(self).__name__} estimator requires y to be passed, but the target y is None."
            )
        X, y = _indexable(X, y)
        params = dict(params)
        groups = params.pop("groups", None)
        score_params = {}
        if params.get("sample_weight") is not None and getattr(scorers, "_accept_sample_weight", lambda: False)():
            score_params["sample_weight"] = params["sample_weight"]
        cv = check_cv(self.cv, y, classifier=is_classifier(self.estimator))
        self.n_splits_ = cv.get_n_splits(X, y, groups)
        base_estimator = clone(self.estimator)
        fit_kwargs = dict(
            scorer=scorers,
            fit_params=params,
            score_params=score_params,
            return_train_score=self.return_train_score,
            return_n_test_samples=True,
            return_times=True,
            return_parameters=False,
            error_score=self.error_score,
            verbose=self.verbose,
        )
        all_candidates, all_out = [], []

        def evaluate_candidates(candidate_params):
            candidates, out = self._evaluate(base_estimator, candidate_params, cv, X, y, groups, fit_kwargs)
            all_candidates.extend(candidates)
            all_out.extend(out)
            return self._format_results(all_candidates, self.n_splits_, all_out)

        self._run_search(evaluate_candidates)
        results = self._format_results(all_candidates, self.n_splits_, all_out)
        self.multimetric_ = isinstance(all_out[0]["test_scores"], dict)
        if callable(self.scoring) and self.multimetric_:
            self._check_refit_for_multimetric(all_out[0]["test_scores"])
            refit_metric = self.refit
        if self.refit or not self.multimetric_:
            self.best_index_ = int(self._select_best_index(self.refit, refit_metric, results))
            if not callable(self.refit):
                self.best_score_ = results[f"mean_test_{refit_metric}"][self.best_index_]
            self.best_params_ = results["params"][self.best_index_]
        if self.refit:
            self._refit(base_estimator, X, y, params)
        self.scorer_ = scorers._scorers if isinstance(scorers, _MultimetricScorer) else scorers
        self.cv_results_ = results
        return self

    def _refit(self, base_estimator, X, y, fit_params):
        self.best_estimator_ = clone(base_estimator).set_params(**clone(self.best_params_, safe=False))
        start = time.time()
        if y is not None:
            self.best_estimator_.fit(X, y, **fit_params)
        else:
            self.best_estimator_.fit(X, **fit_params)
        self.refit_time_ = time.time() - start
        if hasattr(self.best_estimator_, "feature_names_in_"):
            self.feature_names_in_ = self.best_estimator_.feature_names_in_

    def _format_results(self, candidate_params, n_splits, out):
        """``cv_results_``: times, param_<name> masked arrays, params, split/mean/std/rank scores."""
        n_candidates = len(candidate_params)
        out = _aggregate_score_dicts(out)
        results = {}

        def store(key_name, array, splits=False, rank=False):
            array = np.array(array, dtype=np.float64).reshape(n_candidates, n_splits)
            if splits:
                for split_idx in range(n_splits):
                    results[f"split{split_idx}_{key_name}"] = array[:, split_idx]
            means = np.average(array, axis=1)
            results[f"mean_{key_name}"] = means
            if key_name.startswith(("train_", "test_")) and np.any(~np.isfinite(means)):
                warnings.warn(f"One or more of the {key_name.split('_')[0]} scores are non-finite: {means}", UserWarning)
            results[f"std_{key_name}"] = np.sqrt(np.average((array - means[:, np.newaxis]) ** 2, axis=1))
            if rank:
                results[f"rank_{key_name}"] = _rank_descending(means)

        store("fit_time", out["fit_time"])
        store("score_time", out["score_time"])
        for name, masked in _masked_param_arrays(candidate_params):
            results[name] = masked
        results["params"] = candidate_params
        test_scores = _normalize_score_results(out["test_scores"])
        train_scores = _normalize_score_results(out["train_scores"]) if self.return_train_score else {}
        for name in test_scores:
            store(f"test_{name}", test_scores[name], splits=True, rank=True)
            if self.return_train_score:
                store(f"train_{name}", train_scores[name], splits=True)
        return results


class GridSearchCV(BaseSearchCV):
    """Exhaustive search over a parameter grid, each candidate cross-validated.

    Parameters
    ----------
    estimator : estimator
        Any estimator with ``fit`` (learnflow's or scikit-learn's).
    param_grid : dict or list of dicts
        Parameter names (``step__param`` for nested ones) to lists of values.
    scoring : str, callable, list, tuple, dict or None, default=None
        None uses the estimator's ``score``; several metrics need ``refit``
        to name the one that picks the best candidate.
    n_jobs : int, default=None
        Fits run in parallel through joblib.
    refit : bool, str or callable, default=True
        Refit the best candidate on the whole data (``best_estimator_``); a
        callable takes ``cv_results_`` and returns ``best_index_``.
    cv : int, splitter, iterable or None, default=None
        5-fold (stratified for classifiers) when None.
    verbose : int, default=0
        >0 prints the number of fits and shows a progress bar; >1 one line per fit.
    pre_dispatch : int or str, default="2*n_jobs"
    error_score : "raise" or float, default=np.nan
        Score of a failed fit (a FitFailedWarning is emitted) or raise.
    return_train_score : bool, default=False

    Attributes
    ----------
    cv_results_ : dict of numpy (masked) arrays
    best_estimator_ : estimator
    best_score_ : float
    best_params_ : dict
    best_index_ : int
    scorer_ : callable or dict
    n_splits_ : int
    refit_time_ : float
    multimetric_ : bool
    classes_ : ndarray (classifiers)
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    Examples
    --------
    >>> from learnflow.dummy import DummyRegressor
    >>> from learnflow.model_selection import GridSearchCV
    >>> X, y = [[0], [1], [2], [3], [4], [5]], [0, 0, 0, 0, 1, 9]
    >>> search = GridSearchCV(DummyRegressor(), {"strategy": ["mean", "median"]}, cv=3,
    ...                       scoring="neg_mean_absolute_error").fit(X, y)
    >>> search.best_params_
    {'strategy': 'median'}
    >>> search.cv_results_["rank_test_score"].tolist()
    [2, 1]
    """

    _parameter_constraints: dict = {**BaseSearchCV._parameter_constraints, "param_grid": [dict, list]}

    def __init__(
        self,
        estimator,
        param_grid,
        *,
        scoring=None,
        n_jobs=None,
        refit=True,
        cv=None,
        verbose=0,
        pre_dispatch="2*n_jobs",
        error_score=np.nan,
        return_train_score=False,
    ):
        super().__init__(
            estimator=estimator,
            scoring=scoring,
            n_jobs=n_jobs,
            refit=refit,
            cv=cv,
            verbose=verbose,
            pre_dispatch=pre_dispatch,
            error_score=error_score,
            return_train_score=return_train_score,
        )
        self.param_grid = param_grid

    def _run_search(self, evaluate_candidates):
        evaluate_candidates(ParameterGrid(self.param_grid))


class RandomizedSearchCV(BaseSearchCV):
    """Search over ``n_iter`` parameter settings sampled from lists or scipy.stats distributions.

    Parameters
    ----------
    estimator : estimator
    param_distributions : dict or list of dicts
        Parameter names to lists (sampled uniformly) or distributions with ``rvs``.
    n_iter : int, default=10
    random_state : int, RandomState or None, default=None
        Draws the same candidates as scikit-learn's RandomizedSearchCV.
    Other parameters as in :class:`GridSearchCV`.

    Attributes
    ----------
    Those of :class:`GridSearchCV`.

    Examples
    --------
    >>> from scipy.stats import uniform
    >>> from learnflow.dummy import DummyRegressor
    >>> from learnflow.model_selection import RandomizedSearchCV
    >>> X, y = [[0], [1], [2], [3]], [0.0, 1.0, 2.0, 3.0]
    >>> search = RandomizedSearchCV(DummyRegressor(strategy="quantile"), {"quantile": uniform(0, 1)},
    ...                             n_iter=3, cv=2, random_state=0).fit(X, y)
    >>> len(search.cv_results_["params"])
    3
    """

    _parameter_constraints: dict = {
        **BaseSearchCV._parameter_constraints,
        "param_distributions": [dict, list],
        "n_iter": [Interval(numbers.Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        estimator,
        param_distributions,
        *,
        n_iter=10,
        scoring=None,
        n_jobs=None,
        refit=True,
        cv=None,
        verbose=0,
        pre_dispatch="2*n_jobs",
        random_state=None,
        error_score=np.nan,
        return_train_score=False,
    ):
        self.param_distributions = param_distributions
        self.n_iter = n_iter
        self.random_state = random_state
        super().__init__(
            estimator=estimator,
            scoring=scoring,
            n_jobs=n_jobs,
            refit=refit,
            cv=cv,
            verbose=verbose,
            pre_dispatch=pre_dispatch,
            error_score=error_score,
            return_train_score=return_train_score,
        )

    def _run_search(self, evaluate_candidates):
        evaluate_candidates(ParameterSampler(self.param_distributions, self.n_iter, random_state=self.random_state))
