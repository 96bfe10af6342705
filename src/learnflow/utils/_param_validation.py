"""Declared parameter constraints, checked once in ``fit`` (scikit-learn's language).

An estimator lists ``_parameter_constraints = {"alpha": [Interval(Real, 0, None,
closed="left")], "solver": [StrOptions({"auto", "svd"})]}``; ``_validate_params``
checks every parameter against its list and raises one uniform error.
"""

# SPDX-License-Identifier: BSD-3-Clause

import functools
from abc import ABC, abstractmethod
import inspect
from numbers import Integral, Real

import numpy as np

__all__ = [
    "HasMethods",
    "Hidden",
    "Interval",
    "InvalidParameterError",
    "Options",
    "StrOptions",
    "validate_parameter_constraints",
    "validate_params",
]


class InvalidParameterError(ValueError, TypeError):
    """A parameter has a value outside its declared constraints.

    Subclasses ValueError and TypeError: code that catches either sees it.
    """


class _Constraint(ABC):
    hidden = False

    @abstractmethod
    def is_satisfied_by(self, val):
        """True if ``val`` meets this constraint."""

    @abstractmethod
    def __str__(self):
        """The constraint as the error message names it."""


class _InstancesOf(_Constraint):
    def __init__(self, type_):
        self.type = type_

    def is_satisfied_by(self, val):
        return isinstance(val, self.type)

    def __str__(self):
        name = self.type.__qualname__ if isinstance(self.type, type) else str(self.type)
        return f"an instance of {name!r}"


class _NoneConstraint(_Constraint):
    def is_satisfied_by(self, val):
        return val is None

    def __str__(self):
        return "None"


class _Callables(_Constraint):
    def is_satisfied_by(self, val):
        return callable(val)

    def __str__(self):
        return "a callable"


class _ArrayLikes(_Constraint):
    def is_satisfied_by(self, val):
        return hasattr(val, "__len__") or hasattr(val, "shape") or hasattr(val, "__array__")

    def __str__(self):
        return "an array-like"


class _SparseMatrices(_Constraint):
    def is_satisfied_by(self, val):
        return hasattr(val, "tocsr") and hasattr(val, "nnz")

    def __str__(self):
        return "a sparse matrix"


class _RandomStates(_Constraint):
    def is_satisfied_by(self, val):
        return (
            val is None
            or (isinstance(val, Integral) and not isinstance(val, bool) and 0 <= val < 2**32)
            or isinstance(val, (np.random.RandomState, np.random.Generator))
        )

    def __str__(self):
        return "an int in the range [0, 4294967295], an instance of 'numpy.random.RandomState' or None"


class _Booleans(_Constraint):
    def is_satisfied_by(self, val):
        return isinstance(val, (bool, np.bool_))

    def __str__(self):
        return "an instance of 'bool'"


class _Verbose(_Constraint):
    def is_satisfied_by(self, val):
        return isinstance(val, (bool, np.bool_, Integral))

    def __str__(self):
        return "an int or a bool"


class _CVObjects(_Constraint):
    def is_satisfied_by(self, val):
        return (
            val is None
            or (isinstance(val, Integral) and not isinstance(val, bool) and val >= 2)
            or hasattr(val, "split")
            or (hasattr(val, "__iter__") and not isinstance(val, str))
        )

    def __str__(self):
        return "an int in the range [2, inf), an object with a 'split' method, an iterable or None"


class Options(_Constraint):
    """The value is one of a finite set of values of a type."""

    def __init__(self, type_, options, *, deprecated=None):
        self.type = type_
        self.options = options
        self.deprecated = deprecated or set()

    def is_satisfied_by(self, val):
        return isinstance(val, self.type) and val in self.options

    def __str__(self):
        shown = ", ".join(
            f"{o!r} (deprecated)" if o in self.deprecated else repr(o) for o in sorted(self.options, key=str)
        )
        return f"a {self.type.__name__} among {{{shown}}}"


class StrOptions(Options):
    """The value is one of a set of strings."""

    def __init__(self, options, *, deprecated=None):
        super().__init__(str, options, deprecated=deprecated)


