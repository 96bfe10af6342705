"""Support vector machines: learnflow.svm against scikit-learn (libsvm / liblinear).

Workloads: SVC (RBF) and LinearSVC on moons, SVC on the MNIST test-set split
(8,000 / 2,000 stratified, seed 42, pixels / 255), and SVR on the housing data.
``--quick`` uses subsamples so a run stays within a couple of minutes.
"""

# SPDX-License-Identifier: BSD-3-Clause

import argparse
from pathlib import Path

import numpy as np
from sklearn import svm as sk
from sklearn.model_selection import train_test_split

from benchmarks._harness import compare, report
from learnflow.datasets import fetch_mnist, load_housing, make_moons
from learnflow.svm import SVC, SVR, LinearSVC

DATA = Path(__file__).resolve().parents[2] / "shared" / "datasets"


def _accuracy(X, y):
    return lambda model: float(np.mean(np.asarray(model.predict(X)) == y))


def _rmse(X, y):
    return lambda model: float(np.sqrt(np.mean((np.asarray(model.predict(X)) - y) ** 2)))


def _moons_rows(n):
    X, y = make_moons(n_samples=n, noise=0.3, random_state=42)
    X, y = np.asarray(X), np.asarray(y)
    Xt, yt = (np.asarray(a) for a in make_moons(n_samples=2000, noise=0.3, random_state=7))
    return [
        compare(f"SVC rbf (gamma=1, C=1) moons {n}", lambda: SVC(gamma=1.0).fit(X, y),
                lambda: sk.SVC(gamma=1.0).fit(X, y), learnflow_score=_accuracy(Xt, yt),
                peer_score=_accuracy(Xt, yt), repeats=1),
        compare(f"LinearSVC (squared hinge, primal) moons {n}", lambda: LinearSVC(random_state=0).fit(X, y),
                lambda: sk.LinearSVC(random_state=0).fit(X, y), learnflow_score=_accuracy(Xt, yt),
                peer_score=_accuracy(Xt, yt), repeats=1),
    ]


def _mnist_rows(n_train):
    X, y = fetch_mnist(data_home=DATA / "mnist", subset="test", return_X_y=True, download_if_missing=False)
    X, y = np.asarray(X, dtype=np.float64) / 255.0, np.asarray(y)
    X_train, X_test, y_train, y_test = train_test_split(X, y, train_size=8000, test_size=2000, stratify=y,
                                                        random_state=42)
    X_train, y_train = X_train[:n_train], y_train[:n_train]
    return [
        compare(f"SVC rbf (C=5, gamma=0.005) MNIST {n_train}/2000", lambda: SVC(C=5, gamma=0.005).fit(X_train, y_train),
                lambda: sk.SVC(C=5, gamma=0.005).fit(X_train, y_train), learnflow_score=_accuracy(X_test, y_test),
                peer_score=_accuracy(X_test, y_test), repeats=1, warmup=0),
    ]


def _housing_rows(n_train):
    housing = load_housing()
    frame = housing["data"].select_dtypes("number")
    X = frame.fillna(frame.median()).to_numpy(dtype=np.float64)
    y = np.asarray(housing["target"], dtype=np.float64) / 100_000
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
    X_train, y_train = X_train[:n_train], y_train[:n_train]
    mean, std = X_train.mean(0), X_train.std(0)
    X_train, X_test = (X_train - mean) / std, (X_test - mean) / std
    return [
        compare(f"SVR rbf (C=4.7454, gamma=0.07969) housing {n_train}",
                lambda: SVR(C=4.7454, gamma=0.07969).fit(X_train, y_train),
                lambda: sk.SVR(C=4.7454, gamma=0.07969).fit(X_train, y_train),
                learnflow_score=_rmse(X_test, y_test), peer_score=_rmse(X_test, y_test), repeats=1, warmup=0),
    ]


def main(quick=False):
    rows = _moons_rows(2000 if quick else 10_000)
    if (DATA / "mnist").is_dir():
        rows += _mnist_rows(1000 if quick else 8000)
    rows += _housing_rows(1000 if quick else 5000)
    notes = ("float64 on the CPU; scores: test accuracy (SVC, LinearSVC) and test RMSE in $100k (SVR); "
             "quick = subsampled training sets")
    report(rows, "svm: SVC / LinearSVC / SVR" + (" (quick)" if quick else ""), notes=notes)
    return rows


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    main(quick=parser.parse_args().quick)
