"""scikit-learn's ``fetch_openml`` and the removed ``fetch_mldata``, served offline.

The book loads MNIST with ``fetch_mldata('MNIST original')`` (scikit-learn
< 0.22, Chapter 3) or ``fetch_openml('mnist_784', version=1)`` (its later
notebooks, Chapters 3, 5 and 7). Both are served here from the MNIST IDX files
that :func:`~learnflow.datasets.fetch_mnist` reads, in the layout each
scikit-learn function returned. No other OpenML dataset is available: this
module never goes to openml.org.
"""

# SPDX-License-Identifier: BSD-3-Clause

import numbers
import re
import warnings
from collections import namedtuple

import numpy as np
import pandas as pd

from ..utils import Bunch
from ._base import _to_frame
from ._mnist import fetch_mnist

__all__ = ["fetch_mldata", "fetch_openml"]

# Types and constants

_N_PIXELS = 28 * 28
_CLASSES = [str(digit) for digit in range(10)]
_FEATURE_NAMES = [f"pixel{i}" for i in range(1, _N_PIXELS + 1)]
_TARGET_NAME = "class"

# OpenML's record of mnist_784 (its data set description, less the text).
_MNIST_784 = {
    "id": "554",
    "name": "mnist_784",
    "version": "1",
    "format": "ARFF",
    "licence": "Public",
    "url": "https://api.openml.org/data/v1/download/52667/mnist_784.arff",
    "file_id": "52667",
    "default_target_attribute": _TARGET_NAME,
    "visibility": "public",
    "status": "active",
}
# How each ARFF parser types the numeric pixel columns: pandas infers the
# integers of the file, LIAC-ARFF reads every NUMERIC attribute as float64.
_PARSER_DTYPES = {"pandas": np.int64, "liac-arff": np.float64}

_MNIST_784_DESCR = """\
**Author**: Yann LeCun, Corinna Cortes, Christopher J.C. Burges
**Source**: [MNIST Website](http://yann.lecun.com/exdb/mnist/) - Date unknown
**Please cite**:

The MNIST database of handwritten digits with 784 features, raw data
available at: http://yann.lecun.com/exdb/mnist/. 70,000 grayscale 28x28
images of the digits 0-9: the 60,000 training images followed by the 10,000
test images, each flattened row by row into pixel1 .. pixel784 (0 = white,
255 = black); the target ``class`` is the digit as a string '0' .. '9'.

Served offline by learnflow from the MNIST IDX files
(:func:`learnflow.datasets.fetch_mnist`) in OpenML's layout (data_id 554). A
folder holding only the t10k files gives the 10,000 test images.
"""

_MLDATA_DESCR = "mldata.org dataset: mnist-original"


# Shared helpers


def _offline_names():
    return ", ".join(f"{name!r} (data_id={dataset.data_id})" for name, dataset in _OFFLINE_DATASETS.items())


def _unknown_dataset_error(what):
    return ValueError(
        f"fetch_openml cannot download {what}: learnflow has no network access to "
        f"openml.org and serves only these datasets offline: {_offline_names()}."
    )


def _resolve_dataset(name, version, data_id):
    """(name, data_id) of an offline dataset, checked as scikit-learn checks them."""
    if name is not None and data_id is not None:
        raise ValueError(
            f"Dataset data_id={data_id} and name={name} passed, but you can only "
            "specify a numeric data_id or a name, not both."
        )
    if data_id is not None:
        if version != "active":
            raise ValueError(
                f"Dataset data_id={data_id} and version={version} passed, but you can "
                "only specify a numeric data_id or a version, not both."
            )
        names = [name for name, dataset in _OFFLINE_DATASETS.items() if dataset.data_id == data_id]
        if not names:
            raise _unknown_dataset_error(f"data_id={data_id}")
        return names[0], data_id
    if name is None:
        raise ValueError("Neither name nor data_id are provided. Please provide name or data_id.")
    key = name.lower()  # OpenML's names are case-insensitive, as scikit-learn lowers them
    if key not in _OFFLINE_DATASETS:
        raise _unknown_dataset_error(f"the dataset {name!r}")
    dataset = _OFFLINE_DATASETS[key]
    if version != "active" and version != dataset.version:
        raise ValueError(f"Dataset {name} with version {version} not found.")
    return key, dataset.data_id


def _target_columns(target_column):
    """The list of target names that ``target_column`` asks for (scikit-learn's rules)."""
    if target_column == "default-target":
        return [_TARGET_NAME]
    if target_column is None:
        return []
    names = [target_column] if isinstance(target_column, str) else list(target_column)
    unknown = [n for n in names if n != _TARGET_NAME and n not in _FEATURE_NAMES]
    if unknown:
        raise KeyError(f"Could not find target_column={unknown}")
    return names


