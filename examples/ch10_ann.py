"""Chapter 10, "Introduction to Artificial Neural Networks", with ``import learnflow.flow as tf``.

1. the Perceptron on iris (petal length/width, Setosa or not), as the book's sklearn code;
2. XOR: a Perceptron cannot learn it, a 2-2-1 MLP trained in flow can;
3. the plain-flow 784-300-100-10 ReLU MLP: construction phase (``neuron_layer``,
   sparse softmax cross-entropy, ``in_top_k``), execution phase (``next_batch``),
   then using the model;
4. ``DNNClassifier(hidden_units=[300, 100])``, the book's TF.Learn estimator, then the
   notebook's ``tf.estimator`` version of it: a ``numeric_column`` feature, training and
   evaluation through ``tf.estimator.inputs.numpy_input_fn``, ``predict`` yielding dicts.

Data: the offline MNIST test set (10,000 images) split 8,000 train / 2,000 test,
stratified with seed 42, pixels / 255 (``tf.datasets.mnist.read_data_sets``). The book
trains on 60,000 images (98.2% for DNNClassifier after 40,000 steps, 33 epochs); with
8,000 images and the same 33 epochs (5,333 steps) DNNClassifier gets 0.956 (2.6 points
lower) and the plain-flow MLP 0.958 after 15 epochs (a hand-written PyTorch loop: 0.9625;
tests/flow/test_book_ch10.py).

``python examples/ch10_ann.py [--quick] [--data-home PATH]``
"""

import argparse
from pathlib import Path

import numpy as np

import learnflow.flow as tf
from learnflow.datasets import load_iris
from learnflow.flow.estimator import DNNClassifier
from learnflow.linear_model import Perceptron


def perceptron_on_iris():
    print("== Perceptron on iris")
    iris = load_iris()
    X = iris.data[:, (2, 3)]
    y = (iris.target == 0).astype(int)
    per_clf = Perceptron(random_state=42).fit(X, y)
    print("predict([[2, 0.5]]) =", per_clf.predict([[2, 0.5]]))


def xor():
    print("== XOR")
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
    y = np.array([0, 1, 1, 0])
    print("Perceptron accuracy on XOR:", Perceptron(random_state=42).fit(X, y).score(X, y))
    tf.reset_default_graph()
    tf.set_random_seed(42)
    X_ph = tf.placeholder(tf.float32, (None, 2))
    y_ph = tf.placeholder(tf.float32, (None, 1))
    hidden = tf.layers.dense(X_ph, 2, activation=tf.nn.sigmoid,
                             kernel_initializer=tf.random_normal_initializer(stddev=2.0))
    logits = tf.layers.dense(hidden, 1)
    loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=y_ph, logits=logits))
    train = tf.train.AdamOptimizer(0.1).minimize(loss)
    with tf.Session() as sess:
        tf.global_variables_initializer().run()
        for _ in range(500):
            sess.run(train, {X_ph: X, y_ph: y.reshape(-1, 1)})
        pred = (sess.run(logits, {X_ph: X}) > 0).astype(int).ravel()
    print("MLP predictions for (0,0) (0,1) (1,0) (1,1):", pred, "expected", y)


def neuron_layer(X, n_neurons, name, activation=None):
    with tf.name_scope(name):
        n_inputs = int(X.get_shape()[1])
        stddev = 2 / np.sqrt(n_inputs)
        init = tf.truncated_normal((n_inputs, n_neurons), stddev=stddev)
        W = tf.Variable(init, name="kernel")
        b = tf.Variable(tf.zeros([n_neurons]), name="bias")
        Z = tf.matmul(X, W) + b
        return activation(Z) if activation is not None else Z


