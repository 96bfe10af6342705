"""DNNClassifier / DNNRegressor (the book's TF.Learn estimators) against scikit-learn."""

import os

import numpy as np
import pytest
from sklearn.datasets import load_digits, make_regression
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import GridSearchCV as SkGridSearchCV
from sklearn.neural_network import MLPClassifier as SkMLPClassifier

import learnflow.flow as tf
from learnflow.flow.estimator import DNNClassifier, DNNRegressor
from learnflow.model_selection import GridSearchCV


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    X = X / 16.0
    return X[:1200], y[:1200], X[1200:], y[1200:]


def test_dnn_classifier_matches_sklearn_mlp_accuracy(digits):
    X_train, y_train, X_test, y_test = digits
    clf = DNNClassifier(hidden_units=[64, 32], optimizer="Adam", learning_rate=0.005,
                        max_epochs=30, batch_size=50, random_state=0).fit(X_train, y_train)
    sk = SkMLPClassifier((64, 32), learning_rate_init=0.005, max_iter=30, batch_size=50,
                         random_state=0).fit(X_train, y_train)
    ours, theirs = clf.score(X_test, y_test), sk.score(X_test, y_test)
    assert ours >= theirs - 0.03, (ours, theirs)
    proba = clf.predict_proba(X_test)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_array_equal(clf.predict(X_test), clf.classes_[proba.argmax(1)])
    result = clf.evaluate(X_test, y_test)
    assert set(result) == {"accuracy", "loss", "global_step"}
    assert result["accuracy"] == pytest.approx(ours)
    assert result["global_step"] == 30 * int(np.ceil(1200 / 50)) == clf.global_step_
    # loss: the mean cross-entropy of the predicted probabilities
    expected_loss = -np.mean(np.log(proba[np.arange(len(y_test)), y_test]))
    assert result["loss"] == pytest.approx(expected_loss, rel=1e-6)


def test_fit_steps_batch_norm_dropout_and_checkpoint(digits, tmp_path):
    X_train, y_train, X_test, y_test = digits
    clf = DNNClassifier(hidden_units=[50], batch_norm=True, dropout=0.2, optimizer="Adam",
                        learning_rate=0.01, model_dir=str(tmp_path), random_state=1)
    clf.fit(X_train, y_train, steps=150, batch_size=40)
    assert clf.global_step_ == 150
    assert clf.score(X_test, y_test) > 0.85
    assert "hiddenlayer_0/batch_normalization/moving_mean" in clf.variables_
    assert not np.allclose(clf.variables_["hiddenlayer_0/batch_normalization/moving_mean"], 0)
    assert tf.train.latest_checkpoint(str(tmp_path)).endswith("model.ckpt-150")
    assert any(name.startswith("model.ckpt-150") for name in os.listdir(tmp_path))
    # same random_state, same model
    again = DNNClassifier(**clf.get_params()).fit(X_train, y_train, steps=150, batch_size=40)
    np.testing.assert_allclose(again.predict_proba(X_test), clf.predict_proba(X_test))


def test_dnn_in_grid_search_and_errors(digits):
    X_train, y_train, _, _ = digits
    grid = GridSearchCV(DNNClassifier(max_epochs=3, random_state=0),
                        {"hidden_units": [[10], [30]]}, cv=2).fit(X_train[:400], y_train[:400])
    assert grid.best_params_["hidden_units"] in ([10], [30])
    sk_grid = SkGridSearchCV(DNNClassifier(max_epochs=2, random_state=0),
                             {"learning_rate": [0.05, 0.1]}, cv=2).fit(X_train[:300],
                                                                       y_train[:300])
    assert sk_grid.best_score_ > 0.5
    with pytest.raises(ValueError, match="n_classes"):
        DNNClassifier(n_classes=3, max_epochs=1).fit(X_train[:50], y_train[:50])
    with pytest.raises(ValueError, match="optimizer"):
        DNNClassifier(optimizer="Nadam").fit(X_train[:50], y_train[:50])
    fitted = DNNClassifier(max_epochs=1).fit(X_train[:50], y_train[:50])
    with pytest.raises(ValueError, match="not seen"):
        fitted.evaluate(X_train[:2], [0, 99])


def test_dnn_regressor_against_linear_regression():
    X, y = make_regression(n_samples=300, n_features=5, noise=1.0, random_state=0)
    y = y / y.std()
    reg = DNNRegressor(hidden_units=[32], optimizer="Adam", learning_rate=0.01, max_epochs=60,
                       random_state=0).fit(X, y)
    lin = LinearRegression().fit(X, y)
    assert reg.score(X, y) > lin.score(X, y) - 0.02
    result = reg.evaluate(X, y)
    assert result["loss"] == pytest.approx(np.mean((reg.predict(X) - y) ** 2), rel=1e-6)
    two = DNNRegressor(hidden_units=[16], max_epochs=2).fit(X, np.c_[y, y])
    assert two.predict(X).shape == (300, 2)


# --- the MNIST input helper and the Chapter 10 acceptance runs ----------------------------------

from learnflow.flow.datasets import mnist as mnist_helper  # noqa: E402


