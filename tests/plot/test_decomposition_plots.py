"""Chapter 8's figures render (Agg) with the right marks."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from sklearn.decomposition import PCA as SkPCA  # noqa: E402

from learnflow.datasets import load_digits  # noqa: E402
from learnflow.decomposition import PCA  # noqa: E402
from learnflow.plot import plot_digits, plot_embedding, plot_explained_variance  # noqa: E402


def test_explained_variance_marks_the_95_percent_point():
    X = load_digits(return_X_y=True)[0]
    fig, ax = plt.subplots()
    ax, d = plot_explained_variance(PCA().fit(X).explained_variance_ratio_, ax=ax)
    assert d == SkPCA(n_components=0.95).fit(X).n_components_
    assert any(t.get_text() == "Elbow" for t in ax.texts)
    plt.close(fig)


def test_digits_before_and_after_compression():
    X = load_digits(return_X_y=True)[0][:20]
    pca = PCA(n_components=0.95).fit(load_digits(return_X_y=True)[0])
    fig, (left, right) = plt.subplots(1, 2)
    plot_digits(X, ax=left, title="Original")
    plot_digits(pca.inverse_transform(pca.transform(X)), ax=right, title="Compressed")
    assert left.get_images()[0].get_array().shape == (16, 80)
    plt.close(fig)


def test_embedding_coloured_and_annotated():
    rng = np.random.RandomState(0)
    fig, ax = plt.subplots()
    plot_embedding(rng.rand(50, 2), rng.randint(10, size=50), annotate=True, ax=ax, title="t-SNE")
    assert ax.get_title() == "t-SNE" and 0 < len(ax.texts) <= 50
    plt.close(fig)