def plain_flow_mlp(mnist, n_epochs):
    print(f"== Plain-flow 784-300-100-10 MLP, {n_epochs} epochs, Adam(1e-3), batch 50")
    tf.reset_default_graph()
    tf.set_random_seed(42)
    X = tf.placeholder(tf.float32, shape=(None, 28 * 28), name="X")
    y = tf.placeholder(tf.int64, shape=(None), name="y")
    with tf.name_scope("dnn"):
        hidden1 = neuron_layer(X, 300, name="hidden1", activation=tf.nn.relu)
        hidden2 = neuron_layer(hidden1, 100, name="hidden2", activation=tf.nn.relu)
        logits = neuron_layer(hidden2, 10, name="outputs")
    with tf.name_scope("loss"):
        xentropy = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits)
        loss = tf.reduce_mean(xentropy, name="loss")
    with tf.name_scope("train"):
        training_op = tf.train.AdamOptimizer(1e-3).minimize(loss)
    with tf.name_scope("eval"):
        correct = tf.nn.in_top_k(logits, y, 1)
        accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))
    init = tf.global_variables_initializer()
    batch_size = 50
    with tf.Session() as sess:
        init.run()
        for epoch in range(n_epochs):
            for _ in range(mnist.train.num_examples // batch_size):
                X_batch, y_batch = mnist.train.next_batch(batch_size)
                sess.run(training_op, feed_dict={X: X_batch, y: y_batch})
            acc_train = accuracy.eval(feed_dict={X: X_batch, y: y_batch})
            acc_test = accuracy.eval(feed_dict={X: mnist.test.images, y: mnist.test.labels})
            print(f"{epoch} Train accuracy: {acc_train:.3f} Test accuracy: {acc_test:.4f}")
        # using the neural network
        Z = logits.eval(feed_dict={X: mnist.test.images[:10]})
        print("predicted:", np.argmax(Z, axis=1), "actual:", mnist.test.labels[:10])
    return float(acc_test)


def dnn_classifier(mnist, steps):
    print(f"== DNNClassifier(hidden_units=[300, 100]), {steps} steps of 50")
    clf = DNNClassifier(hidden_units=[300, 100], n_classes=10, random_state=42)
    clf.fit(mnist.train.images, mnist.train.labels, batch_size=50, steps=steps)
    result = clf.evaluate(mnist.test.images, mnist.test.labels)
    print("evaluate:", result)
    return result


def dnn_classifier_input_fn(mnist, n_epochs):
    print(f"== tf.estimator.DNNClassifier with input functions, {n_epochs} epochs of 50")
    feature_cols = [tf.feature_column.numeric_column("X", shape=[28 * 28])]
    dnn_clf = tf.estimator.DNNClassifier(hidden_units=[300, 100], n_classes=10,
                                         feature_columns=feature_cols, random_state=42)
    input_fn = tf.estimator.inputs.numpy_input_fn(
        x={"X": mnist.train.images}, y=mnist.train.labels, num_epochs=n_epochs, batch_size=50,
        shuffle=True)
    dnn_clf.train(input_fn=input_fn)
    test_input_fn = tf.estimator.inputs.numpy_input_fn(
        x={"X": mnist.test.images}, y=mnist.test.labels, shuffle=False)
    eval_results = dnn_clf.evaluate(input_fn=test_input_fn)
    print("evaluate:", eval_results)
    y_pred = list(dnn_clf.predict(input_fn=test_input_fn))
    print("first prediction:", {k: v if k != "probabilities" else v.round(3)
                                for k, v in y_pred[0].items() if k != "logits"})
    return eval_results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--data-home", default=str(
        Path(__file__).resolve().parents[2] / "shared" / "datasets" / "mnist"))
    args = parser.parse_args()
    perceptron_on_iris()
    xor()
    mnist = tf.datasets.mnist.read_data_sets(args.data_home, validation_size=0)
    plain_flow_mlp(mnist, 1 if args.quick else 15)
    dnn_classifier(mnist, 200 if args.quick else 5333)
    dnn_classifier_input_fn(mnist, 1 if args.quick else 33)


if __name__ == "__main__":
    main()
