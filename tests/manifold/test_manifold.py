"""LLE, Isomap, MDS and t-SNE against scikit-learn on the book's Swiss roll."""

import warnings

import numpy as np
import pytest
import torch
from scipy.spatial import procrustes
from sklearn import manifold as skm

from learnflow.datasets import load_digits, make_swiss_roll
from learnflow.manifold import MDS, TSNE, Isomap, LocallyLinearEmbedding, trustworthiness
from tests._devices import DEVICES


@pytest.fixture(scope="module")
def swiss_roll():
    return make_swiss_roll(n_samples=1000, noise=0.2, random_state=42)[0]


def test_lle_matches_sklearn(swiss_roll):
    ours = LocallyLinearEmbedding(n_components=2, n_neighbors=10, random_state=42)
    theirs = skm.LocallyLinearEmbedding(n_components=2, n_neighbors=10, random_state=42)
    assert procrustes(ours.fit_transform(swiss_roll), theirs.fit_transform(swiss_roll))[2] < 0.01
    assert ours.reconstruction_error_ == pytest.approx(theirs.reconstruction_error_, rel=1e-4)
    X_new = swiss_roll[:40] + 0.05
    assert procrustes(ours.transform(X_new), theirs.transform(X_new))[2] < 0.01


def test_lle_dense_solver_small(swiss_roll):
    X = swiss_roll[:200]
    ours = LocallyLinearEmbedding(n_neighbors=10, eigen_solver="dense").fit_transform(X)
    theirs = skm.LocallyLinearEmbedding(n_neighbors=10, eigen_solver="dense").fit_transform(X)
    assert procrustes(ours, theirs)[2] < 0.01


def test_isomap_matches_sklearn(swiss_roll):
    ours, theirs = Isomap(n_components=2, n_neighbors=10), skm.Isomap(n_components=2, n_neighbors=10)
    assert procrustes(ours.fit_transform(swiss_roll), theirs.fit_transform(swiss_roll))[2] < 0.01
    assert ours.reconstruction_error() == pytest.approx(theirs.reconstruction_error(), rel=1e-6)
    assert procrustes(ours.transform(swiss_roll[:30] + 0.1), theirs.transform(swiss_roll[:30] + 0.1))[2] < 0.01


def test_isomap_radius_and_errors(swiss_roll):
    X = swiss_roll[:200]
    ours = Isomap(n_neighbors=None, radius=6.0).fit_transform(X)
    theirs = skm.Isomap(n_neighbors=None, radius=6.0).fit_transform(X)
    assert procrustes(ours, theirs)[2] < 0.01
    with pytest.raises(ValueError, match="Both n_neighbors and radius"):
        Isomap(n_neighbors=5, radius=1.0).fit(X)


@pytest.mark.parametrize("metric", [True, False])
def test_mds_matches_sklearn(swiss_roll, metric):
    X = swiss_roll[:100]
    ours = MDS(n_components=2, metric=metric, n_init=1, random_state=42)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        theirs = skm.MDS(n_components=2, metric_mds=metric, metric="euclidean", init="random", n_init=1,
                         random_state=42)
        expected = theirs.fit_transform(X)
    assert procrustes(ours.fit_transform(X), expected)[2] < 0.01
    assert ours.stress_ == pytest.approx(theirs.stress_, rel=1e-4)


def test_mds_precomputed(swiss_roll):
    X = swiss_roll[:60]
    D = np.sqrt(((X[:, None] - X[None]) ** 2).sum(-1))
    a = MDS(dissimilarity="precomputed", n_init=1, random_state=0).fit_transform(D)
    b = MDS(n_init=1, random_state=0).fit_transform(X)
    np.testing.assert_allclose(a, b, atol=1e-6)


@pytest.mark.parametrize("method", ["exact", "barnes_hut"])
def test_tsne_kl_close_to_sklearn(method):
    """The KL divergence within 5% of scikit-learn's on the same data and seed (digits, 200 images)."""
    X = load_digits(return_X_y=True)[0][:200]
    ours = TSNE(perplexity=10, method=method, random_state=42).fit(X)
    theirs = skm.TSNE(perplexity=10, method=method, random_state=42).fit(X)
    assert abs(ours.kl_divergence_ - theirs.kl_divergence_) / theirs.kl_divergence_ < 0.05
    assert ours.n_iter_ == theirs.n_iter_
    assert ours.learning_rate_ == theirs.learning_rate_
    assert trustworthiness(X, ours.embedding_, n_neighbors=5) > 0.95


