"""Graphs, operations, tensors, dtypes, shapes, naming, collections, devices."""

import numpy as np
import pytest
import torch

import learnflow.flow as tf
from learnflow.flow import TensorShape


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()
    yield


@pytest.mark.parametrize("name,np_dtype,torch_dtype", [
    ("float16", np.float16, torch.float16), ("float32", np.float32, torch.float32),
    ("float64", np.float64, torch.float64), ("bfloat16", np.float32, torch.bfloat16),
    ("int8", np.int8, torch.int8), ("int16", np.int16, torch.int16),
    ("int32", np.int32, torch.int32), ("int64", np.int64, torch.int64),
    ("uint8", np.uint8, torch.uint8), ("bool", np.bool_, torch.bool),
])
def test_dtypes_map_to_numpy_and_torch(name, np_dtype, torch_dtype):
    dtype = getattr(tf, name)
    assert dtype.name == name
    assert dtype.as_numpy_dtype is np_dtype
    assert dtype.as_torch_dtype is torch_dtype
    assert tf.as_dtype(torch_dtype) is dtype
    assert tf.as_dtype(name) is dtype


def test_string_dtype_and_errors():
    assert tf.string.as_torch_dtype is None
    assert tf.as_dtype(np.dtype("U3")) is tf.string
    with pytest.raises(TypeError):
        tf.as_dtype("complex999")
    s = tf.constant(["a", "bc"])
    assert s.dtype is tf.string
    with tf.Session() as sess:
        assert list(sess.run(tf.identity(s))) == ["a", "bc"]


def test_tensor_shape_partial():
    s = TensorShape([None, 3])
    assert s.as_list() == [None, 3] and s.ndims == 2
    assert s.is_compatible_with([5, 3]) and not s.is_compatible_with([5, 4])
    assert s.merge_with([2, None]).as_list() == [2, 3]
    with pytest.raises(ValueError):
        s.merge_with([None, 4])
    assert TensorShape(None).is_compatible_with([1, 2, 3])
    assert not s.is_fully_defined() and TensorShape([2, 3]).num_elements() == 6
    assert s[1].value == 3 and int(s[1]) == 3 and s[0].value is None
    with pytest.raises(ValueError):
        TensorShape(None).as_list()


def test_default_graph_and_as_default():
    x1 = tf.Variable(1)
    assert x1.graph is tf.get_default_graph()
    graph = tf.Graph()
    with graph.as_default():
        x2 = tf.Variable(2)
    assert x2.graph is graph and x2.graph is not tf.get_default_graph()


def test_unique_names_and_name_scopes():
    with tf.name_scope("loss") as scope:
        a = tf.constant(1.0, name="a")
        assert scope == "loss/"
    b = tf.constant(1.0, name="a")
    c = tf.constant(1.0, name="a")
    assert (a.op.name, b.op.name, c.op.name) == ("loss/a", "a", "a_1")
    with tf.name_scope("loss"):
        d = tf.constant(1.0, name="a")
    assert d.op.name == "loss_1/a"
    with tf.name_scope("loss/"):
        e = tf.constant(1.0, name="a")
    assert e.op.name == "loss/a_1"
    assert a.name == "loss/a:0"


def test_graph_lookup_and_operations():
    a = tf.constant(2.0, name="a")
    b = tf.multiply(a, 3.0, name="b")
    g = tf.get_default_graph()
    assert g.get_operation_by_name("b") is b.op
    assert g.get_tensor_by_name("b:0") is b
    assert b.op.type == "Mul" and b.op.inputs[0] is a
    assert a.op.outputs == [a] and a in b.op.inputs
    assert b.op in g.get_operations()
    with pytest.raises(KeyError):
        g.get_operation_by_name("nope")
    with pytest.raises(ValueError):
        g.get_tensor_by_name("b")
    with pytest.raises(KeyError):
        g.get_tensor_by_name("b:3")
    assert tf.matmul([[1.0]], [[2.0]], transpose_b=True).op.get_attr("transpose_b") is True
    with pytest.raises(ValueError):
        b.op.get_attr("nope")


