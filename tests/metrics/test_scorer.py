"""Scorers: the registry, make_scorer, get_scorer and check_scoring against scikit-learn's."""

import numpy as np
import pytest
import sklearn.metrics as skm
from sklearn.linear_model import LogisticRegression, Ridge

import learnflow.metrics as lfm
from learnflow.dummy import DummyClassifier, DummyRegressor

RTOL = 1e-12

# scikit-learn < 1.8 called "neg_max_error" "max_error"; learnflow keeps that alias.
ALIASES = {"max_error": "neg_max_error"}


@pytest.fixture(scope="module")
def regression():
    rng = np.random.RandomState(0)
    X = rng.rand(40, 3)
    y = X @ np.array([1.0, 2.0, 3.0]) + 0.1 * rng.rand(40)
    return Ridge(alpha=0.5).fit(X, y), X, y


@pytest.fixture(scope="module")
def binary():
    rng = np.random.RandomState(1)
    X = rng.randn(50, 2)
    y = np.where(X[:, 0] + 0.5 * rng.randn(50) > 0, "spam", "ham")
    return LogisticRegression().fit(X, y), X, y


def test_registry_names_are_sklearn_names():
    names = lfm.get_scorer_names()
    assert names == sorted(names)
    assert set(names) - set(ALIASES) <= set(skm.get_scorer_names())
    assert {"neg_mean_squared_error", "neg_root_mean_squared_error", "r2", "accuracy"} <= set(names)


@pytest.fixture(scope="module")
def binary_int():
    rng = np.random.RandomState(3)
    X = rng.randn(60, 2)
    y = (X[:, 0] + 0.7 * rng.randn(60) > 0).astype(int)
    return LogisticRegression().fit(X, y), X, y


@pytest.fixture(scope="module")
def multiclass():
    rng = np.random.RandomState(4)
    X = rng.randn(90, 2)
    y = np.digitize(X[:, 0] + 0.5 * rng.randn(90), [-0.5, 0.5])
    return LogisticRegression().fit(X, y), X, y


def _is_classification(scorer):
    return scorer._score_func.__module__.endswith(("_classification", "_ranking"))


@pytest.mark.parametrize("name", lfm.get_scorer_names())
def test_each_scorer_equals_sklearn(name, regression, binary_int, multiclass):
    theirs_scorer = skm.get_scorer(ALIASES.get(name, name))
    assert repr(lfm.get_scorer(name)) == repr(theirs_scorer)
    datasets = [binary_int, multiclass] if _is_classification(theirs_scorer) else [regression]
    for estimator, X, y in datasets:
        if "log" in name and not _is_classification(theirs_scorer):
            y = np.abs(y)
        try:
            theirs = theirs_scorer(estimator, X, y)
        except ValueError:  # e.g. average="binary" on multiclass y, "samples" on non-multilabel y
            with pytest.raises(ValueError):
                lfm.get_scorer(name)(estimator, X, y)
            continue
        np.testing.assert_allclose(lfm.get_scorer(name)(estimator, X, y), theirs, rtol=1e-10, err_msg=name)


def test_sample_weight_is_passed(regression):
    estimator, X, y = regression
    weight = np.linspace(0.1, 2.0, len(y))
    ours = lfm.get_scorer("neg_mean_absolute_error")(estimator, X, y, sample_weight=weight)
    theirs = skm.get_scorer("neg_mean_absolute_error")(estimator, X, y, sample_weight=weight)
    np.testing.assert_allclose(ours, theirs, rtol=RTOL)


def _mean_score(y_true, y_score, offset=0.0):
    return float(np.mean(y_score)) + offset


@pytest.mark.parametrize(
    "response_method", ["predict_proba", "decision_function", ["decision_function", "predict_proba"]]
)
def test_make_scorer_response_methods_equal_sklearn(binary, response_method):
    estimator, X, y = binary
    kwargs = {"response_method": response_method, "greater_is_better": False, "offset": 2.0}
    ours = lfm.make_scorer(_mean_score, **kwargs)
    theirs = skm.make_scorer(_mean_score, **kwargs)
    np.testing.assert_allclose(ours(estimator, X, y), theirs(estimator, X, y), rtol=RTOL)
    assert repr(ours) == repr(theirs)


