"""Optimizers (against torch.optim and hand-written references of TF 1.x formulas),
learning-rate schedules and the global step."""

import numpy as np
import pytest
import torch

import learnflow.flow as tf


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()
    yield


RNG = np.random.RandomState(0)
X0 = RNG.uniform(-1, 1, 5)
GRADS = [RNG.uniform(-1, 1, 5) for _ in range(6)]


def _run_flow(optimizer):
    var = tf.Variable(X0, dtype=tf.float64)
    g = tf.placeholder(tf.float64, [5])
    step = tf.train.get_or_create_global_step()
    train = optimizer.apply_gradients([(g, var)], global_step=step)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for grad in GRADS:
            sess.run(train, {g: grad})
        assert sess.run(step) == len(GRADS)
        return sess.run(var)


def _run_torch(make):
    p = torch.tensor(X0, requires_grad=True)
    opt = make([p])
    for grad in GRADS:
        p.grad = torch.tensor(grad)
        opt.step()
    return p.detach().numpy()


@pytest.mark.parametrize("flow_opt,torch_opt", [
    (lambda: tf.train.GradientDescentOptimizer(0.1), lambda p: torch.optim.SGD(p, lr=0.1)),
    (lambda: tf.train.MomentumOptimizer(0.1, 0.9),
     lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9)),
    (lambda: tf.train.MomentumOptimizer(0.1, 0.9, use_nesterov=True),
     lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True)),
    (lambda: tf.train.AdagradOptimizer(0.1),
     lambda p: torch.optim.Adagrad(p, lr=0.1, initial_accumulator_value=0.1, eps=0.0)),
], ids=["gd", "momentum", "nesterov", "adagrad"])
def test_optimizers_match_torch_optim(flow_opt, torch_opt):
    np.testing.assert_allclose(_run_flow(flow_opt()), _run_torch(torch_opt), rtol=0, atol=1e-10)


def _ref_rmsprop(lr, decay, momentum, eps, centered):
    x, ms, mom, mg = X0.copy(), np.ones(5), np.zeros(5), np.zeros(5)
    for g in GRADS:
        ms = decay * ms + (1 - decay) * g * g
        denom = ms + eps
        if centered:
            mg = decay * mg + (1 - decay) * g
            denom = ms - mg * mg + eps
        mom = momentum * mom + lr * g / np.sqrt(denom)
        x = x - mom
    return x


def _ref_adam(lr, b1, b2, eps):
    x, m, v = X0.copy(), np.zeros(5), np.zeros(5)
    for t, g in enumerate(GRADS, start=1):
        lr_t = lr * np.sqrt(1 - b2 ** t) / (1 - b1 ** t)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        x = x - lr_t * m / (np.sqrt(v) + eps)  # TF 1.x "epsilon hat"
    return x


def _ref_ftrl(lr, power, init, l1, l2):
    x, n, z = X0.copy(), np.full(5, init), np.zeros(5)
    for g in GRADS:
        n_new = n + g * g
        z = z + g - (n_new ** -power - n ** -power) / lr * x
        n = n_new
        quad = n ** -power / lr + 2 * l2
        x = np.where(np.abs(z) > l1, (np.sign(z) * l1 - z) / quad, 0.0)
    return x


@pytest.mark.parametrize("flow_opt,reference", [
    (lambda: tf.train.RMSPropOptimizer(0.01), lambda: _ref_rmsprop(0.01, 0.9, 0.0, 1e-10, False)),
    (lambda: tf.train.RMSPropOptimizer(0.01, decay=0.8, momentum=0.5, epsilon=1e-6,
                                       centered=True),
     lambda: _ref_rmsprop(0.01, 0.8, 0.5, 1e-6, True)),
    (lambda: tf.train.AdamOptimizer(0.05), lambda: _ref_adam(0.05, 0.9, 0.999, 1e-8)),
    (lambda: tf.train.AdamOptimizer(0.05, beta1=0.5, beta2=0.9, epsilon=0.1),
     lambda: _ref_adam(0.05, 0.5, 0.9, 0.1)),
    (lambda: tf.train.FtrlOptimizer(0.3, l1_regularization_strength=0.05,
                                    l2_regularization_strength=0.1),
     lambda: _ref_ftrl(0.3, -0.5, 0.1, 0.05, 0.1)),
], ids=["rmsprop", "rmsprop_centered_momentum", "adam", "adam_params", "ftrl"])
def test_optimizers_match_tf1_formulas(flow_opt, reference):
    np.testing.assert_allclose(_run_flow(flow_opt()), reference(), rtol=0, atol=1e-10)


