"""Level-wise growth of scikit-learn's exact classification and regression trees.

The depth-first builder (:func:`._tree.build_depth_first`) searches one node
at a time, so a fully grown tree of a few thousand nodes pays a few dozen
numpy calls, or a Python scan of its samples, per node. This builder grows
the *same* tree, node for node, in two passes.

Pass 1, level by level (numpy, all nodes of a depth at once). Every feature
keeps the samples of the level's nodes side by side, grouped by node and in
ascending order of value within a node (the root's stable sort, then stable
partitions: the depth-first builder's presorted blocks, all in one array).
A running sum of each statistic along each feature row, less its value
before a node's start, gives the left totals (class weights; squared error:
``w`` and ``w y``) at every split position of every node. Candidates lie
between distinct float32 values, ``min_samples_leaf`` apart, as in the
depth-first search, and are scored with its proxy arithmetic (Gini: the same
float operations on the same exact integers; entropy and squared error: its
own ``_masked_proxy``), so every proxy equals that builder's, and
scikit-learn's, bit for bit. Per (feature, node) the first
maximum over ascending positions is kept (scikit-learn's strict ``>``), then
per node the best feature. Where several features reach a node's maximum,
scikit-learn keeps the first one its random feature draw visits, which pass
1 cannot know: the node takes the lowest-indexed one *provisionally*, and
each other tied feature becomes an *alias* (it sends the same samples left:
same children, same subtree) or, for small nodes, a *variant* grown
alongside. Thresholds (``x[j - 1] / 2 + x[j] / 2``), children's totals and
impurities, improvements and the stopping rules are the depth-first
builder's, elementwise.

Pass 2, pre-order replay (Python, one short step per node). scikit-learn's
builder visits nodes in pre-order, and each searched node draws its feature
order from one xorshift stream (:class:`._splitter._SklearnFeatureDraw`);
a draw depends only on the node's constant features and on the draws before
it. The replay walks the provisional tree in pre-order, draws for every
searched node exactly as the depth-first builder would, takes the first
visited tied feature (the provisional split, an alias or a variant) and
lists the node; the listed nodes enter the tree together, in pre-order
(scikit-learn's node ids), through ``Tree._add_nodes``. A tie with neither
alias nor variant for the drawn feature rewinds the
draw to before the node and grows its subtree again on that feature: pass 1
from there for large nodes, else the depth-first builder
(:func:`._tree.grow_depth_first`), both consuming the stream as scikit-learn
does; the walk then resumes after that subtree.

Every statistic is an exact integer (integral weights, sums below 2**26;
squared error: integral weights and targets with every sum of ``w``, ``w y``
and ``w y^2`` exact, ``SplitContext.order_free``), so sums taken per level
equal the per-node sums in any order: the replayed tree is the depth-first
builder's, and therefore scikit-learn's, bit for bit. (With other targets the
depth-first builder's sums, hence its exact ties, depend on the sample order
scikit-learn's feature draw leaves, which pass 1 cannot know: those fits stay
depth first.)
:func:`level_exact_applies` states where this holds and pays off.
"""

# SPDX-License-Identifier: BSD-3-Clause

import numpy as np

from ._criterion import _MSE, _ClassificationCriterion, _Entropy, _Gini
from ._splitter import FEATURE_THRESHOLD, SplitContext, _masked_proxy, _nonzero_2d, _running_sums
from ._tree import EPSILON, _Builder, grow_depth_first

__all__ = ["build_level_exact", "level_exact_applies"]

# where this builder pays off (measured on fully grown trees, against the depth-first builder): a level
# costs a few hundred numpy calls whatever its width, more than small trees spend in all (moons of 1,000
# samples: 0.8x to 0.9x; 2,000: 1.1x to 1.3x), and its (n_features, n_samples) running sums per statistic,
# with the ties many features bring, outgrow the per-node work saved (3,000 samples: 4 to 30 features
# gain 1.2x to 4x, 40 or 64 features of 3 classes lose 1.7x to 3x; digits and MNIST stay depth first)
MIN_LEVEL_SAMPLES = 2000
MAX_LEVEL_FEATURES = 32
MAX_LEVEL_WIDTH = 256  # n_features * (n_classes + 1)
_MAX_EXACT_WEIGHT = 2.0**26  # total weight: every sum of squared class weights stays an exact float
# variants may add this fraction of the root's samples to the levels below them, in all (so no level is
# more than twice as wide)
VARIANT_BUDGET = 1.0
LEVEL_REGROW_MIN_SAMPLES = 128  # a regrown subtree from this size on: level-wise again, else depth first
_LEAF, _NO_SPLIT, _SPLIT = 0, 1, 2  # provisional node kinds: not searched / searched, kept a leaf / split


