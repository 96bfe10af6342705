"""Split search of the CART trees: scikit-learn's feature draw, vectorised evaluation.

For one node, every candidate split of every drawn feature is evaluated at
once: the node's samples are sorted per feature (``torch.sort`` on an
``(n_node_samples, n_features)`` tensor), the per-sample statistics are
gathered in that order and summed cumulatively (``torch.cumsum``), and the
criterion's proxy improvement is computed for all positions; the first
maximum in scikit-learn's visiting order wins (its ``>`` comparison).

Feature order. scikit-learn draws features with a Fisher-Yates shuffle driven
by its own xorshift generator (``our_rand_r``, seeded with
``random_state.randint(0, 2**31 - 1)``) and keeps a list of features known to
be constant. :class:`_SklearnFeatureDraw` replays that exactly (a short Python
loop per node), so with at most ``EXACT_RNG_MAX_FEATURES`` features even
random-state-dependent trees (ties between features, ``max_features`` subsets,
``splitter="random"`` thresholds) equal scikit-learn's. With more features the
per-node loop would dominate the fit, so :class:`_FastFeatureDraw` draws a
numpy permutation instead: the same distribution, but ties between equally
good features can then be broken differently from scikit-learn.

Float rounding. Two splits that isolate the same samples (common in small
nodes of regression trees) have mathematically equal proxies, and
scikit-learn's choice then depends on the rounding of sums taken in its
in-place sample order. Node totals are therefore summed sequentially
(``cumsum``) in that order: for the best splitter the children's order is
replayed exactly (:func:`_sklearn_children_order`, for nodes of at most
``ORDER_EMULATION_MAX_SAMPLES`` samples without missing values in the last
visited feature). Elsewhere (larger nodes, missing values, the random
splitter, non-integer class or sample weights) such exact ties may be broken
differently; non-tied splits are always identical. With integer weights the
Gini search uses exact integer identities (:func:`_gini_proxy_single_output`).
"""

# SPDX-License-Identifier: BSD-3-Clause

import math
from dataclasses import dataclass

import numpy as np
import torch

__all__ = ["EXACT_RNG_MAX_FEATURES", "Split", "SplitContext", "find_split"]

EXACT_RNG_MAX_FEATURES = 64
RAND_R_MAX = 0x7FFFFFFF
FEATURE_THRESHOLD = torch.tensor(1e-7, dtype=torch.float32)  # scikit-learn's float32 constant
_CHUNK_ELEMENTS = 1 << 22
ORDER_EMULATION_MAX_SAMPLES = 512


class _SklearnFeatureDraw:
    """scikit-learn's per-node Fisher-Yates feature draw, replayed exactly."""

    def __init__(self, n_features, seed):
        self.features = list(range(n_features))
        self.constant_features = list(range(n_features))
        self.state = int(seed) & 0xFFFFFFFF

    def _rand(self):
        # our_rand_r: xorshift32, returned modulo 2**31
        s = self.state or 1
        s ^= (s << 13) & 0xFFFFFFFF
        s ^= s >> 17
        s ^= (s << 5) & 0xFFFFFFFF
        self.state = s
        return s & RAND_R_MAX

    def rand_uniform(self, low, high):
        return (high - low) * float(self._rand()) / float(RAND_R_MAX) + low

    def draw(self, n_known, is_constant, max_features, on_visit=None):
        """(visited non-constant features in order, n_constant_features for children)."""
        features, n_features = self.features, len(self.features)
        f_i, n_visited, n_found, n_drawn, n_total = n_features, 0, 0, 0, n_known
        visited = []
        while f_i > n_total and (n_visited < max_features or n_visited <= n_found + n_drawn):
            n_visited += 1
            f_j = n_drawn + self._rand() % (f_i - n_found - n_drawn)
            if f_j < n_known:
                features[n_drawn], features[f_j] = features[f_j], features[n_drawn]
                n_drawn += 1
                continue
            f_j += n_found
            feature = features[f_j]
            if is_constant[feature]:
                features[f_j], features[n_total] = features[n_total], features[f_j]
                n_found += 1
                n_total += 1
                continue
            f_i -= 1
            features[f_i], features[f_j] = features[f_j], features[f_i]
            visited.append(feature)
            if on_visit is not None:
                on_visit(feature, self)
        features[:n_known] = self.constant_features[:n_known]
        self.constant_features[n_known:n_total] = features[n_known:n_total]
        return visited, n_total


