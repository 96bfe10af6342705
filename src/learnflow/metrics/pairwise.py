"""Pairwise distances and kernels between the rows of two matrices.

The kernels of Chapter 5 (Equation 5-10: linear, polynomial, Gaussian RBF,
sigmoid) and the distances behind them, computed on torch tensors in blocks
of matrix products. Numpy in gives numpy out; a tensor in gives a tensor out
on the same device. Support vector machines and kernel PCA build on these.
"""

# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
import torch

from .._engine import get_device, get_dtype, is_torch, to_output, to_tensor
from ..utils.validation import check_array

__all__ = [
    "cosine_distances",
    "cosine_similarity",
    "euclidean_distances",
    "laplacian_kernel",
    "linear_kernel",
    "manhattan_distances",
    "pairwise_distances",
    "pairwise_kernels",
    "polynomial_kernel",
    "rbf_kernel",
    "sigmoid_kernel",
]


# ---------------------------------------------------------------------------
# Input handling
# ---------------------------------------------------------------------------


def _as_tensor(X, device):
    """One validated 2-D input as a floating tensor on ``device``."""
    X = check_array(X, dtype="numeric", input_name="X")
    if is_torch(X):
        dtype = X.dtype if X.is_floating_point() else get_dtype(X.device)
        return X.to(dtype=dtype)
    return to_tensor(X, device=device)


def _check_pairwise_arrays(X, Y):
    """Validate X and Y; return tensors (Y is X when Y is None) and the input that sets the output kind."""
    device = X.device if is_torch(X) else get_device()
    Xt = _as_tensor(X, device)
    Yt = Xt if Y is None or Y is X else _as_tensor(Y, device)
    if Yt.dtype != Xt.dtype:
        dtype = torch.promote_types(Xt.dtype, Yt.dtype)
        Xt, Yt = Xt.to(dtype), Yt.to(dtype)
    if Xt.shape[1] != Yt.shape[1]:
        raise ValueError(
            f"Incompatible dimension for X and Y matrices: X.shape[1] == {Xt.shape[1]} "
            f"while Y.shape[1] == {Yt.shape[1]}"
        )
    return Xt, Yt


def _gamma(gamma, n_features):
    # gamma defaults to 1 / n_features, as in scikit-learn
    return 1.0 / n_features if gamma is None else float(gamma)


# ---------------------------------------------------------------------------
# Tensor kernels (private; shared with SVC and KernelPCA)
# ---------------------------------------------------------------------------


def _squared_euclidean(X, Y, X_norm_squared=None, Y_norm_squared=None, same=False):
    # ||x - y||^2 = ||x||^2 - 2 x.y + ||y||^2, clipped at 0
    XX = (X * X).sum(1) if X_norm_squared is None else X_norm_squared.reshape(-1)
    YY = (Y * Y).sum(1) if Y_norm_squared is None else Y_norm_squared.reshape(-1)
    D = -2.0 * (X @ Y.T)
    D += XX[:, None]
    D += YY[None, :]
    D.clamp_(min=0)
    if same:
        D.fill_diagonal_(0)
    return D


def _linear(X, Y):
    # K = X Y^T
    return X @ Y.T


def _polynomial(X, Y, degree=3, gamma=None, coef0=1):
    # K = (gamma X Y^T + coef0)^degree
    K = X @ Y.T
    K *= _gamma(gamma, X.shape[1])
    K += coef0
    return K.pow_(degree)


def _rbf(X, Y, gamma=None, same=False):
    # K = exp(-gamma ||x - y||^2)
    K = _squared_euclidean(X, Y, same=same)
    K *= -_gamma(gamma, X.shape[1])
    return K.exp_()


def _sigmoid(X, Y, gamma=None, coef0=1):
    # K = tanh(gamma X Y^T + coef0)
    K = X @ Y.T
    K *= _gamma(gamma, X.shape[1])
    K += coef0
    return K.tanh_()


def _manhattan(X, Y):
    # D = sum_k |x_k - y_k|
    return torch.cdist(X, Y, p=1) if X.shape[0] and Y.shape[0] else X.new_zeros((X.shape[0], Y.shape[0]))


def _laplacian(X, Y, gamma=None):
    # K = exp(-gamma ||x - y||_1)
    return (-_gamma(gamma, X.shape[1]) * _manhattan(X, Y)).exp_()