def test_dataset_next_batch_epochs():
    images, labels = np.arange(20.0).reshape(10, 2) * 255, np.arange(10)
    ds = mnist_helper.DataSet(images, labels, seed=0)
    seen = np.concatenate([ds.next_batch(4)[1] for _ in range(5)])  # 2 epochs exactly
    assert ds.epochs_completed == 2
    np.testing.assert_array_equal(np.sort(seen[:10]), np.arange(10))
    np.testing.assert_array_equal(np.sort(seen[10:]), np.arange(10))
    assert ds.images.max() == pytest.approx(19.0)
    with pytest.raises(ValueError, match="different lengths"):
        mnist_helper.DataSet(images, labels[:3])


def test_read_data_sets_split(mnist_dir):
    data = mnist_helper.read_data_sets(mnist_dir, one_hot=True, validation_size=1000)
    assert (data.train.num_examples, data.validation.num_examples,
            data.test.num_examples) == (7000, 1000, 2000)
    assert data.train.images.dtype == np.float32 and data.train.images.max() == 1.0
    assert data.test.labels.shape == (2000, 10)
    # stratified: every digit's share of the test split within 0.5 point of the whole set
    full = np.concatenate([data.train.labels, data.validation.labels, data.test.labels])
    np.testing.assert_allclose(data.test.labels.mean(0), full.mean(0), atol=0.005)


def _flow_mlp_accuracy(data, n_epochs, seed=42):
    """The book's Chapter 10 plain-flow MLP (construction + execution phases)."""
    graph = tf.Graph()
    with graph.as_default():
        tf.set_random_seed(seed)
        X = tf.placeholder(tf.float32, shape=(None, 784), name="X")
        y = tf.placeholder(tf.int64, shape=(None), name="y")

        def neuron_layer(X, n_neurons, name, activation=None):
            with tf.name_scope(name):
                n_inputs = int(X.get_shape()[1])
                stddev = 2 / np.sqrt(n_inputs)
                W = tf.Variable(tf.truncated_normal((n_inputs, n_neurons), stddev=stddev),
                                name="kernel")
                b = tf.Variable(tf.zeros([n_neurons]), name="bias")
                Z = tf.matmul(X, W) + b
                return tf.nn.relu(Z) if activation == "relu" else Z

        with tf.name_scope("dnn"):
            hidden1 = neuron_layer(X, 300, "hidden1", activation="relu")
            hidden2 = neuron_layer(hidden1, 100, "hidden2", activation="relu")
            logits = neuron_layer(hidden2, 10, "outputs")
        with tf.name_scope("loss"):
            xentropy = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits)
            loss = tf.reduce_mean(xentropy, name="loss")
        with tf.name_scope("train"):
            training_op = tf.train.AdamOptimizer(1e-3).minimize(loss)
        with tf.name_scope("eval"):
            correct = tf.nn.in_top_k(logits, y, 1)
            accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))
        init = tf.global_variables_initializer()
    with tf.Session(graph=graph) as sess:
        init.run()
        for _ in range(n_epochs):
            for _ in range(data.train.num_examples // 50):
                X_batch, y_batch = data.train.next_batch(50)
                sess.run(training_op, feed_dict={X: X_batch, y: y_batch})
        return accuracy.eval(feed_dict={X: data.test.images, y: data.test.labels})


def _torch_mlp_accuracy(data, n_epochs, seed=42):
    """The same network and training in a hand-written PyTorch loop."""
    import torch

    torch.manual_seed(seed)
    layers = []
    for n_in, n_out in [(784, 300), (300, 100), (100, 10)]:
        lin = torch.nn.Linear(n_in, n_out)
        std = 2 / np.sqrt(n_in)
        torch.nn.init.trunc_normal_(lin.weight, std=std, a=-2 * std, b=2 * std)
        torch.nn.init.zeros_(lin.bias)
        layers += [lin, torch.nn.ReLU()]
    model = torch.nn.Sequential(*layers[:-1])
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    X_train, y_train = torch.tensor(data.train.images), torch.tensor(data.train.labels)
    gen = torch.Generator().manual_seed(seed)
    for _ in range(n_epochs):
        order = torch.randperm(len(X_train), generator=gen)
        for start in range(0, len(X_train) - 49, 50):
            idx = order[start:start + 50]
            optimizer.zero_grad()
            torch.nn.functional.cross_entropy(model(X_train[idx]), y_train[idx]).backward()
            optimizer.step()
    with torch.no_grad():
        pred = model(torch.tensor(data.test.images)).argmax(1).numpy()
    return float(np.mean(pred == data.test.labels))


@pytest.mark.slow
def test_chapter10_plain_flow_mlp_on_mnist_matches_pytorch(mnist_dir):
    """Acceptance: 784-300-100-10 ReLU, 15 epochs, Adam(1e-3), batch 50, 8,000/2,000 split."""
    data = mnist_helper.read_data_sets(mnist_dir, validation_size=0)
    flow_acc = _flow_mlp_accuracy(data, 15)
    torch_acc = _torch_mlp_accuracy(data, 15)
    print(f"flow {flow_acc:.4f} torch {torch_acc:.4f}")
    assert flow_acc >= 0.95
    assert abs(flow_acc - torch_acc) <= 0.005  # measured: flow 0.9580, torch 0.9625
