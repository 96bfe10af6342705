"""Manifold learning: LLE, Isomap, MDS and t-SNE (Chapter 8)."""

# SPDX-License-Identifier: BSD-3-Clause

from ._isomap import Isomap
from ._locally_linear import LocallyLinearEmbedding, barycenter_weights
from ._mds import MDS, smacof
from ._t_sne import TSNE, trustworthiness

__all__ = ["Isomap", "LocallyLinearEmbedding", "MDS", "TSNE", "barycenter_weights", "smacof", "trustworthiness"]
