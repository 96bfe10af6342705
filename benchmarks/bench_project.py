"""Chapter 2's workload: the preparation pipeline and a 5-fold random-forest CV on housing.

``python -m benchmarks.bench_project [--quick]``. Both sides build the book's
pipeline (median imputation, combined attributes, scaling, one-hot encoding)
on the book's stratified training set and cross-validate a random forest on
the prepared matrix. Scores: the prepared matrix's checksum, then the mean CV
RMSE (lower is better).
"""

import argparse

import numpy as np
import pandas as pd
import sklearn.compose
import sklearn.ensemble
import sklearn.impute
import sklearn.model_selection
import sklearn.pipeline
import sklearn.preprocessing

import learnflow.compose
import learnflow.ensemble
import learnflow.impute
import learnflow.model_selection
import learnflow.pipeline
import learnflow.preprocessing
from benchmarks._harness import compare, report
from learnflow.datasets import load_housing
from learnflow.project._prepare import ratio_features

_RATIOS = {"pairs": [[3, 6], [5, 6], [4, 3]], "names": ["rooms_per_hhold", "pop_per_hhold", "bedrooms_per_room"]}


def _book_training_set():
    housing = load_housing().frame
    income_cat = pd.cut(housing["median_income"], bins=[0.0, 1.5, 3.0, 4.5, 6.0, np.inf], labels=[1, 2, 3, 4, 5])
    split = learnflow.model_selection.StratifiedShuffleSplit(n_splits=1, test_size=0.2, random_state=42)
    train_index, _ = next(split.split(housing, income_cat))
    train = housing.iloc[train_index]
    return train.drop(columns="median_house_value"), train["median_house_value"]


def _pipeline(library):
    """The book's full_pipeline, built from ``library``'s modules (learnflow or sklearn)."""
    impute, preprocessing, pipeline, compose = library
    numeric = ["longitude", "latitude", "housing_median_age", "total_rooms", "total_bedrooms", "population", "households", "median_income"]
    num_pipeline = pipeline.Pipeline(
        [
            ("imputer", impute.SimpleImputer(strategy="median")),
            ("ratios", preprocessing.FunctionTransformer(ratio_features, kw_args=_RATIOS)),
            ("scaler", preprocessing.StandardScaler()),
        ]
    )
    return compose.ColumnTransformer([("num", num_pipeline, numeric), ("cat", preprocessing.OneHotEncoder(), ["ocean_proximity"])])


def _cv_rmse(cross_val_score, forest, X, y):
    return float(np.sqrt(-cross_val_score(forest, X, y, cv=5, scoring="neg_mean_squared_error")).mean())


def main(quick=False):
    X, y = _book_training_set()
    ours = (learnflow.impute, learnflow.preprocessing, learnflow.pipeline, learnflow.compose)
    theirs = (sklearn.impute, sklearn.preprocessing, sklearn.pipeline, sklearn.compose)
    prepared = _pipeline(ours).fit_transform(X)
    n_estimators = 10 if quick else 100

    def checksum(matrix):
        return float(np.abs(matrix).sum())

    rows = [
        compare(
            "prepare pipeline fit_transform, 16512 rows",
            lambda: _pipeline(ours).fit_transform(X),
            lambda: _pipeline(theirs).fit_transform(X),
            learnflow_score=checksum,
            peer_score=checksum,
        ),
        compare(
            f"RandomForestRegressor({n_estimators}) 5-fold CV RMSE",
            lambda: _cv_rmse(
                learnflow.model_selection.cross_val_score,
                learnflow.ensemble.RandomForestRegressor(n_estimators=n_estimators, random_state=42, n_jobs=-1),
                prepared,
                y,
            ),
            lambda: _cv_rmse(
                sklearn.model_selection.cross_val_score,
                sklearn.ensemble.RandomForestRegressor(n_estimators=n_estimators, random_state=42, n_jobs=-1),
                prepared,
                y,
            ),
            learnflow_score=lambda rmse: rmse,
            peer_score=lambda rmse: rmse,
            repeats=1,
            warmup=0,
        ),
    ]
    report(rows, "Chapter 2 project: preparation and forest CV", notes=f"n_jobs=-1 on both; {n_estimators} trees")
    return rows


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    main(quick=parser.parse_args().quick)
