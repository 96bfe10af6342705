"""Chapter 2's numbers: the book's split and pipeline, against scikit-learn and the book."""

import numpy as np
import pandas as pd
import pytest
import sklearn.linear_model
import sklearn.model_selection

from learnflow.compose import ColumnTransformer
from learnflow.datasets import load_housing
from learnflow.impute import SimpleImputer
from learnflow.linear_model import LinearRegression
from learnflow.model_selection import GridSearchCV, StratifiedShuffleSplit, cross_val_score
from learnflow.pipeline import Pipeline
from learnflow.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler
from learnflow.project._prepare import ratio_features


@pytest.fixture(scope="module")
def book_split():
    housing = load_housing().frame
    income_cat = pd.cut(housing["median_income"], bins=[0.0, 1.5, 3.0, 4.5, 6.0, np.inf], labels=[1, 2, 3, 4, 5])
    train_index, test_index = next(
        StratifiedShuffleSplit(n_splits=1, test_size=0.2, random_state=42).split(housing, income_cat)
    )
    return housing.iloc[train_index], housing.iloc[test_index]


@pytest.fixture(scope="module")
def book_pipeline(book_split):
    train, _ = book_split
    numeric = list(train.drop(columns=["median_house_value", "ocean_proximity"]))
    ratios = FunctionTransformer(ratio_features, kw_args={"pairs": [[3, 6], [5, 6], [4, 3]], "names": ["a", "b", "c"]})
    num_pipeline = Pipeline(
        [("imputer", SimpleImputer(strategy="median")), ("ratios", ratios), ("scaler", StandardScaler())]
    )
    return ColumnTransformer([("num", num_pipeline, numeric), ("cat", OneHotEncoder(), ["ocean_proximity"])])


def test_linear_regression_cv_rmse_matches_scikit_learn_within_one_percent(book_split, book_pipeline):
    train, _ = book_split
    features, labels = train.drop(columns="median_house_value"), train["median_house_value"]
    prepared = book_pipeline.fit_transform(features)
    assert prepared.shape == (16512, 16)
    ours = np.sqrt(-cross_val_score(LinearRegression(), prepared, labels, scoring="neg_mean_squared_error", cv=10))
    theirs = np.sqrt(
        -sklearn.model_selection.cross_val_score(
            sklearn.linear_model.LinearRegression(), prepared, labels, scoring="neg_mean_squared_error", cv=10
        )
    )
    assert ours.mean() == pytest.approx(theirs.mean(), rel=0.01)
    assert ours.mean() == pytest.approx(68972.378, rel=0.01)  # the book's mean


@pytest.mark.slow
def test_fine_tuned_random_forest_beats_50000_on_the_test_set(book_split, book_pipeline):
    from learnflow.ensemble import RandomForestRegressor

    train, test = book_split
    features, labels = train.drop(columns="median_house_value"), train["median_house_value"]
    prepared = book_pipeline.fit_transform(features)
    search = GridSearchCV(
        RandomForestRegressor(random_state=42, n_jobs=-1),
        {"n_estimators": [30], "max_features": [6, 8]},
        cv=5,
        scoring="neg_mean_squared_error",
    ).fit(prepared, labels)
    predictions = search.best_estimator_.predict(book_pipeline.transform(test.drop(columns="median_house_value")))
    rmse = np.sqrt(np.mean((predictions - test["median_house_value"].to_numpy()) ** 2))
    assert rmse < 50000  # the book: 48,209.6
