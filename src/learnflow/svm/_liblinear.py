"""The linear SVM solvers: liblinear's dual coordinate descent and a primal Newton method.

The intercept is handled as liblinear does: X gets a constant column equal to
``intercept_scaling`` and its weight is regularised like the others, so the
coefficients equal liblinear's (Chapter 5: "LinearSVC regularizes the bias
term"). The dual solvers return the weight vector of the augmented problem
and the number of iterations; the primal Newton method solves several
problems on one X at once (one-vs-rest) and returns one row of weights and
one iteration count per problem.
"""

# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
import scipy.linalg

from .._engine import one_blas_thread

__all__ = []


# ---------------------------------------------------------------------------
# Dual coordinate descent (Hsieh et al. 2008; liblinear's solve_l2r_l1l2_*)
# ---------------------------------------------------------------------------


def _solve_dual_cd_svc(X, y, C, *, squared, tol, max_iter, rng):
    # min_a 1/2 a^T (Q + D) a - 1^T a, 0 <= a_i <= U;  w = sum_i a_i y_i x_i
    # hinge: U = C_i, D_ii = 0; squared hinge: U = inf, D_ii = 1 / (2 C_i)
    keep = C > 0  # zero-weight samples have alpha_i = 0
    X, y, C = X[keep], y[keep], C[keep]
    n = X.shape[0]
    diag = 0.5 / C if squared else np.zeros(n)
    upper = np.full(n, np.inf) if squared else C
    QD = np.einsum("ij,ij->i", X, X) + diag
    alpha = np.zeros(n)
    w = np.zeros(X.shape[1])
    rows = list(X)
    active = np.arange(n)
    pg_max_old, pg_min_old = np.inf, -np.inf
    n_iter = 0
    while n_iter < max_iter:
        n_iter += 1
        pg_max_new, pg_min_new = -np.inf, np.inf
        order = active[rng.permutation(len(active))]
        keep = np.ones(len(order), dtype=bool)
        for k, i in enumerate(order):
            xi, yi, ai = rows[i], y[i], alpha[i]
            G = yi * float(w @ xi) - 1.0 + diag[i] * ai
            PG = 0.0
            if ai == 0:
                if G > pg_max_old:
                    keep[k] = False
                    continue
                PG = min(G, 0.0)
            elif ai == upper[i]:
                if G < pg_min_old:
                    keep[k] = False
                    continue
                PG = max(G, 0.0)
            else:
                PG = G
            pg_max_new = max(pg_max_new, PG)
            pg_min_new = min(pg_min_new, PG)
            if abs(PG) > 1e-12:
                new = min(max(ai - G / QD[i], 0.0), upper[i])
                w += ((new - ai) * yi) * xi
                alpha[i] = new
        active = order[keep]
        if pg_max_new - pg_min_new <= tol:
            if len(active) == n:
                break
            active = np.arange(n)
            pg_max_old, pg_min_old = np.inf, -np.inf
            continue
        pg_max_old = pg_max_new if pg_max_new > 0 else np.inf
        pg_min_old = pg_min_new if pg_min_new < 0 else -np.inf
    return w, n_iter


def _solve_dual_cd_svr(X, z, C, epsilon, *, squared, tol, max_iter, rng):
    # min_b 1/2 b^T (Q + lambda I) b - z^T b + eps |b|_1, -U <= b_i <= U; w = sum_i b_i x_i
    # L1 loss: U = C_i, lambda = 0; L2 loss: U = inf, lambda = 1 / (2 C_i)
    keep = C > 0  # zero-weight samples have beta_i = 0
    X, z, C = X[keep], z[keep], C[keep]
    n = X.shape[0]
    lam = 0.5 / C if squared else np.zeros(n)
    upper = np.full(n, np.inf) if squared else C
    H_all = np.einsum("ij,ij->i", X, X) + lam
    beta = np.zeros(n)
    w = np.zeros(X.shape[1])
    rows = list(X)
    gnorm_init = None
    n_iter = 0
    while n_iter < max_iter:
        n_iter += 1
        gnorm = 0.0
        for i in rng.permutation(n):
            xi, bi, H = rows[i], beta[i], H_all[i]
            G = -z[i] + lam[i] * bi + float(w @ xi)
            Gp, Gn = G + epsilon, G - epsilon
            # violation of the optimality conditions (for the stopping rule)
            if bi == 0:
                violation = max(Gn, 0.0) - min(Gp, 0.0) if Gp < 0 or Gn > 0 else 0.0
            elif bi >= upper[i]:
                violation = max(Gp, 0.0)
            elif bi <= -upper[i]:
                violation = -min(Gn, 0.0)
            else:
                violation = abs(Gp) if bi > 0 else abs(Gn)
            gnorm += violation
            if Gp < H * bi:
                d = -Gp / H
            elif Gn > H * bi:
                d = -Gn / H
            else:
                d = -bi
            if abs(d) < 1e-12:
                continue
            new = min(max(bi + d, -upper[i]), upper[i])
            if new != bi:
                w += (new - bi) * xi
                beta[i] = new
        if gnorm_init is None:
            gnorm_init = gnorm
        if gnorm <= tol * gnorm_init:
            break
    return w, n_iter


