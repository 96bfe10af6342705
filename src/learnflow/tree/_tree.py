"""The fitted tree structure (scikit-learn's ``tree_`` arrays) and its builders.

:class:`Tree` holds one array per node attribute, exactly as
``sklearn.tree._tree.Tree`` exposes them (``children_left``, ``feature``,
``threshold``, ``value`` ...). Two builders grow it:

* :func:`build_depth_first` (no ``max_leaf_nodes``): nodes are numbered in
  pre-order, the order scikit-learn's stack-based builder visits them (which
  also decides the order in which its random generator is consumed);
* :func:`build_best_first` (``max_leaf_nodes`` set): the node with the largest
  impurity improvement is expanded next; the frontier is a binary heap
  operated exactly as libstdc++'s ``push_heap``/``pop_heap``, so equal
  improvements are expanded in scikit-learn's order.

Larger single-output classification fits, and squared-error fits of integral
targets, grow the depth-first tree level by level instead
(:mod:`._level_exact`), which hands subtrees back to :func:`grow_depth_first`
where scikit-learn breaks a tie unforeseen.
"""

# SPDX-License-Identifier: BSD-3-Clause

import math

import numpy as np
import scipy.sparse
import torch

from ._splitter import find_split

__all__ = ["Tree", "apply_trees", "build_best_first", "build_depth_first", "ccp_pruning_path", "grow_depth_first", "prune_tree"]

TREE_LEAF = -1
TREE_UNDEFINED = -2
EPSILON = float(np.finfo(np.float64).eps)


