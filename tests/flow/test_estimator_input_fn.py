"""``tf.estimator``'s input-function API (the Chapter 10 notebook's DNNClassifier code):
``tf.feature_column.numeric_column``, ``tf.estimator.inputs.numpy_input_fn``,
``train`` / ``evaluate`` / ``predict`` with ``input_fn``, and ``tf.keras.datasets.mnist``.

Oracles: scikit-learn's MLPClassifier accuracy on the same digits, TensorFlow's documented
definitions (``average_loss`` = mean per-example loss, ``loss`` = mean over batches of the
summed per-example losses), and the estimator's own ``fit``-side API on the same data.
"""

import numpy as np
import pytest
from sklearn.datasets import load_digits, make_regression
from sklearn.neural_network import MLPClassifier as SkMLPClassifier

import learnflow.flow as tf
from learnflow.flow.estimator import DNNClassifier, DNNRegressor


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    X = (X / 16.0).astype(np.float32)
    return X[:1200], y[:1200].astype(np.int32), X[1200:], y[1200:].astype(np.int32)


def test_numpy_input_fn_batches_and_epochs():
    X = np.arange(14.0).reshape(7, 2)
    y = np.arange(7)
    ordered = tf.estimator.inputs.numpy_input_fn(x={"X": X}, y=y, batch_size=3, num_epochs=2,
                                                 shuffle=False)
    batches = list(ordered())
    assert [labels.tolist() for _, labels in batches] == [[0, 1, 2], [3, 4, 5], [6]] * 2
    np.testing.assert_array_equal(batches[1][0]["X"], X[3:6])
    np.random.seed(0)
    shuffled = [labels for _, labels in tf.estimator.inputs.numpy_input_fn(
        x={"X": X}, y=y, batch_size=3, num_epochs=3, shuffle=True)()]
    epochs = np.concatenate(shuffled).reshape(3, 7)
    for epoch in epochs:  # every example once per epoch, in a new order
        assert sorted(epoch) == list(range(7))
    assert len({tuple(e) for e in epochs}) > 1
    forever = tf.estimator.inputs.numpy_input_fn(x=X, y=y, batch_size=4, num_epochs=None,
                                                 shuffle=False)()
    assert [len(next(forever)[1]) for _ in range(5)] == [4, 3, 4, 3, 4]


@pytest.mark.parametrize("kwargs, message", [
    ({"x": {"X": np.zeros((3, 2))}, "y": np.zeros(3)}, "shuffle must be provided"),
    ({"x": {"X": np.zeros((3, 2))}, "y": np.zeros(4), "shuffle": True}, "mismatched"),
    ({"x": {"X": np.zeros((3, 2)), "Z": np.zeros(2)}, "shuffle": True}, "mismatched"),
    ({"x": {}, "shuffle": True}, "empty dict"),
    ({"x": {"X": np.zeros(3)}, "y": {"X": np.zeros(3)}, "shuffle": True}, "share keys"),
    ({"x": np.zeros(3), "shuffle": True, "num_epochs": 0}, "num_epochs"),
    ({"x": np.zeros(3), "shuffle": True, "batch_size": 0}, "batch_size"),
])
def test_numpy_input_fn_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        tf.estimator.inputs.numpy_input_fn(**kwargs)


def test_numeric_column_and_dense_input():
    from learnflow.flow.feature_column._columns import dense_input

    column = tf.feature_column.numeric_column("X", shape=[2, 3])
    assert (column.key, column.shape, column.width, column.dtype) == ("X", (2, 3), 6, tf.float32)
    features = {"b": np.ones((4, 1)), "a": np.arange(24.0).reshape(4, 2, 3)}
    columns = [tf.feature_column.numeric_column("b"),
               tf.feature_column.numeric_column("a", shape=(2, 3), normalizer_fn=lambda v: v / 2)]
    matrix = dense_input(features, columns)  # sorted by key: "a" first, as TensorFlow
    np.testing.assert_array_equal(matrix, np.c_[np.arange(24.0).reshape(4, 6) / 2, np.ones(4)])
    with pytest.raises(ValueError, match="column's shape"):
        dense_input({"a": np.zeros((4, 5)), "b": np.zeros(4)}, columns)
    with pytest.raises(ValueError, match="not among the input features"):
        dense_input({"a": np.zeros((4, 6))}, columns)
    with pytest.raises(ValueError, match="feature_columns are needed"):
        dense_input(features, None)
    for bad in [{"key": 3}, {"key": "X", "shape": [0]}, {"key": "X", "dtype": tf.string}]:
        with pytest.raises(ValueError):
            tf.feature_column.numeric_column(**bad)


