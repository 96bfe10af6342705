"""Bagging against scikit-learn: the same draws (estimators_samples_) and, with deterministic members, the same predictions."""

import numpy as np
import pytest
from sklearn import ensemble as sk_ensemble
from sklearn import tree as sk_tree
from sklearn.neighbors import KNeighborsRegressor as SkKNN

from learnflow.datasets import make_moons
from learnflow.ensemble import BaggingClassifier, BaggingRegressor
from learnflow.neighbors import KNeighborsRegressor
from learnflow.tree import DecisionTreeClassifier, DecisionTreeRegressor

PARAMS = [
    dict(max_samples=100, bootstrap=True),
    dict(max_samples=0.5, bootstrap=False),
    dict(max_features=1, bootstrap_features=True),
    dict(max_features=0.5, bootstrap=False, bootstrap_features=False),
]


@pytest.fixture(scope="module")
def moons():
    X, y = make_moons(n_samples=300, noise=0.3, random_state=0)
    return np.column_stack([X, X[:, :1] * X[:, 1:]]), y


@pytest.mark.parametrize("params", PARAMS)
def test_classifier_matches_sklearn(moons, params):
    X, y = moons
    ours = BaggingClassifier(DecisionTreeClassifier(), n_estimators=8, random_state=42, **params).fit(X, y)
    theirs = sk_ensemble.BaggingClassifier(sk_tree.DecisionTreeClassifier(), n_estimators=8, random_state=42,
                                           **params).fit(X, y)
    for a, b in zip(ours.estimators_samples_, theirs.estimators_samples_):
        np.testing.assert_array_equal(a, b)
    for a, b in zip(ours.estimators_features_, theirs.estimators_features_):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(ours.predict_proba(X), theirs.predict_proba(X), atol=1e-12)
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))


def test_regressor_without_sample_weight_support_matches_sklearn(moons):
    """KNN has no sample_weight: members are fitted on X[indices], as scikit-learn does."""
    X, y = moons
    target = X[:, 0] + y
    ours = BaggingRegressor(KNeighborsRegressor(), n_estimators=6, max_samples=0.7, oob_score=True,
                            random_state=1).fit(X, target)
    theirs = sk_ensemble.BaggingRegressor(SkKNN(), n_estimators=6, max_samples=0.7, oob_score=True,
                                          random_state=1).fit(X, target)
    np.testing.assert_allclose(ours.predict(X), theirs.predict(X), atol=1e-10)
    assert ours.oob_score_ == pytest.approx(theirs.oob_score_, abs=1e-10)


def test_oob_matches_sklearn(moons):
    X, y = moons
    ours = BaggingClassifier(DecisionTreeClassifier(), n_estimators=20, oob_score=True, random_state=3).fit(X, y)
    theirs = sk_ensemble.BaggingClassifier(sk_tree.DecisionTreeClassifier(), n_estimators=20, oob_score=True,
                                           random_state=3).fit(X, y)
    assert ours.oob_score_ == pytest.approx(theirs.oob_score_)
    np.testing.assert_allclose(ours.oob_decision_function_, theirs.oob_decision_function_, atol=1e-12)


def test_warm_start_equals_one_fit(moons):
    X, y = moons
    grown = BaggingRegressor(DecisionTreeRegressor(), n_estimators=3, warm_start=True, random_state=5).fit(X, y)
    grown.set_params(n_estimators=6).fit(X, y)
    direct = BaggingRegressor(DecisionTreeRegressor(), n_estimators=6, random_state=5).fit(X, y)
    np.testing.assert_allclose(grown.predict(X), direct.predict(X))
    assert len(grown) == 6 and len(grown.estimators_samples_) == 6


def test_errors(moons):
    X, y = moons
    with pytest.raises(ValueError, match="Out of bag estimation only available if bootstrap=True"):
        BaggingClassifier(n_estimators=2, bootstrap=False, oob_score=True).fit(X, y)
    with pytest.raises(ValueError, match="max_features must be <= n_features"):
        BaggingClassifier(n_estimators=2, max_features=10).fit(X, y)
    with pytest.raises(ValueError, match="must be <= n_samples"):
        BaggingClassifier(n_estimators=2, max_samples=1000, bootstrap=False).fit(X, y)


def test_member_trees_encode_y_once(moons, monkeypatch):
    """The member trees share one encoding of y (classes, one-hot statistics) through their fits' cache: one
    2-D view of y for all of them, found by identity."""
    from learnflow.tree import _classes

    X, y = moons
    calls = []
    original = _classes._ClassificationCriterion.make_stats
    monkeypatch.setattr(_classes._ClassificationCriterion, "make_stats",
                        staticmethod(lambda *a: calls.append(1) or original(*a)))
    BaggingClassifier(DecisionTreeClassifier(), n_estimators=12, random_state=0).fit(X, y)
    assert len(calls) == 1
