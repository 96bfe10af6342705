"""The book's Chapter 9 / Appendix D oracles (spec book-ch09-12.md, section 6.1) and
the Normal Equation on housing against numpy.linalg."""

import numpy as np
import pytest

import learnflow.flow as tf


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()
    yield


def test_o1_f_is_42():
    x = tf.Variable(3, name="x")
    y = tf.Variable(4, name="y")
    f = x * x * y + y + 2
    with tf.Session() as sess:
        x.initializer.run()
        y.initializer.run()
        assert f.eval() == 42
    sess = tf.InteractiveSession()
    tf.global_variables_initializer().run()
    assert f.eval() == 42
    sess.close()


def test_o2_node_lifecycle():
    w = tf.constant(3)
    x = w + 2
    y = x + 5
    z = x * 3
    with tf.Session() as sess:
        assert (y.eval(), z.eval()) == (10, 15)
        assert sess.run([y, z]) == [10, 15]


def test_o3_placeholder_feeding():
    A = tf.placeholder(tf.float32, shape=(None, 3))
    B = A + 5
    with tf.Session():
        np.testing.assert_array_equal(B.eval(feed_dict={A: [[1, 2, 3]]}), [[6, 7, 8]])
        np.testing.assert_array_equal(B.eval(feed_dict={A: [[4, 5, 6], [7, 8, 9]]}),
                                      [[9, 10, 11], [12, 13, 14]])


def test_o4_name_scope_loss():
    X = tf.constant(np.ones((4, 2)), dtype=tf.float32, name="X")
    y = tf.constant(np.ones((4, 1)), dtype=tf.float32, name="y")
    theta = tf.Variable(tf.random_uniform([2, 1], -1.0, 1.0), name="theta")
    y_pred = tf.matmul(X, theta, name="predictions")
    with tf.name_scope("loss") as scope:
        error = y_pred - y
        mse = tf.reduce_mean(tf.square(error), name="mse")
    assert scope == "loss/"
    assert error.op.name == "loss/sub" and mse.op.name == "loss/mse"


def _relu_block(X):
    with tf.name_scope("relu"):
        w_shape = (int(X.get_shape()[1]), 1)
        w = tf.Variable(tf.random_normal(w_shape), name="weights")
        b = tf.Variable(0.0, name="bias")
        z = tf.add(tf.matmul(X, w), b, name="z")
        return tf.maximum(z, 0.0, name="max")


def test_o5_unique_names():
    X = tf.placeholder(tf.float32, shape=(None, 3), name="X")
    relus = [_relu_block(X) for _ in range(5)]
    output = tf.add_n(relus, name="output")
    names = [v.op.name for v in tf.global_variables()]
    assert names[:4] == ["relu/weights", "relu/bias", "relu_1/weights", "relu_1/bias"]
    assert [r.op.name for r in relus] == ["relu/max"] + [f"relu_{i}/max" for i in range(1, 5)]
    w1 = tf.Variable(1.0, name="weights")
    w2 = tf.Variable(1.0, name="weights")
    w3 = tf.Variable(1.0, name="weights")
    assert [w.op.name for w in (w1, w2, w3)] == ["weights", "weights_1", "weights_2"]
    assert output.op.name == "output"


def test_o6_shared_threshold():
    def relu(X):
        with tf.variable_scope("relu", reuse=True):
            threshold = tf.get_variable("threshold")
            w = tf.Variable(tf.random_normal((int(X.get_shape()[1]), 1)), name="weights")
            b = tf.Variable(0.0, name="bias")
            z = tf.add(tf.matmul(X, w), b, name="z")
            return tf.maximum(z, threshold, name="max")

    X = tf.placeholder(tf.float32, shape=(None, 3), name="X")
    with tf.variable_scope("relu"):
        threshold = tf.get_variable("threshold", shape=(),
                                    initializer=tf.constant_initializer(0.0))
    relus = [relu(X) for _ in range(5)]
    assert threshold.op.name == "relu/threshold"
    assert [r.op.name for r in relus] == [f"relu_{i}/max" for i in range(1, 6)]
    # the create-on-first-call variant: the variable lives in the first relu
    tf.reset_default_graph()

    def relu2(X):
        threshold = tf.get_variable("threshold", shape=(),
                                    initializer=tf.constant_initializer(0.0))
        return tf.maximum(tf.reduce_sum(X), threshold)

    X = tf.placeholder(tf.float32, shape=(None, 3), name="X")
    outs = []
    for i in range(5):
        with tf.variable_scope("relu", reuse=(i >= 1)) as scope:
            outs.append(relu2(X))
    assert [v.op.name for v in tf.global_variables()] == ["relu/threshold"]
    assert outs[1].op.name.startswith("relu_1/")


def f_py(x, y):
    return x**2 * y + y + 2


def test_o19_numerical_differentiation():
    x = tf.placeholder(tf.float64, [])
    y = tf.placeholder(tf.float64, [])
    f = x * x * y + y + 2

    def derivative(x0, y0, x_eps, y_eps):
        with tf.Session() as sess:
            return (sess.run(f, {x: x0 + x_eps, y: y0 + y_eps}) - sess.run(f, {x: x0, y: y0})) / (
                x_eps + y_eps)

    df_dx = derivative(3.0, 4.0, 0.00001, 0.0)
    df_dy = derivative(3.0, 4.0, 0.0, 0.00001)
    assert df_dx == pytest.approx(24.000039999805264, rel=1e-12)
    assert df_dy == pytest.approx(10.000000000331966, rel=1e-12)


