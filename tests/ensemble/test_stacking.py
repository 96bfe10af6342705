"""Stacking against scikit-learn (same members, same folds: same meta-features and predictions)."""

import numpy as np
import pytest
from sklearn import ensemble as sk_ensemble
from sklearn import linear_model as sk_linear
from sklearn import tree as sk_tree

from learnflow.datasets import load_iris, make_moons
from learnflow.ensemble import StackingClassifier, StackingRegressor
from learnflow.linear_model import LinearRegression, LogisticRegression, RidgeCV
from learnflow.tree import DecisionTreeClassifier, DecisionTreeRegressor


@pytest.mark.parametrize("stack_method", ["auto", "predict"])
@pytest.mark.parametrize("binary", [True, False])
def test_classifier_matches_sklearn(stack_method, binary):
    X, y = make_moons(n_samples=200, noise=0.3, random_state=0) if binary else load_iris(return_X_y=True)
    X = (X - X.mean(axis=0)) / X.std(axis=0)  # standardised: lbfgs converges on both sides
    ours = StackingClassifier(
        [("lr", LogisticRegression()), ("tree", DecisionTreeClassifier(max_depth=3, random_state=0))],
        stack_method=stack_method).fit(X, y)
    theirs = sk_ensemble.StackingClassifier(
        [("lr", sk_linear.LogisticRegression()), ("tree", sk_tree.DecisionTreeClassifier(max_depth=3, random_state=0))],
        stack_method=stack_method).fit(X, y)
    assert ours.stack_method_ == theirs.stack_method_
    np.testing.assert_allclose(ours.transform(X), theirs.transform(X), atol=1e-4)
    np.testing.assert_allclose(ours.predict_proba(X), theirs.predict_proba(X), atol=1e-3)
    np.testing.assert_array_equal(ours.get_feature_names_out(), theirs.get_feature_names_out())


def test_regressor_matches_sklearn_with_ridgecv_blender():
    rng = np.random.RandomState(0)
    X = rng.rand(120, 3)
    y = X @ [1.0, 2.0, 3.0] + np.sin(6 * X[:, 0]) + 0.1 * rng.randn(120)
    ours = StackingRegressor([("lin", LinearRegression()), ("tree", DecisionTreeRegressor(max_depth=3, random_state=0))],
                             passthrough=True).fit(X, y)
    theirs = sk_ensemble.StackingRegressor(
        [("lin", sk_linear.LinearRegression()), ("tree", sk_tree.DecisionTreeRegressor(max_depth=3, random_state=0))],
        passthrough=True).fit(X, y)
    assert isinstance(ours.final_estimator_, RidgeCV)
    assert ours.final_estimator_.alpha_ == theirs.final_estimator_.alpha_
    np.testing.assert_allclose(ours.predict(X), theirs.predict(X), atol=1e-8)


def test_prefit_and_drop():
    X, y = load_iris(return_X_y=True)
    tree = DecisionTreeClassifier(max_depth=2, random_state=0).fit(X, y)
    stack = StackingClassifier([("tree", tree), ("lr", "drop")], cv="prefit").fit(X, y)
    assert stack.estimators_[0] is tree and stack.named_estimators_.lr == "drop"
    assert stack.transform(X).shape == (150, 3)
