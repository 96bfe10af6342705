"""Forests against scikit-learn: held-out scores, importances, OOB, bootstrap draws, tree structure.

Small CPU forests grow with the exact builder (scikit-learn's trees: the forest equals scikit-learn's,
tested exactly). The others grow with the level-wise builder (``learnflow.tree._level_builder``), which
draws its features and Extra-Trees thresholds from its own counter-based generator instead of replaying
scikit-learn's per-node stream: the trees are not scikit-learn's trees, so forests are compared by
*quality* on held-out data (issue 3's tolerance: 0.5 accuracy point, 1% RMSE; where scikit-learn's own
spread between seeds is larger than that, the spread is the tolerance), while the bootstrap draws
(``estimators_samples_``), a single full CART tree and the exact-builder fallbacks stay identical.
Tests of the level-wise builder itself use the ``level_builder`` fixture (no exact routing).
"""

import numpy as np
import pytest
import torch
from sklearn import ensemble as sk_ensemble
from sklearn import tree as sk_tree

from learnflow import config_context, ensemble
from learnflow.datasets import load_housing, load_iris, make_moons
from learnflow.model_selection import train_test_split
from learnflow.tree import DecisionTreeClassifier, DecisionTreeRegressor, ExtraTreeClassifier, export_text
from tests._devices import DEVICES

CLASSIFIERS = ["RandomForestClassifier", "ExtraTreesClassifier"]
REGRESSORS = ["RandomForestRegressor", "ExtraTreesRegressor"]
SEEDS = (42, 43, 44, 45, 46)


@pytest.fixture(scope="module")
def moons():
    X, y = make_moons(n_samples=1200, noise=0.3, random_state=0)
    return train_test_split(X, y, random_state=0)


@pytest.fixture(scope="module")
def regression():
    rng = np.random.RandomState(0)
    X = rng.rand(1000, 4)
    y = 3 * X[:, 0] + np.sin(4 * X[:, 1]) + 0.1 * rng.randn(1000)
    return train_test_split(X, y, random_state=0)


@pytest.fixture
def level_builder(monkeypatch):
    """Grow every forest level-wise (small CPU forests use the exact builder otherwise)."""
    from learnflow.ensemble import _forest

    monkeypatch.setattr(_forest, "_EXACT_MAX_WORK", 0)
    monkeypatch.setattr(_forest, "_TINY_GINI_DATA", 0)


def _fits(module, name, X_train, y_train, seeds, **params):
    return [getattr(module, name)(random_state=s, **params).fit(X_train, y_train) for s in seeds]


def _assert_same_distribution(ours, theirs, floor):
    """Our values (3 seeds) against scikit-learn's (5 seeds), per component.

    Our forests draw differently from scikit-learn's, so one seed is compared with none in particular:
    the means must agree within the issue's tolerance ``floor`` or, where scikit-learn's own seeds
    scatter more, within two standard deviations of the difference of the two means.
    """
    ours, theirs = np.asarray(ours, dtype=float), np.asarray(theirs, dtype=float)
    band = 2.0 * np.std(theirs, axis=0, ddof=1) * np.sqrt(1 / len(ours) + 1 / len(theirs))
    np.testing.assert_array_less(np.abs(ours.mean(axis=0) - theirs.mean(axis=0)), np.maximum(floor, band) + 1e-12)


def _rmse(model, X, y):
    return float(np.sqrt(np.mean((model.predict(X) - y) ** 2)))


@pytest.mark.parametrize("name", CLASSIFIERS)
@pytest.mark.parametrize("params", [
    {},
    {"criterion": "entropy", "min_samples_leaf": 5},
    {"class_weight": "balanced_subsample", "bootstrap": True, "max_depth": 4},
])
def test_classifier_accuracy_close_to_sklearn(moons, name, params):
    X_train, X_test, y_train, y_test = moons
    ours = _fits(ensemble, name, X_train, y_train, SEEDS[:3], n_estimators=20, **params)
    theirs = _fits(sk_ensemble, name, X_train, y_train, SEEDS, n_estimators=20, **params)
    _assert_same_distribution([m.score(X_test, y_test) for m in ours], [m.score(X_test, y_test) for m in theirs], 0.005)
    _assert_same_distribution([m.feature_importances_ for m in ours], [m.feature_importances_ for m in theirs], 0.02)
    assert ours[0].apply(X_test).shape == theirs[0].apply(X_test).shape


@pytest.mark.parametrize("name", CLASSIFIERS)
def test_oob_and_bootstrap_draws_match_sklearn(moons, name):
    X_train, X_test, y_train, y_test = moons
    params = dict(n_estimators=20, bootstrap=True, oob_score=True, max_samples=0.5)
    ours = _fits(ensemble, name, X_train, y_train, SEEDS[:3], **params)
    theirs = _fits(sk_ensemble, name, X_train, y_train, SEEDS, **params)
    for a, b in zip(ours[0].estimators_samples_, theirs[0].estimators_samples_):  # scikit-learn's draws, replayed
        np.testing.assert_array_equal(a, b)
    _assert_same_distribution([m.oob_score_ for m in ours], [m.oob_score_ for m in theirs], 0.005)
    assert ours[0].oob_decision_function_.shape == theirs[0].oob_decision_function_.shape


@pytest.mark.parametrize("name", REGRESSORS)
def test_regressor_rmse_close_to_sklearn(regression, name):
    X_train, X_test, y_train, y_test = regression
    kw = dict(n_estimators=20, bootstrap=True, oob_score=True, max_features=0.5)
    ours = _fits(ensemble, name, X_train, y_train, SEEDS[:3], **kw)
    theirs = _fits(sk_ensemble, name, X_train, y_train, SEEDS, **kw)
    sk_rmse = np.mean([_rmse(m, X_test, y_test) for m in theirs])
    _assert_same_distribution([_rmse(m, X_test, y_test) for m in ours], [_rmse(m, X_test, y_test) for m in theirs],
                              0.01 * sk_rmse)
    _assert_same_distribution([m.oob_score_ for m in ours], [m.oob_score_ for m in theirs], 0.01)


