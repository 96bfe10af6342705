"""OneHotEncoder and OrdinalEncoder against scikit-learn, and the book's ocean_proximity encoding."""

import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
import torch
from sklearn import preprocessing as skp

from learnflow.preprocessing import OneHotEncoder, OrdinalEncoder

X_STR = np.array([["a", "x"], ["b", "y"], ["a", "y"], ["c", "x"]], dtype=object)
X_NUM = np.array([[1, 10.0], [3, 20.0], [1, np.nan], [2, 10.0]])
X_MISSING = np.array([["a", 1.0], [None, 2.0], [np.nan, 2.0], ["b", np.nan], ["a", 1.0]], dtype=object)


def _dense(X):
    return X.toarray() if sp.issparse(X) else np.asarray(X)


def _same_categories(ours, theirs):
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        assert [str(v) for v in a] == [str(v) for v in b]


@pytest.mark.parametrize("X", [X_STR, X_NUM, X_MISSING], ids=["strings", "numbers", "missing"])
@pytest.mark.parametrize("drop", [None, "first", "if_binary"])
def test_onehot_matches_sklearn(X, drop):
    ours, theirs = OneHotEncoder(drop=drop).fit(X), skp.OneHotEncoder(drop=drop).fit(X)
    _same_categories(ours.categories_, theirs.categories_)
    a, b = ours.transform(X), theirs.transform(X)
    assert sp.issparse(a) and a.format == "csr"
    np.testing.assert_array_equal(a.toarray(), b.toarray())
    np.testing.assert_array_equal(ours.get_feature_names_out(), theirs.get_feature_names_out())
    inv_a, inv_b = ours.inverse_transform(a), theirs.inverse_transform(b)
    assert [[str(v) for v in row] for row in inv_a] == [[str(v) for v in row] for row in inv_b]


def test_onehot_dense_dtype_and_given_categories():
    categories = [["a", "b", "c", "d"], ["x", "y"]]
    kwargs = dict(categories=categories, sparse_output=False, dtype=np.int32)
    ours, theirs = OneHotEncoder(**kwargs).fit(X_STR), skp.OneHotEncoder(**kwargs).fit(X_STR)
    out = ours.transform(X_STR)
    assert out.dtype == np.int32
    np.testing.assert_array_equal(out, theirs.transform(X_STR))


def test_onehot_drop_array_matches_sklearn():
    drop = ["b", "y"]
    ours, theirs = OneHotEncoder(drop=drop).fit(X_STR), skp.OneHotEncoder(drop=drop).fit(X_STR)
    np.testing.assert_array_equal(ours.drop_idx_.astype(int), theirs.drop_idx_.astype(int))
    np.testing.assert_array_equal(ours.transform(X_STR).toarray(), theirs.transform(X_STR).toarray())


@pytest.mark.parametrize("handle_unknown", ["ignore", "infrequent_if_exist"])
def test_onehot_unknown_ignored(handle_unknown):
    X_new = np.array([["z", "x"], ["b", "w"]], dtype=object)
    ours = OneHotEncoder(handle_unknown=handle_unknown).fit(X_STR)
    theirs = skp.OneHotEncoder(handle_unknown=handle_unknown).fit(X_STR)
    np.testing.assert_array_equal(ours.transform(X_new).toarray(), theirs.transform(X_new).toarray())
    inverse = ours.inverse_transform(ours.transform(X_new))
    assert inverse[0, 0] is None and inverse[1, 1] is None and inverse[0, 1] == "x"


def test_onehot_unknown_error_names_category_and_column():
    encoder = OneHotEncoder().fit(pd.DataFrame({"size": ["S", "M"], "ocean": ["INLAND", "NEAR BAY"]}))
    with pytest.raises(ValueError, match=r"Found unknown categories \['ISLAND'\] in column 1 \('ocean'\)"):
        encoder.transform(pd.DataFrame({"size": ["S"], "ocean": ["ISLAND"]}))


