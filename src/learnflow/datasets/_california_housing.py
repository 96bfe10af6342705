"""scikit-learn's ``fetch_california_housing``, built from the book's bundled housing data."""

# SPDX-License-Identifier: BSD-3-Clause

import numpy as np

from ..utils import Bunch
from ._base import _load_descr, _to_frame, load_housing

__all__ = ["fetch_california_housing"]

_FEATURE_NAMES = ["MedInc", "HouseAge", "AveRooms", "AveBedrms", "Population", "AveOccup", "Latitude", "Longitude"]
_TARGET_NAME = "MedHouseVal"


def _solve_features(raw):
    """scikit-learn's 8 features and target from the book's raw columns.

    # AveRooms = total_rooms / households, AveBedrms = total_bedrooms / households,
    # AveOccup = population / households, MedHouseVal = median_house_value / 1e5
    """
    households = raw["households"].to_numpy(dtype=np.float64)
    columns = [
        raw["median_income"],
        raw["housing_median_age"],
        raw["total_rooms"] / households,
        raw["total_bedrooms"] / households,
        raw["population"],
        raw["population"] / households,
        raw["latitude"],
        raw["longitude"],
    ]
    data = np.column_stack([np.asarray(c, dtype=np.float64) for c in columns])
    target = raw["median_house_value"].to_numpy(dtype=np.float64) / 100000.0
    return data, target


def fetch_california_housing(
    *, data_home=None, download_if_missing=True, return_X_y=False, as_frame=False, n_retries=3, delay=1.0
):
    """Load the California housing regression dataset (scikit-learn's ``fetch_california_housing``).

    Built offline from the book's bundled Chapter 2 data
    (:func:`~learnflow.datasets.load_housing`) with scikit-learn's 8
    features: MedInc, HouseAge, AveRooms (total_rooms / households),
    AveBedrms (total_bedrooms / households), Population, AveOccup
    (population / households), Latitude and Longitude; the target
    MedHouseVal is the median house value in units of $100,000.

    The book's copy had 207 ``total_bedrooms`` values removed, so those 207
    districts are dropped: 20,433 rows (scikit-learn's download has 20,640),
    in the original order, all finite.

    Parameters
    ----------
    data_home : str or path-like, default=None
        Accepted for compatibility: the data ships with learnflow.
    download_if_missing : bool, default=True
        Accepted for compatibility: nothing is downloaded.
    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.
    as_frame : bool, default=False
        If True, ``data`` is a DataFrame, ``target`` a Series named
        ``MedHouseVal`` and ``frame`` holds both.
    n_retries : int, default=3
        Accepted for compatibility (no HTTP requests).
    delay : float, default=1.0
        Accepted for compatibility (no HTTP requests).

    Returns
    -------
    dataset : :class:`~learnflow.utils.Bunch`
        ``data`` ndarray of shape (20433, 8) (or DataFrame), ``target`` of
        shape (20433,) (or Series), ``frame`` (DataFrame or None),
        ``feature_names``, ``target_names`` (``['MedHouseVal']``) and ``DESCR``.
    (data, target) : tuple if ``return_X_y`` is True

    Examples
    --------
    >>> from learnflow.datasets import fetch_california_housing
    >>> housing = fetch_california_housing()
    >>> housing.data.shape, housing.target.shape
    ((20433, 8), (20433,))
    >>> housing.feature_names[:3], housing.target_names
    (['MedInc', 'HouseAge', 'AveRooms'], ['MedHouseVal'])
    """
    raw = load_housing(as_frame=True).frame
    raw = raw[raw["total_bedrooms"].notna()]
    data, target = _solve_features(raw)
    feature_names = list(_FEATURE_NAMES)
    frame = None
    if as_frame:
        frame, data, target = _to_frame(data, target, feature_names, target_column=_TARGET_NAME)
    if return_X_y:
        return data, target
    return Bunch(
        data=data,
        target=target,
        frame=frame,
        target_names=[_TARGET_NAME],
        feature_names=feature_names,
        DESCR=_load_descr("california_housing.rst"),
    )
