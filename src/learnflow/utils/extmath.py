"""Extended linear algebra on torch: randomized SVD, sign-stable SVD, stable cumulative sums, shifted
Cholesky solves.

These are scikit-learn's ``sklearn.utils.extmath`` helpers computed on torch
tensors. Numpy input gives numpy output; a tensor gives a tensor on its device.
"""

# SPDX-License-Identifier: BSD-3-Clause

import warnings
from numbers import Integral

import numpy as np
import torch

from .._engine import check_random_state, is_torch, on_host_blas, to_output, to_tensor

__all__ = ["randomized_range_finder", "randomized_svd", "stable_cumsum", "svd_flip"]

_NORMALIZERS = ("auto", "QR", "LU", "none")


def _as_tensor(A):
    """A float tensor of ``A`` (tensors keep their device and floating dtype)."""
    if is_torch(A):
        return A if A.is_floating_point() else A.to(torch.get_default_dtype())
    return to_tensor(A)


def _lu_q(A):
    """The permuted lower factor P @ L of A = P L U (scipy's ``lu(A, permute_l=True)[0]``)."""
    # the row permutation is applied by indexing, never as a dense (n, n) matrix
    # lu_factor_ex, unlike lu_factor, accepts a singular A (rank-deficient data), as scipy does
    LU, pivots, _ = torch.linalg.lu_factor_ex(A)
    L = torch.tril(LU, diagonal=-1)[:, : min(A.shape)]
    L.diagonal().fill_(1.0)
    perm = list(range(A.shape[0]))
    for i, p in enumerate((pivots - 1).tolist()):
        perm[i], perm[p] = perm[p], perm[i]
    inverse = torch.empty(A.shape[0], dtype=torch.long, device=A.device)
    inverse[torch.as_tensor(perm, device=A.device)] = torch.arange(A.shape[0], device=A.device)
    return L[inverse]


def _qr_q(A):
    return torch.linalg.qr(A, mode="reduced")[0]


def _host_lu_q(A):
    from scipy import linalg

    return linalg.lu(A, permute_l=True, check_finite=False)[0]


def _host_qr_q(A):
    from scipy import linalg

    return linalg.qr(A, mode="economic", check_finite=False)[0]


# power-iteration normalizers and the final orthonormalization: on tensors (torch), on numpy arrays (scipy)
_NORMALIZE = {"LU": _lu_q, "QR": _qr_q, "none": lambda A: A}
_HOST_NORMALIZE = {"LU": _host_lu_q, "QR": _host_qr_q, "none": lambda A: A}


def _range_finder(A, size, n_iter, power_iteration_normalizer, random_state):
    """Q = orth((A A^T)^q A G), G Gaussian (Halko et al. 2009, algorithm 4.3/4.4), of a tensor or a numpy array.

    The draws come from numpy's RandomState, so a seed gives scikit-learn's own test matrix.
    A numpy array (the CPU path: numpy's BLAS and scipy's LAPACK, scikit-learn's libraries,
    see :func:`learnflow._engine.on_host_blas`) multiplies by the Gram matrix when that costs less:
    # Q <- normalize(A^T A Q) spans the same subspace as Q <- normalize(A^T normalize(A Q))
    (the normalizations change the basis, not the span), with one n x n product per iteration
    instead of two m x n ones. Tensors (float32 on GPUs) keep the better-conditioned two products.
    """
    on_host = isinstance(A, np.ndarray)
    draws = check_random_state(random_state).normal(size=(A.shape[1], size))
    Q = draws.astype(A.dtype, copy=False) if on_host else torch.as_tensor(draws, dtype=A.dtype, device=A.device)
    if power_iteration_normalizer == "auto":
        power_iteration_normalizer = "none" if n_iter <= 2 else "LU"
    normalize = (_HOST_NORMALIZE if on_host else _NORMALIZE)[power_iteration_normalizer]
    m, n = A.shape
    # flops: m n^2 (the Gram matrix, once) + 2 n^2 size per iteration, against 4 m n size per iteration
    gram_cheaper = m * n + 2 * n_iter * n * size < 4 * n_iter * m * size
    if on_host and power_iteration_normalizer != "none" and n_iter > 0 and gram_cheaper:
        gram = A.T @ A
        for _ in range(n_iter):
            Q = normalize(gram @ Q)
    else:
        for _ in range(n_iter):
            Q = normalize(A.T @ normalize(A @ Q))
    return _host_qr_q(A @ Q) if on_host else _qr_q(A @ Q)


def _check_normalizer(power_iteration_normalizer):
    if power_iteration_normalizer not in _NORMALIZERS:
        raise ValueError(
            f"power_iteration_normalizer must be one of {_NORMALIZERS}, got {power_iteration_normalizer!r}."
        )


