"""Synthetic data generators with scikit-learn's signatures and random streams.

Each generator draws from a ``numpy.random.RandomState`` in exactly the order
scikit-learn's generator of the same name does, so the same arguments and
``random_state`` give the same arrays. They return numpy arrays, as
scikit-learn's do (these are data sources, not computations).
"""

# SPDX-License-Identifier: BSD-3-Clause

import numbers
from collections.abc import Iterable

import numpy as np
from scipy import linalg

from ..utils import Bunch, check_random_state
from ..utils.random import sample_without_replacement

__all__ = [
    "make_blobs",
    "make_circles",
    "make_classification",
    "make_low_rank_matrix",
    "make_moons",
    "make_regression",
    "make_swiss_roll",
]


# --------------------------------------------------------------------------
# argument checks and shared helpers


def _check_int(func, name, value, low, high=None):
    """Raise a ValueError unless ``value`` is an int in ``[low, high]``."""
    ok = isinstance(value, numbers.Integral) and not isinstance(value, bool)
    if ok and value >= low and (high is None or value <= high):
        return
    upper = "inf)" if high is None else f"{high}]"
    raise ValueError(
        f"The '{name}' parameter of {func} must be an int in the range "
        f"[{low}, {upper}. Got {value!r} instead."
    )


def _check_real(func, name, value, low=None, high=None, *, low_open=False, high_open=False):
    """Raise a ValueError unless ``value`` is a real number in the given interval."""
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool)
    if ok and low is not None:
        ok = value > low if low_open else value >= low
    if ok and high is not None:
        ok = value < high if high_open else value <= high
    if ok:
        return
    left = "(" if low_open or low is None else "["
    right = ")" if high_open or high is None else "]"
    lo = "-inf" if low is None else low
    hi = "inf" if high is None else high
    raise ValueError(
        f"The '{name}' parameter of {func} must be a float in the range "
        f"{left}{lo}, {hi}{right}. Got {value!r} instead."
    )


def _shuffle_rows(rng, *arrays):
    """Permute the rows of ``arrays`` together (one ``rng.shuffle`` of an index)."""
    indices = np.arange(arrays[0].shape[0])
    rng.shuffle(indices)
    return tuple(a[indices] for a in arrays)


def _generate_hypercube(samples, dimensions, rng):
    """``samples`` distinct vertices of the ``dimensions``-dimensional unit hypercube."""
    if dimensions > 30:
        return np.hstack(
            [
                rng.randint(2, size=(samples, dimensions - 30)),
                _generate_hypercube(samples, 30, rng),
            ]
        )
    codes = sample_without_replacement(2**dimensions, samples, rng)
    shifts = np.arange(dimensions - 1, -1, -1)
    # Most significant bit first, as numpy.unpackbits of the big-endian codes.
    return ((codes[:, None] >> shifts) & 1).astype(np.uint8)


# --------------------------------------------------------------------------
# classification


