"""learnflow.metrics.pairwise against scikit-learn's pairwise module (the oracle), within 1e-12."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.metrics import pairwise as sk

from learnflow.metrics import pairwise, pairwise_distances, pairwise_kernels
from tests._devices import DEVICES

KERNELS = [
    ("linear_kernel", {}),
    ("polynomial_kernel", {"degree": 2, "gamma": 0.5, "coef0": 1.5}),
    ("polynomial_kernel", {}),
    ("rbf_kernel", {"gamma": 0.3}),
    ("rbf_kernel", {}),
    ("sigmoid_kernel", {"gamma": 0.1, "coef0": 0.2}),
    ("laplacian_kernel", {"gamma": 0.7}),
    ("cosine_similarity", {}),
    ("manhattan_distances", {}),
]


def _pair(draw_shape):
    n_features = draw_shape
    values = st.floats(-10, 10, allow_nan=False, width=64)
    return st.tuples(
        arrays(np.float64, st.tuples(st.integers(1, 8), st.just(n_features)), elements=values),
        arrays(np.float64, st.tuples(st.integers(1, 8), st.just(n_features)), elements=values),
    )


matrices = st.integers(1, 5).flatmap(_pair)


@pytest.mark.parametrize("name, params", KERNELS)
@settings(max_examples=25, deadline=None)
@given(data=matrices)
def test_kernels_match_sklearn(name, params, data):
    X, Y = data
    ours = getattr(pairwise, name)(X, Y, **params)
    theirs = getattr(sk, name)(X, Y, **params)
    scale = max(1.0, np.abs(theirs).max())
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-12 * scale)
    np.testing.assert_allclose(getattr(pairwise, name)(X, **params), getattr(sk, name)(X, **params),
                               rtol=0, atol=1e-12 * max(1.0, np.abs(getattr(sk, name)(X, **params)).max()))


@settings(max_examples=25, deadline=None)
@given(data=matrices)
def test_squared_euclidean_matches_sklearn(data):
    X, Y = data
    ours = pairwise.euclidean_distances(X, Y, squared=True)
    theirs = sk.euclidean_distances(X, Y, squared=True)
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-12 * max(1.0, theirs.max()))
    np.testing.assert_array_equal(np.diag(pairwise.euclidean_distances(X)), 0.0)


def test_euclidean_with_precomputed_norms():
    rng = np.random.RandomState(0)
    X, Y = rng.rand(6, 3), rng.rand(4, 3)
    XX, YY = (X**2).sum(1)[:, None], (Y**2).sum(1)[None, :]
    ours = pairwise.euclidean_distances(X, Y, X_norm_squared=XX, Y_norm_squared=YY)
    np.testing.assert_allclose(ours, sk.euclidean_distances(X, Y), atol=1e-12)


def test_book_similarity_features():
    """Q5.2: Gaussian RBF similarity of x=-1 to landmarks -2 and 1 with gamma=0.3."""
    K = pairwise.rbf_kernel([[-1.0]], [[-2.0], [1.0]], gamma=0.3)
    np.testing.assert_allclose(K, [[0.74081822, 0.30119421]], atol=1e-8)


@pytest.mark.parametrize("metric", ["euclidean", "l2", "manhattan", "cityblock", "l1", "cosine", "sqeuclidean",
                                    "chebyshev"])
def test_pairwise_distances_names(metric):
    rng = np.random.RandomState(1)
    X, Y = rng.rand(7, 4), rng.rand(5, 4)
    np.testing.assert_allclose(pairwise_distances(X, Y, metric=metric), sk.pairwise_distances(X, Y, metric=metric),
                               atol=1e-12)


def test_pairwise_distances_callable_and_precomputed():
    rng = np.random.RandomState(2)
    X = rng.rand(5, 3)

    def metric(a, b):
        return np.abs(a - b).max()

    np.testing.assert_allclose(pairwise_distances(X, metric=metric), sk.pairwise_distances(X, metric=metric))
    D = sk.pairwise_distances(X)
    np.testing.assert_array_equal(pairwise_distances(D, metric="precomputed"), D)
    np.testing.assert_allclose(pairwise_distances(X, metric="minkowski", p=3),
                               sk.pairwise_distances(X, metric="minkowski", p=3), atol=1e-12)


@pytest.mark.parametrize("metric, params", [("linear", {}), ("poly", {"degree": 2}), ("polynomial", {"coef0": 2}),
                                            ("rbf", {"gamma": 0.2}), ("sigmoid", {}), ("laplacian", {}),
                                            ("cosine", {})])
def test_pairwise_kernels_names(metric, params):
    rng = np.random.RandomState(3)
    X, Y = rng.rand(6, 3), rng.rand(4, 3)
    np.testing.assert_allclose(pairwise_kernels(X, Y, metric=metric, **params),
                               sk.pairwise_kernels(X, Y, metric=metric, **params), atol=1e-12)


def test_pairwise_kernels_filter_params_callable_precomputed():
    rng = np.random.RandomState(4)
    X = rng.rand(5, 3)
    ours = pairwise_kernels(X, metric="rbf", filter_params=True, gamma=0.5, degree=7)
    np.testing.assert_allclose(ours, sk.pairwise_kernels(X, metric="rbf", filter_params=True, gamma=0.5, degree=7))
    with pytest.raises(TypeError, match="unexpected"):
        pairwise_kernels(X, metric="rbf", degree=7)
    K = sk.rbf_kernel(X)
    np.testing.assert_array_equal(pairwise_kernels(K, metric="precomputed"), K)
    np.testing.assert_allclose(pairwise_kernels(X, metric=lambda a, b, s=1.0: s * a @ b, s=2.0), 2 * X @ X.T)


def test_errors():
    with pytest.raises(ValueError, match="Incompatible dimension"):
        pairwise.rbf_kernel(np.ones((2, 3)), np.ones((2, 2)))
    with pytest.raises(ValueError, match="Unknown metric"):
        pairwise_distances(np.ones((2, 2)), metric="nope")
    with pytest.raises(ValueError, match="Unknown kernel"):
        pairwise_kernels(np.ones((2, 2)), metric="nope")
    with pytest.raises(ValueError, match="NaN"):
        pairwise.linear_kernel([[np.nan, 1.0]])


@pytest.mark.parametrize("device", DEVICES)
def test_tensor_in_tensor_out(device):
    rng = np.random.RandomState(5)
    X, Y = rng.rand(6, 3), rng.rand(4, 3)
    Xt, Yt = torch.as_tensor(X, device=device), torch.as_tensor(Y, device=device)
    for name, params in KERNELS:
        out = getattr(pairwise, name)(Xt, Yt, **params)
        assert isinstance(out, torch.Tensor) and out.device.type == device
        np.testing.assert_allclose(out.cpu().numpy(), getattr(sk, name)(X, Y, **params), atol=1e-12)
    assert isinstance(pairwise.euclidean_distances(X, Y), np.ndarray)
