"""``FileWriter``: TensorBoard event files (tensorboard's protobufs and record writer).

>>> import tempfile
>>> import learnflow.flow as tf
>>> from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
>>> logdir = tempfile.mkdtemp()
>>> with tf.Graph().as_default() as graph:
...     mse = tf.placeholder(tf.float32, [], name="mse")
...     summary = tf.summary.scalar("MSE", mse)
...     with tf.Session() as sess, tf.summary.FileWriter(logdir, graph) as writer:
...         for step in range(3):
...             writer.add_summary(sess.run(summary, {mse: 1.0 / (step + 1)}), step)
>>> acc = EventAccumulator(logdir); _ = acc.Reload()
>>> [(e.step, round(e.value, 3)) for e in acc.Scalars("MSE")]
[(0, 1.0), (1, 0.5), (2, 0.333)]
"""

# SPDX-License-Identifier: BSD-3-Clause

import os
import time

import numpy as np
from tensorboard.compat.proto import (attr_value_pb2, event_pb2, graph_pb2, node_def_pb2,
                                      summary_pb2, tensor_shape_pb2, types_pb2, versions_pb2)

from .._framework.ops import Graph

__all__ = ["FileWriter", "SummaryWriter"]

_TYPES = {"float16": types_pb2.DT_HALF, "bfloat16": types_pb2.DT_BFLOAT16,
          "float32": types_pb2.DT_FLOAT, "float64": types_pb2.DT_DOUBLE,
          "int8": types_pb2.DT_INT8, "int16": types_pb2.DT_INT16, "int32": types_pb2.DT_INT32,
          "int64": types_pb2.DT_INT64, "uint8": types_pb2.DT_UINT8, "bool": types_pb2.DT_BOOL,
          "string": types_pb2.DT_STRING}


def _shape_proto(shape):
    if shape.ndims is None:
        return tensor_shape_pb2.TensorShapeProto(unknown_rank=True)
    return tensor_shape_pb2.TensorShapeProto(dim=[
        tensor_shape_pb2.TensorShapeProto.Dim(size=-1 if d is None else d)
        for d in shape.as_list()])


def _attr_proto(value):
    if isinstance(value, bool):
        return attr_value_pb2.AttrValue(b=value)
    if isinstance(value, (int, np.integer)):
        return attr_value_pb2.AttrValue(i=int(value))
    if isinstance(value, (float, np.floating)):
        return attr_value_pb2.AttrValue(f=float(value))
    if isinstance(value, str):
        return attr_value_pb2.AttrValue(s=value.encode("utf-8"))
    name = getattr(value, "name", None)
    if isinstance(name, str) and name in _TYPES and hasattr(value, "as_numpy_dtype"):
        return attr_value_pb2.AttrValue(type=_TYPES[name])
    return None


def _input_name(tensor):
    return tensor.op.name if tensor.value_index == 0 else tensor.name


def graph_to_graph_def(graph):
    """A TensorBoard ``GraphDef`` protobuf of a flow ``Graph`` (names keep their scopes)."""
    nodes = []
    for op in graph.get_operations():
        node = node_def_pb2.NodeDef(
            name=op.name, op=op.type, device=op.device,
            input=[_input_name(t) for t in op.inputs] + ["^" + c.name for c in op.control_inputs])
        for key, value in op.attrs.items():
            proto = _attr_proto(value)
            if proto is not None:
                node.attr[key].CopyFrom(proto)
        if op.outputs:
            node.attr["T"].CopyFrom(attr_value_pb2.AttrValue(
                type=_TYPES.get(op.outputs[0].dtype.name, types_pb2.DT_INVALID)))
            node.attr["_output_shapes"].CopyFrom(attr_value_pb2.AttrValue(
                list=attr_value_pb2.AttrValue.ListValue(
                    shape=[_shape_proto(t.get_shape()) for t in op.outputs])))
        nodes.append(node)
    return graph_pb2.GraphDef(node=nodes, versions=versions_pb2.VersionDef(producer=27))


