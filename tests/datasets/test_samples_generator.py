"""The generators against scikit-learn's on the same arguments and seed.

Every comparison is exact (assert_array_equal): both sides make the same
RandomState draws and the same numpy operations in the same order. The one
exception is make_low_rank_matrix / make_regression(effective_rank=...),
which also run a LAPACK QR and two matrix products; those are the same calls
on the same inputs, and are compared exactly too.
"""

import numpy as np
import pytest
import sklearn.datasets as skd
from hypothesis import given, settings
from hypothesis import strategies as st

import learnflow.datasets as lfd


def _assert_same(ours, theirs):
    assert type(ours) is type(theirs)
    if isinstance(ours, tuple):
        assert len(ours) == len(theirs)
        for a, b in zip(ours, theirs):
            _assert_same(a, b)
        return
    assert ours.dtype == theirs.dtype
    np.testing.assert_array_equal(ours, theirs)


def _compare(name, *args, **kwargs):
    """Same arrays as scikit-learn's, or a ValueError where it raises one."""
    try:
        theirs = getattr(skd, name)(*args, **kwargs)
    except ValueError:
        with pytest.raises(ValueError):
            getattr(lfd, name)(*args, **kwargs)
        return
    ours = getattr(lfd, name)(*args, **kwargs)
    _assert_same(ours, theirs)


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"n_samples": 7, "shuffle": False},
        {"n_samples": 200, "noise": 0.15, "random_state": 42},
        {"n_samples": (30, 11), "noise": 0.3, "random_state": 1},
        {"n_samples": 1, "random_state": 0},
    ],
)
def test_make_moons(kwargs):
    kwargs.setdefault("random_state", 0)
    _compare("make_moons", **kwargs)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"random_state": 0},
        {"n_samples": 51, "factor": 0.3, "noise": 0.05, "random_state": 3},
        {"n_samples": (10, 20), "shuffle": False, "noise": 0.1, "random_state": 2},
        {"n_samples": 9, "factor": 0.0, "random_state": 7},
    ],
)
def test_make_circles(kwargs):
    _compare("make_circles", **kwargs)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"random_state": 0},
        {"n_samples": 101, "n_features": 5, "centers": 4, "cluster_std": 0.5, "random_state": 1},
        {"n_samples": 30, "centers": [[0, 0], [5, 5], [-3, 2.5]], "random_state": 2},
        {"n_samples": [10, 20, 5], "random_state": 3, "n_features": 3},
        {"n_samples": [4, 6], "centers": [[1, 1], [2, 2]], "cluster_std": [0.1, 2.0], "random_state": 4},
        {"n_samples": 50, "centers": 3, "center_box": (0, 1), "shuffle": False, "random_state": 5},
        {"n_samples": 20, "return_centers": True, "random_state": 6},
    ],
)
def test_make_blobs(kwargs):
    _compare("make_blobs", **kwargs)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"random_state": 0},
        {"n_samples": 500, "n_features": 10, "n_informative": 3, "n_redundant": 2, "n_repeated": 3, "random_state": 1},
        {"n_samples": 300, "n_classes": 4, "n_informative": 4, "n_clusters_per_class": 1, "random_state": 2},
        {"n_samples": 120, "weights": [0.9], "flip_y": 0.0, "random_state": 3},
        {"n_samples": 120, "n_classes": 3, "n_informative": 3, "weights": np.array([0.2, 0.3]), "random_state": 4},
        {"n_samples": 120, "n_classes": 3, "n_informative": 3, "weights": [0.2, 0.3, 0.5], "random_state": 4},
        {"n_samples": 80, "hypercube": False, "class_sep": 2.0, "shift": None, "scale": None, "random_state": 5},
        {"n_samples": 80, "shuffle": False, "flip_y": 0.3, "random_state": 6},
        {"n_samples": 64, "n_features": 40, "n_informative": 35, "n_redundant": 0, "random_state": 7},
        {"n_samples": 100, "n_features": 30, "n_informative": 20, "random_state": 8},
        {"n_samples": 100, "n_features": 12, "n_informative": 7, "n_classes": 5, "random_state": 9},
        {"n_samples": 50, "n_features": 5, "shift": np.arange(5.0), "scale": np.full(5, 2.0), "random_state": 10},
    ],
)
def test_make_classification(kwargs):
    _compare("make_classification", **kwargs)


