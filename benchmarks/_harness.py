"""The benchmark runner: time learnflow and a peer in one process, report ratios.

A workload module ``benchmarks/bench_<topic>.py`` defines ``main(quick=False)``
that builds its data once, calls :func:`compare` per workload and hands the
rows to :func:`report`::

    rows = [
        compare(
            "Ridge fit, 10k x 100",
            lambda: Ridge().fit(X, y),            # learnflow
            lambda: SkRidge().fit(X, y),          # the peer
            learnflow_score=lambda m: m.score(X, y),
            peer_score=lambda m: m.score(X, y),
        ),
    ]
    report(rows, "linear models", notes="float64 on the CPU")

Each callable runs ``warmup`` times untimed and then ``repeats`` times timed
with ``time.perf_counter``, the two sides interleaved (learnflow then the peer,
then the peer then learnflow, ...) so that a shared machine's load changes fall
on both; the median is kept (CUDA work is synchronized before the clock stops). ``ratio = learnflow / peer``: below 1 learnflow is
faster. A score callable receives the last return value of its function.
Speed is measured here and never asserted in tests.
"""

# SPDX-License-Identifier: BSD-3-Clause

import datetime
import math
import os
import platform
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["BenchmarkRow", "compare", "compare_fit", "format_table", "machine_info", "report"]

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"
COLUMNS = ("name", "learnflow s", "peer s", "ratio", "learnflow score", "peer score")

_HEADER = """\
# Benchmarks

learnflow against its peers (scikit-learn for classical ML, TensorFlow or plain
PyTorch for the graph engine), each workload timed in one process on the same
data.

Run every benchmark with `python -m benchmarks` (`make bench`), or one topic
with `python -m benchmarks.bench_<topic>`; add `--quick` for small sizes (a run
then takes well under two minutes). Each run appends a section below with its
date and machine.

How to read a table: times are the median of the timed runs in seconds (after
warm-up runs); **ratio = learnflow s / peer s, so a ratio below 1 means
learnflow is faster** and above 1 slower. The score columns hold each side's
quality measure on the same data (accuracy, R², or a checksum of generated
data), so that speed is never bought with wrong answers.
"""


@dataclass(frozen=True)
class BenchmarkRow:
    """One workload's timings (seconds, medians) and scores."""

    name: str
    learnflow_time: float
    peer_time: float
    learnflow_score: float | None = None
    peer_score: float | None = None
    repeats: int = 1

    @property
    def ratio(self):
        """``learnflow_time / peer_time`` (below 1: learnflow is faster)."""
        if self.peer_time == 0:
            return math.inf if self.learnflow_time > 0 else 1.0
        return self.learnflow_time / self.peer_time


def _synchronize():
    try:
        import torch
    except ImportError:  # pragma: no cover - torch is a learnflow dependency
        return
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        torch.cuda.synchronize()


def _timed(fn):
    """(seconds, result) of one run of ``fn``."""
    start = time.perf_counter()
    result = fn()
    _synchronize()
    return time.perf_counter() - start, result


def _time_interleaved(fns, repeats, warmup):
    """[(median seconds, last result)] of each of ``fns`` over ``repeats`` rounds.

    Each round runs every function once, the order reversed every other round, so
    that a change of machine load lands on both sides rather than on one.
    """
    results = [None] * len(fns)
    for _ in range(warmup):
        results = [fn() for fn in fns]
    _synchronize()
    times = [[] for _ in fns]
    for round_ in range(repeats):
        order = range(len(fns)) if round_ % 2 == 0 else reversed(range(len(fns)))
        for k in order:
            elapsed, results[k] = _timed(fns[k])
            times[k].append(elapsed)
    return [(statistics.median(t), r) for t, r in zip(times, results)]


