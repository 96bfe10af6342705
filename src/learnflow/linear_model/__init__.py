"""Linear models: least squares, Ridge, Lasso/ElasticNet, SGD, logistic regression, Perceptron."""

# SPDX-License-Identifier: BSD-3-Clause

from ._base import LinearRegression
from ._coordinate_descent import ElasticNet, Lasso
from ._logistic import LogisticRegression
from ._perceptron import Perceptron
from ._ridge import Ridge, RidgeClassifier
from ._ridge_cv import RidgeCV
from ._stochastic_gradient import SGDClassifier, SGDRegressor

__all__ = [
    "ElasticNet",
    "Lasso",
    "LinearRegression",
    "LogisticRegression",
    "Perceptron",
    "Ridge",
    "RidgeCV",
    "RidgeClassifier",
    "SGDClassifier",
    "SGDRegressor",
]
