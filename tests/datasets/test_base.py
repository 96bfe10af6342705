"""The bundled loaders against scikit-learn's loaders and the book's numbers."""

import numpy as np
import pandas as pd
import pytest
import sklearn.datasets as skd
from sklearn.linear_model import LinearRegression
from sklearn.neighbors import KNeighborsRegressor

from learnflow.datasets import load_digits, load_housing, load_iris, load_lifesat

HOUSING_COLUMNS = [
    "longitude",
    "latitude",
    "housing_median_age",
    "total_rooms",
    "total_bedrooms",
    "population",
    "households",
    "median_income",
    "median_house_value",
    "ocean_proximity",
]


def test_housing_frame_matches_the_shared_csv(shared_datasets):
    housing = load_housing()
    oracle = pd.read_csv(shared_datasets / "housing" / "housing.csv")
    pd.testing.assert_frame_equal(housing.frame, oracle)
    assert housing.frame.shape == (20640, 10)
    assert list(housing.frame.columns) == HOUSING_COLUMNS


def test_housing_book_facts():
    housing = load_housing()
    assert housing.data.shape == (20640, 9)
    assert "median_house_value" not in housing.data.columns
    assert housing.feature_names == [c for c in HOUSING_COLUMNS if c != "median_house_value"]
    assert housing.target_names == ["median_house_value"]
    assert housing.target.name == "median_house_value"
    assert int(housing.data["total_bedrooms"].isna().sum()) == 207
    assert int(housing.frame.isna().sum().sum()) == 207
    # Chapter 2's value_counts (spec ch.2, L1243-1254)
    counts = housing.data["ocean_proximity"].value_counts().to_dict()
    assert counts == {"<1H OCEAN": 9136, "INLAND": 6551, "NEAR OCEAN": 2658, "NEAR BAY": 2290, "ISLAND": 5}
    assert "207 values" in housing.DESCR


def test_housing_numpy_and_return_X_y():
    bunch = load_housing(as_frame=True)
    X, y = load_housing(as_frame=False, return_X_y=True)
    assert X.dtype == object and X.shape == (20640, 9)
    assert y.dtype == np.float64 and y.shape == (20640,)
    np.testing.assert_array_equal(y, bunch.target.to_numpy())
    assert X[0, -1] == bunch.data["ocean_proximity"].iloc[0]
    Xf, yf = load_housing(return_X_y=True)
    assert isinstance(Xf, pd.DataFrame) and isinstance(yf, pd.Series)
    assert load_housing(as_frame=False).frame is None


def test_lifesat_reproduces_chapter_1():
    lifesat = load_lifesat()
    frame = lifesat.frame
    assert frame.shape == (29, 2)
    assert list(frame.columns) == ["GDP per capita", "Life satisfaction"]
    # The seven countries the book leaves out are absent.
    for country in ["Brazil", "Mexico", "Chile", "Czech Republic", "Norway", "Switzerland", "Luxembourg"]:
        assert country not in frame.index
    # Table 1-1 excerpt (spec ch.1): GDP -> life satisfaction
    for country, gdp, ls in [
        ("Hungary", 12240, 4.9),
        ("Korea", 27195, 5.8),
        ("France", 37675, 6.5),
        ("Australia", 50962, 7.3),
        ("United States", 55805, 7.2),
    ]:
        assert round(frame.loc[country, "GDP per capita"]) == gdp
        assert frame.loc[country, "Life satisfaction"] == ls
    X = np.c_[frame["GDP per capita"]]
    y = np.c_[frame["Life satisfaction"]]
    model = LinearRegression().fit(X, y)
    # theta0 = 4.85, theta1 = 4.91e-5; Cyprus -> [[5.96242338]] (book L595, L629)
    assert round(float(model.intercept_[0]), 2) == 4.85
    assert round(float(model.coef_[0, 0]), 7) == 4.91e-5
    np.testing.assert_allclose(model.predict([[22587]]), [[5.96242338]], atol=5e-9)
    # kNN (k=3) -> 5.77 (mean of Slovenia, Portugal, Spain; L632-636)
    knn = KNeighborsRegressor(n_neighbors=3).fit(X, y)
    np.testing.assert_allclose(knn.predict([[22587]]), [[5.766666666666667]])


def test_lifesat_raw_frames_read_as_the_book_does(shared_datasets):
    lifesat = load_lifesat()
    folder = shared_datasets / "lifesat"
    oecd = pd.read_csv(folder / "oecd_bli_2015.csv", thousands=",")
    gdp = pd.read_csv(
        folder / "gdp_per_capita.csv", thousands=",", delimiter="\t", encoding="latin1", na_values="n/a"
    )
    pd.testing.assert_frame_equal(lifesat.oecd_bli, oecd)
    pd.testing.assert_frame_equal(lifesat.gdp_per_capita, gdp)
    assert lifesat.oecd_bli.shape == (3292, 17)
    assert lifesat.gdp_per_capita.shape == (190, 7)
    pd.testing.assert_series_equal(lifesat.target, lifesat.frame["Life satisfaction"])


def _assert_bunch_equal(ours, theirs, keys):
    for key in keys:
        a, b = ours[key], theirs[key]
        if isinstance(b, pd.DataFrame):
            pd.testing.assert_frame_equal(a, b)
        elif isinstance(b, pd.Series):
            pd.testing.assert_series_equal(a, b)
        elif isinstance(b, np.ndarray):
            assert a.dtype == b.dtype
            np.testing.assert_array_equal(a, b)
        else:
            assert a == b, key


@pytest.mark.parametrize("as_frame", [False, True])
def test_load_iris_equals_sklearn(as_frame):
    ours, theirs = load_iris(as_frame=as_frame), skd.load_iris(as_frame=as_frame)
    keys = ["data", "target", "frame", "target_names", "feature_names", "DESCR"]
    _assert_bunch_equal(ours, theirs, keys)
    assert ours.data.shape == (150, 4)
    for a, b in zip(load_iris(return_X_y=True, as_frame=as_frame), skd.load_iris(return_X_y=True, as_frame=as_frame)):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))


@pytest.mark.parametrize("n_class, as_frame", [(10, False), (10, True), (3, False), (5, True)])
def test_load_digits_equals_sklearn(n_class, as_frame):
    ours = load_digits(n_class=n_class, as_frame=as_frame)
    theirs = skd.load_digits(n_class=n_class, as_frame=as_frame)
    keys = ["data", "target", "frame", "target_names", "feature_names", "images", "DESCR"]
    _assert_bunch_equal(ours, theirs, keys)
    X, y = load_digits(n_class=n_class, return_X_y=True)
    np.testing.assert_array_equal(X, skd.load_digits(n_class=n_class).data)


def test_load_digits_rejects_bad_n_class():
    with pytest.raises(ValueError, match="n_class"):
        load_digits(n_class=11)
