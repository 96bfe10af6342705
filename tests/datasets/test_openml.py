"""fetch_openml('mnist_784') and fetch_mldata('MNIST original'), served offline from the IDX files.

Oracles: the IDX files read by fetch_mnist (values and order), and
scikit-learn's own fetch_openml (structure, types, dtypes) run against a mock
of the OpenML server that serves mnist_784 built from the same images: OpenML's
metadata for data_id 554 (784 NUMERIC attributes ``pixel1`` .. ``pixel784``,
the nominal target ``class`` with values '0' .. '9', quoted in the ARFF file).
"""

import gzip
import hashlib
import io
import json
import warnings

import numpy as np
import pandas as pd
import pytest

from learnflow.datasets import fetch_mldata, fetch_mnist, fetch_openml

N_ORACLE_ROWS = 100  # the first 100 test images hold every digit


def _fetch(*args, **kwargs):
    """fetch_openml on the test-set-only folder, which warns that 60,000 images are missing."""
    with pytest.warns(UserWarning, match="Only the MNIST test files were found"):
        return fetch_openml(*args, **kwargs)


@pytest.fixture(scope="module")
def mnist(mnist_dir):
    return fetch_mnist(mnist_dir)


# Values and order against the IDX files


def test_book_call_matches_idx_pixels_and_labels(mnist_dir, mnist):
    bunch = _fetch("mnist_784", version=1, cache=True, as_frame=False, data_home=mnist_dir)
    assert bunch.data.shape == (10000, 784)
    np.testing.assert_array_equal(bunch.data, mnist.data)
    assert bunch.target.dtype == object
    assert bunch.target.tolist() == [str(label) for label in mnist.target]
    # the book's next lines: y = y.astype(np.uint8)
    np.testing.assert_array_equal(bunch.target.astype(np.uint8), mnist.target)


def test_frame_matches_idx(mnist_dir, mnist):
    X, y = _fetch(data_id=554, data_home=mnist_dir, return_X_y=True)
    np.testing.assert_array_equal(X.to_numpy(), mnist.data)
    assert y.astype(int).tolist() == mnist.target.tolist()


def _write_idx(path, array, magic):
    header = magic.to_bytes(4, "big") + b"".join(d.to_bytes(4, "big") for d in array.shape)
    path.write_bytes(gzip.compress(header + array.astype(np.uint8).tobytes()))


@pytest.fixture
def full_mnist_dir(tmp_path):
    """A tiny MNIST with both subsets: 30 'training' and 20 'test' images with known labels."""
    rng = np.random.RandomState(0)
    parts = {}
    for part, stem, n in (("train", "train", 30), ("test", "t10k", 20)):
        images = rng.randint(0, 256, size=(n, 28, 28))
        labels = rng.randint(0, 10, size=n)
        _write_idx(tmp_path / f"{stem}-images-idx3-ubyte.gz", images, 2051)
        _write_idx(tmp_path / f"{stem}-labels-idx1-ubyte.gz", labels, 2049)
        parts[part] = (images.reshape(n, 784), labels)
    return tmp_path, parts


def test_openml_order_is_training_then_test(full_mnist_dir):
    folder, parts = full_mnist_dir
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # both subsets present: no partial-data warning
        bunch = fetch_openml("mnist_784", version=1, as_frame=False, data_home=folder)
    np.testing.assert_array_equal(bunch.data, np.concatenate([parts["train"][0], parts["test"][0]]))
    expected = np.concatenate([parts["train"][1], parts["test"][1]]).astype(str).astype(object)
    np.testing.assert_array_equal(bunch.target, expected)


# Structure against scikit-learn's fetch_openml on a mock OpenML server