def make_classification(
    n_samples=100,
    n_features=20,
    *,
    n_informative=2,
    n_redundant=2,
    n_repeated=0,
    n_classes=2,
    n_clusters_per_class=2,
    weights=None,
    flip_y=0.01,
    class_sep=1.0,
    hypercube=True,
    shift=0.0,
    scale=1.0,
    shuffle=True,
    random_state=None,
    return_X_y=True,
):
    """Generate a random n-class classification problem (scikit-learn's generator).

    Gaussian clusters (``n_clusters_per_class`` per class) are placed on the
    vertices of a hypercube of side ``2 * class_sep`` in the space of the
    ``n_informative`` features, given a random covariance each; redundant
    features are random linear combinations of the informative ones, repeated
    features copies, and the rest noise.

    Parameters
    ----------
    n_samples : int, default=100
        The number of samples.
    n_features : int, default=20
        The total number of features.
    n_informative : int, default=2
        The number of informative features.
    n_redundant : int, default=2
        The number of redundant features (linear combinations of informative ones).
    n_repeated : int, default=0
        The number of duplicated features, drawn from the informative and redundant ones.
    n_classes : int, default=2
        The number of classes.
    n_clusters_per_class : int, default=2
        The number of clusters per class.
    weights : array-like of shape (n_classes,) or (n_classes - 1,), default=None
        The proportion of samples of each class (the last is inferred if omitted).
    flip_y : float, default=0.01
        The fraction of samples whose class is replaced by a random one.
    class_sep : float, default=1.0
        Half the side of the hypercube: larger values spread the clusters.
    hypercube : bool, default=True
        If False, the clusters are put on the vertices of a random polytope.
    shift : float, ndarray of shape (n_features,) or None, default=0.0
        Added to the features; None draws it uniformly in ``[-class_sep, class_sep]``.
    scale : float, ndarray of shape (n_features,) or None, default=1.0
        Multiplies the features after the shift; None draws it in ``[1, 101]``.
    shuffle : bool, default=True
        Shuffle the samples and the features.
    random_state : int, RandomState instance or None, default=None
        Seed of the random stream.
    return_X_y : bool, default=True
        If False, return a Bunch with ``X``, ``y``, ``feature_info``,
        ``parameters`` and ``DESCR``.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
        The samples.
    y : ndarray of shape (n_samples,)
        The integer class of each sample.

    Examples
    --------
    >>> from learnflow.datasets import make_classification
    >>> X, y = make_classification(n_samples=6, n_features=4, random_state=0)
    >>> X.shape, y.tolist()
    ((6, 4), [0, 1, 1, 1, 0, 0])
    """
    func = "make_classification"
    _check_int(func, "n_samples", n_samples, 1)
    _check_int(func, "n_features", n_features, 1)
    _check_int(func, "n_informative", n_informative, 1)
    _check_int(func, "n_redundant", n_redundant, 0)
    _check_int(func, "n_repeated", n_repeated, 0)
    _check_int(func, "n_classes", n_classes, 1)
    _check_int(func, "n_clusters_per_class", n_clusters_per_class, 1)
    _check_real(func, "flip_y", flip_y, 0, 1)
    _check_real(func, "class_sep", class_sep, 0)
    generator = check_random_state(random_state)

    if n_informative + n_redundant + n_repeated > n_features:
        raise ValueError(
            "Number of informative, redundant and repeated features must sum to "
            "less than the number of total features"
        )
    # log2 avoids computing 2 ** n_informative for large n_informative.
    if n_informative < np.log2(n_classes * n_clusters_per_class):
        raise ValueError(
            f"n_classes({n_classes}) * n_clusters_per_class({n_clusters_per_class}) "
            f"must be smaller or equal 2**n_informative({n_informative})="
            f"{2**n_informative}"
        )

    if weights is not None:
        if len(weights) not in (n_classes, n_classes - 1):
            raise ValueError("Weights specified but incompatible with number of classes.")
        if len(weights) == n_classes - 1:
            if isinstance(weights, list):
                weights_ = weights + [1.0 - sum(weights)]
            else:
                weights_ = np.resize(weights, n_classes)
                weights_[-1] = 1.0 - sum(weights_[:-1])
        else:
            weights_ = list(weights)
    else:
        weights_ = [1.0 / n_classes] * n_classes

    n_random = n_features - n_informative - n_redundant - n_repeated
    n_clusters = n_classes * n_clusters_per_class

    # Samples per cluster by class weight; the remainder goes round-robin.
    n_samples_per_cluster = [
        int(n_samples * weights_[k % n_classes] / n_clusters_per_class)
        for k in range(n_clusters)
    ]
    for i in range(n_samples - sum(n_samples_per_cluster)):
        n_samples_per_cluster[i % n_clusters] += 1

    X = np.zeros((n_samples, n_features))
    y = np.zeros(n_samples, dtype=int)

    centroids = _generate_hypercube(n_clusters, n_informative, generator).astype(float)
    centroids *= 2 * class_sep
    centroids -= class_sep
    if not hypercube:
        centroids *= generator.uniform(size=(n_clusters, 1))
        centroids *= generator.uniform(size=(1, n_informative))

    X[:, :n_informative] = generator.standard_normal(size=(n_samples, n_informative))

    stop = 0
    for k, centroid in enumerate(centroids):
        start, stop = stop, stop + n_samples_per_cluster[k]
        y[start:stop] = k % n_classes
        X_k = X[start:stop, :n_informative]  # a view: edited in place
        A = 2 * generator.uniform(size=(n_informative, n_informative)) - 1
        X_k[...] = np.dot(X_k, A)
        X_k += centroid

    if n_redundant > 0:
        B = 2 * generator.uniform(size=(n_informative, n_redundant)) - 1
        X[:, n_informative : n_informative + n_redundant] = np.dot(X[:, :n_informative], B)

    n = n_informative + n_redundant
    if n_repeated > 0:
        indices = ((n - 1) * generator.uniform(size=n_repeated) + 0.5).astype(np.intp)
        X[:, n : n + n_repeated] = X[:, indices]

    if n_random > 0:
        X[:, -n_random:] = generator.standard_normal(size=(n_samples, n_random))

    # The flip draw always happens (flip_y >= 0), which keeps the stream aligned.
    flip_mask = generator.uniform(size=n_samples) < flip_y
    y[flip_mask] = generator.randint(n_classes, size=flip_mask.sum())

    if shift is None:
        shift = (2 * generator.uniform(size=n_features) - 1) * class_sep
    X += shift
    if scale is None:
        scale = 1 + 100 * generator.uniform(size=n_features)
    X *= scale

    indices = np.arange(n_features)
    if shuffle:
        X, y = _shuffle_rows(generator, X, y)
        generator.shuffle(indices)
        X[:, :] = X[:, indices]

    if return_X_y:
        return X, y

    feature_info = ["random"] * n_features
    for i, index in enumerate(indices):
        if index < n_informative:
            feature_info[i] = "informative"
        elif index < n:
            feature_info[i] = "redundant"
        elif index < n + n_repeated:
            feature_info[i] = "repeated"
    parameters = {
        "n_samples": n_samples,
        "n_features": n_features,
        "n_informative": n_informative,
        "n_redundant": n_redundant,
        "n_repeated": n_repeated,
        "n_classes": n_classes,
        "n_clusters_per_class": n_clusters_per_class,
        "weights": weights,
        "flip_y": flip_y,
        "class_sep": class_sep,
        "hypercube": hypercube,
        "shift": shift,
        "scale": scale,
        "shuffle": shuffle,
        "random_state": random_state,
        "return_X_y": return_X_y,
    }
    return Bunch(
        DESCR=make_classification.__doc__,
        parameters=parameters,
        feature_info=feature_info,
        X=X,
        y=y,
    )