def _normalize_rows(X):
    # norms below 10 eps count as zero rows (scikit-learn's _handle_zeros_in_scale)
    norms = (X * X).sum(1, keepdim=True).sqrt()
    norms[norms < 10 * torch.finfo(X.dtype).eps] = 1.0
    return X / norms


def _cosine(X, Y, same=False):
    # K = x.y / (||x|| ||y||)
    Xn = _normalize_rows(X)
    Yn = Xn if same else _normalize_rows(Y)
    return Xn @ Yn.T


# ---------------------------------------------------------------------------
# Public kernels and distances
# ---------------------------------------------------------------------------


def linear_kernel(X, Y=None, dense_output=True):
    """Linear kernel ``K(x, y) = x . y`` between the rows of X and Y.

    Parameters
    ----------
    X : array-like or tensor of shape (n_samples_X, n_features)
    Y : array-like or tensor of shape (n_samples_Y, n_features), default=None
        X itself when None.
    dense_output : bool, default=True
        Accepted for scikit-learn compatibility (the output is always dense).

    Returns
    -------
    kernel : ndarray or tensor of shape (n_samples_X, n_samples_Y)

    Examples
    --------
    >>> from learnflow.metrics.pairwise import linear_kernel
    >>> linear_kernel([[1.0, 2.0]], [[3.0, 4.0]])
    array([[11.]])
    """
    Xt, Yt = _check_pairwise_arrays(X, Y)
    return to_output(_linear(Xt, Yt), X)


def polynomial_kernel(X, Y=None, degree=3, gamma=None, coef0=1):
    """Polynomial kernel ``K(x, y) = (gamma x . y + coef0) ** degree``.

    Parameters
    ----------
    X : array-like or tensor of shape (n_samples_X, n_features)
    Y : array-like or tensor of shape (n_samples_Y, n_features), default=None
    degree : float, default=3
    gamma : float, default=None
        ``1 / n_features`` when None.
    coef0 : float, default=1

    Returns
    -------
    kernel : ndarray or tensor of shape (n_samples_X, n_samples_Y)

    Examples
    --------
    >>> from learnflow.metrics.pairwise import polynomial_kernel
    >>> polynomial_kernel([[1.0, 2.0]], [[3.0, 4.0]], degree=2, gamma=1, coef0=0)
    array([[121.]])
    """
    Xt, Yt = _check_pairwise_arrays(X, Y)
    return to_output(_polynomial(Xt, Yt, degree, gamma, coef0), X)


def rbf_kernel(X, Y=None, gamma=None):
    """Gaussian RBF kernel ``K(x, y) = exp(-gamma ||x - y||^2)`` (Equation 5-1).

    Parameters
    ----------
    X : array-like or tensor of shape (n_samples_X, n_features)
    Y : array-like or tensor of shape (n_samples_Y, n_features), default=None
    gamma : float, default=None
        ``1 / n_features`` when None.

    Returns
    -------
    kernel : ndarray or tensor of shape (n_samples_X, n_samples_Y)

    Examples
    --------
    The book's similarity features of x = -1 to the landmarks -2 and 1:

    >>> from learnflow.metrics.pairwise import rbf_kernel
    >>> rbf_kernel([[-1.0]], [[-2.0], [1.0]], gamma=0.3).round(8)
    array([[0.74081822, 0.30119421]])
    """
    Xt, Yt = _check_pairwise_arrays(X, Y)
    return to_output(_rbf(Xt, Yt, gamma, same=Yt is Xt), X)


def sigmoid_kernel(X, Y=None, gamma=None, coef0=1):
    """Sigmoid kernel ``K(x, y) = tanh(gamma x . y + coef0)``.

    Parameters
    ----------
    X : array-like or tensor of shape (n_samples_X, n_features)
    Y : array-like or tensor of shape (n_samples_Y, n_features), default=None
    gamma : float, default=None
        ``1 / n_features`` when None.
    coef0 : float, default=1

    Returns
    -------
    kernel : ndarray or tensor of shape (n_samples_X, n_samples_Y)

    Examples
    --------
    >>> from learnflow.metrics.pairwise import sigmoid_kernel
    >>> sigmoid_kernel([[0.0, 0.0]], coef0=0)
    array([[0.]])
    """
    Xt, Yt = _check_pairwise_arrays(X, Y)
    return to_output(_sigmoid(Xt, Yt, gamma, coef0), X)