def level_exact_applies(ctx):
    """Whether :func:`build_level_exact` grows the depth-first fit of ``ctx`` (else ``build_depth_first``).

    Single-output Gini, entropy or squared error, best splitter over every
    feature (no feature subsampling), no missing value, positive integral
    weights summing below 2**26 and exact sums in any order
    (``ctx.order_free``: integral targets for squared error; the running sums
    along a level, whose variants may hold up to ``1 + VARIANT_BUDGET`` times
    the root's samples, stay exact), at least ``MIN_LEVEL_SAMPLES`` samples,
    at most ``MAX_LEVEL_FEATURES`` features and ``n_features * n_statistics``
    at most ``MAX_LEVEL_WIDTH``.
    """
    criterion = ctx.criterion
    return bool(
        type(criterion) in (_Gini, _Entropy, _MSE)
        and criterion.n_outputs == 1
        and ctx.splitter == "best"
        and ctx.presort
        and ctx.max_features == ctx.n_features
        and not ctx.has_missing
        and ctx.order_free
        and not ctx.negative_weights
        and ctx.w_total < _MAX_EXACT_WEIGHT
        and ctx.n_samples >= MIN_LEVEL_SAMPLES
        and ctx.n_features <= MAX_LEVEL_FEATURES
        and ctx.n_features * ctx.stats_np.shape[1] <= MAX_LEVEL_WIDTH
        and (type(criterion) is not _MSE or (1.0 + VARIANT_BUDGET) * np.abs(ctx.stats_np[:, 1]).sum() < 2.0**53)
    )


