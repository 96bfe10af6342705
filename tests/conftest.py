"""Shared fixtures: where the offline datasets live."""

import os
from pathlib import Path

import pytest
import torch

# Under pytest-xdist each worker gets one core: torch's own intra-op threads on
# top of that would only fight over it.
if os.environ.get("PYTEST_XDIST_WORKER"):
    torch.set_num_threads(1)

_REPO_ROOT = Path(__file__).resolve().parents[1]


def _shared_datasets_dir():
    env = os.environ.get("LEARNFLOW_SHARED")
    candidates = [Path(env) / "datasets"] if env else []
    candidates.append(_REPO_ROOT.parent / "shared" / "datasets")
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return None


@pytest.fixture(scope="session")
def shared_datasets():
    """The offline dataset folder (``../shared/datasets`` beside the checkout)."""
    path = _shared_datasets_dir()
    if path is None:
        pytest.skip("the shared datasets folder (../shared/datasets) is not present")
    return path


@pytest.fixture(scope="session")
def mnist_dir(shared_datasets):
    """The folder holding the MNIST test-set IDX files."""
    return shared_datasets / "mnist"
