"""``available_if``: a method that exists only when a condition on the instance holds.

Meta-estimators such as :class:`~learnflow.pipeline.Pipeline` expose
``predict``, ``transform``... exactly when the estimator they wrap has them, so
``hasattr(pipe, "predict_proba")`` tells the truth (scikit-learn's contract).
"""

# SPDX-License-Identifier: BSD-3-Clause

from functools import update_wrapper, wraps
from types import MethodType

__all__ = ["available_if"]


class _AvailableIfDescriptor:
    """A method descriptor raising AttributeError when ``check(instance)`` is falsy or raises."""

    def __init__(self, fn, check, attribute_name):
        self.fn = fn
        self.check = check
        self.attribute_name = attribute_name
        update_wrapper(self, fn)

    def _check(self, obj, owner):
        message = f"This {owner.__name__!r} has no attribute {self.attribute_name!r}"
        try:
            available = self.check(obj)
        except Exception as exc:
            raise AttributeError(message) from exc
        if not available:
            raise AttributeError(message)

    def __get__(self, obj, owner=None):
        if obj is not None:
            self._check(obj, owner=owner)
            return MethodType(self.fn, obj)

        @wraps(self.fn)
        def unbound(*args, **kwargs):
            self._check(args[0], owner=owner)
            return self.fn(*args, **kwargs)

        return unbound


def available_if(check):
    """Decorate a method so that it exists only when ``check(self)`` is truthy.

    Parameters
    ----------
    check : callable
        Called with the instance; a falsy result or an exception makes the
        attribute missing (``hasattr`` is False, access raises AttributeError).

    Examples
    --------
    >>> from learnflow.utils._available_if import available_if
    >>> class HelloIfEven:
    ...     def __init__(self, x):
    ...         self.x = x
    ...     @available_if(lambda self: self.x % 2 == 0)
    ...     def say_hello(self):
    ...         return "Hello"
    >>> hasattr(HelloIfEven(1), "say_hello"), HelloIfEven(2).say_hello()
    (False, 'Hello')
    """
    return lambda fn: _AvailableIfDescriptor(fn, check, attribute_name=fn.__name__)
