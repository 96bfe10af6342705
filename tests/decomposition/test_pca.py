"""PCA and IncrementalPCA against the book's numbers and scikit-learn."""

import warnings

import numpy as np
import pytest
import torch
from sklearn import decomposition as skd

from learnflow.decomposition import PCA, IncrementalPCA
from tests._devices import DEVICES

ATTRIBUTES = ["components_", "explained_variance_", "explained_variance_ratio_", "singular_values_", "mean_",
              "noise_variance_"]


def test_book_3d_dataset(chapter8_3d):
    """Q8.4 / Q8.5: explained variance ratio, reconstruction error and singular values."""
    pca = PCA(n_components=2)
    X2D = pca.fit_transform(chapter8_3d)
    np.testing.assert_allclose(pca.explained_variance_ratio_, [0.84248607, 0.14631839], atol=1e-6)
    X_recovered = pca.inverse_transform(X2D)
    error = np.mean(np.sum((chapter8_3d - X_recovered) ** 2, axis=1))
    assert error == pytest.approx(0.010170337792848549, abs=1e-6)
    np.testing.assert_allclose(PCA().fit(chapter8_3d).singular_values_, [6.77645005, 2.82403671, 0.78116597],
                               atol=1e-6)
    np.testing.assert_allclose(pca.components_, [[-0.93636116, -0.29854881, -0.18465208],
                                                 [0.34027485, -0.90119108, -0.2684542]][::1] * np.array([[-1], [-1]]),
                               atol=1e-6)


@pytest.mark.parametrize("solver", ["full", "covariance_eigh", "auto"])
@pytest.mark.parametrize("n_components", [None, 2, 0.9, "mle"])
@pytest.mark.parametrize("whiten", [False, True])
def test_attributes_equal_sklearn(chapter8_3d, solver, n_components, whiten):
    ours = PCA(n_components=n_components, svd_solver=solver, whiten=whiten).fit(chapter8_3d)
    theirs = skd.PCA(n_components=n_components, svd_solver=solver, whiten=whiten).fit(chapter8_3d)
    assert ours.n_components_ == theirs.n_components_
    for name in ATTRIBUTES:
        np.testing.assert_allclose(getattr(ours, name), getattr(theirs, name), atol=1e-8, err_msg=name)
    X_new = chapter8_3d[:7] + 0.3
    np.testing.assert_allclose(ours.transform(X_new), theirs.transform(X_new), atol=1e-8)
    np.testing.assert_allclose(ours.fit_transform(chapter8_3d), theirs.fit_transform(chapter8_3d), atol=1e-8)
    Z = ours.transform(X_new)
    np.testing.assert_allclose(ours.inverse_transform(Z), theirs.inverse_transform(Z), atol=1e-8)
    np.testing.assert_allclose(ours.get_covariance(), theirs.get_covariance(), atol=1e-8)
    np.testing.assert_allclose(ours.get_precision(), theirs.get_precision(), rtol=1e-6)
    np.testing.assert_allclose(ours.score_samples(X_new), theirs.score_samples(X_new), rtol=1e-8)


def test_mnist_shaped_95_percent(mnist_like):
    """Same number of components as scikit-learn at 95% variance; randomized / incremental within 0.5%."""
    full = PCA(n_components=0.95, svd_solver="full").fit(mnist_like)
    sk_full = skd.PCA(n_components=0.95, svd_solver="full").fit(mnist_like)
    assert full.n_components_ == sk_full.n_components_
    for name in ATTRIBUTES:
        np.testing.assert_allclose(getattr(full, name), getattr(sk_full, name), atol=1e-8, err_msg=name)
    d = full.n_components_
    target = full.explained_variance_ratio_.sum()
    randomized = PCA(n_components=d, svd_solver="randomized", random_state=42).fit(mnist_like)
    incremental = IncrementalPCA(n_components=d, batch_size=200).fit(mnist_like)
    for model in (randomized, incremental):
        assert abs(model.explained_variance_ratio_.sum() - target) / target < 0.005