def randomized_range_finder(A, *, size, n_iter, power_iteration_normalizer="auto", random_state=None):
    """An orthonormal matrix whose range approximates the range of A.

    Parameters
    ----------
    A : array-like or torch.Tensor of shape (n_samples, n_features)
    size : int
        Number of columns of the returned matrix.
    n_iter : int
        Number of power iterations.
    power_iteration_normalizer : {"auto", "QR", "LU", "none"}, default="auto"
        How each power iteration is renormalized; "auto" is "none" for
        ``n_iter <= 2`` and "LU" otherwise.
    random_state : int, RandomState or None, default=None

    Returns
    -------
    Q : ndarray or tensor of shape (n_samples, size)

    Examples
    --------
    >>> import numpy as np
    >>> from learnflow.utils.extmath import randomized_range_finder
    >>> A = np.arange(12.0).reshape(4, 3)
    >>> Q = randomized_range_finder(A, size=2, n_iter=2, random_state=0)
    >>> Q.shape, bool(np.allclose(Q.T @ Q, np.eye(2)))
    ((4, 2), True)
    """
    _check_normalizer(power_iteration_normalizer)
    A_t = _as_tensor(A)
    if on_host_blas(A_t):
        return to_output(torch.from_numpy(_range_finder(A_t.numpy(), size, n_iter, power_iteration_normalizer,
                                                        random_state)), A)
    return to_output(_range_finder(A_t, size, n_iter, power_iteration_normalizer, random_state), A)


def svd_flip(u, v, u_based_decision=True):
    """Make the signs of an SVD deterministic (scikit-learn's ``svd_flip``).

    With ``u_based_decision`` the largest-magnitude entry of each column of u
    is made positive, else the largest-magnitude entry of each row of v; the
    other factor gets the same signs so ``u @ diag(s) @ v`` is unchanged.
    Either factor may be None when the decision does not need it.

    Parameters
    ----------
    u : ndarray, tensor or None of shape (M, K)
    v : ndarray, tensor or None of shape (K, N)
    u_based_decision : bool, default=True

    Returns
    -------
    u_adjusted, v_adjusted : same kinds as the inputs (None stays None)

    Examples
    --------
    >>> import numpy as np
    >>> from learnflow.utils.extmath import svd_flip
    >>> u, v = svd_flip(np.array([[-1.0], [0.5]]), np.array([[2.0, -3.0]]))
    >>> u.ravel(), v.ravel()
    (array([ 1. , -0.5]), array([-2.,  3.]))
    """
    ut = None if u is None else _as_tensor(u)
    vt = None if v is None else _as_tensor(v)
    ut, vt = _svd_flip_tensors(ut, vt, u_based_decision=u_based_decision)
    return (None if u is None else to_output(ut, u)), (None if v is None else to_output(vt, v))


def _svd_flip_tensors(u, v, u_based_decision=True):
    """svd_flip on tensors, returning tensors (u or v may be None)."""
    if u_based_decision:
        rows = torch.argmax(u.abs(), dim=0)
        signs = torch.sign(u[rows, torch.arange(u.shape[1], device=u.device)])
    else:
        cols = torch.argmax(v.abs(), dim=1)
        signs = torch.sign(v[torch.arange(v.shape[0], device=v.device), cols])
    signs = torch.where(signs == 0, torch.ones_like(signs), signs)
    u = None if u is None else u * signs[None, : u.shape[1]]
    v = None if v is None else v * signs[: v.shape[0], None]
    return u, v


def _randomized_svd(M, n_components, *, n_oversamples=10, n_iter="auto", power_iteration_normalizer="auto",
                    transpose="auto", flip_sign=True, random_state=None):
    """randomized_svd on a tensor, returning tensors."""
    n_samples, n_features = M.shape
    if n_iter == "auto":
        # 7 power iterations help when few components are asked for (Halko et al. 2009, section 4.5)
        n_iter = 7 if n_components < 0.1 * min(M.shape) else 4
    if transpose == "auto":
        transpose = n_samples < n_features
    if transpose:
        M = M.T
    if power_iteration_normalizer == "auto":
        power_iteration_normalizer = "none" if n_iter <= 2 else "LU"
    U, s, Vt = _sketch_svd(M, n_components + n_oversamples, n_iter, power_iteration_normalizer, random_state)
    if flip_sign:
        U, Vt = _svd_flip_tensors(U, Vt, u_based_decision=not transpose)
    if transpose:
        return Vt[:n_components].T, s[:n_components], U[:, :n_components].T
    return U[:, :n_components], s[:n_components], Vt[:n_components]


def _sketch_svd(M, size, n_iter, power_iteration_normalizer, random_state):
    """``M ~ U diag(s) Vt`` from the range of a random sketch of M (``size`` columns); CPU tensors on numpy/scipy."""
    if on_host_blas(M):
        from scipy import linalg

        A = M.numpy()
        Q = _range_finder(A, size, n_iter, power_iteration_normalizer, random_state)
        Uhat, s, Vt = linalg.svd(Q.T @ A, full_matrices=False, check_finite=False)
        return torch.from_numpy(Q @ Uhat), torch.from_numpy(s), torch.from_numpy(Vt)
    Q = _range_finder(M, size, n_iter, power_iteration_normalizer, random_state)
    # M ~ Q Q^T M = (Q Uhat) s Vt
    Uhat, s, Vt = torch.linalg.svd(Q.T @ M, full_matrices=False)
    return Q @ Uhat, s, Vt


