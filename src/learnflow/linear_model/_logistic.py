"""Logistic regression: binary (sigmoid) and multinomial (softmax) with an l2 penalty.

The objective is scikit-learn's, scaled by the sum of sample weights S::

    1/S sum_i s_i loss_i + 1 / (2 C S) ||W||^2     (the intercepts not penalized)

with ``loss_i = log(1 + exp(raw_i)) - y_i raw_i`` (binary, y in {0, 1}) or
``logsumexp(raw_i) - raw_i[y_i]`` (softmax). Loss and gradient are computed
on torch, except in the CPU "lbfgs" path, where the same formulas run on
numpy views (its BLAS is faster for these skinny products; see
``_numpy_objective``). Solvers:

- "lbfgs": scipy's L-BFGS-B driven by the torch loss and gradient, with
  scikit-learn's options (``gtol=tol``, ``ftol=64 eps``, ``maxls=50``) and
  the same zero start, so it walks the same iterates and agrees with
  scikit-learn to rounding (chosen over ``torch.optim.LBFGS``, whose
  stopping rules differ and leave differences around 1e-4);
- "newton-cholesky": Newton steps, the Hessian built on torch and solved by
  Cholesky, with a backtracking line search;
- "newton-cg": the same Newton steps, solved by conjugate gradient with
  Hessian-vector products (never forms the Hessian).
"""

# SPDX-License-Identifier: BSD-3-Clause

import warnings
from numbers import Integral, Real

import numpy as np
import torch

from .._engine import get_device, is_torch, on_host_blas, one_blas_thread, to_numpy, to_output, to_tensor
from ..base import BaseEstimator, _fit_context
from ..exceptions import ConvergenceWarning
from ..utils._param_validation import Hidden, Interval, StrOptions
from ..utils.multiclass import check_classification_targets
from ..utils.validation import check_is_fitted, check_sample_weight, validate_data
from ._base import LinearClassifierMixin, _compute_class_weight

__all__ = ["LogisticRegression"]


# ---------------------------------------------------------------------------
# The loss on torch: W has one row per class (one row for binary), the intercept last
# ---------------------------------------------------------------------------


class _LogisticLoss:
    """Loss, gradient and Hessian products of the penalized logistic objective."""

    def __init__(self, X, y_encoded, n_rows, sample_weight, l2, fit_intercept):
        self.X, self.n_rows, self.l2, self.fit_intercept = X, n_rows, l2, fit_intercept
        self._X_T = None
        self.weight = sample_weight / sample_weight.sum()  # s_i / S
        self.n_params = X.shape[1] + int(fit_intercept)
        if n_rows == 1:
            self.Y = (y_encoded == 1).to(X.dtype)[:, None]
        else:
            self.Y = torch.nn.functional.one_hot(y_encoded, n_rows).to(X.dtype)

    @property
    def X_T(self):
        """X^T stored contiguous (built on first use: the CPU L-BFGS path never needs it)."""
        if self._X_T is None:
            self._X_T = self.X.T.contiguous()
        return self._X_T

    def _split(self, w):
        W = w.reshape(self.n_rows, self.n_params)
        n_features = self.X.shape[1]
        return W[:, :n_features], (W[:, n_features] if self.fit_intercept else None)

    def raw(self, w):
        coef, intercept = self._split(w)
        raw = self.X @ coef.T
        return raw + intercept if intercept is not None else raw

    def probabilities(self, raw):
        return torch.sigmoid(raw) if self.n_rows == 1 else torch.softmax(raw, dim=1)

    def loss_gradient(self, w):
        # f = sum_i (s_i/S) loss_i + l2/2 ||coef||^2 ; d f / d raw = (s_i/S) (p_i - y_i)
        raw = self.raw(w)
        coef, _ = self._split(w)
        if self.n_rows == 1:
            pointwise = torch.nn.functional.softplus(raw) - self.Y * raw
        else:
            pointwise = torch.logsumexp(raw, dim=1, keepdim=True) - (self.Y * raw).sum(dim=1, keepdim=True)
        value = (self.weight[:, None] * pointwise).sum() + 0.5 * self.l2 * (coef * coef).sum()
        residual = self.weight[:, None] * (self.probabilities(raw) - self.Y)
        return value, self._gradient_from_raw(residual, coef)

    def _gradient_from_raw(self, residual, coef):
        # X^T r with X^T stored contiguous: the same product as r^T X, about a third faster on CPU BLAS
        grad_coef = (self.X_T @ residual).T + self.l2 * coef
        if not self.fit_intercept:
            return grad_coef.reshape(-1)
        return torch.cat([grad_coef, residual.sum(dim=0)[:, None]], dim=1).reshape(-1)

    def hessian_product(self, w, v, proba=None):
        # H v: the Jacobian of the gradient applied to v
        proba = self.probabilities(self.raw(w)) if proba is None else proba
        coef_v, _ = self._split(v)
        raw_v = self.raw(v)
        if self.n_rows == 1:
            curvature = self.weight[:, None] * proba * (1 - proba) * raw_v
        else:
            curvature = self.weight[:, None] * proba * (raw_v - (proba * raw_v).sum(dim=1, keepdim=True))
        return self._gradient_from_raw(curvature, coef_v)

    def hessian(self, w):
        """The full Hessian (n_rows * n_params)^2, for Newton-Cholesky."""
        proba = self.probabilities(self.raw(w))
        X1 = torch.cat([self.X, torch.ones_like(self.X[:, :1])], dim=1) if self.fit_intercept else self.X
        K, P = self.n_rows, self.n_params
        if K == 1:
            H = (X1 * (self.weight * proba[:, 0] * (1 - proba[:, 0]))[:, None]).T @ X1
        else:
            blocks = torch.einsum("ik,il->ikl", proba, proba)
            blocks = torch.diag_embed(proba) - blocks
            H = torch.einsum("i,ikl,ia,ib->kalb", self.weight, blocks, X1, X1).reshape(K * P, K * P)
        penalty = torch.zeros(K, P, dtype=w.dtype, device=w.device)
        penalty[:, : self.X.shape[1]] = self.l2
        return H + torch.diag(penalty.reshape(-1))


