"""DNNClassifier and DNNRegressor: the book's TF.Learn estimators, scikit-learn compatible.

Chapter 10 trains ``DNNClassifier(hidden_units=[300, 100], n_classes=10)`` on MNIST
with ``fit(X, y, batch_size=50, steps=40000)`` and reads ``evaluate(X, y)``; its
notebook's ``tf.estimator`` version describes the input with feature columns and feeds
it through input functions: ``train(input_fn)``, ``evaluate(input_fn=...)`` and
``predict(input_fn=...)`` (a generator of one dict per example), as TensorFlow's
``Estimator``. Both ways train the same network and may be mixed: ``train`` continues
from the current weights, as TensorFlow continues from ``model_dir``'s checkpoint.
"""

# SPDX-License-Identifier: BSD-3-Clause

import itertools
from numbers import Integral, Real

import numpy as np

from ..._engine import check_random_state, is_torch, labels_to_output, to_numpy, to_output
from ...base import BaseEstimator, ClassifierMixin, MultiOutputMixin, RegressorMixin, _fit_context
from ...utils._param_validation import HasMethods, Interval, StrOptions
from ...utils.multiclass import check_classification_targets
from ...utils.validation import check_is_fitted, column_or_1d, validate_data
from .. import nn
from ..feature_column._columns import dense_input
from ._network import OPTIMIZERS, _build_graph, _predict, _session_runs, _train, epoch_batches

__all__ = ["DNNClassifier", "DNNRegressor"]


def _as_float64(a):
    return np.asarray(to_numpy(a) if is_torch(a) else a, dtype=np.float64)


