"""Lasso and ElasticNet: l1 (and l2) penalized least squares by coordinate descent.

The objective is scikit-learn's (the book's Lasso 1.53788174 and ElasticNet
1.54333232 need exactly this scaling of alpha)::

    1 / (2 n_samples) ||y - Xw - b||^2 + alpha * l1_ratio * ||w||_1
        + 0.5 * alpha * (1 - l1_ratio) * ||w||^2

The Gram matrix ``X^T X`` and ``X^T y`` are computed once on torch; the
coordinate sweeps are inherently sequential over features and run as a tight
loop over the precomputed Gram rows (one axpy per changed coordinate), with
scikit-learn's stopping rule (relative coefficient change, then the duality
gap against ``tol * ||y||^2``) and its gap-safe screening of features.
"""

# SPDX-License-Identifier: BSD-3-Clause

import math
import warnings
from numbers import Integral, Real

import numpy as np
import torch
from scipy.linalg.blas import daxpy

from .._engine import check_random_state, to_numpy
from ..base import MultiOutputMixin, RegressorMixin, _fit_context
from ..exceptions import ConvergenceWarning
from ..utils._param_validation import Interval, StrOptions
from ..utils.validation import check_sample_weight, validate_data
from ._base import LinearModel, _as_tensors, _preprocess_data, _rescale_data

__all__ = ["ElasticNet", "Lasso"]

_MESSAGE_CONV = (
    "Objective did not converge. You might want to increase the number of iterations, "
    "check the scale of the features or consider increasing regularisation."
)


# ---------------------------------------------------------------------------
# Coordinate descent on the Gram matrix
# ---------------------------------------------------------------------------


def _gap_enet_gram(w, alpha, beta, Qw, q, y_norm2, positive):
    """Duality gap of the elastic net from Gram quantities, and ||X^T R - beta w||_inf."""
    # R'R = y'y + w'Qw - 2 q'w ;  R'y = y'y - q'w ;  X'R - beta w = q - Qw - beta w
    q_dot_w = float(w @ q)
    R_norm2 = y_norm2 + float(w @ Qw) - 2.0 * q_dot_w
    Ry = y_norm2 - q_dot_w
    w_l2 = float(w @ w) if beta > 0 else 0.0
    XtA = q - Qw - beta * w
    if alpha == 0:
        XtA = q - Qw
        norm = float(XtA @ XtA)
        if beta == 0:
            return norm, norm, XtA
        return R_norm2 + 0.5 * beta * w_l2 - Ry + norm / (2 * beta), norm, XtA
    dual_norm = float(XtA.max()) if positive else float(np.abs(XtA).max())
    primal = 0.5 * (R_norm2 + beta * w_l2) + alpha * float(np.abs(w).sum())
    scale = alpha / dual_norm if dual_norm > alpha else 1.0
    dual = -0.5 * scale**2 * (R_norm2 + beta * w_l2) + scale * Ry
    return primal - dual, dual_norm, XtA


def _screen(w, Q, Qw, XtA, dual_norm, gap, alpha, beta, excluded):
    """Gap-safe screening: drop the features proven zero at the optimum; the active list."""
    radius = math.sqrt(2 * abs(gap)) / alpha
    diag = np.diag(Q)
    active = []
    for j in range(len(w)):
        if excluded[j]:
            continue
        d_j = (1 - abs(XtA[j] / max(alpha, dual_norm))) / math.sqrt(diag[j] + beta)
        if d_j <= radius:
            active.append(j)
        else:
            if w[j] != 0:
                Qw -= w[j] * Q[j]
                w[j] = 0.0
            excluded[j] = True
    return active


def _solve_cd_gram(w, alpha, beta, Q, q, y_norm2, *, max_iter, tol, rng, random, positive):
    # min_w 0.5 w'Qw - q'w + alpha ||w||_1 + 0.5 beta ||w||^2  (Q = X'X, q = X'y), coordinate-wise:
    # w_j = soft_threshold(q_j - (Qw)_j + Q_jj w_j, alpha) / (Q_jj + beta)
    Qw = np.ascontiguousarray(Q @ w, dtype=np.float64)
    d_w_tol, tol = tol, tol * y_norm2
    diag = np.diag(Q).tolist()
    screening = alpha != 0
    excluded = np.zeros(len(w), dtype=bool)
    gap, dual_norm, XtA = _gap_enet_gram(w, alpha, beta, Qw, q, y_norm2, positive)
    if 0 <= gap <= tol:
        return w, gap, tol, 0
    active = list(range(len(w)))
    if screening:
        excluded[[j for j in range(len(w)) if diag[j] == 0]] = True
        w[excluded] = 0.0
        active = _screen(w, Q, Qw, XtA, dual_norm, gap, alpha, beta, excluded)
    rows, q_list = list(Q), q.tolist()
    n_iter = 0
    for n_iter in range(max_iter):
        w_max = d_w_max = 0.0
        order = [active[k] for k in rng.randint(len(active), size=len(active))] if random else active
        for j in order:
            Q_jj = diag[j]
            if Q_jj == 0.0:
                continue
            w_j = w.item(j)
            tmp = q_list[j] - Qw.item(j) + w_j * Q_jj
            if positive and tmp < 0:
                new = 0.0
            else:
                new = math.copysign(max(abs(tmp) - alpha, 0.0), tmp) / (Q_jj + beta)
            if new != w_j:
                w[j] = new
                daxpy(rows[j], Qw, a=new - w_j)  # Qw += (w_j_new - w_j) * Q[j], in place
                d_w_max = max(d_w_max, abs(new - w_j))
            w_max = max(w_max, abs(new))
        if w_max == 0.0 or d_w_max / w_max <= d_w_tol or n_iter == max_iter - 1:
            gap, dual_norm, XtA = _gap_enet_gram(w, alpha, beta, Qw, q, y_norm2, positive)
            if gap <= tol:
                break
            if screening:
                active = _screen(w, Q, Qw, XtA, dual_norm, gap, alpha, beta, excluded)
    else:
        message = f"{_MESSAGE_CONV} Duality gap: {gap:.6e}, tolerance: {tol:.3e}"
        warnings.warn(message, ConvergenceWarning, stacklevel=5)
    return w, gap, tol, n_iter + 1


