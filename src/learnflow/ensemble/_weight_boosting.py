"""AdaBoost (Chapter 7): SAMME for classification, AdaBoost.R2 for regression.

Each round fits a member on reweighted data (Equations 7-1 to 7-3): SAMME gives
the member the weight ``learning_rate * (log((1 - r) / r) + log(K - 1))`` and
multiplies the misclassified samples' weights by its exponential; AdaBoost.R2
fits on a weighted bootstrap resample and weights by ``log(1 / beta)``.
Predictions are the weighted vote (Equation 7-4) or the weighted median.
"""

# SPDX-License-Identifier: BSD-3-Clause

import warnings
from numbers import Integral, Real

import numpy as np
import torch

from .._engine import check_random_state
from ..base import ClassifierMixin, RegressorMixin, _fit_context, is_regressor
from ..tree._splitter import value_codes
from ..utils._param_validation import HasMethods, Interval, StrOptions
from ..utils.multiclass import check_classification_targets
from ..utils.validation import check_is_fitted, check_sample_weight, column_or_1d, validate_data
from ._base import BaseEnsemble, _as_numpy, _fit_member, _follow_input, _tree_input

__all__ = ["AdaBoostClassifier", "AdaBoostRegressor"]


def _samme_weight(error, n_classes, learning_rate):
    # alpha = eta * (log((1 - r) / r) + log(K - 1))   (Zhu et al., multi-class SAMME)
    return learning_rate * (np.log((1.0 - error) / error) + np.log(n_classes - 1.0))


def _r2_losses(error, loss):
    """AdaBoost.R2 per-sample losses in [0, 1] from absolute errors."""
    error_max = error.max()
    if error_max != 0:
        error = error / error_max
    if loss == "square":
        return error**2
    if loss == "exponential":
        return 1.0 - np.exp(-error)
    return error


def _predict_member(estimator, X, X32):
    """``estimator.predict(X)`` as numpy; a learnflow tree reads its leaf values at ``X32``'s leaves."""
    if X32 is None:
        return _as_numpy(estimator.predict(X))
    value = estimator.tree_.value[:, 0]
    leaves = estimator.tree_.apply_numpy(X32.numpy())
    if is_regressor(estimator):
        return value[:, 0][leaves]
    return estimator.classes_.take(np.argmax(value, axis=1), axis=0)[leaves]


def _softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


class BaseWeightBoosting(BaseEnsemble):
    """The boosting loop shared by AdaBoostClassifier and AdaBoostRegressor."""

    _parameter_constraints = {
        "estimator": [HasMethods(["fit", "predict"]), None],
        "n_estimators": [Interval(Integral, 1, None, closed="left")],
        "learning_rate": [Interval(Real, 0, None, closed="neither")],
        "random_state": ["random_state"],
    }

    @_fit_context()
    def fit(self, X, y, sample_weight=None):
        """Boost ``n_estimators`` members (fewer if a member is perfect or no better than chance)."""
        X, y = validate_data(self, X, y, dtype=None, y_numeric=is_regressor(self))
        X, y = _as_numpy(X), column_or_1d(_as_numpy(y), warn=True)
        sample_weight = check_sample_weight(sample_weight, X, dtype=np.float64, ensure_non_negative=True).copy()
        sample_weight /= sample_weight.sum()
        self._validate_estimator()
        self._check_targets(y)
        X32 = _tree_input(self.estimator_, X)
        self.estimators_ = []
        self.estimator_weights_ = np.zeros(self.n_estimators, dtype=np.float64)
        self.estimator_errors_ = np.ones(self.n_estimators, dtype=np.float64)
        self._root_sort = {}  # the trees' sort of X32's features, shared by the rounds that grow on X32
        try:
            self._boost_rounds(X, X32, y, sample_weight)
        finally:
            del self._root_sort
        return self

    def _boost_rounds(self, X, X32, y, sample_weight):
        rng = check_random_state(self.random_state)
        epsilon = np.finfo(np.float64).eps
        zero_weight = sample_weight == 0.0
        for iboost in range(self.n_estimators):
            sample_weight = np.clip(sample_weight, epsilon, None)
            sample_weight[zero_weight] = 0.0
            sample_weight, weight, error = self._boost(iboost, X, X32, y, sample_weight, rng)
            if sample_weight is None:
                break
            self.estimator_weights_[iboost], self.estimator_errors_[iboost] = weight, error
            if error == 0:
                break
            total = np.sum(sample_weight)
            if not np.isfinite(total):
                warnings.warn(
                    f"Sample weights have reached infinite values, at iteration {iboost}, causing overflow. "
                    "Iterations stopped. Try lowering the learning rate.", stacklevel=2,
                )
                break
            if total <= 0:
                break
            if iboost < self.n_estimators - 1:
                sample_weight /= total

    def _check_X(self, X):
        check_is_fitted(self)
        return _as_numpy(validate_data(self, X, reset=False, dtype=None))

    @property
    def feature_importances_(self):
        """Members' feature importances averaged with the estimator weights."""
        check_is_fitted(self)
        try:
            total = self.estimator_weights_.sum()
            return sum(w * est.feature_importances_ for est, w in zip(self.estimators_, self.estimator_weights_)) / total
        except AttributeError as exc:
            raise AttributeError(
                "Unable to compute feature importances since estimator does not have a feature_importances_ attribute"
            ) from exc


