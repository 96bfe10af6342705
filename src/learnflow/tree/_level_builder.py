"""Level-wise, vectorised growth of many trees at once (the forests' builder).

The exact builder of :mod:`._tree` grows one node at a time and replays
scikit-learn's random generator, which makes single trees identical to
scikit-learn's but forests slow. Forests do not need that replay (their score,
not their node order, is what the book checks), so they grow their trees here:

* every node of one depth, of every tree of a batch, is split at once: the
  per-level work is a handful of torch operations over all (sample, feature)
  pairs, with no per-node or per-sample Python loop;
* X is ranked once per fit (per feature: value codes and sort positions);
  a level keeps one row of in-node samples, grouped by node. Only the
  features drawn at a node are read: their code ranges (constant or not),
  then, for the best splitter, one sort of the searched (feature, node)
  pairs' samples by rank, so one cumulative sum scores every threshold
  between two distinct values of a node: the candidate thresholds are
  exactly scikit-learn's (midpoints ``a / 2 + b / 2`` of consecutive
  distinct float32 values, no binning). Extra-Trees sort nothing: a masked
  sum per (feature, node) threshold;
* ``max_features``: per node, a random order of the features (keys from a
  counter-based hash of (tree seed, node, feature)); as in scikit-learn, the
  first ``max_features`` are visited and the non-constant ones among them
  searched (the first non-constant feature if they are all constant).
  Extra-Trees draw one threshold per (node, feature) uniformly between the
  node's minimum and maximum. Hashing makes a tree's draws independent of the
  batch it is grown in and of the device, and so are its sums: exact integers
  in any order, or else (real-valued targets, fractional weights) running sums
  over the tree's own elements (:func:`_left_sums`). ``n_jobs`` and
  ``warm_start`` do not change the forest; CUDA grows the CPU's trees;
* equal proxies: the first threshold of a feature, then the feature visited
  first, as scikit-learn's strict ``>``;
* nodes are numbered breadth first; the result is the :class:`~._tree.Tree`
  structure of the exact builder, so ``predict``/``apply``/importances/export
  work unchanged;
* ``max_leaf_nodes``: scikit-learn's best-first trees, read off the levels
  (:mod:`._level_best_first`: a level only splits the nodes that may still be
  among their tree's best, and each tree is cut to those at the end).

Speed (issue 6; each step grows the same trees, bit for bit, as the plain
path: pairs selected first by :func:`_select_pairs`, then searched):

* the drawn pairs' elements are read once. Extra-Trees, and the best
  splitter with some features drawn, lay them out as a (drawn feature,
  in-node sample) grid per level (X's and the codes' rows at the samples
  when every feature is drawn, ``max_features=None``/1.0, the regressors'
  default; else a gather at each node's features in the feature-major
  tables, a node's samples reading one row of a table at a time: cached),
  so a pair's range is a reduction over its node's segment (numpy's
  ``reduceat`` on the CPU, over contiguous segments) and no per-element pair
  ids are built. The best splitter with every feature drawn sorts each row
  of a (feature, sample) grid built by broadcasting, by the keys
  ``node << rank_bits | rank`` (int32 more often than the pairs' keys, and
  decoded with no table of pairs; a pair's code range: its first and last
  sorted code). Only a node whose drawn features are all constant sends its
  level down the plain path;
* Extra-Trees read X alone when every code is a single value (no distinct
  values closer than 1e-7, no -0.0: the value range is the code range);
  their left sums multiply the statistics by the left flags (a right
  element adds +-0, which changes no sum) and add them per (node, feature)
  in one segment sum per statistic (torch's ``segment_reduce``: each sum in
  order from 0, as ``index_add_``, twice as fast; classification: one
  ``index_add_`` per (pair, class)); the samples' left flags at the best
  split come with the search (X is not read again);
* the best splitter with some features drawn reads the elements' ranks once:
  a pair's rank range gives its code range (codes grow with ranks), and the
  constant pairs' elements are dropped before the sort. It sorts the keys
  ``pair << rank_bits | rank`` (int32 where they fit; pairs feature-major, as
  the plain path) by value and decodes them (sample and code from tables of
  the ranked X, one packed int32 table ``code << rank_bits | sample`` where
  they fit: one random read, not two): no gather by a permutation; the
  proxy is evaluated only at the positions between two distinct values;
* an element's statistics are its weight times its sample's (the products
  the (tree, sample) tables held): gathered from a per-sample table and the
  weights, not from (tree, sample) tables too large for the cache. Integer
  weights (bootstrap counts, no fractional sample or class weights) are
  read from a table of the narrowest integer type, and unit weights (no
  bootstrap, no sample weights) are not read: a weight sum is a count;
* classification with integer weights: every partial sum of the class
  statistics is an exact integer, so the best splitter's left sums add each
  element's weight to its (class, run between two thresholds) cell, one
  ``index_add_`` per output, and a pair's class totals to the run of its
  last element with the opposite sign (the sums start again from 0 at the
  next pair), then cumulative sums over the runs: no gather and cumulative
  sum per class, no per-threshold subtraction of the pairs before; the
  weight sums (left and right) are the sums of the class sums;
* sparse data (a third of the values or more their feature's smallest, as
  MNIST's zero pixels) with integral class sums: the best splitter sorts
  only the elements above their feature's smallest value (30% of MNIST's),
  one stand-in of rank 0 per pair holding the place of the others, its sums
  the pair's totals less the sorted elements' (the same exact integers, so
  the same thresholds); Extra-Trees add the elements going right (every
  threshold sends the smallest value left), the left sums being the totals
  less them;
* exact data of at most 256 codes per feature (pixels, counts): the codes
  as a byte table, a quarter of X's or the ranks' (random reads 3 to 7
  times as fast: cached). Extra-Trees read the codes, not X: a sample goes
  left iff its code is at most the threshold's (a binary search of the
  codes' sorted values per pair); the best splitter skipping the smallest
  values reads the pairs' ranges from the codes and the ranks only of the
  elements it sorts;
* a pair's best proxy and its first position are reductions over its
  segment of the thresholds (numpy's ``reduceat``), not scatters;
* the samples' values are compared in float32 with the threshold rounded
  down to float32 (the same outcome as comparing in float64);
* classification: the left children's statistics are the search's left
  sums at the best splits (the best splitter's with integral class sums:
  exact; Extra-Trees' sums in the node's order, the children's own), not
  summed again over the samples going left;
* the next level's samples are one gather of ranges: per child that may
  split (decided as soon as the children's statistics are known), its
  node's left or right rows (two ``nonzero`` lists); the leaves' samples are
  dropped in the same gather. No sort, no scatter;
* per-node values (features, thresholds, pair ids) are spread over the
  nodes' samples by numpy's ``repeat`` (not an ``index_select`` of rows);
  positions and ids are int32 where they fit (half the memory traffic);
  products put the float operand first (a bool first is 3 times slower);
* the per-node feature order hashes in int32 (only the products' low 31
  bits are kept: those of int64), in place, into node-major keys (a
  node's keys contiguous), each ending in its feature: the drawn features
  are numpy's partition of the keys themselves (no top-k indices);
* on the CPU, numpy ranks X (stable argsort; a radix sort for small
  non-negative integers such as pixels), sorts (values only), finds nonzero
  entries and reduces segments (torch's ``sort`` computes a permutation,
  ``nonzero`` and the scatters are several times slower); CUDA keeps
  torch's.

Measured (process time, one thread, busy shared 2-core machine, benchmark
data of issue 6, 20 trees, medians of 3), before -> after the node-major
grids, integral class sums, int32 hashing and numpy ranking: Extra-Trees
housing 4.5 -> 2.7 s, Extra-Trees MNIST 6.6 -> 4.6 s, random forest MNIST
5.9 -> 4.2 s; moons (Extra-Trees 20 trees, random forest 30) and the
random-forest regressor on housing unchanged within the noise (about 10%).
Then (same conditions; 100 trees on moons, 20 on housing and MNIST; the two
builders alternating in one process), before -> after the per-sample
statistics and small integer weights, the class sums by resets, the
children's rows by ranges, the (feature, sample) grids, numpy's repeat, the
per-feature grid sort, the packed code and sample table and the left flags
of the random splits: random forest moons 1.56 -> 0.85 s, Extra-Trees moons
1.93 -> 0.87 s, random-forest regressor housing 5.36 -> 3.30 s, Extra-Trees
housing 3.79 -> 2.17 s, random forest MNIST 3.92 -> 2.98 s, Extra-Trees
MNIST 4.24 -> 3.03 s. Then (30 trees, process time, minimum of 3 alternating
runs in one process) the sparse-data paths, the partitioned draw and the byte
codes: random forest MNIST 3.67 -> 2.58 s, Extra-Trees MNIST 3.93 -> 3.18 s;
moons unchanged within the noise.
"""

# SPDX-License-Identifier: BSD-3-Clause

import math

import numpy as np
import torch

from ._level_best_first import BestFirstBudget
from ._tree import EPSILON, TREE_LEAF, TREE_UNDEFINED, Tree

__all__ = ["LevelData", "grow_trees", "max_pairs", "supports"]

FEATURE_THRESHOLD = 1e-7
_MASK = 0x7FFFFFFF
_BIG = torch.iinfo(torch.int64).max
_LN2 = math.log(2.0)
_CLASSIFICATION = ("gini", "entropy", "log_loss")
_REGRESSION = ("squared_error",)
# (drawn feature, in-bag sample) pairs of one batch. On the CPU, the batches of a 100-tree forest's job (50 trees,
# 2 cores) fitted fastest between 2 and 4 million (MNIST random forest 5.3-5.5 s against 6.3-7.7 s at 8 million
# and 6.5-7.2 s at 1 million; Extra-Trees on housing best at 3 to 4 million): a level's calls cost the same for
# any batch, and larger batches leave the cache
_MAX_PAIRS = {"cpu": 3_000_000, "cuda": 60_000_000}


def max_pairs(device):
    """How many (drawn feature, in-bag sample) pairs one batch of trees may hold (about 100 bytes each)."""
    return _MAX_PAIRS.get(torch.device(device).type, _MAX_PAIRS["cpu"])


def supports(tree, X32):
    """Whether the level-wise builder can grow ``tree`` (else: the exact builder)."""
    return (
        tree.criterion in _CLASSIFICATION + _REGRESSION
        and not bool(torch.isnan(X32).any())
    )


# =============================================================================
# Hashing (counter-based random numbers)
# =============================================================================


def _mix(h):
    h = h & _MASK
    # h = (((h >> 16) ^ h) * 0x45D9F3B) & _MASK twice, then (h >> 16) ^ h, between two buffers: no other large
    # temporary (a node's feature keys: a fresh tensor per step cost 3 times as much)
    out = torch.empty_like(h)
    for _ in range(2):
        torch.bitwise_right_shift(h, 16, out=out).bitwise_xor_(h).mul_(0x45D9F3B).bitwise_and_(_MASK)
        h, out = out, h
    return torch.bitwise_right_shift(h, 16, out=out).bitwise_xor_(h)


# The 31-bit hash of (seed, node, feature) with an int salt is
#     _mix(_mix(_mix(seed ^ (salt * 0x2545F49)) ^ _mix(node + 0x3C6EF372)) ^ _mix(feature + 0x1B873593));
# its parts are computed once: per tree (_seed_mix), per feature (_feature_mix) and per node.


