"""tf.layers, tf.contrib.layers and the initializers, against torch and the book's formulas."""

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import learnflow.flow as tf
from learnflow.flow.contrib import layers as contrib

RNG = np.random.RandomState(0)


# --- initializers: sample variance against Equation 11-1 / Table 11-1 (standard values) ----

FAN_IN, FAN_OUT = 400, 300


@pytest.mark.parametrize("make, variance", [
    (lambda: tf.initializers.glorot_uniform(seed=1), 2 / (FAN_IN + FAN_OUT)),
    (lambda: tf.initializers.glorot_normal(seed=1), 2 / (FAN_IN + FAN_OUT)),
    (lambda: contrib.xavier_initializer(seed=1), 2 / (FAN_IN + FAN_OUT)),
    (lambda: contrib.xavier_initializer(uniform=False, seed=1), 2 / (FAN_IN + FAN_OUT)),
    (lambda: tf.initializers.he_normal(seed=1), 2 / FAN_IN),
    (lambda: tf.initializers.he_uniform(seed=1), 2 / FAN_IN),
    (lambda: contrib.variance_scaling_initializer(seed=1), 2 / FAN_IN),  # the book's He init
    (lambda: contrib.variance_scaling_initializer(factor=1.0, mode="FAN_AVG", uniform=True,
                                                  seed=1), 2 / (FAN_IN + FAN_OUT)),
    (lambda: tf.initializers.variance_scaling(scale=3.0, mode="fan_out", seed=1), 3 / FAN_OUT),
    (lambda: tf.initializers.variance_scaling(2.0, "FAN_IN", "untruncated_normal", seed=1),
     2 / FAN_IN),
    (lambda: tf.initializers.random_normal(0.0, 0.5, seed=1), 0.25),
    (lambda: tf.initializers.random_uniform(-1.0, 1.0, seed=1), 1 / 3),
])
def test_initializer_variance_matches_formula(make, variance):
    with tf.Graph().as_default():
        value = tf.Session().run(make()([FAN_IN, FAN_OUT], dtype=tf.float64))
    assert abs(value.mean()) < 4 * math.sqrt(variance / value.size)
    # 120,000 samples: the sample variance is within about 1% of the true one
    assert value.var() == pytest.approx(variance, rel=0.03)


def test_uniform_limits_and_constant_initializers():
    with tf.Graph().as_default():
        sess = tf.Session()
        he_u = sess.run(tf.initializers.he_uniform(seed=2)([FAN_IN, FAN_OUT]))
        assert np.abs(he_u).max() <= math.sqrt(6 / FAN_IN)
        assert np.abs(he_u).max() > 0.99 * math.sqrt(6 / FAN_IN)
        np.testing.assert_array_equal(sess.run(tf.initializers.zeros()([2])), [0, 0])
        np.testing.assert_array_equal(sess.run(tf.initializers.ones()([2])), [1, 1])
        np.testing.assert_array_equal(sess.run(tf.initializers.constant(3.0)([2])), [3, 3])
        tn = sess.run(tf.initializers.truncated_normal(0.0, 1.0, seed=3)([5000]))
        assert np.abs(tn).max() <= 2.0
    with pytest.raises(TypeError, match="Unknown mode"):
        contrib.variance_scaling_initializer(mode="fan_sideways")


# --- Dense -------------------------------------------------------------------------------

def _session_values(graph, fetches, feed=None):
    with tf.Session(graph=graph) as sess:
        sess.run(tf.variables_initializer(graph.get_collection(tf.GraphKeys.GLOBAL_VARIABLES)))
        return sess.run(fetches, feed)


def test_dense_matches_torch_linear_and_names_variables():
    X = RNG.normal(size=(5, 4))
    graph = tf.Graph()
    with graph.as_default():
        x = tf.placeholder(tf.float64, [None, 4])
        y = tf.layers.dense(x, 3, activation=tf.nn.elu, name="hidden1",
                            bias_initializer=tf.constant_initializer(0.5))
        kernel, bias = tf.trainable_variables()
        assert [v.op.name for v in (kernel, bias)] == ["hidden1/kernel", "hidden1/bias"]
        assert y.get_shape().as_list() == [None, 3]
        out, k, b = _session_values(graph, [y, kernel, bias], {x: X})
    expected = F.elu(F.linear(torch.tensor(X), torch.tensor(k).T, torch.tensor(b)))
    np.testing.assert_allclose(out, expected.numpy(), rtol=1e-12)
    np.testing.assert_array_equal(b, [0.5] * 3)


