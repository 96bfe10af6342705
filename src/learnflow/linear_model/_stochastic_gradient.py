"""Linear models trained by stochastic gradient descent: SGDClassifier, SGDRegressor.

The loop itself (sequential over samples, vectorized over the one-vs-rest
problems) is in ``_sgd_loop``; this module validates parameters and data,
prepares targets, weights, the early-stopping split, warm starts and
``partial_fit``, and stores scikit-learn's attributes.
"""

# SPDX-License-Identifier: BSD-3-Clause

import warnings
from numbers import Integral, Real

import numpy as np

from .._engine import check_random_state, is_torch, to_numpy, to_output, to_tensor
from ..base import BaseEstimator, RegressorMixin, _fit_context
from ..exceptions import ConvergenceWarning
from ..utils._param_validation import Interval, StrOptions
from ..utils.multiclass import check_classification_targets
from ..utils.validation import check_is_fitted, check_sample_weight, validate_data
from ._base import LinearClassifierMixin, LinearModel, _compute_class_weight, _decision_tensor
from ._sgd_loop import LOSS_FUNCTIONS, SGDSettings, SGDState, plain_sgd

__all__ = ["SGDClassifier", "SGDRegressor"]

MAX_INT = np.iinfo(np.int32).max
CLASSIFICATION_LOSSES = ("hinge", "log_loss", "modified_huber", "squared_hinge", "perceptron")
REGRESSION_LOSSES = ("squared_error", "huber", "epsilon_insensitive", "squared_epsilon_insensitive")


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


def _validation_split(n_samples, labels, fraction, random_state):
    """Indices (train, validation): a shuffle split, stratified on ``labels`` unless None."""
    rng = check_random_state(random_state)
    n_val = int(np.ceil(fraction * n_samples))
    if labels is not None:
        classes, encoded = np.unique(labels, return_inverse=True)
        shares = np.bincount(encoded) * n_val / n_samples
        counts = np.floor(shares).astype(int)
        extra = np.argsort(-(shares - counts), kind="stable")[: n_val - counts.sum()]
        counts[extra] += 1
        val = np.concatenate([rng.permutation(np.flatnonzero(encoded == c))[:k] for c, k in enumerate(counts)])
    else:
        val = rng.permutation(n_samples)[:n_val]
    mask = np.zeros(n_samples, dtype=bool)
    mask[val] = True
    if mask.all() or not mask.any():
        raise ValueError(
            f"Splitting {n_samples} samples into a train set and a validation set with "
            f"validation_fraction={fraction} led to an empty set ({(~mask).sum()} and {mask.sum()} samples). "
            "Please either change validation_fraction, increase number of samples, or disable early_stopping."
        )
    return np.flatnonzero(~mask), np.flatnonzero(mask)


def _accuracy_per_problem(X_val, Y_val, w_val):
    """Early-stopping score of K one-vs-rest problems: weighted accuracy of sign(score) vs {-1, 1}."""

    def score(coef, intercept, rows):
        predicted = np.where(X_val @ coef.T + intercept > 0, 1.0, -1.0)
        correct = (predicted == Y_val[:, rows]).astype(float)
        return (correct * w_val[:, None]).sum(axis=0) / w_val.sum()

    return score


def _r2_per_problem(X_val, Y_val, w_val):
    """Early-stopping score of a regressor: weighted R^2 on the validation set."""

    def score(coef, intercept, rows):
        residual = ((Y_val - (X_val @ coef.T + intercept)) ** 2 * w_val[:, None]).sum(axis=0)
        mean = (Y_val * w_val[:, None]).sum(axis=0) / w_val.sum()
        total = ((Y_val - mean) ** 2 * w_val[:, None]).sum(axis=0)
        return 1.0 - residual / np.where(total == 0, 1.0, total)

    return score


# ---------------------------------------------------------------------------
# Base class
# ---------------------------------------------------------------------------