def test_dnn_classifier_input_fn_workflow(digits):
    """The notebook's code on digits: train 30 epochs, evaluate, predict."""
    X_train, y_train, X_test, y_test = digits
    feature_cols = [tf.feature_column.numeric_column("X", shape=[64])]
    clf = DNNClassifier(hidden_units=[64, 32], n_classes=10, feature_columns=feature_cols,
                        optimizer="Adam", learning_rate=0.005, random_state=0)
    np.random.seed(42)
    input_fn = tf.estimator.inputs.numpy_input_fn(x={"X": X_train}, y=y_train, num_epochs=30,
                                                  batch_size=50, shuffle=True)
    clf.train(input_fn=input_fn)
    assert clf.global_step_ == 30 * 24 and clf.n_features_in_ == 64
    np.testing.assert_array_equal(clf.classes_, np.arange(10))
    sk = SkMLPClassifier((64, 32), learning_rate_init=0.005, max_iter=30, batch_size=50,
                         random_state=0).fit(X_train, y_train)
    accuracy = clf.score(X_test, y_test)
    assert accuracy >= sk.score(X_test, y_test) - 0.03, (accuracy, sk.score(X_test, y_test))

    test_input_fn = tf.estimator.inputs.numpy_input_fn(x={"X": X_test}, y=y_test, batch_size=128,
                                                       shuffle=False)
    results = clf.evaluate(input_fn=test_input_fn)
    assert set(results) == {"accuracy", "average_loss", "loss", "global_step"}
    proba = clf.predict_proba(X_test)
    losses = -np.log(proba[np.arange(len(y_test)), y_test])
    assert results["accuracy"] == pytest.approx(accuracy)
    assert results["average_loss"] == pytest.approx(losses.mean(), rel=1e-6)
    batch_sums = [losses[i:i + 128].sum() for i in range(0, len(losses), 128)]
    assert results["loss"] == pytest.approx(np.mean(batch_sums), rel=1e-6)
    assert results["global_step"] == clf.global_step_

    y_pred = list(clf.predict(input_fn=test_input_fn))
    assert len(y_pred) == len(y_test)
    assert set(y_pred[0]) == {"logits", "probabilities", "class_ids", "classes"}
    np.testing.assert_allclose(np.stack([p["probabilities"] for p in y_pred]), proba, rtol=1e-6)
    np.testing.assert_array_equal([p["class_ids"][0] for p in y_pred], clf.predict(X_test))
    assert y_pred[0]["classes"][0] == str(clf.predict(X_test[:1])[0]).encode()
    logits = y_pred[0]["logits"]
    np.testing.assert_allclose(np.exp(logits) / np.exp(logits).sum(), proba[0], rtol=1e-6)


def test_train_continues_and_checks_its_arguments(digits):
    X_train, y_train, _, _ = digits
    clf = DNNClassifier(hidden_units=[16], n_classes=10, random_state=0)
    forever = tf.estimator.inputs.numpy_input_fn(x={"X": X_train}, y=y_train, num_epochs=None,
                                                 batch_size=32, shuffle=True)
    with pytest.raises(ValueError, match="repeats forever"):
        clf.train(forever)
    clf.train(forever, steps=5)
    first = clf.variables_["logits/kernel"].copy()
    clf.train(forever, steps=7)
    assert clf.global_step_ == 12 and not np.allclose(first, clf.variables_["logits/kernel"])
    clf.train(forever, max_steps=10)  # already past: no step
    assert clf.global_step_ == 12
    clf.train(forever, max_steps=15)
    assert clf.global_step_ == 15 and len(clf.loss_curve_) == 3
    with pytest.raises(ValueError, match="both steps and max_steps"):
        clf.train(forever, steps=1, max_steps=20)
    with pytest.raises(ValueError, match="steps > 0"):
        clf.train(forever, steps=0)
    binary = DNNClassifier(hidden_units=[4], feature_columns=[tf.feature_column.numeric_column(
        "X", shape=[64])])  # TensorFlow's default: 2 classes
    bad = tf.estimator.inputs.numpy_input_fn(x={"X": X_train}, y=y_train, shuffle=False)
    with pytest.raises(ValueError, match="labels not seen"):
        binary.train(bad)
    with pytest.raises(ValueError, match="features"):
        clf.train(tf.estimator.inputs.numpy_input_fn(x={"X": X_train[:, :10]}, y=y_train,
                                                     shuffle=False))


