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


# --- the MNIST input helper (the Chapter 10 acceptance runs: test_book_ch10.py) ---------------

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
