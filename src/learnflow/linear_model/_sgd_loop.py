"""The stochastic gradient descent loop shared by SGDClassifier, SGDRegressor and Perceptron.

Plain SGD is sequential over samples: each update needs the weights left by
the previous one. The loop below follows scikit-learn's ``_plain_sgd``
(weight-scale trick for the l2 decay, Tsuruoka's cumulative l1 penalty,
averaged SGD, the "optimal" / "invscaling" / "adaptive" schedules and its
stopping rule on the epoch objective or the validation score) and runs it
for the K one-vs-rest problems of a multiclass fit *at once*: one sample's
step is a handful of vectorized numpy operations on a (K, n_features) weight
matrix instead of K separate passes. Per-sample work on torch tensors would
pay a kernel launch per operation, so the loop uses numpy arrays on the CPU;
everything before and after it (validation, prediction) is torch.

Only what needs the current weights runs per sample (a ``gemv``, the loss
derivative, a BLAS ``dger``, about ten numpy calls on K-vectors; with a
single problem, a regressor or two classes, the scalars are Python floats
and the update a ``daxpy``, about four times faster than one-element
arrays): the learning rates, decays and weight-scale schedule of an epoch
are computed before it, and the epoch objective of the stopping rule after
it from the stored predictions and updates. The arithmetic is
scikit-learn's, operation for operation, so a fit reproduces the
step-by-step loop to the last bit.
"""

# SPDX-License-Identifier: BSD-3-Clause

import math
from dataclasses import dataclass, field
from itertools import repeat

import numpy as np
from scipy.linalg.blas import daxpy, dger

try:  # the C function behind np.count_nonzero(a), without its Python-level dispatch (about 0.7 us a call)
    from numpy._core.multiarray import count_nonzero as _count_nonzero
except ImportError:  # pragma: no cover - other numpy layouts
    _count_nonzero = np.count_nonzero

__all__ = ["LOSS_FUNCTIONS", "SGDState", "plain_sgd"]

MAX_DLOSS = 1e12


# ---------------------------------------------------------------------------
# Losses: vectorized over the K problems; y in {-1, 1} (classification) or real
# loss(y, p) is the pointwise loss, dloss(y, p) its derivative in p, and
# update(y, p, gain, signed_gain, out) writes the step's update dloss * gain
# (gain = -eta * weight; signed_gain = -y * gain) into out; updater(K) returns
# that step for K problems with as few numpy calls as the loss allows (it runs
# once per sample), and the count of non-zero updates. dloss_scalar(y, p) is
# dloss on Python floats, the same arithmetic, for the one-problem loop
# (None where it would need a transcendental function numpy rounds
# differently).
# ---------------------------------------------------------------------------


class _Loss:
    clip = True  # clip dloss to +-MAX_DLOSS (scikit-learn does, except for hinge, log and modified Huber)
    uses_signed_gain = False
    dloss_scalar = None

    def update(self, y, p, gain, signed_gain, out):
        d = self.dloss(y, p)
        if self.clip:
            np.minimum(np.maximum(d, -MAX_DLOSS, out=d), MAX_DLOSS, out=d)
        np.multiply(d, gain, out=out)

    def updater(self, n_problems):
        """``update`` for a loop over K = n_problems, returning the number of non-zero updates.

        A loss may bind buffers of that size once. ``out`` starts at zero.
        """
        update = self.update

        def step(y, p, gain, signed_gain, out):
            update(y, p, gain, signed_gain, out)
            return _count_nonzero(out)

        return step


class _Hinge(_Loss):
    # loss = max(0, threshold - y p) ; threshold 0 is the perceptron
    clip = False
    uses_signed_gain = True

    def __init__(self, threshold=1.0):
        self.threshold = threshold

    def loss(self, y, p):
        return np.maximum(self.threshold - y * p, 0.0)

    def dloss(self, y, p):
        return np.where(y * p <= self.threshold, -y, 0.0)

    def dloss_scalar(self, y, p):
        return -y if y * p <= self.threshold else 0.0

    def updater(self, n_problems):
        # dloss * gain = -y * gain where the margin is under the threshold, else 0 (out stays 0 when
        # no margin is: most steps of a fitted classifier); it runs once per sample, so the margins
        # go to buffers of the problem's size, bound with the ufuncs once
        margin, violated = np.empty(n_problems), np.empty(n_problems, dtype=bool)
        multiply, less_equal, threshold, count = np.multiply, np.less_equal, self.threshold, _count_nonzero

        def step(y, p, gain, signed_gain, out):
            if count(less_equal(multiply(y, p, margin), threshold, violated)):
                multiply(signed_gain, violated, out)
                return count(out)
            return 0

        return step


