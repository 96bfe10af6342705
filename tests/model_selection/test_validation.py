"""cross_val_score / cross_validate / cross_val_predict / learning and validation curves against scikit-learn."""

import warnings

import joblib
import numpy as np
import pytest
import sklearn.model_selection as skms
from sklearn.dummy import DummyClassifier as SkDummyClassifier
from sklearn.dummy import DummyRegressor as SkDummyRegressor
from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge

import learnflow.model_selection as lfms
from learnflow.base import BaseEstimator, RegressorMixin
from learnflow.dummy import DummyClassifier, DummyRegressor
from learnflow.exceptions import FitFailedWarning
from learnflow.metrics import make_scorer, mean_absolute_error
from tests._devices import DEVICES

RTOL = 1e-10


@pytest.fixture(scope="module")
def regression_data():
    rng = np.random.RandomState(0)
    X = rng.randn(60, 4)
    y = X @ np.array([1.0, -2.0, 0.5, 3.0]) + rng.randn(60)
    return X, y


@pytest.fixture(scope="module")
def classification_data():
    rng = np.random.RandomState(1)
    X = rng.randn(60, 3)
    y = (X[:, 0] + 0.5 * rng.randn(60) > 0).astype(int)
    return X, y


class _FailingRegressor(RegressorMixin, BaseEstimator):
    """Fails to fit when ``fail`` is true (to exercise error_score)."""

    def __init__(self, fail=False):
        self.fail = fail

    def fit(self, X, y):
        if self.fail:
            raise ValueError("Failing regressor asked to fail")
        self.mean_ = float(np.mean(y))
        return self

    def predict(self, X):
        return np.full(len(X), self.mean_)


@pytest.mark.parametrize(
    "estimator",
    [DummyRegressor(), DummyRegressor(strategy="median"), LinearRegression(), Ridge(alpha=2.0)],
    ids=["dummy-mean", "dummy-median", "sk-linear", "sk-ridge"],
)
@pytest.mark.parametrize("scoring", [None, "neg_mean_squared_error", "neg_root_mean_squared_error", "r2"])
@pytest.mark.parametrize("cv", [3, 10])
def test_cross_val_score_equals_sklearn(regression_data, estimator, scoring, cv):
    X, y = regression_data
    ours = lfms.cross_val_score(estimator, X, y, scoring=scoring, cv=cv)
    theirs = skms.cross_val_score(estimator, X, y, scoring=scoring, cv=cv)
    np.testing.assert_allclose(ours, theirs, rtol=RTOL, atol=1e-12)


def test_cross_val_score_classifier_uses_stratified_folds(classification_data):
    X, y = classification_data
    for estimator in (DummyClassifier(strategy="most_frequent"), LogisticRegression()):
        ours = lfms.cross_val_score(estimator, X, y, cv=4, scoring="accuracy")
        np.testing.assert_allclose(ours, skms.cross_val_score(estimator, X, y, cv=4, scoring="accuracy"), rtol=RTOL, atol=1e-12)


def test_cross_validate_multimetric_and_returns(regression_data):
    X, y = regression_data
    scoring = ["neg_mean_squared_error", "r2", "neg_mean_absolute_error"]
    kwargs = {"cv": 4, "scoring": scoring, "return_train_score": True, "return_estimator": True, "return_indices": True}
    ours = lfms.cross_validate(Ridge(), X, y, **kwargs)
    theirs = skms.cross_validate(Ridge(), X, y, **kwargs)
    assert set(ours) == set(theirs)
    for key in theirs:
        if key.startswith(("test_", "train_")):
            np.testing.assert_allclose(ours[key], theirs[key], rtol=RTOL, atol=1e-12)
    for a, b in zip(ours["indices"]["test"], theirs["indices"]["test"]):
        np.testing.assert_array_equal(a, b)
    assert len(ours["estimator"]) == 4 and all(hasattr(e, "coef_") for e in ours["estimator"])
    assert ours["fit_time"].shape == (4,) and ours["score_time"].shape == (4,)


def test_cross_validate_dict_scoring_and_callable(regression_data):
    X, y = regression_data
    mae = make_scorer(mean_absolute_error, greater_is_better=False)
    ours = lfms.cross_validate(DummyRegressor(), X, y, cv=3, scoring={"mae": mae, "rmse": "neg_root_mean_squared_error"})
    theirs = skms.cross_validate(
        DummyRegressor(), X, y, cv=3, scoring={"mae": "neg_mean_absolute_error", "rmse": "neg_root_mean_squared_error"}
    )
    np.testing.assert_allclose(ours["test_mae"], theirs["test_mae"], rtol=RTOL, atol=1e-12)
    np.testing.assert_allclose(ours["test_rmse"], theirs["test_rmse"], rtol=RTOL, atol=1e-12)


def test_cross_validate_n_jobs_gives_the_same_scores(regression_data):
    X, y = regression_data
    serial = lfms.cross_val_score(DummyRegressor(), X, y, cv=4, scoring="r2")
    with joblib.parallel_config(backend="threading"):
        parallel = lfms.cross_val_score(DummyRegressor(), X, y, cv=4, scoring="r2", n_jobs=2)
    np.testing.assert_allclose(serial, parallel, rtol=RTOL, atol=1e-12)


