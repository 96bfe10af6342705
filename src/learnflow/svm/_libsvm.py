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
(:func:`_solve_smo_batch`) when there are more than ``ALONE`` of them and
their stacked kernel blocks fit ``cache_size``: one iteration does one SMO
step of every unfinished problem with vector operations over a (problems x
variables) array, so the Python cost of an iteration is paid once for all of
them; each problem takes the same steps as alone (shrinking as masks), so the
models are the same. The last ``ALONE`` problems finish one by one
(:func:`_solve_alone`): an iteration over a few rows costs more than the
single-problem loop spends on each.

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
ALONE = 8  # the one-vs-one problems solved together finish one by one when at most this many are left
SMALL_BLOCK = 8  # at most this many RBF rows of a float64 CPU X are computed on numpy views (no torch calls)


# ---------------------------------------------------------------------------
# Kernel rows
# ---------------------------------------------------------------------------


class _KernelRows:
    """Kernel rows of ``X[index]`` in the solver's (reversed) order, computed on torch in blocks and cached.

    Rows are numpy float64 arrays over the samples; ``repeat`` > 1 declares
    that the solver has every sample ``repeat`` times (the SVR dual: variable
    t is sample ``t % n``). The cache holds at most ``cache_size`` megabytes
    of rows and evicts the least recently used ones; when every row fits,
    none is evicted and the rows fill one (n x n) array in the order they are
    computed (``store``: one allocation instead of one per row; moons 2,000
    then takes no page faults a fit instead of ~2,000, 10-25% less time).
    """

    def __init__(self, X, kernel, params, cache_size, repeat=1, index=None):
        params = dict(params)
        if params.get("gamma", 0.0) is None:
            params["gamma"] = 1.0 / max(X.shape[1], 1)
        every = index is None or (len(index) == X.shape[0]
                                  and bool((index == torch.arange(len(index), device=X.device)).all()))
        X = _reversed_nonzero_columns(X, None if every else index)
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
        self.store, self.stored = None, 0  # the rows' array when none is evicted, and how many it holds
        self.prefetch = PREFETCH if X.shape[1] >= PREFETCH_MIN_FEATURES else PREFETCH_SMALL

    def _compute(self, index, out=None):
        """Kernel rows of the samples ``index`` (one block, on X's device) as a float64 array (into ``out``).

        ``index`` an int: that sample's row (1-D).
        """
        if self.rbf and hasattr(self, "left_np") and (type(index) is int or len(index) <= SMALL_BLOCK):
            K = np.matmul(self.left_np[index], self.right_t_np, out=out)
            torch.from_numpy(K).exp_()  # torch's vectorised exp: about twice numpy's speed
            if K.ndim == 1:
                K[index] = 1.0
            else:
                K.reshape(-1)[np.arange(len(index)) * self.n + index] = 1.0
            return K
        if type(index) is int:
            return self._compute(np.array([index]), None if out is None else out[None])[0]
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
        if out is not None:
            out[...] = K
            return out
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
        if len(candidates):
            seen = {k}
            for c in candidates:
                c = int(c)
                if c not in seen and rows[c] is None:
                    seen.add(c)
                    index.append(c)
            index = index[: self.capacity]
        out = None
        if self.lru is None:  # no row is evicted: each is computed once, into the next rows of the store
            if self.store is None:
                self.store = np.empty((self.n, self.n))
            out = self.store[self.stored : self.stored + len(index)]
            self.stored += len(index)
        if len(index) == 1:
            block = self._compute(k, None if out is None else out[0])
        else:
            block = self._compute(np.asarray(index), out)
        for c, row in zip(index, block.reshape(len(index), -1)):
            rows[c] = row
            if self.lru is not None:
                self.lru[c] = None
        if self.lru is not None:
            while len(self.lru) > self.capacity:
                rows[self.lru.popitem(last=False)[0]] = None
        return rows[k]