class _BaseDNN(BaseEstimator):
    """Shared fit / predict machinery (see ``_network``)."""

    _parameter_constraints = {
        "hidden_units": ["array-like"],
        "feature_columns": [list, None],
        "activation_fn": [callable],
        "optimizer": [StrOptions(set(OPTIMIZERS)), HasMethods(["minimize"]), callable],
        "learning_rate": [Interval(Real, 0, None, closed="neither")],
        "dropout": [Interval(Real, 0, 1, closed="left"), None],
        "batch_norm": ["boolean"],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "max_epochs": [Interval(Integral, 1, None, closed="left")],
        "model_dir": [str, None],
        "random_state": ["random_state"],
    }

    def __init__(self, hidden_units=(100,), feature_columns=None, activation_fn=nn.relu,
                 optimizer="Adagrad", learning_rate=0.05, dropout=None, batch_norm=False,
                 batch_size=50, max_epochs=20, model_dir=None, random_state=None):
        self.hidden_units = hidden_units
        self.feature_columns = feature_columns
        self.activation_fn = activation_fn
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.dropout = dropout
        self.batch_norm = batch_norm
        self.batch_size = batch_size
        self.max_epochs = max_epochs
        self.model_dir = model_dir
        self.random_state = random_state

    def _spec(self):
        units = [int(u) for u in np.atleast_1d(self.hidden_units)]
        if any(u <= 0 for u in units):
            raise ValueError(f"hidden_units must be positive integers, got {self.hidden_units}")
        return {"hidden_units": units, "activation_fn": self.activation_fn,
                "dropout": self.dropout, "batch_norm": self.batch_norm, "loss": self._loss,
                "optimizer": self.optimizer, "learning_rate": self.learning_rate}

    def _graph_seed(self, rng):
        return None if self.random_state is None else int(rng.randint(2**31 - 1))

    def _fit_network(self, X, targets, n_outputs, steps, batch_size):
        rng = check_random_state(self.random_state)
        seed = self._graph_seed(rng)
        batch_size = min(batch_size or self.batch_size, len(X))
        batches_per_epoch = int(np.ceil(len(X) / batch_size))
        if steps is None:
            steps = self.max_epochs * batches_per_epoch
        net = _build_graph(self._spec(), X.shape[1], n_outputs, seed)
        batches = itertools.islice(epoch_batches(X, targets, batch_size, rng), int(steps))
        self.variables_, batch_losses = _train(net, batches, model_dir=self.model_dir)
        self.loss_curve_ = [_mean_loss(batch_losses[i:i + batches_per_epoch])
                            for i in range(0, len(batch_losses), batches_per_epoch)]
        self.global_step_ = int(self.variables_["global_step"])
        self.n_outputs_ = n_outputs
        return self

    def _outputs(self, X, targets=None):
        check_is_fitted(self)
        X = _as_float64(validate_data(self, X, reset=False))
        net = _build_graph(self._spec(), X.shape[1], self.n_outputs_, None, train=False)
        return _predict(net, self.variables_, X, targets)

    def _input_batches(self, input_fn, steps=None):
        """``input_fn``'s batches as (input matrix, labels) pairs, at most ``steps`` of them."""
        batches = ((dense_input(features, self.feature_columns), labels)
                   for features, labels in input_fn())
        return batches if steps is None else itertools.islice(batches, steps)

    def train(self, input_fn, hooks=None, steps=None, max_steps=None, saving_listeners=None):
        """Train on the batches of ``input_fn`` (TensorFlow's ``Estimator.train``).

        Parameters
        ----------
        input_fn : callable
            Returns an iterator of ``(features, labels)`` batches, e.g.
            ``tf.estimator.inputs.numpy_input_fn(x={"X": X}, y=y, shuffle=True)``;
            ``features`` are read through ``feature_columns``.
        hooks, saving_listeners : None
            Accepted for TensorFlow's signature (no training hooks here).
        steps : int or None, default=None
            Train for this many more batches (default: until ``input_fn`` ends).
        max_steps : int or None, default=None
            Train until ``global_step_`` reaches this (no step if it already has).

        Returns
        -------
        self
        """
        if steps is not None and max_steps is not None:
            raise ValueError("Can not provide both steps and max_steps.")
        for name, value in (("steps", steps), ("max_steps", max_steps)):
            if value is not None and value <= 0:
                raise ValueError(f"Must specify {name} > 0, given: {value}")
        self._validate_params()
        fitted = hasattr(self, "variables_")
        if max_steps is not None:
            steps = max_steps - (self.global_step_ if fitted else 0)
            if steps <= 0:
                return self
        if steps is None and getattr(input_fn, "num_epochs", 1) is None:
            raise ValueError("input_fn repeats forever (num_epochs=None): give steps or max_steps")
        batches = self._input_batches(input_fn, steps)
        first = next(batches, None)
        if first is None:
            raise ValueError("input_fn returned no batch to train on")
        if not fitted:
            self.n_features_in_ = first[0].shape[1]
            self._start_from_labels(first[1])
        first = self._checked_input(first[0]), self._encode_targets(first[1])
        net = _build_graph(self._spec(), self.n_features_in_, self.n_outputs_,
                           self._graph_seed(check_random_state(self.random_state)))
        batches = itertools.chain([first], ((X, self._encode_targets(labels)) for X, labels in batches))
        self.variables_, batch_losses = _train(net, batches, params=self.variables_ if fitted else None,
                                               model_dir=self.model_dir)
        self.loss_curve_ = (self.loss_curve_ if fitted else []) + [_mean_loss(batch_losses)]
        self.global_step_ = int(self.variables_["global_step"])
        return self

    def _evaluate_input_fn(self, input_fn, steps):
        """TensorFlow's evaluation dict over the batches of ``input_fn``: ``loss`` is the
        mean over batches of the summed per-example losses, ``average_loss`` their mean."""
        check_is_fitted(self)
        batches = [(X, self._encode_targets(labels)) for X, labels in self._input_batches(input_fn, steps)]
        if not batches:
            raise ValueError("input_fn returned no batch to evaluate on")
        net = _build_graph(self._spec(), self.n_features_in_, self.n_outputs_, None, train=False)
        feeds = ({net["X"]: self._checked_input(X)} for X, _ in batches)
        outputs = list(_session_runs(net, self.variables_, feeds, net["output"]))
        per_example = [self._example_losses(out, targets) for out, (_, targets) in zip(outputs, batches)]
        results = self._extra_metrics(np.concatenate(outputs), np.concatenate([t for _, t in batches]))
        results.update(average_loss=float(np.mean(np.concatenate(per_example))),
                       loss=float(np.mean([losses.sum() for losses in per_example])),
                       global_step=self.global_step_)
        return results

    def _predict_input_fn(self, input_fn):
        """One dict per example of ``input_fn``'s batches, lazily (``Estimator.predict``)."""
        check_is_fitted(self)
        net = _build_graph(self._spec(), self.n_features_in_, self.n_outputs_, None, train=False)
        feeds = ({net["X"]: self._checked_input(X)} for X, _ in self._input_batches(input_fn))
        for logits, output in _session_runs(net, self.variables_, feeds, [net["logits"], net["output"]]):
            yield from self._prediction_dicts(logits, output)

    def _checked_input(self, X):
        if X.shape[1] != self.n_features_in_:
            raise ValueError(f"X has {X.shape[1]} features, but {type(self).__name__} is expecting "
                             f"{self.n_features_in_} features as input")
        return X

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.non_deterministic = self.random_state is None
        return tags


