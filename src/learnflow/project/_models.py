"""Step 5-6 of the checklist: the candidate models and their search spaces.

Candidates are named by class and looked up among learnflow's estimators, so
the shortlist is every suitable model this learnflow has. Settings keep each
default fit quick; the search spaces are the book's (Chapter 2) where it
gives one.
"""

# SPDX-License-Identifier: BSD-3-Clause

from scipy.stats import loguniform, randint

from ..utils import all_estimators

__all__ = ["candidate_models"]


def _forest(seed, quick):
    return {"n_estimators": 30 if quick else 100, "random_state": seed, "n_jobs": -1}


# (class name, constructor arguments from (seed, quick), search space, "slow" = skipped by --quick)
_REGRESSORS = [
    ("LinearRegression", lambda seed, quick: {}, {}, False),
    ("Ridge", lambda seed, quick: {}, {"alpha": loguniform(1e-3, 1e3)}, False),
    ("KNeighborsRegressor", lambda seed, quick: {}, {"n_neighbors": randint(2, 30), "weights": ["uniform", "distance"]}, False),
    (
        "DecisionTreeRegressor",
        lambda seed, quick: {"random_state": seed},
        {"max_depth": randint(2, 30), "min_samples_leaf": randint(1, 20)},
        False,
    ),
    ("RandomForestRegressor", _forest, {"n_estimators": randint(10, 200), "max_features": randint(1, 8)}, False),
    ("ExtraTreesRegressor", _forest, {"n_estimators": randint(10, 200), "max_features": randint(1, 8)}, True),
    (
        "GradientBoostingRegressor",
        lambda seed, quick: {"random_state": seed},
        {"learning_rate": loguniform(0.02, 0.5), "max_depth": randint(2, 6), "n_estimators": randint(50, 300)},
        True,
    ),
    ("SVR", lambda seed, quick: {"C": 1e4, "gamma": "scale"}, {"C": loguniform(1e2, 1e6), "gamma": loguniform(1e-3, 1)}, True),
]

_CLASSIFIERS = [
    ("LogisticRegression", lambda seed, quick: {"max_iter": 1000}, {"C": loguniform(1e-2, 1e2)}, False),
    ("SGDClassifier", lambda seed, quick: {"random_state": seed}, {"alpha": loguniform(1e-6, 1e-2)}, False),
    ("KNeighborsClassifier", lambda seed, quick: {}, {"n_neighbors": randint(2, 30), "weights": ["uniform", "distance"]}, False),
    (
        "DecisionTreeClassifier",
        lambda seed, quick: {"random_state": seed},
        {"max_depth": randint(2, 30), "min_samples_leaf": randint(1, 20)},
        False,
    ),
    ("RandomForestClassifier", _forest, {"n_estimators": randint(10, 200), "max_features": randint(1, 8)}, False),
    ("SVC", lambda seed, quick: {"gamma": "scale", "random_state": seed}, {"C": loguniform(1e-1, 1e3)}, True),
]


def candidate_models(task, *, seed, quick):
    """[(name, estimator, search space)] for the task, for the classes learnflow has."""
    available = dict(all_estimators())
    table = _REGRESSORS if task == "regression" else _CLASSIFIERS
    return [
        (name, available[name](**make_params(seed, quick)), space)
        for name, make_params, space, slow in table
        if name in available and not (quick and slow)
    ]
