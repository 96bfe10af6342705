"""learnflow's trees against scikit-learn's on the same data and seeds: identical tree_ arrays."""

import numpy as np
import pytest
from sklearn import tree as sk_tree

from learnflow import tree as lf_tree


def assert_same_tree(ours, theirs, *, impurity_tol=1e-10):
    a, b = ours.tree_, theirs.tree_
    assert a.node_count == b.node_count
    np.testing.assert_array_equal(a.children_left, b.children_left)
    np.testing.assert_array_equal(a.children_right, b.children_right)
    np.testing.assert_array_equal(a.feature, b.feature)
    np.testing.assert_allclose(a.threshold, b.threshold, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(a.n_node_samples, b.n_node_samples)
    np.testing.assert_allclose(a.weighted_n_node_samples, b.weighted_n_node_samples, rtol=1e-12)
    np.testing.assert_allclose(a.value, b.value, rtol=0, atol=1e-12)
    np.testing.assert_allclose(a.impurity, b.impurity, rtol=0, atol=impurity_tol)
    internal = a.children_left != -1
    np.testing.assert_array_equal(a.missing_go_to_left[internal], b.missing_go_to_left[internal])
    assert a.max_depth == b.max_depth
    assert a.n_leaves == b.n_leaves


def _classification(seed, n=120, n_features=4, n_classes=3, nan_fraction=0.0, discrete=False):
    rng = np.random.RandomState(seed)
    X = rng.randint(0, 6, size=(n, n_features)).astype(float) if discrete else rng.normal(size=(n, n_features))
    y = (X[:, 0] + 0.5 * X[:, 1] + rng.normal(scale=0.7, size=n) > 0).astype(int)
    if n_classes > 2:
        y = np.digitize(X[:, 0] + X[:, 1] + rng.normal(scale=0.8, size=n), [-0.7, 0.7])
    if nan_fraction:
        X[rng.rand(*X.shape) < nan_fraction] = np.nan
    return X, y


def _regression(seed, n=120, n_features=4, n_outputs=1, nan_fraction=0.0):
    rng = np.random.RandomState(seed)
    X = rng.uniform(-2, 2, size=(n, n_features))
    y = np.sin(X[:, 0]) + X[:, 1] ** 2 / 4 + rng.normal(scale=0.2, size=n)
    if n_outputs > 1:
        y = np.column_stack([y, np.cos(X[:, 2]) + rng.normal(scale=0.1, size=n)])
    if nan_fraction:
        X[rng.rand(*X.shape) < nan_fraction] = np.nan
    return X, y


CLASSIFIER_CASES = [
    {},
    {"criterion": "entropy"},
    {"criterion": "log_loss", "max_depth": 3},
    {"min_samples_leaf": 5},
    {"min_samples_leaf": 0.05, "min_samples_split": 0.1},
    {"max_leaf_nodes": 7},
    {"max_leaf_nodes": 12, "criterion": "entropy"},
    {"class_weight": "balanced"},
    {"class_weight": {0: 1.0, 1: 3.0, 2: 0.5}},
    {"min_weight_fraction_leaf": 0.05},
    {"min_impurity_decrease": 0.01},
    {"max_features": 2},
    {"max_features": "sqrt", "max_depth": 4},
    {"splitter": "random"},
    {"splitter": "random", "max_features": 2, "min_samples_leaf": 3},
    {"ccp_alpha": 0.01},
]


@pytest.mark.parametrize("params", CLASSIFIER_CASES, ids=lambda p: repr(p))
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_classifier_matches_sklearn(params, seed):
    X, y = _classification(seed)
    ours = lf_tree.DecisionTreeClassifier(random_state=seed, **params).fit(X, y)
    theirs = sk_tree.DecisionTreeClassifier(random_state=seed, **params).fit(X, y)
    assert_same_tree(ours, theirs)
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))
    np.testing.assert_allclose(ours.predict_proba(X), theirs.predict_proba(X), atol=1e-12)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_classifier_ties_on_discrete_data_match_sklearn(seed):
    """Many exactly tied splits: sklearn's feature draw order decides, and we replay it."""
    X, y = _classification(seed, discrete=True)
    ours = lf_tree.DecisionTreeClassifier(random_state=seed).fit(X, y)
    theirs = sk_tree.DecisionTreeClassifier(random_state=seed).fit(X, y)
    assert_same_tree(ours, theirs)


@pytest.mark.parametrize("params", [{}, {"splitter": "random"}, {"max_leaf_nodes": 9}, {"criterion": "entropy"}])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_classifier_with_missing_values_matches_sklearn(params, seed):
    X, y = _classification(seed, nan_fraction=0.15)
    ours = lf_tree.DecisionTreeClassifier(random_state=seed, **params).fit(X, y)
    theirs = sk_tree.DecisionTreeClassifier(random_state=seed, **params).fit(X, y)
    assert_same_tree(ours, theirs)
    X_test, _ = _classification(seed + 100, nan_fraction=0.3)
    np.testing.assert_array_equal(ours.predict(X_test), theirs.predict(X_test))


