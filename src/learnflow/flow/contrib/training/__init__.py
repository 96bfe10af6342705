"""Training techniques of Chapter 11 (clipping, early stopping, freezing, transfer)."""

# SPDX-License-Identifier: BSD-3-Clause

from ._techniques import (EarlyStopping, cache_outputs, clip_gradients, frozen_var_list,
                          get_model_params, restore_model_params, restore_subset)

__all__ = ["EarlyStopping", "cache_outputs", "clip_gradients", "frozen_var_list",
           "get_model_params", "restore_model_params", "restore_subset"]
