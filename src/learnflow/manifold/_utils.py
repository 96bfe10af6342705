"""Pieces shared by the neighbour-based embeddings (Isomap, LLE, t-SNE)."""

# SPDX-License-Identifier: BSD-3-Clause

import torch

from .._engine import get_device, is_torch, to_output, to_tensor
from ..base import _fit_context
from ..utils.validation import check_is_fitted, validate_data


def _validated_tensor(estimator, X, *, reset=True):
    """``(X, X_t)``: X validated against the estimator, and as a float tensor on X's device (or the default)."""
    if not reset:
        check_is_fitted(estimator)
    X = validate_data(estimator, X, reset=reset)
    return X, to_tensor(X, device=X.device if is_torch(X) else get_device())


def _kneighbors(nbrs, X=None, *, n_neighbors=None, device=None, return_distance=True):
    """The k-NN graph of a fitted NearestNeighbors as tensors: ``(distances, indices)`` or ``indices``.

    ``X=None`` queries the training points (each excluded from its own neighbours).
    The tensors are on ``device`` (X's device by default); the indices are int64.
    """
    result = nbrs.kneighbors(X, n_neighbors=n_neighbors, return_distance=return_distance)
    if device is None:
        device = X.device if is_torch(X) else get_device()
    if not return_distance:
        return torch.as_tensor(result, device=device).long()
    distances, indices = result
    return torch.as_tensor(distances, device=device), torch.as_tensor(indices, device=device).long()


class _EmbeddingFitMixin:
    """``fit`` and ``fit_transform`` of an embedding whose ``_fit(X)`` sets ``embedding_`` and returns X."""

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Compute the embedding of X.

        Parameters
        ----------
        X : array-like or tensor of shape (n_samples, n_features)
        y : ignored

        Returns
        -------
        self : object
        """
        self._fit(X)
        return self

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_transform(self, X, y=None):
        """Compute the embedding of X and return it (a tensor on X's device for tensor input).

        Returns
        -------
        X_new : ndarray or tensor of shape (n_samples, n_components)
        """
        X = self._fit(X)
        return to_output(torch.as_tensor(self.embedding_), X) if is_torch(X) else self.embedding_