# ---------------------------------------------------------------------------
# Solvers: each returns (w, n_iter)
# ---------------------------------------------------------------------------


# Products X @ W.T up to this many multiply-adds run on one BLAS thread (MNIST 2000 x 784 x 10 classes is 1.6e7).
_ONE_THREAD_WORK = 10**8


def _numpy_objective(loss):
    """``loss.loss_gradient`` for a numpy w, computed with numpy (CPU tensors).

    The same formulas as the torch path. On the CPU numpy's (OpenBLAS) products of
    an n x p X with a few class columns take about two thirds of torch's, and they
    are nearly all of an L-BFGS iteration. The small n x K steps stay on numpy too:
    a torch op between two BLAS calls wakes torch's own thread pool while
    OpenBLAS's threads still spin, and on a busy machine each such op then costs
    milliseconds instead of microseconds. The data are held class-major, X^T
    (p x n) and scores K x n: ``W @ X^T`` runs at 1.6 times the speed of the
    skinny ``X @ W^T``, and the per-sample softmax reduces over K rows of n
    contiguous values instead of n rows of K (MNIST 8000 x 664 used columns, 10
    classes: 28 -> 22 ms per evaluation).
    """
    from scipy.special import expit

    X, Y, weight = loss.X.numpy(), loss.Y.numpy(), loss.weight.numpy()[None, :]
    n_features, shape = X.shape[1], (loss.n_rows, loss.n_params)
    # all-zero columns (constant pixels after standardizing) add nothing to X @ W.T and get no
    # data gradient: the products skip them (152 of MNIST's 784 columns in a 2000-digit sample)
    used = np.flatnonzero(np.any(X != 0, axis=0))
    subset = len(used) < 0.9 * n_features
    XT = np.ascontiguousarray((X[:, used] if subset else X).T)
    YT = np.ascontiguousarray(Y.T)

    def objective(w):
        W = w.reshape(shape).astype(XT.dtype, copy=False)
        coef = W[:, :n_features]
        raw = (coef[:, used] if subset else coef) @ XT
        if loss.fit_intercept:
            raw += W[:, n_features, None]
        if loss.n_rows == 1:
            pointwise = np.logaddexp(0.0, raw) - YT * raw
            proba = expit(raw)
        else:
            # log-sum-exp and softmax from one shifted exponential
            top = raw.max(axis=0, keepdims=True)
            proba = np.exp(raw - top)
            total = proba.sum(axis=0, keepdims=True)
            pointwise = np.log(total) + top - (YT * raw).sum(axis=0, keepdims=True)
            proba /= total
        value = float((weight * pointwise).sum()) + 0.5 * loss.l2 * float((coef * coef).sum())
        residual = weight * (proba - YT)
        if subset:
            grad = loss.l2 * coef
            grad[:, used] += residual @ XT.T
        else:
            grad = residual @ XT.T + loss.l2 * coef
        if loss.fit_intercept:
            grad = np.concatenate([grad, residual.sum(axis=1)[:, None]], axis=1)
        return value, grad.reshape(-1).astype(np.float64, copy=False)

    return objective