# ---------------------------------------------------------------------------
# Primal Newton method (squared losses: piecewise-quadratic, so Newton steps are exact)
# ---------------------------------------------------------------------------


# The parts of a primal: objective (K,), gradient (d, K) and curvature (n, K) of K problems at once,
# one column per problem: X @ W and X^T @ coef are matrix products, not K matrix-vector products.


def _squared_hinge_parts(X, Y, C, W):
    # f(w) = 1/2 w.w + sum_i C_i max(0, 1 - y_i w.x_i)^2
    margin = np.maximum(1.0 - Y * (X @ W), 0.0)
    f = 0.5 * np.einsum("ij,ij->j", W, W) + np.einsum("ij,ij->j", C, margin * margin)
    return f, W - X.T @ (2.0 * C * margin * Y), 2.0 * C * (margin > 0)


def _squared_eps_parts(X, Z, C, W, epsilon):
    # f(w) = 1/2 w.w + sum_i C_i max(0, |w.x_i - z_i| - eps)^2
    r = X @ W - Z
    excess = np.maximum(np.abs(r) - epsilon, 0.0)
    f = 0.5 * np.einsum("ij,ij->j", W, W) + np.einsum("ij,ij->j", C, excess * excess)
    return f, W + X.T @ (2.0 * C * excess * np.sign(r)), 2.0 * C * (excess > 0)


class _NewtonHessian:
    """The primal Hessian ``I + X^T diag(h) X``, kept up to date as the curvature ``h`` changes.

    Squared losses have curvature ``2 C_i`` on the rows inside the loss and 0
    elsewhere, and a Newton step changes only some of them (MNIST, one class
    against the rest: 2,700 then 2,000, 1,200, ... of 8,000 rows, then a few).
    The rows that enter or leave are added to or subtracted from the matrix
    (two symmetric rank-k products), which costs k rows instead of rebuilding
    from every active row; it is rebuilt when fewer rows are active than
    changed. Those updates are computed in float32 (2.7 times faster products):
    while the active set moves, the Hessian only steers the step, and the
    objective and gradient that decide it stay float64. Once a step leaves the
    curvature unchanged (the active set is found), a matrix holding float32
    updates is rebuilt in float64 from the active rows, so the last steps are
    exact Newton steps as before (the idea of mixed-precision iterative
    refinement). The factor of the current matrix is kept, so solvers that
    start from the same curvature (one-vs-rest classes with equal sample costs
    start at ``w = 0``) share one copy of it.
    """

    def __init__(self, X):
        self.X = X
        self.h = self.matrix = self.factor = None
        self.approximate = False  # the matrix holds float32 updates

    def copy(self):
        clone = _NewtonHessian(self.X)
        if self.matrix is not None:
            clone.h, clone.matrix, clone.factor = self.h, self.matrix.copy(), self.factor
            clone.approximate = self.approximate
        return clone

    def solve(self, h, g):
        """``H^-1 g`` for the Hessian ``H`` at curvature ``h``.

        With fewer active rows than half the columns, through the active rows' system instead
        (Woodbury: ``H^-1 g = g - B^T (I + B B^T)^-1 B g``, ``B = diag(h)^1/2 X_active``), whose
        product and factor cost less than the d x d factor (n_active^2 d / 2 + n_active^3 / 3
        against d^3 / 3 multiply-adds); the d x d matrix is then left as it was (its updates are
        relative to the curvature it was last built at).
        """
        active = np.flatnonzero(h)
        if 2 * len(active) < self.X.shape[1]:
            B = _scaled_rows(self.X, active, h[active], np.float64)
            inner = B @ B.T
            inner[np.diag_indices_from(inner)] += 1.0
            factor = scipy.linalg.cho_factor(inner, check_finite=False)
            return g - B.T @ scipy.linalg.cho_solve(factor, B @ g, check_finite=False)
        return scipy.linalg.cho_solve(self.factor_at(h), g, check_finite=False)

    def factor_at(self, h):
        """The Cholesky factor (scipy's ``cho_factor``) of the Hessian at curvature ``h``."""
        unchanged = self.matrix is not None and np.array_equal(h, self.h)
        if unchanged and not self.approximate:
            return self.factor
        X = self.X
        if X.shape[1] <= _NARROW:  # the whole product costs less than finding the rows that changed
            self.matrix = (X.T * h) @ X
            self.matrix[np.diag_indices_from(self.matrix)] += 1.0
        else:
            changed = None if self.matrix is None or unchanged else np.flatnonzero(h != self.h)
            if changed is None or len(changed) >= np.count_nonzero(h):
                active = np.flatnonzero(h)
                self.matrix = _weighted_gram(X, active, h[active], np.float64)
                self.matrix[np.diag_indices_from(self.matrix)] += 1.0
                self.approximate = False
            else:
                delta = h[changed] - self.h[changed]
                grows = delta > 0
                self.matrix += _weighted_gram(X, changed[grows], delta[grows], np.float32)
                self.matrix -= _weighted_gram(X, changed[~grows], -delta[~grows], np.float32)
                self.approximate = True
        self.h = h.copy()
        self.factor = scipy.linalg.cho_factor(self.matrix, check_finite=False)
        return self.factor


