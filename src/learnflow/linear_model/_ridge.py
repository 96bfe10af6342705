"""Ridge regression: least squares with an l2 penalty, closed form or iterative.

The objective is scikit-learn's: ``||y - Xw - b||^2 + alpha * ||w||^2`` (the
residual sum of squares, not the mean; the book's Ridge prediction 1.55071465
needs exactly this scaling). The intercept is not penalized: the data are
centered first.
"""

# SPDX-License-Identifier: BSD-3-Clause

import warnings
from numbers import Integral, Real

import numpy as np
import torch

from .._engine import one_blas_thread, to_numpy
from ..base import MultiOutputMixin, RegressorMixin, _fit_context
from ..exceptions import ConvergenceWarning
from ..utils._param_validation import Interval, StrOptions
from ..utils.extmath import _shifted_cholesky_solve
from ..utils.multiclass import check_classification_targets
from ..utils.validation import validate_data
from ._base import (
    LinearClassifierMixin,
    LinearModel,
    _as_tensors,
    _centered_gram,
    _compute_class_weight,
    _cross,
    _gram,
    _preprocess_data,
    _rescale_data,
    _sample_weight_tensor,
)

__all__ = ["Ridge", "RidgeClassifier"]


# ---------------------------------------------------------------------------
# Solvers: X (n_samples, n_features), Y (n_samples, n_targets), alpha (n_targets,)
# each returns (coef of shape (n_targets, n_features), n_iter or None)
# ---------------------------------------------------------------------------


def _solve_cholesky(X, Y, alpha, max_iter=None, tol=None):
    # w = inv(X^T X + alpha * I) X^T y  (primal, n_features <= n_samples)
    # w = X^T inv(X X^T + alpha * I) y  (dual/kernel form otherwise)
    n_samples, n_features = X.shape
    dual = n_features > n_samples
    gram = _gram(X.T) if dual else _gram(X)
    rhs = Y if dual else _cross(X, Y)
    solution = _shifted_cholesky_solve(gram, rhs, alpha)
    coef = X.T @ solution if dual else solution
    return coef.T, None


def _solve_svd(X, Y, alpha, max_iter=None, tol=None):
    # w = V diag(s / (s^2 + alpha)) U^T y  with X = U diag(s) V^T
    U, s, Vt = torch.linalg.svd(X, full_matrices=False)
    keep = s > 1e-15
    s, U, Vt = s[keep], U[:, keep], Vt[keep]
    d = s[:, None] / (s[:, None] ** 2 + alpha[None, :])
    return (Vt.T @ (d * (U.T @ Y))).T, None


def _solve_cg(X, Y, alpha, max_iter=None, tol=1e-4):
    # conjugate gradient on (X^T X + alpha I) w = X^T y, X only through products
    max_iter = 10 * X.shape[1] if max_iter is None else max_iter
    B = X.T @ Y
    W = torch.zeros_like(B)
    R = B.clone()
    P = R.clone()
    rs = (R * R).sum(dim=0)
    stop = (tol * torch.linalg.vector_norm(B, dim=0)) ** 2
    n_iter = 0
    for n_iter in range(1, max_iter + 1):
        if bool((rs <= stop).all()):
            n_iter -= 1
            break
        AP = X.T @ (X @ P) + alpha[None, :] * P
        step = rs / (P * AP).sum(dim=0).clamp_min(torch.finfo(X.dtype).tiny)
        W += step * P
        R -= step * AP
        rs_new = (R * R).sum(dim=0)
        P = R + (rs_new / rs.clamp_min(torch.finfo(X.dtype).tiny)) * P
        rs = rs_new
    else:
        if bool((rs > stop).any()):
            warnings.warn("Ridge's conjugate gradient solver did not converge.", ConvergenceWarning, stacklevel=4)
    return W.T, n_iter


