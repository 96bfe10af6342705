"""Locally linear embedding (Chapter 8, Roweis & Saul 2000)."""

# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral, Real

import numpy as np
import torch
from scipy.sparse import csr_matrix, eye

from .._engine import check_random_state, one_torch_thread, to_numpy, to_output, to_tensor
from ..base import BaseEstimator, TransformerMixin
from ..decomposition._base import _ComponentNamesMixin
from ..utils._param_validation import Interval, StrOptions
from ._utils import _EmbeddingFitMixin, _kneighbors, _validated_tensor

# Embeddings of up to this many points: one torch thread (the neighbor search, the sparse algebra and ARPACK
# run in scipy; torch's small batched solves finish before a second thread helps: 400 points, 2 busy cores,
# 79 -> 44 ms)
_ONE_THREAD_MAX_SAMPLES = 5000

__all__ = ["LocallyLinearEmbedding", "barycenter_weights"]


def _solve_barycenter_weights(X, Y, indices, reg):
    # Equation 8-4: w_i = argmin ||x_i - sum_j w_ij y_j||^2, sum_j w_ij = 1
    #   G = (Y_N(i) - x_i)(Y_N(i) - x_i)^T + reg * trace(G) I;  w = G^-1 1 / (1^T G^-1 1)
    C = Y[indices] - X[:, None, :]
    G = C @ C.transpose(1, 2)
    trace = torch.diagonal(G, dim1=1, dim2=2).sum(dim=1)
    R = torch.where(trace > 0, reg * trace, torch.full_like(trace, reg))
    k = indices.shape[1]
    G = G + R[:, None, None] * torch.eye(k, dtype=G.dtype, device=G.device)
    w = torch.linalg.solve(G, torch.ones(G.shape[:2], dtype=G.dtype, device=G.device))
    return w / w.sum(dim=1, keepdim=True)


def barycenter_weights(X, Y, indices, reg=1e-3):
    """Weights that reconstruct each row of X from its neighbours ``Y[indices]`` (rows sum to 1).

    Examples
    --------
    >>> import numpy as np
    >>> from learnflow.manifold import barycenter_weights
    >>> barycenter_weights(np.array([[0.5]]), np.array([[0.0], [1.0]]), np.array([[0, 1]])).round(3)
    array([[0.5, 0.5]])
    """
    X_t = to_tensor(X)
    W = _solve_barycenter_weights(X_t, to_tensor(Y, device=X_t.device), torch.as_tensor(to_numpy(indices), device=X_t.device), reg)
    return to_output(W, X)


def _null_space(M, k, k_skip, eigen_solver, tol, max_iter, random_state):
    """The eigenvectors of the k smallest eigenvalues after the first k_skip, and their sum."""
    if eigen_solver == "auto":
        eigen_solver = "arpack" if M.shape[0] > 200 and k + k_skip < 10 else "dense"
    if eigen_solver == "arpack":
        from scipy.sparse.linalg import eigsh

        v0 = check_random_state(random_state).uniform(-1, 1, M.shape[0])
        try:
            values, vectors = eigsh(M, k + k_skip, sigma=0.0, tol=tol, maxiter=max_iter, v0=v0)
        except RuntimeError as exc:
            raise ValueError(
                f"Error in determining null-space with ARPACK. Error message: '{exc}'. Note that "
                "eigen_solver='arpack' can fail when the weight matrix is singular or otherwise ill-behaved. "
                "In that case, eigen_solver='dense' is recommended."
            ) from exc
        return vectors[:, k_skip:], float(np.sum(values[k_skip:]))
    M_t = to_tensor(M.toarray() if hasattr(M, "toarray") else M)
    values, vectors = torch.linalg.eigh(M_t)
    values, vectors = values[k_skip : k + k_skip], vectors[:, k_skip : k + k_skip]
    order = torch.argsort(values.abs())
    return to_numpy(vectors[:, order]), float(values.sum())


def _solve_standard_lle(X, indices, n_components, reg, eigen_solver, tol, max_iter, random_state):
    # Equation 8-5: Z minimizes ||Z - W Z||^2, the bottom eigenvectors of M = (I - W)^T (I - W)
    n_samples, n_neighbors = indices.shape
    W = to_numpy(_solve_barycenter_weights(X, X, indices, reg))
    indptr = np.arange(0, n_samples * n_neighbors + 1, n_neighbors)
    W = csr_matrix((W.ravel(), to_numpy(indices).ravel(), indptr), shape=(n_samples, n_samples))
    if eigen_solver != "dense":
        IW = eye(n_samples, format="csr") - W
        M = (IW.T @ IW).tocsr()
    else:
        M = (W.T @ W - W.T - W).toarray()
        M.flat[:: n_samples + 1] += 1
    return _null_space(M, n_components, 1, eigen_solver, tol, max_iter, random_state)