def test_onehot_errors():
    with pytest.raises(TypeError, match="uniformly strings or numbers"):
        OneHotEncoder().fit(np.array([["a"], [1]], dtype=object))
    with pytest.raises(ValueError, match="X has 1 features, but OneHotEncoder is expecting 2"):
        OneHotEncoder().fit(X_STR).transform([["a"]])
    with pytest.raises(ValueError, match="Found unknown categories"):
        OneHotEncoder(categories=[["a", "b"], ["x", "y"]]).fit(X_STR)
    with pytest.raises(ValueError, match="Unsorted categories"):
        OneHotEncoder(categories=[[3, 1, 2], [10.0, 20.0]]).fit(X_NUM)
    with pytest.raises(ValueError, match="infinity"):
        OneHotEncoder().fit([[np.inf]])


def test_onehot_book_ocean_proximity(shared_datasets):
    housing = pd.read_csv(shared_datasets / "housing" / "housing.csv")
    cat = housing[["ocean_proximity"]]
    ours = OneHotEncoder().fit(cat)
    theirs = skp.OneHotEncoder().fit(cat)
    one_hot = ours.transform(cat)
    assert one_hot.shape == (20640, 5)
    assert ours.categories_[0].tolist() == ["<1H OCEAN", "INLAND", "ISLAND", "NEAR BAY", "NEAR OCEAN"]
    assert (one_hot != theirs.transform(cat)).nnz == 0
    assert ours.get_feature_names_out()[0] == "ocean_proximity_<1H OCEAN"


def test_onehot_pandas_output_and_tensor_input():
    df = pd.DataFrame({"c": ["a", "b", "a"]}, index=[5, 6, 7])
    out = OneHotEncoder(sparse_output=False).set_output(transform="pandas").fit_transform(df)
    assert list(out.columns) == ["c_a", "c_b"] and list(out.index) == [5, 6, 7]
    X = torch.tensor([[1.0], [2.0], [1.0]])
    result = OneHotEncoder(sparse_output=False).fit(X).transform(X)
    assert isinstance(result, torch.Tensor)
    np.testing.assert_array_equal(result.numpy(), [[1, 0], [0, 1], [1, 0]])


@pytest.mark.parametrize("X", [X_STR, X_NUM, X_MISSING], ids=["strings", "numbers", "missing"])
def test_ordinal_matches_sklearn(X):
    ours, theirs = OrdinalEncoder().fit(X), skp.OrdinalEncoder().fit(X)
    _same_categories(ours.categories_, theirs.categories_)
    a, b = ours.transform(X), theirs.transform(X)
    np.testing.assert_array_equal(a, b)
    inv_a, inv_b = ours.inverse_transform(a), theirs.inverse_transform(b)
    assert [[str(v) for v in row] for row in inv_a] == [[str(v) for v in row] for row in inv_b]


def test_ordinal_unknown_and_missing_values_match_sklearn():
    kwargs = dict(handle_unknown="use_encoded_value", unknown_value=-1, encoded_missing_value=-2)
    X = np.array([["a"], ["b"], [np.nan]], dtype=object)
    X_new = np.array([["c"], ["a"], [np.nan]], dtype=object)
    ours, theirs = OrdinalEncoder(**kwargs).fit(X), skp.OrdinalEncoder(**kwargs).fit(X)
    np.testing.assert_array_equal(ours.transform(X_new), theirs.transform(X_new))
    inv = ours.inverse_transform(ours.transform(X_new))
    assert inv[0, 0] is None and inv[1, 0] == "a" and np.isnan(inv[2, 0])


def test_ordinal_errors():
    with pytest.raises(TypeError, match="unknown_value should only be set"):
        OrdinalEncoder(unknown_value=-1).fit(X_STR)
    with pytest.raises(TypeError, match="unknown_value should be an integer or np.nan"):
        OrdinalEncoder(handle_unknown="use_encoded_value").fit(X_STR)
    with pytest.raises(ValueError, match="already used for encoding the seen categories"):
        OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=1).fit(X_STR)
    with pytest.raises(ValueError, match=r"Found unknown categories \['d'\] in column 0"):
        OrdinalEncoder().fit(X_STR).transform(np.array([["d", "x"]], dtype=object))


