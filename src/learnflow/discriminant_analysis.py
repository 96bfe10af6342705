"""Linear discriminant analysis: a classifier and a supervised dimensionality reducer (Chapter 8)."""

# SPDX-License-Identifier: BSD-3-Clause

import warnings
from numbers import Integral, Real

import numpy as np
import torch

from ._engine import get_device, is_torch, labels_to_output, to_numpy, to_output, to_tensor
from .base import BaseEstimator, ClassifierMixin, TransformerMixin, _fit_context
from .decomposition._base import _ComponentNamesMixin
from .utils._param_validation import Interval, StrOptions
from .utils.multiclass import check_classification_targets
from .utils.validation import check_is_fitted, column_or_1d, validate_data

__all__ = ["LinearDiscriminantAnalysis"]


# ---------------------------------------------------------------------------
# Covariance estimates (on tensors)
# ---------------------------------------------------------------------------

def _empirical_covariance(X):
    # S = (X - mean)^T (X - mean) / n
    centered = X - X.mean(dim=0)
    return centered.T @ centered / X.shape[0]


def _shrunk(covariance, shrinkage):
    # (1 - s) S + s * trace(S) / p * I
    mu = torch.trace(covariance) / covariance.shape[0]
    return (1 - shrinkage) * covariance + shrinkage * mu * torch.eye(covariance.shape[0], dtype=covariance.dtype,
                                                                       device=covariance.device)


def _ledoit_wolf_shrinkage(X):
    """The Ledoit-Wolf optimal shrinkage of centred X (as scikit-learn's ledoit_wolf_shrinkage)."""
    n_samples, n_features = X.shape
    X2 = X**2
    trace_terms = X2.sum(dim=0) / n_samples
    mu = trace_terms.sum() / n_features
    beta_ = (X2.T @ X2).sum()
    delta_ = ((X.T @ X) ** 2).sum() / n_samples**2
    beta = (beta_ / n_samples - delta_) / (n_features * n_samples)
    delta = (delta_ - 2.0 * mu * trace_terms.sum() + n_features * mu**2) / n_features
    beta = torch.minimum(beta, delta)
    return 0.0 if float(beta) == 0 else float(beta / delta)


def _ledoit_wolf(X):
    centered = X - X.mean(dim=0)
    if X.shape[1] == 1:
        return (centered**2).mean().reshape(1, 1)
    return _shrunk(_empirical_covariance(X), _ledoit_wolf_shrinkage(centered))


def _cov(X, shrinkage):
    """Covariance of X: empirical (None), Ledoit-Wolf on standardized X ("auto"), or shrunk by a float."""
    if shrinkage is None:
        return _empirical_covariance(X)
    if isinstance(shrinkage, str):
        scale = X.std(dim=0, correction=0)
        scale = torch.where(scale == 0, torch.ones_like(scale), scale)
        s = _ledoit_wolf((X - X.mean(dim=0)) / scale)
        return scale[:, None] * s * scale[None, :]
    return _shrunk(_empirical_covariance(X), shrinkage)


def _class_means(X, codes, n_classes):
    return torch.stack([X[codes == k].mean(dim=0) for k in range(n_classes)])


def _class_cov(X, codes, priors, shrinkage=None):
    # S_w = sum_k prior_k * Cov(X_k)
    return sum(priors[k] * _cov(X[codes == k], shrinkage) for k in range(priors.shape[0]))


# ---------------------------------------------------------------------------
# Solvers: fill means_, coef_, intercept_ (and scalings_, explained_variance_ratio_)
# ---------------------------------------------------------------------------

def _solve_lsqr(lda, X, codes, priors, means):
    # coef = S_w^-1 mu_k (least squares); intercept = -mu_k^T coef / 2 + log prior_k
    lda.covariance_ = _class_cov(X, codes, priors, lda.shrinkage)
    coef = torch.linalg.lstsq(lda.covariance_.cpu(), means.T.cpu(), driver="gelsd").solution.T.to(X.device)
    return coef, -0.5 * (means * coef).sum(dim=1) + torch.log(priors)


def _solve_eigen(lda, X, codes, priors, means):
    # generalized eigenproblem S_b v = lambda S_w v, with S_b = S_t - S_w
    Sw = _class_cov(X, codes, priors, lda.shrinkage)
    lda.covariance_ = Sw
    Sb = _cov(X, lda.shrinkage) - Sw
    L = torch.linalg.cholesky(Sw)
    L_inv = torch.linalg.inv(L)
    evals, y = torch.linalg.eigh(L_inv @ Sb @ L_inv.T)
    evecs = L_inv.T @ y
    order = torch.argsort(evals, descending=True)
    lda.explained_variance_ratio_ = to_numpy((evals / evals.sum())[order][: lda._max_components])
    evecs = evecs[:, order]
    lda.scalings_ = to_numpy(evecs)
    coef = means @ evecs @ evecs.T
    return coef, -0.5 * (means * coef).sum(dim=1) + torch.log(priors)