def test_adam_differs_from_torch_epsilon_placement():
    """torch's Adam puts epsilon on the bias-corrected v; TF 1.x does not (large eps shows it)."""
    ours = _run_flow(tf.train.AdamOptimizer(0.05, epsilon=0.1))
    theirs = _run_torch(lambda p: torch.optim.Adam(p, lr=0.05, eps=0.1))
    assert np.abs(ours - theirs).max() > 1e-4


def test_slots_minimize_and_compute_gradients():
    x = tf.Variable([1.0, 2.0], name="theta")
    loss = tf.reduce_sum(tf.square(x))
    opt = tf.train.AdamOptimizer(0.1)
    gv = opt.compute_gradients(loss)
    assert gv[0][1] is x
    train = opt.minimize(loss, var_list=[x])
    assert opt.get_slot_names() == ["m", "v"]
    assert opt.get_slot(x, "m").name == "theta/Adam:0"
    assert opt.get_slot(x, "v").name == "theta/Adam_1:0"
    assert train.name == "Adam"
    with pytest.raises(ValueError, match="No gradients"):
        tf.train.GradientDescentOptimizer(0.1).minimize(tf.constant(1.0) * 2.0, var_list=[x])


@pytest.mark.parametrize("make", [
    lambda: tf.train.GradientDescentOptimizer(0.01),
    lambda: tf.train.MomentumOptimizer(0.01, momentum=0.9),
    lambda: tf.train.MomentumOptimizer(0.01, momentum=0.9, use_nesterov=True),
    lambda: tf.train.AdagradOptimizer(0.1),
    lambda: tf.train.RMSPropOptimizer(0.01, momentum=0.9),
    lambda: tf.train.AdamOptimizer(0.05),
    lambda: tf.train.FtrlOptimizer(0.5),
])
def test_each_optimizer_reduces_linear_regression_mse(make):
    rng = np.random.RandomState(42)
    X_data = rng.randn(200, 3)
    y_data = X_data @ np.array([[1.0], [-2.0], [0.5]]) + 0.3
    X = tf.constant(np.c_[np.ones(200), X_data], dtype=tf.float32)
    y = tf.constant(y_data, dtype=tf.float32)
    theta = tf.Variable(tf.random_uniform([4, 1], -1.0, 1.0, seed=42))
    mse = tf.reduce_mean(tf.square(tf.matmul(X, theta) - y))
    train = make().minimize(mse)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        start = sess.run(mse)
        for _ in range(200):
            sess.run(train)
        assert sess.run(mse) < 0.5 * start


