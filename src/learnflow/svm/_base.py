"""Shared machinery of the SVM estimators: class weights, kernels, libsvm's model layout."""

# SPDX-License-Identifier: BSD-3-Clause

import warnings
from numbers import Integral, Real

import numpy as np
import torch

from .._engine import is_torch, to_numpy, to_tensor
from ..base import BaseEstimator
from ..exceptions import ConvergenceWarning
from ..metrics.pairwise import _kernel_tensor
from ..utils._param_validation import Interval, StrOptions
from ..utils.validation import check_is_fitted, check_sample_weight, validate_data
from . import _libsvm
from ._libsvm import (
    _KernelRows,
    _PrecomputedRows,
    _kernel_matrix,
    _multiclass_probability,
    _sigmoid_predict,
    _sigmoid_train,
    _solve_svc,
    _solve_svc_batch,
)

__all__ = []

KERNELS = {"linear", "poly", "rbf", "sigmoid", "precomputed"}
# At most this many training samples: the kernel matrix is computed whole, up front (when it fits
# cache_size). One-vs-one sub-problems share it (and are solved together when their blocks fit
# cache_size and there are more than _libsvm.ALONE of them, see _libsvm._solve_smo_batch) and
# SVR uses most rows; a binary SVC often needs only a fraction of its rows (moons 5,000: 2.4x
# slower whole), so it gets a lower limit.
SMALL_PROBLEM = 5000
SMALL_BINARY = 1000


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


def _class_weight(class_weight, classes, y_encoded):
    """Weights per class: None gives ones, "balanced" n / (k * count), a dict sets some."""
    weight = np.ones(len(classes))
    if class_weight is None:
        return weight
    if isinstance(class_weight, str):
        counts = np.bincount(y_encoded, minlength=len(classes))
        return len(y_encoded) / (len(classes) * counts.astype(np.float64))
    unweighted = []
    for position, label in enumerate(classes):
        if label in class_weight:
            weight[position] = class_weight[label]
        else:
            unweighted.append(label)
    if unweighted and len(classes) - len(unweighted) != len(class_weight):
        raise ValueError(f"The classes, {unweighted}, are not in class_weight")
    return weight


def _ovr_decision_function(predictions, confidences, n_classes):
    """libsvm's one-vs-one votes plus confidences squashed into (-1/3, 1/3), as scikit-learn does."""
    n_samples = predictions.shape[0]
    votes = np.zeros((n_samples, n_classes))
    sum_of_confidences = np.zeros((n_samples, n_classes))
    k = 0
    for i in range(n_classes):
        for j in range(i + 1, n_classes):
            sum_of_confidences[:, i] -= confidences[:, k]
            sum_of_confidences[:, j] += confidences[:, k]
            votes[predictions[:, k] == 0, i] += 1
            votes[predictions[:, k] == 1, j] += 1
            k += 1
    transformed = sum_of_confidences / (3 * (np.abs(sum_of_confidences) + 1))
    return votes + transformed


def _convergence_warning(status, max_iter):
    if status:
        warnings.warn(
            f"Solver terminated early (max_iter={max_iter}). Consider pre-processing your data with "
            "StandardScaler or MinMaxScaler.",
            ConvergenceWarning,
            stacklevel=3,
        )


# ---------------------------------------------------------------------------
# The libsvm-style base estimator
# ---------------------------------------------------------------------------


