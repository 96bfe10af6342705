"""The absolute-error (MAE) criterion: weighted medians of every prefix and suffix.

Leaves predict the weighted median; a split is scored by the summed absolute
deviations of both children from their medians. For the n candidate prefixes
of a node's samples (sorted by one feature) the medians come from an
(n, n) cumulative-weight table over the target ranks, so the search is
O(n^2) per feature (vectorised, in row chunks); MAE is the slow criterion in
scikit-learn too. Median rule as scikit-learn's: the smallest target whose
cumulative weight exceeds half the total, or the midpoint of two targets
when the cumulative weight hits exactly one half.
"""

# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
import torch

from ._criterion import _RegressionCriterion

__all__ = []

_ROW_CHUNK_ELEMENTS = 1 << 22


def _prefix_abs_errors(y_sorted, ranks, w):
    """Weighted median and absolute error of every prefix of the samples.

    y_sorted : (n,) targets sorted ascending; ranks : (n,) rank of each sample
    (in sample order) into y_sorted; w : (n,) weights in sample order.
    Returns medians (n,), abs_errors (n,) where entry p describes samples[: p + 1].
    """
    n = len(ranks)
    medians = torch.empty(n, dtype=torch.float64)
    errors = torch.empty(n, dtype=torch.float64)
    chunk = max(1, _ROW_CHUNK_ELEMENTS // n)
    base_w = torch.zeros(n, dtype=torch.float64)
    base_wy = torch.zeros(n, dtype=torch.float64)
    rows_all = torch.arange(n)
    for start in range(0, n, chunk):
        stop = min(n, start + chunk)
        m = stop - start
        table = torch.zeros((m, n), dtype=torch.float64)
        table[torch.arange(m), ranks[start:stop]] = w[start:stop]
        table = table.cumsum(dim=0) + base_w  # weight per rank of prefix [0, p]
        cum_w = table.cumsum(dim=1)
        half = 0.5 * cum_w[:, -1:]
        median_rank = torch.searchsorted(cum_w.contiguous(), half, right=True).clamp(max=n - 1)  # first > half
        active = table > 0
        # previous activated rank: the largest active rank below median_rank
        below = active & (rows_all[None, :] < median_rank)
        prev_rank = torch.where(below.any(dim=1, keepdim=True), (below * rows_all).amax(dim=1, keepdim=True), median_rank)
        w_left = torch.where(median_rank > 0, cum_w.gather(1, (median_rank - 1).clamp(min=0)), 0.0)
        exact = (prev_rank != median_rank) & (w_left == half)
        med = torch.where(exact, (y_sorted[prev_rank] + y_sorted[median_rank]) / 2, y_sorted[median_rank])
        wy = table * y_sorted[None, :]
        cum_wy = wy.cumsum(dim=1)
        wy_left = torch.where(median_rank > 0, cum_wy.gather(1, (median_rank - 1).clamp(min=0)), 0.0)
        w_right = cum_w[:, -1:] - w_left
        wy_right = cum_wy[:, -1:] - wy_left
        errors[start:stop] = ((wy_right - med * w_right) + (med * w_left - wy_left))[:, 0]
        medians[start:stop] = med[:, 0]
        base_w = table[-1]
    return medians, errors


def _weighted_median_error(y, w):
    """(median, absolute error) of one set of samples."""
    y_sorted, order = torch.sort(y)
    ranks = torch.empty_like(order)
    ranks[order] = torch.arange(len(y))
    medians, errors = _prefix_abs_errors(y_sorted, ranks, w)
    return float(medians[-1]), float(errors[-1])


class _MAE(_RegressionCriterion):
    """Mean absolute error around the weighted median."""

    sorted_search = True

    def _node(self, idx):
        idx = torch.as_tensor(idx)
        results = [_weighted_median_error(self.y[idx, k], self.weight[idx]) for k in range(self.n_outputs)]
        return np.array([m for m, _ in results]), sum(e for _, e in results)

    def node_impurity(self, T, idx):
        return self._node(idx)[1] / (float(T[0]) * self.n_outputs)

    def node_value(self, T, idx=None):
        return self._node(idx)[0].reshape(self.n_outputs, 1)

    def children_impurity(self, L, R, left_idx, right_idx):
        return (
            self._node(left_idx)[1] / (float(L[0]) * self.n_outputs),
            self._node(right_idx)[1] / (float(R[0]) * self.n_outputs),
        )

    def sorted_proxy(self, samples):
        """Proxy of every split position for each column of ``samples`` (n, k) in feature order."""
        n, k = samples.shape
        proxy = torch.empty((n - 1, k), dtype=torch.float64)
        for column in range(k):
            ids = samples[:, column]
            total = torch.zeros(n - 1, dtype=torch.float64)
            for output in range(self.n_outputs):
                y, w = self.y[ids, output], self.weight[ids]
                y_sorted, order = torch.sort(y)
                ranks = torch.empty_like(order)
                ranks[order] = torch.arange(n)
                _, left = _prefix_abs_errors(y_sorted, ranks, w)
                _, right = _prefix_abs_errors(y_sorted, ranks.flip(0), w.flip(0))
                total = total + left[:-1] + right.flip(0)[1:]
            proxy[:, column] = total
        return -proxy / self.n_outputs

    def partition_proxy(self, idx, go_left):
        """Proxy of one partition per column of ``go_left`` (n, k)."""
        values = []
        for column in range(go_left.shape[1]):
            mask = go_left[:, column]
            if not bool(mask.any()) or bool(mask.all()):
                values.append(float("-inf"))
                continue
            errors = self._node(idx[mask])[1] + self._node(idx[~mask])[1]
            values.append(-errors / self.n_outputs)
        return torch.tensor(values, dtype=torch.float64)
