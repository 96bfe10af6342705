"""Devices to parametrize tests over: the CPU always, CUDA where a GPU is lent.

CUDA cases carry the ``gpu`` mark (``make test-gpu`` runs them) and skip
cleanly on machines without a GPU.
"""

import pytest
import torch

_NO_CUDA = not torch.cuda.is_available()

DEVICES = [
    pytest.param("cpu", id="cpu"),
    pytest.param(
        "cuda",
        id="cuda",
        marks=[pytest.mark.gpu, pytest.mark.skipif(_NO_CUDA, reason="no CUDA GPU on this machine")],
    ),
]
