"""Unsupervised nearest-neighbor search."""

# SPDX-License-Identifier: BSD-3-Clause

from ..base import _fit_context
from ._base import KNeighborsMixin, NeighborsBase, RadiusNeighborsMixin

__all__ = ["NearestNeighbors"]


class NearestNeighbors(KNeighborsMixin, RadiusNeighborsMixin, NeighborsBase):
    """Finds the nearest training points of queries (k nearest, or within a radius).

    Parameters
    ----------
    n_neighbors : int, default=5
    radius : float, default=1.0
    algorithm : {"auto", "ball_tree", "kd_tree", "brute"}, default="auto"
        "brute" compares each query with every training point on torch; the
        trees (both served by scipy's KD-tree, CPU only) prune the search for
        Minkowski metrics; "auto" takes the tree up to 15 features (as
        scikit-learn), brute force beyond and on a GPU.
    leaf_size : int, default=30
        Points per leaf of the KD-tree.
    metric : {"minkowski", "euclidean", "manhattan", "chebyshev", "cosine", ...}, default="minkowski"
    p : float, default=2
    metric_params : dict, default=None
    n_jobs : int, default=None

    Attributes
    ----------
    effective_metric_ : str
    effective_metric_params_ : dict
    n_features_in_ : int
    n_samples_fit_ : int

    Examples
    --------
    >>> from learnflow.neighbors import NearestNeighbors
    >>> nn = NearestNeighbors(n_neighbors=2).fit([[0.0], [1.0], [3.0]])
    >>> distances, indices = nn.kneighbors([[0.9]])
    >>> indices
    array([[1, 0]])
    """

    def __init__(self, *, n_neighbors=5, radius=1.0, algorithm="auto", leaf_size=30, metric="minkowski", p=2,
                 metric_params=None, n_jobs=None):
        self.n_neighbors = n_neighbors
        self.radius = radius
        self.algorithm = algorithm
        self.leaf_size = leaf_size
        self.metric = metric
        self.p = p
        self.metric_params = metric_params
        self.n_jobs = n_jobs

    @_fit_context()
    def fit(self, X, y=None):
        """Store the training points (y is ignored)."""
        self._fit(X)
        return self

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = False
        return tags
