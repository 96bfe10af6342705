"""Confusion-matrix images and decision boundaries plot what the metrics and the classifier give."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import sklearn.metrics as skm  # noqa: E402

from learnflow.metrics import confusion_matrix  # noqa: E402
from learnflow.neighbors import KNeighborsClassifier  # noqa: E402
from learnflow.plot import plot_confusion_matrix, plot_decision_boundary  # noqa: E402
from learnflow.plot._classification import _decision_grid  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_confusion_matrix_image_and_error_rates():
    rng = np.random.RandomState(6)
    y_true, y_pred = rng.randint(0, 4, 300), rng.randint(0, 4, 300)
    conf_mx = confusion_matrix(y_true, y_pred)
    image = plot_confusion_matrix(conf_mx).images[0].get_array()
    np.testing.assert_array_equal(image, skm.confusion_matrix(y_true, y_pred))
    errors = plot_confusion_matrix(conf_mx, normalize=True).images[0].get_array()
    expected = skm.confusion_matrix(y_true, y_pred, normalize="true")  # the book's row_sums division
    np.fill_diagonal(expected, 0)
    np.testing.assert_allclose(errors, expected, rtol=1e-12)
    kept = plot_confusion_matrix(conf_mx, normalize=True, zero_diagonal=False).images[0].get_array()
    np.testing.assert_allclose(np.diag(kept), np.diag(skm.confusion_matrix(y_true, y_pred, normalize="true")))


def test_decision_boundary_regions_are_the_predictions():
    rng = np.random.RandomState(7)
    X = rng.normal(size=(80, 2))
    y = (X[:, 0] * X[:, 1] > 0).astype(int)
    knn = KNeighborsClassifier(n_neighbors=3).fit(X, y)
    bounds = [-3, 3, -3, 3]
    x0, x1, grid = _decision_grid(knn, bounds, resolution=50)
    np.testing.assert_array_equal(grid.ravel(), knn.predict(np.c_[x0.ravel(), x1.ravel()]))
    ax = plot_decision_boundary(knn, X, y, bounds=bounds, resolution=50)
    assert ax.axis() == tuple(bounds)
    assert len(ax.collections) == 1  # the filled regions
    for label, line in zip([0, 1], ax.get_lines()):
        np.testing.assert_array_equal(line.get_xdata(), X[y == label, 0])


def test_decision_boundary_needs_two_features():
    knn = KNeighborsClassifier(n_neighbors=1).fit([[0, 0, 0], [1, 1, 1]], [0, 1])
    with pytest.raises(ValueError, match="2 features"):
        plot_decision_boundary(knn, [[0, 0, 0], [1, 1, 1]])
