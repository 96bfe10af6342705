"""Kernel ridge regression: ridge regression in the feature space of a kernel.

Also the regressor that learns KernelPCA's pre-image (Chapter 8, Bakir et al. 2004).
"""

# SPDX-License-Identifier: BSD-3-Clause

import warnings
from numbers import Real

import numpy as np
import torch

from ._engine import get_device, is_torch, to_numpy, to_output, to_tensor
from .base import BaseEstimator, MultiOutputMixin, RegressorMixin, _fit_context
from .utils._param_validation import Interval, StrOptions
from .utils.extmath import _shifted_cholesky_solve
from .utils.validation import check_is_fitted, check_sample_weight, validate_data

__all__ = ["KernelRidge"]

_KERNELS = {"linear", "poly", "polynomial", "rbf", "sigmoid", "laplacian", "cosine", "precomputed"}


def _kernel(X, Y, kernel, params):
    """``pairwise_kernels(X, Y, metric=kernel, filter_params=True, **params)`` as a tensor."""
    from .metrics.pairwise import pairwise_kernels

    return pairwise_kernels(X, Y, metric=kernel, filter_params=True, **params)


def _solve_kernel_ridge(K, y, alpha, sample_weight=None):
    """Dual coefficients of kernel ridge regression, on tensors.

    # dual_coef = (K + alpha I)^-1 y; with weights sw: sqrt(sw) (S K S + alpha I)^-1 S y, S = diag(sqrt(sw))

    ``alpha`` is a float or one value per column of ``y`` (shape (n_samples, n_targets)).
    """
    n_samples = K.shape[0]
    alphas = torch.as_tensor(np.atleast_1d(np.asarray(alpha, dtype=np.float64)), dtype=K.dtype, device=K.device)
    if sample_weight is not None:
        sw = torch.sqrt(torch.as_tensor(sample_weight, dtype=K.dtype, device=K.device))
        y = y * sw[:, None]
        K = K * sw[:, None] * sw[None, :]
    try:
        dual_coef = _shifted_cholesky_solve(K, y, alphas)
    except torch.linalg.LinAlgError:
        warnings.warn("Singular matrix in solving dual problem. Using least-squares solution instead.")
        eye = torch.eye(n_samples, dtype=K.dtype, device=K.device)
        dual_coef = torch.cat([
            torch.linalg.lstsq((K + a * eye).cpu(), y[:, [j]].cpu(), driver="gelsd").solution.to(K.device)
            for j, a in enumerate(alphas.expand(y.shape[1]).tolist())
        ], dim=1)
    return dual_coef * sw[:, None] if sample_weight is not None else dual_coef


class KernelRidge(MultiOutputMixin, RegressorMixin, BaseEstimator):
    """Kernel ridge regression: ridge regression with the kernel trick.

    Parameters
    ----------
    alpha : float or array-like of shape (n_targets,), default=1.0
        Regularization strength; one value per target is allowed.
    kernel : str or callable, default="linear"
        A kernel name of :func:`learnflow.metrics.pairwise.pairwise_kernels`,
        "precomputed" (X is a kernel matrix) or a callable.
    gamma : float, default=None
        Parameter of the rbf, laplacian, poly and sigmoid kernels (None: 1 / n_features).
    degree : float, default=3
    coef0 : float, default=1
    kernel_params : dict, default=None
        Parameters of a callable kernel.

    Attributes
    ----------
    dual_coef_ : ndarray of shape (n_samples,) or (n_samples, n_targets)
    X_fit_ : ndarray of shape (n_samples, n_features)
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from learnflow.kernel_ridge import KernelRidge
    >>> X = np.arange(6.0).reshape(-1, 1)
    >>> reg = KernelRidge(alpha=0.1, kernel="rbf", gamma=0.5).fit(X, np.sin(X).ravel())
    >>> reg.predict([[2.5]]).round(3)
    array([0.561])
    """

    _parameter_constraints = {
        "alpha": [Interval(Real, 0, None, closed="left"), "array-like"],
        "kernel": [StrOptions(_KERNELS), callable],
        "gamma": [Interval(Real, 0, None, closed="left"), None],
        "degree": [Interval(Real, 0, None, closed="left")],
        "coef0": [Interval(Real, None, None, closed="neither")],
        "kernel_params": [dict, None],
    }

    def __init__(self, alpha=1, *, kernel="linear", gamma=None, degree=3, coef0=1, kernel_params=None):
        self.alpha = alpha
        self.kernel = kernel
        self.gamma = gamma
        self.degree = degree
        self.coef0 = coef0
        self.kernel_params = kernel_params

    def _params(self):
        if callable(self.kernel):
            return self.kernel_params or {}
        return {"gamma": self.gamma, "degree": self.degree, "coef0": self.coef0}

    def _get_kernel(self, X, Y=None):
        return _kernel(X, Y, self.kernel, self._params())

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Solve for the dual coefficients.

        Parameters
        ----------
        X : array-like or tensor of shape (n_samples, n_features), or (n_samples, n_samples) if precomputed
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
        sample_weight : float or array-like of shape (n_samples,), default=None

        Returns
        -------
        self : KernelRidge
        """
        X, y = validate_data(self, X, y, multi_output=True, y_numeric=True)
        if sample_weight is not None and not isinstance(sample_weight, float):
            sample_weight = check_sample_weight(sample_weight, X)
        device = X.device if is_torch(X) else get_device()
        X_t = X if is_torch(X) and X.is_floating_point() else to_tensor(X, device=device)
        K = to_tensor(self._get_kernel(X_t), device=device)
        y_t = to_tensor(y, device=device).to(K.dtype)
        ravel = y_t.ndim == 1
        y_t = y_t.reshape(-1, 1) if ravel else y_t
        weight = None if sample_weight is None else np.array(np.broadcast_to(sample_weight, (K.shape[0],)))
        dual_coef = _solve_kernel_ridge(K, y_t, self.alpha, weight)
        self.dual_coef_ = to_numpy(dual_coef.ravel() if ravel else dual_coef)
        self.X_fit_ = to_numpy(X_t)
        return self

    def predict(self, X):
        """Predict ``K(X, X_fit_) @ dual_coef_``.

        Parameters
        ----------
        X : array-like or tensor of shape (n_samples, n_features)

        Returns
        -------
        y : ndarray or tensor of shape (n_samples,) or (n_samples, n_targets)
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        device = X.device if is_torch(X) else get_device()
        X_t = to_tensor(X, device=device)
        X_fit = torch.as_tensor(self.X_fit_, dtype=X_t.dtype, device=device)
        K = to_tensor(self._get_kernel(X_t, None if self.kernel == "precomputed" else X_fit), device=device)
        return to_output(K @ torch.as_tensor(self.dual_coef_, dtype=K.dtype, device=device), X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.pairwise = self.kernel == "precomputed"
        return tags
