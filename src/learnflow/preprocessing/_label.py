"""Target encoders: LabelEncoder and LabelBinarizer (labels to integers or one-vs-all columns)."""

# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral

import numpy as np
import scipy.sparse as sp

from .._engine import is_torch, labels_to_output, to_numpy, to_output
from ..base import BaseEstimator, TransformerMixin, _fit_context
from ..utils.multiclass import type_of_target, unique_labels
from ..utils.validation import check_is_fitted, column_or_1d

__all__ = ["LabelBinarizer", "LabelEncoder"]


def _labels_1d(y):
    y = to_numpy(y) if is_torch(y) else y
    return column_or_1d(y, warn=True)


def _solve_label_codes(y, classes):
    """Index of each label in the sorted ``classes``; raise for labels not in it.

    # code_i = k such that classes[k] == y_i
    """
    if len(y) == 0:
        return np.array([], dtype=np.int64)
    codes = np.searchsorted(classes, y)
    codes_clipped = np.minimum(codes, len(classes) - 1)
    unseen = classes[codes_clipped] != y if len(classes) else np.ones(len(y), dtype=bool)
    if np.any(unseen):
        raise ValueError(f"y contains previously unseen labels: {np.unique(y[unseen]).tolist()}")
    return codes.astype(np.int64)


