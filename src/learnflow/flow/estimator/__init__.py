"""``learnflow.flow.estimator``: the book's TF.Learn estimators, scikit-learn compatible, and
``inputs.numpy_input_fn`` to feed them through TensorFlow's input-function API."""

# SPDX-License-Identifier: BSD-3-Clause

from . import inputs
from ._dnn import DNNClassifier, DNNRegressor

__all__ = ["DNNClassifier", "DNNRegressor", "inputs"]
