"""LogisticRegression against scikit-learn and the book's iris results."""

import warnings

import numpy as np
import pytest
import sklearn.linear_model as sk
import torch

from learnflow.datasets import load_iris
from learnflow.linear_model import LogisticRegression
from tests._devices import DEVICES


@pytest.fixture(scope="module")
def iris():
    return load_iris()


@pytest.fixture(scope="module")
def iris_scaled(iris):
    """Standardized iris: a well-conditioned problem on which both solvers converge tightly."""
    return (iris.data - iris.data.mean(axis=0)) / iris.data.std(axis=0), iris.target


def test_books_iris_petal_width_classifier(iris):
    X, y = iris.data[:, 3:], (iris.target == 2).astype(int)
    model = LogisticRegression().fit(X, y)
    np.testing.assert_array_equal(model.predict([[1.7], [1.5]]), [1, 0])
    X_new = np.linspace(0, 3, 1000).reshape(-1, 1)
    boundary = X_new[model.predict_proba(X_new)[:, 1] >= 0.5][0, 0]
    assert abs(boundary - 1.6) < 0.1  # "around 1.6 cm"


def test_books_softmax_regression(iris):
    """Book: class 2 with P = [6.33e-07, 0.0575, 0.9425]; modern lbfgs converges a little further."""
    X, y = iris.data[:, (2, 3)], iris.target
    with pytest.warns(FutureWarning, match="multi_class"):
        ours = LogisticRegression(multi_class="multinomial", solver="lbfgs", C=10).fit(X, y)
    theirs = sk.LogisticRegression(solver="lbfgs", C=10).fit(X, y)
    assert ours.predict([[5, 2]])[0] == 2
    proba = ours.predict_proba([[5, 2]])[0]
    np.testing.assert_allclose(proba, [6.33134078e-07, 5.75276067e-02, 9.42471760e-01], atol=1e-3)
    np.testing.assert_allclose(proba, theirs.predict_proba([[5, 2]])[0], atol=1e-5)


CASES = [dict(), dict(C=0.1), dict(C=100.0), dict(class_weight="balanced"), dict(fit_intercept=False)]


@pytest.mark.parametrize("params", CASES, ids=str)
@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("weighted", [False, True])
def test_lbfgs_probabilities_match_scikit_learn(iris_scaled, params, n_classes, weighted):
    """Same objective and scipy L-BFGS-B options: probabilities within 1e-5 (both converged)."""
    X, target = iris_scaled
    y = target if n_classes == 3 else (target == 1).astype(int)
    sw = np.random.RandomState(0).uniform(0.5, 2.0, len(y)) if weighted else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = LogisticRegression(max_iter=1000, **params).fit(X, y, sample_weight=sw)
        theirs = sk.LogisticRegression(max_iter=1000, **params).fit(X, y, sample_weight=sw)
    np.testing.assert_allclose(ours.predict_proba(X), theirs.predict_proba(X), atol=1e-5)
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))
    assert ours.coef_.shape == theirs.coef_.shape and ours.intercept_.shape == theirs.intercept_.shape
    assert abs(int(ours.n_iter_[0]) - int(theirs.n_iter_[0])) <= 5


@pytest.mark.parametrize("solver", ["newton-cg", "newton-cholesky"])
@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("params", [dict(), dict(C=0.05), dict(class_weight="balanced")], ids=str)
def test_newton_solvers_match_scikit_learn(iris_scaled, solver, n_classes, params):
    X, target = iris_scaled
    y = target if n_classes == 3 else (target == 2).astype(int)
    ours = LogisticRegression(solver=solver, tol=1e-10, **params).fit(X, y)
    theirs = sk.LogisticRegression(solver="lbfgs", tol=1e-10, max_iter=10_000, **params).fit(X, y)
    np.testing.assert_allclose(ours.predict_proba(X), theirs.predict_proba(X), atol=1e-5)
    np.testing.assert_allclose(ours.decision_function(X), theirs.decision_function(X), atol=1e-4)


