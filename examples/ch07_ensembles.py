"""Chapter 7, Ensemble Learning and Random Forests, with learnflow (book numbers in shared/spec, Q7.1-Q7.17).

Usage::

    python examples/ch07_ensembles.py [--data DIR] [--quick]

Prints the chapter's numbers: the law of large numbers, hard and soft voting
on moons, bagging (with out-of-bag evaluation), random forests and their iris
feature importances, AdaBoost, gradient boosting (manual residual trees,
staged_predict and warm-start early stopping), and exercises 8-9 (voting and
a random-forest blender) on the offline data: the MNIST *test set* (10,000
digits, ``--data``/mnist) split 8,000 / 2,000 (stratified, seed 42), the
train part split again 6,000 / 2,000 for validation, because the 60,000
training digits are not available offline. The book uses 50,000 / 10,000 /
10,000 of all 70,000 digits, so the exercise scores are lower than the
notebook's (Q7.16-Q7.17). ``--quick`` uses fewer members and 2,000 digits.
"""

# SPDX-License-Identifier: BSD-3-Clause

import argparse
from pathlib import Path

import numpy as np

from learnflow.datasets import fetch_mnist, load_iris, make_moons
from learnflow.ensemble import (
    AdaBoostClassifier,
    BaggingClassifier,
    ExtraTreesClassifier,
    GradientBoostingRegressor,
    RandomForestClassifier,
    VotingClassifier,
)
from learnflow.linear_model import LogisticRegression
from learnflow.metrics import accuracy_score, mean_squared_error
from learnflow.model_selection import train_test_split
from learnflow.svm import SVC, LinearSVC
from learnflow.tree import DecisionTreeClassifier, DecisionTreeRegressor

_SHARED = Path(__file__).resolve().parents[2] / "shared" / "datasets"


def law_of_large_numbers():
    """Q7.1: a 51% coin's heads ratio over 10 series of 10,000 tosses."""
    heads = (np.random.RandomState(42).rand(10000, 10) < 0.51).cumsum(axis=0) / np.arange(1, 10001)[:, None]
    print(f"7-B heads ratio after 10,000 tosses: {heads[-1].round(3)} (converging to 0.51)")


def voting(moons, n_trees):
    """Q7.3-Q7.4: LR 0.864, RF 0.872, SVC 0.888; hard voting 0.896, soft 0.912."""
    X_train, X_test, y_train, y_test = moons
    for kind, probability in (("hard", False), ("soft", True)):
        members = [
            ("lr", LogisticRegression(random_state=42)),  # the notebook's solver="liblinear": same accuracy
            ("rf", RandomForestClassifier(n_estimators=10, random_state=42)),
            ("svc", SVC(gamma="auto", probability=probability, random_state=42)),
        ]
        vote = VotingClassifier(members, voting=kind).fit(X_train, y_train)
        scores = {name: accuracy_score(y_test, est.predict(X_test)) for name, est in vote.named_estimators_.items()}
        print(f"7-C/D {kind} voting: members {scores}, voting {accuracy_score(y_test, vote.predict(X_test))}")


def bagging(moons, n_trees):
    """Q7.5, Q7.9: bagging 0.904 vs one tree 0.856; OOB 0.8987 / test 0.912 (scikit-learn 1.9.1)."""
    X_train, X_test, y_train, y_test = moons
    tree = DecisionTreeClassifier(random_state=42).fit(X_train, y_train)
    bag = BaggingClassifier(DecisionTreeClassifier(), n_estimators=n_trees, max_samples=100, n_jobs=-1,
                            random_state=42).fit(X_train, y_train)
    print(f"7-F single tree {tree.score(X_test, y_test)}, bagging ({n_trees} trees, 100 samples) "
          f"{bag.score(X_test, y_test)}")
    oob = BaggingClassifier(DecisionTreeClassifier(), n_estimators=n_trees, oob_score=True, n_jobs=-1,
                            random_state=40).fit(X_train, y_train)
    print(f"7-G oob_score_ {oob.oob_score_:.5f}, test {oob.score(X_test, y_test)}, "
          f"oob_decision_function_[:2] {oob.oob_decision_function_[:2].round(4).tolist()}")


def forests_and_boosting(moons, n_trees):
    """Q7.8, Q7.10, Q7.15: iris importances, RF vs bagged random-split trees, AdaBoost."""
    X_train, X_test, y_train, y_test = moons
    iris = load_iris()
    forest = RandomForestClassifier(n_estimators=n_trees, n_jobs=-1, random_state=42).fit(iris.data, iris.target)
    for name, score in zip(iris.feature_names, forest.feature_importances_):
        print(f"7-K {name}: {score:.4f}")
    rf = RandomForestClassifier(n_estimators=n_trees, max_leaf_nodes=16, n_jobs=-1, random_state=42)
    bag = BaggingClassifier(DecisionTreeClassifier(splitter="random", max_leaf_nodes=16), n_estimators=n_trees,
                            max_samples=1.0, bootstrap=True, n_jobs=-1, random_state=42)
    y_rf = rf.fit(X_train, y_train).predict(X_test)
    agreement = np.mean(bag.fit(X_train, y_train).predict(X_test) == y_rf)
    print(f"7-I RF test {accuracy_score(y_test, y_rf)}, agreement with the random-split bag {agreement:.3f}")
    ada = AdaBoostClassifier(DecisionTreeClassifier(max_depth=1), n_estimators=200, learning_rate=0.5,
                             random_state=42).fit(X_train, y_train)
    print(f"7-M AdaBoost (SAMME, 200 stumps) test {ada.score(X_test, y_test)}")


