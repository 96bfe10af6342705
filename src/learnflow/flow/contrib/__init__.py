"""``tf.contrib``: the experimental APIs the book uses (``layers``, ``training``)."""

# SPDX-License-Identifier: BSD-3-Clause

from . import layers, training

__all__ = ["layers", "training"]