def laplacian_kernel(X, Y=None, gamma=None):
    """Laplacian kernel ``K(x, y) = exp(-gamma ||x - y||_1)``.

    Parameters
    ----------
    X : array-like or tensor of shape (n_samples_X, n_features)
    Y : array-like or tensor of shape (n_samples_Y, n_features), default=None
    gamma : float, default=None
        ``1 / n_features`` when None.

    Returns
    -------
    kernel : ndarray or tensor of shape (n_samples_X, n_samples_Y)

    Examples
    --------
    >>> from learnflow.metrics.pairwise import laplacian_kernel
    >>> laplacian_kernel([[0.0]], [[2.0]], gamma=0.5).round(6)
    array([[0.367879]])
    """
    Xt, Yt = _check_pairwise_arrays(X, Y)
    return to_output(_laplacian(Xt, Yt, gamma), X)


def cosine_similarity(X, Y=None, dense_output=True):
    """Cosine similarity ``x . y / (||x|| ||y||)`` (zero rows give 0).

    Parameters
    ----------
    X : array-like or tensor of shape (n_samples_X, n_features)
    Y : array-like or tensor of shape (n_samples_Y, n_features), default=None
    dense_output : bool, default=True
        Accepted for scikit-learn compatibility (the output is always dense).

    Returns
    -------
    similarity : ndarray or tensor of shape (n_samples_X, n_samples_Y)

    Examples
    --------
    >>> from learnflow.metrics.pairwise import cosine_similarity
    >>> cosine_similarity([[1.0, 0.0]], [[1.0, 1.0]]).round(6)
    array([[0.707107]])
    """
    Xt, Yt = _check_pairwise_arrays(X, Y)
    return to_output(_cosine(Xt, Yt, same=Yt is Xt), X)


def cosine_distances(X, Y=None):
    """Cosine distance ``1 - cosine_similarity``, clipped to [0, 2].

    Examples
    --------
    >>> from learnflow.metrics.pairwise import cosine_distances
    >>> cosine_distances([[1.0, 0.0]], [[0.0, 1.0]])
    array([[1.]])
    """
    Xt, Yt = _check_pairwise_arrays(X, Y)
    return to_output(_cosine_distance(Xt, Yt, same=Yt is Xt), X)


def _cosine_distance(X, Y, same=False):
    D = (1.0 - _cosine(X, Y, same=same)).clamp_(0, 2)
    if same:
        D.fill_diagonal_(0)
    return D


def euclidean_distances(X, Y=None, *, Y_norm_squared=None, squared=False, X_norm_squared=None):
    """Euclidean distances ``sqrt(||x||^2 - 2 x . y + ||y||^2)`` between rows.

    Parameters
    ----------
    X : array-like or tensor of shape (n_samples_X, n_features)
    Y : array-like or tensor of shape (n_samples_Y, n_features), default=None
    Y_norm_squared : array-like of shape (n_samples_Y,) or (1, n_samples_Y), default=None
        Precomputed ``(Y ** 2).sum(axis=1)``.
    squared : bool, default=False
        Return squared distances.
    X_norm_squared : array-like of shape (n_samples_X,) or (n_samples_X, 1), default=None
        Precomputed ``(X ** 2).sum(axis=1)``.

    Returns
    -------
    distances : ndarray or tensor of shape (n_samples_X, n_samples_Y)

    Examples
    --------
    >>> from learnflow.metrics.pairwise import euclidean_distances
    >>> euclidean_distances([[0.0, 0.0]], [[3.0, 4.0]])
    array([[5.]])
    """
    Xt, Yt = _check_pairwise_arrays(X, Y)
    XX = _norms(X_norm_squared, Xt, "X")
    YY = _norms(Y_norm_squared, Yt, "Y")
    D = _squared_euclidean(Xt, Yt, XX, YY, same=Yt is Xt)
    return to_output(D if squared else D.sqrt_(), X)


def _norms(norm_squared, T, name):
    if norm_squared is None:
        return None
    norms = to_tensor(norm_squared, device=T.device).to(T.dtype).reshape(-1)
    if norms.shape[0] != T.shape[0]:
        raise ValueError(
            f"Incompatible dimensions for {name} of shape {tuple(T.shape)} and "
            f"{name}_norm_squared of shape {tuple(np.shape(norm_squared))}."
        )
    return norms


