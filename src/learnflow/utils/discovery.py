"""Discovery of learnflow's public estimators (what the conformance test runs on)."""

# SPDX-License-Identifier: BSD-3-Clause

import importlib
import inspect
import pkgutil

__all__ = ["all_estimators"]

_TYPE_TAGS = {
    "classifier": "classifier",
    "regressor": "regressor",
    "cluster": "clusterer",
}


def _public_modules():
    import learnflow

    yield learnflow
    for info in pkgutil.walk_packages(learnflow.__path__, prefix="learnflow."):
        if any(part.startswith("_") for part in info.name.split(".")):
            continue
        yield importlib.import_module(info.name)


def _matches(cls, type_filter):
    from ..base import TransformerMixin
    from ._tags import get_tags

    if type_filter is None:
        return True
    filters = [type_filter] if isinstance(type_filter, str) else list(type_filter)
    unknown = set(filters) - {*_TYPE_TAGS, "transformer"}
    if unknown:
        raise ValueError(
            "Parameter type_filter must be 'classifier', 'regressor', 'transformer', "
            f"'cluster' or None, got {sorted(unknown)}."
        )
    estimator_type = None
    try:
        estimator_type = get_tags(cls()).estimator_type
    except TypeError:  # needs constructor arguments: fall back to the class attribute
        estimator_type = getattr(cls, "_estimator_type", None)
    return any(
        (f == "transformer" and issubclass(cls, TransformerMixin)) or estimator_type == _TYPE_TAGS.get(f)
        for f in filters
    )


def all_estimators(type_filter=None):
    """Every public estimator class of learnflow, as sorted ``(name, class)`` pairs.

    Classes are public when a public module exposes them, their name does not
    start with "_" or "Base" and they are not mixins or abstract.

    Parameters
    ----------
    type_filter : {"classifier", "regressor", "cluster", "transformer"} or list, default=None

    Examples
    --------
    >>> from learnflow.utils import all_estimators
    >>> "DummyClassifier" in dict(all_estimators("classifier"))
    True
    """
    from ..base import BaseEstimator

    found = {}
    for module in _public_modules():
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(cls, BaseEstimator)
                and cls.__module__.startswith("learnflow.")
                and not name.startswith(("_", "Base"))
                and "Mixin" not in name
                and not inspect.isabstract(cls)
            ):
                found[name] = cls
    return sorted((name, cls) for name, cls in found.items() if _matches(cls, type_filter))