def _solve_lbfgs(loss, w0, max_iter, tol):
    # scipy's L-BFGS-B on the torch loss/gradient, scikit-learn's options
    from scipy.optimize import minimize

    X = loss.X

    def objective(w):
        value, grad = loss.loss_gradient(torch.as_tensor(w, dtype=X.dtype, device=X.device))
        return float(value), to_numpy(grad).astype(np.float64)

    one_thread = False
    if on_host_blas(X):
        objective = _numpy_objective(loss)
        one_thread = X.shape[0] * X.shape[1] * loss.n_rows <= _ONE_THREAD_WORK

    with one_blas_thread(one_thread):
        result = minimize(
            objective,
            to_numpy(w0).astype(np.float64),
            method="L-BFGS-B",
            jac=True,
            options={"maxiter": max_iter, "maxls": 50, "gtol": tol, "ftol": 64 * np.finfo(float).eps},
        )
    if result.status != 0:
        warnings.warn(
            f"lbfgs failed to converge after {result.nit} iteration(s) (status={result.status}):\n"
            f"{result.message}\n\nIncrease the number of iterations to improve the convergence "
            f"(max_iter={max_iter}). You might also want to scale the data.",
            ConvergenceWarning,
            stacklevel=4,
        )
    return torch.as_tensor(result.x, dtype=X.dtype, device=X.device), min(result.nit, max_iter)


def _conjugate_gradient(matvec, b, tol, max_iter):
    # solve A x = b for a symmetric positive (semi-)definite A given as a product
    x = torch.zeros_like(b)
    r = b.clone()
    p = r.clone()
    rs = r @ r
    for _ in range(max_iter):
        if rs.sqrt() <= tol:
            break
        Ap = matvec(p)
        curvature = p @ Ap
        if curvature <= 0:
            break
        step = rs / curvature
        x += step * p
        r -= step * Ap
        rs_new = r @ r
        p = r + (rs_new / rs) * p
        rs = rs_new
    return x


def _newton_direction_cholesky(loss, w, grad):
    H = loss.hessian(w)
    H = H + 1e-12 * torch.eye(len(H), dtype=H.dtype, device=H.device) * H.diagonal().abs().max()
    factor, info = torch.linalg.cholesky_ex(H)
    if int(info) != 0:
        return -torch.linalg.lstsq(H, grad.reshape(-1, 1)).solution.reshape(-1)
    return -torch.cholesky_solve(grad.reshape(-1, 1), factor).reshape(-1)


def _newton_direction_cg(loss, w, grad):
    proba = loss.probabilities(loss.raw(w))
    tol = min(0.5, float(grad.norm()) ** 0.5) * float(grad.norm())
    return _conjugate_gradient(lambda v: loss.hessian_product(w, v, proba), -grad, tol, 10 * len(grad))


def _solve_newton(loss, w0, max_iter, tol, direction):
    # w <- w + step * d, d = -H^{-1} g, step from backtracking (Armijo) line search
    w = w0.clone()
    value, grad = loss.loss_gradient(w)
    n_iter = 0
    for n_iter in range(1, max_iter + 1):
        if float(grad.abs().max()) <= tol:
            n_iter -= 1
            break
        d = direction(loss, w, grad)
        slope, step = float(grad @ d), 1.0
        if slope >= 0:
            d, slope = -grad, -float(grad @ grad)
        for _ in range(50):
            new_value, new_grad = loss.loss_gradient(w + step * d)
            if float(new_value) <= float(value) + 1e-4 * step * slope:
                break
            step *= 0.5
        w, value, grad = w + step * d, new_value, new_grad
    else:
        if float(grad.abs().max()) > tol:
            warnings.warn(
                f"Newton solver did not converge after {max_iter} iterations.", ConvergenceWarning, stacklevel=4
            )
    return w, n_iter