def _json_to_graph_def(data):
    """A ``GraphDef`` protobuf from ``Graph.as_graph_def()``'s dict (names, types, inputs)."""
    nodes = []
    for item in data.get("node", []):
        node = node_def_pb2.NodeDef(name=item["name"], op=item["op"],
                                    device=item.get("device", ""))
        for ref in item.get("input", []):
            node.input.append(ref[:-2] if ref.endswith(":0") else ref)
        nodes.append(node)
    return graph_pb2.GraphDef(node=nodes, versions=versions_pb2.VersionDef(producer=27))


def _event_file_writer(logdir, max_queue, flush_secs, filename_suffix):
    # imported here: the tensorboard.summary package is slow to import
    from tensorboard.summary.writer.event_file_writer import EventFileWriter

    return EventFileWriter(logdir, max_queue, flush_secs, filename_suffix)


class FileWriter:
    """Write summaries and the graph to an event file in ``logdir`` for TensorBoard.

    Parameters
    ----------
    logdir : str or path-like
        Created if needed; each writer opens a new ``events.out.tfevents.*`` file.
    graph : Graph, default=None
        Written at once (TensorBoard's graph tab), as ``add_graph(graph)``.
    max_queue : int, default=10
        Events queued before a write to disk.
    flush_secs : float, default=120
        Flush pending events at least this often.
    graph_def : GraphDef, default=None
        A graph already converted (``graph`` is preferred).
    filename_suffix : str, default=None
        Appended to the event file's name.
    """

    def __init__(self, logdir, graph=None, max_queue=10, flush_secs=120, graph_def=None,
                 filename_suffix=None, session=None):
        self._logdir = os.fspath(logdir)
        self._args = (max_queue, flush_secs, filename_suffix or "")
        self._writer = _event_file_writer(self._logdir, *self._args)
        self._closed = False
        if graph is not None or graph_def is not None:
            self.add_graph(graph, graph_def=graph_def)

    def get_logdir(self):
        """The directory event files are written to."""
        return self._logdir

    def add_event(self, event):
        """Write an ``Event`` protobuf."""
        if self._closed:
            raise RuntimeError("FileWriter is closed (call reopen() to write again).")
        self._writer.add_event(event)

    def add_summary(self, summary, global_step=None):
        """Write a summary (serialized ``bytes`` from running a summary op, or a ``Summary``)."""
        if isinstance(summary, np.ndarray):
            summary = summary.item()
        if isinstance(summary, (bytes, bytearray)):
            summary = summary_pb2.Summary.FromString(bytes(summary))
        if not isinstance(summary, summary_pb2.Summary):
            raise TypeError(f"add_summary expects serialized summary bytes or a Summary, got "
                            f"{type(summary).__name__}")
        event = event_pb2.Event(wall_time=time.time(), summary=summary)
        if global_step is not None:
            event.step = int(global_step)
        self.add_event(event)

    def add_graph(self, graph, global_step=None, graph_def=None):
        """Write ``graph`` (a flow Graph) or ``graph_def`` for TensorBoard's graph tab."""
        if graph is not None:
            if not isinstance(graph, Graph):
                raise TypeError(f"add_graph expects a Graph, got {type(graph).__name__}")
            graph_def = graph_to_graph_def(graph)
        if graph_def is None:
            raise ValueError("add_graph needs a graph or a graph_def")
        if isinstance(graph_def, dict):  # Graph.as_graph_def()'s JSON form
            graph_def = _json_to_graph_def(graph_def)
        data = graph_def if isinstance(graph_def, bytes) else graph_def.SerializeToString()
        event = event_pb2.Event(wall_time=time.time(), graph_def=data)
        if global_step is not None:
            event.step = int(global_step)
        self.add_event(event)

    def add_session_log(self, session_log, global_step=None):
        """Write a ``SessionLog`` protobuf (START/STOP/CHECKPOINT)."""
        event = event_pb2.Event(wall_time=time.time(), session_log=session_log)
        if global_step is not None:
            event.step = int(global_step)
        self.add_event(event)

    def flush(self):
        """Write pending events to disk."""
        if not self._closed:
            self._writer.flush()

    def close(self):
        """Flush and close the event file (``reopen`` starts a new one)."""
        if not self._closed:
            self._writer.close()
            self._closed = True

    def reopen(self):
        """Open a new event file after ``close``."""
        if self._closed:
            self._writer = _event_file_writer(self._logdir, *self._args)
            self._closed = False

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


SummaryWriter = FileWriter
