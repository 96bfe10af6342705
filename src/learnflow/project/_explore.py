"""Step 3 of the checklist: explore the training set (tables and figures)."""

# SPDX-License-Identifier: BSD-3-Clause

from ..plot import plot_geography, plot_histograms, plot_scatter_matrix

__all__ = ["explore"]

_SCATTER_MATRIX_SIZE = 4


def _save(figure, path):
    import matplotlib.pyplot as plt

    figure.savefig(path, dpi=80, bbox_inches="tight")
    plt.close(figure)
    return path.name


def explore(train, target, task, out_dir):
    """Summaries and figures of the training set; returns tables and figure file names."""
    summary = train.describe(include="all").T
    missing = train.isna().mean().rename("missing fraction")
    figures = {"histograms": _save(plot_histograms(train), out_dir / "histograms.png")}
    if {"latitude", "longitude"} <= set(train.columns):
        color = target if task == "regression" else None
        figures["geography"] = _save(plot_geography(train, color=color), out_dir / "geography.png")
    correlations = None
    numeric = train.select_dtypes("number")
    if task == "regression" and target in numeric:
        correlations = numeric.corr()[target].drop(target).sort_values(ascending=False)
        top = [target, *correlations.abs().sort_values(ascending=False).index[: _SCATTER_MATRIX_SIZE - 1]]
        figures["scatter_matrix"] = _save(plot_scatter_matrix(numeric, top), out_dir / "scatter_matrix.png")
    return {"summary": summary, "missing": missing, "correlations": correlations, "figures": figures}
