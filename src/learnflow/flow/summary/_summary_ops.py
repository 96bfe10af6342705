"""Summary ops: graph ops whose kernels output serialized TensorBoard ``Summary`` protobufs.

``tf.summary.scalar("MSE", mse)`` is an op like any other: ``sess.run`` (or
``.eval()``) gives the serialized ``Summary`` (``bytes``) that
``FileWriter.add_summary`` writes to an event file. Each op type is registered
once in the op registry (kernel and shape; summaries are not differentiable).

>>> import learnflow.flow as tf
>>> from tensorboard.compat.proto.summary_pb2 import Summary
>>> with tf.Graph().as_default():
...     with tf.name_scope("loss"):
...         s = tf.summary.scalar("MSE", tf.constant(2.5))
...     with tf.Session() as sess:
...         value = Summary.FromString(sess.run(s)).value[0]
>>> s.op.name, value.tag, value.simple_value
('loss/MSE', 'loss/MSE', 2.5)
"""

# SPDX-License-Identifier: BSD-3-Clause

import struct
import zlib

import numpy as np
import torch
from tensorboard.compat.proto import summary_pb2, tensor_pb2, tensor_shape_pb2, types_pb2

from .._framework import dtypes as _dtypes
from .._framework.ops import GraphKeys, convert_to_tensor, get_default_graph
from .._framework.registry import not_differentiable, register_op
from .._framework.tensor_shape import TensorShape
from .._ops.control_flow_ops import DEAD

__all__ = ["histogram", "image", "merge", "merge_all", "scalar", "text"]


def _scalar_shape(op):
    return [TensorShape([])]


def _numpy(value):
    if isinstance(value, torch.Tensor):
        value = value.detach().cpu()
        value = value.float() if value.dtype is torch.bfloat16 else value
        return value.numpy()
    return np.asarray(value)


# --- ScalarSummary ------------------------------------------------------------------------

def _scalar_kernel(x, tag):
    arr = _numpy(x)
    if arr.size != 1:
        raise ValueError(f"tags and values not the same shape: [] != {list(arr.shape)} "
                         f"(tag '{tag}'): summary.scalar needs a scalar tensor")
    value = summary_pb2.Summary.Value(tag=tag, simple_value=float(arr.reshape(())))
    return summary_pb2.Summary(value=[value]).SerializeToString()


register_op("ScalarSummary", kernel=_scalar_kernel, shape=_scalar_shape)
not_differentiable("ScalarSummary")


# --- HistogramSummary ---------------------------------------------------------------------

def _default_limits():
    """TensorFlow's default bucket limits: +-1e-12 * 1.1**k up to 1e20, 0 and +-DBL_MAX."""
    positive = []
    v = 1e-12
    while v < 1e20:
        positive.append(v)
        v *= 1.1
    positive.append(np.finfo(np.float64).max)
    negative = [-p for p in reversed(positive)]
    return np.asarray(negative + [0.0] + positive)


_LIMITS = _default_limits()


def _histogram_proto(values):
    values = values.astype(np.float64).ravel()
    if not np.all(np.isfinite(values)):
        raise ValueError("Nan in summary histogram: the values must be finite")
    counts = np.bincount(np.searchsorted(_LIMITS, values, side="right"),
                         minlength=len(_LIMITS)).astype(np.float64)[:len(_LIMITS)]
    proto = summary_pb2.HistogramProto(
        min=float(values.min()) if values.size else 0.0,
        max=float(values.max()) if values.size else 0.0, num=float(values.size),
        sum=float(values.sum()), sum_squares=float(np.dot(values, values)))
    i, n = 0, len(_LIMITS)
    while i < n:  # consecutive empty buckets are collapsed into one, as TensorFlow does
        end, count = _LIMITS[i], counts[i]
        i += 1
        if count <= 0:
            while i < n and counts[i] <= 0:
                end, count = _LIMITS[i], counts[i]
                i += 1
        proto.bucket_limit.append(float(end))
        proto.bucket.append(float(count))
    return proto


def _histogram_kernel(x, tag):
    proto = _histogram_proto(_numpy(x))
    return summary_pb2.Summary(value=[summary_pb2.Summary.Value(tag=tag, histo=proto)]
                               ).SerializeToString()


register_op("HistogramSummary", kernel=_histogram_kernel, shape=_scalar_shape)
not_differentiable("HistogramSummary")


# --- ImageSummary ---------------------------------------------------------------------------

def _png(image):
    """PNG bytes of a uint8 array of shape (h, w, c), c in 1, 3, 4 (zlib only)."""
    height, width, channels = image.shape
    color = {1: 0, 3: 2, 4: 6}[channels]
    raw = b"".join(b"\x00" + image[row].tobytes() for row in range(height))

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, color, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b""))


def _to_uint8(images):
    """TensorFlow's rule: non-negative floats scale so the max is 255; else 0 maps to 127."""
    if images.dtype == np.uint8:
        return images
    images = images.astype(np.float64)
    low, high = images.min(initial=0.0), images.max(initial=0.0)
    if low >= 0:
        scale = 255.0 / high if high > 0 else 0.0
        offset = 0.0
    else:
        scale = min(127.0 / -low, 127.0 / high if high > 0 else np.inf)
        offset = 128.0
    return np.clip(images * scale + offset, 0, 255).round().astype(np.uint8)


