"""The kernel SVM solvers: libsvm's SMO with second-order working-set selection.

The dual problems of C-SVC and epsilon-SVR (Chapter 5, Equation 5-6 and
Appendix C) share one form,

    minimise    1/2 a^T Q a + p^T a
    subject to  y^T a = delta,  0 <= a_i <= C_i,   Q_ij = y_i y_j K(x_i, x_j),

which :func:`_solve_smo` solves by sequential minimal optimisation: each
iteration picks the maximal violating pair with libsvm's second-order rule
(WSS3, Fan, Chen and Lin 2005), solves the two-variable sub-problem in closed
form and updates the whole gradient with two kernel rows (vector operations;
no Python loop over the training instances). Kernel rows are computed on
torch in blocks and kept in an LRU cache of ``cache_size`` megabytes.
"""

# SPDX-License-Identifier: BSD-3-Clause

import math
from collections import OrderedDict

import numpy as np
import torch

from ..metrics.pairwise import _kernel_tensor

__all__ = []

TAU = 1e-12


# ---------------------------------------------------------------------------
# Kernel rows
# ---------------------------------------------------------------------------


class _KernelRows:
    """Rows of the kernel matrix of X, computed on torch and cached (LRU, in MB).

    When the whole matrix fits in the cache it is computed once in blocks.
    """

    def __init__(self, X, kernel, params, cache_size):
        self.X = X
        self.kernel = kernel
        self.params = params
        n = X.shape[0]
        self.capacity = max(2, int(cache_size * 2**20 // (8 * max(n, 1))))
        self.full = None
        self.rows = OrderedDict()
        if self.capacity >= n:
            self.full = self._block(torch.arange(n, device=X.device))

    def _block(self, index):
        K = _kernel_tensor(self.X[index], self.X, self.kernel, **self.params)
        return K.to(torch.float64).cpu().numpy()

    def diagonal(self):
        if self.full is not None:
            return np.ascontiguousarray(np.diag(self.full))
        n = self.X.shape[0]
        return np.concatenate(
            [
                np.diag(_kernel_tensor(self.X[s : s + 512], self.X[s : s + 512], self.kernel, **self.params).to(
                    torch.float64).cpu().numpy())
                for s in range(0, n, 512)
            ]
        ) if n else np.zeros(0)

    def __getitem__(self, i):
        if self.full is not None:
            return self.full[i]
        row = self.rows.get(i)
        if row is not None:
            self.rows.move_to_end(i)
            return row
        row = self._block(torch.tensor([i], device=self.X.device))[0]
        self.rows[i] = row
        if len(self.rows) > self.capacity:
            self.rows.popitem(last=False)
        return row


# ---------------------------------------------------------------------------
# The SMO solver
# ---------------------------------------------------------------------------


def _select_working_set(G, alpha, y, C, QD, active, kernel_row_of, tol):
    """libsvm's WSS3: i maximises -y G over I_up, j minimises the second-order gain over I_low.

    Returns (i, j) or None when the maximal violation Gmax + Gmax2 is below tol.
    """
    pos = y > 0
    up = np.where(pos, alpha < C, alpha > 0) & active
    low = np.where(pos, alpha > 0, alpha < C) & active
    if not up.any() or not low.any():
        return None
    minus_yG = -y * G
    scores = np.where(up, minus_yG, -np.inf)
    i = int(scores.argmax())
    gmax = scores[i]
    yG = np.where(low, y * G, -np.inf)
    gmax2 = yG.max()
    if gmax + gmax2 < tol:
        return None
    # grad_diff = Gmax + y_j G_j; quad = K_ii + K_jj - 2 K_ij; gain = -grad_diff^2 / quad
    grad_diff = gmax + yG
    K_i = kernel_row_of(i)
    quad = QD[i] + QD - 2.0 * K_i
    quad = np.where(quad > 0, quad, TAU)
    gain = np.where(low & (grad_diff > 0), -(grad_diff * grad_diff) / quad, np.inf)
    j = int(gain.argmin())
    if not np.isfinite(gain[j]):
        return None
    return i, j, K_i


def _update_pair(i, j, alpha, y, C, G, QD, Kij):
    """Solve the two-variable sub-problem in closed form (libsvm's Solver::Solve)."""
    Ci, Cj = C[i], C[j]
    ai, aj = alpha[i], alpha[j]
    if y[i] != y[j]:
        quad = QD[i] + QD[j] + 2.0 * (-Kij)  # Q_ij = -K_ij when labels differ
        quad = quad if quad > 0 else TAU
        delta = (-G[i] - G[j]) / quad
        diff = ai - aj
        ai += delta
        aj += delta
        if diff > 0:
            if aj < 0:
                aj, ai = 0.0, diff
        elif ai < 0:
            ai, aj = 0.0, -diff
        if diff > Ci - Cj:
            if ai > Ci:
                ai, aj = Ci, Ci - diff
        elif aj > Cj:
            aj, ai = Cj, Cj + diff
    else:
        quad = QD[i] + QD[j] - 2.0 * Kij
        quad = quad if quad > 0 else TAU
        delta = (G[i] - G[j]) / quad
        total = ai + aj
        ai -= delta
        aj += delta
        if total > Ci:
            if ai > Ci:
                ai, aj = Ci, total - Ci
        elif aj < 0:
            aj, ai = 0.0, total
        if total > Cj:
            if aj > Cj:
                aj, ai = Cj, total - Cj
        elif ai < 0:
            ai, aj = 0.0, total
    return ai, aj


def _shrink_mask(G, alpha, y, C, gmax1, gmax2):
    """libsvm's be_shrunk: bounded variables that cannot enter a violating pair."""
    pos = y > 0
    at_upper = alpha >= C
    at_lower = alpha <= 0
    up_pos = at_upper & pos
    up_neg = at_upper & ~pos
    lo_pos = at_lower & pos
    lo_neg = at_lower & ~pos
    shrunk = (up_pos & (-G > gmax1)) | (up_neg & (-G > gmax2))
    shrunk |= (lo_pos & (G > gmax2)) | (lo_neg & (G > gmax1))
    return ~shrunk


def _solve_smo(rows, n_rows, y, p, C, alpha, *, tol, max_iter, shrinking, index_map=None):
    """Minimise 1/2 a^T Q a + p^T a s.t. y^T a = const, 0 <= a <= C by SMO (WSS3).

    ``rows[k]`` is row k of the kernel matrix; variable t uses kernel index
    ``index_map[t]`` (for SVR each sample appears twice). Returns
    (alpha, G, n_iter, status) with status 0 when converged, 1 when max_iter stopped it.
    """
    n = len(y)
    identity = index_map is None
    index_map = np.arange(n) if identity else index_map
    QD = rows.diagonal()[index_map]

    if identity:

        def kernel_row_of(t):
            return rows[int(t)]

    else:

        def kernel_row_of(t):
            return rows[int(index_map[t])][index_map]

    # G = Q alpha + p (alpha starts at 0 or a feasible point)
    G = p.astype(np.float64).copy()
    for t in np.flatnonzero(alpha):
        G += y[t] * alpha[t] * y * kernel_row_of(t)
    active = np.ones(n, dtype=bool)
    counter = min(n, 1000) + 1
    limit = max_iter if max_iter > 0 else max(10_000_000, 100 * n)
    n_iter, unshrunk = 0, False
    while n_iter < limit:
        counter -= 1
        if shrinking and counter == 0:
            counter = min(n, 1000)
            active, unshrunk = _do_shrinking(G, alpha, y, C, active, tol, unshrunk)
        pair = _select_working_set(G, alpha, y, C, QD, active, kernel_row_of, tol)
        if pair is None:
            if active.all():
                break
            active[:] = True  # check optimality on the whole set (G is kept exact everywhere)
            counter = 1
            continue
        n_iter += 1
        i, j, K_i = pair
        ai, aj = _update_pair(i, j, alpha, y, C, G, QD, K_i[j])
        dai, daj = ai - alpha[i], aj - alpha[j]
        alpha[i], alpha[j] = ai, aj
        # G += Q_i dai + Q_j daj, with Q_t = y_t y K_t
        G += (y[i] * dai) * y * K_i + (y[j] * daj) * y * kernel_row_of(j)
    status = 0 if n_iter < limit else 1
    return alpha, G, n_iter, status


def _do_shrinking(G, alpha, y, C, active, tol, unshrunk):
    pos = y > 0
    up = np.where(pos, alpha < C, alpha > 0)
    low = np.where(pos, alpha > 0, alpha < C)
    gmax1 = np.max(np.where(up, -y * G, -np.inf))
    gmax2 = np.max(np.where(low, y * G, -np.inf))
    if not unshrunk and gmax1 + gmax2 <= tol * 10:
        unshrunk = True
        active = np.ones_like(active)
    return active & _shrink_mask(G, alpha, y, C, gmax1, gmax2), unshrunk


def _rho(G, alpha, y, C):
    """The offset rho (libsvm's calculate_rho): mean of y G over free variables."""
    yG = y * G
    upper = alpha >= C
    lower = alpha <= 0
    free = ~upper & ~lower
    if free.any():
        return float(yG[free].mean())
    pos = y > 0
    ub_mask = (upper & ~pos) | (lower & pos)
    lb_mask = (upper & pos) | (lower & ~pos)
    ub = yG[ub_mask].min() if ub_mask.any() else np.inf
    lb = yG[lb_mask].max() if lb_mask.any() else -np.inf
    return float((ub + lb) / 2)


# ---------------------------------------------------------------------------
# Problem builders
# ---------------------------------------------------------------------------


def _solve_svc(rows, y, C, *, tol, max_iter, shrinking):
    # C-SVC dual: min 1/2 a^T Q a - 1^T a, y^T a = 0, 0 <= a_i <= C_i
    n = len(y)
    alpha, G, n_iter, status = _solve_smo(
        rows, n, y, -np.ones(n), C, np.zeros(n), tol=tol, max_iter=max_iter, shrinking=shrinking
    )
    return alpha * y, _rho(G, alpha, y, C), n_iter, status


def _solve_svr(rows, z, C, epsilon, *, tol, max_iter, shrinking):
    # epsilon-SVR dual over [a; a*]: p = [eps - z; eps + z], y = [1; -1]; coef = a - a*
    n = len(z)
    y = np.concatenate([np.ones(n), -np.ones(n)])
    p = np.concatenate([epsilon - z, epsilon + z])
    CC = np.concatenate([C, C])
    index_map = np.concatenate([np.arange(n), np.arange(n)])
    alpha, G, n_iter, status = _solve_smo(
        rows, 2 * n, y, p, CC, np.zeros(2 * n), tol=tol, max_iter=max_iter, shrinking=shrinking,
        index_map=index_map,
    )
    return alpha[:n] - alpha[n:], _rho(G, alpha, y, CC), n_iter, status


# ---------------------------------------------------------------------------
# Platt scaling (libsvm's sigmoid_train / multiclass_probability)
# ---------------------------------------------------------------------------


def _sigmoid_train(dec, labels, prior1=None, prior0=None):
    """Fit P(y=1|f) = 1 / (1 + exp(A f + B)) by Newton's method with backtracking (Platt; Lin, Lin, Weng)."""
    prior1 = float((labels > 0).sum()) if prior1 is None else prior1
    prior0 = float(len(labels) - prior1) if prior0 is None else prior0
    max_iter, min_step, sigma, eps = 100, 1e-10, 1e-12, 1e-5
    hi_target = (prior1 + 1.0) / (prior1 + 2.0)
    lo_target = 1 / (prior0 + 2.0)
    t = np.where(labels > 0, hi_target, lo_target)
    A, B = 0.0, math.log((prior0 + 1.0) / (prior1 + 1.0))

    def objective(A, B):
        fApB = dec * A + B
        return np.sum(np.where(fApB >= 0, t * fApB + np.log1p(np.exp(-np.abs(fApB))),
                               (t - 1) * fApB + np.log1p(np.exp(-np.abs(fApB)))))

    fval = objective(A, B)
    for _ in range(max_iter):
        fApB = dec * A + B
        e = np.exp(-np.abs(fApB))
        p = np.where(fApB >= 0, e / (1.0 + e), 1.0 / (1.0 + e))
        q = np.where(fApB >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
        d2 = p * q
        h11 = sigma + np.sum(dec * dec * d2)
        h22 = sigma + np.sum(d2)
        h21 = np.sum(dec * d2)
        d1 = t - p
        g1 = np.sum(dec * d1)
        g2 = np.sum(d1)
        if abs(g1) < eps and abs(g2) < eps:
            break
        det = h11 * h22 - h21 * h21
        dA = -(h22 * g1 - h21 * g2) / det
        dB = -(-h21 * g1 + h11 * g2) / det
        gd = g1 * dA + g2 * dB
        step = 1.0
        while step >= min_step:
            newA, newB = A + step * dA, B + step * dB
            newf = objective(newA, newB)
            if newf < fval + 0.0001 * step * gd:
                A, B, fval = newA, newB, newf
                break
            step /= 2.0
        if step < min_step:
            break
    return A, B


def _sigmoid_predict(dec, A, B):
    fApB = dec * A + B
    e = np.exp(-np.abs(fApB))
    return np.where(fApB >= 0, e / (1.0 + e), 1.0 / (1.0 + e))


def _multiclass_probability(r):
    """Pairwise coupling (Wu, Lin and Weng 2004, method 2) for each row; r[:, i, j] = P(i | i or j)."""
    n_samples, k, _ = r.shape
    out = np.empty((n_samples, k))
    for s in range(n_samples):
        R = r[s]
        Q = -R.T * R
        Q[np.diag_indices(k)] = (R.T ** 2).sum(axis=1) - np.diag(R) ** 2
        p = np.full(k, 1.0 / k)
        max_iter = max(100, k)
        eps = 0.005 / k
        for _ in range(max_iter):
            Qp = Q @ p
            pQp = p @ Qp
            if np.max(np.abs(Qp - pQp)) < eps:
                break
            for t in range(k):
                diff = (-Qp[t] + pQp) / Q[t, t]
                p[t] += diff
                pQp = (pQp + diff * (diff * Q[t, t] + 2 * Qp[t])) / (1 + diff) / (1 + diff)
                Qp = (Qp + diff * Q[t]) / (1 + diff)
                p /= 1 + diff
        out[s] = p
    return out
