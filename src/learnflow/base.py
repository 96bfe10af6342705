"""Base classes of all estimators, their mixins, and ``clone``.

learnflow's estimators follow scikit-learn's contract exactly: parameters are
stored unchanged by ``__init__``, validated in ``fit``, learned state ends in
``_``. Their tags use scikit-learn's schema, so scikit-learn's tools (its
``Pipeline``, ``GridSearchCV``, ``check_estimator``) treat them as their own,
while learnflow itself never imports scikit-learn.
"""

# SPDX-License-Identifier: BSD-3-Clause

import copy
import functools
import inspect
from collections import defaultdict

import numpy as np

from ._engine import get_config
from .utils._param_validation import validate_parameter_constraints
from .utils._tags import get_tags, tag_types

__all__ = [
    "BaseEstimator",
    "ClassifierMixin",
    "ClusterMixin",
    "MetaEstimatorMixin",
    "MultiOutputMixin",
    "RegressorMixin",
    "TransformerMixin",
    "clone",
    "is_classifier",
    "is_regressor",
]


def clone(estimator, *, safe=True):
    """A new unfitted estimator with the same parameters (deep-copied, estimators cloned).

    Parameters
    ----------
    estimator : estimator, or list, tuple, set or dict of them
    safe : bool, default=True
        If False, objects that are not estimators are deep-copied instead of
        raising TypeError.

    Examples
    --------
    >>> from learnflow.base import clone
    >>> from learnflow.dummy import DummyClassifier
    >>> clone(DummyClassifier(strategy="uniform"))
    DummyClassifier(strategy='uniform')
    """
    if hasattr(estimator, "__sklearn_clone__") and not inspect.isclass(estimator):
        return estimator.__sklearn_clone__()
    return _clone_parametrized(estimator, safe=safe)


def _clone_parametrized(estimator, *, safe=True):
    if isinstance(estimator, dict):
        return {k: clone(v, safe=safe) for k, v in estimator.items()}
    if isinstance(estimator, (list, tuple, set, frozenset)):
        return type(estimator)([clone(e, safe=safe) for e in estimator])
    if not hasattr(estimator, "get_params") or isinstance(estimator, type):
        if not safe:
            return copy.deepcopy(estimator)
        if isinstance(estimator, type):
            raise TypeError(
                f"Cannot clone object {estimator!r}: it is a class rather than an "
                "instance. Try instantiating it first."
            )
        raise TypeError(
            f"Cannot clone object '{estimator!r}' (type {type(estimator)}): it does not "
            "seem to be a scikit-learn estimator as it does not implement a 'get_params' method."
        )
    params = estimator.get_params(deep=False)
    new_params = {name: clone(value, safe=False) for name, value in params.items()}
    new_object = type(estimator)(**new_params)
    for name, value in new_object.get_params(deep=False).items():
        if value is not new_params[name]:
            raise RuntimeError(
                f"Cannot clone object {estimator}, as the constructor either does not set "
                f"or modifies parameter {name}"
            )
    if hasattr(estimator, "_sklearn_output_config"):
        new_object._sklearn_output_config = copy.deepcopy(estimator._sklearn_output_config)
    return new_object


def _is_default(value, default):
    if value is default:
        return True
    if type(value) is not type(default):
        return False
    if isinstance(value, np.ndarray):
        return np.array_equal(value, default)
    try:
        return bool(value == default) or (value != value and default != default)
    except (TypeError, ValueError):
        return False


@functools.cache
def _init_param_names(cls, init):
    """The sorted parameter names of ``init`` (``cls.__init__``), read from its signature once per class:
    ensembles clone and re-parametrize a member per tree (several ``get_params`` each), and
    ``inspect.signature`` costs tens of microseconds a call."""
    if init is object.__init__:
        return ()
    parameters = [
        p for p in inspect.signature(init).parameters.values() if p.name != "self" and p.kind != p.VAR_KEYWORD
    ]
    for p in parameters:
        if p.kind == p.VAR_POSITIONAL:
            raise RuntimeError(
                f"learnflow estimators should always specify their parameters in the "
                f"signature of their __init__ (no varargs). {cls} doesn't follow this convention."
            )
    return tuple(sorted(p.name for p in parameters))


