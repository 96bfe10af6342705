"""Random ops with TensorFlow 1.x seeding.

The op seed and the graph seed (``set_random_seed``) decide the stream: with
either set, a new session replays the same values; each run draws new ones.
Values are drawn on the CPU generator of the session and moved to the device,
so they do not depend on the device.

>>> import learnflow.flow as tf
>>> g = tf.Graph()
>>> with g.as_default():
...     r = tf.random_uniform([2], seed=42)
>>> a = tf.Session(graph=g).run(r); b = tf.Session(graph=g).run(r)
>>> bool((a == b).all())
True
"""

# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
import torch

from .._framework import dtypes as _dtypes
from .._framework.op_util import apply_op, unchanged_shape
from .._framework.ops import Tensor, convert_to_tensor, get_default_graph
from .._framework.registry import not_differentiable, register_op
from .._framework.tensor_shape import TensorShape, unknown_shape

__all__ = ["get_seed", "multinomial", "random_normal", "random_shuffle", "random_uniform",
           "set_random_seed", "truncated_normal"]

DEFAULT_GRAPH_SEED = 87654321
_MAXINT32 = 2**31 - 1


def set_random_seed(seed):
    """Set the graph-level seed of the default graph."""
    get_default_graph().seed = seed


def get_seed(op_seed):
    """The (graph seed, op seed) pair of TensorFlow 1.x (``(None, None)``: nondeterministic)."""
    graph = get_default_graph()
    global_seed = graph.seed
    if global_seed is not None:
        if op_seed is None:
            op_seed = graph._last_id
        return int(global_seed), int(op_seed)
    if op_seed is not None:
        return DEFAULT_GRAPH_SEED, int(op_seed)
    return None, None


def _generator(op, ctx):
    """The op's generator in this session (seeded from its seeds, or from entropy)."""
    key = ("generator", op)
    gen = ctx.state.get(key)
    if gen is None:
        gen = torch.Generator()
        seed, seed2 = op.get_attr("seed"), op.get_attr("seed2")
        if seed is None:
            gen.seed()
        else:
            gen.manual_seed((seed * 1000003 + seed2) % (2**63 - 1))
        ctx.state[key] = gen
    return gen


def _random_factory(draw):
    def factory(op, ctx):
        device, dtype = ctx.device, op.outputs[0].dtype.as_torch_dtype
        attrs = op.attrs

        dynamic = "shape" in attrs and attrs["shape"] is None

        def run(*inputs):
            gen = _generator(op, ctx)
            if dynamic:
                kwargs = dict(attrs, shape=[int(d) for d in inputs[-1].tolist()])
                out = draw(gen, *inputs[:-1], **kwargs)
            else:
                out = draw(gen, *inputs, **attrs)
            return out.to(device=device, dtype=dtype)
        return run
    return factory


def _draw_uniform(gen, minval, maxval, shape, dtype, **_):
    if dtype.is_integer:
        return torch.randint(int(minval), int(maxval), shape, generator=gen)
    u = torch.rand(shape, generator=gen, dtype=torch.float64)
    return minval.cpu() + (maxval.cpu() - minval.cpu()) * u


def _draw_normal(gen, mean, stddev, shape, **_):
    return mean.cpu() + stddev.cpu() * torch.randn(shape, generator=gen, dtype=torch.float64)


def _draw_truncated(gen, mean, stddev, shape, **_):
    n = int(np.prod(shape))
    out = torch.empty(0, dtype=torch.float64)
    while out.numel() < n:
        z = torch.randn(max(2 * n, 16), generator=gen, dtype=torch.float64)
        out = torch.cat([out, z[z.abs() <= 2.0]])
    return mean.cpu() + stddev.cpu() * out[:n].reshape(shape)


def _draw_shuffle(gen, value, **_):
    perm = torch.randperm(value.shape[0], generator=gen) if value.dim() else None
    return value if perm is None else value.cpu()[perm]