def _read_subsets(data_home):
    """{subset: Bunch} of the MNIST subsets whose two IDX files are present."""
    found = {}
    for part in ("train", "test"):
        try:
            found[part] = fetch_mnist(data_home, subset=part, download_if_missing=False)
        except OSError:
            continue
    return found


def _load_mnist(data_home, warn_partial):
    """(pixels uint8 (n, 784), labels int64 (n,), {subset: size}): training rows first.

    Reads the subsets present; when there are none, ``fetch_mnist`` downloads
    them (or raises the OSError that names the folders searched).
    """
    found = _read_subsets(data_home)
    if not found:
        fetch_mnist(data_home)
        found = _read_subsets(data_home)
    if warn_partial and len(found) < 2:
        n = sum(len(b.target) for b in found.values())
        warnings.warn(
            f"Only the MNIST {' and '.join(found)} files were found, so {n} of the "
            "70,000 images are returned; give data_home= (or LEARNFLOW_DATA) a folder "
            "holding all four IDX files for the full set.",
            UserWarning,
            stacklevel=4,
        )
    pixels = np.concatenate([b.data for b in found.values()])
    labels = np.concatenate([b.target for b in found.values()])
    return pixels, labels, {part: len(b.target) for part, b in found.items()}


# fetch_openml


def _split_frame(frame, target_names):
    feature_names = [c for c in frame.columns if c not in target_names]
    X = frame[feature_names]
    if len(target_names) >= 2:
        y = frame[target_names]
    elif len(target_names) == 1:
        y = frame[target_names[0]]
    else:
        y = None
    return X, y, feature_names


def _to_arrays(X, y, parser):
    """as_frame=False: numpy arrays, as each scikit-learn parser returns them.

    LIAC-ARFF ordinal-encodes a categorical feature and reports its
    categories; the pandas parser keeps the values and reports the
    categories of every categorical column.
    """
    categories = {}
    if _TARGET_NAME in X.columns:
        categories[_TARGET_NAME] = list(_CLASSES)
        if parser == "liac-arff":
            X = X.assign(**{_TARGET_NAME: X[_TARGET_NAME].cat.codes.astype(np.float64)})
    elif parser == "pandas" and y is not None:
        categories[_TARGET_NAME] = list(_CLASSES)
    return X.to_numpy(), None if y is None else y.to_numpy(), categories


def _load_mnist_784(data_home, target_names, as_frame, parser):
    pixels, labels, _ = _load_mnist(data_home, warn_partial=True)
    pixels = pixels.astype(_PARSER_DTYPES[parser])
    if not as_frame and target_names == [_TARGET_NAME]:
        # the book's call: skip the DataFrame round trip for the 70,000 x 784 array
        X = pixels
        y = np.asarray(_CLASSES, dtype=object)[labels]
        categories = {_TARGET_NAME: list(_CLASSES)} if parser == "pandas" else {}
        return Bunch(data=X, target=y, frame=None, categories=categories,
                     feature_names=list(_FEATURE_NAMES), target_names=target_names)
    # the full OpenML table: pixel columns, then the categorical ``class``
    target = pd.Categorical.from_codes(labels, categories=_CLASSES)
    frame = _to_frame(pixels, target, _FEATURE_NAMES, target_column=_TARGET_NAME)[0]
    X, y, feature_names = _split_frame(frame, target_names)
    if as_frame:
        return Bunch(data=X, target=y, frame=frame, categories=None,
                     feature_names=feature_names, target_names=target_names)
    X, y, categories = _to_arrays(X, y, parser)
    return Bunch(data=X, target=y, frame=None, categories=categories,
                 feature_names=feature_names, target_names=target_names)


class _OfflineDataset(namedtuple("_OfflineDataset", ["loader", "descr", "details"])):
    """A dataset fetch_openml serves offline: its loader, DESCR and OpenML record (which holds id and version)."""

    @property
    def data_id(self):
        return int(self.details["id"])

    @property
    def version(self):
        return int(self.details["version"])


# The datasets fetch_openml serves, by OpenML name.
_OFFLINE_DATASETS = {"mnist_784": _OfflineDataset(_load_mnist_784, _MNIST_784_DESCR, _MNIST_784)}


def _check_choice(value, name, options):
    if value not in options:
        raise ValueError(
            f"The {name!r} parameter of fetch_openml must be one of "
            f"{', '.join(repr(o) for o in options)}. Got {value!r} instead."
        )