def _reversed_nonzero_columns(X, index=None):
    """``X[index]`` (None: every sample) in reversed order, without its all-zero features.

    All-zero features add nothing to dot products or distances (many MNIST
    pixels). On the CPU the copy is one numpy ``take`` from a reversed view
    (large temporaries cost page faults there); other devices use torch.
    """
    if X.device.type != "cpu":
        X = X.flip(0) if index is None else X[index.flip(0)]
        if X.shape[0] and X.shape[1]:
            keep = X.abs().sum(0) != 0
            if not bool(keep.all()):
                X = X[:, keep]
        return X
    Xn = X.numpy()[::-1] if index is None else np.take(X.numpy(), index.numpy()[::-1], axis=0)
    if Xn.shape[0] and Xn.shape[1]:
        keep = (Xn != 0).any(0)
        if not keep.all():
            return torch.from_numpy(np.take(Xn, np.flatnonzero(keep), axis=1))
    return torch.from_numpy(Xn.copy() if index is None else Xn)  # the reversed view itself: a copy


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
        self._buffers = np.empty((2, self.n))
        self._zeros = np.zeros(self.n)
        self.set_active(np.arange(self.n))

    def views(self):
        """The compact state the solver loop works on (rebound after a shrink or a reconstruction).

        Labels, bounds, diagonal and the active variables' numbers come as
        Python lists: the loop reads a few of them per iteration, faster
        from a list than from an array (``act`` is None while no variable is
        shrunk: no ``acc`` bookkeeping is needed then).
        """
        return (self.F, self.alpha, self.up, self.low, self.score_up, self.score_low, self.zeros,
                self.act.tolist() if self.events else None, self.compact_rows, self.quad_rows,
                self.y.tolist(), self.C.tolist(), self.QD.tolist())

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
        self.zeros = self._zeros[:m]
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


def _initial_state(rows, y, p, C, alpha):
    """y, C, alpha, QD and F = y G (G = p + Q alpha) in the solver's (reversed) order, float64."""
    y = np.ascontiguousarray(y[::-1], dtype=np.float64)
    C = np.ascontiguousarray(C[::-1], dtype=np.float64)
    alpha = np.ascontiguousarray(alpha[::-1], dtype=np.float64)
    QD = np.ascontiguousarray(rows.diagonal(), dtype=np.float64)
    F = y * np.asarray(p, dtype=np.float64)[::-1]
    for t in np.flatnonzero(alpha):
        F += np.tile(y[t] * alpha[t] * rows.matrix([t % rows.n])[0], rows.repeat)
    return y, C, alpha, QD, F


def _solve_smo(rows, y, p, C, alpha, *, tol, max_iter, shrinking):
    """Minimise 1/2 a^T Q a + p^T a s.t. y^T a = const, 0 <= a <= C by SMO (WSS3).

    ``rows`` serves the kernel rows in reversed variable order (see the module
    docstring); ``y``, ``p``, ``C`` and ``alpha`` are in the original order,
    and so are the returned (alpha, G, n_iter, status), status 1 when
    ``max_iter`` stopped the solver.

    The state is F = y * G (G the dual gradient) on the active variables
    (:class:`_Active`): shrinking every min(n, 1000) iterations drops bounded
    variables that cannot join a violating pair, so that an iteration costs
    about ten vector operations over the active variables only
    (preallocated buffers, BLAS ``daxpy`` for the gradient update).
    """
    y, C, alpha, QD, F = _initial_state(rows, y, p, C, alpha)
    n = len(y)
    state = _Active(rows, y, C, QD, F, alpha)
    limit = max_iter if max_iter > 0 else max(10_000_000, 100 * n)
    n_iter = _smo_iterations(state, tol, limit, shrinking)
    if not state.full:
        state.reconstruct()
    status = 0 if n_iter < limit else 1
    return state.alpha_full[::-1].copy(), (y * state.F_full)[::-1].copy(), n_iter, status


