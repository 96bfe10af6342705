"""Figures of a dataset's exploration (the book's Chapter 2, Figures 2-8 to 2-15)."""

# SPDX-License-Identifier: BSD-3-Clause

__all__ = ["plot_geography", "plot_histograms", "plot_scatter_matrix"]


def plot_histograms(frame, *, bins=50, figsize=(16, 10)):
    """One histogram per numeric column (Figure 2-8); returns the Figure."""
    axes = frame.hist(bins=bins, figsize=figsize)
    return axes.flat[0].figure


def plot_geography(frame, *, color=None, size=None, figsize=(8, 6)):
    """Districts by longitude and latitude, coloured by ``color`` (Figure 2-13); returns the Figure."""
    import matplotlib.pyplot as plt

    figure, ax = plt.subplots(figsize=figsize)
    values = None if color is None else frame[color]
    sizes = 3 if size is None else frame[size] / frame[size].max() * 50
    points = ax.scatter(frame["longitude"], frame["latitude"], c=values, s=sizes, alpha=0.4, cmap="jet")
    if values is not None:
        figure.colorbar(points, ax=ax, label=color)
    ax.set_xlabel("longitude")
    ax.set_ylabel("latitude")
    return figure


def plot_scatter_matrix(frame, columns, *, figsize=(12, 8)):
    """Pairwise scatter plots of ``columns`` (Figure 2-15); returns the Figure."""
    from pandas.plotting import scatter_matrix

    axes = scatter_matrix(frame[list(columns)], figsize=figsize, alpha=0.2)
    return axes.flat[0].figure