def test_dense_reuse_regularizers_and_errors():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 4])
        tf.layers.dense(x, 3, name="h", kernel_regularizer=contrib.l2_regularizer(0.1))
        tf.layers.dense(x, 3, name="h", reuse=True)
        assert len(tf.trainable_variables()) == 2
        with pytest.raises(ValueError, match="already exists"):
            tf.layers.dense(x, 3, name="h")
        layer = tf.layers.Dense(2)
        layer(x), layer(x)  # a layer object shares its variables between calls
        assert len(layer.trainable_weights) == 2 and len(tf.trainable_variables()) == 4
        assert len(tf.losses.get_regularization_losses()) == 1
        with pytest.raises(ValueError, match="Received: units=0"):
            tf.layers.Dense(0)
        with pytest.raises(ValueError, match="last dimension"):
            tf.layers.dense(tf.placeholder(tf.float32, [None, None]), 2)


# --- Batch normalization --------------------------------------------------------------------

def test_batch_normalization_training_inference_and_moving_statistics():
    batches = [RNG.normal(loc=3.0, scale=2.0, size=(8, 4)) for _ in range(3)]
    momentum, eps = 0.9, 1e-3
    graph = tf.Graph()
    with graph.as_default():
        x = tf.placeholder(tf.float64, [None, 4])
        training = tf.placeholder_with_default(False, shape=())
        y = tf.layers.batch_normalization(x, momentum=momentum, epsilon=eps, training=training,
                                          gamma_initializer=tf.constant_initializer(1.5),
                                          beta_initializer=tf.constant_initializer(-0.5))
        update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
        assert len(update_ops) == 2
        with tf.control_dependencies(update_ops):
            train_out = tf.identity(y)
        moving = [v for v in tf.global_variables() if "moving" in v.op.name]
        assert not set(moving) & set(tf.trainable_variables())
    weight = torch.full((4,), 1.5, dtype=torch.float64)
    bias = torch.full((4,), -0.5, dtype=torch.float64)
    run_mean, run_var = np.zeros(4), np.ones(4)
    with tf.Session(graph=graph) as sess:
        sess.run(tf.variables_initializer(moving + graph.get_collection("trainable_variables")))
        sess.run(y, {x: batches[0], training: True})  # no update without the dependency
        np.testing.assert_array_equal(sess.run(moving[0]), np.zeros(4))
        for batch in batches:
            out = sess.run(train_out, {x: batch, training: True})
            expected = F.batch_norm(torch.tensor(batch), None, None, weight, bias, training=True,
                                    eps=eps)
            np.testing.assert_allclose(out, expected.numpy(), rtol=1e-10)
            run_mean = momentum * run_mean + (1 - momentum) * batch.mean(0)
            run_var = momentum * run_var + (1 - momentum) * batch.var(0)  # biased, as TF
        np.testing.assert_allclose(sess.run(moving[0]), run_mean, rtol=1e-12)
        np.testing.assert_allclose(sess.run(moving[1]), run_var, rtol=1e-12)
        test = RNG.normal(size=(5, 4))
        out = sess.run(train_out, {x: test})  # inference: moving stats, no update
        expected = F.batch_norm(torch.tensor(test), torch.tensor(run_mean),
                                torch.tensor(run_var), weight, bias, training=False, eps=eps)
        np.testing.assert_allclose(out, expected.numpy(), rtol=1e-10)
        np.testing.assert_allclose(sess.run(moving[0]), run_mean, rtol=1e-12)


