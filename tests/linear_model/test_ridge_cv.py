"""RidgeCV against scikit-learn: leave-one-out errors in closed form, grid search with cv."""

import numpy as np
import pytest
from sklearn.linear_model import RidgeCV as SkRidgeCV

from learnflow.linear_model import RidgeCV


@pytest.fixture(scope="module")
def data():
    rng = np.random.RandomState(0)
    X = rng.randn(40, 5)
    y = X @ rng.randn(5) + rng.randn(40)
    return X, y, rng.rand(40) + 0.5


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("alphas", [(0.1, 1.0, 10.0), (0.01, 3.0, 30.0, 100.0)])
def test_loo_matches_sklearn(data, fit_intercept, weighted, alphas):
    X, y, w = data
    sw = w if weighted else None
    ours = RidgeCV(alphas=alphas, fit_intercept=fit_intercept, store_cv_results=True).fit(X, y, sample_weight=sw)
    theirs = SkRidgeCV(alphas=alphas, fit_intercept=fit_intercept, store_cv_results=True).fit(X, y, sample_weight=sw)
    assert ours.alpha_ == theirs.alpha_
    assert ours.best_score_ == pytest.approx(theirs.best_score_, rel=1e-10)
    np.testing.assert_allclose(ours.cv_results_, theirs.cv_results_, rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=1e-10)
    np.testing.assert_allclose(ours.predict(X), theirs.predict(X), atol=1e-10)


def test_scoring_cv_and_per_target(data):
    X, y, _ = data
    Y = np.column_stack([y, 2 * y + np.sin(X[:, 0])])
    for kw in (dict(scoring="r2"), dict(cv=3), dict(alpha_per_target=True, alphas=(0.1, 10.0, 100.0))):
        target = Y if kw.get("alpha_per_target") else y
        ours, theirs = RidgeCV(**kw).fit(X, target), SkRidgeCV(**kw).fit(X, target)
        np.testing.assert_allclose(ours.alpha_, theirs.alpha_)
        np.testing.assert_allclose(ours.best_score_, theirs.best_score_, rtol=1e-8)


def test_rejects_non_positive_alphas(data):
    X, y, _ = data
    with pytest.raises(ValueError, match="alphas"):
        RidgeCV(alphas=(0.0, 1.0)).fit(X, y)