def test_collections():
    v1 = tf.Variable(1.0, name="hidden1/w")
    v2 = tf.Variable(1.0, name="out/w", trainable=False)
    assert tf.global_variables() == [v1, v2]
    assert tf.trainable_variables() == [v1]
    assert tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope="hidden") == [v1]
    tf.add_to_collection("mine", 3)
    tf.get_collection_ref("mine").append(4)
    assert tf.get_collection("mine") == [3, 4]
    copy = tf.get_collection("mine")
    copy.append(5)
    assert tf.get_collection("mine") == [3, 4]


def test_finalize():
    g = tf.Graph()
    with g.as_default():
        tf.constant(1)
    g.finalize()
    assert g.finalized
    with g.as_default(), pytest.raises(RuntimeError, match="finalized"):
        tf.constant(2)


def test_control_dependencies_order_runs():
    v = tf.Variable(0.0)
    inc = tf.assign_add(v, 1.0)
    with tf.control_dependencies([inc]):
        out = tf.identity(tf.constant(5.0))
    assert inc.op in out.op.control_inputs
    with tf.control_dependencies(None):
        free = tf.constant(1.0)
    assert free.op.control_inputs == []
    with tf.Session() as sess:
        sess.run(v.initializer)
        sess.run(out)
        sess.run(out)
        assert sess.run(v) == 2.0


def test_device_strings_and_functions():
    with tf.device("/job:worker/task:1"):
        with tf.device("/gpu:0"):
            a = tf.constant(1.0)
        b = tf.constant(2.0)
    assert a.op.device == "/job:worker/task:1/device:GPU:0"
    assert b.device == "/job:worker/task:1"
    with tf.device(lambda op: "/cpu:0" if op.type == "Const" else None):
        c = tf.constant(1.0) + 1.0
    assert c.op.inputs[0].op.device == "/device:CPU:0" and c.op.device == ""


def test_gpu_device_without_gpu_needs_soft_placement():
    if torch.cuda.is_available():
        pytest.skip("a GPU is present")
    with tf.device("/gpu:0"):
        c = tf.constant(3.0) * 4.0
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError):
        sess.run(c)
    config = tf.ConfigProto(allow_soft_placement=True, log_device_placement=False)
    with tf.Session(config=config) as sess:
        assert sess.run(c) == 12.0


def test_tensor_overloads_and_identity_equality():
    x = tf.constant([1.0, 2.0, 3.0])
    y = tf.constant([3.0, 2.0, 1.0])
    assert (x == y) is False and x == x and hash(x) == id(x)
    with pytest.raises(TypeError):
        bool(x)
    m = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    with tf.Session() as sess:
        out = sess.run([x + y, x - 1, 2 * x, x / 2, -x, abs(-x), x ** 2, 1 - x, 6 / x,
                        x < y, x >= y, x // 2, x % 2, m @ m, ~(x < y), (x < y) & (x > 1),
                        (x < y) | (x > 2)])
    np.testing.assert_array_equal(out[0], [4, 4, 4])
    np.testing.assert_array_equal(out[8], [6, 3, 2])
    np.testing.assert_array_equal(out[9], [True, False, False])
    np.testing.assert_array_equal(out[13], [[7, 10], [15, 22]])
    np.testing.assert_array_equal(out[15], [False, False, False])
    np.testing.assert_array_equal(out[16], [True, False, True])


def test_binary_dtype_mismatch_raises():
    with pytest.raises(TypeError, match="float64"):
        tf.constant(1.0) + tf.constant(1.0, dtype=tf.float64)


@pytest.mark.parametrize("key", [
    (1,), (slice(None, None, -1),), (Ellipsis, 0), (None, slice(1, 3)), (slice(None), None, 2),
    (slice(3, 0, -2), slice(None, None, -1)), (-1, slice(-3, None)), (Ellipsis, None),
])
def test_getitem_matches_numpy(key):
    value = np.arange(60.0).reshape(4, 5, 3)
    t = tf.constant(value)
    out = t[key]
    expected = value[key]
    assert out.get_shape().as_list() == list(expected.shape)
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(out), expected)


