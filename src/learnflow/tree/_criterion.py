"""Split criteria of the CART trees, vectorised over candidate split positions.

Each criterion works on per-sample *statistics*: column 0 is the sample weight
``w``, the other columns what the criterion sums (``w`` times a one-hot class
indicator for classification, ``w * y`` for regression). A candidate split is
described by the summed statistics of its left side ``L`` and right side
``R = T - L`` (``T`` the node total), so one cumulative sum over the sorted
samples of a node yields every candidate at once. The arithmetic (summation
order, ``log2(x) = ln(x) / ln(2)``) follows scikit-learn's Cython criteria so
that equal splits compare equal in both libraries.
"""

# SPDX-License-Identifier: BSD-3-Clause

import math

import numpy as np
import torch

__all__ = ["CRITERIA_CLF", "CRITERIA_REG"]

_LN2 = math.log(2.0)


def _log2(x):
    # scikit-learn's _utils.log: ln(x) / ln(2)
    return torch.log(x) / _LN2


class _Criterion:
    """Base: proxy = -w_R * impurity_R - w_L * impurity_L (scikit-learn's default).

    Subclasses define ``impurity(S)``, the impurity of the node (or candidate
    children) whose statistics are ``S``, or override every method using it.
    """

    def __init__(self, n_outputs):
        self.n_outputs = n_outputs

    def proxy(self, L, R):
        """The proxy improvement of every candidate (larger is better)."""
        return -R[..., 0] * self.impurity(R) - L[..., 0] * self.impurity(L)

    def node_impurity(self, T, idx):
        return float(self.impurity(T))

    def children_impurity(self, L, R, left_idx, right_idx):
        return float(self.impurity(L)), float(self.impurity(R))

    def improvement(self, w_total, T, L, R, impurity, impurity_left, impurity_right):
        # w_node / w_total * (I - w_R / w_node * I_R - w_L / w_node * I_L)
        w_node, w_left, w_right = float(T[0]), float(L[0]), float(R[0])
        return (w_node / w_total) * (
            impurity - (w_right / w_node * impurity_right) - (w_left / w_node * impurity_left)
        )


class _ClassificationCriterion(_Criterion):
    """Statistics: [w, w * onehot(y_0), ..., w * onehot(y_{n_outputs-1})]."""

    order_free_when_integral = True  # impurities from exact class counts only

    def __init__(self, n_outputs, n_classes):
        super().__init__(n_outputs)
        self.n_classes = list(n_classes)
        self.offsets = np.concatenate([[1], 1 + np.cumsum(self.n_classes)]).tolist()

    @staticmethod
    def make_stats(y_encoded, weight, n_classes):
        """(n_samples, 1 + sum(n_classes)) statistics of encoded targets."""
        columns = [weight[:, None]]
        for k, n_k in enumerate(n_classes):
            onehot = torch.zeros((len(weight), n_k), dtype=weight.dtype)
            onehot[torch.arange(len(weight)), y_encoded[:, k]] = 1.0
            columns.append(onehot * weight[:, None])
        return torch.cat(columns, dim=1)

    def _per_output(self, S, output_impurity):
        total = 0.0  # operators only: numpy arrays or tensors
        for k in range(self.n_outputs):
            counts = S[..., self.offsets[k] : self.offsets[k + 1]]
            total = total + output_impurity(counts, S[..., 0])
        return total / self.n_outputs

    def children_impurity(self, L, R, left_idx, right_idx):
        return self.scalar_impurity(L.tolist()), self.scalar_impurity(R.tolist())

    def node_impurity(self, T, idx):
        return self.scalar_impurity(T.tolist())

    def scalar_impurity(self, S):
        """The impurity of one stats vector, in Python floats (scikit-learn's operation order)."""
        total = 0.0
        for k in range(self.n_outputs):
            total += self._output_impurity(S[self.offsets[k] : self.offsets[k + 1]], S[0])
        return total / self.n_outputs

    def node_value(self, T, idx=None):
        # value = weighted class counts / weighted_n_node_samples (scikit-learn >= 1.4)
        if self.n_outputs == 1:
            return (T[1:] / T[0]).reshape(1, -1)
        width = max(self.n_classes)
        value = np.zeros((self.n_outputs, width))
        for k in range(self.n_outputs):
            value[k, : self.n_classes[k]] = T[self.offsets[k] : self.offsets[k + 1]] / T[0]
        return value


class _Gini(_ClassificationCriterion):
    """Gini impurity: 1 - sum_c (n_c / n)^2, averaged over outputs."""

    numpy_proxy = True  # impurity() uses only operators and sum(-1)

    def impurity(self, S):
        def gini(counts, w):
            if getattr(self, "integral", False):  # integer counts: any summation order is exact
                sq = (counts * counts).sum(-1)
            else:
                sq = 0.0
                for c in range(counts.shape[-1]):
                    sq = sq + counts[..., c] * counts[..., c]
            return 1.0 - sq / (w * w)

        return self._per_output(S, gini)

    @staticmethod
    def _output_impurity(counts, w):
        sq = 0.0
        for count in counts:
            sq += count * count
        return 1.0 - sq / (w * w)


