"""Metrics: regression and classification scores, scorers, pairwise kernels."""

# SPDX-License-Identifier: BSD-3-Clause

from ._classification import accuracy_score
from ._regression import r2_score

__all__ = ["accuracy_score", "r2_score"]
