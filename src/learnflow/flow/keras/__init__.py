"""``tf.keras``: the part of Keras the book's code calls (``tf.keras.datasets``)."""

# SPDX-License-Identifier: BSD-3-Clause

from . import datasets

__all__ = ["datasets"]
