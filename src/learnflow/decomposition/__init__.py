"""Matrix decompositions: PCA, IncrementalPCA and KernelPCA (Chapter 8)."""

# SPDX-License-Identifier: BSD-3-Clause

from ._incremental_pca import IncrementalPCA
from ._kernel_pca import KernelPCA
from ._pca import PCA

__all__ = ["IncrementalPCA", "KernelPCA", "PCA"]
