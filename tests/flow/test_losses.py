"""tf.losses against scikit-learn's metrics."""

import numpy as np
import pytest
from sklearn.metrics import log_loss as sk_log_loss
from sklearn.metrics import mean_absolute_error, mean_squared_error

import learnflow.flow as tf


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()
    yield


def test_losses_match_sklearn():
    rng = np.random.RandomState(0)
    y = rng.randint(0, 2, (50, 1)).astype(np.float64)
    p = rng.uniform(0.05, 0.95, (50, 1))
    log = tf.losses.log_loss(y, tf.constant(p))
    mse = tf.losses.mean_squared_error(y, tf.constant(p))
    mae = tf.losses.absolute_difference(y, tf.constant(p))
    assert len(tf.losses.get_losses()) == 3
    total = tf.losses.get_total_loss()
    with tf.Session() as sess:
        out = sess.run([log, mse, mae, total])
    np.testing.assert_allclose(out[0], sk_log_loss(y.ravel(), p.ravel()), rtol=1e-5)
    np.testing.assert_allclose(out[1], mean_squared_error(y, p), rtol=1e-12)
    np.testing.assert_allclose(out[2], mean_absolute_error(y, p), rtol=1e-12)
    np.testing.assert_allclose(out[3], sum(out[:3]), rtol=1e-12)


def test_weights_and_reductions():
    losses = tf.constant([1.0, 2.0, 3.0, 4.0], dtype=tf.float64)
    w = tf.constant([1.0, 0.0, 2.0, 0.0], dtype=tf.float64)
    R = tf.losses.Reduction
    outs = [tf.losses.compute_weighted_loss(losses, w, reduction=r)
            for r in (R.SUM, R.MEAN, R.SUM_OVER_BATCH_SIZE, R.SUM_BY_NONZERO_WEIGHTS, R.NONE)]
    with tf.Session() as sess:
        vals = sess.run(outs)
    assert vals[:4] == [7.0, 7.0 / 3.0, 7.0 / 4.0, 7.0 / 2.0]
    np.testing.assert_array_equal(vals[4], [1.0, 0.0, 6.0, 0.0])
    with pytest.raises(ValueError):
        tf.losses.compute_weighted_loss(losses, reduction="bogus")
