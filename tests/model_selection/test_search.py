"""GridSearchCV / RandomizedSearchCV / ParameterGrid / ParameterSampler against scikit-learn."""

import warnings

import numpy as np
import pytest
import sklearn.model_selection as skms
from scipy.stats import expon, loguniform, randint, uniform
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import learnflow.model_selection as lfms
from learnflow.base import BaseEstimator, RegressorMixin
from learnflow.dummy import DummyClassifier, DummyRegressor
from learnflow.exceptions import FitFailedWarning, NotFittedError

RTOL = 1e-10
TIME_KEYS = ("mean_fit_time", "std_fit_time", "mean_score_time", "std_score_time")


@pytest.fixture(scope="module")
def regression_data():
    rng = np.random.RandomState(0)
    X = rng.randn(50, 3)
    y = X @ np.array([2.0, -1.0, 0.5]) + 0.3 * rng.randn(50) + np.abs(rng.standard_cauchy(50))
    return X, y


@pytest.fixture(scope="module")
def classification_data():
    rng = np.random.RandomState(2)
    X = rng.randn(60, 3)
    y = np.where(X[:, 0] + 0.3 * rng.randn(60) > 0.3, "yes", "no")
    return X, y


def _assert_same_results(ours, theirs):
    assert set(ours.cv_results_) == set(theirs.cv_results_)
    for key, expected in theirs.cv_results_.items():
        got = ours.cv_results_[key]
        if key in TIME_KEYS:
            assert got.shape == expected.shape
        elif key == "params":
            assert got == expected
        elif key.startswith("param_"):
            assert isinstance(got, np.ma.MaskedArray)
            np.testing.assert_array_equal(got.mask, expected.mask)
            assert got.dtype == expected.dtype
            assert list(got.compressed()) == list(expected.compressed())
        elif key.startswith("rank_"):
            np.testing.assert_array_equal(got, expected)
            assert got.dtype == expected.dtype
        else:
            np.testing.assert_allclose(got, expected, rtol=RTOL, atol=1e-12, err_msg=key)
    if hasattr(theirs, "best_params_"):
        assert ours.best_params_ == theirs.best_params_
        assert ours.best_index_ == theirs.best_index_
    if hasattr(theirs, "best_score_"):
        np.testing.assert_allclose(ours.best_score_, theirs.best_score_, rtol=RTOL)
    assert ours.n_splits_ == theirs.n_splits_
    assert ours.multimetric_ == theirs.multimetric_


def test_parameter_grid_equals_sklearn():
    grids = [
        {"a": [1, 2], "b": ["x", "y", "z"]},
        [{"kernel": ["linear"], "C": [1, 10]}, {"kernel": ["rbf"], "gamma": [0.1, 1.0], "C": [1]}, {}],
    ]
    for grid in grids:
        ours, theirs = lfms.ParameterGrid(grid), skms.ParameterGrid(grid)
        assert list(ours) == list(theirs) and len(ours) == len(theirs)
        assert [ours[i] for i in range(len(ours))] == list(theirs)
    with pytest.raises(TypeError, match="needs to be a list or a numpy array"):
        lfms.ParameterGrid({"a": 1})
    with pytest.raises(ValueError, match="non-empty sequence"):
        lfms.ParameterGrid({"a": []})
    with pytest.raises(IndexError):
        lfms.ParameterGrid({"a": [1]})[1]


@pytest.mark.parametrize(
    "distributions, n_iter",
    [
        ({"a": [1, 2, 3], "b": ["x", "y"]}, 4),  # lists only: sampled without replacement (permutation)
        ({"a": list(range(200)), "b": list(range(3))}, 5),  # tracking selection
        ({"a": list(range(10))}, 9),  # reservoir sampling (ratio 0.9)
        ({"a": [1, 2]}, 5),  # grid smaller than n_iter
        ({"C": loguniform(1e-3, 1e3), "kernel": ["linear", "rbf"], "n": randint(1, 50)}, 8),
        ([{"alpha": expon(scale=2.0)}, {"alpha": uniform(0, 1), "fit_intercept": [True, False]}], 6),
    ],
)
def test_parameter_sampler_equals_sklearn(distributions, n_iter):
    with pytest.warns(UserWarning) if n_iter == 5 and distributions == {"a": [1, 2]} else _nothing():
        ours = list(lfms.ParameterSampler(distributions, n_iter, random_state=42))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        theirs = list(skms.ParameterSampler(distributions, n_iter, random_state=42))
    assert ours == theirs
    assert len(lfms.ParameterSampler(distributions, n_iter)) == len(skms.ParameterSampler(distributions, n_iter))


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *args):
        return False


