"""``learnflow.flow.layers``: Keras-style layers and TensorFlow 1's functional layers."""

# SPDX-License-Identifier: BSD-3-Clause

from ._base import Layer
from ._core import Dense, Dropout, Flatten, dense, dropout, flatten
from ._normalization import BatchNormalization, batch_normalization

__all__ = ["BatchNormalization", "Dense", "Dropout", "Flatten", "Layer", "batch_normalization",
           "dense", "dropout", "flatten"]
