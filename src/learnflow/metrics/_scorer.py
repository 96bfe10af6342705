"""Scorers: metrics wrapped as ``scorer(estimator, X, y)``, greater is better.

A scorer calls one of the estimator's response methods ("predict",
"predict_proba", "decision_function"), feeds the result to a metric and
multiplies it by -1 for losses, so model selection always maximizes. The
registry maps scikit-learn's scoring names ("neg_mean_squared_error", "r2",
"accuracy", ...) to scorers; ``get_scorer(name)`` returns a copy.
"""

# SPDX-License-Identifier: BSD-3-Clause

import copy
import traceback
from collections import Counter
from functools import partial
from inspect import signature

import numpy as np

from .._engine import to_numpy
from ..base import is_regressor
from . import _classification, _ranking, _regression

__all__ = ["check_scoring", "get_scorer", "get_scorer_names", "make_scorer"]


def _check_response_method(estimator, response_method):
    """The bound method ``response_method`` names (the first one the estimator has, for a list)."""
    names = (response_method,) if isinstance(response_method, str) else tuple(response_method)
    for name in names:
        method = getattr(estimator, name, None)
        if method is not None:
            return method
    raise AttributeError(f"{type(estimator).__name__} has none of the following attributes: {', '.join(names)}.")


def _get_response_values(estimator, X, response_method, pos_label=None):
    """The estimator's response to X; for a binary classifier, the positive class's column."""
    method = _check_response_method(estimator, response_method)
    y_pred = method(X)
    classes = getattr(estimator, "classes_", None)
    if is_regressor(estimator) or classes is None or isinstance(classes, list):
        return y_pred
    classes = np.asarray(classes)
    if len(classes) != 2 or method.__name__ not in ("predict_proba", "predict_log_proba", "decision_function"):
        return y_pred
    pos_label = classes[-1] if pos_label is None else pos_label
    if pos_label not in classes.tolist():
        raise ValueError(f"pos_label={pos_label!r} is not a valid label: It should be one of {classes}")
    if method.__name__ == "decision_function":
        return -y_pred if pos_label == classes[0] else y_pred
    y_pred = to_numpy(y_pred) if hasattr(y_pred, "detach") else np.asarray(y_pred)
    return y_pred[:, int(np.flatnonzero(classes == pos_label)[0])]


def _cached_call(cache, estimator, response_method, X, pos_label=None):
    """Call a response method once per (method, pos_label) within one multi-metric scoring."""
    key = (response_method if isinstance(response_method, str) else tuple(response_method), pos_label)
    if cache is not None and key in cache:
        return cache[key]
    result = _get_response_values(estimator, X, response_method, pos_label=pos_label)
    if cache is not None:
        cache[key] = result
    return result


class _Scorer:
    """``sign * score_func(y_true, estimator.<response_method>(X), **kwargs)``."""

    def __init__(self, score_func, sign, kwargs, response_method="predict"):
        self._score_func = score_func
        self._sign = sign
        self._kwargs = kwargs
        self._response_method = response_method

    def _get_pos_label(self):
        if "pos_label" in self._kwargs:
            return self._kwargs["pos_label"]
        parameters = signature(self._score_func).parameters
        return parameters["pos_label"].default if "pos_label" in parameters else None

    def _accept_sample_weight(self):
        return "sample_weight" in signature(self._score_func).parameters

    def __repr__(self):
        name = repr(self._score_func) if isinstance(self._score_func, partial) else self._score_func.__name__
        sign = "" if self._sign > 0 else ", greater_is_better=False"
        kwargs = "".join(f", {k}={v}" for k, v in self._kwargs.items())
        return f"make_scorer({name}{sign}, response_method={self._response_method!r}{kwargs})"

    def __call__(self, estimator, X, y_true, sample_weight=None, **kwargs):
        """Score ``estimator`` on ``X`` against ``y_true`` (greater is better)."""
        if sample_weight is not None:
            kwargs["sample_weight"] = sample_weight
        return self._score(partial(_cached_call, None), estimator, X, y_true, **kwargs)

    def _score(self, method_caller, estimator, X, y_true, **kwargs):
        pos_label = None if is_regressor(estimator) else self._get_pos_label()
        y_pred = method_caller(estimator, self._response_method, X, pos_label=pos_label)
        return self._sign * self._score_func(y_true, y_pred, **{**self._kwargs, **kwargs})


