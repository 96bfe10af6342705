"""Estimator behaviour: inputs, errors, outputs, exports and plotting (scikit-learn as oracle)."""

import pickle

import numpy as np
import pytest
import torch
from sklearn import tree as sk_tree

from learnflow import tree as lf_tree
from learnflow.datasets import load_iris
from tests._devices import DEVICES


@pytest.fixture(scope="module")
def iris():
    data = load_iris()
    return data.data, data.target


def test_torch_input_gives_torch_output(iris):
    X, y = iris
    model = lf_tree.DecisionTreeClassifier(max_depth=3, random_state=0).fit(torch.as_tensor(X), torch.as_tensor(y))
    reference = sk_tree.DecisionTreeClassifier(max_depth=3, random_state=0).fit(X, y)
    pred = model.predict(torch.as_tensor(X))
    assert isinstance(pred, torch.Tensor)
    np.testing.assert_array_equal(pred.numpy(), reference.predict(X))
    proba = model.predict_proba(torch.as_tensor(X))
    assert isinstance(proba, torch.Tensor)
    np.testing.assert_allclose(proba.numpy(), reference.predict_proba(X))


@pytest.mark.parametrize("device", DEVICES)
def test_predict_on_device(iris, device):
    X, y = iris
    model = lf_tree.DecisionTreeRegressor(max_depth=4).fit(X, y.astype(float))
    X_dev = torch.as_tensor(X, device=device)
    np.testing.assert_allclose(model.predict(X_dev).cpu().numpy(), model.predict(X))
    np.testing.assert_array_equal(model.apply(X_dev).cpu().numpy(), model.apply(X))


def test_predict_log_proba_and_string_labels(iris):
    X, y = iris
    labels = np.array(["setosa", "versicolor", "virginica"])[y]
    model = lf_tree.DecisionTreeClassifier(max_depth=2, random_state=0).fit(X, labels)
    reference = sk_tree.DecisionTreeClassifier(max_depth=2, random_state=0).fit(X, labels)
    np.testing.assert_array_equal(model.predict(X), reference.predict(X))
    np.testing.assert_array_equal(model.classes_, reference.classes_)
    with np.errstate(divide="ignore"):
        np.testing.assert_allclose(model.predict_log_proba(X), reference.predict_log_proba(X))


def test_multi_output_proba_is_a_list(iris):
    X, y = iris
    Y = np.column_stack([y, y % 2])
    model = lf_tree.DecisionTreeClassifier(random_state=0).fit(X, Y)
    proba = model.predict_proba(X[:5])
    assert isinstance(proba, list) and [p.shape for p in proba] == [(5, 3), (5, 2)]
    assert list(model.n_classes_) == [3, 2] and model.n_outputs_ == 2


def test_bad_inputs_raise_clear_errors(iris):
    X, y = iris
    with pytest.raises(ValueError, match="infinity"):
        lf_tree.DecisionTreeClassifier().fit(np.full((3, 2), np.inf), [0, 1, 0])
    with pytest.raises(ValueError, match="max_depth"):
        lf_tree.DecisionTreeClassifier(max_depth=0).fit(X, y)
    with pytest.raises(ValueError, match="criterion"):
        lf_tree.DecisionTreeRegressor(criterion="gini").fit(X, y)
    with pytest.raises(ValueError, match="negative"):
        lf_tree.DecisionTreeRegressor(criterion="poisson").fit(X, -np.ones(len(y)))
    model = lf_tree.DecisionTreeClassifier().fit(X, y)
    with pytest.raises(ValueError, match="features"):
        model.predict(X[:, :2])
    with pytest.raises(ValueError, match="class_weight"):
        lf_tree.DecisionTreeClassifier(class_weight={0: 1.0}).fit(X, np.column_stack([y, y]))


def test_pickle_round_trip(iris):
    X, y = iris
    model = lf_tree.DecisionTreeClassifier(random_state=0).fit(X, y)
    restored = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(restored.predict(X), model.predict(X))


def test_export_text_matches_sklearn(iris):
    X, y = iris
    names = ["sl", "sw", "pl", "pw"]
    ours = lf_tree.DecisionTreeClassifier(random_state=0, max_depth=4).fit(X, y)
    theirs = sk_tree.DecisionTreeClassifier(random_state=0, max_depth=4).fit(X, y)
    for kwargs in [{}, {"feature_names": names, "show_weights": True}, {"max_depth": 1, "decimals": 3}]:
        assert lf_tree.export_text(ours, **kwargs) == sk_tree.export_text(theirs, **kwargs)
    reg = lf_tree.DecisionTreeRegressor(max_depth=3, random_state=0).fit(X, y.astype(float))
    sk_reg = sk_tree.DecisionTreeRegressor(max_depth=3, random_state=0).fit(X, y.astype(float))
    assert lf_tree.export_text(reg) == sk_tree.export_text(sk_reg)


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"filled": True, "node_ids": True, "proportion": True}, {"max_depth": 1, "label": "root", "impurity": False},
     {"special_characters": True, "rotate": True, "leaves_parallel": True, "precision": 2}],
)
def test_export_graphviz_matches_sklearn(iris, kwargs):
    X, y = iris
    ours = lf_tree.DecisionTreeClassifier(random_state=0, max_depth=3).fit(X, y)
    theirs = sk_tree.DecisionTreeClassifier(random_state=0, max_depth=3).fit(X, y)
    assert lf_tree.export_graphviz(ours, **kwargs) == sk_tree.export_graphviz(theirs, **kwargs)
    reg = lf_tree.DecisionTreeRegressor(max_depth=3, random_state=0).fit(X, X[:, 0])
    sk_reg = sk_tree.DecisionTreeRegressor(max_depth=3, random_state=0).fit(X, X[:, 0])
    assert lf_tree.export_graphviz(reg, **kwargs) == sk_tree.export_graphviz(sk_reg, **kwargs)