def _smo_iterations(state, tol, limit, shrinking, counter=None, unshrunk=False):
    """The SMO loop of :func:`_solve_smo` on ``state`` (:class:`_Active`); returns the number of iterations.

    WSS3: i maximises -y G over I_up; j maximises (gmax + y_j G_j)^2 / quad_ij
    over the j of I_low with gmax + y_j G_j > 0. The loop's Python cost is
    most of an iteration on small problems: scalars are read from Python
    lists, kernel rows and WSS3 denominators come from per-row caches, and
    the state is rebound only when shrinking changes the active set. ``counter`` and ``unshrunk``
    continue libsvm's shrinking schedule (:func:`_solve_alone`).
    """
    n = state.n
    counter = min(n, 1000) + 1 if counter is None else counter
    n_iter = 0
    inf, amax, maximum, add, subtract = np.inf, np.maximum.reduce, np.maximum, np.add, np.subtract
    qd_const = float(state.QD_full[0]) if n and bool((state.QD_full == state.QD_full[0]).all()) else None
    candidates = _candidates(state)
    acc = state.acc
    F, a, up, low, score_up, score_low, zeros, act, crows, qrows, ys, Cs, QDs = state.views()
    while n_iter < limit:
        counter -= 1
        if counter == 0:
            counter = min(n, 1000)
            if shrinking:
                state.F = F
                unshrunk = state.shrink(tol, unshrunk)
                F, a, up, low, score_up, score_low, zeros, act, crows, qrows, ys, Cs, QDs = state.views()
        subtract(up, F, out=score_up)
        i = int(score_up.argmax())
        gmax = score_up.item(i)
        add(F, low, out=score_low)
        score_low += gmax  # grad_diff = gmax + F_j on I_low, -inf elsewhere
        K_i = crows.get(i)
        if K_i is None:
            K_i = state.row(i, candidates)
        quad = qrows.get(i)
        if quad is None:
            quad = state.quad_row(i, K_i, qd_const)
        # maximum against zeros (an array: cheaper than a scalar operand); no NaN here
        maximum(score_low, zeros, out=score_low)
        score_low *= score_low  # grad_diff^2, 0 outside I_low
        score_low /= quad
        j = int(score_low.argmax())
        # libsvm stops when gmax + max(F_low) < tol; j's own grad_diff (the same float as in the
        # vector above) at or above tol already shows the maximum is, without a pass over the vector
        if not (score_low.item(j) > 0 and ((F.item(j) + low.item(j)) + gmax >= tol
                                           or gmax + amax(add(F, low)).item() >= tol)):
            if state.full:
                break
            # optimal on the active set: bring back every variable and check again (libsvm)
            state.F = F
            state.reconstruct()
            counter = 2
            F, a, up, low, score_up, score_low, zeros, act, crows, qrows, ys, Cs, QDs = state.views()
            continue
        K_j = crows.get(j)
        if K_j is None:
            K_j = state.row(j, candidates)
        n_iter += 1
        yi, yj, Ci, Cj = ys[i], ys[j], Cs[i], Cs[j]
        old_i, old_j = a.item(i), a.item(j)
        ai, aj = _update_pair(yi, yj, old_i, old_j, Ci, Cj, yi * F.item(i), yj * F.item(j),
                              QDs[i] + QDs[j] - 2.0 * K_i.item(j))
        a[i] = ai
        a[j] = aj
        # y G += y (Q_i dai + Q_j daj) = K_i yi dai + K_j yj daj
        ci, cj = yi * (ai - old_i), yj * (aj - old_j)
        F = daxpy(K_i, F, a=ci)
        F = daxpy(K_j, F, a=cj)
        if act is not None:
            acc[act[i]] += ci
            acc[act[j]] += cj
        # I_up / I_low membership of the two updated variables: (a < C, a > 0) for y = +1, swapped for -1
        below, above = (0.0 if ai < Ci else -inf), (0.0 if ai > 0 else -inf)
        up[i], low[i] = (below, above) if yi > 0 else (above, below)
        below, above = (0.0 if aj < Cj else -inf), (0.0 if aj > 0 else -inf)
        up[j], low[j] = (below, above) if yj > 0 else (above, below)
    state.F = F
    return n_iter


