"""Step 4 of the checklist: the preparation pipeline, built from the column types."""

# SPDX-License-Identifier: BSD-3-Clause

import numpy as np

from ..compose import ColumnTransformer
from ..impute import SimpleImputer
from ..pipeline import Pipeline
from ..preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

__all__ = ["build_preparation", "ratio_features", "ratio_feature_names"]

# The book's combined attributes: (name, numerator column, denominator column).
_RATIOS = (
    ("rooms_per_household", "total_rooms", "households"),
    ("population_per_household", "population", "households"),
    ("bedrooms_per_room", "total_bedrooms", "total_rooms"),
)


def ratio_features(X, pairs, names):
    """Append the columns X[:, a] / X[:, b] for each (a, b) in ``pairs``, named ``names``."""
    X = np.asarray(X, dtype=np.float64)
    ratios = [X[:, a] / X[:, b] for a, b in pairs]
    return np.column_stack([X, *ratios]) if ratios else X


def ratio_feature_names(transformer, input_features):
    """Output names of ``ratio_features``: the inputs, then the ratio names."""
    return np.asarray([*input_features, *transformer.kw_args["names"]], dtype=object)


def _ratio_step(numeric_columns):
    available = [
        (name, numeric_columns.index(top), numeric_columns.index(bottom))
        for name, top, bottom in _RATIOS
        if top in numeric_columns and bottom in numeric_columns
    ]
    if not available:
        return None
    return FunctionTransformer(
        ratio_features,
        kw_args={"pairs": [[a, b] for _, a, b in available], "names": [n for n, _, _ in available]},
        feature_names_out=ratio_feature_names,
    )


def build_preparation(frame, target, *, combined_attributes=True):
    """ColumnTransformer: impute (median) + ratios + scale numerics, impute + one-hot categoricals."""
    features = frame.drop(columns=[target])
    numeric = list(features.select_dtypes("number").columns)
    categorical = [c for c in features.columns if c not in numeric]
    numeric_steps = [("imputer", SimpleImputer(strategy="median"))]
    ratios = _ratio_step(numeric) if combined_attributes else None
    if ratios is not None:
        numeric_steps.append(("combined_attributes", ratios))
    numeric_steps.append(("scaler", StandardScaler()))
    transformers = [("num", Pipeline(numeric_steps), numeric)]
    if categorical:
        categorical_steps = Pipeline(
            [
                ("imputer", SimpleImputer(strategy="most_frequent")),
                ("onehot", OneHotEncoder(handle_unknown="ignore", sparse_output=False)),
            ]
        )
        transformers.append(("cat", categorical_steps, categorical))
    return ColumnTransformer(transformers)
