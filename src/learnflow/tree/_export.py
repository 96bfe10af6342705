"""Text exports of fitted trees: Graphviz DOT (the book's Figure 6-1) and an ASCII outline.

The DOT output is character-for-character scikit-learn's ``export_graphviz``
(labels, colours, edge labels), so ``dot -Tpng`` renders the same picture.
"""

# SPDX-License-Identifier: BSD-3-Clause

from io import StringIO

import numpy as np

from ..utils.validation import check_is_fitted
from ._tree import TREE_LEAF, TREE_UNDEFINED, Tree

__all__ = ["export_graphviz", "export_text"]


def _color_brew(n):
    """n colours with equally spaced hues (saturation 0.75, value 0.9), as 8-bit RGB."""
    colors = []
    s, v = 0.75, 0.9
    c = s * v
    m = v - c
    for h in np.arange(25, 385, 360.0 / n).astype(int):
        h_bar = h / 60.0
        x = c * (1 - abs((h_bar % 2) - 1))
        rgb = [(c, x, 0), (x, c, 0), (0, c, x), (0, x, c), (x, 0, c), (c, 0, x), (c, x, 0)]
        r, g, b = rgb[int(h_bar)]
        colors.append([int(255 * (r + m)), int(255 * (g + m)), int(255 * (b + m))])
    return colors


class _NodeFormatter:
    """Node labels and fill colours shared by the DOT export and plot_tree."""

    def __init__(self, *, feature_names=None, class_names=None, label="all", impurity=True, node_ids=False,
                 proportion=False, precision=3, characters=("#", "[", "]", "<=", "\\n", '"', '"'), escape=None):
        self.feature_names = feature_names
        self.class_names = class_names
        self.label = label
        self.impurity = impurity
        self.node_ids = node_ids
        self.proportion = proportion
        self.precision = precision
        self.characters = characters
        self.escape = escape or (lambda s: s)
        self.colors = {"bounds": None}

    def color(self, value):
        if self.colors["bounds"] is None:  # classification: majority class, alpha = its margin
            color = list(self.colors["rgb"][np.argmax(value)])
            ranked = sorted(value, reverse=True)
            alpha = 0.0 if len(ranked) == 1 else (ranked[0] - ranked[1]) / (1 - ranked[1])
        else:  # regression or multi-output: position within the bounds
            color = list(self.colors["rgb"][0])
            alpha = (value - self.colors["bounds"][0]) / (self.colors["bounds"][1] - self.colors["bounds"][0])
        color = [int(round(alpha * c + (1 - alpha) * 255, 0)) for c in color]
        return "#%02x%02x%02x" % tuple(color)

    def fill_color(self, tree, node_id):
        if "rgb" not in self.colors:
            self.colors["rgb"] = _color_brew(tree.n_classes[0])
            if tree.n_outputs != 1:
                self.colors["bounds"] = (-np.max(tree.impurity), -np.min(tree.impurity))
            elif tree.n_classes[0] == 1 and len(np.unique(tree.value)) != 1:
                self.colors["bounds"] = (np.min(tree.value), np.max(tree.value))
        if tree.n_outputs == 1:
            value = tree.value[node_id][0, :]
            if tree.n_classes[0] == 1 and self.colors["bounds"] is not None:
                value = value.item()
        else:
            value = -tree.impurity[node_id]
        return self.color(value)

    def text(self, tree, node_id, criterion):
        ch = self.characters
        value = tree.value[node_id][0, :] if tree.n_outputs == 1 else tree.value[node_id]
        labels = (self.label == "root" and node_id == 0) or self.label == "all"
        out = ch[-1]
        if self.node_ids:
            out += ("node " if labels else "") + ch[0] + str(node_id) + ch[4]
        if tree.children_left[node_id] != TREE_LEAF:
            if self.feature_names is not None:
                feature = self.escape(self.feature_names[tree.feature[node_id]])
            else:
                feature = "x%s%s%s" % (ch[1], tree.feature[node_id], ch[2])
            out += "%s %s %s%s" % (feature, ch[3], round(tree.threshold[node_id], self.precision), ch[4])
        if self.impurity:
            out += ("%s = " % criterion if labels else "") + str(round(tree.impurity[node_id], self.precision)) + ch[4]
        out += "samples = " if labels else ""
        if self.proportion:
            percent = 100.0 * tree.n_node_samples[node_id] / float(tree.n_node_samples[0])
            out += str(round(percent, 1)) + "%" + ch[4]
        else:
            out += str(tree.n_node_samples[node_id]) + ch[4]
        if not self.proportion and tree.n_classes[0] != 1:
            value = value * tree.weighted_n_node_samples[node_id]  # class fractions -> weighted counts
        out += "value = " if labels else ""
        if tree.n_classes[0] == 1 or self.proportion or not np.all(np.equal(np.mod(value, 1), 0)):
            value_text = np.around(value, self.precision)
        else:
            value_text = value.astype(int)
        value_text = str(value_text.astype("S32")).replace("b'", "'").replace("' '", ", ").replace("'", "")
        if tree.n_classes[0] == 1 and tree.n_outputs == 1:
            value_text = value_text.replace("[", "").replace("]", "")
        out += value_text.replace("\n ", ch[4]) + ch[4]
        if self.class_names is not None and tree.n_classes[0] != 1 and tree.n_outputs == 1:
            out += "class = " if labels else ""
            if self.class_names is not True:
                out += self.escape(str(self.class_names[np.argmax(value)]))
            else:
                out += "y%s%s%s" % (ch[1], np.argmax(value), ch[2])
        if out.endswith(ch[4]):
            out = out[: -len(ch[4])]
        return out + ch[5]


