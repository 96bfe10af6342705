"""PolynomialFeatures against scikit-learn."""

import numpy as np
import pandas as pd
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn import preprocessing as skp

import learnflow
from learnflow.preprocessing import PolynomialFeatures
from tests._devices import DEVICES

_degrees = st.one_of(
    st.integers(1, 3),
    st.tuples(st.integers(0, 2), st.integers(0, 3)).filter(lambda d: d[0] <= d[1] and d[1] > 0),
)


@settings(max_examples=40, deadline=None)
@given(
    X=st.tuples(st.integers(1, 6), st.integers(1, 3)).flatmap(
        lambda s: arrays(np.float64, s, elements=st.floats(-10, 10, allow_nan=False))
    ),
    degree=_degrees,
    interaction_only=st.booleans(),
    include_bias=st.booleans(),
)
def test_polynomial_matches_sklearn(X, degree, interaction_only, include_bias):
    kwargs = dict(degree=degree, interaction_only=interaction_only, include_bias=include_bias)
    try:
        theirs = skp.PolynomialFeatures(**kwargs).fit(X)
        expected = theirs.transform(X)
    except ValueError:  # no output feature (e.g. interaction_only with one feature): both refuse
        with pytest.raises(ValueError):
            PolynomialFeatures(**kwargs).fit(X)
        return
    ours = PolynomialFeatures(**kwargs).fit(X)
    assert ours.n_output_features_ == theirs.n_output_features_
    np.testing.assert_allclose(ours.transform(X), expected, rtol=1e-8, atol=1e-8)
    if theirs.n_output_features_:  # scikit-learn's powers_ and feature names fail on an empty output
        np.testing.assert_array_equal(ours.powers_, theirs.powers_)
        np.testing.assert_array_equal(ours.get_feature_names_out(), theirs.get_feature_names_out())
    else:
        assert ours.get_feature_names_out().shape == (0,)


def test_feature_names_from_dataframe_and_order():
    df = pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 4.0]})
    poly = PolynomialFeatures(degree=3, order="F").fit(df)
    np.testing.assert_array_equal(poly.get_feature_names_out(), skp.PolynomialFeatures(3).fit(df).get_feature_names_out())
    assert poly.transform(df).flags["F_CONTIGUOUS"]


@pytest.mark.parametrize("device", DEVICES)
def test_tensor_in_tensor_out(device):
    X = np.random.RandomState(0).normal(size=(8, 2))
    with learnflow.config_context(device=device):
        out = PolynomialFeatures(2).fit_transform(torch.as_tensor(X, device=device))
    assert isinstance(out, torch.Tensor) and out.device.type == device
    np.testing.assert_allclose(out.cpu().double().numpy(), skp.PolynomialFeatures(2).fit_transform(X), rtol=1e-5)


def test_errors():
    with pytest.raises(ValueError, match="empty output array"):
        PolynomialFeatures(degree=0, include_bias=False).fit([[1.0]])
    with pytest.raises(ValueError, match="min_degree <= max_degree"):
        PolynomialFeatures(degree=(3, 2)).fit([[1.0]])
    with pytest.raises(ValueError, match="NaN"):
        PolynomialFeatures().fit([[np.nan]])



def test_no_remaining_term_gives_an_empty_output_like_scikit_learn():
    params = dict(degree=(2, 2), interaction_only=True, include_bias=False)
    ours = PolynomialFeatures(**params).fit_transform([[0.0], [1.0]])
    theirs = skp.PolynomialFeatures(**params).fit_transform([[0.0], [1.0]])
    assert ours.shape == theirs.shape == (2, 0)
