"""Chapter 11, "Training Deep Neural Nets": exercises 8 and 9 with ``import learnflow.flow as tf``.

* Exercise 8: a 5 x 100 He-initialized ELU network with a 5-way softmax, Adam and early
  stopping, on digits 0-4; then with batch normalization, and with dropout.
* Exercise 9: transfer learning to digits 5-9 with only 100 training images per digit:
  the frozen hidden layers of exercise 8 plus a new softmax layer (restored from the
  checkpoint with a Saver over the hidden layers only), against a network trained from
  scratch with the same budget; then the same with the frozen layers' outputs cached
  (the epoch-time ratio is printed).

Data: the offline MNIST test set split 8,000 train / 2,000 test (stratified, seed 42,
pixels / 255); for exercise 8 the training digits 0-4 are split again 90% / 10% for
early stopping. Exercise 10 (the Siamese pretraining) is not reproduced here.

``python examples/ch11_deep_nets.py [--quick] [--data-home PATH] [--model-dir DIR]``
"""

import argparse
import os
import tempfile
import time
from pathlib import Path

import numpy as np

import learnflow.flow as tf
from learnflow.flow.contrib.training import EarlyStopping, cache_outputs, restore_subset

he_init = tf.contrib.layers.variance_scaling_initializer()


def build_dnn(n_outputs, batch_norm=False, dropout_rate=None, freeze=False, seed=42):
    tf.reset_default_graph()
    tf.set_random_seed(seed)
    X = tf.placeholder(tf.float32, (None, 784), name="X")
    y = tf.placeholder(tf.int64, (None,), name="y")
    training = tf.placeholder_with_default(False, shape=(), name="training")
    h = X
    for i in range(5):
        h = tf.layers.dense(h, 100, kernel_initializer=he_init, name=f"hidden{i + 1}")
        if batch_norm:
            h = tf.layers.batch_normalization(h, training=training, momentum=0.9)
        h = tf.nn.elu(h)
        if dropout_rate:
            h = tf.layers.dropout(h, dropout_rate, training=training)
    top = tf.stop_gradient(h) if freeze else h
    logits = tf.layers.dense(top, n_outputs, kernel_initializer=he_init, name="logits")
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
    var_list = (tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, scope="logits")
                if freeze else None)
    with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
        train_op = tf.train.AdamOptimizer(0.01 if freeze else 0.001).minimize(
            loss, var_list=var_list)
    accuracy = tf.reduce_mean(tf.cast(tf.nn.in_top_k(logits, y, 1), tf.float32))
    return dict(X=X, y=y, training=training, hidden=h, logits=logits, loss=loss,
                train_op=train_op, accuracy=accuracy, init=tf.global_variables_initializer())


