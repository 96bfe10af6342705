"""Lasso and ElasticNet: l1 (and l2) penalized least squares by coordinate descent.

The objective is scikit-learn's (the book's Lasso 1.53788174 and ElasticNet
1.54333232 need exactly this scaling of alpha)::

    1 / (2 n_samples) ||y - Xw - b||^2 + alpha * l1_ratio * ||w||_1
        + 0.5 * alpha * (1 - l1_ratio) * ||w||^2

The coordinate sweeps are inherently sequential over features; they run as a
tight loop either on the residual ``y - Xw`` (one dot product and one axpy
over the samples per coordinate) or on the Gram matrix ``X^T X`` computed once
(one axpy over a Gram row per changed coordinate; for data without sample
weights the centering is folded into ``X^T X``, so no centered copy of X is
written), with scikit-learn's stopping rule (relative coefficient change, then
the duality gap against ``tol * ||y||^2``) and its gap-safe screening of
features. A zero weight whose correlation stays under the threshold is
skipped after one comparison.

On the residual, the sweeps stream X from memory once per pass, as
scikit-learn's do; what is saved is the preparation: the column-major copy
of X, its column norms, ``X^T y`` and the finiteness check come from one
pass over X (:func:`_shifted_columns`) instead of five, and the level-1
BLAS calls run on one thread on a (possibly shared) CPU.
"""

# SPDX-License-Identifier: BSD-3-Clause

import math
import warnings
from numbers import Integral, Real

import numpy as np
import torch
from scipy.linalg.blas import daxpy, ddot

from .._engine import check_random_state, on_host_blas, one_blas_thread, to_numpy
from ..base import MultiOutputMixin, RegressorMixin, _fit_context
from ..exceptions import ConvergenceWarning
from ..utils._param_validation import Interval, StrOptions
from ..utils.validation import _assert_all_finite, check_sample_weight, validate_data
from ._base import LinearModel, _as_tensors, _centered_gram, _cross, _gram, _preprocess_data, _rescale_data

__all__ = ["ElasticNet", "Lasso"]

_MESSAGE_CONV = (
    "Objective did not converge. You might want to increase the number of iterations, "
    "check the scale of the features or consider increasing regularisation."
)


# precompute=False sweeps on the Gram matrix of tall data up to this many features (measured on
# one core: at 5000 x 100 one syrk plus the Gram sweeps costs about what the centered Fortran
# copy of X plus the residual sweeps cost, less with more passes or BLAS threads; from a few
# hundred features on the syrk's n p^2 dominates)
_GRAM_MAX_FEATURES = 128


# rows of X centered per block by the one-pass preparation of the residual sweeps: a block
# (256 x 200 float64 is 400 KB) stays in cache for its norms and products with y
_BLOCK_ROWS = 256

# the residual sweeps run on one BLAS thread up to this many samples: their level-1 calls then
# take tens of microseconds, too short for threads to pay on a shared machine (larger columns
# keep OpenBLAS's threads)
_ONE_THREAD_MAX_SAMPLES = 100_000


def _float64(t):
    """A tensor as a C-contiguous float64 numpy array (the sweeps run on numpy scalars and BLAS)."""
    return np.ascontiguousarray(to_numpy(t), dtype=np.float64)


