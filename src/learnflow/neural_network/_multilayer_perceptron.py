"""Multi-layer perceptrons with scikit-learn's API (Chapter 10).

The network, losses and initialization are scikit-learn's (Glorot uniform init,
``0.5 * alpha * ||W||^2 / n`` penalty, log loss or half squared error, adam / sgd /
lbfgs). The training loop runs on torch directly rather than through a flow
``Session``: these estimators are fitted many times on small data (grid search,
the conformance suite), where a session's per-step Python overhead of several
milliseconds would dominate; the same architecture trained through flow is
``learnflow.flow.estimator.DNNClassifier`` (benchmarked against this one and
against a hand-written PyTorch loop in ``benchmarks/bench_nn.py``).
"""

# SPDX-License-Identifier: BSD-3-Clause

import warnings
from numbers import Integral, Real

import numpy as np
import torch

from .._engine import (check_random_state, get_device, get_dtype, is_torch, labels_to_output, to_numpy,
                       to_output, to_tensor)
from ..base import BaseEstimator, ClassifierMixin, MultiOutputMixin, RegressorMixin, _fit_context
from ..exceptions import ConvergenceWarning
from ..utils._param_validation import Interval, StrOptions
from ..utils.multiclass import check_classification_targets
from ..utils.validation import check_is_fitted, column_or_1d, validate_data

__all__ = ["MLPClassifier", "MLPRegressor"]

# --- activations and losses (lookup tables) ----------------------------------------------------

ACTIVATIONS = {"identity": lambda z: z, "logistic": torch.sigmoid, "tanh": torch.tanh,
               "relu": torch.relu}


def _log_loss_softmax(logits, y):
    # -sum(y * log softmax(logits)) / n
    return -(y * torch.log_softmax(logits, dim=1)).sum() / len(y)


def _log_loss_logistic(logits, y):
    # -sum(y log p + (1 - y) log(1 - p)) / n, in the stable logits form
    return torch.nn.functional.binary_cross_entropy_with_logits(
        logits, y, reduction="sum") / len(y)


def _half_squared_error(out, y):
    # sum((y - out)^2) / (2 n)
    return ((out - y) ** 2).sum() / (2 * len(y))


LOSSES = {"softmax": _log_loss_softmax, "logistic": _log_loss_logistic,
          "identity": _half_squared_error}


# --- the network as pure functions on torch tensors ---------------------------------------------

def _init_params(sizes, activation, gen, dtype, device):
    """Glorot uniform weights and biases: bound = sqrt(factor / (fan_in + fan_out))."""
    factor = 2.0 if activation == "logistic" else 6.0
    params = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        bound = (factor / (fan_in + fan_out)) ** 0.5
        for shape in ((fan_in, fan_out), (fan_out,)):
            u = torch.rand(shape, generator=gen, dtype=torch.float64, device=gen.device)
            params.append(((2 * u - 1) * bound).to(device=device, dtype=dtype)
                          .requires_grad_(True))
    return params


def _forward(params, X, activation):
    """Output-layer pre-activations (logits); hidden layers use ``activation``."""
    act, h = ACTIVATIONS[activation], X
    n_layers = len(params) // 2
    for i in range(n_layers):
        h = torch.addmm(params[2 * i + 1], h, params[2 * i])
        if i < n_layers - 1:
            h = act(h)
    return h


def _objective(params, X, y, activation, out_activation, alpha):
    # loss(out, y) + 0.5 * alpha * sum ||W||^2 / n
    loss = LOSSES[out_activation](_forward(params, X, activation), y)
    penalty = sum((W ** 2).sum() for W in params[::2])
    return loss + 0.5 * alpha * penalty / len(y)


