"""Gradient checking (``tf.test.compute_gradient`` / ``compute_gradient_error``).

The numeric Jacobian uses central differences (Appendix D's numerical
differentiation) and is compared with the symbolic Jacobian from ``gradients()``.

>>> import numpy as np, learnflow.flow as tf
>>> with tf.Session(graph=tf.Graph()) as sess, sess.graph.as_default():
...     x = tf.constant(np.array([1.0, 2.0]))
...     err = tf.test.compute_gradient_error(x, [2], tf.sin(x) * x, [2])
>>> err < 1e-8
True
"""

# SPDX-License-Identifier: BSD-3-Clause

import numpy as np

from ._framework.ops import convert_to_tensor
from ._gradients import gradients
from ._ops import array_ops

__all__ = ["compute_gradient", "compute_gradient_error"]


def _session(session, graph):
    from ._session import Session, get_default_session

    session = session or get_default_session()
    return session if session is not None else Session(graph=graph)


def compute_gradient(x, x_shape, y, y_shape, x_init_value=None, delta=1e-6, extra_feed_dict=None,
                     session=None):
    """(theoretical, numerical) Jacobians of ``y`` w.r.t. ``x``, each (x.size, y.size)."""
    x, y = convert_to_tensor(x), convert_to_tensor(y)
    sess = _session(session, y.graph)
    feed = dict(extra_feed_dict or {})
    x0 = np.asarray(x_init_value if x_init_value is not None else sess.run(x, feed),
                    dtype=x.dtype.as_numpy_dtype).reshape(x_shape)
    nx, ny = int(np.prod(x_shape)), int(np.prod(y_shape))
    with y.graph.as_default():
        dy = array_ops.placeholder(y.dtype, y_shape)
        (grad,) = gradients(y, [x], grad_ys=[dy])
    theoretical = np.zeros((nx, ny))
    for j in range(ny):
        seed = np.zeros(ny)
        seed[j] = 1.0
        g = sess.run(grad, {**feed, x: x0, dy: seed.reshape(y_shape)})
        theoretical[:, j] = np.asarray(g).reshape(-1)
    numerical = np.zeros((nx, ny))
    for i in range(nx):
        xp, xm = x0.copy().reshape(-1), x0.copy().reshape(-1)
        xp[i] += delta
        xm[i] -= delta
        yp = sess.run(y, {**feed, x: xp.reshape(x_shape)})
        ym = sess.run(y, {**feed, x: xm.reshape(x_shape)})
        numerical[i] = (np.asarray(yp, float) - np.asarray(ym, float)).reshape(-1) / (2 * delta)
    return theoretical, numerical


def compute_gradient_error(x, x_shape, y, y_shape, x_init_value=None, delta=1e-6,
                           extra_feed_dict=None, session=None):
    """The largest absolute difference between the symbolic and numeric Jacobians."""
    theoretical, numerical = compute_gradient(x, x_shape, y, y_shape, x_init_value, delta,
                                              extra_feed_dict, session)
    return float(np.max(np.abs(theoretical - numerical))) if theoretical.size else 0.0
