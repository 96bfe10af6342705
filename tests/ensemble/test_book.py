"""Chapter 7's numbers (book, notebook and scikit-learn 1.9.1 values in shared/spec/book-ch05-08.md, Q7.3-Q7.17)."""

import numpy as np
import pytest

from learnflow.datasets import load_iris, make_moons
from learnflow.ensemble import BaggingClassifier, GradientBoostingRegressor, RandomForestClassifier, VotingClassifier
from learnflow.linear_model import LogisticRegression
from learnflow.metrics import accuracy_score, mean_squared_error
from learnflow.model_selection import train_test_split
from learnflow.svm import SVC
from learnflow.tree import DecisionTreeClassifier, DecisionTreeRegressor


@pytest.fixture(scope="module")
def moons():
    X, y = make_moons(n_samples=500, noise=0.30, random_state=42)
    return train_test_split(X, y, random_state=42)


@pytest.fixture(scope="module")
def quadratic():
    """The noisy quadratic of Figure 7-9 (notebook: seed 42, 100 points)."""
    rng = np.random.RandomState(42)
    X = rng.rand(100, 1) - 0.5
    y = 3 * X[:, 0] ** 2 + 0.05 * rng.randn(100)
    return X, y


def _members(probability=False):
    # LogisticRegression(solver="liblinear") in the notebook; learnflow has lbfgs/newton solvers, and the
    # penalised-intercept difference does not change a single moons test prediction (0.864 either way).
    return [
        ("lr", LogisticRegression(random_state=42)),
        ("rf", RandomForestClassifier(n_estimators=10, random_state=42)),
        ("svc", SVC(gamma="auto", probability=probability, random_state=42)),
    ]


def test_hard_voting(moons):
    """Q7.3: LR 0.864, RF 0.872, SVC 0.888, hard voting 0.896.

    LR and SVC reproduce the book exactly. The forest's 0.872 is one draw of scikit-learn's generator:
    learnflow's forests grow level-wise with their own draws (issue 3), so the forest and the vote are
    checked against the range scikit-learn's RandomForestClassifier(10) gives over seeds 0-19 (the
    125-row test set moves by 0.8 point per row), the vote being formed with those forests.
    """
    from sklearn.ensemble import RandomForestClassifier as SkForest

    X_train, X_test, y_train, y_test = moons
    scores, predictions = {}, {}
    for name, clf in _members() + [("voting", VotingClassifier(_members(), voting="hard"))]:
        predictions[name] = clf.fit(X_train, y_train).predict(X_test)
        scores[name] = accuracy_score(y_test, predictions[name])
    assert {k: scores[k] for k in ("lr", "svc")} == pytest.approx({"lr": 0.864, "svc": 0.888})
    rf_range, vote_range = [], []
    for seed in range(20):
        rf = SkForest(n_estimators=10, random_state=seed).fit(X_train, y_train).predict(X_test)
        vote = (predictions["lr"] + rf + predictions["svc"] >= 2).astype(int)
        rf_range.append(accuracy_score(y_test, rf))
        vote_range.append(accuracy_score(y_test, vote))
    assert 0.872 in rf_range or min(rf_range) <= 0.872 <= max(rf_range)  # the book's draw is among them
    assert min(rf_range) <= scores["rf"] <= max(rf_range)
    assert min(vote_range) <= scores["voting"] <= max(vote_range)


def test_soft_voting(moons):
    """Q7.4: soft voting with SVC(probability=True) gives 0.912."""
    X_train, X_test, y_train, y_test = moons
    voting = VotingClassifier(_members(probability=True), voting="soft").fit(X_train, y_train)
    assert accuracy_score(y_test, voting.predict(X_test)) == pytest.approx(0.912)


def test_single_tree_vs_bagging_small(moons):
    """Q7.9 (single tree 0.856); the bag of 500 is the slow test below."""
    X_train, X_test, y_train, y_test = moons
    tree = DecisionTreeClassifier(random_state=42).fit(X_train, y_train)
    assert accuracy_score(y_test, tree.predict(X_test)) == pytest.approx(0.856)


@pytest.mark.slow
def test_bagging_500_trees(moons):
    """Q7.9: BaggingClassifier(DT, 500, max_samples=100, bootstrap=True, random_state=42) gives 0.904."""
    X_train, X_test, y_train, y_test = moons
    bag = BaggingClassifier(DecisionTreeClassifier(), n_estimators=500, max_samples=100, bootstrap=True,
                            n_jobs=-1, random_state=42).fit(X_train, y_train)
    assert accuracy_score(y_test, bag.predict(X_test)) == pytest.approx(0.904)


