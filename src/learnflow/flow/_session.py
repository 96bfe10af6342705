"""Sessions: run the parts of a graph that fetches need, holding variable values.

``Session.run`` turns each distinct (fetches, feeds) signature into an execution
plan once: the graph is pruned to what the fetches need, ordered
topologically, and every op becomes a kernel callable bound to its device;
constants are computed once per plan, and independent ops that can run as one
kernel (an optimizer's per-variable updates, see ``register_op(batch_factory=)``)
become one step. Each run is then a tight loop over that precomputed list, under
``torch.no_grad()`` (gradients are graph ops, never torch's autograd).

>>> import learnflow.flow as tf
>>> with tf.Graph().as_default():
...     x = tf.Variable(3, name="x"); y = tf.Variable(4, name="y")
...     f = x * x * y + y + 2
...     with tf.Session() as sess:
...         sess.run(tf.global_variables_initializer())
...         print(f.eval())
42
"""

# SPDX-License-Identifier: BSD-3-Clause

import threading

import numpy as np
import torch

from .. import _engine
from . import errors
from ._framework import dtypes as _dtypes
from ._framework.ops import DeviceSpec, Operation, Tensor, get_default_graph
from ._ops.control_flow_ops import DEAD

__all__ = ["ConfigProto", "GPUOptions", "InteractiveSession", "RunMetadata", "RunOptions",
           "Session", "get_default_session"]


# --- configuration objects -------------------------------------------------------------

class _Options:
    """An attribute bag accepting TensorFlow's protobuf fields as keywords."""

    _defaults = {}

    def __init__(self, **kwargs):
        for key, value in self._defaults.items():
            setattr(self, key, value() if callable(value) else value)
        for key, value in kwargs.items():
            setattr(self, key, value)

    def __repr__(self):
        return f"{type(self).__name__}({vars(self)})"


class GPUOptions(_Options):
    """GPU memory options (accepted; torch manages GPU memory itself)."""

    _defaults = {"per_process_gpu_memory_fraction": 1.0, "allow_growth": False,
                 "visible_device_list": ""}


class ConfigProto(_Options):
    """Session configuration: ``log_device_placement``, ``allow_soft_placement``, ..."""

    _defaults = {"log_device_placement": False, "allow_soft_placement": False,
                 "gpu_options": GPUOptions, "device_count": dict,
                 "inter_op_parallelism_threads": 0, "intra_op_parallelism_threads": 0,
                 "operation_timeout_in_ms": 0}


class RunOptions(_Options):
    """Per-run options (``timeout_in_ms``, ``trace_level``)."""

    _defaults = {"timeout_in_ms": 0, "trace_level": 0}
    NO_TRACE, SOFTWARE_TRACE, HARDWARE_TRACE, FULL_TRACE = 0, 1, 2, 3


class RunMetadata(_Options):
    """Filled by ``run``: ``step_stats`` lists the ops executed."""

    _defaults = {"step_stats": list}


# --- default session stack ---------------------------------------------------------------

class _DefaultSessionStack(threading.local):
    def __init__(self):
        self.stack = []


_default_session_stack = _DefaultSessionStack()


def get_default_session():
    """The innermost session entered with ``with`` / ``as_default()`` (or None)."""
    stack = _default_session_stack.stack
    return stack[-1] if stack else None


def _session_for(graph, session, what):
    if session is None:
        session = get_default_session()
        if session is None:
            raise ValueError(
                f"Cannot {what} using `eval()`/`run()`: No default session is registered. Use "
                "`with sess.as_default()` or pass an explicit session to `eval(session=sess)`")
    if session.graph is not graph:
        raise ValueError(f"Cannot use the given session to {what}: the element's graph is "
                         "different from the session's graph.")
    return session


def _eval_using_default_session(tensor, feed_dict, graph, session=None):
    return _session_for(graph, session, "evaluate tensor").run(tensor, feed_dict)


def _run_using_default_session(op, feed_dict, graph, session=None):
    _session_for(graph, session, "execute operation").run(op, feed_dict)


# --- fetch structures -------------------------------------------------------------------

