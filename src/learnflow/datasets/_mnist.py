"""MNIST from its IDX files: a local folder, or a verified download into a cache."""

# SPDX-License-Identifier: BSD-3-Clause

import gzip
import hashlib
import os
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

import numpy as np

from ..utils import Bunch
from ._base import _to_frame

__all__ = ["fetch_mnist"]

# Public mirrors of the original files (yann.lecun.com itself now refuses bots).
_MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
)
# SHA-256 of the original gzip files, as TFDS and torchvision publish them.
_SHA256 = {
    "train-images-idx3-ubyte.gz": "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
    "train-labels-idx1-ubyte.gz": "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
    "t10k-images-idx3-ubyte.gz": "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
    "t10k-labels-idx1-ubyte.gz": "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
}
_FILES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}
_SUBSETS = {"all": ("train", "test"), "train": ("train",), "test": ("test",)}
_TIMEOUT = 10.0  # seconds, per network operation
_IMAGES_MAGIC, _LABELS_MAGIC = 2051, 2049
_N_PIXELS = 28 * 28

_DESCR = """\
MNIST handwritten digits
------------------------

70,000 grayscale 28x28 images of the digits 0-9 (60,000 training images
followed by 10,000 test images, the order of the book's Chapter 3), read
from the original IDX files. ``subsets`` tells which parts were found: a
folder holding only the t10k files gives the 10,000 test images.

Yann LeCun, Corinna Cortes and Christopher J.C. Burges; distributed under the
Creative Commons Attribution-Share Alike 3.0 license.
"""


def _folders(data_home):
    """Folders searched for the IDX files, the first being the download cache."""
    if data_home is not None:
        base = Path(data_home).expanduser()
    elif os.environ.get("LEARNFLOW_DATA"):
        base = Path(os.environ["LEARNFLOW_DATA"]).expanduser()
    else:
        return [Path("~/learnflow_data/mnist").expanduser()]
    return [base, base / "mnist"]


def _find(folders, stem):
    for folder in folders:
        for name in (stem + ".gz", stem):
            if (folder / name).is_file():
                return folder / name
    return None


def _read_idx(path, magic, item_shape):
    """Decode one IDX file of unsigned bytes, checking its header and size."""
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as exc:
            raise ValueError(f"{path} is not a valid gzip file: {exc}") from exc
    ndim = 1 + len(item_shape)
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise ValueError(f"{path} is too short ({len(raw)} bytes) to be an IDX file.")
    found = int.from_bytes(raw[:4], "big")
    if found != magic:
        raise ValueError(
            f"{path} has IDX magic number {found}; expected {magic} "
            f"(unsigned bytes, {ndim} dimension{'s' if ndim > 1 else ''})."
        )
    dims = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    if dims[1:] != item_shape:
        raise ValueError(f"{path} holds items of shape {dims[1:]}; expected {item_shape}.")
    expected = header + int(np.prod(dims))
    if len(raw) != expected:
        raise ValueError(
            f"{path} has {len(raw)} bytes; its header {dims} needs {expected}."
        )
    return np.frombuffer(raw, dtype=np.uint8, offset=header).reshape(dims)


def _open_url(url, timeout):
    """Open ``url`` for reading (module-level so that tests can replace it)."""
    return urllib.request.urlopen(url, timeout=timeout)


def _download(name, folder):
    """Fetch ``name`` from a mirror into ``folder``, verified by its SHA-256.

    The bytes go to a temporary file in ``folder`` that is renamed into place
    only once its checksum matches, so the cache never holds a partial or
    corrupt file. Returns the final path; raises OSError naming each failure.
    """
    folder.mkdir(parents=True, exist_ok=True)
    errors = []
    for mirror in _MIRRORS:
        url = mirror + name
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=folder)
        try:
            digest = hashlib.sha256()
            with os.fdopen(fd, "wb") as out, _open_url(url, _TIMEOUT) as response:
                while chunk := response.read(1 << 16):
                    digest.update(chunk)
                    out.write(chunk)
            if digest.hexdigest() != _SHA256[name]:
                errors.append(
                    f"{url}: SHA-256 checksum mismatch (got {digest.hexdigest()}, "
                    f"expected {_SHA256[name]})"
                )
                continue
            final = folder / name
            os.replace(tmp, final)
            return final
        except (OSError, urllib.error.URLError, ValueError) as exc:
            errors.append(f"{url}: {exc}")
        finally:
            if os.path.exists(tmp):
                os.remove(tmp)
    raise OSError("; ".join(errors))


