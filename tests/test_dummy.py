"""Dummy estimators against scikit-learn's on the same data and seeds."""

import numpy as np
import pytest
import sklearn.dummy
import torch

from learnflow.dummy import DummyClassifier, DummyRegressor
from learnflow.exceptions import NotFittedError

RNG = np.random.RandomState(0)
X = RNG.randn(40, 3)
Y_CLASS = RNG.choice(["cat", "dog", "emu"], size=40, p=[0.5, 0.3, 0.2])
Y_MULTI = np.column_stack([RNG.randint(3, size=40), RNG.randint(2, size=40)])
Y_REG = RNG.randn(40) * 10
WEIGHTS = RNG.uniform(0.1, 2.0, size=40)


@pytest.mark.parametrize("strategy", ["most_frequent", "prior", "stratified", "uniform", "constant"])
@pytest.mark.parametrize("y", [Y_CLASS, Y_MULTI], ids=["single", "multioutput"])
def test_classifier_matches_scikit_learn(strategy, y):
    constant = {"constant": ("dog" if y.ndim == 1 else [1, 0])} if strategy == "constant" else {}
    ours = DummyClassifier(strategy=strategy, random_state=42, **constant).fit(X, y, sample_weight=WEIGHTS)
    theirs = sklearn.dummy.DummyClassifier(strategy=strategy, random_state=42, **constant).fit(
        X, y, sample_weight=WEIGHTS
    )
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))
    ours_proba, theirs_proba = ours.predict_proba(X), theirs.predict_proba(X)
    if y.ndim == 1:
        ours_proba, theirs_proba = [ours_proba], [theirs_proba]
        # accuracy (score) is only defined for single-output targets, in both libraries
        assert ours.score(X, y) == pytest.approx(theirs.score(X, y), abs=1e-12)
    for mine, reference in zip(ours_proba, theirs_proba, strict=True):
        np.testing.assert_allclose(mine, reference, rtol=1e-12)


@pytest.mark.parametrize(
    "params",
    [
        {"strategy": "mean"},
        {"strategy": "median"},
        {"strategy": "quantile", "quantile": 0.3},
        {"strategy": "constant", "constant": 4.5},
    ],
)
@pytest.mark.parametrize("weighted", [False, True])
def test_regressor_matches_scikit_learn(params, weighted):
    weight = WEIGHTS if weighted else None
    ours = DummyRegressor(**params).fit(X, Y_REG, sample_weight=weight)
    theirs = sklearn.dummy.DummyRegressor(**params).fit(X, Y_REG, sample_weight=weight)
    np.testing.assert_allclose(ours.predict(X), theirs.predict(X), rtol=1e-12)
    np.testing.assert_allclose(ours.constant_, theirs.constant_, rtol=1e-12)


def test_random_state_42_gives_identical_runs():
    first = DummyClassifier(strategy="stratified", random_state=42).fit(X, Y_CLASS).predict(X)
    second = DummyClassifier(strategy="stratified", random_state=42).fit(X, Y_CLASS).predict(X)
    np.testing.assert_array_equal(first, second)


def test_torch_input_gives_torch_output():
    reg = DummyRegressor().fit(torch.tensor(X), torch.tensor(Y_REG))
    prediction = reg.predict(torch.tensor(X))
    assert isinstance(prediction, torch.Tensor)
    np.testing.assert_allclose(prediction.numpy(), np.full(40, Y_REG.mean()), rtol=1e-12)


def test_errors_name_the_problem():
    with pytest.raises(NotFittedError, match="DummyClassifier instance is not fitted yet"):
        DummyClassifier().predict(X)
    with pytest.raises(ValueError, match="Unknown label type: continuous"):
        DummyClassifier().fit(X, Y_REG)
    with pytest.raises(ValueError, match="constant target value must be present"):
        DummyClassifier(strategy="constant", constant="yak").fit(X, Y_CLASS)
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        DummyRegressor().fit(X, Y_REG[:10])
    with pytest.raises(ValueError, match="The 'strategy' parameter of DummyRegressor must be"):
        DummyRegressor(strategy="mode").fit(X, Y_REG)
    with pytest.raises(ValueError, match="Input y contains NaN"):
        DummyRegressor().fit(X, np.r_[np.nan, Y_REG[1:]])