def test_convert_to_tensor():
    assert tf.convert_to_tensor(1.0).dtype is tf.float32
    assert tf.convert_to_tensor(1).dtype is tf.int32
    assert tf.convert_to_tensor(np.float64(1)).dtype is tf.float64
    assert tf.convert_to_tensor([True]).dtype is tf.bool
    assert tf.convert_to_tensor(2**40).dtype is tf.int64
    t = tf.constant(1.0)
    assert tf.convert_to_tensor(t) is t
    with pytest.raises(ValueError):
        tf.convert_to_tensor(t, dtype=tf.float64)
    packed = tf.convert_to_tensor([t, 2.0])
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(packed), [1.0, 2.0])


def test_shape_inference():
    x = tf.placeholder(tf.float32, (None, 3))
    w = tf.zeros([3, 4])
    assert tf.matmul(x, w).get_shape().as_list() == [None, 4]
    assert tf.reduce_sum(x, axis=1).get_shape().as_list() == [None]
    assert tf.reshape(w, [-1]).get_shape().as_list() == [12]
    assert tf.concat([w, w], 0).get_shape().as_list() == [6, 4]
    with pytest.raises(ValueError, match="Dimensions must be equal"):
        tf.matmul(x, tf.zeros([4, 2]))
    t = tf.placeholder(tf.float32)
    t.set_shape([2, None])
    assert t.get_shape().as_list() == [2, None]
    with pytest.raises(ValueError):
        t.set_shape([3, 1])


def test_array_ops_values():
    x = np.arange(6.0).reshape(2, 3)
    t = tf.constant(x)
    with tf.Session() as sess:
        out = sess.run({"shape": tf.shape(t), "size": tf.size(t), "rank": tf.rank(t),
                        "oh": tf.one_hot([0, 2], 3), "range": tf.range(1, 7, 2),
                        "ones": tf.ones_like(t), "zeros": tf.zeros([2, 2], tf.int32),
                        "argmax": tf.argmax(t, axis=1), "argmin": tf.argmin(t, 0),
                        "where": tf.where(t > 2.0), "any": tf.reduce_any(t > 4.0),
                        "all": tf.reduce_all(t >= 0.0, axis=0), "prod": tf.reduce_prod(t + 1),
                        "cast": tf.cast(t, tf.int32), "xor": tf.logical_xor(t > 1, t > 3),
                        "round": tf.round(tf.constant([0.5, 1.5, 2.6])),
                        "mod": tf.mod(tf.constant([-3, 5]), 3),
                        "floordiv": tf.floordiv(tf.constant([-3, 5]), 2),
                        "keep": tf.reduce_mean(t, reduction_indices=[1], keep_dims=True)})
    np.testing.assert_array_equal(out["shape"], [2, 3])
    assert out["size"] == 6 and out["rank"] == 2
    np.testing.assert_array_equal(out["oh"], [[1, 0, 0], [0, 0, 1]])
    np.testing.assert_array_equal(out["range"], [1, 3, 5])
    np.testing.assert_array_equal(out["argmax"], [2, 2])
    np.testing.assert_array_equal(out["where"], np.argwhere(x > 2))
    assert bool(out["any"]) and list(out["all"]) == [True] * 3
    assert out["prod"] == 720
    np.testing.assert_array_equal(out["xor"], np.logical_xor(x > 1, x > 3))
    np.testing.assert_array_equal(out["round"], [0.0, 2.0, 3.0])
    np.testing.assert_array_equal(out["mod"], [0, 2])
    np.testing.assert_array_equal(out["floordiv"], [-2, 2])
    np.testing.assert_array_equal(out["keep"], x.mean(axis=1, keepdims=True))


def test_py_func_and_print(capsys):
    x = tf.constant([1.0, 2.0])
    y = tf.py_func(lambda a: (a * 10).astype(np.float32), [x], tf.float32)
    p = tf.Print(y, [y], message="y=")
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(p), [10.0, 20.0])
    assert "y=" in capsys.readouterr().out


def test_register_gradient_and_override_map():
    @tf.RegisterGradient("TestCustomSquareGrad")
    def _custom(op, grad):
        return grad * 100.0

    g = tf.get_default_graph()
    x = tf.constant(3.0)
    with g.gradient_override_map({"Square": "TestCustomSquareGrad"}):
        y = tf.square(x)
    with tf.Session() as sess:
        assert sess.run(tf.gradients(y, x)[0]) == 100.0
    with pytest.raises(TypeError):
        tf.RegisterGradient(3)
    with pytest.raises(KeyError):
        tf.RegisterGradient("TestCustomSquareGrad")(_custom)


