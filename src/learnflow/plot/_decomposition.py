"""Chapter 8's figures: explained variance, compressed digits and 2-D embeddings."""

# SPDX-License-Identifier: BSD-3-Clause

import numpy as np

from .._engine import to_numpy

__all__ = ["plot_digits", "plot_embedding", "plot_explained_variance"]


def _axes(ax):
    import matplotlib.pyplot as plt

    return plt.gca() if ax is None else ax


def _elbow(cumsum):
    """Index of the elbow: the point farthest from the chord between the curve's ends."""
    n = len(cumsum)
    if n < 3:
        return n - 1
    x = np.arange(n, dtype=float)
    start, end = np.array([0.0, cumsum[0]]), np.array([n - 1.0, cumsum[-1]])
    direction = (end - start) / np.linalg.norm(end - start)
    points = np.column_stack([x, cumsum]) - start
    distance = np.abs(points[:, 0] * direction[1] - points[:, 1] * direction[0])
    return int(np.argmax(distance))


def plot_explained_variance(explained_variance_ratio, *, threshold=0.95, elbow=None, ax=None):
    """Cumulative explained variance against the number of dimensions (Figure 8-8).

    Parameters
    ----------
    explained_variance_ratio : array-like of shape (n_components,)
        A fitted PCA's ``explained_variance_ratio_`` (fit with all components).
    threshold : float, default=0.95
        The variance target marked on the curve (the book's 95%).
    elbow : int, default=None
        Number of dimensions at the elbow; estimated (farthest point from the chord) when None.
    ax : matplotlib Axes, default=None

    Returns
    -------
    ax : matplotlib Axes
    d : int
        Dimensions needed to reach ``threshold``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from learnflow.plot import plot_explained_variance
    >>> ax, d = plot_explained_variance([0.5, 0.3, 0.15, 0.05])
    >>> d
    3
    """
    ax = _axes(ax)
    cumsum = np.cumsum(to_numpy(explained_variance_ratio))
    d = int(np.argmax(cumsum >= threshold) + 1) if (cumsum >= threshold).any() else len(cumsum)
    dims = np.arange(1, len(cumsum) + 1)
    ax.plot(dims, cumsum, linewidth=3)
    ax.plot([d, d], [0, threshold], "k:")
    ax.plot([0, d], [threshold, threshold], "k:")
    ax.plot(d, threshold, "ko")
    knee = _elbow(cumsum) + 1 if elbow is None else int(elbow)
    ax.annotate("Elbow", xy=(knee, cumsum[knee - 1]), xytext=(knee + len(cumsum) * 0.1, cumsum[knee - 1] * 0.7),
                arrowprops=dict(arrowstyle="->"), fontsize=14)
    ax.set_xlim(0, len(cumsum))
    ax.set_ylim(0, 1)
    ax.set_xlabel("Dimensions")
    ax.set_ylabel("Explained Variance")
    ax.grid(True)
    return ax, d


def plot_digits(images, *, images_per_row=10, image_shape=None, title=None, ax=None, cmap="binary"):
    """A grid of digit images, e.g. originals beside their PCA reconstructions (Figure 8-9).

    Parameters
    ----------
    images : array-like of shape (n_images, n_pixels)
        Flattened square images (MNIST 28x28, digits 8x8).
    images_per_row : int, default=10
    image_shape : tuple of int, default=None
        (height, width); square when None.
    title : str, default=None
    ax : matplotlib Axes, default=None
    cmap : str, default="binary"

    Returns
    -------
    ax : matplotlib Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from learnflow.plot import plot_digits
    >>> plot_digits(np.zeros((3, 64))).get_images()[0].get_array().shape
    (8, 24)
    """
    ax = _axes(ax)
    images = to_numpy(images)
    n = len(images)
    if image_shape is None:
        side = int(round(np.sqrt(images.shape[1])))
        image_shape = (side, side)
    per_row = min(images_per_row, n)
    rows = (n - 1) // per_row + 1
    padded = np.concatenate([images, np.zeros((rows * per_row - n, images.shape[1]))])
    grid = padded.reshape(rows, per_row, *image_shape).transpose(0, 2, 1, 3)
    ax.imshow(grid.reshape(rows * image_shape[0], per_row * image_shape[1]), cmap=cmap, interpolation="nearest")
    ax.axis("off")
    if title:
        ax.set_title(title)
    return ax


def plot_embedding(X_embedded, labels=None, *, title=None, ax=None, cmap="jet", annotate=False, min_distance=0.05):
    """A 2-D embedding coloured by label (Figures 8-10, 8-12, 8-13 and exercise 10).

    Parameters
    ----------
    X_embedded : array-like of shape (n_samples, 2)
    labels : array-like of shape (n_samples,), default=None
        Class labels or a continuous value (the Swiss roll's t) for the colours.
    title : str, default=None
    ax : matplotlib Axes, default=None
    cmap : str, default="jet"
    annotate : bool, default=False
        Write the label of points at least ``min_distance`` (in scaled units) apart, as exercise 10 does.
    min_distance : float, default=0.05

    Returns
    -------
    ax : matplotlib Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from learnflow.plot import plot_embedding
    >>> len(plot_embedding(np.random.rand(10, 2), np.arange(10)).collections)
    1
    """
    ax = _axes(ax)
    Z = to_numpy(X_embedded)[:, :2]
    colours = None if labels is None else to_numpy(labels)
    ax.scatter(Z[:, 0], Z[:, 1], c=colours, cmap=cmap if colours is not None else None, s=8)
    if annotate and colours is not None:
        scaled = (Z - Z.min(axis=0)) / np.maximum(Z.max(axis=0) - Z.min(axis=0), 1e-12)
        shown = np.empty((0, 2))
        for point, position, label in zip(scaled, Z, colours):
            if len(shown) == 0 or np.min(np.linalg.norm(shown - point, axis=1)) > min_distance:
                ax.text(position[0], position[1], str(label), fontdict={"weight": "bold", "size": 9})
                shown = np.vstack([shown, point])
    ax.set_xlabel("$z_1$")
    ax.set_ylabel("$z_2$")
    if title:
        ax.set_title(title)
    ax.grid(True)
    return ax
