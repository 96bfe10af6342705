"""Data of Chapter 8's PCA examples."""

import numpy as np
import pytest


@pytest.fixture(scope="session")
def chapter8_3d():
    """The book's 3-D dataset near a plane (seed 4, m = 60; spec section 8.2)."""
    np.random.seed(4)
    m, w1, w2, noise = 60, 0.1, 0.3, 0.1
    angles = np.random.rand(m) * 3 * np.pi / 2 - 0.5
    X = np.empty((m, 3))
    X[:, 0] = np.cos(angles) + np.sin(angles) / 2 + noise * np.random.randn(m) / 2
    X[:, 1] = np.sin(angles) * 0.7 + noise * np.random.randn(m) / 2
    X[:, 2] = X[:, 0] * w1 + X[:, 1] * w2 + noise * np.random.randn(m)
    return X


@pytest.fixture(scope="session")
def mnist_like():
    """MNIST-shaped data (784 pixel features of low intrinsic rank, 0..255) without needing the files."""
    rng = np.random.RandomState(0)
    latent = rng.normal(size=(600, 40)) * np.linspace(6, 0.5, 40)
    X = latent @ rng.normal(size=(40, 784)) + rng.normal(scale=2.0, size=(600, 784))
    return np.clip(X - X.min(), 0, 255)
