"""The `learnflow project` and `learnflow predict` commands on small data."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import learnflow
from learnflow.cli import main
from learnflow.datasets import load_housing, make_classification
from learnflow.project import ProjectError, run_project
from learnflow.project._workflow import _confidence_interval


@pytest.fixture(scope="module")
def housing_csv(tmp_path_factory):
    """800 districts of the book's housing data, with its missing values and categories."""
    path = tmp_path_factory.mktemp("data") / "housing.csv"
    load_housing().frame.sample(800, random_state=0).to_csv(path, index=False)
    return path


def _quiet(line):
    pass


# fast, deterministic candidates keep these tests quick; the full zoo runs in `make run`
_FAST_REGRESSORS = ["LinearRegression", "Ridge", "KNeighborsRegressor", "DecisionTreeRegressor"]


def test_same_seed_gives_the_same_leaderboard_and_model(housing_csv, tmp_path):
    runs = [
        run_project(
            housing_csv, out_dir=tmp_path / name, quick=True, time_budget=1e6, seed=7,
            models=_FAST_REGRESSORS, progress=_quiet,
        )
        for name in ("first", "second")
    ]
    first, second = runs
    pd.testing.assert_frame_equal(first.leaderboard.drop(columns="seconds"), second.leaderboard.drop(columns="seconds"))
    assert first.best_name == second.best_name and first.best_params == second.best_params
    assert first.test_score == second.test_score
    assert first.task == "regression" and first.stratified_on == "median_income"
    assert (first.n_train, first.n_test) == (640, 160)
    for name in ("report.html", "histograms.png", "geography.png", "scatter_matrix.png", "leaderboard.csv"):
        assert (tmp_path / "first" / name).is_file()


def test_saved_model_predicts_through_the_predict_command(housing_csv, tmp_path, capsys):
    result = run_project(housing_csv, out_dir=tmp_path, quick=True, cv=2, models=_FAST_REGRESSORS, progress=_quiet)
    frame = pd.read_csv(housing_csv)
    expected = learnflow.load(result.model_path).predict(frame.drop(columns="median_house_value"))
    out = tmp_path / "predictions.csv"
    assert main(["predict", str(result.model_path), str(housing_csv), "--output", str(out)]) == 0
    np.testing.assert_allclose(pd.read_csv(out)["prediction"], expected)


def test_classification_target_is_framed_and_scored_by_accuracy(tmp_path):
    X, y = make_classification(n_samples=300, n_features=5, random_state=0)
    path = tmp_path / "classes.csv"
    pd.DataFrame(X, columns=[f"f{i}" for i in range(5)]).assign(label=np.where(y, "yes", "no")).to_csv(path, index=False)
    result = run_project(
        path, target="label", out_dir=tmp_path / "out", quick=True, cv=3,
        models=["LogisticRegression", "KNeighborsClassifier", "DecisionTreeClassifier"], progress=_quiet,
    )
    assert result.task == "classification" and result.metric == "accuracy"
    assert 0.7 < result.test_score <= 1.0
    low, high = result.confidence_interval
    assert low < result.test_score < high


def test_rmse_interval_is_the_books_t_interval():
    rng = np.random.RandomState(0)
    y_true, y_pred = rng.randn(500), rng.randn(500)
    squared = (y_true - y_pred) ** 2
    low, high = stats.t.interval(0.95, 499, loc=squared.mean(), scale=stats.sem(squared))
    score, interval = _confidence_interval("regression", y_true, y_pred)
    assert score == pytest.approx(np.sqrt(squared.mean()))
    assert interval == pytest.approx((np.sqrt(low), np.sqrt(high)))


@pytest.mark.parametrize(
    "content, args, message",
    [
        ("a,b\n1,2\n3,4\n", ["--target", "price"], "The target column 'price' is not in the data"),
        ("", [], "is empty"),
        ("a,price\n", ["--target", "price"], "has a header but no data rows"),
        ("a,price\n1,x\n2,y\n3,x\n4,y\n", ["--target", "price", "--task", "regression"], "is not numeric"),
    ],
    ids=["missing-target", "empty", "header-only", "non-numeric-regression-target"],
)
def test_bad_csvs_end_with_a_clear_message_and_non_zero_exit(tmp_path, capsys, content, args, message):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    assert main(["project", str(path), "--out", str(tmp_path / "out"), *args]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_missing_file_and_bad_model_are_clear_errors(tmp_path, capsys):
    with pytest.raises(ProjectError, match="no such file"):
        run_project(tmp_path / "nope.csv", out_dir=tmp_path, progress=_quiet)
    not_a_model = tmp_path / "model.lfm"
    not_a_model.write_bytes(b"garbage")
    assert main(["predict", str(not_a_model), str(not_a_model)]) == 1
    assert "cannot load" in capsys.readouterr().err