@pytest.mark.parametrize("name", CLASSIFIERS)
def test_iris(name):
    iris = load_iris()
    X_train, X_test, y_train, y_test = train_test_split(
        iris.data, iris.target, stratify=iris.target, random_state=0
    )
    ours = getattr(ensemble, name)(n_estimators=100, random_state=42).fit(X_train, y_train)
    theirs = getattr(sk_ensemble, name)(n_estimators=100, random_state=42).fit(X_train, y_train)
    assert abs(ours.score(X_test, y_test) - theirs.score(X_test, y_test)) <= 0.005
    np.testing.assert_allclose(ours.feature_importances_, theirs.feature_importances_, atol=0.05)


@pytest.mark.parametrize("name", REGRESSORS)
def test_housing_rmse_within_one_percent(name):
    frame = load_housing(as_frame=True).frame.dropna().iloc[:2000]
    X = frame.drop(columns=["ocean_proximity", "median_house_value"]).to_numpy(dtype=np.float64)
    y = frame["median_house_value"].to_numpy(dtype=np.float64)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=42)
    ours = _fits(ensemble, name, X_train, y_train, SEEDS[:3], n_estimators=10, n_jobs=-1)
    theirs = _fits(sk_ensemble, name, X_train, y_train, SEEDS, n_estimators=10, n_jobs=-1)
    sk_rmse = np.mean([_rmse(m, X_test, y_test) for m in theirs])
    _assert_same_distribution([_rmse(m, X_test, y_test) for m in ours], [_rmse(m, X_test, y_test) for m in theirs],
                              0.01 * sk_rmse)


@pytest.mark.parametrize("kind", ["clf", "reg"])
def test_one_full_tree_equals_sklearn_cart(moons, regression, kind, level_builder):
    """No bootstrap, every feature: the level-wise tree is scikit-learn's CART tree.

    Both search the same candidate thresholds (midpoints of consecutive distinct values), so the
    partitions are the same; where two features separate a small node's samples identically, the two
    libraries may name different (feature, threshold) pairs, so the comparison is on the partition
    (node sizes, impurities, training predictions) and on the splits of nodes larger than 20 samples.
    """
    if kind == "clf":
        X_train, _, y_train, _ = moons
        ours = ensemble.RandomForestClassifier(n_estimators=1, bootstrap=False, max_features=None, max_depth=6)
        theirs = sk_tree.DecisionTreeClassifier(max_depth=6, random_state=0)
        predict = "predict_proba"
    else:
        X_train, _, y_train, _ = regression
        ours = ensemble.RandomForestRegressor(n_estimators=1, bootstrap=False)
        theirs = sk_tree.DecisionTreeRegressor(random_state=0)
        predict = "predict"
    ours.set_params(random_state=0).fit(X_train, y_train)
    theirs.fit(X_train, y_train)
    np.testing.assert_allclose(getattr(ours, predict)(X_train), getattr(theirs, predict)(X_train), atol=1e-9)
    t, s = ours.estimators_[0].tree_, theirs.tree_
    assert (t.node_count, t.max_depth) == (s.node_count, s.max_depth)
    np.testing.assert_array_equal(np.sort(t.n_node_samples), np.sort(s.n_node_samples))
    np.testing.assert_allclose(np.sort(t.impurity), np.sort(s.impurity), rtol=1e-7, atol=1e-9)  # sums' rounding
    big_t, big_s = (t.n_node_samples > 20) & (t.feature >= 0), (s.n_node_samples > 20) & (s.feature >= 0)
    np.testing.assert_array_equal(np.sort(t.threshold[big_t]), np.sort(s.threshold[big_s]))


@pytest.mark.parametrize("name", CLASSIFIERS)
@pytest.mark.parametrize("max_leaf_nodes", [None, 9])
def test_members_are_valid_trees(moons, name, max_leaf_nodes, level_builder):
    X_train, X_test, y_train, _ = moons
    params = dict(min_samples_leaf=3, max_depth=6, min_impurity_decrease=0.001, min_weight_fraction_leaf=0.01,
                  max_leaf_nodes=max_leaf_nodes)
    forest = getattr(ensemble, name)(n_estimators=5, bootstrap=True, random_state=0, **params).fit(X_train, y_train)
    member_type = DecisionTreeClassifier if name.startswith("Random") else ExtraTreeClassifier
    for member in forest.estimators_:
        assert type(member) is member_type
        t = member.tree_
        leaf = t.children_left == -1
        inner = ~leaf
        left, right = t.children_left[inner], t.children_right[inner]
        assert (left > np.flatnonzero(inner)).all() and (right > np.flatnonzero(inner)).all()
        np.testing.assert_array_equal(t.n_node_samples[inner], t.n_node_samples[left] + t.n_node_samples[right])
        np.testing.assert_allclose(t.weighted_n_node_samples[inner],
                                   t.weighted_n_node_samples[left] + t.weighted_n_node_samples[right])
        assert (t.feature[leaf] == -2).all() and (t.feature[inner] >= 0).all()
        if not inner.any():
            continue
        np.testing.assert_allclose(t.value.sum(axis=2), 1.0)
        assert t.n_node_samples[leaf].min() >= 3 and member.get_depth() <= 6
        assert member.get_n_leaves() == leaf.sum() <= (max_leaf_nodes or t.node_count)
        depth = np.zeros(t.node_count, dtype=int)
        for node in np.flatnonzero(inner):
            depth[t.children_left[node]] = depth[t.children_right[node]] = depth[node] + 1
        assert member.get_depth() == depth.max()
        w = t.weighted_n_node_samples
        assert w[leaf].min() >= 0.01 * w[0] - 1e-9
        decrease = (w[inner] * t.impurity[inner] - w[left] * t.impurity[left] - w[right] * t.impurity[right]) / w[0]
        assert decrease.min() >= 0.001 - 1e-9
        proba = member.predict_proba(X_test)
        np.testing.assert_allclose(proba, t.value[member.apply(X_test), 0])
        assert member.decision_path(X_test).shape == (len(X_test), t.node_count)
    assert "class:" in export_text(forest.estimators_[0])


