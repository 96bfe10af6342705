"""``tf.keras.datasets.mnist.load_data``, over learnflow's MNIST files."""

# SPDX-License-Identifier: BSD-3-Clause

import numpy as np

from ...datasets._mnist import train_test_images

__all__ = ["load_data"]


def load_data(path=None):
    """MNIST as ``(x_train, y_train), (x_test, y_test)``, as Keras returns it.

    Images are uint8 arrays of shape (n, 28, 28) and labels uint8 arrays of shape (n,).
    With the full MNIST files this is Keras's 60,000 / 10,000 split; with only the
    test-set files (the offline copy) it is the 8,000 / 2,000 stratified split (seed 42)
    that ``tf.datasets.mnist.read_data_sets`` uses.

    Parameters
    ----------
    path : str or None, default=None
        The folder holding MNIST's IDX files (see :func:`learnflow.datasets.fetch_mnist`;
        Keras's ``path`` names a cached ``mnist.npz`` instead).

    Returns
    -------
    (x_train, y_train), (x_test, y_test) : tuple of tuples of ndarray

    Examples
    --------
    With the MNIST files in ``LEARNFLOW_DATA`` (tests/flow/test_estimator_input_fn.py runs
    this on the offline copy):

    >>> import learnflow.flow as tf
    >>> (X_train, y_train), (X_test, y_test) = tf.keras.datasets.mnist.load_data()  # doctest: +SKIP
    >>> X_train.shape, X_train.dtype, y_test.shape  # doctest: +SKIP
    ((8000, 28, 28), dtype('uint8'), (2000,))
    """
    X_train, y_train, X_test, y_test = train_test_images(path)
    images = lambda X: np.ascontiguousarray(X, dtype=np.uint8).reshape(-1, 28, 28)  # noqa: E731
    return (images(X_train), y_train.astype(np.uint8)), (images(X_test), y_test.astype(np.uint8))
