"""Batch Normalization (Equation 11-3) with moving statistics updated through UPDATE_OPS."""

# SPDX-License-Identifier: BSD-3-Clause

from .._framework.ops import GraphKeys, control_dependencies, convert_to_tensor
from .._framework.tensor_shape import as_shape
from .._initializers import ones_initializer, zeros_initializer
from .._ops import array_ops
from .. import nn
from ._base import Layer, smart_cond

__all__ = ["BatchNormalization", "batch_normalization"]


class BatchNormalization(Layer):
    """Batch Normalization: ``gamma * (x - mu) / sqrt(var + epsilon) + beta``.

    In training, ``mu`` and ``var`` are the mini-batch mean and (biased) variance over
    every axis but ``axis``, and the update ops
    ``moving_mean -= (moving_mean - mu) * (1 - momentum)`` (same for the variance) are
    added to ``GraphKeys.UPDATE_OPS``: as in TensorFlow 1 they only run if the training
    op depends on them (``with tf.control_dependencies(tf.get_collection(UPDATE_OPS))``).
    In inference the moving statistics are used.

    Parameters
    ----------
    axis : int, default=-1
        The feature axis (normalized per feature).
    momentum : float, default=0.99
    epsilon : float, default=1e-3
    center, scale : bool, default=True
        Learn ``beta`` / ``gamma`` (otherwise 0 / 1).
    """

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer=zeros_initializer(), gamma_initializer=ones_initializer(),
                 moving_mean_initializer=zeros_initializer(),
                 moving_variance_initializer=ones_initializer(), beta_regularizer=None,
                 gamma_regularizer=None, trainable=True, name=None,
                 _updates_collections=GraphKeys.UPDATE_OPS, **kwargs):
        super().__init__(trainable=trainable, name=name, **kwargs)
        if not 0.0 <= momentum <= 1.0:
            raise ValueError(f"Received an invalid value for `momentum`, expected a float in "
                             f"[0, 1]. Received: momentum={momentum}")
        self.axis, self.momentum, self.epsilon = axis, momentum, epsilon
        self.center, self.scale = center, scale
        self.beta_initializer, self.gamma_initializer = beta_initializer, gamma_initializer
        self.moving_mean_initializer = moving_mean_initializer
        self.moving_variance_initializer = moving_variance_initializer
        self.beta_regularizer, self.gamma_regularizer = beta_regularizer, gamma_regularizer
        self._updates_collections = _updates_collections

    def build(self, input_shape):
        input_shape = as_shape(input_shape)
        ndims = input_shape.ndims
        if ndims is None:
            raise ValueError("Input has undefined rank.")
        self._axis = self.axis % ndims
        depth = input_shape[self._axis].value
        if depth is None:
            raise ValueError(f"Input has undefined `axis` dimension. Input shape: {input_shape}")
        self._reduction_axes = [i for i in range(ndims) if i != self._axis]
        self._param_shape = [depth if i == self._axis else 1 for i in range(ndims)]
        self.beta = self.gamma = None
        if self.center:
            self.beta = self.add_weight("beta", [depth], initializer=self.beta_initializer,
                                        regularizer=self.beta_regularizer)
        if self.scale:
            self.gamma = self.add_weight("gamma", [depth], initializer=self.gamma_initializer,
                                         regularizer=self.gamma_regularizer)
        collections = [GraphKeys.GLOBAL_VARIABLES, GraphKeys.MOVING_AVERAGE_VARIABLES]
        self.moving_mean = self.add_weight("moving_mean", [depth], trainable=False,
                                           initializer=self.moving_mean_initializer,
                                           collections=collections)
        self.moving_variance = self.add_weight("moving_variance", [depth], trainable=False,
                                               initializer=self.moving_variance_initializer,
                                               collections=collections)

    def _broadcast(self, t):
        if t is None or self._axis == len(self._param_shape) - 1:
            return t
        return array_ops.reshape(t, self._param_shape)

    def _moving_update(self, variable, value, training):
        """Returns ``variable -= (variable - value) * (1 - momentum)`` (no-op if not training)."""
        decay = 1.0 - self.momentum
        if hasattr(training, "_as_graph_element"):
            cache = self.__dict__.setdefault("_decay_tensors", {})
            key = (training, variable.dtype)
            if key not in cache:  # one decay tensor for both moving statistics
                cache[key] = array_ops.cast(training, variable.dtype) * decay
            decay = cache[key]
        return variable.assign_sub((variable.value() - value) * decay)

    def call(self, inputs, training=False):
        if training is not False and self._axis == len(self._param_shape) - 1:
            return self._fused_call(inputs, training)
        if training is False:
            mean, variance = self.moving_mean.value(), self.moving_variance.value()
        else:
            batch_mean, batch_var = nn.moments(inputs, self._reduction_axes)
            mean, variance = smart_cond(
                training, lambda: (batch_mean, batch_var),
                lambda: (self.moving_mean.value(), self.moving_variance.value()))
            updates = [self._moving_update(self.moving_mean, batch_mean, training),
                       self._moving_update(self.moving_variance, batch_var, training)]
            if self._updates_collections is None:  # contrib's in-place updates
                with control_dependencies(updates):
                    mean, variance = array_ops.identity(mean), array_ops.identity(variance)
            else:
                for update in updates:
                    self.add_update(update, self._updates_collections)
        return nn.batch_normalization(inputs, self._broadcast(mean), self._broadcast(variance),
                                      self._broadcast(self.beta), self._broadcast(self.gamma),
                                      self.epsilon)

    def _fused_call(self, inputs, training):
        """Training branch as one FusedBatchNorm op (features on the last axis)."""
        depth = self._param_shape[-1]
        scale = (convert_to_tensor(self.gamma) if self.gamma is not None
                 else array_ops.ones([depth], inputs.dtype))
        offset = (convert_to_tensor(self.beta) if self.beta is not None
                  else array_ops.zeros([depth], inputs.dtype))

        def train():
            y, mean, variance, _, _ = nn._nn_ops._fused_batch_norm_train(
                inputs, scale, offset, self.epsilon, bessel=False)
            return y, mean, variance

        def infer():
            mean, variance = self.moving_mean.value(), self.moving_variance.value()
            return (nn.batch_normalization(inputs, mean, variance, self.beta, self.gamma,
                                           self.epsilon), mean, variance)

        outputs, mean, variance = smart_cond(training, train, infer)
        updates = [self._moving_update(self.moving_mean, mean, training),
                   self._moving_update(self.moving_variance, variance, training)]
        if self._updates_collections is None:  # contrib's in-place updates
            with control_dependencies(updates):
                return array_ops.identity(outputs)
        for update in updates:
            self.add_update(update, self._updates_collections)
        return outputs

    def get_config(self):
        return {**super().get_config(), "axis": self.axis, "momentum": self.momentum,
                "epsilon": self.epsilon, "center": self.center, "scale": self.scale}


def batch_normalization(inputs, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                        beta_initializer=zeros_initializer(), gamma_initializer=ones_initializer(),
                        moving_mean_initializer=zeros_initializer(),
                        moving_variance_initializer=ones_initializer(), beta_regularizer=None,
                        gamma_regularizer=None, training=False, trainable=True, name=None,
                        reuse=None):
    """Functional form of :class:`BatchNormalization` (``training`` bool or bool tensor)."""
    layer = BatchNormalization(axis, momentum, epsilon, center, scale, beta_initializer,
                               gamma_initializer, moving_mean_initializer,
                               moving_variance_initializer, beta_regularizer, gamma_regularizer,
                               trainable, name, _reuse=reuse)
    return layer(inputs, training=training)
