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
"""

# SPDX-License-Identifier: BSD-3-Clause

import math
from dataclasses import dataclass, field

import numpy as np
from scipy.linalg.blas import dger

__all__ = ["LOSS_FUNCTIONS", "SGDState", "plain_sgd"]

MAX_DLOSS = 1e12


# ---------------------------------------------------------------------------
# Losses: vectorized over the K problems; y in {-1, 1} (classification) or real
# loss(y, p) is the pointwise loss, dloss(y, p) its derivative in p
# ---------------------------------------------------------------------------


class _Hinge:
    # loss = max(0, threshold - y p) ; threshold 0 is the perceptron
    def __init__(self, threshold=1.0):
        self.threshold = threshold

    def loss(self, y, p):
        return np.maximum(self.threshold - y * p, 0.0)

    def dloss(self, y, p):
        return np.where(y * p <= self.threshold, -y, 0.0)


class _SquaredHinge(_Hinge):
    # loss = max(0, threshold - y p)^2
    def loss(self, y, p):
        return np.maximum(self.threshold - y * p, 0.0) ** 2

    def dloss(self, y, p):
        z = self.threshold - y * p
        return np.where(z > 0, -2.0 * y * z, 0.0)


class _Log:
    # loss = log(1 + exp(-y p)) ; dloss = -y / (1 + exp(y p))
    def loss(self, y, p):
        return np.logaddexp(0.0, -y * p)

    def dloss(self, y, p):
        z = np.clip(y * p, -700.0, 700.0)
        return -y / (np.exp(z) + 1.0)


class _ModifiedHuber:
    # loss = max(0, 1 - y p)^2 if y p >= -1 else -4 y p
    def loss(self, y, p):
        z = y * p
        return np.where(z >= 1.0, 0.0, np.where(z >= -1.0, (1.0 - z) ** 2, -4.0 * z))

    def dloss(self, y, p):
        z = y * p
        return np.where(z >= 1.0, 0.0, np.where(z >= -1.0, -2.0 * (1.0 - z) * y, -4.0 * y))


class _SquaredLoss:
    # loss = 0.5 (p - y)^2
    def loss(self, y, p):
        return 0.5 * (p - y) ** 2

    def dloss(self, y, p):
        return p - y


class _Huber:
    # loss = 0.5 r^2 if |r| <= c else c |r| - 0.5 c^2, with r = p - y
    def __init__(self, c):
        self.c = c

    def loss(self, y, p):
        r = np.abs(p - y)
        return np.where(r <= self.c, 0.5 * r * r, self.c * r - 0.5 * self.c * self.c)

    def dloss(self, y, p):
        return np.clip(p - y, -self.c, self.c)


class _EpsilonInsensitive:
    # loss = max(0, |y - p| - epsilon)
    def __init__(self, epsilon):
        self.epsilon = epsilon

    def loss(self, y, p):
        return np.maximum(np.abs(y - p) - self.epsilon, 0.0)

    def dloss(self, y, p):
        return np.where(y - p > self.epsilon, -1.0, np.where(p - y > self.epsilon, 1.0, 0.0))


class _SquaredEpsilonInsensitive(_EpsilonInsensitive):
    # loss = max(0, |y - p| - epsilon)^2
    def loss(self, y, p):
        return np.maximum(np.abs(y - p) - self.epsilon, 0.0) ** 2

    def dloss(self, y, p):
        z = y - p
        return np.where(z > self.epsilon, -2.0 * (z - self.epsilon), np.where(z < -self.epsilon, 2.0 * (-z - self.epsilon), 0.0))


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


def _optimal_init(settings):
    # eta0 heuristic "typw" (Bottou): typw = sqrt(1 / sqrt(alpha)), eta0 = typw / max(1, dloss(1, -typw))
    typw = math.sqrt(1.0 / math.sqrt(settings.alpha))
    dloss = float(settings.loss.dloss(np.array([1.0]), np.array([-typw]))[0])
    initial_eta0 = typw / max(1.0, dloss)
    return 1.0 / (initial_eta0 * settings.alpha)


def _eta(settings, t, optimal_init, eta_adaptive):
    """The learning rate of step t."""
    if settings.learning_rate == "optimal":
        return 1.0 / (settings.alpha * (optimal_init + t - 1))
    if settings.learning_rate == "invscaling":
        return settings.eta0 / t**settings.power_t
    if settings.learning_rate == "adaptive":
        return eta_adaptive
    return settings.eta0


def _l1_penalty(state, active):
    # truncated gradient: push each weight toward 0 by what the cumulative penalty allows, never past it
    W, q, wscale = state.coef[active], state.q[active], state.wscale[active][:, None]
    z = W.copy()
    actual = wscale * W
    shrunk_pos = np.maximum(0.0, W - (state.u + q) / wscale)
    shrunk_neg = np.minimum(0.0, W + (state.u - q) / wscale)
    W = np.where(actual > 0, shrunk_pos, np.where(actual < 0, shrunk_neg, W))
    state.q[active] = q + wscale * (W - z)
    state.coef[active] = W


def _epoch(state, settings, X, Y, weights, order, eta_adaptive, optimal_init, track_objective, x_sq):
    """One pass over ``order``; returns the summed objective per problem (loss + penalty).

    Each step is a few vectorized numpy calls on the K problems, and the rank-one
    weight update is one in-place BLAS ``dger`` on the stored weights.
    """
    W, b, ws = state.coef, state.intercept, state.wscale
    W_T = W.T  # Fortran-ordered view: dger updates W in place through it
    objective = np.zeros(W.shape[0])
    sq_norm = (W * W).sum(axis=1) * ws**2
    l1 = settings.penalty in ("l1", "elasticnet")
    l2_part = {"l2": 1.0, "elasticnet": 1.0 - settings.l1_ratio}.get(settings.penalty, 0.0)
    l1_part = {"l1": 1.0, "elasticnet": settings.l1_ratio}.get(settings.penalty, 0.0)
    loss, alpha, average = settings.loss, settings.alpha, settings.average
    penalized = settings.penalty != "none"
    clip = not isinstance(loss, (_Hinge, _Log, _ModifiedHuber)) or isinstance(loss, _SquaredHinge)
    for i in order:
        x = X[i]
        Wx = W @ x
        p = Wx * ws + b
        y = Y[i]
        eta = _eta(settings, state.t, optimal_init, eta_adaptive)
        if track_objective:
            objective += loss.loss(y, p)
            if penalized:
                l1_norm = np.abs(W).sum(axis=1) * ws if l1_part else 0.0
                objective += alpha * (l2_part * 0.5 * sq_norm + l1_part * l1_norm)
        dloss = loss.dloss(y, p)
        if clip:
            dloss = np.clip(dloss, -MAX_DLOSS, MAX_DLOSS)
        update = dloss * (-eta * weights[i])
        if l2_part:
            decay = np.maximum(0.0, 1.0 - l2_part * eta * alpha)
            ws *= decay
            if ws.min() < 1e-9:
                W *= ws[:, None]
                ws[:] = 1.0
            if track_objective:
                sq_norm *= decay * decay
        dger(1.0, x, update / ws, a=W_T, overwrite_a=1)
        if track_objective and penalized:
            sq_norm += update * (update * x_sq[i] + 2.0 * Wx * ws)
        if settings.fit_intercept:
            b += update
        if 0 < average <= state.t:
            k = state.t - average + 1
            state.average_coef += (W * ws[:, None] - state.average_coef) / k
            state.average_intercept += (b - state.average_intercept) / k
        if l1:
            state.u += l1_part * eta * alpha
            _l1_penalty(state, slice(None))
        state.t += 1
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