@pytest.mark.slow
def test_oob_bagging(moons):
    """Q7.5 [V 1.9.1]: oob_score_ 0.89867 and test 0.912 (the book's 0.9307 / 0.936 are not reproducible)."""
    X_train, X_test, y_train, y_test = moons
    bag = BaggingClassifier(DecisionTreeClassifier(), n_estimators=500, bootstrap=True, oob_score=True,
                            random_state=40).fit(X_train, y_train)
    assert bag.oob_score_ == pytest.approx(0.89867, abs=5e-5)
    assert accuracy_score(y_test, bag.predict(X_test)) == pytest.approx(0.912)
    assert bag.oob_decision_function_.shape == (375, 2)


def test_iris_feature_importances():
    """Q7.8: RandomForestClassifier(500, random_state=42) importances 0.112 / 0.023 / 0.441 / 0.423.

    The book's numbers are scikit-learn's seed-42 forest (0.112492, 0.023119, 0.441030, 0.423358, the
    oracle, recomputed here). A forest this small grows with the exact builder (scikit-learn's trees,
    seeds and bootstrap draws), so it is scikit-learn's forest: its importances equal the oracle's and
    are within the book's 0.01 of the printed values.
    """
    from sklearn.ensemble import RandomForestClassifier as SkForest

    iris = load_iris()
    forest = RandomForestClassifier(n_estimators=500, n_jobs=-1, random_state=42).fit(iris.data, iris.target)
    printed = np.array([0.112, 0.023, 0.441, 0.423])
    oracle = SkForest(n_estimators=500, random_state=42).fit(iris.data, iris.target).feature_importances_
    np.testing.assert_allclose(oracle, [0.112492250999, 0.0231192882825, 0.441030464364, 0.423357996355], atol=1e-9)
    np.testing.assert_allclose(forest.feature_importances_, printed, atol=0.01)
    np.testing.assert_allclose(forest.feature_importances_, oracle, atol=1e-6)


def test_manual_gradient_boosting_equals_gbrt(quadratic):
    """Q7.11: three residual trees equal GBR(max_depth=2, n_estimators=3, lr=1): 0.75026781 at x = 0.8."""
    X, y = quadratic
    tree1 = DecisionTreeRegressor(max_depth=2, random_state=42).fit(X, y)
    y2 = y - tree1.predict(X)
    tree2 = DecisionTreeRegressor(max_depth=2, random_state=42).fit(X, y2)
    y3 = y2 - tree2.predict(X)
    tree3 = DecisionTreeRegressor(max_depth=2, random_state=42).fit(X, y3)
    x_new = np.array([[0.8]])
    manual = sum(tree.predict(x_new) for tree in (tree1, tree2, tree3))
    gbrt = GradientBoostingRegressor(max_depth=2, n_estimators=3, learning_rate=1.0, random_state=42).fit(X, y)
    np.testing.assert_allclose(manual, [0.75026781], atol=1e-8)
    np.testing.assert_allclose(gbrt.predict(x_new), [0.75026781], atol=1e-8)


def test_early_stopping_with_staged_predict(quadratic):
    """Q7.12 [V 1.9.1]: the best of 120 stages is 56 trees, validation MSE 0.002712853325235463."""
    X, y = quadratic
    X_train, X_val, y_train, y_val = train_test_split(X, y, random_state=49)
    gbrt = GradientBoostingRegressor(max_depth=2, n_estimators=120, random_state=42).fit(X_train, y_train)
    errors = [mean_squared_error(y_val, y_pred) for y_pred in gbrt.staged_predict(X_val)]
    assert int(np.argmin(errors)) + 1 == 56
    assert min(errors) == pytest.approx(0.002712853325235463, rel=1e-9)


def test_early_stopping_with_warm_start(quadratic):
    """Q7.12: the warm-start loop stops at n_estimators = 61 (five stages after the best, 56)."""
    X, y = quadratic
    X_train, X_val, y_train, y_val = train_test_split(X, y, random_state=49)
    gbrt = GradientBoostingRegressor(max_depth=2, warm_start=True, random_state=42)
    min_val_error, error_going_up = float("inf"), 0
    for n_estimators in range(1, 120):
        gbrt.n_estimators = n_estimators
        gbrt.fit(X_train, y_train)
        val_error = mean_squared_error(y_val, gbrt.predict(X_val))
        if val_error < min_val_error:
            min_val_error, error_going_up = val_error, 0
        else:
            error_going_up += 1
            if error_going_up == 5:
                break
    assert gbrt.n_estimators == 61
    assert min_val_error == pytest.approx(0.002712853325235463, rel=1e-9)
