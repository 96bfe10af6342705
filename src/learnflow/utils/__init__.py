"""Utilities: validation, random state, containers, tags and estimator discovery."""

# SPDX-License-Identifier: BSD-3-Clause

from .._engine import check_random_state
from ._bunch import Bunch
from ._tags import get_tags
from .discovery import all_estimators
from .validation import check_array, check_consistent_length, check_is_fitted, check_X_y, column_or_1d

__all__ = [
    "Bunch",
    "all_estimators",
    "check_array",
    "check_consistent_length",
    "check_is_fitted",
    "check_random_state",
    "check_X_y",
    "column_or_1d",
    "get_tags",
]