def _solve_lbfgs(X, Y, alpha, max_iter=None, tol=1e-4, positive=False):
    # min_w 0.5 ||y - X w||^2 + 0.5 alpha ||w||^2  (w >= 0 if positive), scipy's L-BFGS-B on torch values
    from scipy.optimize import minimize

    options = {} if max_iter is None else {"maxiter": max_iter}
    bounds = [(0, None)] * X.shape[1] if positive else None
    rows, n_iters = [], []
    for k in range(Y.shape[1]):
        y, a = Y[:, k], float(alpha[k])

        def objective(w, y=y, a=a):
            w_t = torch.as_tensor(w, dtype=X.dtype, device=X.device)
            residual = X @ w_t - y
            value = 0.5 * residual @ residual + 0.5 * a * w_t @ w_t
            return float(value), to_numpy(X.T @ residual + a * w_t)

        result = minimize(
            objective,
            np.zeros(X.shape[1]),
            method="L-BFGS-B",
            jac=True,
            bounds=bounds,
            tol=tol,
            options=options,
        )
        if not result.success:
            warnings.warn(f"The lbfgs solver did not converge: {result.message}", ConvergenceWarning, stacklevel=4)
        rows.append(torch.as_tensor(result.x, dtype=X.dtype, device=X.device))
        n_iters.append(result.nit)
    return torch.stack(rows), max(n_iters)


SOLVERS = {
    "cholesky": _solve_cholesky,
    "svd": _solve_svd,
    "sparse_cg": _solve_cg,
    "lsqr": _solve_cg,
    "sag": _solve_cg,
    "saga": _solve_cg,
    "lbfgs": _solve_lbfgs,
}


def _ridge_regression(X, Y, alpha, *, solver, max_iter, tol, positive):
    """Dispatch to a solver; "auto" is Cholesky (SVD if X^T X + alpha I is singular)."""
    if positive:
        return _solve_lbfgs(X, Y, alpha, max_iter, tol, positive=True)
    name = "cholesky" if solver == "auto" else solver
    if name == "cholesky":
        try:
            return _solve_cholesky(X, Y, alpha)
        except torch.linalg.LinAlgError:
            name = "svd"
    return SOLVERS[name](X, Y, alpha, max_iter, tol)


# ---------------------------------------------------------------------------
# Estimators
# ---------------------------------------------------------------------------


# Gram matrices of up to this many multiply-adds (n_samples * n_features^2) are built on one BLAS thread:
# 20000 x 200 (8e8) took 45 ms on one thread and 40-120 ms on two, from run to run (2-core machine)
_ONE_BLAS_THREAD_GRAM = 10**9


