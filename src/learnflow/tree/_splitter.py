"""Split search of the CART trees: scikit-learn's feature draw, vectorised evaluation.

Presorted search (best splitter, sum-based criteria). The root sorts every
feature once (a stable ``argsort``, NaN last); each node then carries a
*block*: for every feature not yet known constant, its samples in ascending
order with their float32 values (and class codes for the Gini fast path).
A split partitions every row of the block stably (``np.compress`` of a
gathered left/right mask), so no node ever sorts. Per node, the block gives
constant features (first/last value), the candidate positions (between
distinct consecutive values, ``min_samples_leaf`` apart) of all features at
once, and one cumulative sum per statistic scores every candidate; the
winner is the first maximum in scikit-learn's visiting order (its strict
``>``), resolved by visiting rank only when several candidates tie. Integer
Gini statistics use exact integer identities (two classes: the running
count of class 1; more: per-segment class counts from one ``bincount``).
Nodes whose visited features miss values, the MAE criterion and the random
splitter use the general search (:func:`_find_split`), which sorts the
node's samples.

Small nodes in plain Python. A node costs numpy a few dozen calls (~100 us)
whatever its size, so small Gini nodes (integer weights, exact sums: the
trees of random forests and Extra-Trees classifiers, single classifier trees)
are searched by plain Python loops instead (:func:`_find_split_python` for the
best splitter, on list blocks; :func:`_random_split_python` for the random
one) once ``n * (visited + block features)`` is at most
``PY_MAX_NODE_WORK`` (``PY_MAX_RANDOM_NODE_WORK`` for the random one). Their proxies are the same exact-integer expressions,
so they choose the same splits bit for bit. Tree growth is CPU-only and a node costs a few dozen small
array operations, so everything runs on numpy views of the fit's tensors
(numpy's per-call overhead is about a tenth of torch's).

Feature order. scikit-learn draws features with a Fisher-Yates shuffle driven
by its own xorshift generator (``our_rand_r``, seeded with
``random_state.randint(0, 2**31 - 1)``) and keeps a list of features known to
be constant. :class:`_SklearnFeatureDraw` replays that exactly (a short Python
loop per node, about 0.4 us per visited feature, on random numbers made ahead
in bulk by :func:`_xorshift_stream`), so random-state-dependent trees
(ties between features, ``max_features`` subsets, ``splitter="random"``
thresholds) equal scikit-learn's whatever the number of features.

Float rounding. Two splits that isolate the same samples (common in small
nodes of regression trees) have mathematically equal proxies, and
scikit-learn's choice then depends on the rounding of sums taken in its
in-place sample order. Node totals are therefore summed sequentially
(``cumsum``) in that order: the children's order is replayed exactly
(:func:`_sklearn_children_order`, for nodes of at most
``ORDER_EMULATION_MAX_SAMPLES`` samples without missing values in the last
visited feature). When every statistic is an integer and no sum can exceed
2**53 (unit or integer weights, Gini/entropy, or squared error of integer
targets) all sums are exact in any order and the replay is skipped
(``SplitContext.order_free``). Elsewhere (larger nodes, missing values, the
random splitter, tied feature values, non-integer class or sample weights)
such exact ties may be broken differently; non-tied splits are always
identical.
"""

# SPDX-License-Identifier: BSD-3-Clause

import math
import threading
from dataclasses import dataclass

import numpy as np
import torch

from .._engine import one_torch_thread

__all__ = ["Split", "SplitContext", "find_split", "value_codes"]
RAND_R_MAX = 0x7FFFFFFF
_EPSILON = float(np.finfo(np.float64).eps)  # the builders' impurity floor
FEATURE_THRESHOLD = np.float32(1e-7)  # scikit-learn's float32 constant
_CHUNK_ELEMENTS = 1 << 22
ORDER_EMULATION_MAX_SAMPLES = 512
PY_MAX_NODE_WORK = 1024  # best splitter: nodes with n * (visited + block features) up to this: plain Python
PY_MAX_RANDOM_NODE_WORK = 8192  # random splitter: its Python search draws one threshold per feature, no scan
PY_MAX_BLOCK_FEATURES = 64
_PY_MAX_ELEMENTS = 1 << 22  # ... when X (as Python lists) has at most this many values


_STREAM_NUMPY_MIN = 4096  # stretches of the random stream from this length on: numpy lanes (else Python)
_LANE_STEPS = 256
_LANE_JUMP = None  # the state _LANE_STEPS steps after each one-bit state (made on first use)