def _given(labels):
    if labels is None:
        raise ValueError("no labels to train or evaluate on (input_fn gave y=None)")
    return labels


def _tf_learn_x(X, x):
    """``X``, given as ``X`` or as TF.Learn's ``x``."""
    if x is None:
        if X is None:
            raise TypeError("fit() needs the training inputs X (or x, TF.Learn's name for them)")
        return X
    if X is not None:
        raise TypeError("fit() got the training inputs twice: as X and as x")
    return x


def _mean_loss(batch_losses):
    """The mean per-example loss of ``[(batch mean loss, batch size), ...]``."""
    return float(sum(loss * n for loss, n in batch_losses) / sum(n for _, n in batch_losses))


class DNNClassifier(ClassifierMixin, _BaseDNN):
    """Deep feed-forward classifier trained with flow (the book's TF.Learn ``DNNClassifier``).

    Hidden layers ``dense -> [batch norm] -> activation_fn -> [dropout]``, a softmax
    output layer and the cross-entropy loss, trained by mini-batch ``optimizer`` steps.

    Parameters
    ----------
    hidden_units : sequence of int, default=(100,)
        Neurons per hidden layer (the book: ``[300, 100]``).
    feature_columns : list or None, default=None
        Accepted for the book's code; the columns are inferred from ``X`` (real-valued).
    n_classes : int or None, default=None
        Number of classes; inferred from ``y`` when None (must match when given).
    activation_fn : callable, default=tf.nn.relu
    optimizer : {"Adagrad", "Adam", "SGD", "Momentum", "RMSProp", "Ftrl"}, Optimizer or
        callable, default="Adagrad"
        A name (TF.Learn's default is Adagrad), an optimizer, or a factory returning one.
    learning_rate : float, default=0.05
        Used with a named optimizer.
    dropout : float or None, default=None
        Dropout rate after each hidden layer (training only).
    batch_norm : bool, default=False
        Batch Normalization before each hidden activation.
    batch_size : int, default=50
    max_epochs : int, default=20
        Epochs of ``fit(X, y)`` when ``steps`` is not given.
    model_dir : str or None, default=None
        If given, a checkpoint ``model.ckpt-<global_step>`` is written there after fit.
    random_state : int, RandomState or None, default=None

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    variables_ : dict of ndarray
        The trained variables by name (``hiddenlayer_0/dense/kernel``, ...).
    loss_curve_ : list of float
        Mean training loss of each epoch.
    global_step_ : int
    n_features_in_ : int

    Examples
    --------
    >>> from learnflow.datasets import load_iris
    >>> from learnflow.flow.estimator import DNNClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = DNNClassifier(hidden_units=[10], optimizer="Adam", learning_rate=0.05,
    ...                     max_epochs=30, random_state=0).fit(X, y)
    >>> clf.score(X, y) > 0.9
    True
    """

    _parameter_constraints = {**_BaseDNN._parameter_constraints,
                              "n_classes": [Interval(Integral, 1, None, closed="left"), None]}
    _loss = "softmax"

    def __init__(self, hidden_units=(100,), feature_columns=None, n_classes=None,
                 activation_fn=nn.relu, optimizer="Adagrad", learning_rate=0.05, dropout=None,
                 batch_norm=False, batch_size=50, max_epochs=20, model_dir=None,
                 random_state=None):
        super().__init__(hidden_units, feature_columns, activation_fn, optimizer, learning_rate,
                         dropout, batch_norm, batch_size, max_epochs, model_dir, random_state)
        self.n_classes = n_classes

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X=None, y=None, steps=None, batch_size=None, *, x=None):
        """Train for ``steps`` mini-batches (default: ``max_epochs`` epochs); ``x`` is
        TF.Learn's spelling of ``X`` (the book: ``fit(x=X_train, y=y_train, ...)``)."""
        X, y = validate_data(self, _tf_learn_x(X, x), y)
        X = _as_float64(X)
        y = column_or_1d(y, warn=True)
        check_classification_targets(y)
        self.classes_, encoded = np.unique(y, return_inverse=True)
        n_classes = len(self.classes_) if self.n_classes is None else self.n_classes
        if n_classes < len(self.classes_):
            raise ValueError(f"n_classes={self.n_classes} but y has {len(self.classes_)} classes")
        return self._fit_network(X, encoded.astype(np.int64), n_classes, steps, batch_size)

    def predict_proba(self, X):
        """Class probabilities of shape (n_samples, n_classes)."""
        return to_output(self._proba(X), X)

    def predict(self, X=None, *, input_fn=None):
        """Predicted class labels of ``X``; or, given ``input_fn``, a generator of one dict
        per example with TensorFlow's keys ``logits``, ``probabilities``, ``class_ids`` and
        ``classes`` (the label as bytes)."""
        if input_fn is not None:
            return self._predict_input_fn(input_fn)
        proba = self._proba(X)  # checks that the model is fitted
        return labels_to_output(self.classes_[np.argmax(proba, axis=1)], X)

    def _proba(self, X):
        proba = self._outputs(X)[0][:, :len(self.classes_)]
        return proba / proba.sum(axis=1, keepdims=True)

    def evaluate(self, X=None, y=None, *, input_fn=None, steps=None):
        """Metrics on ``(X, y)``: ``{"accuracy", "loss", "global_step"}`` as TF.Learn returns
        them (loss: the mean cross-entropy); or, given ``input_fn`` (at most ``steps`` of its
        batches), TensorFlow's ``Estimator.evaluate`` dict ``{"accuracy", "average_loss",
        "loss", "global_step"}``."""
        if input_fn is not None:
            return self._evaluate_input_fn(input_fn, steps)
        check_is_fitted(self)
        encoded = self._encode_targets(y)
        proba, loss = self._outputs(X, encoded)
        accuracy = float(np.mean(np.argmax(proba, axis=1) == encoded))
        return {"accuracy": accuracy, "loss": float(loss), "global_step": self.global_step_}

    def _start_from_labels(self, labels):
        """``train`` before any fit: the classes are ``0 .. n_classes - 1`` (TensorFlow's
        default ``n_classes`` is 2)."""
        self.classes_ = np.arange(2 if self.n_classes is None else self.n_classes)
        self.n_outputs_ = len(self.classes_)

    def _encode_targets(self, labels):
        y = column_or_1d(_given(labels))
        encoded = np.searchsorted(self.classes_, y)
        known = encoded < len(self.classes_)
        known[known] = self.classes_[encoded[known]] == y[known]
        if not known.all():
            raise ValueError(f"y contains labels not seen during fit: {np.unique(y[~known])[:10]} "
                             f"(the classes are {self.classes_[:10]}{'...' if len(self.classes_) > 10 else ''})")
        return encoded.astype(np.int64)

    def _example_losses(self, proba, targets):
        return -np.log(np.maximum(proba[np.arange(len(targets)), targets], np.finfo(np.float64).tiny))

    def _extra_metrics(self, proba, targets):
        return {"accuracy": float(np.mean(np.argmax(proba, axis=1) == targets))}

    def _prediction_dicts(self, logits, proba):
        for row_logits, row_proba in zip(logits, proba):
            class_id = int(np.argmax(row_proba))
            yield {"logits": row_logits, "probabilities": row_proba,
                   "class_ids": np.array([class_id]),
                   "classes": np.array([str(self.classes_[class_id]).encode()], dtype=object)}


