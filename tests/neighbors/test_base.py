"""Neighbor search against scikit-learn: same neighbors, same distances, chunked or not."""

import numpy as np
import pytest
import sklearn.neighbors as skn
import torch

import learnflow.neighbors._base as base
from learnflow.neighbors import NearestNeighbors
from tests._devices import DEVICES

METRICS = [
    ("minkowski", 2),
    ("minkowski", 1),
    ("minkowski", 3),
    ("euclidean", 2),
    ("manhattan", 2),
    ("chebyshev", 2),
    ("cosine", 2),
]


@pytest.fixture
def data():
    rng = np.random.RandomState(0)
    return rng.normal(size=(200, 7)), rng.normal(size=(60, 7))


@pytest.mark.parametrize("algorithm", ["brute", "kd_tree"])
@pytest.mark.parametrize("metric,p", METRICS)
def test_kneighbors_matches_sklearn(data, metric, p, algorithm):
    X, Q = data
    ours = NearestNeighbors(n_neighbors=6, metric=metric, p=p, algorithm=algorithm).fit(X)
    theirs = skn.NearestNeighbors(n_neighbors=6, metric=metric, p=p, algorithm="brute").fit(X)
    dist, ind = ours.kneighbors(Q)
    sk_dist, sk_ind = theirs.kneighbors(Q)
    np.testing.assert_array_equal(ind, sk_ind)
    np.testing.assert_allclose(dist, sk_dist, rtol=1e-10, atol=1e-10)
    np.testing.assert_array_equal(ours.kneighbors(None, 3, return_distance=False),
                                  theirs.kneighbors(None, 3, return_distance=False))


@pytest.mark.parametrize("algorithm", ["brute", "kd_tree"])
def test_ties_go_to_the_lower_index(algorithm):
    X = np.array([[0.0], [1.0], [-1.0], [1.0], [2.0], [-1.0]])
    ours = NearestNeighbors(n_neighbors=5, algorithm=algorithm).fit(X)
    ind = ours.kneighbors([[0.0]], return_distance=False)
    np.testing.assert_array_equal(ind, [[0, 1, 2, 3, 5]])
    # scikit-learn's heap leaves the order among equal distances unspecified: same set, same distances
    sk_dist, sk_ind = skn.NearestNeighbors(n_neighbors=5, algorithm="brute").fit(X).kneighbors([[0.0]])
    assert set(sk_ind[0]) == set(ind[0])
    np.testing.assert_array_equal(ours.kneighbors([[0.0]])[0], sk_dist)


def test_auto_searches_a_kd_tree_in_low_dimensions_as_sklearn_chooses():
    """scikit-learn's "auto": a tree up to 15 features and for k < n / 2; the same answer as brute force."""
    rng = np.random.RandomState(0)
    for n_features, k, metric, expected in [(3, 10, "minkowski", "kd_tree"), (15, 10, "manhattan", "kd_tree"),
                                            (16, 10, "minkowski", "brute"), (3, 100, "minkowski", "brute"),
                                            (3, 10, "cosine", "brute")]:
        X, Q = rng.normal(size=(200, n_features)), rng.normal(size=(30, n_features))
        auto = NearestNeighbors(n_neighbors=k, metric=metric).fit(X)
        assert auto._fit_method == expected
        if expected == "kd_tree":
            assert skn.NearestNeighbors(n_neighbors=k, metric=metric).fit(X)._fit_method == "kd_tree"
        brute = NearestNeighbors(n_neighbors=k, metric=metric, algorithm="brute").fit(X)
        for a, b in zip(auto.kneighbors(Q), brute.kneighbors(Q)):
            np.testing.assert_array_equal(a, b)  # (euclidean: the distances recomputed alike, to the bit)
    threaded = NearestNeighbors(n_neighbors=4, n_jobs=2).fit(X[:, :3])
    for a, b in zip(threaded.kneighbors(), NearestNeighbors(n_neighbors=4, algorithm="brute").fit(X[:, :3]).kneighbors()):
        np.testing.assert_array_equal(a, b)


def test_chunked_search_equals_one_block(data, monkeypatch):
    X, Q = data
    expected = NearestNeighbors(n_neighbors=4, algorithm="brute").fit(X).kneighbors(Q)
    monkeypatch.setattr(base, "_WORKING_MEMORY", 200 * 8 * 7)  # 7 queries per chunk
    nn = NearestNeighbors(n_neighbors=4, algorithm="brute").fit(X)
    assert len(nn._index.chunks(len(Q))) == 9
    for a, b in zip(nn.kneighbors(Q), expected):
        np.testing.assert_array_equal(a, b)


def test_mnist_sized_chunks_stay_under_the_budget():
    index = base._Index(torch.zeros(8000, 784, dtype=torch.float64), "minkowski", 2)
    rows = index.chunks(10_000)
    assert max(r.stop - r.start for r in rows) * 8000 * 8 <= base._WORKING_MEMORY < 2**30


@pytest.mark.parametrize("mode", ["connectivity", "distance"])
def test_kneighbors_graph(data, mode):
    X, Q = data
    ours = NearestNeighbors(n_neighbors=3).fit(X).kneighbors_graph(Q, mode=mode)
    theirs = skn.NearestNeighbors(n_neighbors=3).fit(X).kneighbors_graph(Q, mode=mode)
    np.testing.assert_allclose(ours.toarray(), theirs.toarray(), rtol=1e-10)


