"""Isomap: kernel PCA of geodesic distances on a neighbourhood graph (Chapter 8, Tenenbaum et al. 2000)."""

# SPDX-License-Identifier: BSD-3-Clause

import warnings
from numbers import Integral, Real

import numpy as np
import torch
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components, shortest_path

from .._engine import one_torch_thread, to_numpy, to_output, to_tensor
from ..base import BaseEstimator, TransformerMixin
from ..decomposition import KernelPCA
from ..decomposition._base import _ComponentNamesMixin
from ..decomposition._kernel_pca import _center, _center_fit
from ..utils._param_validation import Interval, StrOptions
from ..utils.validation import check_is_fitted
from ._utils import _EmbeddingFitMixin, _kneighbors, _validated_tensor

__all__ = ["Isomap"]

_ONE_THREAD_MAX_SAMPLES = 5000  # graphs of up to this many points: one torch thread (see one_torch_thread)


def _neighbors_graph(nbrs, n_neighbors, radius):
    """Sparse distance graph of the training points (k nearest, or all within ``radius``)."""
    if n_neighbors is not None:
        return nbrs.kneighbors_graph(n_neighbors=n_neighbors, mode="distance")
    distances, indices = nbrs.radius_neighbors(radius=radius)
    counts = [len(i) for i in indices]
    indptr = np.concatenate([[0], np.cumsum(counts)])
    data = np.concatenate([to_numpy(d) for d in distances]) if indptr[-1] else np.empty(0)
    columns = np.concatenate([to_numpy(i) for i in indices]).astype(np.int64) if indptr[-1] else np.empty(0, int)
    return csr_matrix((data, columns, indptr), shape=(len(indices), len(indices)))


def _connect_components(X, graph, n_components, labels):
    """Join the components by their closest pairs of points (as scikit-learn's _fix_connected_components)."""
    graph = graph.tolil()
    X = to_tensor(X)
    for i in range(n_components):
        idx_i = np.flatnonzero(labels == i)
        for j in range(i):
            idx_j = np.flatnonzero(labels == j)
            D = torch.cdist(X[idx_i], X[idx_j])
            flat = int(torch.argmin(D))
            ii, jj = divmod(flat, D.shape[1])
            value = float(D[ii, jj])
            graph[idx_i[ii], idx_j[jj]] = value
            graph[idx_j[jj], idx_i[ii]] = value
    return graph.tocsr()


def _geodesic_distances(graph, path_method):
    """All shortest paths of the undirected ``graph`` (scipy's ``shortest_path(directed=False)``).

    Where scipy would run Dijkstra (a sparse graph of positive weights), the graph is made symmetric
    first (each pair linked in either direction gets the shorter of its weights, as the undirected
    search uses) and searched as a directed one: the same distances, without the per-source pass
    over the transposed graph.
    """
    graph = csr_matrix(graph)
    n = graph.shape[0]
    dijkstra = path_method == "D" or (path_method == "auto" and graph.nnz < n * n / 4)
    if not dijkstra or graph.nnz == 0 or graph.data.min() <= 0:
        return shortest_path(graph, method=path_method, directed=False)
    transposed = graph.T.tocsr()
    longer, shorter = graph.maximum(transposed), graph.minimum(transposed)  # shorter: pairs linked both ways
    symmetric = (longer - longer.multiply(shorter > 0) + shorter).tocsr()
    return shortest_path(symmetric, method="D", directed=True)


def _isomap_kernel(geodesic):
    """``-0.5 * D**2``, the kernel whose principal components embed the points (one pass, one array)."""
    kernel = np.square(geodesic)
    kernel *= -0.5
    return kernel


