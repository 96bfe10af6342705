"""Multidimensional scaling by SMACOF (Chapter 8: "MDS ... preserves the distances between instances")."""

# SPDX-License-Identifier: BSD-3-Clause

import warnings
from numbers import Integral, Real

import numpy as np
import torch

from .._engine import check_random_state, get_device, is_torch, one_torch_thread, to_numpy, to_output, to_tensor
from ..base import BaseEstimator, _fit_context
from ..metrics.pairwise import _squared_euclidean
from ..utils._param_validation import Interval, StrOptions
from ..utils.validation import validate_data

__all__ = ["MDS", "smacof"]

_ONE_THREAD_MAX_SAMPLES = 1000  # SMACOF iterations on up to 1000 x 1000 matrices: one torch thread


def _isotonic(x, y):
    """Non-decreasing least-squares fit of y ordered by x (pool adjacent violators, scipy)."""
    from scipy.optimize import isotonic_regression

    order = np.argsort(x, kind="mergesort")
    fitted = np.empty_like(y)
    fitted[order] = isotonic_regression(y[order]).x
    return fitted


def _disparities(dissimilarities, distances, upper, it):
    """Non-metric MDS: monotone regression of the distances on the dissimilarities, rescaled."""
    n = dissimilarities.shape[0]
    dis = dissimilarities[upper]
    mask = dis != 0
    fitted = dis[mask] if it < 1 else torch.as_tensor(
        _isotonic(to_numpy(dis[mask]), to_numpy(distances[upper][mask])), dtype=dis.dtype, device=dis.device
    )
    flat = torch.zeros_like(dis)
    flat[mask] = fitted
    flat = flat * np.sqrt(n * (n - 1) / 2) / torch.sqrt((flat**2).sum())
    disparities = torch.zeros_like(dissimilarities)
    disparities[upper] = flat
    return disparities + disparities.T


def _solve_smacof_single(dissimilarities, metric, X, max_iter, eps, normalized_stress):
    # Guttman transform: X <- B(X) X / n, with B = -delta_ij / d_ij off the diagonal, rows summing to 0
    n = dissimilarities.shape[0]
    upper = tuple(torch.triu_indices(n, n, offset=1, device=X.device))
    distances = _squared_euclidean(X, X, same=True).sqrt_()
    old_stress = None
    for it in range(max_iter):
        disparities = dissimilarities if metric else _disparities(dissimilarities, distances, upper, it)
        distances.masked_fill_(distances == 0, 1e-5)  # a fresh matrix each iteration: modified in place
        ratio = disparities / distances
        row_sums = ratio.sum(dim=1)
        B = ratio.neg_()
        B.diagonal().add_(row_sums)
        X = torch.mm(X.T, B).T.div_(n)  # B is symmetric: B X = (X^T B)^T, the fast GEMM shape
        distances = _squared_euclidean(X, X, same=True).sqrt_()
        stress = float((distances - disparities).pow_(2).sum()) / 2
        if old_stress is not None and (old_stress - stress) / (float((distances * distances).sum()) / 2) < eps:
            break
        old_stress = stress
    if normalized_stress:
        stress = np.sqrt(stress / (float((distances**2).sum()) / 2))
    return X, stress, it + 1


def smacof(dissimilarities, *, metric=True, n_components=2, init=None, n_init=1, max_iter=300, eps=1e-6,
           random_state=None, normalized_stress="auto", return_n_iter=False):
    """Multidimensional scaling by majorization (SMACOF), on torch.

    Parameters
    ----------
    dissimilarities : array-like of shape (n_samples, n_samples)
        Symmetric dissimilarities.
    metric : bool, default=True
        Metric MDS; False fits a monotone transform of the dissimilarities.
    n_components : int, default=2
    init : array-like of shape (n_samples, n_components), default=None
        Starting positions (one run); random uniform ones when None.
    n_init : int, default=1
        Runs from random starts; the one of lowest stress is kept.
    max_iter : int, default=300
    eps : float, default=1e-6
        Relative stress decrease that stops a run.
    random_state : int, RandomState or None, default=None
    normalized_stress : bool or "auto", default="auto"
        Return Kruskal's stress-1 ("auto": for non-metric MDS).
    return_n_iter : bool, default=False

    Returns
    -------
    X : ndarray of shape (n_samples, n_components)
    stress : float
    n_iter : int, only with ``return_n_iter``

    Examples
    --------
    >>> import numpy as np
    >>> from learnflow.manifold import smacof
    >>> D = np.array([[0.0, 1.0, 2.0], [1.0, 0.0, 1.0], [2.0, 1.0, 0.0]])
    >>> X, stress = smacof(D, n_components=2, n_init=4, random_state=0)
    >>> X.shape, bool(stress < 1e-3)
    ((3, 2), True)
    """
    D_np = to_numpy(dissimilarities)
    if D_np.ndim != 2 or D_np.shape[0] != D_np.shape[1] or not np.allclose(D_np, D_np.T):
        raise ValueError("Array must be symmetric")
    D = to_tensor(dissimilarities, device=dissimilarities.device if is_torch(dissimilarities) else get_device())
    normalized_stress = (not metric) if normalized_stress == "auto" else normalized_stress
    rng = check_random_state(random_state)
    n = D.shape[0]
    if init is not None:
        if n_init != 1:
            warnings.warn(f"Explicit initial positions passed: performing only one init of the MDS instead of {n_init}")
        starts, n_init = [np.asarray(to_numpy(init), dtype=np.float64).copy()], 1
        if starts[0].shape[0] != n:
            raise ValueError(f"init matrix should be of shape ({n}, {starts[0].shape[1]})")
    best = None
    with one_torch_thread(D.device, enabled=n <= _ONE_THREAD_MAX_SAMPLES):
        for run in range(n_init):
            start = starts[0] if init is not None else rng.uniform(size=n * n_components).reshape(n, n_components)
            X, stress, n_iter = _solve_smacof_single(D, metric, torch.as_tensor(start, dtype=D.dtype, device=D.device),
                                                     max_iter, eps, normalized_stress)
            if best is None or stress < best[1]:
                best = (X, stress, n_iter)
    X, stress, n_iter = best
    X = to_output(X, dissimilarities)
    return (X, stress, n_iter) if return_n_iter else (X, stress)