class AdaBoostClassifier(ClassifierMixin, BaseWeightBoosting):
    """AdaBoost classifier with the multi-class SAMME algorithm.

    Parameters
    ----------
    estimator : estimator, default=None
        Must accept ``sample_weight``; a depth-1 DecisionTreeClassifier (a stump) if None.
    n_estimators : int, default=50
        Maximum number of members.
    learning_rate : float, default=1.0
        Shrinks each member's weight (η in Equation 7-2).
    random_state : int, RandomState or None, default=None
        Seeds the members' ``random_state``.

    Attributes
    ----------
    estimator_ : estimator
    estimators_ : list of fitted members
    classes_ : ndarray of shape (n_classes,)
    n_classes_ : int
    estimator_weights_ : ndarray of shape (n_estimators,)
    estimator_errors_ : ndarray of shape (n_estimators,)
    feature_importances_ : ndarray of shape (n_features,)
    n_features_in_ : int

    Examples
    --------
    >>> from learnflow.ensemble import AdaBoostClassifier
    >>> X, y = [[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1]
    >>> ada = AdaBoostClassifier(n_estimators=5, random_state=0).fit(X, y)
    >>> ada.predict([[0.5], [2.5]])
    array([0, 1])
    """

    def __init__(self, estimator=None, *, n_estimators=50, learning_rate=1.0, random_state=None):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.random_state = random_state

    def _default_estimator(self):
        from ..tree import DecisionTreeClassifier

        return DecisionTreeClassifier(max_depth=1)

    def _check_targets(self, y):
        check_classification_targets(y)
        if not hasattr(self.estimator_, "fit") or "sample_weight" not in _fit_args(self.estimator_):
            raise ValueError(f"{type(self.estimator_).__name__} doesn't support sample_weight.")

    def _boost(self, iboost, X, X32, y, sample_weight, rng):
        estimator = self._make_estimator(random_state=rng)
        _fit_member(estimator, X, X32, y, sample_weight, self._root_sort)
        y_predict = _predict_member(estimator, X, X32)
        if iboost == 0:
            self.classes_ = getattr(estimator, "classes_", None)
            self.n_classes_ = len(self.classes_)
        incorrect = y_predict != y
        error = np.mean(np.average(incorrect, weights=sample_weight, axis=0))
        if error <= 0:
            return sample_weight, 1.0, 0.0
        if error >= 1.0 - 1.0 / self.n_classes_:
            self.estimators_.pop(-1)
            if not self.estimators_:
                raise ValueError(
                    "BaseClassifier in AdaBoostClassifier ensemble is worse than random, ensemble can not be fit."
                )
            return None, None, None
        weight = _samme_weight(error, self.n_classes_, self.learning_rate)
        if iboost != self.n_estimators - 1:
            sample_weight = np.exp(np.log(sample_weight) + weight * incorrect * (sample_weight > 0))
        return sample_weight, weight, error

    def _votes(self, estimator, weight, X, X32=None):
        """A member's SAMME vote: +w for its class, -w/(K-1) for the others."""
        hits = (_predict_member(estimator, X, X32) == self.classes_[:, None]).T
        return np.where(hits, weight, -1.0 / (self.n_classes_ - 1) * weight)

    def _finish_decision(self, pred, norm):
        pred = pred / norm
        if self.n_classes_ == 2:
            pred[:, 0] *= -1
            return pred.sum(axis=1)
        return pred

    def decision_function(self, X):
        """The weighted SAMME votes, normalised (1-D for two classes)."""
        X_checked = self._check_X(X)
        if self.n_classes_ == 1:
            return np.zeros((X_checked.shape[0], 1))
        X32 = _tree_input(self.estimator_, X_checked)
        pred = sum(self._votes(est, w, X_checked, X32) for est, w in zip(self.estimators_, self.estimator_weights_))
        return _follow_input(self._finish_decision(pred, self.estimator_weights_.sum()), X)

    def staged_decision_function(self, X):
        """The decision function after each boosting round."""
        X_checked = self._check_X(X)
        X32 = _tree_input(self.estimator_, X_checked)
        pred, norm = None, 0.0
        for est, w in zip(self.estimators_, self.estimator_weights_):
            norm += w
            votes = self._votes(est, w, X_checked, X32)
            pred = votes if pred is None else pred + votes
            yield _follow_input(self._finish_decision(pred.copy(), norm), X)

    def _decision_to_label(self, decision):
        if self.n_classes_ == 2:
            return self.classes_.take((decision > 0).astype(np.int64), axis=0)
        return self.classes_.take(np.argmax(decision, axis=1), axis=0)

    def predict(self, X):
        """The class with the largest weighted vote (Equation 7-4)."""
        check_is_fitted(self)
        if self.n_classes_ == 1:
            return _follow_input(self.classes_.take(np.zeros(len(self._check_X(X)), dtype=int)), X)
        return _follow_input(self._decision_to_label(_as_numpy(self.decision_function(_as_numpy_X(self, X)))), X)

    def staged_predict(self, X):
        """The prediction after each boosting round."""
        for decision in self.staged_decision_function(_as_numpy_X(self, X)):
            yield _follow_input(self._decision_to_label(decision), X)

    def _proba(self, decision):
        # p(y = c | x) = softmax(f(x) / (K - 1))   (Zhu et al., eq. 15)
        if self.n_classes_ == 2:
            decision = np.vstack([-decision, decision]).T / 2
        else:
            decision = decision / (self.n_classes_ - 1)
        return _softmax(decision)

    def predict_proba(self, X):
        """Class probabilities from the decision function (a softmax)."""
        check_is_fitted(self)
        if self.n_classes_ == 1:
            return _follow_input(np.ones((len(self._check_X(X)), 1)), X)
        return _follow_input(self._proba(_as_numpy(self.decision_function(_as_numpy_X(self, X)))), X)

    def staged_predict_proba(self, X):
        """Class probabilities after each boosting round."""
        for decision in self.staged_decision_function(_as_numpy_X(self, X)):
            yield _follow_input(self._proba(decision), X)

    def predict_log_proba(self, X):
        """Logarithm of ``predict_proba``."""
        with np.errstate(divide="ignore"):
            return _follow_input(np.log(_as_numpy(self.predict_proba(_as_numpy_X(self, X)))), X)


