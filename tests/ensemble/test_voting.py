"""Voting against scikit-learn with deterministic members."""

import numpy as np
import pytest
from sklearn import ensemble as sk_ensemble
from sklearn import linear_model as sk_linear
from sklearn import tree as sk_tree

from learnflow.datasets import load_iris
from learnflow.ensemble import VotingClassifier, VotingRegressor
from learnflow.linear_model import LinearRegression, LogisticRegression
from learnflow.tree import DecisionTreeClassifier, DecisionTreeRegressor


@pytest.fixture(scope="module")
def iris():
    data = load_iris()
    X = (data.data - data.data.mean(axis=0)) / data.data.std(axis=0)  # standardised: lbfgs converges
    return X, np.array(["setosa", "versicolor", "virginica"])[data.target]


def _pair(weights, voting):
    ours = VotingClassifier(
        [("lr", LogisticRegression()), ("tree", DecisionTreeClassifier(max_depth=2, random_state=0)),
         ("stump", DecisionTreeClassifier(max_depth=1, random_state=0))], voting=voting, weights=weights)
    theirs = sk_ensemble.VotingClassifier(
        [("lr", sk_linear.LogisticRegression()),
         ("tree", sk_tree.DecisionTreeClassifier(max_depth=2, random_state=0)),
         ("stump", sk_tree.DecisionTreeClassifier(max_depth=1, random_state=0))], voting=voting, weights=weights)
    return ours, theirs


@pytest.mark.parametrize("voting", ["hard", "soft"])
@pytest.mark.parametrize("weights", [None, [1, 2, 0.5]])
def test_classifier_matches_sklearn(iris, voting, weights):
    X, y = iris
    ours, theirs = _pair(weights, voting)
    ours.fit(X, y), theirs.fit(X, y)
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))
    assert ours.transform(X).shape == theirs.transform(X).shape
    np.testing.assert_array_equal(ours.get_feature_names_out(), theirs.get_feature_names_out())
    if voting == "soft":
        np.testing.assert_allclose(ours.predict_proba(X), theirs.predict_proba(X), atol=1e-4)
    else:
        assert not hasattr(ours, "predict_proba")


def test_drop_and_set_params(iris):
    X, y = iris
    vote = VotingClassifier([("lr", LogisticRegression()), ("tree", DecisionTreeClassifier(max_depth=2))])
    vote.set_params(lr="drop").fit(X, y)
    assert list(vote.named_estimators_) == ["lr", "tree"] and vote.named_estimators_.lr == "drop"
    assert len(vote.estimators_) == 1
    with pytest.raises(ValueError, match="All estimators are dropped"):
        vote.set_params(tree="drop").fit(X, y)
    with pytest.raises(ValueError, match="weights must be equal"):
        VotingClassifier([("lr", LogisticRegression())], weights=[1, 2]).fit(X, y)


def test_regressor_matches_sklearn(iris):
    X = iris[0]
    y = X[:, 0] * 2 - X[:, 1]
    ours = VotingRegressor([("lin", LinearRegression()), ("tree", DecisionTreeRegressor(max_depth=3, random_state=0))],
                           weights=[2, 1]).fit(X, y)
    theirs = sk_ensemble.VotingRegressor([("lin", sk_linear.LinearRegression()),
                                          ("tree", sk_tree.DecisionTreeRegressor(max_depth=3, random_state=0))],
                                         weights=[2, 1]).fit(X, y)
    np.testing.assert_allclose(ours.predict(X), theirs.predict(X), atol=1e-10)
    np.testing.assert_allclose(ours.transform(X), theirs.transform(X), atol=1e-10)
