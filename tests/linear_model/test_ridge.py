"""Ridge and RidgeClassifier against scikit-learn and the book's prediction."""

import numpy as np
import pytest
import sklearn.linear_model as sk

from learnflow.linear_model import Ridge, RidgeClassifier

SOLVERS = ["auto", "svd", "cholesky", "lsqr", "sparse_cg", "sag", "saga"]
RTOL = 1e-6


@pytest.mark.parametrize("solver", SOLVERS)
def test_books_ridge_prediction(book_regularization_data, solver):
    X, y = book_regularization_data
    ridge = Ridge(alpha=1, solver=solver, tol=1e-10).fit(X, y)
    np.testing.assert_allclose(ridge.predict([[1.5]]), [[1.55071465]], rtol=1e-8)


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("weighted", [False, True])
def test_solvers_match_scikit_learn(regression_problem, solver, fit_intercept, weighted):
    """Every solver converges to scikit-learn's solution (alpha per target)."""
    X, Y, weight = regression_problem
    sw = weight if weighted else None
    alpha = np.array([0.5, 1.0, 10.0])
    ours = Ridge(alpha=alpha, solver=solver, fit_intercept=fit_intercept, tol=1e-12).fit(X, Y, sample_weight=sw)
    theirs = sk.Ridge(alpha=alpha, solver="cholesky", fit_intercept=fit_intercept).fit(X, Y, sample_weight=sw)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=RTOL, atol=1e-10)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, rtol=RTOL, atol=1e-10)


@pytest.mark.parametrize("solver", ["auto", "svd", "cholesky", "sparse_cg"])
def test_more_features_than_samples(solver):
    rng = np.random.RandomState(3)
    X, y = rng.randn(15, 40), rng.randn(15)
    ours = Ridge(alpha=2.0, solver=solver, tol=1e-12).fit(X, y)
    theirs = sk.Ridge(alpha=2.0).fit(X, y)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=RTOL, atol=1e-10)


def test_positive_uses_lbfgs_like_scikit_learn(regression_problem):
    X, Y, _ = regression_problem
    ours, theirs = Ridge(positive=True).fit(X, Y[:, 0]), sk.Ridge(positive=True).fit(X, Y[:, 0])
    assert (ours.coef_ >= 0).all()
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=RTOL, atol=1e-8)


def test_solver_errors():
    X, y = np.eye(3), [1.0, 2.0, 3.0]
    with pytest.raises(ValueError, match="does not support positive"):
        Ridge(positive=True, solver="svd").fit(X, y)
    with pytest.raises(ValueError, match="only when positive=True"):
        Ridge(solver="lbfgs").fit(X, y)
    with pytest.raises(ValueError, match="The 'alpha' parameter of Ridge"):
        Ridge(alpha=-1.0).fit(X, y)


@pytest.mark.parametrize("class_weight", [None, "balanced"])
def test_ridge_classifier_matches_scikit_learn(class_weight):
    rng = np.random.RandomState(0)
    X = rng.randn(90, 4)
    y = np.repeat(["a", "b", "c"], 30)
    X[y == "b"] += 1.5
    ours = RidgeClassifier(class_weight=class_weight).fit(X[:80], y[:80])
    theirs = sk.RidgeClassifier(class_weight=class_weight).fit(X[:80], y[:80])
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=RTOL, atol=1e-10)
    np.testing.assert_allclose(ours.decision_function(X), theirs.decision_function(X), rtol=RTOL, atol=1e-10)
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))


@pytest.mark.parametrize("offset", [0.0, 0.3, 1e4], ids=["zero-means", "small-means", "large-means"])
def test_cholesky_on_the_folded_gram_matrix_matches_scikit_learn(offset):
    """Tall data without weights solve X^T X - n m m^T directly (no centered copy of X); column
    means larger than the spread fall back to centering first. Both agree with scikit-learn."""
    rng = np.random.RandomState(1)
    X = rng.randn(300, 12) + offset * rng.uniform(1, 3, 12)
    Y = X @ rng.randn(12, 2) + rng.randn(300, 2) + 5.0
    for y in (Y[:, 0], Y):
        ours, theirs = Ridge(alpha=0.3).fit(X, y), sk.Ridge(alpha=0.3).fit(X, y)
        np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=RTOL, atol=1e-10)
        np.testing.assert_allclose(ours.intercept_, theirs.intercept_, rtol=RTOL, atol=1e-10)
