"""``tf.contrib``: the experimental APIs the book uses (``layers``, ``learn``, ``training``)."""

# SPDX-License-Identifier: BSD-3-Clause

from . import layers, learn, training

__all__ = ["layers", "learn", "training"]