def _shifted_columns(X, Y, *, fit_intercept, block=_BLOCK_ROWS):
    """Everything the residual sweeps need from X, in one pass over it.

    # Z = X - c (column-major), c the means of the first block ; d = mean(Z) ; Xc = Z - d
    # ||xc_j||^2 = ||z_j||^2 - n d_j^2 ; Xc^T Yc = Z^T Yc - d (1^T Yc)

    X (n_samples, n_features) and Y (n_samples, n_targets) are float64 numpy
    arrays. The columns are shifted by the means of the first block of rows
    instead of the column means, which would need a pass over X of their own:
    the stored ``Z`` is then centered up to the small offsets ``d``, which the
    sweeps carry as one scalar (see :class:`_ResidualProblem`). Each block of
    rows is written column-major, and its squared column norms, column sums
    and products with the centered targets are taken while it is in cache. A
    column whose offset is not small against its spread (``2 n d_j^2 >
    ||z_j||^2``: the first rows unlike the rest) is centered explicitly
    afterwards, so that no norm loses more than one bit. Non-finite values in
    X show up as non-finite norms.

    Returns
    -------
    Z : ndarray of shape (n_samples, n_features), Fortran-ordered
    Yc : ndarray of shape (n_samples, n_targets)
    X_offset : ndarray of shape (n_features,), the column means ``c + d``
    y_offset : ndarray of shape (n_targets,)
    norm2 : ndarray of shape (n_features,), ``||xc_j||^2``
    cross : ndarray of shape (n_targets, n_features), ``Yc^T Xc``
    shift : ndarray of shape (n_features,), ``d``
    """
    n_samples, n_features = X.shape
    n_targets = Y.shape[1]
    if fit_intercept:
        y_offset = Y.mean(axis=0)
        Yc = Y - y_offset
        start = X[:block].mean(axis=0)
        # one product per block gives Z_b^T Yc_b and the column sums: [Yc, 1]^T Z_b
        ones_and_Y = np.empty((n_samples, n_targets + 1))
        ones_and_Y[:, :n_targets], ones_and_Y[:, n_targets] = Yc, 1.0
    else:
        y_offset, Yc, start = np.zeros(n_targets), Y, np.zeros(n_features)
        ones_and_Y = Y
    Z = np.empty((n_features, n_samples)).T
    squares, products = np.zeros(n_features), np.zeros((ones_and_Y.shape[1], n_features))
    with np.errstate(invalid="ignore", over="ignore"):
        for first in range(0, n_samples, block):
            rows = slice(first, first + block)
            part = Z[rows]
            np.subtract(X[rows], start, out=part)
            squares += np.einsum("ij,ij->j", part, part)
            products += ones_and_Y[rows].T @ part
        cross = products[:n_targets]
        if not fit_intercept:
            return Z, Yc, start, y_offset, squares, cross, np.zeros(n_features)
        shift = products[n_targets] / n_samples
        norm2 = squares - n_samples * shift * shift
        cross -= shift * Yc.sum(axis=0)[:, None]
        X_offset = start + shift
        for j in np.flatnonzero(~(2 * n_samples * shift * shift <= squares)).tolist():
            column = Z[:, j]
            column -= shift[j]
            norm2[j], cross[:, j], shift[j] = column @ column, Yc.T @ column, 0.0
    return Z, Yc, X_offset, y_offset, norm2, cross, shift


# ---------------------------------------------------------------------------
# Coordinate descent, on the Gram matrix or on the residual
# ---------------------------------------------------------------------------


def _duality_gap(w, alpha, beta, R_norm2, Ry, XtR, positive):
    """Duality gap of the elastic net, ||X^T R - beta w||_inf and X^T R - beta w, from R'R, R'y and X'R."""
    w_l2 = float(w @ w) if beta > 0 else 0.0
    if alpha == 0:
        norm = float(XtR @ XtR)
        if beta == 0:
            return norm, norm, XtR
        return R_norm2 + 0.5 * beta * w_l2 - Ry + norm / (2 * beta), norm, XtR
    XtA = XtR - beta * w
    dual_norm = float(XtA.max()) if positive else float(np.abs(XtA).max())
    primal = 0.5 * (R_norm2 + beta * w_l2) + alpha * float(np.abs(w).sum())
    scale = alpha / dual_norm if dual_norm > alpha else 1.0
    dual = -0.5 * scale**2 * (R_norm2 + beta * w_l2) + scale * Ry
    return primal - dual, dual_norm, XtA