def _candidates(state):
    """A function giving the most violating active variables: the likely next working sets, whose rows
    join a missing row's block (``rows.prefetch`` of each kind)."""
    k = state.rows.prefetch

    def candidates():
        m = state.m
        kk = min(k, m - 1)
        if kk <= 0:
            return np.arange(m)
        return np.concatenate([np.argpartition(state.score_up, m - kk)[m - kk :],
                               np.argpartition(state.score_low, m - kk)[m - kk :]])

    return candidates


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


def _stack_problems(K, problems):
    """The problems' kernel blocks stacked into one (problems x N x N) array, zero padded to the largest.

    Returns (K3, y, C, F, sizes): labels, bounds and the initial F = y p per
    problem (padding: y = 1, C = 0, F = 0). A problem's blocks are copied as
    slices, one per pair of its runs of consecutive rows of ``K`` (one-vs-one
    orders ``K`` so that a problem has two).
    """
    sizes = np.array([len(index) for index, *_ in problems])
    N = int(sizes.max())
    K3 = np.zeros((len(problems), N, N))
    y, C, F = np.ones((len(problems), N)), np.zeros((len(problems), N)), np.zeros((len(problems), N))
    for t, (index, labels, p, bounds) in enumerate(problems):
        index = np.asarray(index, dtype=np.int64)
        n = len(index)
        starts = np.flatnonzero(np.diff(index, prepend=-2) != 1)
        runs = [(int(b), int(e), int(index[b])) for b, e in zip(starts, np.append(starts[1:], n))]
        for b0, e0, k0 in runs:
            for b1, e1, k1 in runs:
                K3[t, b0:e0, b1:e1] = K[k0 : k0 + e0 - b0, k1 : k1 + e1 - b1]
        y[t, :n] = labels
        C[t, :n] = bounds
        F[t, :n] = labels * np.asarray(p, dtype=np.float64)
    return K3, y, C, F, sizes