class _Entropy(_ClassificationCriterion):
    """Shannon entropy in bits: -sum_c p_c log2 p_c, averaged over outputs."""

    def impurity(self, S):
        def entropy(counts, w):
            result = torch.zeros_like(w)
            for c in range(counts.shape[-1]):
                count = counts[..., c]
                p = count / w
                term = torch.where(count > 0.0, p * _log2(torch.where(count > 0.0, p, 1.0)), 0.0)
                result = result - term
            return result

        return self._per_output(S, entropy)

    @staticmethod
    def _output_impurity(counts, w):
        result = 0.0
        for count in counts:
            if count > 0.0:
                p = count / w
                result -= p * (math.log(p) / _LN2)
        return result


class _RegressionCriterion(_Criterion):
    """Statistics: [w, w * y_0, ..., w * y_{n_outputs-1}]; also needs y itself."""

    def __init__(self, n_outputs, y, weight):
        super().__init__(n_outputs)
        self.y = y
        self.weight = weight
        self._wyy = (weight[:, None] * y * y).numpy()  # per-sample terms of _sq_sum, computed once

    @staticmethod
    def make_stats(y, weight):
        return torch.cat([weight[:, None], weight[:, None] * y], dim=1)

    def _sq_sum(self, idx):
        # sum_i sum_k w_i y_ik^2, accumulated sequentially as scikit-learn's loop (numpy idx)
        return float(self._wyy[idx].cumsum()[-1])

    def node_value(self, T, idx=None):
        return (T[1:] / T[0]).reshape(self.n_outputs, 1)


class _MSE(_RegressionCriterion):
    """Mean squared error; proxy = sum_k S_L,k^2 / w_L + sum_k S_R,k^2 / w_R."""

    numpy_proxy = True  # proxy() uses only operators, so the search may pass numpy arrays
    order_free_when_integral = True  # sums of w, w y and w y^2 only: exact for bounded integers

    def proxy(self, L, R):
        left, right = L[..., 1] * L[..., 1], R[..., 1] * R[..., 1]
        for k in range(1, self.n_outputs):
            left = left + L[..., 1 + k] * L[..., 1 + k]
            right = right + R[..., 1 + k] * R[..., 1 + k]
        return left / L[..., 0] + right / R[..., 0]

    def _impurity(self, sq_sum, S):
        w = float(S[0])
        impurity = sq_sum / w
        for k in range(self.n_outputs):
            impurity -= (float(S[1 + k]) / w) ** 2.0
        return impurity / self.n_outputs

    def impurities(self, sq_sums, S):
        """``_impurity`` of every row of ``S`` (one output) and its sum of w y^2: the same float
        operations elementwise, the square by Python's ``**`` (libm's ``pow``, which may round
        differently from numpy's ``x * x``)."""
        w = S[:, 0]
        squares = np.array([mean**2.0 for mean in (S[:, 1] / w).tolist()])
        return (sq_sums / w - squares) / self.n_outputs

    def node_impurity(self, T, idx):
        self._node_sq_sum = self._sq_sum(idx)
        return self._impurity(self._node_sq_sum, T)

    def children_impurity(self, L, R, left_idx, right_idx):
        if getattr(self, "order_free", False):  # exact integer sums: the right one directly
            return self._impurity(float(self._wyy[left_idx].sum()), L), self._impurity(float(self._wyy[right_idx].sum()), R)
        sq_left = self._sq_sum(left_idx)
        sq_total = self._sq_sum(np.concatenate([left_idx, right_idx]))
        return self._impurity(sq_left, L), self._impurity(sq_total - sq_left, R)


class _Poisson(_RegressionCriterion):
    """Half Poisson deviance; splits giving a child sum(y) <= 0 are forbidden."""

    _EPS = float(np.finfo(np.float64).eps)

    def proxy(self, L, R):
        left = torch.zeros_like(L[..., 0])
        right = torch.zeros_like(R[..., 0])
        forbidden = torch.zeros_like(left, dtype=torch.bool)
        for k in range(self.n_outputs):
            s_left, s_right = L[..., 1 + k], R[..., 1 + k]
            forbidden |= (s_left <= self._EPS) | (s_right <= self._EPS)
            safe_left = torch.where(s_left > self._EPS, s_left, 1.0)
            safe_right = torch.where(s_right > self._EPS, s_right, 1.0)
            left = left - safe_left * _log2(safe_left / L[..., 0])
            right = right - safe_right * _log2(safe_right / R[..., 0])
        return torch.where(forbidden, -math.inf, -left - right)

    def _loss(self, S, idx):
        idx = torch.from_numpy(idx)
        w_sum = float(S[0])
        y, w = self.y[idx], self.weight[idx]
        loss = 0.0
        for k in range(self.n_outputs):
            if float(S[1 + k]) <= self._EPS:
                return math.inf
            mean = float(S[1 + k]) / w_sum
            y_k = y[:, k]
            terms = torch.where(y_k > 0, y_k * torch.log(torch.where(y_k > 0, y_k, 1.0) / mean), 0.0)
            loss += float((w * terms).sum())
        return loss / (w_sum * self.n_outputs)

    def node_impurity(self, T, idx):
        return self._loss(T, idx)

    def children_impurity(self, L, R, left_idx, right_idx):
        return self._loss(L, left_idx), self._loss(R, right_idx)


CRITERIA_CLF = {"gini": _Gini, "entropy": _Entropy, "log_loss": _Entropy}
CRITERIA_REG = {"squared_error": _MSE, "poisson": _Poisson}
