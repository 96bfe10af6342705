"""FunctionTransformer: scikit-learn's behaviour and the book's CombinedAttributesAdder."""

import numpy as np
import pandas as pd
import pytest
from sklearn import preprocessing as skp

from learnflow.preprocessing import FunctionTransformer

ROOMS, BEDROOMS, POPULATION, HOUSEHOLDS = 3, 4, 5, 6


def add_extra_features(X, add_bedrooms_per_room=True):
    """The book's CombinedAttributesAdder as a function (Chapter 2)."""
    rooms_per_household = X[:, ROOMS] / X[:, HOUSEHOLDS]
    population_per_household = X[:, POPULATION] / X[:, HOUSEHOLDS]
    if add_bedrooms_per_room:
        bedrooms_per_room = X[:, BEDROOMS] / X[:, ROOMS]
        return np.c_[X, rooms_per_household, population_per_household, bedrooms_per_room]
    return np.c_[X, rooms_per_household, population_per_household]


def test_book_attribs_adder_matches_sklearn(shared_datasets):
    housing = pd.read_csv(shared_datasets / "housing" / "housing.csv")
    X = housing.drop(columns=["ocean_proximity", "median_house_value"]).to_numpy()
    kw = dict(kw_args={"add_bedrooms_per_room": False})
    ours = FunctionTransformer(add_extra_features, validate=False, **kw).fit_transform(X)
    theirs = skp.FunctionTransformer(add_extra_features, validate=False, **kw).fit_transform(X)
    assert ours.shape == (20640, 10)
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, equal_nan=True)


def test_identity_validate_and_inverse():
    X = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert FunctionTransformer().fit_transform(X) is X
    log = FunctionTransformer(np.log1p, inverse_func=np.expm1, validate=True).fit(X)
    np.testing.assert_allclose(log.inverse_transform(log.transform(X)), X)
    with pytest.raises(ValueError, match="X has 3 features"):
        log.transform([[1.0, 2.0, 3.0]])


def test_check_inverse_warns():
    with pytest.warns(UserWarning, match="not strictly inverse of each other"):
        FunctionTransformer(np.sqrt, inverse_func=np.log).fit(np.array([[1.0], [4.0]]))


def test_feature_names_out():
    df = pd.DataFrame({"a": [1.0], "b": [2.0]})
    one = FunctionTransformer(feature_names_out="one-to-one").fit(df)
    np.testing.assert_array_equal(one.get_feature_names_out(), ["a", "b"])
    custom = FunctionTransformer(lambda X: X, feature_names_out=lambda self, names: [f"log_{n}" for n in names])
    np.testing.assert_array_equal(custom.fit(df).get_feature_names_out(), ["log_a", "log_b"])
    assert not hasattr(FunctionTransformer(), "get_feature_names_out")
    out = FunctionTransformer(feature_names_out="one-to-one").set_output(transform="pandas").fit_transform(df.to_numpy())
    assert list(out.columns) == ["x0", "x1"]
