"""Loaders of the bundled datasets: housing, life satisfaction, iris and digits."""

# SPDX-License-Identifier: BSD-3-Clause

import csv
import gzip
from importlib import resources

import numpy as np
import pandas as pd

from ..utils import Bunch

__all__ = ["load_digits", "load_housing", "load_iris", "load_lifesat"]

_DATA = "data"

# The seven countries (positions in the GDP-sorted table of 36) that Chapter 1
# leaves out of its training set: the notebook's `remove_indices`.
_LIFESAT_REMOVED = (0, 1, 6, 8, 33, 34, 35)


def _data_file(name):
    return resources.files("learnflow.datasets").joinpath(_DATA, name)


def _load_descr(name):
    return _data_file(name).read_text(encoding="utf-8")


def _to_frame(data, target, feature_names, target_column="target"):
    """(frame, data DataFrame, target Series) as scikit-learn's as_frame does."""
    data_df = pd.DataFrame(data, columns=feature_names, copy=False)
    target_df = pd.DataFrame(target, columns=[target_column])
    frame = pd.concat([data_df, target_df], axis=1)
    return frame, frame[feature_names], frame[target_column]


def load_housing(*, as_frame=True, return_X_y=False):
    """Load the California housing dataset of the book's Chapter 2.

    20,640 districts with 9 attributes (``total_bedrooms`` has 207 missing
    values, ``ocean_proximity`` is categorical) and the target
    ``median_house_value``.

    Parameters
    ----------
    as_frame : bool, default=True
        If True, ``data`` is a DataFrame and ``target`` a Series, and ``frame``
        holds all 10 columns. If False, ``data`` is a numpy object array,
        ``target`` a float64 array and ``frame`` None.
    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~learnflow.utils.Bunch`
        ``data``, ``target``, ``frame``, ``feature_names``, ``target_names``, ``DESCR``.
    (data, target) : tuple if ``return_X_y`` is True

    Examples
    --------
    >>> from learnflow.datasets import load_housing
    >>> housing = load_housing()
    >>> housing.frame.shape, int(housing.data["total_bedrooms"].isna().sum())
    ((20640, 10), 207)
    """
    with _data_file("housing.csv.gz").open("rb") as f:
        frame = pd.read_csv(f, compression="gzip")
    target_name = "median_house_value"
    feature_names = [c for c in frame.columns if c != target_name]
    data, target = frame[feature_names], frame[target_name]
    if not as_frame:
        data = data.to_numpy(dtype=object)
        target = target.to_numpy(dtype=np.float64)
        frame = None
    if return_X_y:
        return data, target
    return Bunch(
        data=data,
        target=target,
        frame=frame,
        feature_names=feature_names,
        target_names=[target_name],
        DESCR=_load_descr("housing.rst"),
    )


def _prepare_country_stats(oecd_bli, gdp_per_capita):
    """The book's notebook helper: GDP per capita vs life satisfaction, 29 countries."""
    oecd_bli = oecd_bli[oecd_bli["INEQUALITY"] == "TOT"]
    oecd_bli = oecd_bli.pivot(index="Country", columns="Indicator", values="Value")
    gdp = gdp_per_capita.rename(columns={"2015": "GDP per capita"}).set_index("Country")
    full = pd.merge(left=oecd_bli, right=gdp, left_index=True, right_index=True)
    full = full.sort_values(by="GDP per capita")
    keep = sorted(set(range(len(full))) - set(_LIFESAT_REMOVED))
    return full[["GDP per capita", "Life satisfaction"]].iloc[keep]


def load_lifesat():
    """Load Chapter 1's life-satisfaction data (OECD BLI 2015 and IMF GDP per capita).

    Returns
    -------
    data : :class:`~learnflow.utils.Bunch`
        ``oecd_bli`` and ``gdp_per_capita``: the raw DataFrames read as the
        book reads them; ``frame``: the book's ``prepare_country_stats``
        result (29 countries, columns "GDP per capita" and "Life
        satisfaction", indexed by country); ``data`` (the GDP column as a
        DataFrame), ``target`` (the life satisfaction Series),
        ``feature_names``, ``target_names`` and ``DESCR``.

    Examples
    --------
    >>> from learnflow.datasets import load_lifesat
    >>> lifesat = load_lifesat()
    >>> lifesat.frame.shape, lifesat.oecd_bli.shape, lifesat.gdp_per_capita.shape
    ((29, 2), (3292, 17), (190, 7))
    >>> float(lifesat.frame.loc["Slovenia", "Life satisfaction"])
    5.7
    """
    with _data_file("oecd_bli_2015.csv.gz").open("rb") as f:
        oecd_bli = pd.read_csv(f, thousands=",", compression="gzip")
    with _data_file("gdp_per_capita.csv").open("rb") as f:
        gdp_per_capita = pd.read_csv(
            f, thousands=",", delimiter="\t", encoding="latin1", na_values="n/a"
        )
    frame = _prepare_country_stats(oecd_bli, gdp_per_capita)
    return Bunch(
        oecd_bli=oecd_bli,
        gdp_per_capita=gdp_per_capita,
        frame=frame,
        data=frame[["GDP per capita"]],
        target=frame["Life satisfaction"],
        feature_names=["GDP per capita"],
        target_names=["Life satisfaction"],
        DESCR=_load_descr("lifesat.rst"),
    )