def test_fit_then_input_fn_with_string_labels(digits):
    """A classifier fit on labels of any kind reads them back through input_fn."""
    X_train, y_train, X_test, y_test = digits
    names = np.array(["zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
                      "nine"])
    clf = DNNClassifier(hidden_units=[32], optimizer="Adam", learning_rate=0.01, max_epochs=5,
                        random_state=0).fit(X_train, names[y_train])
    input_fn = tf.estimator.inputs.numpy_input_fn(x=X_test, y=names[y_test], shuffle=False)
    assert clf.evaluate(input_fn=input_fn)["accuracy"] == pytest.approx(
        clf.score(X_test, names[y_test]))
    predicted = [p["classes"][0].decode() for p in clf.predict(input_fn=input_fn)]
    np.testing.assert_array_equal(predicted, clf.predict(X_test))


def test_dnn_regressor_input_fn():
    X, y = make_regression(n_samples=300, n_features=5, noise=1.0, random_state=0)
    y = y / y.std()
    reg = DNNRegressor(hidden_units=[32], optimizer="Adam", learning_rate=0.01, random_state=0)
    np.random.seed(0)
    reg.train(tf.estimator.inputs.numpy_input_fn(x={"x": X}, y=y, batch_size=30, num_epochs=60,
                                                 shuffle=True))
    assert reg.score(X, y) > 0.95
    assert reg.predict(X).shape == (300,)
    input_fn = tf.estimator.inputs.numpy_input_fn(x={"x": X}, y=y, batch_size=100, shuffle=False)
    results = reg.evaluate(input_fn=input_fn)
    squared = (reg.predict(X) - y) ** 2
    assert results["average_loss"] == pytest.approx(squared.mean(), rel=1e-6)
    assert results["loss"] == pytest.approx(squared.reshape(3, 100).sum(axis=1).mean(), rel=1e-6)
    predictions = np.concatenate([p["predictions"] for p in reg.predict(input_fn=input_fn)])
    np.testing.assert_allclose(predictions, reg.predict(X), rtol=1e-6)


def test_keras_mnist_load_data(mnist_dir):
    (X_train, y_train), (X_test, y_test) = tf.keras.datasets.mnist.load_data(str(mnist_dir))
    assert X_train.dtype == y_train.dtype == np.uint8
    assert X_train.shape == (8000, 28, 28) and X_test.shape == (2000, 28, 28)
    data = tf.datasets.mnist.read_data_sets(str(mnist_dir), validation_size=0)
    np.testing.assert_allclose(X_train.reshape(-1, 784) / 255.0, data.train.images, rtol=1e-6)
    np.testing.assert_array_equal(y_test, data.test.labels)


def test_tf_learn_spelling(digits):
    """The book's Chapter 10 text: ``tf.contrib.learn`` with ``fit(x=..., y=...)``; the same
    network as ``fit(X, y)`` with the same random_state."""
    X_train, y_train, X_test, _ = digits
    feature_columns = tf.contrib.learn.infer_real_valued_columns_from_input(X_train)
    assert [(c.key, c.shape) for c in feature_columns] == [("", (64,))]
    params = dict(hidden_units=[20], n_classes=10, feature_columns=feature_columns, random_state=3)
    book = tf.contrib.learn.DNNClassifier(**params).fit(x=X_train, y=y_train, batch_size=50,
                                                        steps=60)
    ours = DNNClassifier(**params).fit(X_train, y_train, batch_size=50, steps=60)
    np.testing.assert_array_equal(list(book.predict(X_test)), ours.predict(X_test))
    with pytest.raises(TypeError, match="twice"):
        DNNClassifier().fit(X_train, y_train, x=X_train)
    with pytest.raises(TypeError, match="needs the training inputs"):
        DNNRegressor().fit(y=y_train)