@pytest.mark.parametrize("name, params, n_samples", [
    ("RandomForestClassifier", {"n_estimators": 20}, 300),
    ("RandomForestClassifier", {"n_estimators": 10, "criterion": "entropy", "max_samples": 0.7}, 80),
    ("ExtraTreesClassifier", {"n_estimators": 10}, 300),
    ("RandomForestRegressor", {"n_estimators": 10}, 60),
    ("RandomForestClassifier", {"n_estimators": 200}, 150),  # tiny Gini data, whatever the number of trees
])
def test_small_forests_are_sklearns(name, params, n_samples):
    """Small CPU forests grow with the exact builder: scikit-learn's forest, tree for tree."""
    X, y = make_moons(n_samples=n_samples, noise=0.3, random_state=42)
    if name.endswith("Regressor"):
        y = X[:, 0] ** 2 + np.sin(3 * X[:, 1]) + 0.1 * np.random.RandomState(0).randn(len(X))
    ours = getattr(ensemble, name)(random_state=42, **params).fit(X, y)
    theirs = getattr(sk_ensemble, name)(random_state=42, **params).fit(X, y)
    X_new = np.random.RandomState(1).uniform(-1.5, 2.5, size=(200, 2))
    if name.endswith("Classifier"):
        np.testing.assert_allclose(ours.predict_proba(X_new), theirs.predict_proba(X_new), atol=1e-6)
    else:
        np.testing.assert_allclose(ours.predict(X_new), theirs.predict(X_new), rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(ours.feature_importances_, theirs.feature_importances_, atol=1e-6)
    for a, b in zip(ours.estimators_, theirs.estimators_):
        assert a.tree_.node_count == b.tree_.node_count


def test_small_max_leaf_nodes_forests_are_sklearns(moons):
    """A small forest with max_leaf_nodes grows best first with the exact builder: scikit-learn's trees."""
    X_train, X_test, y_train, _ = moons
    ours = ensemble.RandomForestClassifier(n_estimators=3, max_leaf_nodes=8, random_state=7).fit(X_train, y_train)
    theirs = sk_ensemble.RandomForestClassifier(n_estimators=3, max_leaf_nodes=8, random_state=7).fit(X_train, y_train)
    np.testing.assert_allclose(ours.predict_proba(X_test), theirs.predict_proba(X_test), atol=1e-12)


@pytest.mark.parametrize("kind, max_leaf_nodes", [("clf", 2), ("clf", 5), ("clf", 16), ("reg", 2), ("reg", 16),
                                                   ("reg", 60)])
def test_level_wise_best_first_tree_is_sklearns(moons, regression, kind, max_leaf_nodes, level_builder):
    """No bootstrap, every feature: the level-wise builder's max_leaf_nodes tree is scikit-learn's best-first
    tree (the same splits; node ids differ: breadth first here, in expansion order there). Not with equal
    improvements in competition for the last splits, which the two order differently (the moons classifier
    from 59 leaves on: four splits of improvement 0.00035564)."""
    if kind == "clf":
        X_train, X_test, y_train, _ = moons
        ours = ensemble.RandomForestClassifier(n_estimators=1, bootstrap=False, max_features=None)
        theirs = sk_tree.DecisionTreeClassifier(max_leaf_nodes=max_leaf_nodes, random_state=0)
        predict = "predict_proba"
    else:
        X_train, X_test, y_train, _ = regression
        ours = ensemble.RandomForestRegressor(n_estimators=1, bootstrap=False)
        theirs = sk_tree.DecisionTreeRegressor(max_leaf_nodes=max_leaf_nodes, random_state=0)
        predict = "predict"
    ours.set_params(max_leaf_nodes=max_leaf_nodes, random_state=0).fit(X_train, y_train)
    theirs.fit(X_train, y_train)
    for X in (X_train, X_test):
        np.testing.assert_allclose(getattr(ours, predict)(X), getattr(theirs, predict)(X), atol=1e-9)
    member = ours.estimators_[0]
    assert (member.get_n_leaves(), member.get_depth()) == (theirs.get_n_leaves(), theirs.get_depth())
    np.testing.assert_array_equal(np.sort(member.tree_.n_node_samples), np.sort(theirs.tree_.n_node_samples))


@pytest.mark.parametrize("name", ["RandomForestClassifier", "RandomForestRegressor"])
def test_best_first_budget_only_skips_nodes_it_would_cut(moons, name, monkeypatch, level_builder):
    """Growing every node and cutting each tree to its best-first nodes afterwards gives the same forest as
    leaving the hopeless nodes unsplit during growth. (Every feature searched: the feature draws and
    Extra-Trees thresholds hash the nodes' breadth-first ids, which the nodes left unsplit change.)"""
    from learnflow.tree import _level_best_first

    X_train, X_test, y_train, _ = moons
    params = dict(n_estimators=6, max_leaf_nodes=12, min_samples_leaf=2, max_features=None, random_state=3)
    pruned = getattr(ensemble, name)(**params).fit(X_train, y_train)
    monkeypatch.setattr(_level_best_first, "_kth_largest_per_group",
                        lambda values, group, n_groups, k: torch.full((n_groups,), -np.inf, dtype=values.dtype))
    grown_then_cut = getattr(ensemble, name)(**params).fit(X_train, y_train)
    for a, b in zip(pruned.estimators_, grown_then_cut.estimators_):
        assert a.get_n_leaves() <= 12
        for field in ("children_left", "children_right", "feature", "threshold", "n_node_samples", "value"):
            np.testing.assert_array_equal(getattr(a.tree_, field), getattr(b.tree_, field))
        assert a.tree_.max_depth == b.tree_.max_depth


def test_nan_input_falls_back_to_the_exact_builder():
    X, y = make_moons(n_samples=200, noise=0.3, random_state=0)
    X[::7, 0] = np.nan
    ours = ensemble.RandomForestClassifier(n_estimators=3, random_state=0).fit(X, y)
    theirs = sk_ensemble.RandomForestClassifier(n_estimators=3, random_state=0).fit(X, y)
    np.testing.assert_allclose(ours.predict_proba(X), theirs.predict_proba(X), atol=1e-12)


def test_sample_weight_and_class_weight(moons):
    X_train, X_test, y_train, y_test = moons
    weight = np.where(y_train == 1, 3.0, 1.0)
    ours = ensemble.RandomForestClassifier(n_estimators=30, random_state=0)
    ours.fit(X_train, y_train, sample_weight=weight)
    theirs = [sk_ensemble.RandomForestClassifier(n_estimators=30, random_state=s).fit(X_train, y_train, weight)
              for s in SEEDS]
    recall = lambda m: float(np.mean(m.predict(X_test)[y_test == 1] == 1))  # noqa: E731
    sk_recall = [recall(m) for m in theirs]
    assert abs(recall(ours) - np.mean(sk_recall)) <= max(0.01, np.ptp(sk_recall))
    balanced = ensemble.ExtraTreesClassifier(n_estimators=10, class_weight={0: 1.0, 1: 5.0}, random_state=0)
    balanced.fit(X_train, y_train)
    plain = ensemble.ExtraTreesClassifier(n_estimators=10, random_state=0).fit(X_train, y_train)
    assert recall(balanced) >= recall(plain)


def test_warm_start_equals_one_fit(moons):
    X, _, y, _ = moons
    grown = ensemble.RandomForestClassifier(n_estimators=3, warm_start=True, random_state=1).fit(X, y)
    grown.set_params(n_estimators=6).fit(X, y)
    direct = ensemble.RandomForestClassifier(n_estimators=6, random_state=1).fit(X, y)
    np.testing.assert_allclose(grown.predict_proba(X), direct.predict_proba(X))
    with pytest.raises(ValueError, match="must be larger or equal"):
        grown.set_params(n_estimators=2).fit(X, y)


def test_multi_output_and_strings():
    iris = load_iris()
    y = np.column_stack([np.array(["a", "b", "c"])[iris.target], iris.data[:, 0] > 5.8])
    forest = ensemble.RandomForestClassifier(n_estimators=5, random_state=0).fit(iris.data, y)
    assert forest.predict(iris.data).shape == (150, 2)
    assert len(forest.predict_proba(iris.data)) == 2
    assert np.mean(forest.predict(iris.data) == y) > 0.95
    reg = ensemble.ExtraTreesRegressor(n_estimators=5, random_state=0).fit(iris.data[:, :2], iris.data[:, 2:])
    assert reg.predict(iris.data[:, :2]).shape == (150, 2)
    assert reg.score(iris.data[:, :2], iris.data[:, 2:]) > 0.9


def test_oob_requires_bootstrap(moons):
    X, _, y, _ = moons
    with pytest.raises(ValueError, match="Out of bag estimation only available if bootstrap=True"):
        ensemble.ExtraTreesClassifier(n_estimators=2, oob_score=True).fit(X, y)


@pytest.mark.parametrize("name", ["ExtraTreesClassifier", "RandomForestRegressor"])
def test_parallel_equals_sequential(moons, name, monkeypatch, level_builder):
    """Each tree draws from a hash of its own seed: the batches n_jobs forms do not change the forest."""
    from learnflow.ensemble import _forest

    monkeypatch.setattr(_forest, "_PARALLEL_MIN_PAIRS", 0)  # small data grows in one batch otherwise
    X, _, y, _ = moons
    one = getattr(ensemble, name)(n_estimators=4, random_state=0, n_jobs=1).fit(X, y)
    two = getattr(ensemble, name)(n_estimators=4, random_state=0, n_jobs=2).fit(X, y)
    np.testing.assert_allclose(one.predict(X), two.predict(X))


@pytest.mark.parametrize("name", ["RandomForestRegressor", "ExtraTreesRegressor", "RandomForestClassifier"])
def test_real_valued_statistics_do_not_depend_on_the_batch(regression, moons, name, monkeypatch, level_builder):
    """Real-valued targets and fractional weights: each tree's running sums stay within the tree, so the
    forest does not change with n_jobs (batches) or warm_start (sums that are not exact integers round the
    same way whatever the other trees of a batch)."""
    from learnflow.ensemble import _forest

    monkeypatch.setattr(_forest, "_PARALLEL_MIN_PAIRS", 0)
    X, _, y, _ = regression if name.endswith("Regressor") else moons
    weight = np.random.RandomState(1).uniform(0.2, 2.0, len(y))  # fractional: no exact sums
    params = dict(n_estimators=6, max_features=0.5 if name.endswith("Regressor") else "sqrt", random_state=0)
    one = getattr(ensemble, name)(n_jobs=1, **params).fit(X, y, sample_weight=weight)
    two = getattr(ensemble, name)(n_jobs=2, **params).fit(X, y, sample_weight=weight)
    warm = getattr(ensemble, name)(warm_start=True, **{**params, "n_estimators": 2}).fit(X, y, sample_weight=weight)
    warm.set_params(n_estimators=6).fit(X, y, sample_weight=weight)
    for other in (two, warm):
        for a, b in zip(one.estimators_, other.estimators_):
            np.testing.assert_array_equal(a.tree_.threshold, b.tree_.threshold)
            np.testing.assert_array_equal(a.tree_.value, b.tree_.value)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("params", [{}, {"max_leaf_nodes": 10}])
def test_grows_on_the_configured_device(moons, device, params, level_builder):
    X_train, X_test, y_train, _ = moons
    cpu = ensemble.RandomForestClassifier(n_estimators=5, random_state=0, **params).fit(X_train, y_train)
    with config_context(device=device):
        grown = ensemble.RandomForestClassifier(n_estimators=5, random_state=0, **params).fit(X_train, y_train)
        proba = grown.predict_proba(torch.as_tensor(X_test, device=device))
    assert proba.device.type == device
    np.testing.assert_allclose(proba.cpu().numpy(), cpu.predict_proba(X_test), atol=1e-9)


def test_regressor_member_is_a_tree():
    X, y = make_moons(n_samples=200, noise=0.3, random_state=0)
    forest = ensemble.RandomForestRegressor(n_estimators=3, random_state=0).fit(X, y.astype(float))
    assert all(type(m) is DecisionTreeRegressor for m in forest.estimators_)
    np.testing.assert_allclose(np.mean([m.predict(X) for m in forest.estimators_], axis=0), forest.predict(X))


@pytest.mark.parametrize("name", CLASSIFIERS + REGRESSORS)
def test_save_and_load(tmp_path, name, level_builder):
    """Level-wise members own their arrays: the forest saves (safetensors refuses shared memory) and loads."""
    from learnflow import load, save

    X, y = make_moons(n_samples=200, noise=0.3, random_state=0)
    forest = getattr(ensemble, name)(n_estimators=3, random_state=0).fit(X, y if "Classifier" in name else 1.0 * y)
    save(forest, tmp_path / "forest.lfm")
    np.testing.assert_array_equal(load(tmp_path / "forest.lfm").predict(X), forest.predict(X))


@pytest.mark.parametrize("name", CLASSIFIERS)
def test_wide_data_with_constant_features(moons, name):
    # moons' 2 features among 38 constant columns, max_features=2: a node whose drawn features are all
    # constant goes on drawing (scikit-learn's rule), so trees grow as deep and score as well as scikit-learn's
    X_train, X_test, y_train, y_test = moons
    X_train = np.hstack([np.ones((len(X_train), 20)), X_train, np.zeros((len(X_train), 18))])
    X_test = np.hstack([np.ones((len(X_test), 20)), X_test, np.zeros((len(X_test), 18))])
    ours = _fits(ensemble, name, X_train, y_train, SEEDS[:3], n_estimators=10, max_features=2)
    theirs = _fits(sk_ensemble, name, X_train, y_train, SEEDS, n_estimators=10, max_features=2)
    _assert_same_distribution([m.score(X_test, y_test) for m in ours], [m.score(X_test, y_test) for m in theirs], 0.01)
    n_ours = np.mean([t.tree_.node_count for m in ours for t in m.estimators_])
    n_theirs = np.mean([t.tree_.node_count for m in theirs for t in m.estimators_])
    assert abs(n_ours - n_theirs) < 0.1 * n_theirs
    for m in ours:
        assert np.all(m.feature_importances_[[*range(20), *range(22, 40)]] == 0)


def test_level_builder_numpy_helpers_match_torch():
    """The CPU's numpy ranking and segment reductions give the tables of the torch versions (which CUDA runs);
    float32 comparisons with the rounded-down threshold are the float64 comparisons."""
    from learnflow.tree import _level_builder as lb

    rng = np.random.RandomState(0)
    X = rng.randn(300, 5).astype(np.float32)
    X[:, 1] = np.round(X[:, 1])  # ties
    X[::3, 2], X[::7, 2] = 0.0, -0.0  # equal zeros of both signs
    X[:, 3] = np.float32(1.0) + np.float32(1e-8) * rng.randint(0, 30, 300)  # values closer than 1e-7 share a code
    XT = torch.as_tensor(X.T.copy())
    ranked = lb._rank_rows_numpy(XT)
    for a, b in zip(ranked, lb._rank_rows(XT)):
        torch.testing.assert_close(a, b, rtol=0, atol=0)
    _, perm, _, _, codes, _ = ranked
    for f in range(3):  # numpy's own definitions where distinct values are far apart (0.0 and -0.0 equal)
        np.testing.assert_array_equal(perm[f].numpy(), np.argsort(X[:, f], kind="stable"))
        np.testing.assert_array_equal(codes[f].numpy(), np.unique(X[:, f], return_inverse=True)[1])
    starts = torch.tensor([0, 3, 4, 9])
    c_pos = torch.repeat_interleave(torch.arange(4), torch.tensor([3, 1, 5, 2]))
    x = torch.as_tensor(rng.randint(-50, 50, (11, 3)), dtype=torch.int32)
    # rows, a transposed (feature, sample) grid, 1-D floats and int32 segment ids, as the builder passes them
    for xs, ids in ((x, c_pos), (x.T.contiguous().T, c_pos), (torch.as_tensor(rng.randn(11)), c_pos.int())):
        for op in ("amin", "amax", "sum") if xs.dtype == torch.int32 else ("amin", "amax"):
            torch.testing.assert_close(lb._segment_reduce(xs, op, starts, ids, 4).double(),
                                       lb._segment_reduce_torch(xs, op, ids, 4).double(), rtol=0, atol=0)
    mask = torch.as_tensor(rng.rand(3, 11) < 0.5)  # per node segment, the true entries of each row
    torch.testing.assert_close(lb._segment_counts(mask, starts, c_pos, 4).long(),
                               lb._segment_reduce_torch(mask.view(torch.int8).T, "sum", c_pos, 4), rtol=0, atol=0)
    starts, lengths = torch.tensor([7, 0, 30, 3, 12]), torch.tensor([2, 5, 1, 3, 4])  # concatenated ranges
    np.testing.assert_array_equal(lb._ranges(starts, lengths, 15).numpy(),
                                  np.concatenate([np.arange(a, a + k) for a, k in zip(starts.tolist(), lengths.tolist())]))
    # segment maxima with empty segments (first, inner, last): -inf there, as torch's and numpy's definitions
    seg = torch.repeat_interleave(torch.arange(7), torch.tensor([0, 3, 0, 0, 1, 5, 0]))
    proxy = torch.as_tensor(rng.randn(9))
    expected = [float(proxy[seg == k].max()) if bool((seg == k).any()) else -np.inf for k in range(7)]
    np.testing.assert_array_equal(lb._segment_max(proxy, seg, 7).numpy(), expected)
    np.testing.assert_array_equal(lb._segment_max(proxy, seg - 1, 5).numpy(), expected[1:6])  # none empty first
    # the segment sums add in order from 0, as index_add_ (the same float64 sums, bit for bit)
    lengths = torch.tensor([3, 1, 5, 2])
    grid = torch.as_tensor(rng.randn(3, 11) * 10.0 ** rng.randint(-8, 8, (3, 11)))
    torch.testing.assert_close(lb._segment_sums(grid, lengths),
                               torch.zeros((4, 3), dtype=torch.float64).index_add_(0, c_pos, grid.T), rtol=0, atol=0)
    lengths = torch.tensor([3, 0, 1, 5, 2])
    values = torch.as_tensor(rng.randint(-50, 50, 5))
    torch.testing.assert_close(lb._repeat(values, lengths, 11), lb._repeat_torch(values, lengths, 11), rtol=0, atol=0)
    np.testing.assert_array_equal(lb._repeat(values, lengths, 11).numpy(), np.repeat(values.numpy(), lengths.numpy()))
    table = torch.as_tensor(rng.randint(-50, 50, (2, 5)))
    torch.testing.assert_close(lb._repeat(table, lengths, 11, axis=1), lb._repeat_torch(table, lengths, 11, axis=1),
                               rtol=0, atol=0)
    data = lb.LevelData(torch.as_tensor(X), "cpu")  # code and sample of sorted positions: packed, one table each
    at = torch.as_tensor(rng.randint(0, X.size, 500))
    assert data.code_sample is not None
    packed = lb._code_and_sample(data, at)
    data.code_sample = None
    for a, b in zip(packed, lb._code_and_sample(data, at)):
        torch.testing.assert_close(a, b, rtol=0, atol=0)
    mask = torch.as_tensor(rng.rand(7, 40) < 0.3)  # the true entries' rows and columns, as torch's nonzero
    for a, b in zip(lb._nonzero_2d(mask), torch.nonzero(mask).unbind(1)):
        torch.testing.assert_close(a, b, rtol=0, atol=0)
    # the drawn features (numpy's partition of the keys, or the arg-min): the smallest keys' (top-k), for int32
    # keys (the feature in the low bits) and int64 ones (hash * F + feature)
    node_h = lb._mix(torch.as_tensor(rng.randint(0, 2**31 - 1, 9)))
    for F in (30, 2000):
        keys = lb._feature_keys(node_h, lb._feature_mix(torch.arange(F)).int(), torch.arange(F))
        assert keys.dtype == (torch.int32 if F <= 1024 else torch.int64)
        for mtry in (1, 4, F - 1):
            drawn = np.sort(lb._drawn_features(keys, mtry).numpy(), axis=1)
            np.testing.assert_array_equal(drawn, np.sort(torch.topk(keys, mtry, dim=1, largest=False).indices.numpy(), 1))
    t = torch.as_tensor(rng.randn(2000) * 10)
    x32 = torch.cat([torch.as_tensor(rng.randn(2000) * 10, dtype=torch.float32), t.float(), lb._floor32(t)])
    t3 = torch.cat([t, t, t])
    assert torch.equal(x32.double() <= t3, x32 <= lb._floor32(t3))


_TREE_ARRAYS = ("children_left", "children_right", "feature", "threshold", "impurity", "n_node_samples",
                "weighted_n_node_samples", "value")


@pytest.mark.parametrize("name, params", [
    ("RandomForestClassifier", {}),
    ("RandomForestClassifier", {"max_features": None, "class_weight": "balanced", "min_samples_leaf": 3}),
    ("RandomForestClassifier", {"criterion": "entropy", "min_weight_fraction_leaf": 0.01}),
    ("RandomForestClassifier", {"max_features": None, "min_samples_leaf": 2}),
    ("ExtraTreesClassifier", {}),
    ("ExtraTreesClassifier", {"max_features": None, "class_weight": "balanced_subsample", "bootstrap": True}),
    ("RandomForestRegressor", {}),
    ("RandomForestRegressor", {"max_features": 0.5, "min_weight_fraction_leaf": 0.01}),
    ("RandomForestRegressor", {"integral_target": True}),
    ("ExtraTreesRegressor", {}),
    ("ExtraTreesRegressor", {"max_features": 0.3, "min_samples_leaf": 2}),
    ("ExtraTreesRegressor", {"integral_target": True, "bootstrap": True}),
])
@pytest.mark.parametrize("wide", [False, True])
def test_fast_paths_grow_the_generic_paths_trees(moons, regression, name, params, wide, monkeypatch, level_builder):
    """The level builder's fast paths grow exactly the trees of its generic path.

    Fast: the drawn pairs' code ranges read from their search or from node segments (constant pairs dropped
    or masked), the expansion of every (feature, node) pair without gathers, Extra-Trees' (drawn feature,
    sample) grids, the class sums by runs for integer weights, numpy's ranking, sort, nonzero, repeat and
    segment reductions on the CPU. Generic: the pairs selected first (_select_pairs), then searched, torch
    only. Wide data (constant columns around the real ones) exercises the constant pairs and the further
    draws, and its last column values 1 ulp apart (one code: values closer than 1e-7) the code ranges of
    data whose codes are not single values. Exact sums (integral classes or targets and weights) keep the
    constant pairs' elements among the others.
    """
    from learnflow.tree import _level_builder as lb

    X, _, y, _ = moons if "Classifier" in name else regression
    params = dict(params)
    integral_target = params.pop("integral_target", False)
    if integral_target:
        y = np.round(10 * y)
    rng = np.random.RandomState(0)
    if wide:
        near = rng.choice([0.25, 0.5, float(np.nextafter(np.float32(0.5), np.float32(1)))], len(X))
        X = np.hstack([np.ones((len(X), 3)), X, np.zeros((len(X), 3)), near[:, None]])
    exact = lb.LevelData(torch.as_tensor(X, dtype=torch.float32), "cpu").exact
    assert exact != wide
    weight = rng.rand(len(y)) + 0.5 if "Regressor" in name and not integral_target else None
    fast = getattr(ensemble, name)(n_estimators=4, random_state=0, **params).fit(X, y, sample_weight=weight)
    monkeypatch.setattr(lb, "_best_split_drawn", lambda *args: None)
    monkeypatch.setattr(lb, "_random_split_nodes", lambda *args: None)
    monkeypatch.setattr(lb, "_integral", lambda weights: False)
    monkeypatch.setattr(lb, "_rank_rows_numpy", lb._rank_rows)
    monkeypatch.setattr(lb, "_nonzero", lambda mask: torch.nonzero(mask).flatten())
    monkeypatch.setattr(lb, "_sort_values", lambda x: torch.sort(x).values)
    monkeypatch.setattr(lb, "_repeat", lb._repeat_torch)
    generic = getattr(ensemble, name)(n_estimators=4, random_state=0, **params).fit(X, y, sample_weight=weight)
    for a, b in zip(fast.estimators_, generic.estimators_):
        assert a.tree_.node_count == b.tree_.node_count > 1
        for key in _TREE_ARRAYS:
            np.testing.assert_array_equal(getattr(a.tree_, key), getattr(b.tree_, key), err_msg=key)


@pytest.mark.parametrize("name", CLASSIFIERS + REGRESSORS)
@pytest.mark.parametrize("bootstrap", [False, True])
def test_integer_weights_grow_the_float_weights_trees(moons, regression, name, bootstrap, monkeypatch,
                                                      level_builder):
    """Unit weights (no bootstrap: a weight sum is a count) and bootstrap counts (read from a small integer
    table; exact class sums by runs) grow exactly the trees of the float64 weights' path."""
    from learnflow.tree import _level_builder as lb

    X, _, y, _ = moons if "Classifier" in name else regression
    params = dict(n_estimators=3, bootstrap=bootstrap, random_state=0)
    fast = getattr(ensemble, name)(**params).fit(X, y)
    monkeypatch.setattr(lb, "_integral", lambda weights: False)
    plain = getattr(ensemble, name)(**params).fit(X, y)
    for a, b in zip(fast.estimators_, plain.estimators_):
        for key in _TREE_ARRAYS:
            np.testing.assert_array_equal(getattr(a.tree_, key), getattr(b.tree_, key), err_msg=key)


@pytest.mark.parametrize("criterion", ["gini", "entropy"])
@pytest.mark.parametrize("scale", [1, 2**16, 2**21, 2**23])
def test_large_integer_weights_grow_the_float_weights_trees(moons, criterion, scale, monkeypatch, level_builder):
    """Integer weights grow the float64 weights' trees whichever way their class sums are searched: Gini's sums
    of squared class sums in int32 (small weights) or int64, per-class columns of the int32 class sums (entropy,
    or once the squares could round in float64), the float64 path once a tree's weight reaches 2**31."""
    from learnflow.tree import _level_builder as lb

    X, _, y, _ = moons
    params = dict(n_estimators=3, criterion=criterion, bootstrap=False, max_features=1, random_state=0)
    weight = np.full(len(y), float(scale))  # (the weights of bootstraps are counts, whatever the sample weights)
    ways = []
    original = lb._search_sorted
    monkeypatch.setattr(lb, "_search_sorted", lambda data, crit, *a, **k: ways.append(
        (crit.integral_classes, crit.square_type)) or original(data, crit, *a, **k))
    fast = ensemble.RandomForestClassifier(**params).fit(X, y, sample_weight=weight)
    square_type = None if criterion == "entropy" or scale > 2**16 else torch.int32 if scale == 1 else torch.int64
    assert set(ways) == {(scale < 2**23, square_type)}
    monkeypatch.setattr(lb, "_integral", lambda weights: False)
    plain = ensemble.RandomForestClassifier(**params).fit(X, y, sample_weight=weight)
    for a, b in zip(fast.estimators_, plain.estimators_):
        assert a.tree_.node_count == b.tree_.node_count > 1
        for key in _TREE_ARRAYS:
            np.testing.assert_array_equal(getattr(a.tree_, key), getattr(b.tree_, key), err_msg=key)


@pytest.mark.parametrize("name, params", [
    ("RandomForestClassifier", {}),
    ("RandomForestClassifier", {"min_samples_leaf": 3, "max_features": 4}),
    ("RandomForestClassifier", {"criterion": "entropy", "bootstrap": False, "max_leaf_nodes": 30}),
    ("ExtraTreesClassifier", {}),
    ("ExtraTreesClassifier", {"bootstrap": True, "min_samples_leaf": 2, "max_features": 4}),
])
@pytest.mark.parametrize("values", ["bytes", "reals"])
def test_sparse_data_paths_grow_the_generic_paths_trees(name, params, values, monkeypatch, level_builder):
    """On sparse data (most values their feature's smallest, as MNIST's zero pixels) with integer weights, the
    best splitter sorts only the other elements (a stand-in per pair holds the smallest values' place and sums)
    and Extra-Trees sum the elements going right: the trees of the generic path, bit for bit, min_samples_leaf's
    counts included. Small integers (at most 256 codes) take the byte codes' tables, reals the ranks and X."""
    from learnflow.tree import _level_builder as lb

    rng = np.random.RandomState(0)
    other = rng.randint(1, 9, (900, 16)) if values == "bytes" else rng.exponential(size=(900, 16))
    X = np.where(rng.rand(900, 16) < 0.75, 0.0, other)
    y = (X[:, :4].sum(1).astype(int) + rng.randint(0, 6, 900)) % 3
    data = lb.LevelData(torch.as_tensor(X, dtype=torch.float32), "cpu")
    assert data.sparse and (data.codes8 is not None) == (values == "bytes")
    taken = []
    for helper in ("_class_cumsums", "_nonzero_2d"):  # the sparse paths run (with stand-ins)
        original = getattr(lb, helper)
        monkeypatch.setattr(lb, helper, lambda *a, _f=original, _h=helper: taken.append((_h, a[-1] is not None))
                            or _f(*a))
    fast = getattr(ensemble, name)(n_estimators=4, random_state=0, **params).fit(X, y)
    assert ("_class_cumsums" if name.startswith("Random") else "_nonzero_2d", True) in taken
    with monkeypatch.context() as torch_only:  # CUDA's helpers (torch's, no byte codes) on the same paths

        class NoByteCodes(lb.LevelData):
            def __init__(self, X32, device):
                super().__init__(X32, device)
                self.codes8 = self.code_keys = None

        torch_only.setattr(lb, "LevelData", NoByteCodes)
        torch_only.setattr(lb, "_nonzero", lambda mask: torch.nonzero(mask).flatten())
        torch_only.setattr(lb, "_nonzero_2d", lambda mask: torch.nonzero(mask).unbind(1))
        torch_only.setattr(lb, "_drawn_features",
                           lambda keys, mtry: torch.topk(keys, mtry, dim=1, largest=False).indices)
        torch_only.setattr(lb, "_segment_reduce",
                           lambda x, op, c_start, c_pos, k: lb._segment_reduce_torch(x, op, c_pos, k))
        torch_only.setattr(lb, "_sort_values", lambda x: torch.sort(x).values)
        torch_only.setattr(lb, "_repeat", lb._repeat_torch)
        on_torch = getattr(ensemble, name)(n_estimators=4, random_state=0, **params).fit(X, y)
    for a, b in zip(fast.estimators_, on_torch.estimators_):
        for key in _TREE_ARRAYS:
            np.testing.assert_array_equal(getattr(a.tree_, key), getattr(b.tree_, key), err_msg=key)
    monkeypatch.setattr(lb, "_best_split_drawn", lambda *args: None)
    monkeypatch.setattr(lb, "_random_split_nodes", lambda *args: None)
    monkeypatch.setattr(lb, "_integral", lambda weights: False)
    generic = getattr(ensemble, name)(n_estimators=4, random_state=0, **params).fit(X, y)
    for a, b in zip(fast.estimators_, generic.estimators_):
        assert a.tree_.node_count == b.tree_.node_count > 1
        for key in _TREE_ARRAYS:
            np.testing.assert_array_equal(getattr(a.tree_, key), getattr(b.tree_, key), err_msg=key)


def test_byte_codes_at_most_a_threshold():
    """Exact data of at most 256 codes per feature: the code found for a float32 threshold is the number of the
    feature's values at most it, less one (negative values, -0.0 and the features' unused codes included)."""
    from learnflow.tree import _level_builder as lb

    rng = np.random.RandomState(0)
    X = np.column_stack([rng.randint(-40, 40, 500), rng.randint(0, 3, 500), rng.choice([-2.5, 0.0, 1e-3, 7.0], 500)])
    data = lb.LevelData(torch.as_tensor(X, dtype=torch.float32), "cpu")
    assert data.exact and data.codes8 is not None
    feats = torch.as_tensor(rng.randint(0, 3, 4000))
    t32 = torch.as_tensor(rng.uniform(-45, 45, 4000), dtype=torch.float32)
    t32[:100] = -0.0
    t32[100:200] = torch.as_tensor(X[rng.randint(0, 500, 100), 0], dtype=torch.float32)  # at a value
    expected = [np.count_nonzero(np.unique(X[:, f].astype(np.float32)) <= t) - 1 for f, t in zip(feats.tolist(),
                                                                                                  t32.tolist())]
    np.testing.assert_array_equal(lb._codes_at_most(data, feats, t32).numpy(), expected)


@pytest.mark.parametrize("device", [d for d in DEVICES if d.values[0] != "cpu"])
@pytest.mark.parametrize("name", CLASSIFIERS)
def test_sparse_data_forests_on_another_device(name, device, level_builder):
    """The sparse-data paths (stand-ins, right sums) on another device (CUDA where lent) grow the CPU's trees."""
    rng = np.random.RandomState(1)
    X = np.where(rng.rand(600, 12) < 0.75, 0.0, rng.randint(1, 9, (600, 12)))
    y = (X[:, :3].sum(1).astype(int) + rng.randint(0, 4, 600)) % 3
    cpu = getattr(ensemble, name)(n_estimators=3, random_state=0).fit(X, y)
    with config_context(device=device):
        grown = getattr(ensemble, name)(n_estimators=3, random_state=0).fit(X, y)
    for a, b in zip(cpu.estimators_, grown.estimators_):
        for key in _TREE_ARRAYS:
            np.testing.assert_array_equal(getattr(a.tree_, key), getattr(b.tree_, key), err_msg=key)