@pytest.mark.slow
def test_cross_validate_n_jobs_with_processes(regression_data):
    """joblib's default (loky) backend: workers unpickle learnflow estimators and scorers."""
    X, y = regression_data
    serial = lfms.cross_validate(DummyRegressor(), X, y, cv=4, scoring=["r2", "neg_mean_squared_error"])
    parallel = lfms.cross_validate(DummyRegressor(), X, y, cv=4, scoring=["r2", "neg_mean_squared_error"], n_jobs=2)
    np.testing.assert_allclose(serial["test_r2"], parallel["test_r2"], rtol=RTOL, atol=1e-12)


def test_fit_params_are_split(regression_data):
    X, y = regression_data
    weight = np.random.RandomState(3).rand(len(y))
    ours = lfms.cross_val_score(Ridge(), X, y, cv=3, params={"sample_weight": weight})
    theirs = skms.cross_val_score(Ridge(), X, y, cv=3, params={"sample_weight": weight})
    np.testing.assert_allclose(ours, theirs, rtol=RTOL, atol=1e-12)


def test_error_score_nan_warns_and_raise_raises(regression_data):
    X, y = regression_data
    splits = [(np.arange(30), np.arange(30, 60)), (np.arange(30, 60), np.arange(30))]
    with pytest.raises(ValueError, match="Failing regressor asked to fail"):
        lfms.cross_val_score(_FailingRegressor(fail=True), X, y, cv=splits, error_score="raise")
    with pytest.raises(ValueError, match="All the 2 fits failed"):
        lfms.cross_val_score(_FailingRegressor(fail=True), X, y, cv=splits)
    with pytest.raises(ValueError, match="error_score must be the string 'raise' or a numeric value"):
        lfms.cross_val_score(DummyRegressor(), X, y, cv=2, error_score="ignore")


def test_error_score_value_in_learning_curve_partial_failure(regression_data):
    """A fit that fails on some splits gets error_score and a FitFailedWarning."""

    class FailOnSmall(_FailingRegressor):
        def fit(self, X, y):
            if len(X) < 20:
                raise ValueError("too few samples")
            return super().fit(X, y)

    X, y = regression_data
    with pytest.warns(FitFailedWarning, match="fits failed out of a total of"):
        _, train, test = lfms.learning_curve(FailOnSmall(), X, y, train_sizes=[10, 40], cv=3, error_score=-1.0)
    assert (test[0] == -1.0).all() and np.isfinite(test[1]).all()


@pytest.mark.parametrize(
    "estimator, method",
    [
        (DummyRegressor(), "predict"),
        (LinearRegression(), "predict"),
        (LogisticRegression(), "predict_proba"),
        (LogisticRegression(), "decision_function"),
        (DummyClassifier(strategy="prior"), "predict_proba"),
        (SkDummyClassifier(strategy="prior"), "predict_log_proba"),
    ],
)
def test_cross_val_predict_equals_sklearn(regression_data, classification_data, estimator, method):
    X, y = regression_data if method == "predict" else classification_data
    ours = lfms.cross_val_predict(estimator, X, y, cv=5, method=method)
    theirs = skms.cross_val_predict(estimator, X, y, cv=5, method=method)
    np.testing.assert_allclose(ours, theirs, rtol=RTOL, atol=1e-12)


def test_cross_val_predict_missing_class_in_fold():
    X = np.arange(9, dtype=float).reshape(-1, 1)
    y = np.array([0, 0, 0, 1, 1, 1, 2, 2, 2])
    splits = [(np.arange(6), np.arange(6, 9)), (np.arange(3, 9), np.arange(3)), (np.r_[0:3, 6:9], np.arange(3, 6))]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        ours = lfms.cross_val_predict(DummyClassifier(), X, y, cv=splits, method="predict_proba")
        theirs = skms.cross_val_predict(SkDummyClassifier(), X, y, cv=splits, method="predict_proba")
    np.testing.assert_allclose(ours, theirs)
    with pytest.raises(ValueError, match="only works for partitions"):
        lfms.cross_val_predict(DummyClassifier(), X, y, cv=[(np.arange(5), np.arange(5, 8))])


@pytest.mark.parametrize("shuffle", [False, True])
def test_learning_curve_equals_sklearn(regression_data, shuffle):
    X, y = regression_data
    kwargs = {
        "train_sizes": np.linspace(0.2, 1.0, 4),
        "cv": 5,
        "scoring": "neg_mean_squared_error",
        "shuffle": shuffle,
        "random_state": 0 if shuffle else None,
    }
    ours = lfms.learning_curve(Ridge(), X, y, return_times=True, **kwargs)
    theirs = skms.learning_curve(Ridge(), X, y, return_times=True, **kwargs)
    np.testing.assert_array_equal(ours[0], theirs[0])
    np.testing.assert_allclose(ours[1], theirs[1], rtol=RTOL, atol=1e-12)
    np.testing.assert_allclose(ours[2], theirs[2], rtol=RTOL, atol=1e-12)
    assert ours[3].shape == theirs[3].shape and ours[4].shape == theirs[4].shape