def randomized_svd(M, n_components, *, n_oversamples=10, n_iter="auto", power_iteration_normalizer="auto",
                   transpose="auto", flip_sign=True, random_state=None):
    """Truncated SVD by random projections (Halko et al. 2009), on torch.

    Parameters
    ----------
    M : array-like or torch.Tensor of shape (n_samples, n_features)
    n_components : int
        Number of singular values and vectors to extract.
    n_oversamples : int, default=10
        Extra random vectors beyond ``n_components`` used to sample the range.
    n_iter : int or "auto", default="auto"
        Power iterations; "auto" is 7 when ``n_components < 0.1 * min(M.shape)``, else 4.
    power_iteration_normalizer : {"auto", "QR", "LU", "none"}, default="auto"
    transpose : bool or "auto", default="auto"
        Work on M.T; "auto" does so when M has more columns than rows.
    flip_sign : bool, default=True
        Resolve the sign ambiguity with :func:`svd_flip` (u-based, as scikit-learn).
    random_state : int, RandomState or None, default=None

    Returns
    -------
    u : (n_samples, n_components), s : (n_components,), vh : (n_components, n_features)

    Examples
    --------
    >>> import numpy as np
    >>> from learnflow.utils.extmath import randomized_svd
    >>> a = np.array([[1, 2, 3, 5], [3, 4, 5, 6], [7, 8, 9, 10]])
    >>> U, s, Vh = randomized_svd(a, n_components=2, random_state=0)
    >>> U.shape, s.shape, Vh.shape
    ((3, 2), (2,), (2, 4))
    """
    if not isinstance(n_components, Integral) or n_components < 1:
        raise ValueError(f"n_components must be a positive integer, got {n_components!r}.")
    _check_normalizer(power_iteration_normalizer)
    U, s, Vt = _randomized_svd(
        _as_tensor(M), n_components, n_oversamples=n_oversamples, n_iter=n_iter,
        power_iteration_normalizer=power_iteration_normalizer, transpose=transpose,
        flip_sign=flip_sign, random_state=random_state,
    )
    return to_output(U, M), to_output(s, M), to_output(Vt, M)


def _shifted_cholesky_solve(A, B, shifts):
    """``(A + shifts[k] I)^-1 B[:, k]`` for every column k of B, by Cholesky (one factorization when the
    shifts are equal): the ridge normal equations and kernel ridge's dual. Raises
    ``torch.linalg.LinAlgError`` where a shifted A is not positive definite.

    CPU tensors go through scipy's LAPACK on numpy views (see :func:`learnflow._engine.on_host_blas`):
    1000 x 1000 takes 12-18 ms there, 21-29 ms in torch's, and a torch factorization between OpenBLAS
    calls wakes torch's thread pool while OpenBLAS's threads still spin (a 200 x 200 ridge solve at
    default threads on 2 cores: 2.7 ms instead of 0.5 ms).
    """
    shifts = [float(a) for a in shifts]
    same = all(a == shifts[0] for a in shifts)
    blocks = [(shifts[0], B)] if same else [(a, B[:, k : k + 1]) for k, a in enumerate(shifts)]
    if on_host_blas(A, B):
        from scipy import linalg

        A_np = A.numpy()
        eye = np.eye(A.shape[0], dtype=A_np.dtype)
        solved = []
        for shift, target in blocks:
            try:
                factor = linalg.cho_factor(A_np + shift * eye, lower=True, check_finite=False)
            except np.linalg.LinAlgError:
                raise torch.linalg.LinAlgError("the shifted matrix is not positive definite") from None
            solved.append(torch.from_numpy(linalg.cho_solve(factor, target.numpy(), check_finite=False)))
        return torch.cat(solved, dim=1)
    eye = torch.eye(A.shape[0], dtype=A.dtype, device=A.device)
    solved = []
    for shift, target in blocks:
        factor, info = torch.linalg.cholesky_ex(A + shift * eye)
        if int(info) != 0:
            raise torch.linalg.LinAlgError("the shifted matrix is not positive definite")
        solved.append(torch.cholesky_solve(target, factor))
    return torch.cat(solved, dim=1)


def stable_cumsum(arr, axis=None, rtol=1e-05, atol=1e-08):
    """Cumulative sum in float64, warning when the last value disagrees with the plain sum.

    Examples
    --------
    >>> from learnflow.utils.extmath import stable_cumsum
    >>> stable_cumsum([0.1, 0.2, 0.3])
    array([0.1, 0.3, 0.6])
    """
    t = _as_tensor(arr).to(torch.float64)
    dim = 0 if axis is None else axis
    if axis is None:
        t = t.reshape(-1)
    out = torch.cumsum(t, dim=dim)
    expected = torch.sum(t, dim=dim)
    last = out.select(dim, -1) if out.numel() else expected
    if not torch.allclose(last, expected, rtol=rtol, atol=atol, equal_nan=True):
        warnings.warn(
            "cumsum was found to be unstable: its last element does not correspond to sum",
            RuntimeWarning,
        )
    return to_output(out, arr)
