"""Classification figures: confusion-matrix images (Figures 3-8, 3-9) and 2-D decision boundaries."""

# SPDX-License-Identifier: BSD-3-Clause

import numpy as np

from .._engine import to_numpy

__all__ = ["plot_confusion_matrix", "plot_decision_boundary"]


def _axes(ax):
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    return plt.subplots()[1]


def _error_rates(conf_mx, zero_diagonal):
    # errors[i, j] = conf_mx[i, j] / sum_j conf_mx[i, j]  (the share of class i predicted as j)
    row_sums = conf_mx.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        rates = np.nan_to_num(conf_mx / row_sums)
    if zero_diagonal:
        np.fill_diagonal(rates, 0)
    return rates


def plot_confusion_matrix(conf_mx, *, normalize=False, zero_diagonal=None, cmap="gray", colorbar=False, ax=None):
    """A confusion matrix as an image, ``matshow`` style (brighter = more).

    Parameters
    ----------
    conf_mx : array-like of shape (n_classes, n_classes)
        From :func:`learnflow.metrics.confusion_matrix`.
    normalize : bool, default=False
        Divide each row by its sum (error rates per actual class).
    zero_diagonal : bool, default=None
        Zero the diagonal so only the errors show; defaults to ``normalize``
        (the book's error-analysis figure).
    cmap : str, default="gray"
    colorbar : bool, default=False
    ax : matplotlib Axes, default=None

    Returns
    -------
    ax : matplotlib Axes
        ``ax.images[0].get_array()`` is the plotted matrix.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from learnflow.plot import plot_confusion_matrix
    >>> ax = plot_confusion_matrix([[8, 2], [1, 9]], normalize=True)
    >>> ax.images[0].get_array().tolist()
    [[0.0, 0.2], [0.1, 0.0]]
    """
    ax = _axes(ax)
    matrix = np.asarray(to_numpy(conf_mx), dtype=np.float64)
    zero_diagonal = normalize if zero_diagonal is None else zero_diagonal
    if normalize:
        matrix = _error_rates(matrix, zero_diagonal)
    elif zero_diagonal:
        matrix = matrix.copy()
        np.fill_diagonal(matrix, 0)
    image = ax.matshow(matrix, cmap=cmap)
    if colorbar:
        ax.figure.colorbar(image, ax=ax)
    ax.set_xlabel("Predicted class")
    ax.set_ylabel("Actual class")
    return ax


def _decision_grid(estimator, bounds, resolution=200):
    """The grid (x0, x1) over ``bounds`` = [xmin, xmax, ymin, ymax] and the estimator's predictions on it."""
    x0, x1 = np.meshgrid(np.linspace(bounds[0], bounds[1], resolution), np.linspace(bounds[2], bounds[3], resolution))
    X_grid = np.c_[x0.ravel(), x1.ravel()]
    return x0, x1, np.asarray(to_numpy(estimator.predict(X_grid))).reshape(x0.shape)


def plot_decision_boundary(estimator, X, y=None, *, bounds=None, resolution=200, alpha=0.3, cmap="Pastel1",
                           markers=("yo", "bs", "g^", "r*", "kd"), ax=None):
    """Filled regions of a fitted 2-D classifier's predictions, with the samples on top.

    Parameters
    ----------
    estimator : fitted classifier on two features
    X : array-like of shape (n_samples, 2)
    y : array-like of shape (n_samples,), default=None
        Plot each class with its own marker.
    bounds : [xmin, xmax, ymin, ymax], default=None
        The data's range with a 5 % margin when None.
    resolution : int, default=200
        Grid points per axis.
    alpha : float, default=0.3
    cmap : str, default="Pastel1"
    markers : sequence of str
        Matplotlib styles of the classes, in order of ``np.unique(y)``.
    ax : matplotlib Axes, default=None

    Returns
    -------
    ax : matplotlib Axes
    """
    ax = _axes(ax)
    X = np.asarray(to_numpy(X), dtype=np.float64)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"plot_decision_boundary needs X with 2 features; got shape {X.shape}.")
    if bounds is None:
        low, high = X.min(axis=0), X.max(axis=0)
        margin = 0.05 * np.where(high > low, high - low, 1.0)
        bounds = [low[0] - margin[0], high[0] + margin[0], low[1] - margin[1], high[1] + margin[1]]
    x0, x1, predictions = _decision_grid(estimator, bounds, resolution)
    codes = np.unique(predictions, return_inverse=True)[1].reshape(predictions.shape)
    ax.contourf(x0, x1, codes, alpha=alpha, cmap=cmap)
    if y is not None:
        y = np.asarray(to_numpy(y))
        for k, label in enumerate(np.unique(y)):
            ax.plot(X[y == label, 0], X[y == label, 1], markers[k % len(markers)], label=str(label))
    ax.axis(bounds)
    return ax
