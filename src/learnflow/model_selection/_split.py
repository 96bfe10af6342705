"""Cross-validation splitters and ``train_test_split``.

Every splitter yields the same (train, test) index arrays as scikit-learn's
splitter of the same name, for the same ``random_state``: they draw from the
same ``numpy.random.RandomState`` streams in the same order. That is what
makes the book's numbers reproducible (its ``train_test_split(...,
random_state=42)`` puts the same districts in the test set here).
"""

# SPDX-License-Identifier: BSD-3-Clause

import numbers
import warnings
from collections.abc import Iterable
from inspect import signature
from itertools import chain
from math import ceil, floor

import numpy as np
import torch

from .._engine import check_random_state, to_numpy
from ..utils.multiclass import type_of_target
from ..utils.validation import _num_samples, check_array, check_consistent_length, column_or_1d

__all__ = [
    "GroupKFold",
    "GroupShuffleSplit",
    "KFold",
    "LeaveOneGroupOut",
    "LeaveOneOut",
    "PredefinedSplit",
    "RepeatedKFold",
    "RepeatedStratifiedKFold",
    "ShuffleSplit",
    "StratifiedKFold",
    "StratifiedShuffleSplit",
    "TimeSeriesSplit",
    "check_cv",
    "train_test_split",
]


def _safe_indexing(array, indices):
    """Rows ``indices`` of a list, numpy array, pandas object, sparse matrix or tensor."""
    if array is None:
        return None
    if hasattr(array, "iloc"):
        return array.iloc[indices]
    if isinstance(array, torch.Tensor):
        return array[torch.as_tensor(np.asarray(indices), dtype=torch.long, device=array.device)]
    if hasattr(array, "shape"):
        return array[indices]
    return [array[int(i)] for i in indices]


def _make_indexable(array):
    """Lists, arrays, DataFrames and tensors as they are; sparse as CSR; other iterables as numpy."""
    if array is None or hasattr(array, "iloc") or hasattr(array, "__getitem__") and not hasattr(array, "nnz"):
        return array
    if hasattr(array, "tocsr"):
        return array.tocsr()
    return np.asarray(array)


def _indexable(*arrays):
    """Make the arrays row-indexable and check that they share their first dimension."""
    arrays = [_make_indexable(a) for a in arrays]
    check_consistent_length(*arrays)
    return arrays


def _as_numpy_labels(y):
    """A label array as numpy (torch tensors moved to the CPU)."""
    return to_numpy(y) if isinstance(y, torch.Tensor) else y


def _approximate_mode(class_counts, n_draws, rng):
    """Approximate mode of the multivariate hypergeometric (scikit-learn's tie-breaking draws)."""
    # floor(counts / total * n_draws), then one more for the largest remainders (ties drawn at random)
    continuous = class_counts / class_counts.sum() * n_draws
    floored = np.floor(continuous)
    need_to_add = int(n_draws - floored.sum())
    if need_to_add > 0:
        remainder = continuous - floored
        for value in np.sort(np.unique(remainder))[::-1]:
            (inds,) = np.where(remainder == value)
            add_now = min(len(inds), need_to_add)
            inds = rng.choice(inds, size=add_now, replace=False)
            floored[inds] += 1
            need_to_add -= add_now
            if need_to_add == 0:
                break
    return floored.astype(int)