def gradient_boosting():
    """Q7.11-Q7.12: manual residual trees = GBRT (0.75026781); early stopping at 56 trees, loop stops at 61."""
    rng = np.random.RandomState(42)
    X = rng.rand(100, 1) - 0.5
    y = 3 * X[:, 0] ** 2 + 0.05 * rng.randn(100)
    trees, residual = [], y
    for _ in range(3):
        trees.append(DecisionTreeRegressor(max_depth=2, random_state=42).fit(X, residual))
        residual = residual - trees[-1].predict(X)
    gbrt = GradientBoostingRegressor(max_depth=2, n_estimators=3, learning_rate=1.0, random_state=42).fit(X, y)
    manual = sum(t.predict([[0.8]]) for t in trees)
    print(f"7-P manual {manual[0]:.8f}, GradientBoostingRegressor {gbrt.predict([[0.8]])[0]:.8f}")
    X_train, X_val, y_train, y_val = train_test_split(X, y, random_state=49)
    gbrt = GradientBoostingRegressor(max_depth=2, n_estimators=120, random_state=42).fit(X_train, y_train)
    errors = [mean_squared_error(y_val, y_pred) for y_pred in gbrt.staged_predict(X_val)]
    print(f"7-S best number of trees {np.argmin(errors) + 1}, min validation MSE {min(errors)}")
    gbrt = GradientBoostingRegressor(max_depth=2, warm_start=True, random_state=42)
    best, going_up = float("inf"), 0
    for n_estimators in range(1, 120):
        gbrt.n_estimators = n_estimators
        error = mean_squared_error(y_val, gbrt.fit(X_train, y_train).predict(X_val))
        best, going_up = (error, 0) if error < best else (best, going_up + 1)
        if going_up == 5:
            break
    print(f"7-T warm-start loop stopped at n_estimators={gbrt.n_estimators}, min validation MSE {best}")


def exercises_8_9(data, n_digits, n_trees):
    """Ex 8-9 on the MNIST test set: voting beats its members; a random-forest blender on their votes."""
    X, y = fetch_mnist(data_home=data / "mnist", subset="test", return_X_y=True, download_if_missing=False)
    X, y = np.asarray(X, dtype=np.float64)[:n_digits] / 255.0, np.asarray(y)[:n_digits]
    X_rest, X_test, y_rest, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=42)
    X_train, X_val, y_train, y_val = train_test_split(X_rest, y_rest, test_size=0.25, stratify=y_rest,
                                                      random_state=42)
    members = [
        ("random_forest", RandomForestClassifier(n_estimators=n_trees, n_jobs=-1, random_state=42)),
        ("extra_trees", ExtraTreesClassifier(n_estimators=n_trees, n_jobs=-1, random_state=42)),
        ("linear_svc", LinearSVC(random_state=42)),
    ]
    vote = VotingClassifier(members).fit(X_train, y_train)
    for name, est in vote.named_estimators_.items():
        print(f"ex 8 {name}: validation {est.score(X_val, y_val):.4f}, test {est.score(X_test, y_test):.4f}")
    print(f"ex 8 hard voting: validation {vote.score(X_val, y_val):.4f}, test {vote.score(X_test, y_test):.4f}")
    votes_val = np.column_stack([est.predict(X_val) for est in vote.estimators_])
    blender = RandomForestClassifier(n_estimators=200, oob_score=True, n_jobs=-1, random_state=42)
    blender.fit(votes_val, y_val)
    votes_test = np.column_stack([est.predict(X_test) for est in vote.estimators_])
    print(f"ex 9 blender: oob {blender.oob_score_:.4f}, test {accuracy_score(y_test, blender.predict(votes_test)):.4f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=_SHARED)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    n_trees = 50 if args.quick else 500
    X, y = make_moons(n_samples=500, noise=0.30, random_state=42)
    moons = train_test_split(X, y, random_state=42)
    law_of_large_numbers()
    voting(moons, n_trees)
    bagging(moons, n_trees)
    forests_and_boosting(moons, n_trees)
    gradient_boosting()
    if (args.data / "mnist").is_dir():
        exercises_8_9(args.data, 2000 if args.quick else 10000, 10 if args.quick else 100)
    else:
        print(f"exercises 8-9 skipped: no MNIST under {args.data / 'mnist'}")


if __name__ == "__main__":
    main()