class _PassthroughScorer:
    """The estimator's own ``score`` method, used when scoring is None."""

    def __init__(self, estimator):
        self._estimator = estimator

    def __call__(self, estimator, *args, **kwargs):
        return estimator.score(*args, **kwargs)

    def __repr__(self):
        return f"{type(self._estimator).__name__}.score"

    def _accept_sample_weight(self):
        return "sample_weight" in signature(self._estimator.score).parameters


class _MultimetricScorer:
    """Several scorers evaluated together; a response method shared by several is called once."""

    def __init__(self, *, scorers, raise_exc=True):
        self._scorers = scorers
        self._raise_exc = raise_exc

    def __call__(self, estimator, *args, **kwargs):
        """A dict {name: score}; a failing scorer's entry is its traceback if not ``raise_exc``."""
        cache = {} if self._use_cache(estimator) else None
        cached_call = partial(_cached_call, cache)
        sample_weight = kwargs.pop("sample_weight", None)
        scores = {}
        for name, scorer in self._scorers.items():
            accepts = getattr(scorer, "_accept_sample_weight", lambda: True)()
            extra = {"sample_weight": sample_weight} if sample_weight is not None and accepts else {}
            try:
                if isinstance(scorer, _Scorer):
                    scores[name] = scorer._score(cached_call, estimator, *args, **kwargs, **extra)
                else:
                    scores[name] = scorer(estimator, *args, **kwargs, **extra)
            except Exception:
                if self._raise_exc:
                    raise
                scores[name] = traceback.format_exc()
        return scores

    def _use_cache(self, estimator):
        methods = [
            _check_response_method(estimator, s._response_method).__name__
            for s in self._scorers.values()
            if isinstance(s, _Scorer)
        ]
        return any(count > 1 for count in Counter(methods).values())

    def __repr__(self):
        return "MultiMetricScorer(" + ", ".join(f'"{name}"' for name in self._scorers) + ")"


def make_scorer(score_func, *, response_method="predict", greater_is_better=True, **kwargs):
    """Make a scorer from a metric.

    Parameters
    ----------
    score_func : callable
        ``score_func(y_true, y_pred, **kwargs)``.
    response_method : {"predict", "predict_proba", "decision_function"} or list of them, default="predict"
        The estimator method whose output is ``y_pred``; with a list, the first
        method the estimator has.
    greater_is_better : bool, default=True
        False for a loss: the scorer returns its negative.
    **kwargs
        Extra arguments of ``score_func``.

    Returns
    -------
    scorer : callable ``scorer(estimator, X, y, sample_weight=None)``

    Examples
    --------
    >>> from learnflow.dummy import DummyRegressor
    >>> from learnflow.metrics import make_scorer, mean_squared_error
    >>> scorer = make_scorer(mean_squared_error, greater_is_better=False)
    >>> scorer
    make_scorer(mean_squared_error, greater_is_better=False, response_method='predict')
    >>> scorer(DummyRegressor().fit([[0], [1]], [0, 2]), [[0], [1]], [0, 2])
    -1.0
    """
    if not callable(score_func):
        raise TypeError(f"make_scorer expects a callable score_func, got {score_func!r}.")
    allowed = {"predict", "predict_proba", "predict_log_proba", "decision_function"}
    names = [response_method] if isinstance(response_method, str) else list(response_method)
    if not names or any(name not in allowed for name in names):
        raise ValueError(
            f"response_method must be one of {sorted(allowed)} or a list of them, got {response_method!r}."
        )
    return _Scorer(score_func, 1 if greater_is_better else -1, kwargs, response_method)