class BaseLibSVM(BaseEstimator):
    """Kernel SVMs solved by SMO: kernel resolution, fitting per class pair, libsvm's layout."""

    _parameter_constraints = {
        "kernel": [StrOptions(KERNELS), callable],
        "degree": [Interval(Integral, 0, None, closed="left")],
        "gamma": [StrOptions({"scale", "auto"}), Interval(Real, 0.0, None, closed="left")],
        "coef0": [Interval(Real, None, None, closed="neither")],
        "tol": [Interval(Real, 0.0, None, closed="neither")],
        "C": [Interval(Real, 0.0, None, closed="right")],
        "epsilon": [Interval(Real, 0.0, None, closed="left")],
        "shrinking": ["boolean"],
        "cache_size": [Interval(Real, 0, None, closed="neither")],
        "verbose": ["verbose"],
        "max_iter": [Interval(Integral, -1, None, closed="left")],
    }

    # -- kernel ------------------------------------------------------------

    def _resolve_gamma(self, X):
        if self.gamma == "scale":
            var = float(X.var(unbiased=False)) if X.numel() else 0.0
            return 1.0 / (X.shape[1] * var) if var != 0 else 1.0
        if self.gamma == "auto":
            return 1.0 / X.shape[1]
        return float(self.gamma)

    def _kernel_params(self):
        if callable(self.kernel):
            return {}
        names = {"poly": ("gamma", "degree", "coef0"), "rbf": ("gamma",), "sigmoid": ("gamma", "coef0")}
        values = {"gamma": self._gamma, "degree": self.degree, "coef0": self.coef0}
        return {name: values[name] for name in names.get(self.kernel, ())}

    def _kernel(self, A, B):
        """Kernel matrix between two tensors (rows of A against rows of B)."""
        if self.kernel == "precomputed":
            return A[:, B] if B.dtype == torch.long else A
        if callable(self.kernel):
            K = self.kernel(to_numpy(A), to_numpy(B))
            return torch.as_tensor(np.asarray(K, dtype=np.float64), device=A.device)
        return _kernel_tensor(A, B, self.kernel, **self._kernel_params())

    def _gram(self, X, index=None):
        """The kernel matrix of the training samples ``index`` (None: all) as float64 numpy, any kernel."""
        if index is not None:
            X = X[index][:, index] if self.kernel == "precomputed" else X[index]
        if self.kernel == "precomputed":
            return to_numpy(X.to(torch.float64))
        if callable(self.kernel):
            return to_numpy(self._kernel(X, X).to(torch.float64))
        return _kernel_matrix(X, self.kernel, self._kernel_params())

    def _fits_whole(self, n, limit):
        """Whether an n x n kernel matrix is small enough to compute up front (``limit``, ``cache_size``)."""
        return n <= limit and n * n * 8 <= self.cache_size * 2**20

    def _full_kernel(self, X, limit=SMALL_PROBLEM):
        """The whole training kernel matrix when it is small (:meth:`_fits_whole`), else None.

        Small problems are dominated by the solver's per-iteration overhead:
        one matrix product up front then serves every row (and, in
        one-vs-one, every class pair) with no cache lookups or row blocks.
        A precomputed or callable kernel gives None (:meth:`_rows` takes its
        matrix of the samples it is given).
        """
        if self.kernel == "precomputed" or callable(self.kernel) or not self._fits_whole(X.shape[0], limit):
            return None
        return self._gram(X)

    def _rows(self, X, index, repeat=1, full_kernel=None):
        """Cached kernel rows of the training subset ``index`` (the solver's order; see ``_libsvm``)."""
        if full_kernel is not None:
            rev = to_numpy(index).astype(np.int64)[::-1]
            tile = len(rev) ** 2 * repeat * 8 <= self.cache_size * 2**20  # else rows are tiled one by one
            if len(rev) == full_kernel.shape[0] and (rev == np.arange(len(rev))[::-1]).all():
                return _PrecomputedRows(full_kernel, repeat, tile=tile)  # the whole set in order: no gather
            return _PrecomputedRows(full_kernel[np.ix_(rev, rev)], repeat, reversed=True, tile=tile)
        if self.kernel == "precomputed" or callable(self.kernel):
            return _PrecomputedRows(self._gram(X, index), repeat)
        return _KernelRows(X, self.kernel, self._kernel_params(), self.cache_size, repeat, index=index)

    # -- validation ----------------------------------------------------------

    def _validate_X(self, X, reset, y="no_validation", **y_params):
        """Validated X (and y in fit) plus X as a tensor on its device."""
        fitting = not (isinstance(y, str) and y == "no_validation")
        if fitting:
            X, y = validate_data(self, X, y, reset=reset, dtype="numeric", **y_params)
        else:
            X = validate_data(self, X, reset=reset, dtype="numeric")
        Xt = to_tensor(X, device=X.device if is_torch(X) else None)
        if self.kernel == "precomputed":
            if not reset and Xt.shape[1] != self.shape_fit_[0]:
                raise ValueError(
                    f"X.shape[1] = {Xt.shape[1]} should be equal to {self.shape_fit_[0]}, "
                    "the number of samples at training time"
                )
            if reset and Xt.shape[0] != Xt.shape[1]:
                raise ValueError("Precomputed matrix must be a square matrix. "
                                 f"Input is a {Xt.shape[0]}x{Xt.shape[1]} matrix.")
        return (X, Xt, y) if fitting else (X, Xt)

    def _sample_C(self, sample_weight, X, class_weight_per_sample):
        weight = check_sample_weight(sample_weight, X)
        return self.C * weight * class_weight_per_sample

    def _decision_values(self, X):
        """Raw libsvm decision values of each sample for each model (internal signs)."""
        Xt = self._validate_X(X, reset=False)[1]
        if self.kernel == "precomputed":
            K = Xt[:, torch.as_tensor(self.support_, device=Xt.device)]
        else:
            K = self._kernel(Xt, torch.as_tensor(self.support_vectors_, device=Xt.device, dtype=Xt.dtype))
        return to_numpy(K.to(torch.float64)) @ self._internal_coef.T - self._rho, X

    @property
    def n_support_(self):
        check_is_fitted(self, "_n_support")
        return self._n_support


