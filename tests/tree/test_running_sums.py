"""The split searches' running sums (torch's scan) equal numpy's ``cumsum`` bit for bit (the oracle)."""

import numpy as np
import pytest

from learnflow.tree import _splitter
from learnflow.tree._splitter import _running_sums


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.int32, np.uint8, np.bool_])
@pytest.mark.parametrize("shape", [(100_000,), (37, 400), (11, 30, 399), (5, 7)])
def test_running_sums_equal_numpy_cumsum(dtype, shape):
    rng = np.random.default_rng(0)
    a = rng.standard_normal(shape) * 1e3 if np.dtype(dtype).kind == "f" else rng.integers(0, 2 if dtype is np.bool_ else 100, shape)
    a = a.astype(dtype)
    expected = np.cumsum(a, axis=-1)
    result = _running_sums(a.copy())
    assert result.dtype == expected.dtype
    np.testing.assert_array_equal(result, expected)


def test_running_sums_out_in_place_and_strided():
    rng = np.random.default_rng(1)
    a = rng.standard_normal((300, 200)) * 1e6 + rng.random((300, 200))
    expected = np.cumsum(a, axis=1)
    out = np.empty_like(a)
    assert _running_sums(a, out=out) is out
    np.testing.assert_array_equal(out, expected)
    running = np.zeros((300, 201))  # a strided out: the level-wise search's layout
    _running_sums(a, out=running[:, 1:])
    np.testing.assert_array_equal(running[:, 1:], expected)
    assert (running[:, 0] == 0).all()
    np.testing.assert_array_equal(_running_sums(a[:, ::2].T), np.cumsum(a[:, ::2].T, axis=-1))  # strided input
    _running_sums(a, out=a)
    np.testing.assert_array_equal(a, expected)


def test_gathered_running_sums_equal_the_row_gather():
    rng = np.random.default_rng(2)
    stats = rng.random((400, 11))
    order = np.stack([rng.permutation(400) for _ in range(50)])[:, :399]

    class Ctx:
        cache = None

    got = _splitter._gathered_running_sums(Ctx(), np.ascontiguousarray(stats.T), order)
    np.testing.assert_array_equal(got, np.moveaxis(stats[order].cumsum(axis=1), 2, 0))
