"""Behaviour of ``tf.nn`` against torch (gradients are in test_gradients_table.py)."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import learnflow.flow as tf


def _run(fn, *values):
    graph = tf.Graph()
    with graph.as_default():
        xs = [tf.placeholder(tf.float64 if np.asarray(v).dtype.kind == "f" else tf.int64,
                             np.shape(v)) for v in values]
        out = fn(*xs)
    with tf.Session(graph=graph) as sess:
        return sess.run(out, dict(zip(xs, values)))


RNG = np.random.RandomState(0)
X = RNG.normal(size=(6, 5)) * 3


@pytest.mark.parametrize("name, torch_fn", [
    ("relu", torch.relu), ("relu6", F.relu6), ("elu", F.elu), ("selu", F.selu),
    ("softplus", F.softplus), ("softsign", F.softsign), ("sigmoid", torch.sigmoid),
    ("tanh", torch.tanh), ("softmax", lambda x: torch.softmax(x, -1)),
    ("log_softmax", lambda x: torch.log_softmax(x, -1)),
])
def test_activations_match_torch(name, torch_fn):
    out = _run(getattr(tf.nn, name), X)
    np.testing.assert_allclose(out, torch_fn(torch.tensor(X)).numpy(), rtol=1e-12, atol=1e-14)


def test_leaky_relu_default_alpha_and_extreme_softplus():
    np.testing.assert_allclose(_run(tf.nn.leaky_relu, X), F.leaky_relu(torch.tensor(X), 0.2))
    big = np.array([-1000.0, 1000.0])
    np.testing.assert_allclose(_run(tf.nn.softplus, big), [0.0, 1000.0])
    np.testing.assert_allclose(_run(tf.nn.softmax, np.array([[1000.0, 0.0]])), [[1.0, 0.0]])


def test_cross_entropies_match_torch():
    labels = RNG.randint(0, 5, 6)
    sparse = _run(lambda x, y: tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=y, logits=x), X, labels)
    expected = F.cross_entropy(torch.tensor(X), torch.tensor(labels), reduction="none")
    np.testing.assert_allclose(sparse, expected.numpy(), rtol=1e-12)
    onehot = np.eye(5)[labels]
    dense = _run(lambda x, z: tf.nn.softmax_cross_entropy_with_logits(labels=z, logits=x),
                 X, onehot)
    np.testing.assert_allclose(dense, expected.numpy(), rtol=1e-12)
    z = RNG.uniform(size=X.shape)
    sig = _run(lambda x, z: tf.nn.sigmoid_cross_entropy_with_logits(labels=z, logits=x), X, z)
    np.testing.assert_allclose(sig, F.binary_cross_entropy_with_logits(
        torch.tensor(X), torch.tensor(z), reduction="none").numpy(), rtol=1e-10)
    with pytest.raises(ValueError, match="named arguments"):
        tf.nn.sparse_softmax_cross_entropy_with_logits(X, labels)


def test_softmax_cross_entropy_v1_stops_label_gradient():
    with tf.Graph().as_default():
        x, z = tf.constant(X), tf.constant(np.eye(5)[[0, 1, 2, 3, 4, 0]])
        v1 = tf.nn.softmax_cross_entropy_with_logits(labels=z, logits=x)
        v2 = tf.nn.softmax_cross_entropy_with_logits_v2(labels=z, logits=x)
        assert tf.gradients(v1, z)[0] is None
        assert tf.gradients(v2, z)[0] is not None


@pytest.mark.parametrize("kwargs", [{"keep_prob": 0.3}, {"rate": 0.7}])
def test_dropout_scales_by_keep_probability(kwargs):
    ones = np.ones((200, 100))
    out = _run(lambda x: tf.nn.dropout(x, seed=1, **kwargs), ones)
    kept = out != 0
    np.testing.assert_allclose(out[kept], 1 / 0.3)
    assert abs(kept.mean() - 0.3) < 0.02  # 20,000 Bernoulli(0.3) draws: sd 0.003
    np.testing.assert_allclose(out.mean(), 1.0, atol=0.07)


def test_dropout_noise_shape_and_errors():
    ones = np.ones((50, 40))
    out = _run(lambda x: tf.nn.dropout(x, 0.5, noise_shape=[50, 1], seed=3), ones)
    assert all(len(set(row)) == 1 for row in out)  # whole rows kept or dropped
    with pytest.raises(ValueError, match="keep_prob"):
        tf.nn.dropout(tf.constant(ones), keep_prob=1.5)
    with pytest.raises(ValueError, match="exactly one"):
        tf.nn.dropout(tf.constant(ones))
    np.testing.assert_array_equal(_run(lambda x: tf.nn.dropout(x, keep_prob=1.0), ones), ones)


def test_in_top_k_and_top_k_match_torch():
    preds = RNG.normal(size=(8, 6))
    targets = RNG.randint(0, 6, 8)
    for k in (1, 3):
        got = _run(lambda p, t: tf.nn.in_top_k(p, t, k), preds, targets)
        top = torch.topk(torch.tensor(preds), k).indices.numpy()
        np.testing.assert_array_equal(got, [t in row for t, row in zip(targets, top)])
    values, indices = _run(lambda p: tf.nn.top_k(p, 3), preds)
    tv, ti = torch.topk(torch.tensor(preds), 3)
    np.testing.assert_allclose(values, tv.numpy())
    np.testing.assert_array_equal(indices, ti.numpy())


def test_normalization_helpers():
    mean, var = _run(lambda x: tf.nn.moments(x, axes=[0]), X)
    np.testing.assert_allclose(mean, X.mean(0))
    np.testing.assert_allclose(var, X.var(0))
    bn = _run(lambda x: tf.nn.batch_normalization(x, mean, var, 0.5, 2.0, 1e-3), X)
    expected = F.batch_norm(torch.tensor(X), None, None, torch.full((5,), 2.0, dtype=torch.float64),
                            torch.full((5,), 0.5, dtype=torch.float64), training=True, eps=1e-3)
    np.testing.assert_allclose(bn, expected.numpy(), rtol=1e-10)
    np.testing.assert_allclose(_run(lambda x: tf.nn.l2_normalize(x, 1), X),
                               F.normalize(torch.tensor(X), dim=1).numpy())
    np.testing.assert_allclose(_run(tf.nn.l2_loss, X), (X ** 2).sum() / 2)


def test_bias_add_xw_plus_b_zero_fraction():
    w, b = RNG.normal(size=(5, 3)), RNG.normal(size=3)
    np.testing.assert_allclose(_run(tf.nn.xw_plus_b, X, w, b), X @ w + b)
    with pytest.raises(ValueError, match="1-D"):
        tf.nn.bias_add(tf.constant(X), tf.constant(w))
    frac = _run(lambda x: tf.nn.zero_fraction(tf.nn.relu(x)), X)
    assert frac == pytest.approx((X <= 0).mean())
