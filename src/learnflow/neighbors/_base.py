"""Neighbor search: brute force on torch in memory-bounded chunks of queries, scipy's KD-tree in low dimensions.

The brute-force search computes the distances from a chunk of queries to all
the training points, then ``torch.topk``. A chunk holds at most
``_WORKING_MEMORY`` bytes of distances, so the whole MNIST test set never
needs more than that at once. It serves ``algorithm="brute"``, the GPU,
and "auto" in more than ``_TREE_MAX_FEATURES`` dimensions (scikit-learn's
rule). Otherwise the k nearest neighbors of CPU points under a Minkowski
metric come from ``scipy.spatial.cKDTree`` ("kd_tree", "ball_tree" and
"auto"): for the 3-D Swiss roll of 1,000 points it takes about a tenth of the
brute-force search's time.

Euclidean float64 searches on the CPU shortlist candidates with a float32 GEMM
(twice as fast) and keep the float64 answer: the shortlist's exact distances
plus a proven bound on the float32 rounding show that no other point can be
nearer (see :class:`_Screen`); queries without that proof are searched again in
float64. The chosen neighbors' distances are always recomputed from the
differences (no cancellation), and equal distances go to the lower index.
"""

# SPDX-License-Identifier: BSD-3-Clause

import warnings
from numbers import Integral, Real

import numpy as np
import torch

from .._engine import is_torch, on_host_blas, to_numpy, to_output, to_tensor
from ..base import BaseEstimator, MultiOutputMixin
from ..exceptions import DataConversionWarning
from ..utils._param_validation import Interval, StrOptions
from ..utils.validation import check_is_fitted, validate_data

__all__ = ["KNeighborsMixin", "NeighborsBase"]

# Bytes of distances one chunk of queries may hold (256 MiB).
_WORKING_MEMORY = 256 * 2**20

# "auto" searches a KD-tree up to this many features (scikit-learn's rule), brute force beyond.
_TREE_MAX_FEATURES = 15

VALID_METRICS = {"minkowski", "euclidean", "l2", "manhattan", "cityblock", "l1", "chebyshev", "infinity", "cosine"}


# --------------------------------------------------------------------------
# Distances
# --------------------------------------------------------------------------


def _euclidean_ranking(Q, X, X_sq):
    # ||q - x||^2 = ||q||^2 + (||x||^2 - 2 q.x): the bracket ranks the points of each query
    # (||q||^2 is constant per row), one fused matmul
    return torch.addmm(X_sq[None, :], Q, X.T, alpha=-2.0)


def _squared_euclidean(Q, X, X_sq):
    # ||q - x||^2 = ||q||^2 - 2 q.x + ||x||^2, clamped at 0 (cancellation)
    return _euclidean_ranking(Q, X, X_sq).add_((Q * Q).sum(dim=1, keepdim=True)).clamp_min_(0)


def _unit_rows(A):
    norms = torch.linalg.vector_norm(A, dim=1, keepdim=True)
    return A / torch.where(norms == 0, torch.ones_like(norms), norms)


def _cosine(Q, X, X_unit):
    # d(q, x) = 1 - q.x / (||q|| ||x||)
    return 1.0 - _unit_rows(Q) @ X_unit.T


_EFFECTIVE_NAMES = {
    ("euclidean", 2.0): "euclidean",
    ("minkowski", 1.0): "manhattan",
    ("minkowski", float("inf")): "chebyshev",
}


def _resolve_metric(metric, p):
    """("euclidean" | "cosine" | "minkowski", p) for a metric name and its p."""
    if metric in ("euclidean", "l2") or (metric == "minkowski" and p == 2):
        return "euclidean", 2.0
    if metric in ("manhattan", "cityblock", "l1"):
        return "minkowski", 1.0
    if metric in ("chebyshev", "infinity"):
        return "minkowski", float("inf")
    if metric == "cosine":
        return "cosine", None
    return "minkowski", float(p)


