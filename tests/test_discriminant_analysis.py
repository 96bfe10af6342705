"""LinearDiscriminantAnalysis against scikit-learn (within 1e-8)."""

import numpy as np
import pytest
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis as SkLDA

from learnflow.datasets import load_iris
from learnflow.discriminant_analysis import LinearDiscriminantAnalysis


@pytest.fixture(scope="module")
def iris():
    return load_iris(return_X_y=True)


@pytest.mark.parametrize("solver, shrinkage", [
    ("svd", None), ("lsqr", None), ("eigen", None), ("lsqr", "auto"), ("eigen", "auto"), ("lsqr", 0.3), ("eigen", 0.3),
])
@pytest.mark.parametrize("binary", [False, True])
def test_matches_sklearn(iris, solver, shrinkage, binary):
    X, y = iris
    y = (y > 0).astype(int) if binary else y
    ours = LinearDiscriminantAnalysis(solver=solver, shrinkage=shrinkage, store_covariance=True).fit(X, y)
    theirs = SkLDA(solver=solver, shrinkage=shrinkage, store_covariance=True).fit(X, y)
    for name in ("coef_", "intercept_", "means_", "priors_", "covariance_"):
        np.testing.assert_allclose(getattr(ours, name), getattr(theirs, name), atol=1e-8, err_msg=name)
    np.testing.assert_allclose(ours.predict_proba(X), theirs.predict_proba(X), atol=1e-8)
    np.testing.assert_allclose(ours.decision_function(X), theirs.decision_function(X), atol=1e-8)
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))
    if solver != "lsqr":
        np.testing.assert_allclose(ours.explained_variance_ratio_, theirs.explained_variance_ratio_, atol=1e-8)
        # each discriminant axis is defined up to its sign
        Z, Z_sk = ours.transform(X), theirs.transform(X)
        signs = np.sign((Z * Z_sk).sum(axis=0))
        np.testing.assert_allclose(Z * signs, Z_sk, atol=1e-8)


def test_n_components_priors_and_errors(iris):
    X, y = iris
    lda = LinearDiscriminantAnalysis(n_components=1, priors=[0.2, 0.3, 0.5]).fit(X, y)
    sk = SkLDA(n_components=1, priors=[0.2, 0.3, 0.5]).fit(X, y)
    assert lda.transform(X).shape == (150, 1)
    np.testing.assert_allclose(lda.predict_proba(X), sk.predict_proba(X), atol=1e-8)
    with pytest.raises(ValueError, match="n_components cannot be larger"):
        LinearDiscriminantAnalysis(n_components=3).fit(X, y)
    with pytest.raises(ValueError, match="shrinkage not supported"):
        LinearDiscriminantAnalysis(shrinkage="auto").fit(X, y)
    with pytest.raises(ValueError, match="lsqr"):
        LinearDiscriminantAnalysis(solver="lsqr").fit(X, y).transform(X)