@pytest.mark.slow
def test_tsne_grid_kl_close_to_sklearn(monkeypatch):
    """barnes_hut with the FFT-interpolated repulsion at every iteration (even where exact sums are cheaper)."""
    import learnflow.manifold._t_sne as t_sne

    monkeypatch.setattr(t_sne, "_EXACT_COST_RATIO", 0)
    monkeypatch.setattr(t_sne, "_DENSE_P_MAX_SAMPLES", 0)
    X = load_digits(return_X_y=True)[0][:200]
    ours = TSNE(perplexity=10, random_state=42).fit(X)
    theirs = skm.TSNE(perplexity=10, random_state=42).fit(X)
    assert abs(ours.kl_divergence_ - theirs.kl_divergence_) / theirs.kl_divergence_ < 0.05


@pytest.mark.parametrize("n_components", [1, 2])
@pytest.mark.parametrize("scale", [1e-3, 1.0, 8.0])
def test_tsne_grid_repulsion_matches_brute_force(n_components, scale):
    """The FFT-interpolated repulsion (barnes_hut) against the O(n^2) sums in numpy."""
    from learnflow.manifold._t_sne import _repulsion_interpolated

    Y = np.random.RandomState(0).normal(size=(300, n_components)) * scale
    diff = Y[:, None, :] - Y[None, :, :]
    w = 1.0 / (1.0 + (diff**2).sum(-1))
    np.fill_diagonal(w, 0.0)
    sum_q, force = w.sum(), ((w**2)[:, :, None] * diff).sum(1)
    errors = []
    for angle in (0.5, 0.25):
        z, f = _repulsion_interpolated(torch.as_tensor(Y), 1.0, 2 * angle, allow_exact=False)
        errors.append(np.linalg.norm(f.numpy() - force) / np.linalg.norm(force))
        assert float(z) == pytest.approx(sum_q, rel=1e-3)
    assert errors[0] < 2e-2 and errors[1] <= errors[0] + 1e-12


def test_trustworthiness_matches_sklearn():
    rng = np.random.RandomState(0)
    X, E = rng.normal(size=(50, 5)), rng.normal(size=(50, 2))
    assert trustworthiness(X, E, n_neighbors=5) == pytest.approx(skm.trustworthiness(X, E, n_neighbors=5))


def test_tsne_errors():
    X = np.random.RandomState(0).normal(size=(20, 3))
    with pytest.raises(ValueError, match="perplexity must be less"):
        TSNE(perplexity=30).fit(X)
    with pytest.raises(ValueError, match="init=\"pca\""):
        TSNE(metric="precomputed", perplexity=5).fit(np.abs(X @ X.T))


@pytest.mark.parametrize("device", DEVICES)
def test_tsne_torch_input_on_device(device):
    X = torch.as_tensor(load_digits(return_X_y=True)[0][:120], device=device)
    Y = TSNE(perplexity=10, max_iter=300, random_state=0).fit_transform(X)
    assert isinstance(Y, torch.Tensor) and Y.device.type == device and Y.shape == (120, 2)


@pytest.mark.slow
def test_tsne_separates_mnist_test_set(mnist_dir):
    """Exercise 10: t-SNE of the whole MNIST test set (10,000 images); a kNN on the 2-D embedding is >= 90% accurate."""
    from sklearn.model_selection import cross_val_score
    from sklearn.neighbors import KNeighborsClassifier

    from learnflow.datasets import fetch_mnist

    mnist = fetch_mnist(data_home=mnist_dir, subset="test")
    X, y = np.asarray(mnist.data, dtype=np.float64), np.asarray(mnist.target).astype(int)
    assert X.shape == (10000, 784)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    embedding = TSNE(random_state=42).fit_transform(torch.as_tensor(X, device=device))
    accuracy = cross_val_score(KNeighborsClassifier(), embedding.cpu().numpy(), y, cv=3).mean()
    assert accuracy >= 0.90


@pytest.mark.parametrize("dtype", [torch.float64, torch.float32])
def test_tsne_knn_matches_sklearn(dtype):
    """The blocked euclidean k-NN of TSNE's affinities against scikit-learn's NearestNeighbors."""
    from sklearn.neighbors import NearestNeighbors

    import learnflow.manifold._t_sne as t_sne

    X = np.random.RandomState(0).normal(size=(150, 6)) + 50.0
    distances, indices = NearestNeighbors(n_neighbors=10).fit(X).kneighbors()
    old = t_sne._KNN_BLOCK_ELEMENTS
    try:
        t_sne._KNN_BLOCK_ELEMENTS = 1000  # several blocks
        sq, idx = t_sne._squared_euclidean_knn(torch.as_tensor(X, dtype=dtype), 10)
    finally:
        t_sne._KNN_BLOCK_ELEMENTS = old
    np.testing.assert_array_equal(idx.numpy(), indices)
    np.testing.assert_allclose(sq.double().sqrt().numpy(), distances, rtol=1e-5 if dtype == torch.float32 else 1e-10)


