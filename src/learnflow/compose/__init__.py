"""Composite estimators: per-column transformers and target transforms (Chapter 2)."""

# SPDX-License-Identifier: BSD-3-Clause

from ._column_transformer import ColumnTransformer, make_column_selector, make_column_transformer
from ._target import TransformedTargetRegressor

__all__ = ["ColumnTransformer", "TransformedTargetRegressor", "make_column_selector", "make_column_transformer"]
