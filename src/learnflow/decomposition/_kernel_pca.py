"""Kernel PCA: PCA in the feature space of a kernel (Chapter 8, Schoelkopf et al. 1999)."""

# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral, Real

import torch

from .._engine import (
    check_random_state,
    get_device,
    is_torch,
    one_blas_thread,
    one_torch_thread,
    to_numpy,
    to_output,
    to_tensor,
)
from ..base import BaseEstimator, TransformerMixin, _fit_context
from ..exceptions import NotFittedError
from ..kernel_ridge import _KERNELS, _kernel, _solve_kernel_ridge
from ..utils._param_validation import Interval, StrOptions
from ..utils.extmath import _randomized_svd, _svd_flip_tensors
from ..utils.validation import check_is_fitted, validate_data
from ._base import _ComponentNamesMixin

__all__ = ["KernelPCA"]

# kernels of up to 1000 x 1000: one torch thread and one BLAS thread (ARPACK's matrix-vector products and the
# pre-image's Cholesky are too short to share; roll 1000 with the pre-image, 2 cores: 112 -> 82 ms)
_ONE_THREAD_MAX_SAMPLES = 1000


# ---------------------------------------------------------------------------
# Eigensolvers: (K, n_components, estimator) -> (eigenvalues, eigenvectors), any order
# ---------------------------------------------------------------------------

def _eig_dense(K, n_components, estimator):
    # K = V diag(lambda) V^T, keep the n_components largest
    eigenvalues, eigenvectors = torch.linalg.eigh(K)
    return eigenvalues[-n_components:], eigenvectors[:, -n_components:]


def _eig_arpack(K, n_components, estimator):
    # Lanczos (scipy's ARPACK eigsh, which="LA") on the CPU
    from scipy.sparse.linalg import eigsh

    v0 = check_random_state(estimator.random_state).uniform(-1, 1, K.shape[0])
    values, vectors = eigsh(to_numpy(K), n_components, which="LA", tol=estimator.tol,
                            maxiter=estimator.max_iter, v0=v0)
    return (torch.as_tensor(a, dtype=K.dtype, device=K.device) for a in (values, vectors))


def _eig_randomized(K, n_components, estimator):
    # randomized SVD of the symmetric K; the sign of v_i . u_i restores each eigenvalue's sign
    U, S, Vt = _randomized_svd(K, n_components, n_iter=estimator.iterated_power, flip_sign=False,
                               random_state=check_random_state(estimator.random_state))
    signs = torch.sign((Vt * U.T).sum(dim=1))
    return S * signs, U


_EIGEN_SOLVERS = {"dense": _eig_dense, "arpack": _eig_arpack, "randomized": _eig_randomized}


def _check_psd_eigenvalues(lambdas):
    """Zero the negligible and slightly negative eigenvalues; reject a clearly non-PSD kernel."""
    double = lambdas.dtype == torch.float64
    neg_ratio, neg_value, small_ratio = (1e-5, 1e-10, 1e-12) if double else (5e-3, 1e-6, 2e-7)
    max_eig, min_eig = float(lambdas.max()), float(lambdas.min())
    if max_eig < 0:
        raise ValueError(
            f"All eigenvalues are negative (maximum is {max_eig:g}). Either the matrix is not PSD, or there was "
            "an issue while computing the eigendecomposition of the matrix."
        )
    if min_eig < -neg_ratio * max_eig and min_eig < -neg_value:
        raise ValueError(
            f"There are significant negative eigenvalues ({-min_eig / max_eig:g} of the maximum positive). "
            "Either the matrix is not PSD, or there was an issue while computing the eigendecomposition of the matrix."
        )
    lambdas = torch.clamp(lambdas, min=0.0)
    return torch.where(lambdas < small_ratio * max_eig, torch.zeros_like(lambdas), lambdas)


def _center_fit(K):
    """The statistics of KernelCenterer: column means and the grand mean of the training kernel."""
    rows = K.mean(dim=0)
    return rows, rows.mean()


def _center(K, rows, total):
    # K_c = K - 1_n K_fit - K 1_m + 1_n K_fit 1_m (centring in feature space), in two passes over K
    centered = K - rows[None, :]
    centered -= K.mean(dim=1, keepdim=True) - total
    return centered