def test_contrib_batch_norm_in_place_updates_and_python_bool():
    batch = RNG.normal(size=(6, 3))
    graph = tf.Graph()
    with graph.as_default():
        x = tf.constant(batch)
        y = contrib.batch_norm(x, decay=0.5, updates_collections=None, is_training=True)
        assert not tf.get_collection(tf.GraphKeys.UPDATE_OPS)
        assert [v.op.name for v in tf.global_variables()] == [
            "BatchNorm/beta", "BatchNorm/moving_mean", "BatchNorm/moving_variance"]
        mean_var = tf.global_variables()[1]
        inference = tf.layers.batch_normalization(x, training=False, axis=0, name="bn0")
    with tf.Session(graph=graph) as sess:
        sess.run(tf.variables_initializer(graph.get_collection("variables")))
        sess.run(y)
        np.testing.assert_allclose(sess.run(mean_var), 0.5 * batch.mean(0))
        np.testing.assert_allclose(sess.run(inference), batch / np.sqrt(1 + 1e-3))


# --- Dropout, Flatten ------------------------------------------------------------------------

def test_dropout_layers_scale_and_turn_off():
    ones = np.ones((100, 50))
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float64, [None, 50])
        training = tf.placeholder_with_default(False, shape=())
        a = tf.layers.dropout(x, rate=0.25, training=training, seed=1)
        b = contrib.dropout(x, keep_prob=0.75, is_training=training, seed=2)
        with tf.Session() as sess:
            for out in sess.run([a, b], {x: ones, training: True}):
                assert set(np.unique(out)) == {0.0, 1 / 0.75}
                assert abs((out == 0).mean() - 0.25) < 0.03
            for out in sess.run([a, b], {x: ones}):
                np.testing.assert_array_equal(out, ones)


def test_flatten():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float64, [None, 2, 3])
        y = tf.layers.flatten(x)
        assert y.get_shape().as_list() == [None, 6]
        value = RNG.normal(size=(4, 2, 3))
        np.testing.assert_array_equal(tf.Session().run(y, {x: value}), value.reshape(4, 6))


# --- contrib: fully_connected, arg_scope, regularizers, max-norm -------------------------------

def test_fully_connected_defaults_and_arg_scope():
    X = RNG.normal(size=(5, 4))
    graph = tf.Graph()
    with graph.as_default():
        x = tf.constant(X)
        with contrib.arg_scope([contrib.fully_connected],
                               weights_regularizer=contrib.l1_regularizer(0.01)):
            h = contrib.fully_connected(x, 3, scope="hidden1")
            out = contrib.fully_connected(h, 2, activation_fn=None, scope="outputs",
                                          weights_regularizer=contrib.l1_l2_regularizer(0.1, 0.2))
        names = [v.op.name for v in tf.trainable_variables()]
        assert names == ["hidden1/weights", "hidden1/biases", "outputs/weights", "outputs/biases"]
        reg_loss = tf.losses.get_regularization_loss()
        w1, b1, w2, b2 = tf.trainable_variables()
        values = _session_values(graph, [out, reg_loss, w1, b1, w2, b2])
    out_v, reg_v, w1, b1, w2, b2 = values
    expected = F.linear(F.relu(F.linear(torch.tensor(X), torch.tensor(w1).T,
                                        torch.tensor(b1))), torch.tensor(w2).T, torch.tensor(b2))
    np.testing.assert_allclose(out_v, expected.numpy(), rtol=1e-12)
    expected_reg = 0.01 * np.abs(w1).sum() + 0.1 * np.abs(w2).sum() + 0.2 * (w2 ** 2).sum() / 2
    assert reg_v == pytest.approx(expected_reg, rel=1e-10)
    with pytest.raises(ValueError, match="less than 0"):
        contrib.l2_regularizer(-1.0)
    with pytest.raises(ValueError, match="add_arg_scope"):
        with contrib.arg_scope([len], a=1):
            pass


def test_max_norm_regularizer_clips_rows():
    graph = tf.Graph()
    with graph.as_default():
        x = tf.placeholder(tf.float64, [None, 4])
        tf.layers.dense(x, 3, kernel_regularizer=contrib.max_norm_regularizer(1.0),
                        kernel_initializer=tf.constant_initializer(2.0), name="h")
        clip_all = tf.get_collection("max_norm")
        assert len(clip_all) == 1 and not tf.losses.get_regularization_losses()
        kernel = tf.trainable_variables()[0]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(clip_all)
            np.testing.assert_allclose(np.linalg.norm(sess.run(kernel), axis=1), 1.0)


# --- Chapter 11 training techniques -----------------------------------------------------------

