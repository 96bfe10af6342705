"""Chapter 8: dimensionality reduction, reproduced with learnflow.

Run ``python examples/ch08_dimensionality_reduction.py [--data-home DIR] [--quick] [--figures DIR]``.

Data: the book's 3-D toy set and Swiss roll are generated; MNIST is the offline
**test set** (10,000 images) read by ``learnflow.datasets.fetch_mnist(data_home=...)``
(default ``../shared/datasets/mnist`` beside the checkout). The book used the
60,000-image training set, so the component counts and timings below differ
from its numbers (154 components for 95% variance on 52,500 training images).
"""

import argparse
import time
from pathlib import Path

import numpy as np

from learnflow.datasets import fetch_mnist, make_swiss_roll
from learnflow.decomposition import PCA, IncrementalPCA, KernelPCA
from learnflow.discriminant_analysis import LinearDiscriminantAnalysis
from learnflow.manifold import MDS, TSNE, Isomap, LocallyLinearEmbedding
from learnflow.model_selection import cross_val_score
from learnflow.neighbors import KNeighborsClassifier

DEFAULT_MNIST = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "mnist"


def book_3d_dataset(m=60, w1=0.1, w2=0.3, noise=0.1):
    """The 3-D dataset near a plane of Figures 8-2 and 8-3 (seed 4)."""
    np.random.seed(4)
    angles = np.random.rand(m) * 3 * np.pi / 2 - 0.5
    X = np.empty((m, 3))
    X[:, 0] = np.cos(angles) + np.sin(angles) / 2 + noise * np.random.randn(m) / 2
    X[:, 1] = np.sin(angles) * 0.7 + noise * np.random.randn(m) / 2
    X[:, 2] = X[:, 0] * w1 + X[:, 1] * w2 + noise * np.random.randn(m)
    return X


def pca_section():
    X = book_3d_dataset()
    pca = PCA(n_components=2)
    X2D = pca.fit_transform(X)
    X3D_inv = pca.inverse_transform(X2D)
    print("explained_variance_ratio_:", pca.explained_variance_ratio_, "(book: [0.84248607 0.14631839])")
    print("reconstruction error:", np.mean(np.sum((X - X3D_inv) ** 2, axis=1)), "(notebook: 0.010170337792848549)")
    print("singular values:", PCA().fit(X).singular_values_, "(notebook: 6.77645005 2.82403671 0.78116597)")


