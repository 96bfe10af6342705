"""``tf.estimator.inputs``: input functions that feed numpy arrays to an estimator."""

# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral

import numpy as np

__all__ = ["numpy_input_fn"]


class _NumpyInputFn:
    """The ``input_fn`` of :func:`numpy_input_fn`: calling it starts a new pass over the
    arrays and returns an iterator of ``(features, labels)`` batches (TensorFlow returns
    the tensors of a dequeue op; learnflow's estimators consume the batches directly)."""

    def __init__(self, x, y, batch_size, num_epochs, shuffle):
        self.x, self.y = x, y
        self.batch_size, self.num_epochs, self.shuffle = batch_size, num_epochs, shuffle
        self.n_examples = len(next(iter(x.values())) if isinstance(x, dict) else x)

    def __call__(self):
        return self._batches(np.random if self.shuffle else None)

    def _batches(self, rng):  # rng: the np.random module (its global state) or None
        epoch = 0
        while self.num_epochs is None or epoch < self.num_epochs:
            order = rng.permutation(self.n_examples) if rng is not None else np.arange(self.n_examples)
            for start in range(0, self.n_examples, self.batch_size):
                idx = order[start:start + self.batch_size]
                yield _take(self.x, idx), (None if self.y is None else _take(self.y, idx))
            epoch += 1


def _take(data, idx):
    if isinstance(data, dict):
        return {key: value[idx] for key, value in data.items()}
    return data[idx]


def _as_arrays(data, name):
    if isinstance(data, dict):
        if not data:
            raise ValueError(f"{name} cannot be an empty dict")
        return {key: np.asarray(value) for key, value in data.items()}
    return np.asarray(data)


def numpy_input_fn(x, y=None, batch_size=128, num_epochs=1, shuffle=None, queue_capacity=1000,
                   num_threads=1):
    """An ``input_fn`` that feeds dicts of numpy arrays to an estimator in batches.

    Parameters
    ----------
    x : dict of array-like, or array-like
        The features: ``{"X": X_train}`` in the book (one feature column per key).
    y : array-like, dict of array-like or None, default=None
        The labels (None to predict).
    batch_size : int, default=128
        Examples per batch; the last batch of each epoch may be smaller.
    num_epochs : int or None, default=1
        Passes over the data; None repeats forever (then give the estimator ``steps``).
    shuffle : bool
        Whether each epoch visits the examples in a new random order (drawn from numpy's
        global random state, so ``np.random.seed`` makes it repeatable). Required, as in
        TensorFlow.
    queue_capacity, num_threads : int
        Accepted for TensorFlow's signature: the batches are sliced directly from the
        arrays, with no queue or reader threads.

    Returns
    -------
    input_fn : callable
        Each call returns an iterator of ``(features, labels)`` batches.

    Examples
    --------
    >>> import numpy as np
    >>> import learnflow.flow as tf
    >>> input_fn = tf.estimator.inputs.numpy_input_fn(
    ...     x={"X": np.arange(10.0).reshape(5, 2)}, y=np.arange(5), batch_size=2, shuffle=False)
    >>> [labels.tolist() for _, labels in input_fn()]
    [[0, 1], [2, 3], [4]]
    """
    if not isinstance(shuffle, bool):
        raise ValueError("shuffle must be provided and explicitly set as boolean (it is recommended "
                         f"to set it as True for training); got {shuffle}")
    if not isinstance(batch_size, Integral) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
    if num_epochs is not None and (not isinstance(num_epochs, Integral) or num_epochs < 1):
        raise ValueError(f"num_epochs must be None or a positive integer, got {num_epochs!r}")
    x = _as_arrays(x, "x")
    y = None if y is None else _as_arrays(y, "y")
    if isinstance(x, dict) and isinstance(y, dict) and set(x) & set(y):
        raise ValueError(f"x and y should not share keys: {sorted(set(x) & set(y))}")
    shapes = lambda data: ({k: v.shape for k, v in data.items()} if isinstance(data, dict)  # noqa: E731
                           else data.shape)
    lengths = {len(v) for v in (x.values() if isinstance(x, dict) else [x])}
    if y is not None:
        lengths |= {len(v) for v in (y.values() if isinstance(y, dict) else [y])}
    if len(lengths) != 1:
        raise ValueError("Length of tensors in x and y is mismatched. All elements in x and y must "
                         f"have the same length.\nShapes in x: {shapes(x)}\nShapes in y: "
                         f"{None if y is None else shapes(y)}")
    return _NumpyInputFn(x, y, int(batch_size), num_epochs, shuffle)
