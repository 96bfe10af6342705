"""train.Saver: round trips, atomic saves, max_to_keep, corruption, subsets and renames.

Oracles: the values the session held before saving (a restore must give them back
bit for bit), and the files on disk.
"""

import json
import os

import numpy as np
import pytest
import torch

import learnflow.flow as tf
from learnflow.flow import errors
from learnflow.flow.train import _saver

from tests._devices import DEVICES


@pytest.fixture
def graph():
    with tf.Graph().as_default() as g:
        yield g


def _values(sess, variables):
    return {v.op.name: sess.run(v) for v in variables}


def _assert_same(a, b):
    assert a.keys() == b.keys()
    for key in a:
        np.testing.assert_array_equal(np.asarray(a[key]), np.asarray(b[key]), err_msg=key)
        assert np.asarray(a[key]).dtype == np.asarray(b[key]).dtype, key


@pytest.mark.parametrize("device", DEVICES)
def test_round_trip_restores_identical_values(graph, tmp_path, device):
    rng = np.random.RandomState(0)
    with tf.device("/gpu:0" if device == "cuda" else "/cpu:0"):
        variables = [
            tf.Variable(rng.randn(3, 4), name="weights"),                       # float64
            tf.Variable(rng.randn(5).astype(np.float32), name="layer1/kernel"),
            tf.Variable(np.float16(1.5), name="half"),
            tf.Variable(np.arange(6, dtype=np.int32).reshape(2, 3), name="ints"),
            tf.Variable(np.int64(2**40), name="big"),
            tf.Variable(np.array([True, False]), name="flags"),
            tf.Variable(np.uint8(7), name="byte"),
            tf.Variable(3.25, name="scalar"),
        ]
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        before = _values(sess, variables)
        path = saver.save(sess, str(tmp_path / "model.ckpt"))
    assert path == str(tmp_path / "model.ckpt")
    with tf.Session() as sess:
        saver.restore(sess, path)
        _assert_same(before, _values(sess, variables))
    reader = tf.train.NewCheckpointReader(path)
    assert reader.get_variable_to_shape_map()["weights"] == [3, 4]
    assert reader.has_tensor("layer1/kernel") and not reader.has_tensor("nope")
    np.testing.assert_array_equal(reader.get_tensor("weights"), before["weights"])
    np.testing.assert_array_equal(tf.train.load_variable(str(tmp_path), "ints"), before["ints"])
    assert dict(tf.train.list_variables(path))["scalar"] == []


def test_adam_slots_round_trip_and_training_resumes_identically(graph, tmp_path):
    rng = np.random.RandomState(1)
    X = rng.randn(30, 3).astype(np.float32)
    y = X @ np.array([[1.0], [-2.0], [0.5]], np.float32)
    x_ph = tf.placeholder(tf.float32, (None, 3))
    w = tf.Variable(tf.zeros([3, 1]), name="w")
    loss = tf.reduce_mean(tf.square(tf.matmul(x_ph, w) - y))
    step = tf.train.get_or_create_global_step()
    train = tf.train.AdamOptimizer(0.05).minimize(loss, global_step=step)
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(5):
            sess.run(train, {x_ph: X})
        before = _values(sess, tf.global_variables())
        assert {"w/Adam", "w/Adam_1", "beta1_power", "beta2_power"} <= set(before)
        path = saver.save(sess, str(tmp_path / "m"), global_step=step)
        expected = [sess.run([train, loss], {x_ph: X})[1] for _ in range(3)]
    assert path.endswith("m-5")
    with tf.Session() as sess:
        saver.restore(sess, path)
        _assert_same(before, _values(sess, tf.global_variables()))
        resumed = [sess.run([train, loss], {x_ph: X})[1] for _ in range(3)]
    np.testing.assert_array_equal(expected, resumed)