class _FastFeatureDraw:
    """A numpy permutation per node: scikit-learn's distribution without its per-feature loop."""

    def __init__(self, n_features, seed):
        self.n_features = n_features
        self.rng = np.random.RandomState(seed)

    def rand_uniform(self, low, high):
        return (high - low) * self.rng.random_sample() + low

    def draw(self, n_known, is_constant, max_features, on_visit=None):
        order = self.rng.permutation(self.n_features)
        constant = np.asarray(is_constant, dtype=bool)[order]
        if max_features < self.n_features:
            non_constant = np.flatnonzero(~constant)
            first = non_constant[0] + 1 if len(non_constant) else self.n_features
            n_visit = max(max_features, first)
            order, constant = order[:n_visit], constant[:n_visit]
        visited = order[~constant].tolist()
        if on_visit is not None:
            for feature in visited:
                on_visit(feature, self)
        return visited, 0


@dataclass
class Split:
    """The chosen split of a node (left mask relative to the node's samples)."""

    feature: int
    threshold: float
    missing_go_to_left: bool
    go_left: torch.Tensor
    improvement: float = 0.0
    impurity_left: float = 0.0
    impurity_right: float = 0.0
    left_idx: torch.Tensor = None
    right_idx: torch.Tensor = None
    T_left: torch.Tensor = None
    T_right: torch.Tensor = None


class SplitContext:
    """Everything the split search needs for one fit (shared by all nodes).

    Parameters
    ----------
    X : float32 tensor of shape (n_samples, n_features)
    stats : float64 tensor of shape (n_samples, n_stats)
        Per-sample criterion statistics (column 0: the sample weight).
    criterion : criterion instance
    splitter : {"best", "random"}
    max_features, min_samples_leaf : int
    min_weight_leaf : float
    seed : int
        scikit-learn's ``rand_r_state`` (``random_state.randint(0, 2**31 - 1)``).
    """

    def __init__(self, X, stats, criterion, *, splitter, max_features, min_samples_leaf, min_weight_leaf, seed):
        self.X = X
        self.stats = stats
        self.criterion = criterion
        self.splitter = splitter
        self.max_features = max_features
        self.min_samples_leaf = min_samples_leaf
        self.min_weight_leaf = min_weight_leaf
        self.has_missing = bool(torch.isnan(X).any())
        self.w_total = float(stats[:, 0].sum())
        self.negative_weights = bool((stats[:, 0] < 0).any())
        self.unit_weights = bool((stats[:, 0] == 1.0).all())
        criterion.integral = bool((stats == torch.round(stats)).all()) and float(stats[:, 0].sum()) < 2.0**40
        criterion.fast_gini = (
            criterion.integral and getattr(criterion, "y_code", None) is not None and type(criterion).__name__ == "_Gini"
            and criterion.n_outputs == 1 and not self.negative_weights
        )
        n_features = X.shape[1]
        draw = _SklearnFeatureDraw if n_features <= EXACT_RNG_MAX_FEATURES else _FastFeatureDraw
        self.draw = draw(n_features, seed)


def _feature_ranges(Xn, has_missing):
    """Per-feature (min, max, n_missing, is_constant) over a node's samples."""
    n = Xn.shape[0]
    if has_missing:
        nan = torch.isnan(Xn)
        n_missing = nan.sum(dim=0)
        low = torch.where(nan, math.inf, Xn).amin(dim=0)
        high = torch.where(nan, -math.inf, Xn).amax(dim=0)
    else:
        n_missing = torch.zeros(Xn.shape[1], dtype=torch.long)
        low, high = Xn.amin(dim=0), Xn.amax(dim=0)
    constant = (n_missing == n) | ((high <= low + FEATURE_THRESHOLD) & (n_missing == 0))
    return low, high, n_missing, constant


