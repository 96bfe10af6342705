"""plot_tree: draw a fitted decision tree with matplotlib (the book's Figures 6-1 and 6-4)."""

# SPDX-License-Identifier: BSD-3-Clause

import numpy as np

__all__ = ["plot_tree"]


def _layout(tree, max_depth):
    """(x, y) of every drawn node: leaves evenly spaced, parents centred over their children."""
    positions, next_leaf = {}, [0.0]

    def place(node, depth):
        left, right = tree.children_left[node], tree.children_right[node]
        if left == -1 or (max_depth is not None and depth >= max_depth):
            positions[node] = (next_leaf[0], depth)
            next_leaf[0] += 1.0
            return positions[node][0]
        x = (place(left, depth + 1) + place(right, depth + 1)) / 2.0
        positions[node] = (x, depth)
        return x

    place(0, 0)
    return positions


def plot_tree(
    decision_tree,
    *,
    max_depth=None,
    feature_names=None,
    class_names=None,
    label="all",
    filled=False,
    impurity=True,
    node_ids=False,
    proportion=False,
    rounded=False,
    precision=3,
    ax=None,
    fontsize=None,
):
    """Draw a fitted tree: one annotated box per node, as ``export_graphviz`` labels them.

    Parameters
    ----------
    decision_tree : fitted tree estimator
    max_depth : int, default=None
        Nodes deeper than this are drawn as "(...)".
    feature_names, class_names, label, filled, impurity, node_ids, proportion, rounded, precision :
        As for :func:`learnflow.tree.export_graphviz`.
    ax : matplotlib Axes, default=None
        The current axes when None.
    fontsize : int, default=None

    Returns
    -------
    annotations : list of matplotlib Text
        One per drawn node.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from learnflow.plot import plot_tree
    >>> from learnflow.tree import DecisionTreeClassifier
    >>> clf = DecisionTreeClassifier().fit([[0], [1], [2]], [0, 1, 1])
    >>> len(plot_tree(clf))
    3
    """
    import matplotlib.pyplot as plt

    from ..tree._export import _NodeFormatter, _tree_and_criterion

    tree, criterion = _tree_and_criterion(decision_tree)
    formatter = _NodeFormatter(
        feature_names=feature_names, class_names=class_names, label=label, impurity=impurity, node_ids=node_ids,
        proportion=proportion, precision=precision, characters=("#", "[", "]", "<=", "\n", "", ""),
    )
    ax = plt.gca() if ax is None else ax
    ax.clear()
    ax.set_axis_off()
    positions = _layout(tree, max_depth)
    width = max(x for x, _ in positions.values()) + 1.0
    height = max(d for _, d in positions.values()) + 1.0
    box = {"boxstyle": "round" if rounded else "square", "ec": "black", "fc": "white"}
    annotations = []
    for node in sorted(positions):  # node-id order, root first
        x, depth = positions[node]
        xy = ((x + 0.5) / width, 1.0 - (depth + 0.5) / height)
        truncated = max_depth is not None and depth >= max_depth and tree.children_left[node] != -1
        text = "(...)" if truncated else formatter.text(tree, node, criterion)
        style = dict(box)
        if filled:
            style["fc"] = "#C0C0C0" if truncated else formatter.fill_color(tree, node)
        parent = np.flatnonzero((tree.children_left == node) | (tree.children_right == node))
        kwargs = {"ha": "center", "va": "center", "bbox": style, "fontsize": fontsize, "zorder": 100 - 10 * depth}
        if len(parent) and parent[0] in positions:
            px, pdepth = positions[parent[0]]
            parent_xy = ((px + 0.5) / width, 1.0 - (pdepth + 0.5) / height)
            annotations.append(ax.annotate(text, parent_xy, xytext=xy, xycoords="axes fraction",
                                           arrowprops={"arrowstyle": "<-"}, **kwargs))
        else:
            annotations.append(ax.annotate(text, xy, xycoords="axes fraction", **kwargs))
    return annotations
