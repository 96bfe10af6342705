"""The engine: config, array conversion, dtype/device rules and seeded randomness."""

import threading
import warnings

import numpy as np
import pandas as pd
import pytest
import sklearn.utils
import torch

import learnflow
from learnflow._engine import (
    check_random_state,
    get_dtype,
    on_host_blas,
    one_torch_thread,
    to_numpy,
    to_output,
    to_tensor,
    torch_generator,
    warn_device_fallback,
)
from learnflow.exceptions import DeviceFallbackWarning, DeviceUnavailableError
from tests._devices import DEVICES


@pytest.mark.parametrize(
    "data",
    [
        [[1, 2], [3, 4]],
        np.array([[1, 2], [3, 4]], dtype=np.int32),
        np.array([[1.0, 2.0], [3.0, 4.0]], dtype=np.float32),
        pd.DataFrame({"a": [1, 3], "b": [2.0, 4.0]}),
    ],
    ids=["list", "int32", "float32", "dataframe"],
)
def test_to_tensor_gives_float64_on_cpu_by_default(data):
    tensor = to_tensor(data)
    assert tensor.dtype == torch.float64
    assert tensor.device.type == "cpu"
    np.testing.assert_array_equal(tensor.numpy(), np.asarray(data, dtype=np.float64))


def test_to_tensor_keep_preserves_integer_labels():
    tensor = to_tensor(np.array([0, 3, 2], dtype=np.int64), dtype="keep")
    assert tensor.dtype == torch.int64


def test_config_context_dtype_and_restore():
    with learnflow.config_context(dtype="float32"):
        assert to_tensor([[1.0]]).dtype == torch.float32
        assert get_dtype() == torch.float32
    assert to_tensor([[1.0]]).dtype == torch.float64
    assert learnflow.get_config()["dtype"] is None


def test_config_is_thread_local():
    seen = {}

    def worker():
        seen["dtype"] = learnflow.get_config()["dtype"]

    with learnflow.config_context(dtype="float32"):
        thread = threading.Thread(target=worker)
        thread.start()
        thread.join()
    assert seen["dtype"] is None


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has a GPU")
def test_cuda_without_gpu_is_a_clear_error():
    with pytest.raises(DeviceUnavailableError, match="no CUDA GPU is available"):
        with learnflow.config_context(device="cuda"):
            pass
    assert learnflow.get_config()["device"] == "cpu"


@pytest.mark.parametrize("bad", [{"device": "tpu-9000"}, {"dtype": "int8"}, {"transform_output": "polars"}])
def test_bad_config_values_name_the_setting(bad):
    (key,) = bad
    with pytest.raises(ValueError, match=key):
        learnflow.set_config(**bad)


@pytest.mark.parametrize("device", DEVICES)
def test_round_trip_numpy_in_numpy_out_torch_in_torch_out(device):
    with learnflow.config_context(device=device):
        as_numpy = to_output(to_tensor(np.ones((2, 2))) * 2, like=np.ones((2, 2)))
        assert isinstance(as_numpy, np.ndarray)
        np.testing.assert_array_equal(as_numpy, np.full((2, 2), 2.0))
        expected_dtype = torch.float64 if device == "cpu" else torch.float32
        assert to_tensor([[1.0]]).dtype == expected_dtype
    source = torch.ones(3, device=device)
    result = to_output(to_tensor(source, device="cpu") + 1, like=source)
    assert isinstance(result, torch.Tensor) and result.device == source.device
    np.testing.assert_array_equal(to_numpy(result), np.full(3, 2.0))


@pytest.mark.parametrize("seed", [0, 42, np.random.RandomState(7)])
def test_check_random_state_matches_scikit_learn(seed):
    ours = check_random_state(seed)
    theirs = sklearn.utils.check_random_state(seed if isinstance(seed, int) else np.random.RandomState(7))
    np.testing.assert_array_equal(ours.randint(1000, size=10), theirs.randint(1000, size=10))


def test_check_random_state_none_is_the_global_state_and_generators_are_accepted():
    assert check_random_state(None) is np.random.mtrand._rand
    first = check_random_state(np.random.default_rng(3)).rand(3)
    second = check_random_state(np.random.default_rng(3)).rand(3)
    np.testing.assert_array_equal(first, second)
    with pytest.raises(ValueError, match="cannot be used to seed"):
        check_random_state("42")


def test_torch_generator_is_reproducible_for_an_int_seed():
    first = torch.rand(5, generator=torch_generator(42, "cpu"), dtype=torch.float64)
    second = torch.rand(5, generator=torch_generator(42, "cpu"), dtype=torch.float64)
    third = torch.rand(5, generator=torch_generator(43, "cpu"), dtype=torch.float64)
    assert torch.equal(first, second)
    assert not torch.equal(first, third)


def test_device_fallback_warns_with_estimator_and_step():
    with pytest.warns(DeviceFallbackWarning, match=r"SVC: kernel cache cannot run on device 'cuda'"):
        warn_device_fallback("SVC", "kernel cache", "cuda", "no kernel")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        to_tensor([1.0])  # the normal path never warns


def test_one_torch_thread_restores_and_can_be_disabled():
    before = torch.get_num_threads()
    with one_torch_thread("cpu"):
        assert torch.get_num_threads() == 1
    assert torch.get_num_threads() == before
    with one_torch_thread("cpu", enabled=False), one_torch_thread("meta"):
        assert torch.get_num_threads() == before  # disabled, and not a CPU device: unchanged


def test_on_host_blas_only_for_cpu_float_tensors_of_one_dtype_outside_autograd():
    x64, x32 = torch.zeros(2, 2, dtype=torch.float64), torch.zeros(2, 2, dtype=torch.float32)
    assert on_host_blas(x64) and on_host_blas(x32) and on_host_blas(x64, x64)
    assert not on_host_blas(x64, x32)  # mixed dtypes stay on torch
    assert not on_host_blas(torch.zeros(2, dtype=torch.int64))
    assert not on_host_blas(x64.clone().requires_grad_())
    assert not on_host_blas(torch.zeros(2, 2, dtype=torch.float64, device="meta"))


def test_seeded_state_is_a_fresh_states_stream():
    """An int seed re-seeds one RandomState per thread: the stream of a new ``RandomState(seed)``; other seeds
    are ``check_random_state``'s."""
    from learnflow._engine import seeded_state

    for seed in (0, 42, 2**32 - 1):
        expected = np.random.RandomState(seed).randint(0, 1000, 20)
        np.testing.assert_array_equal(seeded_state(seed).randint(0, 1000, 20), expected)
    assert seeded_state(1) is seeded_state(2)  # (reused: callers must not keep it)
    rng = np.random.RandomState(0)
    assert seeded_state(rng) is rng and seeded_state(None) is np.random.mtrand._rand