def _build_repr(splitter):
    """``ClassName(param=value, ...)`` with the constructor's parameters, sorted."""
    init = type(splitter).__init__
    names = sorted(
        p.name for p in signature(init).parameters.values() if p.name != "self" and p.kind != p.VAR_KEYWORD
    ) if init is not object.__init__ else []
    class_name = type(splitter).__name__
    line_sep = ",\n" + (1 + len(class_name) // 2) * " "
    text, line_length = "", len(class_name)
    for i, name in enumerate(names):
        value = getattr(splitter, name, None)
        if value is None and hasattr(splitter, "cvargs"):
            value = splitter.cvargs.get(name)
        part = f"{name}={value}" if isinstance(value, float) else f"{name}={value!r}"
        if i > 0:  # wrap lines at 75 characters, as scikit-learn's repr does
            if line_length + len(part) >= 75 or "\n" in part:
                text, line_length = text + line_sep, len(line_sep)
            else:
                text, line_length = text + ", ", line_length + 2
        text, line_length = text + part, line_length + len(part)
    return f"{class_name}({text})"


def _warn_groups_ignored(splitter, groups):
    if groups is not None:
        warnings.warn(f"The groups parameter is ignored by {type(splitter).__name__}", UserWarning)


class BaseCrossValidator:
    """Base class of the splitters defined by their test folds."""

    def split(self, X, y=None, groups=None):
        """Generate (train, test) index arrays.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,), default=None
        groups : array-like of shape (n_samples,), default=None

        Yields
        ------
        train, test : ndarray of int
        """
        X, y, groups = _indexable(X, y, groups)
        indices = np.arange(_num_samples(X))
        for test_mask in self._iter_test_masks(X, y, groups):
            yield indices[np.logical_not(test_mask)], indices[test_mask]

    def _iter_test_masks(self, X=None, y=None, groups=None):
        for test_index in self._iter_test_indices(X, y, groups):
            test_mask = np.zeros(_num_samples(X), dtype=bool)
            test_mask[test_index] = True
            yield test_mask

    def __repr__(self):
        return _build_repr(self)


class LeaveOneOut(BaseCrossValidator):
    """Each sample is the test set once.

    Examples
    --------
    >>> from learnflow.model_selection import LeaveOneOut
    >>> [test.tolist() for _, test in LeaveOneOut().split([[1], [2], [3]])]
    [[0], [1], [2]]
    """

    def split(self, X, y=None, groups=None):
        """Generate (train, test) index arrays, one per sample."""
        _warn_groups_ignored(self, groups)
        return super().split(X, y)

    def _iter_test_indices(self, X, y=None, groups=None):
        n_samples = _num_samples(X)
        if n_samples <= 1:
            raise ValueError(f"Cannot perform LeaveOneOut with n_samples={n_samples}.")
        return range(n_samples)

    def get_n_splits(self, X, y=None, groups=None):
        """The number of samples."""
        if X is None:
            raise ValueError("The 'X' parameter should not be None.")
        return _num_samples(X)


class _BaseKFold(BaseCrossValidator):
    """K folds, optionally after shuffling (parameters checked as scikit-learn does)."""

    def __init__(self, n_splits, *, shuffle, random_state):
        if not isinstance(n_splits, numbers.Integral):
            raise ValueError(
                f"The number of folds must be of Integral type. {n_splits} of type {type(n_splits)} was passed."
            )
        n_splits = int(n_splits)
        if n_splits <= 1:
            raise ValueError(
                "k-fold cross-validation requires at least one train/test split by setting "
                f"n_splits=2 or more, got n_splits={n_splits}."
            )
        if not isinstance(shuffle, bool):
            raise TypeError(f"shuffle must be True or False; got {shuffle}")
        if not shuffle and random_state is not None:
            raise ValueError(
                "Setting a random_state has no effect since shuffle is False. You should leave "
                "random_state to its default (None), or set shuffle=True."
            )
        self.n_splits = n_splits
        self.shuffle = shuffle
        self.random_state = random_state

    def split(self, X, y=None, groups=None):
        """Generate (train, test) index arrays, one per fold."""
        X, y, groups = _indexable(X, y, groups)
        n_samples = _num_samples(X)
        if self.n_splits > n_samples:
            raise ValueError(
                f"Cannot have number of splits n_splits={self.n_splits} greater than the number "
                f"of samples: n_samples={n_samples}."
            )
        yield from super().split(X, y, groups)

    def get_n_splits(self, X=None, y=None, groups=None):
        """The number of folds."""
        return self.n_splits


class KFold(_BaseKFold):
    """K consecutive folds (shuffled first if ``shuffle``); the first n % k folds get one more sample.

    Parameters
    ----------
    n_splits : int, default=5
    shuffle : bool, default=False
    random_state : int, RandomState or None, default=None
        Used only when ``shuffle``.

    Examples
    --------
    >>> from learnflow.model_selection import KFold
    >>> [test.tolist() for _, test in KFold(n_splits=2).split([[1], [2], [3]])]
    [[0, 1], [2]]
    """

    def __init__(self, n_splits=5, *, shuffle=False, random_state=None):
        super().__init__(n_splits=n_splits, shuffle=shuffle, random_state=random_state)

    def split(self, X, y=None, groups=None):
        """Generate (train, test) index arrays, one per fold."""
        _warn_groups_ignored(self, groups)
        return super().split(X, y)

    def _iter_test_indices(self, X, y=None, groups=None):
        n_samples = _num_samples(X)
        indices = np.arange(n_samples)
        if self.shuffle:
            check_random_state(self.random_state).shuffle(indices)
        fold_sizes = np.full(self.n_splits, n_samples // self.n_splits, dtype=int)
        fold_sizes[: n_samples % self.n_splits] += 1
        current = 0
        for fold_size in fold_sizes:
            yield indices[current : current + fold_size]
            current += fold_size


class GroupKFold(_BaseKFold):
    """K folds of whole groups: no group is in both a train and its test set.

    Without ``shuffle``, the largest groups go first to the lightest fold.

    Examples
    --------
    >>> from learnflow.model_selection import GroupKFold
    >>> splits = GroupKFold(n_splits=2).split([[0]] * 4, groups=[0, 0, 1, 2])
    >>> [test.tolist() for _, test in splits]
    [[0, 1], [2, 3]]
    """

    def __init__(self, n_splits=5, *, shuffle=False, random_state=None):
        super().__init__(n_splits, shuffle=shuffle, random_state=random_state)

    def _iter_test_indices(self, X, y, groups):
        if groups is None:
            raise ValueError("The 'groups' parameter should not be None.")
        groups = check_array(_as_numpy_labels(groups), input_name="groups", ensure_2d=False, dtype=None)
        unique_groups, group_idx = np.unique(groups, return_inverse=True)
        if self.n_splits > len(unique_groups):
            raise ValueError(
                f"Cannot have number of splits n_splits={self.n_splits} greater than the number "
                f"of groups: {len(unique_groups)}."
            )
        if self.shuffle:
            shuffled = check_random_state(self.random_state).permutation(unique_groups)
            for test_group_ids in np.array_split(shuffled, self.n_splits):
                yield np.where(np.isin(groups, test_group_ids))[0]
            return
        n_samples_per_group = np.bincount(group_idx)
        order = np.argsort(n_samples_per_group, kind="stable")[::-1]
        n_samples_per_fold = np.zeros(self.n_splits)
        group_to_fold = np.zeros(len(unique_groups))
        for group_index, weight in enumerate(n_samples_per_group[order]):
            lightest_fold = np.argmin(n_samples_per_fold)
            n_samples_per_fold[lightest_fold] += weight
            group_to_fold[order[group_index]] = lightest_fold
        folds = group_to_fold[group_idx]
        for fold in range(self.n_splits):
            yield np.where(folds == fold)[0]


class StratifiedKFold(_BaseKFold):
    """K folds that keep each class's proportion (binary or multiclass y).

    Parameters
    ----------
    n_splits : int, default=5
    shuffle : bool, default=False
        Shuffle each class's fold assignment.
    random_state : int, RandomState or None, default=None

    Examples
    --------
    >>> from learnflow.model_selection import StratifiedKFold
    >>> y = [0, 0, 1, 1]
    >>> [test.tolist() for _, test in StratifiedKFold(n_splits=2).split([[0]] * 4, y)]
    [[0, 2], [1, 3]]
    """

    def __init__(self, n_splits=5, *, shuffle=False, random_state=None):
        super().__init__(n_splits=n_splits, shuffle=shuffle, random_state=random_state)

    def _make_test_folds(self, X, y):
        rng = check_random_state(self.random_state)
        y = np.asarray(_as_numpy_labels(y))
        target_type = type_of_target(y)
        if target_type not in ("binary", "multiclass"):
            raise ValueError(
                f"Supported target types are: ('binary', 'multiclass'). Got {target_type!r} instead."
            )
        y = column_or_1d(y)
        _, y_idx, y_inv = np.unique(y, return_index=True, return_inverse=True)
        # classes encoded by order of first appearance
        _, class_perm = np.unique(y_idx, return_inverse=True)
        y_encoded = class_perm[y_inv]
        n_classes = len(y_idx)
        y_counts = np.bincount(y_encoded)
        if np.all(self.n_splits > y_counts):
            raise ValueError(f"n_splits={self.n_splits} cannot be greater than the number of members in each class.")
        if self.n_splits > y_counts.min():
            warnings.warn(
                f"The least populated class in y has only {y_counts.min()} members, which is less "
                f"than n_splits={self.n_splits}.",
                UserWarning,
            )
        # round robin over the sorted labels decides each fold's count per class
        y_order = np.sort(y_encoded)
        allocation = np.asarray(
            [np.bincount(y_order[i :: self.n_splits], minlength=n_classes) for i in range(self.n_splits)]
        )
        test_folds = np.empty(len(y), dtype="i")
        for k in range(n_classes):
            folds_for_class = np.arange(self.n_splits).repeat(allocation[:, k])
            if self.shuffle:
                rng.shuffle(folds_for_class)
            test_folds[y_encoded == k] = folds_for_class
        return test_folds

    def _iter_test_masks(self, X, y=None, groups=None):
        test_folds = self._make_test_folds(X, y)
        for fold in range(self.n_splits):
            yield test_folds == fold

    def split(self, X, y, groups=None):
        """Generate (train, test) index arrays, one per fold; y gives the classes."""
        _warn_groups_ignored(self, groups)
        y = check_array(_as_numpy_labels(y), input_name="y", ensure_2d=False, dtype=None)
        return super().split(X, y)


class TimeSeriesSplit(_BaseKFold):
    """Time-ordered folds: each test fold follows (after ``gap`` samples) the training samples before it.

    Parameters
    ----------
    n_splits : int, default=5
    max_train_size : int, default=None
        Keep only the latest ``max_train_size`` training samples.
    test_size : int, default=None
        ``n_samples // (n_splits + 1)`` when None.
    gap : int, default=0
        Samples dropped between the end of train and the start of test.

    Examples
    --------
    >>> from learnflow.model_selection import TimeSeriesSplit
    >>> [(train.tolist(), test.tolist()) for train, test in TimeSeriesSplit(n_splits=2).split(range(6))]
    [([0, 1], [2, 3]), ([0, 1, 2, 3], [4, 5])]
    """

    def __init__(self, n_splits=5, *, max_train_size=None, test_size=None, gap=0):
        super().__init__(n_splits, shuffle=False, random_state=None)
        self.max_train_size = max_train_size
        self.test_size = test_size
        self.gap = gap

    def split(self, X, y=None, groups=None):
        """Generate (train, test) index arrays in time order."""
        _warn_groups_ignored(self, groups)
        (X,) = _indexable(X)
        n_samples = _num_samples(X)
        test_size = self.test_size if self.test_size is not None else n_samples // (self.n_splits + 1)
        if self.n_splits + 1 > n_samples:
            raise ValueError(f"Cannot have number of folds={self.n_splits + 1} greater than the number of samples={n_samples}.")
        if n_samples - self.gap - test_size * self.n_splits <= 0:
            raise ValueError(
                f"Too many splits={self.n_splits} for number of samples={n_samples} with "
                f"test_size={test_size} and gap={self.gap}."
            )
        indices = np.arange(n_samples)
        for test_start in range(n_samples - self.n_splits * test_size, n_samples, test_size):
            train_end = test_start - self.gap
            train_start = train_end - self.max_train_size if self.max_train_size and self.max_train_size < train_end else 0
            yield indices[train_start:train_end], indices[test_start : test_start + test_size]


class LeaveOneGroupOut(BaseCrossValidator):
    """Each group is the test set once.

    Examples
    --------
    >>> from learnflow.model_selection import LeaveOneGroupOut
    >>> [test.tolist() for _, test in LeaveOneGroupOut().split([[0]] * 4, groups=[1, 2, 1, 3])]
    [[0, 2], [1], [3]]
    """

    def _iter_test_masks(self, X, y, groups):
        if groups is None:
            raise ValueError("The 'groups' parameter should not be None.")
        groups = check_array(_as_numpy_labels(groups), input_name="groups", copy=True, ensure_2d=False, dtype=None)
        unique_groups = np.unique(groups)
        if len(unique_groups) <= 1:
            raise ValueError(
                f"The groups parameter contains fewer than 2 unique groups ({unique_groups}). "
                "LeaveOneGroupOut expects at least 2."
            )
        for group in unique_groups:
            yield groups == group

    def get_n_splits(self, X=None, y=None, groups=None):
        """The number of distinct groups."""
        if groups is None:
            raise ValueError("The 'groups' parameter should not be None.")
        return len(np.unique(check_array(_as_numpy_labels(groups), input_name="groups", ensure_2d=False, dtype=None)))


class _RepeatedSplits:
    """A K-fold splitter run ``n_repeats`` times with different shuffles from one RandomState."""

    def __init__(self, cv, *, n_repeats=10, random_state=None, **cvargs):
        if not isinstance(n_repeats, numbers.Integral):
            raise ValueError("Number of repetitions must be of Integral type.")
        if n_repeats <= 0:
            raise ValueError("Number of repetitions must be greater than 0.")
        self.cv = cv
        self.n_repeats = n_repeats
        self.random_state = random_state
        self.cvargs = cvargs

    def split(self, X, y=None, groups=None):
        """Generate (train, test) index arrays: n_repeats x n_splits of them."""
        _warn_groups_ignored(self, groups)
        rng = check_random_state(self.random_state)
        for _ in range(self.n_repeats):
            yield from self.cv(random_state=rng, shuffle=True, **self.cvargs).split(X, y)

    def get_n_splits(self, X=None, y=None, groups=None):
        """n_repeats x n_splits."""
        return self.cvargs["n_splits"] * self.n_repeats

    def __repr__(self):
        return _build_repr(self)


class RepeatedKFold(_RepeatedSplits):
    """KFold repeated ``n_repeats`` times with different shuffles.

    Examples
    --------
    >>> from learnflow.model_selection import RepeatedKFold
    >>> RepeatedKFold(n_splits=2, n_repeats=3, random_state=0).get_n_splits()
    6
    """

    def __init__(self, *, n_splits=5, n_repeats=10, random_state=None):
        super().__init__(KFold, n_repeats=n_repeats, random_state=random_state, n_splits=n_splits)


class RepeatedStratifiedKFold(_RepeatedSplits):
    """StratifiedKFold repeated ``n_repeats`` times with different shuffles.

    Examples
    --------
    >>> from learnflow.model_selection import RepeatedStratifiedKFold
    >>> RepeatedStratifiedKFold(n_splits=2, n_repeats=2, random_state=0).get_n_splits()
    4
    """

    def __init__(self, *, n_splits=5, n_repeats=10, random_state=None):
        super().__init__(StratifiedKFold, n_repeats=n_repeats, random_state=random_state, n_splits=n_splits)


def _validate_shuffle_split(n_samples, test_size, train_size, default_test_size=None):
    """The train and test set sizes from float fractions or int counts (scikit-learn's rules)."""
    if test_size is None and train_size is None:
        test_size = default_test_size
    test_kind = np.asarray(test_size).dtype.kind
    train_kind = np.asarray(train_size).dtype.kind
    for name, size, kind in (("test_size", test_size, test_kind), ("train_size", train_size, train_kind)):
        if (kind == "i" and (size >= n_samples or size <= 0)) or (kind == "f" and (size <= 0 or size >= 1)):
            raise ValueError(
                f"{name}={size} should be either positive and smaller than the number of samples "
                f"{n_samples} or a float in the (0, 1) range"
            )
        if size is not None and kind not in ("i", "f"):
            raise ValueError(f"Invalid value for {name}: {size}")
    if train_kind == "f" and test_kind == "f" and train_size + test_size > 1:
        raise ValueError(
            f"The sum of test_size and train_size = {train_size + test_size}, should be in the (0, 1) "
            "range. Reduce test_size and/or train_size."
        )
    n_test = ceil(test_size * n_samples) if test_kind == "f" else (float(test_size) if test_kind == "i" else None)
    n_train = floor(train_size * n_samples) if train_kind == "f" else (float(train_size) if train_kind == "i" else None)
    if train_size is None:
        n_train = n_samples - n_test
    elif test_size is None:
        n_test = n_samples - n_train
    if n_train + n_test > n_samples:
        raise ValueError(
            f"The sum of train_size and test_size = {int(n_train + n_test)}, should be smaller than the "
            f"number of samples {n_samples}. Reduce test_size and/or train_size."
        )
    n_train, n_test = int(n_train), int(n_test)
    if n_train == 0:
        raise ValueError(
            f"With n_samples={n_samples}, test_size={test_size} and train_size={train_size}, the "
            "resulting train set will be empty. Adjust any of the aforementioned parameters."
        )
    return n_train, n_test


class BaseShuffleSplit:
    """Base class of the random-permutation splitters."""

    _default_test_size = 0.1

    def __init__(self, n_splits=10, *, test_size=None, train_size=None, random_state=None):
        self.n_splits = n_splits
        self.test_size = test_size
        self.train_size = train_size
        self.random_state = random_state

    def split(self, X, y=None, groups=None):
        """Generate ``n_splits`` (train, test) index arrays."""
        X, y, groups = _indexable(X, y, groups)
        yield from self._iter_indices(X, y, groups)

    def get_n_splits(self, X=None, y=None, groups=None):
        """The number of splits."""
        return self.n_splits

    def __repr__(self):
        return _build_repr(self)


class ShuffleSplit(BaseShuffleSplit):
    """Random permutation splits: test = the first n_test of a permutation, train the next n_train.

    Parameters
    ----------
    n_splits : int, default=10
    test_size : float or int, default=None
        A fraction or a count; 0.1 when both sizes are None.
    train_size : float or int, default=None
        The complement of test_size when None.
    random_state : int, RandomState or None, default=None

    Examples
    --------
    >>> from learnflow.model_selection import ShuffleSplit
    >>> train, test = next(ShuffleSplit(n_splits=1, test_size=2, random_state=0).split(range(5)))
    >>> train.tolist(), test.tolist()
    ([1, 3, 4], [2, 0])
    """

    def split(self, X, y=None, groups=None):
        """Generate ``n_splits`` (train, test) index arrays."""
        _warn_groups_ignored(self, groups)
        return super().split(X, y)

    def _iter_indices(self, X, y=None, groups=None):
        n_samples = _num_samples(X)
        n_train, n_test = _validate_shuffle_split(
            n_samples, self.test_size, self.train_size, default_test_size=self._default_test_size
        )
        rng = check_random_state(self.random_state)
        for _ in range(self.n_splits):
            permutation = rng.permutation(n_samples)
            yield permutation[n_test : n_test + n_train], permutation[:n_test]


class GroupShuffleSplit(ShuffleSplit):
    """Random splits of whole groups: ``test_size`` / ``train_size`` count groups, not samples.

    Parameters are those of :class:`ShuffleSplit` (default n_splits=5, test_size 0.2).

    Examples
    --------
    >>> from learnflow.model_selection import GroupShuffleSplit
    >>> gss = GroupShuffleSplit(n_splits=1, test_size=1, random_state=0)
    >>> train, test = next(gss.split([[0]] * 4, groups=[1, 1, 2, 3]))
    >>> len(train) + len(test)
    4
    """

    _default_test_size = 0.2

    def __init__(self, n_splits=5, *, test_size=None, train_size=None, random_state=None):
        super().__init__(n_splits=n_splits, test_size=test_size, train_size=train_size, random_state=random_state)

    def split(self, X, y=None, groups=None):
        """Generate ``n_splits`` (train, test) index arrays of whole groups."""
        X, y, groups = _indexable(X, y, groups)
        yield from self._iter_indices(X, y, groups)

    def _iter_indices(self, X, y, groups):
        if groups is None:
            raise ValueError("The 'groups' parameter should not be None.")
        groups = check_array(_as_numpy_labels(groups), input_name="groups", ensure_2d=False, dtype=None)
        classes, group_indices = np.unique(groups, return_inverse=True)
        for group_train, group_test in super()._iter_indices(X=classes):
            yield np.flatnonzero(np.isin(group_indices, group_train)), np.flatnonzero(np.isin(group_indices, group_test))


class StratifiedShuffleSplit(BaseShuffleSplit):
    """Random splits that keep each class's proportion in train and test.

    Parameters are those of :class:`ShuffleSplit`; ``split`` needs y.

    Examples
    --------
    >>> from learnflow.model_selection import StratifiedShuffleSplit
    >>> sss = StratifiedShuffleSplit(n_splits=1, test_size=0.5, random_state=0)
    >>> train, test = next(sss.split([[0]] * 4, [0, 0, 1, 1]))
    >>> sorted(train.tolist()), sorted(test.tolist())
    ([1, 2], [0, 3])
    """

    def _iter_indices(self, X, y, groups=None):
        n_samples = _num_samples(X)
        y = check_array(_as_numpy_labels(y), input_name="y", ensure_2d=False, dtype=None)
        n_train, n_test = _validate_shuffle_split(
            n_samples, self.test_size, self.train_size, default_test_size=self._default_test_size
        )
        if y.ndim == 2:
            y = np.array([" ".join(row.astype("str")) for row in y])
        classes, y_indices, class_counts = np.unique(y, return_inverse=True, return_counts=True)
        n_classes = classes.shape[0]
        if np.min(class_counts) < 2:
            raise ValueError(
                "The least populated classes in y have only 1 member, which is too few. The minimum "
                "number of groups for any class cannot be less than 2. Classes with too few members "
                f"are: {classes[class_counts < 2].tolist()}"
            )
        if n_train < n_classes:
            raise ValueError(
                f"The train_size = {n_train} should be greater or equal to the number of classes = {n_classes}"
            )
        if n_test < n_classes:
            raise ValueError(
                f"The test_size = {n_test} should be greater or equal to the number of classes = {n_classes}"
            )
        class_indices = np.split(np.argsort(y_indices, kind="stable"), np.cumsum(class_counts)[:-1])
        rng = check_random_state(self.random_state)
        for _ in range(self.n_splits):
            n_i = _approximate_mode(class_counts, n_train, rng)
            t_i = _approximate_mode(class_counts - n_i, n_test, rng)
            train, test = [], []
            for i in range(n_classes):
                permutation = rng.permutation(class_counts[i])
                perm_indices = class_indices[i].take(permutation, mode="clip")
                train.extend(perm_indices[: n_i[i]])
                test.extend(perm_indices[n_i[i] : n_i[i] + t_i[i]])
            yield rng.permutation(train), rng.permutation(test)

    def split(self, X, y, groups=None):
        """Generate ``n_splits`` stratified (train, test) index arrays."""
        _warn_groups_ignored(self, groups)
        return super().split(X, y)


class PredefinedSplit(BaseCrossValidator):
    """Folds given in advance: ``test_fold[i]`` is sample i's test fold (-1: always in train).

    Examples
    --------
    >>> from learnflow.model_selection import PredefinedSplit
    >>> [test.tolist() for _, test in PredefinedSplit([0, 1, -1, 1]).split()]
    [[0], [1, 3]]
    """

    def __init__(self, test_fold):
        self.test_fold = column_or_1d(np.array(test_fold, dtype=int))
        self.unique_folds = np.unique(self.test_fold)
        self.unique_folds = self.unique_folds[self.unique_folds != -1]

    def split(self, X=None, y=None, groups=None):
        """Generate (train, test) index arrays, one per fold."""
        _warn_groups_ignored(self, groups)
        indices = np.arange(len(self.test_fold))
        for fold in self.unique_folds:
            test_mask = self.test_fold == fold
            yield indices[~test_mask], indices[test_mask]

    def get_n_splits(self, X=None, y=None, groups=None):
        """The number of folds."""
        return len(self.unique_folds)


class _CVIterableWrapper(BaseCrossValidator):
    """An iterable of (train, test) pairs as a splitter."""

    def __init__(self, cv):
        self.cv = list(cv)

    def get_n_splits(self, X=None, y=None, groups=None):
        return len(self.cv)

    def split(self, X=None, y=None, groups=None):
        yield from self.cv


def check_cv(cv=5, y=None, *, classifier=False, shuffle=False, random_state=None):
    """The splitter ``cv`` denotes: an int gives (Stratified)KFold, an iterable of splits a wrapper.

    Parameters
    ----------
    cv : int, splitter, iterable of (train, test) or None, default=5
    y : array-like, default=None
    classifier : bool, default=False
        With a binary or multiclass y, an int gives StratifiedKFold.
    shuffle : bool, default=False
    random_state : int, RandomState or None, default=None

    Examples
    --------
    >>> from learnflow.model_selection import check_cv
    >>> check_cv(3, [0, 1, 0, 1], classifier=True)
    StratifiedKFold(n_splits=3, random_state=None, shuffle=False)
    """
    cv = 5 if cv is None else cv
    if isinstance(cv, numbers.Integral):
        if classifier and y is not None and type_of_target(_as_numpy_labels(y), input_name="y") in ("binary", "multiclass"):
            return StratifiedKFold(cv, shuffle=shuffle, random_state=random_state)
        return KFold(cv, shuffle=shuffle, random_state=random_state)
    if not hasattr(cv, "split") or isinstance(cv, str):
        if not isinstance(cv, Iterable) or isinstance(cv, str):
            raise ValueError(
                "Expected `cv` as an integer, a cross-validation object (from "
                "learnflow.model_selection), or an iterable yielding (train, test) splits as arrays "
                f"of indices. Got {cv}."
            )
        return _CVIterableWrapper(cv)
    return cv


def _check_size_type(name, value):
    if value is None:
        return
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        if value < 1:
            raise ValueError(f"The '{name}' parameter of train_test_split must be an int in the range [1, inf), a float in the range (0.0, 1.0) or None. Got {value!r} instead.")
        return
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        if not 0 < value < 1:
            raise ValueError(f"The '{name}' parameter of train_test_split must be an int in the range [1, inf), a float in the range (0.0, 1.0) or None. Got {value!r} instead.")
        return
    raise ValueError(f"The '{name}' parameter of train_test_split must be an int in the range [1, inf), a float in the range (0.0, 1.0) or None. Got {value!r} instead.")


def train_test_split(*arrays, test_size=None, train_size=None, random_state=None, shuffle=True, stratify=None):
    """Split arrays into random train and test subsets (the same rows as scikit-learn's).

    Parameters
    ----------
    *arrays : lists, numpy arrays, pandas objects, sparse matrices or tensors of equal length
    test_size : float or int, default=None
        A fraction or a count; 0.25 when both sizes are None.
    train_size : float or int, default=None
    random_state : int, RandomState or None, default=None
    shuffle : bool, default=True
    stratify : array-like, default=None
        Class labels whose proportions both subsets keep.

    Returns
    -------
    splitting : list of length 2 * len(arrays)
        train and test part of each input, each the input's kind (a tensor's
        parts stay on its device).

    Examples
    --------
    >>> from learnflow.model_selection import train_test_split
    >>> X_train, X_test = train_test_split(list(range(10)), test_size=0.3, random_state=42)
    >>> X_train, X_test
    ([0, 7, 2, 9, 4, 3, 6], [8, 1, 5])
    """
    if not arrays:
        raise ValueError("At least one array required as input")
    _check_size_type("test_size", test_size)
    _check_size_type("train_size", train_size)
    if not isinstance(shuffle, (bool, np.bool_)):
        raise ValueError(f"The 'shuffle' parameter of train_test_split must be an instance of 'bool'. Got {shuffle!r} instead.")
    arrays = _indexable(*arrays)
    n_samples = _num_samples(arrays[0])
    n_train, n_test = _validate_shuffle_split(n_samples, test_size, train_size, default_test_size=0.25)
    if not shuffle:
        if stratify is not None:
            raise ValueError("Stratified train/test split is not implemented for shuffle=False")
        train, test = np.arange(n_train), np.arange(n_train, n_train + n_test)
    else:
        cv_class = ShuffleSplit if stratify is None else StratifiedShuffleSplit
        cv = cv_class(test_size=n_test, train_size=n_train, random_state=random_state)
        train, test = next(cv.split(X=arrays[0], y=stratify))
    return list(chain.from_iterable((_safe_indexing(a, train), _safe_indexing(a, test)) for a in arrays))


train_test_split.__test__ = False  # not a pytest test