@pytest.mark.parametrize("return_train_score", [False, True])
def test_grid_search_dummy_regressor_equals_sklearn(regression_data, return_train_score):
    X, y = regression_data
    grid = [{"strategy": ["mean", "median"]}, {"strategy": ["quantile"], "quantile": [0.1, 0.5, 0.9]}]
    kwargs = {"cv": 4, "scoring": "neg_mean_absolute_error", "return_train_score": return_train_score}
    ours = lfms.GridSearchCV(DummyRegressor(), grid, **kwargs).fit(X, y)
    from sklearn.dummy import DummyRegressor as SkDummyRegressor

    theirs = skms.GridSearchCV(SkDummyRegressor(), grid, **kwargs).fit(X, y)
    _assert_same_results(ours, theirs)
    np.testing.assert_allclose(ours.predict(X), theirs.predict(X))
    assert ours.score(X, y) == pytest.approx(theirs.score(X, y), rel=RTOL)
    assert ours.refit_time_ >= 0 and ours.n_features_in_ == 3


def test_grid_search_sklearn_ridge_alphas_equals_sklearn(regression_data):
    X, y = regression_data
    grid = {"alpha": np.logspace(-3, 3, 7)}
    ours = lfms.GridSearchCV(Ridge(), grid, cv=5, scoring="neg_mean_squared_error", return_train_score=True).fit(X, y)
    theirs = skms.GridSearchCV(Ridge(), grid, cv=5, scoring="neg_mean_squared_error", return_train_score=True).fit(X, y)
    _assert_same_results(ours, theirs)
    np.testing.assert_allclose(ours.best_estimator_.coef_, theirs.best_estimator_.coef_, rtol=RTOL)


def test_grid_search_nested_pipeline_params(regression_data):
    X, y = regression_data
    pipe = make_pipeline(StandardScaler(), Ridge())
    grid = {"ridge__alpha": [0.1, 10.0], "standardscaler__with_mean": [True, False]}
    ours = lfms.GridSearchCV(pipe, grid, cv=3).fit(X, y)
    theirs = skms.GridSearchCV(pipe, grid, cv=3).fit(X, y)
    _assert_same_results(ours, theirs)


def test_grid_search_multimetric_refit_by_name(regression_data):
    X, y = regression_data
    scoring = {"mse": "neg_mean_squared_error", "mae": "neg_mean_absolute_error", "r2": "r2"}
    grid = {"alpha": [0.01, 1.0, 100.0]}
    ours = lfms.GridSearchCV(Ridge(), grid, cv=3, scoring=scoring, refit="mae").fit(X, y)
    theirs = skms.GridSearchCV(Ridge(), grid, cv=3, scoring=scoring, refit="mae").fit(X, y)
    _assert_same_results(ours, theirs)
    assert set(ours.scorer_) == {"mse", "mae", "r2"}
    assert ours.score(X, y) == pytest.approx(theirs.score(X, y), rel=RTOL)
    with pytest.raises(ValueError, match="For multi-metric scoring, the parameter refit must be set"):
        lfms.GridSearchCV(Ridge(), grid, cv=3, scoring=scoring).fit(X, y)
    no_refit = lfms.GridSearchCV(Ridge(), grid, cv=3, scoring=["r2", "max_error"], refit=False).fit(X, y)
    assert not hasattr(no_refit, "best_estimator_") and "mean_test_max_error" in no_refit.cv_results_
    with pytest.raises(AttributeError, match="has no attribute 'predict'") as info:
        no_refit.predict(X)
    assert "refit=False" in str(info.value.__cause__)


def test_grid_search_refit_callable(regression_data):
    X, y = regression_data

    def lowest_alpha_within_one_std(results):
        return int(np.argmax(results["mean_test_score"] >= results["mean_test_score"].max() - results["std_test_score"].max()))

    grid = {"alpha": [0.01, 1.0, 100.0]}
    ours = lfms.GridSearchCV(Ridge(), grid, cv=3, refit=lowest_alpha_within_one_std).fit(X, y)
    theirs = skms.GridSearchCV(Ridge(), grid, cv=3, refit=lowest_alpha_within_one_std).fit(X, y)
    assert ours.best_index_ == theirs.best_index_ and not hasattr(ours, "best_score_")


def test_grid_search_classifier_delegation(classification_data):
    X, y = classification_data
    grid = {"C": [0.01, 1.0, 100.0]}
    ours = lfms.GridSearchCV(LogisticRegression(), grid, cv=3, scoring="accuracy").fit(X, y)
    theirs = skms.GridSearchCV(LogisticRegression(), grid, cv=3, scoring="accuracy").fit(X, y)
    _assert_same_results(ours, theirs)
    np.testing.assert_array_equal(ours.classes_, theirs.classes_)
    np.testing.assert_allclose(ours.predict_proba(X), theirs.predict_proba(X))
    np.testing.assert_allclose(ours.decision_function(X), theirs.decision_function(X))
    dummy = lfms.GridSearchCV(DummyClassifier(), {"strategy": ["prior", "most_frequent"]}, cv=3).fit(X, y)
    assert list(dummy.classes_) == ["no", "yes"]
    assert not hasattr(dummy, "transform") and hasattr(dummy, "predict_proba")