def _solve_svd(lda, X, codes, priors, means):
    # whiten the within-class scatter by an SVD, then an SVD of the whitened class means
    n_samples, n_classes = X.shape[0], priors.shape[0]
    if lda.store_covariance:
        lda.covariance_ = _class_cov(X, codes, priors)
    Xc = X - means[codes]
    std = Xc.std(dim=0, correction=0)
    std = torch.where(std == 0, torch.ones_like(std), std)
    _, S, Vt = torch.linalg.svd(np.sqrt(1.0 / n_samples) * (Xc / std), full_matrices=False)
    rank = int((S > lda.tol).sum())
    scalings = (Vt[:rank] / std).T / S[:rank]
    xbar = priors @ means
    fac = 1.0 if n_classes == 1 else 1.0 / (n_classes - 1)
    _, S, Vt = torch.linalg.svd((torch.sqrt(n_samples * priors * fac) * (means - xbar).T).T @ scalings,
                                full_matrices=False)
    lda.explained_variance_ratio_ = to_numpy((S**2 / (S**2).sum())[: lda._max_components])
    rank = int((S > lda.tol * S[0]).sum())
    scalings = scalings @ Vt.T[:, :rank]
    lda.scalings_, lda.xbar_ = to_numpy(scalings), to_numpy(xbar)
    coef = (means - xbar) @ scalings
    intercept = -0.5 * (coef**2).sum(dim=1) + torch.log(priors)
    coef = coef @ scalings.T
    return coef, intercept - xbar @ coef.T


_SOLVERS = {"svd": _solve_svd, "lsqr": _solve_lsqr, "eigen": _solve_eigen}