def test_stop_gradient_and_unconnected():
    x = tf.constant(2.0)
    y = tf.constant(5.0)
    z = tf.stop_gradient(x * x) + x * y
    gx, gy = tf.gradients(z, [x, y])
    assert tf.gradients(z, tf.constant(1.0)) == [None]
    w = x * x + y
    gw = tf.gradients(w, [x], stop_gradients=[x * 1.0])
    with tf.Session() as sess:
        assert sess.run([gx, gy]) == [5.0, 2.0]
        assert sess.run(gw[0]) == 4.0


def test_gradient_names_and_fan_in():
    x = tf.constant(3.0, name="x")
    with tf.name_scope("loss"):
        y = tf.multiply(x, x, name="sq") + tf.sin(x)
    (g,) = tf.gradients(y, x)
    names = [op.name for op in tf.get_default_graph().get_operations()]
    assert any(n.startswith("gradients/loss/sq_grad/") for n in names)
    assert g.op.type == "AddN"
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(g), 6 + np.cos(3.0), rtol=1e-6)


def test_dynamic_shapes_in_random_range_and_reshape():
    x = tf.placeholder(tf.float32, [None, 3])
    r = tf.random_uniform(tf.shape(x), seed=1)
    rr = tf.reshape(x, [tf.shape(x)[0], -1, 1])
    idx = tf.range(tf.shape(x)[0])
    with tf.Session() as sess:
        feed = {x: np.ones((4, 3))}
        assert sess.run(r, feed).shape == (4, 3)
        assert sess.run(rr, feed).shape == (4, 3, 1)
        np.testing.assert_array_equal(sess.run(idx, feed), np.arange(4))
        assert sess.run(tf.reduce_mean(tf.constant([1, 2, 4]))) == 2  # integer mean as TF


def test_compute_gradient_error_appendix_d_checker():
    x = tf.constant(np.array([[0.5, -1.0], [2.0, 0.3]]))
    y = tf.matmul(x, x) * tf.sin(x)
    with tf.Session():
        err = tf.test.compute_gradient_error(x, [2, 2], y, [2, 2])
        theoretical, numerical = tf.test.compute_gradient(x, [2, 2], y, [2, 2])
    assert err < 1e-8 and theoretical.shape == (4, 4)
    np.testing.assert_allclose(theoretical, numerical, atol=1e-8)


def test_feeding_a_variable_overrides_its_value():
    v = tf.Variable(1.0)
    y = v * 2.0
    with tf.Session() as sess:
        assert sess.run(y, {v: 5.0}) == 10.0  # no initialization needed when fed


def test_registry_keys_are_checked():
    from learnflow.flow._framework.registry import register_op

    with pytest.raises(TypeError, match="strings"):
        register_op(3, kernel=lambda x: x, shape=lambda op: [op.inputs[0].shape])
    with pytest.raises(KeyError, match="MatMul"):
        register_op("MatMul", kernel=lambda x: x, shape=lambda op: [op.inputs[0].shape])
    with pytest.raises(ValueError, match="exactly one"):
        register_op("TestNoKernel", shape=lambda op: [])
    with pytest.raises(TypeError):
        tf.not_differentiable(None)
    assert "MatMul" in tf.registered_ops()


def test_user_registered_op_with_kernel_shape_and_gradient():
    """The whole registration API in one place, as other flow modules use it."""
    from learnflow.flow._framework.op_util import apply_op, unchanged_shape

    if "TestCube" not in tf.registered_ops():
        tf.register_op("TestCube", kernel=lambda x: x ** 3, shape=unchanged_shape,
                       grad=lambda op, grad: grad * 3.0 * tf.square(op.inputs[0]))
    x = tf.constant([1.0, 2.0], dtype=tf.float64)
    y = apply_op("TestCube", [x], name="cube")
    (g,) = tf.gradients(y, x)
    (gg,) = tf.gradients(g, x)
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run([y, g, gg]), [[1, 8], [3, 12], [6, 12]])
