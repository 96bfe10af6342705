"""Chapter 9, "Up and Running with TensorFlow", with ``import learnflow.flow as tf``.

Runs the chapter's code in order and prints what the book prints:

1. creating and running a graph (f = 42), managing graphs, node lifecycle;
2. linear regression on housing by the Normal Equation;
3. batch gradient descent with manual gradients, with ``tf.gradients`` and with an optimizer;
4. mini-batch gradient descent with placeholders;
5. saving and restoring a model (``train.Saver``, a renamed Saver, ``import_meta_graph``);
6. TensorBoard logs (``summary.scalar`` + ``summary.FileWriter`` into ``--logdir``);
7. name scopes, the ``relu()`` modularity example and variable sharing;
8. exercise 12: logistic regression on moons with checkpoints, resume and summaries.

``python examples/ch09_tensorflow.py [--quick] [--logdir tf_logs]``
(then ``tensorboard --logdir tf_logs`` shows the learning curves and the graphs)

The book uses ``sklearn.datasets.fetch_california_housing`` (8 features); this
script uses learnflow's offline copy of the Chapter 2 housing data (the same
districts), keeping the 8 numeric attributes and dropping rows with a missing
``total_bedrooms``.
"""

import argparse
import os
from datetime import datetime, timezone

import numpy as np

import learnflow.flow as tf
from learnflow.datasets import load_housing, make_moons
from learnflow.metrics import precision_score, recall_score


def reset_graph(seed=42):
    tf.reset_default_graph()
    tf.set_random_seed(seed)
    np.random.seed(seed)


def housing_data():
    frame = load_housing().frame.drop(columns=["ocean_proximity"]).dropna()
    target = frame.pop("median_house_value").to_numpy(np.float64).reshape(-1, 1)
    return frame.to_numpy(np.float64), target


def creating_and_running_a_graph():
    print("== Creating your first graph and running it in a session")
    reset_graph()
    x = tf.Variable(3, name="x")
    y = tf.Variable(4, name="y")
    f = x * x * y + y + 2
    sess = tf.Session()
    sess.run(x.initializer)
    sess.run(y.initializer)
    print("f =", sess.run(f))
    sess.close()
    init = tf.global_variables_initializer()
    with tf.Session():
        init.run()
        print("f.eval() =", f.eval())
    sess = tf.InteractiveSession()
    init.run()
    print("InteractiveSession f =", f.eval())
    sess.close()

    print("== Managing graphs")
    reset_graph()
    x1 = tf.Variable(1)
    print("x1.graph is default graph:", x1.graph is tf.get_default_graph())
    graph = tf.Graph()
    with graph.as_default():
        x2 = tf.Variable(2)
    print("x2.graph is graph:", x2.graph is graph, "| is default:",
          x2.graph is tf.get_default_graph())

    print("== Lifecycle of a node value")
    w = tf.constant(3)
    x = w + 2
    y = x + 5
    z = x * 3
    with tf.Session() as sess:
        print("y =", y.eval(), "z =", z.eval())
        y_val, z_val = sess.run([y, z])
        print("one run: y =", y_val, "z =", z_val)


def normal_equation(data, target):
    print("== Linear Regression with the Normal Equation")
    reset_graph()
    m, n = data.shape
    data_plus_bias = np.c_[np.ones((m, 1)), data]
    X = tf.constant(data_plus_bias, dtype=tf.float32, name="X")
    y = tf.constant(target, dtype=tf.float32, name="y")
    XT = tf.transpose(X)
    theta = tf.matmul(tf.matmul(tf.matrix_inverse(tf.matmul(XT, X)), XT), y)
    with tf.Session():
        theta_value = theta.eval()
    print("theta (float32):", theta_value.ravel())
    reference = np.linalg.lstsq(data_plus_bias, target, rcond=None)[0]
    print("numpy lstsq    :", reference.ravel())


