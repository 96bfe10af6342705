"""The compute engine: the only place that knows torch devices and dtypes.

Everything in learnflow computes on torch tensors. This package resolves the
configured device and dtype, converts the user's arrays to tensors and back,
and turns ``random_state`` into seeded generators.
"""

# SPDX-License-Identifier: BSD-3-Clause

from ._config import config_context, get_config, get_device, get_dtype, set_config
from ._convert import is_torch, labels_to_output, to_numpy, to_output, to_tensor
from ._fallback import warn_device_fallback
from ._random import check_random_state, seeded_state, torch_generator
from ._threads import on_host_blas, one_blas_thread, one_torch_thread

__all__ = [
    "check_random_state",
    "config_context",
    "get_config",
    "get_device",
    "get_dtype",
    "is_torch",
    "labels_to_output",
    "on_host_blas",
    "one_blas_thread",
    "one_torch_thread",
    "seeded_state",
    "set_config",
    "to_numpy",
    "to_output",
    "to_tensor",
    "torch_generator",
    "warn_device_fallback",
]
