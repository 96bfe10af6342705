"""ColumnTransformer against scikit-learn, and the book's full preparation pipeline (16 columns)."""

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn import compose as skc
from sklearn import impute as ski
from sklearn import pipeline as skpipe
from sklearn import preprocessing as skp
from sklearn.model_selection import StratifiedShuffleSplit

from learnflow.compose import ColumnTransformer, make_column_selector, make_column_transformer
from learnflow.datasets import load_housing
from learnflow.impute import SimpleImputer
from learnflow.pipeline import Pipeline
from learnflow.preprocessing import FunctionTransformer, MinMaxScaler, OneHotEncoder, StandardScaler

ROOMS, BEDROOMS, POPULATION, HOUSEHOLDS = 3, 4, 5, 6


def add_extra_features(X):
    """The book's CombinedAttributesAdder (rooms, population and bedrooms ratios)."""
    X = np.asarray(X)
    return np.c_[
        X, X[:, ROOMS] / X[:, HOUSEHOLDS], X[:, POPULATION] / X[:, HOUSEHOLDS], X[:, BEDROOMS] / X[:, ROOMS]
    ]


def _book_pipeline(Pipe, Column, Imputer, Function, Scaler, Encoder, num_attribs):
    num_pipeline = Pipe([
        ("imputer", Imputer(strategy="median")),
        ("attribs_adder", Function(add_extra_features)),
        ("std_scaler", Scaler()),
    ])
    return Column([("num", num_pipeline, num_attribs), ("cat", Encoder(), ["ocean_proximity"])])


@pytest.fixture(scope="module")
def strat_train_set():
    housing = load_housing().frame
    income_cat = pd.cut(housing["median_income"], bins=[0.0, 1.5, 3.0, 4.5, 6.0, np.inf], labels=[1, 2, 3, 4, 5])
    split = StratifiedShuffleSplit(n_splits=1, test_size=0.2, random_state=42)
    train_index, _ = next(split.split(housing, income_cat))
    return housing.iloc[train_index].drop(columns="median_house_value")


def test_book_full_pipeline_gives_16_columns_like_sklearn(strat_train_set):
    housing = strat_train_set
    num_attribs = list(housing.drop(columns="ocean_proximity"))
    ours = _book_pipeline(Pipeline, ColumnTransformer, SimpleImputer, FunctionTransformer, StandardScaler, OneHotEncoder, num_attribs)
    theirs = _book_pipeline(skpipe.Pipeline, skc.ColumnTransformer, ski.SimpleImputer, skp.FunctionTransformer, skp.StandardScaler, skp.OneHotEncoder, num_attribs)
    prepared = ours.fit_transform(housing)
    assert prepared.shape == (16512, 16)
    assert isinstance(prepared, np.ndarray)  # one-hot density 0.2 of 5 columns, overall dense
    np.testing.assert_allclose(prepared, theirs.fit_transform(housing), rtol=1e-8, atol=1e-8)
    np.testing.assert_allclose(ours.transform(housing.iloc[:100]), theirs.transform(housing.iloc[:100]), rtol=1e-8, atol=1e-8)
    cat_encoder = ours.named_transformers_["cat"]
    assert cat_encoder.categories_[0].tolist() == ["<1H OCEAN", "INLAND", "ISLAND", "NEAR BAY", "NEAR OCEAN"]
    assert ours.output_indices_ == theirs.output_indices_


def test_feature_names_like_sklearn():
    df = pd.DataFrame({"num": [1.0, 2.0, 3.0], "other": [4.0, 5.0, 6.0], "cat": ["a", "b", "a"], "z": [0, 1, 0]})
    kw = dict(remainder="passthrough")
    ours = ColumnTransformer([("scale", StandardScaler(), ["num"]), ("onehot", OneHotEncoder(), ["cat"])], **kw).fit(df)
    theirs = skc.ColumnTransformer([("scale", skp.StandardScaler(), ["num"]), ("onehot", skp.OneHotEncoder(), ["cat"])], **kw).fit(df)
    np.testing.assert_array_equal(ours.get_feature_names_out(), theirs.get_feature_names_out())
    assert [(n, c) for n, _, c in ours.transformers_] == [(n, c) for n, _, c in theirs.transformers_]
    short = ColumnTransformer([("scale", StandardScaler(), ["num"])], remainder="passthrough", verbose_feature_names_out=False)
    assert short.fit(df).get_feature_names_out().tolist() == ["num", "other", "cat", "z"]


@pytest.mark.parametrize(
    "columns", [[0, 2], slice(0, 2), [True, False, True], lambda X: [1]], ids=["ints", "slice", "mask", "callable"]
)
@pytest.mark.parametrize("remainder", ["drop", "passthrough", "minmax"])
def test_column_specs_and_remainder_match_sklearn(columns, remainder):
    X = np.random.RandomState(0).normal(size=(10, 3))
    ours = ColumnTransformer([("s", StandardScaler(), columns)], remainder=MinMaxScaler() if remainder == "minmax" else remainder)
    theirs = skc.ColumnTransformer([("s", skp.StandardScaler(), columns)], remainder=skp.MinMaxScaler() if remainder == "minmax" else remainder)
    np.testing.assert_allclose(ours.fit_transform(X), theirs.fit_transform(X), rtol=1e-8)
    np.testing.assert_allclose(ours.transform(X), theirs.transform(X), rtol=1e-8)
    np.testing.assert_array_equal(ours.get_feature_names_out(), theirs.get_feature_names_out())