def _missing_error(folders, missing, reason):
    where = ", ".join(str(f) for f in folders)
    return OSError(
        f"MNIST files {', '.join(missing)} were not found in {where}{reason}. "
        "Either pass data_home= (or set the LEARNFLOW_DATA environment variable) "
        "to a folder holding the IDX files (train-images-idx3-ubyte.gz, "
        "train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, "
        "t10k-labels-idx1-ubyte.gz, gzipped or not), or enable network access "
        "so that fetch_mnist(download_if_missing=True) can download them."
    )


def fetch_mnist(
    data_home=None, *, subset="all", download_if_missing=True, return_X_y=False, as_frame=False
):
    """Load the MNIST digits from their IDX files, downloading them if needed.

    The files (``train-images-idx3-ubyte``, ``train-labels-idx1-ubyte``,
    ``t10k-images-idx3-ubyte``, ``t10k-labels-idx1-ubyte``, each gzipped or
    not) are looked for in ``data_home`` (and its ``mnist`` subfolder), else
    in the folder named by the ``LEARNFLOW_DATA`` environment variable (and
    its ``mnist`` subfolder), else in ``~/learnflow_data/mnist``.

    With ``subset="all"`` every subset found is returned, training images
    first (the book's 70,000 ordering); a download is attempted only when
    no subset is present. With ``"train"`` or ``"test"`` that subset's
    missing files are downloaded. Downloads come from a public mirror with a
    10 s network timeout, are verified against the published SHA-256 and
    are renamed into the first folder above only once verified.

    Parameters
    ----------
    data_home : str or path-like, default=None
        The folder holding (or to receive) the IDX files.
    subset : {"all", "train", "test"}, default="all"
        Which part of MNIST to return.
    download_if_missing : bool, default=True
        If False, raise an OSError when files are missing instead of downloading.
    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.
    as_frame : bool, default=False
        Return ``data`` as a DataFrame (columns ``pixel1`` .. ``pixel784``),
        ``target`` as a Series and fill ``frame``.

    Returns
    -------
    data : :class:`~learnflow.utils.Bunch`
        ``data`` uint8 (n, 784), ``target`` int64 (n,), ``images`` (n, 28, 28),
        ``frame``, ``feature_names``, ``target_names``, ``subsets`` (the
        subsets returned, in order) and ``DESCR``.
    (data, target) : tuple if ``return_X_y`` is True

    Raises
    ------
    OSError
        If files are missing and could not be downloaded.
    ValueError
        If a file is not a valid MNIST IDX file.

    Examples
    --------
    >>> from learnflow.datasets import fetch_mnist
    >>> mnist = fetch_mnist("/path/to/mnist")  # doctest: +SKIP
    >>> mnist.data.shape, mnist.subsets  # doctest: +SKIP
    ((10000, 784), ['test'])
    """
    if subset not in _SUBSETS:
        raise ValueError(
            f"The 'subset' parameter of fetch_mnist must be one of 'all', 'train' "
            f"or 'test'. Got {subset!r} instead."
        )
    folders = _folders(data_home)
    wanted = _SUBSETS[subset]
    paths = {part: [_find(folders, stem) for stem in _FILES[part]] for part in wanted}
    complete = [part for part in wanted if all(paths[part])]
    if subset == "all" and complete:
        wanted = complete  # return what exists; "all" downloads only into an empty cache
    missing = [stem for part in wanted for stem, p in zip(_FILES[part], paths[part]) if p is None]
    if missing:
        if not download_if_missing:
            raise _missing_error(folders, missing, " and download_if_missing is False")
        for part in wanted:
            for i, stem in enumerate(_FILES[part]):
                if paths[part][i] is None:
                    try:
                        paths[part][i] = _download(stem + ".gz", folders[0])
                    except OSError as exc:
                        raise _missing_error(
                            folders, missing, f", and downloading failed ({exc})"
                        ) from exc

    images, labels = [], []
    for part in wanted:
        image_path, label_path = paths[part]
        part_images = _read_idx(image_path, _IMAGES_MAGIC, (28, 28))
        part_labels = _read_idx(label_path, _LABELS_MAGIC, ())
        if len(part_images) != len(part_labels):
            raise ValueError(
                f"{image_path} holds {len(part_images)} images but {label_path} "
                f"holds {len(part_labels)} labels."
            )
        images.append(part_images)
        labels.append(part_labels)
    images = np.concatenate(images)
    data = images.reshape(len(images), _N_PIXELS)
    target = np.concatenate(labels).astype(np.int64)
    feature_names = [f"pixel{i}" for i in range(1, _N_PIXELS + 1)]
    frame = None
    if as_frame:
        frame, data, target = _to_frame(data, target, feature_names)
    if return_X_y:
        return data, target
    return Bunch(
        data=data,
        target=target,
        frame=frame,
        images=images,
        feature_names=feature_names,
        target_names=np.arange(10),
        subsets=list(wanted),
        DESCR=_DESCR,
    )
