"""Variable initializers: callables ``init(shape, dtype=None, partition_info=None) -> Tensor``.

>>> import learnflow.flow as tf
>>> with tf.Session(graph=tf.Graph()) as sess, sess.graph.as_default():
...     print(sess.run(tf.constant_initializer(2.0)([2])))
[2. 2.]
"""

# SPDX-License-Identifier: BSD-3-Clause

import math
import types

import numpy as np

from ._framework import dtypes as _dtypes
from ._ops import array_ops, random_ops

__all__ = [
    "Initializer", "constant_initializer", "glorot_normal_initializer",
    "glorot_uniform_initializer", "ones_initializer", "random_normal_initializer",
    "random_uniform_initializer", "truncated_normal_initializer", "variance_scaling_initializer",
    "zeros_initializer",
]


class Initializer:
    """Base class: ``self(shape, dtype)`` builds the initial-value tensor."""

    dtype = _dtypes.float32

    def _dtype(self, dtype):
        return _dtypes.as_dtype(dtype if dtype is not None else self.dtype)

    def get_config(self):
        return {k: v for k, v in vars(self).items() if not k.startswith("_")}


class constant_initializer(Initializer):  # noqa: N801  (TensorFlow's name)
    """Fill with ``value`` (a scalar, or an array of the variable's shape)."""

    def __init__(self, value=0, dtype=_dtypes.float32, verify_shape=False):
        self.value, self.dtype = value, _dtypes.as_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        dtype = self._dtype(dtype)
        value = np.asarray(self.value)
        if value.size == 1:
            value = np.full(shape, value.reshape(()))
        return array_ops.constant(value.reshape(shape), dtype=dtype)


class zeros_initializer(constant_initializer):  # noqa: N801
    """Fill with zeros."""

    def __init__(self, dtype=_dtypes.float32):
        super().__init__(0, dtype)


class ones_initializer(constant_initializer):  # noqa: N801
    """Fill with ones."""

    def __init__(self, dtype=_dtypes.float32):
        super().__init__(1, dtype)


class random_uniform_initializer(Initializer):  # noqa: N801
    """Uniform values in ``[minval, maxval)``."""

    def __init__(self, minval=0, maxval=None, seed=None, dtype=_dtypes.float32):
        self.minval, self.maxval, self.seed = minval, maxval, seed
        self.dtype = _dtypes.as_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        return random_ops.random_uniform(shape, self.minval, self.maxval, self._dtype(dtype),
                                         seed=self.seed)


class random_normal_initializer(Initializer):  # noqa: N801
    """Normal values."""

    def __init__(self, mean=0.0, stddev=1.0, seed=None, dtype=_dtypes.float32):
        self.mean, self.stddev, self.seed = mean, stddev, seed
        self.dtype = _dtypes.as_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        return random_ops.random_normal(shape, self.mean, self.stddev, self._dtype(dtype),
                                        seed=self.seed)


class truncated_normal_initializer(random_normal_initializer):  # noqa: N801
    """Normal values cut at two standard deviations."""

    def __call__(self, shape, dtype=None, partition_info=None):
        return random_ops.truncated_normal(shape, self.mean, self.stddev, self._dtype(dtype),
                                           seed=self.seed)


def _fans(shape):
    if not shape:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive = int(np.prod(shape[:-2])) if len(shape) > 2 else 1
    return shape[-2] * receptive, shape[-1] * receptive


class variance_scaling_initializer(Initializer):  # noqa: N801
    """Values with variance ``scale / n`` (n = fan_in, fan_out or their average).

    ``distribution`` is "normal" / "truncated_normal" (a truncated normal rescaled so the
    variance is exactly ``scale / n``), "untruncated_normal" or "uniform" (limit
    ``sqrt(3 scale / n)``). This is Equation 11-1 / Table 11-1 (standard values): Glorot
    is scale 1 with fan_avg, He is scale 2 with fan_in, LeCun scale 1 with fan_in.
    """

    def __init__(self, scale=1.0, mode="fan_in", distribution="normal", seed=None,
                 dtype=_dtypes.float32):
        if scale <= 0:
            raise ValueError(f"`scale` must be a positive float. Received: scale={scale}")
        mode = str(mode).lower()  # contrib's "FAN_IN" spelling too
        if mode not in ("fan_in", "fan_out", "fan_avg"):
            raise ValueError(f"Invalid `mode` argument: {mode!r}")
        if distribution not in ("normal", "truncated_normal", "untruncated_normal", "uniform"):
            raise ValueError(f"Invalid `distribution` argument: {distribution!r}")
        self.scale, self.mode, self.distribution, self.seed = scale, mode, distribution, seed
        self.dtype = _dtypes.as_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        fan_in, fan_out = _fans(list(shape))
        n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}[self.mode]
        variance = self.scale / max(1.0, n)
        dtype = self._dtype(dtype)
        if self.distribution == "uniform":
            limit = math.sqrt(3.0 * variance)
            return random_ops.random_uniform(shape, -limit, limit, dtype, seed=self.seed)
        if self.distribution == "untruncated_normal":
            return random_ops.random_normal(shape, 0.0, math.sqrt(variance), dtype, seed=self.seed)
        stddev = math.sqrt(variance) / 0.87962566103423978  # truncated-normal correction
        return random_ops.truncated_normal(shape, 0.0, stddev, dtype, seed=self.seed)


def glorot_uniform_initializer(seed=None, dtype=_dtypes.float32):
    """Xavier/Glorot uniform: limit sqrt(6 / (fan_in + fan_out))."""
    return variance_scaling_initializer(1.0, "fan_avg", "uniform", seed, dtype)


def glorot_normal_initializer(seed=None, dtype=_dtypes.float32):
    """Xavier/Glorot truncated normal: variance 2 / (fan_in + fan_out)."""
    return variance_scaling_initializer(1.0, "fan_avg", "normal", seed, dtype)


def he_normal(seed=None, dtype=_dtypes.float32):
    """He truncated normal: variance 2 / fan_in (ReLU family, Table 11-1)."""
    return variance_scaling_initializer(2.0, "fan_in", "truncated_normal", seed, dtype)


def he_uniform(seed=None, dtype=_dtypes.float32):
    """He uniform: limit sqrt(6 / fan_in)."""
    return variance_scaling_initializer(2.0, "fan_in", "uniform", seed, dtype)


def lecun_normal(seed=None, dtype=_dtypes.float32):
    """LeCun truncated normal: variance 1 / fan_in (SELU)."""
    return variance_scaling_initializer(1.0, "fan_in", "truncated_normal", seed, dtype)


def lecun_uniform(seed=None, dtype=_dtypes.float32):
    """LeCun uniform: limit sqrt(3 / fan_in)."""
    return variance_scaling_initializer(1.0, "fan_in", "uniform", seed, dtype)


# ``tf.initializers`` (TensorFlow 1.x namespace): short names for the classes above.
initializers = types.SimpleNamespace(
    zeros=zeros_initializer, ones=ones_initializer, constant=constant_initializer,
    random_uniform=random_uniform_initializer, random_normal=random_normal_initializer,
    truncated_normal=truncated_normal_initializer, glorot_uniform=glorot_uniform_initializer,
    glorot_normal=glorot_normal_initializer, he_normal=he_normal, he_uniform=he_uniform,
    lecun_normal=lecun_normal, lecun_uniform=lecun_uniform,
    variance_scaling=variance_scaling_initializer)