def batch_gradient_descent(scaled, target, n_epochs, mode):
    reset_graph()
    m, n = scaled.shape
    learning_rate = 0.01
    X = tf.constant(np.c_[np.ones((m, 1)), scaled], dtype=tf.float32, name="X")
    y = tf.constant(target, dtype=tf.float32, name="y")
    theta = tf.Variable(tf.random_uniform([n + 1, 1], -1.0, 1.0, seed=42), name="theta")
    y_pred = tf.matmul(X, theta, name="predictions")
    error = y_pred - y
    mse = tf.reduce_mean(tf.square(error), name="mse")
    if mode == "manual":
        gradients = 2 / m * tf.matmul(tf.transpose(X), error)
        training_op = tf.assign(theta, theta - learning_rate * gradients)
    elif mode == "autodiff":
        gradients = tf.gradients(mse, [theta])[0]
        training_op = tf.assign(theta, theta - learning_rate * gradients)
    elif mode == "optimizer":
        training_op = tf.train.GradientDescentOptimizer(learning_rate).minimize(mse)
    else:
        training_op = tf.train.MomentumOptimizer(learning_rate, momentum=0.9).minimize(mse)
    init = tf.global_variables_initializer()
    with tf.Session() as sess:
        sess.run(init)
        for epoch in range(n_epochs):
            if epoch % 100 == 0:
                print("Epoch", epoch, "MSE =", mse.eval())
            sess.run(training_op)
        best_theta = theta.eval()
    print("Best theta:", best_theta.ravel())


def run_logdir(root, prefix="run"):
    now = datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S%f")
    return os.path.join(root, f"{prefix}-{now}")


def mini_batch_gradient_descent(scaled, target, n_epochs, root_logdir):
    print("== Mini-batch Gradient Descent with placeholders")
    reset_graph()
    m, n = scaled.shape
    data = np.c_[np.ones((m, 1)), scaled]
    A = tf.placeholder(tf.float32, shape=(None, 3))
    B = A + 5
    with tf.Session():
        print(B.eval(feed_dict={A: [[1, 2, 3]]}))
        print(B.eval(feed_dict={A: [[4, 5, 6], [7, 8, 9]]}))

    X = tf.placeholder(tf.float32, shape=(None, n + 1), name="X")
    y = tf.placeholder(tf.float32, shape=(None, 1), name="y")
    theta = tf.Variable(tf.random_uniform([n + 1, 1], -1.0, 1.0, seed=42), name="theta")
    y_pred = tf.matmul(X, theta, name="predictions")
    with tf.name_scope("loss") as scope:
        error = y_pred - y
        mse = tf.reduce_mean(tf.square(error), name="mse")
    print("name scopes:", error.op.name, mse.op.name)
    training_op = tf.train.GradientDescentOptimizer(0.01).minimize(mse)
    init = tf.global_variables_initializer()
    batch_size = 100
    n_batches = int(np.ceil(m / batch_size))

    def fetch_batch(epoch, batch_index, batch_size):
        np.random.seed(epoch * n_batches + batch_index)
        indices = np.random.randint(m, size=batch_size)
        return data[indices], target[indices]

    saver = tf.train.Saver()
    logdir = run_logdir(root_logdir)
    ckpt_dir = os.path.join(root_logdir, "checkpoints")
    os.makedirs(ckpt_dir, exist_ok=True)
    ckpt_path = os.path.join(ckpt_dir, "my_model.ckpt")
    mse_summary = tf.summary.scalar("MSE", mse)
    file_writer = tf.summary.FileWriter(logdir, tf.get_default_graph())
    with tf.Session() as sess:
        sess.run(init)
        for epoch in range(n_epochs):
            if epoch % 100 == 0:
                print("checkpoint:", os.path.basename(saver.save(sess, ckpt_path)))
            for batch_index in range(n_batches):
                X_batch, y_batch = fetch_batch(epoch, batch_index, batch_size)
                if batch_index % 10 == 0:
                    summary_str = mse_summary.eval(feed_dict={X: X_batch, y: y_batch})
                    file_writer.add_summary(summary_str, epoch * n_batches + batch_index)
                sess.run(training_op, feed_dict={X: X_batch, y: y_batch})
        best_theta = theta.eval()
        print("MSE on all data:", mse.eval(feed_dict={X: data, y: target}))
        final_path = saver.save(sess, os.path.join(ckpt_dir, "my_model_final.ckpt"))
    file_writer.close()
    print("Best theta:", best_theta.ravel())
    print("TensorBoard log:", logdir)

    print("== Restoring the model")
    with tf.Session() as sess:
        saver.restore(sess, final_path)
        best_theta_restored = theta.eval()
    print("restored theta equals the saved one:", np.array_equal(best_theta, best_theta_restored))
    renamed = tf.train.Saver({"weights": theta})  # saves theta under the name "weights"
    with tf.Session() as sess:
        sess.run(init)
        weights_path = renamed.save(sess, os.path.join(ckpt_dir, "weights.ckpt"))
    print("renamed checkpoint holds:", tf.train.list_variables(weights_path))

    reset_graph()  # the graph itself comes back from the .meta file
    saver = tf.train.import_meta_graph(final_path + ".meta")
    theta = tf.get_default_graph().get_tensor_by_name("theta:0")
    with tf.Session() as sess:
        saver.restore(sess, final_path)
        print("theta from import_meta_graph equals the saved one:",
              np.array_equal(theta.eval(), best_theta))