def _soft_threshold_sweep(w, order, alpha, beta, positive, problem):
    """One pass of coordinate updates over ``order``; returns (max |w_j|, max |change of w_j|).

    # w_j = soft_threshold(x_j'(y - Xw + w_j x_j), alpha) / (x_j'x_j + beta)

    The correlation ``x_j'(y - Xw)`` is ``q_j - (Qw)_j`` on a
    :class:`_GramProblem` (a changed weight adds its Gram row to ``Qw``) and
    ``x_j'R`` on a :class:`_ResidualProblem` (a changed weight subtracts its
    column from ``R``), written out inline: this loop runs once per
    coordinate and pass. A zero weight whose correlation stays within
    ``[-alpha, alpha]`` (``<= alpha`` if positive) stays zero: it is skipped
    after the one comparison.
    """
    on_gram = isinstance(problem, _GramProblem)
    if on_gram:
        q, item, rows, Qw = problem.q_list, problem.Qw.item, problem.rows, problem.Qw
    else:
        problem.fold()
        columns, R, shift, n_shift = problem.columns, problem.R, problem.shift_list, problem.n_shift
    norm2, weights = problem.norm2, w.tolist()
    w_max = d_w_max = offset = 0.0  # on the residual: the centered residual is R + offset
    for j in order:
        norm2_j = norm2[j]
        if norm2_j == 0.0:
            continue
        w_j = weights[j]
        # on the residual: xc_j'(R + offset) = x_j'R + n d_j offset (see _ResidualProblem)
        tmp = (q[j] - item(j) if on_gram else ddot(columns[j], R) + n_shift[j] * offset) + w_j * norm2_j
        if w_j == 0.0 and tmp <= alpha and (positive or tmp >= -alpha):
            continue
        if positive and tmp < 0:
            new = 0.0
        else:
            new = math.copysign(max(abs(tmp) - alpha, 0.0), tmp) / (norm2_j + beta)
        if new != w_j:
            weights[j] = new
            if on_gram:
                daxpy(rows[j], Qw, a=new - w_j)  # Qw += delta * Q[j]
            else:
                daxpy(columns[j], R, a=w_j - new)  # R -= delta * x_j
                offset += (new - w_j) * shift[j]
            if abs(new - w_j) > d_w_max:
                d_w_max = abs(new - w_j)
        if abs(new) > w_max:
            w_max = abs(new)
    if not on_gram:
        problem.offset = offset
    w[:] = weights
    return w_max, d_w_max


class _GramProblem:
    """Least squares through ``Q = X'X`` and ``q = X'y``: keeps ``Qw``; one Gram-row axpy per changed weight.

    Cheaper than the residual when the passes over the features outnumber
    about ``n_features / 2`` (or n_samples is much larger than n_features).
    """

    def __init__(self, w, Q, q, y_norm2):
        self.Q, self.q, self.y_norm2 = Q, q, y_norm2
        self.rows, self.q_list = list(Q), q.tolist()
        self.norm2 = np.diag(Q).tolist()
        self.Qw = np.ascontiguousarray(Q @ w, dtype=np.float64) if w.any() else np.zeros(len(w))

    def move(self, j, delta):
        daxpy(self.rows[j], self.Qw, a=delta)  # Qw += delta * Q[j], in place

    def gap(self, w, alpha, beta, positive):
        # R'R = y'y + w'Qw - 2 q'w ;  R'y = y'y - q'w ;  X'R = q - Qw
        q_dot_w = float(w @ self.q)
        R_norm2 = self.y_norm2 + float(w @ self.Qw) - 2.0 * q_dot_w
        return _duality_gap(w, alpha, beta, R_norm2, self.y_norm2 - q_dot_w, self.q - self.Qw, positive)


class _ResidualProblem:
    """Least squares through the residual ``R = y - Xw`` (scikit-learn's ``precompute=False``).

    One dot product and one axpy of length n_samples per coordinate, on the
    contiguous columns of a Fortran-ordered X.

    The stored columns may be the centered ones shifted by small offsets
    ``shift`` (``x_j = xc_j + d_j``, see :func:`_shifted_columns`). The
    residual of the centered problem is then kept as ``R + offset``: an update
    ``R -= delta x_j`` adds ``delta d_j`` to ``offset``, and as ``1^T R = -n
    offset`` (the centered targets and columns sum to 0), ``xc_j'(R + offset)
    = x_j'R + n d_j offset``. The offset is folded into R before each sweep and
    gap check, so it only ever holds one sweep's share.
    """

    def __init__(self, w, X, y, norm2=None, Xty=None, shift=None):
        self.X, self.y = np.asfortranarray(X, dtype=np.float64), np.ascontiguousarray(y, dtype=np.float64)
        self.columns = list(self.X.T)
        norm2 = np.einsum("ij,ij->j", self.X, self.X) if norm2 is None else norm2
        self.norm2 = norm2.tolist()
        self.shift = np.zeros(self.X.shape[1]) if shift is None else shift
        self.shift_list, self.n_shift = self.shift.tolist(), (len(self.y) * self.shift).tolist()
        start_at_zero = not w.any()
        self.R = self.y.copy() if start_at_zero else self.y - self.X @ w
        self.offset = 0.0 if start_at_zero else float(self.shift @ w)
        self._XtR = Xty if start_at_zero else None  # Xc'R of the first gap, when it is Xc'y
        self.y_norm2 = float(self.y @ self.y)

    def fold(self):
        """Fold the offset into R: R is the centered residual again."""
        if self.offset != 0.0:
            self.R += self.offset
            self.offset = 0.0

    def move(self, j, delta):
        daxpy(self.columns[j], self.R, a=-delta)  # R -= delta * X[:, j], in place
        self.offset += delta * self.shift_list[j]

    def gap(self, w, alpha, beta, positive):
        self.fold()
        R, XtR, self._XtR = self.R, self._XtR, None
        if XtR is None:
            XtR = R @ self.X  # Xc'R = X'R - d (1'R)
            if self.shift.any():
                XtR -= self.shift * R.sum()
        return _duality_gap(w, alpha, beta, float(R @ R), float(R @ self.y), XtR, positive)


