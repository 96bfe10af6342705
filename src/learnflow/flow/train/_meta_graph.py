"""Meta graphs: a graph, its collections and its Saver, as JSON (never pickle).

``export_meta_graph`` writes a JSON object::

    {"format": "learnflow-meta-graph", "version": 1,
     "graph_def": {"node": [...], "cond_contexts": [...], "seed": ...},
     "collection_def": {"variables": [...], "train_op": [...], ...},
     "saver_def": {...} or null}

Each node records its name, type, inputs (``"op:index"``; control inputs as
``"^op"``), device, output dtypes and static shapes and its attributes, encoded
as tagged JSON values: numpy arrays (dtype, shape and base64 bytes), ``DType`` by
name, ``TensorShape`` as a list (``null`` for unknown), tuples, slices, Ellipsis,
references to other tensors and operations of the graph. Control flow is kept
structurally: each ``tf.cond`` branch context is a record (predicate tensor,
branch, outer context) that the ops inside it refer to, and each ``while_loop``
body is a function graph stored once (its ops, outer graph and captured
tensors) that the ``While``/``FunctionCall`` ops refer to, so an imported graph
runs and differentiates through ``cond`` and ``while_loop`` as the original does. Collections hold
variables, tensors, operations and plain values (strings, numbers); other
Python objects in collections are skipped with a warning.

Not supported (``export_meta_graph`` raises ``UnexportableGraphError``, a
``ValueError``, naming the op; ``Saver.save`` then warns and writes the
checkpoint without its ``.meta`` file): ``py_func``, ``tf.print`` and
``report_uninitialized_variables`` (``PyFunc`` holds a Python callable, which a
safe format cannot store), and attributes holding other Python objects.

``import_meta_graph`` rebuilds every op through the op registry (kernels, shape
functions and gradients are the registered ones) and returns a ``Saver`` bound
to the imported graph, so the book's::

    saver = tf.train.import_meta_graph("model.ckpt.meta")
    saver.restore(sess, "model.ckpt")

works, and training can continue.
"""

# SPDX-License-Identifier: BSD-3-Clause

import base64
import json
import math
import os
import warnings

import numpy as np
import torch

from ..._persistence import atomic_write
from .._framework import dtypes as _dtypes
from .._framework.ops import GraphKeys, Operation, Tensor, get_default_graph
from .._framework.registry import get_op_def
from .._framework.tensor_shape import TensorShape, as_shape
from .._ops.control_flow_ops import CondContext, _OuterContext
from .._ops.while_ops import FuncGraph
from ..summary._writer import SummaryWriter  # tf.train.SummaryWriter (TensorFlow < 1.0)

__all__ = ["SummaryWriter", "export_meta_graph", "import_meta_graph"]

_FORMAT = "learnflow-meta-graph"
_VERSION = 1
_UNSUPPORTED = {
    "PyFunc": "py_func holds a Python callable, which the safe (no pickle) format cannot store",
}


class UnexportableGraphError(ValueError):
    """The graph holds an op that a meta graph cannot store (its message names the op)."""


# --- attribute encoding -------------------------------------------------------------------