def build_level_exact(tree, ctx, idx, **params):
    """Grow ``tree`` as :func:`._tree.build_depth_first` does, level-wise (see the module docstring)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        builder = _Builder(ctx, **params)
        idx = np.asarray(idx, dtype=np.intp)
        tree._values_are_totals = True  # one output: value = T[1:] / T[0] at _finalize
        T = builder.node_stats(idx)[0]
        provisional = _grow_levels(ctx, builder, idx, T, ctx.criterion.node_impurity(T, idx), 0)
        _replay(tree, ctx, builder, provisional, -1, False, 0)
        return tree._finalize()


# -- pass 1: level-wise search ------------------------------------------------------------


class _Provisional:
    """The provisional tree of pass 1, numbered breadth first (children ids consecutive).

    A searched node whose maximum several features reach has, for each other
    tied feature, an alias or a variant (see :func:`_entries`): a copy of the
    node split on that feature, so that the replay can take scikit-learn's
    choice without growing anything again.
    """

    def __init__(self, n_features, n_root):
        self.n_features = n_features
        self.totals, self.impurity, self.n_samples, self.depth = [], [], [], []
        self.n_nodes = 0
        self.searched = []  # per level: dict of the searched nodes' (and variants') results
        self.variants = {}  # node id -> {feature: id of its alias or variant split on that feature}
        self.tied_samples = {}  # node id -> its samples, for tied nodes without variants (regrown if needed)
        self.variant_budget = VARIANT_BUDGET * n_root  # samples the variants may still add
        self._keys = None

    def sample_keys(self, n_samples):
        """Random 62-bit keys of the samples (made once), whose sums fingerprint sets of samples."""
        if self._keys is None:
            self._keys = np.random.RandomState(0).randint(0, 2**62, size=n_samples, dtype=np.int64)
        return self._keys

    def create(self, totals, impurity, n_samples, depth):
        """Ids of new nodes (arrays of equal length)."""
        ids = np.arange(self.n_nodes, self.n_nodes + len(n_samples))
        self.n_nodes += len(n_samples)
        self.totals.append(totals)
        self.impurity.append(impurity)
        self.n_samples.append(n_samples)
        self.depth.append(np.full(len(n_samples), depth))
        return ids

    def as_lists(self):
        """Per-node Python lists for the replay's walk (arrays for the tied features and the fields
        that :func:`_emit` gathers; the constant features as one ``bytes``: a list per node would be
        tracked by the garbage collector)."""
        n, n_features = self.n_nodes, self.n_features
        kind = np.full(n, _LEAF)
        feature, n_tied = np.zeros(n, dtype=np.intp), np.zeros(n, dtype=np.intp)
        threshold, left = np.zeros(n), np.zeros(n, dtype=np.intp)
        go_left_missing = np.zeros(n, dtype=bool)
        is_constant, tied = np.zeros((n, n_features), dtype=bool), np.zeros((n, n_features), dtype=bool)
        for level in self.searched:
            ids = level["ids"]
            kind[ids] = np.where(level["split"], _SPLIT, _NO_SPLIT)
            for name, array in (("feature", feature), ("n_tied", n_tied), ("threshold", threshold), ("left", left),
                                ("go_left_missing", go_left_missing), ("is_constant", is_constant), ("tied", tied)):
                array[ids] = level[name]
        return {
            "kind": kind.tolist(), "feature": feature.tolist(), "n_tied": n_tied.tolist(), "left": left.tolist(),
            "is_constant": is_constant.tobytes(), "tied": tied, "variants": self.variants,
            "tied_samples": self.tied_samples, "is_split": kind == _SPLIT, "feature_array": feature,
            "threshold": threshold, "go_left_missing": go_left_missing, "totals": np.concatenate(self.totals),
            "impurity": np.concatenate(self.impurity), "n_samples": np.concatenate(self.n_samples),
            "depth": np.concatenate(self.depth),
        }


def _grow_levels(ctx, builder, idx, T, impurity, depth, root_feature=None):
    """Pass 1: the provisional tree of the node holding ``idx`` (ascending) at ``depth``, one depth at a time.

    ``root_feature``: the feature the root takes among its tied maxima (a
    regrown subtree's, known from the replay); by default the lowest-indexed.
    """
    provisional = _Provisional(ctx.n_features, len(idx))
    root = provisional.create(T[None], np.array([impurity]), np.array([len(idx)]), depth)
    if _is_leaf(builder, depth, np.array([len(idx)]), T[None], np.array([impurity]))[0]:
        return provisional
    _, order, values, _, _ = SplitContext.root_block(ctx, idx, python=False)
    level = {"ids": root, "starts": np.array([0]), "sizes": np.array([len(idx)]), "totals": T[None],
             "impurity": np.array([impurity]), "order": order, "values": values, "depth": depth}
    if type(ctx.criterion) is _MSE:  # each node's sum of w y^2 (exact: any order), for its children's impurities
        level["sq"] = np.array([float(ctx.criterion._wyy[idx].sum())])
    columns = np.ascontiguousarray(ctx.stats_np.T)  # per-statistic rows: fast 1-D gathers
    preferred = root_feature
    while len(level["ids"]):
        found = _search_level(ctx, columns, level, preferred)
        entries = _entries(ctx, builder, provisional, level, found)
        _record_level(provisional, level, found, entries)
        level = _next_level(ctx, builder, provisional, level, entries, depth)
        preferred = None
        depth += 1
    return provisional


def _is_leaf(builder, depth, n_samples, totals, impurity):
    """The depth-first builder's leaf test of nodes at ``depth`` (``_Builder.stops``, pure node)."""
    weighted_n = totals[:, 0]
    return (
        (depth >= builder.max_depth)
        | (n_samples < builder.min_samples_split)
        | (n_samples < 2 * builder.min_samples_leaf)
        | (weighted_n < 2 * builder.min_weight_leaf)
        | (impurity <= EPSILON)
    )


def _candidates(ctx, columns, level):
    """Every valid split position of every node and feature, with its left totals and proxy.

    Returns (rows, positions, node, L, proxy): candidate ``i`` puts the
    samples up to ``positions[i]`` of feature row ``rows[i]`` of node
    ``node[i]`` on the left, whose totals are ``L[:, i]``; candidates are
    listed feature by feature, then by position, hence node by node within a
    feature.
    """
    order, values, starts, sizes = level["order"], level["values"], level["starts"], level["sizes"]
    node_of = np.repeat(np.arange(len(starts)), sizes)
    msl = ctx.min_samples_leaf
    n_left = np.arange(1, order.shape[1]) - starts[node_of[:-1]]  # left size at each position (same node only)
    in_node = (n_left >= msl) & (n_left <= sizes[node_of[:-1]] - msl)
    rows, positions = _nonzero_2d((values[:, 1:] > values[:, :-1] + FEATURE_THRESHOLD) & in_node)
    node = node_of.take(positions)
    L = _left_totals(ctx, columns, order, starts, rows, positions, node)
    if type(ctx.criterion) is _Gini:
        proxy = _gini_proxy(L, np.ascontiguousarray(level["totals"].T).take(node, axis=1), ctx.min_weight_leaf)
    else:  # the depth-first search's own proxy (entropy: torch's logarithm)
        proxy = _masked_proxy(ctx, L.T, level["totals"].take(node, axis=0), True)
    return rows, positions, node, L, proxy


def _left_totals(ctx, columns, order, starts, rows, positions, node):
    """(n_stats, n_candidates) left totals: running sums along each feature row, less the one
    before the node's start (exact integers, so equal to the per-node sums).

    One statistic at a time (1-D gathers are fast); with unit weights the
    weight is the left size, and a classifier's last class always follows
    from the others.
    """
    n_features, width = order.shape
    n_stats = columns.shape[0]
    unit = ctx.unit_weights
    classes = isinstance(ctx.criterion, _ClassificationCriterion)
    L = np.empty((n_stats, len(rows)))
    end = rows * (width + 1) + positions + 1  # flat indices into (n_features, width + 1) running sums
    begin = rows * (width + 1) + starts.take(node)
    running = np.zeros((n_features, width + 1))
    for column in range(1 if unit else 0, n_stats - 1 if classes else n_stats):
        gathered = columns[column].take(order)
        _running_sums(gathered, out=running[:, 1:])
        flat = running.ravel()
        np.subtract(flat.take(end), flat.take(begin), out=L[column])
    if unit:
        np.subtract(positions + 1, starts.take(node), out=L[0], casting="unsafe")
    if classes:
        np.subtract(L[0], L[1:-1].sum(axis=0), out=L[-1])
    return L


def _gini_proxy(L, T, min_weight_leaf):
    """The Gini proxy -w_R gini_R - w_L gini_L of each candidate (columns of ``L``, node totals ``T``).

    sum_c L_c^2 and sum_c R_c^2 are exact integers (weights integral, totals
    below 2**26), so these are the float operations of the depth-first
    search (:func:`._splitter._gini_proxy_by_counts`, ``_Gini.proxy``) on
    the same operands: the proxies are equal bit for bit.
    """
    R = T - L
    w_left, w_right = L[0], R[0]
    sq_left, sq_right = _sum_of_squares(L[1:]), _sum_of_squares(R[1:])
    proxy = -w_right * (1.0 - sq_right / (w_right * w_right)) - w_left * (1.0 - sq_left / (w_left * w_left))
    if min_weight_leaf > 0.0:
        proxy[(w_left < min_weight_leaf) | (w_right < min_weight_leaf)] = -np.inf
    return proxy


def _sum_of_squares(rows):
    """sum_i rows[i]^2, row by row (exact for these integers, in any order)."""
    total = rows[0] * rows[0]
    for row in rows[1:]:
        total += row * row
    return total


def _first_maxima(rows, node, proxy, n_nodes, n_features):
    """(best proxy, its first candidate) per (feature, node); -inf where a node has no candidate."""
    best = np.full(n_features * n_nodes, -np.inf)
    first = np.zeros(n_features * n_nodes, dtype=np.intp)
    if len(proxy):
        group = rows * n_nodes + node  # non-decreasing along the candidates
        starts = np.flatnonzero(np.concatenate([[True], group[1:] != group[:-1]]))
        group_max = np.maximum.reduceat(proxy, starts)
        hits = np.flatnonzero(proxy == np.repeat(group_max, np.diff(np.append(starts, len(proxy)))))
        first_hits = hits[np.concatenate([[True], group[hits[1:]] != group[hits[:-1]]])]
        best[group[starts]] = group_max
        first[group[starts]] = first_hits  # scikit-learn's scan keeps the first strict maximum
    return best.reshape(n_features, n_nodes), first.reshape(n_features, n_nodes)


def _search_level(ctx, columns, level, preferred=None):
    """Each node's best candidate per feature, tied maxima and provisional feature (the lowest
    index among the tied maxima, or the single node's ``preferred`` one)."""
    order, values, starts, sizes = level["order"], level["values"], level["starts"], level["sizes"]
    n_features, n_nodes = order.shape[0], len(starts)
    rows, positions, node, L, proxy = _candidates(ctx, columns, level)
    best, first = _first_maxima(rows, node, proxy, n_nodes, n_features)
    node_best = best.max(axis=0)
    has_split = node_best > -np.inf
    tied = (best == node_best) & has_split
    last = starts + sizes - 1
    return {
        "positions": positions, "L": L, "first": first, "has_split": has_split, "tied": tied.T,
        "n_tied": tied.sum(axis=0),
        "feature": tied.argmax(axis=0) if preferred is None else np.array([preferred]),
        "is_constant": (values[:, last] <= values[:, starts] + FEATURE_THRESHOLD).T,
    }


def _entries(ctx, builder, provisional, level, found):
    """The level's splits: each node on its provisional feature, then its other tied features.

    Another tied feature that sends the same samples left (the same
    partition: the subtree below is then the same, draws included) is an
    *alias* sharing the children; one that partitions differently is grown
    as a *variant* while the budget of extra samples lasts, and is otherwise
    left to the replay to regrow.
    """
    n_nodes = len(level["sizes"])
    tied_nodes = np.flatnonzero(found["n_tied"] > 1)
    which, feature = np.nonzero(found["tied"][tied_nodes])
    node = tied_nodes[which]
    other = feature != found["feature"][node]
    all_nodes = np.concatenate([np.arange(n_nodes), node[other]])
    entries = _splits(ctx, builder, level, found, all_nodes, np.concatenate([found["feature"], feature[other]]))
    entries["rep"] = np.arange(len(all_nodes))  # the entry whose children each entry shares
    entries["resolved"] = np.ones(len(all_nodes), dtype=bool)  # aliases and variants grown
    entries["unresolved_nodes"] = np.zeros(0, dtype=np.intp)  # nodes the replay may have to regrow
    if len(tied_nodes):
        _resolve_ties(ctx, builder, provisional, level, entries, node, other)
    return entries


def _resolve_ties(ctx, builder, provisional, level, entries, node, other):
    """Mark aliases (``rep``), grow the variants the budget allows, list the other tied nodes.

    A variant costs the budget the samples of its children that will be searched: one whose
    children are leaves (the many tied nodes of two or three samples) is free.
    """
    n_nodes = len(level["sizes"])
    pair_entry = np.empty(len(node), dtype=np.intp)  # the entry of each tied (node, feature) pair
    pair_entry[~other], pair_entry[other] = node[~other], n_nodes + np.arange(int(other.sum()))
    rep = entries["rep"]
    rep[pair_entry] = pair_entry[_same_partition_as(ctx, provisional, level, entries, pair_entry)]
    own = np.flatnonzero(rep[n_nodes:] == np.arange(n_nodes, len(rep))) + n_nodes
    n_left, sizes = entries["n_left"][own], level["sizes"][entries["node"][own]]
    searched = [~_is_leaf(builder, level["depth"] + 1, n, entries[f"T_{side}"][own], entries[f"impurity_{side}"][own])
                for side, n in (("left", n_left), ("right", sizes - n_left))]
    spent = np.cumsum(np.where(entries["split"][own], n_left * searched[0] + (sizes - n_left) * searched[1], 0))
    grown = own[spent <= provisional.variant_budget]
    if len(grown):
        provisional.variant_budget -= int(spent[len(grown) - 1])
    resolved = entries["resolved"]
    resolved[own] = False
    resolved[grown] = True
    entries["resolved"] = resolved = resolved[rep]  # an alias of a variant not grown is not resolved either
    entries["unresolved_nodes"] = np.unique(entries["node"][~resolved])


def _same_partition_as(ctx, provisional, level, entries, pairs):
    """For each tied pair (entries ``pairs``), the index among ``pairs`` of the first pair (by entry:
    the provisional feature's first) of the same node whose split sends exactly the same samples left.

    Candidates are grouped by (node, left size, a sum of random per-sample
    keys over the left samples), then each member is checked exactly against
    its group's first pair: same size and every sample on the first pair's
    left side.
    """
    node, feature, n_left = entries["node"][pairs], entries["feature"][pairs], entries["n_left"][pairs]
    if not len(pairs):
        return np.zeros(0, dtype=np.intp)
    samples, offsets = _left_samples(level, node, feature, n_left)
    key_sum = np.add.reduceat(provisional.sample_keys(ctx.n_samples).take(samples), offsets)  # (may wrap)
    by_group = np.lexsort((pairs, key_sum, n_left, node))
    new_group = np.concatenate([[True], (np.diff(node[by_group]) != 0) | (np.diff(n_left[by_group]) != 0)
                                | (np.diff(key_sum[by_group]) != 0)])
    first = np.empty(len(pairs), dtype=np.intp)
    first[by_group] = by_group[np.flatnonzero(new_group)[np.cumsum(new_group) - 1]]
    # exact check: each of the member's left samples goes left by the first pair's split
    rep_feature, rep_threshold = feature[first], entries["threshold"][pairs][first]
    member_of = np.repeat(np.arange(len(pairs)), n_left)
    goes_left = ctx.XT.ravel().take(rep_feature[member_of] * ctx.XT.shape[1] + samples) <= rep_threshold[member_of]
    same = np.logical_and.reduceat(goes_left, offsets)
    return np.where(same, first, np.arange(len(pairs)))


def _left_samples(level, node, feature, n_left):
    """The left samples of the splits (node ``node[e]``, ``n_left[e] > 0`` first samples of ``feature[e]``'s
    row), split after split, and each split's offset among them."""
    order = level["order"]
    offsets = np.cumsum(n_left) - n_left
    flat = np.repeat(feature * order.shape[1] + level["starts"][node] - offsets, n_left) + np.arange(int(n_left.sum()))
    return order.ravel().take(flat), offsets


def _splits(ctx, builder, level, found, node, feature):
    """The split of node ``node[e]`` on ``feature[e]`` at that feature's first best candidate."""
    has_split = found["has_split"][node]
    chosen = found["first"][feature, node]
    positions = found["positions"][chosen] if len(found["positions"]) else np.zeros(len(node), dtype=np.intp)
    n_left = positions + 1 - level["starts"][node]
    T = level["totals"][node]
    T_left = np.ascontiguousarray(found["L"].take(chosen, axis=1).T) if len(found["positions"]) else T.copy()
    T_left[~has_split] = T[~has_split]  # (any valid totals: nodes without a candidate stay leaves)
    T_right = T - T_left
    sq_left = sq_right = None
    if "sq" in level:  # squared error: the children's sums of w y^2 (exact integers: any order)
        sq_left = level["sq"][node].copy()  # (nodes without a candidate: any value)
        if has_split.any():
            samples, offsets = _left_samples(level, node[has_split], feature[has_split], n_left[has_split])
            sq_left[has_split] = np.add.reduceat(ctx.criterion._wyy[:, 0].take(samples), offsets)
        sq_right = level["sq"][node] - sq_left
    impurity_left = _impurities(ctx.criterion, T_left, has_split, sq_left)
    impurity_right = _impurities(ctx.criterion, T_right, has_split, sq_right)
    improvement = _improvement(ctx.w_total, T, T_left, T_right, level["impurity"][node], impurity_left, impurity_right)
    values = level["values"]
    sizes = level["sizes"][node]
    return {
        "node": node, "feature": feature, "n_left": n_left, "T_left": T_left, "T_right": T_right,
        "impurity_left": impurity_left, "impurity_right": impurity_right, "sq_left": sq_left, "sq_right": sq_right,
        "threshold": values[feature, positions].astype(np.float64) / 2.0
        + values[feature, positions + 1].astype(np.float64) / 2.0,
        "split": has_split & ~(improvement + EPSILON < builder.min_impurity_decrease),
        "go_left_missing": n_left > sizes - n_left,
    }


def _impurities(criterion, totals, has_split, sq=None):
    """``criterion.children_impurity`` of each row: Gini vectorised (exact integer squares), entropy
    and squared error (from the sums of w y^2 ``sq``) by their own scalar code (Python's ``**`` and
    logarithms may round differently from numpy's), for the rows of nodes with a candidate split
    (``has_split``; others: 0)."""
    if type(criterion) is _Gini:
        counts, weight = totals[:, 1:], totals[:, 0]
        return 1.0 - (counts * counts).sum(axis=1) / (weight * weight)
    impurity = np.zeros(len(totals))
    if type(criterion) is _MSE:
        impurity[has_split] = criterion.impurities(sq[has_split], totals[has_split])
    else:
        impurity[has_split] = [criterion.scalar_impurity(row) for row in totals[has_split].tolist()]
    return impurity


def _improvement(w_total, T, T_left, T_right, impurity, impurity_left, impurity_right):
    """``_Criterion.improvement`` elementwise (the same float64 operations in the same order)."""
    w_node, w_left, w_right = T[:, 0], T_left[:, 0], T_right[:, 0]
    return (w_node / w_total) * (impurity - (w_right / w_node * impurity_right) - (w_left / w_node * impurity_left))


def _record_level(provisional, level, found, entries):
    """Store the level's results under node ids (new ones for the aliases and variants)."""
    node, n_nodes = entries["node"], len(level["ids"])
    extra = np.flatnonzero(entries["resolved"][n_nodes:]) + n_nodes
    variant_of = node[extra]
    ids = np.full(len(node), -1)
    ids[:n_nodes] = level["ids"]
    ids[extra] = provisional.create(
        level["totals"][variant_of], level["impurity"][variant_of], level["sizes"][variant_of], level["depth"]
    )
    entries["ids"] = ids
    for primary, feature, variant in zip(level["ids"][variant_of].tolist(), entries["feature"][extra].tolist(),
                                         ids[extra].tolist()):
        provisional.variants.setdefault(primary, {})[feature] = variant
    # a node with a tied feature neither alias nor variant keeps its samples: the replay may regrow it
    for k in entries["unresolved_nodes"].tolist():
        start = level["starts"][k]
        provisional.tied_samples[int(level["ids"][k])] = np.sort(level["order"][0, start : start + level["sizes"][k]])
    kept = np.concatenate([np.arange(n_nodes), extra])
    n_tied = np.concatenate([found["n_tied"], np.zeros(len(extra), dtype=np.intp)])
    provisional.searched.append({
        "ids": ids[kept], "split": entries["split"][kept], "feature": entries["feature"][kept], "n_tied": n_tied,
        "threshold": entries["threshold"][kept], "go_left_missing": entries["go_left_missing"][kept],
        "left": None,  # the left children's ids, set by _next_level once they exist
        "is_constant": found["is_constant"][node[kept]], "tied": found["tied"][node[kept]],
    })
    entries["kept"] = kept


def _next_level(ctx, builder, provisional, level, entries, depth):
    """Create the children of the splits (an alias shares its representative's); the ones to search
    form the next level."""
    split = np.flatnonzero(entries["split"] & entries["resolved"] & (entries["rep"] == np.arange(len(entries["rep"]))))
    sizes = level["sizes"][entries["node"][split]]
    n_left = entries["n_left"][split]
    child_sizes = np.stack([n_left, sizes - n_left], axis=1).ravel()
    totals = np.stack([entries["T_left"][split], entries["T_right"][split]], axis=1)
    totals = totals.reshape(-1, level["totals"].shape[1])
    impurity = np.stack([entries["impurity_left"][split], entries["impurity_right"][split]], axis=1).ravel()
    ids = provisional.create(totals, impurity, child_sizes, depth + 1)
    left = np.zeros(len(entries["node"]), dtype=np.intp)
    left[split] = ids[0::2]
    provisional.searched[-1]["left"] = left[entries["rep"]][entries["kept"]]
    searched = ~_is_leaf(builder, depth + 1, child_sizes, totals, impurity)
    order, values = _partition(ctx, level, entries, split, searched)
    kept_sizes = child_sizes[searched]
    next_level = {"ids": ids[searched], "starts": np.cumsum(kept_sizes) - kept_sizes, "sizes": kept_sizes,
                  "totals": totals[searched], "impurity": impurity[searched], "order": order, "values": values,
                  "depth": depth + 1}
    if "sq" in level:
        next_level["sq"] = np.stack([entries["sq_left"][split], entries["sq_right"][split]], axis=1).ravel()[searched]
    return next_level


def _partition(ctx, level, entries, split, searched):
    """Every feature row of the searched children: the stable partition of their parents' rows.

    A sample goes left when its value of the split feature is at most the
    threshold (scikit-learn's own partition test). A node split several ways
    (variants) gives each split a copy of its rows.
    """
    n_next = int(searched.sum())
    if not n_next:
        return level["order"][:, :0], level["values"][:, :0]
    child_index = np.full(2 * len(split), -1, dtype=np.int16 if n_next < 2**15 else np.int32)
    child_index[searched] = np.arange(n_next)
    parting = np.flatnonzero(searched.reshape(-1, 2).any(axis=1))  # splits with a child to search
    node = entries["node"][split[parting]]
    sizes = level["sizes"][node]
    entry_of = np.repeat(np.arange(len(parting)), sizes)
    order, values = level["order"], level["values"]
    if len(entry_of) != order.shape[1] or len(node) != len(sizes) or (node != np.arange(len(node))).any():
        positions = np.repeat(level["starts"][node] - (np.cumsum(sizes) - sizes), sizes) + np.arange(len(entry_of))
        order, values = order.take(positions, axis=1), values.take(positions, axis=1)
    # (flat ``take``s: several times faster than fancy indexing on these sizes)
    feature = entries["feature"][split[parting]].take(entry_of)
    x = ctx.XT.ravel().take(feature * ctx.XT.shape[1] + order)
    goes_right = x > entries["threshold"][split[parting]].take(entry_of)
    keys = child_index.take(2 * parting.take(entry_of) + goes_right)
    # a stable sort by child groups every row by child and keeps each child's value order
    permutation = np.argsort(keys, axis=1, kind="stable")[:, int((keys[0] < 0).sum()) :]
    permutation += (np.arange(len(order)) * order.shape[1])[:, None]
    return order.take(permutation), values.take(permutation)


# -- pass 2: pre-order replay of scikit-learn's feature draws --------------------------------


def _replay(tree, ctx, builder, provisional, parent, is_left, n_constants):
    """Emit the provisional tree in pre-order under ``parent``, drawing as scikit-learn; regrow the
    subtrees whose ties scikit-learn breaks in a way pass 1 did not grow.

    The walk only lists the nodes to emit (provisional id, parent's tree id,
    side); :func:`_emit` adds them to the tree all at once, before a regrown
    subtree's nodes and at the end.
    """
    nodes = provisional.as_lists()
    kind, n_tied, feature, is_constant, lefts = (nodes[k] for k in ("kind", "n_tied", "feature", "is_constant", "left"))
    n_features = provisional.n_features
    draw, max_features = ctx.draw, ctx.max_features
    emitted, parents, sides = [], [], []
    first_id = tree._n_built()
    stack = [(0, parent, is_left, n_constants)]  # (provisional id, parent's tree id, is_left, known constants)
    while stack:
        node, parent, is_left, n_constants = stack.pop()
        if kind[node] != _LEAF:
            if n_tied[node] > 1:
                before = draw.checkpoint()
            constant = is_constant[node * n_features : (node + 1) * n_features]
            visited, children_constants = draw.draw(n_constants, constant, max_features)
            chosen = _first_tied(visited, nodes["tied"][node]) if n_tied[node] > 1 else feature[node]
            if chosen != feature[node]:
                variant = nodes["variants"].get(node, {}).get(chosen)
                if variant is None:
                    draw.restore(before)
                    _emit(tree, nodes, emitted, parents, sides)
                    emitted, parents, sides = [], [], []
                    _regrow(tree, ctx, builder, nodes, node, chosen, (parent, is_left, n_constants))
                    first_id = tree._n_built()
                    continue
                node = variant  # the same node split on scikit-learn's feature
            n_constants = children_constants
        node_id = first_id + len(emitted)
        emitted.append(node)
        parents.append(parent)
        sides.append(is_left)
        if kind[node] == _SPLIT:
            left = lefts[node]
            stack.append((left + 1, node_id, False, n_constants))
            stack.append((left, node_id, True, n_constants))
    _emit(tree, nodes, emitted, parents, sides)


def _emit(tree, nodes, emitted, parents, sides):
    """Add the provisional nodes ``emitted`` to the tree, in that order, under ``parents`` (tree ids)."""
    if emitted:
        node = np.array(emitted)
        tree._add_nodes(np.array(parents), np.array(sides), nodes["is_split"][node], nodes["feature_array"][node],
                        nodes["threshold"][node], nodes["go_left_missing"][node], nodes["impurity"][node],
                        nodes["n_samples"][node], nodes["totals"][node, 0], nodes["totals"][node])


def _first_tied(visited, tied):
    """The first visited feature among those reaching the node's maximum: scikit-learn's choice."""
    for f in visited:
        if tied[f]:
            return f
    return -1


def _regrow(tree, ctx, builder, nodes, node, feature, place):
    """Grow provisional ``node``'s subtree again, its root split on ``feature``.

    Large subtrees: pass 1 from that node, then its replay; small ones: the
    depth-first builder (fewer numpy calls), which draws as scikit-learn.
    ``place``: (parent's tree id, is_left, n_constant_features known).
    """
    idx, T = nodes["tied_samples"][node], nodes["totals"][node]
    impurity, depth = float(nodes["impurity"][node]), int(nodes["depth"][node])
    if len(idx) >= LEVEL_REGROW_MIN_SAMPLES:
        _replay(tree, ctx, builder, _grow_levels(ctx, builder, idx, T, impurity, depth, feature), *place)
    else:
        grow_depth_first(tree, builder, [(idx, T, depth, *place[:2], impurity, place[2], builder.root(idx)[1])])
