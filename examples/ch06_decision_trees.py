"""Chapter 6, Decision Trees: the iris tree, regression trees, instability and exercises 7-8 with learnflow.

Usage::

    python examples/ch06_decision_trees.py [--out DIR] [--quick]

Writes the DOT file of Figure 6-1 and PNG figures to ``--out`` (default
./learnflow-output/ch06) and prints the chapter's numbers. ``--quick`` uses a
smaller grid and 100 trees (instead of 1,000) in exercise 8.
"""

# SPDX-License-Identifier: BSD-3-Clause

import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from learnflow.datasets import load_iris, make_moons  # noqa: E402
from learnflow.model_selection import GridSearchCV, ShuffleSplit, train_test_split  # noqa: E402
from learnflow.plot import plot_tree  # noqa: E402
from learnflow.tree import DecisionTreeClassifier, DecisionTreeRegressor, export_graphviz  # noqa: E402


def plot_regions(ax, clf, X, y, axes):
    x0, x1 = np.meshgrid(np.linspace(axes[0], axes[1], 200), np.linspace(axes[2], axes[3], 200))
    grid = np.c_[x0.ravel(), x1.ravel()]
    ax.contourf(x0, x1, clf.predict(grid).reshape(x0.shape), alpha=0.3, cmap="brg")
    for label, marker in zip(np.unique(y), "os^"):
        ax.plot(X[y == label, 0], X[y == label, 1], marker, markersize=3)
    ax.axis(axes)


def iris_tree(out):
    """Figures 6-1 and 6-2, Q6.1-Q6.3: the depth-2 iris tree and its probabilities."""
    iris = load_iris()
    X, y = iris.data[:, 2:], iris.target
    tree = DecisionTreeClassifier(max_depth=2, random_state=42).fit(X, y)
    export_graphviz(tree, out_file=str(out / "iris_tree.dot"), feature_names=iris.feature_names[2:],
                    class_names=iris.target_names, rounded=True, filled=True)
    t = tree.tree_
    print(f"root: petal length <= {t.threshold[0]:.2f}, then petal width <= {t.threshold[2]:.2f}")
    print("node sizes:", t.n_node_samples.tolist(), " gini:", np.round(t.impurity, 4).tolist())
    print("predict_proba([[5, 1.5]]) =", tree.predict_proba([[5, 1.5]]).round(8), " predict:", tree.predict([[5, 1.5]]))
    entropy = DecisionTreeClassifier(max_depth=2, criterion="entropy", random_state=42).fit(X, y)
    print(f"entropy (log2) of the depth-2 left node: {entropy.tree_.impurity[3]:.5f} (book's ln value: 0.31)")
    fig, axes = plt.subplots(1, 2, figsize=(12, 4))
    plot_tree(tree, feature_names=iris.feature_names[2:], class_names=iris.target_names, filled=True,
              rounded=True, ax=axes[0])
    plot_regions(axes[1], tree, X, y, [0, 7.5, 0, 3])
    fig.savefig(out / "iris_tree.png")
    plt.close(fig)
    keep = ~((X[:, 1] == 1.8) & (y == 1))
    tweaked = DecisionTreeClassifier(max_depth=2, random_state=40).fit(X[keep], y[keep])
    print(f"without the widest Versicolor (Figure 6-8): root on feature {tweaked.tree_.feature[0]} "
          f"<= {tweaked.tree_.threshold[0]:.2f}")


def regularization(out):
    """Figure 6-3: unrestricted tree vs min_samples_leaf=4 on moons."""
    X, y = make_moons(n_samples=100, noise=0.25, random_state=53)
    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    for ax, params in zip(axes, [{}, {"min_samples_leaf": 4}]):
        clf = DecisionTreeClassifier(random_state=42, **params).fit(X, y)
        plot_regions(ax, clf, X, y, [-1.5, 2.4, -1, 1.5])
        ax.set_title(f"{params or 'no restrictions'}: {clf.get_n_leaves()} leaves")
        print(f"moons, {params or 'no restrictions'}: {clf.get_n_leaves()} leaves, depth {clf.get_depth()}")
    fig.savefig(out / "moons_regularization.png")
    plt.close(fig)