def _seed_mix(seeds, salt):
    return _mix(seeds ^ (salt * 0x2545F49))


def _feature_mix(features):
    return _mix(features + 0x1B873593)


def _uniform(hi, lo):
    """Uniform doubles in [0, 1) from two hashes (salts 1 and 2; 53 bits)."""
    return (hi * 4194304 + (lo >> 9)).double() / 9007199254740992.0


# =============================================================================
# Shared data: X sorted once per fit
# =============================================================================


class LevelData:
    """X transposed (``XT``: (F, n) float32, on ``device``) with every feature ranked once.

    ``codes[f, i]`` is the rank of ``X[i, f]`` among the distinct values of
    feature f (values closer than 1e-7 share a rank, as scikit-learn never
    splits between them), ``ranks[f, i]`` its position in the stable sort of
    column f; ``vmin``/``vmax[f, code]`` are the smallest and largest value of
    a code (float32: X's own values); ``first`` the stable sort order of
    feature 0 (the order the samples of a node are kept in).
    """

    def __init__(self, X32, device):
        device = torch.device(device)
        X = X32.to(device=device, dtype=torch.float32).contiguous()
        self.n_samples, self.n_features = X.shape
        n, F = X.shape
        self.XT = X.T.contiguous()  # (F, n): rows sort faster than strided columns
        # int32 tables where they fit (n < 2**31): faster gathers and reductions
        Xs, perm, starts, codes_sorted, codes, ranks = (_rank_rows_numpy if device.type == "cpu" else _rank_rows)(
            self.XT)
        n_codes = int(codes_sorted[:, -1].max()) + 1 if n and F else 1
        # per feature, how many samples hold its smallest value (the ranks below it). On sparse data (pixels,
        # counts: most of a node's elements) the best splitter sorts only the others (see _sort_drawn)
        self.n_smallest = (codes_sorted == 0).sum(1, dtype=codes_sorted.dtype)
        self.sparse = bool(3 * int(self.n_smallest.sum()) >= n * F > 0)
        self.first = perm[0].long() if F else torch.zeros(0, dtype=torch.int64, device=device)
        self.codes = codes
        # the best splitter sorts keys (pair << rank_bits) | rank and decodes the sorted ones: sample and code
        # of every sorted position come from these (F * n) tables, read at f * n + rank
        self.rank_bits = max(1, (n - 1).bit_length())
        self.ranks, self.perm, self.codes_sorted = ranks.reshape(-1), perm.reshape(-1), codes_sorted.reshape(-1)
        # both in one int32 table where they fit, code << rank_bits | sample: one random read, not two
        self.code_sample = None
        if max(1, (n_codes - 1).bit_length()) + self.rank_bits <= 31:
            self.code_sample = torch.bitwise_left_shift(self.codes_sorted, self.rank_bits).bitwise_or_(self.perm)
        negative_zero = bool(((Xs == 0) & torch.signbit(Xs)).any())
        self.vmin, self.vmax = _code_bounds(Xs, starts, codes_sorted, n_codes, negative_zero)
        # every code a single value (no two distinct values closer than 1e-7, no -0.0): a node's code range is
        # its value range, read from X alone
        self.exact = not negative_zero and bool(((self.vmin == self.vmax) | (self.vmin == math.inf)).all())
        self.device = device
        # exact data of at most 256 codes per feature (pixels, counts, categories) on the CPU: the codes as bytes,
        # a table a quarter of X's (its random reads 3 to 7 times as fast: cached), and every code's value as
        # a sorted key (feature << 32 | ordered value bits) to find the codes at most a threshold (_codes_at_most)
        self.codes8 = self.code_keys = None
        if self.exact and n_codes <= 256 and device.type == "cpu":
            self.codes8 = codes.to(torch.uint8)
            self.code_keys = _value_keys(torch.arange(F, device=device)[:, None], self.vmin).reshape(-1)  # (then inf)


def _code_bounds(Xs, starts, codes_sorted, n_codes, negative_zero):
    """The smallest and largest value of every code, (F, n_codes) each (inf and -inf where a feature has fewer
    codes): the first and last sorted value of its run, or with -0.0 in X, torch's minimum and maximum over the
    run (which of the equal -0.0 and 0.0 they keep)."""
    F, n = Xs.shape
    dev = Xs.device
    inf = torch.full((F, n_codes), math.inf, dtype=torch.float32, device=dev)
    if negative_zero:
        codes = codes_sorted.long()
        return inf.scatter_reduce(1, codes, Xs, "amin"), (-inf).scatter_reduce(1, codes, Xs, "amax")
    first = _nonzero(starts.reshape(-1))
    last = torch.cat([first[1:] - 1, torch.full((min(1, first.shape[0]),), F * n - 1, device=dev)])
    at = torch.div(first, n, rounding_mode="floor") * n_codes + codes_sorted.reshape(-1).index_select(0, first)
    vmin, vmax = inf.reshape(-1), (-inf).reshape(-1)
    vmin[at] = Xs.reshape(-1).index_select(0, first)
    vmax[at] = Xs.reshape(-1).index_select(0, last)
    return vmin.view(F, n_codes), vmax.view(F, n_codes)


def _value_keys(features, values):
    """int64 keys ``feature << 32 | v`` ordered as (feature, float32 value): v the value's bits, negative
    values' magnitude bits flipped (-0.0 is read as 0.0)."""
    bits = (values + 0.0).view(torch.int32).long()
    ordered = torch.where(bits < 0, bits ^ 0x7FFFFFFF, bits) + 2**31
    return torch.bitwise_left_shift(features.long(), 32) | ordered


def _codes_at_most(data, feats, t32):
    """Per (node, drawn feature), the largest code whose value is at most the float32 threshold ``t32`` (exact
    data: a sample goes left iff its code is at most this one): a binary search of the sorted code keys."""
    C = data.vmax.shape[1]
    below = torch.searchsorted(data.code_keys, _value_keys(feats, t32), right=True)
    return below - feats * C - 1


def _index_type(n):
    return torch.int32 if n < 2**31 else torch.int64


def _rank_rows(XT):
    """Per row of ``XT`` (F, n): sorted values, stable sort order, run starts (a new value: more than 1e-7
    above the previous one), the sorted positions' codes, and every sample's code and rank."""
    F, n = XT.shape
    dev = XT.device
    Xs, perm = torch.sort(XT, dim=1, stable=True)
    starts = torch.ones((F, n), dtype=torch.bool, device=dev)
    torch.gt(Xs[:, 1:].double(), Xs[:, :-1].double() + FEATURE_THRESHOLD, out=starts[:, 1:])
    itype = _index_type(n)
    codes_sorted = torch.cumsum(starts, 1, dtype=itype) - 1
    codes = torch.empty((F, n), dtype=itype, device=dev).scatter_(1, perm, codes_sorted)
    ranks = torch.empty((F, n), dtype=itype, device=dev).scatter_(1, perm, torch.arange(n, dtype=itype, device=dev)
                                                                   .expand(F, n))
    return Xs, perm.to(itype), starts, codes_sorted, codes, ranks


def _rank_rows_numpy(XT):
    """:func:`_rank_rows` with numpy (the CPU's: its stable sort and scatters are about twice as fast)."""
    F, n = XT.shape
    xt = XT.numpy()
    itype = np.int32 if n < 2**31 else np.int64
    order = xt
    if xt.size and xt.min() >= 0 and xt.max() < 2**16 and np.array_equal(xt, np.floor(xt)):
        order = xt.astype(np.uint16)  # small non-negative integers (pixels, counts): numpy's radix sort, 4x faster
    perm = np.argsort(order, axis=1, kind="stable").astype(itype)
    del order
    # the sorted positions' flat indices: 1-D gathers and scatters, 2 to 3 times as fast as 2-D fancy indexing
    at = (perm + (np.arange(F) * n)[:, None]).reshape(-1)
    Xs = xt.reshape(-1)[at].reshape(F, n)
    starts = np.ones((F, n), dtype=bool)
    np.greater(Xs[:, 1:], Xs[:, :-1].astype(np.float64) + FEATURE_THRESHOLD, out=starts[:, 1:])
    codes_sorted = np.cumsum(starts, axis=1, dtype=itype)
    codes_sorted -= 1
    codes = np.empty((F, n), dtype=itype)
    codes.reshape(-1)[at] = codes_sorted.reshape(-1)
    ranks = np.empty((F, n), dtype=itype)
    ranks.reshape(-1)[at] = np.tile(np.arange(n, dtype=itype), F)
    return tuple(torch.from_numpy(a) for a in (Xs, perm, starts, codes_sorted, codes, ranks))


# =============================================================================
# Criteria on summed statistics
# =============================================================================


class _Crit:
    """Impurity / proxy / value on statistics [w, ...] (last axis).

    Classification: [w, counts (n_outputs x width)]; regression: [w, s (n_outputs), sq (n_outputs)].
    Only the first ``n_proxy`` columns are needed to rank candidates.
    """

    def __init__(self, criterion, n_outputs, width):
        self.kind = "mse" if criterion == "squared_error" else ("gini" if criterion == "gini" else "entropy")
        self.n_outputs, self.width = n_outputs, width
        self.ycodes = None  # classification: per output, the samples' class codes (see _group_sums)
        # an element's (tree t, sample i) statistics are weights[t * n + i] * base[:, i] (see _stats)
        self.weights = self.base = None
        # integer weights: the weights in the narrowest integer type (a table small enough for the cache:
        # faster random reads); classification's sums are then exact, in any order (_class_cumsums)
        self.int_weights = None
        self.unit_weights = False  # every element's weight is 1 (no bootstrap, no sample weights)
        self.n_proxy = 1 + n_outputs * width if self.kind != "mse" else 1 + n_outputs
        # per proxy column, whether every running sum over a level's elements is an exact integer (see
        # _left_sums): integral weights and statistics, bounded sums
        self.exact_columns = [False] * self.n_proxy
        self.n_trees = 1
        self.max_weight = math.inf  # the largest tree's total weight (grow_trees)
        # Gini with integral class sums: the integer type its sums of squared class sums are exact in (the right
        # sums of squares from the left ones, no per-class right sums: see _class_cumsums), or None
        self.square_type = None

    @property
    def integral_classes(self):
        """Classification with integer weights, each tree's total below 2**31: every partial sum of the class
        statistics is an exact int32."""
        return self.ycodes is not None and self.int_weights is not None and self.max_weight < 2**31

    @property
    def exact_sums(self):
        """Whether every running sum of the proxy's statistics is an exact integer: the elements of the pairs
        that have no threshold (constant features) may stay among the others'."""
        return self.integral_classes or all(self.exact_columns)

    def _counts(self, S):
        return S[..., 1 : 1 + self.n_outputs * self.width].reshape(*S.shape[:-1], self.n_outputs, self.width)

    def impurity(self, S):
        w = S[..., 0]
        if self.kind == "mse":
            O = self.n_outputs
            s, sq = S[..., 1 : 1 + O], S[..., 1 + O : 1 + 2 * O]
            mean = s / w[..., None]
            return (sq / w[..., None] - mean * mean).sum(-1) / O
        p = self._counts(S) / w[..., None, None]
        if self.kind == "gini":
            return (1.0 - (p * p).sum(-1)).sum(-1) / self.n_outputs
        return (-torch.where(p > 0, p * (torch.log(p) / _LN2), torch.zeros_like(p))).sum(-1).sum(-1) / self.n_outputs

    def proxy_columns(self, L, R):
        """Larger is better (-w_L I_L - w_R I_R up to a per-node constant); L, R: lists of 1-D columns [w, ...]."""
        wl, wr = L[0], R[0]
        if self.kind in ("mse", "gini"):  # in place: fewer large temporaries
            left, right, square = L[1] * L[1], R[1] * R[1], torch.empty_like(wl)
            for k in range(2, len(L)):
                left.add_(torch.mul(L[k], L[k], out=square))
                right.add_(torch.mul(R[k], R[k], out=square))
            return left.div_(wl).add_(right.div_(wr))
        xlx = lambda c: torch.where(c > 0, c * torch.log(c), torch.zeros_like(c))  # noqa: E731
        total = -self.n_outputs * (xlx(wl) + xlx(wr))
        for k in range(1, len(L)):
            total = total + xlx(L[k]) + xlx(R[k])
        return total

    def value(self, S):
        w = S[..., 0]
        if self.kind == "mse":
            return (S[..., 1 : 1 + self.n_outputs] / w[..., None])[..., None]
        return self._counts(S) / w[..., None, None]


