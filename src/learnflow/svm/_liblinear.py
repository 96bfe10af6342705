"""The linear SVM solvers: liblinear's dual coordinate descent and a primal Newton method.

The intercept is handled as liblinear does: X gets a constant column equal to
``intercept_scaling`` and its weight is regularised like the others, so the
coefficients equal liblinear's (Chapter 5: "LinearSVC regularizes the bias
term"). Every solver returns the weight vector of the augmented problem and
the number of iterations.
"""

# SPDX-License-Identifier: BSD-3-Clause

import numpy as np

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


def _squared_hinge_parts(X, y, C, w):
    # f(w) = 1/2 w.w + sum_i C_i max(0, 1 - y_i w.x_i)^2
    margin = 1.0 - y * (X @ w)
    act = margin > 0
    m = np.where(act, margin, 0.0)
    f = 0.5 * (w @ w) + C @ (m * m)
    coef = -2.0 * C * m * y
    return f, w + coef @ X, act, 2.0 * C * act


def _squared_eps_parts(X, z, C, w, epsilon):
    # f(w) = 1/2 w.w + sum_i C_i max(0, |w.x_i - z_i| - eps)^2
    r = X @ w - z
    excess = np.maximum(np.abs(r) - epsilon, 0.0)
    act = excess > 0
    f = 0.5 * (w @ w) + C @ (excess * excess)
    coef = 2.0 * C * excess * np.sign(r)
    return f, w + coef @ X, act, 2.0 * C * act


def _solve_primal_newton(X, target, C, *, parts, tol, max_iter):
    """Generalised Newton with Armijo backtracking on a squared-loss primal (float64).

    The primal has only n_features + 1 unknowns and a few Newton steps: numpy on
    the CPU, as liblinear's sequential solvers, without per-call torch dispatch.
    """
    X = np.ascontiguousarray(X, dtype=np.float64)
    target = np.asarray(target, dtype=np.float64)
    C = np.asarray(C, dtype=np.float64)
    w = np.zeros(X.shape[1])
    f, grad, _, h = parts(X, target, C, w)
    gnorm0 = float(np.sqrt(grad @ grad))
    stop = min(tol, 1e-3) * 1e-6 * max(gnorm0, 1.0)
    n_iter = 0
    eye = np.eye(X.shape[1])
    while n_iter < max_iter:
        if float(np.sqrt(grad @ grad)) <= stop:
            break
        n_iter += 1
        hessian = eye + (X.T * h) @ X
        step = -np.linalg.solve(hessian, grad)
        slope = float(grad @ step)
        t = 1.0
        while True:
            w_new = w + t * step
            f_new, grad_new, _, h_new = parts(X, target, C, w_new)
            if f_new <= f + 1e-4 * t * slope or t < 1e-12:
                break
            t *= 0.5
        converged = float(np.abs(w_new - w).max()) <= 1e-15 * max(1.0, float(np.abs(w).max()))
        w, f, grad, h = w_new, f_new, grad_new, h_new
        if converged:
            break
    return w, n_iter
