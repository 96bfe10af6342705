"""cond and while_loop: values, laziness, gradients (against finite differences)."""

import numpy as np
import pytest

import learnflow.flow as tf


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()
    yield


def _fd(sess, y, x, x0, feed=None, eps=1e-6):
    feed = dict(feed or {})
    return (sess.run(y, {**feed, x: x0 + eps}) - sess.run(y, {**feed, x: x0 - eps})) / (2 * eps)


def test_cond_runs_only_the_taken_branch():
    x = tf.placeholder(tf.float32, [])
    v = tf.Variable(0.0)
    out = tf.cond(x > 0, lambda: tf.assign_add(v, 1.0), lambda: tf.assign_sub(v, 10.0))
    with tf.Session() as sess:
        sess.run(v.initializer)
        sess.run(out, {x: 1.0})
        sess.run(out, {x: 1.0})
        assert sess.run(v) == 2.0
        sess.run(out, {x: -1.0})
        assert sess.run(v) == -8.0


def test_cond_structures_nesting_and_errors():
    x = tf.placeholder(tf.float64, [])
    a, b = tf.cond(x > 0, lambda: (x, x * 2), lambda: (-x, x * 3))
    nested = tf.cond(x > 0, lambda: tf.cond(x > 5, lambda: x * 100, lambda: x * 10),
                     lambda: x - 1)
    op = tf.cond(x > 0, lambda: tf.no_op(), lambda: tf.no_op())
    with tf.Session() as sess:
        assert sess.run([a, b], {x: 2.0}) == [2.0, 4.0]
        assert sess.run([a, b], {x: -2.0}) == [2.0, -6.0]
        assert [sess.run(nested, {x: v}) for v in (7.0, 2.0, -1.0)] == [700.0, 20.0, -2.0]
        assert sess.run(op, {x: 1.0}) is None
    with pytest.raises(TypeError):
        tf.cond(x > 0, lambda: x, lambda: tf.cast(x, tf.float32))
    with pytest.raises(TypeError):
        tf.cond(x, lambda: x, lambda: x)


@pytest.mark.parametrize("x0", [2.0, -3.0, 7.0])
def test_cond_gradients_first_and_second_order(x0):
    x = tf.placeholder(tf.float64, [])
    w = tf.constant(1.5, tf.float64)
    y = tf.cond(x > 0, lambda: tf.cond(x > 5, lambda: tf.sin(x) * w, lambda: x * x * w),
                lambda: tf.exp(x) + w * x)
    gx, gw = tf.gradients(y, [x, w])
    (gxx,) = tf.gradients(gx, x)
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(gx, {x: x0}), _fd(sess, y, x, x0), rtol=1e-6)
        np.testing.assert_allclose(sess.run(gxx, {x: x0}), _fd(sess, gx, x, x0), rtol=1e-6)
        wfd = (x0 * x0 if 0 < x0 <= 5 else np.sin(x0) if x0 > 5 else x0)
        np.testing.assert_allclose(sess.run(gw, {x: x0}), wfd, rtol=1e-9)


def test_while_loop_values_and_maximum_iterations():
    i, s = tf.while_loop(lambda i, s: i < 10, lambda i, s: (i + 1, s + tf.cast(i, tf.float32)),
                         [tf.constant(0), tf.constant(0.0)])
    j = tf.while_loop(lambda j: j < 100, lambda j: j + 1, tf.constant(0), maximum_iterations=7)
    with tf.Session() as sess:
        assert sess.run([i, s]) == [10, 45.0]
        assert sess.run(j) == 7
    with pytest.raises(TypeError):
        tf.while_loop(lambda j: j < 3, lambda j: tf.cast(j, tf.float32), tf.constant(0))


def test_while_loop_gradient_with_run_time_trip_count():
    """The book's my_func: a loop of cos/sin whose trip count is fed at run time."""
    a = tf.placeholder(tf.float64, [])
    b = tf.Variable(0.7, dtype=tf.float64)
    n = tf.placeholder(tf.int32, [])

    def body(k, z):
        return k + 1, z * tf.cos(z + k_float(k)) + tf.sin(b)

    def k_float(k):
        return tf.cast(k, tf.float64) * 0.1

    _, z = tf.while_loop(lambda k, z: k < n, body, [tf.constant(0), a * b])
    ga, gb = tf.gradients(z, [a, b])
    with tf.Session() as sess:
        sess.run(b.initializer)
        for trips in (0, 1, 5):
            feed = {a: 0.3, n: trips}
            np.testing.assert_allclose(sess.run(ga, feed), _fd(sess, z, a, 0.3, {n: trips}),
                                       rtol=1e-6, atol=1e-10)
            b_fd = []
            for delta in (1e-6, -1e-6):
                b.load(0.7 + delta, sess)
                b_fd.append(sess.run(z, feed))
            b.load(0.7, sess)
            np.testing.assert_allclose(sess.run(gb, feed), (b_fd[0] - b_fd[1]) / 2e-6,
                                       rtol=1e-6, atol=1e-10)


def test_while_loop_trains_with_optimizer():
    w = tf.Variable(2.0, dtype=tf.float64)
    _, y = tf.while_loop(lambda k, y: k < 3, lambda k, y: (k + 1, y * w),
                         [tf.constant(0), tf.constant(1.0, tf.float64)])
    loss = tf.square(y - 8.5)
    train = tf.train.GradientDescentOptimizer(0.001).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        before = sess.run(loss)
        for _ in range(20):
            sess.run(train)
        assert sess.run(loss) < before


def test_group_and_tuple():
    v = tf.Variable(0)
    g = tf.group(tf.assign_add(v, 1), tf.assign_add(v, 2), name="both")
    assert g.name == "both" and g.type == "NoOp"
    a, b = tf.tuple([tf.constant(1), tf.constant(2)])
    with tf.Session() as sess:
        sess.run(v.initializer)
        g.run()
        assert sess.run(v) == 3
        assert sess.run([a, b]) == [1, 2]


def test_clip_ops():
    t = tf.constant([[3.0, 4.0], [0.3, 0.4]])
    clipped, norm = tf.clip_by_global_norm([t, None, t * 2], 1.0)
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(tf.clip_by_value(t, 0.35, 3.5)),
                                   [[3.0, 3.5], [0.35, 0.4]])
        np.testing.assert_allclose(sess.run(tf.clip_by_norm(t, 1.0, axes=[1])),
                                   [[0.6, 0.8], [0.3, 0.4]], rtol=1e-6)
        g = np.sqrt(5 * (25 + 0.25))
        assert clipped[1] is None
        np.testing.assert_allclose(sess.run(norm), g, rtol=1e-6)
        np.testing.assert_allclose(sess.run(clipped[2]), 2 * np.array([[3, 4], [.3, .4]]) / g,
                                   rtol=1e-6)
