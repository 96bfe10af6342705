"""t-distributed stochastic neighbour embedding (Chapter 8, van der Maaten & Hinton 2008).

``method="exact"`` is scikit-learn's dense algorithm: O(n^2) per iteration.

``method="barnes_hut"`` keeps scikit-learn's sparse input affinities (the
``3 * perplexity`` nearest neighbours) for the attractive forces, and computes
the repulsive terms (``Z = sum_ij w_ij`` and ``F_i = sum_j w_ij^2 (y_i - y_j)``,
``w`` the Student-t kernel) in O(n + G log G) with FFT-accelerated
interpolation (Linderman et al. 2019, "FIt-SNE") in place of the Barnes-Hut
tree. The embedding's bounding box is cut into boxes of side ``2 * angle``
(between 10 and a cap of boxes per dimension: 20000 in 1-D, 512 in 2-D; the
side is scaled by powers of 2^(1/4) to stay within them); each point spreads a
unit charge onto the 5 equispaced nodes per box and dimension (Lagrange
weights), the kernels ``w(r)`` and ``w(r)^2 r`` are convolved with the node
charges by FFTs of the zero-padded grid (scipy's pocketfft on a CPU, in place;
``torch.fft`` elsewhere), and the potentials are interpolated back to the points
with the same weights. The other steps are tensor operations (scatter-add,
gather), so it runs unchanged on a GPU. ``angle``
plays its Barnes-Hut role: smaller is more accurate and slower (the interpolation
error falls as the fifth power of the box side), and ``angle=0`` computes the
repulsion exactly in row chunks, O(n^2). The exact sums are also used whenever
they cost less than the grid (few points), and for 3-D embeddings; their n^2
kernel values come from one GEMM per cache-sized row block. The attractive
forces work one coordinate at a time on the sparse P (rows sorted): 1-D gathers
(int32 indices on a CPU), then one CSR product (a segment sum per point
elsewhere). Both forces are computed in float32 on the centred embedding, as
scikit-learn's Barnes-Hut gradient is; the optimizer's state stays float64. For
the euclidean metric the k nearest neighbours come from blocks of the full
distance matrix.

For up to 2,500 points P is also held as a dense float32 matrix, and each
iteration computes both forces exactly in one pass over the pairs (cheaper than
the grid at these sizes). The iterations run on one torch thread; on a CPU with
several, a thread pool (each worker on one torch thread) shares each iteration:
the dense pass's row blocks, or (beyond 2,500 points) the attractive forces in
a worker while the calling thread computes the repulsion (one fork/join per
iteration, like scikit-learn's OpenMP loop).
"""

# SPDX-License-Identifier: BSD-3-Clause

import contextlib
import math
import warnings
from concurrent.futures import ThreadPoolExecutor
from numbers import Integral, Real

import numpy as np
import torch

from .._engine import check_random_state, get_device, is_torch, one_torch_thread, to_numpy, to_output, to_tensor
from ..base import BaseEstimator, TransformerMixin, _fit_context
from ..decomposition._base import _ComponentNamesMixin
from ..utils._param_validation import Hidden, Interval, StrOptions
from ..utils.validation import validate_data
from ._utils import _kneighbors

__all__ = ["TSNE", "trustworthiness"]

MACHINE_EPSILON = np.finfo(np.double).eps
_PERPLEXITY_TOLERANCE = 1e-5
_N_STEPS = 100
_EXPLORATION_MAX_ITER = 250
_N_ITER_CHECK = 50
_CHUNK_ELEMENTS = 1 << 18  # 1 MiB of float32 per row block of the exact repulsion
_MIN_CHUNK = 16
_KNN_BLOCK_ELEMENTS = 1 << 22  # entries of one block of the k-NN distance matrix
_INTERP_POINTS = 5
_MIN_BOXES = 10
_EXACT_COST_RATIO = 12  # exact repulsion while n^2 <= this times the padded grid's size
_MAX_BOXES = {1: 20000, 2: 512, 3: 24}
_DENSE_P_MAX_SAMPLES = 2500  # P held densely (float32, 25 MB at most): one exact pass gives both forces,
# cheaper than the grid (measured: 3.3 ms against 7.5 ms per iteration for 1000 points, even at 2500)
_ONE_THREAD_MAX_SAMPLES = 5000  # affinities (and "exact" iterations) of up to this many points: one torch thread
_MIN_POOL_SAMPLES = 512  # below, the row blocks are too small to share among threads


# ---------------------------------------------------------------------------
# Input affinities
# ---------------------------------------------------------------------------

def _binary_search_perplexity(sq_distances, perplexity, exclude_self):
    """Conditional P_j|i with each row's entropy equal to log(perplexity), by bisection on beta = 1 / (2 sigma^2)."""
    n = sq_distances.shape[0]
    D = sq_distances.to(torch.float64)
    beta = torch.ones(n, dtype=D.dtype, device=D.device)
    lo = torch.full_like(beta, -math.inf)
    hi = torch.full_like(beta, math.inf)
    target = math.log(perplexity)
    mask = torch.ones_like(D)
    if exclude_self:
        mask.fill_diagonal_(0.0)
    done = torch.zeros(n, dtype=torch.bool, device=D.device)
    for _ in range(_N_STEPS):
        P = torch.exp(-D * beta[:, None]) * mask
        total = P.sum(dim=1)
        total = torch.where(total == 0, torch.full_like(total, 1e-8), total)
        P = P / total[:, None]
        # H = log(sum_j exp(-beta d_ij)) + beta * sum_j d_ij p_j|i
        entropy = torch.log(total) + beta * (D * P).sum(dim=1)
        diff = entropy - target
        done = done | (diff.abs() <= _PERPLEXITY_TOLERANCE)
        if bool(done.all()):
            break
        up = (diff > 0) & ~done
        down = (diff <= 0) & ~done
        lo = torch.where(up, beta, lo)
        hi = torch.where(down, beta, hi)
        beta = torch.where(up, torch.where(torch.isinf(hi), beta * 2, (beta + hi) / 2), beta)
        beta = torch.where(down, torch.where(torch.isinf(lo), beta / 2, (beta + lo) / 2), beta)
    P = torch.exp(-D * beta[:, None]) * mask
    total = P.sum(dim=1)
    return P / torch.where(total == 0, torch.full_like(total, 1e-8), total)[:, None]


