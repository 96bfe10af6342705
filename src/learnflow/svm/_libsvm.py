"""The kernel SVM solvers: libsvm's SMO with second-order working-set selection.

The dual problems of C-SVC and epsilon-SVR (Chapter 5, Equation 5-6 and
Appendix C) share one form,

    minimise    1/2 a^T Q a + p^T a
    subject to  y^T a = delta,  0 <= a_i <= C_i,   Q_ij = y_i y_j K(x_i, x_j),

which :func:`_solve_smo` solves by sequential minimal optimisation: each
iteration picks the maximal violating pair with libsvm's second-order rule
(WSS3, Fan, Chen and Lin 2005), solves the two-variable sub-problem in closed
form and updates the gradient with two kernel rows (vector operations on
preallocated float64 buffers, BLAS ``daxpy`` for the update; no Python loop
over the training instances). Shrinking (libsvm's do_shrinking) keeps compact
copies of the active variables' state, so that the vector operations only
touch the variables that can still join a violating pair; the gradient of the
shrunk ones is brought up to date in blocks when they return. Kernel rows are
computed on torch (CPU or GPU, in the dtype of X) in blocks and kept in an LRU
cache of ``cache_size`` megabytes; when rows are expensive (many features) a
miss also computes the rows of the most violating variables, the likely next
working sets, in the same block (one matrix product instead of many).

On small problems (see ``SMALL_PROBLEM`` in ``_base``) the estimators
compute the whole kernel matrix once, in symmetric blocks
(:func:`_kernel_matrix`; one-vs-one class pairs gather their blocks from it)
and serve rows from it (``_PrecomputedRows``; tiled for SVR when it fits),
so that an iteration does no cache lookups; the WSS3 denominators
max(QD_i + QD_j - 2 K_ij, TAU) of a row are cached with it
(:meth:`_Active.quad_row`).

The solver numbers the variables in reverse order: numpy's ``argmax`` returns
the first maximum, so ties then go to the last original index, as in libsvm.
The kernel-row objects (:class:`_KernelRows`, ``_PrecomputedRows``) serve rows
in that reversed order.
"""

# SPDX-License-Identifier: BSD-3-Clause

import math
from collections import OrderedDict

import numpy as np
import torch
from scipy.linalg.blas import daxpy

from ..metrics.pairwise import _kernel_tensor

__all__ = []

TAU = 1e-12
PREFETCH = 32  # candidate rows of each kind computed with a missing row when rows are expensive
PREFETCH_MIN_FEATURES = 16  # below this, a kernel row is cheap ...
PREFETCH_SMALL = 0  # ... and prefetched rows cost more than they save (measured on moons and housing)


# ---------------------------------------------------------------------------
# Kernel rows
# ---------------------------------------------------------------------------


