"""``tf.contrib.learn`` (TF.Learn): the book's Chapter 10 high-level API.

>>> import numpy as np
>>> import learnflow.flow as tf
>>> X_train = np.zeros((5, 784), dtype=np.float32)
>>> tf.contrib.learn.infer_real_valued_columns_from_input(X_train)[0].shape
(784,)
"""

# SPDX-License-Identifier: BSD-3-Clause

import numpy as np

from ...estimator import DNNClassifier, DNNRegressor
from ...feature_column import numeric_column

__all__ = ["DNNClassifier", "DNNRegressor", "infer_real_valued_columns_from_input"]


def infer_real_valued_columns_from_input(x):
    """One real-valued feature column (named ``""``) shaped as one example of ``x``."""
    x = np.asarray(x)
    if x.ndim < 1 or len(x) == 0:
        raise ValueError(f"x must hold at least one example, got an array of shape {x.shape}")
    shape = x.shape[1:] or (1,)
    return [numeric_column("", shape=shape,
                           dtype=x.dtype if np.issubdtype(x.dtype, np.number) else np.float32)]
