"""Pipeline and FeatureUnion: scikit-learn's behaviour, with learnflow and scikit-learn steps mixed."""

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from joblib import Memory, parallel_backend
from sklearn import decomposition as skd
from sklearn import linear_model as sklm
from sklearn import pipeline as skpipe
from sklearn import preprocessing as skp

from learnflow.dummy import DummyClassifier, DummyRegressor
from learnflow.impute import SimpleImputer
from learnflow.pipeline import FeatureUnion, Pipeline, make_pipeline, make_union
from learnflow.preprocessing import MinMaxScaler, OneHotEncoder, PolynomialFeatures, StandardScaler

RNG = np.random.RandomState(0)
X = RNG.normal(size=(30, 3))
Y = X @ np.array([1.0, -2.0, 0.5]) + 3.0


def test_our_pipeline_with_sklearn_final_step_matches_sklearn():
    ours = Pipeline([("poly", PolynomialFeatures(2)), ("scaler", StandardScaler()), ("reg", sklm.Ridge(alpha=1.0))])
    theirs = skpipe.Pipeline([("poly", skp.PolynomialFeatures(2)), ("scaler", skp.StandardScaler()), ("reg", sklm.Ridge(alpha=1.0))])
    np.testing.assert_allclose(ours.fit(X, Y).predict(X), theirs.fit(X, Y).predict(X), rtol=1e-8)
    assert ours.score(X, Y) == pytest.approx(theirs.score(X, Y), rel=1e-8)


def test_sklearn_pipeline_with_our_steps_matches_sklearn():
    theirs_with_ours = skpipe.Pipeline([("imputer", SimpleImputer(strategy="median")), ("scaler", StandardScaler()), ("reg", sklm.LinearRegression())])
    reference = skpipe.Pipeline([("scaler", skp.StandardScaler()), ("reg", sklm.LinearRegression())])
    np.testing.assert_allclose(theirs_with_ours.fit(X, Y).predict(X), reference.fit(X, Y).predict(X), rtol=1e-8)
    names = skpipe.make_pipeline(StandardScaler(), skd.PCA(2)).fit(X).get_feature_names_out()
    np.testing.assert_array_equal(names, ["pca0", "pca1"])


def test_named_steps_indexing_slicing_and_len():
    pipe = make_pipeline(SimpleImputer(), StandardScaler(), DummyRegressor()).fit(X, Y)
    assert len(pipe) == 3 and pipe.named_steps.standardscaler is pipe[1] is pipe["standardscaler"]
    sub = pipe[:2]
    assert isinstance(sub, Pipeline) and len(sub) == 2
    np.testing.assert_allclose(sub.transform(X), skp.StandardScaler().fit_transform(X), rtol=1e-8)
    with pytest.raises(ValueError, match="step of 1"):
        pipe[::2]


def test_methods_available_exactly_when_last_step_has_them():
    regressor = Pipeline([("scaler", StandardScaler()), ("reg", DummyRegressor())])
    assert hasattr(regressor, "predict") and not hasattr(regressor, "predict_proba")
    assert not hasattr(regressor, "transform")
    classifier = Pipeline([("scaler", StandardScaler()), ("clf", DummyClassifier())]).fit(X, Y > 3)
    assert hasattr(classifier, "predict_proba") and classifier.classes_.tolist() == [False, True]
    transformer = Pipeline([("scaler", StandardScaler()), ("minmax", MinMaxScaler())])
    assert hasattr(transformer, "transform") and hasattr(transformer, "inverse_transform")
    assert not hasattr(transformer, "predict")
    assert not hasattr(Pipeline([("scaler", StandardScaler()), ("poly", PolynomialFeatures())]), "inverse_transform")


@pytest.mark.parametrize("passthrough", ["passthrough", None])
def test_passthrough_steps(passthrough):
    pipe = Pipeline([("a", passthrough), ("scaler", StandardScaler()), ("b", passthrough)])
    np.testing.assert_allclose(pipe.fit_transform(X), skp.StandardScaler().fit_transform(X), rtol=1e-8)
    pipe.set_params(scaler="passthrough")
    np.testing.assert_allclose(pipe.fit_transform(X), X)


def test_fit_params_routed_to_steps():
    w = RNG.uniform(0.5, 2.0, size=len(X))
    pipe = Pipeline([("scaler", StandardScaler()), ("reg", sklm.LinearRegression())])
    pipe.fit(X, Y, scaler__sample_weight=w, reg__sample_weight=w)
    np.testing.assert_allclose(pipe[0].mean_, np.average(X, axis=0, weights=w), rtol=1e-10)
    with pytest.raises(ValueError, match="stepname__parameter"):
        pipe.fit(X, Y, sample_weight=w)