# ---------------------------------------------------------------------------
# Fitting routines
# ---------------------------------------------------------------------------


def _fit_one_vs_one(est, Xt, y_enc, C, n_classes):
    """Solve every class pair (i < j; class i is +1) and lay the model out as libsvm does.

    Returns (support, dual_coef, internal_coef, rho, n_support, n_iter, status).
    """
    pairs = [(i, j) for i in range(n_classes) for j in range(i + 1, n_classes)]
    coefs, rhos, n_iters, statuses = [], [], [], []
    members = [np.flatnonzero(y_enc == c) for c in range(n_classes)]
    solved = _solve_pairs_together(est, Xt, members, pairs, C) if n_classes > 2 else None
    if solved is None:
        full_kernel = est._full_kernel(Xt, SMALL_PROBLEM if n_classes > 2 else SMALL_BINARY)
        solved = []
        for i, j in pairs:
            index = np.concatenate([members[i], members[j]])
            labels = np.where(y_enc[index] == i, 1.0, -1.0)
            rows = est._rows(Xt, torch.as_tensor(index, device=Xt.device), full_kernel=full_kernel)
            solved.append((index, *_solve_svc(rows, labels, C[index], tol=est.tol, max_iter=est.max_iter,
                                               shrinking=est.shrinking)))
    for index, coef, rho, n_iter, status in solved:
        full = np.zeros(len(y_enc))
        full[index] = coef
        coefs.append(full)
        rhos.append(rho)
        n_iters.append(n_iter)
        statuses.append(status)
    coefs = np.array(coefs)
    is_sv = (coefs != 0).any(axis=0)
    # libsvm orders support vectors by class, then by sample index
    support = np.concatenate([np.flatnonzero(is_sv & (y_enc == c)) for c in range(n_classes)]).astype(np.int32)
    n_support = np.array([np.sum(is_sv & (y_enc == c)) for c in range(n_classes)], dtype=np.int32)
    sv_class = y_enc[support]
    dual_coef = np.zeros((max(n_classes - 1, 1), len(support)))
    internal = np.zeros((len(pairs), len(support)))
    for k, (i, j) in enumerate(pairs):
        pair_coef = coefs[k][support]
        in_i, in_j = sv_class == i, sv_class == j
        dual_coef[j - 1, in_i] = pair_coef[in_i]
        dual_coef[i, in_j] = pair_coef[in_j]
        internal[k, in_i | in_j] = pair_coef[in_i | in_j]
    return support, dual_coef, internal, np.array(rhos), n_support, np.array(n_iters), max(statuses)