def _screen(w, problem, XtA, dual_norm, gap, alpha, beta, excluded):
    """Gap-safe screening: drop the features proven zero at the optimum; the active list."""
    radius = math.sqrt(2 * abs(gap)) / alpha
    distance = (1 - np.abs(XtA / max(alpha, dual_norm))) / np.sqrt(np.asarray(problem.norm2) + beta)
    drop = ~excluded & ~(distance <= radius)
    for j in np.flatnonzero(drop & (w != 0)).tolist():
        problem.move(j, -w[j])
        w[j] = 0.0
    excluded |= drop
    return np.flatnonzero(~excluded).tolist()


def _solve_cd(w, alpha, beta, problem, *, max_iter, tol, rng, random, positive):
    # min_w 0.5 ||y - Xw||^2 + alpha ||w||_1 + 0.5 beta ||w||^2, coordinate-wise:
    # w_j = soft_threshold(x_j'(y - Xw + w_j x_j), alpha) / (x_j'x_j + beta)
    d_w_tol, tol = tol, tol * problem.y_norm2
    norm2 = problem.norm2
    screening = alpha != 0
    excluded = np.zeros(len(w), dtype=bool)
    gap, dual_norm, XtA = problem.gap(w, alpha, beta, positive)
    if 0 <= gap <= tol:
        return w, gap, tol, 0
    active = list(range(len(w)))
    if screening:
        excluded[[j for j in range(len(w)) if norm2[j] == 0]] = True
        w[excluded] = 0.0
        active = _screen(w, problem, XtA, dual_norm, gap, alpha, beta, excluded)
    n_iter = 0
    for n_iter in range(max_iter):
        order = [active[k] for k in rng.randint(len(active), size=len(active))] if random else active
        w_max, d_w_max = _soft_threshold_sweep(w, order, alpha, beta, positive, problem)
        if w_max == 0.0 or d_w_max / w_max <= d_w_tol or n_iter == max_iter - 1:
            gap, dual_norm, XtA = problem.gap(w, alpha, beta, positive)
            if gap <= tol:
                break
            if screening:
                active = _screen(w, problem, XtA, dual_norm, gap, alpha, beta, excluded)
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
        Whether the sweeps work on the Gram matrix ``X^T X`` (computed once;
        True, or "auto" when n_samples > n_features) or on the residual
        ``y - Xw``. False, scikit-learn's residual sweeps, also uses the Gram
        matrix for tall data (n_samples > n_features) with at most 128
        features, where it is the faster of the two here; both give the same
        iterates up to rounding. A given array of shape (n_features,
        n_features) is used as that Gram matrix (X must then be centered
        already).
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
        # X's finiteness is checked below: on the one-pass path by its centered column norms
        X, y = validate_data(self, X, y, multi_output=True, y_numeric=True, ensure_all_finite=False)
        Xt, yt = _as_tensors(X, y)
        n_samples = Xt.shape[0]
        weighted = sample_weight is not None and not isinstance(sample_weight, Real)
        Y = yt.reshape(n_samples, -1)
        on_gram = self._on_gram(*Xt.shape)
        # unweighted residual sweeps on the CPU: X's column-major copy, norms and X^T y in one pass
        one_pass = not on_gram and not weighted and Xt.dtype == torch.float64 and on_host_blas(Xt, Y)
        if not one_pass:
            _assert_all_finite(X, input_name="X", estimator=self)
        weight = None
        if weighted:
            weight = check_sample_weight(sample_weight, X, ensure_non_negative=True)
            weight = torch.as_tensor(weight * (n_samples / weight.sum()), dtype=Xt.dtype, device=Xt.device)
        X_np = gram = q_all = norm2 = cross = shift = None
        one_thread = n_samples <= _ONE_THREAD_MAX_SAMPLES
        if one_pass:
            with one_blas_thread(one_thread):
                X_np, Y_np, X_offset, y_offset, norm2, cross, shift = _shifted_columns(
                    Xt.numpy(), Y.numpy(), fit_intercept=self.fit_intercept
                )
            if not np.isfinite(norm2).all():
                _assert_all_finite(X, input_name="X", estimator=self)
            X_offset, y_offset = torch.from_numpy(X_offset), torch.from_numpy(y_offset)
        elif on_gram and weight is None and isinstance(self.precompute, (bool, str)):
            # X^T X and X^T y of the centered data, without a centered copy of X
            gram, q_all, X_offset, y_offset, Yc = _centered_gram(Xt, Y, fit_intercept=self.fit_intercept)
            gram, q_all = _float64(gram), _float64(q_all)
        else:
            Xc, Yc, X_offset, y_offset = _preprocess_data(
                Xt, Y, fit_intercept=self.fit_intercept, sample_weight=weight, fortran=not on_gram
            )
            if weight is not None:
                Xc, Yc = _rescale_data(Xc, Yc, weight)
            if on_gram:
                gram, q_all = self._gram(Xc), _float64(_cross(Xc, Yc))
            else:
                X_np = to_numpy(Xc)
        if not one_pass:
            Y_np = _float64(Yc)
        coef = self._initial_coef(Y.shape[1], Xt.shape[1])
        l1_reg = self.alpha * self.l1_ratio * n_samples
        l2_reg = self.alpha * (1.0 - self.l1_ratio) * n_samples
        rng = check_random_state(self.random_state)
        gaps, n_iters = [], []
        # every BLAS call from here is level 1 or 2 (on the Gram matrix, of length n_features): a single
        # call of more than 10,000 elements on two threads would leave OpenBLAS's second thread
        # spinning through the rest of the fit
        with one_blas_thread(one_thread):
            for k in range(Y.shape[1]):
                w = coef[k].copy()
                if gram is None:
                    problem = _ResidualProblem(w, X_np, Y_np[:, k], norm2, None if cross is None else cross[k], shift)
                else:
                    problem = _GramProblem(w, gram, q_all[:, k].copy(), float(Y_np[:, k] @ Y_np[:, k]))
                w, gap, _, n_iter = _solve_cd(
                    w,
                    l1_reg,
                    l2_reg,
                    problem,
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

    def _on_gram(self, n_samples, n_features):
        """Whether the sweeps work on the Gram matrix (else on the residual).

        True or a given array: the Gram matrix; "auto": it when n_samples >
        n_features, as scikit-learn. False (scikit-learn's residual sweeps)
        also uses it for tall data with at most ``_GRAM_MAX_FEATURES``
        features: the sweeps here pay a Python step per coordinate, which one
        ``syrk`` for ``X^T X`` and short Gram-row updates (plus skipping the
        zero weights that stay zero without touching the data) make cheaper
        than two passes over n_samples per coordinate. Both give the same
        iterates up to rounding.
        """
        if not isinstance(self.precompute, (bool, str)) or self.precompute is True:
            return True
        if self.precompute == "auto":
            return n_samples > n_features
        return n_samples > n_features and n_features <= _GRAM_MAX_FEATURES

    def _gram(self, Xc):
        """X^T X as a C-contiguous float64 numpy array (a user-given Gram matrix is used as is)."""
        if not isinstance(self.precompute, (bool, str)):
            gram = np.asarray(self.precompute, dtype=np.float64)
            if gram.shape != (Xc.shape[1], Xc.shape[1]):
                raise ValueError(
                    f"Gram matrix has shape {gram.shape}, expected {(Xc.shape[1], Xc.shape[1])}."
                )
            return np.ascontiguousarray(gram)
        return _float64(_gram(Xc))

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
