"""Linear models: the shared base, centering, and ordinary least squares.

Every linear model predicts ``X @ coef_.T + intercept_``. The pieces all of
them share live here once: centering the data so the intercept is not
penalized (:func:`_preprocess_data`), setting the intercept back from the
offsets, the classifier's ``decision_function``/``predict``, class weights,
and :class:`LinearRegression` (the book's Normal Equation through
``torch.linalg``).
"""

# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral, Real

import numpy as np
import torch

from .._engine import get_device, is_torch, labels_to_output, on_host_blas, to_numpy, to_output, to_tensor
from ..base import BaseEstimator, ClassifierMixin, MultiOutputMixin, RegressorMixin, _fit_context
from ..utils._param_validation import Interval
from ..utils.validation import check_is_fitted, check_sample_weight, validate_data

__all__ = ["LinearRegression"]


# ---------------------------------------------------------------------------
# Private helpers shared by the linear models
# ---------------------------------------------------------------------------


def _preprocess_data(X, y, *, fit_intercept, sample_weight=None, fortran=False):
    """Center X and y (weighted by ``sample_weight``) when fitting an intercept.

    # X_offset = sum_i s_i x_i / sum_i s_i ; Xc = X - X_offset (same for y)

    Parameters
    ----------
    X : tensor of shape (n_samples, n_features)
    y : tensor of shape (n_samples,) or (n_samples, n_targets)
    fit_intercept : bool
    sample_weight : tensor of shape (n_samples,), default=None
    fortran : bool, default=False
        Write the centered X column-major (contiguous columns, for
        coordinate-wise solvers) in the same pass instead of row-major.

    Returns
    -------
    X, y : the centered tensors (new tensors; the inputs are not modified)
    X_offset : tensor of shape (n_features,)
    y_offset : tensor of shape () or (n_targets,)
    """
    if not fit_intercept:
        X_offset = torch.zeros(X.shape[1], dtype=X.dtype, device=X.device)
        y_offset = torch.zeros(y.shape[1:], dtype=X.dtype, device=X.device)
        return X, y, X_offset, y_offset
    if sample_weight is None:
        X_offset, y_offset = X.mean(dim=0), y.mean(dim=0)
    else:
        w = sample_weight / sample_weight.sum()
        X_offset = w @ X
        y_offset = (w[:, None] * y).sum(dim=0) if y.ndim == 2 else w @ y
    if fortran and X.device.type == "cpu":  # numpy writes a column-major result about 10x faster than torch
        centered = torch.from_numpy(np.subtract(X.numpy(), X_offset.numpy(), order="F"))
    elif fortran:
        centered = torch.sub(X, X_offset, out=torch.empty(X.shape[::-1], dtype=X.dtype, device=X.device).T)
    else:
        centered = X - X_offset
    return centered, y - y_offset, X_offset, y_offset


def _gram(X):
    """``X^T X``. On the CPU numpy's ``A.T @ A`` is a symmetric rank-k update
    (BLAS ``syrk``): for a tall 5000 x 100 float64 X it takes about half the
    time of torch's general matmul, so the CPU path goes through numpy."""
    if on_host_blas(X):
        X_np = X.numpy()
        return torch.from_numpy(X_np.T @ X_np)
    return X.T @ X


def _cross(X, Y):
    """``X^T Y`` (through numpy's BLAS on the CPU, like :func:`_gram`)."""
    if on_host_blas(X, Y):
        return torch.from_numpy(_cross_columns(X.numpy(), Y.numpy()))
    return _cross_columns(X, Y)


def _cross_columns(A, B):
    """``A^T B`` for numpy arrays or tensors; one column as a matrix-vector product (BLAS
    ``gemv``: OpenBLAS's ``gemm`` with one or two columns is about twice as slow)."""
    if B.shape[1] == 1:
        return (A.T @ B[:, 0])[:, None]
    return A.T @ B


def _centered_gram(X, Y, *, fit_intercept):
    """The normal-equation statistics of the centered data without writing the centered X.

    # Xc = X - m, Yc = Y - y_offset:  Xc^T Xc = X^T X - n m m^T ;  Xc^T Yc = X^T Yc - m (1^T Yc)

    Folding the centering in subtracts ``n m_j m_k`` from ``(X^T X)_jk``; while
    every squared mean is at most the column's variance (``2 n m_j^2 <=
    (X^T X)_jj``) that costs at most one bit, as centering first would. Data
    with larger means are centered explicitly first. On the CPU the
    arithmetic runs on numpy views of the tensors (see :func:`_gram`; the
    small operations on the means also cost a few microseconds each there
    instead of torch's tens).

    Parameters
    ----------
    X : tensor of shape (n_samples, n_features)
    Y : tensor of shape (n_samples, n_targets)
    fit_intercept : bool

    Returns
    -------
    gram : tensor of shape (n_features, n_features)
    cross : tensor of shape (n_features, n_targets)
    X_offset : tensor of shape (n_features,)
    y_offset : tensor of shape (n_targets,)
    Yc : tensor of shape (n_samples, n_targets), the centered targets
    """
    on_numpy = on_host_blas(X, Y)
    A, B = (X.numpy(), Y.numpy()) if on_numpy else (X, Y)
    n_samples = A.shape[0]
    if fit_intercept:
        ones = B[:, 0] * 0 + 1  # numpy or torch alike
        X_offset, y_offset = ones @ A / n_samples, B.mean(0)  # the column sums as one gemv
        B = B - y_offset
        gram = A.T @ A
        if bool((2 * n_samples * X_offset**2 <= gram.diagonal()).all()):
            gram -= n_samples * (X_offset[:, None] * X_offset[None, :])
            cross = _cross_columns(A, B) - X_offset[:, None] * B.sum(0)[None, :]
        else:
            A = A - X_offset
            gram, cross = A.T @ A, _cross_columns(A, B)
    else:
        gram, cross = A.T @ A, _cross_columns(A, B)
        X_offset, y_offset = A[0] * 0, B[0] * 0
    out = (gram, cross, X_offset, y_offset, B)
    return tuple(torch.from_numpy(a) for a in out) if on_numpy else out