def _stats(y, weights, is_classifier, n_classes, device):
    """The per-(tree, sample) weights (T * n,) and the samples' unweighted statistics (S, n), float64: the
    statistics of (tree t, sample i) are ``weights[t * n + i] * base[:, i]`` (the weight itself first)."""
    n = weights.shape[1]
    W = torch.as_tensor(weights, dtype=torch.float64, device=device).reshape(-1)
    if is_classifier:
        O, width = y.shape[1], int(max(n_classes))
        onehot = torch.zeros((n, O, width), dtype=torch.float64, device=device)
        codes = torch.as_tensor(y, device=device).long()
        onehot.scatter_(2, codes[:, :, None], 1.0)
        base = torch.cat([torch.ones((n, 1), dtype=torch.float64, device=device), onehot.reshape(n, -1)], 1)
    else:
        yt = torch.as_tensor(y, dtype=torch.float64, device=device)
        base = torch.cat([torch.ones((n, 1), dtype=torch.float64, device=device), yt, yt * yt], 1)
    return W, base.T.contiguous()


def _element_stats(crit, e, sample, n_stats):
    """The first ``n_stats`` statistics of the elements ``e`` (tree * n + ``sample``), a list of columns: the
    products ``weight * base`` (a gather from the small per-sample table, not from a (tree, sample) one)."""
    if crit.unit_weights:  # 1 * statistic: the statistic
        return [torch.ones(e.shape, dtype=torch.float64, device=e.device)] + [
            crit.base[k].index_select(0, sample) for k in range(1, n_stats)]
    w = _weights(crit, e).double()
    return [w] + [w * crit.base[k].index_select(0, sample) for k in range(1, n_stats)]


# =============================================================================
# The builder
# =============================================================================


def _nonzero(mask):
    """The positions of the true entries of a 1-D mask (numpy's on the CPU: several times faster)."""
    if mask.device.type == "cpu":
        return torch.from_numpy(np.flatnonzero(mask.numpy()))
    return torch.nonzero(mask).flatten()


def _sort_values(x):
    """``x`` (a fresh tensor: the CPU sorts it in place) sorted along its last axis: numpy's sort on the CPU
    computes no permutation and is about twice as fast as torch's."""
    if x.device.type == "cpu":
        x = x.contiguous()
        x.numpy().sort()
        return x
    return torch.sort(x).values


def _weights(crit, e):
    """The weights of the elements ``e``: float64 or, integer weights, small integers from their table (faster
    random reads and products), or unit weights: ones (no read)."""
    if crit.unit_weights:
        return torch.ones(e.shape, dtype=torch.int8, device=e.device)
    return (crit.weights if crit.int_weights is None else crit.int_weights).index_select(0, e)


def _group_sums(crit, n_stats, group, n_groups, e, sample):
    """Per group, the sums of the first ``n_stats`` statistics of the elements ``e`` (tree * n + ``sample``) in
    their order (a list of (n_groups,) columns).

    Classification: the class columns hold the weight or 0, so one sum of the weights per (group, class)
    adds the same nonzero terms in the same order (adding 0 changes no sum): 1 + n_outputs sums, not one
    per class and output.
    """
    dev = e.device
    if crit.ycodes is None:
        return [torch.zeros(n_groups, dtype=torch.float64, device=dev).index_add_(0, group, col)
                for col in _element_stats(crit, e, sample, n_stats)]
    w = _weights(crit, e).double()
    width = crit.width
    classes = []
    for codes in crit.ycodes:
        table = torch.zeros(n_groups * width, dtype=torch.float64, device=dev).index_add_(
            0, torch.add(codes.index_select(0, sample), group, alpha=width), w).view(n_groups, width)
        classes += list(table.unbind(1))
    if crit.integral_classes:  # the weight sums: the sums of the first output's class sums (exact)
        return [sum(classes[1:width], classes[0])] + classes
    return [torch.zeros(n_groups, dtype=torch.float64, device=dev).index_add_(0, group, w)] + classes


def _other_side(c_tot, S):
    """The sums of a split's other side: the (node) totals ``c_tot`` less the (node, feature) sums ``S``."""
    return [c_tot[:, k, None] - S[k] for k in range(len(S))]


def _nonzero_2d(mask):
    """The rows and columns of the true entries of a 2-D mask, row-major (on the CPU numpy's flat positions
    divided by the row length: 4 times as fast as its 2-D ``nonzero``)."""
    if mask.device.type == "cpu":
        return tuple(torch.from_numpy(a) for a in np.divmod(np.flatnonzero(mask.numpy()), mask.shape[1]))
    return torch.nonzero(mask).unbind(1)


def _exclusive_cumsum(x):
    return torch.cumsum(x, 0) - x


def _at(table, index):
    """``table.flatten()[index]`` (index_select: much faster than advanced indexing on the CPU)."""
    return table.reshape(-1).index_select(0, index.reshape(-1)).view(index.shape)


def _segment_ids(lengths, total, dtype=torch.int64):
    """The segment index of every position of consecutive segments of ``lengths`` (whose sum is ``total``)."""
    return _repeat(torch.arange(lengths.shape[0], dtype=dtype, device=lengths.device), lengths, total)


def _repeat(values, lengths, total, axis=0):
    """Slice k of ``values`` along ``axis`` ``lengths[k]`` times, one after the other (``total`` slices): numpy's
    ``repeat`` on the CPU (2 to 5 times as fast as torch's ``repeat_interleave`` or an ``index_select``)."""
    if values.device.type == "cpu":
        return torch.from_numpy(np.repeat(values.numpy(), lengths.numpy(), axis=axis))
    return _repeat_torch(values, lengths, total, axis)


def _repeat_torch(values, lengths, total, axis=0):
    return torch.repeat_interleave(values, lengths, dim=axis, output_size=total)


def _expand(pair_node, c_start, c_len):
    """The positions of the (pair, in-node sample) elements: lengths, starts, pair of each, rank in pair, index
    into the node-grouped sample row."""
    pair_len = c_len.index_select(0, pair_node)
    pair_first = _exclusive_cumsum(pair_len)
    N = int(pair_len.sum())
    seg_id = _segment_ids(pair_len, N)
    pos_in_seg = torch.arange(N, device=pair_node.device) - pair_first.index_select(0, seg_id)
    idx = c_start.index_select(0, pair_node).index_select(0, seg_id) + pos_in_seg
    return pair_len, pair_first, seg_id, pos_in_seg, idx


def _code_range(data, samples, pair_f, pair_node, c_start, c_len):
    """Smallest and largest value code of each (feature, node) pair over the node's samples."""
    n = data.n_samples
    _, _, seg_id, _, idx = _expand(pair_node, c_start, c_len)
    c = data.codes.reshape(-1).index_select(0, (pair_f * n).index_select(0, seg_id) + samples.index_select(0, idx))
    c = c.long()
    P = pair_f.shape[0]
    cmin = torch.full((P,), _BIG, dtype=torch.int64, device=c.device).scatter_reduce(0, seg_id, c, "amin")
    cmax = torch.full((P,), -1, dtype=torch.int64, device=c.device).scatter_reduce(0, seg_id, c, "amax")
    return cmin, cmax


# Up to 1,024 features, a node's feature keys are int32: the hash's top 21 bits or more, then the feature (a tie
# of the top bits orders two features by their index: on 784 features, one node in seven has a tie, and one in a
# hundred draws one of the two by index instead of at random)
_INT32_KEY_FEATURE_BITS = 10


def _int32_key_bits(F):
    """The low bits holding the feature in int32 feature keys of ``F`` features, or None (int64 keys)."""
    bits = max(1, (F - 1).bit_length())
    return bits if bits <= _INT32_KEY_FEATURE_BITS else None


def _feature_keys(node_h, f_mix32, f_ids):
    """Per node (hashes ``node_h``), distinct keys of its features (Kc, F) in a random order: the 31-bit hash of
    (node, feature), then the feature in the low bits (a node's keys contiguous: a faster top-k). The hash in
    int32: its products wrap around, but only their low 31 bits are kept, which are int64's."""
    F = f_ids.shape[0]
    hashes = _mix(node_h.int()[:, None] ^ f_mix32[None, :])
    bits = _int32_key_bits(F)
    if bits is not None:  # (half the memory traffic, and a faster partition)
        return hashes.bitwise_and_(-(1 << bits)).bitwise_or_(f_ids.int())
    return hashes.long().mul_(F).add_(f_ids)


def _key_features(keys, F):
    """The features of :func:`_feature_keys`' ``keys`` (numpy or torch)."""
    if keys.dtype in (np.int32, torch.int32):
        return keys & ((1 << _int32_key_bits(F)) - 1)
    return keys % F


def _drawn_features(keys, mtry):
    """Per node (row of :func:`_feature_keys`' ``keys``), the features of its ``mtry`` (< F) smallest keys, in
    no particular order. One feature: the arg-min (twice as fast as a top-k). On the CPU with 8 features or
    more, numpy's partition of the keys themselves, which end in their feature (up to twice as fast as torch's
    top-k and its indices; slower on rows of a few keys)."""
    F = keys.shape[1]
    if mtry == 1:
        return keys.argmin(1, keepdim=True)
    if keys.device.type == "cpu" and F >= 8:
        return torch.from_numpy(_key_features(np.partition(keys.numpy(), mtry - 1, axis=1)[:, :mtry], F)).long()
    return torch.topk(keys, mtry, dim=1, largest=False, sorted=False).indices