class MDS(BaseEstimator):
    """Multidimensional scaling: an embedding that preserves the pairwise distances (Chapter 8).

    Parameters
    ----------
    n_components : int, default=2
    metric : bool, default=True
        Metric MDS (the distances themselves) or non-metric (their order).
    n_init : int, default=4
        SMACOF runs from random starts; the lowest stress wins.
    max_iter : int, default=300
    verbose : int, default=0
    eps : float, default=1e-6
    n_jobs : int, default=None
        Accepted for scikit-learn compatibility (runs are sequential).
    random_state : int, RandomState or None, default=None
    dissimilarity : {"euclidean", "precomputed"}, default="euclidean"
        Euclidean distances of X, or X is the dissimilarity matrix.
    normalized_stress : bool or "auto", default="auto"

    Attributes
    ----------
    embedding_ : ndarray of shape (n_samples, n_components)
    stress_ : float
    dissimilarity_matrix_ : ndarray of shape (n_samples, n_samples)
    n_iter_ : int
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from learnflow.manifold import MDS
    >>> X = np.random.RandomState(0).normal(size=(10, 3))
    >>> MDS(n_components=2, random_state=0).fit_transform(X).shape
    (10, 2)
    """

    _parameter_constraints = {
        "n_components": [Interval(Integral, 1, None, closed="left")],
        "metric": ["boolean"],
        "n_init": [Interval(Integral, 1, None, closed="left")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "verbose": ["verbose"],
        "eps": [Interval(Real, 0.0, None, closed="left")],
        "n_jobs": [None, Integral],
        "random_state": ["random_state"],
        "dissimilarity": [StrOptions({"euclidean", "precomputed"})],
        "normalized_stress": ["boolean", StrOptions({"auto"})],
    }

    def __init__(self, n_components=2, *, metric=True, n_init=4, max_iter=300, verbose=0, eps=1e-6, n_jobs=None,
                 random_state=None, dissimilarity="euclidean", normalized_stress="auto"):
        self.n_components = n_components
        self.metric = metric
        self.n_init = n_init
        self.max_iter = max_iter
        self.verbose = verbose
        self.eps = eps
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.dissimilarity = dissimilarity
        self.normalized_stress = normalized_stress

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None, init=None):
        """Compute the embedding.

        Returns
        -------
        self : MDS
        """
        self.fit_transform(X, init=init)
        return self

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_transform(self, X, y=None, init=None):
        """Compute the embedding and return it.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features), or (n_samples, n_samples) if precomputed
        y : ignored
        init : array-like of shape (n_samples, n_components), default=None

        Returns
        -------
        X_new : ndarray or tensor of shape (n_samples, n_components)
        """
        X = validate_data(self, X, ensure_min_samples=2)
        if X.shape[0] == X.shape[1] and self.dissimilarity != "precomputed":
            warnings.warn(
                "The MDS API has changed. ``fit`` now constructs a dissimilarity matrix from data. To use a custom "
                "dissimilarity matrix, set ``dissimilarity='precomputed'``."
            )
        X_t = to_tensor(X, device=X.device if is_torch(X) else get_device())
        # one torch thread, as in smacof: on a busy CPU a 2-thread cdist of a few hundred points waits for a
        # time slice (measured: 32 ms for 300 points on a loaded 2-core machine, a third of the whole fit)
        with one_torch_thread(X_t.device, enabled=X_t.shape[0] <= _ONE_THREAD_MAX_SAMPLES):
            D = X_t if self.dissimilarity == "precomputed" else torch.cdist(X_t, X_t)
        self.dissimilarity_matrix_ = to_numpy(D)
        embedding, self.stress_, self.n_iter_ = smacof(
            D, metric=self.metric, n_components=self.n_components, init=init, n_init=self.n_init,
            max_iter=self.max_iter, eps=self.eps, random_state=self.random_state,
            normalized_stress=self.normalized_stress, return_n_iter=True,
        )
        self.embedding_ = to_numpy(embedding)
        return to_output(embedding, X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.pairwise = self.dissimilarity == "precomputed"
        return tags
