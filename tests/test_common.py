"""Conformance: every public learnflow estimator passes scikit-learn's check_estimator.

Estimators are discovered through ``learnflow.utils.all_estimators()``, so an
estimator added anywhere in the package is checked without anyone listing it.
"""

import pytest
from sklearn.utils.estimator_checks import check_estimator, parametrize_with_checks

from learnflow.base import BaseEstimator, ClassifierMixin
from learnflow.utils import all_estimators

# Instances for estimators whose defaults cannot be constructed or are too slow
# for the checks' tiny data: {class name: callable returning instances}.
ESTIMATOR_INSTANCES = {}

# {class name: {check name: reason}}: checks an estimator is known to fail.
EXPECTED_FAILED_CHECKS = {}


def _instances():
    for name, cls in all_estimators():
        factory = ESTIMATOR_INSTANCES.get(name)
        yield from (factory() if factory else [cls()])


def _expected_failed_checks(estimator):
    return EXPECTED_FAILED_CHECKS.get(type(estimator).__name__, {})


@parametrize_with_checks(list(_instances()), expected_failed_checks=_expected_failed_checks)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


def test_discovery_finds_the_dummy_estimators():
    names = {name for name, _ in all_estimators()}
    assert {"DummyClassifier", "DummyRegressor"} <= names


class _FitDoesNotReturnSelf(ClassifierMixin, BaseEstimator):
    """A broken classifier: fit returns None, as a careless implementation would."""

    def fit(self, X, y):
        self.classes_ = sorted(set(y))
        self.n_features_in_ = len(X[0])

    def predict(self, X):
        return [self.classes_[0]] * len(X)


def test_conformance_harness_rejects_a_broken_estimator():
    with pytest.raises(AssertionError):
        check_estimator(_FitDoesNotReturnSelf())
