"""learnflow.save / learnflow.load: round trips, safety against tampering, atomic writes."""

import json

import numpy as np
import pytest
import torch
from safetensors import safe_open
from safetensors.torch import save_file

import learnflow
from learnflow._persistence import atomic_write
from learnflow.dummy import DummyClassifier, DummyRegressor


def test_fitted_estimators_round_trip(tmp_path):
    X = np.random.RandomState(0).randn(20, 3)
    y = np.array(["a", "b"] * 10)
    model = DummyClassifier(strategy="stratified", random_state=np.random.RandomState(3)).fit(X, y)
    learnflow.save(model, tmp_path / "model.lfm")
    restored = learnflow.load(tmp_path / "model.lfm")
    assert type(restored) is DummyClassifier and restored.get_params().keys() == model.get_params().keys()
    np.testing.assert_array_equal(restored.classes_, model.classes_)
    np.testing.assert_array_equal(restored.predict(X), model.predict(X))  # same RandomState stream


def test_values_of_every_supported_kind_round_trip(tmp_path):
    value = {
        "floats": [1.5, float("nan"), float("inf")],
        "ints": (1, 2),
        3: np.array([[1, 2]], dtype=np.int32),
        "strings": np.array(["x", None], dtype=object),
        "tensor": torch.arange(4.0),
        "scalar": np.float32(2.5),
        "dtype": np.dtype("float32"),
        "function": np.log1p,
        "class": DummyRegressor,
        "slice": slice(1, None, 2),
        "set": {1, "a"},
        "frozenset": frozenset([2]),
    }
    learnflow.save(value, tmp_path / "v.lfm")
    restored = learnflow.load(tmp_path / "v.lfm")
    assert restored["floats"][0] == 1.5 and np.isnan(restored["floats"][1]) and restored["floats"][2] == np.inf
    assert restored["ints"] == (1, 2)
    np.testing.assert_array_equal(restored[3], value[3])
    assert restored[3].dtype == np.int32
    assert list(restored["strings"]) == ["x", None]
    assert torch.equal(restored["tensor"], value["tensor"])
    assert restored["scalar"] == np.float32(2.5) and type(restored["scalar"]) is np.float32
    assert restored["dtype"] == np.float32 and restored["function"] is np.log1p
    assert restored["class"] is DummyRegressor
    assert restored["slice"] == slice(1, None, 2)
    assert restored["set"] == {1, "a"} and restored["frozenset"] == frozenset([2])


def test_objects_that_cannot_be_saved_safely_are_refused(tmp_path):
    with pytest.raises(TypeError, match="lambdas and locally defined functions cannot"):
        learnflow.save({"f": lambda x: x}, tmp_path / "f.lfm")
    with pytest.raises(TypeError, match="only stores objects from"):
        learnflow.save(json.JSONDecoder(), tmp_path / "j.lfm")
    assert not list(tmp_path.iterdir())  # nothing half-written is left behind


def test_tampered_file_referring_outside_the_allow_list_is_refused(tmp_path):
    path = tmp_path / "model.lfm"
    learnflow.save(DummyRegressor().fit([[0.0]], [1.0]), path)
    with safe_open(str(path), framework="pt") as handle:
        metadata = handle.metadata()
        tensors = {k: handle.get_tensor(k) for k in handle.keys()}
    metadata["structure"] = metadata["structure"].replace("learnflow.dummy:DummyRegressor", "os:system")
    save_file(tensors, str(path), metadata=metadata)
    with pytest.raises(ValueError, match="Refusing to load 'os:system'"):
        learnflow.load(path)


def test_corrupt_or_foreign_files_give_clear_errors(tmp_path):
    truncated = tmp_path / "truncated.lfm"
    learnflow.save(DummyRegressor().fit([[0.0]], [1.0]), truncated)
    truncated.write_bytes(truncated.read_bytes()[:20])
    with pytest.raises(ValueError, match="not a readable learnflow model file"):
        learnflow.load(truncated)
    foreign = tmp_path / "foreign.safetensors"
    save_file({"w": torch.zeros(2)}, str(foreign))
    with pytest.raises(ValueError, match="is not a learnflow model file"):
        learnflow.load(foreign)


def test_a_failed_write_leaves_the_previous_file_intact(tmp_path):
    path = tmp_path / "model.lfm"
    learnflow.save(DummyRegressor().fit([[0.0]], [7.0]), path)

    def crash_midway(temporary):
        with open(temporary, "wb") as handle:
            handle.write(b"partial")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        atomic_write(path, crash_midway)
    assert learnflow.load(path).predict([[0.0]])[0] == 7.0
    assert [p.name for p in tmp_path.iterdir()] == ["model.lfm"]
