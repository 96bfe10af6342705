"""``tf.contrib.layers`` layer functions: fully_connected, batch_norm, dropout, flatten."""

# SPDX-License-Identifier: BSD-3-Clause

from ..._framework.ops import GraphKeys, convert_to_tensor, get_default_graph
from ..._initializers import zeros_initializer
from ... import nn
from ...layers._core import Dense, Dropout, Flatten
from ...layers._normalization import BatchNormalization
from ._arg_scope import add_arg_scope
from ._regularizers import xavier_initializer

__all__ = ["batch_norm", "dropout", "flatten", "fully_connected"]


class _ContribDense(Dense):
    """``Dense`` with contrib's variable names ``weights`` / ``biases``."""

    _default_name = "fully_connected"

    def build(self, input_shape):
        dim = input_shape[-1].value
        if dim is None:
            raise ValueError("The last dimension of the inputs to `fully_connected` should be "
                             f"defined. Received: input_shape={input_shape}")
        self.kernel = self.add_weight("weights", [dim, self.units],
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      collections=self._collections)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight("biases", [self.units],
                                        initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        collections=self._collections)

    def call(self, inputs):
        outputs = super().call(inputs)  # no activation: it goes after the normalizer
        if self._normalizer_fn is not None:  # inside this layer's scope: <scope>/BatchNorm/...
            outputs = self._normalizer_fn(outputs, **(self._normalizer_params or {}))
        if self._activation_fn is not None:
            outputs = self._activation_fn(outputs)
        return outputs


def _collect(outputs, outputs_collections):
    if outputs_collections:
        get_default_graph().add_to_collections(
            [outputs_collections] if isinstance(outputs_collections, str)
            else outputs_collections, outputs)
    return outputs


def _variable_collections(variables_collections, trainable):
    if variables_collections is None:
        return None
    extra = ([variables_collections] if isinstance(variables_collections, str)
             else list(variables_collections))
    base = [GraphKeys.GLOBAL_VARIABLES, GraphKeys.MODEL_VARIABLES]
    return base + ([GraphKeys.TRAINABLE_VARIABLES] if trainable else []) + extra


@add_arg_scope
def fully_connected(inputs, num_outputs, activation_fn=nn.relu, normalizer_fn=None,
                    normalizer_params=None, weights_initializer=xavier_initializer(),
                    weights_regularizer=None, biases_initializer=zeros_initializer(),
                    biases_regularizer=None, reuse=None, variables_collections=None,
                    outputs_collections=None, trainable=True, scope=None):
    """``activation_fn(normalizer_fn(inputs @ weights) or inputs @ weights + biases)``.

    ReLU by default (``activation_fn=None``: linear); Xavier-uniform weights; with a
    ``normalizer_fn`` (e.g. ``batch_norm``) there are no biases, as in TensorFlow.
    Variables: ``<scope>/weights`` and ``<scope>/biases``.
    """
    use_bias = normalizer_fn is None and biases_initializer is not None
    layer = _ContribDense(num_outputs, None, use_bias, weights_initializer, biases_initializer,
                          weights_regularizer, biases_regularizer, trainable=trainable,
                          name=scope, _reuse=reuse)
    layer._collections = _variable_collections(variables_collections, trainable)
    layer._normalizer_fn, layer._normalizer_params = normalizer_fn, normalizer_params
    layer._activation_fn = activation_fn
    return _collect(layer(convert_to_tensor(inputs)), outputs_collections)


class _ContribBatchNorm(BatchNormalization):
    _default_name = "BatchNorm"


@add_arg_scope
def batch_norm(inputs, decay=0.999, center=True, scale=False, epsilon=0.001, activation_fn=None,
               param_initializers=None, updates_collections=GraphKeys.UPDATE_OPS,
               is_training=True, reuse=None, variables_collections=None,
               outputs_collections=None, trainable=True, scope=None):
    """contrib's batch norm: ``decay`` is the moving-average momentum; ``scale=False`` by
    default (gamma fixed to 1); with ``updates_collections=None`` the moving statistics
    are updated in place (the output depends on the update ops)."""
    inits = param_initializers or {}
    kwargs = {k + "_initializer": inits[k] for k in ("beta", "gamma", "moving_mean",
                                                      "moving_variance") if k in inits}
    layer = _ContribBatchNorm(-1, decay, epsilon, center, scale, trainable=trainable,
                              name=scope, _reuse=reuse,
                              _updates_collections=updates_collections, **kwargs)
    outputs = layer(inputs, training=is_training)
    if activation_fn is not None:
        outputs = activation_fn(outputs)
    return _collect(outputs, outputs_collections)


@add_arg_scope
def dropout(inputs, keep_prob=0.5, noise_shape=None, is_training=True, outputs_collections=None,
            scope=None, seed=None):
    """Dropout that turns off when ``is_training`` is False (bool or bool tensor)."""
    layer = Dropout(1.0 - keep_prob, noise_shape, seed, name=scope)
    layer._default_name = "Dropout"
    return _collect(layer(inputs, training=is_training), outputs_collections)


@add_arg_scope
def flatten(inputs, outputs_collections=None, scope=None):
    """Flatten all dimensions but the first."""
    layer = Flatten(name=scope)
    layer._default_name = "Flatten"
    return _collect(layer(inputs), outputs_collections)


