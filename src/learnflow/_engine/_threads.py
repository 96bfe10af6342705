"""Where CPU work runs: torch's intra-op threads for many small operations, and numpy's
BLAS/LAPACK for float products and factorizations."""

# SPDX-License-Identifier: BSD-3-Clause

import contextlib
import functools

import torch

__all__ = ["on_host_blas", "one_blas_thread", "one_torch_thread"]


@contextlib.contextmanager
def one_torch_thread(device, enabled=True):
    """Run the block with one torch intra-op thread when ``device`` is the CPU (and ``enabled``:
    callers pass a size test, e.g. ``enabled=n_samples <= 5000``).

    Solvers that issue many small, sequential torch calls (SMO kernel rows,
    level-wise tree growth) gain nothing from intra-op threads: each call pays
    their fork/join, and on a busy machine every parallel region waits for a
    time slice (seen 5-100x slower). Parallelism, where wanted, comes from
    ``n_jobs`` instead. On a GPU the block runs unchanged.
    """
    if not enabled or torch.device(device).type != "cpu":
        yield
        return
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(previous)


@functools.cache
def _blas_controller():
    from threadpoolctl import ThreadpoolController

    # finding the loaded BLAS libraries costs about 1.5 ms; limiting a known one, 30 us
    return ThreadpoolController()


def one_blas_thread(enabled=True):
    """Run the block with one numpy/scipy BLAS (OpenBLAS) thread (when ``enabled``: a size test).

    Sequences of short BLAS calls (coordinate descent's level-1 sweeps, the
    products of an L-BFGS fit of a few thousand samples) gain nothing from
    BLAS threads: OpenBLAS splits each call of more than about 10,000 elements,
    and on a busy machine every split waits for a time slice (Lasso on 20000 x
    200: 51 ms on one thread, 70-370 ms on two; MNIST 2000 x 784 logistic
    regression: 0.4 s on one, 1 to 6 s on two, on a shared 2-core machine).
    Work on a GPU does not use this BLAS: there the limit changes nothing.
    """
    if not enabled:
        return contextlib.nullcontext()
    return _blas_controller().limit(limits=1, user_api="blas")


def on_host_blas(*tensors):
    """Whether the tensors are CPU float32/float64 tensors of one dtype, outside autograd.

    Their matrix products and factorizations then go through numpy's BLAS and scipy's
    LAPACK (on views, without copies): torch's CPU build links MKL, whose float64 GEMM,
    SYRK and SVD run at about 60% of OpenBLAS's speed on the AMD CPUs we benchmark on,
    and scikit-learn (the peer) calls OpenBLAS. Tensors on a GPU stay on torch.
    """
    first = tensors[0]
    return first.dtype in (torch.float32, torch.float64) and all(
        t.device.type == "cpu" and t.dtype == first.dtype and not t.requires_grad for t in tensors
    )