def _two_sizes(func, n_samples):
    """Split ``n_samples`` (an int or a pair) into (outer, inner) counts."""
    if isinstance(n_samples, numbers.Integral) and not isinstance(n_samples, bool):
        _check_int(func, "n_samples", n_samples, 0)
        n_out = n_samples // 2
        return n_out, n_samples - n_out
    try:
        n_out, n_in = n_samples
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"The 'n_samples' parameter of {func} must be an int or a two-element "
            f"tuple. Got {n_samples!r} instead."
        ) from exc
    return n_out, n_in


def make_circles(n_samples=100, *, shuffle=True, noise=None, random_state=None, factor=0.8):
    """Make a large circle containing a smaller circle in 2-D.

    Parameters
    ----------
    n_samples : int or tuple of shape (2,), default=100
        The total number of points (split evenly, the inner circle getting the
        odd one), or the numbers on the outer and inner circles.
    shuffle : bool, default=True
        Whether to shuffle the samples.
    noise : float, default=None
        Standard deviation of Gaussian noise added to the data.
    random_state : int, RandomState instance or None, default=None
        Seed of the random stream.
    factor : float, default=0.8
        Scale factor between the inner and the outer circle, in ``[0, 1)``.

    Returns
    -------
    X : ndarray of shape (n_samples, 2)
        The samples.
    y : ndarray of shape (n_samples,)
        The label (0 outer, 1 inner) of each sample.

    Examples
    --------
    >>> from learnflow.datasets import make_circles
    >>> X, y = make_circles(n_samples=8, shuffle=False)
    >>> X.shape, y.tolist()
    ((8, 2), [0, 0, 0, 0, 1, 1, 1, 1])
    """
    func = "make_circles"
    n_out, n_in = _two_sizes(func, n_samples)
    _check_real(func, "factor", factor, 0, 1, high_open=True)
    if noise is not None:
        _check_real(func, "noise", noise, 0)
    generator = check_random_state(random_state)
    # endpoint=False so that the first point is not repeated as the last
    linspace_out = np.linspace(0, 2 * np.pi, n_out, endpoint=False)
    linspace_in = np.linspace(0, 2 * np.pi, n_in, endpoint=False)
    X = np.vstack(
        [
            np.append(np.cos(linspace_out), np.cos(linspace_in) * factor),
            np.append(np.sin(linspace_out), np.sin(linspace_in) * factor),
        ]
    ).T
    y = np.hstack([np.zeros(n_out, dtype=np.intp), np.ones(n_in, dtype=np.intp)])
    if shuffle:
        X, y = _shuffle_rows(generator, X, y)
    if noise is not None:
        X += generator.normal(scale=noise, size=X.shape)
    return X, y


