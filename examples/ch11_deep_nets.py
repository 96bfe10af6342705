"""Chapter 11, "Training Deep Neural Nets": exercises 8-10 with ``import learnflow.flow as tf``.

* Exercise 8: a 5 x 100 He-initialized ELU network with a 5-way softmax, Adam and early
  stopping, on digits 0-4; then with batch normalization, and with dropout. The plain
  network is trained again and saved for exercise 9.
* Exercise 9: transfer learning to digits 5-9 with only 100 training images per digit:
  the frozen hidden layers of exercise 8 plus a new softmax layer (restored from the
  checkpoint with a Saver over the hidden layers only), against the same network trained
  from scratch with the same budget (epochs and batches); then the same frozen training
  with the frozen layers' outputs cached (the epoch-time ratio is reported), 4 reused
  layers instead of 5, and the top 2 reused layers unfrozen. Measured (100 epochs of 10
  batches): scratch 0.924; 5 frozen layers 0.839 (cached: the same model, x1.7-2.4
  faster); 4 frozen 0.876; top 2 unfrozen 0.908. Here transfer does not beat scratch:
  the 0-4 network saw only ~3,600 images (the book's: ~30,000) and its features are too
  specific. A logistic regression on 100 images per digit 5-9 reaches 0.915 on the raw
  pixels but at most 0.9075 on any hidden layer's output of the 0-4 network, and
  pretraining on one- and two-pixel shifted copies (x5, x13) still leaves 5 frozen layers
  at 0.857-0.871 and 1 frozen layer at 0.917-0.920 against scratch 0.914 (mean of 3 draws
  of the 500 images).
* Exercise 10: pretraining on an auxiliary task. A Siamese network: two towers of
  5 x 100 He + ELU layers sharing their weights, their outputs concatenated, a hidden
  layer of 10 ELU units and one logistic output that predicts whether the two images of
  a pair show the same digit (label 1 = same; the book's text says 0 = same, its notebook
  uses 1). Then the frozen tower plus a new 10-way softmax, trained on a small labelled
  set, against the same network trained from scratch with the same budget. Measured
  (1,500 steps of 100 pairs, then 50 epochs on 100 images per digit): test-pair accuracy
  0.942; classifier 0.939 with the frozen tower against 0.896 from scratch.

Data: the offline MNIST test set split 8,000 train / 2,000 test (stratified, seed 42,
pixels / 255; ``tf.datasets.mnist.read_data_sets``). Exercise 8 trains on the training
digits 0-4 (the first 10% of them held out for early stopping) and tests on the test
digits 0-4; exercise 9 takes the first 100 training images of each digit 5-9 and tests
on the test digits 5-9; exercise 10 splits the training images into split #1 (all but
``n_per_class`` images per digit; the book: 55,000) for the pairs and split #2
(``n_per_class`` per digit, 100 by default; the book: 500) for the classifier, and tests
on the 2,000 test images (pairs drawn from them for the pair classifier).

``python examples/ch11_deep_nets.py [--quick] [--data-home PATH] [--model-dir DIR]``
"""

import argparse
import contextlib
import os
import tempfile
import time
from pathlib import Path

import numpy as np

import learnflow.flow as tf
from learnflow.flow.contrib.training import EarlyStopping, cache_outputs, restore_subset

he_init = tf.contrib.layers.variance_scaling_initializer()


def dnn(inputs, n_hidden_layers=5, n_neurons=100, batch_norm=False, dropout_rate=None,
        training=False, n_frozen=0):
    """The 5 x 100 He + ELU hidden layers ``hidden1`` ... ``hidden5``.

    Returns (top layer, output of the frozen layers): ``stop_gradient`` is put on top of
    ``hidden<n_frozen>`` so that no gradient reaches the lowest ``n_frozen`` layers.
    """
    h = frozen = inputs
    for i in range(n_hidden_layers):
        h = tf.layers.dense(h, n_neurons, kernel_initializer=he_init, name=f"hidden{i + 1}")
        if batch_norm:
            h = tf.layers.batch_normalization(h, training=training, momentum=0.9)
        h = tf.nn.elu(h)
        if dropout_rate:
            h = tf.layers.dropout(h, dropout_rate, training=training)
        if i + 1 == n_frozen:
            h = frozen = tf.stop_gradient(h)
    return h, frozen