class Tree:
    """Array-based binary tree, with scikit-learn's attribute names.

    Attributes
    ----------
    node_count, n_leaves, max_depth : int
    children_left, children_right, feature : ndarray of int64, shape (node_count,)
    threshold, impurity, weighted_n_node_samples : ndarray of float64
    n_node_samples : ndarray of int64
    missing_go_to_left : ndarray of uint8
    value : ndarray of shape (node_count, n_outputs, max_n_classes)
        Class fractions for classifiers (scikit-learn >= 1.4), means (or
        medians) for regressors.
    """

    def __init__(self, n_features, n_classes, n_outputs):
        self.n_features = n_features
        self.n_classes = np.asarray(n_classes, dtype=np.intp)
        self.n_outputs = n_outputs
        self.max_n_classes = int(max(n_classes))
        # the nodes being built, one list per field (children_left, children_right, feature, threshold,
        # missing_go_to_left, impurity, n_node_samples, weighted_n_node_samples, value): numbers and arrays,
        # which the garbage collector does not track (with a list per node, fully grown trees of a few
        # thousand nodes set off a full collection of the process's objects, ~0.15 s, every ten fits or so;
        # with a tuple per node, every forty)
        self._nodes = [[] for _ in range(9)]
        self.max_depth = 0

    # -- building ---------------------------------------------------------
    def _n_built(self):
        return len(self._nodes[0])

    def _add_node(self, parent, is_left, is_leaf, split, impurity, n_samples, weighted_n, value):
        left, right, feature, threshold, missing, impurities, n_node, weighted, values = self._nodes
        node_id = len(left)
        left.append(TREE_LEAF)
        right.append(TREE_LEAF)
        if is_leaf or split is None:
            feature.append(TREE_UNDEFINED)
            threshold.append(float(TREE_UNDEFINED))
            missing.append(0)
        else:
            feature.append(split.feature)
            threshold.append(split.threshold)
            missing.append(int(split.missing_go_to_left))
        impurities.append(impurity)
        n_node.append(n_samples)
        weighted.append(weighted_n)
        values.append(value)
        if parent >= 0:
            (left if is_left else right)[parent] = node_id
        return node_id

    def _add_nodes(self, parent, is_left, is_split, feature, threshold, missing_go_to_left, impurity, n_samples,
                   weighted_n, value):
        """:meth:`_add_node` for many nodes at once: arrays in node-id order (a parent before its children)."""
        first, count = self._n_built(), len(parent)
        ids = np.arange(first, first + count)
        children = np.full((2, count), TREE_LEAF)
        inner = parent >= first  # parents added here; the others' pointers are set one by one below
        children[np.where(is_left[inner], 0, 1), parent[inner] - first] = ids[inner]
        for column, values in zip(self._nodes, (
            children[0].tolist(), children[1].tolist(), np.where(is_split, feature, TREE_UNDEFINED).tolist(),
            np.where(is_split, threshold, float(TREE_UNDEFINED)).tolist(),
            np.where(is_split, missing_go_to_left, 0).tolist(), impurity.tolist(), n_samples.tolist(),
            weighted_n.tolist(), list(value),
        )):
            column += values
        for node in np.flatnonzero(~inner & (parent >= 0)).tolist():
            self._nodes[0 if is_left[node] else 1][parent[node]] = first + node

    def pop_grown_leaves(self, n_rows):
        """The leaf each of the ``n_rows`` training rows reached while the tree grew (-1 for a row it did not
        grow on: zero weight), or None where the builder was not asked to record them (``record_leaves`` of
        ``_fit``; the level-wise builder and pruning never record). The record is dropped: it holds every
        row's index, and only the code that grew the tree knows which rows it indexes."""
        recorded = self.__dict__.pop("_leaf_rows", None)
        if recorded is None:
            return None
        leaves = np.full(n_rows, -1, dtype=np.intp)
        for node, rows in recorded:
            leaves[rows] = node
        return leaves

    def _make_leaf(self, node_id):
        left, right, feature, threshold = self._nodes[:4]
        left[node_id] = right[node_id] = TREE_LEAF
        feature[node_id], threshold[node_id] = TREE_UNDEFINED, float(TREE_UNDEFINED)

    def _finalize(self):
        columns = self._nodes
        self.node_count = n = len(columns[0])
        self.children_left = np.array(columns[0], dtype=np.int64)
        self.children_right = np.array(columns[1], dtype=np.int64)
        self.feature = np.array(columns[2], dtype=np.int64)
        self.threshold = np.array(columns[3], dtype=np.float64)
        self.missing_go_to_left = np.array(columns[4], dtype=np.uint8)
        self.impurity = np.array(columns[5], dtype=np.float64)
        self.n_node_samples = np.array(columns[6], dtype=np.int64)
        self.weighted_n_node_samples = np.array(columns[7], dtype=np.float64)
        if not n:
            self.value = np.zeros((0, self.n_outputs, self.max_n_classes))
        elif getattr(self, "_values_are_totals", False):  # node totals T: value = T[1:] / T[0] for all at once
            totals = np.stack(columns[8])
            self.value = (totals[:, 1:] / totals[:, :1]).reshape(n, self.n_outputs, -1)
            del self._values_are_totals
        else:
            self.value = np.stack(columns[8])
        del self._nodes
        self._update_depth()
        return self

    def _update_depth(self):
        # breadth first, one level per step (a few numpy calls per level, not a Python step per node)
        depth, frontier = 0, np.zeros(min(self.node_count, 1), dtype=np.int64)
        while True:
            frontier = np.concatenate([self.children_left[frontier], self.children_right[frontier]])
            frontier = frontier[frontier != TREE_LEAF]
            if not len(frontier):
                break
            depth += 1
        self.max_depth = depth

    @property
    def n_leaves(self):
        return int(np.sum(self.children_left == TREE_LEAF))

    @property
    def capacity(self):
        return self.node_count

    # -- prediction -------------------------------------------------------
    def _torch_arrays(self, device):
        cache = getattr(self, "_cache", None)
        if cache is None or cache[0] != device:
            arrays = (
                torch.as_tensor(self.children_left, device=device),
                torch.as_tensor(self.children_right, device=device),
                torch.as_tensor(np.maximum(self.feature, 0), device=device),
                torch.as_tensor(self.threshold, device=device),
                torch.as_tensor(self.missing_go_to_left.astype(bool), device=device),
            )
            self._cache = cache = (device, arrays)
        return cache[1]

    def apply(self, X):
        """Leaf index of every row of X (a float32 tensor), all rows advanced together."""
        if X.device.type == "cpu":
            return torch.from_numpy(self.apply_numpy(X.numpy()))
        left, right, feature, threshold, missing_left = self._torch_arrays(X.device)
        node = torch.zeros(X.shape[0], dtype=torch.long, device=X.device)
        rows = torch.arange(X.shape[0], device=X.device)
        for _ in range(self.max_depth):
            x = X[rows, feature[node]].double()
            go_left = torch.where(torch.isnan(x), missing_left[node], x <= threshold[node])
            child = torch.where(go_left, left[node], right[node])
            node = torch.where(child == TREE_LEAF, node, child)
        return node

    def apply_numpy(self, X):
        """:meth:`apply` of a float32 numpy X, on numpy (see :func:`apply_trees`)."""
        return apply_trees([self], X)[0]

    def decision_path(self, X):
        """CSR indicator (n_samples, node_count) of the nodes each row passes through."""
        left, right, feature, threshold, missing_left = self._torch_arrays(X.device)
        node = torch.zeros(X.shape[0], dtype=torch.long, device=X.device)
        rows = torch.arange(X.shape[0], device=X.device)
        visits = [node]
        for _ in range(self.max_depth):
            x = X[rows, feature[node]].double()
            go_left = torch.where(torch.isnan(x), missing_left[node], x <= threshold[node])
            child = torch.where(go_left, left[node], right[node])
            node = torch.where(child == TREE_LEAF, node, child)
            visits.append(node)
        path = torch.stack(visits, dim=1).cpu().numpy()
        indicator = np.zeros((X.shape[0], self.node_count), dtype=bool)
        np.put_along_axis(indicator, path, True, axis=1)
        return scipy.sparse.csr_matrix(indicator.astype(np.int64))

    def predict(self, X):
        """The value of the leaf every row reaches."""
        return self.value[self.apply(X).cpu().numpy()]

    def compute_feature_importances(self, normalize=True):
        """Total weighted impurity decrease per feature (MDI)."""
        importances = np.zeros(self.n_features)
        w, imp = self.weighted_n_node_samples, self.impurity
        for node in np.flatnonzero(self.children_left != TREE_LEAF):
            left, right = self.children_left[node], self.children_right[node]
            importances[self.feature[node]] += w[node] * imp[node] - w[left] * imp[left] - w[right] * imp[right]
        importances /= w[0]
        if normalize:
            total = importances.sum()
            if total > 0.0:
                importances /= total
        return importances

    def __getstate__(self):
        state = self.__dict__.copy()
        state.pop("_cache", None)
        state.pop("_leaf_rows", None)
        return state