from learnflow.flow.contrib import training as techniques  # noqa: E402


def _two_layer_graph(n_out=2):
    x = tf.placeholder(tf.float64, [None, 4], name="X")
    y = tf.placeholder(tf.int64, [None], name="y")
    h = tf.layers.dense(x, 5, activation=tf.nn.relu, name="hidden1")
    logits = tf.layers.dense(h, n_out, name="outputs")
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
    return x, y, h, loss


def test_clip_gradients_on_compute_gradients_output():
    X, Y = RNG.normal(size=(10, 4)) * 10, RNG.randint(0, 2, 10)
    with tf.Graph().as_default():
        x, y, _, loss = _two_layer_graph()
        optimizer = tf.train.GradientDescentOptimizer(0.1)
        grads_and_vars = optimizer.compute_gradients(loss)
        for method, threshold in [("value", 0.01), ("norm", 0.05), ("global_norm", 0.05)]:
            clipped = techniques.clip_gradients(grads_and_vars, threshold, method)
            optimizer.apply_gradients(clipped)
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                raw, new = sess.run([[g for g, _ in grads_and_vars], [g for g, _ in clipped]],
                                    {x: X, y: Y})
            if method == "value":
                for r, n in zip(raw, new):
                    np.testing.assert_allclose(n, np.clip(r, -threshold, threshold))
            elif method == "norm":
                assert all(np.linalg.norm(n) <= threshold + 1e-12 for n in new)
            else:
                total = np.sqrt(sum((r ** 2).sum() for r in raw))
                for r, n in zip(raw, new):
                    np.testing.assert_allclose(n, r * threshold / max(total, threshold))
        with pytest.raises(ValueError, match="method"):
            techniques.clip_gradients(grads_and_vars, 1.0, "median")


def test_freezing_layers_with_var_list_and_stop_gradient():
    X, Y = RNG.normal(size=(10, 4)), RNG.randint(0, 2, 10)
    with tf.Graph().as_default():
        x, y, h, loss = _two_layer_graph()
        train_top = tf.train.GradientDescentOptimizer(0.5).minimize(
            loss, var_list=techniques.frozen_var_list("outputs"))
        frozen_h = tf.stop_gradient(h)
        assert tf.gradients(tf.reduce_sum(frozen_h), tf.trainable_variables()[0]) == [None]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            before = techniques.get_model_params(sess)
            sess.run(train_top, {x: X, y: Y})
            after = techniques.get_model_params(sess)
            cached = techniques.cache_outputs(sess, h, x, X, batch_size=3)
            np.testing.assert_allclose(cached, sess.run(h, {x: X}))
    np.testing.assert_array_equal(before["hidden1/kernel"], after["hidden1/kernel"])
    assert not np.allclose(before["outputs/kernel"], after["outputs/kernel"])


def test_early_stopping_restores_the_winner():
    with tf.Graph().as_default():
        v = tf.Variable(1.0)
        with tf.Session() as sess:
            sess.run(v.initializer)
            stopper = techniques.EarlyStopping(patience=2)
            for value, score in [(1.0, 0.5), (2.0, 0.3), (3.0, 0.4), (4.0, 0.35)]:
                sess.run(v.assign(value))
                stopper.update(score, sess)
            assert stopper.should_stop and stopper.best_score == 0.3
            stopper.restore_best(sess)
            assert sess.run(v) == 2.0
    with pytest.raises(ValueError, match="mode"):
        techniques.EarlyStopping(mode="sideways")


def test_restore_subset_of_checkpoint_into_new_graph(tmp_path):
    path = str(tmp_path / "model.ckpt")
    with tf.Graph().as_default():
        _two_layer_graph()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            original = techniques.get_model_params(sess)
            tf.train.Saver().save(sess, path)
    with tf.Graph().as_default():
        _two_layer_graph(n_out=3)  # a new output layer: only hidden1 can be reused
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            restored = techniques.restore_subset(sess, path, scope="hidden1")
            assert sorted(restored) == ["hidden1/bias", "hidden1/kernel"]
            params = techniques.get_model_params(sess)
    np.testing.assert_array_equal(params["hidden1/kernel"], original["hidden1/kernel"])
    assert params["outputs/kernel"].shape == (5, 3)