def _solve_pairs_together(est, Xt, members, pairs, C):
    """Every class pair at once (``_libsvm._solve_svc_batch``), or None when that does not fit or pay.

    There must be more pairs than ``_libsvm.ALONE`` (fewer are solved one by
    one faster), their stacked kernel blocks must fit ``cache_size``, and the
    whole kernel matrix too. It is computed with the samples sorted by class, each class
    reversed, so that a pair's variables in the solver's order (class j
    reversed, then class i reversed) are two runs of its rows. Returns
    (samples, coef, rho, n_iter, status) per pair.
    """
    largest = max(len(members[i]) + len(members[j]) for i, j in pairs)
    if len(pairs) <= _libsvm.ALONE or len(pairs) * largest**2 * 8 > est.cache_size * 2**20:
        return None
    order = np.concatenate([m[::-1] for m in members])
    if not est._fits_whole(len(order), SMALL_PROBLEM):
        return None
    offset = np.concatenate([[0], np.cumsum([len(m) for m in members])])
    K = est._gram(Xt, torch.as_tensor(order, device=Xt.device))
    blocks = [np.concatenate([np.arange(offset[j], offset[j + 1]), np.arange(offset[i], offset[i + 1])])
              for i, j in pairs]
    problems = [(b, np.where(b < offset[i + 1], 1.0, -1.0), C[order[b]]) for b, (i, _) in zip(blocks, pairs)]
    solved = _solve_svc_batch(K, problems, tol=est.tol, max_iter=est.max_iter, shrinking=est.shrinking)
    return [(order[b], *result) for b, result in zip(blocks, solved)]


def _platt_pair(est, Xt, y_enc, C, i, j, rng):
    """libsvm's svm_binary_svc_probability: 5-fold CV decision values, then a sigmoid fit."""
    index = np.concatenate([np.flatnonzero(y_enc == i), np.flatnonzero(y_enc == j)])
    labels = np.where(y_enc[index] == i, 1.0, -1.0)
    n_folds = 5
    perm = rng.permutation(len(index))
    dec = np.zeros(len(index))
    bounds = [k * len(index) // n_folds for k in range(n_folds + 1)]
    for k in range(n_folds):
        test = perm[bounds[k] : bounds[k + 1]]
        train = np.concatenate([perm[: bounds[k]], perm[bounds[k + 1] :]])
        pos, neg = np.sum(labels[train] > 0), np.sum(labels[train] < 0)
        if len(test) == 0:
            continue
        if pos == 0 or neg == 0:
            dec[test] = 1.0 if pos > 0 else -1.0
            continue
        sub = torch.as_tensor(index[train], device=Xt.device)
        rows = est._rows(Xt, sub)
        coef, rho, _, _ = _solve_svc(rows, labels[train], C[index[train]], tol=est.tol,
                                     max_iter=est.max_iter, shrinking=est.shrinking)
        nz = np.flatnonzero(coef)
        test_t = torch.as_tensor(index[test], device=Xt.device)
        sv_t = sub[torch.as_tensor(nz, device=Xt.device)]
        if est.kernel == "precomputed":
            K = Xt[test_t][:, sv_t]
        else:
            K = est._kernel(Xt[test_t], Xt[sv_t])
        dec[test] = to_numpy(K.to(torch.float64)) @ coef[nz] - rho
    return _sigmoid_train(dec, labels)


def _pairwise_proba(dec, probA, probB, n_classes):
    """Class probabilities from the one-vs-one decision values (libsvm's svm_predict_probability)."""
    min_prob = 1e-7
    n_samples = dec.shape[0]
    r = np.zeros((n_samples, n_classes, n_classes))
    k = 0
    for i in range(n_classes):
        for j in range(i + 1, n_classes):
            p = np.clip(_sigmoid_predict(dec[:, k], probA[k], probB[k]), min_prob, 1 - min_prob)
            r[:, i, j] = p
            r[:, j, i] = 1 - p
            k += 1
    if n_classes == 2:
        return np.stack([r[:, 0, 1], r[:, 1, 0]], axis=1)
    return _multiclass_probability(r)

