"""MultiOutputClassifier / MultiOutputRegressor against scikit-learn's."""

import joblib
import numpy as np
import pytest
import sklearn.multioutput as skmo
import sklearn.neighbors as skn
from sklearn.linear_model import Ridge as SkRidge

from learnflow.multioutput import MultiOutputClassifier, MultiOutputRegressor
from learnflow.neighbors import KNeighborsClassifier, KNeighborsRegressor


@pytest.fixture
def data():
    rng = np.random.RandomState(4)
    X = rng.normal(size=(120, 4))
    Y = np.c_[X[:, 0] > 0, (X[:, 1] + X[:, 2] > 0).astype(int) + (X[:, 3] > 1)]
    return X, Y.astype(int), rng.normal(size=(40, 4))


def test_classifier_matches_sklearn(data):
    X, Y, Q = data
    ours = MultiOutputClassifier(KNeighborsClassifier(n_neighbors=5)).fit(X, Y)
    theirs = skmo.MultiOutputClassifier(skn.KNeighborsClassifier(n_neighbors=5)).fit(X, Y)
    np.testing.assert_array_equal(ours.predict(Q), theirs.predict(Q))
    for a, b in zip(ours.predict_proba(Q), theirs.predict_proba(Q)):
        np.testing.assert_allclose(a, b, rtol=1e-12)
    for a, b in zip(ours.classes_, theirs.classes_):
        np.testing.assert_array_equal(a, b)
    assert ours.score(X, Y) == theirs.score(X, Y)


def test_classifier_rejects_1d_targets(data):
    X, Y, _ = data
    with pytest.raises(ValueError, match="at least two dimensions"):
        MultiOutputClassifier(KNeighborsClassifier()).fit(X, Y[:, 0])


@pytest.mark.parametrize("n_jobs", [None, 2])
def test_regressor_matches_sklearn(data, n_jobs):
    X, _, Q = data
    Y = X @ np.arange(8.0).reshape(4, 2)
    weight = np.linspace(0.5, 2, len(X))
    theirs = skmo.MultiOutputRegressor(SkRidge(alpha=0.3)).fit(X, Y, sample_weight=weight)
    with joblib.parallel_backend("threading"):  # process workers take tens of seconds to start here
        ours = MultiOutputRegressor(SkRidge(alpha=0.3), n_jobs=n_jobs).fit(X, Y, sample_weight=weight)
        np.testing.assert_allclose(ours.predict(Q), theirs.predict(Q), rtol=1e-12)
    ours = MultiOutputRegressor(KNeighborsRegressor()).fit(X, Y)
    np.testing.assert_allclose(ours.predict(Q), skn.KNeighborsRegressor().fit(X, Y).predict(Q), rtol=1e-12)


def test_sample_weight_needs_support(data):
    X, Y, _ = data
    with pytest.raises(ValueError, match="does not support sample weights"):
        MultiOutputRegressor(KNeighborsRegressor()).fit(X, Y.astype(float), sample_weight=np.ones(len(X)))
