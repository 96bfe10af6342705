"""Ensembles against scikit-learn: fit time and score on the book's data, n_jobs=-1 on both sides.

Workloads: RandomForest, ExtraTrees, GradientBoosting and AdaBoost on moons
(10,000, noise 0.4), the housing numerics (NaN rows dropped) and the MNIST
test-set split (8,000 train / 2,000 test, stratified, seed 42), 100 members
each (gradient boosting on MNIST: 10 stages, i.e. 100 trees of its 10
classes). ``--quick`` shrinks the data and the number of members so a run
stays under two minutes; ``--only RandomForest,ExtraTrees`` runs some
ensembles. ``--book`` runs Chapter 7's own code instead (moons 500, noise
0.30: the forest of 500 trees of 16 leaves, the bagging and pasting
ensembles, Extra-Trees, AdaBoost; gradient boosting on the noisy quadratic
of 100 points). Run ``python -m benchmarks.bench_ensemble`` (``--quick`` for
small sizes).
"""

# SPDX-License-Identifier: BSD-3-Clause

import argparse
from pathlib import Path

import numpy as np

from benchmarks._harness import compare_fit, report

_SHARED = Path(__file__).resolve().parents[2] / "shared" / "datasets"


def _datasets(quick):
    from learnflow.datasets import fetch_mnist, load_housing, make_moons
    from learnflow.model_selection import train_test_split

    n_moons = 1000 if quick else 10000
    X, y = make_moons(n_samples=n_moons, noise=0.4, random_state=42)
    yield "moons", "clf", train_test_split(X, y, test_size=0.2, random_state=42)
    frame = load_housing(as_frame=True).frame.dropna()
    X = frame.drop(columns=["ocean_proximity", "median_house_value"]).to_numpy(dtype=np.float64)
    y = frame["median_house_value"].to_numpy(dtype=np.float64)
    n_housing = 1000 if quick else len(y)
    yield "housing", "reg", train_test_split(X[:n_housing], y[:n_housing], test_size=0.2, random_state=42)
    X, y = fetch_mnist(data_home=_SHARED / "mnist", subset="test", return_X_y=True, download_if_missing=False)
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y)
    n_mnist = 500 if quick else 10000
    yield "MNIST test-set split", "clf", train_test_split(
        X[:n_mnist], y[:n_mnist], test_size=0.2, stratify=y[:n_mnist], random_state=42
    )


def _models(kind, quick):
    """(name, learnflow factory, scikit-learn factory) per ensemble."""
    from sklearn import ensemble as sk

    from learnflow import ensemble as lf

    n_trees, n_stages = (10, 20) if quick else (100, 100)
    suffix = "Classifier" if kind == "clf" else "Regressor"
    specs = [
        ("RandomForest", dict(n_estimators=n_trees, n_jobs=-1, random_state=42)),
        ("ExtraTrees", dict(n_estimators=n_trees, n_jobs=-1, random_state=42)),
        ("GradientBoosting", dict(n_estimators=n_stages, random_state=42)),
        ("AdaBoost", dict(n_estimators=n_stages, random_state=42)),
    ]
    for base, params in specs:
        name = base + suffix
        yield name, params, getattr(lf, name), getattr(sk, name)