def _flatten_fetches(fetches, graph, leaves):
    """Append the graph elements of ``fetches`` to ``leaves``; return a rebuild function."""
    if isinstance(fetches, dict):
        keys = list(fetches)
        builders = [_flatten_fetches(fetches[k], graph, leaves) for k in keys]
        kind = type(fetches)
        return lambda vals: kind((k, b(vals)) for k, b in zip(keys, builders))
    if isinstance(fetches, (list, tuple)):
        builders = [_flatten_fetches(f, graph, leaves) for f in fetches]
        if hasattr(fetches, "_fields"):
            kind = type(fetches)
            return lambda vals: kind(*[b(vals) for b in builders])
        kind = type(fetches) if isinstance(fetches, tuple) else list
        return lambda vals: kind(b(vals) for b in builders)
    if fetches is None:
        raise TypeError(f"Fetch argument {fetches!r} has invalid type {type(fetches)}, must be a "
                        "string or Tensor. (Can not convert a NoneType into a Tensor or Operation.)")
    try:
        element = graph.as_graph_element(fetches)
    except (TypeError, KeyError) as exc:
        raise TypeError(f"Fetch argument {fetches!r} cannot be interpreted as a Tensor. ({exc})")
    except ValueError as exc:
        raise ValueError(f"Fetch argument {fetches!r} cannot be interpreted as a Tensor. ({exc})")
    index = len(leaves)
    leaves.append(element)
    return lambda vals: vals[index]


def _to_numpy(value):
    if isinstance(value, torch.Tensor):
        if value.dtype is torch.bfloat16:
            value = value.float()
        arr = value.detach().cpu().numpy()
        if value.device.type == "cpu":
            arr = arr.copy()
        return arr[()] if arr.ndim == 0 else arr
    if value is DEAD:
        raise errors.InvalidArgumentError(
            None, None, "Retval does not have a value: the fetched tensor is in a branch of "
            "tf.cond that was not taken.")
    return value


# --- execution plans ----------------------------------------------------------------------

class _KernelContext:
    """What a kernel factory may use: the device, the session's state, the session, and
    ``used``, the set of tensors this execution plan consumes or fetches."""

    __slots__ = ("device", "state", "session", "used")

    def __init__(self, device, state, session, used=frozenset()):
        self.device, self.state, self.session, self.used = device, state, session, used


def _needed_ops(targets, fed):
    """Ops needed for ``targets`` in topological order (iterative DFS), stopping at feeds."""
    order, visited = [], set()
    for root in targets:
        if root in visited:
            continue
        stack = [(root, False)]
        while stack:
            op, expanded = stack.pop()
            if expanded:
                order.append(op)
                continue
            if op in visited:
                continue
            visited.add(op)
            stack.append((op, True))
            for dep in reversed(_dependencies(op, fed)):
                if dep not in visited:
                    stack.append((dep, False))
    return order


def _dependencies(op, fed):
    refs = op._op_def.ref_inputs
    deps = [t.op for i, t in enumerate(op._inputs) if i not in refs and t not in fed]
    deps += [c for c in op._control_inputs
             if not (c._outputs and all(t in fed for t in c._outputs))]  # fed: nothing to run
    if op._cond_ctx is not None:
        deps += [pred.op for pred, _ in op._cond_ctx.guards() if pred not in fed]
    return deps


