"""The end-to-end machine-learning project of Chapter 2, behind ``learnflow project``."""

# SPDX-License-Identifier: BSD-3-Clause

from ._data import ProjectError
from ._workflow import ProjectResult, run_project

__all__ = ["ProjectError", "ProjectResult", "run_project"]
