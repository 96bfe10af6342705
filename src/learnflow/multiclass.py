"""Multiclass strategies: one-vs-the-rest (the book's OvA) and one-vs-one.

Both wrap any binary classifier (learnflow's or scikit-learn's): OvR trains
one detector per class (or per label of a multilabel target) and picks the
highest score; OvO trains one classifier per pair of classes, N (N - 1) / 2
of them (45 on MNIST), and picks the class that wins the most duels.
"""

# SPDX-License-Identifier: BSD-3-Clause

import warnings
from numbers import Integral

import numpy as np
from joblib import Parallel, delayed

from ._engine import labels_to_output, to_numpy, to_output
from .base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, _fit_context, clone, is_classifier, is_regressor
from .preprocessing import LabelBinarizer
from .utils._available_if import available_if
from .utils._param_validation import HasMethods
from .utils._tags import get_tags
from .utils.multiclass import check_classification_targets
from .utils.validation import _num_samples, check_is_fitted, validate_data

__all__ = ["OneVsOneClassifier", "OneVsRestClassifier"]


# --------------------------------------------------------------------------
# Binary building blocks
# --------------------------------------------------------------------------


class _ConstantPredictor(BaseEstimator):
    """Stands in for a binary classifier whose training labels were all one value."""

    def fit(self, X, y):
        self.y_ = float(np.ravel(y)[0])
        return self

    def decision_function(self, X):
        return np.repeat(self.y_, _num_samples(X))

    def predict(self, X):
        return np.repeat(self.y_, _num_samples(X))

    def predict_proba(self, X):
        y = np.repeat(self.y_, _num_samples(X))
        return np.c_[1 - y, y]


def _fit_binary(estimator, X, y, classes=None, **fit_params):
    """Fit a clone of ``estimator`` on a 0/1 target (a constant predictor if y has one value)."""
    unique_y = np.unique(y)
    if len(unique_y) == 1:
        if classes is not None:
            c = 0 if y[0] == -1 else y[0]
            warnings.warn(f"Label {classes[c]} is present in all training examples.")
        return _ConstantPredictor().fit(X, unique_y)
    return clone(estimator).fit(X, y, **fit_params)


def _predict_binary(estimator, X):
    """The positive-class score: decision_function, else predict_proba[:, 1] (predict for regressors)."""
    if is_regressor(estimator):
        return to_numpy(estimator.predict(X))
    try:
        return np.ravel(to_numpy(estimator.decision_function(X)))
    except (AttributeError, NotImplementedError):
        return to_numpy(estimator.predict_proba(X))[:, 1]


def _threshold_for_binary_predict(estimator):
    """0 for decision functions of classifiers, 0.5 for probabilities."""
    if hasattr(estimator, "decision_function") and is_classifier(estimator):
        return 0.0
    return 0.5


def _solve_ovo_decision(predictions, confidences, n_classes):
    # votes[:, c] = duels won by c; confidence sums are squashed into (-1/3, 1/3):
    # decision = votes + s / (3 (|s| + 1)), so they only break ties between vote counts
    n_samples = predictions.shape[0]
    votes = np.zeros((n_samples, n_classes))
    confidence_sums = np.zeros((n_samples, n_classes))
    k = 0
    for i in range(n_classes):
        for j in range(i + 1, n_classes):
            confidence_sums[:, i] -= confidences[:, k]
            confidence_sums[:, j] += confidences[:, k]
            votes[predictions[:, k] == 0, i] += 1
            votes[predictions[:, k] == 1, j] += 1
            k += 1
    return votes + confidence_sums / (3 * (np.abs(confidence_sums) + 1))


def _estimators_have(attr):
    """available_if check: the fitted estimators (else the wrapped one) have ``attr``."""

    def check(self):
        if hasattr(self, "estimators_"):
            return all(hasattr(e, attr) for e in self.estimators_)
        return hasattr(self.estimator, attr)

    return check


_META_CONSTRAINTS = {"estimator": [HasMethods(["fit"])], "n_jobs": [Integral, None]}


# --------------------------------------------------------------------------
# One-vs-the-rest
# --------------------------------------------------------------------------


