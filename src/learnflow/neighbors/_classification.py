"""Nearest-neighbor classification: the majority (or distance-weighted) vote of the k nearest points."""

# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
import torch

from .._engine import is_torch, labels_to_output, to_numpy
from ..base import ClassifierMixin, _fit_context
from ..utils.multiclass import check_classification_targets
from ..utils.validation import check_is_fitted
from ._base import KNEIGHBORS_PREDICTOR_CONSTRAINTS, KNeighborsMixin, NeighborsBase, _check_y_1d_or_2d, _neighbor_weights

__all__ = ["KNeighborsClassifier"]


def _solve_vote(neighbor_codes, weights, n_classes):
    # proba[i, c] = sum_j w_ij [y_(ij) = c] / sum_j w_ij  (w_ij = 1 for uniform weights)
    n_queries = neighbor_codes.shape[0]
    w = torch.ones(neighbor_codes.shape, dtype=torch.float64) if weights is None else weights.to("cpu", torch.float64)
    flat = (torch.arange(n_queries)[:, None] * n_classes + neighbor_codes).reshape(-1)
    votes = torch.bincount(flat, weights=w.reshape(-1), minlength=n_queries * n_classes)
    votes = votes.reshape(n_queries, n_classes)
    normalizer = votes.sum(dim=1, keepdim=True)
    normalizer[normalizer == 0.0] = 1.0
    return (votes / normalizer).numpy()


class KNeighborsClassifier(KNeighborsMixin, ClassifierMixin, NeighborsBase):
    """Classifier voting among the k nearest neighbors (multilabel and multioutput y too).

    The search is brute force on torch, in chunks of queries whose distance
    blocks stay within a fixed memory budget; ``algorithm`` and ``leaf_size``
    are accepted for compatibility. Ties between equally distant points go to
    the lower training index; ties between classes go to the first class.

    Parameters
    ----------
    n_neighbors : int, default=5
    weights : {"uniform", "distance"} or callable, default="uniform"
        "distance" weights each neighbor by 1 / distance (an exact match
        takes all the weight); a callable maps the distance array to weights.
    algorithm : {"auto", "ball_tree", "kd_tree", "brute"}, default="auto"
        "brute" compares each query with every training point on torch; the
        trees (both served by scipy's KD-tree, CPU only) prune the search for
        Minkowski metrics; "auto" takes the tree up to 15 features (as
        scikit-learn), brute force beyond and on a GPU.
    leaf_size : int, default=30
        Points per leaf of the KD-tree.
    p : float, default=2
        The Minkowski power (1 manhattan, 2 euclidean).
    metric : {"minkowski", "euclidean", "manhattan", "chebyshev", "cosine", ...}, default="minkowski"
    metric_params : dict, default=None
        May hold "p".
    n_jobs : int, default=None
        Accepted; torch's own threads do the work.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,) or list of them (multioutput)
    effective_metric_ : str
    effective_metric_params_ : dict
    n_features_in_ : int
    n_samples_fit_ : int
    outputs_2d_ : bool

    Examples
    --------
    >>> from learnflow.neighbors import KNeighborsClassifier
    >>> knn = KNeighborsClassifier(n_neighbors=3).fit([[0], [1], [2], [3]], [0, 0, 1, 1])
    >>> knn.predict([[1.1]])
    array([0])
    >>> knn.predict_proba([[0.9]])
    array([[0.66666667, 0.33333333]])
    """

    _parameter_constraints = KNEIGHBORS_PREDICTOR_CONSTRAINTS

    def __init__(self, n_neighbors=5, *, weights="uniform", algorithm="auto", leaf_size=30, p=2,
                 metric="minkowski", metric_params=None, n_jobs=None):
        self.n_neighbors = n_neighbors
        self.weights = weights
        self.algorithm = algorithm
        self.leaf_size = leaf_size
        self.p = p
        self.metric = metric
        self.metric_params = metric_params
        self.n_jobs = n_jobs

    @_fit_context()
    def fit(self, X, y):
        """Store the training points and encode each output's classes."""
        y = self._fit(X, y)
        check_classification_targets(y)
        y, self.outputs_2d_ = _check_y_1d_or_2d(y)
        self.classes_, codes = [], []
        for k in range(y.shape[1]):
            classes, encoded = np.unique(y[:, k], return_inverse=True)
            self.classes_.append(classes)
            codes.append(encoded)
        self._y = torch.as_tensor(np.stack(codes, axis=1), dtype=torch.int64)
        if not self.outputs_2d_:
            self.classes_ = self.classes_[0]
        return self

    def _per_output(self):
        return self.classes_ if self.outputs_2d_ else [self.classes_]

    def predict_proba(self, X):
        """Share of the (weighted) neighbor votes of each class.

        Returns
        -------
        p : ndarray of shape (n_queries, n_classes), or a list of them (one per output)
        """
        check_is_fitted(self)
        distances, indices = self.kneighbors(X)
        distances = torch.as_tensor(to_numpy(distances))
        indices = torch.as_tensor(to_numpy(indices))
        weights = _neighbor_weights(distances, self.weights if self.weights is not None else "uniform")
        probas = [_solve_vote(self._y[:, k][indices], weights, len(classes))
                  for k, classes in enumerate(self._per_output())]
        probas = [torch.as_tensor(p, device=X.device) if is_torch(X) else p for p in probas]
        return probas if self.outputs_2d_ else probas[0]

    def predict(self, X):
        """The class with the most (weighted) neighbor votes (the lower class on a tie)."""
        probas = self.predict_proba(X)
        probas = probas if self.outputs_2d_ else [probas]
        columns = [classes[to_numpy(p).argmax(axis=1)] for classes, p in zip(self._per_output(), probas)]
        y_pred = np.stack(columns, axis=1) if self.outputs_2d_ else columns[0]
        return labels_to_output(y_pred, X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        return tags