def _rescale_data(X, y, sample_weight):
    """Multiply each row by sqrt(s_i): weighted least squares becomes ordinary."""
    root = torch.sqrt(sample_weight)
    return X * root[:, None], (y * root[:, None] if y.ndim == 2 else y * root)


def _as_tensors(X, y=None, sample_weight=None):
    """Validated inputs as float tensors on the engine's device (torch input keeps its device)."""
    device = X.device if is_torch(X) else get_device()
    Xt = to_tensor(X, device=device)
    out = [Xt]
    if y is not None:
        out.append(to_tensor(y, device=device, dtype=Xt.dtype))
    if sample_weight is not None:
        out.append(to_tensor(sample_weight, device=device, dtype=Xt.dtype))
    return out


def _sample_weight_tensor(sample_weight, X, Xt):
    """None, or the validated sample weights as a tensor like ``Xt``."""
    if sample_weight is None:
        return None
    weight = check_sample_weight(sample_weight, X, ensure_non_negative=True)
    return torch.as_tensor(weight, dtype=Xt.dtype, device=Xt.device)


def _compute_class_weight(class_weight, classes, y_encoded, sample_weight=None):
    """Weight of each class: 1, a user dict, or "balanced" n_samples / (n_classes * count)."""
    n_classes = len(classes)
    if class_weight is None or len(class_weight) == 0:
        return np.ones(n_classes)
    if class_weight == "balanced":
        counts = np.bincount(y_encoded, weights=sample_weight, minlength=n_classes)
        return counts.sum() / (n_classes * counts)
    weights = np.ones(n_classes)
    for label, value in class_weight.items():
        position = np.flatnonzero(classes == label)
        if len(position) == 0:
            raise ValueError(f"The classes, {[label]}, are not in class_weight")
        weights[position[0]] = value
    return weights


def _decision_tensor(X, coef, intercept):
    """Linear scores ``X @ coef.T + intercept`` on X's device and dtype."""
    coef_t = torch.as_tensor(coef, dtype=X.dtype, device=X.device)
    intercept_t = torch.as_tensor(intercept, dtype=X.dtype, device=X.device)
    return X @ _transpose(coef_t) + intercept_t


def _transpose(coef):
    """``coef.T`` for a 2-D tensor, the tensor itself for a 1-D one."""
    return coef.T if coef.ndim == 2 else coef


# ---------------------------------------------------------------------------
# Base classes
# ---------------------------------------------------------------------------