def test_unseen_missing_values_follow_the_larger_child():
    X, y = _classification(5)
    ours = lf_tree.DecisionTreeClassifier(random_state=0).fit(X, y)
    theirs = sk_tree.DecisionTreeClassifier(random_state=0).fit(X, y)
    X_test = X.copy()
    X_test[::3, 0] = np.nan
    X_test[1::3, 1] = np.nan
    np.testing.assert_array_equal(ours.predict(X_test), theirs.predict(X_test))


def test_sample_weight_and_multi_output_classifier():
    X, y = _classification(3)
    y2 = np.column_stack([y, (X[:, 2] > 0).astype(int)])
    weight = np.random.RandomState(0).randint(0, 4, size=len(y)).astype(float)
    ours = lf_tree.DecisionTreeClassifier(random_state=0).fit(X, y2, sample_weight=weight)
    theirs = sk_tree.DecisionTreeClassifier(random_state=0).fit(X, y2, sample_weight=weight)
    assert_same_tree(ours, theirs)
    for p, q in zip(ours.predict_proba(X), theirs.predict_proba(X)):
        np.testing.assert_allclose(p, q, atol=1e-12)
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))


# Regression trees are compared to a moderate depth: in nodes of a handful of
# samples two features often isolate the same samples, an exact tie that
# scikit-learn breaks by float rounding of sums taken in its in-place sample
# order (see learnflow.tree._splitter); deeper trees are compared by predictions.
REGRESSOR_CASES = [
    {"max_depth": 5},
    {"max_depth": 3},
    {"min_samples_leaf": 4},
    {"max_leaf_nodes": 10},
    {"min_impurity_decrease": 0.005},
    {"criterion": "absolute_error", "max_depth": 4},
    {"criterion": "poisson", "max_depth": 4},
    {"splitter": "random", "max_depth": 3},
    {"max_features": 0.5, "max_depth": 4},
    {"ccp_alpha": 0.002},
]


@pytest.mark.parametrize("params", REGRESSOR_CASES, ids=lambda p: repr(p))
@pytest.mark.parametrize("seed", [0, 1])
def test_regressor_matches_sklearn(params, seed):
    X, y = _regression(seed)
    if params.get("criterion") == "poisson":
        y = np.exp(y / 2)
    ours = lf_tree.DecisionTreeRegressor(random_state=seed, **params).fit(X, y)
    theirs = sk_tree.DecisionTreeRegressor(random_state=seed, **params).fit(X, y)
    assert_same_tree(ours, theirs, impurity_tol=1e-9)
    np.testing.assert_allclose(ours.predict(X), theirs.predict(X), atol=1e-12)


@pytest.mark.parametrize("seed", [0, 1])
def test_regressor_multi_output_weights_and_missing(seed):
    X, y = _regression(seed, n_outputs=2, nan_fraction=0.1)
    weight = np.random.RandomState(seed).uniform(0.5, 2.0, size=len(X))
    ours = lf_tree.DecisionTreeRegressor(random_state=seed, max_depth=4).fit(X, y, sample_weight=weight)
    theirs = sk_tree.DecisionTreeRegressor(random_state=seed, max_depth=4).fit(X, y, sample_weight=weight)
    assert_same_tree(ours, theirs, impurity_tol=1e-9)
    np.testing.assert_allclose(ours.predict(X), theirs.predict(X), atol=1e-12)


@pytest.mark.parametrize("seed", [0, 1])
def test_extra_trees_match_sklearn(seed):
    X, y = _classification(seed)
    assert_same_tree(
        lf_tree.ExtraTreeClassifier(random_state=seed).fit(X, y), sk_tree.ExtraTreeClassifier(random_state=seed).fit(X, y)
    )
    X, y = _regression(seed)
    assert_same_tree(
        lf_tree.ExtraTreeRegressor(random_state=seed, max_depth=3).fit(X, y),
        sk_tree.ExtraTreeRegressor(random_state=seed, max_depth=3).fit(X, y),
        impurity_tol=1e-9,
    )


def test_cost_complexity_pruning_path_matches_sklearn():
    X, y = _classification(4)
    ours = lf_tree.DecisionTreeClassifier(random_state=0).cost_complexity_pruning_path(X, y)
    theirs = sk_tree.DecisionTreeClassifier(random_state=0).cost_complexity_pruning_path(X, y)
    np.testing.assert_allclose(ours.ccp_alphas, theirs.ccp_alphas, atol=1e-12)
    np.testing.assert_allclose(ours.impurities, theirs.impurities, atol=1e-12)


