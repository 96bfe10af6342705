"""learnflow: the machine-learning system of *Hands-On Machine Learning with
Scikit-Learn and TensorFlow*, on one PyTorch engine.

Classical estimators follow scikit-learn's API; ``learnflow.flow`` is a
TensorFlow-1.x-style graph engine. Both compute on torch tensors, on the CPU
by default and on a GPU inside ``config_context(device="cuda")``.
"""

# SPDX-License-Identifier: BSD-3-Clause

from ._engine import config_context, get_config, set_config
from ._persistence import load, save

__version__ = "0.1.0"

__all__ = ["__version__", "config_context", "get_config", "load", "save", "set_config"]
