"""Ranking metrics (ROC / PR curves and areas) against scikit-learn on random scores."""

import warnings

import numpy as np
import pytest
import sklearn.metrics as skm
from hypothesis import given, settings
from hypothesis import strategies as st

import learnflow.metrics as lfm
from learnflow.exceptions import UndefinedMetricWarning

TOL = 1e-12
SETTINGS = settings(max_examples=15, deadline=None)


@st.composite
def binary_scores(draw):
    """(y_true, y_score, sample_weight or None), with tied scores likely."""
    n = draw(st.integers(2, 60))
    rng = np.random.RandomState(draw(st.integers(0, 2**31 - 1)))
    y_true = rng.randint(0, 2, n)
    y_true[:2] = [0, 1]
    y_score = np.round(rng.uniform(-1, 1, n), draw(st.integers(1, 3)))
    weight = rng.uniform(0.1, 3.0, n) if draw(st.booleans()) else None
    return y_true, y_score, weight


def _assert_all_close(ours, theirs):
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=TOL, atol=TOL)


@SETTINGS
@given(data=binary_scores(), drop=st.booleans())
def test_curves(data, drop):
    y_true, y_score, weight = data
    _assert_all_close(
        lfm.roc_curve(y_true, y_score, sample_weight=weight, drop_intermediate=drop),
        skm.roc_curve(y_true, y_score, sample_weight=weight, drop_intermediate=drop),
    )
    _assert_all_close(
        lfm.precision_recall_curve(y_true, y_score, sample_weight=weight, drop_intermediate=drop),
        skm.precision_recall_curve(y_true, y_score, sample_weight=weight, drop_intermediate=drop),
    )


@SETTINGS
@given(data=binary_scores(), max_fpr=st.sampled_from([None, 0.3, 1.0]))
def test_binary_areas(data, max_fpr):
    y_true, y_score, weight = data
    ours = lfm.roc_auc_score(y_true, y_score, sample_weight=weight, max_fpr=max_fpr)
    assert abs(ours - skm.roc_auc_score(y_true, y_score, sample_weight=weight, max_fpr=max_fpr)) < TOL
    ours = lfm.average_precision_score(y_true, y_score, sample_weight=weight)
    assert abs(ours - skm.average_precision_score(y_true, y_score, sample_weight=weight)) < TOL
    fpr, tpr, _ = lfm.roc_curve(y_true, y_score)
    assert abs(lfm.auc(fpr, tpr) - skm.auc(fpr, tpr)) < TOL


@SETTINGS
@given(n=st.integers(8, 60), k=st.integers(3, 5), seed=st.integers(0, 10_000), weighted=st.booleans(),
       average=st.sampled_from(["macro", "weighted", "micro", None]))
def test_multiclass_roc_auc(n, k, seed, weighted, average):
    rng = np.random.RandomState(seed)
    y_true = rng.randint(0, k, n)
    y_true[:k] = np.arange(k)
    proba = rng.dirichlet(np.ones(k), n)
    weight = rng.uniform(0.1, 2, n) if weighted else None
    ours = lfm.roc_auc_score(y_true, proba, multi_class="ovr", average=average, sample_weight=weight)
    theirs = skm.roc_auc_score(y_true, proba, multi_class="ovr", average=average, sample_weight=weight)
    np.testing.assert_allclose(ours, theirs, rtol=TOL, atol=TOL)
    if average in ("macro", "weighted"):
        ours = lfm.roc_auc_score(y_true, proba, multi_class="ovo", average=average)
        assert abs(ours - skm.roc_auc_score(y_true, proba, multi_class="ovo", average=average)) < TOL
    ours = lfm.average_precision_score(y_true, proba, average=average, sample_weight=weight)
    theirs = skm.average_precision_score(y_true, proba, average=average, sample_weight=weight)
    np.testing.assert_allclose(ours, theirs, rtol=TOL, atol=TOL)


@SETTINGS
@given(n=st.integers(4, 50), k=st.integers(2, 4), seed=st.integers(0, 10_000), weighted=st.booleans(),
       average=st.sampled_from(["macro", "weighted", "micro", "samples", None]))
def test_multilabel_areas(n, k, seed, weighted, average):
    rng = np.random.RandomState(seed)
    y_true = rng.randint(0, 2, (n, k))
    y_true[0], y_true[1] = 0, 1
    y_score = rng.uniform(size=(n, k))
    weight = rng.uniform(0.1, 2, n) if weighted else None
    for name in ("roc_auc_score", "average_precision_score"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ours = getattr(lfm, name)(y_true, y_score, average=average, sample_weight=weight)
            theirs = getattr(skm, name)(y_true, y_score, average=average, sample_weight=weight)
        np.testing.assert_allclose(ours, theirs, rtol=TOL, atol=TOL)


def test_string_labels_need_pos_label():
    y_true, y_score = ["a", "b", "b", "a"], [0.1, 0.9, 0.6, 0.4]
    with pytest.raises(ValueError, match="pos_label is not specified"):
        lfm.roc_curve(y_true, y_score)
    _assert_all_close(lfm.roc_curve(y_true, y_score, pos_label="b"), skm.roc_curve(y_true, y_score, pos_label="b"))


def test_one_class_warns_like_sklearn():
    with pytest.warns(UndefinedMetricWarning, match="No negative samples"):
        fpr, _, _ = lfm.roc_curve([1, 1, 1], [0.2, 0.5, 0.9])
    assert np.isnan(fpr).all()
    with pytest.warns(UndefinedMetricWarning, match="Only one class is present"):
        assert np.isnan(lfm.roc_auc_score([[1, 0], [1, 1]], [[0.5, 0.2], [0.3, 0.8]], average=None)[0])
    with pytest.warns(UserWarning, match="No positive class found"):
        lfm.precision_recall_curve([0, 0], [0.2, 0.5])


def test_auc_rejects_non_monotonic_x():
    with pytest.raises(ValueError, match="neither increasing nor decreasing"):
        lfm.auc([0, 1, 0.5], [0, 1, 1])
    assert lfm.auc([1, 0.5, 0], [1, 1, 0]) == skm.auc([1, 0.5, 0], [1, 1, 0])


def test_multiclass_roc_auc_requires_strategy():
    proba = np.array([[0.2, 0.3, 0.5], [0.6, 0.2, 0.2], [0.1, 0.8, 0.1]])
    with pytest.raises(ValueError, match="multi_class must be in"):
        lfm.roc_auc_score([2, 0, 1], proba)