def modularity():
    print("== Modularity: relu()")
    reset_graph()

    def relu(X):
        with tf.name_scope("relu"):
            w_shape = (int(X.get_shape()[1]), 1)
            w = tf.Variable(tf.random_normal(w_shape), name="weights")
            b = tf.Variable(0.0, name="bias")
            z = tf.add(tf.matmul(X, w), b, name="z")
            return tf.maximum(z, 0.0, name="max")

    n_features = 3
    X = tf.placeholder(tf.float32, shape=(None, n_features), name="X")
    relus = [relu(X) for _ in range(5)]
    output = tf.add_n(relus, name="output")
    print("relu outputs:", [r.op.name for r in relus], "->", output.op.name)

    print("== Sharing variables: get_variable in a variable_scope")
    reset_graph()

    def shared_relu(X):
        with tf.variable_scope("relu", reuse=True):
            threshold = tf.get_variable("threshold")
            w_shape = int(X.get_shape()[1]), 1
            w = tf.Variable(tf.random_normal(w_shape), name="weights")
            b = tf.Variable(0.0, name="bias")
            z = tf.add(tf.matmul(X, w), b, name="z")
            return tf.maximum(z, threshold, name="max")

    X = tf.placeholder(tf.float32, shape=(None, n_features), name="X")
    with tf.variable_scope("relu"):
        threshold = tf.get_variable("threshold", shape=(),
                                    initializer=tf.constant_initializer(0.0))
    relus = [shared_relu(X) for _ in range(5)]
    output = tf.add_n(relus, name="output")
    print("threshold:", threshold.name, "| relus:", [r.op.name for r in relus])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        print("output:", sess.run(output, {X: np.ones((2, 3))}).ravel())

    reset_graph()

    def first_call_relu(X):
        threshold = tf.get_variable("threshold", shape=(),
                                    initializer=tf.constant_initializer(0.0))
        w = tf.Variable(tf.random_normal((int(X.get_shape()[1]), 1)), name="weights")
        b = tf.Variable(0.0, name="bias")
        return tf.maximum(tf.add(tf.matmul(X, w), b, name="z"), threshold, name="max")

    X = tf.placeholder(tf.float32, shape=(None, n_features), name="X")
    relus = []
    for relu_index in range(5):
        with tf.variable_scope("relu", reuse=(relu_index >= 1)) as scope:
            relus.append(first_call_relu(X))
    output = tf.add_n(relus, name="output")
    print("variables:", [v.op.name for v in tf.global_variables()][:3], "...")


def logistic_regression(X, y, initializer=None, seed=42, learning_rate=0.01):
    """Exercise 12's reusable model: logits, log loss, training op, init and saver."""
    n_inputs_including_bias = int(X.get_shape()[1])
    with tf.name_scope("logistic_regression"):
        with tf.name_scope("model"):
            if initializer is None:
                initializer = tf.random_uniform([n_inputs_including_bias, 1], -1.0, 1.0,
                                                seed=seed)
            theta = tf.Variable(initializer, name="theta")
            logits = tf.matmul(X, theta, name="logits")
            y_proba = tf.sigmoid(logits)
        with tf.name_scope("train"):
            epsilon = 1e-7
            y_clipped = tf.clip_by_value(y_proba, epsilon, 1 - epsilon)
            loss = -tf.reduce_mean(y * tf.log(y_clipped) + (1 - y) * tf.log(1 - y_clipped),
                                   name="loss")
            optimizer = tf.train.GradientDescentOptimizer(learning_rate=learning_rate)
            training_op = optimizer.minimize(loss)
            loss_summary = tf.summary.scalar("log_loss", loss)
        with tf.name_scope("init"):
            init = tf.global_variables_initializer()
        with tf.name_scope("save"):
            saver = tf.train.Saver()
    return y_proba, loss, training_op, loss_summary, init, saver


def add_features(X):
    """The exercise's extra features: x1^2, x2^2, x1^3, x2^3."""
    return np.c_[X, X[:, 1] ** 2, X[:, 2] ** 2, X[:, 1] ** 3, X[:, 2] ** 3]