@pytest.mark.parametrize("solver", ["randomized", "arpack"])
def test_truncated_solvers_match_sklearn(mnist_like, solver):
    ours = PCA(n_components=10, svd_solver=solver, random_state=0).fit(mnist_like)
    theirs = skd.PCA(n_components=10, svd_solver=solver, random_state=0).fit(mnist_like)
    for name in ATTRIBUTES:
        np.testing.assert_allclose(getattr(ours, name), getattr(theirs, name), rtol=1e-6, atol=1e-7, err_msg=name)


def test_incremental_pca_matches_sklearn(chapter8_3d):
    ours = IncrementalPCA(n_components=2, batch_size=25).fit(chapter8_3d)
    theirs = skd.IncrementalPCA(n_components=2, batch_size=25).fit(chapter8_3d)
    for name in ATTRIBUTES + ["var_", "n_samples_seen_"]:
        np.testing.assert_allclose(getattr(ours, name), getattr(theirs, name), atol=1e-10, err_msg=name)


def test_incremental_partial_fit_equals_fit(chapter8_3d):
    parts = IncrementalPCA(n_components=2)
    for batch in np.array_split(chapter8_3d, 4):
        parts.partial_fit(batch)
    whole = IncrementalPCA(n_components=2, batch_size=15).fit(chapter8_3d)
    np.testing.assert_allclose(parts.components_, whole.components_, atol=1e-12)