class _Plan:
    """A pruned, ordered list of kernel calls for one (fetches, feeds) signature."""

    def __init__(self, session, fetches, feeds):
        self._session = session
        self._feeds = feeds
        fed = set(feeds)
        targets = [f.op if isinstance(f, Tensor) else f for f in fetches
                   if not (isinstance(f, Tensor) and f in fed)]
        ops = _needed_ops(targets, fed)
        self._used = {t for op in ops for t in op._inputs}.union(
            f for f in fetches if isinstance(f, Tensor))
        slots = {t: i for i, t in enumerate(feeds)}
        for op in ops:
            for t in op._outputs:
                if t not in slots:
                    slots[t] = len(slots)
        n_slots = len(slots) + 1
        trash = n_slots - 1
        self._template = [None] * n_slots
        self._steps, step_ops, self._ops = [], [], []
        for item in _fuse_batches(ops, session):
            if isinstance(item, list):
                step = self._make_batch_step(item, slots, fed, trash)
                self._steps.append(step)
                step_ops.append(item[0])
                self._ops.extend(item)
                continue
            op = item
            step = self._make_step(op, slots, fed, trash)
            if op._type == "Const" and op._cond_ctx is None:
                # constants are computed once per plan (their control inputs still run)
                self._template[step[2]] = step[0]()
                continue
            self._steps.append(step)
            step_ops.append(op)
            self._ops.append(op)
        self._step_ops = step_ops
        self._n_slots = n_slots
        self._feed_slots = list(range(len(feeds)))
        self._fetch_slots = [slots[f] if isinstance(f, Tensor) else trash for f in fetches]
        self._fetch_is_op = [isinstance(f, Operation) for f in fetches]

    def _make_step(self, op, slots, fed, trash):
        device = self._session._device_for(op)
        if getattr(self._session._config, "log_device_placement", False):
            kind = "GPU" if device.type == "cuda" else "CPU"
            print(f"{op.name}: ({op.type}): /job:localhost/replica:0/task:0/device:{kind}:"
                  f"{device.index or 0}")
        fn = op._op_def.make_kernel(op, _KernelContext(device, self._session._state,
                                                       self._session, self._used))
        refs = op._op_def.ref_inputs
        ins = [slots[t] for i, t in enumerate(op._inputs) if i not in refs]
        in_devices = {self._session._device_for(t.op) for i, t in enumerate(op._inputs)
                      if i not in refs and t not in fed}
        if in_devices - {device}:
            fn = _moving_inputs(fn, device)
        outs = [trash if t in fed else slots[t] for t in op._outputs]
        out = outs[0] if len(outs) == 1 else (outs if outs else trash)
        guard = None
        if op._cond_ctx is not None:
            guard = tuple((slots[p], b) for p, b in op._cond_ctx.guards())
        return fn, ins, out, guard, len(outs)

    def _make_batch_step(self, ops, slots, fed, trash):
        """One step running the independent ``ops`` (same type, one output each) together."""
        device = self._session._device_for(ops[0])
        fn = ops[0]._op_def.batch_factory(ops, _KernelContext(device, self._session._state,
                                                              self._session, self._used))
        ins, moved = [], False
        for op in ops:
            refs = op._op_def.ref_inputs
            for i, t in enumerate(op._inputs):
                if i not in refs:
                    ins.append(slots[t])
                    moved = moved or (t not in fed and self._session._device_for(t.op) != device)
        if moved:
            fn = _moving_inputs(fn, device)
        outs = [trash if op._outputs[0] in fed else slots[op._outputs[0]] for op in ops]
        return fn, ins, outs, None, len(outs)

    def run(self, feed_values):
        vals = self._template[:]
        vals[:len(feed_values)] = feed_values
        index = -1
        try:
            with torch.no_grad():  # gradients are graph ops: never record autograd history
                for index, (fn, ins, out, guard, n_out) in enumerate(self._steps):
                    if guard is not None and not _guard_passes(vals, guard):
                        result = DEAD if n_out <= 1 else [DEAD] * n_out
                    elif len(ins) == 1:
                        result = fn(vals[ins[0]])
                    elif len(ins) == 2:
                        result = fn(vals[ins[0]], vals[ins[1]])
                    else:
                        result = fn(*[vals[i] for i in ins])
                    if n_out == 1:
                        vals[out] = result
                    elif n_out:
                        for slot, value in zip(out, result):
                            vals[slot] = value
        except errors.OpError:
            raise
        except (RuntimeError, ValueError, IndexError, TypeError) as exc:
            op = self._step_ops[index]
            raise errors.InvalidArgumentError(
                None, op, f"{exc}\n\t [[Node: {op.name} = {op.type}]]") from exc
        return [vals[i] for i in self._fetch_slots]


def _fuse_batches(ops, session):
    """``ops`` with each group of batchable ops (see ``register_op(batch_factory=)``) as a list.

    A group gathers the ops of one type with equal attributes, outside ``cond``, on one
    device; its members run together at the position of the last one. A group is kept
    only if delaying each member there changes nothing: no op in between uses a
    member's output, has it as a control input, or reads or writes a variable the
    member writes.
    """
    candidates = {}
    for pos, op in enumerate(ops):
        if op._op_def.batch_factory is not None and op._cond_ctx is None and len(op._outputs) == 1:
            key = (op._type, _attrs_key(op), session._device_for(op))
            candidates.setdefault(key, []).append(pos)
    groups = {}
    for positions in candidates.values():
        if len(positions) > 1 and _can_delay(ops, positions):
            members = [ops[p] for p in positions]
            for op in members[:-1]:
                groups[op] = None
            groups[members[-1]] = members
    if not groups:
        return ops
    return [groups[op] if op in groups else op for op in ops if groups.get(op, True) is not None]