def test_apply_decision_path_importances_match_sklearn():
    X, y = _classification(6)
    ours = lf_tree.DecisionTreeClassifier(random_state=0, max_depth=5).fit(X, y)
    theirs = sk_tree.DecisionTreeClassifier(random_state=0, max_depth=5).fit(X, y)
    np.testing.assert_array_equal(ours.apply(X), theirs.apply(X))
    assert (ours.decision_path(X) != theirs.decision_path(X)).nnz == 0
    assert ours.decision_path(X).format == "csr"
    np.testing.assert_allclose(ours.feature_importances_, theirs.feature_importances_, atol=1e-12)
    assert ours.get_depth() == theirs.get_depth() and ours.get_n_leaves() == theirs.get_n_leaves()
    assert ours.max_features_ == theirs.max_features_


def test_fully_grown_regression_trees_agree_with_sklearn():
    X, y = _regression(0, n=300)
    X_test, _ = _regression(1, n=300)
    ours = lf_tree.DecisionTreeRegressor(random_state=0).fit(X, y)
    theirs = sk_tree.DecisionTreeRegressor(random_state=0).fit(X, y)
    np.testing.assert_allclose(ours.predict(X), y)  # both interpolate the training set
    assert abs(ours.tree_.node_count - theirs.tree_.node_count) <= 10
    rmse = np.sqrt(np.mean((ours.predict(X_test) - theirs.predict(X_test)) ** 2))
    assert rmse < 0.1 * np.std(y)


# The presorted search (learnflow.tree._splitter): no per-node sort, candidates of every
# feature scored at once, the winner picked in scikit-learn's visiting order. Digits has
# 10 classes, 64 features and many tied pixel values (ties between features and positions).
@pytest.mark.parametrize(
    "params", [{}, {"max_features": 20}, {"max_leaf_nodes": 40}, {"criterion": "entropy", "max_depth": 6, "min_samples_leaf": 3}],
    ids=lambda p: repr(p),
)
def test_fully_grown_digits_trees_match_sklearn(params):
    from sklearn.datasets import load_digits

    X, y = load_digits(return_X_y=True)
    ours = lf_tree.DecisionTreeClassifier(random_state=1, **params).fit(X, y)
    theirs = sk_tree.DecisionTreeClassifier(random_state=1, **params).fit(X, y)
    assert_same_tree(ours, theirs)


def test_digits_with_integer_sample_weights_match_sklearn():
    from sklearn.datasets import load_digits

    X, y = load_digits(return_X_y=True)
    weight = np.random.RandomState(0).randint(0, 4, size=len(y)).astype(float)
    ours = lf_tree.DecisionTreeClassifier(random_state=0).fit(X, y, sample_weight=weight)
    theirs = sk_tree.DecisionTreeClassifier(random_state=0).fit(X, y, sample_weight=weight)
    assert_same_tree(ours, theirs)


def _spy_class_sums_by_group(monkeypatch):
    """Records what each call of _class_sums_by_group returned (None: it left the search to the running sums)."""
    from learnflow.tree import _splitter

    results = []
    original = _splitter._class_sums_by_group
    monkeypatch.setattr(_splitter, "_class_sums_by_group", lambda *a: results.append(original(*a)) or results[-1])
    return results


def test_class_sums_by_group_on_discrete_rows_match_sklearn(monkeypatch):
    """Rows of few distinct values (digits' 17 pixel levels) sum the class weights per group of equal
    values (_class_sums_by_group): under integral weights (exact sums) the entropy tree is scikit-learn's."""
    from sklearn.datasets import load_digits

    X, y = load_digits(return_X_y=True)
    weight = np.random.RandomState(0).randint(1, 4, size=len(y)).astype(float)
    grouped = _spy_class_sums_by_group(monkeypatch)
    ours = lf_tree.DecisionTreeClassifier(criterion="entropy", random_state=0).fit(X, y, sample_weight=weight)
    assert any(sums is not None for sums in grouped)
    theirs = sk_tree.DecisionTreeClassifier(criterion="entropy", random_state=0).fit(X, y, sample_weight=weight)
    assert_same_tree(ours, theirs)


