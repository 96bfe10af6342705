"""Ensemble learning (Chapter 7): voting, bagging, random forests, boosting and stacking."""

# SPDX-License-Identifier: BSD-3-Clause

from ._weight_boosting import AdaBoostClassifier, AdaBoostRegressor
from ._bagging import BaggingClassifier, BaggingRegressor
from ._forest import ExtraTreesClassifier, ExtraTreesRegressor, RandomForestClassifier, RandomForestRegressor
from ._gb import GradientBoostingClassifier, GradientBoostingRegressor
from ._stacking import StackingClassifier, StackingRegressor
from ._voting import VotingClassifier, VotingRegressor

__all__ = [
    "AdaBoostClassifier",
    "AdaBoostRegressor",
    "BaggingClassifier",
    "BaggingRegressor",
    "ExtraTreesClassifier",
    "ExtraTreesRegressor",
    "GradientBoostingClassifier",
    "GradientBoostingRegressor",
    "RandomForestClassifier",
    "RandomForestRegressor",
    "StackingClassifier",
    "StackingRegressor",
    "VotingClassifier",
    "VotingRegressor",
]