def apply_trees(trees, X):
    """The leaf of every row of the float32 numpy ``X`` in each of ``trees``: (len(trees), n_rows) node ids.

    On numpy, the CPU's: every tree's rows advance together, a level costing a few numpy calls of about
    a microsecond each (torch's cost several): predictions on small batches, and ensembles of shallow
    trees (boosting), are bound by those calls. Rows holding NaN follow each split's missing_go_to_left.
    """
    n, n_features = X.shape
    counts = np.array([tree.node_count for tree in trees])
    first = np.concatenate([[0], np.cumsum(counts)[:-1]])  # the trees' nodes side by side, ids offset
    node = np.repeat(first, n).reshape(len(trees), n)
    depth = max((tree.max_depth for tree in trees), default=0)
    if not n or not depth:
        return node - first[:, None]

    def side(children, offset):
        return np.where(children == TREE_LEAF, TREE_LEAF, children + offset)

    left = np.concatenate([side(tree.children_left, o) for tree, o in zip(trees, first)])
    right = np.concatenate([side(tree.children_right, o) for tree, o in zip(trees, first)])
    threshold = np.concatenate([tree.threshold for tree in trees])
    feature = np.maximum(np.concatenate([tree.feature for tree in trees]), 0)
    flat, row_start = X.reshape(-1), np.arange(n) * n_features
    missing = bool(np.isnan(flat).any())
    if missing:
        missing_left = np.concatenate([tree.missing_go_to_left for tree in trees]).astype(bool)
    for _ in range(depth):
        x = flat.take(row_start + feature.take(node)).astype(np.float64)
        go_left = x <= threshold.take(node)
        if missing:
            go_left = np.where(np.isnan(x), missing_left.take(node), go_left)
        child = np.where(go_left, left.take(node), right.take(node))
        node = np.where(child == TREE_LEAF, node, child)
    return node - first[:, None]