class LocallyLinearEmbedding(_ComponentNamesMixin, _EmbeddingFitMixin, TransformerMixin, BaseEstimator):
    """Locally linear embedding (Chapter 8, Equations 8-4 and 8-5).

    Each point is written as a weighted mean of its ``n_neighbors`` nearest
    neighbours (weights solved in one batched torch solve); the embedding
    keeps those weights in ``n_components`` dimensions (an eigenproblem).

    Parameters
    ----------
    n_neighbors : int, default=5
    n_components : int, default=2
    reg : float, default=1e-3
        Regularization of the local Gram matrices.
    eigen_solver : {"auto", "arpack", "dense"}, default="auto"
        "arpack" is scipy's shift-invert eigsh on the sparse matrix (CPU);
        "dense" torch's eigh; "auto" as scikit-learn.
    tol : float, default=1e-6
        Tolerance of "arpack".
    max_iter : int, default=100
        Iterations of "arpack".
    method : {"standard"}, default="standard"
        Only the standard algorithm of the book.
    neighbors_algorithm : str, default="auto"
        Accepted for scikit-learn compatibility (the search is brute force on torch).
    random_state : int, RandomState or None, default=None
        Start vector of "arpack".
    n_jobs : int, default=None
        Accepted for scikit-learn compatibility.

    Attributes
    ----------
    embedding_ : ndarray of shape (n_samples, n_components)
    reconstruction_error_ : float
    nbrs_ : NearestNeighbors
    n_features_in_ : int

    Examples
    --------
    >>> from learnflow.datasets import make_swiss_roll
    >>> from learnflow.manifold import LocallyLinearEmbedding
    >>> X, _ = make_swiss_roll(n_samples=100, random_state=0)
    >>> LocallyLinearEmbedding(n_neighbors=10).fit_transform(X).shape
    (100, 2)
    """

    _parameter_constraints = {
        "n_neighbors": [Interval(Integral, 1, None, closed="left")],
        "n_components": [Interval(Integral, 1, None, closed="left")],
        "reg": [Interval(Real, 0, None, closed="left")],
        "eigen_solver": [StrOptions({"auto", "arpack", "dense"})],
        "tol": [Interval(Real, 0, None, closed="left")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "method": [StrOptions({"standard"})],
        "neighbors_algorithm": [StrOptions({"auto", "brute", "kd_tree", "ball_tree"})],
        "random_state": ["random_state"],
        "n_jobs": [None, Integral],
    }

    def __init__(self, *, n_neighbors=5, n_components=2, reg=1e-3, eigen_solver="auto", tol=1e-6, max_iter=100,
                 method="standard", neighbors_algorithm="auto", random_state=None, n_jobs=None):
        self.n_neighbors = n_neighbors
        self.n_components = n_components
        self.reg = reg
        self.eigen_solver = eigen_solver
        self.tol = tol
        self.max_iter = max_iter
        self.method = method
        self.neighbors_algorithm = neighbors_algorithm
        self.random_state = random_state
        self.n_jobs = n_jobs

    @property
    def _n_features_out(self):
        return self.embedding_.shape[1]

    def _fit(self, X):
        from ..neighbors import NearestNeighbors

        X, X_t = _validated_tensor(self, X)
        n_samples, n_features = X.shape
        if self.n_components > n_features:
            raise ValueError("output dimension must be less than or equal to input dimension")
        if self.n_neighbors >= n_samples:
            raise ValueError(
                f"Expected n_neighbors <= n_samples, but n_samples = {n_samples}, n_neighbors = {self.n_neighbors}"
            )
        with one_torch_thread(X_t.device, enabled=n_samples <= _ONE_THREAD_MAX_SAMPLES):
            self.nbrs_ = NearestNeighbors(n_neighbors=self.n_neighbors).fit(X_t)
            indices = _kneighbors(self.nbrs_, device=X_t.device, return_distance=False)
            self._fit_X = to_numpy(X_t)
            self.embedding_, self.reconstruction_error_ = _solve_standard_lle(
                X_t, indices, self.n_components, self.reg, self.eigen_solver, self.tol, self.max_iter,
                check_random_state(self.random_state),
            )
        return X

    def transform(self, X):
        """Embed new points: their barycenter weights over training neighbours applied to ``embedding_``.

        Returns
        -------
        X_new : ndarray or tensor of shape (n_samples, n_components)
        """
        X, X_t = _validated_tensor(self, X, reset=False)
        indices = _kneighbors(self.nbrs_, X_t, return_distance=False)
        fit_X = torch.as_tensor(self._fit_X, dtype=X_t.dtype, device=X_t.device)
        weights = _solve_barycenter_weights(X_t, fit_X, indices, self.reg)
        embedding = torch.as_tensor(self.embedding_, dtype=X_t.dtype, device=X_t.device)
        return to_output((embedding[indices] * weights[:, :, None]).sum(dim=1), X)