def test_schedules_match_formulas():
    step = tf.placeholder(tf.int64, [])
    lr0 = 0.1
    exp = tf.train.exponential_decay(lr0, step, 100, 0.5)
    exp_s = tf.train.exponential_decay(lr0, step, 100, 0.5, staircase=True)
    inv = tf.train.inverse_time_decay(lr0, step, 10, 0.5)
    poly = tf.train.polynomial_decay(lr0, step, 100, end_learning_rate=0.01, power=2.0)
    poly_c = tf.train.polynomial_decay(lr0, step, 100, 0.01, 1.0, cycle=True)
    pw = tf.train.piecewise_constant(step, [10, 20], [1.0, 0.5, 0.1])
    with tf.Session() as sess:
        for s in (0, 10, 15, 150, 250):
            out = sess.run([exp, exp_s, inv, poly, poly_c, pw], {step: s})
            c = 100 * max(1, np.ceil(s / 100))
            expected = [lr0 * 0.5 ** (s / 100), lr0 * 0.5 ** (s // 100), lr0 / (1 + 0.5 * s / 10),
                        (lr0 - 0.01) * (1 - min(s, 100) / 100) ** 2 + 0.01,
                        (lr0 - 0.01) * (1 - s / c) + 0.01,
                        1.0 if s <= 10 else 0.5 if s <= 20 else 0.1]
            np.testing.assert_allclose(out, expected, rtol=1e-6)


def test_global_step():
    assert tf.train.get_global_step() is None
    gs = tf.train.get_or_create_global_step()
    assert gs.name == "global_step:0" and gs.dtype is tf.int64
    assert tf.train.get_or_create_global_step() is gs and tf.train.get_global_step() is gs
    with pytest.raises(ValueError):
        tf.train.create_global_step()
    assert gs not in tf.trainable_variables()


def test_in_place_updates_never_alias_other_variables():
    a = tf.Variable([1.0, 2.0])
    b = tf.Variable([0.0, 0.0])
    copy = tf.assign(b, a)
    train = tf.train.GradientDescentOptimizer(1.0).minimize(tf.reduce_sum(a))
    c = tf.constant([5.0, 5.0])
    d = tf.Variable(c)
    train_d = tf.train.GradientDescentOptimizer(1.0).minimize(tf.reduce_sum(d))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        sess.run(copy)
        sess.run(train)
        np.testing.assert_array_equal(sess.run(a), [-1.0, 0.0])
        np.testing.assert_array_equal(sess.run(b), [0.0, 1.0])
        sess.run(train_d)
        np.testing.assert_array_equal(sess.run(c), [5.0, 5.0])  # the constant is untouched
        sess.run(d.initializer)
        np.testing.assert_array_equal(sess.run(d), [5.0, 5.0])


_ALL_OPTIMIZERS = [
    lambda: tf.train.GradientDescentOptimizer(0.1),
    lambda: tf.train.MomentumOptimizer(0.1, 0.9),
    lambda: tf.train.MomentumOptimizer(0.1, 0.9, use_nesterov=True),
    lambda: tf.train.AdagradOptimizer(0.1),
    lambda: tf.train.RMSPropOptimizer(0.01, momentum=0.5, centered=True),
    lambda: tf.train.AdamOptimizer(0.1),
    lambda: tf.train.FtrlOptimizer(0.1, l1_regularization_strength=0.01),
]


def _train_three_variables(make, steps=5):
    rng = np.random.RandomState(0)
    with tf.Graph().as_default():
        vs = [tf.Variable(np.asarray(rng.randn(*s))) for s in [(3, 2), (2,), ()]]
        x = tf.constant(rng.randn(4, 3))
        loss = tf.reduce_sum(tf.square(tf.matmul(x, vs[0]) + vs[1] * vs[2] - 1.0))
        train = make().minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(steps):
                sess.run(train)
            plan = list(sess._plans.values())[-1]
            batched = sum(isinstance(s[2], list) for s in plan._steps)
            return sess.run(vs), batched


@pytest.mark.parametrize("make", _ALL_OPTIMIZERS)
def test_batched_updates_equal_one_op_at_a_time(make, monkeypatch):
    """The session runs one optimizer step's updates as one batch (foreach kernels on the
    CPU with Python-number scalars; the tensor-scalar form used on accelerators is
    exercised too); each equals the per-variable Apply ops."""
    from learnflow.flow import _session
    from learnflow.flow.train import _training_ops

    batched, n_batched = _train_three_variables(make)
    assert n_batched == 1
    with monkeypatch.context() as patch:
        patch.setattr(_training_ops, "_cpu_floats", lambda *a: None)
        tensor_scalars, _ = _train_three_variables(make)
    with monkeypatch.context() as patch:
        patch.setattr(_session, "_fuse_batches", lambda ops, session: ops)
        single, n_single = _train_three_variables(make)
    assert n_single == 0
    for a, b, c in zip(batched, tensor_scalars, single):
        np.testing.assert_allclose(a, c, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(b, c, rtol=1e-12, atol=1e-14)


def test_updates_are_not_batched_past_a_read_of_their_variable():
    """b's update needs a's value after a's update: the two stay separate, in order."""
    from learnflow.flow.train._training_ops import apply_update

    with tf.Graph().as_default():
        a, b = tf.Variable(1.0, dtype=tf.float64), tf.Variable(1.0, dtype=tf.float64)
        lr = tf.constant(0.5, tf.float64)
        up_a = apply_update("ApplyGradientDescent", [a], [lr, tf.constant(2.0, tf.float64)])
        with tf.control_dependencies([up_a]):
            read_a = tf.identity(a.value())
        up_b = apply_update("ApplyGradientDescent", [b], [lr, read_a])
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(tf.group(up_a, up_b))
            # a = 1 - 0.5 * 2 = 0; b = 1 - 0.5 * a_new = 1
            assert sess.run([a, b]) == [0.0, 1.0]
            plan = list(sess._plans.values())[-2]
            assert not any(isinstance(s[2], list) for s in plan._steps)
