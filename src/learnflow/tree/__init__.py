"""Decision trees (Chapter 6): CART classifiers and regressors, extra-trees, export."""

# SPDX-License-Identifier: BSD-3-Clause

from ._classes import DecisionTreeClassifier, DecisionTreeRegressor, ExtraTreeClassifier, ExtraTreeRegressor
from ._export import export_graphviz, export_text
from ._tree import Tree

__all__ = [
    "DecisionTreeClassifier",
    "DecisionTreeRegressor",
    "ExtraTreeClassifier",
    "ExtraTreeRegressor",
    "Tree",
    "export_graphviz",
    "export_text",
]
