"""learnflow on a CUDA GPU against scikit-learn on the CPU, and against itself on the CPU.

``python -m benchmarks.bench_gpu [--quick]`` (prints a note and does nothing without CUDA)

Data: the MNIST test set (``../shared/datasets/mnist``) split stratified
8,000 / 2,000 with seed 42, pixels / 255, as the book's exercises use it.
Each workload runs learnflow inside ``config_context(device="cuda")`` (float32)
and the peer: scikit-learn with ``n_jobs=-1`` where it has it, or, in the
"cuda vs cpu" table, learnflow itself on the CPU (float64), which gives the
speed-up the GPU buys. Scores are test accuracies. A workload that fails is
reported as failed and the others still run.
"""

import argparse
import traceback
from pathlib import Path

import numpy as np
import torch

import learnflow
from benchmarks._harness import compare, report

_MNIST = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "mnist"


def _mnist_split(n_samples):
    from learnflow.datasets import fetch_mnist
    from learnflow.model_selection import train_test_split

    X, y = fetch_mnist(data_home=_MNIST, subset="test", return_X_y=True, download_if_missing=False)
    X, y = np.asarray(X, dtype=np.float64)[:n_samples] / 255.0, np.asarray(y).astype(np.int64)[:n_samples]
    return train_test_split(X, y, test_size=0.2, stratify=y, random_state=42)


def _on_cuda(fn):
    def run():
        with learnflow.config_context(device="cuda"):
            return fn()
    return run


def _workloads(quick):
    """(name, learnflow estimator factory, scikit-learn estimator factory) triples."""
    from sklearn import decomposition as skd, linear_model as skl, neighbors as skn, svm as sks
    from sklearn import ensemble as ske, neural_network as sknn

    from learnflow import decomposition, ensemble, linear_model, neighbors, neural_network, svm

    epochs = 2 if quick else 10
    return [
        ("KNeighborsClassifier(4, distance) fit+predict",
         lambda: neighbors.KNeighborsClassifier(4, weights="distance"),
         lambda: skn.KNeighborsClassifier(4, weights="distance", n_jobs=-1)),
        ("SVC(C=5, gamma='scale') fit",
         lambda: svm.SVC(C=5, gamma="scale"), lambda: sks.SVC(C=5, gamma="scale")),
        ("LogisticRegression(max_iter=100) fit",
         lambda: linear_model.LogisticRegression(max_iter=100),
         lambda: skl.LogisticRegression(max_iter=100)),
        ("PCA(0.95) fit",
         lambda: decomposition.PCA(0.95), lambda: skd.PCA(0.95)),
        (f"MLPClassifier((300, 100), {epochs} epochs) fit",
         lambda: neural_network.MLPClassifier((300, 100), max_iter=epochs, random_state=42),
         lambda: sknn.MLPClassifier((300, 100), max_iter=epochs, random_state=42)),
        ("RandomForestClassifier(100) fit",
         lambda: ensemble.RandomForestClassifier(100, n_jobs=-1, random_state=42),
         lambda: ske.RandomForestClassifier(100, n_jobs=-1, random_state=42)),
    ]


def _fit_score(make, X_train, X_test, y_train, y_test):
    def run():
        model = make()
        if hasattr(model, "n_components") and not hasattr(model, "predict"):
            return model.fit(X_train), None
        return model.fit(X_train, y_train), float(np.mean(np.asarray(model.predict(X_test)) == y_test))
    return run


def _score(result):
    model, accuracy = result
    return accuracy if accuracy is not None else float(model.n_components_)


def main(quick=False):
    if not torch.cuda.is_available():
        print("bench_gpu: no CUDA GPU on this machine; nothing to measure.")
        return []
    X_train, X_test, y_train, y_test = _mnist_split(2000 if quick else 10000)
    data = (X_train, X_test, y_train, y_test)
    small = (X_train[:400], X_test[:100], y_train[:400], y_test[:100])
    vs_sklearn, vs_cpu = [], []
    for name, make_ours, make_peer in _workloads(quick):
        ours = _on_cuda(_fit_score(make_ours, *data))
        try:
            _on_cuda(_fit_score(make_ours, *small))()  # warm-up: CUDA context, kernels, caches
            vs_sklearn.append(compare(f"{name}, cuda vs scikit-learn", ours, _fit_score(make_peer, *data),
                                      learnflow_score=_score, peer_score=_score, repeats=1, warmup=0))
            vs_cpu.append(compare(f"{name}, cuda vs learnflow cpu", ours, _fit_score(make_ours, *data),
                                  learnflow_score=_score, peer_score=_score, repeats=1, warmup=0))
        except Exception:  # report and go on: one broken workload must not hide the others' numbers
            print(f"FAILED: {name}\n{traceback.format_exc()}", flush=True)
    notes = (f"MNIST test set split {len(X_train)} / {len(X_test)} (stratified, seed 42, pixels / 255); "
             "learnflow inside config_context(device='cuda') in float32; scikit-learn with n_jobs=-1 "
             "where it has it; one timed run after a warm-up fit of learnflow on 400 images; scores: test accuracy "
             "(PCA: number of components).")
    report(vs_sklearn, "GPU: learnflow on CUDA vs scikit-learn on the CPU", notes=notes)
    report(vs_cpu, "GPU: learnflow on CUDA vs learnflow on the CPU (the GPU speed-up)", notes=notes)
    return vs_sklearn + vs_cpu


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    main(quick=parser.parse_args().quick)