def test_drop_passthrough_weights_and_scalar_column():
    X = np.random.RandomState(1).normal(size=(6, 3))
    spec = [("a", "passthrough", [0]), ("b", "drop", [1]), ("c", StandardScaler(), [2])]
    kw = dict(transformer_weights={"c": 3.0})
    ours = ColumnTransformer(spec, **kw).fit(X)
    theirs = skc.ColumnTransformer([("a", "passthrough", [0]), ("b", "drop", [1]), ("c", skp.StandardScaler(), [2])], **kw).fit(X)
    np.testing.assert_allclose(ours.transform(X), theirs.transform(X), rtol=1e-8)
    df = pd.DataFrame({"x": [1.0, 2.0, 3.0]})
    with_1d = ColumnTransformer([("f", FunctionTransformer(lambda s: s.to_frame() * 2), "x")]).fit_transform(df)
    np.testing.assert_allclose(with_1d, [[2.0], [4.0], [6.0]])


@pytest.mark.parametrize("threshold", [0.0, 0.3, 1.0])
def test_sparse_threshold_like_sklearn(threshold):
    X = np.array([["a", "x"], ["b", "y"], ["c", "x"], ["d", "z"]], dtype=object)
    ours = ColumnTransformer([("o", OneHotEncoder(), [0, 1])], sparse_threshold=threshold).fit(X)
    theirs = skc.ColumnTransformer([("o", skp.OneHotEncoder(), [0, 1])], sparse_threshold=threshold).fit(X)
    assert ours.sparse_output_ == theirs.sparse_output_
    a, b = ours.transform(X), theirs.transform(X)
    assert sp.issparse(a) == sp.issparse(b)
    np.testing.assert_array_equal(a.toarray() if sp.issparse(a) else a, b.toarray() if sp.issparse(b) else b)


def test_make_column_transformer_and_selector():
    df = pd.DataFrame({"income": [1.0, 2.0, 5.0], "rooms": [3.0, 1.0, 2.0], "ocean": ["INLAND", "ISLAND", "INLAND"]})
    ct = make_column_transformer(
        (StandardScaler(), make_column_selector(dtype_include=np.number)),
        (OneHotEncoder(sparse_output=False), make_column_selector(dtype_exclude=np.number)),
    )
    theirs = skc.make_column_transformer(
        (skp.StandardScaler(), skc.make_column_selector(dtype_include=np.number)),
        (skp.OneHotEncoder(sparse_output=False), skc.make_column_selector(dtype_exclude=np.number)),
    )
    np.testing.assert_allclose(ct.fit_transform(df), theirs.fit_transform(df), rtol=1e-8)
    np.testing.assert_array_equal(ct.get_feature_names_out(), theirs.get_feature_names_out())
    assert make_column_selector(pattern="^r")(df) == ["rooms"]


def test_set_output_pandas():
    df = pd.DataFrame({"a": [1.0, 2.0], "c": ["u", "v"]}, index=[7, 8])
    ct = ColumnTransformer([("s", StandardScaler(), ["a"]), ("o", OneHotEncoder(sparse_output=False), ["c"])], remainder="drop")
    out = ct.set_output(transform="pandas").fit_transform(df)
    assert isinstance(out, pd.DataFrame)
    assert list(out.columns) == ["s__a", "o__c_u", "o__c_v"] and list(out.index) == [7, 8]


def test_errors():
    df = pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 4.0]})
    with pytest.raises(ValueError, match="not a column of the dataframe"):
        ColumnTransformer([("s", StandardScaler(), ["zzz"])]).fit(df)
    with pytest.raises(ValueError, match="only supported for dataframes"):
        ColumnTransformer([("s", StandardScaler(), ["a"])]).fit(df.to_numpy())
    fitted = ColumnTransformer([("s", StandardScaler(), ["a"])]).fit(df)
    with pytest.raises(ValueError, match="columns are missing"):
        fitted.transform(df[["b"]])
    with pytest.raises(TypeError, match="should implement fit and transform"):
        ColumnTransformer([("s", object(), ["a"])]).fit(df)
    with pytest.raises(ValueError, match="X has 3 features, but ColumnTransformer is expecting 2"):
        ColumnTransformer([("s", StandardScaler(), [0])]).fit(df.to_numpy()).transform(np.ones((2, 3)))


def test_global_pandas_output_and_sklearn_column_transformer_with_our_steps():
    import learnflow

    df = pd.DataFrame({"a": [1.0, 2.0, np.nan], "b": [3.0, 4.0, 5.0], "c": ["u", "v", "u"]})

    def build(CT):
        num = Pipeline([("imp", SimpleImputer()), ("std", StandardScaler())])
        return CT([("n", num, ["a", "b"]), ("o", OneHotEncoder(sparse_output=False), ["c"])], remainder="drop")

    with learnflow.config_context(transform_output="pandas"):
        ours = build(ColumnTransformer).fit_transform(df)
    theirs = build(skc.ColumnTransformer).set_output(transform="pandas").fit_transform(df)
    assert isinstance(ours, pd.DataFrame) and isinstance(theirs, pd.DataFrame)
    assert list(ours.columns) == list(theirs.columns) == ["n__a", "n__b", "o__c_u", "o__c_v"]
    np.testing.assert_allclose(ours.to_numpy(), theirs.to_numpy(), rtol=1e-8)


def test_tensor_input_gives_tensor_output():
    import torch

    X = np.random.RandomState(2).normal(size=(6, 3))
    ct = ColumnTransformer([("s", StandardScaler(), [0, 1])], remainder="passthrough")
    out = ct.fit_transform(torch.as_tensor(X))
    assert isinstance(out, torch.Tensor)
    expected = skc.ColumnTransformer([("s", skp.StandardScaler(), [0, 1])], remainder="passthrough").fit_transform(X)
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-8)