class _AttrEncoder:
    """Turns attribute values into tagged JSON values (graph references by name)."""

    def __init__(self, op, state):
        self._op = op
        self._state = state

    def encode(self, value, attr):
        if value is None or isinstance(value, (bool, str)):
            return value
        if isinstance(value, int):
            return value
        if isinstance(value, float):
            return value if math.isfinite(value) else {"__float__": repr(value)}
        if isinstance(value, list):
            return [self.encode(v, attr) for v in value]
        if isinstance(value, tuple):
            return {"__tuple__": [self.encode(v, attr) for v in value]}
        if isinstance(value, dict):
            return {"__dict__": [[self.encode(k, attr), self.encode(v, attr)]
                                 for k, v in value.items()]}
        return self._encode_object(value, attr)

    def _encode_object(self, value, attr):
        if isinstance(value, bytes):
            return {"__bytes__": base64.b64encode(value).decode("ascii")}
        if isinstance(value, _dtypes.DType):
            return {"__dtype__": value.name}
        if isinstance(value, TensorShape):
            return {"__shape__": value.as_list() if value.ndims is not None else None}
        if isinstance(value, slice):
            return {"__slice__": [self.encode(v, attr) for v in (value.start, value.stop,
                                                                  value.step)]}
        if value is Ellipsis:
            return {"__ellipsis__": True}
        if isinstance(value, np.ndarray):
            return _encode_array(value)
        if isinstance(value, np.generic):
            return {"__npscalar__": value.dtype.str, "value": self.encode(value.item(), attr)}
        if isinstance(value, np.dtype):
            return {"__npdtype__": value.str}
        if isinstance(value, torch.Tensor):
            return {"__torch__": _encode_array(_torch_to_numpy(value)),
                    "dtype": str(value.dtype).replace("torch.", "")}
        if isinstance(value, torch.dtype):
            return {"__torchdtype__": str(value).replace("torch.", "")}
        if isinstance(value, Tensor):
            return {"__tensor__": self._state.name(value), "graph": self._state.gid(value.graph)}
        if isinstance(value, Operation):
            return {"__op__": self._state.name(value), "graph": self._state.gid(value.graph)}
        if isinstance(value, CondContext):
            return {"__cond__": self._state.context_id(value)}
        if isinstance(value, FuncGraph):
            return {"__funcgraph__": self._state.gid(value)}
        raise UnexportableGraphError(
            f"Cannot export operation {self._op.name!r} (type {self._op.type}): its attr "
            f"{attr!r} holds a {type(value).__name__}, which learnflow meta graphs cannot "
            "store safely.")


def _torch_to_numpy(tensor):
    tensor = tensor.detach().cpu()
    return (tensor.float() if tensor.dtype is torch.bfloat16 else tensor).numpy()


def _encode_array(arr):
    if arr.dtype.kind == "O" or arr.dtype.kind in "SU":
        items = [{"__bytes__": base64.b64encode(v).decode("ascii")} if isinstance(v, bytes)
                 else str(v) for v in arr.ravel().tolist()]
        return {"__strarray__": items, "shape": list(arr.shape)}
    if arr.dtype.kind not in "biufc":
        raise ValueError(f"Cannot export an array of dtype {arr.dtype}")
    data = np.ascontiguousarray(arr).tobytes()
    return {"__ndarray__": base64.b64encode(data).decode("ascii"), "dtype": arr.dtype.str,
            "shape": list(arr.shape)}


def _decode_array(data):
    dtype = np.dtype(data["dtype"])
    if dtype.kind not in "biufc" or dtype.hasobject:
        raise ValueError(f"Corrupt meta graph: array dtype {dtype} is not allowed")
    raw = base64.b64decode(data["__ndarray__"], validate=True)
    shape = [int(d) for d in data["shape"]]
    return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()