def _select_pairs(data, samples, keys, mtry, c_start, c_len):
    """The searched (feature, node) pairs, feature-major, with their code ranges, and whether a node has any.

    scikit-learn visits features in a random order, a constant one counting as visited, until max_features
    are visited and one of them is not constant: the non-constant ones among the first max_features of a
    random permutation (the smallest keys), or else the first non-constant one. Only the drawn features'
    samples are read (and every feature's only for the nodes whose drawn ones are all constant).
    """
    dev = keys.device
    Kc, F = keys.shape
    nodes = torch.arange(Kc, device=dev)
    if mtry < F:
        drawn = _drawn_features(keys, mtry).T  # (mtry, Kc)
    else:
        drawn = torch.arange(F, device=dev)[:, None].expand(F, Kc)
    pf, pn = drawn.reshape(-1), nodes.repeat(drawn.shape[0])
    cmin, cmax = _code_range(data, samples, pf, pn, c_start, c_len)
    nc = cmin != cmax
    pf, pn, cmin, cmax = pf[nc], pn[nc], cmin[nc], cmax[nc]
    has = torch.zeros(Kc, dtype=torch.bool, device=dev)
    has[pn] = True
    width = mtry
    while width < F and not bool(has.all()):  # the first non-constant feature: among the next keys, then all
        width = min(F, 8 * width)
        fb = _nonzero(~has)
        nfb = fb.shape[0]
        kfb = keys.index_select(0, fb).T.long()
        if width < F:
            kfb, ffb = torch.topk(kfb, width, dim=0, largest=False, sorted=False)
        else:
            ffb = torch.arange(F, device=dev)[:, None].expand(F, nfb)
        cmin2, cmax2 = _code_range(data, samples, ffb.reshape(-1), fb.repeat(width), c_start, c_len)
        nc2 = (cmin2 != cmax2).view(width, nfb)
        kmin, row = torch.where(nc2, kfb, _BIG).min(0)
        ok = _nonzero(kmin != _BIG)
        if ok.numel():
            at = row[ok] * nfb + ok
            no = fb[ok]
            pf, pn = torch.cat([pf, ffb.reshape(-1)[at]]), torch.cat([pn, no])
            cmin, cmax = torch.cat([cmin, cmin2[at]]), torch.cat([cmax, cmax2[at]])
            has[no] = True
    srt = torch.argsort(pf * Kc + pn)  # feature-major, as the summation order of the statistics
    return pf[srt], pn[srt], cmin[srt], cmax[srt], has


def _integral(weights):
    """Whether the weights are integers (bootstrap counts, no fractional sample or class weights) summing to less
    than 2**53 per tree: every partial sum of the class statistics is then exact, whatever the order."""
    return bool(np.all(weights == np.floor(weights))) and float(weights.sum(1).max(initial=0)) < 2**53


def _small_ints(values, device):
    """The integers ``values`` (flattened) in the narrowest of int8, int16, int32 and int64."""
    top = float(np.abs(values).max(initial=0))
    dtype = next(d for d in (np.int8, np.int16, np.int32, np.int64) if top <= np.iinfo(d).max)
    return torch.as_tensor(values.reshape(-1).astype(dtype), device=device)


def grow_trees(data, y, weights, seeds, *, is_classifier, n_classes, criterion, splitter, max_features,
               max_depth, min_samples_split, min_samples_leaf, min_weight_leaf, min_impurity_decrease,
               max_leaf_nodes=None):
    """Grow one tree per row of ``weights`` (T, n) and return their :class:`Tree` objects.

    ``y`` is (n, n_outputs): class codes (classification) or values; ``seeds``
    the trees' integer seeds; ``min_weight_leaf`` one value per tree.
    """
    dev = data.device
    T, n = weights.shape
    F = data.n_features
    O = y.shape[1]
    width = int(max(n_classes)) if is_classifier else 1
    crit = _Crit(criterion, O, width)
    crit.n_trees = T
    if is_classifier:  # per output, the samples' class codes
        crit.ycodes = [torch.as_tensor(np.ascontiguousarray(y[:, o]), device=dev).long() for o in range(O)]
    if _integral(weights):
        crit.int_weights = _small_ints(weights, dev)
        crit.unit_weights = float(weights.max(initial=0)) <= 1
    crit.weights, crit.base = _stats(y, weights, is_classifier, n_classes, dev)
    if crit.int_weights is not None:  # a level holds each in-bag (tree, sample) at most F times
        proxy_base = crit.base[: crit.n_proxy]
        bound = F * float(weights.sum()) * proxy_base.abs().amax(1)
        crit.exact_columns = ((proxy_base == torch.floor(proxy_base)).all(1) & (bound < 2**53)).tolist()
    random_split = splitter == "random"
    mtry = min(int(max_features), F)
    seeds_t = torch.as_tensor(np.asarray(seeds, dtype=np.int64) & _MASK, device=dev)
    mwl = torch.as_tensor(np.asarray(min_weight_leaf, dtype=np.float64), device=dev)
    Xflat = data.XT  # (F, n)
    f_ids = torch.arange(F, device=dev)
    f_mix = _feature_mix(torch.arange(F, device=dev))
    f_mix32 = f_mix.int()
    s_mix = [_seed_mix(seeds_t, salt) for salt in ((0, 1, 2) if random_split else (0,))]

    # the in-bag (tree, sample) elements grouped by node (one node per tree at first), each node's in the
    # order of feature 0's values (the order the children's statistics are summed in)
    active = torch.as_tensor(weights, device=dev) > 0  # (T, n)
    pos = active[:, data.first].nonzero()
    samples = data.first.index_select(0, pos[:, 1])
    # element ids t * n + i (and their samples, kept alongside: no division); int32 where they fit (half the
    # memory traffic of the levels' gathers)
    elems = (pos[:, 0] * n + samples).to(_index_type(T * n))
    samples = samples.to(_index_type(n))
    del pos
    seg_len = active.sum(1)
    tree_of = torch.arange(T, device=dev)
    local = torch.zeros(T, dtype=torch.int64, device=dev)
    count = torch.ones(T, dtype=torch.int64, device=dev)
    tree_e = torch.arange(T, device=dev).repeat_interleave(n)
    tot = torch.stack([torch.zeros(T, dtype=torch.float64, device=dev).index_add_(
        0, tree_e, crit.weights * col.repeat(T)) for col in crit.base], 1)
    tot = tot[seg_len > 0]
    tree_of, local, seg_len = tree_of[seg_len > 0], local[seg_len > 0], seg_len[seg_len > 0]
    root_w = torch.zeros(T, dtype=torch.float64, device=dev).index_add_(0, tree_of, tot[:, 0])
    crit.max_weight = float(root_w.max())
    if crit.kind == "gini" and crit.integral_classes:  # (a node's sums of squares, and their products with its
        bound = 2 * O * crit.max_weight**2  # class sums, are at most its outputs times its squared weight)
        crit.square_type = torch.int32 if bound < 2**31 else torch.int64 if bound < 2**53 else None
    levels = []  # per level: dict of tensors
    budget = None if max_leaf_nodes is None else BestFirstBudget(max_leaf_nodes, T)
    depth = 0

    def may_split(tot, seg_len, tree_of, depth):  # the nodes' impurity, and which of them may split
        impurity = crit.impurity(tot)
        can = (
            (seg_len >= min_samples_split) & (seg_len >= 2 * min_samples_leaf)
            & (tot[:, 0] >= 2 * mwl[tree_of]) & (impurity > EPSILON)
        )
        return impurity, can if depth < max_depth else torch.zeros_like(can)

    impurity, can = may_split(tot, seg_len, tree_of, depth)
    if not bool(can.all()):  # only the samples of the nodes that may split are kept (see _children_rows)
        rows = _nonzero(can[_segment_ids(seg_len, elems.shape[0])])
        elems, samples = elems.index_select(0, rows), samples.index_select(0, rows)
    while True:
        K = seg_len.shape[0]
        if K == 0:
            break
        level = {"tree": tree_of, "local": local, "impurity": impurity, "n": seg_len, "w": tot[:, 0],
                 "value": crit.value(tot), "feature": torch.full((K,), TREE_UNDEFINED, dtype=torch.int64, device=dev),
                 "threshold": torch.full((K,), float(TREE_UNDEFINED), dtype=torch.float64, device=dev),
                 "left": torch.full((K,), TREE_LEAF, dtype=torch.int64, device=dev),
                 "right": torch.full((K,), TREE_LEAF, dtype=torch.int64, device=dev)}
        levels.append(level)
        if not bool(can.any()):
            break
        cand = _nonzero(can)  # candidate node ids (level index)
        Kc = cand.shape[0]
        c_len = seg_len[cand]
        c_start = _exclusive_cumsum(c_len)
        mc = elems.shape[0]
        c_pos = _segment_ids(c_len, mc)
        c_tree = tree_of[cand]
        c_tot = tot[cand]
        node_mix = _mix(local[cand] + 0x3C6EF372)
        node_h = [_mix(sm.index_select(0, c_tree) ^ node_mix) for sm in s_mix]  # per salt: (Kc,)
        keys = _feature_keys(node_h[0], f_mix32, f_ids)  # (Kc, F)
        # the drawn pairs' code ranges come with their search (unless a node needs more features)
        if random_split:
            drawn = _random_split_nodes(data, crit, elems, samples, keys, mtry, c_start, c_pos, c_len, c_tot,
                                        node_h, f_mix, c_tree, min_samples_leaf, mwl)
        else:
            drawn = _best_split_drawn(data, crit, samples, keys, mtry, c_start, c_len, c_pos, c_tot, c_tree,
                                      min_samples_leaf, mwl)
        if drawn is not None:
            best_f, best_thr, found, has, go_left, left_tot = drawn
        else:
            pair_f, pair_node, cmin, cmax, has = _select_pairs(data, samples, keys, mtry, c_start, c_len)
            split = _random_split if random_split else _best_split
            best_f, best_thr, found = split(
                data, Xflat, crit, elems, samples, pair_f, pair_node, cmin, cmax, c_start, c_len, c_tot, keys,
                node_h, f_mix, c_tree, min_samples_leaf, mwl,
            )
            go_left = left_tot = None
        found = found & has
        # samples going left (those of the random splits come with their search), exact children statistics,
        # min_impurity_decrease
        if go_left is None:
            bf = best_f.clamp(min=0)
            go_left = (_at(Xflat, _repeat((bf * n).to(_index_type(F * n)), c_len, mc).add_(samples))
                       <= _repeat(_floor32(best_thr), c_len, mc))
        left_rows = _nonzero(go_left)
        if left_tot is None:  # (the searches' left sums at the best splits, where they are every statistic's)
            left_e, left_node = elems.index_select(0, left_rows), c_pos.index_select(0, left_rows)
            left_tot = torch.stack(_group_sums(crit, crit.base.shape[0], left_node, Kc, left_e,
                                               samples.index_select(0, left_rows)), 1)
        right_tot = c_tot - left_tot
        wl, wr, wn = left_tot[:, 0], right_tot[:, 0], c_tot[:, 0]
        improvement = (wn / root_w[c_tree]) * (
            impurity[cand] - wr / wn * crit.impurity(right_tot) - wl / wn * crit.impurity(left_tot)
        )
        do_split = found & (improvement + EPSILON >= min_impurity_decrease)
        if budget is not None:  # max_leaf_nodes: only the nodes best-first growth may still split
            do_split = budget.limit(cand, do_split, improvement, tree_of[cand], local[cand])
        if not bool(do_split.any()):
            break
        split_nodes = cand[do_split]
        n_split = split_nodes.shape[0]
        # children: 2k (left), 2k + 1 (right) at the next level; local ids per tree
        s_tree = tree_of[split_nodes]
        per_tree = torch.bincount(s_tree, minlength=T)
        first = _exclusive_cumsum(per_tree)
        rank = torch.arange(n_split, device=dev) - first[s_tree]
        left_local = count[s_tree] + 2 * rank
        count = count + 2 * per_tree
        level["feature"][split_nodes] = best_f[do_split]
        level["threshold"][split_nodes] = best_thr[do_split]
        level["left"][split_nodes] = left_local
        level["right"][split_nodes] = left_local + 1
        # per node, its first left row and its number of lefts (the left rows are sorted)
        left_start = torch.searchsorted(left_rows, torch.cat([c_start, c_start.new_full((1,), mc)]))
        n_left = torch.diff(left_start)
        seg_len = torch.stack([n_left, c_len - n_left], 1)[do_split].flatten()
        tot = torch.stack([left_tot, right_tot], 1)[do_split].reshape(2 * n_split, -1)
        tree_of = torch.stack([s_tree, s_tree], 1).flatten()
        local = torch.stack([left_local, left_local + 1], 1).flatten()
        depth += 1
        impurity, can = may_split(tot, seg_len, tree_of, depth)
        rows = _children_rows(go_left, left_rows, left_start[:-1], c_start, do_split, seg_len, can)
        elems, samples = elems.index_select(0, rows), samples.index_select(0, rows)
    trees = _assemble(levels, T, count, F, n_classes if is_classifier else np.ones(O, dtype=np.intp), O)
    return trees if budget is None else budget.select(trees)


