"""Split search of the CART trees: scikit-learn's feature draw, vectorised evaluation.

For one node, every candidate split of every drawn feature is evaluated at
once: the node's samples are sorted per feature (a stable ``argsort``), the
per-sample statistics are gathered in that order and summed cumulatively,
and the criterion's proxy improvement is computed for the candidate
positions; the first maximum in scikit-learn's visiting order wins (its
``>`` comparison). Tree growth is CPU-only and a node costs a few dozen
small array operations, so the search runs on numpy views of the fit's
tensors (numpy's per-call overhead is about a tenth of torch's); the
criteria's transcendental arithmetic stays in torch.

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
FEATURE_THRESHOLD = np.float32(1e-7)  # scikit-learn's float32 constant
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
    go_left: np.ndarray
    improvement: float = 0.0
    impurity_left: float = 0.0
    impurity_right: float = 0.0
    left_idx: torch.Tensor = None
    right_idx: torch.Tensor = None
    T_left: np.ndarray = None
    T_right: np.ndarray = None


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
        # numpy views of the same memory: the search runs on numpy, whose per-call
        # overhead (~1 us) is a tenth of torch's, and nodes issue many small calls
        self.X_np = X.numpy()
        self.stats_np = stats.numpy()
        self.y_code_np = self.weight_np = None
        if criterion.fast_gini:  # narrow class codes: numpy's stable sort of 8/16-bit ints is a radix sort
            self.y_code_np = criterion.y_code.numpy().astype(np.min_scalar_type(max(criterion.n_classes)))
            self.weight_np = criterion.weight.numpy()
        n_features = X.shape[1]
        draw = _SklearnFeatureDraw if n_features <= EXACT_RNG_MAX_FEATURES else _FastFeatureDraw
        self.draw = draw(n_features, seed)


def _feature_ranges(Xn, has_missing):
    """Per-feature (min, max, n_missing, is_constant) over a node's samples."""
    n = Xn.shape[0]
    if has_missing:  # fmin/fmax skip NaN (an all-NaN feature is constant whatever its range)
        n_missing = np.isnan(Xn).sum(axis=0)
        low, high = np.fmin.reduce(Xn, axis=0), np.fmax.reduce(Xn, axis=0)
    else:
        n_missing = np.zeros(Xn.shape[1], dtype=np.int64)
        low, high = Xn.min(axis=0), Xn.max(axis=0)
    constant = (n_missing == n) | ((high <= low + FEATURE_THRESHOLD) & (n_missing == 0))
    return low, high, n_missing, constant


def find_split(ctx, idx, T, impurity, n_known_constants):
    """The best (or best random) split of the node holding samples ``idx``.

    ``idx`` is a torch tensor (the criteria's currency), ``T`` the node's
    summed statistics (numpy); the search runs on numpy views.
    Returns (Split or None, n_constant_features for the children).
    """
    with np.errstate(divide="ignore", invalid="ignore"):  # masked 0/0 candidates, silent as in torch
        return _find_split(ctx, idx, T, impurity, n_known_constants)


def _find_split(ctx, idx, T, impurity, n_known_constants):
    idx_np = idx.numpy()
    Xn = ctx.X_np[idx_np]
    low, high, n_missing, constant = _feature_ranges(Xn, ctx.has_missing)
    if ctx.splitter == "best":
        visited, n_constants = ctx.draw.draw(n_known_constants, constant.tolist(), ctx.max_features)
        split = _best_split(ctx, idx_np, Xn, T, visited, n_missing) if visited else None
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
        _finish_split(ctx, idx_np, T, impurity, split)
    return split, n_constants


def _finish_split(ctx, idx, T, impurity, split):
    """Children's samples (torch, for the criteria), totals, impurities and the improvement."""
    if split.left_idx is None:
        split.left_idx, split.right_idx = idx[split.go_left], idx[~split.go_left]
    stats = ctx.stats_np
    # sequential sums in the children's sample order, as scikit-learn's sum_total
    L = stats[split.left_idx].cumsum(axis=0)[-1]
    R = T - L
    split.T_left, split.T_right = L, stats[split.right_idx].cumsum(axis=0)[-1]
    split.left_idx, split.right_idx = torch.from_numpy(split.left_idx), torch.from_numpy(split.right_idx)
    split.impurity_left, split.impurity_right = ctx.criterion.children_impurity(L, R, split.left_idx, split.right_idx)
    split.improvement = ctx.criterion.improvement(
        ctx.w_total, T, L, R, impurity, split.impurity_left, split.impurity_right
    )


def _masked_proxy(ctx, L, T, valid, proxy=None):
    R = T - L
    if ctx.min_weight_leaf > 0.0:
        valid = valid & (L[..., 0] >= ctx.min_weight_leaf) & (R[..., 0] >= ctx.min_weight_leaf)
    if proxy is None and getattr(ctx.criterion, "numpy_proxy", False):
        proxy = ctx.criterion.proxy(L, R)
    elif proxy is None:  # torch's own arithmetic (its log rounds differently from numpy's)
        proxy = ctx.criterion.proxy(torch.from_numpy(L), torch.from_numpy(R)).numpy()
    if ctx.negative_weights:  # empty-weight children give 0/0
        valid = valid & ~np.isnan(proxy)
    return np.where(valid, proxy, -np.inf)


