"""OneVsRestClassifier / OneVsOneClassifier against scikit-learn's, wrapping the same estimators."""

import joblib
import numpy as np
import pytest
import sklearn.multiclass as skmc
import sklearn.neighbors as skn
from sklearn.linear_model import LogisticRegression as SkLogisticRegression

from learnflow.multiclass import OneVsOneClassifier, OneVsRestClassifier
from learnflow.neighbors import KNeighborsClassifier


@pytest.fixture
def data():
    rng = np.random.RandomState(3)
    centers = rng.normal(scale=2.5, size=(4, 3))
    y = rng.randint(0, 4, 160)
    X = centers[y] + rng.normal(size=(160, 3))
    return X, y, rng.normal(scale=2.5, size=(50, 3))


def test_ovr_wrapping_sklearn_logistic_regression(data):
    """Our OvR around scikit-learn's LogisticRegression gives scikit-learn's OvR results exactly."""
    X, y, Q = data
    ours = OneVsRestClassifier(SkLogisticRegression()).fit(X, y)
    theirs = skmc.OneVsRestClassifier(SkLogisticRegression()).fit(X, y)
    assert len(ours.estimators_) == 4 and ours.n_classes_ == 4
    np.testing.assert_array_equal(ours.classes_, theirs.classes_)
    np.testing.assert_allclose(ours.decision_function(Q), theirs.decision_function(Q), rtol=1e-12)
    np.testing.assert_allclose(ours.predict_proba(Q), theirs.predict_proba(Q), rtol=1e-12)
    np.testing.assert_array_equal(ours.predict(Q), theirs.predict(Q))
    np.testing.assert_array_equal(ours.label_binarizer_.classes_, theirs.label_binarizer_.classes_)


def test_ovr_multilabel(data):
    X, y, Q = data
    Y = np.c_[y >= 2, y % 2 == 1].astype(int)
    ours = OneVsRestClassifier(SkLogisticRegression()).fit(X, Y)
    theirs = skmc.OneVsRestClassifier(SkLogisticRegression()).fit(X, Y)
    assert ours.multilabel_
    np.testing.assert_array_equal(ours.predict(Q), theirs.predict(Q).toarray() if hasattr(theirs.predict(Q), "toarray") else theirs.predict(Q))
    np.testing.assert_allclose(ours.predict_proba(Q), theirs.predict_proba(Q), rtol=1e-12)


def test_ovr_with_learnflow_knn_and_n_jobs(data):
    X, y, Q = data
    with joblib.parallel_backend("threading"):  # process workers take tens of seconds to start here
        ours = OneVsRestClassifier(KNeighborsClassifier(n_neighbors=5), n_jobs=2).fit(X, y)
    theirs = skmc.OneVsRestClassifier(skn.KNeighborsClassifier(n_neighbors=5)).fit(X, y)
    np.testing.assert_allclose(ours.predict_proba(Q), theirs.predict_proba(Q), rtol=1e-12)
    np.testing.assert_array_equal(ours.predict(Q), theirs.predict(Q))
    assert not hasattr(ours, "decision_function")


@pytest.mark.parametrize("n_classes", [2, 4])
def test_ovo_matches_sklearn(data, n_classes):
    X, y, Q = data
    keep = y < n_classes
    X, y = X[keep], y[keep]
    ours = OneVsOneClassifier(SkLogisticRegression()).fit(X, y)
    theirs = skmc.OneVsOneClassifier(SkLogisticRegression()).fit(X, y)
    assert len(ours.estimators_) == n_classes * (n_classes - 1) // 2
    assert ours.pairwise_indices_ is None
    np.testing.assert_allclose(ours.decision_function(Q), theirs.decision_function(Q), rtol=1e-12)
    np.testing.assert_array_equal(ours.predict(Q), theirs.predict(Q))


def test_ovo_with_learnflow_knn(data):
    X, y, Q = data
    ours = OneVsOneClassifier(KNeighborsClassifier(n_neighbors=3)).fit(X, y)
    theirs = skmc.OneVsOneClassifier(skn.KNeighborsClassifier(n_neighbors=3)).fit(X, y)
    np.testing.assert_allclose(ours.decision_function(Q), theirs.decision_function(Q), rtol=1e-12)
    np.testing.assert_array_equal(ours.predict(Q), theirs.predict(Q))


def test_ovo_pairwise_indices_with_precomputed_kernel(data):
    from sklearn.svm import SVC

    X, y, Q = data
    K, K_test = X @ X.T, Q @ X.T
    ours = OneVsOneClassifier(SVC(kernel="precomputed")).fit(K, y)
    theirs = skmc.OneVsOneClassifier(SVC(kernel="precomputed")).fit(K, y)
    for a, b in zip(ours.pairwise_indices_, theirs.pairwise_indices_):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(ours.decision_function(K_test), theirs.decision_function(K_test), rtol=1e-8)


def test_one_class_is_an_error():
    with pytest.raises(ValueError, match="only one class"):
        OneVsOneClassifier(KNeighborsClassifier()).fit([[0], [1]], [1, 1])