def _children_rows(go_left, left_rows, left_start, c_start, do_split, child_len, child_can):
    """The rows of the next level's elements: per child that may split, its node's left (or right) rows in their
    order (a stable partition, leaves' rows dropped), children in the next level's order (left, right of each
    split node). Two lists of rows (the left ones and the right ones, each grouped by node) and one gather of
    consecutive ranges: fewer passes than a counting partition's scatter."""
    src = torch.cat([left_rows, _nonzero(~go_left)])
    # where each node's left and right rows start in src
    right_start = left_rows.shape[0] + c_start - left_start
    child_start = torch.stack([left_start, right_start], 1)[do_split].flatten()
    kept = _nonzero(child_can)
    lengths, starts = child_len.index_select(0, kept), child_start.index_select(0, kept)
    return src.index_select(0, _ranges(starts, lengths, int(lengths.sum())))


def _ranges(starts, lengths, total):
    """The positions of the non-empty ranges ``[starts[k], starts[k] + lengths[k])``, one range after the other
    (``total`` positions): a running sum of ones, each range's first position holding its jump from the
    previous range's last (numpy's repeat of many short ranges and an arange: up to 10 times slower)."""
    steps = torch.ones(total, dtype=torch.int64, device=starts.device)
    jumps = starts.clone()
    jumps[1:] -= starts[:-1] + lengths[:-1] - 1
    steps[_exclusive_cumsum(lengths)] = jumps
    return torch.cumsum(steps, 0)


def _no_split(Kc, dev):
    return (torch.full((Kc,), -1, dtype=torch.int64, device=dev),
            torch.zeros(Kc, dtype=torch.float64, device=dev), torch.zeros(Kc, dtype=torch.bool, device=dev))


def _sort_grid(data, samples, c_pos, Kc):
    """:func:`_sort_pairs` for every (feature, node) pair, feature-major: per feature, one sort of the keys
    ``node << rank_bits | rank`` of its (in-node sample) elements (narrower than the pairs' keys: int32 more
    often), decoded with no table of pairs. Per sorted position: pair, value code and sample."""
    dev = samples.device
    F, n, m = data.n_features, data.n_samples, samples.shape[0]
    bits = data.rank_bits
    itype = torch.int32 if (Kc << bits) < 2**31 else torch.int64
    rows = (torch.arange(F, device=dev, dtype=_index_type(F * n)) * n)[:, None]  # each feature's table row
    key = data.ranks.index_select(0, (rows + samples[None, :]).reshape(-1)).view(F, m).to(itype)
    key = _sort_values(key.bitwise_or_(torch.bitwise_left_shift(c_pos.to(itype), bits)[None, :]))
    at = torch.bitwise_and(key, (1 << bits) - 1).add_(rows)
    seg = torch.bitwise_right_shift(key, bits).add_(torch.arange(0, F * Kc, Kc, device=dev, dtype=itype)[:, None])
    return (seg.reshape(-1),) + _code_and_sample(data, at.reshape(-1))


def _sort_pairs(data, samples, pair_f, pair_node, c_start, c_len):
    """The elements of every (feature, node) pair, each pair's sorted by value, pairs one after the other.

    One sort of the keys ``pair << rank_bits | rank`` of all pairs, decoded afterwards (no gather by
    the sort's permutation). Returns the pairs' lengths and first positions, and per sorted position its
    pair, value code and sample.
    """
    itype = _key_type(data, pair_f.shape[0])
    pair_len, pair_first, seg_id, flat = _expand_pairs(pair_f, pair_node, c_start, c_len, samples, data.n_samples,
                                                       itype)
    rank = data.ranks.index_select(0, flat)
    del flat
    return (pair_len, pair_first) + _sort_keys(data, pair_f, seg_id, rank, itype)


def _key_type(data, n_pairs):
    return torch.int32 if (n_pairs << data.rank_bits) < 2**31 else torch.int64  # int32 keys sort faster


def _sort_keys(data, pair_f, seg_id, rank, itype):
    """:func:`_sort_pairs` from the elements' pairs ``seg_id`` (``itype``) and ranks: per sorted position its
    pair, value code and sample."""
    n = data.n_samples
    bits = data.rank_bits
    key = torch.bitwise_or(torch.bitwise_left_shift(seg_id, bits), rank.to(itype))
    del seg_id, rank
    key = _sort_values(key)  # distinct keys
    seg = torch.bitwise_right_shift(key, bits)
    # int32 positions where the tables allow (half the memory traffic)
    at = (pair_f * n).to(_index_type(data.n_features * n)).index_select(0, seg).add_(
        torch.bitwise_and(key, (1 << bits) - 1))
    del key
    return (seg,) + _code_and_sample(data, at)


def _code_and_sample(data, at):
    """The value code and sample of the sorted positions ``at`` (f * n + rank)."""
    if data.code_sample is None:
        return data.codes_sorted.index_select(0, at), data.perm.index_select(0, at)
    both = data.code_sample.index_select(0, at)
    return torch.bitwise_right_shift(both, data.rank_bits), both.bitwise_and_((1 << data.rank_bits) - 1)


def _expand_pairs(pair_f, pair_node, c_start, c_len, samples, n, dtype=torch.int64):
    """The elements of (feature, node) pairs, pair after pair, each in its node's order: the pairs' lengths
    and first positions, per element its pair (``dtype``) and its X index f * n + sample."""
    dev = samples.device
    pair_len = c_len.index_select(0, pair_node)
    pair_first = _exclusive_cumsum(pair_len)
    N = int(pair_len.sum())
    seg_id = _segment_ids(pair_len, N, dtype)
    # the in-node row of each element: its node's start + its position in the pair
    idx = (c_start.index_select(0, pair_node) - pair_first).index_select(0, seg_id) + torch.arange(N, device=dev)
    flat = (pair_f * n).index_select(0, seg_id) + samples.index_select(0, idx)
    return pair_len, pair_first, seg_id, flat


def _best_split_drawn(data, crit, samples, keys, mtry, c_start, c_len, c_pos, c_tot, c_tree, msl, mwl):
    """:func:`_best_split` on the drawn pairs: (feature, threshold, found, has, None), or None when a node needs
    features beyond its drawn ones (all of those constant: :func:`_select_pairs` then searches further).

    Some features drawn: their ranks are read as a (drawn feature, in-node sample) grid (a gather of the
    feature-major tables), the constant pairs found per node segment and their elements dropped
    before the sort. Every feature drawn: every pair is sorted, a pair's code range is its first and last
    sorted code, and the constant pairs are dropped before the search. Either way the searched pairs are
    feature-major (the plain path's order: the statistics' cumulative sums run over all pairs).
    """
    dev = samples.device
    Kc, F = keys.shape
    if mtry < F:
        drawn = _sort_drawn(data, samples, keys, mtry, c_start, c_len, c_pos, data.sparse and crit.integral_classes)
        if drawn is None:
            return None
        pf, pn, pair_len, pair_first, seg, code, sample, stand = drawn
        f, thr, found, left = _search_sorted(data, crit, pf, pn, pair_len, pair_first, seg, code, sample, c_len,
                                             c_tot, keys, c_tree, msl, mwl, stand)
        return f, thr, found, torch.ones(Kc, dtype=torch.bool, device=dev), None, left
    pf, pn = torch.arange(F, device=dev).repeat_interleave(Kc), torch.arange(Kc, device=dev).repeat(F)
    pair_len = c_len.repeat(F)
    pair_first = _exclusive_cumsum(pair_len)
    seg, code, sample = _sort_grid(data, samples, c_pos, Kc)
    nc = code.index_select(0, pair_first) != code.index_select(0, pair_first + pair_len - 1)
    has = torch.zeros(Kc, dtype=torch.bool, device=dev)
    has[pn[nc]] = True
    if not crit.exact_sums and not bool(nc.all()):  # drop the constant pairs' elements (the others keep their
        rows = _nonzero(nc.index_select(0, seg))  # order: the same rounding as the plain path's)
        new_id = torch.cumsum(nc, 0, dtype=seg.dtype) - 1
        seg = new_id.index_select(0, seg.index_select(0, rows))
        code, sample = code.index_select(0, rows), sample.index_select(0, rows)
        pf, pn, pair_len = pf[nc], pn[nc], pair_len[nc]
        pair_first = _exclusive_cumsum(pair_len)
    f, thr, found, left = _search_sorted(data, crit, pf, pn, pair_len, pair_first, seg, code, sample, c_len,
                                         c_tot, keys, c_tree, msl, mwl)
    return f, thr, found, has, None, left