class _Builder:
    """Shared state of one tree construction."""

    def __init__(self, ctx, *, max_depth, min_samples_split, min_samples_leaf, min_weight_leaf, min_impurity_decrease):
        self.ctx = ctx
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.min_weight_leaf = min_weight_leaf
        self.min_impurity_decrease = min_impurity_decrease
        ctx.leaf_test = self.stops

    def node_stats(self, idx):
        T = self.ctx.stats_np[idx].cumsum(axis=0)[-1]  # sequential, as scikit-learn sums
        return T, float(T[0])

    def root(self, idx):
        """The root's samples (numpy) and presorted block (None without presorting)."""
        idx = idx.numpy() if isinstance(idx, torch.Tensor) else np.asarray(idx)
        idx = idx.astype(np.intp, copy=False)
        return idx, (self.ctx.root_block(idx) if self.ctx.presort else None)

    def stops(self, depth, n, weighted_n):
        return (
            depth >= self.max_depth
            or n < self.min_samples_split
            or n < 2 * self.min_samples_leaf
            or weighted_n < 2 * self.min_weight_leaf
        )

    def split(self, idx, T, impurity, n_constants, block, depth):
        split, n_constants = find_split(self.ctx, idx, T, impurity, n_constants, block, depth)
        if split is not None and split.improvement + EPSILON < self.min_impurity_decrease:
            split = None
        return split, n_constants


def build_depth_first(tree, ctx, idx, **params):
    """Grow ``tree`` depth first (pre-order node ids) from the samples ``idx``."""
    with np.errstate(divide="ignore", invalid="ignore"):  # masked 0/0 candidates, silent as in torch
        return _build_depth_first(tree, ctx, idx, **params)


def _totals_give_values(criterion):
    """Whether ``criterion.node_value(T)`` is ``T[1:] / T[0]`` (one output for classifiers)."""
    from ._criterion import _ClassificationCriterion, _RegressionCriterion

    node_value = type(criterion).node_value
    if node_value is _ClassificationCriterion.node_value:
        return criterion.n_outputs == 1
    return node_value is _RegressionCriterion.node_value


def _build_depth_first(tree, ctx, idx, **params):
    builder = _Builder(ctx, **params)
    idx, block = builder.root(idx)
    # the nodes' values, divided all at once by Tree._finalize (same elementwise divisions)
    tree._values_are_totals = _totals_give_values(ctx.criterion)
    T = builder.node_stats(idx)[0]
    impurity = ctx.criterion.node_impurity(T, idx)
    grow_depth_first(tree, builder, [(idx, T, 0, -1, False, impurity, 0, block)])
    return tree._finalize()


def grow_depth_first(tree, builder, stack):
    """Grow the subtrees of the ``stack`` entries into ``tree``, in pre-order.

    An entry is (samples, totals, depth, parent id, is_left, impurity,
    n_constant_features known from the ancestors, presorted block); the
    entry popped last is grown first. The level-wise builder
    (:mod:`._level_exact`) hands a subtree here when scikit-learn's feature
    draw breaks a tie in a way its first pass did not grow.
    """
    ctx = builder.ctx
    criterion = ctx.criterion
    totals_only = getattr(tree, "_values_are_totals", False)
    leaf_rows = getattr(tree, "_leaf_rows", None)  # (leaf id, its samples), when the caller asked for them
    while stack:
        node_idx, T, depth, parent, is_left, impurity, n_constants, block = stack.pop()
        weighted_n = float(T[0])
        is_leaf = builder.stops(depth, len(node_idx), weighted_n) or impurity <= EPSILON
        split = None
        if not is_leaf:
            split, n_constants = builder.split(node_idx, T, impurity, n_constants, block, depth)
            is_leaf = split is None
        node_id = tree._add_node(
            parent, is_left, is_leaf, split, impurity, len(node_idx), weighted_n,
            T if totals_only else criterion.node_value(T, node_idx),
        )
        if is_leaf and leaf_rows is not None:
            leaf_rows.append((node_id, node_idx))
        if not is_leaf:
            left_idx, right_idx = split.left_idx, split.right_idx
            stack.append(
                (right_idx, split.T_right, depth + 1, node_id, False, split.impurity_right, n_constants, split.block_right)
            )
            stack.append(
                (left_idx, split.T_left, depth + 1, node_id, True, split.impurity_left, n_constants, split.block_left)
            )


