"""Curves of the book's Chapters 3 and 4: precision/recall, ROC, learning curves.

Each helper draws on ``ax`` (a new Figure's Axes when None) with the book's
styles and returns the Axes, so that figures can be composed and tested.
"""

# SPDX-License-Identifier: BSD-3-Clause

import numpy as np

from .._engine import to_numpy

__all__ = ["plot_learning_curves", "plot_precision_recall_vs_threshold", "plot_precision_vs_recall", "plot_roc_curve"]


def _axes(ax):
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    return plt.subplots()[1]


def plot_precision_recall_vs_threshold(precisions, recalls, thresholds, *, ax=None):
    """Precision ("b--") and recall ("g-") against the decision threshold (Figure 3-4).

    Parameters
    ----------
    precisions, recalls, thresholds : array-like
        The outputs of :func:`learnflow.metrics.precision_recall_curve`
        (precision and recall have one more element, which is dropped).
    ax : matplotlib Axes, default=None

    Returns
    -------
    ax : matplotlib Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from learnflow.metrics import precision_recall_curve
    >>> from learnflow.plot import plot_precision_recall_vs_threshold
    >>> ax = plot_precision_recall_vs_threshold(*precision_recall_curve([0, 1, 1], [0.2, 0.6, 0.9]))
    >>> [line.get_label() for line in ax.get_lines()]
    ['Precision', 'Recall']
    """
    ax = _axes(ax)
    thresholds = to_numpy(thresholds)
    ax.plot(thresholds, to_numpy(precisions)[:-1], "b--", label="Precision", linewidth=2)
    ax.plot(thresholds, to_numpy(recalls)[:-1], "g-", label="Recall", linewidth=2)
    ax.set_xlabel("Threshold")
    ax.legend(loc="upper left")
    ax.set_ylim([0, 1])
    return ax


def plot_precision_vs_recall(precisions, recalls, *, ax=None):
    """Precision against recall (Figure 3-5); returns the Axes."""
    ax = _axes(ax)
    ax.plot(to_numpy(recalls), to_numpy(precisions), "b-", linewidth=2)
    ax.set_xlabel("Recall")
    ax.set_ylabel("Precision")
    ax.axis([0, 1, 0, 1])
    return ax


def plot_roc_curve(fpr, tpr, label=None, *, style="b-", ax=None):
    """The ROC curve with the random classifier's diagonal ("k--") (Figures 3-6 and 3-7).

    Parameters
    ----------
    fpr, tpr : array-like
        The outputs of :func:`learnflow.metrics.roc_curve`.
    label : str, default=None
        Legend label (the legend is drawn when given).
    style : str, default="b-"
        Line style ("b:" for the book's SGD curve in Figure 3-7).
    ax : matplotlib Axes, default=None

    Returns
    -------
    ax : matplotlib Axes
    """
    ax = _axes(ax)
    ax.plot(to_numpy(fpr), to_numpy(tpr), style, linewidth=2, label=label)
    if not any(line.get_linestyle() == "--" and line.get_color() == "k" for line in ax.get_lines()):
        ax.plot([0, 1], [0, 1], "k--")
    ax.axis([0, 1, 0, 1])
    ax.set_xlabel("False Positive Rate")
    ax.set_ylabel("True Positive Rate")
    if label is not None:
        ax.legend(loc="lower right")
    return ax


def _scores_to_errors(scores, scoring):
    """Per-size mean error from cross-validated scores (RMSE for the MSE scorers)."""
    mean = np.mean(to_numpy(scores), axis=1)
    if scoring == "neg_mean_squared_error":
        return np.sqrt(-mean), "RMSE"
    if scoring == "neg_root_mean_squared_error":
        return -mean, "RMSE"
    return mean, str(scoring)


def _learning_curve_by_size(estimator, X, y, val_size, random_state):
    # the book's loop: fit on the first m training points, m = 1 .. n_train - 1;
    # RMSE on those m points and on the validation set
    from ..base import clone
    from ..metrics import mean_squared_error
    from ..model_selection import train_test_split

    X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=val_size, random_state=random_state)
    sizes, train_errors, val_errors = [], [], []
    for m in range(1, len(X_train)):
        model = clone(estimator).fit(X_train[:m], y_train[:m])
        sizes.append(m)
        train_errors.append(mean_squared_error(y_train[:m], model.predict(X_train[:m])))
        val_errors.append(mean_squared_error(y_val, model.predict(X_val)))
    return np.array(sizes), np.sqrt(train_errors), np.sqrt(val_errors)


def plot_learning_curves(estimator, X=None, y=None, *, scoring="neg_mean_squared_error", val_size=0.2,
                         random_state=None, ax=None):
    """Training and validation error against the training-set size (Figures 4-15 and 4-16).

    Parameters
    ----------
    estimator : estimator, or tuple (train_sizes, train_scores, valid_scores)
        An estimator runs the book's loop: a ``val_size`` validation split,
        then fits on the first m training points for every m, plotting the
        RMSE on those points ("r-+") and on the validation set ("b-"). A
        tuple is the output of :func:`learnflow.model_selection.learning_curve`,
        whose scores ``scoring`` names (the MSE scorers are drawn as RMSE).
    X, y : array-like, default=None
        The data, when ``estimator`` is an estimator.
    scoring : str, default="neg_mean_squared_error"
        How to read learning_curve scores.
    val_size : float, default=0.2
    random_state : int, RandomState or None, default=None
        The validation split's seed.
    ax : matplotlib Axes, default=None

    Returns
    -------
    ax : matplotlib Axes
        Its two lines hold (sizes, training error) and (sizes, validation error).
    """
    ax = _axes(ax)
    if isinstance(estimator, tuple):
        sizes, train_scores, valid_scores = estimator
        train_errors, ylabel = _scores_to_errors(train_scores, scoring)
        val_errors, _ = _scores_to_errors(valid_scores, scoring)
        sizes = to_numpy(sizes)
    else:
        sizes, train_errors, val_errors = _learning_curve_by_size(estimator, X, y, val_size, random_state)
        ylabel = "RMSE"
    ax.plot(sizes, train_errors, "r-+", linewidth=2, label="train")
    ax.plot(sizes, val_errors, "b-", linewidth=3, label="val")
    ax.legend(loc="upper right")
    ax.set_xlabel("Training set size")
    ax.set_ylabel(ylabel)
    return ax