def _make_optimizer(est, params):
    """Adam or SGD over two groups, the weights then the biases.

    The L2 penalty's gradient ``alpha * W / n`` is the weights' ``weight_decay``, set per
    batch by ``_epoch`` (torch adds ``weight_decay * W`` to the gradient before the update,
    as scikit-learn adds it to ``coef_grads``); the fused kernels do the whole update in
    one pass (several times faster than the per-tensor loop on 266k parameters).
    """
    groups = [{"params": params[::2], "weight_decay": 0.0},
              {"params": params[1::2], "weight_decay": 0.0}]
    if est.solver == "adam":
        make = lambda **kw: torch.optim.Adam(  # noqa: E731
            groups, lr=est.learning_rate_init, betas=(est.beta_1, est.beta_2), eps=est.epsilon,
            **kw)
    else:
        make = lambda **kw: torch.optim.SGD(  # noqa: E731
            groups, lr=est.learning_rate_init, momentum=est.momentum,
            nesterov=est.nesterovs_momentum and est.momentum > 0, **kw)
    try:
        return make(fused=True)
    except (RuntimeError, ValueError):  # a device or dtype without fused kernels
        return make()


def _penalty(weights):
    """sum ||W||^2 without autograd (one dot product per weight matrix)."""
    with torch.no_grad():
        return float(sum(torch.dot(W.reshape(-1), W.reshape(-1)) for W in weights))


# --- base estimator ------------------------------------------------------------------------------

