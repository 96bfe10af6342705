"""Data shared by the linear-model tests: the book's Chapter 4 synthetic sets, made exactly as the book does."""

import numpy as np
import pytest


@pytest.fixture
def book_linear_data():
    """``np.random.seed(42); X = 2 * rand(100, 1); y = 4 + 3 X + randn(100, 1)`` (Figure 4-1)."""
    np.random.seed(42)
    X = 2 * np.random.rand(100, 1)
    y = 4 + 3 * X + np.random.randn(100, 1)
    return X, y


@pytest.fixture
def book_quadratic_data():
    """``np.random.seed(42); X = 6 rand - 3; y = 0.5 X^2 + X + 2 + randn`` (Figure 4-12)."""
    np.random.seed(42)
    m = 100
    X = 6 * np.random.rand(m, 1) - 3
    y = 0.5 * X**2 + X + 2 + np.random.randn(m, 1)
    return X, y


@pytest.fixture
def book_regularization_data():
    """The notebook's data behind the Ridge/Lasso/ElasticNet predictions at x=1.5 (spec section 6)."""
    np.random.seed(42)
    m = 20
    X = 3 * np.random.rand(m, 1)
    y = 1 + 0.5 * X + np.random.randn(m, 1) / 1.5
    return X, y


@pytest.fixture
def regression_problem():
    rng = np.random.RandomState(0)
    X = rng.randn(60, 8)
    Y = X @ rng.randn(8, 3) + 0.5 * rng.randn(60, 3) + 2.0
    weight = rng.uniform(0.2, 2.0, size=60)
    return X, Y, weight
