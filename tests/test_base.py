"""The estimator contract: params, clone, repr, tags and interop with scikit-learn's tools."""

import numpy as np
import pandas as pd
import pytest
import sklearn.base
import sklearn.model_selection
import sklearn.pipeline
import sklearn.preprocessing
from sklearn.utils import get_tags as sklearn_get_tags

from learnflow.base import BaseEstimator, TransformerMixin, clone, is_classifier, is_regressor
from learnflow.dummy import DummyClassifier, DummyRegressor
from learnflow.utils.validation import check_is_fitted, validate_data


class _Wrapper(BaseEstimator):
    """A minimal meta-estimator to exercise nested parameters."""

    def __init__(self, estimator=None, weight=1.0):
        self.estimator = estimator
        self.weight = weight


class _Doubler(TransformerMixin, BaseEstimator):
    """A minimal transformer to exercise set_output."""

    def fit(self, X, y=None):
        validate_data(self, X)
        return self

    def transform(self, X):
        check_is_fitted(self)
        return validate_data(self, X, reset=False) * 2

    def get_feature_names_out(self, input_features=None):
        return np.array([f"double_{name}" for name in self.feature_names_in_], dtype=object)


def test_get_and_set_params_nested():
    wrapper = _Wrapper(DummyClassifier(strategy="uniform"))
    params = wrapper.get_params()
    assert params["estimator__strategy"] == "uniform"
    assert set(params) == set(
        sklearn.base.BaseEstimator.get_params.__get__(wrapper)()  # scikit-learn's own algorithm
    )
    wrapper.set_params(estimator__strategy="prior", weight=2.0)
    assert wrapper.estimator.strategy == "prior" and wrapper.weight == 2.0
    with pytest.raises(ValueError, match=r"Invalid parameter 'wieght' for estimator"):
        wrapper.set_params(wieght=3)


def test_clone_matches_scikit_learn_clone():
    original = _Wrapper(DummyClassifier(strategy="uniform", random_state=3), weight=[1, 2])
    ours, theirs = clone(original), sklearn.base.clone(original)
    for copy in (ours, theirs):
        assert copy is not original and copy.estimator is not original.estimator
        assert copy.weight == [1, 2] and copy.weight is not original.weight
        assert copy.get_params()["estimator__random_state"] == 3
    fitted = DummyRegressor().fit([[0.0]], [1.0])
    assert not hasattr(clone(fitted), "constant_")
    with pytest.raises(TypeError, match="does not implement a 'get_params' method"):
        clone(object())


@pytest.mark.parametrize(
    "ours, theirs",
    [
        (DummyClassifier(), sklearn.dummy.DummyClassifier()),
        (DummyClassifier(strategy="uniform", random_state=0), sklearn.dummy.DummyClassifier(strategy="uniform", random_state=0)),
        (DummyRegressor(quantile=0.25, strategy="quantile"), sklearn.dummy.DummyRegressor(quantile=0.25, strategy="quantile")),
    ],
)
def test_repr_shows_changed_parameters_like_scikit_learn(ours, theirs):
    assert repr(ours) == repr(theirs)


def test_tags_are_read_by_scikit_learn():
    assert is_classifier(DummyClassifier()) and sklearn.base.is_classifier(DummyClassifier())
    assert is_regressor(DummyRegressor()) and sklearn.base.is_regressor(DummyRegressor())
    tags = sklearn_get_tags(DummyRegressor())
    assert tags.target_tags.required and tags.target_tags.multi_output


def test_our_estimators_work_inside_scikit_learn_tools():
    rng = np.random.RandomState(0)
    X, y = rng.randn(30, 2), rng.randn(30)
    pipe = sklearn.pipeline.make_pipeline(sklearn.preprocessing.StandardScaler(), DummyRegressor())
    np.testing.assert_allclose(pipe.fit(X, y).predict(X), np.full(30, y.mean()))
    search = sklearn.model_selection.GridSearchCV(
        DummyRegressor(), {"strategy": ["mean", "median"]}, cv=3, scoring="neg_mean_absolute_error"
    ).fit(X, y)
    reference = sklearn.model_selection.GridSearchCV(
        sklearn.dummy.DummyRegressor(), {"strategy": ["mean", "median"]}, cv=3, scoring="neg_mean_absolute_error"
    ).fit(X, y)
    assert search.best_params_ == reference.best_params_
    np.testing.assert_allclose(search.cv_results_["mean_test_score"], reference.cv_results_["mean_test_score"])


def test_set_output_pandas_names_columns_and_keeps_the_index():
    frame = pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 4.0]}, index=[10, 20])
    out = _Doubler().set_output(transform="pandas").fit_transform(frame)
    assert isinstance(out, pd.DataFrame)
    assert list(out.columns) == ["double_a", "double_b"] and list(out.index) == [10, 20]
    np.testing.assert_array_equal(out.to_numpy(), frame.to_numpy() * 2)
    assert isinstance(_Doubler().fit_transform(frame), np.ndarray)
    with pytest.raises(ValueError, match="output config must be"):
        _Doubler().set_output(transform="polars")


def test_param_names_per_class_and_varargs_rejected_like_sklearn():
    """Parameter names are read once per class (cached): a subclass with its own ``__init__`` still
    reports its own, a caller mutating the returned list changes nothing, and ``*args`` raises
    RuntimeError as scikit-learn's BaseEstimator does."""

    def make(base):
        class Parent(base):
            def __init__(self, a=1, b=2):
                self.a, self.b = a, b

        class Child(Parent):
            def __init__(self, c=3, a=1, b=2):
                super().__init__(a, b)
                self.c = c

        class VarArgs(base):
            def __init__(self, *args):
                pass

        return Parent, Child, VarArgs

    ours, theirs = make(BaseEstimator), make(sklearn.base.BaseEstimator)
    for our_cls, their_cls in zip(ours[:2], theirs[:2]):
        assert our_cls().get_params() == their_cls().get_params()
    ours[0]._get_param_names().append("x")
    assert ours[0]._get_param_names() == theirs[0]._get_param_names()
    for cls in (ours[2], theirs[2]):
        with pytest.raises(RuntimeError, match="specify their parameters in the signature"):
            cls().get_params()