def test_learning_curve_bad_train_sizes(regression_data):
    X, y = regression_data
    with pytest.raises(ValueError, match="interpreted as fractions"):
        lfms.learning_curve(Ridge(), X, y, train_sizes=[0.0, 0.5], cv=3)
    with pytest.raises(ValueError, match="interpreted as absolute numbers"):
        lfms.learning_curve(Ridge(), X, y, train_sizes=[1, 500], cv=3)


def test_validation_curve_equals_sklearn(regression_data):
    X, y = regression_data
    kwargs = {"param_name": "alpha", "param_range": [0.01, 1.0, 100.0], "cv": 4, "scoring": "r2"}
    ours = lfms.validation_curve(Ridge(), X, y, **kwargs)
    theirs = skms.validation_curve(Ridge(), X, y, **kwargs)
    np.testing.assert_allclose(ours[0], theirs[0], rtol=RTOL, atol=1e-12)
    np.testing.assert_allclose(ours[1], theirs[1], rtol=RTOL, atol=1e-12)


def test_sklearn_splitter_objects_are_accepted(regression_data):
    X, y = regression_data
    cv = skms.KFold(3, shuffle=True, random_state=0)
    np.testing.assert_allclose(
        lfms.cross_val_score(Ridge(), X, y, cv=cv), skms.cross_val_score(Ridge(), X, y, cv=cv), rtol=RTOL
    )


def test_learning_curve_incremental_equals_sklearn(classification_data):
    from sklearn.linear_model import SGDClassifier

    X, y = classification_data
    kwargs = {"train_sizes": [10, 25, 40], "cv": 3, "exploit_incremental_learning": True, "return_times": True}
    ours = lfms.learning_curve(SGDClassifier(random_state=0), X, y, **kwargs)
    theirs = skms.learning_curve(SGDClassifier(random_state=0), X, y, **kwargs)
    assert len(ours) == len(theirs) == 5
    np.testing.assert_array_equal(ours[0], theirs[0])
    np.testing.assert_allclose(ours[1], theirs[1], rtol=RTOL)
    np.testing.assert_allclose(ours[2], theirs[2], rtol=RTOL)
    with pytest.raises(ValueError, match="partial_fit interface"):
        lfms.learning_curve(DummyRegressor(), X, y, exploit_incremental_learning=True)


@pytest.mark.parametrize("device", DEVICES)
def test_torch_and_pandas_inputs_give_the_numpy_scores(regression_data, device):
    import pandas as pd
    import torch

    X, y = regression_data
    expected = skms.cross_val_score(SkDummyRegressor(strategy="median"), X, y, cv=3, scoring="neg_mean_squared_error")
    on_device = lfms.cross_val_score(
        DummyRegressor(strategy="median"),
        torch.tensor(X, device=device),
        torch.tensor(y, device=device),
        cv=3,
        scoring="neg_mean_squared_error",
    )
    # the engine computes in float32 on a GPU (float64 on the CPU)
    np.testing.assert_allclose(on_device, expected, rtol=RTOL if device == "cpu" else 1e-6)
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    from_pandas = lfms.cross_val_score(
        DummyRegressor(strategy="median"), frame, pd.Series(y), cv=3, scoring="neg_mean_squared_error"
    )
    np.testing.assert_allclose(from_pandas, expected, rtol=RTOL)
    predictions = lfms.cross_val_predict(DummyRegressor(), torch.tensor(X, device=device), torch.tensor(y, device=device), cv=3)
    assert isinstance(predictions, torch.Tensor) and predictions.device.type == device


@pytest.mark.slow
def test_book_housing_linear_regression_cv_rmse_equals_sklearn():
    """Chapter 2: 10-fold CV RMSE of a linear model (learnflow's) on housing equals scikit-learn's pipeline."""
    from sklearn.linear_model import LinearRegression as SkLinearRegression

    from learnflow.datasets import load_housing
    from learnflow.linear_model import LinearRegression

    housing = load_housing().frame
    train, _ = lfms.train_test_split(housing, test_size=0.2, random_state=42)
    X = train.drop(columns=["median_house_value", "ocean_proximity"])
    X = X.fillna(X.median()).to_numpy()
    y = train["median_house_value"].to_numpy()
    ours = np.sqrt(-lfms.cross_val_score(LinearRegression(), X, y, scoring="neg_mean_squared_error", cv=10))
    theirs = np.sqrt(-skms.cross_val_score(SkLinearRegression(), X, y, scoring="neg_mean_squared_error", cv=10))
    np.testing.assert_allclose(ours, theirs, rtol=1e-6)
    rmse = lfms.cross_val_score(LinearRegression(), X, y, scoring="neg_root_mean_squared_error", cv=10)
    np.testing.assert_allclose(-rmse, theirs, rtol=1e-6)
