"""``tf.keras.datasets``: ``mnist.load_data()``."""

# SPDX-License-Identifier: BSD-3-Clause

from . import mnist

__all__ = ["mnist"]