@pytest.mark.parametrize("n_components", [1, 2])
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_tsne_grid_convolution_host_matches_torch_fft(n_components, dtype):
    """The CPU grid convolution (scipy.fft, in place) against the torch.fft one (used on GPUs) and a direct sum."""
    from learnflow.manifold._t_sne import _convolve, _convolve_torch, _kernel_spectra

    N, d = 12, n_components
    grid = torch.as_tensor(np.random.RandomState(0).uniform(size=(N,) * d), dtype=dtype)
    spectra = _kernel_spectra(N, 0.3, 1.0, d, grid, None)
    host, reference = _convolve(grid, spectra, N, d), _convolve_torch(grid, spectra, N, d)
    assert host.dtype == reference.dtype == dtype and host.shape == (d + 1,) + (N,) * d
    rtol = 1e-5 if dtype == torch.float32 else 1e-12
    np.testing.assert_allclose(host.numpy(), reference.numpy(), rtol=rtol, atol=rtol * float(reference.abs().max()))
    # phi_0(x) = sum_y w(x - y) grid(y), w(r) = 1 / (1 + |r|^2), the grid's nodes 0.3 apart
    nodes = np.stack(np.meshgrid(*[np.arange(N) * 0.3] * d, indexing="ij"), axis=-1).reshape(-1, d)
    w = 1.0 / (1.0 + ((nodes[:, None, :] - nodes[None, :, :]) ** 2).sum(-1))
    direct = (w @ grid.double().numpy().reshape(-1)).reshape((N,) * d)
    np.testing.assert_allclose(host[0].double().numpy(), direct, rtol=10 * rtol)


@pytest.mark.parametrize("dof", [1, 2])
def test_tsne_attraction_csr_matches_brute_force(dof):
    """The attractive forces by the CPU's CSR product (int32 indices) and by segment sums, against numpy."""
    from learnflow.manifold._t_sne import (
        _attraction,
        _joint_probabilities_nn,
        _squared_euclidean_knn,
        _work_affinities,
    )

    rng = np.random.RandomState(0)
    X = torch.as_tensor(rng.normal(size=(300, 5)))
    P = _joint_probabilities_nn(*_squared_euclidean_knn(X, 15), 5.0)
    Y = rng.normal(size=(300, 2)) * 4
    rows, cols, values = (t.numpy() for t in P[:3])
    diff = Y[rows] - Y[cols]
    w = (1.0 + (diff**2).sum(1) / dof) ** (-(dof + 1.0) / 2.0)
    expected = np.zeros_like(Y)
    np.add.at(expected, rows, (values * w)[:, None] * diff)
    work = _work_affinities(P, torch.float32)
    assert len(work) == 6 and work[0].dtype == torch.int32
    for affinities in (work, work, (P[0], P[1], P[2].float(), P[3])):  # (the CSR buffer is reused)
        force, w_edges = _attraction(torch.as_tensor(Y, dtype=torch.float32), affinities, dof)
        np.testing.assert_allclose(w_edges.numpy(), w, rtol=1e-5)
        np.testing.assert_allclose(force.numpy(), expected, rtol=1e-4, atol=1e-5 * np.abs(expected).max())


def test_tsne_sparse_gradient_same_with_worker_thread():
    """The barnes_hut gradient with the attraction in a worker thread equals the serial one, float32 inside."""
    from concurrent.futures import ThreadPoolExecutor

    from learnflow.manifold._t_sne import _joint_probabilities_nn, _kl_divergence_sparse, _squared_euclidean_knn

    rng = np.random.RandomState(0)
    X = torch.as_tensor(rng.normal(size=(400, 6)))
    P = _joint_probabilities_nn(*_squared_euclidean_knn(X, 20), 6.0)
    Y = torch.as_tensor(rng.normal(size=(400, 2)) * 10)
    kl, grad = _kl_divergence_sparse(Y, P, 1, True, cache={})
    with ThreadPoolExecutor(2, initializer=torch.set_num_threads, initargs=(1,)) as pool:
        kl_pool, grad_pool = _kl_divergence_sparse(Y, P, 1, True, cache={}, pool=pool)
    assert grad.dtype == grad_pool.dtype == torch.float64
    np.testing.assert_allclose(grad_pool.numpy(), grad.numpy(), rtol=1e-6, atol=1e-9)
    assert kl_pool == pytest.approx(kl, rel=1e-9)
    # and the exact KL(P || Q) of this embedding (Q from all pairs), within the grid's accuracy
    Yn = Y.numpy()
    W = 1.0 / (1.0 + ((Yn[:, None] - Yn[None]) ** 2).sum(-1))
    np.fill_diagonal(W, 0.0)
    rows, cols, values = (t.numpy() for t in P[:3])
    exact = float((values * np.log(values / (W[rows, cols] / W.sum()))).sum())
    assert kl == pytest.approx(exact, rel=1e-3)
