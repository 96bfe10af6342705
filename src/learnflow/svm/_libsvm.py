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
PREFETCH = 32  # kernel rows computed per cache miss


# ---------------------------------------------------------------------------
# Kernel rows
# ---------------------------------------------------------------------------


class _KernelRows:
    """Rows of the kernel matrix of X, computed on torch on demand and cached (LRU, ``cache_size`` MB)."""

    def __init__(self, X, kernel, params, cache_size):
        self.X = X
        self.kernel = kernel
        self.params = params
        n = X.shape[0]
        self.capacity = max(2, int(cache_size * 2**20 // (8 * max(n, 1))))
        self.rows = OrderedDict()

    def _block(self, index):
        K = _kernel_tensor(self.X[index], self.X, self.kernel, **self.params)
        return K.to(torch.float64).cpu().numpy()

    def diagonal(self):
        n = self.X.shape[0]
        parts = []
        for start in range(0, n, 1024):
            block = self.X[start : start + 1024]
            parts.append(torch.diagonal(_kernel_tensor(block, block, self.kernel, **self.params)))
        return torch.cat(parts).to(torch.float64).cpu().numpy() if parts else np.zeros(0)

    def cached(self, i):
        row = self.rows.get(i)
        if row is not None:
            self.rows.move_to_end(i)
        return row

    def load(self, index):
        """Compute the rows ``index`` (missing ones) in one block."""
        index = [int(k) for k in dict.fromkeys(index) if int(k) not in self.rows][: self.capacity]
        if not index:
            return
        block = self._block(torch.as_tensor(index, device=self.X.device))
        for k, row in zip(index, block):
            self.rows[k] = row
        while len(self.rows) > self.capacity:
            self.rows.popitem(last=False)

    def __getitem__(self, i):
        row = self.cached(i)
        if row is None:
            self.load([i])
            row = self.rows[i]
        return row


# ---------------------------------------------------------------------------
# The SMO solver
# ---------------------------------------------------------------------------


class _SMOState:
    """Solver state: alpha, F = y * G (G the dual gradient), and the I_up / I_low masks as penalties.

    ``up_pen`` is 0 where t is in I_up (and active) and -inf elsewhere, so a
    masked maximum is one vector addition; the same for ``low_pen``.
    """

    def __init__(self, y, p, C, alpha, QD, row):
        self.y, self.C, self.alpha, self.QD, self.row = y, C, alpha, QD, row
        self.pos = y > 0
        G = p.astype(np.float64).copy()
        for t in np.flatnonzero(alpha):
            G += y[t] * alpha[t] * y * row(t)
        self.F = y * G
        self.active = np.ones(len(y), dtype=bool)
        self.up_pen = np.empty(len(y))
        self.low_pen = np.empty(len(y))
        self.refresh_masks()

    def refresh_masks(self, index=None):
        sl = slice(None) if index is None else index
        a, C, pos, act = self.alpha[sl], self.C[sl], self.pos[sl], self.active[sl]
        up = np.where(pos, a < C, a > 0) & act
        low = np.where(pos, a > 0, a < C) & act
        self.up_pen[sl] = np.where(up, 0.0, -np.inf)
        self.low_pen[sl] = np.where(low, 0.0, -np.inf)

    def refresh_pair(self, i, j):
        """The masks of the two updated variables, with scalar operations."""
        for t in (i, j):
            a, C, act = self.alpha[t], self.C[t], self.active[t]
            up, low = (a < C, a > 0) if self.pos[t] else (a > 0, a < C)
            self.up_pen[t] = 0.0 if (up and act) else -np.inf
            self.low_pen[t] = 0.0 if (low and act) else -np.inf

    @property
    def G(self):
        return self.y * self.F


def _select_working_set(state, tol):
    """libsvm's WSS3: i maximises -y G over I_up; j minimises -(Gmax + y_j G_j)^2 / quad_ij over I_low.

    Ties go to the last index, as in libsvm. Returns (i, j, K_i) or None when
    the maximal violation Gmax + Gmax2 is below tol.
    """
    scores = state.up_pen - state.F
    n = len(scores)
    i = n - 1 - int(scores[::-1].argmax())
    gmax = scores[i]
    low_F = state.F + state.low_pen
    gmax2 = low_F.max()
    if not np.isfinite(gmax) or gmax + gmax2 < tol:
        return None
    # grad_diff = Gmax + y_j G_j;  quad = K_ii + K_jj - 2 K_ij
    grad_diff = np.maximum(low_F + gmax, 0.0)
    K_i = state.row(i)
    quad = np.maximum(state.QD - 2.0 * K_i + state.QD[i], TAU)
    gain = -(grad_diff * grad_diff) / quad
    j = n - 1 - int(gain[::-1].argmin())
    if gain[j] >= 0:
        return None
    return i, j, K_i


def _update_pair(i, j, alpha, y, C, G_i, G_j, QD, Kij):
    """Solve the two-variable sub-problem in closed form (libsvm's Solver::Solve)."""
    Ci, Cj = C[i], C[j]
    ai, aj = alpha[i], alpha[j]
    quad = QD[i] + QD[j] - 2.0 * Kij
    quad = quad if quad > 0 else TAU
    if y[i] != y[j]:
        delta = (-G_i - G_j) / quad
        diff = ai - aj
        ai += delta
        aj += delta
        if diff > 0:
            if aj < 0:
                aj, ai = 0.0, diff
        elif ai < 0:
            ai, aj = 0.0, -diff
        if (diff > Ci - Cj) if Ci != Cj else diff > 0:
            if ai > Ci:
                ai, aj = Ci, Ci - diff
        elif aj > Cj:
            aj, ai = Cj, Cj + diff
    else:
        delta = (G_i - G_j) / quad
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


def _candidates(state, size=PREFETCH):
    """The most violating variables (likely the next working sets): their rows are computed in one block."""
    if state is None or len(state.F) <= size:
        return np.arange(0 if state is None else len(state.F))
    up = np.argpartition(state.F - state.up_pen, size)[:size]
    low = np.argpartition(-(state.F + state.low_pen), size)[:size]
    return np.concatenate([up, low])


def _do_shrinking(state, tol, unshrunk):
    """libsvm's do_shrinking: drop bounded variables that cannot join a violating pair."""
    gmax1 = (state.up_pen - state.F).max()
    gmax2 = (state.F + state.low_pen).max()
    if not unshrunk and gmax1 + gmax2 <= tol * 10:
        unshrunk = True
        state.active[:] = True
    G, alpha, C, pos = state.G, state.alpha, state.C, state.pos
    at_upper, at_lower = alpha >= C, alpha <= 0
    shrunk = (at_upper & pos & (-G > gmax1)) | (at_upper & ~pos & (-G > gmax2))
    shrunk |= (at_lower & pos & (G > gmax2)) | (at_lower & ~pos & (G > gmax1))
    state.active &= ~shrunk
    state.refresh_masks()
    return unshrunk


def _solve_smo(rows, y, p, C, alpha, *, tol, max_iter, shrinking, index_map=None):
    """Minimise 1/2 a^T Q a + p^T a s.t. y^T a = const, 0 <= a <= C by SMO (WSS3).

    ``rows[k]`` is row k of the kernel matrix; variable t uses kernel index
    ``index_map[t]`` (for SVR each sample appears twice). Each iteration is a
    fixed number of vector operations over the variables. Returns
    (alpha, G, n_iter, status) with status 1 when ``max_iter`` stopped it.
    """
    n = len(y)
    index_map = np.arange(n) if index_map is None else index_map
    identity = len(index_map) == len(np.unique(index_map))
    QD = rows.diagonal()[index_map]
    state = None

    def row(t):
        k = int(index_map[t])
        base = rows.cached(k) if hasattr(rows, "cached") else rows[k]
        if base is None:
            rows.load(np.concatenate([[k], index_map[_candidates(state)]]))
            base = rows[k]
        return base if identity else np.concatenate([base, base])

    state = _SMOState(y, p, C, alpha, QD, row)
    counter = min(n, 1000) + 1
    limit = max_iter if max_iter > 0 else max(10_000_000, 100 * n)
    n_iter, unshrunk = 0, False
    while n_iter < limit:
        counter -= 1
        if counter == 0:
            counter = min(n, 1000)
            if shrinking:
                unshrunk = _do_shrinking(state, tol, unshrunk)
        pair = _select_working_set(state, tol)
        if pair is None:
            # optimal on the active set: check the whole set (the gradient is exact everywhere)
            state.active[:] = True
            state.refresh_masks()
            pair = _select_working_set(state, tol)
            if pair is None:
                break
            counter = 1
        n_iter += 1
        i, j, K_i = pair
        K_j = row(j)
        yi, yj = y[i], y[j]
        ai, aj = _update_pair(i, j, alpha, y, C, yi * state.F[i], yj * state.F[j], QD, K_i[j])
        dai, daj = ai - alpha[i], aj - alpha[j]
        alpha[i], alpha[j] = ai, aj
        # y G += y (Q_i dai + Q_j daj) = K_i yi dai + K_j yj daj
        state.F += (yi * dai) * K_i
        state.F += (yj * daj) * K_j
        state.refresh_pair(i, j)
    status = 0 if n_iter < limit else 1
    return alpha, state.G, n_iter, status


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
        rows, y, -np.ones(n), C, np.zeros(n), tol=tol, max_iter=max_iter, shrinking=shrinking
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
        rows, y, p, CC, np.zeros(2 * n), tol=tol, max_iter=max_iter, shrinking=shrinking,
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
