"""Validation errors name the estimator and the problem; tensors stay tensors."""

import numpy as np
import pandas as pd
import pytest
import scipy.sparse
import torch

from learnflow.dummy import DummyRegressor
from learnflow.exceptions import DataConversionWarning, NotFittedError
from learnflow.utils.validation import (
    check_array,
    check_consistent_length,
    check_is_fitted,
    check_sample_weight,
    check_X_y,
    column_or_1d,
    validate_data,
)


@pytest.mark.parametrize(
    "X, message",
    [
        ([[1.0, np.nan]], "Input X contains NaN"),
        ([[1.0, np.inf]], "Input X contains infinity"),
        ([1.0, 2.0], "Expected 2D array, got 1D array"),
        (np.empty((0, 3)), r"Found array with 0 sample\(s\) \(shape=\(0, 3\)\) while a minimum of 1 is required by Model"),
        (np.empty((3, 0)), r"Found array with 0 feature\(s\)"),
        ([["a", "b"]], "Model requires numeric data, but the input contains strings"),
        (np.array([[1 + 2j]]), "Complex data not supported"),
        (np.ones((2, 2, 2)), "Found array with dim 3. Model expected <= 2"),
    ],
    ids=["nan", "inf", "1d", "no-samples", "no-features", "strings", "complex", "3d"],
)
def test_check_array_errors_name_the_problem(X, message):
    with pytest.raises(ValueError, match=message):
        check_array(X, estimator="Model", input_name="X")


def test_non_numeric_objects_are_a_type_error_as_in_scikit_learn():
    with pytest.raises(TypeError, match="Model requires numeric data, but the input contains non-numeric"):
        check_array(np.array([[1, {"x": 1}]], dtype=object), estimator="Model")


def test_sparse_input_is_rejected_with_a_message_saying_so():
    with pytest.raises(TypeError, match="Sparse data was passed for Model, but dense data is required"):
        check_array(scipy.sparse.csr_matrix(np.eye(2)), estimator="Model")


def test_tensors_are_validated_on_their_device_and_stay_tensors():
    tensor = torch.ones(3, 2)
    assert check_array(tensor) is tensor
    with pytest.raises(ValueError, match="Input X contains NaN"):
        check_array(torch.tensor([[float("nan")]]), input_name="X")


def test_dataframes_with_nullable_dtypes_become_float_with_nan():
    frame = pd.DataFrame({"a": pd.array([1, None], dtype="Int64"), "b": [0.5, 1.5]})
    result = check_array(frame, ensure_all_finite="allow-nan")
    assert result.dtype == np.float64 and np.isnan(result[1, 0])


def test_check_X_y_lengths_and_target():
    with pytest.raises(ValueError, match=r"inconsistent numbers of samples: \[3, 2\]"):
        check_X_y(np.ones((3, 1)), [1, 2])
    with pytest.raises(ValueError, match="requires y to be passed"):
        check_X_y(np.ones((3, 1)), None, estimator="Model")
    with pytest.warns(DataConversionWarning, match="column-vector y"):
        _, y = check_X_y(np.ones((2, 1)), [[1], [2]])
    assert y.shape == (2,)
    with pytest.raises(ValueError, match=r"y should be a 1d array, got an array of shape \(2, 2\)"):
        column_or_1d(np.ones((2, 2)))
    check_consistent_length([1, 2], None, np.ones((2, 5)))


@pytest.mark.filterwarnings("ignore:X does not have valid feature names")
def test_validate_data_records_and_checks_features():
    model = DummyRegressor()
    validate_data(model, pd.DataFrame({"x": [1.0], "y": [2.0]}))
    assert model.n_features_in_ == 2 and list(model.feature_names_in_) == ["x", "y"]
    with pytest.raises(ValueError, match="X has 3 features, but DummyRegressor is expecting 2 features as input"):
        validate_data(model, np.ones((1, 3)), reset=False)
    with pytest.raises(ValueError, match="Feature names unseen at fit time:\n- z"):
        validate_data(model, pd.DataFrame({"x": [1.0], "z": [2.0]}), reset=False)
    with pytest.warns(UserWarning, match="X does not have valid feature names"):
        validate_data(model, np.ones((1, 2)), reset=False)


def test_validate_data_on_y_alone():
    y = validate_data(DummyRegressor(), y=[[1.0], [2.0]], multi_output=True, y_numeric=True)
    assert y.shape == (2, 1)
    with pytest.raises(ValueError, match="Input y contains NaN"):
        validate_data(DummyRegressor(), y=[1.0, np.nan])


def test_check_is_fitted_and_sample_weight():
    with pytest.raises(NotFittedError, match="This DummyRegressor instance is not fitted yet"):
        check_is_fitted(DummyRegressor())
    with pytest.raises(TypeError, match="is not an estimator instance"):
        check_is_fitted(DummyRegressor)
    np.testing.assert_array_equal(check_sample_weight(2.0, np.ones((3, 1))), [2.0, 2.0, 2.0])
    with pytest.raises(ValueError, match="expected"):
        check_sample_weight([1.0, 2.0], np.ones((3, 1)))
    with pytest.raises(ValueError, match="at least one non-zero"):
        check_sample_weight([0.0, 0.0], np.ones((2, 1)))