class BaseEstimator:
    """Base class for all estimators.

    Parameters are the explicit keyword arguments of ``__init__`` (no
    ``*args``/``**kwargs``); ``get_params`` reads them back, ``set_params``
    changes them (nested with ``step__param``), and ``fit`` validates them
    against ``_parameter_constraints``.
    """

    _parameter_constraints: dict = {}

    @classmethod
    def _get_param_names(cls):
        return list(_init_param_names(cls, cls.__init__))

    def get_params(self, deep=True):
        """Parameters of this estimator (and, if ``deep``, of the estimators it contains)."""
        out = {}
        for key in self._get_param_names():
            value = getattr(self, key)
            if deep and hasattr(value, "get_params") and not isinstance(value, type):
                out.update((f"{key}__{k}", v) for k, v in value.get_params().items())
            out[key] = value
        return out

    def set_params(self, **params):
        """Set parameters; ``component__param`` reaches into contained estimators."""
        if not params:
            return self
        valid = self.get_params(deep=True)
        nested = defaultdict(dict)
        for key, value in params.items():
            key, delim, sub_key = key.partition("__")
            if key not in valid:
                raise ValueError(
                    f"Invalid parameter {key!r} for estimator {self}. Valid parameters are: "
                    f"{self._get_param_names()!r}."
                )
            if delim:
                nested[key][sub_key] = value
            else:
                setattr(self, key, value)
                valid[key] = value
        for key, sub_params in nested.items():
            valid[key].set_params(**sub_params)
        return self

    def __sklearn_clone__(self):
        return _clone_parametrized(self)

    def __repr__(self):
        init = type(self).__init__
        defaults = {
            p.name: p.default for p in inspect.signature(init).parameters.values() if p.default is not p.empty
        }
        changed = [
            f"{name}={value!r}"
            for name, value in self.get_params(deep=False).items()
            if name not in defaults or not _is_default(value, defaults[name])
        ]
        text = f"{type(self).__name__}({', '.join(changed)})"
        return text if len(text) <= 700 else text[:350] + "..." + text[-350:]

    def __sklearn_tags__(self):
        types = tag_types()
        return types.Tags(estimator_type=None, target_tags=types.TargetTags(required=False))

    def _validate_params(self):
        """Check every parameter against ``_parameter_constraints`` (called by ``fit``)."""
        validate_parameter_constraints(
            self._parameter_constraints, self.get_params(deep=False), caller_name=type(self).__name__
        )


def _fit_context(*, prefer_skip_nested_validation=True):
    """Decorate ``fit``-like methods: validate the parameters once, then fit.

    Examples
    --------
    >>> from learnflow.base import BaseEstimator, _fit_context
    >>> class Identity(BaseEstimator):
    ...     @_fit_context()
    ...     def fit(self, X, y=None):
    ...         return self
    """

    def decorator(fit_method):
        @functools.wraps(fit_method)
        def wrapper(estimator, *args, **kwargs):
            estimator._validate_params()
            return fit_method(estimator, *args, **kwargs)

        return wrapper

    return decorator


class ClassifierMixin:
    """Mixin for classifiers: ``score`` is the mean accuracy."""

    _estimator_type = "classifier"

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.estimator_type = "classifier"
        tags.classifier_tags = tag_types().ClassifierTags()
        tags.target_tags.required = True
        return tags

    def score(self, X, y, sample_weight=None):
        """Mean accuracy of ``self.predict(X)`` against ``y``."""
        from .metrics import accuracy_score

        return accuracy_score(y, self.predict(X), sample_weight=sample_weight)


class RegressorMixin:
    """Mixin for regressors: ``score`` is the coefficient of determination R²."""

    _estimator_type = "regressor"

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.estimator_type = "regressor"
        tags.regressor_tags = tag_types().RegressorTags()
        tags.target_tags.required = True
        return tags

    def score(self, X, y, sample_weight=None):
        """R² of ``self.predict(X)`` against ``y``."""
        from .metrics import r2_score

        return r2_score(y, self.predict(X), sample_weight=sample_weight)