class _BaseRidge(LinearModel):
    _parameter_constraints = {
        "alpha": [Interval(Real, 0, None, closed="left"), "array-like"],
        "fit_intercept": ["boolean"],
        "copy_X": ["boolean"],
        "max_iter": [Interval(Integral, 1, None, closed="left"), None],
        "tol": [Interval(Real, 0, None, closed="left")],
        "solver": [StrOptions({"auto", "svd", "cholesky", "lsqr", "sparse_cg", "sag", "saga", "lbfgs"})],
        "positive": ["boolean"],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        alpha=1.0,
        *,
        fit_intercept=True,
        copy_X=True,
        max_iter=None,
        tol=1e-4,
        solver="auto",
        positive=False,
        random_state=None,
    ):
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.copy_X = copy_X
        self.max_iter = max_iter
        self.tol = tol
        self.solver = solver
        self.positive = positive
        self.random_state = random_state

    def _check_solver(self):
        if self.positive and self.solver not in ("auto", "lbfgs"):
            raise ValueError(
                f"solver='{self.solver}' does not support positive fitting. Please set the solver to "
                "'auto' or 'lbfgs', or set `positive=False`"
            )
        if self.solver == "lbfgs" and not self.positive:
            raise ValueError("'lbfgs' solver can be used only when positive=True. Please use another solver.")

    def _fit_tensors(self, X, Xt, Yt, weight):
        """Fit on tensors: Yt is (n_samples, n_targets); returns coef (n_targets, n_features)."""
        self._check_solver()
        alpha = torch.as_tensor(np.atleast_1d(np.asarray(self.alpha, dtype=np.float64)), dtype=Xt.dtype, device=Xt.device)
        if alpha.numel() not in (1, Yt.shape[1]):
            raise ValueError(
                f"Number of targets and number of penalties do not correspond: {alpha.numel()} != {Yt.shape[1]}"
            )
        if (alpha < 0).any():
            raise ValueError("alpha values must be non-negative.")
        alpha = alpha.expand(Yt.shape[1]).contiguous()
        self.solver_ = "lbfgs" if self.positive else ("cholesky" if self.solver == "auto" else self.solver)
        if weight is None and self.solver_ == "cholesky" and Xt.shape[1] <= Xt.shape[0]:
            # the primal normal equations need only X^T X and X^T y: no centered copy of X
            with one_blas_thread(Xt.shape[0] * Xt.shape[1] ** 2 <= _ONE_BLAS_THREAD_GRAM):
                gram, cross, X_offset, y_offset, _ = _centered_gram(Xt, Yt, fit_intercept=self.fit_intercept)
            try:
                coef = _shifted_cholesky_solve(gram, cross, alpha).T
            except torch.linalg.LinAlgError:
                pass
            else:
                self.n_iter_ = 1
                return coef, X_offset, y_offset
        Xc, Yc, X_offset, y_offset = _preprocess_data(Xt, Yt, fit_intercept=self.fit_intercept, sample_weight=weight)
        if weight is not None:
            Xc, Yc = _rescale_data(Xc, Yc, weight)
        coef, n_iter = _ridge_regression(
            Xc, Yc, alpha, solver=self.solver, max_iter=self.max_iter, tol=self.tol, positive=self.positive
        )
        self.n_iter_ = 1 if n_iter is None else max(int(n_iter), 1)  # a direct solve counts as one
        return coef, X_offset, y_offset


class Ridge(MultiOutputMixin, RegressorMixin, _BaseRidge):
    """Linear least squares with l2 regularization.

    Minimizes ``||y - Xw - b||^2_2 + alpha * ||w||^2_2`` (scikit-learn's
    scaling of alpha). The book's ``Ridge(alpha=1, solver="cholesky")``.

    Parameters
    ----------
    alpha : float or ndarray of shape (n_targets,), default=1.0
        Regularization strength; one value per target if an array.
    fit_intercept : bool, default=True
    copy_X : bool, default=True
        Kept for scikit-learn compatibility; X is never modified.
    max_iter : int, default=None
        Iterations of the iterative solvers.
    tol : float, default=1e-4
        Relative residual at which the iterative solvers stop.
    solver : {"auto", "svd", "cholesky", "lsqr", "sparse_cg", "sag", "saga", "lbfgs"}, default="auto"
        "cholesky" solves the normal equations (primal or dual form, whichever
        is smaller); "svd" uses the SVD of X; "sparse_cg", "lsqr", "sag" and
        "saga" use conjugate gradient on the normal equations with X only in
        products (the same minimizer as scikit-learn's iterative solvers);
        "lbfgs" (with ``positive=True``) uses scipy's L-BFGS-B; "auto" is
        Cholesky, falling back to SVD for a singular system.
    positive : bool, default=False
        Force non-negative coefficients (lbfgs only).
    random_state : int, RandomState or None, default=None
        Kept for scikit-learn compatibility (no solver here is random).

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,) or (n_targets, n_features)
    intercept_ : float or ndarray of shape (n_targets,)
    n_iter_ : int
        Iterations of an iterative solver; 1 for the closed forms.
    solver_ : str
        The solver used.
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from learnflow.linear_model import Ridge
    >>> np.random.seed(42)
    >>> X = 3 * np.random.rand(20, 1)
    >>> y = 1 + 0.5 * X + np.random.randn(20, 1) / 1.5
    >>> ridge = Ridge(alpha=1, solver="cholesky").fit(X, y)
    >>> ridge.predict([[1.5]])
    array([[1.55071465]])
    """

    @_fit_context()
    def fit(self, X, y, sample_weight=None):
        """Fit the ridge weights.

        Parameters
        ----------
        X : array-like or tensor of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
        sample_weight : float or array-like of shape (n_samples,), default=None

        Returns
        -------
        self : Ridge
        """
        X, y = validate_data(self, X, y, multi_output=True, y_numeric=True)
        Xt, yt = _as_tensors(X, y)
        weight = _sample_weight_tensor(sample_weight, X, Xt)
        coef, X_offset, y_offset = self._fit_tensors(X, Xt, yt.reshape(len(yt), -1), weight)
        if yt.ndim == 1:
            coef, y_offset = coef[0], y_offset.reshape(())
        self._set_coef_intercept(coef, X_offset, y_offset, self.fit_intercept)
        return self


