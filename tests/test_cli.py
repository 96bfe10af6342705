"""The ``learnflow`` command line."""

import subprocess
import sys

import pytest

from learnflow.cli import main
from learnflow.datasets import load_housing, load_iris


def test_datasets_lists_each_bundled_dataset_with_its_shape(capsys, mnist_dir):
    assert main(["datasets", "--data-home", str(mnist_dir)]) == 0
    out = capsys.readouterr().out
    housing_rows, housing_cols = load_housing().frame.shape
    assert f"housing  load_housing()  {housing_rows} x {housing_cols}" in out
    iris_rows, iris_cols = load_iris().data.shape
    assert f"load_iris()     {iris_rows} x {iris_cols}" in out
    assert "10000 x 784" in out


def test_datasets_without_mnist_says_how_to_provide_it(capsys, tmp_path):
    assert main(["datasets", "--data-home", str(tmp_path)]) == 0
    assert "not found locally: pass --data-home or set LEARNFLOW_DATA" in capsys.readouterr().out


def test_unknown_command_exits_non_zero_without_traceback():
    result = subprocess.run(
        [sys.executable, "-m", "learnflow.cli", "frobnicate"], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "invalid choice: 'frobnicate'" in result.stderr and "Traceback" not in result.stderr


def test_no_command_is_an_error():
    with pytest.raises(SystemExit) as exc:
        main([])
    assert exc.value.code == 2