def _sort_drawn(data, samples, keys, mtry, c_start, c_len, c_pos, skip_smallest):
    """The non-constant drawn pairs (feature-major) and their sorted elements (:func:`_sort_pairs`'s), or None
    when a node's drawn features are all constant.

    ``skip_smallest`` (sparse data, integral class sums): the elements holding their feature's smallest value,
    the first of a pair's order and one code, are not sorted; one element of rank 0 stands for them at the
    start of each pair that has some (the stand-ins' positions and pairs are returned, else None). Their sums
    are their pair's totals less its other elements' (:func:`_class_cumsums`): the same exact integers, so the
    same thresholds and proxies, from a fraction of the elements (MNIST: 30%).
    """
    dev = samples.device
    Kc, F = keys.shape
    n = data.n_samples
    feats = _drawn_features(keys, mtry)  # (Kc, mtry)
    # the elements' ranks, read once: their range per pair is its code range (codes grow with ranks), then the
    # sort keys. A (drawn feature, in-node sample) grid: the samples of a node read one row of the table at a
    # time (cached), and the ranges reduce contiguous segments. Skipping the smallest values with byte codes:
    # the ranges from the codes (a table a quarter of the ranks'), the ranks read only for the elements sorted
    m = samples.shape[0]
    at = feats * n
    flat = _repeat(at.to(_index_type(F * n)).T.contiguous(), c_len, m, axis=1).add_(samples).reshape(-1)
    bytes_first = skip_smallest and data.codes8 is not None
    if bytes_first:
        codes = data.codes8.reshape(-1).index_select(0, flat)
        code_min, code_max = (_segment_reduce(codes.view(mtry, m).T, op, c_start, c_pos, Kc).long()
                              for op in ("amin", "amax"))  # (Kc, mtry)
    else:
        rank = data.ranks.index_select(0, flat)
        del flat
        code_min, code_max = (data.codes_sorted.index_select(0, (at + _segment_reduce(rank.view(mtry, m).T, op, c_start,
                              c_pos, Kc)).reshape(-1)).view(Kc, mtry) for op in ("amin", "amax"))
    nc = code_min != code_max
    if not bool(nc.any(1).all()):
        return None
    pair_at = _nonzero(nc.reshape(-1))
    node = pair_at // mtry
    pf = feats.reshape(-1).index_select(0, pair_at)
    srt = torch.argsort(pf * Kc + node)  # feature-major, as _select_pairs
    pf, pn, pair_at = pf.index_select(0, srt), node.index_select(0, srt), pair_at.index_select(0, srt)
    P = pf.shape[0]
    itype = _key_type(data, P)
    pair_id = torch.full((Kc * mtry,), -1, dtype=itype, device=dev)
    pair_id[pair_at] = torch.arange(P, dtype=itype, device=dev)
    pair_id = pair_id.view(Kc, mtry)
    seg_id = _repeat(pair_id.T.contiguous(), c_len, m, axis=1).reshape(-1)
    stand_pair = None
    if skip_smallest:  # keep the non-constant pairs' elements above their feature's smallest value (code 0)
        if bytes_first:  # (the constant pairs keep nothing: no byte code is above 255)
            above = torch.where(nc, 0, 255).to(torch.uint8)
            keep = _nonzero(codes > _repeat(above.T.contiguous(), c_len, m, axis=1).reshape(-1))
            rank = data.ranks.index_select(0, flat.index_select(0, keep))
            del codes, flat
        else:  # (the ranks below n_smallest hold the smallest value; the constant pairs keep nothing)
            lowest = torch.where(nc, data.n_smallest.index_select(0, feats.reshape(-1)).view(Kc, mtry), n)
            keep = _nonzero(rank >= _repeat(lowest.T.contiguous(), c_len, m, axis=1).reshape(-1))
            rank = rank.index_select(0, keep)
        seg_id = seg_id.index_select(0, keep)
        stand_pair = pair_id[nc & (code_min == 0)]
        seg_id, rank = torch.cat([seg_id, stand_pair]), torch.cat([rank, rank.new_zeros(stand_pair.shape)])
    elif P < Kc * mtry:  # keep the non-constant pairs' elements
        keep = _nonzero(seg_id >= 0)
        seg_id, rank = seg_id.index_select(0, keep), rank.index_select(0, keep)
    seg, code, sample = _sort_keys(data, pf, seg_id, rank, itype)
    pair_len = c_len.index_select(0, pn) if stand_pair is None else torch.bincount(seg, minlength=P)
    pair_first = _exclusive_cumsum(pair_len)
    stand = None if stand_pair is None else (pair_first.index_select(0, stand_pair), stand_pair)
    return pf, pn, pair_len, pair_first, seg, code, sample, stand


def _best_split(data, Xflat, crit, elems, samples, pair_f, pair_node, cmin, cmax, c_start, c_len, c_tot,
                keys, node_h, f_mix, c_tree, msl, mwl):
    """Best threshold per candidate node among its selected features: (feature, threshold, found).

    The samples of each selected (feature, node) pair are sorted by value (:func:`_sort_pairs`), so one
    cumulative sum per statistic gives every candidate's left side (:func:`_search_sorted`).
    """
    Kc = c_len.shape[0]
    if pair_f.shape[0] == 0:
        return _no_split(Kc, elems.device)
    pair_len, pair_first, seg, code, sample = _sort_pairs(data, samples, pair_f, pair_node, c_start, c_len)
    return _search_sorted(data, crit, pair_f, pair_node, pair_len, pair_first, seg, code, sample, c_len,
                          c_tot, keys, c_tree, msl, mwl)[:3]


def _search_sorted(data, crit, pair_f, pair_node, pair_len, pair_first, seg, code, sample, c_len, c_tot,
                   keys, c_tree, msl, mwl, stand=None):
    """The best split of every node from its pairs' sorted elements (:func:`_sort_pairs`; ``stand``: the
    positions and pairs of :func:`_sort_drawn`'s stand-ins).

    The statistics' cumulative sum over all pairs, less its value before a pair's start, is the left side
    of every position; the proxy is only evaluated where a threshold may lie (between two distinct values).
    Equal proxies: the first position of a pair, then the pair with the smallest draw key (the feature
    "visited first").
    """
    dev = code.device
    Kc = c_len.shape[0]
    n_pairs = pair_f.shape[0]
    if n_pairs == 0:
        return _no_split(Kc, dev) + (None,)
    N = code.shape[0]
    n = data.n_samples
    # the elements' ids tree * n + sample (int32 where they fit: half the memory traffic)
    tree_n = (c_tree.index_select(0, pair_node) * n).to(_index_type(crit.weights.shape[0]))
    e = tree_n.index_select(0, seg) + sample
    # thresholds lie between two distinct values of one pair (a pair's last position has no right side)
    valid = torch.zeros(N, dtype=torch.bool, device=dev)
    torch.ne(code[1:], code[:-1], out=valid[:-1])
    valid[pair_first + pair_len - 1] = False
    v = _nonzero(valid)
    nv = v.shape[0]
    if nv == 0:  # (every pair constant)
        return _no_split(Kc, dev) + (None,)
    seg_v = seg.index_select(0, v)
    squares = None
    if crit.integral_classes:
        tables, cross = _class_cumsums(crit, c_tot, pair_node, pair_first + pair_len - 1, valid, seg, seg_v, e,
                                       sample, stand)
        # the weight: the sum of the first output's class sums
        L = [tables[0].sum(0, dtype=torch.int32)[:nv].double()]
        if cross is None:
            L += [row[:nv].double() for table in tables for row in table]
        else:  # Gini's proxy from the sums of squared class sums, not from each class column
            squares = sum(_sum_squares(table, crit.square_type, 0) for table in tables)[:nv]
    else:
        slots = None
        L = []
        for k, st in enumerate(_element_stats(crit, e, sample, crit.n_proxy)):
            if crit.exact_columns[k]:
                L.append(_left_sums(st, pair_first, v, seg_v, pair_tot=c_tot[:, k].index_select(0, pair_node)))
            else:
                if slots is None:
                    slots = _tree_major_slots(c_tree.index_select(0, pair_node), pair_len, pair_first, seg,
                                              crit.n_trees)
                L.append(_left_sums(st, pair_first, v, seg_v, tree_major=slots))
    del valid
    node_v = pair_node.index_select(0, seg_v)
    tot_cols = c_tot[:, : len(L)].T.contiguous()  # 1-D gathers of contiguous columns (strided ones are slow)
    R = [tot_cols[k].index_select(0, node_v) - L[k] for k in range(len(L))]
    ok = None
    if msl > 1:
        pos_v = v - pair_first.index_select(0, seg_v)  # position in the pair
        # (before it, the elements a stand-in holds the place of: its feature's smallest value, see _sort_drawn)
        hidden = c_len.index_select(0, pair_node) - pair_len
        ok = (pos_v + 1 + hidden.index_select(0, seg_v) >= msl) & (pair_len.index_select(0, seg_v) - pos_v - 1 >= msl)
    if bool((mwl > 0).any()):
        w_min = mwl.index_select(0, c_tree).index_select(0, node_v)
        okw = (L[0] >= w_min) & (R[0] >= w_min)
        ok = okw if ok is None else ok & okw
    if squares is None:
        proxy = crit.proxy_columns(L, R)
    else:  # sum_k R_k^2 = sum_k T_k^2 - 2 sum_k T_k L_k + sum_k L_k^2, with T the node's class sums
        right = torch.sub(squares, cross[:nv], alpha=2).add_(_class_squares(crit, c_tot).index_select(0, node_v))
        proxy = squares.double().div_(L[0]).add_(right.double().div_(R[0]))
    del R
    if ok is not None:
        proxy.masked_fill_(~ok, -math.inf)
    # per pair (a segment of the thresholds: none for a constant pair), the best proxy and its first threshold
    pair_best = _segment_max(proxy, seg_v, n_pairs)
    # the first hit of each pair: the hits where the pair changes
    hits = _nonzero(proxy == pair_best.index_select(0, seg_v))
    hit_pair = seg_v.index_select(0, hits)
    first_hit = torch.ones(hits.shape, dtype=torch.bool, device=dev)
    torch.ne(hit_pair[1:], hit_pair[:-1], out=first_hit[1:])
    pair_vi = torch.zeros(n_pairs, dtype=torch.int64, device=dev)  # (a constant pair's: any, it cannot win)
    pair_vi[hit_pair[first_hit]] = hits[first_hit]
    pair_at = v.index_select(0, pair_vi)
    node_best = torch.full((Kc,), -math.inf, dtype=torch.float64, device=dev).scatter_reduce(
        0, pair_node, pair_best, "amax")
    pair_ok = (pair_best > -math.inf) & (pair_best == node_best.index_select(0, pair_node))
    pair_key = torch.where(pair_ok, _at(keys, pair_node * keys.shape[1] + pair_f).long(), _BIG)
    node_key = torch.full((Kc,), _BIG, dtype=torch.int64, device=dev).scatter_reduce(0, pair_node, pair_key, "amin")
    found = node_key != _BIG
    win = _nonzero(pair_ok & (pair_key == node_key.index_select(0, pair_node)))
    f = torch.zeros(Kc, dtype=torch.int64, device=dev)
    g = torch.zeros(Kc, dtype=torch.int64, device=dev)  # the winning position in the sorted pair elements
    vi = torch.zeros(Kc, dtype=torch.int64, device=dev)  # ... and threshold
    f[pair_node[win]] = pair_f[win]
    g[pair_node[win]] = pair_at[win]
    vi[pair_node[win]] = pair_vi[win]
    # the left sums at the best splits: every statistic's when integral class sums (exact: the children's)
    left = None
    if crit.integral_classes:
        width, cells = crit.width, tables[0].shape[1]
        at = (torch.arange(width, device=dev)[:, None] * cells + vi).reshape(-1)  # (class, vi) cells
        left = torch.cat([L[0].index_select(0, vi)[:, None]]
                         + [table.reshape(-1).index_select(0, at).view(width, -1).T for table in tables], 1).double()
    del L
    c_lo = code.index_select(0, g).long()
    c_hi = code.index_select(0, (g + 1).clamp(max=N - 1)).long()
    C = data.vmax.shape[1]
    a, b = _at(data.vmax, f * C + c_lo).double(), _at(data.vmin, f * C + c_hi).double()
    thr = a / 2.0 + b / 2.0
    thr = torch.where((thr == b) | torch.isinf(thr), a, thr)
    return torch.where(found, f, -1), thr, found, left


