"""``learnflow.flow.nn``: neural-network ops (activations, losses, dropout, normalization)."""

# SPDX-License-Identifier: BSD-3-Clause

from ._nn_ops import (batch_normalization, bias_add, dropout, elu, fused_batch_norm,
                      in_top_k, l2_loss,
                      l2_normalize, leaky_relu, log_softmax, moments, relu, relu6, selu, sigmoid,
                      sigmoid_cross_entropy_with_logits, softmax,
                      softmax_cross_entropy_with_logits, softmax_cross_entropy_with_logits_v2,
                      softplus, softsign, sparse_softmax_cross_entropy_with_logits, tanh, top_k,
                      xw_plus_b, zero_fraction)

__all__ = ["batch_normalization", "bias_add", "dropout", "elu", "fused_batch_norm", "in_top_k",
           "l2_loss",
           "l2_normalize", "leaky_relu", "log_softmax", "moments", "relu", "relu6", "selu",
           "sigmoid", "sigmoid_cross_entropy_with_logits", "softmax",
           "softmax_cross_entropy_with_logits", "softmax_cross_entropy_with_logits_v2",
           "softplus", "softsign", "sparse_softmax_cross_entropy_with_logits", "tanh", "top_k",
           "xw_plus_b", "zero_fraction"]