def _mock_openml_routes(images, labels):
    features = [
        {"index": str(i), "name": f"pixel{i + 1}", "data_type": "numeric", "is_target": "false",
         "is_ignore": "false", "is_row_identifier": "false", "number_of_missing_values": "0"}
        for i in range(784)
    ]
    features.append(
        {"index": "784", "name": "class", "data_type": "nominal", "nominal_value": [str(d) for d in range(10)],
         "is_target": "true", "is_ignore": "false", "is_row_identifier": "false", "number_of_missing_values": "0"}
    )
    lines = ["@RELATION mnist_784", ""] + [f"@ATTRIBUTE pixel{i + 1} NUMERIC" for i in range(784)]
    lines += ["@ATTRIBUTE class {'0','1','2','3','4','5','6','7','8','9'}", "", "@DATA"]
    lines += [",".join(map(str, row)) + f",'{label}'" for row, label in zip(images.tolist(), labels.tolist())]
    arff = ("\n".join(lines) + "\n").encode()
    description = {
        "id": "554", "name": "mnist_784", "version": "1", "description": "MNIST", "format": "ARFF",
        "url": "https://api.openml.org/data/v1/download/52667/mnist_784.arff", "file_id": "52667",
        "default_target_attribute": "class", "status": "active", "visibility": "public",
        "md5_checksum": hashlib.md5(arff).hexdigest(),
    }
    dataset = {"did": 554, "name": "mnist_784", "version": 1, "status": "active", "format": "ARFF"}
    return {
        "data/list/data_name/mnist_784": {"data": {"dataset": [dataset]}},
        "data/features/554": {"data_features": {"feature": features}},
        "data/qualities/554": {"data_qualities": {"quality": [{"name": "NumberOfInstances", "value": f"{len(labels)}.0"}]}},
        "data/554": {"data_set_description": description},
        "download/52667": arff,
    }


class _GzipResponse(io.BytesIO):
    def info(self):
        return {"Content-Encoding": "gzip"}


@pytest.fixture(scope="module")
def sklearn_fetch(mnist):
    """scikit-learn's fetch_openml, its HTTP replaced by the mock server (first 100 test images)."""
    import sklearn.datasets._openml as sk_openml

    routes = _mock_openml_routes(mnist.data[:N_ORACLE_ROWS], mnist.target[:N_ORACLE_ROWS])

    def urlopen(request, *args, **kwargs):
        url = getattr(request, "full_url", request)
        for key, payload in routes.items():
            if key in url:
                raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                return _GzipResponse(gzip.compress(raw))
        raise AssertionError(f"unexpected OpenML request {url}")

    def fetch(tmp_path, **kwargs):
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(sk_openml, "urlopen", urlopen)
            return sk_openml.fetch_openml("mnist_784", version=1, data_home=tmp_path, cache=False, **kwargs)

    return fetch


def _head(obj, n=N_ORACLE_ROWS):
    return obj.iloc[:n] if hasattr(obj, "iloc") else obj[:n]


def _assert_same_structure(ours, theirs):
    assert sorted(ours.keys()) == sorted(theirs.keys())
    for key in ("feature_names", "target_names", "url"):
        assert ours[key] == theirs[key], key
    assert ours.categories == theirs.categories
    assert set(theirs.details) <= set(ours.details) | {"md5_checksum", "description"}
    for key in ("id", "name", "version", "format", "file_id", "default_target_attribute", "status"):
        assert ours.details[key] == theirs.details[key], key
    for key in ("data", "target", "frame"):
        mine, ref = ours[key], theirs[key]
        assert type(mine) is type(ref), key
        if ref is None:
            continue
        if isinstance(ref, pd.DataFrame):
            pd.testing.assert_frame_equal(_head(mine).reset_index(drop=True), ref)
        elif isinstance(ref, pd.Series):
            pd.testing.assert_series_equal(_head(mine).reset_index(drop=True), ref)
        else:
            assert mine.dtype == ref.dtype, key
            assert mine.shape[1:] == ref.shape[1:], key
            np.testing.assert_array_equal(_head(mine), ref)


@pytest.mark.parametrize("as_frame", [False, True, "auto"])
@pytest.mark.parametrize("parser", ["auto", "pandas", "liac-arff"])
def test_structure_matches_sklearn(sklearn_fetch, tmp_path, mnist_dir, as_frame, parser):
    theirs = sklearn_fetch(tmp_path, as_frame=as_frame, parser=parser)
    ours = _fetch("mnist_784", version=1, as_frame=as_frame, parser=parser, data_home=mnist_dir)
    _assert_same_structure(ours, theirs)