def test_get_feature_names_out_and_pandas_output():
    df = pd.DataFrame(X, columns=["a", "b", "c"])
    pipe = make_pipeline(StandardScaler(), PolynomialFeatures(2, include_bias=False))
    theirs = skpipe.make_pipeline(skp.StandardScaler(), skp.PolynomialFeatures(2, include_bias=False))
    np.testing.assert_array_equal(pipe.fit(df).get_feature_names_out(), theirs.fit(df).get_feature_names_out())
    out = pipe.set_output(transform="pandas").fit(df).transform(df)
    assert list(out.columns) == list(pipe.get_feature_names_out())
    with pytest.raises(AttributeError, match="does not provide get_feature_names_out"):
        make_pipeline(StandardScaler(), DummyRegressor()).fit(X, Y).get_feature_names_out()


def test_memory_caches_fitted_transformers(tmp_path):
    memory = Memory(location=str(tmp_path), verbose=0)
    scaler = StandardScaler()
    pipe = Pipeline([("scaler", scaler), ("reg", DummyRegressor())], memory=memory).fit(X, Y)
    assert not hasattr(scaler, "mean_")  # the cached step is a fitted clone
    again = Pipeline([("scaler", StandardScaler()), ("reg", DummyRegressor())], memory=str(tmp_path)).fit(X, Y)
    np.testing.assert_allclose(again[0].mean_, pipe[0].mean_)
    np.testing.assert_allclose(again.predict(X), pipe.predict(X))


def test_errors_and_verbose(capsys):
    with pytest.raises(TypeError, match="should be transformers"):
        Pipeline([("reg", DummyRegressor()), ("scaler", StandardScaler())]).fit(X, Y)
    with pytest.raises(ValueError, match="not unique"):
        Pipeline([("a", StandardScaler()), ("a", DummyRegressor())]).fit(X, Y)
    with pytest.raises(ValueError, match="must not contain __"):
        Pipeline([("a__b", StandardScaler()), ("r", DummyRegressor())]).fit(X, Y)
    Pipeline([("scaler", StandardScaler()), ("reg", DummyRegressor())], verbose=True).fit(X, Y)
    assert "Processing scaler" in capsys.readouterr().out


@pytest.mark.parametrize("n_jobs", [None, 2])
def test_feature_union_matches_sklearn(n_jobs):
    weights = {"std": 2.0}
    ours = FeatureUnion([("std", StandardScaler()), ("drop", "drop"), ("minmax", MinMaxScaler()), ("raw", "passthrough")], n_jobs=n_jobs, transformer_weights=weights)
    theirs = skpipe.FeatureUnion([("std", skp.StandardScaler()), ("drop", "drop"), ("minmax", skp.MinMaxScaler()), ("raw", "passthrough")], transformer_weights=weights)
    with parallel_backend("threading"):  # n_jobs through joblib, without process start-up cost
        np.testing.assert_allclose(ours.fit_transform(X), theirs.fit_transform(X), rtol=1e-8)
        np.testing.assert_allclose(ours.transform(X), theirs.transform(X), rtol=1e-8)
    np.testing.assert_array_equal(ours.get_feature_names_out(), theirs.get_feature_names_out())


def test_feature_union_sparse_and_make_union():
    cats = np.array([["a"], ["b"], ["a"]], dtype=object)
    union = make_union(OneHotEncoder(), OneHotEncoder(drop="first"))
    out = union.fit_transform(cats)
    assert sp.issparse(out) and out.shape == (3, 3)
    assert [name for name, _ in union.transformer_list] == ["onehotencoder-1", "onehotencoder-2"]
    assert union.get_params()["onehotencoder-2__drop"] == "first"


def test_feature_union_pandas_output_uses_prefixed_names():
    df = pd.DataFrame(X, columns=["a", "b", "c"])
    union = FeatureUnion([("std", StandardScaler()), ("minmax", MinMaxScaler())]).set_output(transform="pandas")
    theirs = skpipe.FeatureUnion([("std", skp.StandardScaler()), ("minmax", skp.MinMaxScaler())]).set_output(transform="pandas")
    out, ref = union.fit_transform(df), theirs.fit_transform(df)
    assert list(out.columns) == list(ref.columns)
    np.testing.assert_allclose(out.to_numpy(), ref.to_numpy(), rtol=1e-8)
