"""The book's MNIST input helper (``input_data.read_data_sets``) over ``fetch_mnist``."""

# SPDX-License-Identifier: BSD-3-Clause

import collections

import numpy as np

__all__ = ["DataSet", "Datasets", "read_data_sets", "train_test_images"]

Datasets = collections.namedtuple("Datasets", ["train", "validation", "test"])


class DataSet:
    """Images (pixels / 255) and labels with TensorFlow's ``next_batch`` epoch logic.

    >>> import numpy as np
    >>> ds = DataSet(np.arange(10).reshape(5, 2) * 255.0, np.arange(5), seed=0)
    >>> ds.num_examples, ds.next_batch(3)[0].shape
    (5, (3, 2))
    """

    def __init__(self, images, labels, seed=None, scale=True, dtype=np.float32):
        if len(images) != len(labels):
            raise ValueError(f"images and labels have different lengths: {len(images)} != "
                             f"{len(labels)}")
        images = np.asarray(images, dtype=dtype)
        self._images = images / 255.0 if scale else images
        self._labels = np.asarray(labels)
        self._rng = np.random.RandomState(seed)
        self._index, self.epochs_completed = 0, 0
        self._order = np.arange(len(images))

    images = property(lambda self: self._images)
    labels = property(lambda self: self._labels)
    num_examples = property(lambda self: len(self._images))

    def next_batch(self, batch_size, shuffle=True):
        """The next ``batch_size`` examples; reshuffles at the start of each epoch."""
        n = self.num_examples
        if self._index == 0 and shuffle:
            self._order = self._rng.permutation(n)
        end = self._index + batch_size
        if end <= n:
            idx = self._order[self._index:end]
            self._index = end % n if end == n else end
            if end == n:
                self.epochs_completed += 1
        else:  # finish this epoch and start the next one
            rest = self._order[self._index:]
            self.epochs_completed += 1
            self._order = self._rng.permutation(n) if shuffle else np.arange(n)
            self._index = batch_size - len(rest)
            idx = np.concatenate([rest, self._order[:self._index]])
        return self._images[idx], self._labels[idx]


def train_test_images(data_home=None, test_size=2000, seed=42, download_if_missing=True):
    """``(X_train, y_train, X_test, y_test)``: uint8 pixels (n, 784) and int64 labels.

    With the full MNIST files: the 60,000 training and 10,000 test images. With only the
    test-set files (the offline copy): those 10,000 images split stratified with ``seed``
    into ``test_size`` test images and the rest for training.
    """
    from ...datasets import fetch_mnist
    from ...model_selection import train_test_split

    mnist = fetch_mnist(data_home, download_if_missing=download_if_missing)
    X, y = mnist.data, mnist.target.astype(np.int64)
    if "train" in mnist.subsets and "test" in mnist.subsets:
        return X[:60000], y[:60000], X[60000:], y[60000:]
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=test_size, stratify=y,
                                                        random_state=seed)
    return X_train, y_train, X_test, y_test


def read_data_sets(data_home=None, one_hot=False, validation_size=5000, test_size=2000,
                   seed=42, dtype=np.float32, reshape=True, download_if_missing=True):
    """MNIST as ``Datasets(train, validation, test)`` with pixels scaled to [0, 1].

    With the full MNIST files the split is TensorFlow's: the 60,000 training images
    (the first ``validation_size`` of them as validation) and the 10,000 test images.
    With only the test-set files (the offline copy), those 10,000 images are split
    stratified with ``seed`` into ``test_size`` test images and the rest for training
    (of which ``validation_size`` go to validation): 8,000 / 2,000 with the defaults
    and ``validation_size=0``.
    """
    X_train, y_train, X_test, y_test = train_test_images(data_home, test_size, seed,
                                                         download_if_missing)
    if not 0 <= validation_size < len(X_train):
        raise ValueError(f"validation_size should be between 0 and {len(X_train)}. "
                         f"Received: {validation_size}.")
    if one_hot:
        y_train, y_test = np.eye(10)[y_train], np.eye(10)[y_test]
    if not reshape:
        X_train, X_test = X_train.reshape(-1, 28, 28, 1), X_test.reshape(-1, 28, 28, 1)
    make = lambda images, labels, s: DataSet(images, labels, seed=s, dtype=dtype)  # noqa: E731
    return Datasets(train=make(X_train[validation_size:], y_train[validation_size:], seed),
                    validation=make(X_train[:validation_size], y_train[:validation_size],
                                    seed + 1),
                    test=make(X_test, y_test, seed + 2))
