"""Dummy estimators: baselines that ignore the features.

The book's Chapter 3 compares a classifier with one that always predicts
"not 5"; these are those baselines, with scikit-learn's strategies.
"""

# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral, Real

import numpy as np
import torch

from ._engine import check_random_state, is_torch, labels_to_output, to_numpy, to_output, to_tensor
from .base import BaseEstimator, ClassifierMixin, MultiOutputMixin, RegressorMixin, _fit_context
from .utils._param_validation import Interval, StrOptions
from .utils.multiclass import check_classification_targets
from .utils.validation import _num_samples, check_consistent_length, check_is_fitted, check_sample_weight, validate_data

__all__ = ["DummyClassifier", "DummyRegressor"]


def _labels_2d(y):
    """A numpy label array as shape (n_samples, n_outputs)."""
    return y.reshape(-1, 1) if y.ndim == 1 else y


def _class_priors(y_column, weight):
    """The classes of one output and their weighted frequencies."""
    classes, encoded = np.unique(y_column, return_inverse=True)
    counts = torch.bincount(torch.as_tensor(encoded), weights=torch.as_tensor(weight), minlength=len(classes))
    return classes, (counts / counts.sum()).numpy()


class DummyClassifier(MultiOutputMixin, ClassifierMixin, BaseEstimator):
    """Classifier that predicts from the target's distribution, ignoring the features.

    Parameters
    ----------
    strategy : {"most_frequent", "prior", "stratified", "uniform", "constant"}, default="prior"
        "most_frequent" predicts the most frequent label (``predict_proba`` is
        one-hot); "prior" predicts it too but ``predict_proba`` returns the
        class priors; "stratified" samples labels from the priors; "uniform"
        samples labels uniformly; "constant" predicts ``constant``.
    random_state : int, RandomState or None, default=None
        Randomness of the "stratified" and "uniform" strategies.
    constant : int, str or array-like of shape (n_outputs,), default=None
        The label "constant" predicts.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,) or list of such arrays
    n_classes_ : int or list of int
    class_prior_ : ndarray of shape (n_classes,) or list of such arrays
    n_outputs_ : int
    n_features_in_ : int

    Examples
    --------
    >>> from learnflow.dummy import DummyClassifier
    >>> clf = DummyClassifier(strategy="most_frequent").fit([[0], [1], [2]], [1, 1, 0])
    >>> clf.predict([[5], [6]])
    array([1, 1])
    >>> clf.score([[0], [1], [2]], [1, 1, 0])
    0.6666666666666666
    """

    _parameter_constraints = {
        "strategy": [StrOptions({"most_frequent", "prior", "stratified", "uniform", "constant"})],
        "random_state": ["random_state"],
        "constant": [Integral, str, "array-like", None],
    }

    def __init__(self, *, strategy="prior", random_state=None, constant=None):
        self.strategy = strategy
        self.random_state = random_state
        self.constant = constant

    @_fit_context()
    def fit(self, X, y, sample_weight=None):
        """Learn the classes and their priors from y (X only sets the feature count)."""
        X = validate_data(self, X, reset=True, ensure_all_finite=False, dtype=None)
        check_consistent_length(X, y)
        y = to_numpy(y)
        self._single_output = y.ndim == 1
        y = _labels_2d(y)
        check_classification_targets(y)
        weight = check_sample_weight(sample_weight, X)
        self.n_outputs_ = y.shape[1]
        fitted = [_class_priors(y[:, k], weight) for k in range(self.n_outputs_)]
        classes = [c for c, _ in fitted]
        priors = [p for _, p in fitted]
        if self.strategy == "constant":
            self._check_constant(classes)
        if self._single_output:
            self.classes_, self.class_prior_, self.n_classes_ = classes[0], priors[0], len(classes[0])
        else:
            self.classes_, self.class_prior_ = classes, priors
            self.n_classes_ = [len(c) for c in classes]
        return self

    def _check_constant(self, classes):
        if self.constant is None:
            raise ValueError("Constant target value has to be specified when the constant strategy is used.")
        constant = np.reshape(self.constant, (-1,))
        if constant.shape[0] != self.n_outputs_:
            raise ValueError(f"Constant target value should have shape ({self.n_outputs_}, 1).")
        for value, output_classes in zip(constant, classes):
            if value not in output_classes:
                raise ValueError(
                    f"The constant target value must be present in the training data. "
                    f"You provided constant={self.constant}. Possible values are: {list(output_classes)}."
                )

    def _per_output(self, attribute):
        value = getattr(self, attribute)
        return [value] if self._single_output else value

    def predict_proba(self, X):
        """Class probabilities of each sample under the chosen strategy."""
        check_is_fitted(self)
        X_checked = validate_data(self, X, reset=False, ensure_all_finite=False, dtype=None)
        n_samples = _num_samples(X_checked)
        rng = check_random_state(self.random_state)
        constants = np.reshape(self.constant, (-1,)) if self.strategy == "constant" else [None] * self.n_outputs_
        probas = []
        for classes, prior, constant in zip(self._per_output("classes_"), self._per_output("class_prior_"), constants):
            n_classes = len(classes)
            if self.strategy == "most_frequent":
                proba = np.zeros((n_samples, n_classes))
                proba[:, prior.argmax()] = 1.0
            elif self.strategy == "prior":
                proba = np.tile(prior, (n_samples, 1))
            elif self.strategy == "stratified":
                proba = np.eye(n_classes)[rng.multinomial(1, prior, size=n_samples).argmax(axis=1)]
            elif self.strategy == "uniform":
                proba = np.full((n_samples, n_classes), 1.0 / n_classes)
            else:
                proba = (classes == constant).astype(np.float64)[None, :].repeat(n_samples, axis=0)
            probas.append(to_output(to_tensor(proba), X) if is_torch(X) else proba)
        return probas[0] if self._single_output else probas

    def predict_log_proba(self, X):
        """Logarithm of ``predict_proba`` (``-inf`` where a probability is 0)."""
        probas = self.predict_proba(X)
        with np.errstate(divide="ignore"):
            if self._single_output:
                return torch.log(probas) if is_torch(probas) else np.log(probas)
            return [torch.log(p) if is_torch(p) else np.log(p) for p in probas]

    def predict(self, X):
        """Predicted labels under the chosen strategy."""
        check_is_fitted(self)
        X_checked = validate_data(self, X, reset=False, ensure_all_finite=False, dtype=None)
        n_samples = _num_samples(X_checked)
        rng = check_random_state(self.random_state)
        columns = []
        for k, (classes, prior) in enumerate(zip(self._per_output("classes_"), self._per_output("class_prior_"))):
            if self.strategy in ("most_frequent", "prior"):
                column = np.repeat(classes[prior.argmax()], n_samples)
            elif self.strategy == "stratified":
                column = classes[rng.multinomial(1, prior, size=n_samples).argmax(axis=1)]
            elif self.strategy == "uniform":
                column = classes[rng.randint(len(classes), size=n_samples)]
            else:
                column = np.repeat(np.reshape(self.constant, (-1,))[k], n_samples).astype(classes.dtype)
            columns.append(column)
        y_pred = columns[0] if self._single_output else np.stack(columns, axis=1)
        return labels_to_output(y_pred, X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.poor_score = True
        tags.no_validation = True
        return tags


class DummyRegressor(MultiOutputMixin, RegressorMixin, BaseEstimator):
    """Regressor that predicts a statistic of the training targets, ignoring the features.

    Parameters
    ----------
    strategy : {"mean", "median", "quantile", "constant"}, default="mean"
    constant : float or array-like of shape (n_outputs,), default=None
        The value "constant" predicts.
    quantile : float in [0.0, 1.0], default=None
        The quantile "quantile" predicts (0.5 is the median).

    Attributes
    ----------
    constant_ : ndarray of shape (1, n_outputs)
    n_outputs_ : int
    n_features_in_ : int

    Examples
    --------
    >>> from learnflow.dummy import DummyRegressor
    >>> reg = DummyRegressor(strategy="median").fit([[0], [0], [0]], [1.0, 2.0, 10.0])
    >>> reg.predict([[0], [0]])
    array([2., 2.])
    """

    _parameter_constraints = {
        "strategy": [StrOptions({"mean", "median", "quantile", "constant"})],
        "quantile": [Interval(Real, 0.0, 1.0, closed="both"), None],
        "constant": [Interval(Real, None, None, closed="neither"), "array-like", None],
    }

    def __init__(self, *, strategy="mean", constant=None, quantile=None):
        self.strategy = strategy
        self.constant = constant
        self.quantile = quantile

    @_fit_context()
    def fit(self, X, y, sample_weight=None):
        """Compute the statistic of y that ``predict`` will return."""
        X, y = validate_data(
            self, X, y, reset=True, multi_output=True, y_numeric=True, ensure_all_finite=False, dtype=None
        )
        y = to_tensor(y, device="cpu")
        self._single_output = y.ndim == 1
        y = y.reshape(-1, 1) if y.ndim == 1 else y
        self.n_outputs_ = y.shape[1]
        weight = None if sample_weight is None else torch.as_tensor(check_sample_weight(sample_weight, X))
        self.constant_ = _STATISTICS[self.strategy](y, weight, self).reshape(1, -1).numpy()
        return self

    def predict(self, X, return_std=False):
        """The fitted statistic for every sample (and zero standard deviations if asked)."""
        check_is_fitted(self)
        n_samples = _num_samples(validate_data(self, X, reset=False, ensure_all_finite=False, dtype=None))
        y = np.repeat(self.constant_, n_samples, axis=0)
        if self._single_output:
            y = y.ravel()
        y = to_output(to_tensor(y), X) if is_torch(X) else y
        return (y, y * 0) if return_std else y

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.regressor_tags.poor_score = True
        tags.no_validation = True
        return tags


def _weighted_percentile(values, weight, percentile):
    """The lowest value whose cumulative weight reaches ``percentile`` percent of the total."""
    order = torch.argsort(values)
    cumulative = torch.cumsum(weight[order], dim=0)
    index = torch.searchsorted(cumulative, percentile / 100.0 * cumulative[-1])
    return values[order][index.clamp(max=len(values) - 1)]


def _solve_mean(y, weight, estimator):
    # mean = sum(w * y) / sum(w)
    if weight is None:
        return y.mean(dim=0)
    return (weight[:, None] * y).sum(dim=0) / weight.sum()


def _solve_quantile(y, weight, estimator, quantile=None):
    quantile = estimator.quantile if quantile is None else quantile
    if quantile is None:
        raise ValueError(
            "When using strategy='quantile', you have to specify the desired quantile in the range [0, 1]."
        )
    if weight is None:
        return torch.quantile(y, quantile, dim=0)
    return torch.stack([_weighted_percentile(y[:, k], weight, 100 * quantile) for k in range(y.shape[1])])


def _solve_median(y, weight, estimator):
    return _solve_quantile(y, weight, estimator, quantile=0.5)


def _solve_constant(y, weight, estimator):
    if estimator.constant is None:
        raise TypeError("Constant target value has to be specified when the constant strategy is used.")
    constant = torch.as_tensor(np.reshape(estimator.constant, (-1,)), dtype=y.dtype)
    if constant.shape[0] != y.shape[1]:
        raise ValueError(f"Constant target value should have shape ({y.shape[1]}, 1).")
    return constant


_STATISTICS = {
    "mean": _solve_mean,
    "median": _solve_median,
    "quantile": _solve_quantile,
    "constant": _solve_constant,
}
