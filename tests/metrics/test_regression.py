"""Regression metrics against scikit-learn's on random inputs (1e-12), plus error cases."""

import numpy as np
import pytest
import sklearn.metrics as skm
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import learnflow.metrics as lfm
from learnflow.exceptions import UndefinedMetricWarning
from tests._devices import DEVICES

LOSSES = [
    "mean_squared_error",
    "root_mean_squared_error",
    "mean_absolute_error",
    "mean_absolute_percentage_error",
    "median_absolute_error",
    "mean_squared_log_error",
    "root_mean_squared_log_error",
]
SCORES = ["r2_score", "explained_variance_score"]
MULTIOUTPUT = LOSSES + SCORES


def _data(seed, n_samples, n_outputs, positive=False, ties=False):
    rng = np.random.RandomState(seed)
    shape = (n_samples,) if n_outputs == 0 else (n_samples, n_outputs)
    y_true = rng.randn(*shape)
    y_pred = rng.randn(*shape)
    if ties:
        y_true, y_pred = np.round(y_true), np.round(y_pred)
    if positive:
        y_true, y_pred = np.abs(y_true), np.abs(y_pred)
    return y_true, y_pred, rng.randint(0, 4, n_samples).astype(float)


def _assert_same(ours, theirs, rtol=1e-12):
    np.testing.assert_allclose(np.asarray(ours, dtype=float), np.asarray(theirs, dtype=float), rtol=rtol, atol=rtol)


@settings(max_examples=25, deadline=None)
@given(
    name=st.sampled_from(MULTIOUTPUT),
    seed=st.integers(0, 10_000),
    n_samples=st.integers(2, 30),
    n_outputs=st.integers(0, 3),
    weighted=st.booleans(),
    ties=st.booleans(),
    multioutput=st.sampled_from(["raw_values", "uniform_average", "custom"]),
)
def test_metrics_equal_sklearn(name, seed, n_samples, n_outputs, weighted, ties, multioutput):
    y_true, y_pred, weight = _data(seed, n_samples, n_outputs, positive="log" in name, ties=ties)
    if weight.sum() == 0:
        weight[0] = 1.0
    if multioutput == "custom":
        if n_outputs < 2:
            multioutput = "uniform_average"
        else:
            multioutput = np.arange(1, n_outputs + 1, dtype=float)
    kwargs = {"sample_weight": weight if weighted else None, "multioutput": multioutput}
    _assert_same(getattr(lfm, name)(y_true, y_pred, **kwargs), getattr(skm, name)(y_true, y_pred, **kwargs))


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 10_000), n_samples=st.integers(1, 30))
def test_max_error_equals_sklearn(seed, n_samples):
    y_true, y_pred, _ = _data(seed, n_samples, 0)
    assert lfm.max_error(y_true, y_pred) == skm.max_error(y_true, y_pred)


@pytest.mark.parametrize("name", SCORES)
@pytest.mark.parametrize("force_finite", [True, False])
def test_variance_weighted_and_constant_targets(name, force_finite):
    y_true = np.array([[1.0, 2.0, 3.0], [1.0, 5.0, 3.0], [1.0, 7.0, 4.0]])
    y_pred = np.array([[1.0, 2.5, 3.0], [2.0, 4.0, 3.0], [1.0, 7.0, 5.0]])
    for multioutput in ["variance_weighted", "raw_values", "uniform_average"]:
        kwargs = {"multioutput": multioutput, "force_finite": force_finite}
        with np.errstate(divide="ignore", invalid="ignore"):
            _assert_same(getattr(lfm, name)(y_true, y_pred, **kwargs), getattr(skm, name)(y_true, y_pred, **kwargs))


def test_median_absolute_error_with_zero_weights_matches_sklearn():
    y_true = np.array([0.0, 1.0, 2.0, 3.0, 4.0, 5.0])
    y_pred = np.zeros(6)
    for weight in ([1, 0, 1, 0, 0, 1], [0, 1, 1, 0, 1, 1], [1, 1, 0, 0, 0, 0], [2, 1, 1, 0, 0, 0]):
        weight = np.asarray(weight, dtype=float)
        _assert_same(
            lfm.median_absolute_error(y_true, y_pred, sample_weight=weight),
            skm.median_absolute_error(y_true, y_pred, sample_weight=weight),
        )


def test_inputs_lists_pandas_and_shapes():
    import pandas as pd

    y_true, y_pred = [3, -0.5, 2, 7], [2.5, 0.0, 2, 8]
    assert lfm.mean_squared_error(pd.Series(y_true), np.asarray(y_pred)) == skm.mean_squared_error(y_true, y_pred)
    assert lfm.mean_squared_error(np.c_[y_true], y_pred) == skm.mean_squared_error(np.c_[y_true], y_pred)


@pytest.mark.parametrize("device", DEVICES)
def test_torch_input_gives_torch_raw_values(device):
    y_true, y_pred, _ = _data(0, 20, 2)
    raw = lfm.mean_squared_error(
        torch.tensor(y_true, device=device), torch.tensor(y_pred, device=device), multioutput="raw_values"
    )
    assert isinstance(raw, torch.Tensor) and raw.device.type == device
    # the engine computes in float32 on a GPU (float64 on the CPU)
    _assert_same(raw.cpu().numpy(), skm.mean_squared_error(y_true, y_pred, multioutput="raw_values"),
                 rtol=1e-12 if device == "cpu" else 1e-6)
    scalar = lfm.r2_score(torch.tensor(y_true, device=device), torch.tensor(y_pred, device=device))
    assert isinstance(scalar, float)


def test_error_cases():
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        lfm.mean_squared_error([1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match="different number of output"):
        lfm.mean_absolute_error(np.ones((3, 2)), np.ones((3, 3)))
    with pytest.raises(ValueError, match="Allowed 'multioutput'"):
        lfm.mean_squared_error([1, 2], [1, 2], multioutput="variance_weighted")
    with pytest.raises(ValueError, match="only in multi-output"):
        lfm.mean_squared_error([1, 2], [1, 2], multioutput=[0.5])
    with pytest.raises(ValueError, match="equally many custom weights"):
        lfm.mean_squared_error(np.ones((3, 2)), np.ones((3, 2)), multioutput=[1, 2, 3])
    with pytest.raises(ValueError, match="less than or equal to -1"):
        lfm.mean_squared_log_error([-1, 2], [1, 2])
    with pytest.raises(ValueError, match="less than or equal to -1"):
        lfm.root_mean_squared_log_error([1, 2], [-3, 2])
    with pytest.raises(ValueError, match="Multioutput not supported"):
        lfm.max_error(np.ones((3, 2)), np.ones((3, 2)))
    with pytest.raises(ValueError, match="NaN"):
        lfm.mean_squared_error([1.0, np.nan], [1.0, 2.0])
    with pytest.raises(ValueError, match="requires numeric data"):
        lfm.mean_absolute_error(["a", "b"], [1.0, 2.0])


def test_r2_with_one_sample_warns_and_is_nan_like_sklearn():
    with pytest.warns(UndefinedMetricWarning):
        assert np.isnan(lfm.r2_score([1.0], [2.0]))
