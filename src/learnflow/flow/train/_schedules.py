"""Learning-rate schedules of a global step, built from graph ops.

>>> import learnflow.flow as tf
>>> with tf.Session(graph=tf.Graph()) as sess, sess.graph.as_default():
...     lr = tf.train.exponential_decay(0.1, 20, decay_steps=10, decay_rate=0.5)
...     print(round(float(sess.run(lr)), 6))
0.025
"""

# SPDX-License-Identifier: BSD-3-Clause

from .._framework import dtypes as _dtypes
from .._framework.ops import convert_to_tensor, name_scope
from .._ops import array_ops, math_ops

__all__ = ["exponential_decay", "inverse_time_decay", "natural_exp_decay", "piecewise_constant",
           "polynomial_decay"]


def _float(x, dtype):
    t = convert_to_tensor(x)
    return t if t.dtype is dtype else array_ops.cast(t, dtype)


def _progress(learning_rate, global_step, decay_steps, staircase):
    lr = convert_to_tensor(learning_rate)
    if not lr.dtype.is_floating:
        lr = array_ops.cast(lr, _dtypes.float32)
    p = _float(global_step, lr.dtype) / _float(decay_steps, lr.dtype)
    return lr, (math_ops.floor(p) if staircase else p)


def exponential_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False,
                      name=None):
    """Returns learning_rate * decay_rate ^ (global_step / decay_steps) (floored if staircase)."""
    if global_step is None:
        raise ValueError("global_step is required for exponential_decay.")
    with name_scope(name, "ExponentialDecay", [learning_rate, global_step]) as scope:
        lr, p = _progress(learning_rate, global_step, decay_steps, staircase)
        return math_ops.multiply(lr, math_ops.pow(_float(decay_rate, lr.dtype), p),
                                 name=scope)


def natural_exp_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False,
                      name=None):
    """Returns learning_rate * exp(-decay_rate * global_step / decay_steps)."""
    with name_scope(name, "NaturalExpDecay", [learning_rate, global_step]) as scope:
        lr, p = _progress(learning_rate, global_step, decay_steps, staircase)
        return math_ops.multiply(lr, math_ops.exp(-_float(decay_rate, lr.dtype) * p),
                                 name=scope)


def inverse_time_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False,
                       name=None):
    """Returns learning_rate / (1 + decay_rate * global_step / decay_steps)."""
    with name_scope(name, "InverseTimeDecay", [learning_rate, global_step]) as scope:
        lr, p = _progress(learning_rate, global_step, decay_steps, staircase)
        return math_ops.divide(lr, 1.0 + _float(decay_rate, lr.dtype) * p, name=scope)


def polynomial_decay(learning_rate, global_step, decay_steps, end_learning_rate=0.0001,
                     power=1.0, cycle=False, name=None):
    """Returns (lr - end) * (1 - min(step, decay_steps) / decay_steps)^power + end.

    With ``cycle`` the horizon is decay_steps * ceil(step / decay_steps) instead.
    """
    with name_scope(name, "PolynomialDecay", [learning_rate, global_step]) as scope:
        lr = convert_to_tensor(learning_rate)
        if not lr.dtype.is_floating:
            lr = array_ops.cast(lr, _dtypes.float32)
        step = _float(global_step, lr.dtype)
        steps = _float(decay_steps, lr.dtype)
        if cycle:
            mult = math_ops.ceil(step / steps)
            steps = steps * array_ops.where(math_ops.equal(step, 0.0), array_ops.ones_like(mult),
                                            mult)
        else:
            step = math_ops.minimum(step, steps)
        end = _float(end_learning_rate, lr.dtype)
        frac = math_ops.pow(1.0 - step / steps, _float(power, lr.dtype))
        return math_ops.add((lr - end) * frac, end, name=scope)


def piecewise_constant(x, boundaries, values, name=None):
    """values[0] for x <= boundaries[0], values[i] for boundaries[i-1] < x <= boundaries[i], ...

    ``len(values) == len(boundaries) + 1``.
    """
    if len(values) != len(boundaries) + 1:
        raise ValueError("The length of boundaries should be 1 less than the length of values")
    with name_scope(name, "PiecewiseConstant", [x]) as scope:
        x = convert_to_tensor(x)
        vals = [convert_to_tensor(v) for v in values]
        result = vals[-1]
        for b, v in zip(reversed(boundaries), reversed(vals[:-1])):
            cond = math_ops.less_equal(x, _float(b, x.dtype) if x.dtype.is_floating
                                       else convert_to_tensor(b, dtype=x.dtype))
            result = array_ops.where(cond, v, result)
        return array_ops.identity(result, name=scope)
