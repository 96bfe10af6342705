"""Splitters and train_test_split yield exactly scikit-learn's indices for the same random_state."""

import numpy as np
import pandas as pd
import pytest
import sklearn.model_selection as skms
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import learnflow.model_selection as lfms
from tests._devices import DEVICES


def _assert_same_splits(ours, theirs):
    ours, theirs = list(ours), list(theirs)
    assert len(ours) == len(theirs)
    for (train_a, test_a), (train_b, test_b) in zip(ours, theirs):
        np.testing.assert_array_equal(train_a, train_b)
        np.testing.assert_array_equal(test_a, test_b)


def _labels(seed, n_samples, n_classes):
    rng = np.random.RandomState(seed)
    y = rng.randint(0, n_classes, n_samples)
    y[:n_classes] = np.arange(n_classes)  # every class present
    y[n_classes : 2 * n_classes] = np.arange(n_classes)  # at least two members each
    return rng.permutation(y)


SPLITTERS = [
    ("KFold", {"n_splits": 3}),
    ("KFold", {"n_splits": 4, "shuffle": True, "random_state": 0}),
    ("StratifiedKFold", {"n_splits": 2}),
    ("StratifiedKFold", {"n_splits": 2, "shuffle": True, "random_state": 1}),
    ("ShuffleSplit", {"n_splits": 3, "test_size": 0.3, "random_state": 2}),
    ("ShuffleSplit", {"n_splits": 2, "train_size": 5, "test_size": 3, "random_state": 3}),
    ("StratifiedShuffleSplit", {"n_splits": 3, "test_size": 0.4, "random_state": 4}),
    ("RepeatedKFold", {"n_splits": 2, "n_repeats": 3, "random_state": 5}),
    ("RepeatedStratifiedKFold", {"n_splits": 2, "n_repeats": 2, "random_state": 6}),
    ("LeaveOneOut", {}),
]


@settings(max_examples=30, deadline=None)
@given(
    case=st.sampled_from(SPLITTERS),
    seed=st.integers(0, 1000),
    n_samples=st.integers(12, 40),
    n_classes=st.integers(2, 4),
)
def test_splitters_equal_sklearn(case, seed, n_samples, n_classes):
    name, kwargs = case
    X = np.zeros((n_samples, 2))
    y = _labels(seed, n_samples, n_classes)
    ours = getattr(lfms, name)(**kwargs)
    theirs = getattr(skms, name)(**kwargs)
    _assert_same_splits(ours.split(X, y), theirs.split(X, y))
    assert ours.get_n_splits(X, y) == theirs.get_n_splits(X, y)


@pytest.mark.parametrize("shuffle", [False, True])
def test_group_kfold_equals_sklearn(shuffle):
    rng = np.random.RandomState(0)
    groups = rng.randint(0, 7, 40)
    X = np.zeros((40, 1))
    kwargs = {"n_splits": 3, "shuffle": shuffle, "random_state": 0 if shuffle else None}
    _assert_same_splits(
        lfms.GroupKFold(**kwargs).split(X, groups=groups), skms.GroupKFold(**kwargs).split(X, groups=groups)
    )


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("LeaveOneGroupOut", {}),
        ("GroupShuffleSplit", {"n_splits": 3, "test_size": 2, "random_state": 0}),
        ("GroupShuffleSplit", {"n_splits": 2, "test_size": 0.3, "train_size": 0.5, "random_state": 1}),
    ],
)
def test_group_splitters_equal_sklearn(name, kwargs):
    groups = np.random.RandomState(2).randint(0, 6, 30)
    X = np.zeros((30, 1))
    ours, theirs = getattr(lfms, name)(**kwargs), getattr(skms, name)(**kwargs)
    _assert_same_splits(ours.split(X, groups=groups), theirs.split(X, groups=groups))
    assert ours.get_n_splits(X, groups=groups) == theirs.get_n_splits(X, groups=groups)


