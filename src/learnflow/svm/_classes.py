"""Support vector machines (Chapter 5): LinearSVC, LinearSVR, SVC and SVR.

LinearSVC and LinearSVR follow liblinear (dual coordinate descent, or a
primal Newton method for the squared losses, with a regularised intercept);
SVC and SVR follow libsvm (SMO with second-order working-set selection,
shrinking and a kernel cache; one-vs-one multiclass; Platt scaling).
"""

# SPDX-License-Identifier: BSD-3-Clause

import warnings
from numbers import Integral, Real

import numpy as np
import torch

from .._engine import check_random_state, is_torch, labels_to_output, one_torch_thread, to_numpy, to_output, to_tensor
from ..base import BaseEstimator, ClassifierMixin, RegressorMixin, _fit_context
from ..exceptions import ConvergenceWarning
from ..utils._available_if import available_if
from ..utils._param_validation import Interval, StrOptions
from ..utils.multiclass import check_classification_targets
from ..utils.validation import check_is_fitted, check_sample_weight, validate_data
from ._base import (
    BaseLibSVM,
    _class_weight,
    _convergence_warning,
    _fit_one_vs_one,
    _ovr_decision_function,
    _pairwise_proba,
    _platt_pair,
)
from ._libsvm import _solve_svr
from ._liblinear import (
    _solve_dual_cd_svc,
    _solve_dual_cd_svr,
    _solve_primal_newton,
    _squared_eps_parts,
    _squared_hinge_parts,
)

__all__ = ["LinearSVC", "LinearSVR", "SVC", "SVR"]


# ---------------------------------------------------------------------------
# liblinear-style helpers
# ---------------------------------------------------------------------------

# (loss, dual) -> supported; liblinear's solver table
_LINEAR_SVC_SOLVERS = {("hinge", True), ("squared_hinge", True), ("squared_hinge", False)}
_LINEAR_SVR_SOLVERS = {
    ("epsilon_insensitive", True),
    ("squared_epsilon_insensitive", True),
    ("squared_epsilon_insensitive", False),
}


def _resolve_dual(dual, loss, X, table, name):
    """dual="auto" picks the primal when n_samples >= n_features and the loss allows it."""
    if dual == "auto":
        prefer = X.shape[0] < X.shape[1]
        return prefer if (loss, prefer) in table else not prefer
    if (loss, dual) not in table:
        raise ValueError(
            f"Unsupported set of arguments: The combination of penalty='l2' and loss={loss!r} "
            f"are not supported when dual={dual}, Parameters: penalty='l2', loss={loss!r}, dual={dual} ({name})"
        )
    return dual


def _augment(X, fit_intercept, intercept_scaling):
    # x~ = [x, intercept_scaling]: liblinear's bias feature (regularised)
    if not fit_intercept:
        return X
    return np.hstack([X, np.full((X.shape[0], 1), float(intercept_scaling))])


def _split_intercept(w, fit_intercept, intercept_scaling):
    if fit_intercept:
        return w[..., :-1], intercept_scaling * w[..., -1]
    return w, np.zeros(w.shape[:-1]) if w.ndim > 1 else 0.0


def _linear_decision(est, X):
    check_is_fitted(est)
    X = validate_data(est, X, reset=False, dtype="numeric")
    Xt = to_tensor(X, device=X.device if is_torch(X) else None)
    coef = torch.as_tensor(est.coef_, dtype=Xt.dtype, device=Xt.device)
    intercept = torch.as_tensor(est.intercept_, dtype=Xt.dtype, device=Xt.device)
    return Xt @ coef.T + intercept, X


# ---------------------------------------------------------------------------
# LinearSVC / LinearSVR
# ---------------------------------------------------------------------------


