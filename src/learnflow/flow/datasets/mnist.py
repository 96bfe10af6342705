"""``learnflow.flow.datasets.mnist``: ``read_data_sets`` as in the book's Chapter 10."""

# SPDX-License-Identifier: BSD-3-Clause

from ._mnist import DataSet, Datasets, read_data_sets

__all__ = ["DataSet", "Datasets", "read_data_sets"]
