"""Imputation of missing values (Chapter 2, "Data Cleaning")."""

# SPDX-License-Identifier: BSD-3-Clause

from ._base import MissingIndicator, SimpleImputer

__all__ = ["MissingIndicator", "SimpleImputer"]