def regression(out):
    """Figures 6-4 to 6-6, Q6.4: regression trees on the noisy quadratic."""
    rng = np.random.RandomState(42)
    X = rng.rand(200, 1)
    y = (4 * (X - 0.5) ** 2 + rng.randn(200, 1) / 10).ravel()
    tree = DecisionTreeRegressor(max_depth=2, random_state=42).fit(X, y)
    leaf = tree.apply([[0.6]])[0]
    t = tree.tree_
    print(f"regression leaf for x=0.6: value={t.value[leaf, 0, 0]:.4f}, samples={t.n_node_samples[leaf]}, "
          f"squared_error={t.impurity[leaf]:.4f}")
    grid = np.linspace(0, 1, 500).reshape(-1, 1)
    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    for ax, params in zip(axes, [{"max_depth": 2}, {"max_depth": 3}]):
        reg = DecisionTreeRegressor(random_state=42, **params).fit(X, y)
        ax.plot(X, y, "b.")
        ax.plot(grid, reg.predict(grid), "r-")
        ax.set_title(str(params))
    fig.savefig(out / "regression_trees.png")
    plt.close(fig)
    for params in [{}, {"min_samples_leaf": 10}]:
        reg = DecisionTreeRegressor(random_state=42, **params).fit(X, y)
        print(f"regression tree {params or 'no restrictions'}: {reg.get_n_leaves()} leaves")


def instability(out):
    """Figure 6-7: a rotated separable set gives a needlessly convoluted boundary."""
    rng = np.random.RandomState(6)
    X = rng.rand(100, 2) - 0.5
    y = (X[:, 0] > 0).astype(np.int64) * 2
    angle = np.pi / 4
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    X_rotated = X @ rotation
    for name, data in [("original", X), ("rotated", X_rotated)]:
        clf = DecisionTreeClassifier(random_state=42).fit(data, y)
        print(f"separable set, {name}: {clf.get_n_leaves()} leaves")


def exercises(quick):
    """Exercises 7-8: tune a tree on moons (10,000, noise 0.4), then grow a forest by hand."""
    X, y = make_moons(n_samples=10000, noise=0.4, random_state=42)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
    grid = {"max_leaf_nodes": [4, 17, 64] if quick else list(range(2, 100)), "min_samples_split": [2, 3, 4]}
    search = GridSearchCV(DecisionTreeClassifier(random_state=42), grid, cv=3)
    search.fit(X_train, y_train)
    best = search.best_estimator_
    accuracy = best.score(X_test, y_test)
    print(f"exercise 7: best {search.best_params_}, test accuracy {accuracy:.4f} (target 0.85-0.87)")

    n_trees = 100 if quick else 1000
    split = ShuffleSplit(n_splits=n_trees, test_size=len(X_train) - 100, random_state=42)
    predictions, scores = [], []
    for subset, _ in split.split(X_train):
        tree = DecisionTreeClassifier(**search.best_params_, random_state=42).fit(X_train[subset], y_train[subset])
        predictions.append(tree.predict(X_test))
        scores.append(np.mean(predictions[-1] == y_test))
    votes = np.stack(predictions)
    majority = (votes.mean(axis=0) > 0.5).astype(int)  # binary labels: the mode
    print(f"exercise 8: mean single-tree accuracy {np.mean(scores):.4f} (about 0.80), "
          f"majority vote {np.mean(majority == y_test):.4f} (0.5-1.5 points above exercise 7)")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("learnflow-output/ch06"))
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    iris_tree(args.out)
    regularization(args.out)
    regression(args.out)
    instability(args.out)
    exercises(args.quick)


if __name__ == "__main__":
    main()
