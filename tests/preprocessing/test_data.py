"""StandardScaler and MinMaxScaler against scikit-learn (oracle, within 1e-8)."""

import numpy as np
import pandas as pd
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn import preprocessing as skp

import learnflow
from learnflow.preprocessing import MinMaxScaler, StandardScaler
from tests._devices import DEVICES

TOL = dict(rtol=1e-8, atol=1e-8)

_finite = st.floats(min_value=-1e4, max_value=1e4, allow_nan=False, allow_infinity=False)
_matrices = st.tuples(st.integers(2, 12), st.integers(1, 4)).flatmap(
    lambda shape: arrays(np.float64, shape, elements=_finite)
)


@settings(max_examples=40, deadline=None)
@given(X=_matrices, with_mean=st.booleans(), with_std=st.booleans())
def test_standard_scaler_matches_sklearn(X, with_mean, with_std):
    ours = StandardScaler(with_mean=with_mean, with_std=with_std).fit(X)
    theirs = skp.StandardScaler(with_mean=with_mean, with_std=with_std).fit(X)
    np.testing.assert_allclose(ours.transform(X), theirs.transform(X), **TOL)
    for name in ("mean_", "var_", "scale_"):
        mine, ref = getattr(ours, name), getattr(theirs, name)
        assert (mine is None) == (ref is None)
        if ref is not None:
            np.testing.assert_allclose(mine, ref, **TOL)
    assert ours.n_samples_seen_ == theirs.n_samples_seen_


@settings(max_examples=40, deadline=None)
@given(X=_matrices, low=st.floats(-5, 0), width=st.floats(0.5, 5), clip=st.booleans())
def test_minmax_scaler_matches_sklearn(X, low, width, clip):
    feature_range = (low, low + width)
    ours = MinMaxScaler(feature_range=feature_range, clip=clip).fit(X)
    theirs = skp.MinMaxScaler(feature_range=feature_range, clip=clip).fit(X)
    X_new = X * 2 - 1
    np.testing.assert_allclose(ours.transform(X_new), theirs.transform(X_new), **TOL)
    np.testing.assert_allclose(ours.inverse_transform(X), theirs.inverse_transform(X), **TOL)
    for name in ("data_min_", "data_max_", "data_range_", "scale_", "min_"):
        np.testing.assert_allclose(getattr(ours, name), getattr(theirs, name), **TOL)


def test_standard_scaler_partial_fit_matches_one_fit_and_sklearn():
    rng = np.random.RandomState(0)
    X = rng.normal(3, 2, size=(60, 3))
    ours, theirs = StandardScaler(), skp.StandardScaler()
    for chunk in np.array_split(X, 4):
        ours.partial_fit(chunk)
        theirs.partial_fit(chunk)
    np.testing.assert_allclose(ours.mean_, theirs.mean_, **TOL)
    np.testing.assert_allclose(ours.var_, theirs.var_, **TOL)
    np.testing.assert_allclose(ours.mean_, StandardScaler().fit(X).mean_, **TOL)
    assert ours.n_samples_seen_ == theirs.n_samples_seen_ == 60


def test_minmax_partial_fit_matches_sklearn():
    rng = np.random.RandomState(1)
    X = rng.uniform(-3, 8, size=(40, 2))
    ours, theirs = MinMaxScaler(), skp.MinMaxScaler()
    for chunk in np.array_split(X, 3):
        ours.partial_fit(chunk)
        theirs.partial_fit(chunk)
    np.testing.assert_allclose(ours.transform(X), theirs.transform(X), **TOL)
    assert ours.n_samples_seen_ == theirs.n_samples_seen_


def test_standard_scaler_sample_weight_matches_sklearn():
    rng = np.random.RandomState(2)
    X, w = rng.normal(size=(30, 3)), rng.uniform(0.1, 3, size=30)
    ours = StandardScaler().fit(X, sample_weight=w)
    theirs = skp.StandardScaler().fit(X, sample_weight=w)
    np.testing.assert_allclose(ours.mean_, theirs.mean_, **TOL)
    np.testing.assert_allclose(ours.var_, theirs.var_, **TOL)
    np.testing.assert_allclose(ours.n_samples_seen_, theirs.n_samples_seen_, **TOL)


@pytest.mark.parametrize("Scaler", [StandardScaler, MinMaxScaler])
def test_nan_ignored_in_fit_and_kept_in_transform(Scaler):
    X = np.array([[1.0, np.nan], [2.0, 4.0], [np.nan, 6.0], [5.0, 7.0]])
    ours, theirs = Scaler().fit(X), getattr(skp, Scaler.__name__)().fit(X)
    np.testing.assert_allclose(ours.transform(X), theirs.transform(X), equal_nan=True, **TOL)
    np.testing.assert_array_equal(np.asarray(ours.n_samples_seen_), np.asarray(theirs.n_samples_seen_))


def test_constant_feature_is_not_scaled():
    X = np.array([[1.0, 5.0], [1.0, 6.0], [1.0, 7.0]])
    ours, theirs = StandardScaler().fit(X), skp.StandardScaler().fit(X)
    np.testing.assert_allclose(ours.scale_, theirs.scale_, **TOL)
    np.testing.assert_allclose(ours.transform(X), theirs.transform(X), **TOL)


def test_inverse_transform_round_trip():
    X = np.random.RandomState(3).normal(size=(10, 3))
    scaler = StandardScaler().fit(X)
    np.testing.assert_allclose(scaler.inverse_transform(scaler.transform(X)), X, **TOL)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("Scaler", [StandardScaler, MinMaxScaler])
def test_tensor_in_tensor_out_on_device(device, Scaler):
    X = np.random.RandomState(4).normal(size=(20, 3))
    expected = getattr(skp, Scaler.__name__)().fit_transform(X)
    with learnflow.config_context(device=device):
        Xt = torch.as_tensor(X, device=device)
        out = Scaler().fit(Xt).transform(Xt)
    assert isinstance(out, torch.Tensor) and out.device.type == device
    tol = 1e-8 if device == "cpu" else 1e-5
    np.testing.assert_allclose(out.cpu().double().numpy(), expected, rtol=tol, atol=tol)


def test_feature_names_and_pandas_output():
    df = pd.DataFrame({"rooms": [1.0, 2.0, 3.0], "income": [3.0, 5.0, 7.0]}, index=[10, 11, 12])
    scaler = StandardScaler().set_output(transform="pandas")
    out = scaler.fit_transform(df)
    assert list(out.columns) == ["rooms", "income"] and list(out.index) == [10, 11, 12]
    np.testing.assert_allclose(out.to_numpy(), skp.StandardScaler().fit_transform(df), **TOL)
    np.testing.assert_array_equal(MinMaxScaler().fit(df).get_feature_names_out(), ["rooms", "income"])


def test_errors():
    scaler = StandardScaler().fit([[1.0, 2.0], [3.0, 4.0]])
    with pytest.raises(ValueError, match="X has 3 features, but StandardScaler is expecting 2"):
        scaler.transform([[1.0, 2.0, 3.0]])
    with pytest.raises(ValueError, match="infinity"):
        StandardScaler().fit([[np.inf, 1.0]])
    with pytest.raises(ValueError, match="Minimum of desired feature range must be smaller"):
        MinMaxScaler(feature_range=(2, 1)).fit([[1.0]])
