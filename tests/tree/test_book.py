"""Chapter 6's numbers (book and notebook values in shared/spec/book-ch05-08.md, Q6.1-Q6.12)."""

import numpy as np
import pytest
from sklearn import tree as sk_tree
from sklearn.model_selection import GridSearchCV, train_test_split

from learnflow.datasets import load_iris, make_moons
from learnflow.tree import DecisionTreeClassifier, DecisionTreeRegressor, export_graphviz


@pytest.fixture(scope="module")
def iris():
    return load_iris()


def test_iris_depth_two_tree(iris):
    """Q6.1: petal length <= 2.45, then petal width <= 1.75; sizes 150/50/100/54/46."""
    X, y = iris.data[:, 2:], iris.target
    tree = DecisionTreeClassifier(max_depth=2, random_state=42).fit(X, y)
    t = tree.tree_
    assert list(t.feature) == [0, -2, 1, -2, -2]
    np.testing.assert_allclose(t.threshold[[0, 2]], [2.45, 1.75], atol=1e-6)
    assert list(t.n_node_samples) == [150, 50, 100, 54, 46]
    np.testing.assert_allclose(t.impurity[[0, 2, 3, 4]], [0.667, 0.5, 0.168, 0.0425], atol=5e-4)
    np.testing.assert_allclose(t.value[3, 0] * t.weighted_n_node_samples[3], [0, 49, 5])
    np.testing.assert_allclose(t.value[4, 0] * t.weighted_n_node_samples[4], [0, 1, 45])


def test_iris_predict_proba(iris):
    """Q6.2: predict_proba([[5, 1.5]]) = [0, 0.90740741, 0.09259259], predict = [1]."""
    tree = DecisionTreeClassifier(max_depth=2, random_state=42).fit(iris.data[:, 2:], iris.target)
    np.testing.assert_allclose(tree.predict_proba([[5, 1.5]]), [[0.0, 0.90740741, 0.09259259]], atol=1e-8)
    np.testing.assert_array_equal(tree.predict([[5, 1.5]]), [1])
    np.testing.assert_allclose(tree.predict_proba([[6, 1.5]]), tree.predict_proba([[5, 1.5]]))  # same leaf


def test_iris_graphviz_is_figure_6_1(iris):
    """Figure 6-1: the DOT text is scikit-learn's, character for character."""
    X, y = iris.data[:, 2:], iris.target
    ours = DecisionTreeClassifier(max_depth=2, random_state=42).fit(X, y)
    theirs = sk_tree.DecisionTreeClassifier(max_depth=2, random_state=42).fit(X, y)
    kwargs = dict(feature_names=iris.feature_names[2:], class_names=iris.target_names, rounded=True, filled=True)
    dot = export_graphviz(ours, **kwargs)
    assert dot == sk_tree.export_graphviz(theirs, **kwargs)
    assert 'petal length (cm) <= 2.45\\ngini = 0.667\\nsamples = 150\\nvalue = [50, 50, 50]\\nclass = setosa' in dot


def test_iris_entropy_uses_log2(iris):
    """Q6.3 (erratum): with log2 the depth-2 left node's entropy is 0.445, not 0.31."""
    tree = DecisionTreeClassifier(max_depth=2, criterion="entropy", random_state=42).fit(iris.data[:, 2:], iris.target)
    np.testing.assert_allclose(tree.tree_.impurity[[0, 3]], [1.585, 0.44506], atol=5e-4)


def test_tweaked_iris_tree(iris):
    """Q6.12: without the widest Versicolor, random_state=40 splits on petal width <= 0.8 first."""
    X, y = iris.data[:, 2:], iris.target
    keep = ~((X[:, 1] == 1.8) & (y == 1))
    tree = DecisionTreeClassifier(max_depth=2, random_state=40).fit(X[keep], y[keep])
    assert tree.tree_.feature[0] == 1
    np.testing.assert_allclose(tree.tree_.threshold[[0, 2]], [0.8, 1.75], atol=1e-6)


def _noisy_quadratic():
    rng = np.random.RandomState(42)
    X = rng.rand(200, 1)
    y = 4 * (X - 0.5) ** 2 + rng.randn(200, 1) / 10
    return X, y.ravel()


def test_regression_tree_leaf():
    """Q6.4: the leaf for x1 = 0.6 has value 0.1106, 110 samples, MSE 0.0151."""
    X, y = _noisy_quadratic()
    tree = DecisionTreeRegressor(max_depth=2, random_state=42).fit(X, y)
    leaf = tree.apply([[0.6]])[0]
    t = tree.tree_
    assert t.n_node_samples[leaf] == 110
    np.testing.assert_allclose(t.value[leaf, 0, 0], 0.1106, atol=5e-5)
    np.testing.assert_allclose(t.impurity[leaf], 0.0151, atol=5e-5)
    np.testing.assert_allclose(t.threshold[[0, 1, 4]], [0.1973, 0.0917, 0.7718], atol=5e-5)
    np.testing.assert_allclose(t.impurity[0], 0.0978, atol=5e-5)


def test_regression_tree_depth_three_thresholds():
    """Q6.4: max_depth=3 adds thresholds 0.0458, 0.1298, 0.2873 and 0.9040."""
    X, y = _noisy_quadratic()
    t = DecisionTreeRegressor(max_depth=3, random_state=42).fit(X, y).tree_
    depth3 = sorted(t.threshold[(t.feature >= 0)])
    for expected in [0.0458, 0.1298, 0.2873, 0.9040]:
        assert np.min(np.abs(np.array(depth3) - expected)) < 5e-5


@pytest.mark.slow
def test_exercise_7_moons_grid_search():
    """Q6.10: tuning max_leaf_nodes on moons (10,000, noise 0.4) gives 85-87% test accuracy."""
    X, y = make_moons(n_samples=10000, noise=0.4, random_state=42)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
    search = GridSearchCV(DecisionTreeClassifier(random_state=42), {"max_leaf_nodes": [4, 17, 64]}, cv=3)
    search.fit(X_train, y_train)
    assert search.best_params_["max_leaf_nodes"] == 17
    accuracy = search.best_estimator_.score(X_test, y_test)
    assert 0.85 <= accuracy <= 0.87
    np.testing.assert_allclose(accuracy, 0.8695, atol=1e-4)  # the notebook's number [NB][V]