def find_split(ctx, idx, T, impurity, n_known_constants):
    """The best (or best random) split of the node holding samples ``idx``.

    Returns (Split or None, n_constant_features for the children).
    """
    Xn = ctx.X[idx]
    low, high, n_missing, constant = _feature_ranges(Xn, ctx.has_missing)
    if ctx.splitter == "best":
        visited, n_constants = ctx.draw.draw(n_known_constants, constant.tolist(), ctx.max_features)
        split = _best_split(ctx, idx, Xn, T, visited, n_missing) if visited else None
    else:
        draws = []
        low_l, high_l, missing_l = low.tolist(), high.tolist(), n_missing.tolist()

        def on_visit(feature, draw):
            threshold = draw.rand_uniform(low_l[feature], high_l[feature])
            go_left = False
            if missing_l[feature] > 0:
                go_left = bool(draw._rand() % 2) if isinstance(draw, _SklearnFeatureDraw) else bool(draw.rng.randint(2))
            if threshold == high_l[feature]:
                threshold = low_l[feature]
            draws.append((feature, threshold, go_left))

        visited, n_constants = ctx.draw.draw(n_known_constants, constant.tolist(), ctx.max_features, on_visit)
        split = _random_split(ctx, idx, Xn, T, draws, n_missing) if draws else None
    if split is not None:
        _finish_split(ctx, idx, T, impurity, split)
    return split, n_constants


def _finish_split(ctx, idx, T, impurity, split):
    if split.left_idx is None:
        split.left_idx, split.right_idx = idx[split.go_left], idx[~split.go_left]
    left_idx, right_idx = split.left_idx, split.right_idx
    stats = ctx.stats
    # sequential sums in the children's sample order, as scikit-learn's sum_total
    split.T_left = stats[left_idx].cumsum(dim=0)[-1]
    split.T_right = stats[right_idx].cumsum(dim=0)[-1]
    L = split.T_left
    R = T - L
    split.impurity_left, split.impurity_right = ctx.criterion.children_impurity(L, R, left_idx, right_idx)
    split.improvement = ctx.criterion.improvement(
        ctx.w_total, T, L, R, impurity, split.impurity_left, split.impurity_right
    )


def _masked_proxy(ctx, L, T, valid, proxy=None):
    R = T - L
    if ctx.min_weight_leaf > 0.0:
        valid = valid & (L[..., 0] >= ctx.min_weight_leaf) & (R[..., 0] >= ctx.min_weight_leaf)
    proxy = ctx.criterion.proxy(L, R) if proxy is None else proxy
    if ctx.negative_weights:  # empty-weight children give 0/0
        valid = valid & ~torch.isnan(proxy)
    return torch.where(valid, proxy, -math.inf)


