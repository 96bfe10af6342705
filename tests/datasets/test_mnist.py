"""fetch_mnist: decoding against a numpy oracle, folder lookup, download errors."""

import gzip
import hashlib
import io
import urllib.error

import numpy as np
import pytest

from learnflow.datasets import _mnist, fetch_mnist


def _oracle(path, header):
    """Decode a gzipped IDX file independently: skip the header, read bytes."""
    with gzip.open(path, "rb") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=header)


def test_fetch_mnist_test_set_from_shared_folder(mnist_dir):
    mnist = fetch_mnist(data_home=mnist_dir, download_if_missing=False)
    assert mnist.subsets == ["test"]
    assert mnist.data.shape == (10000, 784) and mnist.data.dtype == np.uint8
    assert mnist.target.shape == (10000,) and mnist.target.dtype == np.int64
    assert mnist.images.shape == (10000, 28, 28)
    images = _oracle(mnist_dir / "t10k-images-idx3-ubyte.gz", 16).reshape(10000, 784)
    labels = _oracle(mnist_dir / "t10k-labels-idx1-ubyte.gz", 8)
    np.testing.assert_array_equal(mnist.data, images)
    np.testing.assert_array_equal(mnist.target, labels)
    np.testing.assert_array_equal(mnist.images.reshape(10000, 784), images)
    counts = np.bincount(mnist.target, minlength=10)
    assert counts.sum() == 10000 and len(counts) == 10
    assert mnist.feature_names[0] == "pixel1" and mnist.feature_names[-1] == "pixel784"
    assert "MNIST" in mnist.DESCR


def test_fetch_mnist_all_returns_what_exists_without_network(mnist_dir, monkeypatch):
    def no_network(url, timeout):
        raise AssertionError("fetch_mnist must not download when a subset is present")

    monkeypatch.setattr(_mnist, "_open_url", no_network)
    X, y = fetch_mnist(mnist_dir, return_X_y=True)
    assert X.shape == (10000, 784) and y.shape == (10000,)


def test_fetch_mnist_env_var_and_as_frame(mnist_dir, monkeypatch):
    monkeypatch.setenv("LEARNFLOW_DATA", str(mnist_dir.parent))  # finds <root>/mnist
    mnist = fetch_mnist(subset="test", as_frame=True, download_if_missing=False)
    assert mnist.frame.shape == (10000, 785)
    assert list(mnist.data.columns[:2]) == ["pixel1", "pixel2"]
    np.testing.assert_array_equal(mnist.target.to_numpy(), _oracle(mnist_dir / "t10k-labels-idx1-ubyte.gz", 8))


def _idx(magic, dims, payload, compress=True):
    raw = magic.to_bytes(4, "big") + b"".join(d.to_bytes(4, "big") for d in dims) + payload
    return gzip.compress(raw) if compress else raw


def test_train_before_test_and_uncompressed_files(tmp_path):
    rng = np.random.RandomState(0)
    train = rng.randint(0, 256, size=(3, 28, 28)).astype(np.uint8)
    test = rng.randint(0, 256, size=(2, 28, 28)).astype(np.uint8)
    (tmp_path / "train-images-idx3-ubyte").write_bytes(_idx(2051, (3, 28, 28), train.tobytes(), False))
    (tmp_path / "train-labels-idx1-ubyte.gz").write_bytes(_idx(2049, (3,), bytes([7, 1, 2])))
    (tmp_path / "t10k-images-idx3-ubyte.gz").write_bytes(_idx(2051, (2, 28, 28), test.tobytes()))
    (tmp_path / "t10k-labels-idx1-ubyte").write_bytes(_idx(2049, (2,), bytes([9, 0]), False))
    mnist = fetch_mnist(tmp_path, download_if_missing=False)
    assert mnist.subsets == ["train", "test"]
    np.testing.assert_array_equal(mnist.images, np.concatenate([train, test]))
    assert mnist.target.tolist() == [7, 1, 2, 9, 0]
    assert fetch_mnist(tmp_path, subset="train").target.tolist() == [7, 1, 2]


