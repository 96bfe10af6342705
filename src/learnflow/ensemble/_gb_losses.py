"""Loss functions of gradient boosting: value, negative gradient, leaf line search, link.

Each loss reproduces scikit-learn's (``sklearn._loss``) definition and the leaf
update of ``sklearn.ensemble._gb._update_terminal_regions``: the squared error
keeps the tree's mean residual, the absolute error takes the weighted median,
the quantile loss the weighted quantile, Huber a robust median step, and the
classification losses one Newton step.
"""

# SPDX-License-Identifier: BSD-3-Clause

import math
import warnings

import numpy as np

__all__ = ["LOSSES", "_weighted_percentile"]


def _weighted_percentile(values, weight, percentile):
    """The lowest value whose cumulative weight reaches ``percentile`` % of the total ("inverted cdf")."""
    if np.all(weight == 0):
        return np.nan
    order = np.argsort(values)
    cdf = np.cumsum(weight[order])
    rank = percentile / 100.0 * cdf[-1]
    if rank == 0:
        rank = np.nextafter(rank, rank + 1)
    index = min(int(np.searchsorted(cdf, rank)), len(values) - 1)
    return values[order[index]]


def _average(values, weights):
    """``np.average(values, weights=weights)`` for 1-D float64 arrays, bit for bit, without its checks."""
    return np.multiply(values, weights).sum() / weights.sum()


def _safe_divide(numerator, denominator):
    """numerator / denominator, 0 for a (numerically) zero denominator."""
    if abs(denominator) < 1e-150:
        return 0.0
    result = float(numerator) / float(denominator)
    if math.isinf(result):
        warnings.warn("overflow encountered in _safe_divide", RuntimeWarning)
    return result


def _expit(x):
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def _softmax(raw):
    z = raw - raw.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


class _Loss:
    """Interface: ``n_trees``, ``factor`` (train_score_ = factor * mean loss), and the methods below."""

    factor = 1.0
    is_multiclass = False

    def __init__(self, alpha=0.9, n_classes=1):
        self.alpha = alpha
        self.n_classes = n_classes

    def __call__(self, y, raw, sample_weight):
        return float(np.average(self.pointwise(y, raw), weights=sample_weight))

    def prepare_stage(self, y, raw, sample_weight):
        """Per-stage state (Huber's delta)."""

    def leaf_value(self, y_leaf, neg_g_leaf, raw_leaf, sw_leaf):
        """The line-search value of one leaf; None keeps the tree's own value."""
        return None


class _SquaredError(_Loss):
    # L = (y - f)^2 / 2, -dL/df = y - f; leaves keep the mean residual
    factor = 2.0

    def pointwise(self, y, raw):
        return 0.5 * (y - raw[:, 0]) ** 2

    def negative_gradient(self, y, raw):
        return (y - raw[:, 0])[:, None]


class _AbsoluteError(_Loss):
    # L = |y - f|, -dL/df = sign(y - f) with +1 at y = f (scikit-learn's); leaves take the weighted median residual
    def pointwise(self, y, raw):
        return np.abs(y - raw[:, 0])

    def negative_gradient(self, y, raw):
        return np.where(raw[:, 0] > y, -1.0, 1.0)[:, None]

    def leaf_value(self, y_leaf, neg_g_leaf, raw_leaf, sw_leaf):
        return _weighted_percentile(y_leaf - raw_leaf, sw_leaf, 50)


class _Quantile(_Loss):
    # L = alpha (y - f) if y >= f else (1 - alpha)(f - y); leaves take the weighted alpha-quantile
    def pointwise(self, y, raw):
        diff = y - raw[:, 0]
        return np.where(diff >= 0, self.alpha * diff, (self.alpha - 1.0) * diff)

    def negative_gradient(self, y, raw):
        return np.where(y >= raw[:, 0], self.alpha, self.alpha - 1.0)[:, None]

    def leaf_value(self, y_leaf, neg_g_leaf, raw_leaf, sw_leaf):
        return _weighted_percentile(y_leaf - raw_leaf, sw_leaf, 100 * self.alpha)


