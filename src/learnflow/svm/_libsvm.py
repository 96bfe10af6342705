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
working sets, in the same block (one matrix product instead of many). A single
RBF row of a float64 X on the CPU is a product on numpy views of the same
memory plus torch's in-place exp (a few microseconds, against tens for the
torch calls around a one-row block).

On small problems (see ``SMALL_PROBLEM`` in ``_base``) the estimators
compute the whole kernel matrix once, in symmetric blocks
(:func:`_kernel_matrix`; one-vs-one class pairs gather their blocks from it)
and serve rows from it (``_PrecomputedRows``; tiled for SVR when it fits),
so that an iteration does no cache lookups; the WSS3 denominators
max(QD_i + QD_j - 2 K_ij, TAU) of a row are cached with it
(:meth:`_Active.quad_row`).

Multi-class SVC solves its k (k - 1) / 2 one-vs-one problems together
(:func:`_solve_smo_batch`) when their stacked kernel blocks fit
``cache_size``: one iteration does one SMO step of every unfinished problem
with vector operations over a (problems x variables) array, so the Python cost
of an iteration is paid once for all of them; each problem takes the same
steps as alone (shrinking as masks), so the models are the same.

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
SMALL_BLOCK = 8  # at most this many RBF rows of a float64 CPU X are computed on numpy views (no torch calls)


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
        if index is None or (len(index) == X.shape[0]
                             and bool((index == torch.arange(len(index), device=X.device)).all())):
            X = X.flip(0)  # every sample in order: a reversed copy, no gather
        else:
            X = X[index.flip(0)]
        if X.shape[0] and X.shape[1]:
            # all-zero features add nothing to dot products or distances (many MNIST pixels)
            keep = X.abs().sum(0) != 0
            if not bool(keep.all()):
                if X.device.type == "cpu":
                    X = torch.from_numpy(np.take(X.numpy(), np.flatnonzero(keep.numpy()), axis=1))
                else:
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
            if X.device.type == "cpu" and X.dtype == torch.float64:
                # numpy views of the same memory: a row or a few cost a few microseconds there,
                # against tens for the torch calls around the same product
                self.left_np, self.right_t_np = self.left.numpy(), self.right_t.numpy()
        self.capacity = max(2, int(cache_size * 2**20 // (8 * max(n, 1))))
        self.rows = [None] * n
        self.lru = OrderedDict() if self.capacity < n else None
        self.prefetch = PREFETCH if X.shape[1] >= PREFETCH_MIN_FEATURES else PREFETCH_SMALL

    def _compute(self, index):
        """Kernel rows of the samples ``index`` (one block, on X's device) as a float64 array."""
        index = np.asarray(index, dtype=np.int64)
        if self.rbf and len(index) <= SMALL_BLOCK and hasattr(self, "left_np"):
            K = self.left_np[index] @ self.right_t_np
            torch.from_numpy(K).exp_()  # torch's vectorised exp: about twice numpy's speed
            K.reshape(-1)[np.arange(len(index)) * self.n + index] = 1.0
            return K
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
        if not len(candidates) and self.rbf and hasattr(self, "left_np"):
            # one RBF row on numpy views (see _compute), with no block bookkeeping
            row = self.left_np[k] @ self.right_t_np
            torch.from_numpy(row).exp_()
            row[k] = 1.0
            rows[k] = row
            if self.lru is not None:
                self.lru[k] = None
                if len(self.lru) > self.capacity:
                    rows[self.lru.popitem(last=False)[0]] = None
            return row
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


def _kernel_matrix(X, kernel, params, blocks=8):
    """The whole kernel matrix of X (original order, float64 numpy), computed as :class:`_KernelRows` does.

    RBF: ``blocks`` row blocks, each against the columns from its own start
    on, the rest mirrored (the matrix is symmetric: (blocks + 1) / (2 blocks) of the products).
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
    inf, amax, fmax = np.inf, np.maximum.reduce, np.fmax
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
        score_low += gmax  # grad_diff = gmax + F_j on I_low, -inf elsewhere
        K_i = crows.get(i)
        if K_i is None:
            K_i = state.row(i, candidates)
        quad = qrows.get(i)
        if quad is None:
            quad = state.quad_row(i, K_i, qd_const)
        # fmax: maximum without NaN propagation (no NaN here: F is finite, gmax > -inf or all -inf)
        fmax(score_low, 0.0, out=score_low)
        score_low *= score_low  # grad_diff^2, 0 outside I_low
        score_low /= quad
        j = int(score_low.argmax())
        # libsvm stops when gmax + max(F_low) < tol; j's own grad_diff (the same float as in the
        # vector above) at or above tol already shows the maximum is, without a pass over the vector
        if not (score_low.item(j) > 0 and ((F.item(j) + low.item(j)) + gmax >= tol
                                           or gmax + amax(np.add(F, low)).item() >= tol)):
            if state.full:
                break
            # optimal on the active set: bring back every variable and check again (libsvm)
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


def _solve_svc_batch(K, problems, *, tol, max_iter, shrinking):
    """:func:`_solve_svc` on every (index, y, C) of ``problems`` at once (:func:`_solve_smo_batch`).

    The problems are given, and their dual coefficients returned, in the solver's order.
    """
    solved = _solve_smo_batch(K, [(index, y, -np.ones(len(y)), C) for index, y, C in problems],
                              tol=tol, max_iter=max_iter, shrinking=shrinking)
    return [(alpha * y, _rho(G, alpha, y, C), n_iter, status)
            for (alpha, G, n_iter, status), (_, y, C) in zip(solved, problems)]


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


# ---------------------------------------------------------------------------
# Many small problems at once (one-vs-one)
# ---------------------------------------------------------------------------


def _update_pairs(yi, yj, ai, aj, Ci, Cj, G_i, G_j, quad):
    """:func:`_update_pair` on arrays of pairs (the same values: the step, clipped to the segment's ends).

    With s = y_i y_j the step keeps c = a_i + s a_j; a_i moves by -d, a_j by
    s d, and a clipped pair takes libsvm's exact end values (one variable at
    0 or C, the other from c).
    """
    where = np.where
    quad = where(quad > 0, quad, TAU)
    same = yi == yj
    s = yi * yj
    d = G_i - s * G_j
    d /= quad
    new_i = ai - d
    new_j = s * d
    new_j += aj
    c = s * aj
    c += ai
    # a_i's interval from a_j's bounds [0, C_j]: [c - C_j, c] (same labels) or [c, c + C_j] (different)
    lo = where(same, c - Cj, c)
    hi = where(same, c, c + Cj)
    low_j, high_j = lo > 0, hi < Ci  # a_j's bound is the binding one
    bottom, top = where(low_j, lo, 0.0), where(high_j, hi, Ci)
    below, above = new_i < bottom, new_i > top
    out_i = where(below, bottom, where(above, top, new_i))
    bottom_j = where(low_j, where(same, Cj, 0.0), s * c)
    top_j = where(high_j, where(same, 0.0, Cj), s * (c - Ci))
    return out_i, where(below, bottom_j, where(above, top_j, new_j))


def _bound_masks(a, C, pos, active):
    """The I_up / I_low penalties (0 or -inf) of :func:`_masks`, -inf also where a variable is inactive."""
    up, low = _masks(a, C, pos)
    up[~active] = -np.inf
    low[~active] = -np.inf
    return up, low


def _solve_smo_batch(K, problems, *, tol, max_iter, shrinking):
    """:func:`_solve_smo` on many small problems at once, one SMO step of every problem per iteration.

    ``K`` is a kernel matrix and ``problems`` a list of (index, y, p, C):
    each problem's variables as rows of ``K`` in the solver's order (see the
    module docstring), its labels, linear term and bounds in that order. The
    problems' kernel blocks are stacked (zero padded to the largest; runs of
    consecutive rows are copied as slices) and every step is a vector
    operation over a (problems x variables) array: the per-iteration Python
    cost is paid once for all the problems instead of once per problem
    (one-vs-one has k (k - 1) / 2 of them). Each problem takes the steps
    :func:`_solve_smo` takes, shrinking included (as masks: shrunk variables
    leave the working-set selection, their gradient stays exact, so no
    reconstruction is needed). Returns a list of (alpha, G, n_iter, status)
    in the solver's order.
    """
    P = len(problems)
    sizes = np.array([len(index) for index, *_ in problems])
    N = int(sizes.max())
    K3 = np.zeros((P, N, N))
    y = np.ones((P, N))
    C = np.zeros((P, N))
    F = np.zeros((P, N))
    for t, (index, labels, p, bounds) in enumerate(problems):
        index = np.asarray(index, dtype=np.int64)
        n = len(index)
        starts = np.flatnonzero(np.diff(index, prepend=-2) != 1)
        if len(starts) <= 8:
            runs = [(int(b), int(e), int(index[b])) for b, e in zip(starts, np.append(starts[1:], n))]
            for b0, e0, k0 in runs:
                for b1, e1, k1 in runs:
                    K3[t, b0:e0, b1:e1] = K[k0 : k0 + e0 - b0, k1 : k1 + e1 - b1]
        else:
            K3[t, :n, :n] = K[np.ix_(index, index)]
        y[t, :n] = labels
        C[t, :n] = bounds
        F[t, :n] = labels * np.asarray(p, dtype=np.float64)
    QD = np.ascontiguousarray(np.diagonal(K3, axis1=1, axis2=2))
    real = np.arange(N) < sizes[:, None]
    qd_const = float(QD[0, 0]) if bool((QD[real] == QD[0, 0]).all()) else None
    # the state of the running problems (rows): labels, alpha, bounds and F = y G in one array
    V = np.stack([y, np.zeros((P, N)), C, F])
    active = real.copy()
    up, low = _bound_masks(V[1], C, y > 0, active)
    period = np.minimum(sizes, 1000)
    due_at = period + 1  # the pass at which each problem shrinks next (libsvm's counter)
    limit = np.full(P, max_iter) if max_iter > 0 else np.maximum(10_000_000, 100 * sizes)
    n_iter = np.zeros(P, dtype=np.int64)
    unshrunk = np.zeros(P, dtype=bool)
    shrunk = np.zeros(P, dtype=bool)  # some variable of the problem is inactive
    pid = np.arange(P)  # the problem of each row
    results = [None] * P
    inf = np.inf

    def finish(rows, status):
        for row in rows:
            t, n = pid[row], sizes[pid[row]]
            results[t] = (V[1, row, :n].copy(), V[0, row, :n] * V[3, row, :n], int(n_iter[row]) + steps, status)

    def unshrink(rows):
        active[rows] = real[pid[rows]]
        up[rows], low[rows] = _bound_masks(V[1, rows], V[2, rows], V[0, rows] > 0, active[rows])
        shrunk[rows] = False

    def shrink(due):
        # libsvm's do_shrinking on the problems that are due (see _Active.shrink)
        yd, ad, Cd, Fd = V[:, due]
        gmax1 = (up[due] - Fd).max(1)
        gmax2 = (Fd + low[due]).max(1)
        first = ~unshrunk[due] & (gmax1 + gmax2 <= tol * 10)
        if first.any():
            unshrunk[due[first]] = True
            unshrink(due[first])
        posd = yd > 0
        G = np.where(posd, Fd, -Fd)
        g1, g2 = gmax1[:, None], gmax2[:, None]
        at_upper, at_lower = ad >= Cd, ad <= 0
        out = (at_upper & posd & (-G > g1)) | (at_upper & ~posd & (-G > g2))
        out |= (at_lower & posd & (G > g2)) | (at_lower & ~posd & (G > g1))
        out &= active[due]
        hit = out.any(1)
        if hit.any():
            rows, cols = np.nonzero(out)
            rows = due[rows]
            active[rows, cols] = False
            up[rows, cols] = -inf
            low[rows, cols] = -inf
            shrunk[due[hit]] = True

    n_pass = steps = 0  # steps: iterations of every running problem not yet added to n_iter
    next_due = int(due_at.min())
    compact = True
    while len(pid):
        if compact:
            width = int(sizes[pid].max())
            if width < V.shape[2]:
                # the widest problems are done: drop the padding columns no running problem has
                V, up, low = V[:, :, :width].copy(), up[:, :width].copy(), low[:, :width].copy()
                active = active[:, :width]
                K3, QD, real = K3[:, :width, :width], QD[:, :width], real[:, :width]
            r = np.arange(len(pid))
            F = V[3]
            lim = limit[pid]
            lim_min = int(lim.min())
            most = int(n_iter.max()) if len(pid) else 0  # with steps, a bound on every row's n_iter
            compact = False
        n_pass += 1
        if n_pass == next_due:
            due = np.flatnonzero(due_at == n_pass)
            due_at[due] += period[due]
            if shrinking:
                shrink(due)
            next_due = int(due_at.min())
        # WSS3 for every problem
        score_up = up - F
        i = score_up.argmax(1)
        gmax = score_up[r, i]
        score_low = F + low
        score_low += gmax[:, None]
        K_i = K3[pid, i]
        quad = K_i * -2.0
        if qd_const is None:
            quad += QD[pid]
            quad += QD[pid, i][:, None]
        else:
            quad += 2.0 * qd_const
        np.maximum(quad, TAU, out=quad)
        np.maximum(score_low, 0.0, out=score_low)
        score_low *= score_low
        score_low /= quad
        j = score_low.argmax(1)
        ij = np.concatenate((i, j)).reshape(2, -1)
        state = V[:, r, ij]  # labels, alpha, bounds, F of variables i and j: (4, 2, rows)
        # libsvm stops when gmax + max(F_low) < tol: j's own grad_diff (the same float as in
        # score_low) at or above tol shows it is not, without a reduction over the variables
        positive = score_low[r, j] > 0
        grad_j = state[3, 1] + low[r, j]
        grad_j += gmax
        ok = positive & (grad_j >= tol)
        s = r
        if not ok.all():
            check = np.flatnonzero(positive & ~ok)
            if len(check):
                ok[check] = (F[check] + low[check]).max(1) + gmax[check] >= tol
        if not ok.all():
            # optimal on the active set: done, or bring back every variable and check again (libsvm)
            again = ~ok & shrunk
            if again.any():
                rows = np.flatnonzero(again)
                unshrink(rows)
                due_at[rows] = n_pass + 2
                next_due = int(due_at.min())
            done = np.flatnonzero(~ok & ~again)
            if len(done):
                finish(done, 0)
                compact = True
            s = np.flatnonzero(ok)
            i, j, K_i, ij, state = i[s], j[s], K_i[s], ij[:, s], state[:, :, s]
        if len(s):
            yv, av, Cv, Fv = state  # (2, rows) each: variable i, then j
            Gv = yv * Fv
            K_ij = K_i[np.arange(len(s)), j] if s is not r else K_i[r, j]
            if qd_const is None:
                Qv = QD[pid[s], ij]
                quad_ij = Qv[0] + Qv[1] - 2.0 * K_ij
            else:
                quad_ij = 2.0 * qd_const - 2.0 * K_ij
            if len(s) <= 40:  # a loop over Python floats costs less than ~30 small vector operations
                new = np.array([_update_pair(*args) for args in zip(
                    *(v.tolist() for v in (yv[0], yv[1], av[0], av[1], Cv[0], Cv[1], Gv[0], Gv[1], quad_ij)))]).T
            else:
                new = np.concatenate(_update_pairs(yv[0], yv[1], av[0], av[1], Cv[0], Cv[1], Gv[0], Gv[1], quad_ij))
                new = new.reshape(2, -1)
            V[1, s, ij] = new
            change = new - av
            change *= yv
            K_j = K3[pid, j] if s is r else K3[pid[s], j]
            K_i *= change[0][:, None]  # K_i and K_j are gathered copies: scaled in place
            K_j *= change[1][:, None]
            K_i += K_j
            if s is r:
                F += K_i
            else:
                F[s] += K_i
            # I_up / I_low membership of the two updated variables
            below, above = np.where(new < Cv, 0.0, -inf), np.where(new > 0, 0.0, -inf)
            plus = yv > 0
            up[s, ij] = np.where(plus, below, above)
            low[s, ij] = np.where(plus, above, below)
            if s is r:
                steps += 1
            else:
                n_iter[s] += 1
                most = int(n_iter.max())
            if steps + most >= lim_min and ((n_iter + steps) >= lim).any():
                n_iter += steps
                steps = 0
                finish(np.flatnonzero(n_iter >= lim), 1)
                compact = True
        if compact:
            keep = np.array([results[t] is None for t in pid], dtype=bool)
            pid, V, up, low, active = pid[keep], V[:, keep], up[keep], low[keep], active[keep]
            due_at, n_iter, unshrunk, shrunk, period = (
                due_at[keep], n_iter[keep], unshrunk[keep], shrunk[keep], period[keep])
            next_due = int(due_at.min()) if len(pid) else 0
    return results
