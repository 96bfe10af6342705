"""The curve figures plot exactly what the metrics (and the book's learning-curve loop) compute."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import sklearn.metrics as skm  # noqa: E402
from sklearn.linear_model import LinearRegression as SkLinearRegression  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402

from learnflow.metrics import precision_recall_curve, roc_curve  # noqa: E402
from learnflow.plot import (  # noqa: E402
    plot_learning_curves,
    plot_precision_recall_vs_threshold,
    plot_precision_vs_recall,
    plot_roc_curve,
)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture
def scores():
    rng = np.random.RandomState(5)
    y = rng.randint(0, 2, 200)
    return y, y + rng.normal(scale=0.8, size=200)


def test_precision_recall_figures(scores):
    y, s = scores
    precisions, recalls, thresholds = precision_recall_curve(y, s)
    sk_p, sk_r, sk_t = skm.precision_recall_curve(y, s)
    ax = plot_precision_recall_vs_threshold(precisions, recalls, thresholds)
    precision_line, recall_line = ax.get_lines()
    np.testing.assert_array_equal(precision_line.get_xdata(), sk_t)
    np.testing.assert_allclose(precision_line.get_ydata(), sk_p[:-1], rtol=1e-12)
    np.testing.assert_allclose(recall_line.get_ydata(), sk_r[:-1], rtol=1e-12)
    assert (precision_line.get_linestyle(), recall_line.get_linestyle()) == ("--", "-")
    assert ax.get_ylim() == (0, 1) and ax.get_xlabel() == "Threshold"
    (line,) = plot_precision_vs_recall(precisions, recalls).get_lines()
    np.testing.assert_allclose(line.get_xdata(), sk_r, rtol=1e-12)
    np.testing.assert_allclose(line.get_ydata(), sk_p, rtol=1e-12)


def test_roc_figure_compares_two_curves(scores):
    y, s = scores
    ax = plot_roc_curve(*roc_curve(y, s)[:2], "SGD", style="b:")
    ax = plot_roc_curve(*roc_curve(y, -s)[:2], "Random Forest", ax=ax)
    lines = ax.get_lines()
    assert len(lines) == 3  # two curves, one diagonal
    sk_fpr, sk_tpr, _ = skm.roc_curve(y, s)
    np.testing.assert_allclose(lines[0].get_xdata(), sk_fpr, rtol=1e-12)
    np.testing.assert_allclose(lines[0].get_ydata(), sk_tpr, rtol=1e-12)
    np.testing.assert_array_equal(lines[1].get_xydata(), [[0, 0], [1, 1]])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["SGD", "Random Forest"]


def test_learning_curves_book_loop():
    """The estimator form runs the book's loop: RMSE on the first m points and on the validation set."""
    rng = np.random.RandomState(42)
    X = 6 * rng.rand(60, 1) - 3
    y = 0.5 * X[:, 0] ** 2 + X[:, 0] + 2 + rng.randn(60)
    ax = plot_learning_curves(SkLinearRegression(), X, y, random_state=10)
    train_line, val_line = ax.get_lines()
    X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.2, random_state=10)
    for m in (1, 10, 47):
        model = SkLinearRegression().fit(X_train[:m], y_train[:m])
        expected_train = np.sqrt(skm.mean_squared_error(y_train[:m], model.predict(X_train[:m])))
        expected_val = np.sqrt(skm.mean_squared_error(y_val, model.predict(X_val)))
        assert train_line.get_xdata()[m - 1] == m
        assert train_line.get_ydata()[m - 1] == pytest.approx(expected_train, rel=1e-9, abs=1e-9)
        assert val_line.get_ydata()[m - 1] == pytest.approx(expected_val, rel=1e-9)


def test_learning_curves_from_learning_curve_results():
    sizes = np.array([10, 20])
    train_scores = -np.array([[4.0, 4.0], [9.0, 1.0]])
    valid_scores = -np.array([[16.0, 16.0], [25.0, 25.0]])
    ax = plot_learning_curves((sizes, train_scores, valid_scores))
    train_line, val_line = ax.get_lines()
    np.testing.assert_allclose(train_line.get_ydata(), np.sqrt([4.0, 5.0]))
    np.testing.assert_allclose(val_line.get_ydata(), [4.0, 5.0])
    assert ax.get_ylabel() == "RMSE"