class _Huber(_Loss):
    # L = d^2 / 2 if |d| <= delta else delta (|d| - delta / 2), delta = alpha-quantile of |y - f|
    delta = 1.0

    def prepare_stage(self, y, raw, sample_weight):
        self.delta = float(_weighted_percentile(np.abs(y - raw[:, 0]), sample_weight, 100 * self.alpha))

    def pointwise(self, y, raw):
        d = np.abs(y - raw[:, 0])
        return np.where(d <= self.delta, 0.5 * d**2, self.delta * (d - 0.5 * self.delta))

    def negative_gradient(self, y, raw):
        diff = y - raw[:, 0]
        return np.where(np.abs(diff) <= self.delta, diff, self.delta * np.sign(diff))[:, None]

    def leaf_value(self, y_leaf, neg_g_leaf, raw_leaf, sw_leaf):
        residual = y_leaf - raw_leaf
        median = _weighted_percentile(residual, sw_leaf, 50)
        diff = residual - median
        return median + np.average(np.sign(diff) * np.minimum(self.delta, np.abs(diff)), weights=sw_leaf)


class _BinomialDeviance(_Loss):
    # L = log(1 + exp(f)) - y f, -dL/df = y - expit(f); Newton step sum(g) / sum(p (1 - p))
    factor = 2.0

    def pointwise(self, y, raw):
        return np.logaddexp(0.0, raw[:, 0]) - y * raw[:, 0]

    def negative_gradient(self, y, raw):
        return (y - _expit(raw[:, 0]))[:, None]

    def leaf_value(self, y_leaf, neg_g_leaf, raw_leaf, sw_leaf):
        prob = y_leaf - neg_g_leaf
        return _safe_divide(_average(neg_g_leaf, sw_leaf), _average(prob * (1 - prob), sw_leaf))

    def link(self, proba):
        p = proba[:, 1]
        return np.log(p / (1 - p))[:, None]

    def predict_proba(self, raw):
        p = _expit(raw[:, 0])
        return np.column_stack([1 - p, p])


class _MultinomialDeviance(_Loss):
    # L = logsumexp(f) - f_y, -dL/df_k = 1[y = k] - softmax_k(f); Newton step scaled by (K - 1) / K
    is_multiclass = True

    def pointwise(self, y, raw):
        m = raw.max(axis=1)
        lse = m + np.log(np.exp(raw - m[:, None]).sum(axis=1))
        return lse - raw[np.arange(len(y)), y.astype(np.int64)]

    def negative_gradient(self, y, raw):
        onehot = (y.astype(np.int64)[:, None] == np.arange(raw.shape[1])).astype(np.float64)
        return onehot - _softmax(raw)

    def leaf_value(self, y_leaf, neg_g_leaf, raw_leaf, sw_leaf):
        prob = y_leaf - neg_g_leaf
        numerator = _average(neg_g_leaf, sw_leaf) * (self.n_classes - 1) / self.n_classes
        return _safe_divide(numerator, _average(prob * (1 - prob), sw_leaf))

    def link(self, proba):
        # symmetric multinomial logit: log(p / geometric_mean(p))
        log_p = np.log(proba)
        return log_p - log_p.mean(axis=1, keepdims=True)

    def predict_proba(self, raw):
        return _softmax(raw)


class _ExponentialLoss(_Loss):
    # L = y exp(-f) + (1 - y) exp(f) with y in {0, 1}; Newton step with hessian |gradient|
    def pointwise(self, y, raw):
        return y * np.exp(-raw[:, 0]) + (1 - y) * np.exp(raw[:, 0])

    def negative_gradient(self, y, raw):
        return (y * np.exp(-raw[:, 0]) - (1 - y) * np.exp(raw[:, 0]))[:, None]

    def leaf_value(self, y_leaf, neg_g_leaf, raw_leaf, sw_leaf):
        hessian = neg_g_leaf.copy()
        hessian[y_leaf == 0] *= -1
        return _safe_divide(_average(neg_g_leaf, sw_leaf), _average(hessian, sw_leaf))

    def link(self, proba):
        p = proba[:, 1]
        return (0.5 * np.log(p / (1 - p)))[:, None]

    def predict_proba(self, raw):
        p = _expit(2.0 * raw[:, 0])
        return np.column_stack([1 - p, p])


LOSSES = {
    "squared_error": _SquaredError,
    "absolute_error": _AbsoluteError,
    "huber": _Huber,
    "quantile": _Quantile,
    "log_loss": _BinomialDeviance,
    "exponential": _ExponentialLoss,
}