def _attrs_key(op):
    try:
        key = tuple(sorted(op._attrs.items()))
        hash(key)
        return key
    except TypeError:
        return id(op)  # unhashable attributes: never batched with another op


def _can_delay(ops, positions):
    members = {ops[p] for p in positions}
    pending, written, read = set(), set(), set()
    for op in ops[positions[0]:positions[-1] + 1]:
        refs = op._op_def.ref_inputs
        for i, t in enumerate(op._inputs):
            if t.op in pending or t.op in written or (i in refs and t.op in read):
                return False
        if any(c in pending for c in op._control_inputs):
            return False
        if op in members:
            pending.add(op)
            for i, t in enumerate(op._inputs):
                (written if i in refs else read).add(t.op)
    return True


def _guard_passes(vals, guard):
    for slot, branch in guard:
        value = vals[slot]
        if value is DEAD or bool(value) != branch:
            return False
    return True


def _moving_inputs(fn, device):
    def run(*xs):
        return fn(*[x.to(device) if isinstance(x, torch.Tensor) else x for x in xs])
    return run


# --- sessions ---------------------------------------------------------------------------

class BaseSession:
    """Shared implementation of :class:`Session` and :class:`InteractiveSession`."""

    def __init__(self, target="", graph=None, config=None):
        self._graph = get_default_graph() if graph is None else graph
        self._config = config if config is not None else ConfigProto()
        self._target = target
        self._device = _engine.get_device()
        self._state = {}
        self._plans = {}
        self._closed = False
        self._default_ctx = []
        self._device_cache = {}

    graph = property(lambda self: self._graph)
    sess_str = property(lambda self: self._target)

    # -- devices --
    def _device_for(self, op):
        spec = op._device
        if spec in self._device_cache:
            return self._device_cache[spec]
        device = self._resolve_device(op, spec)
        self._device_cache[spec] = device
        return device

    def _resolve_device(self, op, spec):
        if not spec:
            return self._device
        parsed = DeviceSpec.from_string(spec)
        if parsed.device_type == "GPU":
            if torch.cuda.is_available():
                index = parsed.device_index or 0
                if index < torch.cuda.device_count():
                    return torch.device("cuda", index)
            if not getattr(self._config, "allow_soft_placement", False):
                raise errors.InvalidArgumentError(
                    None, op, f"Cannot assign a device for operation '{op.name}': Operation was "
                    f"explicitly assigned to {spec} but available devices are "
                    "[ /job:localhost/replica:0/task:0/device:CPU:0 ]. Make sure the device "
                    "specification refers to a valid device (or use allow_soft_placement).")
            return torch.device("cpu")
        if parsed.device_type == "CPU":
            return torch.device("cpu")
        return self._device

    # -- running --
    def run(self, fetches, feed_dict=None, options=None, run_metadata=None):
        """Run the ops and evaluate the tensors in ``fetches`` (nested lists/tuples/dicts)."""
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session.")
        leaves = []
        rebuild = _flatten_fetches(fetches, self._graph, leaves)
        feed_tensors, feed_values = self._prepare_feeds(feed_dict)
        key = (tuple(leaves), tuple(feed_tensors))
        plan = self._plans.get(key)
        if plan is None:
            plan = _Plan(self, leaves, feed_tensors)
            self._plans[key] = plan
        raw = plan.run(feed_values)
        if run_metadata is not None:
            run_metadata.step_stats = [op.name for op in plan._ops]
        values = [None if is_op else _to_numpy(v) for v, is_op in zip(raw, plan._fetch_is_op)]
        return rebuild(values)

    def _prepare_feeds(self, feed_dict):
        if not feed_dict:
            return [], []
        tensors, values = [], []
        for key, value in feed_dict.items():
            try:
                tensor = self._graph.as_graph_element(key, allow_operation=False)
            except (TypeError, KeyError, ValueError) as exc:
                raise TypeError(f"Cannot interpret feed_dict key as Tensor: {exc}") from None
            if not isinstance(tensor, Tensor):
                raise TypeError(f"Cannot interpret feed_dict key as Tensor: {key!r}")
            tensors.append(tensor)
            values.append(_convert_feed(tensor, value, self._device_for(tensor.op)))
        return tensors, values

    # -- lifetime --
    def close(self):
        """Free the session's variable values; later runs raise RuntimeError."""
        self._closed = True
        self._state.clear()
        self._plans.clear()

    def as_default(self):
        """Context manager making this session the default one."""
        return _SessionDefault(self)

    def __enter__(self):
        self._graph_ctx = self._graph.as_default()
        self._graph_ctx.__enter__()
        _default_session_stack.stack.append(self)
        return self

    def __exit__(self, exc_type, exc, tb):
        if self in _default_session_stack.stack:
            _default_session_stack.stack.remove(self)
        self._graph_ctx.__exit__(exc_type, exc, tb)
        self.close()

    def list_devices(self):
        names = ["/job:localhost/replica:0/task:0/device:CPU:0"]
        for i in range(torch.cuda.device_count() if torch.cuda.is_available() else 0):
            names.append(f"/job:localhost/replica:0/task:0/device:GPU:{i}")
        return names