def _draw_multinomial(gen, logits, num_samples, **_):
    probs = torch.softmax(logits.cpu().double(), dim=-1)
    return torch.multinomial(probs, num_samples, replacement=True, generator=gen)


def _static_shape(op):
    shape = op.get_attr("shape")
    if shape is None:
        n = op.inputs[-1].get_shape()
        return [unknown_shape(n[0].value if n.ndims == 1 else None)]
    return [TensorShape(shape)]

register_op("RandomUniform", kernel_factory=_random_factory(_draw_uniform), shape=_static_shape,
            stateful=True)
register_op("RandomStandardNormal", kernel_factory=_random_factory(_draw_normal),
            shape=_static_shape, stateful=True)
register_op("TruncatedNormal", kernel_factory=_random_factory(_draw_truncated),
            shape=_static_shape, stateful=True)
register_op("RandomShuffle", kernel_factory=_random_factory(_draw_shuffle), shape=unchanged_shape,
            stateful=True)
register_op("Multinomial", kernel_factory=_random_factory(_draw_multinomial), stateful=True,
            shape=lambda op: [TensorShape([op.inputs[0].get_shape()[0].value
                                           if op.inputs[0].get_shape().ndims else None,
                                           op.get_attr("num_samples")])])
for _name in ("RandomUniform", "RandomStandardNormal", "TruncatedNormal", "RandomShuffle",
              "Multinomial"):
    not_differentiable(_name)


def _random(op_type, shape, params, dtype, seed, name):
    dtype = _dtypes.as_dtype(dtype)
    seed1, seed2 = get_seed(seed)
    params = [convert_to_tensor(p, dtype=dtype) for p in params]
    if isinstance(shape, Tensor) or (isinstance(shape, (list, tuple)) and any(
            hasattr(d, "_as_graph_element") for d in shape)):
        params.append(convert_to_tensor(shape))  # a run-time shape
        static = None
    else:
        static = [int(d) for d in np.asarray(shape).reshape(-1)]
    attrs = {"shape": static, "dtype": dtype, "seed": seed1, "seed2": seed2}
    return apply_op(op_type, params, attrs, name=name or op_type, dtypes=[dtype])


def random_uniform(shape, minval=0, maxval=None, dtype=_dtypes.float32, seed=None, name=None):
    """Uniform values in ``[minval, maxval)`` (``maxval`` defaults to 1 for floats)."""
    dtype = _dtypes.as_dtype(dtype)
    if maxval is None:
        if dtype.is_integer:
            raise ValueError("Must specify maxval for integer dtype")
        maxval = 1
    return _random("RandomUniform", shape, [minval, maxval], dtype, seed, name or "random_uniform")


def random_normal(shape, mean=0.0, stddev=1.0, dtype=_dtypes.float32, seed=None, name=None):
    """Normally distributed values."""
    return _random("RandomStandardNormal", shape, [mean, stddev], dtype, seed,
                   name or "random_normal")


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=_dtypes.float32, seed=None, name=None):
    """Normal values, redrawn when more than 2 standard deviations from the mean."""
    return _random("TruncatedNormal", shape, [mean, stddev], dtype, seed,
                   name or "truncated_normal")


def random_shuffle(value, seed=None, name=None):
    """Shuffle ``value`` along its first dimension."""
    value = convert_to_tensor(value)
    seed1, seed2 = get_seed(seed)
    return apply_op("RandomShuffle", [value], {"seed": seed1, "seed2": seed2},
                    name=name or "RandomShuffle")


def multinomial(logits, num_samples, seed=None, name=None, output_dtype=None):
    """Draw ``num_samples`` class indices per row of ``logits`` (unnormalised log-probs)."""
    logits = convert_to_tensor(logits)
    seed1, seed2 = get_seed(seed)
    dtype = _dtypes.int64 if output_dtype is None else _dtypes.as_dtype(output_dtype)
    return apply_op("Multinomial", [logits], {"num_samples": int(num_samples), "seed": seed1,
                                              "seed2": seed2}, name=name or "multinomial",
                    dtypes=[dtype])

