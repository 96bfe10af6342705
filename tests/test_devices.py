"""Every public estimator runs on CUDA inside ``config_context(device="cuda")``, and in float32.

The oracle is the same estimator fitted on the CPU (float64) on the same data:
in float32 (and on the GPU, with the device's own random streams) a predictor must
score as well within a stated margin, a deterministic transformer must give the same
values up to float32 rounding (and the sign of each component), and an
embedding must keep the classes as separable. numpy input gives numpy output,
a tensor gives a tensor on its device. Estimators are discovered as in
``test_common.py``, so a new one is covered without being listed.
"""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
import torch

import learnflow
from learnflow.base import is_classifier, is_regressor
from learnflow.datasets import load_iris
from learnflow.exceptions import DeviceFallbackWarning
from tests.test_common import _instances

# The GPU case, and the CPU computing in float32 as the GPU does: the latter
# catches float32/float64 mix-ups on machines without a GPU.
ENGINE_SETTINGS = [
    pytest.param({"device": "cuda"}, id="cuda", marks=[
        pytest.mark.gpu, pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA GPU on this machine")]),
    pytest.param({"device": "cpu", "dtype": "float32"}, id="cpu-float32"),
]

# Embeddings whose coordinates depend on random streams or on iterative
# optimisation: judged by how well 1-NN recovers the labels, not by values.
_EMBEDDINGS = {"TSNE", "MDS", "LocallyLinearEmbedding"}
# Estimators fitted on the labels themselves rather than on X.
_TARGET_TRANSFORMERS = {"LabelEncoder", "LabelBinarizer"}
# Allowed drop in training accuracy / R^2 in float32 or on the GPU (other random streams).
_SCORE_MARGIN = 0.05


def _iris():
    data = load_iris()
    X = (data.data - data.data.mean(axis=0)) / data.data.std(axis=0)
    return X, data.target


def _data_for(estimator):
    X, y = _iris()
    if is_regressor(estimator):
        y = X[:, 3]  # petal width from the other three measurements
        return X[:, :3], (np.c_[y, -y] if type(estimator).__name__ == "MultiOutputRegressor" else y)
    if type(estimator).__name__ == "MultiOutputClassifier":
        return X, np.c_[y, y == 2]
    if type(estimator).__name__ == "MissingIndicator":
        X = X.copy()
        X[::7, 1] = np.nan
    return X, y


def _fit_and_outputs(estimator, X, y):
    """Fit a clone and return {method: output} for every output method it has."""
    estimator = learnflow.base.clone(estimator)
    name = type(estimator).__name__
    if name in _TARGET_TRANSFORMERS:
        estimator.fit(y)
        return estimator, {"transform": estimator.transform(y)}
    supervised = is_classifier(estimator) or is_regressor(estimator)
    if name in _EMBEDDINGS:
        return estimator, {"embedding": estimator.fit_transform(X)}
    estimator.fit(X, y) if supervised else estimator.fit(X)
    outputs = {}
    for method in ("predict", "predict_proba", "decision_function", "transform"):
        if hasattr(estimator, method):
            output = getattr(estimator, method)(X)
            outputs[method] = output.toarray() if sp.issparse(output) else output
    return estimator, outputs


def _as_list(output):
    """Multi-output predict_proba answers a list of arrays, as scikit-learn's."""
    return output if isinstance(output, list) else [output]


def _one_nn_accuracy(embedding, y):
    distances = np.linalg.norm(embedding[:, None, :] - embedding[None, :, :], axis=-1)
    np.fill_diagonal(distances, np.inf)
    return np.mean(y[distances.argmin(axis=1)] == y)


def _score(estimator, y, prediction):
    if is_classifier(estimator):
        return np.mean(prediction == y)
    return 1 - np.sum((prediction - y) ** 2) / np.sum((y - y.mean(axis=0)) ** 2)


def _assert_same_up_to_sign(on_device, reference, label):
    on_device, reference = np.asarray(on_device, dtype=np.float64), np.asarray(reference, dtype=np.float64)
    assert on_device.shape == reference.shape, label
    if on_device.ndim == 2:
        signs = np.sign(np.sum(on_device * reference, axis=0))
        on_device = on_device * np.where(signs == 0, 1, signs)
    scale = max(np.abs(reference).max(), 1.0)
    np.testing.assert_allclose(on_device, reference, atol=2e-3 * scale, rtol=2e-3, err_msg=label)


_ALL = list(_instances())


@pytest.mark.parametrize("settings", ENGINE_SETTINGS)
@pytest.mark.parametrize("estimator", _ALL, ids=[repr(e)[:60] for e in _ALL])
def test_estimator_runs_on_device(estimator, settings):
    device = settings["device"]
    X, y = _data_for(estimator)
    name = type(estimator).__name__
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, reference = _fit_and_outputs(estimator, X, y)
    with learnflow.config_context(**settings), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        warnings.simplefilter("always", DeviceFallbackWarning)
        fitted, on_device = _fit_and_outputs(estimator, X, y)
        torch_outputs = {}
        if name not in _TARGET_TRANSFORMERS | _EMBEDDINGS and name != "MissingIndicator":
            X_tensor = torch.as_tensor(X, device=device)
            torch_outputs = {method: getattr(fitted, method)(X_tensor) for method in on_device}
    assert on_device.keys() == reference.keys()
    for method, output in on_device.items():
        for array in _as_list(output):
            assert isinstance(array, np.ndarray), f"{name}.{method} returned {type(array)} for numpy input"
            if array.dtype.kind == "f":
                assert np.isfinite(array).all(), f"{name}.{method} gave non-finite values with {settings}"
    for method, output in torch_outputs.items():
        for array, expected in zip(_as_list(output), _as_list(on_device[method])):
            if sp.issparse(array):
                continue  # scipy sparse output (OneHotEncoder's default) has no tensor counterpart
            assert isinstance(array, torch.Tensor) and array.device.type == device, (
                f"{name}.{method} on a {device} tensor returned {type(array)}")
            np.testing.assert_allclose(array.cpu().numpy().astype(np.float64),
                                       np.asarray(expected, dtype=np.float64), rtol=1e-5, atol=1e-5)
    if name in _EMBEDDINGS:
        assert _one_nn_accuracy(on_device["embedding"], y) >= _one_nn_accuracy(reference["embedding"], y) - 0.1
    elif is_classifier(estimator) or is_regressor(estimator):
        device_score = _score(estimator, y, on_device["predict"])
        reference_score = _score(estimator, y, reference["predict"])
        assert device_score >= reference_score - _SCORE_MARGIN, (name, device_score, reference_score)
    else:
        for method in on_device:
            for device_array, reference_array in zip(_as_list(on_device[method]), _as_list(reference[method])):
                _assert_same_up_to_sign(device_array, reference_array, f"{name}.{method}")
