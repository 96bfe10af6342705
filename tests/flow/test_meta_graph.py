"""export_meta_graph / import_meta_graph: the graph as JSON, rebuilt through the registry.

Oracles: the original graph run on the same inputs and variable values (an
imported graph must compute exactly what the original computes, its gradients
included), and finite differences for the imported gradients.
"""

import json
import os

import numpy as np
import pytest

import learnflow.flow as tf


def _mlp():
    """A 3-8-1 MLP regression with name scopes, Adam, a cond and a train_op collection."""
    X = tf.placeholder(tf.float64, (None, 3), name="X")
    y = tf.placeholder(tf.float64, (None, 1), name="y")
    rng = np.random.RandomState(42)
    with tf.name_scope("dnn"):
        with tf.name_scope("hidden1"):
            W1 = tf.Variable(rng.randn(3, 8) * 0.5, name="kernel")
            b1 = tf.Variable(np.zeros(8), name="bias")
            h1 = tf.tanh(tf.matmul(X, W1) + b1, name="tanh")
        with tf.name_scope("output"):
            W2 = tf.Variable(rng.randn(8, 1) * 0.5, name="kernel")
            b2 = tf.Variable(np.zeros(1), name="bias")
            out = tf.add(tf.matmul(h1, W2), b2, name="prediction")
    with tf.name_scope("loss"):
        err = out - y
        huge = tf.cond(tf.reduce_mean(tf.abs(err)) > 1.0, lambda: tf.abs(err),
                       lambda: tf.square(err))
        loss = tf.reduce_mean(huge, name="loss")
    train = tf.train.AdamOptimizer(0.05).minimize(loss)
    tf.add_to_collection("train_op", train)
    tf.add_to_collection("my_settings", "learning_rate=0.05")
    return X, y, out, loss, train


def _data():
    rng = np.random.RandomState(0)
    X = rng.randn(40, 3)
    return X, np.sin(X @ np.array([[1.0], [-1.0], [0.5]]))


def test_import_meta_graph_restores_predictions_and_training_continues(tmp_path):
    Xv, yv = _data()
    with tf.Graph().as_default():
        X, y, out, loss, train = _mlp()
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(20):
                sess.run(train, {X: Xv, y: yv})
            path = saver.save(sess, str(tmp_path / "model.ckpt"))
            expected_pred = sess.run(out, {X: Xv})
            expected_losses = [sess.run([train, loss], {X: Xv, y: yv})[1] for _ in range(5)]
    assert os.path.exists(path + ".meta")
    with tf.Graph().as_default() as graph:
        saver = tf.train.import_meta_graph(path + ".meta")
        with tf.Session() as sess:
            saver.restore(sess, path)
            pred = sess.run("dnn/output/prediction:0", {"X:0": Xv})
            train_op = tf.get_collection("train_op")[0]
            losses = [sess.run([train_op, "loss/loss:0"], {"X:0": Xv, "y:0": yv})[1]
                      for _ in range(5)]
        assert tf.get_collection("my_settings") == ["learning_rate=0.05"]
        assert sorted(v.op.name for v in tf.trainable_variables()) == [
            "dnn/hidden1/bias", "dnn/hidden1/kernel", "dnn/output/bias", "dnn/output/kernel"]
        assert graph.get_tensor_by_name("X:0").get_shape().as_list() == [None, 3]
    np.testing.assert_array_equal(pred, expected_pred)
    np.testing.assert_array_equal(losses, expected_losses)


def test_gradients_through_imported_graph_match_finite_differences(tmp_path):
    Xv, yv = _data()
    with tf.Graph().as_default():
        X, y, out, loss, _ = _mlp()
        meta = tf.train.export_meta_graph()
    with tf.Graph().as_default():
        tf.train.import_meta_graph(json.loads(json.dumps(meta)))
        loss = tf.get_default_graph().get_tensor_by_name("loss/loss:0")
        kernel = [v for v in tf.global_variables() if v.op.name == "dnn/output/kernel"][0]
        grad, = tf.gradients(loss, [kernel])
        feed = {"X:0": Xv, "y:0": yv}
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            analytic = sess.run(grad, feed)
            w = sess.run(kernel)
            numeric = np.zeros_like(w)
            for i in range(w.shape[0]):
                for sign in (1, -1):
                    shifted = w.copy()
                    shifted[i, 0] += sign * 1e-6
                    kernel.load(shifted, sess)
                    numeric[i, 0] += sign * sess.run(loss, feed) / 2e-6
            kernel.load(w, sess)
            # a new optimizer on the imported graph trains it
            step = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
            sess.run(tf.global_variables_initializer())
            kernel.load(w, sess)
            first = sess.run(loss, feed)
            for _ in range(30):
                sess.run(step, feed)
            assert sess.run(loss, feed) < first
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-9)