def compare(name, learnflow_fn, peer_fn, *, learnflow_score=None, peer_score=None, repeats=3, warmup=1):
    """Time ``learnflow_fn`` and ``peer_fn`` (no arguments) and score their results.

    Parameters
    ----------
    name : str
        The workload's row label.
    learnflow_fn, peer_fn : callable
        The two implementations of the workload.
    learnflow_score, peer_score : callable, default=None
        Map the function's (last) return value to a float score.
    repeats : int, default=3
        The number of timed runs; the median is reported.
    warmup : int, default=1
        The number of untimed runs first (imports, caches, CUDA kernels).

    Returns
    -------
    BenchmarkRow
    """
    if repeats < 1:
        raise ValueError(f"repeats must be at least 1; got {repeats}.")
    if warmup < 0:
        raise ValueError(f"warmup must be non-negative; got {warmup}.")
    (lf_time, lf_result), (peer_time, peer_result) = _time_interleaved(
        [learnflow_fn, peer_fn], repeats, warmup)
    lf_value = None if learnflow_score is None else float(learnflow_score(lf_result))
    peer_value = None if peer_score is None else float(peer_score(peer_result))
    return BenchmarkRow(name, lf_time, peer_time, lf_value, peer_value, repeats)


def compare_fit(name, make_learnflow, make_peer, split, *, repeats=3, warmup=1):
    """:func:`compare` of two estimators' ``fit`` on a train/test split, each scored on the test part.

    ``make_learnflow``, ``make_peer``: return a fresh (unfitted) estimator; ``split``: (X_train, X_test,
    y_train, y_test).
    """
    X_train, X_test, y_train, y_test = split
    return compare(
        name,
        lambda: make_learnflow().fit(X_train, y_train),
        lambda: make_peer().fit(X_train, y_train),
        learnflow_score=lambda m: m.score(X_test, y_test),
        peer_score=lambda m: m.score(X_test, y_test),
        repeats=repeats,
        warmup=warmup,
    )


def _cpu_model():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def machine_info():
    """A one-line description: platform, CPU, cores, Python, torch and the device."""
    parts = [
        platform.platform(),
        _cpu_model(),
        f"{os.cpu_count()} cores",
        f"Python {platform.python_version()}",
    ]
    try:
        import torch

        parts.append(f"torch {torch.__version__}")
        if torch.cuda.is_available():
            parts.append(f"device cuda ({torch.cuda.get_device_name(0)})")
        else:
            parts.append("device cpu")
    except ImportError:  # pragma: no cover
        parts.append("torch missing")
    return ", ".join(parts)


def _fmt_time(seconds):
    return f"{seconds:.4g}"


def _fmt_score(score):
    return "-" if score is None else f"{score:.6g}"


def _cells(row):
    return (
        row.name,
        _fmt_time(row.learnflow_time),
        _fmt_time(row.peer_time),
        f"{row.ratio:.2f}",
        _fmt_score(row.learnflow_score),
        _fmt_score(row.peer_score),
    )


def format_table(rows):
    """The rows as a markdown table with the columns of :data:`COLUMNS`."""
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "|".join(["---"] + ["---:"] * 5) + "|"]
    lines += ["| " + " | ".join(_cells(row)) + " |" for row in rows]
    return "\n".join(lines)


def report(rows, title, *, machine=None, notes="", path=None):
    """Print the rows as a table and append them as a section of ``path``.

    Parameters
    ----------
    rows : list of BenchmarkRow
        The results of :func:`compare`.
    title : str
        The section title (the topic).
    machine : str, default=None
        The machine description; None uses :func:`machine_info`.
    notes : str, default=""
        A paragraph printed under the title (sizes, dtypes, caveats).
    path : str or path-like, default=None
        The markdown file to append to; None means ``docs/benchmarks.md``.
        It is created with its explanatory header if missing.

    Returns
    -------
    str
        The markdown section that was appended.
    """
    rows = list(rows)
    machine = machine_info() if machine is None else machine
    stamp = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    table = format_table(rows)
    section = [f"## {title}", "", f"{stamp}, {machine}", ""]
    if notes:
        section += [notes, ""]
    section += [table, ""]
    text = "\n".join(section)

    print(f"\n{title}  ({machine})")
    if notes:
        print(notes)
    widths = [max(len(c), *(len(_cells(r)[i]) for r in rows)) for i, c in enumerate(COLUMNS)]
    print("  ".join(c.ljust(w) for c, w in zip(COLUMNS, widths)))
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(_cells(row), widths)))

    path = DEFAULT_PATH if path is None else Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.stat().st_size == 0:
        path.write_text(_HEADER, encoding="utf-8")
    with open(path, "a", encoding="utf-8") as f:
        f.write("\n" + text)
    return text