class LabelEncoder(TransformerMixin, BaseEstimator):
    """Encode target labels as integers 0 .. n_classes-1.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The sorted labels.

    Examples
    --------
    >>> from learnflow.preprocessing import LabelEncoder
    >>> le = LabelEncoder().fit(["paris", "paris", "tokyo", "amsterdam"])
    >>> le.classes_.tolist()
    ['amsterdam', 'paris', 'tokyo']
    >>> le.transform(["tokyo", "paris"])
    array([2, 1])
    """

    def fit(self, y):
        """Learn the sorted set of labels."""
        self.classes_ = np.unique(_labels_1d(y))
        return self

    def fit_transform(self, y):
        """Fit, then return the codes of y."""
        y = _labels_1d(y)
        self.classes_, codes = np.unique(y, return_inverse=True)
        return codes.reshape(-1).astype(np.int64)

    def transform(self, y):
        """The integer code of each label (ValueError for unseen labels)."""
        check_is_fitted(self)
        y = _labels_1d(y)
        if y.dtype.kind in "OUS" and self.classes_.dtype.kind not in "OUS" and len(y):
            raise ValueError(f"y contains previously unseen labels: {np.unique(y).tolist()}")
        return _solve_label_codes(y, self.classes_)

    def inverse_transform(self, y):
        """The labels of integer codes."""
        check_is_fitted(self)
        y = _labels_1d(y)
        if len(y) == 0:
            return np.array([], dtype=self.classes_.dtype)
        bad = np.setdiff1d(y, np.arange(len(self.classes_)))
        if len(bad):
            raise ValueError(f"y contains previously unseen labels: {bad.tolist()}")
        return self.classes_[np.asarray(y, dtype=np.int64)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.target_tags.one_d_labels = True
        return tags


def _solve_binarize(y, classes, y_type, neg_label, pos_label):
    """One-vs-all indicator matrix of y over ``classes``.

    # Y_ik = pos_label if y_i == classes[k] else neg_label  (binary: column k = 1 only)
    """
    n_samples, n_classes = len(y), len(classes)
    if y_type == "binary" and n_classes == 1:
        return np.full((n_samples, 1), neg_label, dtype=np.int64)
    if y_type == "multilabel-indicator":
        Y = np.asarray(y)
        if Y.shape[1] != n_classes:
            raise ValueError(f"classes {classes} mismatch with the labels {np.arange(Y.shape[1])} found in the data")
        indicator = Y != 0
    else:
        order = np.argsort(classes, kind="stable")
        sorted_classes = classes[order]
        indicator = np.zeros((n_samples, n_classes), dtype=bool)
        seen = np.isin(y, classes)
        positions = np.searchsorted(sorted_classes, y[seen])
        indicator[np.flatnonzero(seen), order[positions]] = True
    Y = np.where(indicator, pos_label, neg_label).astype(np.int64)
    if y_type == "binary":
        Y = Y[:, -1:]
    return Y


class LabelBinarizer(TransformerMixin, BaseEstimator):
    """Binarize labels one-vs-all: one column per class (one column for two classes).

    Parameters
    ----------
    neg_label : int, default=0
    pos_label : int, default=1
    sparse_output : bool, default=False
        Return a scipy CSR matrix.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    y_type_ : str
        ``type_of_target`` of the fitted y.
    sparse_input_ : bool

    Examples
    --------
    >>> from learnflow.preprocessing import LabelBinarizer
    >>> lb = LabelBinarizer().fit([1, 2, 6, 4, 2])
    >>> lb.classes_
    array([1, 2, 4, 6])
    >>> lb.transform([1, 6])
    array([[1, 0, 0, 0],
           [0, 0, 0, 1]])
    """

    _parameter_constraints = {"neg_label": [Integral], "pos_label": [Integral], "sparse_output": ["boolean"]}

    def __init__(self, *, neg_label=0, pos_label=1, sparse_output=False):
        self.neg_label = neg_label
        self.pos_label = pos_label
        self.sparse_output = sparse_output

    def _check_labels(self):
        if self.neg_label >= self.pos_label:
            raise ValueError(
                f"neg_label={self.neg_label} must be strictly less than pos_label={self.pos_label}."
            )
        if self.sparse_output and (self.pos_label == 0 or self.neg_label != 0):
            raise ValueError(
                "Sparse binarization is only supported with non zero pos_label and zero neg_label, "
                f"got pos_label={self.pos_label} and neg_label={self.neg_label}"
            )

    @_fit_context()
    def fit(self, y):
        """Learn the classes and the kind of target."""
        self._check_labels()
        self.sparse_input_ = sp.issparse(y)
        y = y.toarray() if sp.issparse(y) else (to_numpy(y) if is_torch(y) else y)
        self.y_type_ = type_of_target(y, input_name="y")
        if "multioutput" in self.y_type_:
            raise ValueError("Multioutput target data is not supported with label binarization")
        if np.asarray(y).shape[0] == 0:
            raise ValueError(f"y has 0 samples: {y!r}")
        self.classes_ = unique_labels(y)
        return self

    def fit_transform(self, y):
        """Fit, then binarize y."""
        return self.fit(y).transform(y)

    def transform(self, y):
        """The indicator matrix of y (unseen labels give all-``neg_label`` rows)."""
        check_is_fitted(self)
        like = y
        y = y.toarray() if sp.issparse(y) else (to_numpy(y) if is_torch(y) else y)
        if type_of_target(y).startswith("multilabel") and not self.y_type_.startswith("multilabel"):
            raise ValueError("The object was not fitted with multilabel input.")
        y_arr = np.asarray(y) if self.y_type_ == "multilabel-indicator" else _labels_1d(y)
        Y = _solve_binarize(y_arr, self.classes_, self.y_type_, self.neg_label, self.pos_label)
        if self.sparse_output:
            return sp.csr_matrix(Y)
        return to_output(Y, like) if is_torch(like) else Y

    def inverse_transform(self, Y, threshold=None):
        """Labels from an indicator or score matrix (argmax, or a threshold for one column)."""
        check_is_fitted(self)
        like = Y
        Y = Y.toarray() if sp.issparse(Y) else to_numpy(Y)
        if threshold is None:
            threshold = (self.pos_label + self.neg_label) / 2.0
        if self.y_type_ == "multilabel-indicator":
            out = (Y > threshold).astype(np.int64)
            return sp.csr_matrix(out) if self.sparse_input_ else out
        if Y.ndim == 2 and Y.shape[1] > 1 and self.y_type_ != "binary":
            labels = self.classes_[np.argmax(Y, axis=1)]
        else:
            Y = Y.reshape(-1)
            if len(self.classes_) == 1:
                labels = np.repeat(self.classes_, len(Y))
            else:
                labels = self.classes_[(Y > threshold).astype(np.int64)]
        return labels_to_output(labels, like)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.target_tags.one_d_labels = True
        return tags