class _Batch:
    """The running problems of :func:`_solve_smo_batch`: one row per problem, one column per variable.

    ``V`` stacks labels, alpha, bounds and F = y G (4 x rows x width) and
    ``up`` / ``low`` are the I_up / I_low penalties (:func:`_bound_masks`),
    -inf also where a variable is shrunk or padding. ``pid`` maps a row to
    its problem; the per-row counters (``due_at``, ``n_iter``, ...) follow
    the rows when finished problems are dropped (:meth:`compact`).
    """

    def __init__(self, K3, y, C, F, sizes, max_iter):
        P, N = y.shape
        self.K3, self.sizes = K3, sizes
        self.QD = np.ascontiguousarray(np.diagonal(K3, axis1=1, axis2=2))
        self.real = np.arange(N) < sizes[:, None]
        # rbf: K(x, x) = 1 for every variable, so that quad_ij = 2 - 2 K_ij
        self.qd_const = float(self.QD[0, 0]) if bool((self.QD[self.real] == self.QD[0, 0]).all()) else None
        self.V = np.stack([y, np.zeros((P, N)), C, F])
        self.active = self.real.copy()
        self.up, self.low = _bound_masks(self.V[1], C, y > 0, self.active)
        self.period = np.minimum(sizes, 1000)
        self.due_at = self.period + 1  # the pass at which each problem shrinks next (libsvm's counter)
        self.limit = np.full(P, max_iter) if max_iter > 0 else np.maximum(10_000_000, 100 * sizes)
        self.n_iter = np.zeros(P, dtype=np.int64)
        self.unshrunk = np.zeros(P, dtype=bool)
        self.pid = np.arange(P)
        self.results = [None] * P
        self.compact()

    def compact(self):
        """Drop the finished rows and the padding columns that no running problem has."""
        keep = np.array([self.results[t] is None for t in self.pid], dtype=bool)
        if not keep.all():
            self.pid, self.V, self.up, self.low, self.active = (
                self.pid[keep], self.V[:, keep], self.up[keep], self.low[keep], self.active[keep])
            self.due_at, self.n_iter, self.unshrunk, self.period = (
                self.due_at[keep], self.n_iter[keep], self.unshrunk[keep], self.period[keep])
        if not len(self.pid):
            return
        width = int(self.sizes[self.pid].max())
        if width < self.V.shape[2]:
            self.V = self.V[:, :, :width].copy()
            self.up, self.low = self.up[:, :width].copy(), self.low[:, :width].copy()
            self.active = self.active[:, :width]
            self.K3, self.QD, self.real = self.K3[:, :width, :width], self.QD[:, :width], self.real[:, :width]
        self.rows = np.arange(len(self.pid))
        self.lim = self.limit[self.pid]
        self.next_due = int(self.due_at.min())

    def finish(self, rows, status):
        """Store the results of ``rows``: (alpha, G, n_iter, status) in the solver's order."""
        V = self.V
        for row in rows:
            t = self.pid[row]
            n = self.sizes[t]
            self.results[t] = (V[1, row, :n].copy(), V[0, row, :n] * V[3, row, :n], int(self.n_iter[row]), status)

    def count(self, rows):
        """One more iteration for ``rows``; the rows at max_iter finish. True if some did."""
        if rows is self.rows:
            self.n_iter += 1
        else:
            self.n_iter[rows] += 1
        at_limit = self.n_iter >= self.lim
        if not at_limit.any():
            return False
        self.finish(np.flatnonzero(at_limit), 1)
        return True

    def shrunk(self, rows):
        """Whether some variable of each of ``rows`` is shrunk (inactive)."""
        return (self.active[rows] != self.real[self.pid[rows]]).any(1)

    def due(self, n_pass):
        """The rows whose shrinking counter runs out at pass ``n_pass`` (their counters restart)."""
        due = np.flatnonzero(self.due_at == n_pass)
        self.due_at[due] += self.period[due]
        self.next_due = int(self.due_at.min())
        return due

    def unshrink(self, rows, n_pass=None):
        """Make every variable of ``rows`` active again; with ``n_pass``, shrink them again two passes later."""
        self.active[rows] = self.real[self.pid[rows]]
        self.up[rows], self.low[rows] = _bound_masks(self.V[1, rows], self.V[2, rows], self.V[0, rows] > 0,
                                                     self.active[rows])
        if n_pass is not None:
            self.due_at[rows] = n_pass + 2  # libsvm: counter = 1 after unshrinking, decremented at once
            self.next_due = int(self.due_at.min())

    def shrink(self, due, tol):
        """libsvm's do_shrinking on the rows ``due`` (see :meth:`_Active.shrink`); shrunk variables become masks."""
        yd, ad, Cd, Fd = self.V[:, due]
        gmax1 = (self.up[due] - Fd).max(1)
        gmax2 = (Fd + self.low[due]).max(1)
        first = ~self.unshrunk[due] & (gmax1 + gmax2 <= tol * 10)
        if first.any():
            self.unshrunk[due[first]] = True
            self.unshrink(due[first])
        posd = yd > 0
        G = np.where(posd, Fd, -Fd)
        g1, g2 = gmax1[:, None], gmax2[:, None]
        at_upper, at_lower = ad >= Cd, ad <= 0
        out = (at_upper & posd & (-G > g1)) | (at_upper & ~posd & (-G > g2))
        out |= (at_lower & posd & (G > g2)) | (at_lower & ~posd & (G > g1))
        out &= self.active[due]
        hit = out.any(1)
        if hit.any():
            rows, cols = np.nonzero(out)
            rows = due[rows]
            self.active[rows, cols] = False
            self.up[rows, cols] = -np.inf
            self.low[rows, cols] = -np.inf