def _image_kernel(x, tag, max_outputs):
    images = _numpy(x)
    if images.ndim != 4 or images.shape[-1] not in (1, 3, 4):
        raise ValueError(f"Tensor must be 4-D with last dim 1, 3, or 4, not {list(images.shape)} "
                         f"(tag '{tag}')")
    images = _to_uint8(images[:max_outputs])
    values = []
    for i, image in enumerate(images):
        name = f"{tag}/image" if max_outputs == 1 else f"{tag}/image/{i}"
        proto = summary_pb2.Summary.Image(height=image.shape[0], width=image.shape[1],
                                          colorspace=image.shape[2],
                                          encoded_image_string=_png(np.ascontiguousarray(image)))
        values.append(summary_pb2.Summary.Value(tag=name, image=proto))
    return summary_pb2.Summary(value=values).SerializeToString()


register_op("ImageSummary", kernel=_image_kernel, shape=_scalar_shape)
not_differentiable("ImageSummary")


# --- text -------------------------------------------------------------------------------------

def _text_kernel(x, tag):
    arr = np.asarray(x, dtype=object) if not isinstance(x, torch.Tensor) else _numpy(x)
    items = [v if isinstance(v, bytes) else str(v).encode("utf-8") for v in arr.ravel().tolist()]
    shape = tensor_shape_pb2.TensorShapeProto(
        dim=[tensor_shape_pb2.TensorShapeProto.Dim(size=d) for d in arr.shape])
    tensor = tensor_pb2.TensorProto(dtype=types_pb2.DT_STRING, tensor_shape=shape,
                                    string_val=items)
    metadata = summary_pb2.SummaryMetadata(
        plugin_data=summary_pb2.SummaryMetadata.PluginData(plugin_name="text"))
    value = summary_pb2.Summary.Value(tag=tag, metadata=metadata, tensor=tensor)
    return summary_pb2.Summary(value=[value]).SerializeToString()


register_op("TextSummary", kernel=_text_kernel, shape=_scalar_shape)
not_differentiable("TextSummary")


# --- MergeSummary -----------------------------------------------------------------------------

def _merge_kernel(*inputs):
    # Summary has one repeated field, so concatenated serializations are the merged message.
    parts = []
    for value in inputs:
        if value is DEAD:
            continue
        items = [value] if isinstance(value, bytes) else np.asarray(value, dtype=object).ravel()
        parts.extend(bytes(v) for v in items)
    return b"".join(parts)


register_op("MergeSummary", kernel=_merge_kernel, shape=_scalar_shape)
not_differentiable("MergeSummary")


# --- Python API ---------------------------------------------------------------------------------

def _summary_op(op_type, name, tensor, attrs, collections, family):
    """Create a summary op named like TensorFlow's ``summary_scope``; return its output."""
    if not isinstance(name, str) or not name:
        raise ValueError(f"A summary name must be a non-empty string, got {name!r}")
    tensor = convert_to_tensor(tensor)
    graph = tensor.graph
    full = f"{family}/{name}" if family else name
    with graph.as_default():
        prefix = graph.get_name_scope()
        tag = f"{prefix}/{full}" if prefix else full
        with graph.name_scope(full) as scope:
            op = graph.create_op(op_type, [tensor], dtypes=[_dtypes.string], name=scope,
                                 attrs=dict(attrs, tag=tag))
    out = op.outputs[0]
    for key in [GraphKeys.SUMMARIES] if collections is None else collections:
        graph.add_to_collection(key, out)
    return out


def scalar(name, tensor, collections=None, family=None):
    """A summary op writing the scalar ``tensor`` under tag ``name`` (in the current scope).

    Parameters
    ----------
    name : str
    tensor : scalar Tensor of a real type
    collections : list of str, default=None
        Collections to add the op's output to (``[GraphKeys.SUMMARIES]`` when None).
    family : str, default=None
        A tag prefix (TensorBoard groups the tags of one family).
    """
    return _summary_op("ScalarSummary", name, tensor, {}, collections, family)


def histogram(name, values, collections=None, family=None):
    """A summary op writing a histogram of ``values`` (TensorFlow's default buckets)."""
    return _summary_op("HistogramSummary", name, values, {}, collections, family)


def image(name, tensor, max_outputs=3, collections=None, family=None):
    """A summary op writing up to ``max_outputs`` images of a ``[batch, h, w, 1|3|4]`` tensor.

    Floats are scaled to 0-255 as TensorFlow does (non-negative: max -> 255;
    else 0 -> 127); tags are ``name/image/<i>`` (``name/image`` for one output).
    """
    if int(max_outputs) < 1:
        raise ValueError(f"max_outputs must be >= 1, got {max_outputs}")
    return _summary_op("ImageSummary", name, tensor, {"max_outputs": int(max_outputs)},
                       collections, family)


def text(name, tensor, collections=None):
    """A summary op writing a string tensor for TensorBoard's text dashboard."""
    return _summary_op("TextSummary", name, tensor, {}, collections, None)


def merge(inputs, collections=None, name=None):
    """One op whose value is the union of the summaries ``inputs`` (string tensors)."""
    inputs = [convert_to_tensor(t) for t in inputs]
    for t in inputs:
        if t.dtype is not _dtypes.string:
            raise TypeError(f"summary.merge takes serialized summaries (string tensors), got "
                            f"{t.name} of dtype {t.dtype.name}")
    graph = inputs[0].graph if inputs else get_default_graph()
    with graph.as_default(), graph.name_scope(name or "Merge"):
        op = graph.create_op("MergeSummary", inputs, dtypes=[_dtypes.string],
                             name="MergeSummary")
    out = op.outputs[0]
    for key in collections or []:
        graph.add_to_collection(key, out)
    return out


def merge_all(key=GraphKeys.SUMMARIES, scope=None, name=None):
    """Merge every summary of collection ``key`` (None when there is none)."""
    summaries = get_default_graph().get_collection(key, scope)
    if not summaries:
        return None
    return merge(summaries, name=name)