def _tree_major_slots(pair_tree, pair_len, pair_first, seg, n_trees):
    """Each element's slot in a (tree, position) grid whose rows hold each tree's elements in their order
    (its pairs' elements, pair after pair), and the grid's shape. Elements lie pair after pair: a slot is
    its pair's slot plus the element's position in the pair, the pairs' slots a running sum of their
    lengths within each tree."""
    order = torch.sort(pair_tree, stable=True).indices  # the pairs by tree, each tree's in their order
    tree_sorted, len_sorted = pair_tree.index_select(0, order).long(), pair_len.index_select(0, order).long()
    per_tree = torch.zeros(n_trees, dtype=torch.int64, device=pair_len.device).index_add_(0, tree_sorted, len_sorted)
    width = max(1, int(per_tree.max())) if pair_len.shape[0] else 1
    in_tree = _exclusive_cumsum(len_sorted) - _exclusive_cumsum(per_tree).index_select(0, tree_sorted)
    pair_slot = torch.empty_like(in_tree)
    pair_slot[order] = tree_sorted * width + in_tree
    # element i of pair p: pair_slot[p] + i - pair_first[p]
    slots = (pair_slot - pair_first.long()).index_select(0, seg.long())
    slots += torch.arange(seg.shape[0], device=seg.device)
    return slots, (n_trees, width)


def _left_sums(st, pair_first, v, seg_v, *, pair_tot=None, tree_major=None):
    """The sums of each pair's elements ``st`` (a fresh column, pair after pair) from its first one up to the
    positions ``v``.

    Where the running sums are exact integers (``_Crit.exact_columns``; ``pair_tot``: the pairs' totals, their
    nodes') one running sum runs over all the level's pairs, each pair's start less the previous pair's total,
    so that it starts again from 0 (no per-threshold subtraction); otherwise one running sum over each tree's
    own elements (``tree_major``: their slots in a (tree, position) grid, :func:`_tree_major_slots`), less its
    value before each pair's start, so that its rounding, hence a tree, does not depend on the other trees of
    its batch (``n_jobs``, ``warm_start``).
    """
    if pair_tot is not None:
        st.index_add_(0, pair_first[1:], pair_tot[:-1].to(st.dtype), alpha=-1)
        return torch.cumsum(st, 0).index_select(0, v)
    slots, shape = tree_major
    first = st.index_select(0, pair_first)
    grid = torch.zeros(shape[0] * shape[1], dtype=st.dtype, device=st.device).index_copy_(0, slots, st)
    cs = torch.cumsum(grid.view(shape), 1).view(-1)
    at_v, at_first = cs.index_select(0, slots.index_select(0, v)), cs.index_select(0, slots.index_select(0, pair_first))
    return at_v - (at_first - first).index_select(0, seg_v)


def _class_cumsums(crit, c_tot, pair_node, pair_last, valid, seg, seg_v, e, sample, stand=None):
    """:func:`_search_sorted`'s left class sums at the thresholds ``valid`` for integral classification weights:
    per output, an int32 (class, threshold) table (one column more than the thresholds).

    Each element's weight goes to the (class, run) cell of its run (the elements after the previous threshold,
    up to this one): one gather of the weights and one ``index_add_`` per output, then cumulative sums over the
    runs, instead of a gather and a cumulative sum per class column. The cumulative sums run over all pairs, so
    each pair's class totals (its node's) are subtracted in the run of its last element: the sums start again
    from 0 at the next pair (no per-threshold subtraction). Integer sums are exact, in any order: the same
    values as the per-element cumulative sums; int32 cells are a quarter of float64's time to scatter into.

    A stand-in (``stand``: positions and pairs, :func:`_sort_drawn`) adds its pair's class totals less the
    sums of the pair's other elements.

    Gini (``crit.square_type``): also, in that type, the sums over the outputs and classes of the left class
    sums times the node's class sums, ``sum_k T_k L_k`` (the right sums of squares), accumulated the same
    way from each element's weight times its node's sum of its class: one row, not a product per class
    (else None).
    """
    dev = e.device
    nv, width = seg_v.shape[0], crit.width
    w = _weights(crit, e).int()
    starts = torch.zeros(valid.shape, dtype=torch.bool, device=dev)  # a run starts after a threshold
    starts[1:] = valid[:-1]
    run = torch.cumsum(starts, 0)  # the run of every element: the thresholds before it
    del starts
    class_rows = torch.arange(width, device=dev)[:, None] * (nv + 1)
    # per (class, pair), the cell where the pair's total leaves the sums
    resets = (class_rows + run.index_select(0, pair_last)).reshape(-1)
    pair_tot = c_tot.index_select(0, pair_node).int()
    if stand is not None:
        stand_at, stand_pair = stand
        w.index_fill_(0, stand_at, 0)
        stand_cells = (class_rows + run.index_select(0, stand_at)).reshape(-1)
    tables = []
    square_type = crit.square_type
    products = None if square_type is None else torch.zeros(nv + 1, dtype=square_type, device=dev)
    for o, codes in enumerate(crit.ycodes):  # a (class, run) table: the cumulative sums run along its rows
        tot = pair_tot[:, 1 + o * width : 1 + (o + 1) * width].contiguous()  # (pairs, width)
        cls = codes.index_select(0, sample)
        cell = torch.add(cls, seg, alpha=width)  # the element's (pair, class)
        table = torch.zeros(width * (nv + 1), dtype=torch.int32, device=dev).index_add_(
            0, torch.add(run, cls, alpha=nv + 1), w)
        table.index_add_(0, resets, tot.T.reshape(-1), alpha=-1)
        if stand is not None:  # the pairs' class sums over their other elements, then the stand-ins'
            own = torch.zeros(tot.shape[0] * width, dtype=torch.int32, device=dev).index_add_(0, cell, w)
            stand_sums = tot.index_select(0, stand_pair) - own.view(-1, width).index_select(0, stand_pair)
            table.index_add_(0, stand_cells, stand_sums.T.reshape(-1))
        tables.append(table.view(width, nv + 1).cumsum_(1))  # (contiguous rows: a faster cumsum)
        if products is not None:  # each element's weight times its node's sum of its class; a pair's total:
            tot = tot.to(square_type)  # sum_k T_k^2
            products.index_add_(0, run, tot.reshape(-1).index_select(0, cell).mul_(w))
            products.index_add_(0, run.index_select(0, pair_last), _sum_squares(tot, square_type, 1), alpha=-1)
            if stand is not None:
                products.index_add_(0, run.index_select(0, stand_at),
                                    (tot.index_select(0, stand_pair) * stand_sums).sum(1, dtype=square_type))
    return tables, None if products is None else products.cumsum_(0)


def _class_squares(crit, c_tot):
    """Per node, the sum over the outputs and classes of its squared class sums (``c_tot``'s columns), in
    ``crit.square_type``."""
    return _sum_squares(c_tot[:, 1 : 1 + crit.n_outputs * crit.width], crit.square_type, 1)


def _sum_squares(x, dtype, dim):
    """The sums of the squares of ``x``'s integers along ``dim``, computed in the integer ``dtype``."""
    x = x.to(dtype)
    return (x * x).sum(dim, dtype=dtype)


_REDUCEAT = {"amin": np.minimum, "amax": np.maximum, "sum": np.add}


def _segment_reduce(x, op, c_start, c_pos, n_nodes):
    """Per node (consecutive non-empty rows of ``x`` (1-D or 2-D) from ``c_start``), the columns' ``op`` ("amin",
    "amax" or "sum": an int64 sum of integers): numpy's ``reduceat`` on the CPU (2 to 4 times faster than
    torch's scatters)."""
    if x.device.type == "cpu":
        dtype = np.int64 if op == "sum" else None
        return torch.from_numpy(_REDUCEAT[op].reduceat(x.numpy(), c_start.numpy(), axis=0, dtype=dtype))
    return _segment_reduce_torch(x, op, c_pos, n_nodes)


def _segment_max(x, seg, n_segments):
    """Per segment (``seg``: the sorted segment of each element of ``x``), the maximum of its elements, -inf for
    an empty one (numpy's ``reduceat`` on the CPU, over ``x`` and a last -inf for the empty segments at the
    end; an empty segment before a non-empty one reads one element there: masked)."""
    counts = torch.bincount(seg, minlength=n_segments)
    starts = _exclusive_cumsum(counts)
    if bool(counts.all()):
        return _segment_reduce(x, "amax", starts, seg, n_segments)
    if x.device.type == "cpu":
        padded = np.append(x.numpy(), -np.inf)
        best = torch.from_numpy(np.maximum.reduceat(padded, starts.numpy()))
    else:
        best = _segment_reduce_torch(x, "amax", seg, n_segments)
    return best.masked_fill_(counts == 0, -math.inf)


def _segment_reduce_torch(x, op, c_pos, n_nodes):
    shape = (n_nodes,) + x.shape[1:]
    if op == "sum":
        return torch.zeros(shape, dtype=torch.int64, device=x.device).index_add_(0, c_pos, x.long())
    out = torch.zeros(shape, dtype=x.dtype, device=x.device)
    return out.scatter_reduce_(0, c_pos.long().view((-1,) + (1,) * (x.dim() - 1)).expand(x.shape), x, op,
                               include_self=False)


def _products(values, mask):
    """``values`` (m,) times the (D, m) bool ``mask``: numpy's product on the CPU (twice as fast as torch's)."""
    if values.device.type == "cpu":
        return torch.from_numpy(np.multiply(values.numpy(), mask.numpy()))
    return torch.mul(values, mask)


def _segment_counts(mask, c_start, c_pos, n_nodes):
    """Per node (consecutive columns of the (D, m) bool ``mask`` from ``c_start``), the true entries of each row,
    (n_nodes, D): numpy's int32 ``reduceat`` along the rows on the CPU (twice as fast as an int64 one across
    them)."""
    if mask.device.type == "cpu":
        return torch.from_numpy(np.add.reduceat(mask.numpy().view(np.int8), c_start.numpy(), axis=1, dtype=np.int32)).T
    return _segment_reduce_torch(mask.view(torch.int8).T, "sum", c_pos, n_nodes)


def _segment_sums(x, lengths, starts=None):
    """Per row of ``x`` (D, m), the sums of its consecutive segments of ``lengths``, (K, D): each added in order
    from 0 (the sums of ``index_add_``; torch's ``segment_reduce`` is faster) or, where every partial sum is an
    exact integer (``starts``: the segments' first positions), in any order (numpy's ``reduceat`` on the CPU:
    twice as fast)."""
    if starts is not None and x.device.type == "cpu":
        return torch.from_numpy(np.add.reduceat(x.numpy(), starts.numpy(), axis=1)).T
    return torch.segment_reduce(x, "sum", lengths=lengths.expand(x.shape[0], -1), axis=1).T


def _floor32(t):
    """The largest float32 at most ``t`` (float64): for a float32 x, ``x <= t`` exactly when ``x <= _floor32(t)``
    (comparing in float32 converts no sample's value)."""
    t32 = t.float()
    return torch.where(t32.double() > t, torch.nextafter(t32, torch.full_like(t32, -math.inf)), t32)