def _many_ops():
    x = tf.placeholder(tf.float32, (None, 4), name="x")
    s = tf.constant(["a", "bc"], name="strings")
    big = tf.constant(2**40, dtype=tf.int64, name="big")
    inf = tf.constant([np.inf, -np.inf, 1.0], name="infs")
    parts = tf.split(x, 2, axis=1)
    outputs = {
        "slice": x[:, 1:3][..., tf.newaxis],
        "stack": tf.stack(parts, axis=0),
        "reduce": tf.reduce_sum(x, axis=[1], keepdims=True),
        "tiled": tf.tile(tf.expand_dims(x, 0), [2, 1, 1]),
        "cast": tf.cast(x > 0.5, tf.int32),
        "argmax": tf.argmax(x, axis=1),
        "onehot": tf.one_hot(tf.argmax(x, axis=1), 4),
        "pad": tf.pad(x, [[1, 0], [0, 2]]),
        "transpose": tf.transpose(x),
        "reshape": tf.reshape(x, [-1, 2, 2]),
        "minimum": tf.minimum(inf, 3.0),
        "big": big + 1,
        "size": tf.size(x),
        "strings": s,
        "clip": tf.clip_by_value(x, 0.2, 0.8),
        "gather": tf.gather(x, [1, 0], axis=1),
        "range": tf.range(0, 10, 3),
    }
    return x, outputs


def test_attrs_of_many_ops_survive_the_round_trip():
    xv = np.random.RandomState(3).rand(3, 4).astype(np.float32)
    with tf.Graph().as_default():
        x, outputs = _many_ops()
        names = {k: v.name for k, v in outputs.items()}
        with tf.Session() as sess:
            expected = sess.run(outputs, {x: xv})
        meta = json.loads(json.dumps(tf.train.export_meta_graph(as_text=True)))
    with tf.Graph().as_default() as graph:
        assert tf.train.import_meta_graph(meta) is None  # no variables, no saver
        fetches = {k: graph.get_tensor_by_name(n) for k, n in names.items()}
        for key, tensor in fetches.items():
            assert tensor.get_shape().as_list() == outputs[key].get_shape().as_list()
        with tf.Session() as sess:
            got = sess.run(fetches, {"x:0": xv})
    for key in expected:
        np.testing.assert_array_equal(got[key], expected[key], err_msg=key)


def test_import_scope_clear_devices_and_name_collisions(tmp_path):
    with tf.Graph().as_default():
        with tf.device("/cpu:0"):
            v = tf.Variable([1.0, 2.0], name="v")
            doubled = tf.multiply(v, 2.0, name="doubled")
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(v.initializer)
            path = saver.save(sess, str(tmp_path / "m"))
        assert doubled.op.device
    with tf.Graph().as_default() as graph:
        first = tf.train.import_meta_graph(path + ".meta", clear_devices=True,
                                           import_scope="copy")
        second = tf.train.import_meta_graph(path + ".meta", import_scope="copy2")
        assert graph.get_operation_by_name("copy/doubled").device == ""
        assert graph.get_operation_by_name("copy2/doubled").device != ""
        with pytest.raises(ValueError, match="already has an op"):
            tf.train.import_meta_graph(path + ".meta", import_scope="copy")
        with tf.Session() as sess:
            first.restore(sess, path)
            second.restore(sess, path)
            np.testing.assert_array_equal(sess.run("copy/doubled:0"), [2.0, 4.0])
            np.testing.assert_array_equal(sess.run("copy2/doubled:0"), [2.0, 4.0])
        # names created after the import do not collide with imported scopes
        with tf.name_scope("copy"):
            assert tf.constant(1.0).name == "copy_1/Const:0"


def test_imported_variables_work_with_get_variable_reuse(tmp_path):
    with tf.Graph().as_default():
        with tf.variable_scope("layer"):
            tf.get_variable("W", shape=[1, 2], initializer=tf.constant_initializer([1.0, 2.0]))
        meta = tf.train.export_meta_graph(str(tmp_path / "m.meta"))
    assert json.load(open(tmp_path / "m.meta"))["format"] == meta["format"]
    with tf.Graph().as_default():
        tf.train.import_meta_graph(str(tmp_path / "m.meta"))
        with tf.variable_scope("layer", reuse=True):
            W = tf.get_variable("W")
        with tf.Session() as sess:
            sess.run(W.initializer)
            np.testing.assert_array_equal(W.eval(), [[1.0, 2.0]])