@pytest.mark.parametrize("criterion", ["gini", "entropy"])
def test_class_sums_by_group_with_real_weights_split_as_the_running_sums(monkeypatch, criterion):
    """Boosting's real-valued weights: the grouped sums split the samples as the per-position running sums
    (a tie between features that make the same partition may go to either), and predict as scikit-learn."""
    from sklearn.datasets import load_digits

    from learnflow.tree import _splitter

    X, y = load_digits(return_X_y=True)
    weight = np.random.RandomState(0).uniform(0.1, 2.0, size=len(y))
    grouped = _spy_class_sums_by_group(monkeypatch)
    ours = lf_tree.DecisionTreeClassifier(criterion=criterion, random_state=0).fit(X, y, sample_weight=weight)
    assert any(sums is not None for sums in grouped)
    monkeypatch.setattr(_splitter, "_class_sums_by_group", lambda *a: None)
    running = lf_tree.DecisionTreeClassifier(criterion=criterion, random_state=0).fit(X, y, sample_weight=weight)
    for name in ("children_left", "children_right", "n_node_samples", "weighted_n_node_samples", "value", "impurity"):
        np.testing.assert_allclose(getattr(ours.tree_, name), getattr(running.tree_, name), rtol=0, atol=1e-12)
    theirs = sk_tree.DecisionTreeClassifier(criterion=criterion, random_state=0).fit(X, y, sample_weight=weight)
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))


@pytest.mark.parametrize("params", [{}, {"max_features": 2}, {"max_leaf_nodes": 50}], ids=lambda p: repr(p))
def test_fully_grown_integer_target_regression_matches_sklearn(params):
    """Integer targets and unit weights: every sum is exact, so even deep ties break as in scikit-learn."""
    rng = np.random.RandomState(0)
    X = rng.uniform(-2, 2, size=(400, 4))
    y = np.round(100 * (np.sin(X[:, 0]) + X[:, 1] ** 2 / 4 + rng.normal(scale=0.2, size=400)))
    X[rng.rand(*X.shape) < 0.05] = np.nan
    ours = lf_tree.DecisionTreeRegressor(random_state=0, **params).fit(X, y)
    theirs = sk_tree.DecisionTreeRegressor(random_state=0, **params).fit(X, y)
    assert_same_tree(ours, theirs, impurity_tol=0.0)


@pytest.mark.parametrize("params", [{}, {"max_features": "sqrt"}], ids=lambda p: repr(p))
def test_mnist_trees_match_sklearn(mnist_dir, params):
    """784 features: the feature draw is scikit-learn's for any number of features."""
    from learnflow.datasets import fetch_mnist

    X, y = fetch_mnist(data_home=mnist_dir, subset="test", return_X_y=True, download_if_missing=False)
    X, y = np.asarray(X[:1000], dtype=np.float64), np.asarray(y[:1000])
    ours = lf_tree.DecisionTreeClassifier(random_state=42, **params).fit(X, y)
    theirs = sk_tree.DecisionTreeClassifier(random_state=42, **params).fit(X, y)
    assert_same_tree(ours, theirs)


def test_deprecated_friedman_mse_grows_the_squared_error_tree_as_sklearn():
    X, y = _regression(0)
    with pytest.warns(FutureWarning, match="friedman_mse"):
        ours = lf_tree.DecisionTreeRegressor(criterion="friedman_mse", random_state=0).fit(X, y)
    with pytest.warns(FutureWarning, match="friedman_mse"):
        theirs = sk_tree.DecisionTreeRegressor(criterion="friedman_mse", random_state=0).fit(X, y)
    assert_same_tree(ours, theirs)
    assert ours.criterion == "friedman_mse"  # the parameter is left as given (get_params round-trips)


@pytest.mark.parametrize("searched_in", ["python", "numpy"])
@pytest.mark.parametrize("kind", ["gini weighted", "extra weighted", "squared error weighted, NaN"])
def test_small_nodes_searched_in_python_match_sklearn(monkeypatch, kind, searched_in):
    """Small nodes are scanned in plain Python (see learnflow.tree._splitter); both searches give scikit-learn's tree."""
    from learnflow.tree import _splitter

    if searched_in == "numpy":
        monkeypatch.setattr(_splitter, "PY_MAX_NODE_WORK", 0)
    rng = np.random.RandomState(3)
    weight = rng.randint(1, 4, size=300).astype(float)  # integer weights, as a forest's bootstrap counts
    if kind.startswith("squared"):
        X, y = _regression(3, n=300, nan_fraction=0.02)
        ours = lf_tree.DecisionTreeRegressor(max_features=2, random_state=5)
        theirs = sk_tree.DecisionTreeRegressor(max_features=2, random_state=5)
    else:
        X, y = _classification(3, n=300, discrete=True)
        name = "ExtraTreeClassifier" if kind.startswith("extra") else "DecisionTreeClassifier"
        ours = getattr(lf_tree, name)(max_features=2, random_state=5)
        theirs = getattr(sk_tree, name)(max_features=2, random_state=5)
    ours.fit(X, y, sample_weight=weight)
    theirs.fit(X, y, sample_weight=weight)
    assert_same_tree(ours, theirs, impurity_tol=1e-9)
