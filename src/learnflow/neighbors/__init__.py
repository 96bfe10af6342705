"""Nearest neighbors: brute-force search on torch, classification and regression."""

# SPDX-License-Identifier: BSD-3-Clause

from ._base import VALID_METRICS
from ._classification import KNeighborsClassifier
from ._regression import KNeighborsRegressor
from ._unsupervised import NearestNeighbors

__all__ = ["VALID_METRICS", "KNeighborsClassifier", "KNeighborsRegressor", "NearestNeighbors"]
