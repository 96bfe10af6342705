"""SGDClassifier, SGDRegressor and Perceptron against scikit-learn (accuracy / R^2 on the same data)."""

import warnings

import numpy as np
import pytest
import sklearn.linear_model as sk
from sklearn.model_selection import train_test_split

from learnflow.datasets import load_digits, load_iris
from learnflow.exceptions import ConvergenceWarning
from learnflow.linear_model import Perceptron, SGDClassifier, SGDRegressor


@pytest.fixture(scope="module")
def digits_split():
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.4, stratify=y, random_state=0)
    mean, std = X_train.mean(axis=0), X_train.std(axis=0) + 1e-9
    return (X_train - mean) / std, (X_test - mean) / std, y_train, y_test


def _accuracy_pair(params, split, seeds=(0,)):
    """Mean test accuracy over a few seeds for learnflow and scikit-learn (same params)."""
    X_train, X_test, y_train, y_test = split
    ours, theirs = [], []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore")
        for seed in seeds:
            ours.append(SGDClassifier(random_state=seed, **params).fit(X_train, y_train).score(X_test, y_test))
            theirs.append(sk.SGDClassifier(random_state=seed, **params).fit(X_train, y_train).score(X_test, y_test))
    return np.mean(ours), np.mean(theirs)


FAST = dict(max_iter=8, tol=None)
_SLOW = pytest.mark.slow


@pytest.mark.parametrize(
    "params",
    [
        dict(FAST),
        dict(FAST, loss="log_loss"),
        dict(FAST, loss="modified_huber"),
        pytest.param(dict(FAST, loss="squared_hinge", alpha=1e-3), marks=_SLOW),
        pytest.param(dict(FAST, penalty="l1"), marks=_SLOW),
        pytest.param(dict(FAST, penalty="elasticnet", l1_ratio=0.5), marks=_SLOW),
        pytest.param(dict(FAST, average=True), marks=_SLOW),
        pytest.param(dict(learning_rate="adaptive", eta0=0.01), marks=_SLOW),
        pytest.param(dict(FAST, learning_rate="invscaling", eta0=0.1), marks=_SLOW),
        pytest.param(dict(early_stopping=True), marks=_SLOW),
    ],
    ids=str,
)
def test_classifier_accuracy_matches_scikit_learn(digits_split, params):
    """Test accuracy within two points of scikit-learn's on scaled digits (same epochs and seed).

    The digits test set is small (719 samples, one sample is 0.14 point) and
    the shuffles differ, so single runs of either library spread by about a
    point; the MNIST acceptance test asserts the 0.5 point target on 2,000.
    """
    ours, theirs = _accuracy_pair(params, digits_split)
    assert abs(ours - theirs) <= 0.02, (ours, theirs)
    assert ours > 0.9


def test_binary_attributes_and_proba():
    iris = load_iris()
    X, y = iris.data[:, 2:], (iris.target == 2).astype(int)
    clf = SGDClassifier(loss="log_loss", random_state=0, max_iter=20, tol=None).fit(X, y)
    ref = sk.SGDClassifier(loss="log_loss", random_state=0, max_iter=20, tol=None).fit(X, y)
    assert clf.coef_.shape == ref.coef_.shape == (1, 2)
    assert clf.intercept_.shape == ref.intercept_.shape == (1,)
    assert clf.t_ == clf.n_iter_ * len(X) + 1
    proba = clf.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_array_equal(proba.argmax(axis=1), clf.predict(X))
    assert clf.score(X, y) >= 0.8
    assert not hasattr(SGDClassifier(loss="hinge").fit(X, y), "predict_proba")


def test_modified_huber_probabilities_follow_scikit_learns_formula():
    iris = load_iris()
    clf = SGDClassifier(loss="modified_huber", random_state=0, max_iter=5, tol=None).fit(iris.data, iris.target)
    scores = clf.decision_function(iris.data)
    expected = (np.clip(scores, -1, 1) + 1) / 2
    expected /= expected.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(clf.predict_proba(iris.data), expected)


def test_partial_fit_needs_classes_then_learns():
    X, X_test, y, y_test = train_test_split(*load_digits(return_X_y=True), random_state=0)
    clf = SGDClassifier(random_state=0)
    with pytest.raises(ValueError, match="classes must be passed"):
        clf.partial_fit(X[:10], y[:10])
    for start in range(0, 800, 200):
        clf.partial_fit(X[start : start + 200] / 16, y[start : start + 200], classes=np.arange(10))
    assert clf.score(X_test / 16, y_test) > 0.8
    with pytest.raises(ValueError, match="early_stopping should be False"):
        SGDClassifier(early_stopping=True).partial_fit(X, y, classes=np.arange(10))