def test_make_classification_bunch():
    kw = {"n_samples": 40, "n_features": 8, "n_repeated": 1, "random_state": 0, "return_X_y": False}
    ours, theirs = lfd.make_classification(**kw), skd.make_classification(**kw)
    np.testing.assert_array_equal(ours.X, theirs.X)
    np.testing.assert_array_equal(ours.y, theirs.y)
    assert ours.feature_info == theirs.feature_info
    assert ours.parameters == theirs.parameters


@pytest.mark.parametrize(
    "kwargs",
    [
        {"random_state": 0},
        {"n_samples": 50, "n_features": 5, "n_informative": 3, "noise": 1.0, "bias": 3.5, "random_state": 1},
        {"n_samples": 40, "n_features": 6, "n_targets": 3, "coef": True, "random_state": 2},
        {"n_samples": 40, "n_features": 6, "n_informative": 10, "coef": True, "shuffle": False, "random_state": 3},
        {"n_samples": 60, "n_features": 20, "effective_rank": 5, "tail_strength": 0.2, "noise": 0.5, "random_state": 4},
        {"n_samples": 10, "n_features": 30, "effective_rank": 3, "coef": True, "random_state": 5},
    ],
)
def test_make_regression(kwargs):
    _compare("make_regression", **kwargs)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"random_state": 0},
        {"n_samples": 1000, "noise": 0.2, "random_state": 42},
        {"n_samples": 300, "hole": True, "noise": 0.1, "random_state": 1},
    ],
)
def test_make_swiss_roll(kwargs):
    _compare("make_swiss_roll", **kwargs)


def test_make_low_rank_matrix():
    _compare("make_low_rank_matrix", 30, 12, effective_rank=4, tail_strength=0.3, random_state=0)


@settings(max_examples=40, deadline=None)
@given(
    n_samples=st.integers(1, 60),
    n_extra=st.integers(0, 6),
    n_informative=st.integers(2, 4),
    n_redundant=st.integers(0, 2),
    n_classes=st.integers(2, 3),
    n_clusters=st.integers(1, 2),
    flip_y=st.floats(0, 0.5),
    hypercube=st.booleans(),
    shuffle=st.booleans(),
    seed=st.integers(0, 2**31 - 1),
)
def test_make_classification_hypothesis(
    n_samples, n_extra, n_informative, n_redundant, n_classes, n_clusters, flip_y, hypercube, shuffle, seed
):
    _compare(
        "make_classification",
        n_samples=n_samples,
        n_features=n_informative + n_redundant + n_extra,
        n_informative=n_informative,
        n_redundant=n_redundant,
        n_classes=n_classes,
        n_clusters_per_class=n_clusters,
        flip_y=flip_y,
        hypercube=hypercube,
        shuffle=shuffle,
        random_state=seed,
    )


@settings(max_examples=30, deadline=None)
@given(
    name=st.sampled_from(["make_moons", "make_circles", "make_swiss_roll"]),
    n_samples=st.integers(1, 80),
    noise=st.floats(0, 1),
    seed=st.integers(0, 2**31 - 1),
)
def test_2d_generators_hypothesis(name, n_samples, noise, seed):
    _compare(name, n_samples=n_samples, noise=noise, random_state=seed)


def test_random_state_instance_is_advanced_like_sklearn():
    ours_rng, theirs_rng = np.random.RandomState(0), np.random.RandomState(0)
    for _ in range(2):
        _assert_same(
            lfd.make_blobs(n_samples=10, random_state=ours_rng),
            skd.make_blobs(n_samples=10, random_state=theirs_rng),
        )


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: lfd.make_classification(n_features=3), "must sum to less"),
        (lambda: lfd.make_classification(n_classes=3, n_informative=2), "n_classes"),
        (lambda: lfd.make_classification(weights=[0.1, 0.2, 0.7]), "Weights"),
        (lambda: lfd.make_classification(n_samples=-1), "n_samples"),
        (lambda: lfd.make_moons(n_samples=(1, 2, 3)), "two-element"),
        (lambda: lfd.make_circles(factor=1.0), "factor"),
        (lambda: lfd.make_blobs(n_samples=[1, 2], centers=[[0, 0]]), "not consistent"),
        (lambda: lfd.make_blobs(centers=2, cluster_std=[1.0, 2.0, 3.0]), "clusters_std"),
        (lambda: lfd.make_regression(noise=-1.0), "noise"),
        (lambda: lfd.make_swiss_roll(n_samples=0), "n_samples"),
    ],
)
def test_bad_arguments(call, match):
    with pytest.raises(ValueError, match=match):
        call()
