"""MLPClassifier / MLPRegressor against scikit-learn's."""

import warnings

import numpy as np
import pytest
import torch
from sklearn.datasets import load_digits, make_regression
from sklearn.exceptions import ConvergenceWarning as SkConvergenceWarning
from sklearn.neural_network import MLPClassifier as SkMLPClassifier
from sklearn.neural_network import MLPRegressor as SkMLPRegressor

from learnflow.exceptions import ConvergenceWarning
from learnflow.neural_network import MLPClassifier, MLPRegressor
from tests._devices import DEVICES


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return X[:1200] / 16, y[:1200], X[1200:] / 16, y[1200:]


def _copy_weights(ours, theirs):
    ours.coefs_ = [w.copy() for w in theirs.coefs_]
    ours.intercepts_ = [b.copy() for b in theirs.intercepts_]
    ours._params = None


@pytest.mark.parametrize("activation", ["relu", "tanh", "logistic", "identity"])
def test_forward_pass_matches_sklearn_for_the_same_weights(digits, activation):
    X_train, y_train, X_test, _ = digits
    kwargs = dict(hidden_layer_sizes=(20, 10), activation=activation, max_iter=5,
                  random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SkConvergenceWarning)
        warnings.simplefilter("ignore", ConvergenceWarning)
        sk = SkMLPClassifier(**kwargs).fit(X_train, y_train)
        ours = MLPClassifier(**kwargs).fit(X_train, y_train)
    _copy_weights(ours, sk)
    np.testing.assert_allclose(ours.predict_proba(X_test), sk.predict_proba(X_test), rtol=1e-10)
    # binary: one logistic output
    mask = y_train < 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sk_bin = SkMLPClassifier(**kwargs).fit(X_train[mask], y_train[mask])
        ours_bin = MLPClassifier(**kwargs).fit(X_train[mask], y_train[mask])
    assert ours_bin.coefs_[-1].shape == sk_bin.coefs_[-1].shape == (10, 1)
    _copy_weights(ours_bin, sk_bin)
    np.testing.assert_allclose(ours_bin.predict_proba(X_test), sk_bin.predict_proba(X_test),
                               rtol=1e-10)


@pytest.mark.parametrize("solver", ["adam", "sgd", "lbfgs"])
def test_accuracy_close_to_sklearn(digits, solver):
    X_train, y_train, X_test, y_test = digits
    kwargs = dict(hidden_layer_sizes=(50,), solver=solver, max_iter=60, random_state=0,
                  learning_rate_init=0.01 if solver == "sgd" else 0.001)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sk = SkMLPClassifier(**kwargs).fit(X_train, y_train)
        ours = MLPClassifier(**kwargs).fit(X_train, y_train)
    assert ours.score(X_test, y_test) >= sk.score(X_test, y_test) - 0.04
    assert [w.shape for w in ours.coefs_] == [w.shape for w in sk.coefs_]
    if solver != "lbfgs":
        assert len(ours.loss_curve_) == ours.n_iter_
        assert ours.loss_curve_[-1] < ours.loss_curve_[0]


def test_regressor_matches_sklearn():
    X, y = make_regression(n_samples=300, n_features=6, noise=5.0, random_state=0)
    y = y / y.std()
    kwargs = dict(hidden_layer_sizes=(30,), max_iter=300, learning_rate_init=0.01,
                  random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sk = SkMLPRegressor(**kwargs).fit(X, y)
        ours = MLPRegressor(**kwargs).fit(X, y)
    assert ours.score(X, y) == pytest.approx(sk.score(X, y), abs=0.03)
    _copy_weights(ours, sk)
    np.testing.assert_allclose(ours.predict(X), sk.predict(X), rtol=1e-10)
    # the loss is half the mean squared error plus the L2 term, as scikit-learn's
    assert ours.out_activation_ == "identity" and ours.n_layers_ == 3


def test_early_stopping_partial_fit_warm_start(digits):
    X_train, y_train, X_test, y_test = digits
    clf = MLPClassifier((30,), early_stopping=True, n_iter_no_change=3, max_iter=200,
                        random_state=0).fit(X_train, y_train)
    assert clf.n_iter_ < 200 and len(clf.validation_scores_) == clf.n_iter_
    assert clf.best_validation_score_ == max(clf.validation_scores_)
    inc, sk_inc = MLPClassifier((30,), random_state=0), SkMLPClassifier((30,), random_state=0)
    for _ in range(5):
        inc.partial_fit(X_train, y_train, classes=np.arange(10))
        sk_inc.partial_fit(X_train, y_train, classes=np.arange(10))
    assert inc.n_iter_ == 5
    assert inc.score(X_test, y_test) == pytest.approx(sk_inc.score(X_test, y_test), abs=0.15)
    with pytest.raises(ValueError, match="classes must be passed"):
        MLPClassifier().partial_fit(X_train, y_train)
    with pytest.raises(AttributeError, match="not stochastic"):
        MLPClassifier(solver="lbfgs").partial_fit(X_train, y_train, classes=np.arange(10))
    warm = MLPClassifier((30,), max_iter=3, warm_start=True, random_state=0)
    with pytest.warns(ConvergenceWarning):
        warm.fit(X_train, y_train)
    first = warm.loss_curve_[-1]
    with pytest.warns(ConvergenceWarning):
        warm.fit(X_train, y_train)
    assert warm.n_iter_ == 6 and warm.loss_curve_[-1] < first


def test_torch_input_gives_torch_output(digits):
    X_train, y_train, X_test, _ = digits
    reg = MLPRegressor((10,), max_iter=5, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reg.fit(torch.tensor(X_train), torch.tensor(y_train, dtype=torch.float64))
    out = reg.predict(torch.tensor(X_test))
    assert isinstance(out, torch.Tensor)
    np.testing.assert_allclose(out.numpy(), reg.predict(X_test))


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("solver", ["adam", "sgd"])
def test_torch_input_trains_on_its_device(digits, device, solver):
    """The same seed on the CPU (float64 numpy) and on ``device`` (torch input): the
    accuracy agrees within 2 points and the outputs stay on the input's device."""
    X_train, y_train, X_test, y_test = digits
    params = dict(hidden_layer_sizes=(50,), solver=solver, learning_rate_init=0.01,
                  max_iter=20, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        cpu = MLPClassifier(**params).fit(X_train, y_train)
        Xt = torch.as_tensor(X_train, dtype=torch.float32, device=device)
        dev = MLPClassifier(**params).fit(Xt, torch.as_tensor(y_train, device=device))
    proba = dev.predict_proba(torch.as_tensor(X_test, dtype=torch.float32, device=device))
    assert isinstance(proba, torch.Tensor) and proba.device.type == device
    accuracy = float(np.mean(np.argmax(proba.cpu().numpy(), axis=1) == y_test))
    assert accuracy == pytest.approx(cpu.score(X_test, y_test), abs=0.02)
