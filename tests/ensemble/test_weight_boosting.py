"""AdaBoost against scikit-learn (deterministic stumps and trees: identical ensembles)."""

import numpy as np
import pytest
from sklearn import ensemble as sk_ensemble

from learnflow.datasets import load_iris, make_moons
from learnflow.ensemble import AdaBoostClassifier, AdaBoostRegressor


@pytest.mark.parametrize("learning_rate", [1.0, 0.5])
def test_classifier_matches_sklearn(learning_rate):
    iris = load_iris()
    X, y = iris.data, iris.target
    ours = AdaBoostClassifier(n_estimators=15, learning_rate=learning_rate, random_state=42).fit(X, y)
    theirs = sk_ensemble.AdaBoostClassifier(n_estimators=15, learning_rate=learning_rate, random_state=42).fit(X, y)
    np.testing.assert_allclose(ours.estimator_weights_, theirs.estimator_weights_, atol=1e-10)
    np.testing.assert_allclose(ours.estimator_errors_, theirs.estimator_errors_, atol=1e-10)
    np.testing.assert_allclose(ours.decision_function(X), theirs.decision_function(X), atol=1e-10)
    np.testing.assert_allclose(ours.predict_proba(X), theirs.predict_proba(X), atol=1e-10)
    for a, b in zip(ours.staged_predict(X), theirs.staged_predict(X)):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(ours.feature_importances_, theirs.feature_importances_, atol=1e-10)


def test_moons_modern_samme():
    """Q7.15 [V]: AdaBoost (SAMME) on moons gives 0.896 (200 stumps, lr 0.5, random_state 42)."""
    from learnflow.model_selection import train_test_split

    X, y = make_moons(n_samples=500, noise=0.30, random_state=42)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=42)
    theirs = sk_ensemble.AdaBoostClassifier(n_estimators=200, learning_rate=0.5, random_state=42)
    ours = AdaBoostClassifier(n_estimators=200, learning_rate=0.5, random_state=42)
    assert ours.fit(X_train, y_train).score(X_test, y_test) == theirs.fit(X_train, y_train).score(X_test, y_test)


@pytest.mark.parametrize("loss", ["linear", "square", "exponential"])
def test_regressor_matches_sklearn(loss):
    rng = np.random.RandomState(0)
    X = rng.rand(150, 3)
    y = 4 * X[:, 0] + rng.randn(150) * 0.2
    ours = AdaBoostRegressor(n_estimators=8, loss=loss, random_state=3).fit(X, y)
    theirs = sk_ensemble.AdaBoostRegressor(n_estimators=8, loss=loss, random_state=3).fit(X, y)
    np.testing.assert_allclose(ours.predict(X), theirs.predict(X), atol=1e-10)
    np.testing.assert_allclose(list(ours.staged_predict(X))[3], list(theirs.staged_predict(X))[3], atol=1e-10)


def test_value_codes_sort_as_the_values():
    """The value codes' stable order is the values' (ties, 0.0 and -0.0 equal, NaN last); too many distinct
    values: no codes."""
    from learnflow.tree._splitter import value_codes

    rng = np.random.RandomState(0)
    XT = np.round(rng.randn(3, 400) * 3).astype(np.float32)
    XT[0, ::5], XT[0, ::7], XT[1, ::9] = 0.0, -0.0, np.nan
    codes = value_codes(XT)
    assert codes.dtype == np.uint16
    for row, code in zip(XT, codes):
        np.testing.assert_array_equal(np.argsort(code, kind="stable"), np.argsort(row, kind="stable"))
    assert value_codes(np.arange(70_000, dtype=np.float32)[None, :]) is None


@pytest.mark.parametrize("loss", ["linear", "square"])
def test_regressor_rounds_sort_by_value_codes(loss, monkeypatch):
    """Each round's trees grow on resampled rows sorted by radix through X's value codes: the trees of the
    values' own sort (ties, signed zeros, integral targets: the level-wise exact builder)."""
    from learnflow.ensemble import _weight_boosting

    rng = np.random.RandomState(0)
    X = np.round(rng.randn(600, 4) * 2)
    X[::7, 0] = -0.0
    y = np.round(10 * X[:, 0] + X[:, 1] ** 2 + rng.randn(600))
    fast = AdaBoostRegressor(n_estimators=10, loss=loss, random_state=0).fit(X, y)
    monkeypatch.setattr(_weight_boosting, "value_codes", lambda XT: None)
    plain = AdaBoostRegressor(n_estimators=10, loss=loss, random_state=0).fit(X, y)
    assert len(fast.estimators_) == len(plain.estimators_) > 1
    for a, b in zip(fast.estimators_, plain.estimators_):
        for key in ("feature", "threshold", "value", "n_node_samples"):
            np.testing.assert_array_equal(getattr(a.tree_, key), getattr(b.tree_, key))
    np.testing.assert_array_equal(fast.predict(X), plain.predict(X))
