"""KernelPCA against the book's Swiss-roll numbers and scikit-learn."""

import numpy as np
import pytest
from sklearn import decomposition as skd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline

from learnflow.datasets import make_swiss_roll
from learnflow.decomposition import KernelPCA
from learnflow.exceptions import NotFittedError


@pytest.fixture(scope="module")
def swiss_roll():
    return make_swiss_roll(n_samples=1000, noise=0.2, random_state=42)


def test_book_grid_search_picks_rbf_gamma(swiss_roll):
    """Q8.13: the kPCA + logistic regression pipeline picks gamma 0.0433 with the rbf kernel."""
    X, t = swiss_roll
    y = t > 6.9
    clf = Pipeline([("kpca", KernelPCA(n_components=2)), ("log_reg", LogisticRegression())])
    param_grid = [{"kpca__gamma": np.linspace(0.03, 0.05, 10), "kpca__kernel": ["rbf", "sigmoid"]}]
    grid_search = GridSearchCV(clf, param_grid, cv=3).fit(X, y)
    assert grid_search.best_params_["kpca__kernel"] == "rbf"
    assert grid_search.best_params_["kpca__gamma"] == pytest.approx(0.043333333333333335, rel=1e-12)


def test_book_preimage_mse(swiss_roll):
    """Q8.14: pre-image reconstruction MSE 32.786308795766 (kernel ridge regression pre-image)."""
    X, _ = swiss_roll
    rbf_pca = KernelPCA(n_components=2, kernel="rbf", gamma=0.0433, fit_inverse_transform=True)
    X_preimage = rbf_pca.inverse_transform(rbf_pca.fit_transform(X))
    assert np.mean((X - X_preimage) ** 2) == pytest.approx(32.786308795766, rel=1e-6)


@pytest.mark.parametrize("kernel, params", [
    ("linear", {}), ("poly", {"degree": 2, "gamma": 0.1}), ("rbf", {"gamma": 0.04}),
    ("sigmoid", {"gamma": 1e-3, "coef0": 1}), ("cosine", {}),
])
@pytest.mark.parametrize("solver", ["dense", "arpack", "randomized"])
def test_matches_sklearn(swiss_roll, kernel, params, solver):
    X = swiss_roll[0][:300]
    ours = KernelPCA(n_components=2, kernel=kernel, eigen_solver=solver, random_state=0,
                     fit_inverse_transform=True, **params)
    theirs = skd.KernelPCA(n_components=2, kernel=kernel, eigen_solver=solver, random_state=0,
                           fit_inverse_transform=True, **params)
    Z = ours.fit_transform(X)
    np.testing.assert_allclose(Z, theirs.fit_transform(X), atol=1e-7)
    np.testing.assert_allclose(ours.eigenvalues_, theirs.eigenvalues_, rtol=1e-7)
    np.testing.assert_allclose(ours.transform(X[:20] + 0.1), theirs.transform(X[:20] + 0.1), atol=1e-7)
    np.testing.assert_allclose(ours.inverse_transform(Z[:20]), theirs.inverse_transform(Z[:20]), atol=1e-6)


def test_precomputed_and_callable_kernels(swiss_roll):
    X = swiss_roll[0][:100]
    K = np.exp(-0.04 * ((X[:, None] - X[None]) ** 2).sum(-1))
    precomputed = KernelPCA(n_components=3, kernel="precomputed").fit_transform(K)
    rbf = KernelPCA(n_components=3, kernel="rbf", gamma=0.04).fit_transform(X)
    np.testing.assert_allclose(precomputed, rbf, atol=1e-8)
    linear = KernelPCA(n_components=2, kernel=lambda a, b: float(a @ b)).fit_transform(X[:30])
    np.testing.assert_allclose(linear, skd.KernelPCA(n_components=2).fit_transform(X[:30]), atol=1e-8)


def test_n_components_none_and_remove_zero_eig(swiss_roll):
    X = swiss_roll[0][:50]
    ours, theirs = KernelPCA(kernel="linear").fit(X), skd.KernelPCA(kernel="linear").fit(X)
    np.testing.assert_allclose(ours.eigenvalues_, theirs.eigenvalues_, rtol=1e-8)


def test_errors(swiss_roll):
    X = swiss_roll[0][:20]
    with pytest.raises(NotFittedError, match="fit_inverse_transform"):
        KernelPCA(n_components=2).fit(X).inverse_transform(np.zeros((1, 2)))
    with pytest.raises(ValueError, match="precomputed"):
        KernelPCA(kernel="precomputed", fit_inverse_transform=True).fit(np.eye(3))
