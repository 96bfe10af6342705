"""Session.run: fetch structures, feeds, errors, plans, state, seeds, devices."""

import collections

import numpy as np
import pytest
import torch

import learnflow
import learnflow.flow as tf
from tests._devices import DEVICES


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()
    yield


def test_nested_fetches():
    a = tf.constant(1.0)
    b = tf.constant(2.0)
    Pair = collections.namedtuple("Pair", "x y")
    init = tf.no_op()
    with tf.Session() as sess:
        out = sess.run({"a": a, "list": [a, (b, init)], "pair": Pair(a, b), "name": "Const_1:0"})
    assert out["a"] == 1.0 and out["list"][0] == 1.0
    assert out["list"][1] == (2.0, None)
    assert isinstance(out["pair"], Pair) and out["pair"].y == 2.0
    assert out["name"] == 2.0


def test_fetch_errors_and_closed_session():
    a = tf.constant(1.0)
    sess = tf.Session()
    with pytest.raises(TypeError):
        sess.run(None)
    with pytest.raises(TypeError):
        sess.run(3)
    sess.close()
    with pytest.raises(RuntimeError, match="closed Session"):
        sess.run(a)


def test_feeding_any_tensor_skips_its_op():
    w = tf.constant(3)
    x = w + 2
    y = x + 5
    with tf.Session() as sess:
        assert sess.run(y, feed_dict={x: 100}) == 105
        assert sess.run(y) == 10


def test_feed_errors():
    a = tf.placeholder(tf.float32, shape=(None, 3), name="A")
    i = tf.placeholder(tf.int32, shape=(), name="i")
    b = a + 5
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match="must feed a value for "
                           "placeholder tensor 'A'"):
            sess.run(b)
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"shape \(2,\)"):
            sess.run(b, {a: [1.0, 2.0]})
        with pytest.raises(ValueError):
            sess.run(b, {a: [[1.0, 2.0]]})
        with pytest.raises(tf.errors.InvalidArgumentError, match="dtype"):
            sess.run(i + 1, {i: 1.5})
        assert sess.run(i + 1, {i: 4}) == 5
        out = sess.run(b, {a: torch.ones(1, 3)})
        np.testing.assert_array_equal(out, [[6, 6, 6]])


def test_uninitialized_variable_error_names_it():
    v = tf.Variable(1.0, name="theta")
    with tf.Session() as sess:
        with pytest.raises(tf.errors.FailedPreconditionError, match="uninitialized value theta"):
            sess.run(v * 2)


def test_each_node_once_per_run_and_no_memo_across_runs():
    calls = []
    x = tf.py_func(lambda: calls.append(1) or np.float32(1.0), [], tf.float32)
    y = x + 1
    z = x * 3
    with tf.Session() as sess:
        sess.run([y, z])
        assert len(calls) == 1
        sess.run(y)
        sess.run(z)
        assert len(calls) == 3


def test_plan_is_cached_and_pruned():
    a = tf.placeholder(tf.float32, [])
    b = a * 2
    unrelated = tf.py_func(lambda: 1 / 0, [], tf.float32)
    with tf.Session() as sess:
        sess.run(b, {a: 1.0})
        sess.run(b, {a: 2.0})
        assert len(sess._plans) == 1
        plan = next(iter(sess._plans.values()))
        assert unrelated.op not in plan._ops and a.op not in plan._ops


def test_two_sessions_hold_independent_values():
    v = tf.Variable(1.0)
    inc = tf.assign_add(v, 1.0)
    s1, s2 = tf.Session(), tf.Session()
    s1.run(v.initializer)
    s2.run(v.initializer)
    s1.run(inc)
    s1.run(inc)
    assert s1.run(v) == 3.0 and s2.run(v) == 1.0
    s1.close()
    s2.close()


def test_default_session_interactive_and_eval():
    x = tf.Variable(3.0)
    y = x * 2
    sess = tf.InteractiveSession()
    x.initializer.run()
    assert y.eval() == 6.0
    assert tf.get_default_session() is sess
    sess.close()
    assert tf.get_default_session() is None
    with pytest.raises(ValueError, match="No default session"):
        y.eval()
    other = tf.Session()
    other.run(x.initializer)
    assert y.eval(session=other) == 6.0
    with other.as_default():
        assert x.eval() == 3.0
    g2 = tf.Graph()
    with g2.as_default():
        c = tf.constant(1)
    with pytest.raises(ValueError):
        other.run(c)


def test_run_metadata_and_options_accepted():
    a = tf.constant(2.0)
    meta = tf.RunMetadata()
    with tf.Session(config=tf.ConfigProto(gpu_options=tf.GPUOptions(allow_growth=True))) as sess:
        assert sess.run(a * 3, options=tf.RunOptions(timeout_in_ms=1000), run_metadata=meta) == 6
    assert meta.step_stats


def test_random_seeds_follow_tf1_semantics():
    tf.set_random_seed(42)
    r1 = tf.random_uniform([3])
    r2 = tf.random_normal([3])
    r3 = tf.random_normal([3], seed=7)
    with tf.Session() as s:
        a1, a2, a3 = s.run([r1, r2, r3])
        a1b = s.run(r1)
    with tf.Session() as s:
        b1, b2, b3 = s.run([r1, r2, r3])
    np.testing.assert_array_equal(a1, b1)
    np.testing.assert_array_equal(a3, b3)
    assert not np.array_equal(a1, a1b)  # a new draw each run
    assert not np.array_equal(a2, a3)
    tf.reset_default_graph()
    tf.set_random_seed(42)
    with tf.Session() as s:
        np.testing.assert_array_equal(s.run(tf.random_uniform([3])), a1)


def test_random_op_distributions():
    n = 20000
    with tf.Session() as s:
        u, z, t, sh, m = s.run([
            tf.random_uniform([n], -1.0, 3.0, seed=1), tf.random_normal([n], 2.0, 0.5, seed=2),
            tf.truncated_normal([n], seed=3), tf.random_shuffle(tf.range(10), seed=4),
            tf.multinomial(tf.log([[0.2, 0.8]]), 2000, seed=5)])
    assert u.min() >= -1 and u.max() < 3 and abs(u.mean() - 1.0) < 0.05
    assert abs(z.mean() - 2.0) < 0.02 and abs(z.std() - 0.5) < 0.02
    assert np.abs(t).max() <= 2.0
    assert sorted(sh) == list(range(10))
    assert m.shape == (1, 2000) and abs(m.mean() - 0.8) < 0.05


@pytest.mark.parametrize("device", DEVICES)
def test_runs_on_engine_device(device):
    with learnflow.config_context(device=device):
        x = tf.placeholder(tf.float32, [None, 2])
        v = tf.Variable(tf.ones([2, 1]))
        y = tf.matmul(x, v)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            assert sess._state[v.op].device.type == device
            np.testing.assert_array_equal(sess.run(y, {x: [[1.0, 2.0]]}), [[3.0]])


def test_kernel_error_names_op():
    a = tf.placeholder(tf.float32, [None, None])
    b = tf.matmul(a, a, name="bad_matmul")
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError, match="bad_matmul"):
        sess.run(b, {a: np.ones((2, 3))})
