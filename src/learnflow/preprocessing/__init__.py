"""Preprocessing: scaling, encoding, polynomial features and custom transformers (Chapter 2)."""

# SPDX-License-Identifier: BSD-3-Clause

from ._data import MinMaxScaler, StandardScaler
from ._encoders import OneHotEncoder, OrdinalEncoder
from ._function_transformer import FunctionTransformer
from ._imputer import Imputer
from ._label import LabelBinarizer, LabelEncoder
from ._polynomial import PolynomialFeatures

__all__ = [
    "FunctionTransformer",
    "Imputer",
    "LabelBinarizer",
    "LabelEncoder",
    "MinMaxScaler",
    "OneHotEncoder",
    "OrdinalEncoder",
    "PolynomialFeatures",
    "StandardScaler",
]