class _KernelRows:
    """Kernel rows of ``X[index]`` in the solver's (reversed) order, computed on torch in blocks and cached.

    Rows are numpy float64 arrays over the samples; ``repeat`` > 1 declares
    that the solver has every sample ``repeat`` times (the SVR dual: variable
    t is sample ``t % n``). The cache holds at most ``cache_size`` megabytes
    of rows and evicts the least recently used ones.
    """

    def __init__(self, X, kernel, params, cache_size, repeat=1, index=None):
        params = dict(params)
        if params.get("gamma", 0.0) is None:
            params["gamma"] = 1.0 / max(X.shape[1], 1)
        if index is None:
            index = torch.arange(X.shape[0], device=X.device)
        X = X[index.flip(0)]
        if X.shape[0] and X.shape[1]:
            # all-zero features add nothing to dot products or distances (many MNIST pixels)
            keep = (X != 0).any(0)
            if not bool(keep.all()):
                X = X[:, keep]
        self.X, self.kernel, self.params, self.repeat = X, kernel, params, repeat
        self.n = n = X.shape[0]
        self.sq = (X * X).sum(1)
        self.rbf = kernel == "rbf"
        if self.rbf:
            # -gamma ||a - x||^2 = [a, |a|^2, 1] . [2 gamma x, -gamma, -gamma |x|^2]: one matrix product per block
            gamma = float(params["gamma"])
            self.left = torch.cat([X, self.sq[:, None], torch.ones_like(self.sq)[:, None]], dim=1)
            self.right = 2.0 * gamma * self.left
            self.right[:, -2] = -gamma
            self.right[:, -1] = -gamma * self.sq
            # a (1 x k) @ (k x n) product is fastest on a contiguous k x n operand when k is small
            self.right_t = self.right.T.contiguous() if X.shape[1] < PREFETCH_MIN_FEATURES else self.right.T
        self.capacity = max(2, int(cache_size * 2**20 // (8 * max(n, 1))))
        self.rows = [None] * n
        self.lru = OrderedDict() if self.capacity < n else None
        self.prefetch = PREFETCH if X.shape[1] >= PREFETCH_MIN_FEATURES else PREFETCH_SMALL

    def _compute(self, index):
        """Kernel rows of the samples ``index`` (one block, on X's device) as a float64 array."""
        index = np.asarray(index, dtype=np.int64)
        idx = torch.from_numpy(index).to(self.X.device)
        if self.rbf:
            # exp(-gamma (|a|^2 + |x|^2 - 2 a.x)), unclipped as in libsvm; K(a, a) = 1 exactly
            K = torch.mm(self.left.index_select(0, idx), self.right_t).exp_()
        else:
            K = _kernel_tensor(self.X[idx], self.X, self.kernel, **self.params)
        K = K.to(torch.float64).cpu().numpy()
        if self.rbf:
            K.reshape(-1)[np.arange(len(index)) * self.n + index] = 1.0
        return K

    def diagonal(self):
        """K(x_t, x_t) for every variable (solver order, ``repeat`` times)."""
        sq = self.sq.to(torch.float64)
        gamma, coef0 = float(self.params.get("gamma", 0.0)), float(self.params.get("coef0", 0.0))
        if self.rbf:
            d = torch.ones_like(sq)
        elif self.kernel == "linear":
            d = sq
        elif self.kernel == "poly":
            d = (gamma * sq + coef0) ** self.params["degree"]
        else:  # sigmoid
            d = torch.tanh(gamma * sq + coef0)
        return np.tile(d.to(torch.float64).cpu().numpy(), self.repeat)

    def cached(self, k):
        """Row of sample ``k`` if cached, else None."""
        row = self.rows[k]
        if row is not None and self.lru is not None:
            self.lru.move_to_end(k)
        return row

    def matrix(self, samples):
        """The rows of ``samples`` as one array (missing rows computed in one block, not cached)."""
        samples = np.asarray(samples, dtype=np.int64)
        out = np.empty((len(samples), self.n))
        missing = []
        for r, k in enumerate(samples):
            row = self.rows[k]
            if row is None:
                missing.append(r)
            else:
                out[r] = row
        if missing:
            out[missing] = self._compute(samples[missing])
        return out

    def load(self, k, candidates=()):
        """Compute the row of sample ``k`` plus those of the uncached ``candidates`` in one block."""
        rows = self.rows
        index = [k]
        seen = {k}
        for c in candidates:
            c = int(c)
            if c not in seen and rows[c] is None:
                seen.add(c)
                index.append(c)
        index = index[: self.capacity]
        block = self._compute(np.asarray(index))
        for c, row in zip(index, block):
            rows[c] = row
            if self.lru is not None:
                self.lru[c] = None
        if self.lru is not None:
            while len(self.lru) > self.capacity:
                c, _ = self.lru.popitem(last=False)
                rows[c] = None
        return rows[k]


def _kernel_matrix(X, kernel, params, blocks=4):
    """The whole kernel matrix of X (original order, float64 numpy), computed as :class:`_KernelRows` does.

    RBF: ``blocks`` row blocks, each against the columns from its own start
    on, the rest mirrored (the matrix is symmetric: about 5/8 of the products).
    """
    rows = _KernelRows(X, kernel, params, cache_size=0)
    n = rows.n
    if not rows.rbf or n < 256:
        return rows._compute(np.arange(n))[::-1, ::-1]
    K = np.empty((n, n))
    bounds = [n * b // blocks for b in range(blocks + 1)]
    for start, stop in zip(bounds[:-1], bounds[1:]):
        block = torch.mm(rows.left[start:stop], rows.right_t[:, start:]).exp_()
        block = block.to(torch.float64).cpu().numpy()
        K[start:stop, start:] = block
        K[stop:, start:stop] = block[:, stop - start :].T
    np.fill_diagonal(K, 1.0)  # K(a, a) = 1 exactly, as in libsvm
    return K[::-1, ::-1]


class _PrecomputedRows:
    """Kernel rows of a dense kernel matrix (precomputed, or from a callable kernel), solver order.

    With ``repeat`` > 1 and ``tile`` the rows are stored tiled (``tiled`` is
    True): a row then covers every variable, as the solver needs, with no
    copy per row.
    ``reversed=True`` says that ``K`` is already in the solver's order.
    """

    prefetch = 0
    capacity = 2**31

    def __init__(self, K, repeat=1, reversed=False, tile=True):
        K = np.asarray(K, dtype=np.float64)
        if not reversed:
            K = K[::-1, ::-1]
        self.n, self.repeat = K.shape[0], repeat
        self.tiled = repeat > 1 and tile
        self.full = np.tile(K, (1, repeat)) if self.tiled else np.ascontiguousarray(K)

    def diagonal(self):
        return np.tile(np.diagonal(self.full[:, : self.n]), self.repeat)

    def cached(self, k):
        return self.full[k]

    def load(self, k, candidates=()):
        return self.full[k]

    def matrix(self, samples):
        return self.full[np.asarray(samples, dtype=np.int64), : self.n]


# ---------------------------------------------------------------------------
# The SMO solver
# ---------------------------------------------------------------------------


def _update_pair(yi, yj, ai, aj, Ci, Cj, G_i, G_j, quad):
    """Solve the two-variable sub-problem in closed form (libsvm's Solver::Solve); Python floats."""
    quad = quad if quad > 0 else TAU
    if yi != yj:
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


def _masks(alpha, C, pos):
    """Penalties 0 / -inf: 0 where a variable is in I_up (resp. I_low)."""
    up = np.where(pos, alpha < C, alpha > 0)
    low = np.where(pos, alpha > 0, alpha < C)
    return np.where(up, 0.0, -np.inf), np.where(low, 0.0, -np.inf)


class _Active:
    """The active (unshrunk) variables of the SMO solver, with compact copies of their state.

    ``act`` holds the active variables (ascending). ``F``, ``alpha``, ``y``,
    ``C``, ``QD``, ``pos`` and the ``up`` / ``low`` penalties are compact
    (one entry per active variable); ``F`` is exact. The full arrays hold
    every variable: a shrunk variable's F was exact when it was shrunk and
    misses the updates since then, which :meth:`reconstruct` adds back from
    ``acc`` (the running sum of y_t * delta alpha_t per variable) and a
    snapshot of ``acc`` taken when it was shrunk (libsvm's
    reconstruct_gradient, without the G_bar bookkeeping in every step).
    """

    MAX_EVENTS = 64

    def __init__(self, rows, y, C, QD, F, alpha):
        self.rows, self.y_full, self.C_full, self.QD_full = rows, y, C, QD
        self.F_full, self.alpha_full = F, alpha
        self.n = len(y)
        self.acc = np.zeros(self.n)
        self.events = []  # (variables shrunk together, acc when they were shrunk)
        buffers = np.empty((2, self.n))
        self._buffers = buffers
        self.set_active(np.arange(self.n))

    def views(self):
        """The compact arrays the solver loop works on (rebound after a shrink or a reconstruction)."""
        return (self.F, self.alpha, self.y, self.C, self.QD, self.pos, self.up, self.low,
                self.score_up, self.score_low, self.quad_rows, self.act, self.compact_rows)

    def set_active(self, act):
        self.act = act
        self.samples = act % self.rows.n  # the kernel row / column of each active variable
        self.m = m = len(act)
        self.full = m == self.n
        if self.full:
            self.F, self.alpha, self.y, self.C, self.QD = (
                self.F_full, self.alpha_full, self.y_full, self.C_full, self.QD_full)
        else:
            self.F, self.alpha, self.y, self.C, self.QD = (
                self.F_full[act], self.alpha_full[act], self.y_full[act], self.C_full[act], self.QD_full[act])
        self.pos = self.y > 0
        self.up, self.low = _masks(self.alpha, self.C, self.pos)
        self.score_up, self.score_low = (buf[:m] for buf in self._buffers)
        self.compact_rows = {}
        self.quad_rows = {}

    def sync(self):
        """Write the compact F and alpha back to the full arrays."""
        if not self.full:
            self.F_full[self.act] = self.F
            self.alpha_full[self.act] = self.alpha

    def row(self, i, candidates):
        """The kernel row of active variable ``i``, restricted to the active variables."""
        K = self.compact_rows.get(i)
        if K is not None:
            return K
        samples, rows = self.samples, self.rows
        k = int(samples[i])
        K = rows.cached(k)
        if K is None:
            K = rows.load(k, samples[candidates()] if rows.prefetch else ())
        if self.full:
            if rows.repeat > 1 and not getattr(rows, "tiled", False):
                K = np.concatenate((K,) * rows.repeat)
        elif getattr(rows, "tiled", False):
            K = K[self.act]
        else:
            K = K[samples]
        if len(self.compact_rows) * self.m >= rows.capacity * rows.n:
            self.compact_rows.clear()
            self.quad_rows.clear()
        self.compact_rows[i] = K
        return K

    def quad_row(self, i, K_i, qd_const):
        """max(QD_i + QD_j - 2 K_ij, TAU) over the active j (WSS3's denominators), cached with the rows."""
        quad = np.multiply(K_i, -2.0)
        if qd_const is None:
            quad += self.QD
            quad += self.QD[i]
        else:
            quad += 2.0 * qd_const
        np.maximum(quad, TAU, out=quad)
        if len(self.quad_rows) * self.m >= self.rows.capacity * self.rows.n:
            self.quad_rows.clear()
        self.quad_rows[i] = quad
        return quad

    def reconstruct(self, activate=True):
        """Bring the shrunk variables' F up to date; with ``activate`` make every variable active."""
        self.sync()
        if self.events:
            # variables updated since some shrinking (since the first is not enough: updates can cancel)
            touched = np.zeros(self.n, dtype=bool)
            for _, snapshot in self.events:
                touched |= self.acc != snapshot
            # W[k, s]: the coefficient sum of sample s's kernel row in the updates since event k
            n_samples = self.rows.n
            W = np.stack([self.acc - snapshot for _, snapshot in self.events])
            W = W.reshape(len(self.events), -1, n_samples).sum(axis=1)
            touched = np.flatnonzero(touched.reshape(-1, n_samples).any(axis=0))
            R = np.zeros((len(self.events), n_samples))
            for start in range(0, len(touched), 512):
                chunk = touched[start : start + 512]
                R += W[:, chunk] @ self.rows.matrix(chunk)
            for k, (shrunk, _) in enumerate(self.events):
                self.F_full[shrunk] += R[k, shrunk % n_samples]
            inactive = np.ones(self.n, dtype=bool)
            inactive[self.act] = False
            self.events = [] if activate else [(np.flatnonzero(inactive), self.acc.copy())]
        if activate and not self.full:
            self.set_active(np.arange(self.n))

    def shrink(self, tol, unshrunk):
        """libsvm's do_shrinking: deactivate bounded variables that cannot join a violating pair."""
        gmax1 = (self.up - self.F).max()
        gmax2 = (self.F + self.low).max()
        if not unshrunk and gmax1 + gmax2 <= tol * 10:
            unshrunk = True
            self.reconstruct()
        F, alpha, C, pos = self.F, self.alpha, self.C, self.pos
        G = np.where(pos, F, -F)
        at_upper, at_lower = alpha >= C, alpha <= 0
        shrunk = (at_upper & pos & (-G > gmax1)) | (at_upper & ~pos & (-G > gmax2))
        shrunk |= (at_lower & pos & (G > gmax2)) | (at_lower & ~pos & (G > gmax1))
        if shrunk.any():
            self.sync()
            if len(self.events) >= self.MAX_EVENTS:
                self.reconstruct(activate=False)
            self.events.append((self.act[shrunk], self.acc.copy()))
            self.set_active(self.act[~shrunk])
        return unshrunk


def _solve_smo(rows, y, p, C, alpha, *, tol, max_iter, shrinking):
    """Minimise 1/2 a^T Q a + p^T a s.t. y^T a = const, 0 <= a <= C by SMO (WSS3).

    ``rows`` serves the kernel rows in reversed variable order (see the module
    docstring); ``y``, ``p``, ``C`` and ``alpha`` are in the original order,
    and so are the returned (alpha, G, n_iter, status), status 1 when
    ``max_iter`` stopped the solver.

    The state is F = y * G (G the dual gradient) on the active variables
    (:class:`_Active`): shrinking every min(n, 1000) iterations drops bounded
    variables that cannot join a violating pair, so that an iteration costs
    about fifteen vector operations over the active variables only
    (preallocated buffers, BLAS ``daxpy`` for the gradient update).
    """
    y = np.ascontiguousarray(y[::-1], dtype=np.float64)
    C = np.ascontiguousarray(C[::-1], dtype=np.float64)
    alpha = np.ascontiguousarray(alpha[::-1], dtype=np.float64)
    n = len(y)
    QD = np.ascontiguousarray(rows.diagonal(), dtype=np.float64)
    F = y * np.asarray(p, dtype=np.float64)[::-1]
    nonzero = np.flatnonzero(alpha)
    for t in nonzero:
        F += np.tile(y[t] * alpha[t] * rows.matrix([t % rows.n])[0], rows.repeat)
    state = _Active(rows, y, C, QD, F, alpha)
    k = rows.prefetch

    def candidates():
        # the most violating variables are the likely next working sets: their rows join the block
        m = state.m
        kk = min(k, m - 1)
        if kk <= 0:
            return np.arange(m)
        return np.concatenate([np.argpartition(state.score_up, m - kk)[m - kk :],
                               np.argpartition(state.score_low, m - kk)[m - kk :]])

    counter = min(n, 1000) + 1
    limit = max_iter if max_iter > 0 else max(10_000_000, 100 * n)
    n_iter, unshrunk = 0, False
    F, a, ys, Cs, QDs, pos, up, low, score_up, score_low, qrows, act, crows = state.views()
    acc = state.acc
    inf, amax = np.inf, np.maximum.reduce
    qd_const = float(QD[0]) if n and bool((QD == QD[0]).all()) else None  # rbf: K(x, x) = 1
    while n_iter < limit:
        counter -= 1
        changed = False
        if counter == 0:
            counter = min(n, 1000)
            if shrinking:
                state.F = F
                unshrunk = state.shrink(tol, unshrunk)
                changed = True
        # WSS3: i maximises -y G over I_up; j minimises -(Gmax + y_j G_j)^2 / quad_ij over I_low
        if changed:
            F, a, ys, Cs, QDs, pos, up, low, score_up, score_low, qrows, act, crows = state.views()
        np.subtract(up, F, out=score_up)
        i = int(score_up.argmax())
        gmax = score_up.item(i)
        np.add(F, low, out=score_low)
        if not gmax + amax(score_low).item() >= tol:
            if state.full:
                break
            # optimal on the active set: bring back every variable and check again (libsvm)
            state.F = F
            state.reconstruct()
            counter = 2
            F, a, ys, Cs, QDs, pos, up, low, score_up, score_low, qrows, act, crows = state.views()
            continue
        K_i = crows.get(i)
        if K_i is None:
            K_i = state.row(i, candidates)
        quad = qrows.get(i)
        if quad is None:
            quad = state.quad_row(i, K_i, qd_const)
        score_low += gmax
        np.maximum(score_low, 0.0, out=score_low)
        score_low *= score_low  # grad_diff^2, 0 outside I_low
        score_low /= quad
        j = int(score_low.argmax())
        if not score_low.item(j) > 0:
            if state.full:
                break
            state.F = F
            state.reconstruct()
            counter = 2
            F, a, ys, Cs, QDs, pos, up, low, score_up, score_low, qrows, act, crows = state.views()
            continue
        K_j = crows.get(j)
        if K_j is None:
            K_j = state.row(j, candidates)
        n_iter += 1
        yi, yj = ys.item(i), ys.item(j)
        old_i, old_j, Ci, Cj = a.item(i), a.item(j), Cs.item(i), Cs.item(j)
        ai, aj = _update_pair(yi, yj, old_i, old_j, Ci, Cj, yi * F.item(i), yj * F.item(j),
                              QDs.item(i) + QDs.item(j) - 2.0 * K_i.item(j))
        a[i] = ai
        a[j] = aj
        # y G += y (Q_i dai + Q_j daj) = K_i yi dai + K_j yj daj
        ci, cj = yi * (ai - old_i), yj * (aj - old_j)
        F = daxpy(K_i, F, a=ci)
        F = daxpy(K_j, F, a=cj)
        if state.events:
            acc[act[i]] += ci
            acc[act[j]] += cj
        # I_up / I_low membership of the two updated variables
        if yi > 0:
            up[i], low[i] = (0.0 if ai < Ci else -inf), (0.0 if ai > 0 else -inf)
        else:
            up[i], low[i] = (0.0 if ai > 0 else -inf), (0.0 if ai < Ci else -inf)
        if yj > 0:
            up[j], low[j] = (0.0 if aj < Cj else -inf), (0.0 if aj > 0 else -inf)
        else:
            up[j], low[j] = (0.0 if aj > 0 else -inf), (0.0 if aj < Cj else -inf)
    state.F = F
    if not state.full:
        state.reconstruct()
    status = 0 if n_iter < limit else 1
    return state.alpha_full[::-1].copy(), (y * state.F_full)[::-1].copy(), n_iter, status


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
    # (``rows`` serves every kernel row tiled twice: built with repeat=2)
    n = len(z)
    y = np.concatenate([np.ones(n), -np.ones(n)])
    p = np.concatenate([epsilon - z, epsilon + z])
    CC = np.concatenate([C, C])
    alpha, G, n_iter, status = _solve_smo(
        rows, y, p, CC, np.zeros(2 * n), tol=tol, max_iter=max_iter, shrinking=shrinking
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