def load_iris(*, return_X_y=False, as_frame=False):
    """Load Fisher's iris dataset (scikit-learn's ``load_iris``).

    Parameters
    ----------
    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.
    as_frame : bool, default=False
        Return ``data`` as a DataFrame, ``target`` as a Series and fill ``frame``.

    Returns
    -------
    data : :class:`~learnflow.utils.Bunch`
        ``data`` (150, 4), ``target`` (150,), ``frame``, ``target_names``,
        ``feature_names``, ``DESCR``, ``filename``.
    (data, target) : tuple if ``return_X_y`` is True

    Examples
    --------
    >>> from learnflow.datasets import load_iris
    >>> iris = load_iris()
    >>> iris.data.shape, iris.target_names.tolist()
    ((150, 4), ['setosa', 'versicolor', 'virginica'])
    """
    with _data_file("iris.csv").open("r", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        n_samples, n_features = int(header[0]), int(header[1])
        target_names = np.array(header[2:])
        data = np.empty((n_samples, n_features))
        target = np.empty((n_samples,), dtype=int)
        for i, row in enumerate(reader):
            data[i] = np.asarray(row[:-1], dtype=np.float64)
            target[i] = int(row[-1])
    feature_names = [
        "sepal length (cm)",
        "sepal width (cm)",
        "petal length (cm)",
        "petal width (cm)",
    ]
    frame = None
    if as_frame:
        frame, data, target = _to_frame(data, target, feature_names)
    if return_X_y:
        return data, target
    return Bunch(
        data=data,
        target=target,
        frame=frame,
        target_names=target_names,
        DESCR=_load_descr("iris.rst"),
        feature_names=feature_names,
        filename="iris.csv",
    )


def load_digits(*, n_class=10, return_X_y=False, as_frame=False):
    """Load the UCI 8x8 handwritten digits (scikit-learn's ``load_digits``).

    Parameters
    ----------
    n_class : int, default=10
        Keep the digits ``0 .. n_class - 1``.
    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.
    as_frame : bool, default=False
        Return ``data`` as a DataFrame, ``target`` as a Series and fill ``frame``.

    Returns
    -------
    data : :class:`~learnflow.utils.Bunch`
        ``data`` (n, 64) float64 pixels in 0..16, ``target``, ``frame``,
        ``feature_names``, ``target_names``, ``images`` (n, 8, 8), ``DESCR``.
    (data, target) : tuple if ``return_X_y`` is True

    Examples
    --------
    >>> from learnflow.datasets import load_digits
    >>> digits = load_digits()
    >>> digits.data.shape, digits.images.shape
    ((1797, 64), (1797, 8, 8))
    """
    if not (isinstance(n_class, (int, np.integer)) and 1 <= n_class <= 10):
        raise ValueError(
            f"The 'n_class' parameter of load_digits must be an int in the range "
            f"[1, 10]. Got {n_class!r} instead."
        )
    with _data_file("digits.csv.gz").open("rb") as f:
        with gzip.open(f, mode="rt", encoding="utf-8") as text:
            raw = np.loadtxt(text, delimiter=",")
    target = raw[:, -1].astype(int)
    flat_data = raw[:, :-1]
    images = flat_data.reshape(-1, 8, 8)
    if n_class < 10:
        keep = target < n_class
        flat_data, target, images = flat_data[keep], target[keep], images[keep]
    feature_names = [f"pixel_{row}_{col}" for row in range(8) for col in range(8)]
    frame = None
    if as_frame:
        frame, flat_data, target = _to_frame(flat_data, target, feature_names)
    if return_X_y:
        return flat_data, target
    return Bunch(
        data=flat_data,
        target=target,
        frame=frame,
        feature_names=feature_names,
        target_names=np.arange(10),
        images=images,
        DESCR=_load_descr("digits.rst"),
    )