SOLVERS = {
    "lbfgs": _solve_lbfgs,
    "newton-cholesky": lambda loss, w0, max_iter, tol: _solve_newton(loss, w0, max_iter, tol, _newton_direction_cholesky),
    "newton-cg": lambda loss, w0, max_iter, tol: _solve_newton(loss, w0, max_iter, tol, _newton_direction_cg),
}


# ---------------------------------------------------------------------------
# Estimator
# ---------------------------------------------------------------------------


class LogisticRegression(LinearClassifierMixin, BaseEstimator):
    """Logistic regression (binary) and softmax regression (multiclass), l2-penalized.

    The book's ``LogisticRegression()`` on iris petal width and the softmax
    ``LogisticRegression(multi_class="multinomial", solver="lbfgs", C=10)``.

    Parameters
    ----------
    penalty : {"l2", None}, default="l2"
        None (or the old spelling "none") fits without regularization.
    C : float, default=1.0
        Inverse of the regularization strength (the book's 1 / alpha).
    fit_intercept : bool, default=True
    intercept_scaling : float, default=1
        Kept for scikit-learn compatibility (liblinear only there).
    class_weight : dict or "balanced", default=None
    random_state : int, RandomState or None, default=None
        Kept for scikit-learn compatibility (no solver here is random).
    solver : {"lbfgs", "newton-cg", "newton-cholesky"}, default="lbfgs"
    max_iter : int, default=100
    multi_class : {"auto", "multinomial", "ovr"}, default="deprecated"
        Deprecated in scikit-learn (which always uses the softmax now) and
        accepted for the book's code: "ovr" fits one binary problem per class.
    tol : float, default=1e-4
        Stop when the largest gradient component is below ``tol``.
    verbose : int, default=0
    warm_start : bool, default=False
        Start from the previous solution.
    n_jobs : int, default=None
        Kept for scikit-learn compatibility.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    coef_ : ndarray of shape (1, n_features) or (n_classes, n_features)
    intercept_ : ndarray of shape (1,) or (n_classes,)
    n_iter_ : ndarray of shape (1,) or (n_classes,) for "ovr"
    n_features_in_ : int

    Examples
    --------
    >>> from learnflow.datasets import load_iris
    >>> from learnflow.linear_model import LogisticRegression
    >>> iris = load_iris()
    >>> X, y = iris.data[:, 3:], (iris.target == 2).astype(int)
    >>> LogisticRegression().fit(X, y).predict([[1.7], [1.5]])
    array([1, 0])
    """

    _parameter_constraints = {
        "penalty": [StrOptions({"l2"}), Hidden(StrOptions({"none"})), None],
        "C": [Interval(Real, 0, None, closed="right")],
        "fit_intercept": ["boolean"],
        "intercept_scaling": [Interval(Real, 0, None, closed="neither")],
        "class_weight": [dict, StrOptions({"balanced"}), None],
        "random_state": ["random_state"],
        "solver": [StrOptions({"lbfgs", "newton-cg", "newton-cholesky"})],
        "max_iter": [Interval(Integral, 0, None, closed="left")],
        "multi_class": [StrOptions({"auto", "multinomial", "ovr"}), Hidden(StrOptions({"deprecated"}))],
        "tol": [Interval(Real, 0, None, closed="left")],
        "verbose": ["verbose"],
        "warm_start": ["boolean"],
        "n_jobs": [None, Integral],
    }

    def __init__(
        self,
        penalty="l2",
        *,
        C=1.0,
        fit_intercept=True,
        intercept_scaling=1,
        class_weight=None,
        random_state=None,
        solver="lbfgs",
        max_iter=100,
        multi_class="deprecated",
        tol=1e-4,
        verbose=0,
        warm_start=False,
        n_jobs=None,
    ):
        self.penalty = penalty
        self.C = C
        self.fit_intercept = fit_intercept
        self.intercept_scaling = intercept_scaling
        self.class_weight = class_weight
        self.random_state = random_state
        self.solver = solver
        self.max_iter = max_iter
        self.multi_class = multi_class
        self.tol = tol
        self.verbose = verbose
        self.warm_start = warm_start
        self.n_jobs = n_jobs

    @_fit_context()
    def fit(self, X, y, sample_weight=None):
        """Fit the model by minimizing the penalized log loss.

        Parameters
        ----------
        X : array-like or tensor of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), default=None

        Returns
        -------
        self : LogisticRegression
        """
        if self.multi_class != "deprecated":
            warnings.warn(
                "'multi_class' was deprecated in scikit-learn 1.5 (multinomial is always used for more than "
                "two classes); learnflow accepts it for the book's code.",
                FutureWarning,
                stacklevel=2,
            )
        X, y = validate_data(self, X, y)
        y = to_numpy(y)
        check_classification_targets(y)
        self.classes_, encoded = np.unique(y, return_inverse=True)
        if len(self.classes_) < 2:
            raise ValueError(
                "This solver needs samples of at least 2 classes in the data, but the data contains only one "
                f"class: {self.classes_[0]!r}"
            )
        weight = check_sample_weight(sample_weight, X, ensure_non_negative=True)
        weight = weight * _compute_class_weight(self.class_weight, self.classes_, encoded, weight)[encoded]
        device = X.device if is_torch(X) else get_device()
        Xt = to_tensor(X, device=device)
        weight_t = torch.as_tensor(weight, dtype=Xt.dtype, device=device)
        l2 = 0.0 if self.penalty in (None, "none") else 1.0 / (self.C * float(weight.sum()))
        ovr = self.multi_class == "ovr" and len(self.classes_) > 2
        problems = [(encoded == k).astype(np.int64) for k in range(len(self.classes_))] if ovr else [encoded]
        n_rows = 1 if (ovr or len(self.classes_) == 2) else len(self.classes_)
        warm = self._warm_start_coef(X.shape[1], len(problems), n_rows)
        solutions, n_iters = [], []
        for k, target in enumerate(problems):
            target_t = torch.as_tensor(target, device=device)
            loss = _LogisticLoss(Xt, target_t, n_rows, weight_t, l2, self.fit_intercept)
            w0 = torch.zeros(n_rows * loss.n_params, dtype=Xt.dtype, device=device) if warm is None else warm[k]
            w, n_iter = SOLVERS[self.solver](loss, w0.to(device=device, dtype=Xt.dtype), self.max_iter, self.tol)
            solutions.append(w.reshape(n_rows, loss.n_params))
            n_iters.append(n_iter)
        W = torch.cat(solutions, dim=0)
        if n_rows > 1 and self.fit_intercept:
            W[:, -1] -= W[:, -1].mean()  # the softmax is invariant to a shift of all intercepts
        self._ovr = ovr
        self.coef_ = to_numpy(W[:, : X.shape[1]])
        self.intercept_ = to_numpy(W[:, -1]) if self.fit_intercept else np.zeros(W.shape[0])
        self.n_iter_ = np.asarray(n_iters, dtype=np.int32)
        return self

    def _warm_start_coef(self, n_features, n_problems, n_rows):
        """The previous solution as per-problem starting vectors, or None."""
        if not self.warm_start or not hasattr(self, "coef_") or self.coef_.shape != (n_problems * n_rows, n_features):
            return None
        W = np.column_stack([self.coef_, self.intercept_]) if self.fit_intercept else self.coef_
        return [torch.as_tensor(W[k * n_rows : (k + 1) * n_rows].reshape(-1)) for k in range(n_problems)]

    def predict_proba(self, X):
        """Probability of each class: the sigmoid (binary), softmax, or normalized OvR sigmoids.

        Returns
        -------
        proba : array or tensor of shape (n_samples, n_classes)
        """
        check_is_fitted(self)
        scores = self.decision_function(X)
        scores = scores if is_torch(scores) else torch.as_tensor(scores)
        if scores.ndim == 1:
            positive = torch.sigmoid(scores)
            proba = torch.stack([1 - positive, positive], dim=1)
        elif getattr(self, "_ovr", False):
            proba = torch.sigmoid(scores)
            proba = proba / proba.sum(dim=1, keepdim=True)
        else:
            proba = torch.softmax(scores, dim=1)
        return to_output(proba, X)

    def predict_log_proba(self, X):
        """Logarithm of ``predict_proba``."""
        proba = self.predict_proba(X)
        return proba.log() if is_torch(proba) else np.log(proba)