class _SessionDefault:
    def __init__(self, session):
        self._session = session

    def __enter__(self):
        _default_session_stack.stack.append(self._session)
        self._graph_ctx = self._session.graph.as_default()
        self._graph_ctx.__enter__()
        return self._session

    def __exit__(self, *exc):
        self._graph_ctx.__exit__(*exc)
        if self._session in _default_session_stack.stack:
            _default_session_stack.stack.remove(self._session)


class Session(BaseSession):
    """A session running ops of ``graph`` (default graph) on learnflow's configured device.

    Parameters
    ----------
    target : str, default=""
        Accepted for compatibility (local execution).
    graph : Graph, default=None
    config : ConfigProto, default=None
        ``log_device_placement`` prints where each op runs; ``allow_soft_placement``
        places ``/gpu:N`` ops on the CPU when no GPU is available.
    """


class InteractiveSession(BaseSession):
    """A session that makes itself the default when created (close it yourself)."""

    def __init__(self, target="", graph=None, config=None):
        super().__init__(target, graph, config)
        self._ctx = self.as_default()
        self._ctx.__enter__()

    def close(self):
        if getattr(self, "_ctx", None) is not None:
            self._ctx.__exit__(None, None, None)
            self._ctx = None
        super().close()


# --- feeds -------------------------------------------------------------------------------

def _shape_str(shape):
    if shape.ndims is None:
        return "<unknown>"
    return "(" + ", ".join("?" if d is None else str(d) for d in shape.as_list()) + (
        ",)" if shape.ndims == 1 else ")")


def _convert_feed(tensor, value, device):
    dtype = tensor.dtype
    if dtype is _dtypes.string:
        return np.asarray(value, dtype=object)
    if isinstance(value, torch.Tensor):
        result = value.detach().to(device=device, dtype=dtype.as_torch_dtype)
        shape = tuple(result.shape)
    else:
        arr = np.asarray(value)
        if arr.dtype.kind in "SUO" or (arr.dtype.kind in "fc" and (dtype.is_integer or dtype.is_bool)):
            raise errors.InvalidArgumentError(
                None, tensor.op, f"Cannot feed a value of dtype {arr.dtype} to Tensor "
                f"'{tensor.name}' of dtype {dtype.name}")
        arr = arr.astype(dtype.as_numpy_dtype, copy=False)
        shape = arr.shape
        result = torch.from_numpy(np.require(arr, requirements="C")).to(device)
        if dtype is _dtypes.bfloat16:
            result = result.to(torch.bfloat16)
    static = tensor.get_shape()
    if not static.is_compatible_with(shape):
        raise errors.InvalidArgumentError(
            None, tensor.op, f"Cannot feed value of shape {shape} for Tensor '{tensor.name}', "
            f"which has shape '{_shape_str(static)}'")
    return result