def test_state_file_latest_checkpoint_and_max_to_keep(graph, tmp_path):
    v = tf.Variable(0, name="v")
    inc = tf.assign_add(v, 1)
    saver = tf.train.Saver(max_to_keep=2)
    prefix = str(tmp_path / "ckpt")
    with tf.Session() as sess:
        sess.run(v.initializer)
        paths = []
        for step in range(4):
            sess.run(inc)
            paths.append(saver.save(sess, prefix, global_step=step))
    assert saver.last_checkpoints == paths[-2:]
    assert not tf.train.checkpoint_exists(paths[0]) and not tf.train.checkpoint_exists(paths[1])
    assert not os.path.exists(paths[0] + ".meta")
    assert tf.train.checkpoint_exists(paths[2]) and tf.train.checkpoint_exists(paths[3])
    assert tf.train.latest_checkpoint(str(tmp_path)) == paths[3]
    state = tf.train.get_checkpoint_state(str(tmp_path))
    assert state.all_model_checkpoint_paths == paths[-2:]
    with open(tmp_path / "checkpoint") as handle:  # the documented JSON format
        assert json.load(handle)["model_checkpoint_path"] == paths[3]
    with tf.Session() as sess:
        saver.restore(sess, paths[2])
        assert sess.run(v) == 3


def test_state_file_in_tensorflow_text_format_is_read(tmp_path):
    (tmp_path / "checkpoint").write_text(
        'model_checkpoint_path: "model.ckpt-20"\n'
        'all_model_checkpoint_paths: "model.ckpt-10"\n'
        'all_model_checkpoint_paths: "model.ckpt-20"\n')
    state = tf.train.get_checkpoint_state(str(tmp_path))
    assert state.model_checkpoint_path == str(tmp_path / "model.ckpt-20")
    assert state.all_model_checkpoint_paths == [str(tmp_path / "model.ckpt-10"),
                                                str(tmp_path / "model.ckpt-20")]
    assert tf.train.latest_checkpoint(str(tmp_path)) is None  # files do not exist


def test_save_failing_midway_leaves_previous_checkpoint(graph, tmp_path, monkeypatch):
    v = tf.Variable([1.0, 2.0], name="v")
    saver = tf.train.Saver()
    prefix = str(tmp_path / "model.ckpt")
    with tf.Session() as sess:
        sess.run(v.initializer)
        first = saver.save(sess, prefix, global_step=1)
        sess.run(v.assign([5.0, 6.0]))

        def crash(tensors, filename, metadata=None):
            with open(filename, "wb") as handle:  # a partial write, then the crash
                handle.write(b"\x00" * 7)
            raise OSError("disk full")

        monkeypatch.setattr(_saver, "save_file", crash)
        with pytest.raises(OSError, match="disk full"):
            saver.save(sess, prefix, global_step=2)
        # the same path again: the old file must survive a failed overwrite
        with pytest.raises(OSError, match="disk full"):
            saver.save(sess, prefix, global_step=1)
    assert sorted(os.listdir(tmp_path)) == ["checkpoint", "model.ckpt-1.meta",
                                            "model.ckpt-1.safetensors"]
    assert tf.train.latest_checkpoint(str(tmp_path)) == first
    with tf.Session() as sess:
        saver.restore(sess, tf.train.latest_checkpoint(str(tmp_path)))
        np.testing.assert_array_equal(sess.run(v), [1.0, 2.0])


def test_failing_meta_graph_write_keeps_state_file(graph, tmp_path, monkeypatch):
    v = tf.Variable(1.0, name="v")
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(v.initializer)
        first = saver.save(sess, str(tmp_path / "m"), global_step=1)
        from learnflow.flow.train import _meta_graph

        def boom(*args, **kwargs):
            raise RuntimeError("crash while writing the meta graph")

        monkeypatch.setattr(_meta_graph, "atomic_write", boom)
        with pytest.raises(RuntimeError):
            saver.save(sess, str(tmp_path / "m"), global_step=2)
    assert tf.train.latest_checkpoint(str(tmp_path)) == first


def _saved(tmp_path):
    with tf.Graph().as_default():
        tf.Variable(np.arange(4.0).reshape(2, 2), name="hidden1/kernel")
        tf.Variable(np.ones(2), name="hidden1/bias")
        tf.Variable(np.zeros((2, 3)), name="output/kernel")
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            return tf.train.Saver().save(sess, str(tmp_path / "pre.ckpt"))


