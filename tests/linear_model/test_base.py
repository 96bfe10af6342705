"""LinearRegression against the book's Normal Equation and scikit-learn."""

import numpy as np
import pytest
import sklearn.linear_model as sk
import torch

from learnflow.linear_model import LinearRegression
from tests._devices import DEVICES

RTOL = 1e-6


def test_normal_equation_and_linear_regression_give_the_books_theta(book_linear_data):
    X, y = book_linear_data
    X_b = np.c_[np.ones((100, 1)), X]
    theta_best = np.linalg.inv(X_b.T.dot(X_b)).dot(X_b.T).dot(y)
    np.testing.assert_allclose(theta_best.ravel(), [4.21509616, 2.77011339], rtol=1e-8)
    reg = LinearRegression().fit(X, y)
    np.testing.assert_allclose([reg.intercept_[0], reg.coef_[0, 0]], [4.21509616, 2.77011339], rtol=1e-8)
    np.testing.assert_allclose(reg.predict([[0], [2]]).ravel(), [4.21509616, 9.75532293], rtol=1e-8)


def test_polynomial_degree_2_fit_gives_the_books_coefficients(book_quadratic_data):
    X, y = book_quadratic_data
    X_poly = np.c_[X, X**2]  # PolynomialFeatures(degree=2, include_bias=False)
    np.testing.assert_allclose(X_poly[0], [-0.75275929, 0.56664654], rtol=1e-7)
    reg = LinearRegression().fit(X_poly, y.ravel())
    np.testing.assert_allclose([reg.intercept_, *reg.coef_], [1.78134581, 0.93366893, 0.56456263], rtol=1e-8)


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("positive", [False, True])
@pytest.mark.parametrize("multi_target", [False, True])
def test_matches_scikit_learn(regression_problem, fit_intercept, weighted, positive, multi_target):
    X, Y, weight = regression_problem
    y = Y if multi_target else Y[:, 0]
    sw = weight if weighted else None
    ours = LinearRegression(fit_intercept=fit_intercept, positive=positive).fit(X, y, sample_weight=sw)
    theirs = sk.LinearRegression(fit_intercept=fit_intercept, positive=positive).fit(X, y, sample_weight=sw)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=RTOL, atol=1e-10)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, rtol=RTOL, atol=1e-10)
    np.testing.assert_allclose(ours.predict(X), theirs.predict(X), rtol=RTOL)


def test_rank_deficient_gives_minimum_norm_solution_like_scikit_learn():
    rng = np.random.RandomState(1)
    X = rng.randn(10, 30)
    y = rng.randn(10)
    ours, theirs = LinearRegression().fit(X, y), sk.LinearRegression().fit(X, y)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=RTOL, atol=1e-10)
    assert ours.rank_ == theirs.rank_
    np.testing.assert_allclose(ours.singular_, theirs.singular_, rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("device", DEVICES)
def test_torch_input_gives_torch_output_on_its_device(book_linear_data, device):
    X, y = book_linear_data
    Xt = torch.as_tensor(X, device=device)
    reg = LinearRegression().fit(Xt, torch.as_tensor(y.ravel(), device=device))
    prediction = reg.predict(Xt)
    assert isinstance(prediction, torch.Tensor) and prediction.device.type == device
    np.testing.assert_allclose(reg.coef_, [2.77011339], rtol=1e-5)


def test_wrong_feature_count_is_a_clear_error(book_linear_data):
    X, y = book_linear_data
    reg = LinearRegression().fit(X, y)
    with pytest.raises(ValueError, match="X has 2 features, but LinearRegression is expecting 1"):
        reg.predict(np.ones((3, 2)))
