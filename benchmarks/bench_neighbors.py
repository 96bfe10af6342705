"""Nearest neighbors: learnflow.neighbors against sklearn.neighbors on the MNIST test-set split.

``python -m benchmarks.bench_neighbors [--quick]``. The data is the MNIST test
set (the offline copy in ../shared/datasets/mnist, or LEARNFLOW_DATA) split
8,000 / 2,000 stratified with random_state=42, as the Chapter 3 example and
tests use it; ``--quick`` predicts 500 test digits from 4,000 training digits.
The score is the test accuracy; timings cover fit + predict.
"""

import argparse
import os
from pathlib import Path

import numpy as np
import sklearn.neighbors as skn
from sklearn.model_selection import train_test_split

from benchmarks._harness import compare, report
from learnflow.datasets import fetch_mnist
from learnflow.neighbors import KNeighborsClassifier, NearestNeighbors

_SHARED_MNIST = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "mnist"


def load_split():
    """The MNIST test set split 8,000 / 2,000 (stratified, random_state=42), float64 pixels."""
    data_home = os.environ.get("LEARNFLOW_DATA") or _SHARED_MNIST
    X, y = fetch_mnist(data_home=data_home, subset="test", download_if_missing=False, return_X_y=True)
    return train_test_split(X.astype(np.float64), y, test_size=2000, stratify=y, random_state=42)


def main(quick=False):
    X_train, X_test, y_train, y_test = load_split()
    if quick:
        X_train, y_train, X_test, y_test = X_train[:4000], y_train[:4000], X_test[:500], y_test[:500]
    n_train, n_test = len(X_train), len(X_test)
    repeats = 7 if quick else 3

    def ours():
        return KNeighborsClassifier(n_neighbors=4, weights="distance").fit(X_train, y_train).predict(X_test)

    def theirs():
        return skn.KNeighborsClassifier(n_neighbors=4, weights="distance").fit(X_train, y_train).predict(X_test)

    def accuracy(y_pred):
        return float(np.mean(y_pred == y_test))

    def neighbor_sum(result):
        return float(result[1].sum())

    rows = [
        compare(f"KNeighborsClassifier(4, distance) {n_train} -> {n_test}", ours, theirs,
                learnflow_score=accuracy, peer_score=accuracy, repeats=repeats),
        compare(
            f"NearestNeighbors(10).kneighbors {n_train} -> {n_test}",
            lambda: NearestNeighbors(n_neighbors=10).fit(X_train).kneighbors(X_test),
            lambda: skn.NearestNeighbors(n_neighbors=10).fit(X_train).kneighbors(X_test),
            learnflow_score=neighbor_sum, peer_score=neighbor_sum, repeats=repeats,
        ),
    ]
    notes = (
        f"MNIST test set split 8,000/2,000 (stratified, random_state=42){', subsampled' if quick else ''}; "
        f"{n_train} train x {n_test} queries x 784 pixels, float64 on the CPU; scores: accuracy, and the sum "
        "of neighbor indices (equal when the neighbors agree); learnflow shortlists euclidean candidates with a "
        "float32 GEMM and proves the float64 answer (queries without the proof are searched again in float64)"
    )
    report(rows, "neighbors: k-nearest neighbors on MNIST", notes=notes)
    return rows


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    main(quick=parser.parse_args().quick)