class KernelPCA(_ComponentNamesMixin, TransformerMixin, BaseEstimator):
    """Kernel principal component analysis (Chapter 8).

    The eigendecomposition of the centred kernel matrix gives nonlinear
    projections; with ``fit_inverse_transform=True`` a kernel ridge
    regression from the projections back to X learns the pre-image, exactly
    as scikit-learn does.

    Parameters
    ----------
    n_components : int, default=None
        Number of components; None keeps all non-zero ones.
    kernel : {"linear", "poly", "rbf", "sigmoid", "cosine", "laplacian", "precomputed"} or callable, default="linear"
    gamma : float, default=None
        Kernel coefficient of rbf, poly, sigmoid and laplacian (None: 1 / n_features).
    degree : float, default=3
    coef0 : float, default=1
    kernel_params : dict, default=None
        Parameters of a callable kernel.
    alpha : float, default=1.0
        Ridge penalty of the pre-image regression.
    fit_inverse_transform : bool, default=False
        Learn the pre-image map, enabling ``inverse_transform``.
    eigen_solver : {"auto", "dense", "arpack", "randomized"}, default="auto"
        "dense" is torch's eigh, "randomized" a randomized SVD on torch,
        "arpack" scipy's eigsh (CPU); "auto" as scikit-learn.
    tol : float, default=0
        Tolerance of "arpack".
    max_iter : int, default=None
        Iterations of "arpack".
    iterated_power : int or "auto", default="auto"
        Power iterations of "randomized".
    remove_zero_eig : bool, default=False
        Drop components with zero eigenvalue (always done when n_components is None).
    random_state : int, RandomState or None, default=None
    copy_X : bool, default=True
    n_jobs : int, default=None
        Accepted for scikit-learn compatibility (the kernel is one tensor computation).

    Attributes
    ----------
    eigenvalues_ : ndarray of shape (n_components,)
    eigenvectors_ : ndarray of shape (n_samples, n_components)
    dual_coef_ : ndarray of shape (n_samples, n_features)
        Pre-image regression coefficients (with ``fit_inverse_transform``).
    X_transformed_fit_ : ndarray of shape (n_samples, n_components)
    X_fit_ : ndarray of shape (n_samples, n_features)
    gamma_ : float
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from learnflow.decomposition import KernelPCA
    >>> X = np.random.RandomState(0).normal(size=(20, 3))
    >>> KernelPCA(n_components=2, kernel="rbf").fit_transform(X).shape
    (20, 2)
    """

    _parameter_constraints = {
        "n_components": [Interval(Integral, 1, None, closed="left"), None],
        "kernel": [StrOptions(_KERNELS), callable],
        "gamma": [Interval(Real, 0, None, closed="left"), None],
        "degree": [Interval(Real, 0, None, closed="left")],
        "coef0": [Interval(Real, None, None, closed="neither")],
        "kernel_params": [dict, None],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "fit_inverse_transform": ["boolean"],
        "eigen_solver": [StrOptions({"auto", "dense", "arpack", "randomized"})],
        "tol": [Interval(Real, 0, None, closed="left")],
        "max_iter": [Interval(Integral, 1, None, closed="left"), None],
        "iterated_power": [Interval(Integral, 0, None, closed="left"), StrOptions({"auto"})],
        "remove_zero_eig": ["boolean"],
        "random_state": ["random_state"],
        "copy_X": ["boolean"],
        "n_jobs": [None, Integral],
    }

    def __init__(self, n_components=None, *, kernel="linear", gamma=None, degree=3, coef0=1, kernel_params=None,
                 alpha=1.0, fit_inverse_transform=False, eigen_solver="auto", tol=0, max_iter=None,
                 iterated_power="auto", remove_zero_eig=False, random_state=None, copy_X=True, n_jobs=None):
        self.n_components = n_components
        self.kernel = kernel
        self.gamma = gamma
        self.degree = degree
        self.coef0 = coef0
        self.kernel_params = kernel_params
        self.alpha = alpha
        self.fit_inverse_transform = fit_inverse_transform
        self.eigen_solver = eigen_solver
        self.tol = tol
        self.max_iter = max_iter
        self.iterated_power = iterated_power
        self.remove_zero_eig = remove_zero_eig
        self.random_state = random_state
        self.copy_X = copy_X
        self.n_jobs = n_jobs

    @property
    def _n_features_out(self):
        return self.eigenvalues_.shape[0]

    def _params(self):
        if callable(self.kernel):
            return self.kernel_params or {}
        return {"gamma": self.gamma_, "degree": self.degree, "coef0": self.coef0}

    def _get_kernel(self, X, Y=None):
        return to_tensor(_kernel(X, Y, self.kernel, self._params()), device=X.device)

    def _eigendecompose(self, K):
        n_components = K.shape[0] if self.n_components is None else min(K.shape[0], self.n_components)
        solver = self.eigen_solver
        if solver == "auto":
            solver = "arpack" if K.shape[0] > 200 and n_components < 10 else "dense"
        values, vectors = _EIGEN_SOLVERS[solver](K, n_components, self)
        values = _check_psd_eigenvalues(values)
        vectors, _ = _svd_flip_tensors(vectors, None)
        order = torch.argsort(values, descending=True, stable=True)
        values, vectors = values[order], vectors[:, order]
        if self.remove_zero_eig or self.n_components is None:
            keep = values > 0
            values, vectors = values[keep], vectors[:, keep]
        return values, vectors

    def _fit_tensors(self, X):
        if self.fit_inverse_transform and self.kernel == "precomputed":
            raise ValueError("Cannot fit_inverse_transform with a precomputed kernel.")
        X = validate_data(self, X)
        device = X.device if is_torch(X) else get_device()
        X_t = to_tensor(X, device=device)
        self.gamma_ = 1 / X_t.shape[1] if self.gamma is None else self.gamma
        small = X_t.shape[0] <= _ONE_THREAD_MAX_SAMPLES
        with one_torch_thread(device, enabled=small), one_blas_thread(small):
            K = self._get_kernel(X_t)
            centering = _center_fit(K)
            self._centering = tuple(to_numpy(t) for t in centering)
            values, vectors = self._eigendecompose(_center(K, *centering))
            self.eigenvalues_, self.eigenvectors_ = to_numpy(values), to_numpy(vectors)
            X_transformed = vectors * torch.sqrt(values)
            if self.fit_inverse_transform:
                # the pre-image map: kernel ridge regression from the projections back to X (Bakir et al. 2004)
                K_inverse = self._get_kernel(X_transformed)
                self.dual_coef_ = to_numpy(_solve_kernel_ridge(K_inverse, X_t, self.alpha))
                self.X_transformed_fit_ = to_numpy(X_transformed)
        self.X_fit_ = to_numpy(X_t)
        return X, X_transformed

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Fit the model on X (a kernel matrix when ``kernel="precomputed"``).

        Returns
        -------
        self : KernelPCA
        """
        self._fit_tensors(X)
        return self

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_transform(self, X, y=None):
        """Fit on X and return ``eigenvectors_ * sqrt(eigenvalues_)``."""
        X, X_transformed = self._fit_tensors(X)
        return to_output(X_transformed, X)

    def transform(self, X):
        """Project X on the kernel principal components.

        Returns
        -------
        X_new : ndarray or tensor of shape (n_samples, n_components)
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        device = X.device if is_torch(X) else get_device()
        X_t = to_tensor(X, device=device)
        X_fit = torch.as_tensor(self.X_fit_, dtype=X_t.dtype, device=device)
        rows, total = (torch.as_tensor(t, dtype=X_t.dtype, device=device) for t in self._centering)
        K = _center(self._get_kernel(X_t, None if self.kernel == "precomputed" else X_fit), rows, total)
        values = torch.as_tensor(self.eigenvalues_, dtype=X_t.dtype, device=device)
        vectors = torch.as_tensor(self.eigenvectors_, dtype=X_t.dtype, device=device)
        nonzero = values > 0
        scaled = torch.where(nonzero, vectors / torch.sqrt(torch.where(nonzero, values, 1.0)), 0.0)
        return to_output(K @ scaled, X)

    def inverse_transform(self, X):
        """The learned pre-image of projected points: ``K(X, X_transformed_fit_) @ dual_coef_``.

        Returns
        -------
        X_original : ndarray or tensor of shape (n_samples, n_features)
        """
        if not self.fit_inverse_transform:
            raise NotFittedError(
                "The fit_inverse_transform parameter was not set to True when instantiating and hence "
                "the inverse transform is not available."
            )
        check_is_fitted(self)
        device = X.device if is_torch(X) else get_device()
        Z = to_tensor(X, device=device)
        fitted = torch.as_tensor(self.X_transformed_fit_, dtype=Z.dtype, device=device)
        K = self._get_kernel(Z, fitted)
        return to_output(K @ torch.as_tensor(self.dual_coef_, dtype=Z.dtype, device=device), X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.pairwise = self.kernel == "precomputed"
        return tags
