"""Summaries and FileWriter, read back by TensorBoard's own event readers (the oracle).

``EventAccumulator`` (what the TensorBoard server uses) must see the same
scalars, histograms, images, text and the graph with its name scopes.
"""

import glob
import os
import struct
import zlib

import numpy as np
import pytest
from tensorboard.backend.event_processing import event_file_loader
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
from tensorboard.compat.proto.summary_pb2 import Summary

import learnflow.flow as tf
from learnflow.flow import errors


def _accumulate(logdir):
    acc = EventAccumulator(str(logdir), size_guidance={"scalars": 0, "histograms": 0,
                                                       "images": 0, "tensors": 0})
    acc.Reload()
    return acc


def test_scalars_and_graph_read_back_by_tensorboard(tmp_path):
    """The book's mini-batch linear regression logging MSE every 10 batches."""
    rng = np.random.RandomState(42)
    X_data = np.c_[np.ones(100), rng.rand(100, 2)]
    y_data = X_data @ np.array([[1.0], [2.0], [-1.0]])
    with tf.Graph().as_default() as graph:
        X = tf.placeholder(tf.float32, shape=(None, 3), name="X")
        y = tf.placeholder(tf.float32, shape=(None, 1), name="y")
        theta = tf.Variable(tf.random_uniform([3, 1], -1.0, 1.0, seed=42), name="theta")
        y_pred = tf.matmul(X, theta, name="predictions")
        with tf.name_scope("loss") as scope:
            error = y_pred - y
            mse = tf.reduce_mean(tf.square(error), name="mse")
        training_op = tf.train.GradientDescentOptimizer(0.1).minimize(mse)
        mse_summary = tf.summary.scalar("MSE", mse)
        assert scope == "loss/" and mse_summary.op.name == "MSE"
        writer = tf.summary.FileWriter(str(tmp_path), graph)
        expected = []
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for step in range(50):
                batch = slice(2 * step % 100, 2 * step % 100 + 20)
                feed = {X: X_data[batch], y: y_data[batch]}
                if step % 10 == 0:
                    summary_str = mse_summary.eval(feed_dict=feed)
                    writer.add_summary(summary_str, step)
                    expected.append((step, float(np.float32(sess.run(mse, feed)))))
                sess.run(training_op, feed)
        writer.close()
    assert writer.get_logdir() == str(tmp_path)
    assert len(glob.glob(str(tmp_path / "events.out.tfevents.*"))) == 1
    acc = _accumulate(tmp_path)
    assert [(e.step, e.value) for e in acc.Scalars("MSE")] == expected
    names = {node.name: node for node in acc.Graph().node}
    assert {"X", "theta", "predictions", "loss/sub", "loss/mse", "MSE"} <= set(names)
    assert names["loss/mse"].op == "Mean"
    assert any(name.startswith("gradients/") for name in names)
    assert names["predictions"].input == ["X", "theta"]


def test_histogram_matches_the_values(tmp_path):
    values = np.random.RandomState(0).randn(1000)
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float64, [None], name="x")
        with tf.name_scope("layer"):
            hist = tf.summary.histogram("weights", x)
        with tf.Session() as sess, tf.summary.FileWriter(str(tmp_path)) as writer:
            writer.add_summary(sess.run(hist, {x: values}), 3)
    event = _accumulate(tmp_path).Histograms("layer/weights")[0]
    assert event.step == 3
    h = event.histogram_value
    assert (h.min, h.max, h.num) == (values.min(), values.max(), 1000)
    np.testing.assert_allclose([h.sum, h.sum_squares], [values.sum(), (values ** 2).sum()])
    assert sum(h.bucket) == 1000
    limits = np.asarray(h.bucket_limit)
    assert np.all(np.diff(limits) > 0)
    # every non-empty bucket's count is the number of values below its limit and above the last
    edges = np.concatenate([[-np.inf], limits])
    counts = [np.sum((values >= lo) & (values < hi)) for lo, hi in zip(edges[:-1], edges[1:])]
    np.testing.assert_array_equal(h.bucket, counts)


