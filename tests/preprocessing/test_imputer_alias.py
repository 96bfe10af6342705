"""The old ``preprocessing.Imputer`` (scikit-learn < 0.22, the book's Chapters 2-3).

Oracles: scikit-learn's SimpleImputer for axis=0 (what scikit-learn 0.20 told
users to switch to) and a row-wise numpy computation for axis=1.
"""

import warnings

import numpy as np
import pandas as pd
import pytest
import torch
from sklearn.impute import SimpleImputer as SkSimpleImputer

from learnflow.base import clone
from learnflow.preprocessing import Imputer
from tests._devices import DEVICES

STRATEGIES = ["mean", "median", "most_frequent"]


def _data(seed=0, shape=(40, 6), missing=0.25, integers=False):
    rng = np.random.RandomState(seed)
    X = rng.randint(0, 5, size=shape).astype(float) if integers else rng.normal(size=shape)
    X[rng.uniform(size=shape) < missing] = np.nan
    return X


def _fit(imputer, X):
    with pytest.warns(FutureWarning, match="SimpleImputer"):
        return imputer.fit(X)


@pytest.mark.parametrize("strategy", STRATEGIES)
@pytest.mark.parametrize("missing_values", ["NaN", np.nan])
def test_axis0_matches_sklearn_simple_imputer(strategy, missing_values):
    X = _data(integers=strategy == "most_frequent")  # ties and repeats for most_frequent
    X_new = _data(seed=1, integers=strategy == "most_frequent")
    ours = _fit(Imputer(missing_values=missing_values, strategy=strategy), X)
    ref = SkSimpleImputer(strategy=strategy).fit(X)
    np.testing.assert_allclose(ours.statistics_, ref.statistics_, rtol=1e-12)
    np.testing.assert_allclose(ours.transform(X_new), ref.transform(X_new), rtol=1e-12)


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_axis0_numeric_placeholder_matches_sklearn(strategy):
    X = np.nan_to_num(_data(integers=True), nan=-1.0)
    ours = _fit(Imputer(missing_values=-1, strategy=strategy), X)
    ref = SkSimpleImputer(missing_values=-1, strategy=strategy).fit(X)
    np.testing.assert_allclose(ours.transform(X), ref.transform(X), rtol=1e-12)


def test_axis0_drops_empty_columns_like_sklearn_and_warns_only_if_verbose():
    X = _data()
    X[:, 2] = np.nan
    ref = SkSimpleImputer().fit(X)
    quiet = _fit(Imputer(), X)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = quiet.transform(X)
    with pytest.warns(UserWarning, match="observed values"):
        expected = ref.transform(X)
    np.testing.assert_allclose(out, expected, rtol=1e-12)
    loud = _fit(Imputer(verbose=1), X)
    with pytest.warns(UserWarning, match="observed values"):
        loud.transform(X)
    assert loud.get_feature_names_out().tolist() == ["x0", "x1", "x3", "x4", "x5"]


def _row_wise(X, strategy):
    """Numpy oracle: each row's missing entries get that row's statistic of its present entries."""
    out = X.copy()
    for i, row in enumerate(X):
        present = row[~np.isnan(row)]
        if strategy == "mean":
            value = present.mean()
        elif strategy == "median":
            value = np.median(present)
        else:
            values, counts = np.unique(present, return_counts=True)
            value = values[np.argmax(counts)]  # smallest of the most frequent
        out[i, np.isnan(row)] = value
    return out


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_axis1_matches_row_wise_numpy(strategy):
    X = _data(integers=strategy == "most_frequent")
    X_new = _data(seed=3, integers=strategy == "most_frequent")
    imputer = _fit(Imputer(strategy=strategy, axis=1), X)
    assert not hasattr(imputer, "statistics_")
    np.testing.assert_allclose(imputer.transform(X_new), _row_wise(X_new, strategy), rtol=1e-12)


def test_axis1_all_missing_row_raises():
    X = _data()
    X[4] = np.nan
    imputer = _fit(Imputer(axis=1), _data())
    with pytest.raises(ValueError, match=r"Some rows only contain missing values: \[4\]"):
        imputer.transform(X)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("axis", [0, 1])
def test_torch_input_gives_torch_output(device, axis):
    X = _data()
    imputer = _fit(Imputer(strategy="median", axis=axis), torch.tensor(X, device=device))
    out = imputer.transform(torch.tensor(X, device=device))
    assert isinstance(out, torch.Tensor) and out.device.type == device
    expected = _row_wise(X, "median") if axis else SkSimpleImputer(strategy="median").fit_transform(X)
    np.testing.assert_allclose(out.cpu().numpy(), expected, rtol=1e-12)


def test_book_chapter2_median_on_dataframe(shared_datasets):
    """The book's use: statistics_ equal the DataFrame's medians (housing_num.median().values)."""
    housing_num = pd.read_csv(shared_datasets / "housing" / "housing.csv").drop("ocean_proximity", axis=1)
    imputer = _fit(Imputer(strategy="median"), housing_num)
    np.testing.assert_allclose(imputer.statistics_, housing_num.median().values, rtol=1e-12)
    X = imputer.transform(housing_num)
    assert not np.isnan(X).any()
    assert imputer.get_feature_names_out().tolist() == housing_num.columns.tolist()


def test_params_and_errors():
    imputer = Imputer()
    assert imputer.get_params() == dict(missing_values="NaN", strategy="mean", axis=0, verbose=0, copy=True)
    assert clone(imputer).missing_values == "NaN"
    for bad in (dict(strategy="constant"), dict(axis=2), dict(missing_values="nan")):
        with pytest.raises(ValueError, match="parameter of Imputer"):
            Imputer(**bad).fit(_data())
    with pytest.raises(ValueError, match="Input X contains infinity|inf"):
        _fit(Imputer(), np.array([[1.0, np.inf], [2.0, 3.0]]))
