"""The level-wise exact builder (learnflow.tree._level_exact) grows scikit-learn's tree bit for bit.

Every fit runs three times: scikit-learn's DecisionTreeClassifier or
DecisionTreeRegressor (the oracle), learnflow with the depth-first builder,
and learnflow with the level-wise builder; the two learnflow trees must be
identical array for array, and equal to scikit-learn's.
"""

import numpy as np
import pytest
from sklearn import tree as sk_tree
from sklearn.datasets import load_digits, load_iris, make_blobs, make_moons

from learnflow import tree as lf_tree
from learnflow.tree import _classes, _level_exact

NODE_ARRAYS = (
    "children_left", "children_right", "feature", "threshold", "impurity", "n_node_samples",
    "weighted_n_node_samples", "value", "missing_go_to_left",
)


def _fit_learnflow(monkeypatch, builder, X, y, sample_weight, params, regression=False):
    """A learnflow fit with the builder forced to ``builder`` ("level" or "depth"); asserts which one ran."""
    calls = []

    def level_exact(*args, **kwargs):
        calls.append(True)
        return _level_exact.build_level_exact(*args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(_classes, "build_level_exact", level_exact)
        patch.setattr(_classes, "level_exact_applies", lambda ctx: builder == "level")
        estimator = lf_tree.DecisionTreeRegressor if regression else lf_tree.DecisionTreeClassifier
        model = estimator(**params).fit(X, y, sample_weight=sample_weight)
    assert bool(calls) == (builder == "level")
    return model


def _assert_identical(ours, reference):
    a, b = ours.tree_, reference.tree_
    assert a.node_count == b.node_count
    for name in NODE_ARRAYS:
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)