def _best_split(ctx, idx, Xn, T, visited, n_missing):
    """Exhaustive search over the sorted values of the visited features."""
    n, msl = Xn.shape[0], ctx.min_samples_leaf
    S = ctx.stats_np[idx]
    # sorted feature-major (contiguous rows sort fast); values/order are (n, k) views
    columns = Xn.T[visited]
    order = np.argsort(columns, axis=1, kind="stable")  # NaN sort last
    values = np.take_along_axis(columns, order, axis=1).T
    order = order.T
    missing = n_missing[visited]
    any_missing = ctx.has_missing and bool((missing > 0).any())
    chunk = max(1, _CHUNK_ELEMENTS // max(1, n * S.shape[1]))
    if not any_missing and not getattr(ctx.criterion, "sorted_search", False):
        best = _best_row_without_missing(ctx, idx, S, T, values, order, chunk)
    else:
        n_present = n - missing
        j = np.arange(1, n)[:, None]  # samples on the left (non-missing ones)
        distinct = values[1:] > values[:-1] + FEATURE_THRESHOLD
        valid1 = (distinct | ((j == n_present) & (missing > 0))) & (j >= msl) & (n - j >= msl)
        valid2 = distinct & (missing > 0) & (j + missing >= msl) & (n_present - j >= msl) if any_missing else None
        best = _best_row(ctx, idx, S, T, order, chunk, valid1, valid2, n_present, any_missing)
    return _make_split(ctx, idx, Xn, visited, values, order, missing, best)


def _gini_proxy_single_output(ctx, idx, T, order, cols, rows):
    """Gini proxies of the candidates (feature ``cols``, left size ``rows + 1``), 1-D.

    ``order`` (k, n) holds each feature's sample order (feature-major, so
    every scan runs along contiguous rows). With integer weights,
    sum_c L_c(j)^2 grows by 2 w_j L_{y_j}(j-1) + w_j^2 when sample j joins
    the left side, and sum_c R_c^2 = sum_c T_c^2 - 2 sum_c T_c L_c + sum_c L_c^2;
    all terms are exact integers, so the proxies equal the per-class
    computation (and scikit-learn's) bit for bit, at O(n) memory per feature
    instead of O(n * n_classes).
    """
    y = ctx.y_code_np[idx][order]  # classes in feature order
    class_order = np.argsort(y, axis=1, kind="stable")
    totals = T[1:]
    before_class = np.concatenate([[0.0], totals.cumsum()[:-1]])
    start_of_class = before_class[np.take_along_axis(y, class_order, axis=1)]
    own = np.empty_like(start_of_class)
    if ctx.unit_weights:  # w = 1: own-class count = rank within the class block
        rank = np.arange(order.shape[1], dtype=totals.dtype)
        np.put_along_axis(own, class_order, rank - start_of_class, axis=1)
        sq_left = (2.0 * own + 1.0).cumsum(axis=1)[cols, rows]
        cross = totals[y].cumsum(axis=1)[cols, rows]
        w_left = rank[rows + 1]
    else:
        w = ctx.weight_np[idx][order]
        w_by_class = np.take_along_axis(w, class_order, axis=1)
        np.put_along_axis(own, class_order, w_by_class.cumsum(axis=1) - w_by_class - start_of_class, axis=1)
        sq_left = (2.0 * w * own + w * w).cumsum(axis=1)[cols, rows]
        cross = (totals[y] * w).cumsum(axis=1)[cols, rows]
        w_left = w.cumsum(axis=1)[cols, rows]
    w_right = T[0] - w_left
    sq_right = float((totals * totals).sum()) - 2.0 * cross + sq_left
    gini_left = 1.0 - sq_left / (w_left * w_left)
    gini_right = 1.0 - sq_right / (w_right * w_right)
    return -w_right * gini_right - w_left * gini_left


def _first_best(proxy, offset):
    """(column, row, value) of the first maximum of ``proxy`` (rows, columns) in column-major order.

    The first maximum is scikit-learn's choice: its strict ``>`` keeps the first.
    """
    by_column = proxy.T
    column, row = divmod(int(np.argmax(by_column)), by_column.shape[1])
    return column, row + offset, float(by_column[column, row])


def _best_row_without_missing(ctx, idx, S, T, values, order, chunk):
    """(column, row) of the best candidate when no sample misses a visited feature.

    Only the valid candidates (between distinct values) are scored, listed
    feature by feature, so the first maximum is scikit-learn's choice (its
    strict ``>`` keeps the first).
    """
    n, msl = values.shape[0], ctx.min_samples_leaf
    lo, hi = msl - 1, n - msl  # rows j - 1 of the positions j in [msl, n - msl]
    if lo >= hi:
        return None
    best_value, best = -math.inf, None
    fast_gini = ctx.criterion.fast_gini and ctx.min_weight_leaf == 0.0
    if fast_gini:
        chunk = max(1, _CHUNK_ELEMENTS // (8 * n))
    for start in range(0, values.shape[1], chunk):
        stop = min(start + chunk, values.shape[1])
        valid = values[lo + 1 : hi + 1, start:stop] > values[lo:hi, start:stop] + FEATURE_THRESHOLD
        cols, rows = np.nonzero(valid.T)
        if not len(cols):
            continue
        rows += lo
        if fast_gini:
            proxy = _gini_proxy_single_output(ctx, idx, T, order[:, start:stop].T, cols, rows)
        else:
            L = S[order[:hi, start:stop]].cumsum(axis=0)[rows, cols]
            proxy = _masked_proxy(ctx, L, T, True)
        k = int(np.argmax(proxy))
        if proxy[k] > best_value:
            best_value, best = float(proxy[k]), (start + int(cols[k]), int(rows[k]))
    return best


def _best_row(ctx, idx, S, T, order, chunk, valid1, valid2, n_present, any_missing):
    """(column, row) of the best candidate in the general layout (missing values, MAE)."""
    n = order.shape[0]
    best_value, best = -math.inf, None
    for start in range(0, order.shape[1], chunk):
        stop = min(start + chunk, order.shape[1])
        prefix = S[order[:, start:stop]].cumsum(axis=0)  # (n, k, n_stats)
        sorted_proxy = None
        if getattr(ctx.criterion, "sorted_search", False):  # MAE: medians, not sums
            sorted_proxy = ctx.criterion.sorted_proxy(torch.from_numpy(idx[order[:, start:stop]])).numpy()
        proxies = [_masked_proxy(ctx, prefix[:-1], T, valid1[:, start:stop], sorted_proxy)]
        if any_missing:
            last = np.maximum(n_present[start:stop] - 1, 0)
            missing_stats = T - prefix[last, np.arange(stop - start)]
            proxies.append(_masked_proxy(ctx, prefix[:-1] + missing_stats, T, valid2[:, start:stop]))
        # feature-major in visiting order: pass 1 rows, then pass 2 rows
        k, row, value = _first_best(np.concatenate(proxies, axis=0), 0)
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
    x = Xn[:, feature].astype(np.float64)
    go_left = np.where(np.isnan(x), go_left_missing, x <= threshold)
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

    Closed form of that loop, with n_left left-going samples: the front
    holes (right-going samples before n_left) are filled, in order, by the
    left-going samples after it taken from the back. Positions n - 1 down to
    n_left receive a chain: the first hole's sample, then after each
    examined back sample at k > n_left either that sample (right-going) or,
    once it filled a hole, the next hole's sample (after the last hole, the
    sample at n_left).
    """
    samples, flags = idx[last_sort], go_left[last_sort]
    n_left = int(flags.sum())
    front, back = slice(0, n_left), slice(n_left, None)
    left = samples[front].copy()
    holes = np.flatnonzero(~flags[front])
    left[holes] = samples[back][flags[back]][::-1]
    sources = np.concatenate([samples[front][holes], samples[n_left : n_left + 1]])
    examined, examined_left = samples[n_left + 1 :][::-1], flags[n_left + 1 :][::-1]
    chain = np.where(examined_left, sources[np.cumsum(examined_left)], examined)
    right = np.concatenate([sources[:1], chain])[::-1].copy()  # torch refuses negative strides
    return left, right


def _random_split(ctx, idx, Xn, T, draws, n_missing):
    """The best of one random threshold per visited feature (Extra-Trees)."""
    n, msl = Xn.shape[0], ctx.min_samples_leaf
    features = [d[0] for d in draws]
    thresholds = np.array([d[1] for d in draws], dtype=np.float64)
    missing_left = np.array([d[2] for d in draws], dtype=bool)
    x = Xn[:, features].astype(np.float64)
    go_left = np.where(np.isnan(x), missing_left, x <= thresholds)
    n_left = go_left.sum(axis=0)
    # the children's totals stay a torch matmul (its summation order decides ties)
    go_left_t = torch.from_numpy(go_left)
    L = (go_left_t.T.to(ctx.stats.dtype) @ ctx.stats[idx]).numpy()
    valid = (n_left >= msl) & (n - n_left >= msl)
    custom = None
    if getattr(ctx.criterion, "sorted_search", False):
        custom = ctx.criterion.partition_proxy(idx, go_left_t).numpy()
    proxy = _masked_proxy(ctx, L, T, valid, custom)
    k = int(np.argmax(proxy))
    if float(proxy[k]) == -math.inf:
        return None
    feature = features[k]
    n_l = int(n_left[k])
    go_left_missing = bool(missing_left[k]) if int(n_missing[feature]) > 0 else n_l > n - n_l
    return Split(feature, float(thresholds[k]), go_left_missing, go_left[:, k].copy())
