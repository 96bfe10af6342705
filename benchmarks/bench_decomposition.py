"""Dimensionality reduction: learnflow against scikit-learn (Chapter 8).

``python -m benchmarks.bench_decomposition [--quick] [--manifold]`` (``--manifold``:
only the LLE, Isomap, MDS and t-SNE rows). Data: the MNIST test set
(``../shared/datasets/mnist``; a random subsample, and synthetic MNIST-shaped
data when the files are absent) and the Swiss roll. Scores: the summed explained
variance ratio (PCA family), the pre-image MSE (KernelPCA), the reconstruction
error (LLE, Isomap), the stress (MDS) and the final KL divergence (t-SNE).
"""

import argparse
import warnings
from pathlib import Path

import numpy as np
import sklearn.decomposition as skd
import sklearn.manifold as skm
import torch

import learnflow.decomposition as lfd
import learnflow.manifold as lfm
from benchmarks._harness import compare, report
from learnflow.datasets import fetch_mnist, make_swiss_roll

MNIST_DIR = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "mnist"


def _mnist(n):
    try:
        X = np.asarray(fetch_mnist(data_home=MNIST_DIR, subset="test", download_if_missing=False).data, dtype=float)
        source = "MNIST test set"
    except (OSError, ValueError):
        rng = np.random.RandomState(0)
        X = np.clip(rng.normal(size=(n, 50)) @ rng.normal(size=(50, 784)) * 20 + 60, 0, 255)
        source = "synthetic MNIST-shaped"
    return X[np.random.RandomState(42).permutation(len(X))[:n]], source


def _evr(model):
    return float(np.sum(model.explained_variance_ratio_))


def main(quick=False, manifold_only=False):
    warnings.filterwarnings("ignore", category=FutureWarning)
    n_pca, n_manifold, n_tsne = (1000, 400, 200) if quick else (10000, 1000, 1000)
    n_mds = 100 if quick else 300
    # quick runs still warm both sides up once (the first call pays lazy imports and thread-pool start-up)
    timing = {"repeats": 3, "warmup": 1} if quick else {}
    X, source = _mnist(n_pca)
    roll, _ = make_swiss_roll(n_samples=n_manifold, noise=0.2, random_state=42)
    X_tsne = X[:n_tsne]

    def preimage_mse(model):
        return float(np.mean((roll - model.inverse_transform(model.transform(roll))) ** 2))

    def decomposition_rows():
        return [
            compare(f"PCA full, {n_pca} x 784, 0.95", lambda: lfd.PCA(0.95, svd_solver="full").fit(X),
                    lambda: skd.PCA(0.95, svd_solver="full").fit(X),
                    learnflow_score=_evr, peer_score=_evr, **timing),
            compare(f"PCA randomized, {n_pca} x 784, 154",
                    lambda: lfd.PCA(154, svd_solver="randomized", random_state=0).fit(X),
                    lambda: skd.PCA(154, svd_solver="randomized", random_state=0).fit(X),
                    learnflow_score=_evr, peer_score=_evr, **timing),
            compare(f"IncrementalPCA, {n_pca} x 784, 154", lambda: lfd.IncrementalPCA(154, batch_size=500).fit(X),
                    lambda: skd.IncrementalPCA(154, batch_size=500).fit(X),
                    learnflow_score=_evr, peer_score=_evr, **timing),
            compare(f"KernelPCA rbf + pre-image, roll {n_manifold}",
                    lambda: lfd.KernelPCA(2, kernel="rbf", gamma=0.0433, fit_inverse_transform=True).fit(roll),
                    lambda: skd.KernelPCA(2, kernel="rbf", gamma=0.0433, fit_inverse_transform=True).fit(roll),
                    learnflow_score=preimage_mse, peer_score=preimage_mse, **timing),
        ]

    rows = [] if manifold_only else decomposition_rows()
    rows += [
        compare(f"LLE, roll {n_manifold}, k=10",
                lambda: lfm.LocallyLinearEmbedding(n_neighbors=10, random_state=42).fit(roll),
                lambda: skm.LocallyLinearEmbedding(n_neighbors=10, random_state=42).fit(roll),
                learnflow_score=lambda m: m.reconstruction_error_, peer_score=lambda m: m.reconstruction_error_,
                **timing),
        compare(f"Isomap, roll {n_manifold}, k=10", lambda: lfm.Isomap(n_neighbors=10).fit(roll),
                lambda: skm.Isomap(n_neighbors=10).fit(roll),
                learnflow_score=lambda m: m.reconstruction_error(), peer_score=lambda m: m.reconstruction_error(),
                **timing),
        compare(f"MDS metric, roll {n_mds}, n_init=1", lambda: lfm.MDS(n_init=1, random_state=42).fit(roll[:n_mds]),
                lambda: skm.MDS(n_init=1, random_state=42, init="random", metric="euclidean").fit(roll[:n_mds]),
                learnflow_score=lambda m: m.stress_, peer_score=lambda m: m.stress_, **timing),
        compare(f"TSNE barnes_hut, {source} {n_tsne}", lambda: lfm.TSNE(random_state=42).fit(X_tsne),
                lambda: skm.TSNE(random_state=42).fit(X_tsne),
                learnflow_score=lambda m: m.kl_divergence_, peer_score=lambda m: m.kl_divergence_,
                repeats=1, warmup=0),
    ]
    notes = (f"data: {source} subsample ({n_pca} images) and make_swiss_roll(noise=0.2, random_state=42); "
             f"float64 on the CPU ({torch.get_num_threads()} torch threads); t-SNE's barnes_hut in learnflow "
             "computes both forces exactly in one dense pass up to 2,500 points, and interpolates the repulsion "
             "on a grid with FFTs beyond; "
             "scores: sum EVR / pre-image MSE / reconstruction error / stress / KL divergence")
    title = "manifold learning" if manifold_only else "decomposition and manifold learning"
    report(rows, title, notes=notes)
    return rows


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--manifold", action="store_true", help="only the manifold-learning rows")
    args = parser.parse_args()
    main(quick=args.quick, manifold_only=args.manifold)