class _Index:
    """The training points of a fitted estimator, with what each metric precomputes.

    ``tree`` is scipy's KD-tree of the points once :meth:`build_tree` made it
    (``leaf_size`` points per leaf, queried with ``workers`` threads), else None.
    A saved model stores no tree (learnflow's format holds no foreign objects):
    loading rebuilds it.
    """

    def __init__(self, X, metric, p):
        self.X = X
        self.kind, self.p = _resolve_metric(metric, p)
        self.tree, self.leaf_size, self.workers = None, None, 1
        if self.kind == "euclidean":
            self.extra = None  # the squared norms, built on the first float64 block
        elif self.kind == "cosine":
            self.extra = _unit_rows(X)
        else:
            self.extra = None
        self._screen = None

    def build_tree(self, leaf_size, n_jobs):
        from joblib import effective_n_jobs
        from scipy.spatial import cKDTree

        self.tree = cKDTree(self.X.numpy(), leafsize=leaf_size)
        self.leaf_size, self.workers = leaf_size, effective_n_jobs(n_jobs)

    def __getstate__(self):
        return {**self.__dict__, "tree": None}

    def __setstate__(self, state):
        self.__dict__.update(state)
        if self.leaf_size is not None:
            self.build_tree(self.leaf_size, self.workers)

    def screen(self):
        """The float32 screen of a CPU float64 euclidean index (built on first use), else None."""
        if self.kind != "euclidean":
            return None
        if self._screen is None:
            self._screen = _Screen.build(self.X) or False
        return self._screen or None

    def block(self, Q, *, ranking=False):
        """Distances from the queries Q to all points (squared for euclidean).

        With ``ranking``, euclidean blocks may be shifted by a per-query constant.
        """
        if self.kind == "euclidean":
            if self.extra is None:
                X = self.X
                self.extra = (torch.from_numpy(np.einsum("ij,ij->i", X.numpy(), X.numpy()))
                              if on_host_blas(X) else torch.einsum("ij,ij->i", X, X))
            if ranking:
                return _euclidean_ranking(Q, self.X, self.extra)
            return _squared_euclidean(Q, self.X, self.extra)
        if self.kind == "cosine":
            return _cosine(Q, self.X, self.extra)
        return torch.cdist(Q, self.X, p=self.p)

    def exact(self, Q, indices, ranking):
        """True distances of the chosen neighbors (euclidean recomputed without cancellation)."""
        if self.kind != "euclidean":
            return ranking
        if on_host_blas(Q, self.X):
            return _exact_euclidean_numpy(Q, self.X, indices)
        # the differences of a block of queries to their neighbors stay within the working memory
        rows = max(1, _WORKING_MEMORY // (indices.shape[1] * Q.shape[1] * Q.element_size()))
        return torch.cat([torch.linalg.vector_norm(Q[start:start + rows, None, :] - self.X[indices[start:start + rows]], dim=2)
                          for start in range(0, Q.shape[0], rows)])

    def chunks(self, n_queries):
        """Row slices of the queries whose distance blocks fit the working memory."""
        per_row = max(1, self.X.shape[0]) * self.X.element_size()
        size = max(1, _WORKING_MEMORY // per_row)
        return [slice(start, min(start + size, n_queries)) for start in range(0, n_queries, size)]


# Bytes of query-to-neighbor differences one CPU block holds: small enough to stay in the cache.
_EXACT_BLOCK = 2**20


def _exact_euclidean_numpy(Q, X, indices):
    # ||q - x|| of each query and its chosen points, on numpy views of the CPU tensors: numpy's
    # gather and einsum run single-threaded in cache-sized blocks, where torch's indexing pays a
    # thread start per small op (several times slower on a busy 2-core machine)
    q, x, chosen = Q.numpy(), X.numpy(), indices.numpy()
    out = np.empty(chosen.shape, dtype=q.dtype)
    rows = max(1, _EXACT_BLOCK // max(1, chosen.shape[1] * q.shape[1] * q.itemsize))
    for start in range(0, q.shape[0], rows):
        stop = start + rows
        diff = x[chosen[start:stop]]
        diff -= q[start:stop, None, :]
        np.einsum("ijk,ijk->ij", diff, diff, out=out[start:stop])
    return torch.from_numpy(np.sqrt(out, out=out))


def _sort_by_distance_then_index(distances, indices):
    indices, order = torch.sort(indices, dim=1)
    distances = distances.gather(1, order)
    distances, order = torch.sort(distances, dim=1, stable=True)
    return distances, indices.gather(1, order)


# --------------------------------------------------------------------------
# Float32 screening of float64 euclidean searches (CPU)
# --------------------------------------------------------------------------

_UNIT32 = 2.0**-24  # float32 unit roundoff
_TINY32 = 2.0**-149  # the smallest float32 subnormal
_UNIT64 = 2.0**-53


class _Screen:
    """A float32 copy of the training points, to shortlist candidates at twice the GEMM speed.

    The points are centered first when they share a large offset (else mean = 0).
    The float32 ranking r~ = |x'|^2 - 2 q'.x' (x' = fl32(x - mean)) differs from the
    true |x - mean|^2 - 2 (q - mean).x by at most ``bound(q)`` (rounding of the inputs,
    of an n-term dot product, of the norms: Higham's gamma_n bound, independent of the
    BLAS summation order). A point whose r~ exceeds the k-th smallest r~ by more than
    twice the bound is strictly farther than k other points, so it cannot be among the
    k nearest: when the K = k + extra shortlisted points include every point that is
    not excluded this way, only those are needed, and their distances are recomputed
    exactly in float64 (then sorted by distance and index). Queries without that
    proof (0 of MNIST's 2,000) are searched again in float64.
    """

    def __init__(self, X):
        # numpy (single-threaded, one pass each) beats torch's column reductions here
        x = X.numpy()
        with np.errstate(over="ignore", invalid="ignore"):
            norms2 = np.einsum("ij,ij->i", x, x)
            self.max_norm = float(np.sqrt(norms2.max()))
        if not self.max_norm < 1e15:  # (also NaN, inf) float32 could overflow: build() gives up
            return
        mean = x.mean(axis=0)
        if mean @ mean > 0.5 * norms2.mean():
            # the points share a large offset: centering shrinks the norms, hence the bound
            low = np.empty(x.shape, dtype=np.float32)
            rows = max(1, _EXACT_BLOCK // (x.shape[1] * x.itemsize))
            for start in range(0, x.shape[0], rows):  # cache-sized blocks: no full float64 copy
                centered = x[start:start + rows] - mean
                np.einsum("ij,ij->i", centered, centered, out=norms2[start:start + rows])
                low[start:start + rows] = centered
        else:  # (MNIST: centering would shrink the squared norms by 13% only)
            mean = np.zeros_like(mean)
            low = x.astype(np.float32)
        self.max_norm = float(np.sqrt(norms2.max()))
        self.mean = torch.from_numpy(mean)
        low *= -2.0  # exact: the ranking is then one product plus the norms
        self.minus_twice_X = low
        self.norms2 = norms2.astype(np.float32)
        n = X.shape[1] + 2
        self.gamma = n * _UNIT32 / (1 - n * _UNIT32)
        self.n = n

    @staticmethod
    def build(X):
        """The screen of X (CPU float64), or None where float32 cannot hold it safely."""
        if X.dtype != torch.float64 or not on_host_blas(X) or X.shape[0] < 2 or X.shape[1] < 1:
            return None
        screen = _Screen(X)
        return screen if screen.max_norm < 1e15 else None

    def bound(self, q_norm):
        """Largest |r~ - r| of each query over all points (float64, per query)."""
        M = self.max_norm
        relative = 2.02 * (self.gamma + 3 * _UNIT32) * (q_norm * M + M * M)
        return relative + 2 * self.n * _UNIT64 * q_norm * q_norm + 4 * self.n * _TINY32 * (1 + q_norm + M)


def _screened_kneighbors(index, screen, Q, k):
    """(exact distances, indices) of the k nearest points, and which queries were not proven."""
    n_train = index.X.shape[0]
    n_candidates = _n_candidates(k, n_train)
    centered = Q - screen.mean
    q_norm = torch.linalg.vector_norm(centered, dim=1)
    if Q.requires_grad or not bool(torch.isfinite(q_norm).all()) or float(q_norm.max()) >= 1e15:
        return None, torch.ones(Q.shape[0], dtype=torch.bool)
    # numpy's (OpenBLAS) float32 product: about 30% faster than torch's (MKL) on the AMD benchmark machine
    ranking = centered.numpy().astype(np.float32) @ screen.minus_twice_X.T
    ranking += screen.norms2
    ranking = torch.from_numpy(ranking)
    shortlist, candidates = torch.topk(ranking, n_candidates, dim=1, largest=False, sorted=True)
    shortlist = shortlist.to(torch.float64)
    # true r_j lies within r~_j -+ bound: a point with r~_j > r~_(k) + 2 bound is strictly farther
    # than each of the k first candidates, so it cannot be among the k nearest
    limit = shortlist[:, k - 1] + 2 * screen.bound(q_norm)
    if n_candidates == n_train:
        failed = torch.zeros(Q.shape[0], dtype=torch.bool)
    else:
        failed = ~(shortlist[:, -1] > limit)  # else a point outside the shortlist might be nearer
    needed = (shortlist <= limit[:, None]).sum(dim=1)
    width = int(needed[~failed].max()) if not bool(failed.all()) else k
    candidates = candidates[:, :max(k, width)]
    exact = index.exact(Q, candidates, None)
    exact, candidates = _sort_by_distance_then_index(exact, candidates)
    return (exact[:, :k], candidates[:, :k]), failed


def _n_candidates(k, n_train):
    # a few more candidates than asked: equal (or rounding-close) distances at the k-th place
    # are then settled by the exact distances and the lower index, not by topk's arbitrary pick
    return min(n_train, k + max(4, k // 2))


def _float64_kneighbors(index, Q, k):
    n_candidates = _n_candidates(k, index.X.shape[0])
    ranking, chosen = torch.topk(index.block(Q, ranking=True), n_candidates, dim=1, largest=False, sorted=True)
    exact = index.exact(Q, chosen, ranking)
    exact, chosen = _sort_by_distance_then_index(exact, chosen)
    return exact[:, :k], chosen[:, :k]


def _use_tree(index, algorithm, n_neighbors):
    """Whether to search a KD-tree: scikit-learn's choice of algorithm, for the metrics the tree serves."""
    X = index.X
    if index.kind == "cosine" or algorithm == "brute" or X.device.type != "cpu" or X.requires_grad:
        return False
    if algorithm != "auto":  # "kd_tree" and "ball_tree": both answered by the KD-tree
        return True
    return X.shape[1] <= _TREE_MAX_FEATURES and (n_neighbors is None or n_neighbors < X.shape[0] // 2)


def _tree_kneighbors(index, Q, k):
    # a few more candidates than asked (as the brute-force shortlist): ties at the k-th place go to
    # the lower index; euclidean distances recomputed as the brute-force search does, to the bit
    n_candidates = _n_candidates(k, index.X.shape[0])
    distances, chosen = index.tree.query(Q.numpy(), k=np.arange(1, n_candidates + 1), p=index.p,
                                         workers=index.workers)
    chosen = torch.from_numpy(chosen.astype(np.int64, copy=False))
    if index.kind == "euclidean":
        distances = index.exact(Q, chosen, None)
    else:
        distances = torch.from_numpy(distances.astype(Q.numpy().dtype, copy=False))
    distances, chosen = _sort_by_distance_then_index(distances, chosen)
    return distances[:, :k], chosen[:, :k]


def _solve_kneighbors(index, Q, k):
    # for each query: the k smallest distances, ties broken by the lower index
    if index.tree is not None and not Q.requires_grad:
        return _tree_kneighbors(index, Q, k)
    distances, indices = [], []
    screen = index.screen()
    for rows in index.chunks(Q.shape[0]):
        q = Q[rows]
        if screen is None:
            exact, chosen = _float64_kneighbors(index, q, k)
        else:
            found, failed = _screened_kneighbors(index, screen, q, k)
            if found is None:
                exact, chosen = _float64_kneighbors(index, q, k)
            else:
                exact, chosen = found
                if bool(failed.any()):
                    redo = torch.nonzero(failed).reshape(-1)
                    exact[redo], chosen[redo] = _float64_kneighbors(index, q[redo], k)
        distances.append(exact)
        indices.append(chosen)
    return torch.cat(distances), torch.cat(indices)


def _solve_radius_neighbors(index, Q, radius, sort_results):
    # for each query: every point within distance radius
    distances, indices = [], []
    squared = index.kind == "euclidean"
    bound = radius * radius if squared else radius
    for rows in index.chunks(Q.shape[0]):
        block = index.block(Q[rows])
        for row in block:
            chosen = torch.nonzero(row <= bound).reshape(-1)
            found = row[chosen].sqrt() if squared else row[chosen]
            if sort_results:
                found, order = torch.sort(found, stable=True)
                chosen = chosen[order]
            distances.append(to_numpy(found))
            indices.append(to_numpy(chosen))
    return distances, indices


def _object_array(rows):
    out = np.empty(len(rows), dtype=object)
    out[:] = rows
    return out


# --------------------------------------------------------------------------
# Base classes
# --------------------------------------------------------------------------


class NeighborsBase(MultiOutputMixin, BaseEstimator):
    """Base of the neighbor estimators: parameters, validation and the fitted index."""

    _parameter_constraints = {
        "n_neighbors": [Interval(Integral, 1, None, closed="left"), None],
        "radius": [Interval(Real, 0, None, closed="both"), None],
        "algorithm": [StrOptions({"auto", "ball_tree", "kd_tree", "brute"})],
        "leaf_size": [Interval(Integral, 1, None, closed="left")],
        "p": [Interval(Real, 1, None, closed="left"), None],
        "metric": [StrOptions(VALID_METRICS)],
        "metric_params": [dict, None],
        "n_jobs": [Integral, None],
    }

    def _effective_p(self):
        params = self.metric_params or {}
        return params.get("p", 2 if self.p is None else self.p)

    def _fit(self, X, y=None):
        """Store the training points (and check y); returns y as numpy or None."""
        if y is None:
            X = validate_data(self, X, reset=True)
        else:
            X, y = validate_data(self, X, y, reset=True, multi_output=True)
        self._index = _Index(to_tensor(X), self.metric, self._effective_p())
        self._fit_method = "brute"
        if _use_tree(self._index, self.algorithm, getattr(self, "n_neighbors", None)):
            self._index.build_tree(self.leaf_size, self.n_jobs)
            self._fit_method = "kd_tree"
        self.n_samples_fit_ = int(X.shape[0])
        self.effective_metric_ = _EFFECTIVE_NAMES.get((self._index.kind, self._index.p), self._index.kind)
        self.effective_metric_params_ = {"p": self._index.p} if self.effective_metric_ == "minkowski" else {}
        return None if y is None else to_numpy(y)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        return tags


# The constraints of the k-nearest-neighbor predictors: no radius, a weighting scheme.
KNEIGHBORS_PREDICTOR_CONSTRAINTS = {
    **{k: v for k, v in NeighborsBase._parameter_constraints.items() if k != "radius"},
    "weights": [StrOptions({"uniform", "distance"}), callable, None],
}


class KNeighborsMixin:
    """``kneighbors`` and ``kneighbors_graph`` for estimators with a fitted index."""

    def _queries(self, X):
        if X is None:
            return self._index.X, True
        X = validate_data(self, X, reset=False)
        return to_tensor(X, device=self._index.X.device, dtype=self._index.X.dtype), False

    def kneighbors(self, X=None, n_neighbors=None, return_distance=True):
        """The ``n_neighbors`` nearest training points of each query, nearest first.

        Parameters
        ----------
        X : array-like of shape (n_queries, n_features), default=None
            None queries the training points, each excluded from its own neighbors.
        n_neighbors : int, default=None
            Defaults to the estimator's ``n_neighbors``.
        return_distance : bool, default=True

        Returns
        -------
        neigh_dist : ndarray of shape (n_queries, n_neighbors)
            Only when ``return_distance``.
        neigh_ind : ndarray of shape (n_queries, n_neighbors)
        """
        check_is_fitted(self)
        n_neighbors = self.n_neighbors if n_neighbors is None else n_neighbors
        if isinstance(n_neighbors, bool) or not isinstance(n_neighbors, Integral) or n_neighbors <= 0:
            raise ValueError(f"Expected n_neighbors > 0. Got {n_neighbors}")
        Q, self_query = self._queries(X)
        n_query = n_neighbors + 1 if self_query else n_neighbors
        if n_query > self.n_samples_fit_:
            raise ValueError(
                f"Expected n_neighbors <= n_samples_fit, but n_neighbors = {n_query}, n_samples_fit = "
                f"{self.n_samples_fit_}, n_samples = {Q.shape[0]}"
            )
        distances, indices = _solve_kneighbors(self._index, Q, n_query)
        if self_query:
            distances, indices = _drop_self(distances, indices)
        like = X if X is not None and is_torch(X) else None
        indices = to_output(indices, like)
        if not return_distance:
            return indices
        return to_output(distances, like), indices

    def kneighbors_graph(self, X=None, n_neighbors=None, mode="connectivity"):
        """Sparse (CSR) graph of the k nearest neighbors: ones, or distances with ``mode="distance"``."""
        from scipy.sparse import csr_matrix

        if mode not in ("connectivity", "distance"):
            raise ValueError(f'Unsupported mode, must be one of "connectivity", or "distance" but got "{mode}" instead')
        n_neighbors = self.n_neighbors if n_neighbors is None else n_neighbors
        distances, indices = self.kneighbors(X, n_neighbors, return_distance=True)
        distances, indices = to_numpy(distances), to_numpy(indices)
        n_queries = indices.shape[0]
        data = np.ones(n_queries * n_neighbors) if mode == "connectivity" else distances.ravel()
        indptr = np.arange(0, n_queries * n_neighbors + 1, n_neighbors)
        return csr_matrix((data, indices.ravel(), indptr), shape=(n_queries, self.n_samples_fit_))


def _drop_self(distances, indices):
    """Remove each training point from its own neighbor list (else the farthest neighbor)."""
    n, k = indices.shape
    is_self = indices == torch.arange(n, device=indices.device)[:, None]
    missing = ~is_self.any(dim=1)
    is_self[missing, k - 1] = True
    keep = ~is_self
    return distances[keep].reshape(n, k - 1), indices[keep].reshape(n, k - 1)


class RadiusNeighborsMixin:
    """``radius_neighbors``: all training points within a distance of each query."""

    def radius_neighbors(self, X=None, radius=None, return_distance=True, sort_results=False):
        """Training points within ``radius`` of each query (object arrays of arrays).

        Parameters
        ----------
        X : array-like of shape (n_queries, n_features), default=None
            None queries the training points, each excluded from its own neighbors.
        radius : float, default=None
            Defaults to the estimator's ``radius``.
        return_distance : bool, default=True
        sort_results : bool, default=False
            Sort each query's neighbors by distance (needs ``return_distance``).
        """
        check_is_fitted(self)
        if sort_results and not return_distance:
            raise ValueError("return_distance must be True if sort_results is True.")
        radius = self.radius if radius is None else radius
        Q, self_query = self._queries(X)
        distances, indices = _solve_radius_neighbors(self._index, Q, radius, sort_results)
        if self_query:
            kept = [ind != i for i, ind in enumerate(indices)]
            distances = [d[k] for d, k in zip(distances, kept)]
            indices = [ind[k] for ind, k in zip(indices, kept)]
        indices = _object_array(indices)
        return (_object_array(distances), indices) if return_distance else indices


def _check_y_1d_or_2d(y):
    """y as (n_samples, n_outputs) and whether it was 1-D (warning for a column vector)."""
    if y.ndim == 1:
        return y.reshape(-1, 1), False
    if y.shape[1] == 1:
        warnings.warn(
            "A column-vector y was passed when a 1d array was expected. Please change the shape of y to "
            "(n_samples,), for example using ravel().",
            DataConversionWarning,
            stacklevel=3,
        )
        return y, False
    return y, True


def _neighbor_weights(distances, weights):
    # "uniform": None; "distance": 1 / d, with exact matches (d == 0) taking all the weight
    if weights == "uniform":
        return None
    if callable(weights):
        return torch.as_tensor(np.asarray(weights(to_numpy(distances)), dtype=np.float64), device=distances.device)
    inverse = 1.0 / distances
    zero = torch.isinf(inverse)
    exact_rows = zero.any(dim=1)
    inverse[exact_rows] = zero[exact_rows].to(inverse.dtype)
    return inverse