def _select_pairs(b):
    """WSS3 for every running problem (:func:`_solve_smo`): (i, j, gmax, K_i, score_low), one entry per row.

    i maximises -y G over I_up; j maximises (gmax + y_j G_j)^2 / quad_ij over
    the j of I_low with a positive grad_diff = gmax + y_j G_j (score_low: 0
    elsewhere).
    """
    r, F = b.rows, b.V[3]
    score_up = b.up - F
    i = score_up.argmax(1)
    gmax = score_up[r, i]
    score_low = F + b.low
    score_low += gmax[:, None]
    K_i = b.K3[b.pid, i]  # a gathered copy: the gradient update scales it in place
    quad = K_i * -2.0
    if b.qd_const is None:
        quad += b.QD[b.pid]
        quad += b.QD[b.pid, i][:, None]
    else:
        quad += 2.0 * b.qd_const
    np.maximum(quad, TAU, out=quad)
    np.maximum(score_low, 0.0, out=score_low)
    score_low *= score_low
    score_low /= quad
    return i, score_low.argmax(1), gmax, K_i, score_low


def _violating(b, j, gmax, score_low, F_j, tol):
    """Rows whose working set still violates the optimality conditions (libsvm: gmax + max(F_low) >= tol).

    j's own grad_diff (the same float as in score_low) at or above tol
    already shows it, without a reduction over the row's variables.
    """
    r = b.rows
    grad_j = F_j + b.low[r, j]
    grad_j += gmax
    ok = grad_j >= tol  # tol > 0: also grad_j > 0, j's score is positive
    if not ok.all():
        check = np.flatnonzero(~ok & (score_low[r, j] > 0))
        if len(check):
            F = b.V[3]
            ok[check] = (F[check] + b.low[check]).max(1) + gmax[check] >= tol
    return ok


def _step_pairs(b, s, ij, K_i, state):
    """One SMO step of the rows ``s`` on their pairs ``ij`` (2 x rows): new alphas, F and I_up / I_low membership.

    ``state`` holds labels, alpha, bounds and F of i and j (4 x 2 x rows);
    ``K_i`` the kernel rows of i, scaled in place.
    """
    every = s is b.rows
    pid = b.pid if every else b.pid[s]
    j = ij[1]
    yv, av, Cv, Fv = state  # (2, rows) each: variable i, then j
    Gv = yv * Fv
    K_ij = K_i[np.arange(len(s)), j]
    if b.qd_const is None:
        Qv = b.QD[pid, ij]
        quad_ij = Qv[0] + Qv[1] - 2.0 * K_ij
    else:
        quad_ij = 2.0 * b.qd_const - 2.0 * K_ij
    if len(s) <= 40:  # a loop over Python floats costs less than ~30 small vector operations
        (yi, yj), (ai, aj), (Ci, Cj), (Gi, Gj) = yv.tolist(), av.tolist(), Cv.tolist(), Gv.tolist()
        new = np.empty((2, len(s)))
        new[0], new[1] = zip(*map(_update_pair, yi, yj, ai, aj, Ci, Cj, Gi, Gj, quad_ij.tolist()))
    else:
        new = np.concatenate(_update_pairs(yv[0], yv[1], av[0], av[1], Cv[0], Cv[1], Gv[0], Gv[1], quad_ij))
        new = new.reshape(2, -1)
    b.V[1, s, ij] = new
    # y G += y (Q_i dai + Q_j daj) = K_i yi dai + K_j yj daj (K_i and K_j are gathered copies)
    change = new - av
    change *= yv
    K_j = b.K3[pid, j]
    K_i *= change[0][:, None]
    K_j *= change[1][:, None]
    K_i += K_j
    if every:
        b.V[3] += K_i
    else:
        b.V[3, s] += K_i
    below, above = np.where(new < Cv, 0.0, -np.inf), np.where(new > 0, 0.0, -np.inf)
    plus = yv > 0
    b.up[s, ij] = np.where(plus, below, above)
    b.low[s, ij] = np.where(plus, above, below)