def manhattan_distances(X, Y=None):
    """L1 distances ``sum_k |x_k - y_k|`` between rows.

    Examples
    --------
    >>> from learnflow.metrics.pairwise import manhattan_distances
    >>> manhattan_distances([[0.0, 0.0]], [[3.0, 4.0]])
    array([[7.]])
    """
    Xt, Yt = _check_pairwise_arrays(X, Y)
    return to_output(_manhattan(Xt, Yt), X)


# ---------------------------------------------------------------------------
# Dispatchers
# ---------------------------------------------------------------------------


def _euclidean_metric(X, Y, same=False, **_):
    return _squared_euclidean(X, Y, same=same).sqrt_()


def _sqeuclidean_metric(X, Y, same=False, **_):
    return _squared_euclidean(X, Y, same=same)


def _minkowski_metric(X, Y, p=2, **_):
    return torch.cdist(X, Y, p=float(p))


def _chebyshev_metric(X, Y, **_):
    return torch.cdist(X, Y, p=float("inf"))


PAIRWISE_DISTANCE_FUNCTIONS = {
    "euclidean": _euclidean_metric,
    "l2": _euclidean_metric,
    "sqeuclidean": _sqeuclidean_metric,
    "manhattan": lambda X, Y, **_: _manhattan(X, Y),
    "cityblock": lambda X, Y, **_: _manhattan(X, Y),
    "l1": lambda X, Y, **_: _manhattan(X, Y),
    "cosine": lambda X, Y, same=False, **_: _cosine_distance(X, Y, same=same),
    "minkowski": _minkowski_metric,
    "chebyshev": _chebyshev_metric,
}

PAIRWISE_KERNEL_FUNCTIONS = {
    "linear": lambda X, Y, **_: _linear(X, Y),
    "poly": lambda X, Y, degree=3, gamma=None, coef0=1, **_: _polynomial(X, Y, degree, gamma, coef0),
    "polynomial": lambda X, Y, degree=3, gamma=None, coef0=1, **_: _polynomial(X, Y, degree, gamma, coef0),
    "rbf": lambda X, Y, gamma=None, same=False, **_: _rbf(X, Y, gamma, same=same),
    "sigmoid": lambda X, Y, gamma=None, coef0=1, **_: _sigmoid(X, Y, gamma, coef0),
    "laplacian": lambda X, Y, gamma=None, **_: _laplacian(X, Y, gamma),
    "cosine": lambda X, Y, same=False, **_: _cosine(X, Y, same=same),
}

KERNEL_PARAMS = {
    "linear": (),
    "poly": ("gamma", "degree", "coef0"),
    "polynomial": ("gamma", "degree", "coef0"),
    "rbf": ("gamma",),
    "sigmoid": ("gamma", "coef0"),
    "laplacian": ("gamma",),
    "cosine": (),
}


def _callable_pairwise(X, Y, func, **kwds):
    """Apply ``func`` to every pair of rows (numpy 1-D arrays)."""
    Xn, Yn = X.cpu().numpy(), Y.cpu().numpy()
    out = np.empty((Xn.shape[0], Yn.shape[0]))
    for i, row in enumerate(Xn):
        for j, col in enumerate(Yn):
            out[i, j] = func(row, col, **kwds)
    return torch.as_tensor(out, dtype=X.dtype, device=X.device)


def _precomputed(X, Y, what):
    X = check_array(X, dtype="numeric", input_name="X")
    if Y is not None:
        Y = check_array(Y, dtype="numeric", input_name="Y")
        if X.shape[1] != Y.shape[0]:
            raise ValueError(
                f"Precomputed metric requires shape (n_queries, n_indexed). Got ({X.shape[0]}, {X.shape[1]}) "
                f"for {Y.shape[0]} indexed."
            )
    if what == "distance" and (X < 0).any():
        raise ValueError("Precomputed distance matrix contains negative values.")
    return X