class DNNRegressor(MultiOutputMixin, RegressorMixin, _BaseDNN):
    """Deep feed-forward regressor trained with flow (TF.Learn's ``DNNRegressor``).

    As :class:`DNNClassifier` with a linear output layer and the mean squared error.

    Parameters
    ----------
    hidden_units : sequence of int, default=(100,)
    feature_columns : list or None, default=None
    activation_fn : callable, default=tf.nn.relu
    optimizer : str, Optimizer or callable, default="Adagrad"
    learning_rate : float, default=0.05
    dropout : float or None, default=None
    batch_norm : bool, default=False
    batch_size : int, default=50
    max_epochs : int, default=20
    model_dir : str or None, default=None
    random_state : int, RandomState or None, default=None

    Attributes
    ----------
    variables_ : dict of ndarray
    loss_curve_ : list of float
    global_step_ : int
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from learnflow.flow.estimator import DNNRegressor
    >>> X = np.linspace(-1, 1, 200).reshape(-1, 1)
    >>> reg = DNNRegressor(hidden_units=[20], optimizer="Adam", learning_rate=0.01,
    ...                    max_epochs=100, random_state=0).fit(X, 3 * X.ravel() + 1)
    >>> reg.score(X, 3 * X.ravel() + 1) > 0.95
    True
    """

    _loss = "mse"

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X=None, y=None, steps=None, batch_size=None, *, x=None):
        """Train for ``steps`` mini-batches (default: ``max_epochs`` epochs); ``x`` is
        TF.Learn's spelling of ``X``."""
        X, y = validate_data(self, _tf_learn_x(X, x), y, multi_output=True, y_numeric=True)
        X, y = _as_float64(X), _as_float64(y)
        self._y_1d = y.ndim == 1
        targets = y.reshape(len(y), -1).astype(np.float64)
        return self._fit_network(X, targets, targets.shape[1], steps, batch_size)

    def predict(self, X=None, *, input_fn=None):
        """Predicted targets of ``X``; or, given ``input_fn``, a generator of one dict
        ``{"predictions": ...}`` per example (TensorFlow's ``Estimator.predict``)."""
        if input_fn is not None:
            return self._predict_input_fn(input_fn)
        out = self._outputs(X)[0]
        return to_output(out.ravel() if self._y_1d else out, X)

    def evaluate(self, X=None, y=None, *, input_fn=None, steps=None):
        """``{"loss", "global_step"}`` on ``(X, y)`` (loss: mean over samples of the squared
        error); or, given ``input_fn``, TensorFlow's ``{"average_loss", "loss",
        "global_step"}``."""
        if input_fn is not None:
            return self._evaluate_input_fn(input_fn, steps)
        check_is_fitted(self)
        _, loss = self._outputs(X, self._encode_targets(y))
        return {"loss": float(loss), "global_step": self.global_step_}

    def _start_from_labels(self, labels):
        """``train`` before any fit: one output per label column of the first batch."""
        y = _as_float64(_given(labels))
        self._y_1d, self.n_outputs_ = y.ndim == 1, y.reshape(len(y), -1).shape[1]

    def _encode_targets(self, labels):
        y = _as_float64(_given(labels))
        targets = y.reshape(len(y), -1)
        if targets.shape[1] != self.n_outputs_:
            raise ValueError(f"y has {targets.shape[1]} target columns, but {type(self).__name__} "
                             f"was trained on {self.n_outputs_}")
        return targets

    def _example_losses(self, predictions, targets):
        return np.sum((predictions - targets) ** 2, axis=1)

    def _extra_metrics(self, predictions, targets):
        return {}

    def _prediction_dicts(self, logits, predictions):
        for row in predictions:
            yield {"predictions": row}