def _assert_matches_sklearn(ours, theirs, X):
    a, b = ours.tree_, theirs.tree_
    assert a.node_count == b.node_count
    for name in ("children_left", "children_right", "feature", "threshold", "n_node_samples",
                 "weighted_n_node_samples"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    scale = max(1.0, float(np.abs(b.impurity).max()), float(np.abs(b.value).max()))  # regression targets
    np.testing.assert_allclose(a.impurity, b.impurity, rtol=0, atol=1e-12 * scale)
    np.testing.assert_allclose(a.value, b.value, rtol=0, atol=1e-12 * scale)
    np.testing.assert_allclose(ours.predict(X), theirs.predict(X), rtol=0, atol=1e-12 * scale)
    np.testing.assert_allclose(ours.feature_importances_, theirs.feature_importances_, rtol=0, atol=1e-12)


def _check_all_three(monkeypatch, X, y, params, sample_weight=None, regression=False):
    level = _fit_learnflow(monkeypatch, "level", X, y, sample_weight, params, regression)
    depth = _fit_learnflow(monkeypatch, "depth", X, y, sample_weight, params, regression)
    oracle = sk_tree.DecisionTreeRegressor if regression else sk_tree.DecisionTreeClassifier
    theirs = oracle(**params).fit(X, y, sample_weight=sample_weight)
    _assert_identical(level, depth)
    np.testing.assert_array_equal(level.feature_importances_, depth.feature_importances_)
    np.testing.assert_array_equal(level.predict(X), depth.predict(X))
    if not regression:
        np.testing.assert_array_equal(level.predict_proba(X), depth.predict_proba(X))
    _assert_matches_sklearn(level, theirs, X)
    return level


def _integer_data(seed, n=400, n_features=5, n_classes=3, high=5):
    """Integer features with few values: many tied thresholds and tied features."""
    rng = np.random.RandomState(seed)
    X = rng.randint(0, high, size=(n, n_features)).astype(float)
    score = X[:, 0] + 0.5 * X[:, 1] - 0.3 * X[:, 2] + rng.normal(scale=1.0, size=n)
    y = np.digitize(score, np.quantile(score, np.linspace(0, 1, n_classes + 1)[1:-1]))
    return X, y


def _digits_like(seed, n=600):
    """Pixel-like integer features 0..16 with ten classes, mostly duplicate values."""
    X, y = load_digits(return_X_y=True)
    rng = np.random.RandomState(seed)
    rows = rng.choice(len(X), size=n, replace=False)
    return X[rows][:, [19, 20, 26, 28, 36, 42, 43, 53]], y[rows]


DATASETS = {
    "moons 0.3": lambda seed: make_moons(n_samples=800, noise=0.3, random_state=seed),
    "moons 0.4": lambda seed: make_moons(n_samples=500, noise=0.4, random_state=seed),
    "blobs": lambda seed: make_blobs(n_samples=600, centers=4, n_features=3, cluster_std=2.5, random_state=seed),
    "iris": lambda seed: load_iris(return_X_y=True),
    "integers, 3 classes": lambda seed: _integer_data(seed),
    "integers, 5 classes": lambda seed: _integer_data(seed, n_features=4, n_classes=5, high=4),
    "digits-like": _digits_like,
}

PARAMS = [
    {},
    {"criterion": "entropy"},
    {"criterion": "log_loss", "min_samples_leaf": 3},
    {"min_samples_leaf": 4},
    {"min_samples_split": 10},
    {"min_samples_split": 0.05, "min_samples_leaf": 0.01},
    {"max_depth": 6},
    {"min_impurity_decrease": 0.002},
    {"criterion": "entropy", "min_impurity_decrease": 0.001, "max_depth": 8},
]


@pytest.mark.parametrize("params", PARAMS, ids=repr)
@pytest.mark.parametrize("dataset", list(DATASETS))
def test_level_wise_tree_is_the_depth_first_and_sklearn_tree(monkeypatch, dataset, params):
    seed = PARAMS.index(params)  # a different data set and feature draw per case
    X, y = DATASETS[dataset](seed)
    _check_all_three(monkeypatch, X, y, {"random_state": seed, **params})


@pytest.mark.parametrize("weights", ["unit", "integer"])
@pytest.mark.parametrize("criterion", ["gini", "entropy"])
@pytest.mark.parametrize("dataset", ["moons 0.3", "integers, 3 classes", "digits-like"])
def test_sample_weights(monkeypatch, dataset, criterion, weights):
    X, y = DATASETS[dataset](1)
    rng = np.random.RandomState(7)
    sample_weight = np.ones(len(y)) if weights == "unit" else rng.randint(0, 4, size=len(y)).astype(float)
    _check_all_three(monkeypatch, X, y, {"criterion": criterion, "random_state": 2}, sample_weight)
    _check_all_three(monkeypatch, X, y, {"criterion": criterion, "random_state": 5, "min_weight_fraction_leaf": 0.01},
                     sample_weight)


@pytest.mark.parametrize(
    "strategy",
    [
        {},  # tied small nodes grown on every tied feature (variants)
        {"VARIANT_BUDGET": 0.0, "LEVEL_REGROW_MIN_SAMPLES": 10**9},  # ties regrown depth first
        {"VARIANT_BUDGET": 0.0, "LEVEL_REGROW_MIN_SAMPLES": 0},  # ties regrown level-wise
    ],
    ids=["variants", "depth-first regrowth", "level-wise regrowth"],
)
@pytest.mark.parametrize("dataset", ["moons 0.4", "integers, 5 classes", "digits-like", "regression: integers",
                                     "regression: few target values"])
def test_every_way_of_resolving_ties(monkeypatch, dataset, strategy):
    """Ties between features are resolved by scikit-learn's draw in the replay, whichever way is taken."""
    for name, value in strategy.items():
        monkeypatch.setattr(_level_exact, name, value)
    regrown = []
    regrow = _level_exact._regrow
    monkeypatch.setattr(_level_exact, "_regrow", lambda *args: regrown.append(args[3]) or regrow(*args))
    regression = dataset.startswith("regression: ")
    for seed in (0, 1, 2):
        X, y = (REGRESSION_DATASETS[dataset[12:]] if regression else DATASETS[dataset])(seed)
        _check_all_three(monkeypatch, X, y, {"random_state": seed}, regression=regression)
    if strategy:  # (with variants, only a spent budget leaves ties to regrow)
        assert regrown


def test_large_moons_fully_grown(monkeypatch):
    X, y = make_moons(n_samples=3000, noise=0.4, random_state=42)
    model = _check_all_three(monkeypatch, X, y, {"random_state": 0})
    assert model.tree_.node_count > 900
    _check_all_three(monkeypatch, X, y, {"random_state": 1, "max_depth": 10})


def test_many_features_and_classes(monkeypatch):
    """Digits (64 features, 10 classes: outside the automatic rule) still grows the same tree when forced."""
    X, y = load_digits(return_X_y=True)
    _check_all_three(monkeypatch, X[:800], y[:800], {"random_state": 1})


def _applies(X, y, sample_weight=None, **params):
    calls = []
    original = _classes.level_exact_applies

    def spy(ctx):
        calls.append(original(ctx))
        return calls[-1]

    _classes.level_exact_applies = spy
    try:
        lf_tree.DecisionTreeClassifier(**params).fit(X, y, sample_weight=sample_weight)
    finally:
        _classes.level_exact_applies = original
    return calls == [True]


def test_which_fits_take_the_level_wise_builder():
    X, y = make_moons(n_samples=_level_exact.MIN_LEVEL_SAMPLES, noise=0.3, random_state=0)
    assert _applies(X, y)
    assert _applies(X, y, criterion="entropy", max_depth=4, min_samples_leaf=2)
    assert _applies(X, y, sample_weight=np.arange(len(y)) % 3 + 1.0)
    assert _applies(*_integer_data(0, n=len(y), n_features=8, n_classes=5))
    assert not _applies(X, y, sample_weight=np.full(len(y), 0.5))  # non-integral weights
    assert not _applies(X, y, max_features=1)  # feature subsampling
    assert not _applies(X, y, splitter="random")
    assert not _applies(X, y, max_leaf_nodes=10)  # best-first growth
    X_nan = X.copy()
    X_nan[0, 0] = np.nan
    assert not _applies(X_nan, y)
    assert not _applies(X, np.column_stack([y, y]))  # several outputs
    assert not _applies(X[:500], y[:500]) and not _applies(*load_iris(return_X_y=True))  # small: depth first is faster
    assert not _applies(*load_digits(return_X_y=True))  # 64 features x 11 statistics: too wide


# -- squared-error regression (integral targets: every sum exact) ---------------------------------------


def _integer_regression(seed, n=500, n_features=4, high=6, scale=1000.0):
    """Integer features with few values and integral targets: tied thresholds, features and proxies."""
    rng = np.random.RandomState(seed)
    X = rng.randint(0, high, size=(n, n_features)).astype(float)
    y = np.round(scale * (X[:, 0] - 0.5 * X[:, 1] + 0.3 * X[:, 2] + rng.normal(size=n)))
    return X, y


REGRESSION_DATASETS = {
    "integers": _integer_regression,
    "few target values": lambda seed: _integer_regression(seed, n=400, n_features=5, high=4, scale=0.7),
    # continuous features, prices in the hundreds of thousands (as the housing targets)
    "moons, large targets": lambda seed: (
        make_moons(n_samples=600, noise=0.3, random_state=seed)[0],
        np.round(1e5 * (2.0 + make_moons(n_samples=600, noise=0.3, random_state=seed)[0].sum(axis=1))),
    ),
}

REGRESSION_PARAMS = [
    {},
    {"max_depth": 5},
    {"min_samples_leaf": 3},
    {"min_samples_split": 12, "max_depth": 9},
    {"min_impurity_decrease": 20.0},
    {"min_weight_fraction_leaf": 0.01},
]


@pytest.mark.parametrize("params", REGRESSION_PARAMS, ids=repr)
@pytest.mark.parametrize("dataset", list(REGRESSION_DATASETS))
def test_level_wise_regressor_is_the_depth_first_and_sklearn_tree(monkeypatch, dataset, params):
    seed = REGRESSION_PARAMS.index(params)
    X, y = REGRESSION_DATASETS[dataset](seed)
    _check_all_three(monkeypatch, X, y, {"random_state": seed, **params}, regression=True)


@pytest.mark.parametrize("dataset", ["integers", "moons, large targets"])
def test_regressor_sample_weights(monkeypatch, dataset):
    X, y = REGRESSION_DATASETS[dataset](1)
    sample_weight = np.random.RandomState(7).randint(0, 4, size=len(y)).astype(float)
    _check_all_three(monkeypatch, X, y, {"random_state": 2}, sample_weight, regression=True)
    _check_all_three(monkeypatch, X, y, {"random_state": 5, "min_weight_fraction_leaf": 0.02}, sample_weight,
                     regression=True)


def _regressor_applies(X, y, sample_weight=None, **params):
    calls = []
    original = _classes.level_exact_applies
    _classes.level_exact_applies = lambda ctx: calls.append(original(ctx)) or calls[-1]
    try:
        lf_tree.DecisionTreeRegressor(**params).fit(X, y, sample_weight=sample_weight)
    finally:
        _classes.level_exact_applies = original
    return calls == [True]


def test_which_regressors_take_the_level_wise_builder():
    X, y = _integer_regression(0, n=_level_exact.MIN_LEVEL_SAMPLES)
    assert _regressor_applies(X, y)
    assert _regressor_applies(X, y, max_depth=6, sample_weight=np.arange(len(y)) % 3 + 1.0)
    assert not _regressor_applies(X, y + 0.25)  # non-integral targets: sums (and ties) depend on the order
    assert not _regressor_applies(X, y * 2.0**40)  # integral, but sums of w y^2 beyond 2**53
    assert not _regressor_applies(X, np.abs(y) + 1.0, criterion="poisson", max_depth=2)
    assert not _regressor_applies(X, y, splitter="random", max_depth=4)
    assert not _regressor_applies(X, y, max_features=2)
    assert not _regressor_applies(X, np.column_stack([y, y]), max_depth=4)
    assert not _regressor_applies(X[:500], y[:500])
