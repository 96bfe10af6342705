"""DNNClassifier and DNNRegressor: the book's TF.Learn estimators, scikit-learn compatible.

Chapter 10 trains ``DNNClassifier(hidden_units=[300, 100], n_classes=10)`` on MNIST
with ``fit(X, y, batch_size=50, steps=40000)`` and reads ``evaluate(X, y)``.
"""

# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral, Real

import numpy as np

from ..._engine import check_random_state, is_torch, labels_to_output, to_numpy, to_output
from ...base import BaseEstimator, ClassifierMixin, MultiOutputMixin, RegressorMixin, _fit_context
from ...utils._param_validation import HasMethods, Interval, StrOptions
from ...utils.multiclass import check_classification_targets
from ...utils.validation import check_is_fitted, column_or_1d, validate_data
from .. import nn
from ._network import OPTIMIZERS, _build_graph, _predict, _train

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

    def _fit_network(self, X, targets, n_outputs, steps, batch_size):
        rng = check_random_state(self.random_state)
        seed = None if self.random_state is None else int(rng.randint(2**31 - 1))
        batch_size = min(batch_size or self.batch_size, len(X))
        if steps is None:
            steps = self.max_epochs * int(np.ceil(len(X) / batch_size))
        net = _build_graph(self._spec(), X.shape[1], n_outputs, seed)
        self.variables_, self.loss_curve_ = _train(net, X, targets, batch_size, int(steps), rng,
                                                   model_dir=self.model_dir)
        self.global_step_ = int(self.variables_["global_step"])
        self.n_outputs_ = n_outputs
        return self

    def _outputs(self, X, targets=None):
        check_is_fitted(self)
        X = _as_float64(validate_data(self, X, reset=False))
        net = _build_graph(self._spec(), X.shape[1], self.n_outputs_, None, train=False)
        return _predict(net, self.variables_, X, targets)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.non_deterministic = self.random_state is None
        return tags


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
    def fit(self, X, y, steps=None, batch_size=None):
        """Train for ``steps`` mini-batches (default: ``max_epochs`` epochs)."""
        X, y = validate_data(self, X, y)
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

    def predict(self, X):
        """Predicted class labels."""
        proba = self._proba(X)  # checks that the model is fitted
        return labels_to_output(self.classes_[np.argmax(proba, axis=1)], X)

    def _proba(self, X):
        proba = self._outputs(X)[0][:, :len(self.classes_)]
        return proba / proba.sum(axis=1, keepdims=True)

    def evaluate(self, X, y):
        """``{"accuracy", "loss", "global_step"}`` on ``(X, y)``, as TF.Learn returns."""
        check_is_fitted(self)
        y = column_or_1d(y)
        encoded = np.searchsorted(self.classes_, y)
        if np.any(encoded >= len(self.classes_)) or np.any(self.classes_[
                np.minimum(encoded, len(self.classes_) - 1)] != y):
            raise ValueError("y contains labels not seen during fit")
        proba, loss = self._outputs(X, encoded.astype(np.int64))
        accuracy = float(np.mean(np.argmax(proba, axis=1) == encoded))
        return {"accuracy": accuracy, "loss": float(loss), "global_step": self.global_step_}


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
    def fit(self, X, y, steps=None, batch_size=None):
        """Train for ``steps`` mini-batches (default: ``max_epochs`` epochs)."""
        X, y = validate_data(self, X, y, multi_output=True, y_numeric=True)
        X, y = _as_float64(X), _as_float64(y)
        self._y_1d = y.ndim == 1
        targets = y.reshape(len(y), -1).astype(np.float64)
        return self._fit_network(X, targets, targets.shape[1], steps, batch_size)

    def predict(self, X):
        """Predicted targets."""
        out = self._outputs(X)[0]
        return to_output(out.ravel() if self._y_1d else out, X)

    def evaluate(self, X, y):
        """``{"loss", "global_step"}`` (loss: mean over samples of the squared error)."""
        targets = np.asarray(y, dtype=np.float64).reshape(len(y), -1)
        _, loss = self._outputs(X, targets)
        return {"loss": float(loss), "global_step": self.global_step_}
