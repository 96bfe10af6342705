"""The ``learnflow`` command.

``learnflow datasets`` lists the datasets learnflow can load offline;
``learnflow project [CSV] --target COLUMN`` runs the end-to-end project of
Chapter 2; ``learnflow predict MODEL CSV`` applies a model it saved.
"""

# SPDX-License-Identifier: BSD-3-Clause

import argparse
import os
import sys

__all__ = ["main"]


def _bundled_datasets():
    """(name, loader call, shape, description) of each bundled dataset."""
    from . import datasets

    housing = datasets.load_housing().frame
    iris = datasets.load_iris()
    digits = datasets.load_digits()
    lifesat = datasets.load_lifesat().frame
    return [
        ("housing", "load_housing()", housing.shape, "California housing, 1990 census (Chapter 2)"),
        ("lifesat", "load_lifesat()", lifesat.shape, "OECD life satisfaction vs GDP per capita (Chapter 1)"),
        ("iris", "load_iris()", iris.data.shape, "Fisher's iris (Chapters 4-6)"),
        ("digits", "load_digits()", digits.data.shape, "UCI 8x8 handwritten digits"),
    ]


def _mnist_row(data_home):
    from .datasets import fetch_mnist

    try:
        mnist = fetch_mnist(data_home=data_home, download_if_missing=False)
    except OSError:
        return ("mnist", "fetch_mnist()", "-", "not found locally: pass --data-home or set LEARNFLOW_DATA")
    return ("mnist", "fetch_mnist()", mnist.data.shape, f"MNIST, subsets found: {', '.join(mnist.subsets)}")


def _run_datasets(args):
    rows = _bundled_datasets() + [_mnist_row(args.data_home)]
    header = ("name", "loader", "shape", "description")
    table = [header] + [(n, loader, " x ".join(map(str, s)) if s != "-" else s, d) for n, loader, s, d in rows]
    widths = [max(len(str(row[i])) for row in table) for i in range(len(header))]
    for row in table:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip())
    return 0


def _add_datasets_parser(subparsers):
    parser = subparsers.add_parser("datasets", help="list the datasets available offline")
    parser.add_argument(
        "--data-home",
        default=os.environ.get("LEARNFLOW_DATA"),
        help="folder holding the MNIST IDX files (default: $LEARNFLOW_DATA)",
    )
    parser.set_defaults(handler=_run_datasets)


def _run_project(args):
    from .project import ProjectError, run_project

    try:
        result = run_project(
            args.csv,
            target=args.target,
            out_dir=args.out,
            task=args.task,
            seed=args.seed,
            time_budget=args.time_budget,
            quick=args.quick,
            cv=args.cv,
            models=args.models,
        )
    except ProjectError as exc:
        print(f"learnflow project: error: {exc}", file=sys.stderr)
        return 1
    print()
    print(result.leaderboard.to_string(index=False, float_format=lambda v: f"{v:.4f}"))
    low, high = result.confidence_interval
    print(f"\nchosen model: {result.best_name} {result.best_params}")
    print(f"test {result.metric}: {result.test_score:.4f} (95% confidence interval {low:.4f} to {high:.4f})")
    return 0


def _add_project_parser(subparsers):
    parser = subparsers.add_parser("project", help="run the end-to-end project of Chapter 2 on a CSV file")
    parser.add_argument("csv", nargs="?", help="the data (default: the bundled California housing data)")
    parser.add_argument("--target", default="median_house_value", help="the column to predict")
    parser.add_argument("--task", choices=("auto", "regression", "classification"), default="auto")
    parser.add_argument("--out", default="learnflow-output/project", help="folder for the results")
    parser.add_argument("--seed", type=int, default=42, help="the same seed gives the same results")
    parser.add_argument("--time-budget", type=float, default=None, metavar="SECONDS", help="hard limit on the run")
    parser.add_argument("--quick", action="store_true", help="a run of under two minutes")
    parser.add_argument("--cv", type=int, default=None, help="number of cross-validation folds")
    parser.add_argument("--models", nargs="+", metavar="CLASS", help="model classes to shortlist (default: all suitable)")
    parser.set_defaults(handler=_run_project)


def _run_predict(args):
    import pandas as pd

    from . import load
    from .project import ProjectError
    from .project._data import read_table

    try:
        model = load(args.model)
    except (OSError, ValueError) as exc:
        print(f"learnflow predict: error: cannot load {args.model}: {exc}", file=sys.stderr)
        return 1
    try:
        frame = read_table(args.csv)
        expected = list(getattr(model, "feature_names_in_", frame.columns))
        missing = [c for c in expected if c not in frame.columns]
        if missing:
            raise ProjectError(f"{args.csv} lacks the columns the model was trained on: {', '.join(missing)}.")
        predictions = model.predict(frame[expected])
    except (ProjectError, ValueError) as exc:
        print(f"learnflow predict: error: {exc}", file=sys.stderr)
        return 1
    output = pd.DataFrame({"prediction": predictions})
    if args.output:
        output.to_csv(args.output, index=False)
    else:
        output.to_csv(sys.stdout, index=False)
    return 0


def _add_predict_parser(subparsers):
    parser = subparsers.add_parser("predict", help="predict with a model saved by 'learnflow project'")
    parser.add_argument("model", help="the .lfm model file")
    parser.add_argument("csv", help="the rows to predict (extra columns, such as the target, are ignored)")
    parser.add_argument("--output", help="CSV file for the predictions (default: standard output)")
    parser.set_defaults(handler=_run_predict)


_COMMANDS = [_add_datasets_parser, _add_project_parser, _add_predict_parser]


def build_parser():
    """The argument parser of the ``learnflow`` command."""
    parser = argparse.ArgumentParser(prog="learnflow", description=__doc__.splitlines()[0])
    subparsers = parser.add_subparsers(dest="command", required=True)
    for add_parser in _COMMANDS:
        add_parser(subparsers)
    return parser


def main(argv=None):
    """Entry point of the ``learnflow`` command; returns the exit status."""
    args = build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
