"""Brute-force neighbor search on torch, in memory-bounded chunks of queries.

Every ``algorithm`` ("auto", "ball_tree", "kd_tree", "brute") is computed the
same way: the distances from a chunk of queries to all the training points,
then ``torch.topk``. A chunk holds at most ``_WORKING_MEMORY`` bytes of
distances, so the whole MNIST test set never needs more than that at once.
"""

# SPDX-License-Identifier: BSD-3-Clause

import warnings
from numbers import Integral, Real

import numpy as np
import torch

from .._engine import is_torch, to_numpy, to_output, to_tensor
from ..base import BaseEstimator, MultiOutputMixin
from ..exceptions import DataConversionWarning
from ..utils._param_validation import Interval, StrOptions
from ..utils.validation import check_is_fitted, validate_data

__all__ = ["KNeighborsMixin", "NeighborsBase"]

# Bytes of distances one chunk of queries may hold (256 MiB).
_WORKING_MEMORY = 256 * 2**20

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
    """The training points of a fitted estimator, with what each metric precomputes."""

    def __init__(self, X, metric, p):
        self.X = X
        self.kind, self.p = _resolve_metric(metric, p)
        if self.kind == "euclidean":
            self.extra = (X * X).sum(dim=1)
        elif self.kind == "cosine":
            self.extra = _unit_rows(X)
        else:
            self.extra = None

    def block(self, Q, *, ranking=False):
        """Distances from the queries Q to all points (squared for euclidean).

        With ``ranking``, euclidean blocks may be shifted by a per-query constant.
        """
        if self.kind == "euclidean":
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
        # the differences of a block of queries to their neighbors stay within the working memory
        rows = max(1, _WORKING_MEMORY // (indices.shape[1] * Q.shape[1] * Q.element_size()))
        return torch.cat([torch.linalg.vector_norm(Q[start:start + rows, None, :] - self.X[indices[start:start + rows]], dim=2)
                          for start in range(0, Q.shape[0], rows)])

    def chunks(self, n_queries):
        """Row slices of the queries whose distance blocks fit the working memory."""
        per_row = max(1, self.X.shape[0]) * self.X.element_size()
        size = max(1, _WORKING_MEMORY // per_row)
        return [slice(start, min(start + size, n_queries)) for start in range(0, n_queries, size)]


def _sort_by_distance_then_index(distances, indices):
    indices, order = torch.sort(indices, dim=1)
    distances = distances.gather(1, order)
    distances, order = torch.sort(distances, dim=1, stable=True)
    return distances, indices.gather(1, order)


def _solve_kneighbors(index, Q, k):
    # for each query: the k smallest distances, ties broken by the lower index
    distances, indices = [], []
    for rows in index.chunks(Q.shape[0]):
        block = index.block(Q[rows], ranking=True)
        ranking, chosen = torch.topk(block, k, dim=1, largest=False, sorted=True)
        exact = index.exact(Q[rows], chosen, ranking)
        exact, chosen = _sort_by_distance_then_index(exact, chosen)
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
        self.n_samples_fit_ = int(X.shape[0])
        self.effective_metric_ = _EFFECTIVE_NAMES.get((self._index.kind, self._index.p), self._index.kind)
        self.effective_metric_params_ = {"p": self._index.p} if self.effective_metric_ == "minkowski" else {}
        self._fit_method = "brute"
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
