"""The book's figures, drawn with matplotlib (imported lazily by each helper)."""

# SPDX-License-Identifier: BSD-3-Clause

from ._classification import plot_confusion_matrix, plot_decision_boundary
from ._curves import (
    plot_learning_curves,
    plot_precision_recall_vs_threshold,
    plot_precision_vs_recall,
    plot_roc_curve,
)
from ._decomposition import plot_digits, plot_embedding, plot_explained_variance
from ._exploration import plot_geography, plot_histograms, plot_scatter_matrix
from ._tree import plot_tree

__all__ = [
    "plot_confusion_matrix",
    "plot_decision_boundary",
    "plot_digits",
    "plot_embedding",
    "plot_explained_variance",
    "plot_geography",
    "plot_histograms",
    "plot_learning_curves",
    "plot_precision_recall_vs_threshold",
    "plot_precision_vs_recall",
    "plot_roc_curve",
    "plot_scatter_matrix",
    "plot_tree",
]