def _tree_and_criterion(decision_tree):
    if isinstance(decision_tree, Tree):
        return decision_tree, "impurity"
    check_is_fitted(decision_tree)
    return decision_tree.tree_, decision_tree.criterion


def export_graphviz(
    decision_tree,
    out_file=None,
    *,
    max_depth=None,
    feature_names=None,
    class_names=None,
    label="all",
    filled=False,
    leaves_parallel=False,
    impurity=True,
    node_ids=False,
    proportion=False,
    rotate=False,
    rounded=False,
    special_characters=False,
    precision=3,
    fontname="helvetica",
):
    """Export a decision tree in Graphviz DOT format.

    Parameters
    ----------
    decision_tree : fitted tree estimator or Tree
    out_file : str, file object or None, default=None
        Where to write; None returns the DOT source as a string.
    max_depth : int, default=None
        Deeper nodes are drawn as "(...)".
    feature_names, class_names : list of str, default=None
        ``class_names=True`` writes y[i].
    label : {"all", "root", "none"}, default="all"
    filled, rounded, leaves_parallel, rotate, special_characters : bool, default=False
    impurity : bool, default=True
    node_ids, proportion : bool, default=False
    precision : int, default=3
    fontname : str, default="helvetica"

    Returns
    -------
    dot_data : str or None

    Examples
    --------
    >>> from learnflow.tree import DecisionTreeClassifier, export_graphviz
    >>> clf = DecisionTreeClassifier().fit([[0], [1]], [0, 1])
    >>> print(export_graphviz(clf).splitlines()[3])
    0 [label="x[0] <= 0.5\\ngini = 0.5\\nsamples = 2\\nvalue = [1, 1]"] ;
    """
    tree, criterion = _tree_and_criterion(decision_tree)
    if feature_names is not None and not isinstance(decision_tree, Tree):
        if len(feature_names) != decision_tree.n_features_in_:
            raise ValueError(
                "Length of feature_names, %d does not match number of features, %d"
                % (len(feature_names), decision_tree.n_features_in_)
            )
    if special_characters:
        characters = ("&#35;", "<SUB>", "</SUB>", "&le;", "<br/>", ">", "<")
    else:
        characters = ("#", "[", "]", "<=", "\\n", '"', '"')
    formatter = _NodeFormatter(
        feature_names=feature_names, class_names=class_names, label=label, impurity=impurity, node_ids=node_ids,
        proportion=proportion, precision=precision, characters=characters,
        escape=lambda s: s.replace('"', r"\""),
    )
    buffer = StringIO()
    _write_dot(buffer, tree, criterion, formatter, max_depth=max_depth, filled=filled, rounded=rounded,
               leaves_parallel=leaves_parallel, rotate=rotate, fontname=fontname)
    if out_file is None:
        return buffer.getvalue()
    if isinstance(out_file, str):
        with open(out_file, "w", encoding="utf-8") as f:
            f.write(buffer.getvalue())
    else:
        out_file.write(buffer.getvalue())
    return None


def _write_dot(out, tree, criterion, formatter, *, max_depth, filled, rounded, leaves_parallel, rotate, fontname):
    if criterion == "squared_error":
        criterion = "squared_error"
    out.write("digraph Tree {\n")
    out.write("node [shape=box")
    style = [name for name, on in (("filled", filled), ("rounded", rounded)) if on]
    if style:
        out.write(', style="%s", color="black"' % ", ".join(style))
    out.write(', fontname="%s"' % fontname)
    out.write("] ;\n")
    if leaves_parallel:
        out.write("graph [ranksep=equally, splines=polyline] ;\n")
    out.write('edge [fontname="%s"] ;\n' % fontname)
    if rotate:
        out.write("rankdir=LR ;\n")
    ranks = {"leaves": []}
    stack = [(0, None, 0)]
    while stack:  # pre-order, left before right
        node_id, parent, depth = stack.pop()
        left, right = tree.children_left[node_id], tree.children_right[node_id]
        if max_depth is None or depth <= max_depth:
            if left == TREE_LEAF:
                ranks["leaves"].append(str(node_id))
            else:
                ranks.setdefault(str(depth), []).append(str(node_id))
            out.write("%d [label=%s" % (node_id, formatter.text(tree, node_id, criterion)))
            if filled:
                out.write(', fillcolor="%s"' % formatter.fill_color(tree, node_id))
            out.write("] ;\n")
            if parent is not None:
                out.write("%d -> %d" % (parent, node_id))
                if parent == 0:
                    angles = np.array([45, -45]) * ((rotate - 0.5) * -2)
                    out.write(" [labeldistance=2.5, labelangle=")
                    if node_id == 1:
                        out.write('%d, headlabel="True"]' % angles[0])
                    else:
                        out.write('%d, headlabel="False"]' % angles[1])
                out.write(" ;\n")
            if left != TREE_LEAF:
                stack.append((right, node_id, depth + 1))
                stack.append((left, node_id, depth + 1))
        else:
            ranks["leaves"].append(str(node_id))
            out.write('%d [label="(...)"' % node_id)
            if filled:
                out.write(', fillcolor="#C0C0C0"')
            out.write("] ;\n")
            if parent is not None:
                out.write("%d -> %d ;\n" % (parent, node_id))
    if leaves_parallel:
        for rank in sorted(ranks):
            out.write("{rank=same ; " + "; ".join(r for r in ranks[rank]) + "} ;\n")
    out.write("}")