def _decode_png(data):
    """A minimal PNG reader (8-bit, filter 0) as an independent check of the encoding."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        crc = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])[0]
        assert zlib.crc32(kind + body) == crc
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, _, color, *_ = header
    channels = {0: 1, 2: 3, 6: 4}[color]
    raw = zlib.decompress(idat)
    rows = [raw[r * (width * channels + 1) + 1:(r + 1) * (width * channels + 1)]
            for r in range(height)]
    return np.frombuffer(b"".join(rows), np.uint8).reshape(height, width, channels)


def test_images_read_back(tmp_path):
    images = np.random.RandomState(1).rand(4, 5, 6, 3).astype(np.float32)
    with tf.Graph().as_default():
        batch = tf.placeholder(tf.float32, [None, 5, 6, 3])
        summary = tf.summary.image("digits", batch, max_outputs=2)
        with tf.Session() as sess, tf.summary.FileWriter(str(tmp_path)) as writer:
            writer.add_summary(sess.run(summary, {batch: images}), 0)
    acc = _accumulate(tmp_path)
    assert sorted(acc.Tags()["images"]) == ["digits/image/0", "digits/image/1"]
    event = acc.Images("digits/image/1")[0]
    assert (event.width, event.height) == (6, 5)
    decoded = _decode_png(event.encoded_image_string)
    expected = np.round(images[1] * 255.0 / images[:2].max()).astype(np.uint8)
    np.testing.assert_array_equal(decoded, expected)


def test_text_merge_and_merge_all(tmp_path):
    with tf.Graph().as_default():
        a = tf.summary.scalar("a", tf.constant(1.5))
        b = tf.summary.scalar("b", tf.constant(-2.0), family="fam")
        note = tf.summary.text("note", tf.constant("hello"))
        private = tf.summary.scalar("private", tf.constant(3.0), collections=["mine"])
        merged = tf.summary.merge_all()
        both = tf.summary.merge([a, private])
        assert tf.summary.merge_all(key="nothing") is None
        assert merged.op.name == "Merge/MergeSummary" and both.op.name == "Merge_1/MergeSummary"
        with tf.Session() as sess:
            values = Summary.FromString(sess.run(merged)).value
            assert [v.tag for v in values] == ["a", "fam/b", "note"]
            assert [v.tag for v in Summary.FromString(sess.run(both)).value] == ["a", "private"]
            assert b.op.name == "fam/b" and note.op.name == "note"
            with tf.summary.FileWriter(str(tmp_path), filename_suffix=".v1") as writer:
                writer.add_summary(sess.run(merged), 7)
    assert glob.glob(str(tmp_path / "*.v1"))
    acc = _accumulate(tmp_path)
    assert [(e.step, e.value) for e in acc.Scalars("fam/b")] == [(7, -2.0)]
    text = acc.Tensors("note")[0].tensor_proto.string_val
    assert list(text) == [b"hello"]


def test_event_file_loader_sees_every_event(tmp_path):
    with tf.Graph().as_default() as graph:
        tf.constant(1.0, name="c")
        writer = tf.summary.FileWriter(str(tmp_path), graph=graph, flush_secs=1)
        for step in range(3):
            summary = Summary(value=[Summary.Value(tag="loss", simple_value=step / 2)])
            writer.add_summary(summary, step)
        writer.flush()
        path = glob.glob(os.path.join(str(tmp_path), "events.out.tfevents.*"))[0]
        events = list(event_file_loader.LegacyEventFileLoader(path).Load())
        assert events[0].file_version.startswith("brain.Event:")
        assert events[1].HasField("graph_def")
        assert [(e.step, e.summary.value[0].simple_value) for e in events[2:]] == [
            (0, 0.0), (1, 0.5), (2, 1.0)]
        writer.close()
        with pytest.raises(RuntimeError, match="closed"):
            writer.add_summary(summary, 9)
        writer.reopen()
        writer.add_summary(summary, 9)
        writer.close()
    assert len(glob.glob(os.path.join(str(tmp_path), "events.out.tfevents.*"))) >= 1


def test_bad_inputs_are_clear():
    with tf.Graph().as_default():
        vector = tf.summary.scalar("vec", tf.constant([1.0, 2.0]))
        bad_image = tf.summary.image("img", tf.zeros([2, 3]))
        with tf.Session() as sess:
            with pytest.raises(errors.InvalidArgumentError, match="scalar"):
                sess.run(vector)
            with pytest.raises(errors.InvalidArgumentError, match="4-D"):
                sess.run(bad_image)
        with pytest.raises(ValueError, match="non-empty"):
            tf.summary.scalar("", tf.constant(1.0))
        with pytest.raises(TypeError, match="string tensors"):
            tf.summary.merge([tf.constant(1.0)])
        writer_type = tf.summary.FileWriter
        assert tf.train.SummaryWriter is writer_type


def test_summaries_survive_meta_graph_round_trip(tmp_path):
    with tf.Graph().as_default():
        with tf.name_scope("loss"):
            tf.summary.scalar("MSE", tf.constant(0.25))
        tf.summary.merge_all()
        meta = tf.train.export_meta_graph()
    with tf.Graph().as_default():
        tf.train.import_meta_graph(meta)
        merged = tf.summary.merge_all()
        with tf.Session() as sess:
            values = Summary.FromString(sess.run(merged)).value
    assert [(v.tag, v.simple_value) for v in values] == [("loss/MSE", 0.25)]