X_SKEWED = np.array([["a"] * 5 + ["b"] * 20 + ["c"] * 10 + ["d"] * 3, ["x"] * 19 + ["y"] * 19], dtype=object).T


@pytest.mark.parametrize(
    "params",
    [
        dict(min_frequency=4),
        dict(min_frequency=0.2),
        dict(max_categories=3),
        dict(max_categories=1),
        dict(max_categories=2, drop="first"),
        dict(min_frequency=6, drop="if_binary"),
        dict(min_frequency=4, drop=["b", "x"]),
    ],
)
@pytest.mark.parametrize("handle_unknown", ["ignore", "infrequent_if_exist"])
def test_onehot_infrequent_categories_match_sklearn(params, handle_unknown):
    X_new = np.array([["a", "x"], ["d", "y"], ["zz", "x"], ["c", "q"]], dtype=object)
    ours = OneHotEncoder(handle_unknown=handle_unknown, **params).fit(X_SKEWED)
    theirs = skp.OneHotEncoder(handle_unknown=handle_unknown, **params).fit(X_SKEWED)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        np.testing.assert_array_equal(ours.transform(X_new).toarray(), theirs.transform(X_new).toarray())
    np.testing.assert_array_equal(ours.get_feature_names_out(), theirs.get_feature_names_out())
    assert str(ours.infrequent_categories_) == str(theirs.infrequent_categories_)
    if theirs.drop_idx_ is not None:
        assert [None if d is None else int(d) for d in ours.drop_idx_] == [None if d is None else int(d) for d in theirs.drop_idx_]
    # inverse: each value back, or "infrequent_sklearn" for a grouped one (scikit-learn 1.9 names the
    # wrong category for an all-zero row when the dropped column is a grouped one, so X is the oracle)
    infrequent = [set() if cats is None else set(cats) for cats in ours.infrequent_categories_]
    expected = np.array(
        [["infrequent_sklearn" if v in infrequent[j] else v for j, v in enumerate(row)] for row in X_SKEWED]
    )
    np.testing.assert_array_equal(ours.inverse_transform(ours.transform(X_SKEWED)).astype(str), expected)


def test_onehot_cannot_drop_an_infrequent_category():
    with pytest.raises(ValueError, match="because it is infrequent"):
        OneHotEncoder(min_frequency=4, drop=["d", "x"]).fit(X_SKEWED)


@pytest.mark.parametrize(
    "params",
    [
        dict(min_frequency=4),
        dict(max_categories=3),
        dict(min_frequency=0.2),
        dict(max_categories=1),
        dict(min_frequency=6, handle_unknown="use_encoded_value", unknown_value=-1),
        dict(max_categories=2, handle_unknown="use_encoded_value", unknown_value=np.nan, encoded_missing_value=-2),
    ],
)
def test_ordinal_infrequent_categories_match_sklearn(params):
    X = np.r_[X_SKEWED, np.array([[np.nan, "x"], [np.nan, "y"]], dtype=object)]
    X_new = np.array([["a", "x"], ["d", "y"], ["zz", "x"], [np.nan, "q"]], dtype=object)
    X_t = X_new if "unknown_value" in params else X
    ours, theirs = OrdinalEncoder(**params).fit(X), skp.OrdinalEncoder(**params).fit(X)
    codes = ours.transform(X_t)
    np.testing.assert_array_equal(codes, theirs.transform(X_t))
    assert str(ours.infrequent_categories_) == str(theirs.infrequent_categories_)
    # inverse against X itself (scikit-learn 1.9's inverse fails when NaN and infrequent categories meet)
    infrequent = [set() if cats is None else set(cats) for cats in ours.infrequent_categories_]
    if X_t is X:
        expected = [["infrequent_sklearn" if v in infrequent[j] else str(v) for j, v in enumerate(row)] for row in X]
        assert ours.inverse_transform(codes).astype(str).tolist() == expected