def _solve_alone(b, row, n_pass, tol, shrinking):
    """Problem ``row`` of the batch ``b`` after ``n_pass`` passes, finished by :func:`_smo_iterations`.

    Its state carries over: alpha, F (exact for every variable), the shrunk
    variables (one shrinking event), the iterations done and the shrinking
    counter. It takes the batch's steps up to rounding: F's updates round
    differently (two ``daxpy`` instead of one summed update, and shrunk
    variables' F rebuilt by :meth:`_Active.reconstruct`), so that a near tie
    may go the other way (MNIST 1,000: the same iteration counts; the tests
    check both against libsvm).
    """
    t = b.pid[row]
    n = b.sizes[t]
    y, alpha, C, F = (b.V[k, row, :n].copy() for k in range(4))
    state = _Active(_PrecomputedRows(b.K3[t, :n, :n], reversed=True), y, C, b.QD[t, :n].copy(), F, alpha)
    active = b.active[row, :n]
    if not active.all():
        state.events.append((np.flatnonzero(~active), state.acc.copy()))
        state.set_active(np.flatnonzero(active))
    limit = int(b.lim[row] - b.n_iter[row])
    steps = _smo_iterations(state, tol, limit, shrinking, int(b.due_at[row] - n_pass), bool(b.unshrunk[row]))
    if not state.full:
        state.reconstruct()
    return state.alpha_full, y * state.F_full, int(b.n_iter[row]) + steps, int(steps >= limit)


def _solve_smo_batch(K, problems, *, tol, max_iter, shrinking):
    """:func:`_solve_smo` on many small problems at once, one SMO step of every problem per iteration.

    ``K`` is a kernel matrix and ``problems`` a list of (index, y, p, C):
    each problem's variables as rows of ``K`` in the solver's order (see the
    module docstring), its labels, linear term and bounds in that order. The
    problems' kernel blocks are stacked (:func:`_stack_problems`) and every
    step is a vector operation over a (problems x variables) array: the
    per-iteration Python cost is paid once for all the problems instead of
    once per problem (one-vs-one has k (k - 1) / 2 of them). Each problem
    takes the steps :func:`_solve_smo` takes, shrinking included (as masks:
    shrunk variables leave the working-set selection, their gradient stays
    exact, so no reconstruction is needed). When at most ``ALONE`` problems
    are left, an iteration's Python cost is more than :func:`_smo_iterations`
    spends on each of them: they finish there (:func:`_solve_alone`).
    Returns a list of (alpha, G, n_iter, status) in the solver's order.
    """
    b = _Batch(*_stack_problems(K, problems), max_iter)
    n_pass = 0
    while len(b.pid):
        if len(b.pid) <= ALONE:
            for row in b.rows:
                b.results[b.pid[row]] = _solve_alone(b, row, n_pass, tol, shrinking)
            break
        n_pass += 1
        if n_pass == b.next_due:
            due = b.due(n_pass)
            if shrinking:
                b.shrink(due, tol)
        i, j, gmax, K_i, score_low = _select_pairs(b)
        ij = np.concatenate((i, j)).reshape(2, -1)  # (np.stack costs several times more)
        state = b.V[:, b.rows, ij]  # labels, alpha, bounds, F of i and j: (4, 2, rows)
        ok = _violating(b, j, gmax, score_low, state[3, 1], tol)
        s, finished = b.rows, False
        if not ok.all():
            # optimal on the active set: done, or bring back every variable and check again (libsvm)
            stalled = np.flatnonzero(~ok)
            again = b.shrunk(stalled)
            if again.any():
                b.unshrink(stalled[again], n_pass)
            done = stalled[~again]
            if len(done):
                b.finish(done, 0)
                finished = True
            s = np.flatnonzero(ok)
            ij, K_i, state = ij[:, s], K_i[s], state[:, :, s]
        if len(s):
            _step_pairs(b, s, ij, K_i, state)
            finished |= b.count(s)
        if finished:
            b.compact()
    return b.results