def test_restore_subset_under_other_names(graph, tmp_path):
    path = _saved(tmp_path)
    new_kernel = tf.Variable(tf.zeros([2, 2], tf.float64), name="layer_a/W")
    new_out = tf.Variable(tf.fill([2, 5], 9.0), name="new_output")  # not restored
    restore = tf.train.Saver({"hidden1/kernel": new_kernel})
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        restore.restore(sess, path)
        np.testing.assert_array_equal(sess.run(new_kernel), np.arange(4.0).reshape(2, 2))
        np.testing.assert_array_equal(sess.run(new_out), np.full((2, 5), 9.0, np.float32))


def test_restore_subset_by_scope_regex(graph, tmp_path):
    path = _saved(tmp_path)
    tf.Variable(np.zeros((2, 2)), name="hidden1/kernel")
    tf.Variable(np.zeros(2), name="hidden1/bias")
    tf.Variable(np.zeros((2, 7)), name="output/kernel")  # new shape, not restored
    reuse = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, scope="hidden[1]")
    saver = tf.train.Saver({v.op.name: v for v in reuse})
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        saver.restore(sess, path)
        np.testing.assert_array_equal(sess.run("hidden1/bias:0"), np.ones(2))


def test_missing_key_names_it(graph, tmp_path):
    path = _saved(tmp_path)
    v = tf.Variable(np.zeros(2), name="other")
    with tf.Session() as sess, pytest.raises(errors.NotFoundError, match="hidden9/kernel"):
        tf.train.Saver({"hidden9/kernel": v}).restore(sess, path)


def test_shape_and_dtype_mismatch_name_variable_and_shapes(graph, tmp_path):
    path = _saved(tmp_path)
    v = tf.Variable(np.zeros((2, 7)), name="output/kernel")
    with tf.Session() as sess:
        with pytest.raises(errors.InvalidArgumentError,
                           match=r"output/kernel.*\[2, 7\].*\[2, 3\]"):
            tf.train.Saver([v]).restore(sess, path)
        w = tf.Variable(np.zeros((2, 2), np.float32), name="w32")
        with pytest.raises(errors.InvalidArgumentError, match="float32.*float64"):
            tf.train.Saver({"hidden1/kernel": w}).restore(sess, path)


def test_missing_checkpoint_and_none_path(graph, tmp_path):
    v = tf.Variable(1.0)
    saver = tf.train.Saver()
    with tf.Session() as sess:
        with pytest.raises(errors.NotFoundError, match="nothing-here"):
            saver.restore(sess, str(tmp_path / "nothing-here"))
        with pytest.raises(ValueError, match="None"):
            saver.restore(sess, None)
    assert tf.train.latest_checkpoint(str(tmp_path)) is None
    assert v is not None


def _corrupt(path, how):
    data_file = path + ".safetensors"
    raw = bytearray(open(data_file, "rb").read())
    if how == "truncated":
        raw = raw[: len(raw) - 5]
    elif how == "header":
        raw[8:20] = b"#not json!!#"
    elif how == "flipped":
        raw[-3] ^= 0xFF
    elif how == "dtype":  # header still self-consistent for safetensors: F64 -> I64
        raw = raw.replace(b'"F64"', b'"I64"', 1)
    elif how == "garbage":
        raw = bytearray(b"\x80\x04\x95 this is a pickle, not a checkpoint")
    open(data_file, "wb").write(bytes(raw))


@pytest.mark.parametrize("how", ["truncated", "header", "flipped", "dtype", "garbage"])
def test_tampered_checkpoint_raises_data_loss(graph, tmp_path, how):
    path = _saved(tmp_path)
    _corrupt(path, how)
    with tf.Graph().as_default():
        tf.Variable(np.zeros((2, 2)), name="hidden1/kernel")
        tf.Variable(np.zeros(2), name="hidden1/bias")
        tf.Variable(np.zeros((2, 3)), name="output/kernel")
        saver = tf.train.Saver()
        with tf.Session() as sess, pytest.raises(errors.DataLossError, match="corrupt|not a"):
            saver.restore(sess, path)