class _SquaredHinge(_Hinge):
    # loss = max(0, threshold - y p)^2
    clip = True
    uses_signed_gain = False
    updater = _Loss.updater

    def loss(self, y, p):
        return np.maximum(self.threshold - y * p, 0.0) ** 2

    def dloss(self, y, p):
        z = self.threshold - y * p
        return np.where(z > 0, -2.0 * y * z, 0.0)

    def dloss_scalar(self, y, p):
        z = self.threshold - y * p
        return -2.0 * y * z if z > 0 else 0.0


class _Log(_Loss):
    # loss = log(1 + exp(-y p)) ; dloss = -y / (1 + exp(y p))
    clip = False

    def loss(self, y, p):
        return np.logaddexp(0.0, -y * p)

    def dloss(self, y, p):
        z = np.clip(y * p, -700.0, 700.0)
        return -y / (np.exp(z) + 1.0)

    def update(self, y, p, gain, signed_gain, out):
        z = np.multiply(y, p, out=out)  # out doubles as the buffer: -y / (exp(y p) + 1) * gain
        np.exp(np.minimum(z, 700.0, out=z), out=z)  # exp(z) + 1 is 1 below -700 either way
        z += 1.0
        np.multiply(np.divide(np.negative(y), z, out=z), gain, out=out)


class _ModifiedHuber(_Loss):
    # loss = max(0, 1 - y p)^2 if y p >= -1 else -4 y p
    clip = False

    def loss(self, y, p):
        z = y * p
        return np.where(z >= 1.0, 0.0, np.where(z >= -1.0, (1.0 - z) ** 2, -4.0 * z))

    def dloss(self, y, p):
        z = y * p
        return np.where(z >= 1.0, 0.0, np.where(z >= -1.0, -2.0 * (1.0 - z) * y, -4.0 * y))

    def dloss_scalar(self, y, p):
        z = y * p
        return 0.0 if z >= 1.0 else (-2.0 * (1.0 - z) * y if z >= -1.0 else -4.0 * y)


class _SquaredLoss(_Loss):
    # loss = 0.5 (p - y)^2
    def loss(self, y, p):
        return 0.5 * (p - y) ** 2

    def dloss(self, y, p):
        return p - y

    def dloss_scalar(self, y, p):
        return p - y


class _Huber(_Loss):
    # loss = 0.5 r^2 if |r| <= c else c |r| - 0.5 c^2, with r = p - y
    def __init__(self, c):
        self.c = c

    def loss(self, y, p):
        r = np.abs(p - y)
        return np.where(r <= self.c, 0.5 * r * r, self.c * r - 0.5 * self.c * self.c)

    def dloss(self, y, p):
        return np.clip(p - y, -self.c, self.c)

    def dloss_scalar(self, y, p):
        return min(max(p - y, -self.c), self.c)


class _EpsilonInsensitive(_Loss):
    # loss = max(0, |y - p| - epsilon)
    def __init__(self, epsilon):
        self.epsilon = epsilon

    def loss(self, y, p):
        return np.maximum(np.abs(y - p) - self.epsilon, 0.0)

    def dloss(self, y, p):
        return np.where(y - p > self.epsilon, -1.0, np.where(p - y > self.epsilon, 1.0, 0.0))

    def dloss_scalar(self, y, p):
        return -1.0 if y - p > self.epsilon else (1.0 if p - y > self.epsilon else 0.0)


class _SquaredEpsilonInsensitive(_EpsilonInsensitive):
    # loss = max(0, |y - p| - epsilon)^2
    def loss(self, y, p):
        return np.maximum(np.abs(y - p) - self.epsilon, 0.0) ** 2

    def dloss(self, y, p):
        z = y - p
        return np.where(z > self.epsilon, -2.0 * (z - self.epsilon), np.where(z < -self.epsilon, 2.0 * (-z - self.epsilon), 0.0))

    def dloss_scalar(self, y, p):
        z = y - p
        if z > self.epsilon:
            return -2.0 * (z - self.epsilon)
        return 2.0 * (-z - self.epsilon) if z < -self.epsilon else 0.0


