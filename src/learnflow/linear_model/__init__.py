"""Linear models: least squares, Ridge, Lasso/ElasticNet, SGD, logistic regression, Perceptron."""

# SPDX-License-Identifier: BSD-3-Clause

from ._base import LinearRegression
from ._ridge import Ridge, RidgeClassifier

__all__ = [
    "LinearRegression",
    "Ridge",
    "RidgeClassifier",
]