def _joint_probabilities(sq_distances, perplexity):
    # P = (P_j|i + P_i|j) / sum, dense, floored at machine epsilon off the diagonal
    conditional = _binary_search_perplexity(sq_distances, perplexity, exclude_self=True)
    P = conditional + conditional.T
    P = torch.clamp(P / torch.clamp(P.sum(), min=MACHINE_EPSILON), min=MACHINE_EPSILON)
    return P.fill_diagonal_(0.0)


def _squared_euclidean_knn(X, k):
    """(squared distances, indices) of each row's k nearest other rows, by blocks of |x|^2 + |y|^2 - 2 x.y.

    In float64 the cancellation error is negligible; in lower precision the k chosen distances are
    recomputed from the differences.
    """
    n = X.shape[0]
    X = X - X.mean(dim=0)  # smaller norms, less cancellation
    sq_norms = (X * X).sum(dim=1)
    rows = max(1, _KNN_BLOCK_ELEMENTS // max(n, 1))
    distances, indices = [], []
    for start in range(0, n, rows):
        block = X[start : start + rows]
        D = (sq_norms[start : start + rows, None] + sq_norms[None, :]).addmm_(block, X.T, alpha=-2.0).clamp_min_(0.0)
        D.diagonal(start).fill_(math.inf)
        d, i = torch.topk(D, k, dim=1, largest=False)
        if X.dtype != torch.float64:
            step = max(1, _KNN_BLOCK_ELEMENTS // (k * X.shape[1]))
            d = torch.cat([((block[j : j + step, None, :] - X[i[j : j + step]]) ** 2).sum(dim=2)
                           for j in range(0, block.shape[0], step)])
        distances.append(d)
        indices.append(i)
    return torch.cat(distances), torch.cat(indices)


def _joint_probabilities_nn(sq_distances, indices, perplexity):
    """Sparse symmetric P over the k-NN graph, as (rows, cols, values, row lengths) tensors, rows sorted, values summing to 1."""
    from scipy.sparse import csr_matrix

    n, k = indices.shape
    conditional = to_numpy(_binary_search_perplexity(sq_distances, perplexity, exclude_self=False))
    indptr = np.arange(0, n * k + 1, k)
    P = csr_matrix((conditional.ravel(), to_numpy(indices).ravel(), indptr), shape=(n, n))
    P = (P + P.T).tocoo()
    values = P.data / max(P.data.sum(), MACHINE_EPSILON)
    device = indices.device
    order = np.argsort(P.row, kind="stable")  # rows in order: the attractive forces are segment sums
    lengths = np.bincount(P.row, minlength=n)
    return (torch.as_tensor(P.row[order].astype(np.int64), device=device),
            torch.as_tensor(P.col[order].astype(np.int64), device=device),
            torch.as_tensor(values[order], dtype=sq_distances.dtype, device=device),
            torch.as_tensor(lengths.astype(np.int64), device=device))


# ---------------------------------------------------------------------------
# Objectives: (Y, P, dof, compute_error) -> (KL divergence, gradient)
# ---------------------------------------------------------------------------

def _student_t(sq_dist, dof):
    # w_ij = (1 + d_ij^2 / dof)^(-(dof + 1) / 2)
    if dof == 1:
        return torch.reciprocal(1.0 + sq_dist)
    return (1.0 + sq_dist / dof) ** (-(dof + 1.0) / 2.0)


def _kl_divergence_exact(Y, P, dof, compute_error):
    # KL(P || Q) with Q = w / sum w; grad_i = c sum_j (p_ij - q_ij) w_ij (y_i - y_j), c = 2 (dof + 1) / dof
    W = _student_t(torch.cdist(Y, Y) ** 2, dof).fill_diagonal_(0.0)
    Q = torch.clamp(W / W.sum(), min=MACHINE_EPSILON)
    off = ~torch.eye(Y.shape[0], dtype=torch.bool, device=Y.device)
    kl = float((P[off] * torch.log(torch.clamp(P[off], min=MACHINE_EPSILON) / Q[off])).sum()) if compute_error else np.nan
    PQd = (P - Q) * W
    PQd.fill_diagonal_(0.0)
    grad = PQd.sum(dim=1, keepdim=True) * Y - PQd @ Y
    return kl, grad * (2.0 * (dof + 1.0) / dof)


def _repulsion_exact(Y, dof):
    """(sum_ij w_ij, F) with F_i = sum_j w_ij^2 (y_i - y_j), exactly, in row chunks.

    The n^2 kernel values are computed in float32 (as scikit-learn's Barnes-Hut does) on the centred
    embedding, which halves their memory traffic; the results come back in Y's dtype.
    """
    out_dtype = Y.dtype
    if Y.dtype == torch.float64:
        Y = (Y - Y.mean(dim=0)).to(torch.float32)
    n, d = Y.shape
    Y_one_t = torch.cat([Y.T, Y.new_ones(1, n)])  # (d + 1, n): a wide product is the fast GEMM shape
    negative = torch.empty_like(Y)
    sum_q = Y.new_zeros((), dtype=torch.float64)
    sq_norms = (Y * Y).sum(dim=1)
    if dof == 1:
        # one GEMM of inner size d + 2 gives 1 + |y_i - y_j|^2 = [y_i, |y_i|^2 + 1, 1] . [-2 y_j, 1, |y_j|^2]
        ones = Y.new_ones(n, 1)
        left = torch.cat([Y, sq_norms[:, None] + 1.0, ones], dim=1)
        right_t = torch.cat([-2.0 * Y, ones, sq_norms[:, None]], dim=1).T
    # row blocks of about _CHUNK_ELEMENTS entries stay in the CPU's cache through the in-place passes
    chunk = max(_MIN_CHUNK, _CHUNK_ELEMENTS // max(n, 1))
    for start in range(0, n, chunk):
        block = Y[start : start + chunk]
        m = block.shape[0]
        # |y_i - y_j|^2 = |y_i|^2 + |y_j|^2 - 2 y_i.y_j, then w in place
        if dof == 1:
            # 1 + |y_i - y_j|^2, floored at 1 against rounding, then w = its reciprocal
            W = torch.mm(left[start : start + m], right_t)
            W.clamp_min_(1.0).reciprocal_()
        else:
            W = (sq_norms[start : start + m, None] + sq_norms[None, :]).addmm_(block, Y.T, alpha=-2.0).clamp_min_(0.0)
            W.div_(dof).add_(1.0).pow_(-(dof + 1.0) / 2.0)
        W.diagonal(start).zero_()  # w_ii
        sum_q = sum_q + W.sum().to(torch.float64)
        W.mul_(W)
        # one product gives sum_j w_ij^2 y_j and sum_j w_ij^2
        products = torch.mm(Y_one_t, W.T).T
        negative[start : start + m] = products[:, d:] * block - products[:, :d]
    return sum_q.to(out_dtype), negative.to(out_dtype)


def _smooth_size(n):
    # the first integer >= n with no prime factor above 5 (a fast FFT length)
    while True:
        m = n
        for f in (2, 3, 5):
            while m % f == 0:
                m //= f
        if m == 1:
            return n
        n += 1


def _lagrange_weights(t, p):
    # L_k(t) = prod_{l != k} (t - t_l) / (t_k - t_l) at the equispaced nodes t_k = (k + 1/2) / p of a box
    nodes = [(k + 0.5) / p for k in range(p)]
    columns = []
    for k in range(p):
        w = torch.ones_like(t)
        for l in range(p):
            if l != k:
                w = w * ((t - nodes[l]) / (nodes[k] - nodes[l]))
        columns.append(w)
    return torch.stack(columns, dim=-1)


def _grid_layout(span, box_width, d):
    """(n_boxes, width): boxes of side ``box_width * 2^(k/4)``, k = 0 unless the box count leaves its bounds.

    Widths from this ladder repeat between iterations, so the kernels' spectra can be reused.
    """
    ratio = max(span, 1e-12) / box_width
    k = 0
    if ratio < _MIN_BOXES:
        k = math.floor(4 * math.log2(ratio / _MIN_BOXES))
    elif ratio > _MAX_BOXES[d]:
        k = math.ceil(4 * math.log2(ratio / _MAX_BOXES[d]))
    width = box_width * 2.0 ** (k / 4)
    return _smooth_size(max(math.floor(max(span, 1e-12) / width) + 1, _MIN_BOXES)), width


def _kernel_spectra(N, h, dof, d, like, cache):
    """rfft of the kernels w(r) and w(r)^2 r (d of them) at all node offsets r, circular on the 2N-padded grid."""
    key = (N, h, dof, d, like.dtype, like.device)
    if cache is not None and key in cache:
        return cache[key]
    offsets = torch.arange(2 * N, device=like.device, dtype=like.dtype)
    offsets = torch.where(offsets < N, offsets, offsets - 2 * N) * h
    r = torch.stack(torch.meshgrid(*([offsets] * d), indexing="ij"))  # (d, 2N, ..., 2N)
    w = _student_t((r**2).sum(dim=0), dof)
    spectra = torch.fft.rfftn(torch.cat([w[None], (w * w)[None] * r]), dim=tuple(range(-d, 0)))
    if cache is not None:
        if len(cache) >= 4:
            cache.pop(next(iter(cache)))
        cache[key] = spectra
    return spectra


def _convolve(grid, spectra, N, d):
    """The linear convolution of an N^d grid with kernels given by their spectra on the 2N-padded grid.

    The FFTs skip what is known to be zero (the padding) or not needed (the wrap-around half):
    a real FFT on the last axis, then complex FFTs on the others; the inverse crops axis by axis.
    A CPU grid is transformed by scipy's pocketfft in place (about 2.5 times torch's speed in float32).
    """
    if grid.device.type == "cpu" and grid.dtype in (torch.float32, torch.float64):
        return torch.from_numpy(_convolve_host(grid.numpy(), spectra.numpy(), N, d))
    return _convolve_torch(grid, spectra, N, d)


def _convolve_torch(grid, spectra, N, d):
    """:func:`_convolve` with ``torch.fft`` (any device)."""
    G = torch.fft.rfft(grid, n=2 * N, dim=-1)
    for axis in range(-2, -d - 1, -1):
        G = torch.fft.fft(G, n=2 * N, dim=axis)
    P = spectra * G
    for axis in range(-d, -1):
        P = torch.fft.ifft(P, dim=axis).narrow(axis, 0, N)
    return torch.fft.irfft(P, n=2 * N, dim=-1)[..., :N]


def _convolve_host(grid, spectra, N, d):
    """:func:`_convolve` on numpy arrays, with scipy.fft (the same transforms, overwriting their inputs)."""
    import scipy.fft

    G = scipy.fft.rfft(grid, n=2 * N, axis=-1)
    for axis in range(-2, -d - 1, -1):
        G = scipy.fft.fft(G, n=2 * N, axis=axis, overwrite_x=True)
    P = spectra * G
    for axis in range(-d, -1):
        P = scipy.fft.ifft(P, axis=axis, overwrite_x=True)
        P = P[(Ellipsis, slice(0, N)) + (slice(None),) * (-axis - 1)]
    return scipy.fft.irfft(P, n=2 * N, axis=-1)[..., :N]


def _repulsion_interpolated(Y, dof, box_width, allow_exact=True, cache=None):
    """(sum_ij w_ij, F) with F_i = sum_j w_ij^2 (y_i - y_j), by FFT-accelerated interpolation.

    phi(y) = sum_j K(y - y_j) for the kernels K(r) = w(r) and w(r)^2 r (d of them): spread unit
    charges onto an equispaced grid (Lagrange weights of the point's box), convolve the grid
    with each K (FFTs of the zero-padded grid), and interpolate phi back to the points.
    ``cache`` (a dict) keeps the kernels' spectra between calls.
    """
    n, d = Y.shape
    p = _INTERP_POINTS
    lo = Y.min(dim=0).values
    span = float((Y.max(dim=0).values - lo).max())
    if not math.isfinite(span):
        return _repulsion_exact(Y, dof)  # a diverged embedding: no grid can hold it
    n_boxes, width = _grid_layout(span, box_width, d)
    N, h = n_boxes * p, width / p
    if allow_exact and n * n <= _EXACT_COST_RATIO * (2 * N) ** d:
        return _repulsion_exact(Y, dof)  # cheaper than the grid for few points

    # the p^d grid nodes of each point's box and their interpolation weights
    relative = (Y - lo) / width
    box = relative.floor().clamp_(0, n_boxes - 1)
    weights_1d = _lagrange_weights(relative - box, p)  # (n, d, p)
    # node (box_k p + c_k)_k has the flat index sum_k (box_k p + c_k) N^(d-1-k): the box's first node
    # plus the offset of the corner c, in the corners' order (the first coordinate varies slowest)
    strides = torch.tensor([N ** (d - 1 - j) for j in range(d)], device=Y.device)
    corners = torch.cartesian_prod(*[torch.arange(p, device=Y.device)] * d).reshape(-1, d)  # (p^d, d)
    # (integer products as sums: CUDA has no int64 matmul)
    flat = (box.long() * (p * strides)).sum(dim=1)[:, None] + (corners * strides).sum(dim=1)[None, :]  # (n, p^d)
    weights = weights_1d[:, 0]
    for k in range(1, d):  # the tensor product of the 1-D weights, in the same order
        weights = (weights[:, :, None] * weights_1d[:, k, None, :]).reshape(n, -1)  # (n, p^d)

    # spread the unit charges onto the grid, convolve with the kernels
    flat = flat.reshape(-1)
    grid = Y.new_zeros(N**d).index_add_(0, flat, weights.reshape(-1)).reshape((N,) * d)
    potential = _convolve(grid, _kernel_spectra(N, h, dof, d, Y, cache), N, d).reshape(d + 1, -1)  # (d + 1, N^d)

    # interpolate back to the points; remove each point's own w_ii = 1
    at_points = (potential.index_select(1, flat).view(d + 1, n, -1) * weights).sum(dim=-1)  # (d + 1, n)
    return at_points[0].sum(dtype=torch.float64) - n, at_points[1:].T


def _kl_from_kernel(values, w_edges, sum_q):
    # KL(P || Q) = sum_ij p_ij log(p_ij / q_ij) over the non-zero p_ij, q_ij = w_ij / Z, in P's dtype
    # (float64: scikit-learn accumulates its float32 terms in double)
    tiny = np.finfo(np.float32).tiny
    q = torch.clamp(w_edges.to(values.dtype) / sum_q, min=tiny)
    return float((values * torch.log(torch.clamp(values, min=tiny) / q)).sum())


def _kl_at_edges(Y, P, sum_q, dof):
    """KL(P || Q) with the kernel computed at P's edges."""
    rows, cols, values, _ = P
    sq_dist = ((Y.index_select(0, rows) - Y.index_select(0, cols)) ** 2).sum(dim=1)
    return _kl_from_kernel(values, _student_t(sq_dist, dof), sum_q)


def _attraction(Y, P, dof):
    """(F, w): F_i = sum_j p_ij w_ij (y_i - y_j) over the sparse P, and the kernel w_ij at its edges.

    P is (rows, cols, values, lengths) or, from :func:`_work_affinities`, that plus a CSR matrix
    whose values buffer receives p_ij w_ij. The distances are computed one coordinate at a time
    (1-D gathers are much faster than (nnz, d) ones on a CPU); the sums per point are then one
    sparse product ``[sum_j p_ij w_ij y_j, sum_j p_ij w_ij] = (P * W) [Y, 1]`` (CSR), or segment sums
    (P's rows are sorted).
    """
    rows, cols, values, lengths = P[:4]
    coords = Y.T.contiguous()
    diff = [c.index_select(0, rows).sub_(c.index_select(0, cols)) for c in coords]
    w = diff[0] * diff[0]
    for dk in diff[1:]:
        w.addcmul_(dk, dk)
    if dof == 1:
        w.add_(1.0).reciprocal_()
    else:
        w = _student_t(w, dof)
    if len(P) > 4:
        matrix, buffer = P[4:]
        torch.mul(values, w, out=buffer)
        sums = torch.mm(matrix, torch.cat([Y, Y.new_ones(Y.shape[0], 1)], dim=1))
        d = Y.shape[1]
        return sums[:, d:] * Y - sums[:, :d], w
    pw = values * w
    return torch.stack([torch.segment_reduce(pw * dk, "sum", lengths=lengths) for dk in diff], dim=1), w


def _work_affinities(P, dtype):
    """P (rows, cols, values, lengths) for :func:`_attraction`: values in ``dtype`` and, on a CPU, int32
    indices (half the gathers' index traffic) and a CSR matrix (MKL's sparse product) over P's pattern."""
    rows, cols, values, lengths = P
    values = values.to(dtype)
    if rows.device.type != "cpu" or values.numel() >= 2**31:
        return rows, cols, values, lengths
    rows, cols = rows.to(torch.int32), cols.to(torch.int32)
    crow = torch.cat([lengths.new_zeros(1), torch.cumsum(lengths, dim=0)])
    buffer = torch.empty_like(values)
    with warnings.catch_warnings():  # "sparse CSR tensor support is in beta"
        warnings.simplefilter("ignore", UserWarning)
        matrix = torch.sparse_csr_tensor(crow.to(torch.int32), cols, buffer, (lengths.numel(),) * 2,
                                         check_invariants=False)
    return rows, cols, values, lengths, matrix, buffer


def _kl_divergence_sparse(Y, P, dof, compute_error, angle=0.5, cache=None, pool=None, P_work=None):
    """Attractive forces on the sparse P; repulsive forces interpolated on a grid (exact when angle=0).

    Both are computed in float32 for a float64 Y (as scikit-learn's Barnes-Hut gradient is), on the
    centred embedding; ``P_work`` is P with its values in float32 (built from P when None). With a
    ``pool`` the attraction runs in a worker thread while this one computes the repulsion (one
    fork/join per iteration).
    """
    out_dtype = Y.dtype
    Yw = Y - Y.mean(dim=0)  # the forces are translation invariant; centring keeps float32's precision
    if Yw.dtype == torch.float64:
        Yw = Yw.to(torch.float32)
    if P_work is None:
        P_work = _work_affinities(P, Yw.dtype)
    attraction = pool.submit(_attraction, Yw, P_work, dof) if pool is not None else None
    if angle > 0 and Y.shape[1] < 3:
        sum_q, negative = _repulsion_interpolated(Yw, dof, 2.0 * angle, cache=cache)
    else:
        sum_q, negative = _repulsion_exact(Yw, dof)
    positive, w_edges = attraction.result() if attraction is not None else _attraction(Yw, P_work, dof)
    kl = _kl_from_kernel(P[2].to(torch.float64), w_edges, float(sum_q)) if compute_error else np.nan
    grad = positive.sub_(negative.div_(sum_q.to(negative.dtype)))
    return kl, grad.to(out_dtype) * (2.0 * (dof + 1.0) / dof)


def _kl_divergence_dense(Y, P, P_dense, exaggeration, dof, compute_error, pool=None, workers=1):
    """The Barnes-Hut objective for few points: both forces from one float32 pass over the n^2 pairs.

    # grad_i = c sum_j (e p_ij - w_ij / Z) w_ij (y_i - y_j): the attraction uses the (dense) P, the
    # repulsion every pair; w is computed once per row block, as in :func:`_repulsion_exact`

    ``pool`` (a thread pool of ``workers`` threads, each running one torch thread) shares the row blocks:
    one fork/join per iteration, as scikit-learn's OpenMP loop over the points.
    """
    out_dtype = Y.dtype
    Yf = Y - Y.mean(dim=0)
    if Yf.dtype == torch.float64:
        Yf = Yf.to(torch.float32)
    n, d = Yf.shape
    # (d + 1, n) left factors (a wide product is the fast GEMM shape); the attraction's carries e
    Y_one_t = torch.cat([Yf.T, Yf.new_ones(1, n)])
    Y_one_e = Y_one_t * exaggeration
    attraction = torch.empty(d + 1, n, dtype=Yf.dtype, device=Yf.device)
    repulsion = torch.empty_like(attraction)
    # one GEMM of inner size d + 2 gives dof + |y_i - y_j|^2 = [y_i, |y_i|^2 + dof, 1] . [-2 y_j, 1, |y_j|^2]
    sq_norms = (Yf * Yf).sum(dim=1, keepdim=True)
    ones = torch.ones_like(sq_norms)
    left = torch.cat([Yf, sq_norms + dof, ones], dim=1)
    right_t = torch.cat([-2.0 * Yf, ones, sq_norms], dim=1).T

    def rows(start, stop):
        W = torch.mm(left[start:stop], right_t)
        if dof == 1:
            W.reciprocal_()  # 1 + |y_i - y_j|^2 >= 1 up to float32 rounding: no floor needed
        else:
            W.clamp_min_(float(dof)).div_(dof).pow_(-(dof + 1.0) / 2.0)
        W.diagonal(start).zero_()
        total = W.sum()
        # one product gives e sum_j p_ij w_ij y_j and e sum_j p_ij w_ij; another the same with w_ij^2
        attraction[:, start:stop] = torch.mm(Y_one_e, (P_dense[start:stop] * W).T)
        repulsion[:, start:stop] = torch.mm(Y_one_t, W.mul_(W).T)
        return total

    chunk = max(_MIN_CHUNK, _CHUNK_ELEMENTS // max(n, 1))
    if pool is not None and n >= _MIN_POOL_SAMPLES:
        chunk = min(chunk, -(-n // workers))
    bounds = [(start, min(start + chunk, n)) for start in range(0, n, chunk)]
    if pool is None or len(bounds) == 1:
        totals = [rows(*b) for b in bounds]
    else:
        totals = list(pool.map(lambda b: rows(*b), bounds))
    sum_q = totals[0] if len(totals) == 1 else torch.stack(totals).sum()
    # both forces are linear in the rows' products: combine them before forming y_i * sum - sum y_j
    combined = attraction.sub_(repulsion.div_(sum_q))
    grad = (combined[d:] * Yf.T - combined[:d]).T.to(out_dtype) * (2.0 * (dof + 1.0) / dof)
    kl = _kl_at_edges(Y, P, sum_q.to(out_dtype), dof) if compute_error else np.nan
    return kl, grad


def _dense_affinities(P, n, device):
    """The sparse P (rows, cols, values, lengths) as a dense float32 (n, n) matrix."""
    rows, cols, values, _ = P
    dense = torch.zeros(n, n, dtype=torch.float32, device=device)
    return dense.index_put_((rows, cols), values.to(torch.float32), accumulate=True)


# ---------------------------------------------------------------------------
# Optimizer
# ---------------------------------------------------------------------------

def _gradient_descent(objective, Y, it, max_iter, momentum, learning_rate, n_iter_without_progress,
                      min_grad_norm, verbose=0, min_gain=0.01):
    """Gradient descent with momentum and per-parameter gains (Jacobs 1988), as scikit-learn's.

    Each call (the early-exaggeration phase, then the rest) starts from zero momentum and unit gains.
    """
    update, gains = torch.zeros_like(Y), torch.ones_like(Y)
    best_error, best_iter, error, i = np.finfo(float).max, it, np.finfo(float).max, it
    for i in range(it, max_iter):
        check = (i + 1) % _N_ITER_CHECK == 0
        error, grad = objective(Y, check or i == max_iter - 1)
        same_sign = update * grad < 0.0
        gains = torch.clamp(torch.where(same_sign, gains + 0.2, gains * 0.8), min=min_gain)
        grad = grad * gains
        update = momentum * update - learning_rate * grad
        Y = Y + update
        if check:
            grad_norm = float(torch.linalg.norm(grad))
            if verbose >= 2:
                print(f"[t-SNE] Iteration {i + 1}: error = {error:.7f}, gradient norm = {grad_norm:.7f}")
            if error < best_error:
                best_error, best_iter = error, i
            elif i - best_iter > n_iter_without_progress:
                break
            if grad_norm <= min_grad_norm:
                break
    return Y, error, i


class TSNE(_ComponentNamesMixin, TransformerMixin, BaseEstimator):
    """t-SNE: an embedding that keeps similar instances close and dissimilar ones apart (Chapter 8).

    Parameters
    ----------
    n_components : int, default=2
    perplexity : float, default=30.0
        The effective number of neighbours of each point.
    early_exaggeration : float, default=12.0
        Factor on P during the first 250 iterations.
    learning_rate : float or "auto", default="auto"
        "auto" is ``max(n_samples / early_exaggeration / 4, 50)``.
    max_iter : int, default=1000
        Total iterations (at least 250).
    n_iter_without_progress : int, default=300
    min_grad_norm : float, default=1e-7
    metric : str or callable, default="euclidean"
        Any metric of :func:`learnflow.metrics.pairwise.pairwise_distances`, or "precomputed".
    metric_params : dict, default=None
    init : {"pca", "random"} or ndarray of shape (n_samples, n_components), default="pca"
    verbose : int, default=0
    random_state : int, RandomState or None, default=None
    method : {"barnes_hut", "exact"}, default="barnes_hut"
        "exact": dense P and Q, O(n^2). "barnes_hut": sparse k-NN affinities, and
        the repulsive forces by FFT-accelerated interpolation on a grid, O(n)
        plus an FFT (see the module notes), in place of the Barnes-Hut tree.
    angle : float, default=0.5
        The speed / accuracy trade-off of "barnes_hut": the interpolation boxes have
        side ``2 * angle`` (0.5 gives FIt-SNE's default of 1); 0 computes the
        repulsion exactly (as is done for up to 2,500 points, where it costs less).
    n_jobs : int, default=None
    n_iter : int, default="deprecated"
        Old name of ``max_iter``.

    Attributes
    ----------
    embedding_ : ndarray of shape (n_samples, n_components)
    kl_divergence_ : float
    learning_rate_ : float
    n_iter_ : int
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from learnflow.manifold import TSNE
    >>> X = np.random.RandomState(0).normal(size=(30, 4))
    >>> TSNE(perplexity=5, max_iter=250, random_state=0).fit_transform(X).shape
    (30, 2)
    """

    _parameter_constraints = {
        "n_components": [Interval(Integral, 1, None, closed="left")],
        "perplexity": [Interval(Real, 0, None, closed="neither")],
        "early_exaggeration": [Interval(Real, 1, None, closed="left")],
        "learning_rate": [StrOptions({"auto"}), Interval(Real, 0, None, closed="neither")],
        "max_iter": [Interval(Integral, 250, None, closed="left"), None],
        "n_iter_without_progress": [Interval(Integral, -1, None, closed="left")],
        "min_grad_norm": [Interval(Real, 0, None, closed="left")],
        "metric": [str, callable],
        "metric_params": [dict, None],
        "init": [StrOptions({"pca", "random"}), np.ndarray],
        "verbose": ["verbose"],
        "random_state": ["random_state"],
        "method": [StrOptions({"barnes_hut", "exact"})],
        "angle": [Interval(Real, 0, 1, closed="both")],
        "n_jobs": [None, Integral],
        "n_iter": [Interval(Integral, 250, None, closed="left"), Hidden(StrOptions({"deprecated"}))],
    }

    def __init__(self, n_components=2, *, perplexity=30.0, early_exaggeration=12.0, learning_rate="auto",
                 max_iter=1000, n_iter_without_progress=300, min_grad_norm=1e-7, metric="euclidean",
                 metric_params=None, init="pca", verbose=0, random_state=None, method="barnes_hut", angle=0.5,
                 n_jobs=None, n_iter="deprecated"):
        self.n_components = n_components
        self.perplexity = perplexity
        self.early_exaggeration = early_exaggeration
        self.learning_rate = learning_rate
        self.max_iter = max_iter
        self.n_iter_without_progress = n_iter_without_progress
        self.min_grad_norm = min_grad_norm
        self.metric = metric
        self.metric_params = metric_params
        self.init = init
        self.verbose = verbose
        self.random_state = random_state
        self.method = method
        self.angle = angle
        self.n_jobs = n_jobs
        self.n_iter = n_iter

    @property
    def _n_features_out(self):
        return self.embedding_.shape[1]

    def _check_params_vs_input(self, X):
        if self.perplexity >= X.shape[0]:
            raise ValueError("perplexity must be less than n_samples")
        if self.method == "barnes_hut" and self.n_components > 3:
            raise ValueError(
                "'n_components' should be inferior to 4 for the barnes_hut algorithm as it relies on quad-tree "
                "or oct-tree."
            )
        if self.metric == "precomputed":
            if isinstance(self.init, str) and self.init == "pca":
                raise ValueError('The parameter init="pca" cannot be used with metric="precomputed".')
            if X.shape[0] != X.shape[1]:
                raise ValueError("X should be a square distance matrix")
            if bool((to_tensor(X) < 0).any()):
                raise ValueError("Precomputed distance contains negative values")

    def _max_iter(self):
        if self.n_iter != "deprecated":
            warnings.warn("'n_iter' was renamed to 'max_iter'; 'n_iter' will be removed.", FutureWarning)
            return self.n_iter
        return 1000 if self.max_iter is None else self.max_iter

    def _squared_distances(self, X_t):
        if self.metric == "precomputed":
            return X_t**2
        if self.metric == "euclidean":
            return torch.cdist(X_t, X_t) ** 2
        from ..metrics.pairwise import pairwise_distances

        D = to_tensor(pairwise_distances(X_t, metric=self.metric, **(self.metric_params or {})), device=X_t.device)
        if bool((D < 0).any()):
            raise ValueError("All distances should be positive, the metric given is not correct")
        return D**2

    def _affinities(self, X_t):
        n = X_t.shape[0]
        if self.method == "exact":
            return _joint_probabilities(self._squared_distances(X_t), self.perplexity)
        k = min(n - 1, int(3.0 * self.perplexity + 1))
        if self.metric == "precomputed":
            D = X_t.clone().fill_diagonal_(math.inf)
            distances, indices = torch.topk(D, k, dim=1, largest=False)
        elif self.metric == "euclidean" and not self.metric_params:
            return _joint_probabilities_nn(*_squared_euclidean_knn(X_t, k), self.perplexity)
        else:
            from ..neighbors import NearestNeighbors

            metric = "minkowski" if self.metric == "euclidean" else self.metric
            nn = NearestNeighbors(n_neighbors=k, metric=metric, metric_params=self.metric_params).fit(X_t)
            distances, indices = _kneighbors(nn, device=X_t.device)
        return _joint_probabilities_nn(distances.to(X_t.dtype) ** 2, indices, self.perplexity)

    def _initial_embedding(self, X, X_t, rng):
        n = X_t.shape[0]
        if isinstance(self.init, np.ndarray):
            Y = np.asarray(self.init, dtype=np.float64)
        elif self.init == "pca":
            from ..decomposition import PCA

            Y = to_numpy(PCA(self.n_components, svd_solver="randomized", random_state=rng).fit_transform(X_t))
            Y = Y.astype(np.float32)
            Y = Y / np.std(Y[:, 0]) * 1e-4
        else:
            Y = 1e-4 * rng.standard_normal(size=(n, self.n_components)).astype(np.float32)
        return torch.as_tensor(np.asarray(Y, dtype=np.float64), dtype=X_t.dtype, device=X_t.device)

    def _fit(self, X):
        X = validate_data(self, X, ensure_min_samples=2)
        self._check_params_vs_input(X)
        n = X.shape[0]
        self.learning_rate_ = max(n / self.early_exaggeration / 4, 50) if self.learning_rate == "auto" \
            else float(self.learning_rate)
        X_t = to_tensor(X, device=X.device if is_torch(X) else get_device())
        rng = check_random_state(self.random_state)
        # each iteration is a few dozen sub-millisecond tensor operations for up to thousands of points:
        # intra-op threads only add a fork/join per operation (and stall on a busy machine)
        n_threads = torch.get_num_threads() if X_t.device.type == "cpu" else 1
        with one_torch_thread(X_t.device, enabled=n <= _ONE_THREAD_MAX_SAMPLES):
            P = self._affinities(X_t)
            Y = self._initial_embedding(X, X_t, rng)
        dof = max(self.n_components - 1, 1)
        # barnes_hut iterates on one torch thread: a pool of worker threads (each on one torch thread)
        # shares each iteration's work where it is large enough (see _optimize); "exact"'s dense
        # O(n^2) steps keep the intra-op threads beyond _ONE_THREAD_MAX_SAMPLES points
        with one_torch_thread(X_t.device, enabled=self.method == "barnes_hut" or n <= _ONE_THREAD_MAX_SAMPLES):
            Y = self._optimize(Y, P, dof, n_threads)
        return X, Y

    def _optimize(self, Y, P, dof, n_threads=1):
        with contextlib.ExitStack() as stack:
            pool = None
            n = Y.shape[0]
            dense = self.method == "barnes_hut" and n <= _DENSE_P_MAX_SAMPLES
            sparse = self.method == "barnes_hut" and not dense
            if n_threads > 1 and ((dense and n >= _MIN_POOL_SAMPLES) or sparse):
                # worker threads run one torch thread each (OpenMP's thread count is per thread)
                pool = stack.enter_context(ThreadPoolExecutor(n_threads, initializer=torch.set_num_threads,
                                                              initargs=(1,)))
            return self._optimize_with(Y, P, dof, pool, n_threads)

    def _optimize_with(self, Y, P, dof, pool, workers):
        n = Y.shape[0]
        # up to _DENSE_P_MAX_SAMPLES points, Barnes-Hut's forces are computed exactly, in one pass over a dense P
        dense = self.method == "barnes_hut" and n <= _DENSE_P_MAX_SAMPLES
        P_dense = _dense_affinities(P, n, Y.device) if dense else None
        cache = {}  # the grid's kernel spectra, shared by both phases

        def objective(factor):
            """KL(P || Q) and its gradient with P exaggerated by ``factor``: ``(y, compute_error) -> (kl, grad)``."""
            if self.method == "exact":
                P_phase = P * factor
                return lambda y, e: _kl_divergence_exact(y, P_phase, dof, e)
            P_phase = (P[0], P[1], P[2] * factor, P[3])
            if P_dense is not None:
                return lambda y, e: _kl_divergence_dense(y, P_phase, P_dense, factor, dof, e, pool=pool,
                                                         workers=workers)
            P_work = _work_affinities(P_phase, torch.float32 if Y.dtype == torch.float64 else Y.dtype)
            return lambda y, e: _kl_divergence_sparse(y, P_phase, dof, e, angle=self.angle, cache=cache, pool=pool,
                                                      P_work=P_work)

        max_iter = self._max_iter()
        common = dict(learning_rate=self.learning_rate_, min_grad_norm=self.min_grad_norm,
                      verbose=self.verbose)
        Y, kl, it = _gradient_descent(objective(self.early_exaggeration), Y, 0, _EXPLORATION_MAX_ITER,
                                      momentum=0.5, n_iter_without_progress=_EXPLORATION_MAX_ITER, **common)
        if it < _EXPLORATION_MAX_ITER or max_iter - _EXPLORATION_MAX_ITER > 0:
            Y, kl, it = _gradient_descent(objective(1.0), Y, it + 1, max_iter, momentum=0.8,
                                          n_iter_without_progress=self.n_iter_without_progress, **common)
        self.n_iter_, self.kl_divergence_ = it, kl
        return Y

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_transform(self, X, y=None):
        """Fit X into the embedded space and return it.

        Parameters
        ----------
        X : array-like or tensor of shape (n_samples, n_features), or (n_samples, n_samples) if precomputed
        y : ignored

        Returns
        -------
        X_new : ndarray or tensor of shape (n_samples, n_components)
        """
        X, Y = self._fit(X)
        self.embedding_ = to_numpy(Y)
        return to_output(Y, X)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Fit X into the embedded space.

        Returns
        -------
        self : TSNE
        """
        self.fit_transform(X)
        return self

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.pairwise = self.metric == "precomputed"
        return tags


def trustworthiness(X, X_embedded, *, n_neighbors=5, metric="euclidean"):
    """How well the embedding keeps each point's nearest neighbours, in [0, 1] (Venna & Kaski 2001).

    Examples
    --------
    >>> import numpy as np
    >>> from learnflow.manifold import trustworthiness
    >>> X = np.random.RandomState(0).normal(size=(20, 3))
    >>> trustworthiness(X, X)
    1.0
    """
    from ..metrics.pairwise import pairwise_distances

    n = X.shape[0]
    if n_neighbors >= n / 2:
        raise ValueError(f"n_neighbors ({n_neighbors}) should be less than n_samples / 2 ({n / 2})")
    D = to_numpy(pairwise_distances(X, metric=metric)).copy()
    np.fill_diagonal(D, np.inf)
    order = np.argsort(D, axis=1, kind="mergesort")
    ranks = np.empty_like(order)
    ranks[np.arange(n)[:, None], order] = np.arange(1, n + 1)[None, :]
    E = to_numpy(pairwise_distances(X_embedded)).copy()
    np.fill_diagonal(E, np.inf)
    embedded_nn = np.argsort(E, axis=1, kind="mergesort")[:, :n_neighbors]
    penalty = np.take_along_axis(ranks, embedded_nn, axis=1) - n_neighbors
    t = 1.0 - np.sum(penalty[penalty > 0]) * (2.0 / (n * n_neighbors * (2.0 * n - 3.0 * n_neighbors - 1.0)))
    return float(t)
