"""Variables, initializers and variable scopes (the book's reuse rules)."""

import numpy as np
import pytest

import learnflow.flow as tf


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()
    yield


def test_variable_basics():
    v = tf.Variable([1.0, 2.0], name="v")
    assert v.name == "v:0" and v.op.name == "v" and v.dtype is tf.float32
    assert v.get_shape().as_list() == [2] and v.initializer.name == "v/Assign"
    assert v in tf.global_variables() and v in tf.trainable_variables()
    with tf.Session() as sess:
        sess.run(v.initializer)
        np.testing.assert_array_equal(sess.run(v.assign([3.0, 4.0])), [3, 4])
        np.testing.assert_array_equal(sess.run(v.assign_sub([1.0, 1.0])), [2, 3])
        np.testing.assert_array_equal(v.eval(), [2, 3])
        np.testing.assert_array_equal(sess.run(v.read_value()), [2, 3])
        v.load([7.0, 8.0], sess)
        np.testing.assert_array_equal(sess.run(v.value()), [7, 8])
        np.testing.assert_array_equal(sess.run(v[::-1]), [8, 7])


def test_variable_options():
    v = tf.Variable(1, trainable=False, collections=["mine"], dtype=tf.int64)
    assert v.dtype is tf.int64
    assert tf.global_variables() == [] and tf.get_collection("mine") == [v]
    u = tf.Variable(lambda: tf.zeros([2]), name="lazy")
    assert u.initial_value.op.name.startswith("lazy/Initializer")
    w = tf.Variable(tf.zeros([2]), validate_shape=False)
    assert w.get_shape().ndims is None
    with pytest.raises(ValueError):
        tf.Variable()
    with tf.Session() as sess:
        sess.run(w.initializer)
        sess.run(tf.assign(w, [1.0, 2.0, 3.0], validate_shape=False))
        assert sess.run(w).shape == (3,)


def test_initialized_value_and_initializers():
    a = tf.Variable(tf.constant(2.0), name="a")
    b = tf.Variable(a.initialized_value() * 3.0, name="b")
    init = tf.global_variables_initializer()
    assert init.name == "init"
    with tf.Session() as sess:
        assert not sess.run(tf.is_variable_initialized(a))
        sess.run(init)
        assert sess.run(b) == 6.0
        assert sess.run(tf.is_variable_initialized(a))
        assert list(sess.run(tf.report_uninitialized_variables())) == []
        sess.run(tf.variables_initializer([a]))


@pytest.mark.parametrize("initializer,check", [
    (tf.zeros_initializer(), lambda x: np.all(x == 0)),
    (tf.ones_initializer(), lambda x: np.all(x == 1)),
    (tf.constant_initializer(0.5), lambda x: np.all(x == 0.5)),
    (tf.random_uniform_initializer(-1, 1, seed=1), lambda x: np.abs(x).max() <= 1),
    (tf.random_normal_initializer(0.0, 0.1, seed=1), lambda x: abs(x.std() - 0.1) < 0.02),
    (tf.truncated_normal_initializer(stddev=0.1, seed=1), lambda x: np.abs(x).max() <= 0.2),
    (tf.glorot_uniform_initializer(seed=1),
     lambda x: np.abs(x).max() <= np.sqrt(6 / (100 + 50))),
    (tf.variance_scaling_initializer(2.0, seed=1),
     lambda x: abs(x.std() - np.sqrt(2 / 100)) < 0.02),
])
def test_get_variable_initializers(initializer, check):
    v = tf.get_variable("w", shape=[100, 50], initializer=initializer)
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert check(sess.run(v))


def test_variable_scope_reuse_rules():
    with tf.variable_scope("relu"):
        t = tf.get_variable("threshold", shape=(), initializer=tf.constant_initializer(0.0))
    assert t.name == "relu/threshold:0"
    with pytest.raises(ValueError, match="already exists"):
        with tf.variable_scope("relu"):
            tf.get_variable("threshold", shape=())
    with tf.variable_scope("relu", reuse=True):
        assert tf.get_variable("threshold") is t
        with tf.variable_scope("inner", reuse=False) as inner:
            assert inner.reuse is True  # nested scopes inherit reuse=True
    with tf.variable_scope("relu") as scope:
        scope.reuse_variables()
        assert tf.get_variable("threshold") is t
    with pytest.raises(ValueError, match="does not exist"):
        with tf.variable_scope("relu", reuse=True):
            tf.get_variable("missing")
    plain = tf.Variable(1.0, name="plain")
    with pytest.raises(ValueError, match="does not exist"):
        with tf.variable_scope("", reuse=True):
            tf.get_variable("plain")
    assert plain.name == "plain:0"
    with tf.variable_scope("auto", reuse=tf.AUTO_REUSE):
        a1 = tf.get_variable("a", shape=[2])
    with tf.variable_scope("auto", reuse=tf.AUTO_REUSE):
        a2 = tf.get_variable("a", shape=[2])
    assert a1 is a2
    with pytest.raises(ValueError, match="fully defined"):
        tf.get_variable("noshape")


def test_variable_scope_object_default_name_and_initializer():
    with tf.variable_scope("layer", initializer=tf.constant_initializer(3.0)) as scope:
        w = tf.get_variable("w", shape=[2])
    with tf.variable_scope(scope, reuse=True):
        assert tf.get_variable("w") is w
    with tf.variable_scope(None, default_name="block") as s1:
        pass
    with tf.variable_scope(None, default_name="block") as s2:
        pass
    assert (s1.name, s2.name) == ("block", "block_1")
    assert tf.get_variable_scope().name == ""
    with tf.Session() as sess:
        sess.run(w.initializer)
        np.testing.assert_array_equal(sess.run(w), [3.0, 3.0])


def test_regularizer_collection():
    w = tf.get_variable("w", shape=[2], regularizer=lambda v: tf.reduce_sum(tf.abs(v)))
    losses = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    assert len(losses) == 1 and w is not None


def test_get_variable_takes_value_and_dtype_from_a_tensor_initializer():
    with tf.Graph().as_default():
        variable = tf.get_variable("v", initializer=tf.constant(np.full((2, 2), 3.0)))
        assert variable.dtype == tf.float64
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            np.testing.assert_array_equal(sess.run(variable), np.full((2, 2), 3.0))


def test_size_of_a_string_tensor_counts_its_elements():
    with tf.Graph().as_default():
        size = tf.size(tf.constant(np.array(["a", "b", "c"], dtype=object)))
        with tf.Session() as sess:
            assert sess.run(size) == 3