def _as_numpy_X(estimator, X):
    """Torch X as numpy (the public method converts the result back)."""
    from .._engine import is_torch

    return _as_numpy(X) if is_torch(X) else X


def _fit_args(estimator):
    import inspect

    return inspect.signature(estimator.fit).parameters


class AdaBoostRegressor(RegressorMixin, BaseWeightBoosting):
    """AdaBoost.R2 regressor: members fit on weighted resamples; weighted-median prediction.

    Parameters
    ----------
    estimator : estimator, default=None
        A depth-3 DecisionTreeRegressor if None.
    n_estimators : int, default=50
    learning_rate : float, default=1.0
    loss : {"linear", "square", "exponential"}, default="linear"
        How an absolute error becomes a loss in [0, 1].
    random_state : int, RandomState or None, default=None
        Seeds the members and the weighted resampling.

    Attributes
    ----------
    estimator_, estimators_, estimator_weights_, estimator_errors_, feature_importances_, n_features_in_ :
        As for :class:`AdaBoostClassifier`.

    Examples
    --------
    >>> import numpy as np
    >>> from learnflow.ensemble import AdaBoostRegressor
    >>> X = np.arange(10.0).reshape(-1, 1)
    >>> reg = AdaBoostRegressor(n_estimators=5, random_state=0).fit(X, X.ravel() ** 2)
    >>> bool(abs(reg.predict([[4.0]])[0] - 16.0) < 5.0)
    True
    """

    _parameter_constraints = {
        **BaseWeightBoosting._parameter_constraints,
        "loss": [StrOptions({"linear", "square", "exponential"})],
    }

    def __init__(self, estimator=None, *, n_estimators=50, learning_rate=1.0, loss="linear", random_state=None):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.loss = loss
        self.random_state = random_state

    def _default_estimator(self):
        from ..tree import DecisionTreeRegressor

        return DecisionTreeRegressor(max_depth=3)

    def _check_targets(self, y):
        pass

    def _boost(self, iboost, X, X32, y, sample_weight, rng):
        estimator = self._make_estimator(random_state=rng)
        rows = rng.choice(np.arange(X.shape[0]), size=X.shape[0], replace=True, p=sample_weight)
        X32_rows = root_sort = None
        if X32 is not None:
            X32_rows = torch.from_numpy(X32.numpy()[rows])  # numpy: torch fancy indexing is slow
            if "x_codes" not in self._root_sort:  # X32's value codes, made once: each round's rows sort by radix
                self._root_sort["x_codes"] = value_codes(np.ascontiguousarray(X32.numpy().T))
            x_codes = self._root_sort["x_codes"]
            root_sort = None if x_codes is None else {"x_codes": x_codes[:, rows]}
        _fit_member(estimator, X[rows], X32_rows, y[rows], root_sort=root_sort)
        error_vect = np.abs(_predict_member(estimator, X, X32) - y)
        mask = sample_weight > 0
        losses = _r2_losses(error_vect[mask], self.loss)
        error = (sample_weight[mask] * losses).sum()
        if error <= 0:
            return sample_weight, 1.0, 0.0
        if error >= 0.5:
            if len(self.estimators_) > 1:
                self.estimators_.pop(-1)
            return None, None, None
        beta = error / (1.0 - error)
        weight = self.learning_rate * np.log(1.0 / beta)
        if iboost != self.n_estimators - 1:
            sample_weight[mask] *= np.power(beta, (1.0 - losses) * self.learning_rate)
        return sample_weight, weight, error

    def _median_predict(self, X, limit, X32=None):
        predictions = np.array([_predict_member(est, X, X32) for est in self.estimators_[:limit]]).T
        return self._weighted_median(predictions)

    def _weighted_median(self, predictions):
        """Row-wise weighted median of the members' predictions (columns: the first members)."""
        order = np.argsort(predictions, axis=1)
        cdf = np.cumsum(self.estimator_weights_[order], axis=1)
        median_idx = (cdf >= 0.5 * cdf[:, -1][:, None]).argmax(axis=1)
        rows = np.arange(predictions.shape[0])
        return predictions[rows, order[rows, median_idx]]

    def predict(self, X):
        """The weighted median of the members' predictions."""
        X_checked = self._check_X(X)
        X32 = _tree_input(self.estimator_, X_checked)
        return _follow_input(self._median_predict(X_checked, len(self.estimators_), X32), X)

    def staged_predict(self, X):
        """The weighted-median prediction after each boosting round."""
        X_checked = self._check_X(X)
        X32 = _tree_input(self.estimator_, X_checked)
        predictions = np.array([_predict_member(est, X_checked, X32) for est in self.estimators_]).T
        for i in range(1, len(self.estimators_) + 1):
            yield _follow_input(self._weighted_median(predictions[:, :i]), X)