def test_pos_label_selects_the_probability_column(binary):
    estimator, X, y = binary

    def first_score(y_true, y_score, pos_label="spam"):
        return float(y_score[0])

    for pos_label in ("ham", "spam"):
        for method in ("predict_proba", "decision_function"):
            ours = lfm.make_scorer(first_score, response_method=method, pos_label=pos_label)
            theirs = skm.make_scorer(first_score, response_method=method, pos_label=pos_label)
            assert ours(estimator, X, y) == pytest.approx(theirs(estimator, X, y), rel=RTOL)
    with pytest.raises(ValueError, match="pos_label='maybe' is not a valid label"):
        lfm.make_scorer(first_score, response_method="predict_proba", pos_label="maybe")(estimator, X, y)


def test_get_scorer_returns_copies_and_rejects_unknown_names():
    assert lfm.get_scorer("r2") is not lfm.get_scorer("r2")
    assert lfm.get_scorer(None) is None
    assert lfm.get_scorer(_mean_score) is _mean_score
    with pytest.raises(ValueError, match="'nope' is not a valid scoring value"):
        lfm.get_scorer("nope")


def test_check_scoring(regression):
    estimator, X, y = regression
    passthrough = lfm.check_scoring(estimator)
    assert passthrough(estimator, X, y) == pytest.approx(estimator.score(X, y), rel=RTOL)
    multi = lfm.check_scoring(estimator, ["r2", "neg_mean_squared_error"])
    assert repr(multi) == repr(skm.check_scoring(estimator, ["r2", "neg_mean_squared_error"]))
    scores = multi(estimator, X, y)
    assert scores["r2"] == pytest.approx(skm.r2_score(y, estimator.predict(X)), rel=RTOL)
    assert scores["neg_mean_squared_error"] == pytest.approx(-skm.mean_squared_error(y, estimator.predict(X)), rel=RTOL)
    as_dict = lfm.check_scoring(estimator, {"a": "r2", "b": lfm.make_scorer(lfm.max_error, greater_is_better=False)})
    assert set(as_dict(estimator, X, y)) == {"a", "b"}
    with pytest.raises(ValueError, match="looks like it is a metric function rather than a scorer"):
        lfm.check_scoring(estimator, lfm.mean_squared_error)
    with pytest.raises(ValueError, match="must be unique strings"):
        lfm.check_scoring(estimator, ["r2", "r2"])
    with pytest.raises(ValueError, match="Empty list"):
        lfm.check_scoring(estimator, [])
    with pytest.raises(TypeError, match="should have a 'score' method"):
        lfm.check_scoring(object())
    assert lfm.check_scoring(object(), allow_none=True) is None


def test_multimetric_calls_a_shared_response_method_once():
    calls = []

    class Counting(DummyRegressor):
        def predict(self, X):
            calls.append(1)
            return super().predict(X)

    estimator = Counting().fit([[0], [1], [2]], [0.0, 1.0, 5.0])
    lfm.check_scoring(estimator, ["r2", "neg_mean_absolute_error", "neg_mean_squared_error"])(estimator, [[0], [1]], [1.0, 2.0])
    assert len(calls) == 1


def test_multimetric_failure_is_reported_or_raised():
    def boom(y_true, y_pred):
        raise RuntimeError("metric exploded")

    estimator = DummyClassifier().fit([[0], [1]], [0, 1])
    scorers = {"acc": "accuracy", "boom": lfm.make_scorer(boom)}
    with pytest.raises(RuntimeError, match="metric exploded"):
        lfm.check_scoring(estimator, scorers)(estimator, [[0], [1]], [0, 1])
    scores = lfm.check_scoring(estimator, scorers, raise_exc=False)(estimator, [[0], [1]], [0, 1])
    assert scores["acc"] == 0.5 and "metric exploded" in scores["boom"]


def test_make_scorer_rejects_bad_arguments():
    with pytest.raises(ValueError, match="response_method"):
        lfm.make_scorer(_mean_score, response_method="predict_probability")
    with pytest.raises(TypeError, match="callable"):
        lfm.make_scorer("r2")
