"""The probabilistic-PCA base shared by PCA and IncrementalPCA."""

# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
import torch

from .._engine import get_device, is_torch, on_host_blas, to_output, to_tensor
from ..base import BaseEstimator, TransformerMixin
from ..utils.validation import check_array, check_is_fitted, validate_data

__all__ = []


def _fitted_tensor(array, like):
    """A fitted numpy attribute as a tensor on the device and dtype of ``like``."""
    return torch.as_tensor(np.asarray(array), dtype=like.dtype, device=like.device)


# Tall matrices from this many rows per column are first reduced to their R factor (measured with
# OpenBLAS on one thread: QR + SVD of R takes 0.89x gesdd's time at 1.28 rows per column, 0.71x at 2.6,
# 0.5x at 13; at 1.0 it is 4% slower)
_QR_FIRST_ROWS_PER_COLUMN = 1.2

# The Gram path's right singular vectors lose about (s_0 / s_k)^2 of relative accuracy against the SVD's:
# up to a ratio of 100 (1e4 lost) they stay within about 1e-12; below it the SVD is taken
_GRAM_MAX_CONDITION = 1e2


def _thin_svd(A, need_u=True):
    """``A = U diag(S) Vt`` (thin, LAPACK's divide-and-conquer gesdd) as tensors on A's device; A may be overwritten.

    A CPU tensor is decomposed by scipy's LAPACK, the one scikit-learn calls (the same
    factors, faster: see :func:`learnflow._engine.on_host_blas`); tensors on other devices
    use ``torch.linalg.svd``. Without ``need_u`` a tall CPU matrix is first factored
    ``A = QR``: ``R = U_R S Vt`` has A's singular values and right vectors, and Q, the
    larger half of gesdd's work, is never formed (U is then None).
    """
    if not on_host_blas(A):
        return torch.linalg.svd(A, full_matrices=False)
    from scipy import linalg

    A_np = A.numpy()
    n_rows, n_columns = A_np.shape
    if not need_u and n_rows >= _QR_FIRST_ROWS_PER_COLUMN * n_columns:
        R = linalg.qr(A_np, mode="r", overwrite_a=True, check_finite=False)[0][:n_columns]
        _, S, Vt = linalg.svd(R, full_matrices=False, check_finite=False, overwrite_a=True)
        return None, torch.from_numpy(S), torch.from_numpy(Vt)
    U, S, Vt = linalg.svd(A_np, full_matrices=False, check_finite=False, overwrite_a=True)
    return torch.from_numpy(U), torch.from_numpy(S), torch.from_numpy(Vt)


def _leading_svd(A, n_vectors):
    """All singular values of A and its first ``n_vectors`` right singular vectors: ``(S, Vt[:n_vectors])``.

    # A A^T = U diag(S^2) U^T  =>  Vt[:k] = diag(1 / S[:k]) U[:, :k]^T A

    A wide CPU matrix (fewer rows than columns) goes through the eigendecomposition of
    its small Gram matrix, about 2.6x faster than the SVD for IncrementalPCA's 655 x 784
    batches, while ``S[k - 1] / S[0]`` stays above ``1 / _GRAM_MAX_CONDITION`` (within
    ~1e-12 of the SVD's vectors); otherwise, and for other matrices, the SVD. A may be
    overwritten.
    """
    n_rows, n_columns = A.shape
    if on_host_blas(A) and n_rows < n_columns:
        from scipy import linalg

        A_np = A.numpy()
        eigenvalues, eigenvectors = linalg.eigh(A_np @ A_np.T, driver="evd", overwrite_a=True, check_finite=False)
        S = np.sqrt(np.clip(eigenvalues[::-1], 0.0, None))
        if S[n_vectors - 1] * _GRAM_MAX_CONDITION >= S[0] > 0:
            leading = eigenvectors[:, ::-1][:, :n_vectors]  # eigh's ascending order, reversed
            return torch.from_numpy(S), torch.from_numpy((leading.T @ A_np) / S[:n_vectors, None])
    _, S, Vt = _thin_svd(A, need_u=False)
    return S, Vt[:n_vectors]


def _input_tensor(X):
    """Validated input as a floating tensor (tensors keep their device)."""
    if is_torch(X):
        return X if X.is_floating_point() else to_tensor(X, device=X.device)
    return to_tensor(X, device=get_device())