# --------------------------------------------------------------------------------------------
# The registry: scikit-learn's scoring names -> scorers. get_scorer() returns deep copies.
# Regression entries first; classification entries below. To add a classification scorer
# (f1, precision, recall, roc_auc, neg_log_loss, balanced_accuracy, "f1_macro", ...), add the
# metric to metrics/_classification.py or _ranking.py and one line in _CLASSIFICATION_SCORERS
# with scikit-learn's name, response_method and greater_is_better (see sklearn's _scorer.py).
# --------------------------------------------------------------------------------------------
_REGRESSION_SCORERS = {
    "explained_variance": make_scorer(_regression.explained_variance_score),
    "r2": make_scorer(_regression.r2_score),
    "neg_max_error": make_scorer(_regression.max_error, greater_is_better=False),
    # scikit-learn < 1.8 called the negated max error "max_error"; kept as an alias.
    "max_error": make_scorer(_regression.max_error, greater_is_better=False),
    "neg_median_absolute_error": make_scorer(_regression.median_absolute_error, greater_is_better=False),
    "neg_mean_absolute_error": make_scorer(_regression.mean_absolute_error, greater_is_better=False),
    "neg_mean_absolute_percentage_error": make_scorer(
        _regression.mean_absolute_percentage_error, greater_is_better=False
    ),
    "neg_mean_squared_error": make_scorer(_regression.mean_squared_error, greater_is_better=False),
    "neg_mean_squared_log_error": make_scorer(_regression.mean_squared_log_error, greater_is_better=False),
    "neg_root_mean_squared_error": make_scorer(_regression.root_mean_squared_error, greater_is_better=False),
    "neg_root_mean_squared_log_error": make_scorer(
        _regression.root_mean_squared_log_error, greater_is_better=False
    ),
}

_SCORE_OR_PROBA = ("decision_function", "predict_proba")

_CLASSIFICATION_SCORERS = {
    "accuracy": make_scorer(_classification.accuracy_score),
    "balanced_accuracy": make_scorer(_classification.balanced_accuracy_score),
    "roc_auc": make_scorer(_ranking.roc_auc_score, response_method=_SCORE_OR_PROBA),
    "roc_auc_ovr": make_scorer(_ranking.roc_auc_score, response_method="predict_proba", multi_class="ovr"),
    "roc_auc_ovo": make_scorer(_ranking.roc_auc_score, response_method="predict_proba", multi_class="ovo"),
    "roc_auc_ovr_weighted": make_scorer(
        _ranking.roc_auc_score, response_method="predict_proba", multi_class="ovr", average="weighted"
    ),
    "roc_auc_ovo_weighted": make_scorer(
        _ranking.roc_auc_score, response_method="predict_proba", multi_class="ovo", average="weighted"
    ),
    "average_precision": make_scorer(_ranking.average_precision_score, response_method=_SCORE_OR_PROBA),
    "neg_log_loss": make_scorer(_classification.log_loss, greater_is_better=False, response_method="predict_proba"),
}
# precision, recall and f1 with each average, named as scikit-learn names them ("f1", "f1_macro", ...)
for _name, _metric in (
    ("precision", _classification.precision_score),
    ("recall", _classification.recall_score),
    ("f1", _classification.f1_score),
):
    _CLASSIFICATION_SCORERS[_name] = make_scorer(_metric, average="binary")
    for _average in ("macro", "micro", "samples", "weighted"):
        _CLASSIFICATION_SCORERS[f"{_name}_{_average}"] = make_scorer(_metric, pos_label=None, average=_average)

_SCORERS = {**_REGRESSION_SCORERS, **_CLASSIFICATION_SCORERS}


def get_scorer_names():
    """The names ``scoring`` accepts, sorted.

    Examples
    --------
    >>> from learnflow.metrics import get_scorer_names
    >>> "neg_mean_squared_error" in get_scorer_names()
    True
    """
    return sorted(_SCORERS)