def test_export_graphviz_writes_a_file(iris, tmp_path):
    X, y = iris
    model = lf_tree.DecisionTreeClassifier(max_depth=2).fit(X, y)
    path = tmp_path / "iris_tree.dot"
    assert lf_tree.export_graphviz(model, out_file=str(path)) is None
    assert path.read_text().startswith("digraph Tree {")


def test_plot_tree_draws_every_node(iris):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from learnflow.plot import plot_tree

    X, y = iris
    model = lf_tree.DecisionTreeClassifier(max_depth=3, random_state=0).fit(X, y)
    fig, ax = plt.subplots()
    texts = plot_tree(model, filled=True, rounded=True, feature_names=["sl", "sw", "pl", "pw"], ax=ax)
    assert len(texts) == model.tree_.node_count
    assert texts[0].get_text().startswith("pl <= 2.45") or texts[0].get_text().startswith("pw <= 0.8")
    assert len(plot_tree(model, max_depth=1, ax=ax)) == 3
    plt.close(fig)


def test_random_splitter_statistics_match_sklearn():
    """splitter="random" with many features (numpy draws): same accuracy as scikit-learn on average."""
    rng = np.random.RandomState(0)
    X = rng.normal(size=(400, 80))
    y = (X[:, :3].sum(axis=1) > 0).astype(int)
    X_test = rng.normal(size=(400, 80))
    y_test = (X_test[:, :3].sum(axis=1) > 0).astype(int)
    params = {"max_features": 20, "max_depth": 5}
    ours = np.mean([lf_tree.ExtraTreeClassifier(random_state=s, **params).fit(X, y).score(X_test, y_test)
                    for s in range(4)])
    theirs = np.mean([sk_tree.ExtraTreeClassifier(random_state=s, **params).fit(X, y).score(X_test, y_test)
                      for s in range(4)])
    assert abs(ours - theirs) < 0.06


def test_forest_fit_path_without_input_checks(iris):
    """The path forests use: float32 tensor X, 2-D float y, bootstrap counts as sample_weight."""
    X, y = iris
    counts = np.random.RandomState(0).poisson(1.0, size=len(y)).astype(np.float64)
    X32 = torch.as_tensor(X, dtype=torch.float32)
    ours = lf_tree.DecisionTreeClassifier(max_features="sqrt", random_state=3)
    ours._fit(X32, y.reshape(-1, 1).astype(np.float64), sample_weight=counts, check_input=False)
    theirs = sk_tree.DecisionTreeClassifier(max_features="sqrt", random_state=3).fit(X, y, sample_weight=counts)
    np.testing.assert_array_equal(ours.tree_.feature, theirs.tree_.feature)
    np.testing.assert_allclose(ours.tree_.threshold, theirs.tree_.threshold)
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))


@pytest.mark.parametrize("params", [{"max_depth": 3}, {"max_leaf_nodes": 6}, {"max_depth": 2, "min_samples_leaf": 7}])
def test_recorded_leaves_are_the_training_rows_leaves(params):
    """The leaves the builders note while growing (boosting's shortcut) are scikit-learn's ``apply`` on the
    rows grown on; zero-weight rows are not grown on (-1); the record is read once."""
    rng = np.random.RandomState(0)
    X = rng.normal(size=(400, 3)).astype(np.float32)
    y = X[:, 0] - 2.0 * X[:, 1] + rng.normal(scale=0.1, size=400)
    weight = rng.randint(0, 3, size=400).astype(np.float64)
    model = lf_tree.DecisionTreeRegressor(random_state=0, **params)
    model._fit(torch.from_numpy(X), y.reshape(-1, 1), sample_weight=weight, check_input=False, record_leaves=True)
    reference = sk_tree.DecisionTreeRegressor(random_state=0, **params).fit(X, y, sample_weight=weight)
    leaves = model.tree_.pop_grown_leaves(len(X))
    np.testing.assert_array_equal(leaves, np.where(weight > 0, reference.apply(X), -1))
    assert model.tree_.pop_grown_leaves(len(X)) is None
    unrecorded = lf_tree.DecisionTreeRegressor(random_state=0, **params)
    unrecorded._fit(torch.from_numpy(X), y.reshape(-1, 1), sample_weight=weight, check_input=False)
    assert unrecorded.tree_.pop_grown_leaves(len(X)) is None


def test_trees_walked_together_reach_sklearns_leaves():
    """Several trees of different depths walked at once (boosting's prediction), rows with NaN included
    (seen in training or not), reach the leaves scikit-learn's trees reach, tree by tree."""
    from learnflow.tree._tree import apply_trees

    rng = np.random.RandomState(0)
    X = rng.normal(size=(300, 4)).astype(np.float32)
    X_nan = np.where(rng.rand(*X.shape) < 0.1, np.float32(np.nan), X)
    y = X[:, 0] - X[:, 1] ** 2 + rng.normal(scale=0.1, size=300)
    ours, theirs = [], []
    for data, depth in ((X_nan, 1), (X_nan, 3), (X, None)):
        ours.append(lf_tree.DecisionTreeRegressor(max_depth=depth, random_state=0).fit(data, y).tree_)
        theirs.append(sk_tree.DecisionTreeRegressor(max_depth=depth, random_state=0).fit(data, y))
    X_new = rng.normal(size=(50, 4)).astype(np.float32)
    X_new[::4, 1] = np.nan
    for data in (X, X_nan, X_new):
        np.testing.assert_array_equal(apply_trees(ours, data), np.stack([t.apply(data) for t in theirs]))
    assert apply_trees(ours, X[:0]).shape == (3, 0)
