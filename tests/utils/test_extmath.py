"""learnflow.utils.extmath against scikit-learn's extmath."""

import numpy as np
import pytest
import torch
from sklearn.utils import extmath as sk

from learnflow.utils.extmath import randomized_range_finder, randomized_svd, stable_cumsum, svd_flip
from tests._devices import DEVICES


def _low_rank(seed=0, shape=(60, 40), rank=8):
    rng = np.random.RandomState(seed)
    return rng.normal(size=(shape[0], rank)) @ rng.normal(size=(rank, shape[1])) + 1e-3 * rng.normal(size=shape)


@pytest.mark.parametrize("normalizer", ["auto", "QR", "LU", "none"])
@pytest.mark.parametrize("shape", [(60, 40), (40, 60)])
def test_randomized_svd_matches_sklearn(normalizer, shape):
    A = _low_rank(shape=shape)
    U, s, Vt = randomized_svd(A, 5, power_iteration_normalizer=normalizer, random_state=0)
    U_sk, s_sk, Vt_sk = sk.randomized_svd(A, 5, power_iteration_normalizer=normalizer, random_state=0)
    np.testing.assert_allclose(s, s_sk, rtol=1e-8)
    np.testing.assert_allclose(U, U_sk, atol=1e-6)
    np.testing.assert_allclose(Vt, Vt_sk, atol=1e-6)


def test_randomized_svd_close_to_exact_singular_values():
    A = _low_rank(seed=1)
    s_exact = np.linalg.svd(A, compute_uv=False)[:8]
    _, s, _ = randomized_svd(A, 8, random_state=0)
    np.testing.assert_allclose(s, s_exact, rtol=1e-6)


def test_randomized_range_finder_matches_sklearn():
    A = _low_rank()
    Q = randomized_range_finder(A, size=6, n_iter=3, random_state=0)
    Q_sk = sk.randomized_range_finder(A, size=6, n_iter=3, random_state=0)
    np.testing.assert_allclose(np.abs(Q), np.abs(Q_sk), atol=1e-8)
    np.testing.assert_allclose(Q.T @ Q, np.eye(6), atol=1e-10)


@pytest.mark.parametrize("u_based", [True, False])
def test_svd_flip_matches_sklearn(u_based):
    U, _, Vt = np.linalg.svd(np.random.RandomState(0).normal(size=(7, 5)), full_matrices=False)
    u, v = svd_flip(U, Vt, u_based_decision=u_based)
    u_sk, v_sk = sk.svd_flip(U.copy(), Vt.copy(), u_based_decision=u_based)
    np.testing.assert_array_equal(u, u_sk)
    np.testing.assert_array_equal(v, v_sk)


@pytest.mark.parametrize("device", DEVICES)
def test_randomized_svd_keeps_torch_device(device):
    A = torch.as_tensor(_low_rank(), device=device)
    U, s, Vt = randomized_svd(A, 3, random_state=0)
    assert U.device.type == device and s.shape == (3,)
    np.testing.assert_allclose(s.cpu().numpy(), np.linalg.svd(_low_rank(), compute_uv=False)[:3], rtol=1e-4)


def test_stable_cumsum():
    x = np.random.RandomState(0).rand(100)
    np.testing.assert_allclose(stable_cumsum(x), np.cumsum(x))


def test_randomized_svd_rejects_bad_arguments():
    with pytest.raises(ValueError, match="n_components"):
        randomized_svd(np.eye(3), 0)
    with pytest.raises(ValueError, match="power_iteration_normalizer"):
        randomized_svd(np.eye(3), 1, power_iteration_normalizer="qr")


@pytest.mark.parametrize("normalizer", ["LU", "QR", "none"])
def test_range_finder_spans_sklearns_subspace_on_torch_and_on_the_host(normalizer):
    """The tensor path (two products per power iteration) and the numpy path (the Gram matrix where
    cheaper: here, 200 x 10 with 3 iterations) orthonormalize the same draws into scikit-learn's subspace."""
    from learnflow.utils.extmath import _range_finder

    A = np.random.RandomState(3).normal(size=(200, 10)) * np.linspace(5, 0.5, 10)
    Q_sk = sk.randomized_range_finder(A, size=5, n_iter=3, power_iteration_normalizer=normalizer, random_state=0)
    for Q in (_range_finder(torch.tensor(A), 5, 3, normalizer, 0).numpy(), _range_finder(A, 5, 3, normalizer, 0)):
        np.testing.assert_allclose(Q.T @ Q, np.eye(5), atol=1e-12)
        np.testing.assert_allclose(Q @ Q.T, Q_sk @ Q_sk.T, atol=1e-10)
