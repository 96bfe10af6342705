"""Classification metrics against scikit-learn on random targets (hypothesis)."""

import warnings

import numpy as np
import pytest
import sklearn.metrics as skm
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import learnflow.metrics as lfm
from learnflow.exceptions import UndefinedMetricWarning

TOL = 1e-12
SETTINGS = settings(max_examples=15, deadline=None)


@st.composite
def targets(draw, kind):
    """(y_true, y_pred, sample_weight or None) of a binary, multiclass or multilabel kind."""
    n = draw(st.integers(1, 40))
    seed = draw(st.integers(0, 2**31 - 1))
    rng = np.random.RandomState(seed)
    if kind == "binary":
        y_true, y_pred = rng.randint(0, 2, n), rng.randint(0, 2, n)
    elif kind == "multiclass":
        k = draw(st.integers(3, 6))
        y_true, y_pred = rng.randint(0, k, n), rng.randint(0, k, n)
    else:
        k = draw(st.integers(2, 5))
        y_true, y_pred = rng.randint(0, 2, (n, k)), rng.randint(0, 2, (n, k))
    weight = rng.uniform(0.1, 3.0, n) if draw(st.booleans()) else None
    return y_true, y_pred, weight


def _assert_same(ours, theirs):
    if theirs is None:
        assert ours is None
        return
    np.testing.assert_allclose(ours, theirs, rtol=TOL, atol=TOL)


class _Raised:
    def __init__(self, error_type):
        self.error_type = error_type


def _both(name, *args, **kwargs):
    """Call the metric in learnflow and scikit-learn, recording whether each warned."""
    results = []
    for module in (lfm, skm):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                value = getattr(module, name)(*args, **kwargs)
            except ValueError as exc:
                value = _Raised(type(exc))
        undefined = any(w.category.__name__ == "UndefinedMetricWarning" for w in caught)
        results.append((value, undefined))
    return results


def _compare(name, *args, **kwargs):
    (ours, ours_warned), (theirs, theirs_warned) = _both(name, *args, **kwargs)
    if isinstance(theirs, _Raised):
        assert isinstance(ours, _Raised), f"{name}: scikit-learn raised, learnflow returned {ours}"
        return
    assert not isinstance(ours, _Raised), f"{name}: learnflow raised, scikit-learn returned {theirs}"
    if isinstance(theirs, tuple):
        for a, b in zip(ours, theirs):
            _assert_same(a, b)
    else:
        _assert_same(ours, theirs)
    assert ours_warned == theirs_warned, f"{name}: UndefinedMetricWarning {ours_warned} vs {theirs_warned}"


PRF = ["precision_score", "recall_score", "f1_score"]


@SETTINGS
@given(data=targets("binary"), average=st.sampled_from(["binary", "micro", "macro", "weighted", None]))
def test_prf_binary(data, average):
    y_true, y_pred, weight = data
    for name in PRF:
        _compare(name, y_true, y_pred, average=average, sample_weight=weight)
    _compare("fbeta_score", y_true, y_pred, beta=0.5, average=average, sample_weight=weight)
    _compare("precision_recall_fscore_support", y_true, y_pred, average=average, sample_weight=weight)


@SETTINGS
@given(data=targets("multiclass"), average=st.sampled_from(["micro", "macro", "weighted", None]),
       zero_division=st.sampled_from(["warn", 0.0, 1.0, np.nan]))
def test_prf_multiclass(data, average, zero_division):
    y_true, y_pred, weight = data
    for name in PRF:
        _compare(name, y_true, y_pred, average=average, sample_weight=weight, zero_division=zero_division)
    _compare("fbeta_score", y_true, y_pred, beta=2.0, average=average, sample_weight=weight)
    _compare("precision_recall_fscore_support", y_true, y_pred, labels=[0, 2, 7], average=average)


@SETTINGS
@given(data=targets("multilabel"), average=st.sampled_from(["micro", "macro", "weighted", "samples", None]))
def test_prf_multilabel(data, average):
    y_true, y_pred, weight = data
    for name in PRF:
        _compare(name, y_true, y_pred, average=average, sample_weight=weight)
    _compare("precision_recall_fscore_support", y_true, y_pred, beta=3.0, average=average, sample_weight=weight)


@SETTINGS
@given(data=st.one_of(targets("binary"), targets("multiclass")), normalize=st.sampled_from([None, "true", "pred", "all"]))
def test_confusion_matrix(data, normalize):
    y_true, y_pred, weight = data
    _compare("confusion_matrix", y_true, y_pred, sample_weight=weight, normalize=normalize)
    _compare("confusion_matrix", y_true, y_pred, labels=[2, 0, 1], sample_weight=weight)
    _compare("multilabel_confusion_matrix", y_true, y_pred, sample_weight=weight)