def get_scorer(scoring):
    """The scorer a scoring name denotes (a copy); a callable or None is returned as is.

    Examples
    --------
    >>> from learnflow.metrics import get_scorer
    >>> get_scorer("neg_root_mean_squared_error")
    make_scorer(root_mean_squared_error, greater_is_better=False, response_method='predict')
    """
    if isinstance(scoring, str):
        try:
            return copy.deepcopy(_SCORERS[scoring])
        except KeyError:
            raise ValueError(
                f"{scoring!r} is not a valid scoring value. Use learnflow.metrics.get_scorer_names() "
                "to get valid options."
            ) from None
    if scoring is None or callable(scoring):
        return scoring
    raise ValueError(f"scoring must be a string, a callable or None, got {scoring!r}.")


def _check_multimetric_scoring(estimator, scoring):
    """A list, tuple, set or dict of scorings as a dict {name: scorer}."""
    if isinstance(scoring, (list, tuple, set)):
        keys = list(scoring)
        invalid = f"The list/tuple elements must be unique strings of predefined scorers. Got {scoring!r}"
        if not keys:
            raise ValueError(f"Empty list was given. {invalid}")
        if len(set(keys)) != len(keys) or not all(isinstance(k, str) for k in keys):
            raise ValueError(invalid)
        return {key: check_scoring(estimator, scoring=key) for key in keys}
    if not scoring:
        raise ValueError(f"An empty dict was passed. {scoring!r}")
    if not all(isinstance(k, str) for k in scoring):
        raise ValueError(f"Non-string types were found in the keys of the given dict. scoring={scoring!r}")
    return {key: check_scoring(estimator, scoring=value) for key, value in scoring.items()}


def check_scoring(estimator=None, scoring=None, *, allow_none=False, raise_exc=True):
    """The scorer ``scoring`` denotes for ``estimator``.

    Parameters
    ----------
    estimator : estimator, default=None
    scoring : str, callable, list, tuple, set, dict or None, default=None
        None uses the estimator's ``score`` method; a list/tuple/set of names or
        a dict {name: scoring} gives a multi-metric scorer returning a dict.
    allow_none : bool, default=False
        Return None instead of raising when scoring is None and the estimator
        has no ``score``.
    raise_exc : bool, default=True
        For multi-metric scoring: re-raise a failing scorer's exception (else
        its formatted traceback is the score).

    Examples
    --------
    >>> from learnflow.dummy import DummyRegressor
    >>> from learnflow.metrics import check_scoring
    >>> check_scoring(DummyRegressor(), "r2")
    make_scorer(r2_score, response_method='predict')
    """
    if isinstance(scoring, str):
        return get_scorer(scoring)
    if callable(scoring):
        module = getattr(scoring, "__module__", None) or ""
        if module.startswith(("learnflow.metrics.", "sklearn.metrics.")) and not module.endswith(
            ("_scorer", "tests.test_score_objects")
        ) and hasattr(scoring, "__name__") and not isinstance(scoring, _Scorer):
            raise ValueError(
                f"scoring value {scoring!r} looks like it is a metric function rather than a scorer. "
                "A scorer should require an estimator as its first parameter. Please use "
                "`make_scorer` to convert a metric to a scorer."
            )
        return get_scorer(scoring)
    if isinstance(scoring, (list, tuple, set, dict)):
        return _MultimetricScorer(scorers=_check_multimetric_scoring(estimator, scoring), raise_exc=raise_exc)
    if scoring is None:
        if hasattr(estimator, "score"):
            return _PassthroughScorer(estimator)
        if allow_none:
            return None
        raise TypeError(
            f"If no scoring is specified, the estimator passed should have a 'score' method. "
            f"The estimator {estimator!r} does not."
        )
    raise ValueError(
        f"scoring value should either be a callable, string or None. {scoring!r} was passed"
    )