def train_early_stopping(net, X_train, y_train, X_valid, y_valid, X_test, y_test, n_epochs,
                         batch_size=50):
    """Adam steps; keep the best validation loss; returns the winner's test accuracy."""
    rng = np.random.RandomState(42)
    stopper = EarlyStopping(patience=5)
    with tf.Session() as sess:
        net["init"].run()
        for epoch in range(n_epochs):
            for idx in np.array_split(rng.permutation(len(X_train)), len(X_train) // batch_size):
                sess.run(net["train_op"], {net["X"]: X_train[idx], net["y"]: y_train[idx],
                                           net["training"]: True})
            loss = sess.run(net["loss"], {net["X"]: X_valid, net["y"]: y_valid})
            stopper.update(loss, sess)
            if stopper.should_stop:
                print(f"   early stopping after epoch {epoch}")
                break
        stopper.restore_best(sess)
        return sess.run(net["accuracy"], {net["X"]: X_test, net["y"]: y_test})


def exercise_8(mnist, n_epochs, model_path):
    print("== Exercise 8: 5x100 He + ELU, Adam, early stopping, digits 0-4")
    X, y = mnist.train.images, mnist.train.labels
    mask = y < 5
    X04, y04 = X[mask], y[mask]
    n_valid = len(X04) // 10
    X_tr, y_tr, X_va, y_va = X04[n_valid:], y04[n_valid:], X04[:n_valid], y04[:n_valid]
    test_mask = mnist.test.labels < 5
    X_te, y_te = mnist.test.images[test_mask], mnist.test.labels[test_mask]
    for name, kwargs in [("plain", {}), ("batch norm", {"batch_norm": True}),
                         ("dropout 0.2", {"dropout_rate": 0.2})]:
        net = build_dnn(5, **kwargs)
        start = time.perf_counter()
        acc = train_early_stopping(net, X_tr, y_tr, X_va, y_va, X_te, y_te, n_epochs)
        print(f"   {name}: test accuracy {acc:.4f}, trained in "
              f"{time.perf_counter() - start:.1f}s")
    # retrain the plain network and save it for exercise 9
    net = build_dnn(5)
    rng = np.random.RandomState(0)
    with tf.Session() as sess:
        net["init"].run()
        for _ in range(n_epochs):
            for idx in np.array_split(rng.permutation(len(X_tr)), len(X_tr) // 50):
                sess.run(net["train_op"], {net["X"]: X_tr[idx], net["y"]: y_tr[idx]})
        acc = sess.run(net["accuracy"], {net["X"]: X_te, net["y"]: y_te})
        print(f"   plain network, digits 0-4 test accuracy: {acc:.4f}")
        tf.train.Saver().save(sess, model_path)


def _train_top(net, X_train, y_train, X_test, y_test, n_epochs, feed_key="X"):
    rng = np.random.RandomState(42)
    with tf.Session() as sess:
        net["init"].run()
        start = time.perf_counter()
        for _ in range(n_epochs):
            for idx in np.array_split(rng.permutation(len(X_train)), 10):
                sess.run(net["train_op"], {net[feed_key]: X_train[idx], net["y"]: y_train[idx]})
        elapsed = time.perf_counter() - start
        return sess.run(net["accuracy"], {net["X"]: X_test, net["y"]: y_test}), elapsed


def exercise_9(mnist, n_epochs, model_path):
    print("== Exercise 9: transfer to digits 5-9, 100 images per digit")
    X, y = mnist.train.images, mnist.train.labels
    idx = np.concatenate([np.flatnonzero(y == d)[:100] for d in range(5, 10)])
    X59, y59 = X[idx], y[idx] - 5
    test_mask = mnist.test.labels >= 5
    X_te, y_te = mnist.test.images[test_mask], mnist.test.labels[test_mask] - 5

    scratch = build_dnn(5)
    acc_scratch, t_scratch = _train_top(scratch, X59, y59, X_te, y_te, n_epochs)
    print(f"   from scratch: test accuracy {acc_scratch:.4f} ({t_scratch:.2f}s)")

    frozen = build_dnn(5, freeze=True)
    with tf.Session() as sess:
        frozen["init"].run()
        restore_subset(sess, model_path, scope="hidden[1-5]")
        rng = np.random.RandomState(42)
        start = time.perf_counter()
        for _ in range(n_epochs):
            for batch in np.array_split(rng.permutation(len(X59)), 10):
                sess.run(frozen["train_op"], {frozen["X"]: X59[batch], frozen["y"]: y59[batch]})
        t_frozen = time.perf_counter() - start
        acc_frozen = sess.run(frozen["accuracy"], {frozen["X"]: X_te, frozen["y"]: y_te})
        print(f"   frozen pretrained layers: test accuracy {acc_frozen:.4f} ({t_frozen:.2f}s)")
        # caching: compute the frozen layers once, then feed their outputs
        cached = cache_outputs(sess, frozen["hidden"], frozen["X"], X59)
        start = time.perf_counter()
        for _ in range(n_epochs):
            for batch in np.array_split(rng.permutation(len(X59)), 10):
                sess.run(frozen["train_op"], {frozen["hidden"]: cached[batch],
                                              frozen["y"]: y59[batch]})
        t_cached = time.perf_counter() - start
    print(f"   with cached frozen outputs: {t_cached:.2f}s per {n_epochs} epochs "
          f"(speed-up x{t_frozen / max(t_cached, 1e-9):.1f})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--data-home", default=str(
        Path(__file__).resolve().parents[2] / "shared" / "datasets" / "mnist"))
    parser.add_argument("--model-dir", default=tempfile.mkdtemp())
    args = parser.parse_args()
    mnist = tf.datasets.mnist.read_data_sets(args.data_home, validation_size=0)
    model_path = os.path.join(args.model_dir, "my_model_0_to_4.ckpt")
    exercise_8(mnist, 2 if args.quick else 30, model_path)
    exercise_9(mnist, 5 if args.quick else 100, model_path)


if __name__ == "__main__":
    main()