class BaseSGD(BaseEstimator):
    """Parameters, settings and the fit driver shared by the SGD estimators."""

    _parameter_constraints = {
        "penalty": [StrOptions({"l2", "l1", "elasticnet"}), None],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "l1_ratio": [Interval(Real, 0, 1, closed="both"), None],
        "fit_intercept": ["boolean"],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, None, None, closed="neither"), None],
        "shuffle": ["boolean"],
        "verbose": ["verbose"],
        "epsilon": [Interval(Real, 0, None, closed="left")],
        "random_state": ["random_state"],
        "learning_rate": [StrOptions({"constant", "optimal", "invscaling", "adaptive"})],
        "eta0": [Interval(Real, 0, None, closed="left")],
        "power_t": [Interval(Real, None, None, closed="neither")],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
        "warm_start": ["boolean"],
        "average": [Interval(Integral, 0, None, closed="left"), "boolean"],
    }

    def __init__(
        self,
        loss,
        *,
        penalty,
        alpha,
        l1_ratio,
        fit_intercept,
        max_iter,
        tol,
        shuffle,
        verbose,
        epsilon,
        random_state,
        learning_rate,
        eta0,
        power_t,
        early_stopping,
        validation_fraction,
        n_iter_no_change,
        warm_start,
        average,
    ):
        self.loss = loss
        self.penalty = penalty
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.shuffle = shuffle
        self.verbose = verbose
        self.epsilon = epsilon
        self.random_state = random_state
        self.learning_rate = learning_rate
        self.eta0 = eta0
        self.power_t = power_t
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.warm_start = warm_start
        self.average = average

    def _check_settings(self, for_partial_fit=False):
        if self.learning_rate != "optimal" and self.eta0 <= 0.0:
            raise ValueError("eta0 must be > 0")
        if self.learning_rate == "optimal" and self.alpha == 0:
            raise ValueError(
                "alpha must be > 0 since learning_rate is 'optimal'. alpha is used to compute the "
                "optimal learning rate."
            )
        if for_partial_fit and self.early_stopping:
            raise ValueError("early_stopping should be False with partial_fit")

    def _settings(self, max_iter, tol):
        penalty = "none" if self.penalty is None else self.penalty
        return SGDSettings(
            loss=LOSS_FUNCTIONS[self.loss](self.epsilon),
            penalty=penalty,
            alpha=float(self.alpha),
            l1_ratio=float(self.l1_ratio if self.l1_ratio is not None else 0.15),
            learning_rate=self.learning_rate,
            eta0=float(self.eta0),
            power_t=float(self.power_t),
            fit_intercept=bool(self.fit_intercept),
            max_iter=int(max_iter),
            tol=-np.inf if tol is None else float(tol),
            n_iter_no_change=int(self.n_iter_no_change),
            shuffle=bool(self.shuffle),
            average=int(self.average),
        )

    def _initial_state(self, n_problems, n_features, coef_init, intercept_init):
        coef = np.zeros((n_problems, n_features)) if coef_init is None else np.array(coef_init, dtype=np.float64)
        intercept = np.zeros(n_problems) if intercept_init is None else np.array(intercept_init, dtype=np.float64)
        coef, intercept = coef.reshape(n_problems, n_features), intercept.reshape(n_problems)
        average = getattr(self, "_average_coef", None)
        average_b = getattr(self, "_average_intercept", None)
        if average is None or average.shape != coef.shape:
            average, average_b = np.zeros_like(coef), np.zeros(n_problems)
        return SGDState(coef, intercept, average.copy(), average_b.copy(), t=self.t_)

    def _fit(self, X, y, coef_init, intercept_init, sample_weight):
        """``fit``: up to ``max_iter`` epochs from ``coef_init`` (or the previous fit with ``warm_start``)."""
        self._check_settings()
        if self.warm_start and hasattr(self, "coef_"):
            coef_init = self.coef_ if coef_init is None else coef_init
            intercept_init = self.intercept_ if intercept_init is None else intercept_init
        else:
            self._average_coef = self._average_intercept = None
        self.t_ = 1.0
        self._fit_data(X, y, sample_weight, self.max_iter, self.tol, coef_init, intercept_init, reset=True)
        self._warn_if_not_converged(self.max_iter)
        return self

    def _start_partial_fit(self):
        """Checks and counters of a first ``partial_fit`` call."""
        self._validate_params()
        self._check_settings(for_partial_fit=True)
        self.t_ = 1.0
        self._average_coef = self._average_intercept = None

    def _partial_fit(self, X, y, sample_weight, first, **data_kw):
        """``partial_fit``: one epoch, continuing from the previous call's (non-averaged) weights."""
        coef = None if first else self._standard_coef
        intercept = None if first else self._standard_intercept
        self._fit_data(X, y, sample_weight, 1, None, coef, intercept, reset=first, **data_kw)
        return self

    def _run(self, X, Y, weights, validation_weight, coef_init, intercept_init, max_iter, tol, stratify_on):
        """The loop over epochs with the early-stopping split; stores the coefficients.

        ``weights`` (n_samples, K) weigh the steps of each problem;
        ``validation_weight`` (n_samples,) the early-stopping score.
        """
        state = self._initial_state(Y.shape[1], X.shape[1], coef_init, intercept_init)
        train_idx, score = np.arange(len(X)), None
        if self.early_stopping and max_iter > 0:
            train_idx, val_idx = _validation_split(len(X), stratify_on, self.validation_fraction, self.random_state)
            if not weights[val_idx].any():
                raise ValueError(
                    "The sample weights for validation set are all zero, consider using a different random state."
                )
            make = _accuracy_per_problem if stratify_on is not None else _r2_per_problem
            score = make(X[val_idx], Y[val_idx], validation_weight[val_idx])
        rng = np.random.RandomState(check_random_state(self.random_state).randint(MAX_INT))
        n_iter = plain_sgd(state, self._settings(max_iter, tol), X, Y, weights, train_idx, rng, score)
        self.n_iter_ = int(n_iter.max())
        self.t_ = self.t_ + self.n_iter_ * X.shape[0]
        self._standard_coef, self._standard_intercept = state.coef, state.intercept
        self._average_coef, self._average_intercept = state.average_coef, state.average_intercept
        use_average = self.average and self.average <= self.t_ - 1
        self.coef_ = state.average_coef.copy() if use_average else state.coef.copy()
        self.intercept_ = state.average_intercept.copy() if use_average else state.intercept.copy()

    def _is_classifier_loss(self):
        return self.loss in CLASSIFICATION_LOSSES

    def _warn_if_not_converged(self, max_iter):
        if self.tol is not None and self.tol > -np.inf and self.n_iter_ == max_iter:
            warnings.warn(
                "Maximum number of iteration reached before convergence. Consider increasing max_iter to "
                "improve the fit.",
                ConvergenceWarning,
                stacklevel=3,
            )