def _push_heap(heap, item):
    """libstdc++ std::push_heap with comparator a.improvement < b.improvement."""
    heap.append(item)
    _sift_up(heap, len(heap) - 1, 0, item)


def _sift_up(heap, hole, top, item):
    parent = (hole - 1) // 2
    while hole > top and heap[parent]["improvement"] < item["improvement"]:
        heap[hole] = heap[parent]
        hole = parent
        parent = (hole - 1) // 2
    heap[hole] = item


def _pop_heap(heap):
    """libstdc++ std::pop_heap followed by pop_back: returns the top record."""
    if len(heap) > 1:
        last = len(heap) - 1
        value, heap[last] = heap[last], heap[0]
        _adjust_heap(heap, 0, last, value)
    return heap.pop()


def _adjust_heap(heap, hole, length, value):
    top = hole
    child = hole
    while child < (length - 1) // 2:
        child = 2 * (child + 1)
        if heap[child]["improvement"] < heap[child - 1]["improvement"]:
            child -= 1
        heap[hole] = heap[child]
        hole = child
    if (length & 1) == 0 and child == (length - 2) // 2:
        child = 2 * (child + 1)
        heap[hole] = heap[child - 1]
        hole = child - 1
    _sift_up(heap, hole, top, value)


def build_best_first(tree, ctx, idx, *, max_leaf_nodes, **params):
    """Grow ``tree`` best first: at most ``max_leaf_nodes`` leaves."""
    with np.errstate(divide="ignore", invalid="ignore"):  # masked 0/0 candidates, silent as in torch
        return _build_best_first(tree, ctx, idx, max_leaf_nodes=max_leaf_nodes, **params)


def _build_best_first(tree, ctx, idx, *, max_leaf_nodes, **params):
    builder = _Builder(ctx, **params)

    def add_split_node(node_idx, T, impurity, is_first, is_left, parent, depth, block):
        weighted_n = float(T[0])
        if is_first:
            impurity = ctx.criterion.node_impurity(T, node_idx)
        is_leaf = builder.stops(depth, len(node_idx), weighted_n) or impurity <= EPSILON
        split = None
        if not is_leaf:
            split, _ = builder.split(node_idx, T, impurity, 0, block, depth)
            is_leaf = split is None
        node_id = tree._add_node(
            parent, is_left, is_leaf, split, impurity, len(node_idx), weighted_n, ctx.criterion.node_value(T, node_idx)
        )
        return {
            "node_id": node_id,
            "idx": node_idx,
            "depth": depth,
            "is_leaf": is_leaf,
            "improvement": 0.0 if is_leaf else split.improvement,
            "split": split,
        }

    frontier = []
    idx, block = builder.root(idx)
    _push_heap(frontier, add_split_node(idx, builder.node_stats(idx)[0], math.inf, True, False, -1, 0, block))
    max_split_nodes = max_leaf_nodes - 1
    leaf_rows = getattr(tree, "_leaf_rows", None)
    while frontier:
        record = _pop_heap(frontier)
        if record["is_leaf"] or max_split_nodes <= 0:
            tree._make_leaf(record["node_id"])
            if leaf_rows is not None:
                leaf_rows.append((record["node_id"], record["idx"]))
            continue
        max_split_nodes -= 1
        split, node_idx = record["split"], record["idx"]
        depth = record["depth"] + 1
        left = add_split_node(
            split.left_idx, split.T_left, split.impurity_left, False, True, record["node_id"], depth, split.block_left
        )
        right = add_split_node(
            split.right_idx, split.T_right, split.impurity_right, False, False, record["node_id"], depth, split.block_right
        )
        _push_heap(frontier, left)
        _push_heap(frontier, right)
    return tree._finalize()


