"""What kind of target y is: binary, multiclass, multilabel, continuous."""

# SPDX-License-Identifier: BSD-3-Clause

from collections.abc import Sequence

import numpy as np

from .._engine import to_numpy

__all__ = ["check_classification_targets", "type_of_target", "unique_labels"]

_CLASSIFICATION_TYPES = (
    "binary",
    "multiclass",
    "multiclass-multioutput",
    "multilabel-indicator",
)


def _as_label_array(y):
    y = to_numpy(y) if hasattr(y, "detach") else y
    if hasattr(y, "to_numpy"):
        y = y.to_numpy()
    try:
        return np.asarray(y)
    except ValueError:
        # Ragged sequences of labels (the old multilabel-sequence format).
        return np.asarray(y, dtype=object)


def _is_multilabel(y):
    if y.ndim != 2 or y.shape[1] < 2:
        return False
    if y.dtype.kind == "b":
        return True
    if y.dtype.kind not in "biuf" or y.size == 0:
        return False
    values = np.unique(y)
    return len(values) <= 2 and set(values.tolist()) <= {0, 1} and (
        y.dtype.kind != "f" or np.all(values == values.astype(int))
    )


def type_of_target(y, input_name=""):
    """Determine the type of data indicated by the target.

    Returns one of "continuous", "continuous-multioutput", "binary",
    "multiclass", "multiclass-multioutput", "multilabel-indicator" or
    "unknown", with scikit-learn's meaning.

    Examples
    --------
    >>> from learnflow.utils.multiclass import type_of_target
    >>> type_of_target([0.5, 1.5]), type_of_target([1, 0, 2]), type_of_target(["a", "b"])
    ('continuous', 'multiclass', 'binary')
    >>> type_of_target([[1, 0], [0, 1]])
    'multilabel-indicator'
    """
    array_like = isinstance(y, (Sequence, np.ndarray)) or hasattr(y, "__array__") or hasattr(y, "shape")
    if not array_like or isinstance(y, str):
        raise ValueError(f"Expected array-like (array or non-string sequence), got {y!r}")
    y = _as_label_array(y)
    if _is_multilabel(y):
        return "multilabel-indicator"
    if y.ndim not in (1, 2) or (y.ndim == 2 and y.shape[1] == 0) or y.size == 0:
        return "unknown"
    first = y.flat[0]
    if y.dtype == object and not isinstance(first, str):
        return "unknown"
    suffix = "-multioutput" if y.ndim == 2 and y.shape[1] > 1 else ""
    if y.dtype.kind == "f":
        values = y.astype(float)
        if np.any(values != np.round(values)):
            if not np.isfinite(values).all():
                name = f"Input {input_name}" if input_name else "Input"
                raise ValueError(f"{name} contains NaN or infinity.")
            return "continuous" + suffix
    n_unique = len(np.unique(y.ravel() if not suffix else y[:, 0]))
    if suffix:
        return "multiclass" + suffix
    return "multiclass" if n_unique > 2 else "binary"


def check_classification_targets(y):
    """Raise ValueError unless y holds discrete class labels.

    Examples
    --------
    >>> from learnflow.utils.multiclass import check_classification_targets
    >>> check_classification_targets([0.5, 1.2])
    Traceback (most recent call last):
    ...
    ValueError: Unknown label type: continuous. Maybe you are trying to fit a classifier, which expects discrete classes on a regression target with continuous values.
    """
    y_type = type_of_target(y, input_name="y")
    if y_type not in _CLASSIFICATION_TYPES:
        raise ValueError(
            f"Unknown label type: {y_type}. Maybe you are trying to fit a classifier, "
            "which expects discrete classes on a regression target with continuous values."
        )


def unique_labels(*ys):
    """The sorted labels found in one or more targets of the same kind.

    Examples
    --------
    >>> from learnflow.utils.multiclass import unique_labels
    >>> unique_labels([3, 5, 5], [1, 3])
    array([1, 3, 5])
    """
    if not ys:
        raise ValueError("No argument has been passed.")
    types = {type_of_target(y) for y in ys}
    if types == {"binary", "multiclass"}:
        types = {"multiclass"}
    if len(types) > 1:
        raise ValueError(f"Mix type of y not allowed, got types {types}")
    if types == {"multilabel-indicator"}:
        widths = {_as_label_array(y).shape[1] for y in ys}
        if len(widths) > 1:
            raise ValueError("Multi-label binary indicator input with different numbers of labels")
        return np.arange(widths.pop())
    labels = [_as_label_array(y).ravel() for y in ys]
    kinds = {("str" if isinstance(v, str) else "number") for arr in labels for v in arr[:1]}
    if len(kinds) > 1:
        raise ValueError("Mix of label input types (string and number)")
    return np.unique(np.concatenate(labels))