class _BaseMLP(BaseEstimator):
    _parameter_constraints = {
        "hidden_layer_sizes": ["array-like", Interval(Integral, 1, None, closed="left")],
        "activation": [StrOptions(set(ACTIVATIONS))],
        "solver": [StrOptions({"lbfgs", "sgd", "adam"})],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "batch_size": [StrOptions({"auto"}), Interval(Integral, 1, None, closed="left")],
        "learning_rate": [StrOptions({"constant", "invscaling", "adaptive"})],
        "learning_rate_init": [Interval(Real, 0, None, closed="neither")],
        "power_t": [Interval(Real, 0, None, closed="left")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "shuffle": ["boolean"],
        "random_state": ["random_state"],
        "tol": [Interval(Real, 0, None, closed="left")],
        "verbose": ["verbose"],
        "warm_start": ["boolean"],
        "momentum": [Interval(Real, 0, 1, closed="both")],
        "nesterovs_momentum": ["boolean"],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="left")],
        "beta_1": [Interval(Real, 0, 1, closed="left")],
        "beta_2": [Interval(Real, 0, 1, closed="left")],
        "epsilon": [Interval(Real, 0, None, closed="neither")],
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
        "max_fun": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(self, hidden_layer_sizes=(100,), activation="relu", *, solver="adam",
                 alpha=0.0001, batch_size="auto", learning_rate="constant",
                 learning_rate_init=0.001, power_t=0.5, max_iter=200, shuffle=True,
                 random_state=None, tol=1e-4, verbose=False, warm_start=False, momentum=0.9,
                 nesterovs_momentum=True, early_stopping=False, validation_fraction=0.1,
                 beta_1=0.9, beta_2=0.999, epsilon=1e-8, n_iter_no_change=10, max_fun=15000):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.solver = solver
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.learning_rate_init = learning_rate_init
        self.power_t = power_t
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.verbose = verbose
        self.warm_start = warm_start
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.n_iter_no_change = n_iter_no_change
        self.max_fun = max_fun

    # -- state ----------------------------------------------------------------------------------

    def _initialize(self, n_features, n_outputs, dtype, device):
        sizes = [n_features, *np.atleast_1d(self.hidden_layer_sizes).tolist(), n_outputs]
        if any(s <= 0 for s in sizes[1:-1]):
            raise ValueError("hidden_layer_sizes must be > 0, got "
                             f"{self.hidden_layer_sizes}.")
        gen = torch.Generator().manual_seed(int(self._rng.randint(2**31 - 1)))
        self._params = _init_params(sizes, self.activation, gen, dtype, device)
        self._optimizer = None if self.solver == "lbfgs" else _make_optimizer(self, self._params)
        self.n_layers_ = len(sizes)
        self.n_outputs_ = n_outputs
        self.n_iter_, self.t_ = 0, 0
        self.loss_curve_ = []
        self.best_loss_ = np.inf
        self._no_improvement = 0
        self.validation_scores_ = [] if self.early_stopping else None
        self.best_validation_score_ = -np.inf if self.early_stopping else None

    def _sync_attributes(self):
        self.coefs_ = [to_numpy(W.detach()) for W in self._params[::2]]
        self.intercepts_ = [to_numpy(b.detach()) for b in self._params[1::2]]

    def __getstate__(self):
        state = self.__dict__.copy()
        for key in ("_params", "_optimizer", "_rng"):
            state.pop(key, None)
        return state

    def _restore_params(self):
        if getattr(self, "_params", None) is None:
            tensors = []
            for W, b in zip(self.coefs_, self.intercepts_):
                tensors += [torch.as_tensor(W), torch.as_tensor(b)]
            self._params = [t.to(get_device(), get_dtype()).requires_grad_(True) for t in tensors]
            self._optimizer = None

    # -- training ---------------------------------------------------------------------------------

    def _epoch(self, X, Y):
        """One pass of mini-batch updates; returns the mean loss over the samples."""
        n = len(X)
        batch_size = min(200, n) if self.batch_size == "auto" else min(self.batch_size, n)
        order = self._rng.permutation(n) if self.shuffle else np.arange(n)
        order = torch.as_tensor(order, device=X.device)
        loss_fn = LOSSES[self.out_activation_]
        weight_group = self._optimizer.param_groups[0]
        total = 0.0
        for start in range(0, n, batch_size):
            idx = order[start:start + batch_size]
            n_batch = len(idx)
            if self.learning_rate == "invscaling":
                for group in self._optimizer.param_groups:
                    group["lr"] = self.learning_rate_init / (self.t_ + 1) ** self.power_t
            # loss(out, y) + 0.5 * alpha * sum ||W||^2 / n: the penalty's gradient is the
            # weights' weight_decay alpha / n (see _make_optimizer)
            weight_group["weight_decay"] = self.alpha / n_batch
            self._optimizer.zero_grad()
            loss = loss_fn(_forward(self._params, X[idx], self.activation), Y[idx])
            loss.backward()
            penalty = _penalty(self._params[::2]) if self.alpha else 0.0
            self._optimizer.step()
            total += (float(loss.detach()) + 0.5 * self.alpha * penalty / n_batch) * n_batch
            self.t_ += n_batch
        return total / n

    def _fit_lbfgs(self, X, Y):
        optimizer = torch.optim.LBFGS(self._params, max_iter=self.max_iter,
                                      max_eval=self.max_fun, tolerance_grad=self.tol,
                                      tolerance_change=np.finfo(float).eps,
                                      line_search_fn="strong_wolfe")

        def closure():
            optimizer.zero_grad()
            loss = _objective(self._params, X, Y, self.activation, self.out_activation_,
                              self.alpha)
            loss.backward()
            return loss

        optimizer.step(closure)
        state = optimizer.state[optimizer._params[0]]
        self.n_iter_ = int(state.get("n_iter", 1))
        self.loss_ = float(closure().detach())
        self.loss_curve_ = None
        if self.n_iter_ >= self.max_iter:
            warnings.warn(f"lbfgs failed to converge after {self.max_iter} iterations.",
                          ConvergenceWarning)

    def _update_no_improvement(self, loss, X_val, y_val):
        if self.early_stopping:
            score = self._validation_score(X_val, y_val)
            self.validation_scores_.append(score)
            if score < self.best_validation_score_ + self.tol:
                self._no_improvement += 1
            else:
                self._no_improvement = 0
            if score > self.best_validation_score_:
                self.best_validation_score_ = score
                self._best_params = [p.detach().clone() for p in self._params]
        else:
            if loss > self.best_loss_ - self.tol:
                self._no_improvement += 1
            else:
                self._no_improvement = 0
        self.best_loss_ = min(self.best_loss_, loss)

    def _lower_learning_rate(self):
        """'adaptive': divide the learning rate by 5; False when it is too small to go on."""
        if self.learning_rate != "adaptive" or self.solver != "sgd":
            return False
        group = self._optimizer.param_groups[0]
        if group["lr"] <= 1e-6:
            return False
        for group in self._optimizer.param_groups:
            group["lr"] /= 5.0
        self._no_improvement = 0
        return True

    def _fit_epochs(self, X, Y, y_raw, n_epochs, incremental):
        X_val = y_val = None
        if self.early_stopping and not incremental:
            n_val = max(1, int(self.validation_fraction * len(X)))
            perm = torch.as_tensor(self._rng.permutation(len(X)), device=X.device)
            X_val, y_val = X[perm[:n_val]], y_raw[to_numpy(perm[:n_val])]
            X, Y = X[perm[n_val:]], Y[perm[n_val:]]
        for _ in range(n_epochs):
            loss = self._epoch(X, Y)
            self.n_iter_ += 1
            self.loss_curve_.append(loss)
            self.loss_ = loss
            if self.verbose:
                print(f"Iteration {self.n_iter_}, loss = {loss:.8f}")
            if incremental:
                self.best_loss_ = min(self.best_loss_, loss)
                continue
            self._update_no_improvement(loss, X_val, y_val)
            if self._no_improvement >= self.n_iter_no_change and not self._lower_learning_rate():
                break
        else:
            if not incremental:
                warnings.warn(f"Stochastic Optimizer: Maximum iterations ({self.max_iter}) "
                              "reached and the optimization hasn't converged yet.",
                              ConvergenceWarning)
        if self.early_stopping and not incremental and hasattr(self, "_best_params"):
            with torch.no_grad():
                for p, best in zip(self._params, self._best_params):
                    p.copy_(best)
            del self._best_params

    def _fit(self, X, y, incremental=False):
        first = not (incremental or self.warm_start) or not hasattr(self, "coefs_")
        X = to_tensor(X)
        Y = to_tensor(self._encode_targets(y, first), dtype=X.dtype, device=X.device)
        if Y.dim() == 1:
            Y = Y.reshape(-1, 1)
        if not hasattr(self, "_rng") or first:
            self._rng = check_random_state(self.random_state)
        if first:
            self._initialize(X.shape[1], Y.shape[1], X.dtype, X.device)
        else:
            self._restore_params()
            if self._optimizer is None and self.solver != "lbfgs":
                self._optimizer = _make_optimizer(self, self._params)
        if self.solver == "lbfgs":
            self._fit_lbfgs(X, Y)
        else:
            self._fit_epochs(X, Y, y, 1 if incremental else self.max_iter, incremental)
        self._sync_attributes()
        return self

    def _raw_output(self, X):
        check_is_fitted(self)
        self._restore_params()
        X_in = X
        X = to_tensor(validate_data(self, X, reset=False))
        with torch.no_grad():
            params = [p.to(X.device, X.dtype) for p in self._params]
            out = _forward(params, X, self.activation)
        return out, X_in

    def _check_partial_fit_solver(self):
        if self.solver not in ("sgd", "adam"):
            raise AttributeError(f"partial_fit is only available for stochastic optimizers. "
                                 f"{self.solver} is not stochastic.")