class LinearSVC(ClassifierMixin, BaseEstimator):
    """Linear support vector classification (liblinear's algorithms).

    Minimises ``1/2 ||w~||^2 + C sum_i loss(y_i w~ . x~_i)`` where ``x~`` has an
    extra constant feature ``intercept_scaling`` whose weight (the intercept)
    is regularised too. Multiclass problems are solved one-vs-rest.

    Parameters
    ----------
    penalty : {"l2"}, default="l2"
    loss : {"hinge", "squared_hinge"}, default="squared_hinge"
    dual : "auto" or bool, default="auto"
        Solve the dual (coordinate descent) or the primal (Newton). "auto"
        picks the primal when n_samples >= n_features and the loss allows it.
    tol : float, default=1e-4
    C : float, default=1.0
    multi_class : {"ovr"}, default="ovr"
    fit_intercept : bool, default=True
    intercept_scaling : float, default=1.0
    class_weight : dict or "balanced", default=None
    verbose : int, default=0
    random_state : int, RandomState or None, default=None
        Order of the coordinates in dual coordinate descent.
    max_iter : int, default=1000

    Attributes
    ----------
    coef_ : ndarray of shape (1, n_features) or (n_classes, n_features)
    intercept_ : ndarray of shape (1,) or (n_classes,)
    classes_ : ndarray of shape (n_classes,)
    n_iter_ : int
    n_features_in_ : int

    Examples
    --------
    >>> from learnflow.svm import LinearSVC
    >>> clf = LinearSVC(random_state=0).fit([[0.0], [1.0], [3.0], [4.0]], [0, 0, 1, 1])
    >>> clf.predict([[0.5], [3.5]])
    array([0, 1])
    """

    _parameter_constraints = {
        "penalty": [StrOptions({"l2"})],
        "loss": [StrOptions({"hinge", "squared_hinge"})],
        "dual": ["boolean", StrOptions({"auto"})],
        "tol": [Interval(Real, 0.0, None, closed="neither")],
        "C": [Interval(Real, 0.0, None, closed="neither")],
        "multi_class": [StrOptions({"ovr"})],
        "fit_intercept": ["boolean"],
        "intercept_scaling": [Interval(Real, 0, None, closed="neither")],
        "class_weight": [None, dict, StrOptions({"balanced"})],
        "verbose": ["verbose"],
        "random_state": ["random_state"],
        "max_iter": [Interval(Integral, 0, None, closed="left")],
    }

    def __init__(self, penalty="l2", loss="squared_hinge", *, dual="auto", tol=1e-4, C=1.0, multi_class="ovr",
                 fit_intercept=True, intercept_scaling=1, class_weight=None, verbose=0, random_state=None,
                 max_iter=1000):
        self.penalty = penalty
        self.loss = loss
        self.dual = dual
        self.tol = tol
        self.C = C
        self.multi_class = multi_class
        self.fit_intercept = fit_intercept
        self.intercept_scaling = intercept_scaling
        self.class_weight = class_weight
        self.verbose = verbose
        self.random_state = random_state
        self.max_iter = max_iter

    @_fit_context()
    def fit(self, X, y, sample_weight=None):
        """Fit one binary linear SVM per class (one for two classes)."""
        X, y = validate_data(self, X, y, dtype="numeric")
        check_classification_targets(y)
        Xn, y = np.asarray(to_numpy(X), dtype=np.float64), to_numpy(y)
        self.classes_, y_enc = np.unique(y, return_inverse=True)
        if len(self.classes_) < 2:
            raise ValueError(
                "This solver needs samples of at least 2 classes in the data, but the data contains "
                f"only one class: {self.classes_[0]!r}"
            )
        weight = check_sample_weight(sample_weight, X)
        class_weight = _class_weight(self.class_weight, self.classes_, y_enc)
        dual = _resolve_dual(self.dual, self.loss, Xn, _LINEAR_SVC_SOLVERS, "LinearSVC")
        Xa = _augment(Xn, self.fit_intercept, self.intercept_scaling)
        # only coordinate descent draws coordinates (seeding a RandomState costs ~0.1 ms)
        rng = check_random_state(self.random_state) if dual else None
        classes = [1] if len(self.classes_) == 2 else range(len(self.classes_))
        signs = [np.where(y_enc == k, 1.0, -1.0) for k in classes]
        if len(self.classes_) == 2:
            Cs = [self.C * weight * class_weight[y_enc]]
        else:
            Cs = [self.C * weight * np.where(y_enc == k, class_weight[k], 1.0) for k in classes]
        # the liblinear solvers are small sequential numpy steps on the CPU
        if dual:
            squared = self.loss == "squared_hinge"
            solved = [_solve_dual_cd_svc(Xa, s, C, squared=squared, tol=self.tol, max_iter=self.max_iter, rng=rng)
                      for s, C in zip(signs, Cs)]
            ws, iters = [w for w, _ in solved], [n_iter for _, n_iter in solved]
        else:
            ws, iters = _solve_primal_newton(Xa, signs, Cs, parts=_squared_hinge_parts, tol=self.tol,
                                             max_iter=self.max_iter)
        self.coef_, self.intercept_ = _split_intercept(np.array(ws), self.fit_intercept, self.intercept_scaling)
        self.intercept_ = np.atleast_1d(np.asarray(self.intercept_, dtype=np.float64))
        self.n_iter_ = int(max(iters))
        if self.n_iter_ >= self.max_iter:
            warnings.warn("Liblinear failed to converge, increase the number of iterations.",
                          ConvergenceWarning, stacklevel=2)
        return self

    def decision_function(self, X):
        """Signed distance ``w . x + b`` to each class's hyperplane."""
        scores, X = _linear_decision(self, X)
        if scores.shape[1] == 1:
            scores = scores[:, 0]
        return to_output(scores, X)

    def predict(self, X):
        """Class of each sample: positive score (binary) or the largest score."""
        scores = to_numpy(self.decision_function(X))
        index = (scores > 0).astype(int) if scores.ndim == 1 else scores.argmax(axis=1)
        return labels_to_output(self.classes_[index], X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = False
        return tags


class LinearSVR(RegressorMixin, BaseEstimator):
    """Linear support vector regression (liblinear's algorithms).

    Minimises ``1/2 ||w~||^2 + C sum_i loss(|y_i - w~ . x~_i| - epsilon)``,
    with the epsilon-insensitive loss (dual coordinate descent) or its square
    (dual, or primal Newton).

    Parameters
    ----------
    epsilon : float, default=0.0
    tol : float, default=1e-4
    C : float, default=1.0
    loss : {"epsilon_insensitive", "squared_epsilon_insensitive"}, default="epsilon_insensitive"
    fit_intercept : bool, default=True
    intercept_scaling : float, default=1.0
    dual : "auto" or bool, default="auto"
    verbose : int, default=0
    random_state : int, RandomState or None, default=None
    max_iter : int, default=1000

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
    intercept_ : ndarray of shape (1,)
    n_iter_ : int
    n_features_in_ : int

    Examples
    --------
    >>> from learnflow.svm import LinearSVR
    >>> reg = LinearSVR(C=10, random_state=0).fit([[0.0], [1.0], [2.0]], [1.0, 3.0, 5.0])
    >>> reg.predict([[3.0]]).round(2)
    array([7.])
    """

    _parameter_constraints = {
        "epsilon": [Real],
        "tol": [Interval(Real, 0.0, None, closed="neither")],
        "C": [Interval(Real, 0.0, None, closed="neither")],
        "loss": [StrOptions({"epsilon_insensitive", "squared_epsilon_insensitive"})],
        "fit_intercept": ["boolean"],
        "intercept_scaling": [Interval(Real, 0, None, closed="neither")],
        "dual": ["boolean", StrOptions({"auto"})],
        "verbose": ["verbose"],
        "random_state": ["random_state"],
        "max_iter": [Interval(Integral, 0, None, closed="left")],
    }

    def __init__(self, *, epsilon=0.0, tol=1e-4, C=1.0, loss="epsilon_insensitive", fit_intercept=True,
                 intercept_scaling=1.0, dual="auto", verbose=0, random_state=None, max_iter=1000):
        self.epsilon = epsilon
        self.tol = tol
        self.C = C
        self.loss = loss
        self.fit_intercept = fit_intercept
        self.intercept_scaling = intercept_scaling
        self.dual = dual
        self.verbose = verbose
        self.random_state = random_state
        self.max_iter = max_iter

    @_fit_context()
    def fit(self, X, y, sample_weight=None):
        """Fit the linear epsilon-insensitive regression."""
        X, y = validate_data(self, X, y, dtype="numeric", y_numeric=True)
        Xn, z = np.asarray(to_numpy(X), dtype=np.float64), to_numpy(y).astype(np.float64)
        C = self.C * check_sample_weight(sample_weight, X)
        dual = _resolve_dual(self.dual, self.loss, Xn, _LINEAR_SVR_SOLVERS, "LinearSVR")
        Xa = _augment(Xn, self.fit_intercept, self.intercept_scaling)
        squared = self.loss == "squared_epsilon_insensitive"
        w, n_iter = self._solve(Xa, z, C, dual, squared)  # small sequential numpy steps on the CPU
        coef, intercept = _split_intercept(w, self.fit_intercept, self.intercept_scaling)
        self.coef_ = coef
        self.intercept_ = np.atleast_1d(np.asarray(intercept, dtype=np.float64))
        self.n_iter_ = int(n_iter)
        if self.n_iter_ >= self.max_iter:
            warnings.warn("Liblinear failed to converge, increase the number of iterations.",
                          ConvergenceWarning, stacklevel=2)
        return self

    def _solve(self, Xa, z, C, dual, squared):
        if dual:
            return _solve_dual_cd_svr(Xa, z, C, self.epsilon, squared=squared, tol=self.tol,
                                      max_iter=self.max_iter, rng=check_random_state(self.random_state))

        def parts(X_, z_, C_, w_):
            return _squared_eps_parts(X_, z_, C_, w_, self.epsilon)

        (w,), (n_iter,) = _solve_primal_newton(Xa, [z], [C], parts=parts, tol=self.tol, max_iter=self.max_iter)
        return w, n_iter

    def predict(self, X):
        """Predicted target ``w . x + b``."""
        scores, X = _linear_decision(self, X)
        return to_output(scores, X)


# ---------------------------------------------------------------------------
# SVC / SVR
# ---------------------------------------------------------------------------


def _check_proba(est):
    if not est.probability:
        raise AttributeError("predict_proba is not available when probability=False")
    return True


class SVC(ClassifierMixin, BaseLibSVM):
    """C-support vector classification with kernels (libsvm's algorithm).

    Solves the dual (Equation 5-6 with ``0 <= alpha_i <= C_i`` and
    ``sum_i alpha_i t_i = 0``) by SMO with second-order working-set
    selection; multiclass problems are solved one-vs-one.

    Parameters
    ----------
    C : float, default=1.0
    kernel : {"linear", "poly", "rbf", "sigmoid", "precomputed"} or callable, default="rbf"
    degree : int, default=3
    gamma : {"scale", "auto"} or float, default="scale"
        "scale" is ``1 / (n_features * X.var())``, "auto" ``1 / n_features``.
    coef0 : float, default=0.0
    shrinking : bool, default=True
    probability : bool, default=False
        Fit Platt sigmoids on 5-fold cross-validated decision values.
    tol : float, default=1e-3
    cache_size : float, default=200
        Kernel cache in megabytes.
    class_weight : dict or "balanced", default=None
    verbose : bool, default=False
    max_iter : int, default=-1
        No limit when -1.
    decision_function_shape : {"ovr", "ovo"}, default="ovr"
    break_ties : bool, default=False
    random_state : int, RandomState or None, default=None
        Seeds the cross-validation folds of ``probability=True``.

    Attributes
    ----------
    support_ : ndarray of shape (n_SV,)
    support_vectors_ : ndarray of shape (n_SV, n_features)
    n_support_ : ndarray of shape (n_classes,)
    dual_coef_ : ndarray of shape (n_classes - 1, n_SV)
    intercept_ : ndarray of shape (n_classes * (n_classes - 1) / 2,)
    coef_ : ndarray (linear kernel only)
    fit_status_ : int
    classes_ : ndarray of shape (n_classes,)
    class_weight_ : ndarray of shape (n_classes,)
    shape_fit_ : tuple
    n_iter_ : ndarray of shape (n_classes * (n_classes - 1) / 2,)
    probA_, probB_ : ndarray

    Examples
    --------
    >>> from learnflow.svm import SVC
    >>> X = [[1.9, 0.4], [3.0, 1.1], [1.4, 0.2], [4.5, 1.5]]
    >>> clf = SVC(kernel="linear", C=1e6).fit(X, [0, 1, 0, 1])
    >>> clf.support_
    array([0, 1], dtype=int32)
    >>> clf.predict([[1.5, 0.3], [4.0, 1.3]])
    array([0, 1])
    """

    _parameter_constraints = {
        **BaseLibSVM._parameter_constraints,
        "probability": ["boolean"],
        "class_weight": [StrOptions({"balanced"}), dict, None],
        "decision_function_shape": [StrOptions({"ovr", "ovo"})],
        "break_ties": ["boolean"],
        "random_state": ["random_state"],
    }
    _parameter_constraints.pop("epsilon")

    def __init__(self, *, C=1.0, kernel="rbf", degree=3, gamma="scale", coef0=0.0, shrinking=True,
                 probability=False, tol=1e-3, cache_size=200, class_weight=None, verbose=False, max_iter=-1,
                 decision_function_shape="ovr", break_ties=False, random_state=None):
        self.C = C
        self.kernel = kernel
        self.degree = degree
        self.gamma = gamma
        self.coef0 = coef0
        self.shrinking = shrinking
        self.probability = probability
        self.tol = tol
        self.cache_size = cache_size
        self.class_weight = class_weight
        self.verbose = verbose
        self.max_iter = max_iter
        self.decision_function_shape = decision_function_shape
        self.break_ties = break_ties
        self.random_state = random_state

    @_fit_context()
    def fit(self, X, y, sample_weight=None):
        """Solve the dual of every class pair and store libsvm's model."""
        if self.break_ties and self.decision_function_shape == "ovo":
            raise ValueError("break_ties must be False when decision_function_shape is 'ovo'")
        X, Xt, y = self._validate_X(X, reset=True, y=y)
        check_classification_targets(y)
        self.classes_, y_enc = np.unique(to_numpy(y), return_inverse=True)
        if len(self.classes_) < 2:
            raise ValueError(f"The number of classes has to be greater than one; got {len(self.classes_)} class")
        self.class_weight_ = _class_weight(self.class_weight, self.classes_, y_enc)
        C = self._sample_C(sample_weight, X, self.class_weight_[y_enc])
        self._gamma = self._resolve_gamma(Xt) if self.kernel != "precomputed" else 0.0
        with one_torch_thread(Xt.device):
            support, dual_coef, internal, rho, n_support, n_iter, status = _fit_one_vs_one(
                self, Xt, y_enc, C, len(self.classes_)
            )
            _convergence_warning(status, self.max_iter)
            self._store(Xt, support, dual_coef, internal, rho, n_support, n_iter, status)
            if self.probability:
                rng = check_random_state(self.random_state)
                k = len(self.classes_)
                fits = [_platt_pair(self, Xt, y_enc, C, i, j, rng) for i in range(k) for j in range(i + 1, k)]
                self.probA_ = np.array([a for a, _ in fits])
                self.probB_ = np.array([b for _, b in fits])
            else:
                self.probA_ = self.probB_ = np.empty(0)
        return self

    def _store(self, Xt, support, dual_coef, internal, rho, n_support, n_iter, status):
        binary = len(self.classes_) == 2
        self.support_ = support
        self.support_vectors_ = (
            np.empty((0, 0)) if self.kernel == "precomputed"
            else to_numpy(Xt[torch.as_tensor(support, dtype=torch.long, device=Xt.device)]).astype(np.float64)
        )
        self._n_support = n_support
        self._internal_coef, self._rho = internal, rho
        self.dual_coef_ = -dual_coef if binary else dual_coef
        self.intercept_ = rho if binary else -rho
        self.fit_status_ = int(status)
        self.n_iter_ = n_iter.astype(np.int32)
        self.shape_fit_ = tuple(Xt.shape)

    @property
    def coef_(self):
        """Primal weights (linear kernel only): one row per class pair."""
        if self.kernel != "linear":
            raise AttributeError("coef_ is only available when using a linear kernel")
        check_is_fitted(self, "support_")
        coef = self._internal_coef @ self.support_vectors_
        return -coef if len(self.classes_) == 2 else coef

    def _ovo_decision(self, X):
        check_is_fitted(self)
        dec, X = self._decision_values(X)
        return dec, X

    def decision_function(self, X):
        """Scores: binary ``f(x)``; multiclass one-vs-one values or libsvm's ovr transform of the votes."""
        dec, X = self._ovo_decision(X)
        if len(self.classes_) == 2:
            out = -dec[:, 0]
        elif self.decision_function_shape == "ovr":
            out = _ovr_decision_function(dec < 0, -dec, len(self.classes_))
        else:
            out = dec
        return to_output(torch.as_tensor(out), X)

    def predict(self, X):
        """Class of each sample by one-vs-one voting (or the largest ovr score with break_ties)."""
        dec, X = self._ovo_decision(X)
        k = len(self.classes_)
        if self.break_ties and self.decision_function_shape == "ovr" and k > 2:
            index = _ovr_decision_function(dec < 0, -dec, k).argmax(axis=1)
        else:
            votes = np.zeros((dec.shape[0], k), dtype=np.int64)
            column = 0
            for i in range(k):
                for j in range(i + 1, k):
                    winner = dec[:, column] > 0
                    votes[winner, i] += 1
                    votes[~winner, j] += 1
                    column += 1
            index = votes.argmax(axis=1)
        return labels_to_output(self.classes_[index], X)

    @available_if(_check_proba)
    def predict_proba(self, X):
        """Class probabilities: Platt sigmoids per pair, coupled for more than two classes."""
        dec, X = self._ovo_decision(X)
        proba = _pairwise_proba(dec, self.probA_, self.probB_, len(self.classes_))
        return to_output(torch.as_tensor(proba), X)

    @available_if(_check_proba)
    def predict_log_proba(self, X):
        """Logarithm of ``predict_proba``."""
        proba = self.predict_proba(X)
        return torch.log(proba) if is_torch(proba) else np.log(proba)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.pairwise = self.kernel == "precomputed"
        return tags


class SVR(RegressorMixin, BaseLibSVM):
    """Epsilon-support vector regression with kernels (libsvm's algorithm).

    Fits as many instances as possible inside a street of half-width
    ``epsilon`` (Chapter 5); the dual over ``alpha - alpha*`` is solved by SMO.

    Parameters
    ----------
    kernel : {"linear", "poly", "rbf", "sigmoid", "precomputed"} or callable, default="rbf"
    degree : int, default=3
    gamma : {"scale", "auto"} or float, default="scale"
    coef0 : float, default=0.0
    tol : float, default=1e-3
    C : float, default=1.0
    epsilon : float, default=0.1
    shrinking : bool, default=True
    cache_size : float, default=200
    verbose : bool, default=False
    max_iter : int, default=-1

    Attributes
    ----------
    support_, support_vectors_, n_support_, dual_coef_, intercept_, fit_status_, shape_fit_, n_iter_
        As in :class:`SVC` (one model).
    coef_ : ndarray of shape (1, n_features) (linear kernel only)

    Examples
    --------
    >>> from learnflow.svm import SVR
    >>> reg = SVR(kernel="linear", C=100, epsilon=0.1).fit([[0.0], [1.0], [2.0], [3.0]], [0.0, 1.0, 2.0, 3.0])
    >>> reg.predict([[4.0]]).round(1)
    array([3.8])
    """

    _parameter_constraints = dict(BaseLibSVM._parameter_constraints)

    def __init__(self, *, kernel="rbf", degree=3, gamma="scale", coef0=0.0, tol=1e-3, C=1.0, epsilon=0.1,
                 shrinking=True, cache_size=200, verbose=False, max_iter=-1):
        self.kernel = kernel
        self.degree = degree
        self.gamma = gamma
        self.coef0 = coef0
        self.tol = tol
        self.C = C
        self.epsilon = epsilon
        self.shrinking = shrinking
        self.cache_size = cache_size
        self.verbose = verbose
        self.max_iter = max_iter

    @_fit_context()
    def fit(self, X, y, sample_weight=None):
        """Solve the epsilon-SVR dual."""
        X, Xt, y = self._validate_X(X, reset=True, y=y, y_numeric=True)
        z = to_numpy(y).astype(np.float64)
        C = self._sample_C(sample_weight, X, 1.0)
        self._gamma = self._resolve_gamma(Xt) if self.kernel != "precomputed" else 0.0
        with one_torch_thread(Xt.device):
            rows = self._rows(Xt, torch.arange(Xt.shape[0], device=Xt.device), repeat=2,
                              full_kernel=self._full_kernel(Xt))
            coef, rho, n_iter, status = _solve_svr(
                rows, z, C, self.epsilon, tol=self.tol, max_iter=self.max_iter, shrinking=self.shrinking
            )
        _convergence_warning(status, self.max_iter)
        support = np.flatnonzero(coef).astype(np.int32)
        self.support_ = support
        self.support_vectors_ = (
            np.empty((0, 0)) if self.kernel == "precomputed"
            else to_numpy(Xt[torch.as_tensor(support, dtype=torch.long, device=Xt.device)]).astype(np.float64)
        )
        self._n_support = np.array([len(support)], dtype=np.int32)
        self.dual_coef_ = coef[support][None, :]
        self._internal_coef, self._rho = self.dual_coef_, np.array([rho])
        self.intercept_ = np.array([-rho])
        self.fit_status_ = int(status)
        self.n_iter_ = int(n_iter)
        self.shape_fit_ = tuple(Xt.shape)
        return self

    @property
    def coef_(self):
        """Primal weights (linear kernel only)."""
        if self.kernel != "linear":
            raise AttributeError("coef_ is only available when using a linear kernel")
        check_is_fitted(self, "support_")
        return self.dual_coef_ @ self.support_vectors_

    def predict(self, X):
        """Predicted target ``sum_i coef_i K(x_i, x) + b``."""
        check_is_fitted(self)
        dec, X = self._decision_values(X)
        return to_output(torch.as_tensor(dec[:, 0]), X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.pairwise = self.kernel == "precomputed"
        return tags
