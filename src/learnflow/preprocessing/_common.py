"""Helpers shared by the transformers: missing-value tests and column counts."""

# SPDX-License-Identifier: BSD-3-Clause

import numpy as np

__all__ = ["_is_scalar_nan", "_n_features"]


def _is_scalar_nan(value):
    """True for a float NaN scalar (``np.nan``, ``float("nan")``), False for anything else."""
    if isinstance(value, float):  # Python floats and np.float64
        return value != value
    return isinstance(value, np.floating) and bool(np.isnan(value))


def _n_features(X):
    """Number of columns of any 2-D array-like (lists included), or None when it has none."""
    shape = getattr(X, "shape", None)
    if shape is not None:
        return int(shape[1]) if len(shape) >= 2 else None
    try:
        first = X[0]
    except (TypeError, IndexError, KeyError):
        return None
    if isinstance(first, (str, bytes)) or not hasattr(first, "__len__"):
        return None
    return len(first)
