"""Linear models: learnflow.linear_model against sklearn.linear_model on the same data.

``python -m benchmarks.bench_linear [--quick]``. The classifiers run on the
MNIST test set (the offline copy in ../shared/datasets/mnist) split
stratified with ``random_state=42`` and standardized; Ridge, Lasso,
ElasticNet and SGDRegressor on ``make_regression``. Scores: test accuracy
(classifiers), R^2 (regressors). The millisecond regressors (Ridge, Lasso,
ElasticNet) take 15 timed runs a side (the harness interleaves the two
sides); set ``OMP_NUM_THREADS=1`` to compare single-threaded.
"""

import argparse
import os
import warnings
from pathlib import Path

import numpy as np
import sklearn.linear_model as sk
from sklearn.model_selection import train_test_split

import learnflow.linear_model as lf
from benchmarks._harness import compare, report
from learnflow.datasets import fetch_mnist, make_regression

_MNIST = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "mnist"


def _mnist(n_train, n_test):
    X, y = fetch_mnist(data_home=_MNIST, subset="test", return_X_y=True, download_if_missing=False)
    X_train, X_test, y_train, y_test = train_test_split(
        X.astype(np.float64), y, train_size=n_train, test_size=n_test, stratify=y, random_state=42
    )
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    std[std == 0] = 1.0
    return (X_train - mean) / std, (X_test - mean) / std, y_train, y_test


def main(quick=False):
    n_train, n_test = (2000, 1000) if quick else (8000, 2000)
    X_train, X_test, y_train, y_test = _mnist(n_train, n_test)
    epochs = 5 if quick else 20
    n_reg, p_reg = (5000, 100) if quick else (20000, 200)
    X_reg, y_reg = make_regression(n_samples=n_reg, n_features=p_reg, n_informative=20, noise=10, random_state=0)
    accuracy = lambda model: model.score(X_test, y_test)  # noqa: E731
    r2 = lambda model: model.score(X_reg, y_reg)  # noqa: E731
    sgd = dict(random_state=42, max_iter=epochs, tol=None)
    logistic = dict(max_iter=100)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rows = [
            compare(
                f"SGDClassifier MNIST {n_train}, {epochs} epochs",
                lambda: lf.SGDClassifier(**sgd).fit(X_train, y_train),
                lambda: sk.SGDClassifier(**sgd).fit(X_train, y_train),
                learnflow_score=accuracy, peer_score=accuracy, repeats=3 if quick else 1, warmup=1 if quick else 0,
            ),
            compare(
                f"LogisticRegression lbfgs MNIST {n_train}",
                lambda: lf.LogisticRegression(**logistic).fit(X_train, y_train),
                lambda: sk.LogisticRegression(**logistic).fit(X_train, y_train),
                learnflow_score=accuracy, peer_score=accuracy, repeats=1, warmup=0,
            ),
            # the millisecond regressors: 15 interleaved timed runs a side
            *(
                compare(
                    f"{label} {n_reg} x {p_reg}",
                    lambda name=name: getattr(lf, name)(alpha=1.0).fit(X_reg, y_reg),
                    lambda name=name: getattr(sk, name)(alpha=1.0).fit(X_reg, y_reg),
                    learnflow_score=r2, peer_score=r2, repeats=15,
                )
                for name, label in (("Ridge", "Ridge cholesky"), ("Lasso", "Lasso alpha=1"),
                                    ("ElasticNet", "ElasticNet alpha=1"))
            ),
            compare(
                f"SGDRegressor {n_reg} x {p_reg}, {epochs} epochs",
                lambda: lf.SGDRegressor(**sgd).fit(X_reg, y_reg),
                lambda: sk.SGDRegressor(**sgd).fit(X_reg, y_reg),
                learnflow_score=r2, peer_score=r2, repeats=1,
            ),
        ]
    notes = (
        f"MNIST test set split {n_train}/{n_test} stratified (random_state=42), standardized; "
        f"make_regression {n_reg} x {p_reg}; float64 on the CPU; SGD with a fixed epoch count (tol=None); "
        f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')}"
    )
    report(rows, "linear models", notes=notes)
    return rows


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    main(quick=parser.parse_args().quick)
