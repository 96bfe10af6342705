"""``tf.feature_column``: how an estimator reads its input features.

The book's Chapter 10 describes MNIST to ``tf.estimator.DNNClassifier`` with
``[tf.feature_column.numeric_column("X", shape=[28 * 28])]``.
"""

# SPDX-License-Identifier: BSD-3-Clause

from ._columns import NumericColumn, numeric_column

__all__ = ["NumericColumn", "numeric_column"]
