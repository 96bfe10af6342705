"""Training: optimizers, learning-rate schedules and the global step.

Checkpointing (``Saver``) plugs in here as ``train/_saver.py`` and is
re-exported below once it exists.
"""

# SPDX-License-Identifier: BSD-3-Clause

from ._optimizer import (AdagradOptimizer, AdamOptimizer, FtrlOptimizer,
                         GradientDescentOptimizer, MomentumOptimizer, Optimizer,
                         RMSPropOptimizer)
from ._schedules import (exponential_decay, inverse_time_decay, natural_exp_decay,
                         piecewise_constant, polynomial_decay)
from ._training_util import create_global_step, get_global_step, get_or_create_global_step

# --- plug-in modules written separately (checkpoints, meta-graphs, queues, distribution):
# each defines ``__all__`` and is re-exported here as soon as its file exists.
import importlib as _importlib
import importlib.util as _util

_PLUGINS = ("_saver", "_meta_graph", "_coordinator", "_queue_runner", "_input", "_server",
            "_sync_replicas", "_device_setter")
_plugin_names = []
for _module in _PLUGINS:
    if _util.find_spec(f"{__name__}.{_module}") is not None:  # pragma: no cover
        _mod = _importlib.import_module(f"{__name__}.{_module}")
        globals().update({n: getattr(_mod, n) for n in _mod.__all__})
        _plugin_names += list(_mod.__all__)

__all__ = sorted([
    "AdagradOptimizer", "AdamOptimizer", "FtrlOptimizer", "GradientDescentOptimizer",
    "MomentumOptimizer", "Optimizer", "RMSPropOptimizer", "create_global_step",
    "exponential_decay", "get_global_step", "get_or_create_global_step", "inverse_time_decay",
    "natural_exp_decay", "piecewise_constant", "polynomial_decay",
] + _plugin_names)