@pytest.mark.parametrize(
    "kwargs", [{}, {"n_splits": 3, "test_size": 2, "gap": 1}, {"n_splits": 4, "max_train_size": 3}]
)
def test_time_series_split_equals_sklearn(kwargs):
    X = np.zeros((17, 1))
    _assert_same_splits(lfms.TimeSeriesSplit(**kwargs).split(X), skms.TimeSeriesSplit(**kwargs).split(X))
    with pytest.raises(ValueError, match="Too many splits"):
        list(lfms.TimeSeriesSplit(n_splits=4, test_size=5).split(X))


def test_predefined_split_equals_sklearn():
    test_fold = [0, 1, -1, 1, 2, 0, 2, -1]
    _assert_same_splits(lfms.PredefinedSplit(test_fold).split(), skms.PredefinedSplit(test_fold).split())
    assert lfms.PredefinedSplit(test_fold).get_n_splits() == 3


def test_random_state_instance_is_advanced_like_sklearn():
    ours = lfms.KFold(3, shuffle=True, random_state=np.random.RandomState(7))
    theirs = skms.KFold(3, shuffle=True, random_state=np.random.RandomState(7))
    X = np.zeros((10, 1))
    for _ in range(2):  # a RandomState gives different splits each call, the same ones as sklearn
        _assert_same_splits(ours.split(X), theirs.split(X))


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n_samples=st.integers(8, 60),
    test_size=st.sampled_from([None, 0.2, 0.33, 3]),
    train_size=st.sampled_from([None, 0.5, 4]),
    stratified=st.booleans(),
)
def test_train_test_split_equals_sklearn(seed, n_samples, test_size, train_size, stratified):
    X = np.arange(n_samples * 2).reshape(n_samples, 2)
    y = _labels(seed, n_samples, 2)
    kwargs = {"test_size": test_size, "train_size": train_size, "random_state": seed}
    if stratified:
        kwargs["stratify"] = y
    try:
        expected = skms.train_test_split(X, y, **kwargs)
    except ValueError as exc:
        with pytest.raises(ValueError, match=str(exc)[:20].replace("(", r"\(").replace(")", r"\)")):
            lfms.train_test_split(X, y, **kwargs)
        return
    for ours, theirs in zip(lfms.train_test_split(X, y, **kwargs), expected):
        np.testing.assert_array_equal(ours, theirs)


def test_train_test_split_book_housing_rows():
    """The book's split (random_state=42, test_size=0.2) puts the same districts in the test set."""
    from learnflow.datasets import load_housing

    housing = load_housing().frame
    ours_train, ours_test = lfms.train_test_split(housing, test_size=0.2, random_state=42)
    sk_train, sk_test = skms.train_test_split(housing, test_size=0.2, random_state=42)
    pd.testing.assert_frame_equal(ours_test, sk_test)
    pd.testing.assert_frame_equal(ours_train, sk_train)
    assert len(ours_train) == 16512 and len(ours_test) == 4128
    # stratified on income categories, as the book does
    income_cat = pd.cut(housing["median_income"], bins=[0.0, 1.5, 3.0, 4.5, 6.0, np.inf], labels=[1, 2, 3, 4, 5])
    ours = lfms.train_test_split(housing, test_size=0.2, stratify=income_cat, random_state=42)
    theirs = skms.train_test_split(housing, test_size=0.2, stratify=income_cat, random_state=42)
    pd.testing.assert_frame_equal(ours[1], theirs[1])
    # the 1st edition's income_cat: ceil(median_income / 1.5) capped at 5, StratifiedShuffleSplit(random_state=42)
    book_cat = np.ceil(housing["median_income"] / 1.5).where(lambda c: c < 5, 5.0)
    split = {"n_splits": 1, "test_size": 0.2, "random_state": 42}
    _assert_same_splits(
        lfms.StratifiedShuffleSplit(**split).split(housing, book_cat),
        skms.StratifiedShuffleSplit(**split).split(housing, book_cat),
    )


def test_train_test_split_keeps_input_kinds():
    X = [[i, i] for i in range(10)]
    series = pd.Series(range(10), index=range(100, 110))
    X_train, X_test, s_train, s_test = lfms.train_test_split(X, series, test_size=0.3, random_state=0)
    assert isinstance(X_train, list) and isinstance(s_test, pd.Series)
    sk = skms.train_test_split(X, series, test_size=0.3, random_state=0)
    assert X_train == sk[0] and X_test == sk[1]
    pd.testing.assert_series_equal(s_train, sk[2])