# Up to this many columns the Hessian is rebuilt whole at every step (no bookkeeping of changed rows)
_NARROW = 32


def _scaled_rows(X, rows, weights, dtype):
    """``diag(weights)^1/2 X[rows]`` in ``dtype`` (a new array: the gather, scaled in place)."""
    scaled = X[rows].astype(dtype, copy=False)
    scaled *= np.sqrt(weights).astype(dtype)[:, None]
    return scaled


def _weighted_gram(X, rows, weights, dtype):
    """``X[rows]^T diag(weights) X[rows]`` computed in ``dtype``, as ``B^T B``: numpy multiplies a matrix by
    its own transpose with BLAS syrk (half the work)."""
    scaled = _scaled_rows(X, rows, weights, dtype)
    return scaled.T @ scaled


# Hessians of up to this many multiply-adds (n_samples * n_features^2) are built on one BLAS thread, as
# liblinear runs: MNIST 8000 x 717 one-vs-rest took 3.2 s on one thread, 15-34 s on two (shared 2-core machine)
_ONE_BLAS_THREAD_WORK = 10**10


def _solve_primal_newton(X, targets, Cs, *, parts, tol, max_iter):
    """Generalised Newton with Armijo backtracking on squared-loss primals (float64), one per target.

    The problems share X (one-vs-rest classes, or one regression) and step in
    lockstep, so each evaluation of the objectives is two matrix products over
    X for all of them; each problem has its own Hessian (:class:`_NewtonHessian`),
    only n_features + 1 unknowns and a few Newton steps: numpy on the CPU, as
    liblinear's sequential solvers, without per-call torch dispatch. The
    weight of an all-zero column is 0 at the optimum (its gradient is the
    weight itself), so such columns (MNIST's blank pixels) are left out. All
    start at ``w = 0``: problems with the same starting curvature (equal
    sample costs) start from one Hessian and factor. Returns the weights
    (n_targets, n_features) and the iterations of each problem.
    """
    X = np.asarray(X, dtype=np.float64)
    used = np.flatnonzero(np.any(X != 0, axis=0))
    X_used = np.ascontiguousarray(X[:, used] if len(used) < X.shape[1] else X)
    Y = np.column_stack(targets).astype(np.float64, copy=False)
    C = np.column_stack(Cs).astype(np.float64, copy=False)
    n_samples, n_features = X_used.shape
    # (narrow X: products of a few columns, which OpenBLAS does not split: no limit to set)
    with one_blas_thread(_NARROW < n_features and n_samples * n_features**2 <= _ONE_BLAS_THREAD_WORK):
        W_used, n_iters = _newton(X_used, Y, C, parts, tol, max_iter)
    W = np.zeros((Y.shape[1], X.shape[1]))
    W[:, used] = W_used.T
    return W, n_iters


def _newton(X, Y, C, parts, tol, max_iter):
    n_problems = Y.shape[1]
    W = np.zeros((X.shape[1], n_problems))
    f, grad, curvature = parts(X, Y, C, W)
    start, hessians = _NewtonHessian(X), []
    for k in range(n_problems):
        start.factor_at(curvature[:, k])
        hessians.append(start.copy())
    stop = min(tol, 1e-3) * 1e-6 * np.maximum(np.linalg.norm(grad, axis=0), 1.0)
    n_iter = np.zeros(n_problems, dtype=int)
    running = np.linalg.norm(grad, axis=0) > stop
    while running.any():
        live = np.flatnonzero(running)
        n_iter[live] += 1
        step = -np.column_stack([hessians[k].solve(curvature[:, k], grad[:, k]) for k in live])
        slope = np.einsum("ij,ij->j", grad[:, live], step)
        W_live = W[:, live]
        # Armijo backtracking: each evaluation covers the live problems whose step is not accepted yet
        t, pending = np.ones(len(live)), np.arange(len(live))
        while len(pending):
            cols = live[pending]
            W_try = W_live[:, pending] + t[pending] * step[:, pending]
            f_try, grad_try, curvature_try = parts(X, Y[:, cols], C[:, cols], W_try)
            accept = (f_try <= f[cols] + 1e-4 * t[pending] * slope[pending]) | (t[pending] < 1e-12)
            done = cols[accept]
            W[:, done], f[done] = W_try[:, accept], f_try[accept]
            grad[:, done], curvature[:, done] = grad_try[:, accept], curvature_try[:, accept]
            t[pending[~accept]] *= 0.5
            pending = pending[~accept]
        moved = np.abs(W[:, live] - W_live).max(axis=0)
        converged = moved <= 1e-15 * np.maximum(1.0, np.abs(W_live).max(axis=0))
        running[live[converged]] = False
        running &= (np.linalg.norm(grad, axis=0) > stop) & (n_iter < max_iter)
    return W, n_iter.tolist()