class _AttrDecoder:
    """Rebuilds attribute values (no code runs: only the tags below are understood)."""

    def __init__(self, state):
        self._state = state

    def decode(self, data):
        if isinstance(data, list):
            return [self.decode(v) for v in data]
        if not isinstance(data, dict):
            return data
        if len(data) == 0:
            raise ValueError("Corrupt meta graph: empty attribute object")
        tag = next(iter(data))
        method = getattr(self, "_" + tag.strip("_"), None) if tag.startswith("__") else None
        if method is None:
            raise ValueError(f"Corrupt meta graph: unknown attribute entry {tag!r}")
        return method(data[tag], data)

    def _float(self, payload, data):
        return float(payload)

    def _tuple(self, payload, data):
        return tuple(self.decode(v) for v in payload)

    def _dict(self, payload, data):
        return {_hashable(self.decode(k)): self.decode(v) for k, v in payload}

    def _bytes(self, payload, data):
        return base64.b64decode(payload, validate=True)

    def _dtype(self, payload, data):
        return _dtypes.as_dtype(payload)

    def _shape(self, payload, data):
        return as_shape(payload)

    def _slice(self, payload, data):
        return slice(*(self.decode(v) for v in payload))

    def _ellipsis(self, payload, data):
        return Ellipsis

    def _ndarray(self, payload, data):
        return _decode_array(data)

    def _strarray(self, payload, data):
        items = [self.decode(v) for v in payload]
        arr = np.empty(len(items), dtype=object)
        arr[:] = items
        return arr.reshape([int(d) for d in data["shape"]])

    def _npscalar(self, payload, data):
        dtype = np.dtype(payload)
        if dtype.hasobject:
            raise ValueError("Corrupt meta graph: object scalar")
        return dtype.type(self.decode(data["value"]))

    def _npdtype(self, payload, data):
        dtype = np.dtype(payload)
        if dtype.hasobject:
            raise ValueError("Corrupt meta graph: object dtype")
        return dtype

    def _torch(self, payload, data):
        return torch.from_numpy(_decode_array(payload)).to(getattr(torch, data["dtype"]))

    def _torchdtype(self, payload, data):
        dtype = getattr(torch, str(payload), None)
        if not isinstance(dtype, torch.dtype):
            raise ValueError(f"Corrupt meta graph: unknown torch dtype {payload!r}")
        return dtype

    def _tensor(self, payload, data):
        return self._state.tensor(payload, data.get("graph"))

    def _op(self, payload, data):
        return self._state.operation(payload, data.get("graph"))

    def _cond(self, payload, data):
        return self._state.context(payload)

    def _funcgraph(self, payload, data):
        return self._state.graph(payload)


def _hashable(key):
    return tuple(_hashable(k) for k in key) if isinstance(key, list) else key


# --- export ---------------------------------------------------------------------------------

class _ExportState:
    """Numbers the cond contexts and function graphs (while_loop bodies) met while exporting.

    The exported graph has graph id None; each ``FuncGraph`` is stored once in
    ``function_graphs`` (its ops, outer graph and captures) and referred to by index.
    """

    def __init__(self, graph, clear_devices, export_scope):
        self.main, self.clear_devices = graph, clear_devices
        self.strip = _stripper(export_scope)
        self.export_scope = export_scope
        self.contexts, self._context_ids = [], {}
        self.functions, self._function_ids = [], {}

    def gid(self, graph):
        if graph is self.main:
            return None
        if not isinstance(graph, FuncGraph):
            raise UnexportableGraphError(f"Cannot export a reference to another graph {graph!r}")
        if graph not in self._function_ids:
            self._function_ids[graph] = len(self.functions)
            record = {"name": graph.name, "seed": graph.seed}
            self.functions.append(record)
            record["outer"] = self.gid(graph.outer_graph)
            record["node"] = self.nodes(graph)
            record["captures"] = [[self.name(outer), self.gid(outer.graph), inner.name]
                                  for outer, inner in graph.captures.items()]
        return self._function_ids[graph]

    def name(self, element):
        return self.strip(element.name) if element.graph is self.main else element.name

    def context_id(self, ctx):
        if ctx is None:
            return None
        if ctx not in self._context_ids:
            outer = self.context_id(ctx.outer)
            self._context_ids[ctx] = len(self.contexts)
            self.contexts.append({"pred": self.name(ctx.pred), "graph": self.gid(ctx.pred.graph),
                                  "branch": bool(ctx.branch), "outer": outer})
        return self._context_ids[ctx]

    def nodes(self, graph):
        out = []
        for op in graph.get_operations():
            if graph is self.main and self.export_scope and not op.name.startswith(
                    self.export_scope + "/"):
                continue
            if op.type in _UNSUPPORTED:
                raise UnexportableGraphError(
                    f"Cannot export operation {op.name!r} (type {op.type}) to a meta graph: "
                    f"{_UNSUPPORTED[op.type]}.")
            out.append(self.node(op))
        return out

    def node(self, op):
        encoder = _AttrEncoder(op, self)
        node = {"name": self.name(op), "op": op.type,
                "input": [self.name(t) for t in op.inputs]
                + ["^" + self.name(c) for c in op.control_inputs],
                "device": "" if self.clear_devices else op.device,
                "output_dtypes": [t.dtype.name for t in op.outputs],
                "output_shapes": [t.get_shape().as_list() if t.get_shape().ndims is not None
                                  else None for t in op.outputs],
                "attr": {k: encoder.encode(v, k) for k, v in op.attrs.items()}}
        if op._cond_ctx is not None:
            node["cond_context"] = self.context_id(op._cond_ctx)
        override = getattr(op, "_gradient_override", None)
        if override:
            node["gradient_override"] = override
        return node