class LinearDiscriminantAnalysis(_ComponentNamesMixin, ClassifierMixin, TransformerMixin, BaseEstimator):
    """Linear discriminant analysis: Gaussian classes with a shared covariance.

    As a classifier it predicts the class of highest posterior; as a
    transformer it projects on the axes that best separate the classes
    (Chapter 8: "LDA ... learns the most discriminative axes").

    Parameters
    ----------
    solver : {"svd", "lsqr", "eigen"}, default="svd"
        "svd" needs no covariance matrix (and supports no shrinkage); "lsqr"
        classifies only; "eigen" solves the generalized eigenproblem.
    shrinkage : "auto", float in [0, 1] or None, default=None
        Covariance shrinkage ("auto" is Ledoit-Wolf); "lsqr" and "eigen" only.
    priors : array-like of shape (n_classes,), default=None
        Class priors; the class frequencies when None.
    n_components : int, default=None
        Dimensions of ``transform`` (at most ``min(n_classes - 1, n_features)``).
    store_covariance : bool, default=False
        Store ``covariance_`` with the "svd" solver (always stored by the others).
    tol : float, default=1e-4
        Singular values below it count as zero ("svd").

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,) or (n_classes, n_features)
    intercept_ : ndarray of shape (n_classes,)
    covariance_ : ndarray of shape (n_features, n_features)
    explained_variance_ratio_ : ndarray of shape (n_components,)
    means_ : ndarray of shape (n_classes, n_features)
    priors_ : ndarray of shape (n_classes,)
    scalings_ : ndarray of shape (rank, n_classes - 1)
    xbar_ : ndarray of shape (n_features,)
    classes_ : ndarray of shape (n_classes,)
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from learnflow.discriminant_analysis import LinearDiscriminantAnalysis
    >>> X = np.array([[-1, -1], [-2, -1], [-3, -2], [1, 1], [2, 1], [3, 2]])
    >>> y = np.array([1, 1, 1, 2, 2, 2])
    >>> LinearDiscriminantAnalysis().fit(X, y).predict([[-0.8, -1]])
    array([1])
    """

    _parameter_constraints = {
        "solver": [StrOptions({"svd", "lsqr", "eigen"})],
        "shrinkage": [StrOptions({"auto"}), Interval(Real, 0, 1, closed="both"), None],
        "n_components": [Interval(Integral, 1, None, closed="left"), None],
        "priors": ["array-like", None],
        "store_covariance": ["boolean"],
        "tol": [Interval(Real, 0, None, closed="left")],
    }

    def __init__(self, solver="svd", shrinkage=None, priors=None, n_components=None, store_covariance=False,
                 tol=1e-4):
        self.solver = solver
        self.shrinkage = shrinkage
        self.priors = priors
        self.n_components = n_components
        self.store_covariance = store_covariance
        self.tol = tol

    def _priors(self, counts, n_samples, like):
        if self.priors is None:
            priors = counts / n_samples
        else:
            priors = np.asarray(to_numpy(self.priors), dtype=np.float64)
        if (priors < 0).any():
            raise ValueError("priors must be non-negative")
        if abs(priors.sum() - 1.0) > 1e-5:
            warnings.warn("The priors do not sum to 1. Renormalizing", UserWarning)
            priors = priors / priors.sum()
        return torch.as_tensor(priors, dtype=like.dtype, device=like.device)

    def _check_components(self, n_classes, n_features):
        max_components = min(n_classes - 1, n_features)
        if self.n_components is not None and self.n_components > max_components:
            raise ValueError("n_components cannot be larger than min(n_features, n_classes - 1).")
        return max_components if self.n_components is None else self.n_components

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Fit the class means, the shared covariance and the discriminant axes.

        Parameters
        ----------
        X : array-like or tensor of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)

        Returns
        -------
        self : LinearDiscriminantAnalysis
        """
        X, y = validate_data(self, X, y, ensure_min_samples=2, multi_output=True)
        y = column_or_1d(to_numpy(y), warn=True)
        check_classification_targets(y)
        self.classes_, codes, counts = np.unique(y, return_inverse=True, return_counts=True)
        n_samples, n_classes = X.shape[0], len(self.classes_)
        if n_samples == n_classes:
            raise ValueError("The number of samples must be more than the number of classes.")
        if self.solver == "svd" and self.shrinkage is not None:
            raise ValueError("shrinkage not supported with 'svd' solver.")
        X_t = to_tensor(X, device=X.device if is_torch(X) else get_device())
        codes = torch.as_tensor(codes, device=X_t.device)
        priors = self._priors(counts, n_samples, X_t)
        self._max_components = self._check_components(n_classes, X_t.shape[1])
        means = _class_means(X_t, codes, n_classes)
        coef, intercept = _SOLVERS[self.solver](self, X_t, codes, priors, means)
        if n_classes == 2:
            coef, intercept = (coef[1] - coef[0])[None, :], (intercept[1] - intercept[0]).reshape(1)
        self.priors_, self.means_ = to_numpy(priors), to_numpy(means)
        self.coef_, self.intercept_ = to_numpy(coef), to_numpy(intercept)
        if hasattr(self, "covariance_") and is_torch(self.covariance_):
            self.covariance_ = to_numpy(self.covariance_)
        return self

    @property
    def _n_features_out(self):
        return self._max_components

    def transform(self, X):
        """Project X on the discriminant axes ("svd" and "eigen" solvers).

        Returns
        -------
        X_new : ndarray or tensor of shape (n_samples, n_components)
        """
        if self.solver == "lsqr":
            raise ValueError("transform not implemented for 'lsqr' solver (use 'svd' or 'eigen').")
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        X_t = to_tensor(X, device=X.device if is_torch(X) else get_device())
        scalings = torch.as_tensor(self.scalings_, dtype=X_t.dtype, device=X_t.device)
        if self.solver == "svd":
            X_t = X_t - torch.as_tensor(self.xbar_, dtype=X_t.dtype, device=X_t.device)
        return to_output((X_t @ scalings)[:, : self._max_components], X)

    def _decision(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        X_t = to_tensor(X, device=X.device if is_torch(X) else get_device())
        coef = torch.as_tensor(self.coef_, dtype=X_t.dtype, device=X_t.device)
        scores = X_t @ coef.T + torch.as_tensor(self.intercept_, dtype=X_t.dtype, device=X_t.device)
        return (scores[:, 0] if scores.shape[1] == 1 else scores), X

    def decision_function(self, X):
        """Signed class scores ``X @ coef_.T + intercept_`` (one column for two classes).

        Returns
        -------
        scores : ndarray or tensor of shape (n_samples,) or (n_samples, n_classes)
        """
        scores, X = self._decision(X)
        return to_output(scores, X)

    def predict_proba(self, X):
        """Posterior class probabilities (logistic for two classes, softmax otherwise)."""
        scores, X = self._decision(X)
        if scores.ndim == 1:
            p = torch.sigmoid(scores)
            return to_output(torch.stack([1 - p, p], dim=1), X)
        return to_output(torch.softmax(scores, dim=1), X)

    def predict_log_proba(self, X):
        """Logarithm of ``predict_proba`` (zeros lifted to the smallest normal number)."""
        proba = self.predict_proba(X)
        if is_torch(proba):
            return torch.log(torch.where(proba == 0, torch.finfo(proba.dtype).tiny, proba))
        return np.log(np.where(proba == 0, np.finfo(proba.dtype).tiny, proba))

    def predict(self, X):
        """The class of highest posterior."""
        scores, X_checked = self._decision(X)
        index = (scores > 0).long() if scores.ndim == 1 else scores.argmax(dim=1)
        labels = self.classes_[to_numpy(index)]
        return labels_to_output(labels, X)
