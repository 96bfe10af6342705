"""KNeighborsRegressor against scikit-learn."""

import numpy as np
import pytest
import sklearn.neighbors as skn

from learnflow.neighbors import KNeighborsRegressor


@pytest.mark.parametrize("weights", ["uniform", "distance"])
@pytest.mark.parametrize("n_outputs", [1, 3])
def test_predictions_match_sklearn(weights, n_outputs):
    rng = np.random.RandomState(2)
    X, Q = rng.normal(size=(120, 4)), rng.normal(size=(40, 4))
    y = X @ rng.normal(size=(4, n_outputs)) + 0.1 * rng.normal(size=(120, n_outputs))
    y = y.ravel() if n_outputs == 1 else y
    ours = KNeighborsRegressor(n_neighbors=6, weights=weights).fit(X, y)
    theirs = skn.KNeighborsRegressor(n_neighbors=6, weights=weights).fit(X, y)
    np.testing.assert_allclose(ours.predict(Q), theirs.predict(Q), rtol=1e-10)
    np.testing.assert_allclose(ours.predict(X), theirs.predict(X), rtol=1e-10)  # exact matches
    assert ours.score(Q, theirs.predict(Q)) == pytest.approx(1.0)