class ClusterMixin:
    """Mixin for clustering estimators: ``fit_predict``."""

    _estimator_type = "clusterer"

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.estimator_type = "clusterer"
        if tags.transformer_tags is not None:
            tags.transformer_tags.preserves_dtype = []
        return tags

    def fit_predict(self, X, y=None, **kwargs):
        """Fit, then return the cluster label of each sample."""
        self.fit(X, **kwargs)
        return self.labels_


class MultiOutputMixin:
    """Mixin for estimators that accept a 2-D y (several targets)."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags


class MetaEstimatorMixin:
    """Mixin for estimators that wrap other estimators."""


def _wrap_output(method):
    """Wrap ``transform``/``fit_transform`` so its output follows ``set_output``."""

    @functools.wraps(method)
    def wrapped(self, X, *args, **kwargs):
        data = method(self, X, *args, **kwargs)
        if _output_container(self) != "pandas":
            return data
        return _to_dataframe(self, data, X)

    wrapped._learnflow_wraps_output = True
    return wrapped


def _output_container(estimator):
    """"pandas" or "default": the estimator's own set_output choice, else the global one."""
    chosen = getattr(estimator, "_sklearn_output_config", {}).get("transform")
    return get_config()["transform_output"] if chosen is None else chosen


def _to_dataframe(estimator, data, X):
    import pandas as pd

    from ._engine import to_numpy

    if isinstance(data, tuple):
        return tuple(_to_dataframe(estimator, d, X) for d in data)
    if isinstance(data, pd.DataFrame):
        data.columns = estimator.get_feature_names_out()
        return data
    if hasattr(data, "toarray"):
        raise ValueError(
            "Pandas output does not support sparse data. Set sparse_output=False "
            f"on {type(estimator).__name__} to get pandas output."
        )
    columns = estimator.get_feature_names_out()
    index = X.index if isinstance(X, (pd.DataFrame, pd.Series)) else None
    return pd.DataFrame(to_numpy(data), columns=columns, index=index)


class TransformerMixin:
    """Mixin for transformers: ``fit_transform`` and ``set_output``.

    A subclass that defines ``get_feature_names_out`` gets its ``transform``
    and ``fit_transform`` wrapped so that ``set_output(transform="pandas")``
    (or ``config_context(transform_output="pandas")``) returns DataFrames
    with those column names and the input's index.
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if not hasattr(cls, "get_feature_names_out"):
            return
        for name in ("transform", "fit_transform"):
            method = cls.__dict__.get(name)
            if method is not None and not getattr(method, "_learnflow_wraps_output", False):
                setattr(cls, name, _wrap_output(method))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags = tag_types().TransformerTags()
        return tags

    def fit_transform(self, X, y=None, **fit_params):
        """Fit to X (and y), then return X transformed."""
        if y is None:
            return self.fit(X, **fit_params).transform(X)
        return self.fit(X, y, **fit_params).transform(X)

    def set_output(self, *, transform=None):
        """Choose what ``transform`` returns: "default" (arrays), "pandas", or None (unchanged)."""
        if transform is None:
            return self
        if transform not in ("default", "pandas"):
            raise ValueError(f"output config must be 'default' or 'pandas', got {transform!r}")
        if not hasattr(self, "get_feature_names_out"):
            raise AttributeError(
                f"{type(self).__name__} has no get_feature_names_out, so set_output cannot name the columns."
            )
        self._sklearn_output_config = {"transform": transform}
        return self


def is_classifier(estimator):
    """True if ``estimator`` is a classifier.

    Examples
    --------
    >>> from learnflow.base import is_classifier
    >>> from learnflow.dummy import DummyClassifier, DummyRegressor
    >>> is_classifier(DummyClassifier()), is_classifier(DummyRegressor())
    (True, False)
    """
    return get_tags(estimator).estimator_type == "classifier"


def is_regressor(estimator):
    """True if ``estimator`` is a regressor."""
    return get_tags(estimator).estimator_type == "regressor"