@pytest.mark.parametrize("sort_results", [False, True])
def test_radius_neighbors(data, sort_results):
    X, Q = data
    ours = NearestNeighbors(radius=2.5).fit(X).radius_neighbors(Q, sort_results=sort_results)
    theirs = skn.NearestNeighbors(radius=2.5, algorithm="brute").fit(X).radius_neighbors(Q, sort_results=sort_results)
    for (d, i), (sd, si) in zip(zip(*ours), zip(*theirs)):
        order, sk_order = np.argsort(i), np.argsort(si)
        np.testing.assert_array_equal(i[order], si[sk_order])
        np.testing.assert_allclose(d[order], sd[sk_order], rtol=1e-10)
        if sort_results:
            np.testing.assert_array_equal(i, si)


def test_too_many_neighbors_raises(data):
    X, _ = data
    with pytest.raises(ValueError, match="Expected n_neighbors <= n_samples_fit"):
        NearestNeighbors(n_neighbors=201).fit(X).kneighbors(X)


@pytest.mark.parametrize("device", DEVICES)
def test_torch_input_stays_on_its_device(data, device):
    X, Q = data
    Xt, Qt = torch.as_tensor(X, device=device), torch.as_tensor(Q, device=device)
    dist, ind = NearestNeighbors(n_neighbors=3).fit(Xt).kneighbors(Qt)
    assert dist.device.type == device and ind.device.type == device
    np.testing.assert_array_equal(ind.cpu().numpy(), skn.NearestNeighbors(n_neighbors=3).fit(X).kneighbors(Q)[1])


def _float64_only(monkeypatch):
    monkeypatch.setattr(base._Index, "screen", lambda self: None)


def _brute_force(X, Q, k):
    # the oracle: every distance from the differences, ordered by distance then index
    dist = np.sqrt(((Q[:, None, :] - X[None, :, :]) ** 2).sum(axis=2))
    order = np.array([np.lexsort((np.arange(len(X)), row))[:k] for row in dist])
    return np.take_along_axis(dist, order, axis=1), order


@pytest.mark.parametrize("offset", [0.0, 1e6])
def test_float32_screen_gives_the_float64_answer(offset, monkeypatch):
    # integer pixels (as MNIST), exact duplicates and a far offset: the screened search, the
    # plain float64 search and a brute-force oracle agree (equal distances go to the lower index)
    rng = np.random.RandomState(0)
    X = rng.randint(0, 17, size=(400, 64)).astype(np.float64) + offset
    X[200:220] = X[:20]
    Q = np.vstack([X[:30], rng.randint(0, 17, size=(50, 64)) + offset])
    nn = NearestNeighbors(n_neighbors=7).fit(X)
    assert nn._index.screen() is not None
    screened = nn.kneighbors(Q)
    oracle = _brute_force(X, Q, 7)
    _float64_only(monkeypatch)
    plain = NearestNeighbors(n_neighbors=7).fit(X).kneighbors(Q)
    for found in (screened, plain):
        np.testing.assert_array_equal(found[1], oracle[1])
        np.testing.assert_allclose(found[0], oracle[0], rtol=1e-12, atol=1e-12)
    if not offset:
        sk_dist, sk_ind = skn.NearestNeighbors(n_neighbors=7, algorithm="brute").fit(X).kneighbors(Q)
        np.testing.assert_allclose(screened[0], sk_dist, rtol=1e-10, atol=1e-6)
        # scikit-learn's order among equal distances is unspecified: compare the neighbor sets
        assert np.mean([set(a) == set(b) for a, b in zip(screened[1], sk_ind)]) > 0.9


def test_unproven_queries_are_searched_again_in_float64(data, monkeypatch):
    X, Q = data
    oracle = _brute_force(X, Q, 5)
    calls = []
    original = base._float64_kneighbors
    monkeypatch.setattr(base, "_float64_kneighbors", lambda *a: calls.append(a[1].shape[0]) or original(*a))
    for every, n_redone in [(1, len(Q)), (2, len(Q) // 2)]:
        # no proof for every `every`-th query: those (and only those) are searched again
        monkeypatch.setattr(base._Screen, "bound", lambda self, q_norm, every=every: torch.where(
            torch.arange(len(q_norm)) % every == 0, np.inf, 0.0).to(q_norm.dtype))
        calls.clear()
        found = NearestNeighbors(n_neighbors=5, algorithm="brute").fit(X).kneighbors(Q)
        assert calls == [n_redone]
        np.testing.assert_array_equal(found[1], oracle[1])
        np.testing.assert_allclose(found[0], oracle[0], rtol=1e-12, atol=1e-12)


def test_screen_is_skipped_where_float32_cannot_hold_the_data():
    assert base._Screen.build(torch.tensor([[0.0, 1e300], [1.0, -1e300]])) is None
    assert base._Screen.build(torch.zeros(5, 3, dtype=torch.float32)) is None
    assert base._Screen.build(torch.zeros(5, 3, dtype=torch.float64)) is not None


@pytest.mark.parametrize("algorithm", ["kd_tree", "brute"])
def test_saved_model_answers_as_the_fitted_one(tmp_path, algorithm):
    """learnflow's model format stores no KD-tree (no foreign objects): loading rebuilds it."""
    import learnflow

    rng = np.random.RandomState(0)
    X, Q = rng.normal(size=(200, 3)), rng.normal(size=(20, 3))
    nn = NearestNeighbors(n_neighbors=4, algorithm=algorithm, leaf_size=7).fit(X)
    learnflow.save(nn, tmp_path / "nn.lfm")
    restored = learnflow.load(tmp_path / "nn.lfm")
    assert restored._fit_method == nn._fit_method == algorithm
    assert (restored._index.tree is None) == (algorithm == "brute")
    for a, b in zip(restored.kneighbors(Q), nn.kneighbors(Q)):
        np.testing.assert_array_equal(a, b)