def test_class_weight_and_sample_weight_change_the_fit():
    iris = load_iris()
    X, y = iris.data, iris.target
    base = SGDClassifier(random_state=0, max_iter=5, tol=None).fit(X, y)
    weighted = SGDClassifier(random_state=0, class_weight={0: 5.0}, max_iter=5, tol=None).fit(X, y)
    assert not np.allclose(base.coef_, weighted.coef_)
    zero = SGDClassifier(random_state=0, max_iter=5, tol=None).fit(X, y, sample_weight=np.r_[np.zeros(50), np.ones(100)])
    assert zero.score(X[50:], y[50:]) >= 0.5


def test_convergence_warning_and_learning_rate_errors():
    iris = load_iris()
    with pytest.warns(ConvergenceWarning, match="Maximum number of iteration"):
        SGDClassifier(max_iter=1, random_state=0).fit(iris.data, iris.target)
    with pytest.raises(ValueError, match="eta0 must be > 0"):
        SGDClassifier(learning_rate="constant", eta0=0.0).fit(iris.data, iris.target)
    with pytest.raises(ValueError, match="alpha must be > 0"):
        SGDClassifier(alpha=0.0).fit(iris.data, iris.target)


def test_sgd_regressor_books_settings_match_scikit_learn(book_linear_data):
    """SGDRegressor(max_iter=50, penalty=None, eta0=0.1): the book prints [4.18, 2.74] (older seed streams)."""
    X, y = book_linear_data
    params = dict(max_iter=50, tol=None, penalty=None, eta0=0.1, random_state=42)
    ours, theirs = SGDRegressor(**params).fit(X, y.ravel()), sk.SGDRegressor(**params).fit(X, y.ravel())
    np.testing.assert_allclose([ours.intercept_[0], ours.coef_[0]], [4.18380366, 2.74205299], atol=0.15)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=0.15)
    assert ours.n_iter_ == theirs.n_iter_ == 50 and ours.t_ == theirs.t_


@pytest.mark.parametrize(
    "params",
    [dict(), dict(loss="huber", max_iter=50, tol=None), dict(loss="epsilon_insensitive"), dict(penalty="l1"),
     dict(average=10), dict(learning_rate="adaptive"), dict(early_stopping=True),
     dict(learning_rate="optimal", alpha=0.01)],
    ids=str,
)
def test_regressor_r2_matches_scikit_learn(book_linear_data, params):
    X, y = book_linear_data
    ours = SGDRegressor(random_state=42, **params).fit(X, y.ravel())
    theirs = sk.SGDRegressor(random_state=42, **params).fit(X, y.ravel())
    assert abs(ours.score(X, y) - theirs.score(X, y)) <= 0.03
    assert ours.coef_.shape == (1,) and ours.intercept_.shape == (1,)


def test_regressor_warm_start_one_epoch_at_a_time_like_the_books_early_stopping(book_quadratic_data):
    X, y = book_quadratic_data
    X = (X - X.mean()) / X.std()
    model = SGDRegressor(max_iter=1, tol=None, warm_start=True, penalty=None, learning_rate="constant",
                         eta0=0.0005, random_state=42)
    errors = []
    for _ in range(30):
        model.fit(X, y.ravel())
        errors.append(np.mean((model.predict(X) - y.ravel()) ** 2))
    assert errors[-1] < errors[0]


def test_perceptron_is_sgd_with_perceptron_loss():
    """The book's Perceptron on iris setosa; equal to SGDClassifier(loss="perceptron", eta0=1, ...)."""
    iris = load_iris()
    X, y = iris.data[:, (2, 3)], (iris.target == 0).astype(int)
    per = Perceptron(random_state=42).fit(X, y)
    assert per.predict([[2, 0.5]])[0] == 1
    assert sk.Perceptron(random_state=42).fit(X, y).predict([[2, 0.5]])[0] == 1
    sgd = SGDClassifier(loss="perceptron", learning_rate="constant", eta0=1, penalty=None, random_state=42)
    np.testing.assert_allclose(per.coef_, sgd.fit(X, y).coef_)
    assert not hasattr(per, "predict_proba")
    assert per.score(X, y) == 1.0


def _mnist_split(mnist_dir):
    """The MNIST test set split 8,000/2,000 stratified (seed 42), standardized as StandardScaler does."""
    from learnflow.datasets import fetch_mnist

    X, y = fetch_mnist(data_home=mnist_dir, subset="test", return_X_y=True, download_if_missing=False)
    X_train, X_test, y_train, y_test = train_test_split(
        X.astype(np.float64), y, train_size=8000, test_size=2000, stratify=y, random_state=42
    )
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    std[std == 0] = 1.0
    return (X_train - mean) / std, (X_test - mean) / std, y_train, y_test