def fetch_openml(
    name=None,
    *,
    version="active",
    data_id=None,
    data_home=None,
    target_column="default-target",
    cache=True,
    return_X_y=False,
    as_frame="auto",
    n_retries=3,
    delay=1.0,
    parser="auto",
    read_csv_kwargs=None,
):
    """Fetch a dataset by name or data_id from OpenML, offline (scikit-learn's ``fetch_openml``).

    learnflow cannot reach openml.org: it serves ``'mnist_784'``
    (``data_id=554``) from the MNIST IDX files that
    :func:`~learnflow.datasets.fetch_mnist` reads (looked for in
    ``data_home``, else in the ``LEARNFLOW_DATA`` folder, else in
    ``~/learnflow_data/mnist``; downloaded there from a MNIST mirror if
    missing). Rows come in OpenML's order: the 60,000 training images, then
    the 10,000 test images. A folder holding only the test files gives those
    10,000 images, with a ``UserWarning``. Any other dataset raises a
    ``ValueError`` naming the datasets available offline.

    The result has scikit-learn's structure for mnist_784: pixel columns
    ``pixel1`` .. ``pixel784``, the target ``class`` holding the digits as
    strings ``'0'`` .. ``'9'`` (a categorical Series in DataFrame mode),
    ``categories``, ``details``, ``url`` and ``DESCR``.

    Parameters
    ----------
    name : str, default=None
        The OpenML name of the dataset (``'mnist_784'``, case-insensitive).
    version : int or "active", default="active"
        The dataset version; mnist_784 has only version 1.
    data_id : int, default=None
        The OpenML id of the dataset (554 for mnist_784); give either
        ``name`` or ``data_id``, not both.
    data_home : str or path-like, default=None
        The folder holding the MNIST IDX files (see
        :func:`~learnflow.datasets.fetch_mnist`).
    target_column : str, list or None, default="default-target"
        The target column(s): ``"default-target"`` is ``"class"``; ``None``
        returns every column as data and no target; a list gives a
        2-D target when it names two or more columns.
    cache : bool, default=True
        Accepted for compatibility: the IDX files are cached by
        :func:`~learnflow.datasets.fetch_mnist` in any case.
    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.
    as_frame : bool or "auto", default="auto"
        If True (or "auto", as mnist_784 is dense), ``data`` is a DataFrame,
        ``target`` a categorical Series and ``frame`` holds both; if False,
        numpy arrays.
    n_retries : int, default=3
        Accepted for compatibility (there are no HTTP requests to retry).
    delay : float, default=1.0
        Accepted for compatibility (there are no HTTP requests to retry).
    parser : {"auto", "pandas", "liac-arff"}, default="auto"
        Which ARFF parser's types to reproduce: "pandas" (what "auto" picks
        for the dense mnist_784) gives int64 pixels, "liac-arff" float64
        pixels (scikit-learn < 1.4's default, which the book's notebooks saw).
    read_csv_kwargs : dict, default=None
        Accepted for compatibility (no ARFF file is parsed).

    Returns
    -------
    data : :class:`~learnflow.utils.Bunch`
        ``data`` ndarray of shape (n, 784) or DataFrame; ``target`` object
        ndarray of digit strings or categorical Series; ``frame``
        (DataFrame, or None when ``as_frame`` is False); ``categories``
        (dict, None in DataFrame mode); ``feature_names``;
        ``target_names``; ``DESCR``; ``details`` (OpenML's metadata);
        ``url``.
    (data, target) : tuple if ``return_X_y`` is True

    Raises
    ------
    ValueError
        For a dataset other than mnist_784, or inconsistent arguments.
    OSError
        If the MNIST files are missing and cannot be downloaded.

    Examples
    --------
    >>> from learnflow.datasets import fetch_openml
    >>> mnist = fetch_openml("mnist_784", version=1, as_frame=False)  # doctest: +SKIP
    >>> mnist.data.shape, mnist.target[:3]  # doctest: +SKIP
    ((70000, 784), array(['5', '0', '4'], dtype=object))
    >>> fetch_openml("iris", version=1)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: fetch_openml cannot download the dataset 'iris': ... 'mnist_784' (data_id=554).
    """
    if name is not None and not isinstance(name, str):
        raise TypeError(f"The 'name' parameter of fetch_openml must be a str or None. Got {name!r} instead.")
    if data_id is not None and not isinstance(data_id, numbers.Integral):
        raise TypeError(f"The 'data_id' parameter of fetch_openml must be an int or None. Got {data_id!r} instead.")
    _check_choice(as_frame, "as_frame", ("auto", True, False))
    _check_choice(parser, "parser", ("auto", "pandas", "liac-arff"))
    name, data_id = _resolve_dataset(name, version, data_id)
    target_names = _target_columns(target_column)
    as_frame = True if as_frame == "auto" else as_frame  # mnist_784 is dense
    parser = "pandas" if parser == "auto" else parser
    dataset = _OFFLINE_DATASETS[name]
    bunch = dataset.loader(data_home, target_names, as_frame, parser)
    if return_X_y:
        return bunch.data, bunch.target
    bunch.update(DESCR=dataset.descr, details=dict(dataset.details), url=f"https://www.openml.org/d/{data_id}")
    return bunch


