"""Neural-network models with scikit-learn's API (Chapter 10)."""

# SPDX-License-Identifier: BSD-3-Clause

from ._multilayer_perceptron import MLPClassifier, MLPRegressor

__all__ = ["MLPClassifier", "MLPRegressor"]