def test_while_loop_and_its_gradient_survive_the_round_trip():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float64, [], name="x")
        w = tf.Variable(1.5, dtype=tf.float64, name="w")
        i, y = tf.while_loop(lambda i, y: i < 3, lambda i, y: (i + 1, tf.sin(y * w) + x),
                             [tf.constant(0), x], name="loop")
        grads = tf.gradients(y, [x, w])  # a backward loop, built before the export
        meta = json.loads(json.dumps(tf.train.export_meta_graph()))
        names = [y.name] + [g.name for g in grads]
        with tf.Session() as sess:
            sess.run(w.initializer)
            expected = sess.run([y] + grads, {x: 0.7})
    assert meta["graph_def"]["function_graphs"]
    with tf.Graph().as_default() as graph:
        tf.train.import_meta_graph(meta)
        fetched = [graph.get_tensor_by_name(n) for n in names]
        x_new = graph.get_tensor_by_name("x:0")
        w_new = tf.global_variables()[0]
        fresh = tf.gradients(fetched[0], [x_new, w_new])  # built on the imported loop
        with tf.Session() as sess:
            sess.run(w_new.initializer)
            got = sess.run(fetched + fresh, {x_new: 0.7})
    np.testing.assert_allclose(got[:3], expected, rtol=1e-12)
    np.testing.assert_allclose(got[3:], expected[1:], rtol=1e-12)


def test_unsupported_ops_are_named_at_export_and_saver_warns(tmp_path):
    with tf.Graph().as_default():
        v = tf.Variable(1.0, name="v")
        tf.py_func(lambda a: a, [tf.constant(1.0)], tf.float32, name="my_func")
        with pytest.raises(ValueError, match=r"my_func.*PyFunc.*callable"):
            tf.train.export_meta_graph()
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(v.initializer)
            with pytest.warns(UserWarning, match="without its meta graph.*my_func"):
                path = saver.save(sess, str(tmp_path / "m"))
        assert tf.train.latest_checkpoint(str(tmp_path)) == path
        assert not os.path.exists(path + ".meta")


def _meta_with(tmp_path, edit):
    with tf.Graph().as_default():
        tf.constant([1.0, 2.0], name="c")
        meta = tf.train.export_meta_graph()
    edit(meta)
    path = tmp_path / "bad.meta"
    path.write_text(json.dumps(meta))
    return str(path)


@pytest.mark.parametrize("edit, message", [
    (lambda m: m["graph_def"]["node"][0].update(op="Os.System"), "not registered"),
    (lambda m: m["graph_def"]["node"][0]["attr"].update(
        value={"__object__": "os:system", "state": {}}), "unknown attribute entry"),
    (lambda m: m["graph_def"]["node"][0]["attr"].update(
        value={"__ndarray__": "AAAA", "dtype": "|O", "shape": [1]}), "not allowed"),
    (lambda m: m.update(format="pickle"), "not a learnflow meta graph"),
])
def test_tampered_meta_graph_is_rejected(tmp_path, edit, message):
    path = _meta_with(tmp_path, edit)
    with tf.Graph().as_default(), pytest.raises(ValueError, match=message):
        tf.train.import_meta_graph(path)


def test_not_json_meta_graph(tmp_path):
    path = tmp_path / "x.meta"
    path.write_bytes(b"\x80\x04\x95 pickle bytes")
    with tf.Graph().as_default(), pytest.raises(ValueError, match="not a learnflow meta graph"):
        tf.train.import_meta_graph(str(path))


def test_export_scope_and_as_graph_def():
    with tf.Graph().as_default() as graph:
        with tf.name_scope("model"):
            a = tf.constant(2.0, name="a")
            tf.multiply(a, 3.0, name="b")
        tf.constant(0.0, name="outside")
        meta = tf.train.export_meta_graph(export_scope="model")
        assert [n["name"] for n in graph.as_graph_def()["node"]] == [
            "model/a", "model/Const", "model/b", "outside"]
    assert [n["name"] for n in meta["graph_def"]["node"]] == ["a", "Const", "b"]
    with tf.Graph().as_default():
        tf.train.import_meta_graph(meta, import_scope="again")
        with tf.Session() as sess:
            assert sess.run("again/b:0") == 6.0
