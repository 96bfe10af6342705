"""Support vector machines (Chapter 5): linear (liblinear-style) and kernelized (libsvm-style)."""

# SPDX-License-Identifier: BSD-3-Clause

from ._classes import SVC, SVR, LinearSVC, LinearSVR

__all__ = ["LinearSVC", "LinearSVR", "SVC", "SVR"]
