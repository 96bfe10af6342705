"""Declared parameter constraints and their uniform error message."""

from numbers import Integral, Real

import numpy as np
import pytest

from learnflow.utils._param_validation import (
    HasMethods,
    Hidden,
    Interval,
    InvalidParameterError,
    StrOptions,
    validate_parameter_constraints,
)

CONSTRAINTS = {
    "alpha": [Interval(Real, 0, None, closed="left")],
    "n": [Interval(Integral, 1, 10, closed="both"), None],
    "solver": [StrOptions({"svd", "cholesky"}), Hidden(StrOptions({"legacy"}))],
    "estimator": [HasMethods(["fit", "predict"])],
    "random_state": ["random_state"],
}


@pytest.mark.parametrize(
    "params",
    [
        {"alpha": 0.0, "n": None, "solver": "legacy", "random_state": np.random.RandomState(0)},
        {"alpha": 3, "n": 10, "solver": "svd", "random_state": 42},
    ],
)
def test_valid_values_pass(params):
    validate_parameter_constraints(CONSTRAINTS, params, "Model")


@pytest.mark.parametrize(
    "params, message",
    [
        ({"alpha": -1.0}, r"The 'alpha' parameter of Model must be a float in the range \[0, inf\)\. Got -1.0 instead."),
        ({"alpha": float("nan")}, "The 'alpha' parameter of Model must be"),
        ({"n": 11}, r"must be an int in the range \[1, 10\] or None"),
        ({"n": True}, "The 'n' parameter"),
        ({"solver": "qr"}, r"must be a str among \{'cholesky', 'svd'\}\. Got 'qr'"),
        ({"estimator": object()}, "an object implementing 'fit' and 'predict'"),
        ({"random_state": "42"}, "The 'random_state' parameter"),
    ],
)
def test_invalid_values_raise_one_uniform_error(params, message):
    with pytest.raises(InvalidParameterError, match=message):
        validate_parameter_constraints(CONSTRAINTS, params, "Model")
