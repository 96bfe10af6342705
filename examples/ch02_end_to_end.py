"""Chapter 2: the end-to-end California housing project, in the book's order, on learnflow.

Run ``python examples/ch02_end_to_end.py`` (the book's grid search, several
minutes) or ``--quick`` (a smaller grid). Every number the book prints is
printed next to ours; the book's own values are in ``shared/spec/book-ch01-04.md``
(section 2.4). The data are the bundled copy of the book's ``housing.csv``.
"""

import argparse

import numpy as np
import pandas as pd
from scipy import stats

from learnflow.compose import ColumnTransformer
from learnflow.datasets import load_housing
from learnflow.ensemble import RandomForestRegressor
from learnflow.impute import SimpleImputer
from learnflow.linear_model import LinearRegression
from learnflow.metrics import mean_squared_error
from learnflow.model_selection import GridSearchCV, StratifiedShuffleSplit, cross_val_score
from learnflow.pipeline import Pipeline
from learnflow.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler
from learnflow.tree import DecisionTreeRegressor

ROOMS, BEDROOMS, POPULATION, HOUSEHOLDS = 3, 4, 5, 6


def add_combined_attributes(X):
    """The book's CombinedAttributesAdder (add_bedrooms_per_room=True) as a function."""
    rooms_per_household = X[:, ROOMS] / X[:, HOUSEHOLDS]
    population_per_household = X[:, POPULATION] / X[:, HOUSEHOLDS]
    bedrooms_per_room = X[:, BEDROOMS] / X[:, ROOMS]
    return np.c_[X, rooms_per_household, population_per_household, bedrooms_per_room]


def stratified_split(housing):
    """The book's split: stratified on five income categories, 20% test, random_state=42."""
    income_cat = pd.cut(housing["median_income"], bins=[0.0, 1.5, 3.0, 4.5, 6.0, np.inf], labels=[1, 2, 3, 4, 5])
    print("income_cat proportions:", income_cat.value_counts(normalize=True).sort_index().round(6).to_dict())
    split = StratifiedShuffleSplit(n_splits=1, test_size=0.2, random_state=42)
    train_index, test_index = next(split.split(housing, income_cat))
    return housing.iloc[train_index], housing.iloc[test_index]


def rmse_scores(model, X, y, cv=10):
    scores = np.sqrt(-cross_val_score(model, X, y, scoring="neg_mean_squared_error", cv=cv))
    return scores.mean(), scores.std()


def main(quick):
    housing = load_housing().frame
    print("shape:", housing.shape, "missing total_bedrooms:", int(housing["total_bedrooms"].isna().sum()))
    print(housing["ocean_proximity"].value_counts().to_dict())
    train_set, test_set = stratified_split(housing)
    print("train/test:", len(train_set), len(test_set), "(book: 16512 / 4128)")
    correlations = train_set.drop(columns="ocean_proximity").corr()["median_house_value"]
    print("corr(median_income):", round(correlations["median_income"], 6), "(book: 0.687170)")

    features, labels = train_set.drop(columns="median_house_value"), train_set["median_house_value"]
    numeric = list(features.drop(columns="ocean_proximity"))
    num_pipeline = Pipeline(
        [
            ("imputer", SimpleImputer(strategy="median")),
            ("attribs_adder", FunctionTransformer(add_combined_attributes)),
            ("std_scaler", StandardScaler()),
        ]
    )
    full_pipeline = ColumnTransformer([("num", num_pipeline, numeric), ("cat", OneHotEncoder(), ["ocean_proximity"])])
    prepared = full_pipeline.fit_transform(features)
    print("imputer medians:", full_pipeline.named_transformers_["num"]["imputer"].statistics_)
    print("prepared:", prepared.shape, "(the book prints 16513 x 17, a known misprint: 16512 x 16)")

    lin_reg = LinearRegression().fit(prepared, labels)
    print("linear training RMSE:", np.sqrt(mean_squared_error(labels, lin_reg.predict(prepared))), "(book: 68628.41)")
    print("linear 10-fold CV RMSE: %.3f +- %.3f (book: 68972.378 +- 2493.988)" % rmse_scores(LinearRegression(), prepared, labels))
    print("tree 10-fold CV RMSE: %.3f +- %.3f (book: 71199.428 +- 3202.705)" % rmse_scores(DecisionTreeRegressor(random_state=42), prepared, labels))

    if quick:
        param_grid = [{"n_estimators": [10], "max_features": [6, 8]}]
    else:
        param_grid = [
            {"n_estimators": [3, 10, 30], "max_features": [2, 4, 6, 8]},
            {"bootstrap": [False], "n_estimators": [3, 10], "max_features": [2, 3, 4]},
        ]
    search = GridSearchCV(
        RandomForestRegressor(random_state=42), param_grid, cv=5, scoring="neg_mean_squared_error", return_train_score=True
    )
    search.fit(prepared, labels)
    for score, params in zip(search.cv_results_["mean_test_score"], search.cv_results_["params"]):
        print(f"  {np.sqrt(-score):10.2f} {params}")
    print("best params:", search.best_params_, "(book: {'max_features': 6, 'n_estimators': 30})")
    names = numeric + ["rooms_per_hhold", "pop_per_hhold", "bedrooms_per_room"]
    names += list(full_pipeline.named_transformers_["cat"].categories_[0])
    importances = sorted(zip(search.best_estimator_.feature_importances_, names), reverse=True)
    print("feature importances:", [(name, round(float(value), 4)) for value, name in importances])

    final_model = search.best_estimator_
    X_test = full_pipeline.transform(test_set.drop(columns="median_house_value"))
    y_test = test_set["median_house_value"]
    squared_errors = (final_model.predict(X_test) - y_test) ** 2
    interval = np.sqrt(stats.t.interval(0.95, len(squared_errors) - 1, loc=squared_errors.mean(), scale=stats.sem(squared_errors)))
    print("final test RMSE:", np.sqrt(squared_errors.mean()), "(book: 48209.6); 95% interval:", interval)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a two-setting grid instead of the book's eighteen")
    main(parser.parse_args().quick)