class OneVsRestClassifier(MetaEstimatorMixin, ClassifierMixin, BaseEstimator):
    """One-vs-the-rest (OvA): one binary classifier per class, or per label of a multilabel y.

    Parameters
    ----------
    estimator : estimator object
        A classifier with ``fit`` and ``decision_function`` or ``predict_proba``.
    n_jobs : int, default=None
        Classifiers fitted in parallel with joblib (-1: all cores).
    verbose : int, default=0
        joblib's verbosity.

    Attributes
    ----------
    estimators_ : list of ``n_classes`` fitted estimators
    classes_ : ndarray of shape (n_classes,)
    n_classes_ : int
    label_binarizer_ : LabelBinarizer
        Turns y into the indicator columns each classifier learns.
    multilabel_ : bool
    n_features_in_ : int

    Examples
    --------
    >>> from learnflow.multiclass import OneVsRestClassifier
    >>> from learnflow.neighbors import KNeighborsClassifier
    >>> X = [[0.0], [0.1], [1.0], [1.1], [2.0], [2.1]]
    >>> ovr = OneVsRestClassifier(KNeighborsClassifier(n_neighbors=1)).fit(X, [0, 0, 1, 1, 2, 2])
    >>> len(ovr.estimators_), ovr.predict([[1.05], [1.9]])
    (3, array([1, 2]))
    """

    _parameter_constraints = {**_META_CONSTRAINTS, "verbose": ["verbose"]}

    def __init__(self, estimator, *, n_jobs=None, verbose=0):
        self.estimator = estimator
        self.n_jobs = n_jobs
        self.verbose = verbose

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, **fit_params):
        """Fit one binary classifier per class (or label) of y."""
        X, y = validate_data(self, X, y, multi_output=True, ensure_all_finite=False, dtype=None)
        y = to_numpy(y)
        check_classification_targets(y)
        self.label_binarizer_ = LabelBinarizer(sparse_output=False)
        Y = self.label_binarizer_.fit_transform(y)
        self.classes_ = self.label_binarizer_.classes_
        columns = [Y[:, i] for i in range(Y.shape[1])]
        self.estimators_ = Parallel(n_jobs=self.n_jobs, verbose=self.verbose)(
            delayed(_fit_binary)(
                self.estimator, X, column, classes=[f"not {self.classes_[i]}", self.classes_[i]], **fit_params
            )
            for i, column in enumerate(columns)
        )
        return self

    def _check_X(self, X):
        check_is_fitted(self)
        return validate_data(self, X, reset=False, ensure_all_finite=False, dtype=None)

    @property
    def multilabel_(self):
        """Whether the target was multilabel."""
        return self.label_binarizer_.y_type_.startswith("multilabel")

    @property
    def n_classes_(self):
        """The number of classes."""
        return len(self.classes_)

    def predict(self, X):
        """The class with the highest score (multiclass), or every label scoring above threshold."""
        X_checked = self._check_X(X)
        if self.label_binarizer_.y_type_ == "multiclass":
            scores = np.column_stack([_predict_binary(e, X_checked) for e in self.estimators_])
            return labels_to_output(self.classes_[scores.argmax(axis=1)], X)
        threshold = _threshold_for_binary_predict(self.estimators_[0])
        indicator = np.column_stack([_predict_binary(e, X_checked) > threshold for e in self.estimators_]).astype(int)
        return labels_to_output(self.label_binarizer_.inverse_transform(indicator), X)

    @available_if(_estimators_have("predict_proba"))
    def predict_proba(self, X):
        """Per-class probabilities (normalized to sum to 1 unless multilabel)."""
        X_checked = self._check_X(X)
        Y = np.column_stack([to_numpy(e.predict_proba(X_checked))[:, 1] for e in self.estimators_])
        if len(self.estimators_) == 1:
            Y = np.concatenate(((1 - Y), Y), axis=1)
        if not self.multilabel_:
            Y /= np.sum(Y, axis=1)[:, np.newaxis]
        return to_output(Y, X)

    @available_if(_estimators_have("decision_function"))
    def decision_function(self, X):
        """Each class's binary decision score, shape (n_samples, n_classes) ((n_samples,) for two)."""
        X_checked = self._check_X(X)
        if len(self.estimators_) == 1:
            return to_output(self.estimators_[0].decision_function(X_checked), X)
        return to_output(np.column_stack([np.ravel(to_numpy(e.decision_function(X_checked)))
                                          for e in self.estimators_]), X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = get_tags(self.estimator)
        tags.input_tags.pairwise = inner.input_tags.pairwise
        tags.input_tags.sparse = inner.input_tags.sparse
        tags.input_tags.allow_nan = inner.input_tags.allow_nan
        tags.classifier_tags.multi_label = True
        return tags


# --------------------------------------------------------------------------
# One-vs-one
# --------------------------------------------------------------------------


def _fit_ovo_binary(estimator, X, y, i, j, pairwise):
    """Fit a classifier on the samples of classes i (-> 0) and j (-> 1); return it and their indices."""
    cond = np.logical_or(y == i, y == j)
    y_binary = (y[cond] == j).astype(int)
    indices = np.arange(_num_samples(X))[cond]
    X_ij = X[np.ix_(indices, indices)] if pairwise else X[indices]
    return _fit_binary(estimator, X_ij, y_binary, classes=[i, j]), indices


class OneVsOneClassifier(MetaEstimatorMixin, ClassifierMixin, BaseEstimator):
    """One-vs-one: a classifier per pair of classes; the class winning the most duels is predicted.

    Parameters
    ----------
    estimator : estimator object
        A classifier with ``fit`` and ``decision_function`` or ``predict_proba``.
    n_jobs : int, default=None
        Pair classifiers fitted in parallel with joblib.

    Attributes
    ----------
    estimators_ : list of ``n_classes * (n_classes - 1) / 2`` estimators
    classes_ : ndarray of shape (n_classes,)
    n_classes_ : int
    pairwise_indices_ : list or None
        The training indices of each pair, kept when the estimator is pairwise
        (a precomputed kernel), else None.
    n_features_in_ : int

    Examples
    --------
    >>> from learnflow.multiclass import OneVsOneClassifier
    >>> from learnflow.neighbors import KNeighborsClassifier
    >>> X = [[0.0], [0.1], [1.0], [1.1], [2.0], [2.1]]
    >>> ovo = OneVsOneClassifier(KNeighborsClassifier(n_neighbors=1)).fit(X, [0, 0, 1, 1, 2, 2])
    >>> len(ovo.estimators_), ovo.predict([[1.05], [1.9]])
    (3, array([1, 2]))
    """

    _parameter_constraints = dict(_META_CONSTRAINTS)

    def __init__(self, estimator, *, n_jobs=None):
        self.estimator = estimator
        self.n_jobs = n_jobs

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y):
        """Fit one classifier per pair of classes."""
        X, y = validate_data(self, X, y, ensure_all_finite=False, dtype=None)
        y = to_numpy(y)
        check_classification_targets(y)
        self.classes_ = np.unique(y)
        if len(self.classes_) == 1:
            raise ValueError("OneVsOneClassifier can not be fit when only one class is present.")
        pairwise = get_tags(self.estimator).input_tags.pairwise
        n = len(self.classes_)
        fitted = Parallel(n_jobs=self.n_jobs)(
            delayed(_fit_ovo_binary)(self.estimator, X, y, self.classes_[i], self.classes_[j], pairwise)
            for i in range(n)
            for j in range(i + 1, n)
        )
        self.estimators_ = [estimator for estimator, _ in fitted]
        self.pairwise_indices_ = [indices for _, indices in fitted] if pairwise else None
        return self

    @property
    def n_classes_(self):
        """The number of classes."""
        return len(self.classes_)

    def predict(self, X):
        """The class with the most duel wins (confidences break ties)."""
        Y = self._decision(X)
        if self.n_classes_ == 2:
            labels = self.classes_[(Y > _threshold_for_binary_predict(self.estimators_[0])).astype(int)]
        else:
            labels = self.classes_[Y.argmax(axis=1)]
        return labels_to_output(labels, X)

    def decision_function(self, X):
        """Votes plus squashed confidences per class, shape (n_samples, n_classes) ((n_samples,) for two)."""
        return to_output(self._decision(X), X)

    def _decision(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, ensure_all_finite=False, dtype=None)
        if self.pairwise_indices_ is None:
            Xs = [X] * len(self.estimators_)
        else:
            Xs = [X[:, indices] for indices in self.pairwise_indices_]
        predictions = np.column_stack([to_numpy(e.predict(Xi)) for e, Xi in zip(self.estimators_, Xs)])
        confidences = np.column_stack([_predict_binary(e, Xi) for e, Xi in zip(self.estimators_, Xs)])
        Y = _solve_ovo_decision(predictions, confidences, self.n_classes_)
        return Y[:, 1] if self.n_classes_ == 2 else Y

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = get_tags(self.estimator)
        tags.input_tags.pairwise = inner.input_tags.pairwise
        tags.input_tags.allow_nan = inner.input_tags.allow_nan
        return tags