def _book_workloads():
    """(name, data, learnflow factory, scikit-learn factory) for Chapter 7's code, as printed."""
    from sklearn import ensemble as sk
    from sklearn import tree as sk_tree

    from learnflow import ensemble as lf
    from learnflow import tree as lf_tree
    from learnflow.datasets import make_moons
    from learnflow.model_selection import train_test_split

    X, y = make_moons(n_samples=500, noise=0.30, random_state=42)
    moons = train_test_split(X, y, random_state=42)
    rng = np.random.RandomState(42)
    X = rng.rand(100, 1) - 0.5
    y = 3 * X[:, 0] ** 2 + 0.05 * rng.randn(100)
    quadratic = (X, X, y, y)  # scored on its training points
    specs = [
        ("RandomForestClassifier(500, max_leaf_nodes=16)", moons, "RandomForestClassifier", None,
         dict(n_estimators=500, max_leaf_nodes=16, n_jobs=-1, random_state=42)),
        ("BaggingClassifier(DecisionTree, 500, max_samples=100)", moons, "BaggingClassifier", {},
         dict(n_estimators=500, max_samples=100, bootstrap=True, n_jobs=-1, random_state=42)),
        ("BaggingClassifier(DecisionTree, 500, oob_score=True)", moons, "BaggingClassifier", {},
         dict(n_estimators=500, bootstrap=True, n_jobs=-1, oob_score=True, random_state=40)),
        ("BaggingClassifier(DecisionTree(splitter='random', max_leaf_nodes=16), 500)", moons, "BaggingClassifier",
         dict(splitter="random", max_leaf_nodes=16), dict(n_estimators=500, max_samples=1.0, bootstrap=True,
                                                          n_jobs=-1, random_state=42)),
        ("ExtraTreesClassifier(500)", moons, "ExtraTreesClassifier", None,
         dict(n_estimators=500, n_jobs=-1, random_state=42)),
        ("AdaBoostClassifier(DecisionTree(max_depth=1), 200, learning_rate=0.5)", moons, "AdaBoostClassifier",
         dict(max_depth=1), dict(n_estimators=200, learning_rate=0.5, random_state=42)),
        ("GradientBoostingRegressor(max_depth=2, 120), quadratic 100", quadratic, "GradientBoostingRegressor", None,
         dict(max_depth=2, n_estimators=120, random_state=42)),
    ]
    for name, data, cls, member, params in specs:
        def build(ensemble_module, tree_module, cls=cls, member=member, params=params):
            if member is None:
                return getattr(ensemble_module, cls)(**params)
            return getattr(ensemble_module, cls)(tree_module.DecisionTreeClassifier(**member), **params)

        yield name, data, lambda b=build: b(lf, lf_tree), lambda b=build: b(sk, sk_tree)


def main_book():
    rows = [compare_fit(f"{name} fit, {len(split[0])} x {split[0].shape[1]}", ours, theirs, split)
            for name, split, ours, theirs in _book_workloads()]
    report(
        rows,
        "ensembles: Chapter 7's code as printed (n_jobs=-1 where the book sets it)",
        notes="CPU, default threads; score = test accuracy on the moons split (the book's), R² on the training "
              "points for the quadratic. Median of 3 after a warm-up.",
    )
    return rows


def main(quick=False, only=None, repeats=1):
    """One timed fit per ensemble (the full-size ones take seconds to a minute), or with ``repeats`` > 1 the
    median of that many after a warm-up fit."""
    rows = []
    for data_name, kind, split in _datasets(quick):
        for name, params, ours, theirs in _models(kind, quick):
            if only and not name.startswith(tuple(only)):
                continue
            if data_name.startswith("MNIST") and name.startswith("GradientBoosting"):
                params = {**params, "n_estimators": 3 if quick else 10}  # 10 classes x stages trees
            rows.append(compare_fit(
                f"{name}({params['n_estimators']}) fit, {data_name}, {len(split[0])} x {split[0].shape[1]}",
                lambda: ours(**params), lambda: theirs(**params), split, repeats=repeats, warmup=int(repeats > 1),
            ))
    report(
        rows,
        "ensembles (learnflow.ensemble vs sklearn.ensemble, n_jobs=-1 on both)",
        notes="CPU; score = test accuracy (classifiers) or R² (regressors); --quick: small data and few members"
              + (f"; median of {repeats} after a warm-up." if repeats > 1 else "; one timed fit each."),
    )
    return rows


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes")
    parser.add_argument("--only", help="comma-separated ensembles to run (e.g. RandomForest,ExtraTrees)")
    parser.add_argument("--book", action="store_true", help="Chapter 7's own code on its small data")
    parser.add_argument("--repeats", type=int, default=1, help="timed fits per ensemble (median; a warm-up first)")
    args = parser.parse_args()
    if args.book:
        main_book()
    else:
        main(quick=args.quick, only=args.only.split(",") if args.only else None, repeats=args.repeats)