def test_penalty_none_and_old_spelling(iris):
    X, y = iris.data[:, 2:], (iris.target == 0).astype(int) + (iris.target == 1)
    a = LogisticRegression(penalty=None, max_iter=1000).fit(X[50:], y[50:] * 0 + (iris.target[50:] == 2))
    b = LogisticRegression(penalty="none", max_iter=1000).fit(X[50:], y[50:] * 0 + (iris.target[50:] == 2))
    np.testing.assert_allclose(a.coef_, b.coef_)


def test_ovr_multi_class_matches_binary_fits(iris):
    X, y = iris.data, iris.target
    with pytest.warns(FutureWarning):
        ovr = LogisticRegression(multi_class="ovr").fit(X, y)
    for k in range(3):
        binary = sk.LogisticRegression().fit(X, (y == k).astype(int))
        np.testing.assert_allclose(ovr.coef_[k], binary.coef_[0], rtol=1e-4, atol=1e-6)
    proba = ovr.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


def test_warm_start_and_convergence_warning(iris_scaled):
    from learnflow.exceptions import ConvergenceWarning

    X, y = iris_scaled
    model = LogisticRegression(max_iter=5, warm_start=True)
    with pytest.warns(ConvergenceWarning, match="lbfgs failed to converge"):
        model.fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for _ in range(40):
            model.fit(X, y)
    reference = sk.LogisticRegression(max_iter=1000, tol=1e-8).fit(X, y)
    np.testing.assert_allclose(model.predict_proba(X), reference.predict_proba(X), atol=1e-3)


def test_log_proba_and_string_labels(iris):
    labels = iris.target_names[iris.target]
    model = LogisticRegression().fit(iris.data, labels)
    assert set(model.predict(iris.data)) <= set(iris.target_names)
    np.testing.assert_allclose(np.exp(model.predict_log_proba(iris.data)), model.predict_proba(iris.data))


@pytest.mark.parametrize("device", DEVICES)
def test_torch_input_on_device(iris_scaled, device):
    X_np, y = iris_scaled
    X = torch.as_tensor(X_np, device=device)
    model = LogisticRegression().fit(X, y)
    proba = model.predict_proba(X)
    assert isinstance(proba, torch.Tensor) and proba.device.type == device
    reference = sk.LogisticRegression().fit(X_np, y).predict_proba(X_np)
    tolerance = 1e-5 if device == "cpu" else 1e-3  # float32 on a GPU
    np.testing.assert_allclose(proba.cpu().numpy(), reference, atol=tolerance)


@pytest.mark.parametrize("n_rows", [1, 3])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_cpu_lbfgs_objective_matches_the_torch_loss_and_finite_differences(n_rows, fit_intercept):
    # the numpy objective of the CPU L-BFGS path (which skips all-zero columns) against the torch
    # loss, and its gradient against central finite differences
    from learnflow.linear_model._logistic import _LogisticLoss, _numpy_objective

    rng = np.random.RandomState(0)
    X = rng.normal(size=(40, 5))
    X[:, [1, 3]] = 0.0
    y = rng.randint(0, 3 if n_rows == 3 else 2, size=40)
    weight = torch.as_tensor(rng.uniform(0.5, 2.0, size=40))
    loss = _LogisticLoss(torch.as_tensor(X), torch.as_tensor(y), n_rows, weight, 0.3, fit_intercept)
    objective = _numpy_objective(loss)
    w = rng.normal(size=n_rows * loss.n_params)
    value, grad = objective(w)
    torch_value, torch_grad = loss.loss_gradient(torch.as_tensor(w))
    np.testing.assert_allclose(value, float(torch_value), rtol=1e-12)
    np.testing.assert_allclose(grad, torch_grad.numpy(), rtol=1e-10, atol=1e-12)
    step = 1e-6
    numeric = [(objective(w + step * e)[0] - objective(w - step * e)[0]) / (2 * step) for e in np.eye(len(w))]
    np.testing.assert_allclose(grad, numeric, rtol=1e-5, atol=1e-8)