@pytest.mark.parametrize("device", DEVICES)
def test_train_test_split_torch_stays_on_device(device):
    X = torch.arange(20.0, device=device).reshape(10, 2)
    X_train, X_test = lfms.train_test_split(X, test_size=0.3, random_state=1)
    assert X_train.device.type == device
    expected_train, expected_test = skms.train_test_split(X.cpu().numpy(), test_size=0.3, random_state=1)
    np.testing.assert_array_equal(X_test.cpu().numpy(), expected_test)
    np.testing.assert_array_equal(X_train.cpu().numpy(), expected_train)


def test_train_test_split_no_shuffle():
    ours = lfms.train_test_split(np.arange(10), shuffle=False, test_size=3)
    theirs = skms.train_test_split(np.arange(10), shuffle=False, test_size=3)
    np.testing.assert_array_equal(ours[0], theirs[0])
    with pytest.raises(ValueError, match="Stratified train/test split is not implemented"):
        lfms.train_test_split(np.arange(10), shuffle=False, stratify=np.arange(10) % 2)


def test_check_cv_matches_sklearn():
    y_class = np.array([0, 1, 0, 1, 0, 1])
    assert isinstance(lfms.check_cv(3, y_class, classifier=True), lfms.StratifiedKFold)
    assert isinstance(lfms.check_cv(3, y_class.astype(float) + 0.5, classifier=True), lfms.KFold)
    assert isinstance(lfms.check_cv(None), lfms.KFold) and lfms.check_cv(None).n_splits == 5
    splits = [(np.array([0, 1]), np.array([2])), (np.array([2]), np.array([0, 1]))]
    wrapped = lfms.check_cv(splits)
    assert wrapped.get_n_splits() == 2 and len(list(wrapped.split())) == 2
    with pytest.raises(ValueError, match="Expected `cv` as an integer"):
        lfms.check_cv("five")


def test_splitter_errors_match_sklearn():
    with pytest.raises(ValueError, match="at least one train/test split"):
        lfms.KFold(1)
    with pytest.raises(ValueError, match="Setting a random_state has no effect"):
        lfms.KFold(3, random_state=0)
    with pytest.raises(ValueError, match="Cannot have number of splits n_splits=5 greater"):
        list(lfms.KFold(5).split(np.zeros((3, 1))))
    with pytest.raises(ValueError, match="cannot be greater than the number of members in each class"):
        list(lfms.StratifiedKFold(3).split(np.zeros((4, 1)), [0, 0, 1, 1]))
    with pytest.warns(UserWarning, match="least populated class"):
        list(lfms.StratifiedKFold(3).split(np.zeros((5, 1)), [0, 0, 0, 1, 1]))
    with pytest.raises(ValueError, match="Supported target types"):
        list(lfms.StratifiedKFold(2).split(np.zeros((4, 1)), [0.1, 0.2, 0.3, 0.4]))
    with pytest.raises(ValueError, match="least populated classes in y have only 1 member"):
        list(lfms.StratifiedShuffleSplit(test_size=0.5).split(np.zeros((4, 1)), [0, 0, 0, 1]))
    with pytest.raises(ValueError, match="test_size=1.5 should be either positive"):
        list(lfms.ShuffleSplit(test_size=1.5).split(np.zeros((4, 1))))
    with pytest.raises(ValueError, match="At least one array required"):
        lfms.train_test_split()
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        lfms.train_test_split(np.zeros(4), np.zeros(5))
    with pytest.raises(ValueError, match="The 'groups' parameter should not be None"):
        list(lfms.GroupKFold(2).split(np.zeros((4, 1))))


def test_repr_like_sklearn():
    assert repr(lfms.KFold(3)) == repr(skms.KFold(3))
    assert repr(lfms.StratifiedShuffleSplit(2, test_size=0.2)) == repr(skms.StratifiedShuffleSplit(2, test_size=0.2))
    assert repr(lfms.RepeatedKFold(n_splits=3)) == repr(skms.RepeatedKFold(n_splits=3))