LOSS_FUNCTIONS = {
    "hinge": lambda epsilon: _Hinge(1.0),
    "squared_hinge": lambda epsilon: _SquaredHinge(1.0),
    "perceptron": lambda epsilon: _Hinge(0.0),
    "log_loss": lambda epsilon: _Log(),
    "modified_huber": lambda epsilon: _ModifiedHuber(),
    "squared_error": lambda epsilon: _SquaredLoss(),
    "huber": lambda epsilon: _Huber(epsilon),
    "epsilon_insensitive": lambda epsilon: _EpsilonInsensitive(epsilon),
    "squared_epsilon_insensitive": lambda epsilon: _SquaredEpsilonInsensitive(epsilon),
}


# ---------------------------------------------------------------------------
# State and loop
# ---------------------------------------------------------------------------


@dataclass
class SGDState:
    """Weights of K linear problems being trained together (numpy, float64)."""

    coef: np.ndarray  # (K, n_features), stored as coef / wscale
    intercept: np.ndarray  # (K,)
    average_coef: np.ndarray  # (K, n_features)
    average_intercept: np.ndarray  # (K,)
    t: float = 1.0
    wscale: np.ndarray = field(default=None)
    q: np.ndarray = field(default=None)  # cumulative l1 penalty applied (K, n_features)
    u: float = 0.0  # cumulative l1 penalty that could have been applied

    def __post_init__(self):
        k = self.coef.shape[0]
        self.wscale = np.ones(k)
        self.q = np.zeros_like(self.coef) if self.q is None else self.q


@dataclass
class SGDSettings:
    """The hyperparameters the loop reads (mirrors the estimator's parameters)."""

    loss: object
    penalty: str  # "none", "l2", "l1", "elasticnet"
    alpha: float
    l1_ratio: float
    learning_rate: str
    eta0: float
    power_t: float
    fit_intercept: bool
    max_iter: int
    tol: float  # -inf disables the stopping rule
    n_iter_no_change: int
    shuffle: bool
    average: int  # 0: no averaging, else the step t at which averaging starts

    @property
    def l2_part(self):
        return {"l2": 1.0, "elasticnet": 1.0 - self.l1_ratio}.get(self.penalty, 0.0)

    @property
    def l1_part(self):
        return {"l1": 1.0, "elasticnet": self.l1_ratio}.get(self.penalty, 0.0)


def _optimal_init(settings):
    # eta0 heuristic "typw" (Bottou): typw = sqrt(1 / sqrt(alpha)), eta0 = typw / max(1, dloss(1, -typw))
    typw = math.sqrt(1.0 / math.sqrt(settings.alpha))
    dloss = float(settings.loss.dloss(np.array([1.0]), np.array([-typw]))[0])
    initial_eta0 = typw / max(1.0, dloss)
    return 1.0 / (initial_eta0 * settings.alpha)


def _learning_rates(settings, t, optimal_init, eta_adaptive):
    """The learning rate of the steps ``t``: shape (n, 1), or (n, K) for "adaptive" (one per problem)."""
    if settings.learning_rate == "optimal":
        eta = 1.0 / (settings.alpha * (optimal_init + t - 1))
    elif settings.learning_rate == "invscaling":  # Python's pow, as scikit-learn's C pow, to the last bit
        eta = np.array([settings.eta0 / step**settings.power_t for step in t.tolist()])
    elif settings.learning_rate == "adaptive":
        return np.broadcast_to(eta_adaptive, (len(t), len(eta_adaptive)))
    else:
        eta = np.full(len(t), settings.eta0)
    return eta[:, None]