def build_dnn(n_outputs, n_hidden_layers=5, batch_norm=False, dropout_rate=None, n_frozen=0,
              learning_rate=None, scope=None, seed=42):
    """A new default graph: the 5 x 100 network and an ``n_outputs`` softmax ("logits").

    ``n_frozen``: the lowest ``n_frozen`` hidden layers get no gradient (``stop_gradient``)
    and are left out of the optimizer's ``var_list``; ``net["frozen"]`` is their output
    (feed it to skip them). ``scope``: build the hidden layers in this variable scope (to
    restore a Siamese tower's layers by their names).
    """
    tf.reset_default_graph()
    tf.set_random_seed(seed)
    X = tf.placeholder(tf.float32, (None, 784), name="X")
    y = tf.placeholder(tf.int64, (None,), name="y")
    training = tf.placeholder_with_default(False, shape=(), name="training")
    with tf.variable_scope(scope) if scope else contextlib.nullcontext():
        h, frozen = dnn(X, n_hidden_layers, batch_norm=batch_norm, dropout_rate=dropout_rate,
                        training=training, n_frozen=n_frozen)
    logits = tf.layers.dense(h, n_outputs, kernel_initializer=he_init, name="logits")
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
    frozen_names = tuple(f"{scope + '/' if scope else ''}hidden{i + 1}/"
                         for i in range(n_frozen))
    var_list = [v for v in tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES)
                if not v.op.name.startswith(frozen_names)] if n_frozen else None
    if learning_rate is None:
        learning_rate = 0.01 if n_frozen else 0.001
    with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
        train_op = tf.train.AdamOptimizer(learning_rate).minimize(loss, var_list=var_list)
    accuracy = tf.reduce_mean(tf.cast(tf.nn.in_top_k(logits, y, 1), tf.float32))
    return dict(X=X, y=y, training=training, hidden=h, frozen=frozen, logits=logits, loss=loss,
                train_op=train_op, accuracy=accuracy, init=tf.global_variables_initializer())


def _run_epochs(sess, net, X, y, n_epochs, n_batches, rng, feed_key="X"):
    """``n_epochs`` of ``n_batches`` shuffled batches (``np.array_split``, as the book)."""
    for _ in range(n_epochs):
        for idx in np.array_split(rng.permutation(len(X)), n_batches):
            sess.run(net["train_op"], {net[feed_key]: X[idx], net["y"]: y[idx],
                                       net["training"]: True})


# --- exercise 8 ---------------------------------------------------------------------------------

def digits_0_to_4(mnist):
    """(X_train, y_train, X_valid, y_valid, X_test, y_test) for digits 0-4."""
    X, y = mnist.train.images, mnist.train.labels
    X04, y04 = X[y < 5], y[y < 5]
    n_valid = len(X04) // 10
    test_mask = mnist.test.labels < 5
    return (X04[n_valid:], y04[n_valid:], X04[:n_valid], y04[:n_valid],
            mnist.test.images[test_mask], mnist.test.labels[test_mask])