def exercise_12(root_logdir, n_epochs, interrupt_at):
    print("== Exercise 12: logistic regression on moons (checkpoints, resume, summaries)")
    m = 1000
    X_moons, y_moons = make_moons(m, noise=0.1, random_state=42)
    X_moons_plus_bias = np.c_[np.ones((m, 1)), X_moons]
    y_moons_column = y_moons.reshape(-1, 1).astype(np.float64)
    test_size = int(m * 0.2)
    X_train = add_features(X_moons_plus_bias[:-test_size])
    X_test = add_features(X_moons_plus_bias[-test_size:])
    y_train, y_test = y_moons_column[:-test_size], y_moons_column[-test_size:]

    ckpt_dir = os.path.join(root_logdir, "moons")
    os.makedirs(ckpt_dir, exist_ok=True)
    checkpoint_path = os.path.join(ckpt_dir, "my_logreg_model.ckpt")
    checkpoint_epoch_path = checkpoint_path + ".epoch"
    final_model_path = os.path.join(ckpt_dir, "my_logreg_model")
    batch_size = 50
    n_batches = int(np.ceil(m / batch_size))
    rnd = np.random.RandomState(42)

    def random_batch():
        indices = rnd.randint(0, len(X_train), batch_size)
        return X_train[indices], y_train[indices]

    def train(stop_at):
        reset_graph()
        X = tf.placeholder(tf.float32, shape=(None, X_train.shape[1]), name="X")
        y = tf.placeholder(tf.float32, shape=(None, 1), name="y")
        y_proba, loss, training_op, loss_summary, init, saver = logistic_regression(X, y)
        file_writer = tf.summary.FileWriter(run_logdir(root_logdir, "logreg"),
                                            tf.get_default_graph())
        with tf.Session() as sess:
            if os.path.isfile(checkpoint_epoch_path):
                with open(checkpoint_epoch_path) as f:  # training was interrupted: resume
                    start_epoch = int(f.read())
                print("Training was interrupted. Continuing at epoch", start_epoch)
                saver.restore(sess, checkpoint_path)
            else:
                start_epoch = 0
                sess.run(init)
            for epoch in range(start_epoch, stop_at):
                for batch_index in range(n_batches):
                    X_batch, y_batch = random_batch()
                    sess.run(training_op, feed_dict={X: X_batch, y: y_batch})
                loss_val, summary_str = sess.run([loss, loss_summary],
                                                 feed_dict={X: X_test, y: y_test})
                file_writer.add_summary(summary_str, epoch)
                if epoch % 500 == 0 or epoch == stop_at - 1:
                    print("Epoch:", epoch, "\tLoss:", loss_val)
                    saver.save(sess, checkpoint_path)
                    with open(checkpoint_epoch_path, "wb") as f:
                        f.write(b"%d" % (epoch + 1))
            if stop_at == n_epochs:
                saver.save(sess, final_model_path)
                os.remove(checkpoint_epoch_path)
                y_proba_val = y_proba.eval(feed_dict={X: X_test, y: y_test})
        file_writer.close()
        return y_proba_val if stop_at == n_epochs else None

    if os.path.isfile(checkpoint_epoch_path):
        os.remove(checkpoint_epoch_path)
    train(interrupt_at)  # a first run "interrupted" at this epoch
    y_proba_val = train(n_epochs)  # the restart resumes from the last checkpoint
    y_pred = (y_proba_val >= 0.5)
    print("precision:", precision_score(y_test, y_pred), "recall:", recall_score(y_test, y_pred))


def main(quick=False, logdir="tf_logs"):
    n_epochs = 200 if quick else 1000
    data, target = housing_data()
    scaled = (data - data.mean(axis=0)) / data.std(axis=0)
    target_100k = target / 1e5  # in units of $100,000 as sklearn's California housing
    creating_and_running_a_graph()
    normal_equation(data, target_100k)
    for mode in ("manual", "autodiff", "optimizer", "momentum"):
        print(f"== Batch Gradient Descent ({mode})")
        batch_gradient_descent(scaled, target_100k, n_epochs, mode)
    mini_batch_gradient_descent(scaled, target_100k, 2 if quick else 10, logdir)
    modularity()
    exercise_12(logdir, n_epochs=60 if quick else 10001, interrupt_at=30 if quick else 5001)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer epochs")
    parser.add_argument("--logdir", default="tf_logs",
                        help="root folder of the TensorBoard logs and checkpoints")
    args = parser.parse_args()
    main(quick=args.quick, logdir=args.logdir)