@SETTINGS
@given(data=targets("multilabel"), samplewise=st.booleans())
def test_multilabel_confusion_matrix(data, samplewise):
    y_true, y_pred, weight = data
    _compare("multilabel_confusion_matrix", y_true, y_pred, sample_weight=weight, samplewise=samplewise)
    _compare("multilabel_confusion_matrix", y_true, y_pred, labels=[1, 0])


@SETTINGS
@given(data=st.one_of(targets("binary"), targets("multiclass"), targets("multilabel")), normalize=st.booleans())
def test_accuracy_losses(data, normalize):
    y_true, y_pred, weight = data
    _compare("accuracy_score", y_true, y_pred, sample_weight=weight, normalize=normalize)
    _compare("zero_one_loss", y_true, y_pred, sample_weight=weight, normalize=normalize)
    _compare("hamming_loss", y_true, y_pred, sample_weight=weight)


@SETTINGS
@given(data=st.one_of(targets("binary"), targets("multiclass")), adjusted=st.booleans())
def test_balanced_accuracy(data, adjusted):
    y_true, y_pred, weight = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _compare("balanced_accuracy_score", y_true, y_pred, sample_weight=weight, adjusted=adjusted)


@SETTINGS
@given(n=st.integers(2, 40), k=st.integers(2, 5), seed=st.integers(0, 10_000), weighted=st.booleans())
def test_log_loss(n, k, seed, weighted):
    rng = np.random.RandomState(seed)
    y_true = rng.randint(0, k, n)
    y_true[:k] = np.arange(k) if n >= k else y_true[:k]
    proba = rng.dirichlet(np.ones(k), n)
    proba[0] = np.eye(k)[0]  # a clipped 0/1 probability
    weight = rng.uniform(0.1, 2, n) if weighted else None
    labels = np.arange(k)
    _compare("log_loss", y_true, proba, sample_weight=weight, labels=labels)
    _compare("log_loss", (y_true == 0).astype(int), proba[:, 0], sample_weight=weight)


@SETTINGS
@given(data=st.one_of(targets("binary"), targets("multiclass"), targets("multilabel")), as_dict=st.booleans())
def test_classification_report(data, as_dict):
    y_true, y_pred, weight = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = lfm.classification_report(y_true, y_pred, sample_weight=weight, output_dict=as_dict, digits=4)
        theirs = skm.classification_report(y_true, y_pred, sample_weight=weight, output_dict=as_dict, digits=4)
    if not as_dict:
        if weight is None:  # weighted supports print all their digits: compare those as dicts
            assert ours == theirs
        return
    assert ours.keys() == theirs.keys()
    for key, value in theirs.items():
        _assert_same(list(ours[key].values()) if isinstance(value, dict) else ours[key],
                     list(value.values()) if isinstance(value, dict) else value)


def test_string_labels_and_pos_label():
    y_true = np.array(["cat", "dog", "dog", "cat", "dog"])
    y_pred = np.array(["cat", "cat", "dog", "dog", "dog"])
    for name in PRF:
        _compare(name, y_true, y_pred, pos_label="dog")
        _compare(name, y_true, y_pred, average="macro")
    _compare("confusion_matrix", y_true, y_pred, labels=["dog", "cat"])
    with pytest.raises(ValueError, match="pos_label=1 is not a valid label"):
        lfm.precision_score(y_true, y_pred)


def test_undefined_metric_warns_like_sklearn():
    y_true, y_pred = [0, 0, 1, 1], [0, 0, 0, 0]
    with pytest.warns(UndefinedMetricWarning, match="Precision is ill-defined"):
        assert lfm.precision_score(y_true, y_pred) == skm.precision_score(y_true, y_pred, zero_division=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert lfm.precision_score(y_true, y_pred, zero_division=1) == 1.0


def test_binary_average_on_multiclass_raises():
    with pytest.raises(ValueError, match="Target is multiclass but average='binary'"):
        lfm.f1_score([0, 1, 2], [0, 2, 1])


def test_torch_inputs():
    y_true = torch.tensor([0, 1, 1, 0, 1])
    y_pred = torch.tensor([0, 1, 0, 0, 1])
    assert lfm.f1_score(y_true, y_pred) == skm.f1_score(y_true.numpy(), y_pred.numpy())
    np.testing.assert_array_equal(lfm.confusion_matrix(y_true, y_pred), skm.confusion_matrix(y_true, y_pred))


def test_book_equations():
    """The book's Chapter 3 identities: P and R from the confusion matrix, F1 the harmonic mean."""
    rng = np.random.RandomState(0)
    y_true, y_pred = rng.randint(0, 2, 500), rng.randint(0, 2, 500)
    (tn, fp), (fn, tp) = lfm.confusion_matrix(y_true, y_pred)
    precision, recall = lfm.precision_score(y_true, y_pred), lfm.recall_score(y_true, y_pred)
    assert precision == tp / (tp + fp) and recall == tp / (tp + fn)
    assert lfm.f1_score(y_true, y_pred) == pytest.approx(2 / (1 / precision + 1 / recall), rel=1e-14)