def test_o20_forward_mode_via_jvp():
    """f(3 + eps, 4) = 42 + 24 eps: a Jacobian-vector product built with the double-gradient trick."""
    x = tf.constant(3.0, tf.float64)
    y = tf.constant(4.0, tf.float64)
    f = x * x * y + y + 2
    u = tf.placeholder(tf.float64, [])  # dummy cotangent
    (g,) = tf.gradients(f, x, grad_ys=u)
    (jvp,) = tf.gradients(g, u, grad_ys=tf.constant(1.0, tf.float64))
    with tf.Session() as sess:
        assert sess.run([f, jvp], {u: 0.0}) == [42.0, 24.0]


def test_o21_reverse_mode_intermediates():
    x = tf.constant(3.0)
    y = tf.constant(4.0)
    n4 = x * x
    n5 = n4 * y
    n6 = y + 2
    n7 = n5 + n6
    df_dn4, df_dx, df_dy = tf.gradients(n7, [n4, x, y])
    with tf.Session() as sess:
        assert sess.run([n4, n7]) == [9.0, 42.0]
        assert sess.run([df_dn4, df_dx, df_dy]) == [4.0, 24.0, 10.0]


def test_o22_reverse_mode_one_backward_pass_for_ten_variables():
    xs = [tf.Variable(float(i + 1)) for i in range(10)]
    f = tf.add_n([v * v for v in xs])
    grads = tf.gradients(f, xs)
    meta = tf.RunMetadata()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        values = sess.run(grads, run_metadata=meta)
    assert values == [2.0 * (i + 1) for i in range(10)]
    executed = meta.step_stats
    assert len(executed) == len(set(executed))  # each node evaluated once: one forward, one reverse


def test_o23_derivative_of_nested_exp_reuses_forward_nodes():
    x = tf.placeholder(tf.float64, [])
    f = tf.exp(tf.exp(tf.exp(x)))
    (df,) = tf.gradients(f, x)
    exp_ops = [op for op in tf.get_default_graph().get_operations() if op.type == "Exp"]
    assert len(exp_ops) == 3  # 3 exp calls for f and f' together, not 9
    with tf.Session() as sess:
        e1 = np.exp(0.1)
        e2 = np.exp(e1)
        np.testing.assert_allclose(sess.run(df, {x: 0.1}), np.exp(e2) * e2 * e1, rtol=1e-12)


def _housing(shared_datasets=None):
    from learnflow.datasets import load_housing

    frame = load_housing().frame.drop(columns=["ocean_proximity"]).dropna()
    y = frame.pop("median_house_value").to_numpy(np.float64).reshape(-1, 1)
    X = frame.to_numpy(np.float64)
    return X, y


def test_normal_equation_on_housing_matches_numpy():
    data, target = _housing()
    m, n = data.shape
    data_plus_bias = np.c_[np.ones((m, 1)), data]
    X = tf.constant(data_plus_bias, dtype=tf.float64, name="X")
    y = tf.constant(target, dtype=tf.float64, name="y")
    XT = tf.transpose(X)
    theta = tf.matmul(tf.matmul(tf.matrix_inverse(tf.matmul(XT, X)), XT), y)
    with tf.Session() as sess:
        theta_value = theta.eval()
    expected = np.linalg.inv(data_plus_bias.T @ data_plus_bias) @ data_plus_bias.T @ target
    np.testing.assert_allclose(theta_value, expected, rtol=1e-8)


def test_batch_gradient_descent_three_ways_reduce_mse():
    data, target = _housing()
    data = (data - data.mean(0)) / data.std(0)
    target = target / 1e5
    m, n = data.shape
    Xb = np.c_[np.ones((m, 1)), data]
    results = {}
    for mode in ("manual", "autodiff", "optimizer"):
        tf.reset_default_graph()
        X = tf.constant(Xb, dtype=tf.float32, name="X")
        y = tf.constant(target, dtype=tf.float32, name="y")
        theta = tf.Variable(tf.random_uniform([n + 1, 1], -1.0, 1.0, seed=42), name="theta")
        error = tf.matmul(X, theta, name="predictions") - y
        mse = tf.reduce_mean(tf.square(error), name="mse")
        if mode == "manual":
            gradients = 2 / m * tf.matmul(tf.transpose(X), error)
            training_op = tf.assign(theta, theta - 0.01 * gradients)
        elif mode == "autodiff":
            training_op = tf.assign(theta, theta - 0.01 * tf.gradients(mse, [theta])[0])
        else:
            training_op = tf.train.GradientDescentOptimizer(0.01).minimize(mse)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            start = mse.eval()
            for _ in range(200):
                sess.run(training_op)
            results[mode] = (start, mse.eval(), theta.eval())
    for start, end, _ in results.values():
        assert end < 0.5 * start
    np.testing.assert_allclose(results["manual"][2], results["autodiff"][2], rtol=1e-4)
    np.testing.assert_allclose(results["manual"][2], results["optimizer"][2], rtol=1e-4)