def make_moons(n_samples=100, *, shuffle=True, noise=None, random_state=None):
    """Make two interleaving half circles (the book's moons dataset).

    Parameters
    ----------
    n_samples : int or tuple of shape (2,), default=100
        The total number of points, or the numbers in the two moons.
    shuffle : bool, default=True
        Whether to shuffle the samples.
    noise : float, default=None
        Standard deviation of Gaussian noise added to the data.
    random_state : int, RandomState instance or None, default=None
        Seed of the random stream.

    Returns
    -------
    X : ndarray of shape (n_samples, 2)
        The samples.
    y : ndarray of shape (n_samples,)
        The moon (0 or 1) of each sample.

    Examples
    --------
    >>> from learnflow.datasets import make_moons
    >>> X, y = make_moons(n_samples=100, noise=0.15, random_state=42)
    >>> X.shape, int(y.sum())
    ((100, 2), 50)
    """
    func = "make_moons"
    n_out, n_in = _two_sizes(func, n_samples)
    if noise is not None:
        _check_real(func, "noise", noise, 0)
    generator = check_random_state(random_state)
    outer_x = np.cos(np.linspace(0, np.pi, n_out))
    outer_y = np.sin(np.linspace(0, np.pi, n_out))
    inner_x = 1 - np.cos(np.linspace(0, np.pi, n_in))
    inner_y = 1 - np.sin(np.linspace(0, np.pi, n_in)) - 0.5
    X = np.vstack([np.append(outer_x, inner_x), np.append(outer_y, inner_y)]).T
    y = np.hstack([np.zeros(n_out, dtype=np.intp), np.ones(n_in, dtype=np.intp)])
    if shuffle:
        X, y = _shuffle_rows(generator, X, y)
    if noise is not None:
        X += generator.normal(scale=noise, size=X.shape)
    return X, y


def _as_centers(centers):
    centers = np.asarray(centers, dtype=np.float64)
    if centers.ndim != 2:
        raise ValueError(
            f"centers must be a 2-D array of shape (n_centers, n_features); "
            f"got an array of shape {centers.shape}."
        )
    if not np.isfinite(centers).all():
        raise ValueError("centers contains NaN or infinity.")
    return centers