def _random_split_nodes(data, crit, elems, samples, keys, mtry, c_start, c_pos, c_len, c_tot, node_h, f_mix,
                        c_tree, msl, mwl):
    """:func:`_random_split` on the drawn pairs: (feature, threshold, found, has, the samples' left flags at
    the best splits), or None when a node needs features beyond its drawn ones (all of those constant:
    :func:`_select_pairs` then searches further).

    The elements are a (drawn feature, in-node sample) grid: X's and the codes' rows at the samples (every
    feature drawn) or a gather at the nodes' features (the samples of a node read one row of the table at a
    time: cached), the pairs' code ranges and left sums per node segment (the right elements adding 0): no
    per-element pair ids. The sums of a pair add its elements in the node's order, as the plain path.
    """
    dev = elems.device
    Kc, F = keys.shape
    C = data.vmax.shape[1]
    n, m = data.n_samples, samples.shape[0]
    if mtry >= F:
        D, feats = F, torch.arange(F, device=dev).expand(Kc, F)
        grid = lambda table: table.index_select(1, samples)  # noqa: E731
    else:  # (Kc, mtry): the smallest keys
        D, feats = mtry, _drawn_features(keys, mtry)
        flat = _repeat((feats * n).to(_index_type(F * n)).T.contiguous(), c_len, m, axis=1).add_(samples).reshape(-1)
        grid = lambda table: table.reshape(-1).index_select(0, flat).view(D, m)  # noqa: E731
    # X's values, and where X's are not the codes' single values or its codes are bytes, the codes
    x = None if data.codes8 is not None else grid(data.XT)
    codes = None
    if data.exact and x is not None:  # the pairs' value ranges (their codes' single values)
        lo, hi = (_segment_reduce(x.T, op, c_start, c_pos, Kc) for op in ("amin", "amax"))  # (Kc, D)
        nc = lo != hi
        lo, hi = lo.double(), hi.double()
    else:  # the pairs' code ranges
        codes = grid(data.codes if data.codes8 is None else data.codes8)
        cmin, cmax = (_segment_reduce(codes.T, op, c_start, c_pos, Kc).long() for op in ("amin", "amax"))
        nc = cmin != cmax
        lo = _at(data.vmin, feats * C + cmin).double()
        hi = _at(data.vmax, feats * C + cmax).double()
    has = nc.any(1)
    if mtry < F and not bool(has.all()):
        return None
    fm = (f_mix if mtry >= F else _at(f_mix, feats)).int()  # (the hashes in int32: see _feature_keys)
    u = _uniform(_mix(node_h[1].int()[:, None] ^ fm).long(), _mix(node_h[2].int()[:, None] ^ fm))
    thr = (hi - lo) * u + lo  # scikit-learn's rand_uniform(min, max)
    thr = torch.where(thr == hi, lo, thr)
    if x is None:  # byte codes: a sample goes left iff its code is at most the threshold's
        go_left = codes <= _repeat(_codes_at_most(data, feats, _floor32(thr)).to(codes.dtype).T.contiguous(), c_len,
                                   m, axis=1)
    else:
        go_left = x <= _repeat(_floor32(thr).T.contiguous(), c_len, m, axis=1)  # (D, m)
    del x, codes
    # a right element's term: its statistic times 0, +-0 (y is finite), which changes no sum (a product is
    # several times faster than a broadcast torch.where, and the statistic first: 3 times faster than the flag)
    n_left = _segment_counts(go_left, c_start, c_pos, Kc)
    if crit.ycodes is None:
        stats = _element_stats(crit, elems, samples, crit.n_proxy)
        # (unit weights: a weight sum is a count, exact)
        L = [n_left.double()] if crit.unit_weights else []
        L += [_segment_sums(_products(col, go_left), c_len, c_start if crit.exact_columns[k] else None)
              for k, col in enumerate(stats[len(L):], len(L))]
        R = _other_side(c_tot, L)
    elif crit.integral_classes and data.sparse:
        # most elements hold their feature's smallest value, which every threshold (at least the node's minimum)
        # sends left: the class sums add the few elements going right, the left ones are the totals less them
        # (exact integers: the same sums)
        row, col = _nonzero_2d(~go_left)
        pair = torch.add(row, c_pos.index_select(0, col), alpha=D)  # (node, drawn feature) of each right element
        R = [S.view(Kc, D) for S in _group_sums(crit, crit.n_proxy, pair, Kc * D, elems.index_select(0, col),
                                                samples.index_select(0, col))]
        L = _other_side(c_tot, R)
    else:
        w_left = _products(_weights(crit, elems), go_left).double()
        # (with integer weights, the weight sums are the sums of the first output's class sums: exact)
        L = [] if crit.integral_classes else [_segment_sums(w_left, c_len)]
        width = crit.width
        classes = []
        for codes in crit.ycodes:
            cell = torch.add(codes.index_select(0, samples), c_pos, alpha=D * width)[None, :]
            if D > 1:
                cell = cell + torch.arange(0, D * width, width, device=dev)[:, None]
            table = torch.zeros(Kc * D * width, dtype=torch.float64, device=dev).index_add_(
                0, cell.reshape(-1), w_left.reshape(-1))
            classes += list(table.view(Kc, D, width).unbind(2))
        L = (L if L else [sum(classes[1:width], classes[0])]) + classes
        R = _other_side(c_tot, L)
    n_right = c_len[:, None] - n_left
    valid = (n_left >= msl) & (n_right >= msl) & nc
    if bool((mwl > 0).any()):
        w_min = mwl.index_select(0, c_tree)[:, None]
        valid &= (L[0] >= w_min) & (R[0] >= w_min)
    proxy = torch.where(valid, crit.proxy_columns(L, R), -math.inf)
    pair_ok = valid & (proxy == proxy.max(1, keepdim=True).values)
    pair_key = torch.where(pair_ok, (keys if mtry >= F else keys.gather(1, feats)).long(), _BIG)
    node_key, at = pair_key.min(1)  # the best proxy, then the feature visited first
    found = node_key != _BIG
    t = torch.where(found, thr.gather(1, at[:, None])[:, 0], 0.0)
    # the samples going left at the best split (any at the nodes not split)
    go_left = go_left[0] if D == 1 else go_left.gather(0, _repeat(at, c_len, m)[None, :])[0]
    # classification: the left sums at the best splits are every statistic's, as the children's sums
    left = torch.stack([col.gather(1, at[:, None])[:, 0] for col in L], 1) if crit.ycodes is not None else None
    return torch.where(found, feats.gather(1, at[:, None])[:, 0], -1), t, found, has, go_left, left


def _random_split(data, Xflat, crit, elems, samples, pair_f, pair_node, cmin, cmax, c_start, c_len, c_tot,
                  keys, node_h, f_mix, c_tree, msl, mwl):
    """Extra-Trees: one uniform threshold per selected (feature, node), the best of them per node (no sort)."""
    dev = elems.device
    n = data.n_samples
    Kc = c_len.shape[0]
    n_pairs = pair_f.shape[0]
    if n_pairs == 0:
        return _no_split(Kc, dev)
    pair_len, _, seg_id, _, idx = _expand(pair_node, c_start, c_len)
    flat = (pair_f * n).index_select(0, seg_id) + samples.index_select(0, idx)
    C = data.vmax.shape[1]
    lo = _at(data.vmin, pair_f * C + cmin).double()
    hi = _at(data.vmax, pair_f * C + cmax).double()
    fm = f_mix.index_select(0, pair_f)
    u = _uniform(_mix(node_h[1].index_select(0, pair_node) ^ fm), _mix(node_h[2].index_select(0, pair_node) ^ fm))
    thr = (hi - lo) * u + lo  # scikit-learn's rand_uniform(min, max)
    thr = torch.where(thr == hi, lo, thr)
    x = data.XT.reshape(-1).index_select(0, flat)
    go_left = x.double() <= thr.index_select(0, seg_id)
    left_rows = _nonzero(go_left)
    left_idx = idx.index_select(0, left_rows)
    left_e, left_seg = elems.index_select(0, left_idx), seg_id.index_select(0, left_rows)
    L = _group_sums(crit, crit.n_proxy, left_seg, n_pairs, left_e, samples.index_select(0, left_idx))
    n_left = torch.bincount(left_seg, minlength=n_pairs)
    R = [c_tot[:, k].index_select(0, pair_node) - L[k] for k in range(len(L))]
    n_right = pair_len - n_left
    valid = (n_left >= msl) & (n_right >= msl)
    if bool((mwl > 0).any()):
        w_min = mwl.index_select(0, c_tree).index_select(0, pair_node)
        valid &= (L[0] >= w_min) & (R[0] >= w_min)
    proxy = torch.where(valid, crit.proxy_columns(L, R), -math.inf)
    node_best = torch.full((Kc,), -math.inf, dtype=torch.float64, device=dev).scatter_reduce(
        0, pair_node, proxy, "amax")
    pair_ok = valid & (proxy == node_best.index_select(0, pair_node))
    pair_key = torch.where(pair_ok, _at(keys, pair_node * keys.shape[1] + pair_f).long(), _BIG)
    node_key = torch.full((Kc,), _BIG, dtype=torch.int64, device=dev).scatter_reduce(0, pair_node, pair_key, "amin")
    found = node_key != _BIG
    win = _nonzero(pair_ok & (pair_key == node_key.index_select(0, pair_node)))
    f = torch.zeros(Kc, dtype=torch.int64, device=dev)
    t = torch.zeros(Kc, dtype=torch.float64, device=dev)
    f[pair_node[win]] = pair_f[win]
    t[pair_node[win]] = thr[win]
    return torch.where(found, f, -1), t, found


def _assemble(levels, T, count, n_features, n_classes, n_outputs):
    """Per-tree :class:`Tree` objects from the per-level node records (breadth-first numbering)."""
    arrays = {"children_left": ("left", np.int64), "children_right": ("right", np.int64),
              "feature": ("feature", np.int64), "threshold": ("threshold", np.float64),
              "impurity": ("impurity", np.float64), "n_node_samples": ("n", np.int64),
              "weighted_n_node_samples": ("w", np.float64), "value": ("value", np.float64)}
    cat = {key: torch.cat([lv[key] for lv in levels]).cpu().numpy().astype(dtype, copy=False)
           for key, dtype in arrays.values()}
    count = count.cpu().numpy()
    depth = np.zeros(T, dtype=np.int64)
    for d, lv in enumerate(levels):  # the deepest level holding a node of each tree
        depth[lv["tree"].cpu().numpy()] = d
    offsets = np.concatenate([[0], np.cumsum(count)])
    where = offsets[torch.cat([lv["tree"] for lv in levels]).cpu().numpy()] + torch.cat(
        [lv["local"] for lv in levels]).cpu().numpy()
    order = np.empty_like(where)  # the records of the nodes of each tree, in their node order
    order[where] = np.arange(where.shape[0])
    trees = []
    for t in range(T):
        rows = order[offsets[t]:offsets[t + 1]]
        tr = Tree(n_features, np.array(n_classes, dtype=np.intp), n_outputs)  # a copy per tree (saved apart)
        del tr._nodes
        for attr, (key, _) in arrays.items():
            setattr(tr, attr, cat[key][rows])  # a gather: each tree's own memory (it is saved on its own)
        tr.node_count = int(count[t])
        tr.missing_go_to_left = np.zeros(tr.node_count, dtype=np.uint8)
        tr.max_depth = int(depth[t])
        trees.append(tr)
    return trees