def test_incremental_pca_on_memmap(tmp_path, mnist_like):
    """Chapter 8: fit on a numpy memmap, batch_size = m // n_batches."""
    path = tmp_path / "mnist.data"
    mm = np.memmap(path, dtype="float32", mode="write", shape=mnist_like.shape)
    mm[:] = mnist_like
    mm.flush()
    X_mm = np.memmap(path, dtype="float32", mode="readonly", shape=mnist_like.shape)
    ipca = IncrementalPCA(n_components=20, batch_size=len(X_mm) // 6).fit(X_mm)
    reference = skd.IncrementalPCA(n_components=20, batch_size=len(X_mm) // 6).fit(mnist_like.astype("float32"))
    np.testing.assert_allclose(ipca.explained_variance_ratio_, reference.explained_variance_ratio_, rtol=1e-4)


def test_errors():
    with pytest.raises(ValueError, match="n_components"):
        PCA(n_components=5).fit(np.random.rand(4, 3))
    with pytest.raises(ValueError, match="strictly less"):
        PCA(n_components=3, svd_solver="arpack").fit(np.random.rand(10, 3))
    with pytest.raises(ValueError, match="less or equal to the batch"):
        IncrementalPCA(n_components=5).partial_fit(np.random.rand(3, 8))


@pytest.mark.parametrize("device", DEVICES)
def test_torch_input_stays_on_device(chapter8_3d, device):
    X = torch.as_tensor(chapter8_3d, device=device)
    pca = PCA(n_components=2).fit(X)
    Z = pca.transform(X)
    assert isinstance(Z, torch.Tensor) and Z.device.type == device
    np.testing.assert_allclose(pca.explained_variance_ratio_, [0.84248607, 0.14631839], atol=1e-5)


def test_incremental_pca_wide_batches_match_sklearn(mnist_like):
    """Batches with fewer stacked rows than features (the column-major stacked update) against scikit-learn."""
    from threadpoolctl import threadpool_limits  # (scikit-learn's dependency)

    X = mnist_like[:200, :200]
    # one BLAS thread: a busy machine makes each small multithreaded LAPACK step wait for a time slice
    with threadpool_limits(1, user_api="blas"):
        ours = IncrementalPCA(n_components=20, batch_size=50).fit(X)
        theirs = skd.IncrementalPCA(n_components=20, batch_size=50).fit(X)
    for name in ATTRIBUTES + ["var_", "n_samples_seen_"]:
        np.testing.assert_allclose(getattr(ours, name), getattr(theirs, name), rtol=1e-7, atol=1e-9, err_msg=name)


def test_incremental_pca_requires_grad_input_same_fit():
    """A tensor that requires grad takes the out-of-place stacking path: scikit-learn's fit on the same data."""
    X = torch.tensor(np.random.RandomState(0).rand(60, 8))
    theirs = skd.IncrementalPCA(n_components=3, batch_size=20).fit(X.numpy())
    with warnings.catch_warnings():  # (torch may warn about converting grad tensors to floats)
        warnings.simplefilter("ignore", UserWarning)
        graded = IncrementalPCA(n_components=3, batch_size=20).fit(X.clone().requires_grad_(True))
    for name in ATTRIBUTES + ["var_"]:
        np.testing.assert_allclose(getattr(graded, name), getattr(theirs, name), atol=1e-12, err_msg=name)


@pytest.mark.parametrize("n_features", [784, 300], ids=["wide", "tall"])
@pytest.mark.parametrize("n_components", [0.95, 17])
def test_full_fit_transform_matches_sklearn(mnist_like, n_components, n_features):
    """Only the kept components (and U's matching columns) are sign-flipped: the same projection as scikit-learn.

    600 x 300 is tall enough for the SVD of the QR factor R (no U: the fit projects X instead).
    """
    X = mnist_like[:, :n_features]
    ours = PCA(n_components=n_components, svd_solver="full")
    theirs = skd.PCA(n_components=n_components, svd_solver="full")
    np.testing.assert_allclose(ours.fit_transform(X), theirs.fit_transform(X), atol=1e-7)
    assert ours.n_components_ == theirs.n_components_
    np.testing.assert_allclose(ours.components_, theirs.components_, atol=1e-10)
    for name in ATTRIBUTES:
        np.testing.assert_allclose(getattr(ours, name), getattr(theirs, name), rtol=1e-10, atol=1e-10, err_msg=name)


def _signed_like(Vt, reference):
    return Vt * np.sign(np.sum(Vt * reference, axis=1, keepdims=True))


@pytest.mark.parametrize("shape", [(40, 300), (300, 40), (60, 60)], ids=["wide", "tall", "square"])
def test_thin_svd_without_u_and_leading_svd_match_lapack(shape):
    """The QR-first SVD (tall, no U) and the Gram path (wide) give LAPACK gesdd's values and vectors."""
    from scipy import linalg

    from learnflow.decomposition._base import _leading_svd, _thin_svd

    A = np.random.RandomState(0).normal(size=shape) * np.linspace(3, 1, shape[1])
    _, S_ref, Vt_ref = linalg.svd(A, full_matrices=False)
    U, S, Vt = _thin_svd(torch.tensor(A), need_u=False)
    assert (U is None) == (shape == (300, 40))
    np.testing.assert_allclose(S.numpy(), S_ref, rtol=1e-12)
    np.testing.assert_allclose(_signed_like(Vt.numpy(), Vt_ref), Vt_ref, atol=1e-12)
    S, Vt = _leading_svd(torch.tensor(A), 10)
    assert Vt.shape == (10, shape[1])
    np.testing.assert_allclose(S.numpy(), S_ref, rtol=1e-12)
    np.testing.assert_allclose(_signed_like(Vt.numpy(), Vt_ref[:10]), Vt_ref[:10], atol=1e-12)


def test_leading_svd_takes_the_svd_past_its_condition_limit():
    """A rank-3 wide matrix asked for 5 vectors: the Gram path would divide by zero singular values."""
    from scipy import linalg

    from learnflow.decomposition._base import _leading_svd

    rng = np.random.RandomState(1)
    A = rng.normal(size=(20, 3)) @ rng.normal(size=(3, 50))
    _, S_ref, Vt_ref = linalg.svd(A, full_matrices=False)
    S, Vt = _leading_svd(torch.tensor(A), 5)
    np.testing.assert_allclose(Vt.numpy() @ Vt.numpy().T, np.eye(5), atol=1e-12)
    np.testing.assert_allclose(S.numpy()[:3], S_ref[:3], rtol=1e-12)
    np.testing.assert_allclose(_signed_like(Vt.numpy()[:3], Vt_ref[:3]), Vt_ref[:3], atol=1e-12)
