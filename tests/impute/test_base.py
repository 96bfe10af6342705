"""SimpleImputer and MissingIndicator against scikit-learn, and the book's median imputation."""

import warnings

import numpy as np
import pandas as pd
import pytest
import torch
from sklearn import impute as ski

import learnflow
from learnflow.impute import MissingIndicator, SimpleImputer
from tests._devices import DEVICES

X_NUM = np.array([[1.0, 2.0, np.nan], [np.nan, 3.0, 4.0], [7.0, np.nan, 4.0], [7.0, 1.0, np.nan], [2.0, 8.0, 5.0]])
X_OBJ = np.array([["a", "b"], [np.nan, "b"], ["c", np.nan], ["c", "x"]], dtype=object)


@pytest.mark.parametrize("strategy", ["mean", "median", "most_frequent", "constant"])
def test_numeric_matches_sklearn(strategy):
    ours, theirs = SimpleImputer(strategy=strategy).fit(X_NUM), ski.SimpleImputer(strategy=strategy).fit(X_NUM)
    np.testing.assert_allclose(ours.statistics_.astype(float), theirs.statistics_.astype(float), rtol=1e-12)
    np.testing.assert_allclose(ours.transform(X_NUM), theirs.transform(X_NUM), rtol=1e-12)


@pytest.mark.parametrize("missing_values", [0, -1])
@pytest.mark.parametrize("strategy", ["mean", "median", "most_frequent"])
def test_numeric_placeholder_matches_sklearn(missing_values, strategy):
    X = np.array([[missing_values, 2], [4, missing_values], [6, 3], [4, 9]], dtype=float)
    kw = dict(missing_values=missing_values, strategy=strategy)
    np.testing.assert_allclose(SimpleImputer(**kw).fit_transform(X), ski.SimpleImputer(**kw).fit_transform(X))


@pytest.mark.parametrize("strategy", ["most_frequent", "constant"])
def test_strings_match_sklearn(strategy):
    ours, theirs = SimpleImputer(strategy=strategy).fit(X_OBJ), ski.SimpleImputer(strategy=strategy).fit(X_OBJ)
    assert ours.statistics_.tolist() == theirs.statistics_.tolist()
    assert ours.transform(X_OBJ).tolist() == theirs.transform(X_OBJ).tolist()
    kw = dict(strategy="constant", missing_values=None, fill_value="?")
    X = np.array([["a", None], [None, "b"]], dtype=object)
    assert SimpleImputer(**kw).fit_transform(X).tolist() == ski.SimpleImputer(**kw).fit_transform(X).tolist()


def test_dataframe_with_string_and_numeric_columns():
    df = pd.DataFrame({"num": [1.0, np.nan, 3.0, 3.0], "cat": ["a", None, "b", "b"]})
    ours = SimpleImputer(strategy="most_frequent").fit(df)
    theirs = ski.SimpleImputer(strategy="most_frequent").fit(df)
    assert ours.transform(df).tolist() == theirs.transform(df).tolist()
    np.testing.assert_array_equal(ours.get_feature_names_out(), ["num", "cat"])


def test_book_median_on_housing_numerics(shared_datasets):
    housing = pd.read_csv(shared_datasets / "housing" / "housing.csv")
    housing_num = housing.drop(columns=["ocean_proximity", "median_house_value"])
    imputer = SimpleImputer(strategy="median").fit(housing_num)
    np.testing.assert_allclose(imputer.statistics_, housing_num.median().to_numpy(), rtol=1e-12)
    X = imputer.transform(housing_num)
    assert X.shape == (20640, 8) and not np.isnan(X).any()
    np.testing.assert_allclose(X, ski.SimpleImputer(strategy="median").fit_transform(housing_num), rtol=1e-12)


@pytest.mark.parametrize("keep_empty_features", [False, True])
@pytest.mark.parametrize("strategy", ["mean", "median", "most_frequent", "constant"])
def test_empty_features_and_indicator_match_sklearn(strategy, keep_empty_features):
    X = np.c_[X_NUM, np.full(len(X_NUM), np.nan)]
    kw = dict(strategy=strategy, keep_empty_features=keep_empty_features, add_indicator=True)
    ours, theirs = SimpleImputer(**kw).fit(X), ski.SimpleImputer(**kw).fit(X)
    with pytest.warns(UserWarning, match="Skipping features") if not keep_empty_features else _no_warning():
        a = ours.transform(X)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        b = theirs.transform(X)
    np.testing.assert_allclose(a, b)
    np.testing.assert_array_equal(ours.get_feature_names_out(), theirs.get_feature_names_out())


class _no_warning:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("strategy", ["mean", "median"])
def test_tensor_in_tensor_out(device, strategy):
    expected = ski.SimpleImputer(strategy=strategy).fit_transform(X_NUM)
    with learnflow.config_context(device=device):
        Xt = torch.as_tensor(X_NUM, device=device)
        out = SimpleImputer(strategy=strategy).fit(Xt).transform(Xt)
    assert isinstance(out, torch.Tensor) and out.device.type == device
    np.testing.assert_allclose(out.cpu().double().numpy(), expected, rtol=1e-6)


def test_missing_indicator_matches_sklearn():
    X_new = np.array([[np.nan, np.nan, 1.0], [1.0, 2.0, 3.0]])
    for features in ("missing-only", "all"):
        ours = MissingIndicator(features=features, error_on_new=False).fit(X_NUM[:3])
        theirs = ski.MissingIndicator(features=features, error_on_new=False).fit(X_NUM[:3])
        np.testing.assert_array_equal(ours.features_, theirs.features_)
        np.testing.assert_array_equal(ours.transform(X_new), theirs.transform(X_new))
        np.testing.assert_array_equal(ours.get_feature_names_out(), theirs.get_feature_names_out())
    with pytest.raises(ValueError, match="have missing values in transform but have no missing values in fit"):
        MissingIndicator().fit(np.array([[np.nan, 1.0]])).transform(np.array([[1.0, np.nan]]))


def test_errors():
    with pytest.raises(ValueError, match="Cannot use mean strategy with non-numeric data"):
        SimpleImputer().fit(X_OBJ)
    with pytest.raises(ValueError, match="fill_value='x'.*cannot be cast"):
        SimpleImputer(strategy="constant", fill_value="x").fit(X_NUM)
    with pytest.raises(ValueError, match="X has 2 features, but SimpleImputer is expecting 3"):
        SimpleImputer().fit(X_NUM).transform([[1.0, 2.0]])
    with pytest.raises(ValueError, match="NaN"):
        SimpleImputer(missing_values=0).fit(X_NUM)
