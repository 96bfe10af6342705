"""cond and while_loop: values, laziness, gradients (against finite differences)."""

import numpy as np
import pytest
import torch

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


def _torch_loop(x, w, trips):
    y = x
    for _ in range(trips):
        y = torch.sin(y * w) + x * y
    return y


@pytest.mark.parametrize("trips", [0, 1, 4])
def test_while_loop_second_order_gradients_match_torch(trips):
    """Gradients of gradients through a loop whose trip count is fed at run time."""
    x = tf.placeholder(tf.float64, [])
    w = tf.Variable(0.8, dtype=tf.float64)
    n = tf.placeholder(tf.int32, [])
    _, y = tf.while_loop(lambda i, y: i < n, lambda i, y: (i + 1, tf.sin(y * w) + x * y),
                         [tf.constant(0), x])
    gx, gw = tf.gradients(y, [x, w])
    gxx, gxw = tf.gradients(gx, [x, w])
    (gww,) = tf.gradients(gw, w)
    xt = torch.tensor(0.3, dtype=torch.float64, requires_grad=True)
    wt = torch.tensor(0.8, dtype=torch.float64, requires_grad=True)
    yt = _torch_loop(xt, wt, trips)
    if trips == 0:
        expected = [0.3, 1.0, 0.0, 0.0, 0.0, 0.0]
    else:
        tgx, tgw = torch.autograd.grad(yt, [xt, wt], create_graph=True)
        txx, txw = torch.autograd.grad(tgx, [xt, wt], retain_graph=True)
        (tww,) = torch.autograd.grad(tgw, wt)
        expected = [t.item() for t in (yt, tgx, tgw, txx, txw, tww)]
    with tf.Session() as sess:
        sess.run(w.initializer)
        feed = {x: 0.3, n: trips}
        got = [None if t is None else sess.run(t, feed) for t in (y, gx, gw, gxx, gxw, gww)]
        got = [0.0 if g is None else g for g in got]
        np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(got[3], _fd(sess, gx, x, 0.3, {n: trips}), rtol=1e-6,
                                   atol=1e-9)


def test_nested_while_loops_second_order_against_finite_differences():
    x = tf.placeholder(tf.float64, [3])

    def outer_body(i, y):
        _, z = tf.while_loop(lambda j, z: j < 2, lambda j, z: (j + 1, tf.sin(z) * x),
                             [tf.constant(0), y])
        return i + 1, z

    _, y = tf.while_loop(lambda i, y: i < 2, outer_body, [tf.constant(0), x])
    loss = tf.reduce_sum(y * tf.constant([1.0, -2.0, 0.5], tf.float64))
    (g,) = tf.gradients(loss, x)
    (hv,) = tf.gradients(tf.reduce_sum(g * tf.constant([0.3, 0.1, -0.7], tf.float64)), x)
    x0 = np.array([0.7, -0.4, 1.1])
    with tf.Session() as sess:
        eps = 1e-6
        fd_g = [(sess.run(loss, {x: x0 + eps * e}) - sess.run(loss, {x: x0 - eps * e})) / (2 * eps)
                for e in np.eye(3)]
        np.testing.assert_allclose(sess.run(g, {x: x0}), fd_g, rtol=1e-6)
        v = np.array([0.3, 0.1, -0.7])
        fd_hv = (sess.run(g, {x: x0 + eps * v}) - sess.run(g, {x: x0 - eps * v})) / (2 * eps)
        np.testing.assert_allclose(sess.run(hv, {x: x0}), fd_hv, rtol=1e-5)


def test_while_loop_body_writes_outer_variables():
    """assign/assign_add inside the body act on the session's variables (read live)."""
    v = tf.Variable(0.0, dtype=tf.float64)
    total = tf.Variable(1.0, dtype=tf.float64)

    def body(i):
        inc = tf.assign_add(v, 1.0)
        with tf.control_dependencies([inc]):
            doubled = tf.assign(total, total * 2.0)
        with tf.control_dependencies([doubled]):
            return i + 1

    out = tf.while_loop(lambda i: i < 3, body, tf.constant(0))
    # the condition reads the variable the body increments
    j, acc = tf.while_loop(lambda j, acc: v < 6.0,
                           lambda j, acc: (j + 1, acc + tf.assign_add(v, 1.0)),
                           [tf.constant(0), tf.constant(0.0, tf.float64)])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(out) == 3
        assert sess.run([v, total]) == [3.0, 8.0]
        assert sess.run([j, acc]) == [3, 4.0 + 5.0 + 6.0]
        assert sess.run(v) == 6.0
    with tf.Session() as other:  # another session: its own variable values
        other.run(tf.global_variables_initializer())
        assert other.run(out) == 3 and other.run(v) == 3.0


def test_while_loop_runs_gradient_descent_on_a_variable():
    """Training steps inside the graph: the gradient and the update live in the body."""
    w = tf.Variable(5.0, dtype=tf.float64)

    def body(i):
        (g,) = tf.gradients(tf.square(w - 2.0), [w])
        with tf.control_dependencies([tf.assign_sub(w, 0.25 * g)]):
            return i + 1

    steps = tf.while_loop(lambda i: i < 10, body, tf.constant(0))
    with tf.Session() as sess:
        sess.run(w.initializer)
        assert sess.run(steps) == 10
        # w - 2 halves at every step: 3 * 0.5 ** 10
        np.testing.assert_allclose(sess.run(w), 2.0 + 3.0 * 0.5 ** 10, rtol=1e-12)


def test_while_loop_gradient_needs_shape_invariant_loop_variables():
    x = tf.placeholder(tf.float64, [None])
    _, y = tf.while_loop(lambda i, y: i < 2, lambda i, y: (i + 1, tf.concat([y, y], 0)),
                         [tf.constant(0), x])
    (g,) = tf.gradients(tf.reduce_sum(y), x)
    with tf.Session() as sess:
        assert sess.run(y, {x: [1.0]}).tolist() == [1.0] * 4
        with pytest.raises(tf.errors.InvalidArgumentError, match="keep its shape"):
            sess.run(g, {x: [1.0]})
