"""``learnflow.flow.datasets``: input helpers (``mnist.read_data_sets``)."""

# SPDX-License-Identifier: BSD-3-Clause

from . import mnist

__all__ = ["mnist"]