def _xorshift_stream(state, count):
    """The next ``count`` outputs of scikit-learn's ``our_rand_r`` after ``state`` (modulo 2**31, as it
    returns them) and the generator's state after them.

    xorshift32 is linear over GF(2): the state ``_LANE_STEPS`` steps ahead is
    the xor of the jumps of the state's set bits. Long stretches therefore
    start one lane every ``_LANE_STEPS`` outputs and advance all lanes
    together, three numpy operations per step, instead of about ten Python
    operations per output.
    """
    if count < _STREAM_NUMPY_MIN:
        out = [0] * count
        s = state
        for i in range(count):
            s ^= (s << 13) & 0xFFFFFFFF
            s ^= s >> 17
            s ^= (s << 5) & 0xFFFFFFFF
            out[i] = s & RAND_R_MAX
        return out, s
    global _LANE_JUMP
    jump = _LANE_JUMP
    if jump is None:  # (threads may both make it: the same tuple, assigned whole)
        jump = []
        for bit in range(32):
            v = 1 << bit
            for _ in range(_LANE_STEPS):
                v ^= (v << 13) & 0xFFFFFFFF
                v ^= v >> 17
                v ^= (v << 5) & 0xFFFFFFFF
            jump.append(v)
        jump = _LANE_JUMP = tuple(jump)
    starts = [state]
    for _ in range(-(-count // _LANE_STEPS) - 1):
        x, jumped, bit = starts[-1], 0, 0
        while x:
            if x & 1:
                jumped ^= jump[bit]
            x >>= 1
            bit += 1
        starts.append(jumped)
    lanes = np.array(starts, dtype=np.uint64)
    block = np.empty((_LANE_STEPS, len(starts)), dtype=np.uint64)
    mask, s13, s17, s5 = np.uint64(0xFFFFFFFF), np.uint64(13), np.uint64(17), np.uint64(5)
    for step in block:
        lanes ^= (lanes << s13) & mask
        lanes ^= lanes >> s17
        lanes ^= (lanes << s5) & mask
        step[:] = lanes
    flat = block.T.ravel()[:count]
    return (flat & np.uint64(RAND_R_MAX)).tolist(), int(flat[-1])


class _SklearnFeatureDraw:
    """scikit-learn's per-node Fisher-Yates feature draw, replayed exactly.

    The random numbers come from a precomputed stretch of the generator's
    stream (:func:`_xorshift_stream`, extended on demand, doubling up to
    65,536 at a time, the used numbers dropped); ``pos`` counts the numbers
    used. :meth:`checkpoint` and :meth:`restore` rewind the draw.
    """

    def __init__(self, n_features, seed):
        self.features = list(range(n_features))
        self.constant_features = list(range(n_features))
        self.state = int(seed) & 0xFFFFFFFF or 1  # after the stream made so far (our_rand_r: seed 0 is 1)
        self.stream, self.offset, self.pos = [], 0, 0  # stream[k]: number offset + k; pos: the next one
        self._chunk = 2 * n_features + 2  # one draw's worth first: forests grow many small trees
        self._kept = None  # the latest checkpoint's pos: the stream from there is kept

    def checkpoint(self):
        """The draw's state now, for :meth:`restore` (which rewinds to the latest checkpoint only)."""
        self._kept = self.pos
        return self.pos, list(self.features), list(self.constant_features)

    def restore(self, checkpoint):
        pos, features, constant_features = checkpoint
        self.pos, self.features, self.constant_features = pos, list(features), list(constant_features)

    def _reserve(self, count):
        """At least ``count`` numbers after ``pos`` in the stream (the used ones dropped, from the latest
        checkpoint on kept)."""
        stream = self.stream
        if len(stream) - (self.pos - self.offset) >= count:
            return
        drop = (self.pos if self._kept is None else min(self.pos, self._kept)) - self.offset
        del stream[:drop]
        self.offset += drop
        size = max(count - len(stream), self._chunk)
        self._chunk = min(2 * self._chunk, 1 << 16)
        more, self.state = _xorshift_stream(self.state, size)
        stream += more

    def _rand(self):
        # our_rand_r: xorshift32, returned modulo 2**31
        self._reserve(1)
        self.pos += 1
        return self.stream[self.pos - 1 - self.offset]

    def rand_uniform(self, low, high):
        return (high - low) * float(self._rand()) / float(RAND_R_MAX) + low

    def draw(self, n_known, is_constant, max_features, on_visit=None):
        """(visited non-constant features in order, n_constant_features for children)."""
        features, n_features = self.features, len(self.features)
        # each step draws a known constant (at most n_known), finds a constant or visits a feature
        # (at most n_features together); on_visit draws at most two numbers per visited feature
        self._reserve(2 * n_features + 2 if on_visit is None else 4 * n_features + 4)
        stream, offset = self.stream, self.offset
        i = self.pos - offset
        if not n_known and on_visit is None and not any(is_constant):
            # no constant feature: a plain Fisher-Yates draw from the end, each visited feature moved to the
            # end of the unvisited ones (the visit order: the array's tail, reversed)
            f_i = n_features
            for r in stream[i:i + min(max_features, n_features)]:
                f_j = r % f_i
                f_i -= 1
                features[f_i], features[f_j] = features[f_j], features[f_i]
            self.pos = offset + i + n_features - f_i
            return features[f_i:][::-1], 0
        f_i, n_visited, n_found, n_drawn, n_total = n_features, 0, 0, 0, n_known
        visited = []
        while f_i > n_total and (n_visited < max_features or n_visited <= n_found + n_drawn):
            n_visited += 1
            f_j = n_drawn + stream[i] % (f_i - n_found - n_drawn)
            i += 1
            if f_j < n_known:  # a known constant (scikit-learn swaps it within features[:n_known], which
                n_drawn += 1  # nothing reads before the restore below overwrites it: the swap is left out)
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
                self.pos = offset + i
                on_visit(feature, self)
                i = self.pos - offset
        self.pos = offset + i
        features[:n_known] = self.constant_features[:n_known]
        self.constant_features[n_known:n_total] = features[n_known:n_total]
        return visited, n_total


@dataclass
class Split:
    """The chosen split of a node.

    ``go_left``: mask over the node's samples (general search only);
    ``left_idx``/``right_idx``: the children's samples in scikit-learn's order;
    ``block_left``/``block_right``: their presorted blocks (None for leaves).
    """

    feature: int
    threshold: float
    missing_go_to_left: bool
    go_left: np.ndarray
    improvement: float = 0.0
    impurity_left: float = 0.0
    impurity_right: float = 0.0
    left_idx: np.ndarray = None
    right_idx: np.ndarray = None
    T_left: np.ndarray = None
    T_right: np.ndarray = None
    block_left: tuple = None
    block_right: tuple = None


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

    def __init__(self, X, stats, criterion, *, splitter, max_features, min_samples_leaf, min_weight_leaf, seed,
                 cache=None):
        self.X = X
        self.stats = stats
        self.criterion = criterion
        self.splitter = splitter
        self.max_features = max_features
        self.min_samples_leaf = min_samples_leaf
        self.min_weight_leaf = min_weight_leaf
        # numpy views of the same memory: the search runs on numpy, whose per-call
        # overhead (~1 us) is a tenth of torch's, and nodes issue many small calls
        self.X_np = X.numpy()
        self.cache = cache
        self.stats_np = stats.numpy()
        weight = self.stats_np[:, 0]
        if cache is not None and cache.get("X_np") is X:  # several fits on one X (forests, boosting)
            self.has_missing, XT = cache["has_missing"], cache["XT"]
        else:
            self.has_missing, XT = bool(np.isnan(self.X_np).any()), None
            if cache is not None:
                XT = np.ascontiguousarray(self.X_np.T)
                cache.update(X_np=X, has_missing=self.has_missing, XT=XT)
        self.w_total = float(weight.cumsum()[-1]) if len(weight) else 0.0  # sequential, as scikit-learn
        self.negative_weights = bool((weight < 0).any())
        self.unit_weights = bool((weight == 1.0).all())
        if getattr(criterion, "y_code", None) is not None:  # classifiers' statistics: w * one-hot
            integral = bool((weight == np.round(weight)).all())
        else:
            integral = bool((self.stats_np == np.round(self.stats_np)).all())
        criterion.integral = integral and self.w_total < 2.0**40
        criterion.fast_gini = (
            criterion.integral and getattr(criterion, "y_code", None) is not None and type(criterion).__name__ == "_Gini"
            and criterion.n_outputs == 1 and not self.negative_weights
        )
        self.y_code_np = self.weight_np = None
        if criterion.fast_gini:  # narrow class codes: numpy's stable sort of 8/16-bit ints is a radix sort
            self.y_code_np = criterion.y_code.numpy().astype(np.min_scalar_type(max(criterion.n_classes)))
            self.weight_np = criterion.weight.numpy()
        n_samples, n_features = X.shape
        self.draw = _SklearnFeatureDraw(n_features, seed)
        self.n_samples, self.n_features = n_samples, n_features
        # presorted search (best splitter, sum-based criteria): each node carries its samples
        # sorted by every feature, and a split partitions those lists stably, so no node sorts
        self.presort = splitter == "best" and not getattr(criterion, "sorted_search", False)
        # integer statistics (classifiers; squared error of integer targets): every sum is exact
        # whatever the sample order, so scikit-learn's children order need not be replayed
        self.order_free = criterion.integral and getattr(criterion, "order_free_when_integral", False)
        if self.order_free:  # ... provided no partial sum can leave the exact integers
            # (classifiers: the weight column has the largest sum of absolute values)
            sums = [np.abs(weight if getattr(criterion, "y_code", None) is not None else self.stats_np).sum(axis=0).max()]
            if getattr(criterion, "_wyy", None) is not None:
                sums.append(np.abs(criterion._wyy).sum())
            self.order_free = bool(max(sums) < 2.0**53)
        self.binary_gini = criterion.fast_gini and max(criterion.n_classes) == 2
        self.leaf_test = None  # the builder's stopping rule (depth, n_samples, weighted_n) -> bool
        self.mask = np.zeros(n_samples, dtype=bool)
        self.all_constant = np.ones(n_features, dtype=bool)
        if self.presort:
            self.XT = XT if XT is not None else np.ascontiguousarray(self.X_np.T)
        # plain squared error, one output, unit weights: candidates from the w * y column alone
        self.mse_fast = (
            type(criterion).__name__ == "_MSE" and criterion.n_outputs == 1 and self.unit_weights
            and min_weight_leaf == 0.0
        )
        self.wy_np = np.ascontiguousarray(self.stats_np[:, 1]) if self.mse_fast else None
        # the presorted search's scorer: "binary" / True (Gini identities) / False (criterion proxy)
        self.gini_search = criterion.fast_gini and min_weight_leaf == 0.0
        if self.gini_search and self.unit_weights and self.binary_gini:
            self.gini_search = "binary"
        self.row_width = 8 if self.gini_search or self.mse_fast else self.stats_np.shape[1]  # per sample, chunking
        criterion.order_free = self.order_free
        # small nodes of Gini trees with exact integer sums: searched in plain Python (see _find_split_python)
        self.py_mode = bool(
            self.presort and self.gini_search and self.order_free and not self.has_missing
            and self.w_total < 2.0**26 and n_samples * n_features <= _PY_MAX_ELEMENTS
        )
        # ... and the random splitter's (Extra-Trees) small nodes likewise
        self.py_random = bool(
            splitter == "random" and criterion.fast_gini and min_weight_leaf == 0.0 and self.order_free
            and not self.has_missing and self.w_total < 2.0**26 and n_samples * n_features <= _PY_MAX_ELEMENTS
        )
        # ... and those of single-output squared-error trees (sequential sums, as the numpy search's cumsum)
        self.py_mse = bool(
            self.presort and type(criterion).__name__ == "_MSE" and criterion.n_outputs == 1
            and min_weight_leaf == 0.0 and not self.negative_weights and n_samples * n_features <= _PY_MAX_ELEMENTS
        )
        if self.py_mse:
            self.py_mode = True
        self._py_data = self.py_wyy = None
        if (self.py_mode or self.py_random) and not hasattr(self, "XT"):
            self.XT = XT if XT is not None else np.ascontiguousarray(self.X_np.T)

    @property
    def py_data(self):
        """The Python searches' per-sample lists: (X values, X values + FEATURE_THRESHOLD, class codes
        or w * y, weights or None, a zeroed bytearray mask); squared error also sets ``py_wyy`` (w * y^2).

        Made on a node's first Python search: fits whose nodes all stay large (boosting's shallow
        trees on thousands of rows) would otherwise convert every statistic per tree for nothing.
        """
        if self._py_data is None:
            X_lists = self._python_rows(self.X, self.cache)
            if self.py_mse:
                weights = None if self.unit_weights else self.stats_np[:, 0].tolist()
                self._py_data = (X_lists[0], X_lists[1], self.stats_np[:, 1].tolist(), weights,
                                 bytearray(self.n_samples))
                self.py_wyy = self.criterion._wyy.ravel().tolist()  # w * y^2 (one output)
            else:
                cache, codes_key = self.cache, getattr(self.criterion, "y_code_key", None)  # a forest's shared y
                if cache is not None and codes_key is not None and cache.get("py_codes_of") is codes_key:
                    codes = cache["py_codes"]
                else:
                    codes = self.y_code_np.tolist()
                    if cache is not None and codes_key is not None:
                        cache.update(py_codes_of=codes_key, py_codes=codes)
                weights = None if self.unit_weights else self.weight_np.tolist()
                self._py_data = (X_lists[0], X_lists[1], codes, weights, bytearray(self.n_samples))
        return self._py_data

    def _python_rows(self, X, cache):
        """Each feature's float32 values, and those values + FEATURE_THRESHOLD in float32, as lists (lazily)."""
        if cache is not None and cache.get("py_X_of") is X:
            return cache["py_X"]
        rows = (_LazyRows(self.XT, False), _LazyRows(self.XT, True))
        if cache is not None:
            cache.update(py_X_of=X, py_X=rows)
        return rows

    def stats_columns(self):
        """The statistics as contiguous per-statistic rows (n_stats, n_samples), made once:
        gathers from them give the running sums' contiguous last axis."""
        columns = getattr(self, "_stats_columns", None)
        if columns is None:
            columns = self._stats_columns = np.ascontiguousarray(self.stats_np.T)
        return columns

    def python_node(self, n, k, budget=PY_MAX_NODE_WORK):
        """Whether a node of ``n`` samples and ``k`` features in its block is searched in Python.

        Python's cost grows with the scanned (visited) and partitioned (block) samples,
        numpy's is mostly a fixed ~100 us per node: the best splitter's crossover is near
        a thousand (interleaved CPU times, one thread: a 4-class 1500 x 6 tree 117 -> 44 ms,
        a depth-12 housing regressor on 16,000 rows 560 -> 378 ms, 50 boosting stages on
        800 rows 267 -> 187 ms when the bound went from 8192 to 1024, same trees).
        """
        # (wide blocks stay on numpy: a Python node also pays a few us per feature of its block)
        return k <= PY_MAX_BLOCK_FEATURES and n * (min(self.max_features, k) + k) <= budget

    def root_block(self, idx, python=True):
        """The presorted layout of the root (see :func:`_find_split_presorted`).

        The sort is stable over the (ascending) root samples and puts NaN last.
        """
        feats = np.arange(self.n_features)
        every = len(idx) == self.n_samples  # idx is then arange(n_samples): no copies
        if python and self.py_mode and not self.py_mse and self.python_node(len(idx), self.n_features):  # order only
            return _PyBlock(feats.tolist(), idx[np.argsort(self.XT[:, idx], axis=1, kind="stable")].tolist())
        X_root = self.XT if every else self.XT[:, idx]
        keys = X_root
        x_codes = None if self.cache is None else self.cache.get("x_codes")
        if x_codes is not None:  # the caller's value codes of X (value_codes): the same order, by radix sort
            keys = x_codes if every else x_codes[:, idx]
        elif not self.has_missing and X_root.size:  # small non-negative integers (pixels, counts):
            with np.errstate(invalid="ignore", over="ignore"):  # the same stable order by radix sort
                narrow = X_root.astype(np.uint16)
            if np.array_equal(narrow, X_root):
                keys = narrow
        sort = np.argsort(keys, axis=1, kind="stable")
        order = sort if every else idx[sort]
        codes = self.y_code_np[order] if self.criterion.fast_gini else None
        return feats, order, np.take_along_axis(X_root, sort, axis=1), codes, not self.has_missing


def value_codes(XT):
    """Per row of ``XT`` (n_features, n_samples), every value's rank among the row's distinct values (0.0 and
    -0.0 one value, NaN last), as uint16: their stable order is the values' (a radix sort instead of a
    comparison sort). None when a row has more than 65,536 distinct values.

    Trees fitted on resampled rows of one X (AdaBoostRegressor) take ``value_codes(XT)[:, rows]`` as their
    ``root_sort`` cache's ``"x_codes"`` (the value codes of the X they grow on).
    """
    codes = np.empty(XT.shape, dtype=np.uint16)
    for row, out in zip(XT, codes):
        distinct, inverse = np.unique(row, return_inverse=True)
        if len(distinct) > 1 << 16:
            return None
        out[:] = inverse
    return codes


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


def find_split(ctx, idx, T, impurity, n_known_constants, block=None, depth=None):
    """The best (or best random) split of the node holding samples ``idx``.

    ``idx`` (numpy, the node's samples in scikit-learn's order) and ``T``
    (the node's summed statistics); ``block`` is the node's presorted layout
    (:meth:`SplitContext.root_block`, then the children's of each split) when
    ``ctx.presort``; ``depth`` the node's, so that ``ctx.leaf_test(depth, n,
    weighted_n)`` (set by the builder) can spare the blocks of children that
    will be leaves. Returns (Split or None, n_constant_features for the children).
    Masked candidates divide 0 by 0: callers silence numpy (``np.errstate``).
    """
    if block is None:
        return _find_split(ctx, idx, T, impurity, n_known_constants)
    if type(block) is _PyBlock:
        if ctx.py_mse:
            return _find_split_python_mse(ctx, idx if type(idx) is list else idx.tolist(), T, impurity,
                                          n_known_constants, block, depth)
        return _find_split_python(ctx, idx, T, impurity, n_known_constants, block, depth)
    if ctx.py_mode and ctx.python_node(len(idx), len(block[0])) and (block[4] or not np.isnan(block[2][:, -1]).any()):
        block = _PyBlock(block[0].tolist(), block[1].tolist())  # (no NaN in the node: none in its descendants)
        if ctx.py_mse:
            return _find_split_python_mse(ctx, idx.tolist(), T, impurity, n_known_constants, block, depth)
        return _find_split_python(ctx, idx, T, impurity, n_known_constants, block, depth)
    return _find_split_presorted(ctx, idx, T, impurity, n_known_constants, block, depth)


class _LazyRows:
    """``XT[f].tolist()`` (or of ``XT[f] + FEATURE_THRESHOLD`` in float32), built on first use per feature."""

    __slots__ = ("array", "plus", "rows")

    def __init__(self, array, plus):
        self.array, self.plus, self.rows = array, plus, [None] * len(array)

    def __getitem__(self, f):
        row = self.rows[f]
        if row is None:
            row = self.array[f] + FEATURE_THRESHOLD if self.plus else self.array[f]
            row = self.rows[f] = row.tolist()
        return row


class _PyBlock:
    """A small node's presorted layout as lists: non-constant-so-far features, each one's samples in order."""

    __slots__ = ("feats", "rows")

    def __init__(self, feats, rows):
        self.feats = feats
        self.rows = rows


def _python_candidates(ctx, n, block, n_known_constants):
    """The shared start of the Python searches: the block's non-constant features, the
    visited ones (scikit-learn's draw), each feature's sorted rows and the range ``[lo,
    hi)`` of split positions (p = j - 1 for the left sizes j in [msl, n - msl]).

    Returns (visited, n_constants, rows_of, lo, hi); ``visited`` is empty when no split
    is possible.
    """
    X_values, X_plus = ctx.py_data[:2]
    is_constant = [True] * ctx.n_features  # features outside the block were constant in an ancestor
    rows_of = {}
    for f, row in zip(block.feats, block.rows):
        if X_values[f][row[-1]] > X_plus[f][row[0]]:
            is_constant[f] = False
            rows_of[f] = row
    visited, n_constants = ctx.draw.draw(n_known_constants, is_constant, ctx.max_features)
    lo, hi = ctx.min_samples_leaf - 1, n - ctx.min_samples_leaf
    return (visited if lo < hi else []), n_constants, rows_of, lo, hi


def _find_split_python(ctx, idx, T, impurity, n_known_constants, block, depth):
    """:func:`_find_split_presorted` for small Gini nodes, in plain Python.

    Below a few hundred samples a node's dozens of numpy calls cost more than
    scanning its candidates one by one. Same rules: features in visiting
    order, positions ascending, the first strict maximum wins (scikit-learn's
    scan). Class weights are integers and every sum stays below 2**53, so
    sum_c L_c^2 and sum_c R_c^2 (updated incrementally) are the exact integers
    of the vectorised search and the proxies are bit for bit equal to it.
    """
    X_values, X_plus, codes, weights, mask = ctx.py_data
    n = len(idx)
    visited, n_constants, rows_of, lo, hi = _python_candidates(ctx, n, block, n_known_constants)
    if not visited:
        return None, n_constants
    totals = T[1:].tolist()
    n_classes = len(totals)
    w_node = float(T[0])
    sq_totals = sum(tc * tc for tc in totals)
    best, best_feature, best_p = -math.inf, -1, -1
    for f in visited:
        row = rows_of[f]
        xs, xp = X_values[f], X_plus[f]
        left, right = [0.0] * n_classes, list(totals)
        w_left = sq_left = 0.0
        sq_right = sq_totals
        for p in range(hi):
            s = row[p]
            w = 1.0 if weights is None else weights[s]
            c = codes[s]
            # sample s moves right -> left: sum_c L_c^2 and sum_c R_c^2 change by its class alone (exact
            # integers, so equal to the sums over the classes)
            lc, rc = left[c], right[c]
            sq_left += w * (lc + lc + w)
            sq_right -= w * (rc + rc - w)
            left[c], right[c] = lc + w, rc - w
            w_left += w
            # candidates: between distinct values (X[t] > X[s] + FEATURE_THRESHOLD in float32)
            if p >= lo and xs[row[p + 1]] > xp[s]:
                w_right = w_node - w_left
                proxy = -w_right * (1.0 - sq_right / (w_right * w_right)) - w_left * (1.0 - sq_left / (w_left * w_left))
                if proxy > best:
                    best, best_feature, best_p = proxy, f, p
    if best_feature < 0:
        return None, n_constants
    row = rows_of[best_feature]
    j = best_p + 1  # samples on the left
    xs = X_values[best_feature]
    split = Split(best_feature, xs[row[j - 1]] / 2.0 + xs[row[j]] / 2.0, j > n - j, None)
    left_samples, right_samples = row[:j], row[j:]
    L = [0.0] * (n_classes + 1)
    for s in left_samples:
        w = 1.0 if weights is None else weights[s]
        L[0] += w
        L[1 + codes[s]] += w
    L = np.array(L)
    R = T - L
    split.left_idx, split.right_idx, split.T_left, split.T_right = left_samples, right_samples, L, R
    split.impurity_left, split.impurity_right = ctx.criterion.children_impurity(L, R, None, None)
    split.improvement = ctx.criterion.improvement(
        ctx.w_total, T, L, R, impurity, split.impurity_left, split.impurity_right
    )
    # the children's blocks, only for children that will be split (a leaf needs none)
    leaf_test = ctx.leaf_test
    need_left = leaf_test is None or depth is None or not (
        leaf_test(depth + 1, j, float(L[0])) or split.impurity_left <= _EPSILON
    )
    need_right = leaf_test is None or depth is None or not (
        leaf_test(depth + 1, n - j, float(R[0])) or split.impurity_right <= _EPSILON
    )
    if need_left or need_right:
        for s in left_samples:
            mask[s] = 1
        if need_left:
            split.block_left = _PyBlock(list(rows_of), [[s for s in r if mask[s]] for r in rows_of.values()])
        if need_right:
            split.block_right = _PyBlock(list(rows_of), [[s for s in r if not mask[s]] for r in rows_of.values()])
        for s in left_samples:
            mask[s] = 0
    return split, n_constants


def _child_block(block, go, n_left, left):
    """A child's presorted block: every row of the parent's split stably by ``go`` (True: left).

    Built only for children that are split in turn. The child's flat positions are found once and
    each array gathered there (``take`` at increasing positions: a third faster than ``compress``
    per array, which tests every element again).
    """
    feats, order, values, codes, nan_free = block
    k = len(feats)
    positions = np.flatnonzero(go if left else ~go)
    width = n_left if left else order.shape[1] - n_left
    order = order.ravel().take(positions).reshape(k, width)
    values = values.ravel().take(positions).reshape(k, width)
    if codes is not None:
        codes = codes.ravel().take(positions).reshape(k, width)
    return feats, order, values, codes, nan_free


def _nonzero_2d(mask):
    """``np.nonzero`` of a 2-D mask via its flat form (much faster on scattered patterns)."""
    if mask.size < 4096:
        return mask.nonzero()
    flat = mask.ravel().nonzero()[0]
    rows = flat // mask.shape[1]
    return rows, flat - rows * mask.shape[1]


_TORCH_SCAN_MIN_ELEMENTS = 1 << 13


def _running_sums(a, out=None):
    """``np.cumsum(a, axis=-1, out=out)``, bit for bit, by torch's CPU scan for large float64 arrays.

    Both libraries add sequentially along the axis in float64, so the sums are
    identical; torch's scan along a contiguous last axis is about 4x faster than
    numpy's (which runs 2x slower still along any other axis: gather the operands
    transposed). It runs on numpy's memory (``torch.from_numpy``), in place when
    ``out`` is ``a``, with one torch thread (:func:`.one_torch_thread`): the
    searches' calls are many and short. Other dtypes stay on numpy (its integer
    scans are as fast; torch sums float32 in float64, so differently).
    """
    if (
        a.size < _TORCH_SCAN_MIN_ELEMENTS or a.dtype != np.float64 or not a.flags.writeable
        or min(a.strides) < 0 or (out is not None and (out.dtype != np.float64 or min(out.strides) < 0))
    ):
        return np.cumsum(a, axis=-1, out=out)
    with one_torch_thread("cpu"):
        source = torch.from_numpy(a)
        if out is a:
            source.cumsum_(-1)
            return out
        if out is not None:
            torch.cumsum(source, -1, out=torch.from_numpy(out))
            return out
        return torch.cumsum(source, -1).numpy()


def _gathered_running_sums(ctx, columns, order):
    """Running sums of the statistics ``columns`` (n_stats, n_samples; contiguous rows)
    gathered at ``order`` (rows of sample ids): (n_stats, *order.shape), along the last
    axis, in a reused buffer (fresh large arrays cost page faults)."""
    size = columns.shape[0] * order.size
    # kept in the fits' shared cache when there is one (boosting stages: a fresh buffer per
    # stump costs as much as its search), for this thread only
    holder = ctx.cache if ctx.cache is not None else ctx.__dict__
    thread, buffer = holder.get("scan_buffer", (None, None))
    if thread != threading.get_ident() or len(buffer) < size:
        buffer = np.empty(size)
        holder["scan_buffer"] = (threading.get_ident(), buffer)
    gathered = buffer[:size].reshape((columns.shape[0],) + order.shape)
    for row, statistic in zip(gathered, columns):
        statistic.take(order, out=row, mode="clip")  # valid ids; "raise" would buffer ``out``
    return _running_sums(gathered, out=gathered)


# The grouped left sums pay off while a row's groups are this many times fewer than its positions (the running
# sums gather and scan every position; MNIST's pixels: at most 256 groups per 8,000 positions)
_GROUPED_MIN_SHRINK = 4


def _class_sums_by_group(ctx, order, hi, rows, positions):
    """A classifier's left sums (candidates, 1 + n_classes) at the candidates, summed per group; or None.

    # group j of a row: its positions after candidate j - 1, up to candidate j; left sums at candidate j =
    # running sum over the row's groups 0..j of [w, w * one-hot(class)]
    One ``bincount`` of the gathered weights by (group, class) replaces the gather and running sum of
    every statistic at every position: on rows of few distinct values (pixels, counts: a few dozen
    candidates per row) the groups are far fewer than the positions. The sums are those of the
    positions, grouped: the same exact integers under integral weights (with other weights, equal up to
    rounding). None where the groups are not fewer (continuous features) or the statistics are not one
    output's classes.
    """
    criterion = ctx.criterion
    if getattr(criterion, "y_code", None) is None or criterion.n_outputs != 1 or not len(rows):
        return None
    k = order.shape[0]
    n_classes = criterion.n_classes[0]
    per_row = np.bincount(rows, minlength=k)
    width = int(per_row.max()) + 1  # groups per row: one per candidate, and the tail after the last
    if width * _GROUPED_MIN_SHRINK > hi:
        return None
    group = np.zeros(k * hi + 1, dtype=np.intp)
    group[rows * hi + positions + 1] = 1  # marked after each candidate: the running count excludes it
    group = np.cumsum(group[:-1], out=group[:-1])  # the candidates before each position, over all rows
    group.reshape(k, hi)[:] += np.arange(k)[:, None]  # + one tail group per row before it
    n_groups = len(rows) + k
    samples = order[:, :hi].ravel()
    weight = ctx.stats_columns()[0].take(samples)
    group *= n_classes
    group += criterion.y_code.numpy().take(samples)
    table = np.empty((n_groups, n_classes + 1))
    table[:, 1:] = np.bincount(group, weights=weight, minlength=n_groups * n_classes).reshape(n_groups, n_classes)
    table[:, 0] = table[:, 1:].sum(axis=1)  # (each sample's weight is in one class)
    # each row's groups side by side, summed along the row from zero (as the running sums of its positions)
    first_candidate = np.cumsum(per_row) - per_row  # candidate j of row r is candidate first_candidate[r] + j
    first_group = first_candidate + np.arange(k)  # (each row before r also has its tail group)
    row_of_group = np.repeat(np.arange(k), per_row + 1)
    padded = np.zeros((k, width, n_classes + 1))
    padded[row_of_group, np.arange(n_groups) - first_group[row_of_group]] = table
    np.cumsum(padded, axis=1, out=padded)
    return padded[rows, np.arange(len(rows)) - first_candidate[rows]]


def _find_split_presorted(ctx, idx, T, impurity, n_known_constants, block, depth):
    """The best split from the node's presorted block, without sorting.

    ``block`` = (features, order, values, codes, nan_free): the features not
    yet known constant, each one's node samples in ascending order (``order``,
    global ids, stable, NaN last) with their float32 values and class codes
    (fast Gini only), and whether no row can hold NaN.
    """
    feats, order, values, codes, nan_free = block
    k, n = order.shape
    n_missing = None
    if not nan_free and bool(np.isnan(values[:, -1]).any()):
        n_missing = np.isnan(values).sum(axis=1)
        high = values[np.arange(k), np.maximum(n - n_missing - 1, 0)]
        constant = (n_missing == n) | ((high <= values[:, 0] + FEATURE_THRESHOLD) & (n_missing == 0))
    else:
        nan_free = True
        constant = values[:, -1] <= values[:, 0] + FEATURE_THRESHOLD
    if k == ctx.n_features:
        is_constant = constant.tolist()
    else:  # features outside the block were constant in an ancestor
        is_constant = ctx.all_constant.copy()
        is_constant[feats] = constant
        is_constant = is_constant.tolist()
    if constant.any():  # constant here, constant in every descendant: drop from the block
        keep = ~constant
        feats, order, values = feats[keep], order[keep], values[keep]
        codes = None if codes is None else codes[keep]
        n_missing = None if n_missing is None else n_missing[keep]
        k = len(feats)
    block = (feats, order, values, codes, nan_free)
    visited, n_constants = ctx.draw.draw(n_known_constants, is_constant, ctx.max_features)
    if not visited:
        return None, n_constants
    rows = feats.searchsorted(visited) if len(visited) < k or n_missing is not None else None
    mask = ctx.mask
    split = None
    if n_missing is not None and bool(n_missing[rows].any()):
        # features missing values: both sides tried for the NaNs (general layout); the others:
        # the presorted candidates. The better wins, the one visited first on a tie.
        incomplete = n_missing[rows] > 0
        rows_m, rows_c = rows[incomplete], rows[~incomplete]
        visited_m = [f for f, m in zip(visited, incomplete.tolist()) if m]
        best_m = _split_with_missing(ctx, idx, T, values[rows_m], order[rows_m], n_missing[rows_m], visited_m)
        best = None
        if len(rows_c):
            best = _best_presorted(ctx, T, values[rows_c], order[rows_c], None if codes is None else codes[rows_c])
        if best_m is not None and (
            best is None or best_m[1] > best[2]
            or (best_m[1] == best[2] and visited.index(best_m[0].feature) < visited.index(int(feats[rows_c[best[0]]])))
        ):
            split = best_m[0]
            left_samples = idx[split.go_left]
        elif best is not None:
            row = int(rows_c[best[0]])
        else:
            return None, n_constants
    elif len(visited) < k:  # a max_features subset: its rows, in visiting order
        best = _best_presorted(ctx, T, values[rows], order[rows], None if codes is None else codes[rows])
        row = None if best is None else int(rows[best[0]])
    else:  # every non-constant feature: rows in feature order, ties resolved by visiting rank
        best = _best_presorted(ctx, T, values, order, codes, visited, feats)
        row = None if best is None else best[0]
    if split is None:
        if best is None:
            return None, n_constants
        j = best[1] + 1  # samples on the left
        threshold = float(values[row, j - 1]) / 2.0 + float(values[row, j]) / 2.0
        split = Split(int(feats[row]), threshold, j > n - j, None)
        left_samples = order[row, :j]
    mask[left_samples] = True
    go = mask.take(order)
    last = int(feats.searchsorted(visited[-1]))
    if ctx.order_free or n > ORDER_EMULATION_MAX_SAMPLES or (n_missing is not None and n_missing[last] > 0):
        go_left = mask[idx]
        split.left_idx, split.right_idx = idx.compress(go_left), idx.compress(~go_left)
    else:  # scikit-learn's in-place partition, after its sort by the last visited feature
        split.left_idx, split.right_idx = _sklearn_children_order(order[last], go[last])
    mask[left_samples] = False
    _finish_split(ctx, idx, T, impurity, split)
    # the children's blocks, only for children that will be split (a leaf needs none)
    n_left, leaf_test = len(left_samples), ctx.leaf_test
    for left, size, weighted_n, child_impurity in (
        (True, n_left, split.T_left[0], split.impurity_left),
        (False, n - n_left, split.T_right[0], split.impurity_right),
    ):
        if leaf_test is None or depth is None or not (
            leaf_test(depth + 1, size, float(weighted_n)) or child_impurity <= _EPSILON
        ):
            child = _child_block(block, go, n_left, left)
            if left:
                split.block_left = child
            else:
                split.block_right = child
    return split, n_constants


def _split_with_missing(ctx, idx, T, values, order, missing, visited):
    """(Split, proxy) of the best candidate of features missing values, or None: both sides tried for the NaNs.

    ``values``, ``order``: (k, n) presorted rows of the visited features, in
    visiting order (sample ids global); ``missing``: NaNs per row.
    """
    n, msl = order.shape[1], ctx.min_samples_leaf
    values, order = values.T, order.T  # the general search's (n, k) layout
    chunk = max(1, _CHUNK_ELEMENTS // max(1, n * ctx.stats_np.shape[1]))
    n_present = n - missing
    j = np.arange(1, n)[:, None]  # samples on the left (non-missing ones)
    distinct = values[1:] > values[:-1] + FEATURE_THRESHOLD
    valid1 = (distinct | ((j == n_present) & (missing > 0))) & (j >= msl) & (n - j >= msl)
    valid2 = distinct & (missing > 0) & (j + missing >= msl) & (n_present - j >= msl)
    best, value = _best_row(ctx, None, ctx.stats_np, T, order, chunk, valid1, valid2, n_present, True, True)
    split = _make_split(ctx, idx, None, visited, values, order, missing, best)
    return None if split is None else (split, value)


def _best_presorted(ctx, T, values, order, codes, visited=None, feats=None):
    """(row, position, proxy) of the best candidate over presorted rows, or None.

    Candidates lie between distinct consecutive values with at least
    ``min_samples_leaf`` samples on each side; position ``p`` puts ``p + 1``
    samples on the left. With ``visited`` None the rows are in visiting order
    and the first maximum wins (scikit-learn's strict ``>``); otherwise rows
    hold the features ``feats`` and equal maxima go to the feature visited
    first (then the smaller position, as in scikit-learn's scan).
    """
    n, msl = order.shape[1], ctx.min_samples_leaf
    lo, hi = msl - 1, n - msl  # positions j - 1 of the left sizes j in [msl, n - msl]
    if lo >= hi:
        return None
    fast_gini = ctx.gini_search
    chunk = max(1, _CHUNK_ELEMENTS // (n * ctx.row_width))
    n_rows = order.shape[0]
    best_value, best, rank = -math.inf, None, None
    for start in range(0, n_rows, chunk):
        stop = min(start + chunk, n_rows)
        valid = values[start:stop, lo + 1 : hi + 1] > values[start:stop, lo:hi] + FEATURE_THRESHOLD
        rows, positions = _nonzero_2d(valid)
        if not len(rows):
            continue
        if lo:
            positions += lo
        if fast_gini == "binary":
            proxy = _gini_proxy_single_output(ctx, T, order[start:stop], rows, positions, codes[start:stop])
        elif fast_gini:
            proxy = _gini_proxy_by_counts(ctx, T, order[start:stop], codes[start:stop], valid, lo, rows, positions)
        elif ctx.mse_fast:  # the proxy of _MSE (L = [p + 1, sum y], R = T - L), term by term
            s_left = ctx.wy_np.take(order[start:stop, :hi])
            s_left = _running_sums(s_left, out=s_left)[rows, positions]
            w_left = positions + 1.0
            s_right = T[1] - s_left
            proxy = s_left * s_left / w_left + s_right * s_right / (T[0] - w_left)
        else:
            L = _class_sums_by_group(ctx, order[start:stop], hi, rows, positions)
            if L is None:
                L = _gathered_running_sums(ctx, ctx.stats_columns(), order[start:stop, :hi])
                L = L.reshape(len(L), -1).take(rows * hi + positions, axis=1).T  # (candidates, n_stats)
            proxy = _masked_proxy(ctx, L, T, True)
        top = float(proxy.max())
        if not top >= best_value or top == -math.inf:  # NaN, or nothing as good
            continue
        hits = (proxy == top).nonzero()[0]
        if start:
            rows += start
        hit = int(hits[0])
        if visited is not None and (len(hits) > 1 or top == best_value):
            if rank is None:
                rank = np.empty(ctx.n_features, dtype=np.intp)
                rank[visited] = np.arange(len(visited))
            hit_ranks = rank[feats[rows[hits]]]
            hit = int(hits[hit_ranks.argmin()])  # the first of equal ranks: the smallest position
            if top == best_value and hit_ranks.min() > rank[feats[best[0]]]:
                continue
        elif top == best_value:
            continue
        best_value, best = top, (int(rows[hit]), int(positions[hit]), top)
    return best


def _find_split(ctx, idx, T, impurity, n_known_constants):
    """The general search: the node's own sort (missing values, MAE, the random splitter)."""
    if ctx.py_random and (type(idx) is list or ctx.python_node(len(idx), ctx.n_features, PY_MAX_RANDOM_NODE_WORK)):
        return _random_split_python(ctx, idx if type(idx) is list else idx.tolist(), T, impurity, n_known_constants)
    Xn = ctx.X_np[idx]
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
                go_left = bool(draw._rand() % 2)
            if threshold == high_l[feature]:
                threshold = low_l[feature]
            draws.append((feature, threshold, go_left))

        visited, n_constants = ctx.draw.draw(n_known_constants, constant.tolist(), ctx.max_features, on_visit)
        split = _random_split(ctx, idx, Xn, T, draws, n_missing) if draws else None
    if split is not None:
        _finish_split(ctx, idx, T, impurity, split)
    return split, n_constants


def _find_split_python_mse(ctx, idx, T, impurity, n_known_constants, block, depth):
    """:func:`_find_split_presorted` for small squared-error nodes (one output), in plain Python.

    Candidates are scored in visiting order with scikit-learn's strict ``>``;
    the left sums of ``w`` and ``w * y`` are accumulated sequentially, as the
    vectorised search's cumulative sums, so the proxies are bit for bit equal.
    The children's sample order is scikit-learn's partition of the samples
    sorted by the last visited feature (or the node's order when every sum is
    exact), and their totals and impurities come from the criterion as in
    :func:`_finish_split`.
    """
    X_values, X_plus, wy, weights, mask = ctx.py_data
    n = len(idx)
    visited, n_constants, rows_of, lo, hi = _python_candidates(ctx, n, block, n_known_constants)
    if not visited:
        return None, n_constants
    w_node, s_node = float(T[0]), float(T[1])
    best, best_feature, best_p = -math.inf, -1, -1
    for f in visited:
        row = rows_of[f]
        xs, xp = X_values[f], X_plus[f]
        s_left = w_left = 0.0
        for p in range(hi):
            s = row[p]
            s_left += wy[s]
            w_left += 1.0 if weights is None else weights[s]
            if p >= lo and xs[row[p + 1]] > xp[s]:
                s_right = s_node - s_left
                proxy = s_left * s_left / w_left + s_right * s_right / (w_node - w_left)
                if proxy > best:
                    best, best_feature, best_p = proxy, f, p
    if best_feature < 0:
        return None, n_constants
    row = rows_of[best_feature]
    j = best_p + 1
    xs = X_values[best_feature]
    split = Split(best_feature, xs[row[j - 1]] / 2.0 + xs[row[j]] / 2.0, j > n - j, None)
    left_samples = row[:j]
    for s in left_samples:
        mask[s] = 1
    if ctx.order_free or n > ORDER_EMULATION_MAX_SAMPLES:  # the node's order (as the vectorised search)
        split.left_idx = [s for s in idx if mask[s]]
        split.right_idx = [s for s in idx if not mask[s]]
    else:  # scikit-learn's in-place partition of the samples sorted by the last visited feature
        samples = list(rows_of[visited[-1]])
        p, end = 0, n
        while p < end:
            if mask[samples[p]]:
                p += 1
            else:
                end -= 1
                samples[p], samples[end] = samples[end], samples[p]
        split.left_idx, split.right_idx = samples[:j], samples[j:]
    _finish_split_python_mse(ctx, T, impurity, split)
    leaf_test = ctx.leaf_test
    for left, size, T_child, child_impurity in (
        (True, j, split.T_left, split.impurity_left),
        (False, n - j, split.T_right, split.impurity_right),
    ):
        if leaf_test is None or depth is None or not (
            leaf_test(depth + 1, size, float(T_child[0])) or child_impurity <= _EPSILON
        ):
            child = _PyBlock(list(rows_of), [[s for s in r if mask[s]] if left else [s for s in r if not mask[s]] for r in rows_of.values()])
            if left:
                split.block_left = child
            else:
                split.block_right = child
    for s in left_samples:
        mask[s] = 0
    return split, n_constants


def _finish_split_python_mse(ctx, T, impurity, split):
    """:func:`_finish_split` of a squared-error node in plain Python: the same sequential sums."""
    wy, weights, wyy = ctx.py_data[2], ctx.py_data[3], ctx.py_wyy
    sums = []
    for samples in (split.left_idx, split.right_idx):
        w_sum = wy_sum = wyy_sum = 0.0
        for s in samples:
            w_sum += 1.0 if weights is None else weights[s]
            wy_sum += wy[s]
            wyy_sum += wyy[s]
        sums.append((w_sum, wy_sum, wyy_sum))
    (l0, l1, sq_left), (r0, r1, sq_right) = sums
    t0, t1 = float(T[0]), float(T[1])
    L = np.array([l0, l1])
    R = np.array([t0 - l0, t1 - l1])
    if ctx.order_free:  # exact integer sums: the right total by difference
        split.T_left, split.T_right = L, R
    else:  # the right total summed in its own order; its y^2 sum continues the left one (node order)
        split.T_left, split.T_right = L, np.array([r0, r1])
        sq_total = sq_left
        for s in split.right_idx:
            sq_total += wyy[s]
        sq_right = sq_total - sq_left
    criterion = ctx.criterion
    split.impurity_left = criterion._impurity(sq_left, L)
    split.impurity_right = criterion._impurity(sq_right, R)
    split.improvement = criterion.improvement(
        ctx.w_total, T, L, R, impurity, split.impurity_left, split.impurity_right
    )


def _random_split_python(ctx, idx, T, impurity, n_known_constants):
    """:func:`_find_split`'s random splitter for small Gini nodes, in plain Python (``idx`` a list).

    Same draws (one threshold per visited feature, uniform between the node's
    extremes), same choice (the first strict maximum of the proxy, invalid
    candidates excluded) and, the class weights being integers, the same
    proxies bit for bit as the vectorised search.
    """
    X_values, X_plus, codes, weights, _ = ctx.py_data
    n, msl = len(idx), ctx.min_samples_leaf
    low, high, is_constant = [], [], []
    for f in range(ctx.n_features):
        xs = X_values[f]
        s_min = min(idx, key=xs.__getitem__)
        x_max = max([xs[s] for s in idx])
        low.append(xs[s_min])
        high.append(x_max)
        is_constant.append(x_max <= X_plus[f][s_min])  # high <= low + FEATURE_THRESHOLD in float32
    draws = []

    def on_visit(feature, draw):
        threshold = draw.rand_uniform(low[feature], high[feature])
        if threshold == high[feature]:
            threshold = low[feature]
        draws.append((feature, threshold))

    _, n_constants = ctx.draw.draw(n_known_constants, is_constant, ctx.max_features, on_visit)
    totals = T[1:].tolist()
    n_classes = len(totals)
    w_node = float(T[0])
    best, best_draw = -math.inf, None
    for feature, threshold in draws:
        xs = X_values[feature]
        left = [0.0] * n_classes
        n_left = 0
        w_left = 0.0
        for s in idx:
            if xs[s] <= threshold:
                w = 1.0 if weights is None else weights[s]
                left[codes[s]] += w
                w_left += w
                n_left += 1
        if n_left < msl or n - n_left < msl:
            continue
        sq_left = sq_right = 0.0
        for lc, tc in zip(left, totals):
            sq_left += lc * lc
            sq_right += (tc - lc) * (tc - lc)
        w_right = w_node - w_left
        proxy = -w_right * (1.0 - sq_right / (w_right * w_right)) - w_left * (1.0 - sq_left / (w_left * w_left))
        if proxy > best:
            best, best_draw = proxy, (feature, threshold, n_left)
    if best_draw is None:
        return None, n_constants
    feature, threshold, n_left = best_draw
    xs = X_values[feature]
    split = Split(feature, threshold, n_left > n - n_left, None)
    split.left_idx = [s for s in idx if xs[s] <= threshold]
    split.right_idx = [s for s in idx if not xs[s] <= threshold]
    L = [0.0] * (n_classes + 1)
    for s in split.left_idx:
        w = 1.0 if weights is None else weights[s]
        L[0] += w
        L[1 + codes[s]] += w
    L = np.array(L)
    R = T - L
    split.T_left, split.T_right = L, R
    split.impurity_left, split.impurity_right = ctx.criterion.children_impurity(L, R, None, None)
    split.improvement = ctx.criterion.improvement(
        ctx.w_total, T, L, R, impurity, split.impurity_left, split.impurity_right
    )
    return split, n_constants


def _finish_split(ctx, idx, T, impurity, split):
    """Children's samples, totals, impurities and the improvement."""
    if split.left_idx is None:
        split.left_idx, split.right_idx = idx[split.go_left], idx[~split.go_left]
    stats = ctx.stats_np
    if ctx.order_free:  # exact integer sums: any order, and the right total by difference
        L = stats[split.left_idx].sum(axis=0)
        R = T - L
        split.T_left, split.T_right = L, R
    else:  # sequential sums in the children's sample order, as scikit-learn's sum_total
        L = stats[split.left_idx].cumsum(axis=0)[-1]
        R = T - L
        split.T_left, split.T_right = L, stats[split.right_idx].cumsum(axis=0)[-1]
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


def _gini_proxy_single_output(ctx, T, samples, cols, rows, y=None):
    """Gini proxies of the candidates (row ``cols``, left size ``rows + 1``), 1-D.

    ``samples`` (k, n) holds each feature's sample ids in sorted order
    (feature-major, so every scan runs along contiguous rows). With integer
    weights, sum_c L_c(j)^2 grows by 2 w_j L_{y_j}(j-1) + w_j^2 when sample j
    joins the left side, and sum_c R_c^2 = sum_c T_c^2 - 2 sum_c T_c L_c + sum_c L_c^2;
    all terms are exact integers, so the proxies equal the per-class
    computation (and scikit-learn's) bit for bit, at O(n) memory per feature
    instead of O(n * n_classes). Two classes with unit weights need only the
    running count of class 1. ``y``: the class codes of ``samples`` if known.
    """
    if y is None:
        y = ctx.y_code_np[samples]  # classes in feature order
    totals = T[1:]
    if ctx.unit_weights and ctx.binary_gini:  # rows of one (4, m) array: fewer, larger operations
        counts = np.empty((4, len(rows)))
        counts[1] = _running_sums(y)[cols, rows]  # class-1 samples on the left
        w = np.empty((2, len(rows)))
        w_left = w[0]
        np.add(rows, 1.0, out=w_left)
        np.subtract(w_left, counts[1], out=counts[0])
        np.subtract(totals[:, None], counts[:2], out=counts[2:])  # right counts
        counts *= counts
        sq = counts[0::2] + counts[1::2]  # [sum_c L_c^2, sum_c R_c^2]
        np.subtract(T[0], w_left, out=w[1])
        gini = 1.0 - sq / (w * w)
        gini *= w
        return -gini[1] - gini[0]  # -w_R gini_R - w_L gini_L
    else:
        class_order = np.argsort(y, axis=1, kind="stable")
        before_class = np.concatenate([[0.0], totals.cumsum()[:-1]])
        start_of_class = before_class[np.take_along_axis(y, class_order, axis=1)]
        own = np.empty_like(start_of_class)
        if ctx.unit_weights:  # w = 1: own-class count = rank within the class block
            rank = np.arange(samples.shape[1], dtype=totals.dtype)
            np.put_along_axis(own, class_order, rank - start_of_class, axis=1)
            sq_left = 2.0 * own + 1.0
            sq_left = _running_sums(sq_left, out=sq_left)[cols, rows]
            cross = totals[y]
            cross = _running_sums(cross, out=cross)[cols, rows]
            w_left = rank[rows + 1]
        else:
            w = ctx.weight_np[samples]
            w_by_class = np.take_along_axis(w, class_order, axis=1)
            np.put_along_axis(own, class_order, w_by_class.cumsum(axis=1) - w_by_class - start_of_class, axis=1)
            sq_left = 2.0 * w * own + w * w
            sq_left = _running_sums(sq_left, out=sq_left)[cols, rows]
            cross = totals[y] * w
            cross = _running_sums(cross, out=cross)[cols, rows]
            w_left = _running_sums(w)[cols, rows]
        sq_right = float((totals * totals).sum()) - 2.0 * cross + sq_left
    w_right = T[0] - w_left
    gini_left = 1.0 - sq_left / (w_left * w_left)
    gini_right = 1.0 - sq_right / (w_right * w_right)
    return -w_right * gini_right - w_left * gini_left


def _scratch(ctx, size, count):
    """``count`` reusable flat intp buffers of ``size`` elements (grown on demand)."""
    buffers = getattr(ctx, "_scratch_buffers", None)
    if buffers is None or len(buffers) < count or len(buffers[0]) < size:
        buffers = ctx._scratch_buffers = [np.empty(size, dtype=np.intp) for _ in range(count)]
    return [b[:size] for b in buffers[:count]]


def _gini_proxy_by_counts(ctx, T, samples, y, valid, lo, rows, cols):
    """Gini proxies of the candidates from exact left class counts (integer weights).

    The candidates (rows ``rows``, positions ``cols``, in row-major order;
    ``valid`` their (k, hi - lo) mask from position ``lo``) cut every row of
    ``y`` (class codes in sorted order) into segments; one ``bincount`` over
    (segment, class) gives each segment's class weights and a cumulative sum
    the left counts L_c at every candidate. sum_c L_c^2 and sum_c R_c^2 are
    then exact integers, as in :func:`_gini_proxy_single_output`.
    """
    k, n = y.shape
    n_classes = len(T) - 1
    segment, key = _scratch(ctx, k * n, 2)  # reused buffers: fresh large arrays cost page faults
    segment2d = segment.reshape(k, n)
    segment2d[:, : lo + 1] = 0
    segment2d[1:, 0] = 1  # 1 at the first element of each segment but the very first: ids from 0
    segment2d[:, lo + 1 : lo + 1 + valid.shape[1]] = valid
    segment2d[:, lo + 1 + valid.shape[1] :] = 0
    _running_sums(segment, out=segment)
    n_segments = int(segment[-1]) + 1
    key[:] = y.ravel()
    key *= n_segments
    key += segment
    weights = None if ctx.unit_weights else ctx.weight_np[samples].ravel()
    counts = np.bincount(key, weights=weights, minlength=n_segments * n_classes).reshape(n_classes, n_segments)
    totals = T[1:].astype(counts.dtype)
    counts[:, segment[n::n]] -= totals[:, None]  # every row holds all the node's samples: restart the sums
    _running_sums(counts, out=counts)
    # counts[:, s]: left class weights (exact integers) at the end of segment s; the segments
    # closed by a candidate are all but each row's last
    ends = np.ones(n_segments, dtype=bool)
    ends[segment[n - 1 :: n]] = False
    sq_left = np.einsum("ij,ij->j", counts, counts).compress(ends)
    # sum_c R_c^2 = sum_c T_c^2 - 2 sum_c T_c L_c + sum_c L_c^2
    sq_right = sq_left - 2 * np.einsum("i,ij->j", totals, counts).compress(ends) + (totals * totals).sum()
    sq_left, sq_right = sq_left.astype(np.float64), sq_right.astype(np.float64)
    w_left = cols + 1.0 if ctx.unit_weights else counts.sum(axis=0).compress(ends).astype(np.float64)
    w_right = T[0] - w_left
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
            proxy = _gini_proxy_single_output(ctx, T, idx[order[:, start:stop].T], cols, rows)
        else:
            L = _gathered_running_sums(ctx, ctx.stats_columns()[:, idx], order[:hi, start:stop].T)
            L = L.reshape(len(L), -1).take(cols * hi + rows, axis=1).T  # (candidates, n_stats)
            proxy = _masked_proxy(ctx, L, T, True)
        k = int(np.argmax(proxy))
        if proxy[k] > best_value:
            best_value, best = float(proxy[k]), (start + int(cols[k]), int(rows[k]))
    return best


def _best_row(ctx, idx, S, T, order, chunk, valid1, valid2, n_present, any_missing, with_value=False):
    """(column, row) of the best candidate in the general layout (missing values, MAE)."""
    n = order.shape[0]
    best_value, best = -math.inf, None
    columns = ctx.stats_columns() if idx is None else ctx.stats_columns()[:, idx]  # S's rows: S = stats[idx]
    for start in range(0, order.shape[1], chunk):
        stop = min(start + chunk, order.shape[1])
        prefix = _gathered_running_sums(ctx, columns, order[:, start:stop].T).transpose(2, 1, 0)  # (n, k, n_stats)
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
    return (best, best_value) if with_value else best


def _make_split(ctx, idx, Xn, visited, values, order, missing, best):
    """The Split of the best candidate ``(column, row)``.

    ``order`` holds node positions with ``Xn`` the node's rows, or global
    sample ids (presorted search) with ``Xn`` None.
    """
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
    x = (ctx.X_np[idx, feature] if Xn is None else Xn[:, feature]).astype(np.float64)
    go_left = np.where(np.isnan(x), go_left_missing, x <= threshold)
    split = Split(feature, threshold, go_left_missing, go_left)
    if n <= ORDER_EMULATION_MAX_SAMPLES and int(missing[-1]) == 0 and not ctx.order_free:
        if Xn is None:
            samples, mask = order[:, -1], ctx.mask
            mask[idx[go_left]] = True
            flags = mask[samples]
            mask[samples] = False
        else:
            samples, flags = idx[order[:, -1]], go_left[order[:, -1]]
        split.left_idx, split.right_idx = _sklearn_children_order(samples, flags)
    return split


def _sklearn_children_order(samples, flags):
    """The children's sample order that scikit-learn's in-place partition leaves.

    scikit-learn's node ends its search with the samples sorted by the last
    feature it visited, then partitions them by swapping (a right-going sample
    at the front trades places with the last unexamined one). The order only
    matters for the float rounding of sums, hence of exact ties between
    splits; replaying it makes those ties break as in scikit-learn.
    ``samples``: the node's samples in that sorted order; ``flags``: whether
    each goes left.

    Closed form of that loop, with n_left left-going samples: the front
    holes (right-going samples before n_left) are filled, in order, by the
    left-going samples after it taken from the back. Positions n - 1 down to
    n_left receive a chain: the first hole's sample, then after each
    examined back sample at k > n_left either that sample (right-going) or,
    once it filled a hole, the next hole's sample (after the last hole, the
    sample at n_left).
    """
    n_left = int(flags.sum())
    front, back = slice(0, n_left), slice(n_left, None)
    left = samples[front].copy()
    holes = (~flags[front]).nonzero()[0]
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
    L = (go_left_t.T.to(ctx.stats.dtype) @ ctx.stats[torch.from_numpy(idx)]).numpy()
    valid = (n_left >= msl) & (n - n_left >= msl)
    custom = None
    if getattr(ctx.criterion, "sorted_search", False):
        custom = ctx.criterion.partition_proxy(torch.from_numpy(idx), go_left_t).numpy()
    proxy = _masked_proxy(ctx, L, T, valid, custom)
    k = int(np.argmax(proxy))
    if float(proxy[k]) == -math.inf:
        return None
    feature = features[k]
    n_l = int(n_left[k])
    go_left_missing = bool(missing_left[k]) if int(n_missing[feature]) > 0 else n_l > n - n_l
    return Split(feature, float(thresholds[k]), go_left_missing, go_left[:, k].copy())
