"""Support vector machines: learnflow.svm against scikit-learn (libsvm / liblinear).

Workloads: SVC (RBF) and LinearSVC on moons, SVC and LinearSVC (one-vs-rest,
exercise 9) on the MNIST test-set split (8,000 / 2,000 stratified, seed 42,
pixels / 255), and SVR on the housing data (the whole training set of 16,512
districts, and its first 5,000).
``--quick`` uses subsamples so a run stays within a couple of minutes.
``--device cuda`` runs learnflow (fit and scoring) inside
``learnflow.config_context(device="cuda")`` (kernel blocks on the GPU, float32
by default there) against scikit-learn on the CPU; the default is ``cpu``.
"""

# SPDX-License-Identifier: BSD-3-Clause

import argparse
import contextlib
from pathlib import Path

import numpy as np
from sklearn import svm as sk
from sklearn.model_selection import train_test_split

import learnflow
from benchmarks._harness import compare, report
from learnflow.datasets import fetch_mnist, load_housing, make_moons
from learnflow.svm import SVC, SVR, LinearSVC

DATA = Path(__file__).resolve().parents[2] / "shared" / "datasets"
DEVICE = "cpu"
RUNS = {"repeats": 1, "warmup": 0}  # --quick: median of 5 timed runs after a warm-up (set in main)


def _on_device(fn):
    """``fn`` run inside ``learnflow.config_context(device=DEVICE)`` (nothing changes on the CPU)."""
    def run(*args):
        context = contextlib.nullcontext() if DEVICE == "cpu" else learnflow.config_context(device=DEVICE)
        with context:
            return fn(*args)
    return run


def _accuracy(X, y):
    return lambda model: float(np.mean(np.asarray(model.predict(X)) == y))


def _rmse(X, y):
    return lambda model: float(np.sqrt(np.mean((np.asarray(model.predict(X)) - y) ** 2)))


def _compare(name, learnflow_fn, peer_fn, score, **kw):
    """compare() with learnflow's fit and score on DEVICE and scikit-learn's on the CPU."""
    return compare(name, _on_device(learnflow_fn), peer_fn, learnflow_score=_on_device(score), peer_score=score, **kw)


def _moons_rows(n):
    X, y = make_moons(n_samples=n, noise=0.3, random_state=42)
    X, y = np.asarray(X), np.asarray(y)
    Xt, yt = (np.asarray(a) for a in make_moons(n_samples=2000, noise=0.3, random_state=7))
    return [
        _compare(f"SVC rbf (gamma=1, C=1) moons {n}", lambda: SVC(gamma=1.0).fit(X, y),
                 lambda: sk.SVC(gamma=1.0).fit(X, y), _accuracy(Xt, yt), **RUNS),
        _compare(f"LinearSVC (squared hinge, primal) moons {n}", lambda: LinearSVC(random_state=0).fit(X, y),
                 lambda: sk.LinearSVC(random_state=0).fit(X, y), _accuracy(Xt, yt), **RUNS),
    ]


def _mnist_rows(n_train):
    X, y = fetch_mnist(data_home=DATA / "mnist", subset="test", return_X_y=True, download_if_missing=False)
    X, y = np.asarray(X, dtype=np.float64) / 255.0, np.asarray(y)
    X_train, X_test, y_train, y_test = train_test_split(X, y, train_size=8000, test_size=2000, stratify=y,
                                                        random_state=42)
    X_train, y_train = X_train[:n_train], y_train[:n_train]
    return [
        _compare(f"SVC rbf (C=5, gamma=0.005) MNIST {n_train}/2000",
                 lambda: SVC(C=5, gamma=0.005).fit(X_train, y_train),
                 lambda: sk.SVC(C=5, gamma=0.005).fit(X_train, y_train), _accuracy(X_test, y_test), **RUNS),
        _compare(f"LinearSVC (squared hinge, primal, one-vs-rest) MNIST {n_train}/2000",
                 lambda: LinearSVC(random_state=42).fit(X_train, y_train),
                 lambda: sk.LinearSVC(random_state=42).fit(X_train, y_train), _accuracy(X_test, y_test), **RUNS),
    ]


def _housing_rows(sizes):
    housing = load_housing()
    frame = housing["data"].select_dtypes("number")
    X = frame.fillna(frame.median()).to_numpy(dtype=np.float64)
    y = np.asarray(housing["target"], dtype=np.float64) / 100_000
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
    rows = []
    for n_train in sizes:
        X_fit, y_fit = X_train[:n_train], y_train[:n_train]
        mean, std = X_fit.mean(0), X_fit.std(0)
        X_fit, X_eval = (X_fit - mean) / std, (X_test - mean) / std
        rows.append(_compare(f"SVR rbf (C=4.7454, gamma=0.07969) housing {len(X_fit)}",
                             lambda: SVR(C=4.7454, gamma=0.07969).fit(X_fit, y_fit),
                             lambda: sk.SVR(C=4.7454, gamma=0.07969).fit(X_fit, y_fit), _rmse(X_eval, y_test), **RUNS))
    return rows


def main(quick=False, device="cpu"):
    global DEVICE
    DEVICE = device
    RUNS.update({"repeats": 5, "warmup": 1} if quick else {"repeats": 1, "warmup": 0})
    rows = _moons_rows(2000 if quick else 10_000)
    if (DATA / "mnist").is_dir():
        rows += _mnist_rows(1000 if quick else 8000)
    rows += _housing_rows([1000] if quick else [5000, None])
    where = ("float64 on the CPU" if device == "cpu"
             else f"learnflow on {device} (its default dtype there), scikit-learn on the CPU")
    notes = (f"{where}; fit times ({'median of 5 runs after a warm-up' if quick else 'one run'}); scores: test "
             "accuracy (SVC, LinearSVC) and test RMSE in $100k (SVR); quick = subsampled training sets")
    title = "svm: SVC / LinearSVC / SVR" + (f" (device {device})" if device != "cpu" else "")
    report(rows, title + (" (quick)" if quick else ""), notes=notes)
    return rows


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--device", default="cpu", help="learnflow's device (cpu, cuda, cuda:1, ...); default cpu")
    args = parser.parse_args()
    main(quick=args.quick, device=args.device)
