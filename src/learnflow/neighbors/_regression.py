"""Nearest-neighbor regression: the (weighted) mean target of the k nearest points."""

# SPDX-License-Identifier: BSD-3-Clause

import torch

from .._engine import to_numpy, to_output, to_tensor
from ..base import RegressorMixin, _fit_context
from ..utils.validation import check_is_fitted
from ._base import KNEIGHBORS_PREDICTOR_CONSTRAINTS, KNeighborsMixin, NeighborsBase, _neighbor_weights

__all__ = ["KNeighborsRegressor"]


def _solve_weighted_mean(neighbor_y, weights):
    # y_hat_i = sum_j w_ij y_(ij) / sum_j w_ij  (the plain mean for uniform weights)
    if weights is None:
        return neighbor_y.mean(dim=1)
    weights = weights.to(neighbor_y.dtype)
    return (neighbor_y * weights[:, :, None]).sum(dim=1) / weights.sum(dim=1, keepdim=True)


class KNeighborsRegressor(KNeighborsMixin, RegressorMixin, NeighborsBase):
    """Regressor predicting the mean target of the k nearest neighbors.

    Parameters are those of :class:`KNeighborsClassifier`.

    Attributes
    ----------
    effective_metric_ : str
    effective_metric_params_ : dict
    n_features_in_ : int
    n_samples_fit_ : int

    Examples
    --------
    >>> from learnflow.neighbors import KNeighborsRegressor
    >>> knn = KNeighborsRegressor(n_neighbors=2).fit([[0], [1], [2], [3]], [0.0, 0.0, 1.0, 1.0])
    >>> knn.predict([[1.5]])
    array([0.5])
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
        """Store the training points and targets."""
        y = self._fit(X, y)
        y = to_tensor(y, device=self._index.X.device)
        self._single_output = y.ndim == 1
        self._y = y.reshape(-1, 1) if y.ndim == 1 else y
        return self

    def predict(self, X):
        """The (weighted) mean target of each query's neighbors."""
        check_is_fitted(self)
        distances, indices = self.kneighbors(X)
        distances = to_tensor(distances, device=self._y.device)
        indices = torch.as_tensor(to_numpy(indices), device=self._y.device)
        weights = _neighbor_weights(distances, self.weights if self.weights is not None else "uniform")
        y_pred = _solve_weighted_mean(self._y[indices], weights)
        if self._single_output:
            y_pred = y_pred.reshape(-1)
        return to_output(y_pred, X)