def _graph_def(graph, clear_devices=False, export_scope=None):
    state = _ExportState(graph, clear_devices, export_scope)
    nodes = state.nodes(graph)
    return {"node": nodes, "cond_contexts": state.contexts, "function_graphs": state.functions,
            "seed": graph.seed, "versions": {"producer": _VERSION}}


def _stripper(export_scope):
    if not export_scope:
        return lambda name: name
    prefix = export_scope + "/"

    def strip(name):
        if not name.startswith(prefix):
            raise ValueError(f"Cannot export scope {export_scope!r}: {name!r} lies outside it.")
        return name[len(prefix):]
    return strip


def _encode_collection_item(item, strip):
    from .._variables import Variable

    if isinstance(item, Variable):
        return {"variable": strip(item.name), "initial_value": strip(item.initial_value.name),
                "initializer": strip(item.initializer.name), "trainable": bool(item.trainable)}
    if isinstance(item, Tensor):
        return {"tensor": strip(item.name)}
    if isinstance(item, Operation):
        return {"operation": strip(item.name)}
    if item is None or isinstance(item, (bool, int, float, str)):
        return {"value": item}
    return None


def _collection_def(graph, collection_list, export_scope):
    strip = _stripper(export_scope)
    keys = graph.get_all_collection_keys() if collection_list is None else collection_list
    out = {}
    for key in keys:
        items = []
        for item in graph.get_collection(key):
            try:
                encoded = _encode_collection_item(item, strip)
            except ValueError:
                continue  # outside export_scope
            if encoded is None:
                warnings.warn(f"Issue encountered when serializing {key}: a "
                              f"{type(item).__name__} is not a variable, tensor, operation or "
                              "plain value; it is left out of the meta graph.", stacklevel=3)
                continue
            items.append(encoded)
        if items:
            out[str(key)] = items
    return out


def export_meta_graph(filename=None, meta_info_def=None, graph_def=None, saver_def=None,
                      collection_list=None, as_text=False, graph=None, export_scope=None,
                      clear_devices=False, clear_extraneous_savers=False,
                      strip_default_attrs=False, saver=None, **kwargs):
    """Serialise ``graph`` (default graph), its collections and a Saver as JSON.

    Parameters
    ----------
    filename : str, default=None
        Write the meta graph there (atomically) when given.
    collection_list : list of str, default=None
        Collections to export (all when None).
    as_text : bool, default=False
        Indent the JSON (it is always text).
    graph : Graph, default=None
    export_scope : str, default=None
        Export only ops under this name scope, with the scope stripped from names.
    clear_devices : bool, default=False
        Drop device assignments.
    saver : Saver, default=None
        Include this saver (``Saver.export_meta_graph`` passes itself).

    Returns
    -------
    meta_graph : dict
        The JSON-able meta graph (also what :func:`import_meta_graph` accepts).
    """
    graph = get_default_graph() if graph is None else graph
    if saver_def is None and saver is not None:
        saver_def = saver.as_saver_def()
    meta = {"format": _FORMAT, "version": _VERSION,
            "meta_info_def": dict(meta_info_def or {}, tags=[]),
            "graph_def": graph_def if graph_def is not None
            else _graph_def(graph, clear_devices, export_scope),
            "collection_def": _collection_def(graph, collection_list, export_scope),
            "saver_def": saver_def if not export_scope else None}
    if filename is not None:
        text = json.dumps(meta, indent=1 if as_text else None)

        def write(tmp):
            with open(tmp, "w", encoding="utf-8") as handle:
                handle.write(text)

        atomic_write(os.fspath(filename), write)
    return meta


