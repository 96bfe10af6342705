"""``learnflow.flow.estimator``: the book's TF.Learn estimators, scikit-learn compatible."""

# SPDX-License-Identifier: BSD-3-Clause

from ._dnn import DNNClassifier, DNNRegressor

__all__ = ["DNNClassifier", "DNNRegressor"]