class RidgeClassifier(LinearClassifierMixin, _BaseRidge):
    """Classifier using Ridge regression on targets in {-1, 1} (one column per class).

    Parameters
    ----------
    alpha, fit_intercept, copy_X, max_iter, tol, solver, positive, random_state
        As in :class:`Ridge`.
    class_weight : dict or "balanced", default=None
        Weights of the classes (multiplying the sample weights).

    Attributes
    ----------
    coef_ : ndarray of shape (1, n_features) or (n_classes, n_features)
    intercept_ : ndarray of shape (1,) or (n_classes,)
    classes_ : ndarray of shape (n_classes,)
    n_iter_ : int
    solver_ : str
    n_features_in_ : int

    Examples
    --------
    >>> from learnflow.linear_model import RidgeClassifier
    >>> clf = RidgeClassifier().fit([[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1])
    >>> clf.predict([[0.2], [2.8]])
    array([0, 1])
    """

    _parameter_constraints = {
        **_BaseRidge._parameter_constraints,
        "class_weight": [dict, StrOptions({"balanced"}), None],
    }

    def __init__(
        self,
        alpha=1.0,
        *,
        fit_intercept=True,
        copy_X=True,
        max_iter=None,
        tol=1e-4,
        class_weight=None,
        solver="auto",
        positive=False,
        random_state=None,
    ):
        super().__init__(
            alpha=alpha,
            fit_intercept=fit_intercept,
            copy_X=copy_X,
            max_iter=max_iter,
            tol=tol,
            solver=solver,
            positive=positive,
            random_state=random_state,
        )
        self.class_weight = class_weight

    @_fit_context()
    def fit(self, X, y, sample_weight=None):
        """Fit one ridge regression per class on {-1, 1} targets.

        Returns
        -------
        self : RidgeClassifier
        """
        X, y = validate_data(self, X, y)
        y = to_numpy(y)
        check_classification_targets(y)
        self.classes_, encoded = np.unique(y, return_inverse=True)
        if len(self.classes_) < 2:
            raise ValueError(
                "RidgeClassifier needs samples of at least 2 classes in the data, but the data contains only "
                f"one class: {self.classes_[0]!r}"
            )
        n_columns = 1 if len(self.classes_) == 2 else len(self.classes_)
        Y = -np.ones((len(y), n_columns))
        if n_columns == 1:
            Y[encoded == 1, 0] = 1.0
        else:
            Y[np.arange(len(y)), encoded] = 1.0
        Xt, Yt = _as_tensors(X, Y)
        weight = _sample_weight_tensor(sample_weight, X, Xt)
        if self.class_weight is not None:
            per_class = _compute_class_weight(self.class_weight, self.classes_, encoded)[encoded]
            per_class = torch.as_tensor(per_class, dtype=Xt.dtype, device=Xt.device)
            weight = per_class if weight is None else weight * per_class
        coef, X_offset, y_offset = self._fit_tensors(X, Xt, Yt, weight)
        self._set_coef_intercept(coef, X_offset, y_offset, self.fit_intercept)
        self.intercept_ = np.atleast_1d(self.intercept_)
        return self
