"""Torch's intra-op threads for work made of many small CPU operations."""

# SPDX-License-Identifier: BSD-3-Clause

import contextlib

import torch

__all__ = ["one_torch_thread"]


@contextlib.contextmanager
def one_torch_thread(device):
    """Run the block with one torch intra-op thread when ``device`` is the CPU.

    Solvers that issue many small, sequential torch calls (SMO kernel rows,
    level-wise tree growth) gain nothing from intra-op threads: each call pays
    their fork/join, and on a busy machine every parallel region waits for a
    time slice (seen 5-100x slower). Parallelism, where wanted, comes from
    ``n_jobs`` instead. On a GPU the block runs unchanged.
    """
    if torch.device(device).type != "cpu":
        yield
        return
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(previous)