class Interval(_Constraint):
    """The value is a number of ``type`` in ``[left, right]`` (None for an open end).

    Parameters
    ----------
    type : {numbers.Integral, numbers.Real, "real_not_int"}
    left, right : float or int or None
    closed : {"left", "right", "both", "neither"}

    Examples
    --------
    >>> from numbers import Real
    >>> from learnflow.utils._param_validation import Interval
    >>> Interval(Real, 0, None, closed="left").is_satisfied_by(0.0)
    True
    """

    def __init__(self, type, left, right, *, closed):
        if closed not in ("left", "right", "both", "neither"):
            raise ValueError(f"closed must be 'left', 'right', 'both' or 'neither', got {closed!r}")
        self.type = type
        self.left = left
        self.right = right
        self.closed = closed

    def _type_ok(self, val):
        if self.type == "real_not_int":
            return isinstance(val, Real) and not isinstance(val, Integral)
        if isinstance(val, bool):
            return False
        return isinstance(val, self.type)

    def is_satisfied_by(self, val):
        if not self._type_ok(val):
            return False
        if isinstance(val, Real) and np.isnan(val):
            return False
        left_ok = self.left is None or (
            val >= self.left if self.closed in ("left", "both") else val > self.left
        )
        right_ok = self.right is None or (
            val <= self.right if self.closed in ("right", "both") else val < self.right
        )
        return left_ok and right_ok

    def __str__(self):
        type_name = "an int" if self.type is Integral else "a float"
        left_bracket = "[" if self.closed in ("left", "both") and self.left is not None else "("
        right_bracket = "]" if self.closed in ("right", "both") and self.right is not None else ")"
        left = "-inf" if self.left is None else self.left
        right = "inf" if self.right is None else self.right
        return f"{type_name} in the range {left_bracket}{left}, {right}{right_bracket}"


class HasMethods(_Constraint):
    """The value is an object with the named methods."""

    def __init__(self, methods):
        self.methods = [methods] if isinstance(methods, str) else list(methods)

    def is_satisfied_by(self, val):
        return all(callable(getattr(val, method, None)) for method in self.methods)

    def __str__(self):
        return f"an object implementing {' and '.join(repr(m) for m in self.methods)}"


class Hidden:
    """A constraint that is accepted but not shown in error messages."""

    def __init__(self, constraint):
        self.constraint = constraint


_STRING_CONSTRAINTS = {
    "array-like": _ArrayLikes,
    "sparse matrix": _SparseMatrices,
    "random_state": _RandomStates,
    "boolean": _Booleans,
    "verbose": _Verbose,
    "cv_object": _CVObjects,
}


def _make_constraint(constraint):
    """Turn a declared constraint (string, type, None, callable, object) into a _Constraint."""
    if isinstance(constraint, Hidden):
        made = _make_constraint(constraint.constraint)
        made.hidden = True
        return made
    if isinstance(constraint, _Constraint):
        return constraint
    if constraint is None:
        return _NoneConstraint()
    if constraint is callable:
        return _Callables()
    if isinstance(constraint, str) and constraint in _STRING_CONSTRAINTS:
        return _STRING_CONSTRAINTS[constraint]()
    if isinstance(constraint, type):
        return _InstancesOf(constraint)
    raise ValueError(f"Unknown constraint type: {constraint!r}")


def validate_parameter_constraints(parameter_constraints, params, caller_name):
    """Raise InvalidParameterError for the first parameter that violates its constraints.

    ``"no_validation"`` as a parameter's constraint skips it; parameters not
    listed are not checked.
    """
    for name, value in params.items():
        if name not in parameter_constraints or parameter_constraints[name] == "no_validation":
            continue
        constraints = [_make_constraint(c) for c in parameter_constraints[name]]
        if any(c.is_satisfied_by(value) for c in constraints):
            continue
        shown = [str(c) for c in constraints if not c.hidden]
        expected = shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} or {shown[-1]}"
        raise InvalidParameterError(
            f"The {name!r} parameter of {caller_name} must be {expected}. Got {value!r} instead."
        )


def validate_params(parameter_constraints, *, prefer_skip_nested_validation=True):
    """Decorator validating a public function's arguments against declared constraints.

    Examples
    --------
    >>> from numbers import Integral
    >>> from learnflow.utils._param_validation import Interval, validate_params
    >>> @validate_params({"n": [Interval(Integral, 1, None, closed="left")]})
    ... def twice(n):
    ...     return 2 * n
    >>> twice(3)
    6
    """

    def decorator(func):
        signature = inspect.signature(func)

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            to_check = {k: v for k, v in bound.arguments.items() if k not in ("self", "cls")}
            validate_parameter_constraints(parameter_constraints, to_check, f"{func.__qualname__}()")
            return func(*args, **kwargs)

        return wrapper

    return decorator