# -- minimal cost-complexity pruning -------------------------------------------


def _cost_complexity_prune(tree, stop_alpha=None):
    """Weakest-link pruning (Breiman et al.), as scikit-learn's ``_cost_complexity_prune``.

    R(t) = w_t / w_root * impurity_t; a branch's alpha is
    (R(t) - R(T_t)) / (|leaves(T_t)| - 1). Prunes the weakest branch
    repeatedly until its alpha exceeds ``stop_alpha`` (None: to the root).
    Returns (leaves mask of the pruned tree, alphas, subtree impurities).
    """
    n = tree.node_count
    left, right = tree.children_left, tree.children_right
    w = tree.weighted_n_node_samples
    r_node = w * tree.impurity / w[0]
    parent = np.full(n, TREE_UNDEFINED, dtype=np.int64)
    is_leaf = left == TREE_LEAF
    for node in range(n):
        if not is_leaf[node]:
            parent[left[node]] = node
            parent[right[node]] = node
    n_leaves = np.zeros(n, dtype=np.int64)
    r_branch = np.zeros(n)
    leaves = is_leaf.copy()
    for leaf in np.flatnonzero(is_leaf):
        r_branch[leaf] = r_node[leaf]
        node = leaf
        while node != 0:
            node = parent[node]
            r_branch[node] += r_node[leaf]
            n_leaves[node] += 1
    candidates = ~is_leaf
    in_subtree = np.ones(n, dtype=bool)
    alphas, impurities = [0.0], [r_branch[0]]
    while candidates[0]:
        nodes = np.flatnonzero(candidates)
        subtree_alpha = (r_node[nodes] - r_branch[nodes]) / (n_leaves[nodes] - 1)
        pruned = nodes[int(np.argmin(subtree_alpha))]
        effective_alpha = float(subtree_alpha.min())
        if stop_alpha is not None and stop_alpha < effective_alpha:
            break
        stack = [pruned]
        while stack:
            node = stack.pop()
            if not in_subtree[node]:
                continue
            candidates[node] = leaves[node] = in_subtree[node] = False
            if left[node] != TREE_LEAF:
                stack += [left[node], right[node]]
        leaves[pruned] = in_subtree[pruned] = True
        n_pruned = n_leaves[pruned] - 1
        n_leaves[pruned] = 0
        r_diff = r_node[pruned] - r_branch[pruned]
        r_branch[pruned] = r_node[pruned]
        node = parent[pruned]
        while node != TREE_UNDEFINED:
            n_leaves[node] -= n_pruned
            r_branch[node] += r_diff
            node = parent[node]
        alphas.append(effective_alpha)
        impurities.append(r_branch[0])
    return leaves, np.array(alphas), np.array(impurities)


def prune_tree(tree, ccp_alpha):
    """A new Tree keeping the subtree that minimal cost-complexity pruning selects."""
    leaves, _, _ = _cost_complexity_prune(tree, stop_alpha=ccp_alpha)
    pruned = Tree(tree.n_features, tree.n_classes, tree.n_outputs)

    class _Copied:  # the split fields of an original node
        def __init__(self, node):
            self.feature = tree.feature[node]
            self.threshold = tree.threshold[node]
            self.missing_go_to_left = tree.missing_go_to_left[node]

    stack = [(0, -1, False)]
    while stack:
        node, parent, is_left = stack.pop()
        is_leaf = bool(leaves[node])
        new_id = pruned._add_node(
            parent,
            is_left,
            is_leaf,
            _Copied(node),
            tree.impurity[node],
            tree.n_node_samples[node],
            tree.weighted_n_node_samples[node],
            tree.value[node],
        )
        if not is_leaf:
            stack.append((tree.children_right[node], new_id, False))
            stack.append((tree.children_left[node], new_id, True))
    return pruned._finalize()


def ccp_pruning_path(tree):
    """{"ccp_alphas": ..., "impurities": ...} of the whole pruning sequence."""
    _, alphas, impurities = _cost_complexity_prune(tree)
    return {"ccp_alphas": alphas, "impurities": impurities}
