"""KernelRidge against scikit-learn."""

import numpy as np
import pytest
from sklearn.kernel_ridge import KernelRidge as SkKernelRidge

from learnflow.kernel_ridge import KernelRidge


@pytest.fixture(scope="module")
def data():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(40, 3))
    Y = np.column_stack([np.sin(X[:, 0]) + X[:, 1], X[:, 2] ** 2])
    return X, Y


@pytest.mark.parametrize("kernel, params", [
    ("linear", {}), ("rbf", {"gamma": 0.5}), ("poly", {"degree": 2}), ("sigmoid", {"gamma": 0.1}),
    ("laplacian", {}), ("cosine", {}),
])
@pytest.mark.parametrize("multi_output", [False, True])
def test_matches_sklearn(data, kernel, params, multi_output):
    X, Y = data
    y = Y if multi_output else Y[:, 0]
    ours = KernelRidge(alpha=0.3, kernel=kernel, **params).fit(X, y)
    theirs = SkKernelRidge(alpha=0.3, kernel=kernel, **params).fit(X, y)
    np.testing.assert_allclose(ours.dual_coef_, theirs.dual_coef_, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(ours.predict(X[:5] + 0.1), theirs.predict(X[:5] + 0.1), rtol=1e-7, atol=1e-9)


def test_sample_weight_and_per_target_alpha(data):
    X, Y = data
    w = np.random.RandomState(1).rand(len(X)) + 0.5
    for alpha in (0.7, [0.1, 2.0]):
        ours = KernelRidge(alpha=alpha, kernel="rbf", gamma=0.3).fit(X, Y, sample_weight=w)
        theirs = SkKernelRidge(alpha=alpha, kernel="rbf", gamma=0.3).fit(X, Y, sample_weight=w)
        np.testing.assert_allclose(ours.dual_coef_, theirs.dual_coef_, rtol=1e-7, atol=1e-9)


def test_precomputed_kernel(data):
    X, Y = data
    K = X @ X.T
    ours = KernelRidge(kernel="precomputed").fit(K, Y[:, 0])
    np.testing.assert_allclose(ours.predict(K[:4]), SkKernelRidge(kernel="precomputed").fit(K, Y[:, 0]).predict(K[:4]))


def test_singular_kernel_falls_back_to_least_squares_as_sklearn():
    """alpha=0 on a rank-2 kernel: Cholesky fails, both warn and take the least-squares dual coefficients."""
    rng = np.random.RandomState(0)
    X = rng.rand(6, 2)
    K, y = X @ X.T, rng.rand(6)
    with pytest.warns(UserWarning, match="Singular matrix"):
        ours = KernelRidge(alpha=0.0, kernel="precomputed").fit(K, y)
    with pytest.warns(UserWarning, match="Singular matrix"):
        theirs = SkKernelRidge(alpha=0.0, kernel="precomputed").fit(K, y)
    np.testing.assert_allclose(ours.predict(K), theirs.predict(K), atol=1e-8)