class _ComponentNamesMixin:
    """``get_feature_names_out`` as "<classname>0", "<classname>1", ... (scikit-learn's prefix names)."""

    def get_feature_names_out(self, input_features=None):
        check_is_fitted(self)
        prefix = type(self).__name__.lower()
        return np.asarray([f"{prefix}{i}" for i in range(self._n_features_out)], dtype=object)


class _BasePCA(_ComponentNamesMixin, TransformerMixin, BaseEstimator):
    """Transform, inverse transform and the generative model's covariance for the PCA family."""

    @property
    def _n_features_out(self):
        return self.components_.shape[0]

    def _scaled_components(self, components, explained_variance):
        if self.whiten:
            return components * torch.sqrt(explained_variance)[:, None]
        return components

    def get_covariance(self):
        """Covariance of the generative model: ``W^T diag(S^2 - sigma^2) W + sigma^2 I``.

        Returns
        -------
        cov : ndarray of shape (n_features, n_features)
        """
        check_is_fitted(self)
        components = torch.as_tensor(self.components_, dtype=torch.float64)
        variance = torch.as_tensor(self.explained_variance_, dtype=torch.float64)
        components = self._scaled_components(components, variance)
        difference = torch.clamp(variance - self.noise_variance_, min=0.0)
        cov = (components.T * difference) @ components
        cov += float(self.noise_variance_) * torch.eye(cov.shape[0], dtype=torch.float64)
        return cov.numpy()

    def get_precision(self):
        """Inverse of :meth:`get_covariance`, by the matrix inversion lemma.

        Returns
        -------
        precision : ndarray of shape (n_features, n_features)
        """
        check_is_fitted(self)
        n_features = self.components_.shape[1]
        noise = float(self.noise_variance_)
        if self.n_components_ == 0:
            return np.eye(n_features) / noise
        if noise == 0.0 or self.n_components_ == n_features:
            return np.linalg.inv(self.get_covariance())
        # P = I/s2 - W^T (W W^T / s2 + diag(1/(S^2 - s2)))^-1 W / s2^2
        components = torch.as_tensor(self.components_, dtype=torch.float64)
        variance = torch.as_tensor(self.explained_variance_, dtype=torch.float64)
        components = self._scaled_components(components, variance)
        difference = torch.clamp(variance - noise, min=0.0)
        inner = components @ components.T / noise + torch.diag(1.0 / difference)
        precision = -(components.T @ torch.linalg.inv(inner) @ components) / noise**2
        precision += torch.eye(n_features, dtype=torch.float64) / noise
        return precision.numpy()

    def _project(self, X):
        """(X - mean) W^T, whitened when asked, on tensors."""
        components = _fitted_tensor(self.components_, X)
        Z = (X - _fitted_tensor(self.mean_, X)) @ components.T
        if self.whiten:
            scale = torch.sqrt(_fitted_tensor(self.explained_variance_, X))
            Z /= torch.clamp(scale, min=torch.finfo(scale.dtype).eps)
        return Z

    def transform(self, X):
        """Project X on the principal components (Equation 8-2).

        Parameters
        ----------
        X : array-like or tensor of shape (n_samples, n_features)

        Returns
        -------
        X_new : ndarray or tensor of shape (n_samples, n_components)
        """
        check_is_fitted(self)
        X_checked = validate_data(self, X, reset=False)
        return to_output(self._project(_input_tensor(X_checked)), X_checked)

    def inverse_transform(self, X):
        """Map projected data back to the original space (Equation 8-3): ``Z W + mean``.

        Parameters
        ----------
        X : array-like or tensor of shape (n_samples, n_components)

        Returns
        -------
        X_original : ndarray or tensor of shape (n_samples, n_features)
        """
        check_is_fitted(self)
        X_checked = check_array(X, input_name="X", estimator=self)
        Z = _input_tensor(X_checked)
        components = _fitted_tensor(self.components_, Z)
        if self.whiten:
            components = components * torch.sqrt(_fitted_tensor(self.explained_variance_, Z))[:, None]
        return to_output(Z @ components + _fitted_tensor(self.mean_, Z), X_checked)