def train_early_stopping(net, X_train, y_train, X_valid, y_valid, X_test, y_test, n_epochs,
                         batch_size=50, patience=5):
    """Adam steps; keep the best validation loss; returns the winner's test accuracy."""
    rng = np.random.RandomState(42)
    stopper = EarlyStopping(patience=patience)
    with tf.Session() as sess:
        net["init"].run()
        for epoch in range(n_epochs):
            _run_epochs(sess, net, X_train, y_train, 1, len(X_train) // batch_size, rng)
            loss = sess.run(net["loss"], {net["X"]: X_valid, net["y"]: y_valid})
            stopper.update(loss, sess)
            if stopper.should_stop:
                print(f"   early stopping after epoch {epoch}")
                break
        stopper.restore_best(sess)
        return float(sess.run(net["accuracy"], {net["X"]: X_test, net["y"]: y_test}))


def exercise_8(mnist, n_epochs):
    """Test accuracies on digits 0-4 of the plain, batch-norm and dropout variants."""
    print("== Exercise 8: 5x100 He + ELU, Adam, early stopping, digits 0-4")
    data = digits_0_to_4(mnist)
    results = {}
    for name, kwargs in [("plain", {}), ("batch norm", {"batch_norm": True}),
                         ("dropout 0.2", {"dropout_rate": 0.2})]:
        net = build_dnn(5, **kwargs)
        start = time.perf_counter()
        results[name] = train_early_stopping(net, *data, n_epochs)
        print(f"   {name}: test accuracy {results[name]:.4f}, trained in "
              f"{time.perf_counter() - start:.1f}s")
    return results


def pretrain_0_to_4(mnist, n_epochs, model_path, batch_size=50):
    """Train the plain 5x100 network on digits 0-4 and save it; returns its test accuracy."""
    X_tr, y_tr, _, _, X_te, y_te = digits_0_to_4(mnist)
    net = build_dnn(5)
    with tf.Session() as sess:
        net["init"].run()
        _run_epochs(sess, net, X_tr, y_tr, n_epochs, len(X_tr) // batch_size,
                    np.random.RandomState(0))
        acc = float(sess.run(net["accuracy"], {net["X"]: X_te, net["y"]: y_te}))
        tf.train.Saver().save(sess, model_path)
    print(f"   plain network saved, digits 0-4 test accuracy: {acc:.4f}")
    return acc


# --- exercise 9 ----------------------------------------------------------------------------------

def _train_transfer(X, y, X_test, y_test, model_path, n_epochs, n_batches, n_hidden_layers=5,
                    n_frozen=5, cache=True, learning_rate=None):
    """Restore ``hidden1..n_hidden_layers`` from ``model_path``, freeze the lowest
    ``n_frozen`` and train the rest (with a new softmax); returns (accuracy, seconds)."""
    net = build_dnn(5, n_hidden_layers=n_hidden_layers, n_frozen=n_frozen,
                    learning_rate=learning_rate)
    with tf.Session() as sess:
        net["init"].run()
        restore_subset(sess, model_path, scope=f"hidden[1-{n_hidden_layers}]/")
        rng = np.random.RandomState(42)
        start = time.perf_counter()
        if cache:  # the frozen layers run once; feeding their output skips them afterwards
            frozen = cache_outputs(sess, net["frozen"], net["X"], X)
            _run_epochs(sess, net, frozen, y, n_epochs, n_batches, rng, feed_key="frozen")
        else:
            _run_epochs(sess, net, X, y, n_epochs, n_batches, rng)
        elapsed = time.perf_counter() - start
        return float(sess.run(net["accuracy"], {net["X"]: X_test, net["y"]: y_test})), elapsed


def exercise_9(mnist, n_epochs, model_path, n_per_digit=100, n_batches=10):
    """Transfer to digits 5-9. Returns the test accuracies of: the network trained from
    scratch ("scratch"), the 5 frozen reused layers with a new softmax ("reuse", 9a-b; and
    "reuse_cached" with the cached frozen outputs, 9c), 4 frozen reused layers ("reuse_4",
    9d), the 5 reused layers with the top 2 unfrozen ("unfreeze_2", 9e); and the seconds of
    ``n_epochs`` epochs of "reuse" without and with caching ("time_frozen", "time_cached",
    their ratio "speedup"). Every variant: ``n_epochs`` epochs of ``n_batches`` batches."""
    print(f"== Exercise 9: transfer to digits 5-9, {n_per_digit} images per digit")
    X, y = mnist.train.images, mnist.train.labels
    idx = np.concatenate([np.flatnonzero(y == d)[:n_per_digit] for d in range(5, 10)])
    X59, y59 = X[idx], y[idx] - 5
    test_mask = mnist.test.labels >= 5
    data = (X59, y59, mnist.test.images[test_mask], mnist.test.labels[test_mask] - 5)

    scratch = build_dnn(5)
    with tf.Session() as sess:
        scratch["init"].run()
        start = time.perf_counter()
        _run_epochs(sess, scratch, X59, y59, n_epochs, n_batches, np.random.RandomState(42))
        t_scratch = time.perf_counter() - start
        acc = float(sess.run(scratch["accuracy"], {scratch["X"]: data[2], scratch["y"]: data[3]}))
    results = {"scratch": acc}
    print(f"   from scratch: test accuracy {acc:.4f} ({t_scratch:.2f}s)")
    for key, label, kwargs in [
            ("reuse", "5 frozen reused layers", {"cache": False}),
            ("reuse_cached", "5 frozen reused layers, cached", {}),
            ("reuse_4", "4 frozen reused layers", {"n_hidden_layers": 4, "n_frozen": 4}),
            ("unfreeze_2", "5 reused layers, top 2 trainable",
             {"n_frozen": 3, "learning_rate": 0.001})]:
        results[key], elapsed = _train_transfer(*data, model_path, n_epochs, n_batches, **kwargs)
        results.setdefault("time_frozen" if key == "reuse" else "time_cached", elapsed)
        print(f"   {label}: test accuracy {results[key]:.4f} ({elapsed:.2f}s)")
    results["speedup"] = results["time_frozen"] / max(results["time_cached"], 1e-9)
    print(f"   caching the frozen outputs: x{results['speedup']:.1f} faster per epoch")
    return results


# --- exercise 10 ---------------------------------------------------------------------------------

def split_for_pretraining(mnist, n_per_class=100):
    """Split #1 (for the pairs) and split #2 (``n_per_class`` images per digit)."""
    X, y = mnist.train.images, mnist.train.labels
    small = np.concatenate([np.flatnonzero(y == d)[:n_per_class] for d in range(10)])
    rest = np.setdiff1d(np.arange(len(y)), small)
    return X[rest], y[rest], X[small], y[small]


def generate_pairs(images, labels, n_pairs, rng):
    """``n_pairs`` image pairs, half of the same digit (label 1), half of different digits."""
    n_same = n_pairs // 2
    first = rng.randint(len(labels), size=n_pairs)
    by_class = [np.flatnonzero(labels == d) for d in range(10)]
    second = np.empty(n_pairs, dtype=int)
    for i, j in enumerate(first):
        if i < n_same:
            second[i] = rng.choice(by_class[labels[j]])
        else:
            other = (labels[j] + rng.randint(1, 10)) % 10
            second[i] = rng.choice(by_class[other])
    same = (np.arange(n_pairs) < n_same).astype(np.float32)
    order = rng.permutation(n_pairs)
    return images[first[order]], images[second[order]], same[order].reshape(-1, 1)


def build_siamese(learning_rate=0.001, seed=42):
    """Two 5 x 100 towers sharing weights (scope "tower"), concat, 10 ELU units, 1 logit."""
    tf.reset_default_graph()
    tf.set_random_seed(seed)
    X1 = tf.placeholder(tf.float32, (None, 784), name="X1")
    X2 = tf.placeholder(tf.float32, (None, 784), name="X2")
    y = tf.placeholder(tf.float32, (None, 1), name="y")
    with tf.variable_scope("tower"):
        a, _ = dnn(X1)
    with tf.variable_scope("tower", reuse=True):
        b, _ = dnn(X2)
    both = tf.concat([a, b], axis=1)
    hidden = tf.layers.dense(both, 10, activation=tf.nn.elu, kernel_initializer=he_init,
                             name="pair_hidden")
    logits = tf.layers.dense(hidden, 1, kernel_initializer=he_init, name="pair_logits")
    loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=logits))
    train_op = tf.train.AdamOptimizer(learning_rate).minimize(loss)
    predicted = tf.cast(tf.greater_equal(logits, 0.0), tf.float32)
    accuracy = tf.reduce_mean(tf.cast(tf.equal(predicted, y), tf.float32))
    return dict(X1=X1, X2=X2, y=y, loss=loss, train_op=train_op, accuracy=accuracy,
                init=tf.global_variables_initializer())