class Isomap(_ComponentNamesMixin, _EmbeddingFitMixin, TransformerMixin, BaseEstimator):
    """Isomap embedding: keep geodesic distances along the neighbourhood graph (Chapter 8).

    The k-NN (or radius) graph comes from :class:`learnflow.neighbors.NearestNeighbors`
    (torch), its shortest paths from ``scipy.sparse.csgraph``, and the
    embedding from :class:`KernelPCA` of ``-0.5 * D**2``.

    Parameters
    ----------
    n_neighbors : int or None, default=5
    radius : float or None, default=None
        Use all neighbours within ``radius`` instead (set ``n_neighbors=None``).
    n_components : int, default=2
    eigen_solver : {"auto", "arpack", "dense"}, default="auto"
    tol : float, default=0
    max_iter : int, default=None
    path_method : {"auto", "FW", "D"}, default="auto"
        Floyd-Warshall or Dijkstra (scipy's ``shortest_path``).
    neighbors_algorithm : str, default="auto"
        Accepted for scikit-learn compatibility.
    n_jobs : int, default=None
    metric : str, default="minkowski"
    p : float, default=2
    metric_params : dict, default=None

    Attributes
    ----------
    embedding_ : ndarray of shape (n_samples, n_components)
    kernel_pca_ : KernelPCA
    nbrs_ : NearestNeighbors
    dist_matrix_ : ndarray of shape (n_samples, n_samples)
        The geodesic distances.
    n_features_in_ : int

    Examples
    --------
    >>> from learnflow.datasets import make_swiss_roll
    >>> from learnflow.manifold import Isomap
    >>> X, _ = make_swiss_roll(n_samples=100, random_state=0)
    >>> Isomap(n_neighbors=10).fit_transform(X).shape
    (100, 2)
    """

    _parameter_constraints = {
        "n_neighbors": [Interval(Integral, 1, None, closed="left"), None],
        "radius": [Interval(Real, 0, None, closed="both"), None],
        "n_components": [Interval(Integral, 1, None, closed="left")],
        "eigen_solver": [StrOptions({"auto", "arpack", "dense"})],
        "tol": [Interval(Real, 0, None, closed="left")],
        "max_iter": [Interval(Integral, 1, None, closed="left"), None],
        "path_method": [StrOptions({"auto", "FW", "D"})],
        "neighbors_algorithm": [StrOptions({"auto", "brute", "kd_tree", "ball_tree"})],
        "n_jobs": [Integral, None],
        "p": [Interval(Real, 1, None, closed="left")],
        "metric": [str, callable],
        "metric_params": [dict, None],
    }

    def __init__(self, *, n_neighbors=5, radius=None, n_components=2, eigen_solver="auto", tol=0, max_iter=None,
                 path_method="auto", neighbors_algorithm="auto", n_jobs=None, metric="minkowski", p=2,
                 metric_params=None):
        self.n_neighbors = n_neighbors
        self.radius = radius
        self.n_components = n_components
        self.eigen_solver = eigen_solver
        self.tol = tol
        self.max_iter = max_iter
        self.path_method = path_method
        self.neighbors_algorithm = neighbors_algorithm
        self.n_jobs = n_jobs
        self.metric = metric
        self.p = p
        self.metric_params = metric_params

    @property
    def _n_features_out(self):
        return self.embedding_.shape[1]

    def _fit(self, X):
        if self.n_neighbors is not None and self.radius is not None:
            raise ValueError(
                "Both n_neighbors and radius are provided. Use Isomap(radius=..., n_neighbors=None) if intended "
                "to use radius-based neighbors"
            )
        X, X_t = _validated_tensor(self, X)
        # the graph search and the shortest paths run in scipy; torch computes only small steps
        with one_torch_thread(X_t.device, enabled=X_t.shape[0] <= _ONE_THREAD_MAX_SAMPLES):
            self._fit_graph_embedding(X_t)
        return X

    def _fit_graph_embedding(self, X_t):
        from ..neighbors import NearestNeighbors

        self.nbrs_ = NearestNeighbors(
            n_neighbors=self.n_neighbors or 5, radius=self.radius or 1.0, metric=self.metric, p=self.p,
            metric_params=self.metric_params,
        ).fit(X_t)
        graph = _neighbors_graph(self.nbrs_, self.n_neighbors, self.radius)
        n_connected, labels = connected_components(graph)
        if n_connected > 1:
            warnings.warn(
                f"The number of connected components of the neighbors graph is {n_connected} > 1. Completing the "
                "graph to fit Isomap might be slow. Increase the number of neighbors to avoid this issue.",
                stacklevel=4,
            )
            graph = _connect_components(to_numpy(X_t), graph, n_connected, labels)
        self.dist_matrix_ = _geodesic_distances(graph, self.path_method)
        self.kernel_pca_ = KernelPCA(n_components=self.n_components, kernel="precomputed",
                                     eigen_solver=self.eigen_solver, tol=self.tol, max_iter=self.max_iter)
        self.embedding_ = self.kernel_pca_.fit_transform(_isomap_kernel(self.dist_matrix_))

    def reconstruction_error(self):
        """Isomap's reconstruction error: ``||K(D) - K(D_fit)||_F / n_samples``.

        Returns
        -------
        error : float
        """
        check_is_fitted(self)
        G = torch.as_tensor(_isomap_kernel(self.dist_matrix_))
        centered = _center(G, *_center_fit(G))
        evals = torch.as_tensor(self.kernel_pca_.eigenvalues_)
        return float(torch.sqrt((centered**2).sum() - (evals**2).sum()) / G.shape[0])

    def transform(self, X):
        """Embed new points through their geodesic distances to the training points.

        Returns
        -------
        X_new : ndarray or tensor of shape (n_samples, n_components)
        """
        X, _ = _validated_tensor(self, X, reset=False)
        dist = torch.as_tensor(self.dist_matrix_)
        if self.n_neighbors is not None:
            distances, indices = _kneighbors(self.nbrs_, X, device="cpu")
            # geodesic to every training point: min over the query's neighbours of (edge + path)
            G_X = (dist[indices] + distances[:, :, None]).amin(dim=1)
        else:
            distances, indices = self.nbrs_.radius_neighbors(X)
            G_X = torch.stack([
                (dist[torch.as_tensor(i, dtype=torch.long)] + torch.as_tensor(d, dtype=dist.dtype)[:, None]).amin(dim=0)
                for d, i in zip(distances, indices)
            ])
        return self.kernel_pca_.transform(to_output(-0.5 * G_X**2, X))