def _wscale_schedule(wscale, decay):
    """The weight scale before and after each step's l2 decay, and the steps that fold it into the weights.

    The scale shrinks by ``decay[s]`` at step s and is folded into the stored
    weights (reset to 1) when it falls under 1e-9. It does not depend on the
    data, so the whole epoch's schedule is known before the epoch starts.
    Returns (before, after_decay, after_reset) of shape (n, K) and the reset steps.
    """
    resets = []
    if decay.shape[1] == 1 and np.all(wscale == wscale[0]):  # one scale for every problem
        # scales[0] = ws, scales[s + 1] = scales[s] * decay[s]: a running product, which numpy's
        # multiply.accumulate computes left to right, one rounding per step as ``ws *= d``; after a
        # step that takes it under 1e-9 it starts again from 1
        n, ws, start = len(decay), float(wscale[0]), 0
        scales = np.empty(n + 1)
        before, after = np.empty((n, 1)), np.empty((n, 1))
        while start < n:
            run = scales[: n - start + 1]
            run[0], run[1:] = ws, decay[start:, 0]
            np.multiply.accumulate(run, out=run)
            small = np.flatnonzero(run[1:] < 1e-9)
            stop = n if len(small) == 0 else start + int(small[0]) + 1
            before[start:stop, 0], after[start:stop, 0] = run[: stop - start], run[1 : stop - start + 1]
            if len(small):
                resets.append(stop - 1)
            ws, start = 1.0, stop
    else:
        ws = wscale * np.ones(decay.shape[1])
        before, after = np.empty((len(decay), len(ws))), np.empty((len(decay), len(ws)))
        for s, d in enumerate(decay):
            before[s] = ws
            ws = ws * d
            after[s] = ws
            if ws.min() < 1e-9:
                resets.append(s)
                ws = np.ones_like(ws)
    settled = after.copy()
    settled[resets] = 1.0
    return before, after, settled, resets


def _sum_of_norms(q0, d2, inc, block=256):
    """Sum over the steps s < n of q_s, for ``q_{s+1} = d2_s q_s + inc_s`` (the squared weight norms).

    ``d2`` is (n, 1), shared by the K columns of ``inc`` (n, K), or (n, K).
    Within a block of steps, with ``c`` the running product of ``d2``,
    ``q_{i+1} = c_i (q + sum_{j <= i} inc_j / c_j)``: a cumulative sum. The
    blocks are short enough that ``c`` cannot underflow; with decays too
    strong for that, the recursion runs step by step.
    """
    total, q = np.zeros(inc.shape[1]), q0
    if d2.min() < 0.5:
        for factor, step in zip(d2, inc):
            total += q
            q = factor * q + step
        return total
    for start in range(0, len(d2), block):
        c = np.cumprod(d2[start : start + block], axis=0)
        following = c * (q + np.cumsum(inc[start : start + block] / c, axis=0))  # q_{i+1}
        total += q + following[:-1].sum(axis=0)
        q = following[-1]
    return total


def _l1_penalty(state, wscale):
    # truncated gradient: push each weight toward 0 by what the cumulative penalty allows, never past it
    W, q = state.coef, state.q
    z = W.copy()
    actual = wscale * W
    shrunk_pos = np.maximum(0.0, W - (state.u + q) / wscale)
    shrunk_neg = np.minimum(0.0, W + (state.u - q) / wscale)
    W[...] = np.where(actual > 0, shrunk_pos, np.where(actual < 0, shrunk_neg, W))
    q += wscale * (W - z)


def _one_problem_steps(
    W, b, X, order, loss, Y_epoch, gain, scales_in, scales_out, reset_at, after, fit_intercept, WX, P, U
):
    """The per-sample loop of a single problem (K = 1) on Python floats.

    The same steps as the vectorized loop of :func:`_epoch` (prediction, loss
    derivative, clipping, the weight-scale reset, ``w += x * (u / wscale)``)
    with the scalars as Python floats instead of one-element arrays: a
    ``dot``, a BLAS ``daxpy`` and float arithmetic per sample.
    """
    w, wx_buffer, dloss, clip = W[0], np.empty(1), loss.dloss_scalar, loss.clip
    dot = W.dot
    bias = float(b[0])
    wxs, ps, us = [], [], []
    rows = zip(order.tolist(), Y_epoch[:, 0].tolist(), gain[:, 0].tolist(), scales_in, scales_out)
    for s, (i, y, g, ws_in, ws_out) in enumerate(rows):
        x = X[i]
        wx = dot(x, out=wx_buffer).item()
        p = wx * ws_in + bias
        d = dloss(y, p)
        if clip:
            d = min(max(d, -MAX_DLOSS), MAX_DLOSS)
        u = d * g
        if s in reset_at:
            W *= np.reshape(after[s], (-1, 1))
        if u != 0.0:
            daxpy(x, w, a=u / ws_out)  # scikit-learn's w += x * (u / wscale)
            if fit_intercept:
                bias += u
        wxs.append(wx)
        ps.append(p)
        us.append(u)
    b[0] = bias
    WX[:, 0], P[:, 0], U[:, 0] = wxs, ps, us