class LinearModel(BaseEstimator):
    """Base of the linear regressors: ``predict`` and the intercept from the offsets."""

    def _validate_for_predict(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        return X, _as_tensors(X)[0]

    def _decision_function(self, X):
        X, Xt = self._validate_for_predict(X)
        return X, _decision_tensor(Xt, self.coef_, self.intercept_)

    def predict(self, X):
        """Predict with the linear model: ``X @ coef_.T + intercept_``.

        Parameters
        ----------
        X : array-like or tensor of shape (n_samples, n_features)

        Returns
        -------
        y : array or tensor of shape (n_samples,) or (n_samples, n_targets)
        """
        X, scores = self._decision_function(X)
        return to_output(scores, X)

    def _set_coef_intercept(self, coef, X_offset, y_offset, fit_intercept):
        """Store ``coef_`` (numpy) and ``intercept_ = y_offset - X_offset @ coef.T``."""
        if fit_intercept:
            intercept = y_offset - X_offset @ _transpose(coef)
        else:
            intercept = torch.zeros(coef.shape[:-1], dtype=coef.dtype, device=coef.device)
        self.coef_ = to_numpy(coef)
        intercept = to_numpy(intercept)
        self.intercept_ = float(intercept) if intercept.ndim == 0 else intercept


class LinearClassifierMixin(ClassifierMixin):
    """Linear classifiers: scores, labels from the scores, and labels as ``classes_``."""

    def decision_function(self, X):
        """Confidence scores: the signed distance to each class's hyperplane.

        Returns
        -------
        scores : array or tensor of shape (n_samples,) for two classes, else (n_samples, n_classes)
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        scores = _decision_tensor(_as_tensors(X)[0], self.coef_, self.intercept_)
        scores = scores.reshape(-1) if scores.shape[1] == 1 else scores
        return to_output(scores, X)

    def predict(self, X):
        """Class labels: the positive class where the score is > 0, else the argmax."""
        scores = to_numpy(self.decision_function(X))
        indices = (scores > 0).astype(int) if scores.ndim == 1 else scores.argmax(axis=1)
        return labels_to_output(self.classes_[indices], X)

    def _predict_proba_lr(self, X):
        """One-vs-rest probabilities: sigmoid of each score, normalized over classes."""
        scores = to_numpy(self.decision_function(X))
        proba = 1.0 / (1.0 + np.exp(-scores))
        if proba.ndim == 1:
            return np.column_stack([1 - proba, proba])
        return proba / proba.sum(axis=1, keepdims=True)


# ---------------------------------------------------------------------------
# Ordinary least squares
# ---------------------------------------------------------------------------


def _solve_lstsq(X, y):
    # w = argmin ||y - X w||^2, the minimum-norm solution (X^+ y, the Normal Equation's answer)
    if X.device.type == "cpu":
        return torch.linalg.lstsq(X, y, driver="gelsd").solution
    return torch.linalg.pinv(X) @ y


def _solve_nnls(X, y):
    # w = argmin ||y - X w||^2 subject to w >= 0, column by column (scipy's active-set NNLS)
    from scipy.optimize import nnls

    X_np, Y_np = to_numpy(X), to_numpy(y)
    columns = [nnls(X_np, Y_np[:, k])[0] for k in range(Y_np.shape[1])]
    return torch.as_tensor(np.stack(columns, axis=1), dtype=X.dtype, device=X.device)


class LinearRegression(MultiOutputMixin, RegressorMixin, LinearModel):
    """Ordinary least squares: the weights minimizing the residual sum of squares.

    Solved in closed form with ``torch.linalg.lstsq`` (the minimum-norm least
    squares solution, i.e. the book's Normal Equation through the
    pseudo-inverse), after centering the data when ``fit_intercept``.

    Parameters
    ----------
    fit_intercept : bool, default=True
        Whether to fit an intercept (else the data are assumed centered).
    copy_X : bool, default=True
        Kept for scikit-learn compatibility; X is never modified.
    tol : float, default=1e-6
        Kept for scikit-learn compatibility (used by its sparse solver only).
    n_jobs : int, default=None
        Kept for scikit-learn compatibility; torch uses its own threads.
    positive : bool, default=False
        Constrain the coefficients to be non-negative (scipy's NNLS).

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,) or (n_targets, n_features)
    intercept_ : float or ndarray of shape (n_targets,)
    rank_ : int
        Rank of the (centered) X.
    singular_ : ndarray of shape (min(n_samples, n_features),)
        Singular values of the (centered) X.
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from learnflow.linear_model import LinearRegression
    >>> X = np.array([[1.0], [2.0], [3.0]])
    >>> reg = LinearRegression().fit(X, 4 + 3 * X.ravel())
    >>> round(reg.intercept_, 6), np.round(reg.coef_, 6)
    (4.0, array([3.]))
    """

    _parameter_constraints = {
        "fit_intercept": ["boolean"],
        "copy_X": ["boolean"],
        "tol": [Interval(Real, 0, None, closed="left")],
        "n_jobs": [None, Integral],
        "positive": ["boolean"],
    }

    def __init__(self, *, fit_intercept=True, copy_X=True, tol=1e-6, n_jobs=None, positive=False):
        self.fit_intercept = fit_intercept
        self.copy_X = copy_X
        self.tol = tol
        self.n_jobs = n_jobs
        self.positive = positive

    @_fit_context()
    def fit(self, X, y, sample_weight=None):
        """Fit the least-squares weights.

        Parameters
        ----------
        X : array-like or tensor of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
        sample_weight : array-like of shape (n_samples,), default=None

        Returns
        -------
        self : LinearRegression
        """
        X, y = validate_data(self, X, y, multi_output=True, y_numeric=True)
        Xt, yt = _as_tensors(X, y)
        weight = _sample_weight_tensor(sample_weight, X, Xt)
        Xc, yc, X_offset, y_offset = _preprocess_data(Xt, yt, fit_intercept=self.fit_intercept, sample_weight=weight)
        if weight is not None:
            Xc, yc = _rescale_data(Xc, yc, weight)
        Y = yc.reshape(-1, 1) if yc.ndim == 1 else yc
        coef = (_solve_nnls if self.positive else _solve_lstsq)(Xc, Y).T
        coef = coef.reshape(-1) if yc.ndim == 1 else coef
        singular = torch.linalg.svdvals(Xc)
        self.singular_ = to_numpy(singular)
        tolerance = singular.max() * max(Xc.shape) * torch.finfo(Xc.dtype).eps if singular.numel() else 0.0
        self.rank_ = int((singular > tolerance).sum())
        self._set_coef_intercept(coef, X_offset, y_offset, self.fit_intercept)
        return self