_COMMON_DOC = """
    penalty : {"l2", "l1", "elasticnet", None}, default="l2"
    alpha : float, default=0.0001
        Regularization strength; also sets the "optimal" learning rate.
    l1_ratio : float in [0, 1], default=0.15
        The elastic-net mix (only with penalty="elasticnet").
    fit_intercept : bool, default=True
    max_iter : int, default=1000
        Maximum number of epochs.
    tol : float or None, default=1e-3
        Stop when the epoch objective (or validation score) has not improved
        by ``tol`` for ``n_iter_no_change`` epochs; None never stops early.
    shuffle : bool, default=True
        Shuffle the training samples every epoch.
    verbose : int, default=0
    epsilon : float, default=0.1
        Width of the "huber" and "epsilon_insensitive" losses.
    random_state : int, RandomState or None
        Seeds the shuffling and the early-stopping split.
    eta0 : float, default=0.01
        Initial learning rate of "constant", "invscaling" and "adaptive".
    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the data and stop on its score.
    validation_fraction : float, default=0.1
    n_iter_no_change : int, default=5
    warm_start : bool, default=False
        Start from the previous solution.
    average : bool or int, default=False
        Average the weights from step ``average`` on (True means 1).
"""


class SGDClassifier(LinearClassifierMixin, BaseSGD):
    """Linear classifiers (SVM, logistic regression, ...) trained by stochastic gradient descent.

    The gradient of the loss is estimated one sample at a time and the weights
    are updated with a decreasing learning rate. Multiclass problems are
    solved one-versus-rest (the book's OvA), the K binary problems trained
    together, sample by sample.

    Parameters
    ----------
    loss : {"hinge", "log_loss", "modified_huber", "squared_hinge", "perceptron", \
"squared_error", "huber", "epsilon_insensitive", "squared_epsilon_insensitive"}, default="hinge"
    learning_rate : {"constant", "optimal", "invscaling", "adaptive"}, default="optimal"
        "optimal" is ``1 / (alpha * (t0 + t))`` with Bottou's heuristic t0;
        "invscaling" is ``eta0 / t ** power_t``; "adaptive" divides eta0 by 5
        each time ``n_iter_no_change`` epochs fail to improve.
    power_t : float, default=0.5
    n_jobs : int, default=None
        Kept for scikit-learn compatibility (the OvR problems are vectorized).
    class_weight : dict or "balanced", default=None
    """ + _COMMON_DOC + """
    Attributes
    ----------
    coef_ : ndarray of shape (1, n_features) or (n_classes, n_features)
    intercept_ : ndarray of shape (1,) or (n_classes,)
    n_iter_ : int
        Epochs run (the largest over the one-vs-rest problems).
    t_ : float
        Number of weight updates plus one.
    classes_ : ndarray of shape (n_classes,)
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from learnflow.linear_model import SGDClassifier
    >>> X = np.array([[-1.0, -1.0], [-2.0, -1.0], [1.0, 1.0], [2.0, 1.0]])
    >>> clf = SGDClassifier(random_state=42).fit(X, [1, 1, 2, 2])
    >>> clf.predict([[-0.8, -1.0], [1.5, 0.5]])
    array([1, 2])
    """

    _parameter_constraints = {
        **BaseSGD._parameter_constraints,
        "loss": [StrOptions(set(CLASSIFICATION_LOSSES + REGRESSION_LOSSES))],
        "n_jobs": [Integral, None],
        "class_weight": [StrOptions({"balanced"}), dict, None],
    }

    def __init__(
        self,
        loss="hinge",
        *,
        penalty="l2",
        alpha=0.0001,
        l1_ratio=0.15,
        fit_intercept=True,
        max_iter=1000,
        tol=1e-3,
        shuffle=True,
        verbose=0,
        epsilon=0.1,
        n_jobs=None,
        random_state=None,
        learning_rate="optimal",
        eta0=0.01,
        power_t=0.5,
        early_stopping=False,
        validation_fraction=0.1,
        n_iter_no_change=5,
        class_weight=None,
        warm_start=False,
        average=False,
    ):
        super().__init__(
            loss=loss,
            penalty=penalty,
            alpha=alpha,
            l1_ratio=l1_ratio,
            fit_intercept=fit_intercept,
            max_iter=max_iter,
            tol=tol,
            shuffle=shuffle,
            verbose=verbose,
            epsilon=epsilon,
            random_state=random_state,
            learning_rate=learning_rate,
            eta0=eta0,
            power_t=power_t,
            early_stopping=early_stopping,
            validation_fraction=validation_fraction,
            n_iter_no_change=n_iter_no_change,
            warm_start=warm_start,
            average=average,
        )
        self.n_jobs = n_jobs
        self.class_weight = class_weight

    @_fit_context()
    def fit(self, X, y, coef_init=None, intercept_init=None, sample_weight=None):
        """Fit by stochastic gradient descent for up to ``max_iter`` epochs.

        Parameters
        ----------
        X : array-like or tensor of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        coef_init : ndarray of shape (n_classes, n_features), default=None
        intercept_init : ndarray of shape (n_classes,), default=None
        sample_weight : array-like of shape (n_samples,), default=None

        Returns
        -------
        self : SGDClassifier
        """
        if hasattr(self, "classes_"):
            del self.classes_
        return self._fit(X, y, coef_init, intercept_init, sample_weight)

    def partial_fit(self, X, y, classes=None, sample_weight=None):
        """One epoch of SGD on the given samples (``classes`` is required on the first call).

        Returns
        -------
        self : SGDClassifier
        """
        first = not hasattr(self, "classes_")
        if first:
            self._start_partial_fit()
            if classes is None:
                raise ValueError("classes must be passed on the first call to partial_fit.")
        elif classes is not None and not np.array_equal(np.unique(to_numpy(classes)), self.classes_):
            raise ValueError(f"`classes={classes!r}` is not the same as on last call to partial_fit, was: {self.classes_!r}")
        return self._partial_fit(X, y, sample_weight, first, classes=classes)

    def _fit_data(self, X, y, sample_weight, max_iter, tol, coef_init, intercept_init, reset, classes=None):
        X, y = validate_data(self, X, y, reset=reset)
        X_np = np.ascontiguousarray(to_numpy(X), dtype=np.float64)
        y = to_numpy(y)
        check_classification_targets(y)
        if reset:
            self.classes_ = np.unique(to_numpy(classes)) if classes is not None else np.unique(y)
        if len(self.classes_) < 2 and reset:
            raise ValueError(
                "The number of classes has to be greater than one; got 1 class"
            )
        unknown = np.setdiff1d(y, self.classes_)
        if len(unknown):
            raise ValueError(f"y contains labels not in classes_: {unknown}")
        encoded = np.searchsorted(self.classes_, y)
        weight = check_sample_weight(sample_weight, X_np)
        class_weight = _compute_class_weight(self.class_weight, self.classes_, encoded)
        if len(self.classes_) == 2:
            Y = np.where(encoded == 1, 1.0, -1.0)[:, None]
            weights = (class_weight[encoded] * weight)[:, None]
        else:
            Y = np.where(encoded[:, None] == np.arange(len(self.classes_)), 1.0, -1.0)
            weights = np.where(Y > 0, class_weight[None, :], 1.0) * weight[:, None]
        self._run(X_np, Y, weights, weight, coef_init, intercept_init, max_iter, tol, y)

    @property
    def predict_proba(self):
        """Class probabilities (loss="log_loss" or "modified_huber" only).

        For log loss the one-vs-rest sigmoids are normalized; for modified
        Huber, ``(clip(score, -1, 1) + 1) / 2`` normalized.
        """
        if self.loss not in ("log_loss", "modified_huber"):
            raise AttributeError(f"probability estimates are not available for loss={self.loss!r}")
        return self._predict_proba

    @property
    def predict_log_proba(self):
        """Logarithm of ``predict_proba`` (loss="log_loss" or "modified_huber" only)."""
        if self.loss not in ("log_loss", "modified_huber"):
            raise AttributeError(f"probability estimates are not available for loss={self.loss!r}")
        return lambda X: np.log(self._predict_proba(X)) if not is_torch(X) else self._predict_proba(X).log()

    def _predict_proba(self, X):
        check_is_fitted(self)
        if self.loss == "log_loss":
            proba = self._predict_proba_lr(X)
        else:
            scores = to_numpy(self.decision_function(X))
            if scores.ndim == 1:
                positive = (np.clip(scores, -1, 1) + 1.0) / 2.0
                proba = np.column_stack([1.0 - positive, positive])
            else:
                proba = (np.clip(scores, -1, 1) + 1.0) / 2.0
                total = proba.sum(axis=1)
                zero = total == 0
                proba[zero], total[zero] = 1.0, len(self.classes_)
                proba = proba / total[:, None]
        return to_output(to_tensor(proba, device=X.device), X) if is_torch(X) else proba

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = False
        return tags