@pytest.mark.parametrize(
    "target_column, as_frame, parser",
    [
        (None, True, "pandas"),
        (None, False, "liac-arff"),  # scikit-learn's pandas parser fails on this one (no target to convert)
        (["class"], False, "pandas"),
        (["class"], True, "liac-arff"),
        ("class", False, "liac-arff"),
    ],
)
def test_target_column_matches_sklearn(sklearn_fetch, tmp_path, mnist_dir, target_column, as_frame, parser):
    kwargs = dict(as_frame=as_frame, target_column=target_column, parser=parser)
    theirs = sklearn_fetch(tmp_path, **kwargs)
    ours = _fetch("mnist_784", version=1, data_home=mnist_dir, **kwargs)
    _assert_same_structure(ours, theirs)


def test_return_X_y_matches_sklearn(sklearn_fetch, tmp_path, mnist_dir):
    X_ref, y_ref = sklearn_fetch(tmp_path, as_frame=False, return_X_y=True)
    X, y = _fetch("mnist_784", version=1, as_frame=False, return_X_y=True, data_home=mnist_dir)
    assert X.dtype == X_ref.dtype and y.dtype == y_ref.dtype
    np.testing.assert_array_equal(X[:N_ORACLE_ROWS], X_ref)
    np.testing.assert_array_equal(y[:N_ORACLE_ROWS], y_ref)


# Errors


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(name="iris"), "cannot download the dataset 'iris'.*'mnist_784' \\(data_id=554\\)"),
        (dict(data_id=61), "cannot download data_id=61.*'mnist_784'"),
        (dict(name="mnist_784", data_id=554), "not both"),
        (dict(data_id=554, version=1), "not both"),
        (dict(), "Neither name nor data_id"),
        (dict(name="mnist_784", version=2), "version 2 not found"),
        (dict(name="mnist_784", as_frame="yes"), "'as_frame' parameter"),
        (dict(name="mnist_784", parser="arff"), "'parser' parameter"),
    ],
)
def test_bad_arguments_raise_value_error(kwargs, match):
    with pytest.raises(ValueError, match=match):
        fetch_openml(**kwargs)


def test_unknown_target_column_raises_key_error(mnist_dir):
    with pytest.raises(KeyError, match="Could not find target_column"):
        fetch_openml("mnist_784", target_column="label", data_home=mnist_dir)


# fetch_mldata


def _fetch_mldata(*args, **kwargs):
    with pytest.warns(FutureWarning, match="fetch_openml"):
        return fetch_mldata(*args, **kwargs)


def test_mldata_layout_sorted_by_label(mnist_dir, mnist):
    bunch = _fetch_mldata("MNIST original", data_home=mnist_dir)
    assert bunch.COL_NAMES == ["label", "data"]
    assert bunch.DESCR == "mldata.org dataset: mnist-original"
    assert bunch.data.dtype == np.uint8 and bunch.data.shape == (10000, 784)
    assert bunch.target.dtype == np.float64
    # each digit's block holds that digit's images in their IDX order
    start = 0
    for digit in range(10):
        rows = mnist.data[mnist.target == digit]
        np.testing.assert_array_equal(bunch.data[start : start + len(rows)], rows)
        assert (bunch.target[start : start + len(rows)] == digit).all()
        start += len(rows)
    assert start == 10000


def test_mldata_sorts_within_training_and_test_parts(full_mnist_dir):
    folder, parts = full_mnist_dir
    bunch = _fetch_mldata("mnist-original", data_home=folder)
    start = 0
    for images, labels in (parts["train"], parts["test"]):
        for digit in range(10):
            rows = images[labels == digit]
            np.testing.assert_array_equal(bunch.data[start : start + len(rows)], rows)
            assert (bunch.target[start : start + len(rows)] == digit).all()
            start += len(rows)
    assert start == 50


def test_mldata_untransposed_and_column_indices(mnist_dir):
    bunch = _fetch_mldata("MNIST original", target_name=0, data_name=1, transpose_data=False, data_home=mnist_dir)
    assert bunch.data.shape == (784, 10000)


@pytest.mark.parametrize(
    "args, kwargs, match",
    [
        (("iris",), {}, "cannot download 'iris'.*'MNIST original'"),
        (("MNIST original",), dict(target_name="target"), "target_name='target'"),
        (("MNIST original",), dict(data_name=3), "data_name=3"),
    ],
)
def test_mldata_bad_arguments(args, kwargs, match):
    with pytest.raises(ValueError, match=match):
        _fetch_mldata(*args, **kwargs)
