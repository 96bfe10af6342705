"""Exceptions and warnings raised by learnflow."""

# SPDX-License-Identifier: BSD-3-Clause

import functools
import sys

__all__ = [
    "ConvergenceWarning",
    "DataConversionWarning",
    "DeviceFallbackWarning",
    "DeviceUnavailableError",
    "FitFailedWarning",
    "NotFittedError",
    "UndefinedMetricWarning",
]


class NotFittedError(ValueError, AttributeError):
    """Raised when a method that needs a fitted estimator is called before ``fit``.

    Subclasses both ValueError and AttributeError, as scikit-learn's does, so
    ``hasattr``-style probing and ``except ValueError`` both work.

    Examples
    --------
    >>> from learnflow.dummy import DummyClassifier
    >>> from learnflow.exceptions import NotFittedError
    >>> try:
    ...     DummyClassifier().predict([[1, 2]])
    ... except NotFittedError as exc:
    ...     print(exc)
    This DummyClassifier instance is not fitted yet. Call 'fit' with appropriate arguments before using this estimator.
    """


@functools.cache
def _sklearn_compatible_not_fitted_error(sklearn_not_fitted_error):
    return type("NotFittedError", (NotFittedError, sklearn_not_fitted_error), {"__module__": __name__})


def not_fitted_error_type():
    """The NotFittedError class to raise.

    When scikit-learn is loaded (its tools are then the callers), this is a
    subclass of both our NotFittedError and scikit-learn's, so ``except``
    clauses written for either catch it.
    """
    sklearn_exceptions = sys.modules.get("sklearn.exceptions")
    if sklearn_exceptions is None:
        return NotFittedError
    return _sklearn_compatible_not_fitted_error(sklearn_exceptions.NotFittedError)


class ConvergenceWarning(UserWarning):
    """An iterative solver stopped before meeting its tolerance."""


class DataConversionWarning(UserWarning):
    """Input data was converted implicitly (for example a column vector y raveled)."""


class FitFailedWarning(RuntimeWarning):
    """A fit inside a model-selection loop failed and got ``error_score``."""


class UndefinedMetricWarning(UserWarning):
    """A metric is ill-defined on this input (for example precision with no positive prediction)."""


class DeviceUnavailableError(RuntimeError):
    """The configured device (for example ``"cuda"``) does not exist on this machine."""


class DeviceFallbackWarning(UserWarning):
    """A step could not run on the requested device and ran on the CPU instead."""