@pytest.mark.slow
def test_mnist_sgd_classifier_acceptance(mnist_dir):
    """Issue acceptance: scaled MNIST test-set split 8,000/2,000: >= 86% and within 0.5 point of scikit-learn.

    Default settings throughout (max_iter=1000, tol=1e-3): on this data neither
    library meets the tolerance, so both run all 1000 epochs (about 5 minutes
    each on one core; measured 90.65% ours, 90.45% scikit-learn).
    """
    X_train, X_test, y_train, y_test = _mnist_split(mnist_dir)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ours = SGDClassifier(random_state=42).fit(X_train, y_train).score(X_test, y_test)
        theirs = sk.SGDClassifier(random_state=42).fit(X_train, y_train).score(X_test, y_test)
    assert ours >= 0.86
    assert abs(ours - theirs) <= 0.005, (ours, theirs)


@pytest.mark.parametrize("loss", ["hinge", "perceptron", "squared_hinge", "modified_huber"])
def test_binary_losses_on_the_single_problem_loop_match_scikit_learn(digits_split, loss):
    """Two classes (and regressors) run one problem on Python floats: accuracy as scikit-learn's."""
    X_train, X_test, y_train, y_test = digits_split
    split = (X_train, X_test, (y_train >= 5).astype(int), (y_test >= 5).astype(int))  # digits 0-4 against 5-9
    ours, theirs = _accuracy_pair(dict(FAST, loss=loss, alpha=1e-3), split, seeds=(0, 1))
    assert abs(ours - theirs) <= 0.03, (ours, theirs)
    assert ours > 0.8


def test_squared_epsilon_insensitive_regressor_matches_scikit_learn(book_linear_data):
    X, y = book_linear_data
    params = dict(loss="squared_epsilon_insensitive", max_iter=30, tol=None, random_state=42)
    ours, theirs = SGDRegressor(**params).fit(X, y.ravel()), sk.SGDRegressor(**params).fit(X, y.ravel())
    assert abs(ours.score(X, y) - theirs.score(X, y)) <= 0.03


def _schedule_step_by_step(ws, decay):
    """The weight-scale schedule by its definition: ws *= d each step, back to 1 under 1e-9."""
    before, after, resets = [], [], []
    for s, d in enumerate(decay):
        before.append(ws)
        ws *= d
        after.append(ws)
        if ws < 1e-9:
            resets.append(s)
            ws = 1.0
    return np.array(before), np.array(after), resets


@pytest.mark.parametrize("case", ["slow", "resets", "zeros", "optimal"])
def test_weight_scale_schedule_equals_the_step_by_step_product(case):
    """The epoch's schedule (a running product, restarted after each reset) is the loop's, bit for bit."""
    from learnflow.linear_model._sgd_loop import _wscale_schedule

    rng = np.random.RandomState(0)
    n = 2500
    decay = {
        "slow": 1 - rng.rand(n) * 1e-4,
        "resets": 1 - rng.rand(n) * 0.2,
        "zeros": np.where(rng.rand(n) < 0.01, 0.0, 0.9),
        "optimal": 1 - 1.0 / (1000 + np.arange(n)),
    }[case]
    for ws in (1.0, 0.37, 2e-9):
        before, after, settled, resets = _wscale_schedule(np.array([ws]), decay[:, None])
        expected_before, expected_after, expected_resets = _schedule_step_by_step(ws, decay.tolist())
        assert np.array_equal(before[:, 0], expected_before) and np.array_equal(after[:, 0], expected_after)
        assert list(resets) == expected_resets
        assert np.array_equal(settled[:, 0], np.where(np.isin(np.arange(n), expected_resets), 1.0, expected_after))
        assert case != "resets" or len(resets) > 10


@pytest.mark.parametrize("threshold", [1.0, 0.0])
def test_hinge_updater_is_dloss_times_gain(threshold):
    """The hinge step (margins to buffers, nothing written when no margin is violated) against its
    definition dloss(y, p) * gain, and the count of non-zero updates it returns."""
    from learnflow.linear_model._sgd_loop import LOSS_FUNCTIONS

    loss = LOSS_FUNCTIONS["hinge" if threshold else "perceptron"](0.1)
    step = loss.updater(5)
    rng = np.random.RandomState(1)
    for _ in range(200):
        y, p, gain = rng.choice([-1.0, 1.0], 5), rng.randn(5) * rng.choice([0.1, 3.0]), -rng.rand(5)
        out = np.zeros(5)
        changes = step(y, p, gain, -y * gain, out)
        expected = loss.dloss(y, p) * gain
        np.testing.assert_array_equal(out, expected)
        assert changes == np.count_nonzero(expected)