def _best_split(ctx, idx, Xn, T, visited, n_missing):
    """Exhaustive search over the sorted values of the visited features."""
    n, msl = Xn.shape[0], ctx.min_samples_leaf
    S = ctx.stats[idx]
    values, order = torch.sort(Xn[:, visited], dim=0, stable=True)  # NaN sort last
    missing = n_missing[visited]
    any_missing = ctx.has_missing and bool((missing > 0).any())
    chunk = max(1, _CHUNK_ELEMENTS // max(1, n * S.shape[1]))
    if not any_missing and not getattr(ctx.criterion, "sorted_search", False):
        best = _best_row_without_missing(ctx, idx, S, T, values, order, chunk)
    else:
        n_present = n - missing
        j = torch.arange(1, n, dtype=torch.long)[:, None]  # samples on the left (non-missing ones)
        distinct = values[1:] > values[:-1] + FEATURE_THRESHOLD
        valid1 = (distinct | ((j == n_present) & (missing > 0))) & (j >= msl) & (n - j >= msl)
        valid2 = distinct & (missing > 0) & (j + missing >= msl) & (n_present - j >= msl) if any_missing else None
        best = _best_row(ctx, idx, S, T, order, chunk, valid1, valid2, n_present, any_missing)
    return _make_split(ctx, idx, Xn, visited, values, order, missing, best)


def _gini_proxy_single_output(ctx, idx, T, order, lo, hi):
    """Gini proxies of every position without materialising per-class prefix counts.

    With integer weights, sum_c L_c(j)^2 grows by 2 w_j L_{y_j}(j-1) + w_j^2 when
    sample j joins the left side, and sum_c R_c^2 = sum_c T_c^2 - 2 sum_c T_c L_c
    + sum_c L_c^2; all terms are exact integers, so the proxies equal the
    per-class computation (and scikit-learn's) bit for bit, at O(n) memory per
    feature instead of O(n * n_classes).
    """
    crit = ctx.criterion
    y = torch.take(crit.y_code[idx], order)  # (n, k) classes in feature order
    class_order = torch.sort(y, dim=0, stable=True).indices
    totals = T[1:]
    before_class = torch.cat([totals.new_zeros(1), totals.cumsum(dim=0)[:-1]])
    start_of_class = torch.take(before_class, y.gather(0, class_order))
    if ctx.unit_weights:  # w = 1: own-class count = rank within the class block
        rank = torch.arange(order.shape[0], dtype=totals.dtype)[:, None]
        own = torch.empty_like(start_of_class).scatter_(0, class_order, rank - start_of_class)
        sq_left = (2.0 * own + 1.0).cumsum(dim=0)[lo:hi]
        cross = torch.take(totals, y).cumsum(dim=0)[lo:hi]
        w_left = rank[lo + 1 : hi + 1].expand_as(sq_left)
    else:
        w = torch.take(crit.weight[idx], order)
        w_by_class = w.gather(0, class_order)
        own_by_class = w_by_class.cumsum(dim=0) - w_by_class - start_of_class
        own = torch.empty_like(own_by_class).scatter_(0, class_order, own_by_class)
        sq_left = (2.0 * w * own + w * w).cumsum(dim=0)[lo:hi]
        cross = (torch.take(totals, y) * w).cumsum(dim=0)[lo:hi]
        w_left = w.cumsum(dim=0)[lo:hi]
    w_right = T[0] - w_left
    sq_right = float((totals * totals).sum()) - 2.0 * cross + sq_left
    gini_left = 1.0 - sq_left / (w_left * w_left)
    gini_right = 1.0 - sq_right / (w_right * w_right)
    return -w_right * gini_right - w_left * gini_left


def _best_row_without_missing(ctx, idx, S, T, values, order, chunk):
    """(column, row) of the best candidate when no sample misses a visited feature."""
    n, msl = values.shape[0], ctx.min_samples_leaf
    lo, hi = msl - 1, n - msl  # rows j - 1 of the positions j in [msl, n - msl]
    if lo >= hi:
        return None
    best_value, best = -math.inf, None
    fast_gini = getattr(ctx.criterion, "fast_gini", False) and ctx.min_weight_leaf == 0.0
    if fast_gini:
        chunk = max(1, _CHUNK_ELEMENTS // (8 * n))
    for start in range(0, values.shape[1], chunk):
        stop = min(start + chunk, values.shape[1])
        valid = values[lo + 1 : hi + 1, start:stop] > values[lo:hi, start:stop] + FEATURE_THRESHOLD
        if fast_gini:
            proxy = torch.where(valid, _gini_proxy_single_output(ctx, idx, T, order[:, start:stop], lo, hi), -math.inf)
        else:
            L = S[order[:hi, start:stop]].cumsum(dim=0)[lo:]
            proxy = _masked_proxy(ctx, L, T, valid)
        proxy = proxy.T.contiguous()
        flat = int(torch.argmax(proxy))
        k, row = divmod(flat, proxy.shape[1])
        value = float(proxy[k, row])
        if value > best_value:
            best_value, best = value, (start + k, row + lo)
    return best


def _best_row(ctx, idx, S, T, order, chunk, valid1, valid2, n_present, any_missing):
    """(column, row) of the best candidate in the general layout (missing values, MAE)."""
    n = order.shape[0]
    best_value, best = -math.inf, None
    for start in range(0, order.shape[1], chunk):
        stop = min(start + chunk, order.shape[1])
        prefix = S[order[:, start:stop]].cumsum(dim=0)  # (n, k, n_stats)
        sorted_proxy = None
        if getattr(ctx.criterion, "sorted_search", False):  # MAE: medians, not sums
            sorted_proxy = ctx.criterion.sorted_proxy(idx[order[:, start:stop]])
        proxies = [_masked_proxy(ctx, prefix[:-1], T, valid1[:, start:stop], sorted_proxy)]
        if any_missing:
            last = (n_present[start:stop] - 1).clamp(min=0)
            missing_stats = T - prefix[last, torch.arange(stop - start)]
            proxies.append(_masked_proxy(ctx, prefix[:-1] + missing_stats, T, valid2[:, start:stop]))
        # (k, n_candidates), feature-major in visiting order: pass 1 rows, then pass 2 rows;
        # argmax returns the first maximum, as scikit-learn's strict ">" keeps the first
        proxy = torch.cat(proxies, dim=0).T.contiguous()
        flat = int(torch.argmax(proxy))
        k, row = divmod(flat, proxy.shape[1])
        value = float(proxy[k, row])
        if value > best_value:
            best_value, best = value, (start + k, row)
    return best


def _make_split(ctx, idx, Xn, visited, values, order, missing, best):
    if best is None:
        return None
    n = values.shape[0]
    column, row = best
    second_pass, position = divmod(row, n - 1)
    j = position + 1
    feature, n_miss = visited[column], int(missing[column])
    if not second_pass and n_miss > 0 and j == n - n_miss:
        threshold = math.inf
    else:
        threshold = float(values[j - 1, column]) / 2.0 + float(values[j, column]) / 2.0
    if n_miss == 0:
        go_left_missing = j > n - j
    else:
        go_left_missing = bool(second_pass)
    x = Xn[:, feature].double()
    go_left = torch.where(torch.isnan(x), go_left_missing, x <= threshold)
    split = Split(feature, threshold, go_left_missing, go_left)
    if n <= ORDER_EMULATION_MAX_SAMPLES and int(missing[-1]) == 0:
        split.left_idx, split.right_idx = _sklearn_children_order(idx, order[:, -1], go_left)
    return split


def _sklearn_children_order(idx, last_sort, go_left):
    """The children's sample order that scikit-learn's in-place partition leaves.

    scikit-learn's node ends its search with the samples sorted by the last
    feature it visited, then partitions them by swapping (a right-going sample
    at the front trades places with the last unexamined one). The order only
    matters for the float rounding of sums, hence of exact ties between
    splits; replaying it makes those ties break as in scikit-learn.
    """
    samples = idx[last_sort].tolist()
    flags = go_left[last_sort].tolist()
    start, end = 0, len(samples)
    while start < end:
        if flags[start]:
            start += 1
        else:
            end -= 1
            samples[start], samples[end] = samples[end], samples[start]
            flags[start], flags[end] = flags[end], flags[start]
    return torch.tensor(samples[:start], dtype=idx.dtype), torch.tensor(samples[start:], dtype=idx.dtype)


def _random_split(ctx, idx, Xn, T, draws, n_missing):
    """The best of one random threshold per visited feature (Extra-Trees)."""
    n, msl = Xn.shape[0], ctx.min_samples_leaf
    features = [d[0] for d in draws]
    thresholds = torch.tensor([d[1] for d in draws], dtype=torch.float64)
    missing_left = torch.tensor([d[2] for d in draws])
    x = Xn[:, features].double()
    go_left = torch.where(torch.isnan(x), missing_left, x <= thresholds)
    n_left = go_left.sum(dim=0)
    L = go_left.T.to(ctx.stats.dtype) @ ctx.stats[idx]
    valid = (n_left >= msl) & (n - n_left >= msl)
    custom = ctx.criterion.partition_proxy(idx, go_left) if getattr(ctx.criterion, "sorted_search", False) else None
    proxy = _masked_proxy(ctx, L, T, valid, custom)
    k = int(torch.argmax(proxy))
    if float(proxy[k]) == -math.inf:
        return None
    feature = features[k]
    n_l = int(n_left[k])
    go_left_missing = bool(missing_left[k]) if int(n_missing[feature]) > 0 else n_l > n - n_l
    return Split(feature, float(thresholds[k]), go_left_missing, go_left[:, k].clone())