# ---------------------------------------------------------------------------
# Estimators
# ---------------------------------------------------------------------------


class ElasticNet(MultiOutputMixin, RegressorMixin, LinearModel):
    """Linear regression with combined l1 and l2 priors, fitted by coordinate descent.

    Minimizes ``1 / (2 n_samples) ||y - Xw||^2 + alpha * l1_ratio * ||w||_1
    + 0.5 * alpha * (1 - l1_ratio) * ||w||^2`` (scikit-learn's objective; the
    book's Equation 4-12 with its scaling of alpha).

    Parameters
    ----------
    alpha : float, default=1.0
        Multiplies the penalty terms.
    l1_ratio : float in [0, 1], default=0.5
        The mix: 1 is the Lasso, 0 a pure l2 penalty.
    fit_intercept : bool, default=True
    precompute : bool, "auto" or array-like, default=False
        Accepted for scikit-learn compatibility; the Gram matrix is always
        computed (on torch), and a given array of shape (n_features, n_features)
        is used as that Gram matrix (X must then be centered already).
    max_iter : int, default=1000
        Maximum number of passes over the features.
    copy_X : bool, default=True
        Kept for scikit-learn compatibility; X is never modified.
    tol : float, default=1e-4
        Duality-gap tolerance (relative to ``||y||^2``).
    warm_start : bool, default=False
        Start from the previous ``coef_``.
    positive : bool, default=False
        Force non-negative coefficients.
    random_state : int, RandomState or None, default=None
        Seed of the feature order when ``selection="random"``.
    selection : {"cyclic", "random"}, default="cyclic"

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,) or (n_targets, n_features)
    intercept_ : float or ndarray of shape (n_targets,)
    n_iter_ : int or list of int
        Passes over the features (per target).
    dual_gap_ : float or ndarray of shape (n_targets,)
        Duality gap at the end of the optimization (divided by n_samples).
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from learnflow.linear_model import ElasticNet
    >>> np.random.seed(42)
    >>> X = 3 * np.random.rand(20, 1)
    >>> y = 1 + 0.5 * X + np.random.randn(20, 1) / 1.5
    >>> ElasticNet(alpha=0.1, l1_ratio=0.5).fit(X, y.ravel()).predict([[1.5]])
    array([1.54333232])
    """

    _parameter_constraints = {
        "alpha": [Interval(Real, 0, None, closed="left")],
        "l1_ratio": [Interval(Real, 0, 1, closed="both")],
        "fit_intercept": ["boolean"],
        "precompute": ["boolean", StrOptions({"auto"}), "array-like"],
        "max_iter": [Interval(Integral, 1, None, closed="left"), None],
        "copy_X": ["boolean"],
        "tol": [Interval(Real, 0, None, closed="left")],
        "warm_start": ["boolean"],
        "positive": ["boolean"],
        "random_state": ["random_state"],
        "selection": [StrOptions({"cyclic", "random"})],
    }

    def __init__(
        self,
        alpha=1.0,
        *,
        l1_ratio=0.5,
        fit_intercept=True,
        precompute=False,
        max_iter=1000,
        copy_X=True,
        tol=1e-4,
        warm_start=False,
        positive=False,
        random_state=None,
        selection="cyclic",
    ):
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.precompute = precompute
        self.max_iter = max_iter
        self.copy_X = copy_X
        self.tol = tol
        self.warm_start = warm_start
        self.positive = positive
        self.random_state = random_state
        self.selection = selection

    @_fit_context()
    def fit(self, X, y, sample_weight=None, check_input=True):
        """Fit the model by coordinate descent.

        Parameters
        ----------
        X : array-like or tensor of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
        sample_weight : float or array-like of shape (n_samples,), default=None
        check_input : bool, default=True
            Kept for scikit-learn compatibility; inputs are always checked.

        Returns
        -------
        self
        """
        if self.alpha == 0:
            warnings.warn(
                "With alpha=0, this algorithm does not converge well. You are advised to use "
                "the LinearRegression estimator",
                stacklevel=2,
            )
        X, y = validate_data(self, X, y, multi_output=True, y_numeric=True)
        Xt, yt = _as_tensors(X, y)
        n_samples = Xt.shape[0]
        weight = None
        if sample_weight is not None and not isinstance(sample_weight, Real):
            weight = check_sample_weight(sample_weight, X, ensure_non_negative=True)
            weight = torch.as_tensor(weight * (n_samples / weight.sum()), dtype=Xt.dtype, device=Xt.device)
        Y = yt.reshape(n_samples, -1)
        Xc, Yc, X_offset, y_offset = _preprocess_data(Xt, Y, fit_intercept=self.fit_intercept, sample_weight=weight)
        if weight is not None:
            Xc, Yc = _rescale_data(Xc, Yc, weight)
        gram = self._gram(Xc)
        q_all = to_numpy(Xc.T @ Yc)
        y_norm2 = to_numpy((Yc * Yc).sum(dim=0))
        coef = self._initial_coef(Y.shape[1], Xt.shape[1])
        l1_reg = self.alpha * self.l1_ratio * n_samples
        l2_reg = self.alpha * (1.0 - self.l1_ratio) * n_samples
        rng = check_random_state(self.random_state)
        gaps, n_iters = [], []
        for k in range(Y.shape[1]):
            w, gap, _, n_iter = _solve_cd_gram(
                coef[k].copy(),
                l1_reg,
                l2_reg,
                gram,
                q_all[:, k].copy(),
                float(y_norm2[k]),
                max_iter=self.max_iter,
                tol=self.tol,
                rng=rng,
                random=self.selection == "random",
                positive=self.positive,
            )
            coef[k] = w
            gaps.append(gap / n_samples)
            n_iters.append(n_iter)
        coef_t = torch.as_tensor(coef, dtype=Xt.dtype, device=Xt.device)
        if yt.ndim == 1:
            coef_t, y_offset = coef_t[0], y_offset.reshape(())
            self.n_iter_, self.dual_gap_ = n_iters[0], gaps[0]
        else:
            self.n_iter_, self.dual_gap_ = n_iters, np.asarray(gaps)
        self._set_coef_intercept(coef_t, X_offset, y_offset, self.fit_intercept)
        if not (np.isfinite(self.coef_).all() and np.isfinite(self.intercept_).all()):
            raise ValueError(
                "Coordinate descent iterations resulted in non-finite parameter values. The input data "
                "may contain large values and need to be preprocessed."
            )
        return self

    def _gram(self, Xc):
        """X^T X as a C-contiguous numpy array (a user-given Gram matrix is used as is)."""
        if not isinstance(self.precompute, (bool, str)):
            gram = np.asarray(self.precompute, dtype=np.float64)
            if gram.shape != (Xc.shape[1], Xc.shape[1]):
                raise ValueError(
                    f"Gram matrix has shape {gram.shape}, expected {(Xc.shape[1], Xc.shape[1])}."
                )
            return np.ascontiguousarray(gram)
        return np.ascontiguousarray(to_numpy(Xc.T @ Xc))

    def _initial_coef(self, n_targets, n_features):
        if self.warm_start and hasattr(self, "coef_"):
            coef = np.array(self.coef_, dtype=np.float64).reshape(-1, n_features)
            if coef.shape[0] == n_targets:
                return coef
        return np.zeros((n_targets, n_features))