# --- public estimators -----------------------------------------------------------------------

class MLPClassifier(ClassifierMixin, _BaseMLP):
    """Multi-layer Perceptron classifier (scikit-learn's ``MLPClassifier``).

    Parameters
    ----------
    hidden_layer_sizes : array-like of shape (n_layers - 2,), default=(100,)
    activation : {"identity", "logistic", "tanh", "relu"}, default="relu"
    solver : {"lbfgs", "sgd", "adam"}, default="adam"
    alpha : float, default=0.0001
        L2 penalty ``0.5 * alpha * ||W||^2 / n_samples``.
    batch_size : int or "auto", default="auto"
        ``min(200, n_samples)`` for "auto".
    learning_rate : {"constant", "invscaling", "adaptive"}, default="constant"
        Schedule of the "sgd" solver ("invscaling" also with "adam").
    learning_rate_init : float, default=0.001
    power_t : float, default=0.5
    max_iter : int, default=200
        Epochs (iterations for "lbfgs").
    shuffle : bool, default=True
    random_state : int, RandomState or None, default=None
    tol : float, default=1e-4
    verbose : bool, default=False
    warm_start : bool, default=False
    momentum : float, default=0.9
    nesterovs_momentum : bool, default=True
    early_stopping : bool, default=False
        Hold out ``validation_fraction`` and stop when its accuracy stops improving.
    validation_fraction : float, default=0.1
    beta_1, beta_2, epsilon : float, default=0.9, 0.999, 1e-8
    n_iter_no_change : int, default=10
    max_fun : int, default=15000

    Attributes
    ----------
    classes_ : ndarray
    coefs_ : list of ndarray
    intercepts_ : list of ndarray
    loss_ : float
    loss_curve_ : list of float
    best_loss_ : float
    validation_scores_ : list of float or None
    best_validation_score_ : float or None
    n_iter_ : int
    t_ : int
    n_layers_ : int
    n_outputs_ : int
    out_activation_ : str
    n_features_in_ : int

    Examples
    --------
    >>> from learnflow.datasets import load_iris
    >>> from learnflow.neural_network import MLPClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = MLPClassifier(hidden_layer_sizes=(20,), learning_rate_init=0.01, max_iter=300,
    ...                     random_state=0).fit(X, y)
    >>> clf.score(X, y) > 0.95
    True
    """

    def _encode_targets(self, y, first):
        if first:
            if not hasattr(self, "_partial_classes"):
                self.classes_ = np.unique(y)
            self._multilabel = np.asarray(y).ndim == 2
        if self._multilabel:
            self.out_activation_ = "logistic"
            return np.asarray(y, dtype=np.float64)
        idx = np.searchsorted(self.classes_, y)
        if np.any(idx >= len(self.classes_)) or np.any(self.classes_[np.minimum(
                idx, len(self.classes_) - 1)] != y):
            raise ValueError(f"y contains labels not in classes {self.classes_}")
        if len(self.classes_) <= 2:
            self.out_activation_ = "logistic"
            return (idx == 1).astype(np.float64) if len(self.classes_) == 2 else np.zeros(len(y))
        self.out_activation_ = "softmax"
        return np.eye(len(self.classes_))[idx]

    def _validate_xy(self, X, y, reset):
        X, y = validate_data(self, X, y, reset=reset, multi_output=True)
        if is_torch(y):  # labels live on the CPU (classes_ is an ndarray)
            y = to_numpy(y)
        if np.asarray(y).ndim == 2 and np.asarray(y).shape[1] == 1:
            y = column_or_1d(y, warn=True)
        check_classification_targets(y)
        return X, y

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Fit the model to ``X`` and labels ``y``."""
        X, y = self._validate_xy(X, y, reset=True)
        self.__dict__.pop("_partial_classes", None)
        return self._fit(X, y)

    def partial_fit(self, X, y, classes=None):
        """One epoch of updates; ``classes`` is required on the first call."""
        self._check_partial_fit_solver()
        first = not hasattr(self, "coefs_")
        if first:
            self._validate_params()
            if classes is None:
                raise ValueError("classes must be passed on the first call to partial_fit.")
            self.classes_ = np.unique(classes)
            self._partial_classes = True
        X, y = self._validate_xy(X, y, reset=first)
        if first:
            self._encode_targets(y, True)
            X_t = to_tensor(X)
            self._rng = check_random_state(self.random_state)
            n_out = len(self.classes_) if len(self.classes_) > 2 else 1
            self._initialize(X_t.shape[1], n_out, X_t.dtype, X_t.device)
        return self._fit(X, y, incremental=True)

    def predict_proba(self, X):
        """Class probabilities, shape (n_samples, n_classes)."""
        out, X_in = self._raw_output(X)
        if self.out_activation_ == "softmax":
            proba = torch.softmax(out, dim=1)
        else:
            proba = torch.sigmoid(out)
            if not self._multilabel:
                proba = torch.cat([1 - proba, proba], dim=1)
                if len(self.classes_) == 1:
                    proba = proba[:, :1] * 0 + 1
        return to_output(proba, X_in)

    def predict_log_proba(self, X):
        return np.log(self.predict_proba(X))

    def predict(self, X):
        """Predicted labels (a 0/1 indicator matrix for multilabel targets)."""
        proba = to_numpy(self.predict_proba(X))
        if self._multilabel:
            return labels_to_output((proba > 0.5).astype(int), X)
        return labels_to_output(self.classes_[np.argmax(proba, axis=1)], X)

    def _validation_score(self, X_val, y_val):
        with torch.no_grad():
            out = _forward(self._params, X_val, self.activation)
        idx = to_numpy(out.argmax(1)) if out.shape[1] > 1 else (to_numpy(out[:, 0]) > 0) * 1
        return float(np.mean(self.classes_[idx] == y_val))


class MLPRegressor(MultiOutputMixin, RegressorMixin, _BaseMLP):
    """Multi-layer Perceptron regressor (scikit-learn's ``MLPRegressor``): half squared error,
    identity output.

    Parameters
    ----------
    Same as :class:`MLPClassifier`.

    Attributes
    ----------
    coefs_, intercepts_, loss_, loss_curve_, best_loss_, validation_scores_,
    best_validation_score_, n_iter_, t_, n_layers_, n_outputs_, out_activation_,
    n_features_in_

    Examples
    --------
    >>> import numpy as np
    >>> from learnflow.neural_network import MLPRegressor
    >>> X = np.linspace(-1, 1, 100).reshape(-1, 1)
    >>> reg = MLPRegressor(hidden_layer_sizes=(20,), solver="lbfgs", random_state=0)
    >>> reg.fit(X, X.ravel() ** 2).score(X, X.ravel() ** 2) > 0.95
    True
    """

    out_activation_ = "identity"

    def _encode_targets(self, y, first):
        if first:
            self._y_1d = np.asarray(y).ndim == 1
        return np.asarray(y, dtype=np.float64)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Fit the model to ``X`` and targets ``y``."""
        X, y = validate_data(self, X, y, multi_output=True, y_numeric=True)
        return self._fit(X, to_numpy(y) if torch.is_tensor(y) else y)

    def partial_fit(self, X, y):
        """One epoch of updates."""
        self._check_partial_fit_solver()
        first = not hasattr(self, "coefs_")
        if first:
            self._validate_params()
        X, y = validate_data(self, X, y, reset=first, multi_output=True, y_numeric=True)
        return self._fit(X, to_numpy(y) if torch.is_tensor(y) else y, incremental=True)

    def predict(self, X):
        """Predicted targets."""
        out, X_in = self._raw_output(X)
        if self._y_1d:
            out = out[:, 0]
        return to_output(out, X_in)

    def _validation_score(self, X_val, y_val):
        with torch.no_grad():
            pred = to_numpy(_forward(self._params, X_val, self.activation))
        y_val = np.asarray(y_val, dtype=np.float64).reshape(len(y_val), -1)
        ss_res = ((y_val - pred) ** 2).sum()
        ss_tot = ((y_val - y_val.mean(0)) ** 2).sum()
        return float(1 - ss_res / ss_tot) if ss_tot > 0 else 0.0