def exercise_10(mnist, model_path, n_steps=1500, batch_size=100, n_per_class=100,
                n_epochs=50, n_batches=10, seed=42):
    """Siamese pretraining then reuse; returns the pair accuracy on test pairs and the
    classifier accuracies (reused frozen tower vs scratch) on the 2,000 test images."""
    print(f"== Exercise 10: Siamese pretraining ({n_steps} steps of {batch_size} pairs), "
          f"then a classifier on {n_per_class} images per digit")
    X1_all, y1_all, X2_small, y2_small = split_for_pretraining(mnist, n_per_class)
    rng = np.random.RandomState(seed)
    test_pairs = generate_pairs(mnist.test.images, mnist.test.labels, 2000, rng)
    net = build_siamese(seed=seed)
    start = time.perf_counter()
    with tf.Session() as sess:
        net["init"].run()
        for _ in range(n_steps):
            A, B, same = generate_pairs(X1_all, y1_all, batch_size, rng)
            sess.run(net["train_op"], {net["X1"]: A, net["X2"]: B, net["y"]: same})
        pair_acc = float(sess.run(net["accuracy"], {net["X1"]: test_pairs[0],
                                                    net["X2"]: test_pairs[1],
                                                    net["y"]: test_pairs[2]}))
        tf.train.Saver().save(sess, model_path)
    t_pairs = time.perf_counter() - start
    print(f"   pair classifier (same digit?): test-pair accuracy {pair_acc:.4f} "
          f"({t_pairs:.1f}s)")

    results = {"pair_accuracy": pair_acc, "pair_time": t_pairs}
    for name, freeze in [("scratch", False), ("reuse", True)]:
        net = build_dnn(10, n_frozen=5 if freeze else 0, scope="tower", seed=seed)
        with tf.Session() as sess:
            net["init"].run()
            if freeze:
                restore_subset(sess, model_path, scope="tower/")
            inputs = (cache_outputs(sess, net["frozen"], net["X"], X2_small) if freeze
                      else X2_small)
            _run_epochs(sess, net, inputs, y2_small, n_epochs, n_batches,
                        np.random.RandomState(seed), feed_key="frozen" if freeze else "X")
            results[name] = float(sess.run(net["accuracy"], {net["X"]: mnist.test.images,
                                                             net["y"]: mnist.test.labels}))
        print(f"   10-way softmax, {'frozen pretrained tower' if freeze else 'from scratch'}: "
              f"test accuracy {results[name]:.4f}")
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--data-home", default=str(
        Path(__file__).resolve().parents[2] / "shared" / "datasets" / "mnist"))
    parser.add_argument("--model-dir", default=tempfile.mkdtemp())
    args = parser.parse_args()
    mnist = tf.datasets.mnist.read_data_sets(args.data_home, validation_size=0)
    model_path = os.path.join(args.model_dir, "my_model_0_to_4.ckpt")
    exercise_8(mnist, 2 if args.quick else 30)
    pretrain_0_to_4(mnist, 2 if args.quick else 10, model_path)
    exercise_9(mnist, 5 if args.quick else 100, model_path)
    exercise_10(mnist, os.path.join(args.model_dir, "my_siamese.ckpt"),
                n_steps=100 if args.quick else 1500, n_epochs=5 if args.quick else 50)


if __name__ == "__main__":
    main()
