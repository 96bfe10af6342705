"""The ``Layer`` base class: Keras's build/call split on flow variables (STYLE rule 9)."""

# SPDX-License-Identifier: BSD-3-Clause

from .._framework import dtypes as _dtypes
from .._framework.ops import GraphKeys, convert_to_tensor, get_default_graph
from .._ops import control_flow_ops
from .._variable_scope import get_variable, variable_scope

__all__ = ["Layer", "smart_cond"]


def smart_cond(pred, true_fn, false_fn):
    """``true_fn()`` or ``false_fn()`` for a Python bool; ``tf.cond`` for a bool tensor."""
    if hasattr(pred, "_as_graph_element"):
        return control_flow_ops.cond(pred, true_fn, false_fn)
    return true_fn() if pred else false_fn()


class Layer:
    """A callable layer: ``__init__`` stores configuration, ``build`` creates the variables
    (once, from the first input's static shape), ``call`` computes the output.

    Calling a layer opens a variable scope named after it (``name``, or a unique default),
    so variables are ``<name>/kernel`` etc.; a second call reuses the same variables.

    >>> import learnflow.flow as tf
    >>> class Scale(tf.layers.Layer):
    ...     def build(self, input_shape):
    ...         self.w = self.add_weight("w", [input_shape[-1].value],
    ...                                  initializer=tf.ones_initializer())
    ...     def call(self, inputs):
    ...         return inputs * self.w
    >>> with tf.Graph().as_default():
    ...     y = Scale()(tf.constant([[1.0, 2.0]]))
    ...     print(y.op.name)
    scale/mul
    """

    _default_name = None

    def __init__(self, trainable=True, name=None, dtype=None, _reuse=None, _scope=None):
        self.trainable, self.name, self._reuse = trainable, name, _reuse
        self.dtype = None if dtype is None else _dtypes.as_dtype(dtype)
        self.built, self._scope = False, _scope
        self._trainable_weights, self._non_trainable_weights, self.updates = [], [], []

    @property
    def trainable_weights(self):
        return list(self._trainable_weights) if self.trainable else []

    @property
    def non_trainable_weights(self):
        if self.trainable:
            return list(self._non_trainable_weights)
        return self._trainable_weights + self._non_trainable_weights

    @property
    def weights(self):
        return self.trainable_weights + self.non_trainable_weights

    variables = weights

    def add_weight(self, name, shape, dtype=None, initializer=None, regularizer=None,
                   trainable=True, collections=None):
        """Create (or reuse) variable ``<scope>/name`` with ``tf.get_variable``."""
        trainable = trainable and self.trainable
        var = get_variable(name, shape, dtype or self.dtype, initializer=initializer,
                           regularizer=regularizer, trainable=trainable,
                           collections=collections)
        (self._trainable_weights if trainable else self._non_trainable_weights).append(var)
        return var

    def add_update(self, update, collection=GraphKeys.UPDATE_OPS):
        self.updates.append(update)
        if collection:
            get_default_graph().add_to_collection(collection, update)

    def build(self, input_shape):
        self.built = True

    def call(self, inputs, **kwargs):
        return inputs

    def _class_default_name(self):
        if self._default_name:
            return self._default_name
        name = type(self).__name__
        return "".join("_" + c.lower() if c.isupper() and i else c.lower()
                       for i, c in enumerate(name))

    def __call__(self, inputs, *args, **kwargs):
        inputs = convert_to_tensor(inputs)
        if self.dtype is None:
            self.dtype = inputs.dtype if inputs.dtype.is_floating else _dtypes.float32
        if self._scope is None:
            ctx = variable_scope(self.name, default_name=self._class_default_name(),
                                 reuse=self._reuse)
        else:
            ctx = variable_scope(self._scope, reuse=True if self.built else self._reuse)
        with ctx as scope:
            self._scope = scope
            if self.name is None:
                self.name = scope.name.split("/")[-1]
            if not self.built:
                self.build(inputs.get_shape())
                self.built = True
            return self.call(inputs, *args, **kwargs)

    def apply(self, inputs, *args, **kwargs):
        return self(inputs, *args, **kwargs)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {"name": self.name, "trainable": self.trainable,
                "dtype": None if self.dtype is None else self.dtype.name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)