def as_graph_def(graph=None):
    """The JSON-able ``graph_def`` part of a meta graph (``Graph.as_graph_def``)."""
    return _graph_def(get_default_graph() if graph is None else graph)


# --- import -------------------------------------------------------------------------------

def _read_meta(meta_graph_or_file):
    if isinstance(meta_graph_or_file, dict):
        meta = meta_graph_or_file
    else:
        path = os.fspath(meta_graph_or_file)
        try:
            with open(path, encoding="utf-8") as handle:
                meta = json.load(handle)
        except (ValueError, UnicodeDecodeError) as exc:
            raise ValueError(f"{path} is not a learnflow meta graph (invalid JSON: "
                             f"{exc}).") from exc
    if not isinstance(meta, dict) or meta.get("format") != _FORMAT:
        raise ValueError("not a learnflow meta graph (missing format 'learnflow-meta-graph').")
    if int(meta.get("version", 0)) > _VERSION:
        raise ValueError(f"The meta graph was written by a newer learnflow (version "
                         f"{meta['version']}).")
    return meta


class _ImportState:
    """Rebuilds ops into the default graph (graph id None) and into function graphs."""

    def __init__(self, graph, graph_def, import_scope, clear_devices):
        self.main = graph
        self.prefix = import_scope + "/" if import_scope else ""
        self.clear_devices = clear_devices
        self._context_records = graph_def.get("cond_contexts", [])
        self._function_records = graph_def.get("function_graphs", [])
        self._contexts, self._functions = {}, {}
        self.decoder = _AttrDecoder(self)

    def rename(self, name):
        return self.prefix + name

    # -- references --
    def graph(self, gid):
        if gid is None:
            return self.main
        if gid not in self._functions:
            record = self._function_records[gid]
            function = FuncGraph(self.graph(record["outer"]), record["name"])
            function.seed = record.get("seed")
            self._functions[gid] = function
            self.run(function, record["node"])
            for outer, outer_gid, inner in record["captures"]:
                function.captures[self.tensor(outer, outer_gid)] = \
                    function.get_tensor_by_name(inner)
        return self._functions[gid]

    def _full(self, name, gid):
        return self.rename(name) if gid is None else name

    def tensor(self, name, gid=None):
        return self.graph(gid).get_tensor_by_name(self._full(name, gid))

    def operation(self, name, gid=None):
        return self.graph(gid).get_operation_by_name(self._full(name, gid))

    def context(self, index):
        if index is None:
            return None
        if index not in self._contexts:
            record = self._context_records[index]
            outer = self.context(record["outer"])
            pred = self.tensor(record["pred"], record.get("graph"))
            self._contexts[index] = CondContext(pred, bool(record["branch"]), outer)
        return self._contexts[index]

    # -- ops --
    def run(self, graph, nodes):
        gid = None if graph is self.main else next(
            k for k, g in self._functions.items() if g is graph)
        with graph.as_default(), graph.control_dependencies(None), _OuterContext(graph, None):
            saved, graph._name_stack = graph._name_stack, ""
            try:
                for node in nodes:
                    self._node(graph, gid, node)
                for node in nodes:  # the name scopes of imported ops count as used
                    parts = self._full(node["name"], gid).split("/")
                    for i in range(1, len(parts)):
                        graph._names_in_use.setdefault("/".join(parts[:i]).lower(), 1)
            finally:
                graph._name_stack = saved

    def _node(self, graph, gid, node):
        name = self._full(node["name"], gid)
        try:
            get_op_def(node["op"])
        except LookupError:
            raise ValueError(f"Cannot import op {name!r}: op type {node['op']!r} is not "
                             "registered.") from None
        if graph.unique_name(name) != name:
            raise ValueError(f"Cannot import op {name!r}: the graph already has an op of that "
                             "name (use import_scope).")
        inputs, controls = [], []
        for ref in node["input"]:
            if ref.startswith("^"):
                controls.append(self.operation(ref[1:], gid))
            else:
                inputs.append(self.tensor(ref, gid))
        attrs = {k: self.decoder.decode(v) for k, v in node["attr"].items()}
        dtypes = [_dtypes.as_dtype(d) for d in node["output_dtypes"]]
        op = graph.create_op(node["op"], inputs, dtypes=dtypes, name=name + "/", attrs=attrs,
                             control_inputs=controls)
        for tensor, shape in zip(op.outputs, node["output_shapes"]):
            tensor._shape = as_shape(shape)
        op._set_device("" if self.clear_devices else node.get("device", ""))
        if node.get("gradient_override"):
            op._gradient_override = node["gradient_override"]
        ctx = self.context(node.get("cond_context"))
        if ctx is not None:
            op._cond_ctx = ctx
            if op.type == "CondInput":
                ctx._captured[op.inputs[0]] = op.outputs[0]


