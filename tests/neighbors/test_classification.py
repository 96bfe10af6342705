"""KNeighborsClassifier against scikit-learn: random data, multilabel, and MNIST (the book's Chapter 3)."""

import numpy as np
import pytest
import sklearn.neighbors as skn
from sklearn.model_selection import train_test_split

from learnflow.datasets import fetch_mnist
from learnflow.neighbors import KNeighborsClassifier


@pytest.fixture
def data():
    rng = np.random.RandomState(1)
    X = rng.normal(size=(150, 5))
    y = (X[:, 0] + 0.5 * rng.normal(size=150) > 0).astype(int) + (X[:, 1] > 0.7)
    return X, y, rng.normal(size=(70, 5))


def _inverse_square(distances):
    return 1.0 / (distances**2 + 1e-3)


@pytest.mark.parametrize("weights", ["uniform", "distance", _inverse_square])
@pytest.mark.parametrize("metric,p", [("minkowski", 2), ("manhattan", 2), ("minkowski", 3), ("cosine", 2)])
def test_predictions_match_sklearn(data, weights, metric, p):
    X, y, Q = data
    ours = KNeighborsClassifier(n_neighbors=7, weights=weights, metric=metric, p=p).fit(X, y)
    theirs = skn.KNeighborsClassifier(n_neighbors=7, weights=weights, metric=metric, p=p, algorithm="brute").fit(X, y)
    np.testing.assert_allclose(ours.predict_proba(Q), theirs.predict_proba(Q), rtol=1e-10, atol=1e-12)
    np.testing.assert_array_equal(ours.predict(Q), theirs.predict(Q))
    assert ours.score(X, y) == theirs.score(X, y)


def test_string_labels_and_exact_matches(data):
    X, y, _ = data
    names = np.array(["low", "mid", "high"])[y]
    ours = KNeighborsClassifier(weights="distance").fit(X, names)
    theirs = skn.KNeighborsClassifier(weights="distance").fit(X, names)
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))  # distance 0: the point's own label
    np.testing.assert_array_equal(ours.classes_, theirs.classes_)


def test_multilabel_and_multioutput(data):
    X, y, Q = data
    Y = np.c_[y >= 1, y % 2 == 1]  # the book's multilabel targets (large, odd)
    ours, theirs = KNeighborsClassifier().fit(X, Y), skn.KNeighborsClassifier().fit(X, Y)
    np.testing.assert_array_equal(ours.predict(Q), theirs.predict(Q))
    Y3 = np.c_[y, (X[:, 2] > 0).astype(int) * 5]
    ours, theirs = KNeighborsClassifier(weights="distance").fit(X, Y3), skn.KNeighborsClassifier(weights="distance").fit(X, Y3)
    np.testing.assert_array_equal(ours.predict(Q), theirs.predict(Q))
    for a, b in zip(ours.predict_proba(Q), theirs.predict_proba(Q)):
        np.testing.assert_allclose(a, b, rtol=1e-12)


def mnist_split(mnist_dir):
    """The MNIST test set split 8,000 / 2,000, stratified, random_state=42 (the issue's offline protocol)."""
    X, y = fetch_mnist(data_home=mnist_dir, subset="test", download_if_missing=False, return_X_y=True)
    return train_test_split(X.astype(np.float64), y, test_size=2000, stratify=y, random_state=42)


def test_mnist_knn_accuracy(mnist_dir):
    """KNeighborsClassifier(n_neighbors=4, weights="distance"): >= 95 % and within 0.5 point of scikit-learn."""
    X_train, X_test, y_train, y_test = mnist_split(mnist_dir)
    ours = KNeighborsClassifier(n_neighbors=4, weights="distance").fit(X_train, y_train).score(X_test, y_test)
    theirs = skn.KNeighborsClassifier(n_neighbors=4, weights="distance").fit(X_train, y_train).score(X_test, y_test)
    assert ours >= 0.95, ours
    assert abs(ours - theirs) <= 0.005, (ours, theirs)