def pairwise_distances(X, Y=None, metric="euclidean", *, n_jobs=None, ensure_all_finite=True, **kwds):
    """Distance matrix between the rows of X (and Y).

    Parameters
    ----------
    X : array-like or tensor of shape (n_samples_X, n_features), or (n_samples_X, n_samples_Y)
        when ``metric="precomputed"``.
    Y : array-like or tensor of shape (n_samples_Y, n_features), default=None
    metric : str or callable, default="euclidean"
        One of "euclidean", "l2", "sqeuclidean", "manhattan", "cityblock", "l1",
        "cosine", "minkowski" (``p=``), "chebyshev", "precomputed", or a callable
        of two 1-D arrays returning a float.
    n_jobs : int, default=None
        Accepted for scikit-learn compatibility (torch uses its own threads).
    ensure_all_finite : bool, default=True
    **kwds
        Passed to the metric (``p`` for minkowski, anything for a callable).

    Returns
    -------
    distances : ndarray or tensor of shape (n_samples_X, n_samples_Y)

    Examples
    --------
    >>> from learnflow.metrics import pairwise_distances
    >>> pairwise_distances([[0.0, 0.0], [3.0, 4.0]], metric="manhattan")
    array([[0., 7.],
           [7., 0.]])
    """
    if isinstance(metric, str) and metric == "precomputed":
        return _precomputed(X, Y, "distance")
    if not callable(metric) and metric not in PAIRWISE_DISTANCE_FUNCTIONS:
        raise ValueError(
            f"Unknown metric {metric!r}. Valid metrics are {sorted(PAIRWISE_DISTANCE_FUNCTIONS)}, "
            "'precomputed' or a callable."
        )
    Xt, Yt = _check_pairwise_arrays(X, Y)
    if callable(metric):
        D = _callable_pairwise(Xt, Yt, metric, **kwds)
        if Yt is Xt:
            D.fill_diagonal_(0)
    else:
        D = PAIRWISE_DISTANCE_FUNCTIONS[metric](Xt, Yt, same=Yt is Xt, **kwds)
    return to_output(D, X)


def pairwise_kernels(X, Y=None, metric="linear", *, filter_params=False, n_jobs=None, **kwds):
    """Kernel matrix between the rows of X (and Y).

    Parameters
    ----------
    X : array-like or tensor of shape (n_samples_X, n_features), or (n_samples_X, n_samples_Y)
        when ``metric="precomputed"``.
    Y : array-like or tensor of shape (n_samples_Y, n_features), default=None
    metric : str or callable, default="linear"
        One of "linear", "poly", "polynomial", "rbf", "sigmoid", "laplacian",
        "cosine", "precomputed", or a callable of two 1-D arrays returning a float.
    filter_params : bool, default=False
        Drop the keyword arguments the named kernel does not take.
    n_jobs : int, default=None
        Accepted for scikit-learn compatibility.
    **kwds
        The kernel's parameters (gamma, degree, coef0), or a callable's.

    Returns
    -------
    kernel : ndarray or tensor of shape (n_samples_X, n_samples_Y)

    Examples
    --------
    >>> from learnflow.metrics import pairwise_kernels
    >>> pairwise_kernels([[0.0], [1.0]], metric="rbf", gamma=1.0).round(6)
    array([[1.      , 0.367879],
           [0.367879, 1.      ]])
    """
    if isinstance(metric, str) and metric == "precomputed":
        return _precomputed(X, Y, "kernel")
    if callable(metric):
        Xt, Yt = _check_pairwise_arrays(X, Y)
        return to_output(_callable_pairwise(Xt, Yt, metric, **kwds), X)
    if metric not in PAIRWISE_KERNEL_FUNCTIONS:
        raise ValueError(
            f"Unknown kernel {metric!r}. Valid kernels are {sorted(PAIRWISE_KERNEL_FUNCTIONS)}, "
            "'precomputed' or a callable."
        )
    if filter_params:
        kwds = {k: v for k, v in kwds.items() if k in KERNEL_PARAMS[metric]}
    else:
        unknown = set(kwds) - set(KERNEL_PARAMS[metric])
        if unknown:
            raise TypeError(f"Kernel {metric!r} got unexpected keyword arguments {sorted(unknown)}.")
    Xt, Yt = _check_pairwise_arrays(X, Y)
    return to_output(PAIRWISE_KERNEL_FUNCTIONS[metric](Xt, Yt, same=Yt is Xt, **kwds), X)


def _kernel_tensor(X, Y, metric, **params):
    """Kernel matrix of two tensors (used by SVC and KernelPCA); ``metric`` a name or callable."""
    if callable(metric):
        return _callable_pairwise(X, Y, metric, **params)
    return PAIRWISE_KERNEL_FUNCTIONS[metric](X, Y, **params)