def _epoch(state, settings, X, Y, weights, order, eta_adaptive, optimal_init, track_objective, x_sq):
    """One pass over ``order``; returns the summed objective per problem (loss + penalty).

    What does not depend on the weights is computed for the whole epoch first:
    the learning rates, the l2 decays, the weight-scale schedule and the
    per-step gradient factors ``-eta * weight``. The per-sample loop then does
    only the dot product, the loss derivative and the rank-one BLAS ``dger``
    on the stored weights, writing each step's prediction and update into
    preallocated rows; the epoch objective (the loss of the stored predictions
    plus the penalty, whose squared norms follow from the stored updates) is
    computed afterwards, vectorized.
    """
    W, b = state.coef, state.intercept
    n, K = len(order), W.shape[0]
    if n == 0:
        return np.zeros(K)
    loss, alpha, average = settings.loss, settings.alpha, settings.average
    l2_part, l1_part = settings.l2_part, settings.l1_part
    penalized = settings.penalty != "none"
    eta = _learning_rates(settings, state.t + np.arange(n, dtype=np.float64), optimal_init, eta_adaptive)
    Y_epoch = Y[order]
    gain = -eta * weights[order]  # dloss * gain is the step's update
    signed_gain = -Y_epoch * gain if loss.uses_signed_gain else gain
    decay = np.maximum(0.0, 1.0 - l2_part * eta * alpha) if l2_part else np.ones((n, 1))
    before, after, settled, resets = _wscale_schedule(state.wscale, decay)
    sq_norm0 = (W * W).sum(axis=1) * state.wscale**2
    l1_norms = np.zeros((n, K)) if track_objective and l1_part else None
    WX, P, U = np.empty((n, K)), np.empty((n, K)), np.zeros((n, K))  # U: the updaters write non-zero rows only
    W_T = W.T  # Fortran-ordered view: dger updates W in place through it
    shared = before.shape[1] == 1
    scales_in = before[:, 0].tolist() if shared else before
    scales_out = settled[:, 0].tolist() if shared else settled
    etas = eta[:, 0].tolist() if eta.shape[1] == 1 else eta
    reset_at, fit_intercept, t0 = set(resets), settings.fit_intercept, state.t
    slow = bool(average) or bool(l1_part)
    if K == 1 and not slow and loss.dloss_scalar is not None:
        _one_problem_steps(
            W, b, X, order, loss, Y_epoch, gain, scales_in, scales_out, reset_at, after, fit_intercept, WX, P, U
        )
    else:
        # the loss's update reads either the gains or the signed gains: rows of the other are not made
        gains = repeat(None) if loss.uses_signed_gain else gain
        signed_gains = signed_gain if loss.uses_signed_gain else repeat(None)
        rows = zip(order.tolist(), WX, P, Y_epoch, gains, signed_gains, U, scales_in, scales_out)
        # the per-sample loop: local names for the numpy functions, preallocated buffers
        dot, multiply, add, divide = W.dot, np.multiply, np.add, np.divide
        update, step = loss.updater(K), np.empty(K)
        for s, (i, wx, p, y, g, sg, u, ws_in, ws_out) in enumerate(rows):
            x = X[i]
            if l1_norms is not None:
                l1_norms[s] = np.abs(W).sum(axis=1) * ws_in
            dot(x, out=wx)
            add(multiply(wx, ws_in, p), b, p)
            changes = update(y, p, g, sg, u)
            if s in reset_at:
                W *= np.reshape(after[s], (-1, 1))
            if changes:
                # scikit-learn's w += x * (u / wscale)
                dger(1.0, x, divide(u, ws_out, out=step), a=W_T, overwrite_a=1)
                if fit_intercept:
                    b += u
            if slow:
                t = t0 + s
                scale = np.reshape(ws_out, (-1, 1))
                if 0 < average <= t:
                    k = t - average + 1
                    state.average_coef += (W * scale - state.average_coef) / k
                    state.average_intercept += (b - state.average_intercept) / k
                if l1_part:
                    state.u += l1_part * etas[s] * alpha
                    _l1_penalty(state, scale)
    state.t = t0 + n
    state.wscale[:] = settled[-1]
    if not track_objective:
        return np.zeros(K)
    objective = loss.loss(Y_epoch, P).sum(axis=0)
    if penalized:
        penalty = np.zeros(K)
        if l2_part:
            # ||w||^2 after step s: decay^2 * ||w||^2 + u (u ||x||^2 + 2 <decayed w, x>)
            increments = U * (U * x_sq[order][:, None] + 2.0 * WX * after)
            penalty += l2_part * 0.5 * _sum_of_norms(sq_norm0, decay * decay, increments)
        if l1_part:
            penalty += l1_part * l1_norms.sum(axis=0)
        objective += alpha * penalty
    return objective


