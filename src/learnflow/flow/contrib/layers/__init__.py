"""``tf.contrib.layers``: the layer functions, regularizers and initializers the book uses."""

# SPDX-License-Identifier: BSD-3-Clause

from ._arg_scope import add_arg_scope, arg_scope
from ._layers import batch_norm, dropout, flatten, fully_connected
from ._regularizers import (l1_l2_regularizer, l1_regularizer, l2_regularizer,
                            max_norm_regularizer, variance_scaling_initializer,
                            xavier_initializer, xavier_initializer_conv2d)

__all__ = ["add_arg_scope", "arg_scope", "batch_norm", "dropout", "flatten", "fully_connected",
           "l1_l2_regularizer", "l1_regularizer", "l2_regularizer", "max_norm_regularizer",
           "variance_scaling_initializer", "xavier_initializer", "xavier_initializer_conv2d"]
