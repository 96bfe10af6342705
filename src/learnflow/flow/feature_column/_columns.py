"""Numeric feature columns and their conversion into the dense input matrix of an estimator."""

# SPDX-License-Identifier: BSD-3-Clause

import collections
from numbers import Integral

import numpy as np

from .._framework import dtypes

__all__ = ["NumericColumn", "numeric_column"]


class NumericColumn(collections.namedtuple(
        "NumericColumn", ["key", "shape", "default_value", "dtype", "normalizer_fn"])):
    """A real-valued feature ``key`` of the given ``shape`` (see :func:`numeric_column`)."""

    @property
    def name(self):
        return self.key

    @property
    def width(self):
        """The number of input-matrix columns this feature fills."""
        return int(np.prod(self.shape))


def numeric_column(key, shape=(1,), default_value=None, dtype=dtypes.float32, normalizer_fn=None):
    """A real-valued feature column, as ``tf.feature_column.numeric_column``.

    Parameters
    ----------
    key : str
        The feature's key in the features dict an ``input_fn`` returns.
    shape : int or sequence of int, default=(1,)
        The shape of one example's value (``[28 * 28]`` for a flattened MNIST image).
    default_value : float or None, default=None
        Accepted for TensorFlow's signature; the features are dense arrays here, so no
        value is ever missing.
    dtype : DType, default=tf.float32
        A floating or integer dtype.
    normalizer_fn : callable or None, default=None
        Applied to the feature's array (a batch of values) before it is used.

    Returns
    -------
    NumericColumn

    Examples
    --------
    >>> import learnflow.flow as tf
    >>> column = tf.feature_column.numeric_column("X", shape=[28 * 28])
    >>> column.key, column.shape, column.width
    ('X', (784,), 784)
    """
    if not isinstance(key, str):
        raise ValueError(f"key must be a string, got {key!r}")
    shape = (shape,) if isinstance(shape, Integral) else tuple(shape)
    if not shape or not all(isinstance(d, Integral) and d > 0 for d in shape):
        raise ValueError(f"shape dimensions must be positive integers, got {shape!r} for {key!r}")
    dtype = dtypes.as_dtype(dtype)
    if not (dtype.is_floating or dtype.is_integer):
        raise ValueError(f"dtype must be convertible to float, got {dtype!r} for {key!r}")
    if normalizer_fn is not None and not callable(normalizer_fn):
        raise TypeError(f"normalizer_fn must be a callable, got {normalizer_fn!r}")
    return NumericColumn(key, tuple(int(d) for d in shape), default_value, dtype, normalizer_fn)


def dense_input(features, feature_columns):
    """The (n_examples, n_inputs) float64 matrix of ``features`` (a dict of arrays, or
    one array) read through ``feature_columns``: one block per column, sorted by key as
    TensorFlow's ``input_layer`` orders them."""
    if not isinstance(features, dict):
        matrix = np.asarray(features, dtype=np.float64)
        return matrix.reshape(len(matrix), -1)
    if not feature_columns:
        if len(features) != 1:
            raise ValueError(f"feature_columns are needed to read several features: "
                             f"{sorted(features)}")
        (values,) = features.values()
        return dense_input(values, None)
    blocks = []
    for column in sorted(feature_columns, key=lambda c: c.key):
        if column.key not in features:
            raise ValueError(f"feature {column.key!r} of the feature columns is not among the "
                             f"input features {sorted(features)}")
        values = features[column.key]
        if column.normalizer_fn is not None:
            values = column.normalizer_fn(values)
        values = np.asarray(values, dtype=np.float64)
        values = values.reshape(len(values), -1)
        if values.shape[1] != column.width:
            raise ValueError(f"feature {column.key!r} has {values.shape[1]} values per example, "
                             f"its column's shape {column.shape} needs {column.width}")
        blocks.append(values)
    return np.concatenate(blocks, axis=1)
