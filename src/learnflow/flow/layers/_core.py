"""Core layers: Dense, Dropout, Flatten and their functional forms."""

# SPDX-License-Identifier: BSD-3-Clause

import numpy as np

from .._framework.tensor_shape import TensorShape, as_shape
from .._initializers import zeros_initializer
from .._ops import array_ops, math_ops
from .. import nn
from ._base import Layer, smart_cond

__all__ = ["Dense", "Dropout", "Flatten", "dense", "dropout", "flatten"]


class Dense(Layer):
    """Fully connected layer: ``outputs = activation(inputs @ kernel + bias)``.

    Parameters
    ----------
    units : int
        Number of output units.
    activation : callable, default=None
        Applied to the output (None: linear).
    use_bias : bool, default=True
    kernel_initializer, bias_initializer : initializer, default=None (Glorot uniform), zeros
    kernel_regularizer, bias_regularizer : callable, default=None
        Their results go to ``GraphKeys.REGULARIZATION_LOSSES``.

    Input shape: ``(batch, ..., input_dim)`` with ``input_dim`` known. Output shape:
    ``(batch, ..., units)``.
    """

    def __init__(self, units, activation=None, use_bias=True, kernel_initializer=None,
                 bias_initializer=zeros_initializer(), kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, trainable=True, name=None,
                 **kwargs):
        super().__init__(trainable=trainable, name=name, **kwargs)
        self._collections = None
        if not isinstance(units, (int, np.integer)) or units <= 0:
            raise ValueError("Received an invalid value for `units`, expected a positive "
                             f"integer. Received: units={units}")
        self.units, self.activation, self.use_bias = int(units), activation, use_bias
        self.kernel_initializer, self.bias_initializer = kernel_initializer, bias_initializer
        self.kernel_regularizer, self.bias_regularizer = kernel_regularizer, bias_regularizer
        self.activity_regularizer = activity_regularizer

    def build(self, input_shape):
        input_shape = as_shape(input_shape)
        if input_shape.ndims is None or input_shape[-1].value is None:
            raise ValueError("The last dimension of the inputs to `Dense` should be defined. "
                             f"Found `None`. Received: input_shape={input_shape}")
        self.kernel = self.add_weight("kernel", [input_shape[-1].value, self.units],
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight("bias", [self.units], initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer)

    def call(self, inputs):
        if inputs.get_shape().ndims == 2:
            outputs = math_ops.matmul(inputs, self.kernel)
        else:
            flat = array_ops.reshape(inputs, [-1, self.kernel.get_shape()[0].value])
            outputs = array_ops.reshape(math_ops.matmul(flat, self.kernel), array_ops.concat(
                [array_ops.shape(inputs)[:-1], array_ops.constant([self.units])], 0))
        if self.bias is not None:
            outputs = nn.bias_add(outputs, self.bias)
        if self.activation is not None:
            outputs = self.activation(outputs)
        return outputs

    def compute_output_shape(self, input_shape):
        return TensorShape(as_shape(input_shape).as_list()[:-1] + [self.units])

    def get_config(self):
        return {**super().get_config(), "units": self.units, "activation": self.activation,
                "use_bias": self.use_bias, "kernel_initializer": self.kernel_initializer,
                "bias_initializer": self.bias_initializer,
                "kernel_regularizer": self.kernel_regularizer,
                "bias_regularizer": self.bias_regularizer}


class Dropout(Layer):
    """Inverted dropout: in training, zero each input with probability ``rate`` and divide
    the rest by ``1 - rate``; the identity otherwise.

    ``training`` (in ``__call__``) is a Python bool or a bool tensor (e.g. a
    ``placeholder_with_default(False, shape=())``).
    """

    def __init__(self, rate=0.5, noise_shape=None, seed=None, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        if not 0.0 <= rate < 1.0:
            raise ValueError(f"Received an invalid value for `rate`, expected a float in "
                             f"[0, 1). Received: rate={rate}")
        self.rate, self.noise_shape, self.seed = rate, noise_shape, seed

    def call(self, inputs, training=False):
        if self.rate == 0.0:
            return array_ops.identity(inputs)
        return smart_cond(
            training,
            lambda: nn.dropout(inputs, rate=self.rate, noise_shape=self.noise_shape,
                               seed=self.seed),
            lambda: array_ops.identity(inputs))

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "noise_shape": self.noise_shape,
                "seed": self.seed}


class Flatten(Layer):
    """Flatten every dimension but the first: ``(batch, d1, d2, ...) -> (batch, d1*d2*...)``."""

    def call(self, inputs):
        dims = inputs.get_shape().as_list()
        if dims and all(d is not None for d in dims[1:]):
            return array_ops.reshape(inputs, [-1, int(np.prod(dims[1:]))])
        batch = array_ops.shape(inputs)[:1]
        return array_ops.reshape(inputs, array_ops.concat([batch, array_ops.constant([-1])], 0))

    def compute_output_shape(self, input_shape):
        dims = as_shape(input_shape).as_list()
        rest = None if any(d is None for d in dims[1:]) else int(np.prod(dims[1:]))
        return TensorShape([dims[0], rest])


def dense(inputs, units, activation=None, use_bias=True, kernel_initializer=None,
          bias_initializer=zeros_initializer(), kernel_regularizer=None, bias_regularizer=None,
          activity_regularizer=None, trainable=True, name=None, reuse=None):
    """Functional form of :class:`Dense` (variables ``<name>/kernel`` and ``<name>/bias``)."""
    layer = Dense(units, activation, use_bias, kernel_initializer, bias_initializer,
                  kernel_regularizer, bias_regularizer, activity_regularizer, trainable, name,
                  _reuse=reuse)
    return layer(inputs)


def dropout(inputs, rate=0.5, noise_shape=None, seed=None, training=False, name=None):
    """Functional form of :class:`Dropout` (no-op unless ``training``)."""
    return Dropout(rate, noise_shape, seed, name=name)(inputs, training=training)


def flatten(inputs, name=None):
    """Functional form of :class:`Flatten`."""
    return Flatten(name=name)(inputs)
