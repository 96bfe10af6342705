"""``tf.losses``: loss functions that also record themselves in ``GraphKeys.LOSSES``."""

# SPDX-License-Identifier: BSD-3-Clause

from ._losses import (Reduction, absolute_difference, compute_weighted_loss, get_losses,
                      get_regularization_loss, get_regularization_losses, get_total_loss,
                      log_loss, mean_squared_error)

__all__ = ["Reduction", "absolute_difference", "compute_weighted_loss", "get_losses",
           "get_regularization_loss", "get_regularization_losses", "get_total_loss", "log_loss",
           "mean_squared_error"]
