"""Step 1-2 of the checklist: get the data, frame the problem, put a test set aside."""

# SPDX-License-Identifier: BSD-3-Clause

from pathlib import Path

import numpy as np
import pandas as pd
from pandas.api.types import is_bool_dtype, is_numeric_dtype

from ..model_selection import StratifiedShuffleSplit

__all__ = ["ProjectError", "frame_problem", "read_table", "split_train_test"]

# An integer target with at most this many distinct values is a class label.
_MAX_CLASSES = 20
_N_STRATA = 5


class ProjectError(ValueError):
    """A problem with the user's data or options, reported without a traceback."""


def read_table(path):
    """Read a CSV file, turning the ways it can be unreadable into ProjectError."""
    path = Path(path)
    if not path.is_file():
        raise ProjectError(f"{path}: no such file.")
    try:
        frame = pd.read_csv(path)
    except pd.errors.EmptyDataError:
        raise ProjectError(f"{path} is empty: it has no header and no rows.") from None
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise ProjectError(f"{path} is not a readable CSV file: {exc}") from None
    if frame.empty:
        raise ProjectError(f"{path} has a header but no data rows.")
    return frame


def frame_problem(frame, target):
    """"regression" or "classification", decided from the target column."""
    if target not in frame.columns:
        raise ProjectError(
            f"The target column {target!r} is not in the data. Columns: {', '.join(map(str, frame.columns))}."
        )
    y = frame[target]
    if y.isna().all():
        raise ProjectError(f"The target column {target!r} has no values.")
    if not is_numeric_dtype(y) or is_bool_dtype(y):
        return "classification"
    is_integral = np.all(np.mod(y.dropna(), 1) == 0)
    return "classification" if is_integral and y.nunique() <= _MAX_CLASSES else "regression"


def _strata(frame, target, task):
    """The labels to stratify on: the classes, or bins of the feature most correlated with the target.

    The book bins median income (its best predictor) into five income
    categories; quintiles of the best predictor do the same for any data.
    """
    if task == "classification":
        return frame[target].astype(str), target
    numeric = frame.drop(columns=[target]).select_dtypes("number")
    if numeric.empty:
        return None, None
    correlations = numeric.corrwith(frame[target]).abs().dropna()
    if correlations.empty:
        return None, None
    best = correlations.idxmax()
    strata = pd.qcut(frame[best].rank(method="first"), _N_STRATA, labels=False)
    return strata.fillna(-1).astype(int), best


def split_train_test(frame, target, task, *, test_size, seed):
    """Stratified train/test split; returns (train, test, name of the stratifying column)."""
    strata, stratified_on = _strata(frame, target, task)
    if strata is None or strata.value_counts().min() < 2:
        rng = np.random.RandomState(seed)
        order = rng.permutation(len(frame))
        n_test = int(np.ceil(test_size * len(frame)))
        return frame.iloc[order[n_test:]], frame.iloc[order[:n_test]], None
    splitter = StratifiedShuffleSplit(n_splits=1, test_size=test_size, random_state=seed)
    train_index, test_index = next(splitter.split(frame, strata))
    return frame.iloc[train_index], frame.iloc[test_index], stratified_on
