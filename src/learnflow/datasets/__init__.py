"""Datasets: the book's bundled data, MNIST, and synthetic data generators."""

# SPDX-License-Identifier: BSD-3-Clause

from ._base import load_digits, load_housing, load_iris, load_lifesat
from ._california_housing import fetch_california_housing
from ._mnist import fetch_mnist
from ._openml import fetch_mldata, fetch_openml
from ._samples_generator import (
    make_blobs,
    make_circles,
    make_classification,
    make_low_rank_matrix,
    make_moons,
    make_regression,
    make_swiss_roll,
)

__all__ = [
    "fetch_california_housing",
    "fetch_mldata",
    "fetch_mnist",
    "fetch_openml",
    "load_digits",
    "load_housing",
    "load_iris",
    "load_lifesat",
    "make_blobs",
    "make_circles",
    "make_classification",
    "make_low_rank_matrix",
    "make_moons",
    "make_regression",
    "make_swiss_roll",
]
