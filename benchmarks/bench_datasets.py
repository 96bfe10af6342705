"""Data generation: learnflow.datasets against sklearn.datasets (same seeds, same arrays).

``python -m benchmarks.bench_datasets [--quick]``. The score is a checksum of
the generated X, identical on both sides when the outputs agree.
"""

import argparse

import numpy as np
import sklearn.datasets as skd

import learnflow.datasets as lfd
from benchmarks._harness import compare, report


def _checksum(result):
    X = result[0]
    return float(np.abs(X).sum())


def main(quick=False):
    n = 20_000 if quick else 200_000
    rows = [
        compare(
            f"make_classification {n} x 20",
            lambda: lfd.make_classification(n_samples=n, n_features=20, random_state=0),
            lambda: skd.make_classification(n_samples=n, n_features=20, random_state=0),
            learnflow_score=_checksum,
            peer_score=_checksum,
        ),
        compare(
            f"make_moons {n}, noise=0.2",
            lambda: lfd.make_moons(n_samples=n, noise=0.2, random_state=0),
            lambda: skd.make_moons(n_samples=n, noise=0.2, random_state=0),
            learnflow_score=_checksum,
            peer_score=_checksum,
        ),
    ]
    notes = f"n_samples={n}; score = sum |X| (equal when the arrays agree)"
    report(rows, "datasets: generators", notes=notes)
    return rows


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    main(quick=parser.parse_args().quick)
