"""TransformedTargetRegressor against scikit-learn."""

import numpy as np
import pytest
from sklearn import compose as skc
from sklearn import linear_model as sklm
from sklearn import preprocessing as skp

from learnflow.compose import TransformedTargetRegressor
from learnflow.dummy import DummyRegressor
from learnflow.preprocessing import StandardScaler

RNG = np.random.RandomState(0)
X = RNG.normal(size=(40, 3))
Y = np.exp(X @ np.array([0.3, -0.2, 0.1]) + 1.0)


def test_func_matches_sklearn():
    ours = TransformedTargetRegressor(sklm.LinearRegression(), func=np.log, inverse_func=np.exp).fit(X, Y)
    theirs = skc.TransformedTargetRegressor(sklm.LinearRegression(), func=np.log, inverse_func=np.exp).fit(X, Y)
    np.testing.assert_allclose(ours.predict(X), theirs.predict(X), rtol=1e-8)
    assert ours.score(X, Y) == pytest.approx(theirs.score(X, Y), rel=1e-8)
    assert ours.n_features_in_ == 3


def test_transformer_matches_sklearn_and_2d_target():
    Y2 = np.c_[Y, 2 * Y]
    ours = TransformedTargetRegressor(sklm.LinearRegression(), transformer=StandardScaler()).fit(X, Y2)
    theirs = skc.TransformedTargetRegressor(sklm.LinearRegression(), transformer=skp.StandardScaler()).fit(X, Y2)
    assert ours.predict(X).shape == (40, 2)
    np.testing.assert_allclose(ours.predict(X), theirs.predict(X), rtol=1e-8)


def test_default_regressor_is_linear_regression():
    pytest.importorskip("learnflow.linear_model")
    ours = TransformedTargetRegressor(func=np.log, inverse_func=np.exp).fit(X, Y)
    theirs = skc.TransformedTargetRegressor(func=np.log, inverse_func=np.exp).fit(X, Y)
    np.testing.assert_allclose(ours.predict(X), theirs.predict(X), rtol=1e-6)


def test_errors_and_inverse_check():
    with pytest.raises(ValueError, match="cannot both be set"):
        TransformedTargetRegressor(DummyRegressor(), transformer=StandardScaler(), func=np.log).fit(X, Y)
    with pytest.raises(ValueError, match="'inverse_func' must also be provided"):
        TransformedTargetRegressor(DummyRegressor(), func=np.log).fit(X, Y)
    with pytest.warns(UserWarning, match="not strictly inverse"):
        TransformedTargetRegressor(DummyRegressor(), func=np.log, inverse_func=np.sqrt).fit(X, Y)
