"""Helpers shared by the transformers: output feature names and missing-value tests.

NOTE: ``_check_feature_names_in`` belongs in ``learnflow.utils.validation``
(scikit-learn keeps it there); it lives here until the foundation grows it.
"""

# SPDX-License-Identifier: BSD-3-Clause

import math
import numbers

import numpy as np

__all__ = ["_check_feature_names_in", "_is_scalar_nan", "_n_features"]


def _is_scalar_nan(value):
    """True for a float NaN scalar (``np.nan``, ``float("nan")``), False for anything else."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isnan(value)


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


def _check_feature_names_in(estimator, input_features=None, *, generate_names=True):
    """The input feature names of a fitted estimator, checked against what it saw in fit.

    ``input_features=None`` gives ``feature_names_in_`` when fit saw a DataFrame,
    else ``["x0", "x1", ...]`` (or None when ``generate_names`` is False).

    Examples
    --------
    >>> from learnflow.preprocessing import StandardScaler
    >>> from learnflow.preprocessing._common import _check_feature_names_in
    >>> _check_feature_names_in(StandardScaler().fit([[0, 1], [1, 2]]))
    array(['x0', 'x1'], dtype=object)
    """
    fitted_names = getattr(estimator, "feature_names_in_", None)
    n_features = getattr(estimator, "n_features_in_", None)
    if input_features is not None:
        input_features = np.asarray(input_features, dtype=object)
        if fitted_names is not None and not np.array_equal(fitted_names, input_features):
            raise ValueError("input_features is not equal to feature_names_in_")
        if n_features is not None and len(input_features) != n_features:
            raise ValueError(
                f"input_features should have length equal to number of features ({n_features}), "
                f"got {len(input_features)}"
            )
        return input_features
    if fitted_names is not None:
        return fitted_names
    if not generate_names:
        return None
    if n_features is None:
        raise ValueError("Unable to generate feature names without n_features_in_")
    return np.asarray([f"x{i}" for i in range(n_features)], dtype=object)