def _import_collections(graph, collection_def, rename):
    from .._variable_scope import _store
    from .._variables import Variable

    variables = {}

    def variable(item):
        key = rename(item["variable"])
        if key not in variables:
            var = Variable.__new__(Variable)
            var._variable = graph.get_tensor_by_name(key)
            var._initial_value = graph.get_tensor_by_name(rename(item["initial_value"]))
            var._initializer_op = graph.get_operation_by_name(rename(item["initializer"]))
            var._trainable, var._constraint = bool(item["trainable"]), None
            variables[key] = var
            _store(graph).vars.setdefault(var.op.name, var)
        return variables[key]

    for key, items in collection_def.items():
        for item in items:
            if "variable" in item:
                value = variable(item)
            elif "tensor" in item:
                value = graph.get_tensor_by_name(rename(item["tensor"]))
            elif "operation" in item:
                value = graph.get_operation_by_name(rename(item["operation"]))
            else:
                value = item.get("value")
            graph.add_to_collection(key, value)


def _rename_saver_def(saver_def, rename, graph):
    out = dict(saver_def)
    out["variables"] = {k: rename(v) for k, v in saver_def["variables"].items()}
    out["feeds"] = {k: rename(v) for k, v in saver_def["feeds"].items()}
    out["restore_op"] = rename(saver_def["restore_op"])
    out["graph"] = graph
    return out


def import_meta_graph(meta_graph_or_file, clear_devices=False, import_scope=None, **kwargs):
    """Rebuild a meta graph into the default graph; return its ``Saver`` (None if no variables).

    Parameters
    ----------
    meta_graph_or_file : str, path-like or dict
        A ``.meta`` file written by ``export_meta_graph`` / ``Saver.save``, or its dict.
    clear_devices : bool, default=False
        Drop the ops' device assignments.
    import_scope : str, default=None
        Prefix every imported name with ``import_scope/``.

    Raises
    ------
    ValueError
        For a file that is not a learnflow meta graph, an unknown op type or a
        name already used in the graph.
    """
    from ._saver import Saver

    meta = _read_meta(meta_graph_or_file)
    graph = get_default_graph()
    importer = _ImportState(graph, meta["graph_def"], import_scope, clear_devices)
    importer.run(graph, meta["graph_def"]["node"])
    if graph.seed is None and meta["graph_def"].get("seed") is not None:
        graph.seed = meta["graph_def"]["seed"]
    _import_collections(graph, meta.get("collection_def", {}), importer.rename)
    if meta.get("saver_def"):
        return Saver(saver_def=_rename_saver_def(meta["saver_def"], importer.rename, graph))
    prefix = importer.prefix
    variables = [v for v in graph.get_collection(GraphKeys.GLOBAL_VARIABLES)
                 if v.op.name.startswith(prefix)]
    return Saver(variables) if variables else None