class SGDRegressor(RegressorMixin, BaseSGD, LinearModel):
    """Linear regression trained by stochastic gradient descent (the book's ``SGDRegressor``).

    Parameters
    ----------
    loss : {"squared_error", "huber", "epsilon_insensitive", "squared_epsilon_insensitive"}, \
default="squared_error"
    learning_rate : {"constant", "optimal", "invscaling", "adaptive"}, default="invscaling"
    power_t : float, default=0.25
    """ + _COMMON_DOC + """
    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
    intercept_ : ndarray of shape (1,)
    n_iter_ : int
    t_ : float
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from learnflow.linear_model import SGDRegressor
    >>> rng = np.random.RandomState(0)
    >>> X = rng.rand(200, 1)
    >>> reg = SGDRegressor(penalty=None, eta0=0.1, random_state=0).fit(X, 4 + 3 * X.ravel())
    >>> np.round(reg.predict([[0.0], [1.0]]), 1)
    array([4., 7.])
    """

    _parameter_constraints = {
        **BaseSGD._parameter_constraints,
        "loss": [StrOptions(set(REGRESSION_LOSSES))],
    }

    def __init__(
        self,
        loss="squared_error",
        *,
        penalty="l2",
        alpha=0.0001,
        l1_ratio=0.15,
        fit_intercept=True,
        max_iter=1000,
        tol=1e-3,
        shuffle=True,
        verbose=0,
        epsilon=0.1,
        random_state=None,
        learning_rate="invscaling",
        eta0=0.01,
        power_t=0.25,
        early_stopping=False,
        validation_fraction=0.1,
        n_iter_no_change=5,
        warm_start=False,
        average=False,
    ):
        super().__init__(
            loss=loss,
            penalty=penalty,
            alpha=alpha,
            l1_ratio=l1_ratio,
            fit_intercept=fit_intercept,
            max_iter=max_iter,
            tol=tol,
            shuffle=shuffle,
            verbose=verbose,
            epsilon=epsilon,
            random_state=random_state,
            learning_rate=learning_rate,
            eta0=eta0,
            power_t=power_t,
            early_stopping=early_stopping,
            validation_fraction=validation_fraction,
            n_iter_no_change=n_iter_no_change,
            warm_start=warm_start,
            average=average,
        )

    @_fit_context()
    def fit(self, X, y, coef_init=None, intercept_init=None, sample_weight=None):
        """Fit by stochastic gradient descent for up to ``max_iter`` epochs.

        Returns
        -------
        self : SGDRegressor
        """
        return self._fit(X, y, coef_init, intercept_init, sample_weight)

    def partial_fit(self, X, y, sample_weight=None):
        """One epoch of SGD on the given samples.

        Returns
        -------
        self : SGDRegressor
        """
        first = not hasattr(self, "coef_")
        if first:
            self._start_partial_fit()
        return self._partial_fit(X, y, sample_weight, first)

    def _fit_data(self, X, y, sample_weight, max_iter, tol, coef_init, intercept_init, reset):
        X, y = validate_data(self, X, y, reset=reset, y_numeric=True)
        X_np = np.ascontiguousarray(to_numpy(X), dtype=np.float64)
        Y = np.asarray(to_numpy(y), dtype=np.float64).reshape(-1, 1)
        weight = check_sample_weight(sample_weight, X_np)
        self._run(X_np, Y, weight[:, None], weight, coef_init, intercept_init, max_iter, tol, None)
        self.coef_ = self.coef_.reshape(-1)
        self.intercept_ = self.intercept_.reshape(1)

    def predict(self, X):
        """Predicted values ``X @ coef_ + intercept_``."""
        X, Xt = self._validate_for_predict(X)
        return to_output(_decision_tensor(Xt, self.coef_, self.intercept_), X)