def test_corrupt_state_file_is_a_clear_error(tmp_path):
    (tmp_path / "checkpoint").write_text("model_checkpoint_path = oops\n")
    with pytest.raises(errors.DataLossError, match="state file"):
        tf.train.latest_checkpoint(str(tmp_path))


def test_saver_arguments(graph, tmp_path):
    with pytest.raises(ValueError, match="No variables to save"):
        tf.train.Saver()
    assert tf.train.Saver(allow_empty=True).last_checkpoints == []
    a = tf.Variable(1.0, name="a")
    b = tf.Variable(2.0, name="b")
    with pytest.raises(TypeError, match="not a Variable"):
        tf.train.Saver([a + 1.0])
    local = tf.Variable(5.0, name="local", collections=[])  # kept out of the default saver
    saver = tf.train.Saver(filename=str(tmp_path / "default.ckpt"), save_relative_paths=True)
    with tf.Session() as sess:
        sess.run([a.initializer, b.initializer, local.initializer])
        path = saver.save(sess, None, write_meta_graph=False)
    assert path == str(tmp_path / "default.ckpt")
    assert not os.path.exists(path + ".meta")
    assert sorted(dict(tf.train.list_variables(path))) == ["a", "b"]
    assert tf.train.Saver([a, b]).last_checkpoints == []
    with pytest.raises(ValueError, match="doesn't exist"):
        with tf.Session() as sess:
            sess.run([a.initializer, b.initializer])
            saver.save(sess, str(tmp_path / "missing" / "m"))


def test_max_to_keep_none_keeps_files_and_recover(graph, tmp_path):
    v = tf.Variable(1.0)
    saver = tf.train.Saver(max_to_keep=None)
    with tf.Session() as sess:
        sess.run(v.initializer)
        paths = [saver.save(sess, str(tmp_path / "m"), global_step=i) for i in range(3)]
    assert all(tf.train.checkpoint_exists(p) for p in paths)
    assert saver.last_checkpoints == paths[-1:]
    other = tf.train.Saver()
    other.recover_last_checkpoints(paths + [str(tmp_path / "gone")])
    assert other.last_checkpoints == paths
    other.set_last_checkpoints_with_time([(paths[0], 1.0)])
    assert other.last_checkpoints == paths[:1]


def test_bfloat16_variable_round_trip(graph, tmp_path):
    v = tf.Variable(tf.constant([1.5, -2.25], dtype=tf.bfloat16), name="bf")
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(v.initializer)
        path = saver.save(sess, str(tmp_path / "bf"))
    assert _saver.CheckpointReader(path)._get("bf").dtype is torch.bfloat16
    with tf.Session() as sess:
        saver.restore(sess, path)
        np.testing.assert_array_equal(sess.run(v), [1.5, -2.25])


def test_relative_paths_and_keep_every_n_hours(graph, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    os.mkdir("run")
    v = tf.Variable(2.0, name="v")
    saver = tf.train.Saver(max_to_keep=1, keep_checkpoint_every_n_hours=1e-9)
    with tf.Session() as sess:
        sess.run(v.initializer)
        paths = [saver.save(sess, os.path.join("run", "m"), global_step=i) for i in range(3)]
    assert paths[0] == os.path.join("run", "m-0")
    # older checkpoints leave the list but stay on disk (one kept per n hours)
    assert saver.last_checkpoints == paths[-1:]
    assert all(tf.train.checkpoint_exists(p) for p in paths)
    with open(os.path.join("run", "checkpoint")) as handle:
        assert json.load(handle)["model_checkpoint_path"] == "m-2"
    assert tf.train.latest_checkpoint("run") == os.path.join("run", "m-2")
    monkeypatch.chdir("run")  # the state file is relative to its own folder
    assert tf.train.latest_checkpoint(".") == os.path.join(".", "m-2")