def mnist_section(X, y, figures):
    pca = PCA().fit(X)
    cumsum = np.cumsum(pca.explained_variance_ratio_)
    d = int(np.argmax(cumsum >= 0.95) + 1)
    print(f"MNIST test set: d for 95% variance = {d} (book, 52.5k training images: 154)")
    pca = PCA(n_components=0.95).fit(X)
    X_reduced = pca.transform(X)
    X_recovered = pca.inverse_transform(X_reduced)
    print(f"n_components_ = {pca.n_components_}, sum EVR = {pca.explained_variance_ratio_.sum():.5f}")
    for name, model in [("randomized", PCA(n_components=d, svd_solver="randomized", random_state=42)),
                        ("incremental", IncrementalPCA(n_components=d, batch_size=len(X) // 100 * 5))]:
        start = time.perf_counter()
        model.fit(X)
        print(f"{name} PCA: sum EVR = {model.explained_variance_ratio_.sum():.5f} "
              f"({time.perf_counter() - start:.2f} s)")
    if figures:
        import matplotlib.pyplot as plt

        from learnflow.plot import plot_digits, plot_explained_variance

        fig, ax = plt.subplots(figsize=(6, 4))
        plot_explained_variance(PCA().fit(X).explained_variance_ratio_, ax=ax)
        fig.savefig(figures / "explained_variance_plot.png")
        fig, (left, right) = plt.subplots(1, 2, figsize=(7, 4))
        plot_digits(X[::2100], ax=left, images_per_row=5, title="Original")
        plot_digits(X_recovered[::2100], ax=right, images_per_row=5, title="Compressed")
        fig.savefig(figures / "mnist_compression_plot.png")
        plt.close("all")


def kernel_pca_section(figures):
    from sklearn.linear_model import LogisticRegression  # the chapter's classifier (Chapter 4 is a separate issue)
    from sklearn.model_selection import GridSearchCV
    from sklearn.pipeline import Pipeline

    X, t = make_swiss_roll(n_samples=1000, noise=0.2, random_state=42)
    y = t > 6.9
    clf = Pipeline([("kpca", KernelPCA(n_components=2)), ("log_reg", LogisticRegression())])
    grid = GridSearchCV(clf, [{"kpca__gamma": np.linspace(0.03, 0.05, 10), "kpca__kernel": ["rbf", "sigmoid"]}], cv=3)
    grid.fit(X, y)
    print("kPCA grid search best_params_:", grid.best_params_, "(book: gamma 0.043333333333333335, rbf)")
    rbf_pca = KernelPCA(n_components=2, kernel="rbf", gamma=0.0433, fit_inverse_transform=True)
    X_preimage = rbf_pca.inverse_transform(rbf_pca.fit_transform(X))
    print("pre-image MSE:", np.mean((X - X_preimage) ** 2), "(book: 32.786308795766132)")
    if figures:
        import matplotlib.pyplot as plt

        from learnflow.plot import plot_embedding

        fig, axes = plt.subplots(1, 3, figsize=(11, 4))
        for ax, (title, kpca) in zip(axes, [
            ("Linear kernel", KernelPCA(n_components=2, kernel="linear")),
            ("RBF kernel, $\\gamma=0.04$", KernelPCA(n_components=2, kernel="rbf", gamma=0.04)),
            ("Sigmoid kernel", KernelPCA(n_components=2, kernel="sigmoid", gamma=1e-3, coef0=1)),
        ]):
            plot_embedding(kpca.fit_transform(X), t, ax=ax, title=title)
        fig.savefig(figures / "kernel_pca_plot.png")
        X41, t41 = make_swiss_roll(n_samples=1000, noise=0.2, random_state=41)
        fig, ax = plt.subplots()
        plot_embedding(LocallyLinearEmbedding(n_components=2, n_neighbors=10, random_state=42).fit_transform(X41),
                       t41, ax=ax, title="Unrolled swiss roll using LLE")
        fig.savefig(figures / "lle_unrolling_plot.png")
        fig, axes = plt.subplots(1, 3, figsize=(11, 4))
        for ax, (title, model) in zip(axes, [("MDS", MDS(n_components=2, random_state=42)),
                                             ("Isomap", Isomap(n_components=2)),
                                             ("t-SNE", TSNE(n_components=2, random_state=42))]):
            plot_embedding(model.fit_transform(X41), t41, ax=ax, title=title)
        fig.savefig(figures / "other_dim_reduction_plot.png")
        plt.close("all")


def exercise_9(X, y):
    """Ex 9 on the test set split 8,000 / 2,000 (the book: 60k / 10k): a forest before and after PCA(0.95)."""
    from sklearn.ensemble import RandomForestClassifier  # Chapter 7's forest is another issue's deliverable

    X_train, X_test, y_train, y_test = X[:8000], X[8000:], y[:8000], y[8000:]
    for name, transform in [("raw", None), ("PCA 95%", PCA(n_components=0.95))]:
        start = time.perf_counter()
        if transform is not None:
            X_tr, X_te = transform.fit_transform(X_train), transform.transform(X_test)
        else:
            X_tr, X_te = X_train, X_test
        forest = RandomForestClassifier(n_estimators=100, random_state=42).fit(X_tr, y_train)
        print(f"Ex 9 random forest on {name}: {time.perf_counter() - start:.1f} s, "
              f"test accuracy {forest.score(X_te, y_test):.4f}")


def exercise_10(X, y, n, figures):
    rng = np.random.RandomState(42)
    idx = rng.permutation(len(X))[:n]
    X, y = X[idx], y[idx]
    models = [("PCA", PCA(n_components=2, random_state=42)),
              ("LLE", LocallyLinearEmbedding(n_components=2, random_state=42)),
              ("LDA", LinearDiscriminantAnalysis(n_components=2)),
              ("t-SNE", TSNE(n_components=2, random_state=42))]
    embeddings = {}
    for name, model in models:
        start = time.perf_counter()
        Z = model.fit_transform(X, y) if name == "LDA" else model.fit_transform(X)
        embeddings[name] = Z
        seconds = time.perf_counter() - start
        # how well the 2-D embedding separates the digits: a 5-NN classifier, 3-fold cross-validated
        accuracy = cross_val_score(KNeighborsClassifier(), np.asarray(Z), y, cv=3).mean()
        note = " (supervised: LDA's projection saw the labels)" if name == "LDA" else ""
        print(f"Ex 10 {name}: {seconds:.1f} s, kNN accuracy on the 2-D embedding {accuracy:.4f}{note}")
    if figures:
        import matplotlib.pyplot as plt

        from learnflow.plot import plot_embedding

        fig, axes = plt.subplots(2, 2, figsize=(10, 10))
        for ax, (name, Z) in zip(axes.ravel(), embeddings.items()):
            plot_embedding(Z, y, ax=ax, title=name, annotate=True)
        fig.savefig(figures / "mnist_embeddings_plot.png")
        plt.close("all")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-home", default=str(DEFAULT_MNIST))
    parser.add_argument("--quick", action="store_true", help="fewer images in exercise 10")
    parser.add_argument("--figures", default=None, help="folder for the figures (none drawn when omitted)")
    args = parser.parse_args()
    figures = Path(args.figures) if args.figures else None
    if figures:
        import matplotlib

        matplotlib.use("Agg")
        figures.mkdir(parents=True, exist_ok=True)
    pca_section()
    kernel_pca_section(figures)
    mnist = fetch_mnist(data_home=args.data_home, subset="test")
    X, y = np.asarray(mnist.data, dtype=np.float64), np.asarray(mnist.target).astype(int)
    mnist_section(X, y, figures)
    exercise_9(X, y)
    exercise_10(X, y, 1000 if args.quick else 10000, figures)


if __name__ == "__main__":
    main()