@pytest.mark.parametrize(
    "images, match",
    [
        (_idx(2049, (2, 28, 28), bytes(2 * 784)), "magic number 2049"),
        (_idx(2051, (2, 28, 27), bytes(2 * 756)), "items of shape"),
        (_idx(2051, (2, 28, 28), bytes(784)), "needs"),
        (b"\x1f\x8bnot gzip at all", "gzip"),
    ],
    # gzip headers carry a timestamp: ids from the bytes would differ between xdist workers
    ids=["wrong-magic", "wrong-item-shape", "truncated", "not-gzip"],
)
def test_invalid_idx_files_raise_clear_errors(tmp_path, images, match):
    (tmp_path / "t10k-images-idx3-ubyte.gz").write_bytes(images)
    (tmp_path / "t10k-labels-idx1-ubyte.gz").write_bytes(_idx(2049, (2,), bytes(2)))
    with pytest.raises(ValueError, match=match):
        fetch_mnist(tmp_path, subset="test", download_if_missing=False)


def test_mismatched_counts(tmp_path):
    (tmp_path / "t10k-images-idx3-ubyte.gz").write_bytes(_idx(2051, (2, 28, 28), bytes(2 * 784)))
    (tmp_path / "t10k-labels-idx1-ubyte.gz").write_bytes(_idx(2049, (3,), bytes(3)))
    with pytest.raises(ValueError, match="2 images but"):
        fetch_mnist(tmp_path, subset="test", download_if_missing=False)


def test_missing_without_download(tmp_path):
    with pytest.raises(OSError, match="download_if_missing is False") as info:
        fetch_mnist(tmp_path / "empty", download_if_missing=False)
    assert "data_home" in str(info.value) and "LEARNFLOW_DATA" in str(info.value)


def test_network_failure_names_both_options(tmp_path, monkeypatch):
    calls = []

    def offline(url, timeout):
        calls.append((url, timeout))
        raise urllib.error.URLError("network is unreachable")

    monkeypatch.setattr(_mnist, "_open_url", offline)
    with pytest.raises(OSError) as info:
        fetch_mnist(tmp_path)
    message = str(info.value)
    assert "data_home" in message and "LEARNFLOW_DATA" in message
    assert "network" in message and "download" in message
    # gives up after the first file fails on every mirror, each with a short timeout
    assert len(calls) == len(_mnist._MIRRORS)
    assert all(timeout <= 10 for _, timeout in calls)
    assert list(tmp_path.iterdir()) == []  # no partial files left behind


def test_checksum_mismatch_leaves_no_file(tmp_path, monkeypatch):
    monkeypatch.setattr(_mnist, "_open_url", lambda url, timeout: io.BytesIO(b"corrupted bytes"))
    with pytest.raises(OSError, match="checksum mismatch"):
        fetch_mnist(tmp_path, subset="test")
    assert list(tmp_path.iterdir()) == []


def test_verified_download_lands_in_the_cache(tmp_path, monkeypatch):
    rng = np.random.RandomState(1)
    images = rng.randint(0, 256, size=(4, 28, 28)).astype(np.uint8)
    served = {
        "t10k-images-idx3-ubyte.gz": _idx(2051, (4, 28, 28), images.tobytes()),
        "t10k-labels-idx1-ubyte.gz": _idx(2049, (4,), bytes([3, 1, 4, 1])),
    }
    checksums = dict(_mnist._SHA256)
    checksums.update({name: hashlib.sha256(data).hexdigest() for name, data in served.items()})
    monkeypatch.setattr(_mnist, "_SHA256", checksums)
    served_urls = []

    def fake_open(url, timeout):
        served_urls.append(url)
        return io.BytesIO(served[url.rsplit("/", 1)[1]])

    monkeypatch.setattr(_mnist, "_open_url", fake_open)
    mnist = fetch_mnist(tmp_path, subset="test")
    np.testing.assert_array_equal(mnist.images, images)
    assert mnist.target.tolist() == [3, 1, 4, 1]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(served)
    # cached: a second call reads the files without the network
    monkeypatch.setattr(_mnist, "_open_url", lambda url, timeout: pytest.fail("downloaded twice"))
    assert fetch_mnist(tmp_path, subset="test").target.tolist() == [3, 1, 4, 1]


def test_bad_subset():
    with pytest.raises(ValueError, match="subset"):
        fetch_mnist(subset="validation")