def test_randomized_search_samples_sklearn_candidates(regression_data):
    X, y = regression_data
    distributions = {"alpha": loguniform(1e-3, 1e2), "fit_intercept": [True, False]}
    kwargs = {"n_iter": 6, "cv": 3, "random_state": 7, "scoring": "neg_root_mean_squared_error"}
    ours = lfms.RandomizedSearchCV(Ridge(), distributions, **kwargs).fit(X, y)
    theirs = skms.RandomizedSearchCV(Ridge(), distributions, **kwargs).fit(X, y)
    _assert_same_results(ours, theirs)


def test_randomized_search_on_learnflow_estimator(regression_data):
    X, y = regression_data
    kwargs = {"n_iter": 4, "cv": 3, "random_state": 0, "return_train_score": True}
    ours = lfms.RandomizedSearchCV(DummyRegressor(strategy="quantile"), {"quantile": uniform(0, 1)}, **kwargs).fit(X, y)
    from sklearn.dummy import DummyRegressor as SkDummyRegressor

    theirs = skms.RandomizedSearchCV(SkDummyRegressor(strategy="quantile"), {"quantile": uniform(0, 1)}, **kwargs)
    _assert_same_results(ours, theirs.fit(X, y))


class _FailingRegressor(RegressorMixin, BaseEstimator):
    def __init__(self, parameter=0):
        self.parameter = parameter

    def fit(self, X, y):
        if self.parameter == 1:
            raise ValueError("Failing regressor asked to fail")
        self.mean_ = float(np.mean(y))
        self.n_features_in_ = np.asarray(X).shape[1]
        return self

    def predict(self, X):
        return np.full(len(X), self.mean_)


def test_error_score_nan_and_raise(regression_data):
    X, y = regression_data
    search = lfms.GridSearchCV(_FailingRegressor(), {"parameter": [0, 1]}, cv=3, error_score=np.nan)
    with pytest.warns(FitFailedWarning, match="3 fits failed out of a total of 6"):
        search.fit(X, y)
    assert np.isnan(search.cv_results_["mean_test_score"][1])
    assert search.cv_results_["rank_test_score"].tolist() == [1, 2]
    assert search.best_params_ == {"parameter": 0}
    with pytest.raises(ValueError, match="Failing regressor asked to fail"):
        lfms.GridSearchCV(_FailingRegressor(), {"parameter": [0, 1]}, cv=3, error_score="raise").fit(X, y)
    with pytest.warns(FitFailedWarning):
        scored = lfms.GridSearchCV(_FailingRegressor(), {"parameter": [0, 1]}, cv=3, error_score=-5.0).fit(X, y)
    assert scored.cv_results_["split0_test_score"][1] == -5.0


def test_unfitted_and_bad_parameters(regression_data):
    X, y = regression_data
    search = lfms.GridSearchCV(DummyRegressor(), {"strategy": ["mean"]})
    with pytest.raises(NotFittedError):
        search.predict(X)
    with pytest.raises(ValueError, match="error_score"):
        lfms.GridSearchCV(DummyRegressor(), {"strategy": ["mean"]}, error_score="bad").fit(X, y)
    with pytest.raises(ValueError, match="is not a valid scoring value"):
        lfms.GridSearchCV(DummyRegressor(), {"strategy": ["mean"]}, scoring="nope").fit(X, y)
    with pytest.raises(ValueError, match="n_iter"):
        lfms.RandomizedSearchCV(DummyRegressor(), {"strategy": ["mean"]}, n_iter=0).fit(X, y)


def test_verbose_prints_and_progress(regression_data, capsys):
    X, y = regression_data
    lfms.GridSearchCV(DummyRegressor(), {"strategy": ["mean", "median"]}, cv=2, verbose=1).fit(X, y)
    captured = capsys.readouterr()
    assert "Fitting 2 folds for each of 2 candidates, totalling 4 fits" in captured.out
    assert "4/4" in captured.err  # the tqdm progress bar


def test_sklearn_meta_estimators_accept_our_search(regression_data):
    X, y = regression_data
    search = lfms.GridSearchCV(DummyRegressor(), {"strategy": ["mean", "median"]}, cv=2)
    scores = skms.cross_val_score(search, X, y, cv=3)
    assert scores.shape == (3,) and np.isfinite(scores).all()