class Lasso(ElasticNet):
    """Linear regression with an l1 penalty (sparse weights), fitted by coordinate descent.

    Minimizes ``1 / (2 n_samples) ||y - Xw||^2 + alpha * ||w||_1``: the
    :class:`ElasticNet` with ``l1_ratio=1``.

    Parameters
    ----------
    alpha : float, default=1.0
    fit_intercept, precompute, copy_X, max_iter, tol, warm_start, positive, random_state, selection
        As in :class:`ElasticNet`.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,) or (n_targets, n_features)
    intercept_ : float or ndarray of shape (n_targets,)
    n_iter_ : int or list of int
    dual_gap_ : float or ndarray of shape (n_targets,)
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from learnflow.linear_model import Lasso
    >>> np.random.seed(42)
    >>> X = 3 * np.random.rand(20, 1)
    >>> y = 1 + 0.5 * X + np.random.randn(20, 1) / 1.5
    >>> Lasso(alpha=0.1).fit(X, y.ravel()).predict([[1.5]])
    array([1.53788174])
    """

    _parameter_constraints = {
        key: value for key, value in ElasticNet._parameter_constraints.items() if key != "l1_ratio"
    }

    def __init__(
        self,
        alpha=1.0,
        *,
        fit_intercept=True,
        precompute=False,
        copy_X=True,
        max_iter=1000,
        tol=1e-4,
        warm_start=False,
        positive=False,
        random_state=None,
        selection="cyclic",
    ):
        super().__init__(
            alpha=alpha,
            l1_ratio=1.0,
            fit_intercept=fit_intercept,
            precompute=precompute,
            max_iter=max_iter,
            copy_X=copy_X,
            tol=tol,
            warm_start=warm_start,
            positive=positive,
            random_state=random_state,
            selection=selection,
        )