# fetch_mldata (removed from scikit-learn in 0.22)


def _mldata_filename(dataname):
    """scikit-learn's mldata name normalization: 'MNIST original' -> 'mnist-original'."""
    return re.sub(r"[().]", "", dataname.lower().replace(" ", "-"))


def _mldata_column(value, default, col_names, what):
    if value == default or value == col_names.index(default):
        return
    raise ValueError(
        f"The {what}={value!r} of fetch_mldata is not a column of 'MNIST original', whose "
        f"columns are {col_names} (give a name or its index)."
    )


def _sorted_by_label(sizes, labels):
    """Row order of mldata's copy: stably sorted by label within each subset."""
    sizes = list(sizes.values())
    starts = np.cumsum([0] + sizes[:-1])
    return np.concatenate(
        [start + np.argsort(labels[start : start + size], kind="stable") for start, size in zip(starts, sizes)]
    )


def fetch_mldata(dataname, target_name="label", data_name="data", transpose_data=True, data_home=None):
    """Load 'MNIST original' as the removed mldata.org loader did (scikit-learn < 0.22).

    .. deprecated::
        mldata.org is gone and scikit-learn removed ``fetch_mldata`` in 0.22;
        use ``fetch_openml('mnist_784', version=1)``. Each call warns with a
        ``FutureWarning``.

    The images come from the MNIST IDX files that
    :func:`~learnflow.datasets.fetch_mnist` reads, in mldata's layout:
    ``data`` uint8 (n, 784), ``target`` float64 digits, the training part
    (60,000) then the test part (10,000), each sorted by label (stably), as
    mldata's copy was; a folder holding only the test files gives the 10,000
    test images.

    Parameters
    ----------
    dataname : str
        The mldata name; only ``'MNIST original'`` (``'mnist-original'``) is served.
    target_name : str or int, default="label"
        The target column, by name or index in ``COL_NAMES``.
    data_name : str or int, default="data"
        The data column, by name or index in ``COL_NAMES``.
    transpose_data : bool, default=True
        If False, ``data`` is returned as stored by mldata: (784, n).
    data_home : str or path-like, default=None
        The folder holding the MNIST IDX files (see
        :func:`~learnflow.datasets.fetch_mnist`).

    Returns
    -------
    data : :class:`~learnflow.utils.Bunch`
        ``data``, ``target``, ``COL_NAMES`` (``['label', 'data']``) and ``DESCR``.

    Raises
    ------
    ValueError
        For any dataset other than 'MNIST original'.

    Examples
    --------
    >>> import warnings
    >>> from learnflow.datasets import fetch_mldata
    >>> with warnings.catch_warnings():  # doctest: +SKIP
    ...     warnings.simplefilter("ignore", FutureWarning)
    ...     mnist = fetch_mldata("MNIST original")
    >>> mnist.data.shape, mnist.data.dtype, mnist.target[:3]  # doctest: +SKIP
    ((70000, 784), dtype('uint8'), array([0., 0., 0.]))
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", FutureWarning)
    ...     fetch_mldata("iris")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: fetch_mldata cannot download 'iris': mldata.org no longer exists and ...
    """
    warnings.warn(
        "fetch_mldata was deprecated in scikit-learn 0.20 and removed in 0.22 "
        "(mldata.org is down); use fetch_openml('mnist_784', version=1) instead.",
        FutureWarning,
        stacklevel=2,
    )
    if not isinstance(dataname, str) or _mldata_filename(dataname) != "mnist-original":
        raise ValueError(
            f"fetch_mldata cannot download {dataname!r}: mldata.org no longer exists and "
            "learnflow serves only 'MNIST original' offline (or use "
            f"fetch_openml, which serves {_offline_names()})."
        )
    col_names = ["label", "data"]
    _mldata_column(target_name, "label", col_names, "target_name")
    _mldata_column(data_name, "data", col_names, "data_name")
    pixels, labels, sizes = _load_mnist(data_home, warn_partial=False)
    order = _sorted_by_label(sizes, labels)
    data = np.ascontiguousarray(pixels[order])
    return Bunch(
        data=data if transpose_data else data.T,
        target=labels[order].astype(np.float64),
        COL_NAMES=col_names,
        DESCR=_MLDATA_DESCR,
    )