def plain_sgd(state, settings, X, Y, weights, train_idx, rng, validation_score=None):
    """Run up to ``max_iter`` epochs on the K problems; returns the epochs each one ran.

    Parameters
    ----------
    state : SGDState
        Updated in place.
    settings : SGDSettings
    X : ndarray of shape (n_samples, n_features), float64, C-contiguous
    Y : ndarray of shape (n_samples, K)
        Targets per problem ({-1, 1} for classification).
    weights : ndarray of shape (n_samples, K)
        Sample weight times class weight, per problem.
    train_idx : ndarray of int
        The samples to learn from (the others are the validation set).
    rng : numpy.random.RandomState
        Shuffles the samples each epoch.
    validation_score : callable, default=None
        ``validation_score(coef, intercept, rows) -> (len(rows),)`` scores of the problems ``rows``.

    Returns
    -------
    n_iter : ndarray of shape (K,)
    """
    K = state.coef.shape[0]
    optimal_init = _optimal_init(settings) if settings.learning_rate == "optimal" else 0.0
    eta_adaptive = np.full(K, float(settings.eta0))
    best = np.full(K, np.inf if validation_score is None else -np.inf)
    no_improvement = np.zeros(K, dtype=int)
    n_iter = np.zeros(K, dtype=int)
    running = np.arange(K)
    order = np.asarray(train_idx)
    n_train = len(order)
    x_sq = np.einsum("ij,ij->i", X, X)
    for epoch in range(settings.max_iter):
        sub = _sub_state(state, running)
        if settings.shuffle:
            order = rng.permutation(order)
        objective = _epoch(
            sub, settings, X, Y[:, running], weights[:, running], order,
            eta_adaptive[running], optimal_init, validation_score is None, x_sq,
        )
        _merge_state(state, sub, running)
        n_iter[running] = epoch + 1
        if not (np.isfinite(state.coef).all() and np.isfinite(state.intercept).all()):
            raise ValueError(
                f"Floating-point under-/overflow occurred at epoch #{epoch + 1}. Scaling input data "
                "with StandardScaler or MinMaxScaler might help."
            )
        if validation_score is not None:
            score = validation_score(state.coef[running] * state.wscale[running][:, None], state.intercept[running], running)
            worse = score < best[running] + settings.tol if settings.tol > -np.inf else np.zeros(len(running), bool)
            best[running] = np.maximum(best[running], score)
        else:
            value = objective / n_train
            worse = value > best[running] - settings.tol if settings.tol > -np.inf else np.zeros(len(running), bool)
            best[running] = np.minimum(best[running], value)
        no_improvement[running] = np.where(worse, no_improvement[running] + 1, 0)
        stalled = no_improvement[running] >= settings.n_iter_no_change
        if settings.learning_rate == "adaptive":
            shrink = stalled & (eta_adaptive[running] > 1e-6)
            eta_adaptive[running[shrink]] /= 5.0
            no_improvement[running[shrink]] = 0
            stalled &= ~shrink
        running = running[~stalled]
        if len(running) == 0:
            break
    state.coef *= state.wscale[:, None]
    state.wscale[:] = 1.0
    return n_iter


def _sub_state(state, rows):
    """A state holding only the problems ``rows`` (copies; merged back after the epoch)."""
    sub = SGDState(
        coef=np.ascontiguousarray(state.coef[rows]),
        intercept=state.intercept[rows].copy(),
        average_coef=state.average_coef[rows].copy(),
        average_intercept=state.average_intercept[rows].copy(),
        t=state.t,
        q=state.q[rows].copy(),
        u=state.u,
    )
    sub.wscale = state.wscale[rows].copy()
    return sub


def _merge_state(state, sub, rows):
    state.coef[rows] = sub.coef
    state.intercept[rows] = sub.intercept
    state.average_coef[rows] = sub.average_coef
    state.average_intercept[rows] = sub.average_intercept
    state.q[rows] = sub.q
    state.wscale[rows] = sub.wscale
    state.t, state.u = sub.t, sub.u
