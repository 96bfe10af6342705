"""The ``learnflow`` command.

``learnflow datasets`` lists the datasets learnflow can load offline. Later
subcommands (``project``, ``predict``) register themselves in ``_COMMANDS``.
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


_COMMANDS = [_add_datasets_parser]


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
