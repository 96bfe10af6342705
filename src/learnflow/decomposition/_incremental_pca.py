"""Incremental PCA: PCA fitted one mini-batch at a time (Chapter 8, Ross et al. 2007)."""

# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral

import numpy as np
import torch

from .._engine import one_blas_thread, one_torch_thread, to_numpy
from ..base import _fit_context
from ..utils._param_validation import Interval
from ..utils.extmath import _svd_flip_tensors
from ..utils.validation import check_array, validate_data
from ._base import _BasePCA, _fitted_tensor, _input_tensor, _leading_svd

__all__ = ["IncrementalPCA"]

# Stacked batches of up to this many elements are factored on one BLAS thread: two threads cost more than
# they share on such sizes (655 x 784 batches of MNIST, 20 of them: 3.3-3.6 s on two threads, 2.0 s on one)
_ONE_BLAS_THREAD_ELEMENTS = 2**22


def _gen_batches(n, batch_size, min_batch_size=0):
    """Slices of ``batch_size`` rows; a short last batch is merged so none is below ``min_batch_size``."""
    start = 0
    for _ in range(n // batch_size):
        end = start + batch_size
        if end + min_batch_size > n:
            continue
        yield slice(start, end)
        start = end
    if start < n:
        yield slice(start, n)


def _merge_mean_and_var(new_sum, new_m2, n_new, last_mean, last_variance, last_count):
    # Chan, Golub & LeVeque: merge the batch's (count, sum, M2) with the running (count, mean, variance)
    total = last_count + n_new
    if last_count == 0:
        return new_sum / n_new, new_m2 / n_new, total
    last_sum = last_mean * last_count
    m2 = last_variance * last_count + new_m2 + (last_count / n_new) / total * (last_sum / (last_count / n_new) - new_sum) ** 2
    return (last_sum + new_sum) / total, m2 / total, total


def _solve_incremental(X, state, n_components):
    """One Ross et al. update: SVD of [S W; X - batch mean; mean correction].

    The centred batch is written once, straight into the stacked matrix (column-major: the layout
    LAPACK works in, so the SVD copies nothing), and also gives the batch's M2; U is not needed, and
    of Vt only the first ``n_components`` rows (see :func:`_leading_svd`).
    """
    n_samples, n_features = X.shape
    seen = state["n_samples_seen"]
    k = state["components"].shape[0] if seen else 0
    rows = k + n_samples + (1 if seen else 0)
    new_sum = X.sum(dim=0)
    batch_mean = new_sum / n_samples
    if X.requires_grad:
        stacked = None
        centered = X - batch_mean
    else:
        stacked = torch.empty((n_features, rows), dtype=X.dtype, device=X.device).T
        centered = torch.sub(X, batch_mean, out=stacked[k : k + n_samples])
    mean, var, total = _merge_mean_and_var(new_sum, (centered**2).sum(dim=0), n_samples, state["mean"],
                                           state["var"], seen)
    if seen:
        scaled = state["singular_values"][:, None] * state["components"]
        correction = np.sqrt((seen / total) * n_samples) * (state["mean"] - batch_mean)
        if stacked is None:
            stacked = torch.vstack((scaled, centered, correction[None]))
        else:
            stacked[:k] = scaled
            stacked[-1] = correction
    elif stacked is None:
        stacked = centered
    with one_blas_thread(rows * n_features <= _ONE_BLAS_THREAD_ELEMENTS):
        S, Vt = _leading_svd(stacked, n_components)
    _, Vt = _svd_flip_tensors(None, Vt, u_based_decision=False)
    variance = S**2 / (total - 1)
    ratio = S**2 / (var * total).sum()
    return mean, var, total, S, Vt, variance, ratio


class IncrementalPCA(_BasePCA):
    """PCA fitted by mini-batches, for data that does not fit in memory (Chapter 8).

    ``fit`` reads the training set ``batch_size`` rows at a time, so it works
    on a ``numpy.memmap`` without loading it whole; ``partial_fit`` takes one
    batch at a time (online PCA).

    Parameters
    ----------
    n_components : int or None, default=None
        Number of components; None keeps ``min(n_features, first batch size)``.
    whiten : bool, default=False
    copy : bool, default=True
        Kept for scikit-learn compatibility (the input is never modified).
    batch_size : int or None, default=None
        Rows per batch in ``fit``; None uses ``5 * n_features``.

    Attributes
    ----------
    components_, explained_variance_, explained_variance_ratio_, singular_values_ : ndarray
    mean_, var_ : ndarray of shape (n_features,)
        Running per-feature mean and variance.
    noise_variance_ : float
    n_components_ : int
    n_samples_seen_ : int
    batch_size_ : int
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from learnflow.decomposition import IncrementalPCA
    >>> X = np.random.RandomState(0).normal(size=(100, 5))
    >>> ipca = IncrementalPCA(n_components=2, batch_size=20).fit(X)
    >>> ipca.transform(X).shape, ipca.n_samples_seen_
    ((100, 2), 100)
    """

    _parameter_constraints = {
        "n_components": [Interval(Integral, 1, None, closed="left"), None],
        "whiten": ["boolean"],
        "copy": ["boolean"],
        "batch_size": [Interval(Integral, 1, None, closed="left"), None],
    }

    def __init__(self, n_components=None, *, whiten=False, copy=True, batch_size=None):
        self.n_components = n_components
        self.whiten = whiten
        self.copy = copy
        self.batch_size = batch_size

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Fit on X batch by batch (a memmap is read one batch at a time).

        Parameters
        ----------
        X : array-like, memmap or tensor of shape (n_samples, n_features)
        y : ignored

        Returns
        -------
        self : IncrementalPCA
        """
        for name in ("components_", "n_samples_seen_", "mean_", "var_"):
            self.__dict__.pop(name, None)
        # dtype=None and no finiteness scan: a memmap stays on disk; each batch is checked below
        X = validate_data(self, X, dtype=None, ensure_all_finite=False)
        n_samples, n_features = X.shape
        self.batch_size_ = 5 * n_features if self.batch_size is None else self.batch_size
        for batch in _gen_batches(n_samples, self.batch_size_, min_batch_size=self.n_components or 0):
            self._partial_fit(check_array(X[batch], estimator=self, input_name="X"))
        return self

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y=None, check_input=True):
        """Update the model with one batch.

        Parameters
        ----------
        X : array-like or tensor of shape (n_samples, n_features)
        y : ignored
        check_input : bool, default=True

        Returns
        -------
        self : IncrementalPCA
        """
        first_pass = not hasattr(self, "components_")
        if check_input:
            X = validate_data(self, X, reset=first_pass)
        return self._partial_fit(X)

    def _check_batch(self, n_samples, n_features):
        if self.n_components is None:
            if hasattr(self, "components_"):
                return self.components_.shape[0]
            return min(n_samples, n_features)
        if self.n_components > n_features:
            raise ValueError(
                f"n_components={self.n_components!r} invalid for n_features={n_features}, need more rows than "
                "columns for IncrementalPCA processing"
            )
        if self.n_components > n_samples:
            raise ValueError(
                f"n_components={self.n_components!r} must be less or equal to the batch number of samples {n_samples}."
            )
        return self.n_components

    def _partial_fit(self, X):
        X = _input_tensor(X)
        n_samples, n_features = X.shape
        k = self._check_batch(n_samples, n_features)
        if hasattr(self, "components_") and self.components_.shape[0] != k:
            raise ValueError(
                f"Number of input features has changed from {self.components_.shape[0]} to {k} between calls to "
                "partial_fit! Try setting n_components to a fixed value."
            )
        seen = getattr(self, "n_samples_seen_", 0)
        state = {"n_samples_seen": seen}
        if seen:
            state.update(mean=_fitted_tensor(self.mean_, X), var=_fitted_tensor(self.var_, X),
                         singular_values=_fitted_tensor(self.singular_values_, X),
                         components=_fitted_tensor(self.components_, X))
        else:
            state.update(mean=None, var=None)
        # the factorization runs in scipy's LAPACK (on the CPU): torch's few elementwise steps take one
        # thread, so that its idle OpenMP workers do not spin against LAPACK's
        with one_torch_thread(X.device):
            mean, var, total, S, Vt, variance, ratio = _solve_incremental(X, state, k)
        self.n_components_ = k
        self.n_samples_seen_ = int(total)
        self.components_ = to_numpy(Vt[:k]).copy()
        self.singular_values_ = to_numpy(S[:k]).copy()
        self.mean_, self.var_ = to_numpy(mean), to_numpy(var)
        self.explained_variance_ = to_numpy(variance[:k]).copy()
        self.explained_variance_ratio_ = to_numpy(ratio[:k]).copy()
        self.noise_variance_ = 0.0 if k in (n_samples, n_features) else float(variance[k:].mean())
        return self