def make_blobs(
    n_samples=100,
    n_features=2,
    *,
    centers=None,
    cluster_std=1.0,
    center_box=(-10.0, 10.0),
    shuffle=True,
    random_state=None,
    return_centers=False,
):
    """Generate isotropic Gaussian blobs for clustering.

    Parameters
    ----------
    n_samples : int or array-like, default=100
        The total number of points split evenly among the clusters, or the
        number of points of each cluster.
    n_features : int, default=2
        The number of features (ignored when ``centers`` is an array).
    centers : int or array-like of shape (n_centers, n_features), default=None
        The number of centers to draw in ``center_box``, or their locations.
        None means 3 centers (or one per entry of an array-like ``n_samples``).
    cluster_std : float or array-like of float, default=1.0
        The standard deviation of the clusters.
    center_box : tuple of float (min, max), default=(-10.0, 10.0)
        The bounding box of the randomly drawn centers.
    shuffle : bool, default=True
        Shuffle the samples.
    random_state : int, RandomState instance or None, default=None
        Seed of the random stream.
    return_centers : bool, default=False
        Also return the centers.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
        The samples.
    y : ndarray of shape (n_samples,)
        The cluster of each sample.
    centers : ndarray of shape (n_centers, n_features)
        The centers, if ``return_centers`` is True.

    Examples
    --------
    >>> from learnflow.datasets import make_blobs
    >>> X, y = make_blobs(n_samples=10, centers=3, n_features=2, random_state=0)
    >>> X.shape, sorted(y.tolist())
    ((10, 2), [0, 0, 0, 0, 1, 1, 1, 2, 2, 2])
    """
    func = "make_blobs"
    _check_int(func, "n_features", n_features, 1)
    generator = check_random_state(random_state)

    if isinstance(n_samples, numbers.Integral) and not isinstance(n_samples, bool):
        _check_int(func, "n_samples", n_samples, 1)
        if centers is None:
            centers = 3
        if isinstance(centers, numbers.Integral):
            _check_int(func, "centers", centers, 1)
            n_centers = centers
            centers = generator.uniform(center_box[0], center_box[1], size=(n_centers, n_features))
        else:
            centers = _as_centers(centers)
            n_features = centers.shape[1]
            n_centers = centers.shape[0]
    else:
        if not isinstance(n_samples, Iterable):
            raise ValueError(
                f"The 'n_samples' parameter of {func} must be an int or an "
                f"array-like. Got {n_samples!r} instead."
            )
        n_centers = len(n_samples)
        if centers is None:
            centers = generator.uniform(center_box[0], center_box[1], size=(n_centers, n_features))
        if not isinstance(centers, Iterable):
            raise ValueError(f"Parameter `centers` must be array-like. Got {centers!r} instead")
        if len(centers) != n_centers:
            raise ValueError(
                "Length of `n_samples` not consistent with number of centers. "
                f"Got n_samples = {n_samples} and centers = {centers}"
            )
        centers = _as_centers(centers)
        n_features = centers.shape[1]

    if hasattr(cluster_std, "__len__") and len(cluster_std) != n_centers:
        raise ValueError(
            "Length of `clusters_std` not consistent with number of centers. "
            f"Got centers = {centers} and cluster_std = {cluster_std}"
        )
    if isinstance(cluster_std, numbers.Real):
        cluster_std = np.full(len(centers), cluster_std)

    if isinstance(n_samples, Iterable):
        n_samples_per_center = list(n_samples)
    else:
        n_samples_per_center = [int(n_samples // n_centers)] * n_centers
        for i in range(n_samples % n_centers):
            n_samples_per_center[i] += 1

    total = sum(n_samples_per_center)
    X = np.empty((total, n_features), dtype=np.float64)
    y = np.empty((total,), dtype=int)
    start = 0
    for i, (n, std) in enumerate(zip(n_samples_per_center, cluster_std)):
        X[start : start + n] = generator.normal(loc=centers[i], scale=std, size=(n, n_features))
        y[start : start + n] = i
        start += n

    if shuffle:
        X, y = _shuffle_rows(generator, X, y)
    if return_centers:
        return X, y, centers
    return X, y


# --------------------------------------------------------------------------
# regression and manifolds


def make_low_rank_matrix(
    n_samples=100, n_features=100, *, effective_rank=10, tail_strength=0.5, random_state=None
):
    """Generate a mostly low-rank matrix with bell-shaped singular values.

    Parameters
    ----------
    n_samples : int, default=100
        The number of rows.
    n_features : int, default=100
        The number of columns.
    effective_rank : int, default=10
        The approximate number of singular vectors needed to explain most of the data.
    tail_strength : float, default=0.5
        The relative importance of the fat noisy tail of the singular values, in ``[0, 1]``.
    random_state : int, RandomState instance or None, default=None
        Seed of the random stream.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
        The matrix.

    Examples
    --------
    >>> from learnflow.datasets import make_low_rank_matrix
    >>> make_low_rank_matrix(5, 4, effective_rank=2, random_state=0).shape
    (5, 4)
    """
    func = "make_low_rank_matrix"
    _check_int(func, "n_samples", n_samples, 1)
    _check_int(func, "n_features", n_features, 1)
    _check_int(func, "effective_rank", effective_rank, 1)
    _check_real(func, "tail_strength", tail_strength, 0, 1)
    generator = check_random_state(random_state)
    n = min(n_samples, n_features)
    # random orthonormal bases
    u, _ = linalg.qr(generator.standard_normal(size=(n_samples, n)), mode="economic", check_finite=False)
    v, _ = linalg.qr(generator.standard_normal(size=(n_features, n)), mode="economic", check_finite=False)
    singular_ind = np.arange(n, dtype=np.float64)
    low_rank = (1 - tail_strength) * np.exp(-1.0 * (singular_ind / effective_rank) ** 2)
    tail = tail_strength * np.exp(-0.1 * singular_ind / effective_rank)
    s = np.identity(n) * (low_rank + tail)
    return np.dot(np.dot(u, s), v.T)


def make_regression(
    n_samples=100,
    n_features=100,
    *,
    n_informative=10,
    n_targets=1,
    bias=0.0,
    effective_rank=None,
    tail_strength=0.5,
    noise=0.0,
    shuffle=True,
    coef=False,
    random_state=None,
):
    """Generate a random linear regression problem.

    Parameters
    ----------
    n_samples : int, default=100
        The number of samples.
    n_features : int, default=100
        The number of features.
    n_informative : int, default=10
        The number of features with a nonzero coefficient.
    n_targets : int, default=1
        The number of regression targets.
    bias : float, default=0.0
        The intercept.
    effective_rank : int, default=None
        None draws well-conditioned standard-normal inputs; an int draws them
        with :func:`make_low_rank_matrix` of that effective rank.
    tail_strength : float, default=0.5
        The fat-tail weight of the singular values when ``effective_rank`` is set.
    noise : float, default=0.0
        Standard deviation of the Gaussian noise added to the targets.
    shuffle : bool, default=True
        Shuffle the samples and the features.
    coef : bool, default=False
        Also return the coefficients of the underlying linear model.
    random_state : int, RandomState instance or None, default=None
        Seed of the random stream.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
        The inputs.
    y : ndarray of shape (n_samples,) or (n_samples, n_targets)
        The targets.
    coef : ndarray of shape (n_features,) or (n_features, n_targets)
        The coefficients, if ``coef`` is True.

    Examples
    --------
    >>> from learnflow.datasets import make_regression
    >>> X, y, w = make_regression(n_samples=5, n_features=3, n_informative=1, coef=True, random_state=0)
    >>> X.shape, y.shape, int((w != 0).sum())
    ((5, 3), (5,), 1)
    """
    func = "make_regression"
    _check_int(func, "n_samples", n_samples, 1)
    _check_int(func, "n_features", n_features, 1)
    _check_int(func, "n_informative", n_informative, 0)
    _check_int(func, "n_targets", n_targets, 1)
    _check_real(func, "bias", bias)
    _check_real(func, "tail_strength", tail_strength, 0, 1)
    _check_real(func, "noise", noise, 0)
    if effective_rank is not None:
        _check_int(func, "effective_rank", effective_rank, 1)
    n_informative = min(n_features, n_informative)
    generator = check_random_state(random_state)

    if effective_rank is None:
        X = generator.standard_normal(size=(n_samples, n_features))
    else:
        X = make_low_rank_matrix(
            n_samples=n_samples,
            n_features=n_features,
            effective_rank=effective_rank,
            tail_strength=tail_strength,
            random_state=generator,
        )

    # Only the first n_informative features carry signal.
    ground_truth = np.zeros((n_features, n_targets))
    ground_truth[:n_informative, :] = 100 * generator.uniform(size=(n_informative, n_targets))
    y = np.dot(X, ground_truth) + bias
    if noise > 0.0:
        y += generator.normal(scale=noise, size=y.shape)

    if shuffle:
        X, y = _shuffle_rows(generator, X, y)
        indices = np.arange(n_features)
        generator.shuffle(indices)
        X[:, :] = X[:, indices]
        ground_truth = ground_truth[indices]

    y = np.squeeze(y)
    if coef:
        return X, y, np.squeeze(ground_truth)
    return X, y


def make_swiss_roll(n_samples=100, *, noise=0.0, random_state=None, hole=False):
    """Generate a swiss roll dataset (Chapter 8's manifold).

    Parameters
    ----------
    n_samples : int, default=100
        The number of points on the roll.
    noise : float, default=0.0
        Standard deviation of the Gaussian noise.
    random_state : int, RandomState instance or None, default=None
        Seed of the random stream.
    hole : bool, default=False
        Leave a rectangular hole in the middle of the roll.

    Returns
    -------
    X : ndarray of shape (n_samples, 3)
        The points.
    t : ndarray of shape (n_samples,)
        The univariate position of each point along the main dimension.

    Examples
    --------
    >>> from learnflow.datasets import make_swiss_roll
    >>> X, t = make_swiss_roll(n_samples=1000, noise=0.2, random_state=42)
    >>> X.shape, t.shape
    ((1000, 3), (1000,))
    """
    func = "make_swiss_roll"
    _check_int(func, "n_samples", n_samples, 1)
    _check_real(func, "noise", noise, 0)
    generator = check_random_state(random_state)
    if not hole:
        t = 1.5 * np.pi * (1 + 2 * generator.uniform(size=n_samples))
        y = 21 * generator.uniform(size=n_samples)
    else:
        # 3 x 3 grid of (t, height) patches, the centre one removed
        corners = np.array([[np.pi * (1.5 + i), j * 7] for i in range(3) for j in range(3)])
        corners = np.delete(corners, 4, axis=0)
        corner_index = generator.choice(8, n_samples)
        parameters = generator.uniform(size=(2, n_samples)) * np.array([[np.pi], [7]])
        t, y = corners[corner_index].T + parameters
    x = t * np.cos(t)
    z = t * np.sin(t)
    X = np.vstack((x, y, z))
    X += noise * generator.standard_normal(size=(3, n_samples))
    return X.T, np.squeeze(t)