def _subtree_depth(tree, node):
    depth, stack = 0, [(node, 1)]
    while stack:
        current, d = stack.pop()
        depth = max(depth, d)
        if tree.children_left[current] != -1 and tree.children_right[current] != -1:
            stack += [(tree.children_left[current], d + 1), (tree.children_right[current], d + 1)]
    return depth


def export_text(decision_tree, *, feature_names=None, class_names=None, max_depth=10, spacing=3, decimals=2,
                show_weights=False):
    """An indented text outline of the tree's rules.

    Parameters
    ----------
    decision_tree : fitted DecisionTreeClassifier or DecisionTreeRegressor
    feature_names, class_names : list of str, default=None
    max_depth : int, default=10
    spacing : int, default=3
    decimals : int, default=2
    show_weights : bool, default=False

    Returns
    -------
    report : str

    Examples
    --------
    >>> from learnflow.tree import DecisionTreeClassifier, export_text
    >>> clf = DecisionTreeClassifier().fit([[0], [1]], [0, 1])
    >>> print(export_text(clf, feature_names=["x"]))
    |--- x <= 0.50
    |   |--- class: 0
    |--- x >  0.50
    |   |--- class: 1
    <BLANKLINE>
    """
    from ._classes import DecisionTreeClassifier

    check_is_fitted(decision_tree)
    tree = decision_tree.tree_
    is_clf = isinstance(decision_tree, DecisionTreeClassifier)
    if is_clf:
        if class_names is None:
            class_names = decision_tree.classes_
        elif len(class_names) != len(decision_tree.classes_):
            raise ValueError(
                "When `class_names` is an array, it should contain as many items as `decision_tree.classes_`. "
                f"Got {len(class_names)} while the tree was fitted with {len(decision_tree.classes_)} classes."
            )
    if feature_names is not None and len(feature_names) != tree.n_features:
        raise ValueError("feature_names must contain %d elements, got %d" % (tree.n_features, len(feature_names)))
    value_fmt = ("{}{} weights: {}\n" if show_weights else "{}{}{}\n") if is_clf else "{}{} value: {}\n"
    if feature_names is not None:
        names = [feature_names[i] if i != TREE_UNDEFINED else None for i in tree.feature]
    else:
        names = ["feature_{}".format(i) for i in tree.feature]
    report = StringIO()

    def add_leaf(value, weighted_n, class_name, indent):
        text = ""
        if is_clf:
            if show_weights:
                text = "[" + "".join("{1:.{0}f}, ".format(decimals, v * weighted_n) for v in value)[:-2] + "]"
            text += " class: " + str(class_name)
        else:
            text = "[" + "".join("{1:.{0}f}, ".format(decimals, v) for v in value)[:-2] + "]"
        report.write(value_fmt.format(indent, "", text))

    def recurse(node, depth):
        indent = ("|" + (" " * spacing)) * depth
        indent = indent[:-spacing] + "-" * spacing
        value = tree.value[node][0] if tree.n_outputs == 1 else tree.value[node].T[0]
        class_name = np.argmax(value)
        if tree.n_classes[0] != 1 and tree.n_outputs == 1:
            class_name = class_names[class_name]
        if depth <= max_depth + 1:
            if tree.feature[node] != TREE_UNDEFINED:
                threshold = "{1:.{0}f}".format(decimals, tree.threshold[node])
                report.write("{} {} <= {}\n".format(indent, names[node], threshold))
                recurse(tree.children_left[node], depth + 1)
                report.write("{} {} >  {}\n".format(indent, names[node], threshold))
                recurse(tree.children_right[node], depth + 1)
            else:
                add_leaf(value, tree.weighted_n_node_samples[node], class_name, indent)
        else:
            subtree_depth = _subtree_depth(tree, node)
            if subtree_depth == 1:
                add_leaf(value, tree.weighted_n_node_samples[node], class_name, indent)
            else:
                report.write("{} {}\n".format(indent, "truncated branch of depth %d" % subtree_depth))

    recurse(0, 1)
    return report.getvalue()
