"""Best-first growth (``max_leaf_nodes``) for the forests' level-wise builder.

scikit-learn grows a tree with ``max_leaf_nodes`` best first: a heap holds
the frontier nodes by the impurity improvement of their best split; the top
one is split (its children enter the heap) until ``max_leaf_nodes - 1``
nodes are split. A node's best split depends only on its samples (and, in
the level-wise builder, on a hash of its tree and position), not on when it
is expanded, so the best-first tree can be read off a tree grown level by
level:

* the heap pops nodes in non-increasing order of ``m(x)``, the smallest
  improvement on the path from the root to ``x`` (by induction: when ``x``
  is popped, any node still waiting has an ancestor-or-self in the frontier,
  whose improvement bounds the waiting node's ``m`` and is at most
  ``x``'s, and the node popped before ``x``'s parent bounds it too), so the
  split nodes are the ``max_leaf_nodes - 1`` splittable nodes of largest
  ``m`` of each tree, a parent before its children on ties (``m`` never
  grows down a path);
* while growing, a node with at least ``max_leaf_nodes - 1`` splittable
  nodes of larger ``m`` already known in its tree is never split, nor are
  its descendants (their ``m`` is at most its own): it stays a leaf, so a
  level only holds nodes that may still be split (:meth:`BestFirstBudget.limit`);
* after growth, :meth:`BestFirstBudget.select` keeps each tree's top nodes
  and cuts the rest (nodes grown while they were still in the running).

Equal ``m`` between unrelated nodes may be ordered differently from
scikit-learn's heap; forests do not replay scikit-learn's trees anyway.
"""

# SPDX-License-Identifier: BSD-3-Clause

import math

import numpy as np
import torch

from ._tree import TREE_LEAF, TREE_UNDEFINED

__all__ = ["BestFirstBudget"]


class BestFirstBudget:
    """The split budget of ``max_leaf_nodes`` for the trees grown together by the level-wise builder.

    Call :meth:`limit` once per level with the level's candidate splits, then
    :meth:`select` on the assembled trees.
    """

    def __init__(self, max_leaf_nodes, n_trees):
        self.n_splits = max_leaf_nodes - 1
        self.n_trees = n_trees
        self.path_min = None  # m of the current level's nodes' parents (None: the roots, +inf)
        self.tree, self.local, self.m, self.depth = [], [], [], []  # the split nodes kept so far, per level
        self.level = 0

    def limit(self, cand, do_split, improvement, tree_of, local):
        """``do_split`` of the level's candidate nodes ``cand``, less the nodes that cannot be among their
        tree's best ``max_leaf_nodes - 1`` (see the module docstring). ``improvement``, ``tree_of`` and
        ``local`` are per candidate; the children of the returned splits form the next level, in their
        order, left then right."""
        dev = improvement.device
        parent_m = (torch.full((cand.shape[0],), math.inf, dtype=torch.float64, device=dev)
                    if self.path_min is None else self.path_min.index_select(0, cand))
        m = torch.minimum(parent_m, improvement)
        split = torch.nonzero(do_split).flatten()
        trees, ms = tree_of.index_select(0, split), m.index_select(0, split)
        known_trees = torch.cat(self.tree + [trees])
        known_m = torch.cat(self.m + [ms])
        threshold = _kth_largest_per_group(known_m, known_trees, self.n_trees, self.n_splits)
        keep = ms >= threshold.index_select(0, trees)
        do_split = do_split.clone()
        do_split[split[~keep]] = False
        split = split[keep]
        self.tree.append(trees[keep])
        self.local.append(local.index_select(0, split))
        self.m.append(ms[keep])
        self.depth.append(torch.full((split.shape[0],), self.level, dtype=torch.int64, device=dev))
        self.path_min = ms[keep].repeat_interleave(2)
        self.level += 1
        return do_split

    def select(self, trees):
        """Each :class:`~._tree.Tree` (breadth-first node ids, as assembled) cut to its best-first tree."""
        if not self.tree:
            return trees
        tree = torch.cat(self.tree).cpu().numpy()
        local = torch.cat(self.local).cpu().numpy()
        m = torch.cat(self.m).cpu().numpy()
        depth = torch.cat(self.depth).cpu().numpy()
        # per tree: largest m first, then shallower, then breadth-first order (a parent before its children)
        order = np.lexsort((local, depth, -m, tree))
        tree, local = tree[order], local[order]
        rank = np.arange(len(tree)) - np.searchsorted(tree, tree)
        chosen = rank < self.n_splits
        tree, local = tree[chosen], local[chosen]
        bounds = np.searchsorted(tree, np.arange(len(trees) + 1))
        return [_keep_splits(t, local[bounds[i]: bounds[i + 1]]) for i, t in enumerate(trees)]


def _kth_largest_per_group(values, group, n_groups, k):
    """Per group, its ``k``-th largest value (-inf for a group of fewer values)."""
    dev = values.device
    out = torch.full((n_groups,), -math.inf, dtype=values.dtype, device=dev)
    if values.shape[0] == 0:
        return out
    order = torch.argsort(values, descending=True, stable=True)
    order = order[torch.argsort(group.index_select(0, order), stable=True)]  # by group, largest first
    sorted_group = group.index_select(0, order)
    first = torch.searchsorted(sorted_group, torch.arange(n_groups, device=dev, dtype=sorted_group.dtype))
    rank = torch.arange(order.shape[0], device=dev) - first.index_select(0, sorted_group)
    at = rank == k - 1
    out[sorted_group[at]] = values.index_select(0, order[at])
    return out


def _keep_splits(tree, split_nodes):
    """``tree`` (breadth-first ids: a parent before its children) with only ``split_nodes`` split: their
    children stay, every other node is a leaf and its descendants are dropped."""
    n = tree.node_count
    split = np.zeros(n, dtype=bool)
    split[split_nodes] = True
    inner = tree.children_left != TREE_LEAF
    kept = np.zeros(n, dtype=bool)
    kept[0] = True
    kept[tree.children_left[split]] = True
    kept[tree.children_right[split]] = True
    if kept.all() and (split == inner).all():
        return tree
    new_id = np.cumsum(kept) - 1
    for name in ("feature", "threshold", "impurity", "n_node_samples", "weighted_n_node_samples", "value",
                 "missing_go_to_left", "children_left", "children_right"):
        setattr(tree, name, getattr(tree, name)[kept].copy())
    split = split[kept]
    tree.children_left = np.where(split, new_id[np.maximum(tree.children_left, 0)], TREE_LEAF)
    tree.children_right = np.where(split, new_id[np.maximum(tree.children_right, 0)], TREE_LEAF)
    tree.feature = np.where(split, tree.feature, TREE_UNDEFINED)
    tree.threshold = np.where(split, tree.threshold, float(TREE_UNDEFINED))
    tree.node_count = int(kept.sum())
    depth = np.zeros(tree.node_count, dtype=np.int64)
    for node in np.flatnonzero(split):  # parents before children: one pass sets every depth
        depth[tree.children_left[node]] = depth[tree.children_right[node]] = depth[node] + 1
    tree.max_depth = int(depth.max())
    return tree
