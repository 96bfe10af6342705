"""Graphs, operations and tensors: the construction phase of flow.

>>> import learnflow.flow as tf
>>> g = tf.Graph()
>>> with g.as_default():
...     a = tf.constant(1.0, name="a")
...     b = tf.constant(2.0, name="a")
>>> a.name, b.name
('a:0', 'a_1:0')
"""

# SPDX-License-Identifier: BSD-3-Clause

import contextlib
import re
import threading

import numpy as np

from . import dtypes as _dtypes
from .registry import get_op_def
from .tensor_shape import TensorShape, as_shape

__all__ = [
    "DeviceSpec",
    "Graph",
    "GraphKeys",
    "Operation",
    "Tensor",
    "control_dependencies",
    "convert_to_tensor",
    "device",
    "get_default_graph",
    "name_scope",
    "reset_default_graph",
]


class GraphKeys:
    """Standard collection names."""

    GLOBAL_VARIABLES = "variables"
    LOCAL_VARIABLES = "local_variables"
    MODEL_VARIABLES = "model_variables"
    TRAINABLE_VARIABLES = "trainable_variables"
    SUMMARIES = "summaries"
    QUEUE_RUNNERS = "queue_runners"
    TABLE_INITIALIZERS = "table_initializer"
    ASSET_FILEPATHS = "asset_filepaths"
    MOVING_AVERAGE_VARIABLES = "moving_average_variables"
    REGULARIZATION_LOSSES = "regularization_losses"
    CONCATENATED_VARIABLES = "concatenated_variables"
    SAVERS = "savers"
    WEIGHTS = "weights"
    BIASES = "biases"
    ACTIVATIONS = "activations"
    UPDATE_OPS = "update_ops"
    LOSSES = "losses"
    TRAIN_OP = "train_op"
    INIT_OP = "init_op"
    LOCAL_INIT_OP = "local_init_op"
    READY_OP = "ready_op"
    GLOBAL_STEP = "global_step"
    VARIABLES = GLOBAL_VARIABLES


# ---------------------------------------------------------------------------
# Tensor
# ---------------------------------------------------------------------------


class Tensor:
    """One output of an ``Operation``: a symbolic handle with a dtype and a static shape.

    TF1 semantics: ``==`` is identity (use ``tf.equal``); ``<``, ``>`` ... build ops.
    """

    __array_priority__ = 100

    def __init__(self, op, value_index, dtype, shape):
        self._op = op
        self._value_index = value_index
        self._dtype = _dtypes.as_dtype(dtype)
        self._shape = as_shape(shape)
        self._consumers = []

    op = property(lambda self: self._op)
    graph = property(lambda self: self._op.graph)
    dtype = property(lambda self: self._dtype)
    value_index = property(lambda self: self._value_index)
    device = property(lambda self: self._op.device)
    shape = property(lambda self: self._shape)

    @property
    def name(self):
        return f"{self._op.name}:{self._value_index}"

    def get_shape(self):
        """The static (possibly partial) shape."""
        return self._shape

    def set_shape(self, shape):
        """Refine the static shape; ValueError if incompatible."""
        self._shape = self._shape.merge_with(shape)

    def consumers(self):
        return list(self._consumers)

    def eval(self, feed_dict=None, session=None):
        """Run this tensor in ``session`` (default: the default session)."""
        from .._session import _eval_using_default_session

        return _eval_using_default_session(self, feed_dict, self.graph, session)

    def _as_graph_element(self):
        return self

    def __repr__(self):
        return f"<tf.Tensor '{self.name}' shape={self._shape} dtype={self._dtype.name}>"

    __str__ = __repr__

    def __hash__(self):
        return id(self)

    def __eq__(self, other):
        return self is other

    def __ne__(self, other):
        return self is not other

    def __bool__(self):
        raise TypeError(
            "Using a tf.Tensor as a Python `bool` is not allowed. Use `if t is not None:` "
            "to test for None, or tf.cond to branch on a tensor's value."
        )

    def __len__(self):
        dims = self._shape.dims
        if dims is None or dims[0].value is None:
            raise TypeError(f"len is not well defined for tensor {self.name} of shape {self._shape}")
        return dims[0].value

    def __iter__(self):
        n = len(self) if self._shape.dims else None
        if n is None:
            raise TypeError("Tensor objects are only iterable when the first dimension is known.")
        for i in range(n):
            yield self[i]

    @classmethod
    def _override_operator(cls, operator, func):
        setattr(cls, operator, func)


# ---------------------------------------------------------------------------
# Operation
# ---------------------------------------------------------------------------


class Operation:
    """A node of the graph: type, unique name, inputs, outputs, attrs, device, control inputs."""

    def __init__(self, graph, op_type, name, inputs, output_dtypes, attrs, control_inputs, device):
        self._graph = graph
        self._type = op_type
        self._name = name
        self._inputs = list(inputs)
        self._attrs = dict(attrs or {})
        self._control_inputs = list(control_inputs)
        self._device = device or ""
        self._id = graph._next_id()
        self._cond_ctx = graph._cond_ctx
        self._op_def = get_op_def(op_type)
        self._outputs = [Tensor(self, i, dt, None) for i, dt in enumerate(output_dtypes)]
        for t in self._inputs:
            t._consumers.append(self)

    name = property(lambda self: self._name)
    type = property(lambda self: self._type)
    graph = property(lambda self: self._graph)
    inputs = property(lambda self: list(self._inputs))
    outputs = property(lambda self: list(self._outputs))
    control_inputs = property(lambda self: list(self._control_inputs))
    device = property(lambda self: self._device)
    attrs = property(lambda self: dict(self._attrs))
    op_def = property(lambda self: self._op_def)

    def values(self):
        return tuple(self._outputs)

    def get_attr(self, name):
        try:
            return self._attrs[name]
        except KeyError:
            raise ValueError(f"Operation {self._name!r} has no attr named {name!r}") from None

    def _set_device(self, device_spec):
        self._device = device_spec

    def _add_control_input(self, op):
        if op not in self._control_inputs:
            self._control_inputs.append(op)

    def run(self, feed_dict=None, session=None):
        """Run this operation in ``session`` (default: the default session)."""
        from .._session import _run_using_default_session

        _run_using_default_session(self, feed_dict, self._graph, session)

    def _as_graph_element(self):
        return self

    def __repr__(self):
        return f"<tf.Operation '{self._name}' type={self._type}>"


# ---------------------------------------------------------------------------
# Devices
# ---------------------------------------------------------------------------

_DEVICE_FIELD = re.compile(r"^(job|replica|task|device|cpu|gpu|CPU|GPU)(?::(.*))?$")


class DeviceSpec:
    """A (partial) device: ``/job:<name>/replica:<n>/task:<n>/device:<TYPE>:<n>``."""

    def __init__(self, job=None, replica=None, task=None, device_type=None, device_index=None):
        self.job, self.replica, self.task = job, replica, task
        self.device_type, self.device_index = device_type, device_index

    @classmethod
    def from_string(cls, spec):
        spec_obj = cls()
        for part in (spec or "").split("/"):
            if not part:
                continue
            fields = part.split(":")
            key = fields[0].lower()
            if key in ("job", "replica", "task") and len(fields) == 2:
                value = fields[1] if key == "job" else int(fields[1])
                setattr(spec_obj, key, value)
            elif key == "device" and len(fields) >= 2:
                spec_obj.device_type = fields[1].upper()
                if len(fields) > 2 and fields[2] != "*":
                    spec_obj.device_index = int(fields[2])
            elif key in ("cpu", "gpu") and len(fields) <= 2:
                spec_obj.device_type = key.upper()
                if len(fields) == 2 and fields[1] != "*":
                    spec_obj.device_index = int(fields[1])
            else:
                raise ValueError(f"Unknown attribute {part!r} in device specification {spec!r}")
        return spec_obj

    def merge_from(self, other):
        """Fields set in ``other`` override this spec's."""
        for key in ("job", "replica", "task", "device_type", "device_index"):
            value = getattr(other, key)
            if value is not None:
                setattr(self, key, value)

    def to_string(self):
        parts = []
        for key in ("job", "replica", "task"):
            if getattr(self, key) is not None:
                parts.append(f"/{key}:{getattr(self, key)}")
        if self.device_type is not None:
            index = "*" if self.device_index is None else self.device_index
            parts.append(f"/device:{self.device_type}:{index}")
        return "".join(parts)


def _merge_device(outer, inner):
    spec = DeviceSpec.from_string(outer)
    spec.merge_from(DeviceSpec.from_string(inner))
    return spec.to_string()


# ---------------------------------------------------------------------------
# Graph
# ---------------------------------------------------------------------------


class Graph:
    """A dataflow graph: operations, name scopes, collections and construction-time state."""

    def __init__(self):
        self._ops = {}
        self._op_list = []
        self._names_in_use = {}
        self._name_stack = ""
        self._control_stack = []
        self._device_stack = []
        self._collections = {}
        self._finalized = False
        self._id_counter = 0
        self._cond_ctx = None
        self._gradient_override = {}
        self._lock = threading.RLock()
        self.seed = None
        self._variable_scope_store = None

    # -- ids and names ------------------------------------------------------
    def _next_id(self):
        self._id_counter += 1
        return self._id_counter

    @property
    def _last_id(self):
        return self._id_counter

    def unique_name(self, name, mark_as_used=True):
        """``name`` inside the current name scope, made unique (``x``, ``x_1``, ...)."""
        if self._name_stack:
            name = self._name_stack + "/" + name
        key = name.lower()
        count = self._names_in_use.get(key, 0)
        if mark_as_used:
            self._names_in_use[key] = count + 1
        if count > 0:
            base_key = key
            while True:
                key = f"{base_key}_{count}"
                if key not in self._names_in_use:
                    break
                count += 1
            if mark_as_used:
                self._names_in_use[key] = 1
            name = f"{name}_{count}"
        return name

    def get_name_scope(self):
        return self._name_stack

    @contextlib.contextmanager
    def name_scope(self, name):
        """Push a name scope; yields its full name ending with ``/``.

        A name ending in ``/`` re-enters that exact scope; ``None`` or ``""`` resets
        to the top level.
        """
        old = self._name_stack
        if not name:
            new = ""
        elif name.endswith("/"):
            new = name[:-1]
        else:
            new = self.unique_name(name)
        self._name_stack = new
        try:
            yield "" if not new else new + "/"
        finally:
            self._name_stack = old

    # -- ops ----------------------------------------------------------------
    def create_op(self, op_type, inputs, dtypes=None, name=None, attrs=None,
                  control_inputs=()):
        """Create an ``Operation`` of a registered type and infer its output shapes."""
        self._check_not_finalized()
        inputs = list(inputs)
        op_def = get_op_def(op_type)
        if any(t.graph is not self for t in inputs):
            inputs = [self._capture(t) for t in inputs]
        if self._cond_ctx is not None:
            inputs = [t if i in op_def.ref_inputs else self._cond_ctx.capture(t)
                      for i, t in enumerate(inputs)]
        if dtypes is None:
            dtypes = [inputs[0].dtype] if inputs else [_dtypes.float32]
        if name and name.endswith("/"):
            full_name = name[:-1]  # an exact name already reserved by name_scope
        else:
            full_name = self.unique_name(name or op_type)
        controls = self._current_control_inputs(inputs) + list(control_inputs)
        op = Operation(self, op_type, full_name, inputs, dtypes, attrs, controls, "")
        op._set_device(self._current_device(op))
        op._gradient_override = self._gradient_override.get(op_type)
        for tensor, shape in zip(op._outputs, op_def.shape(op)):
            tensor._shape = as_shape(shape)
        self._ops[full_name] = op
        self._op_list.append(op)
        return op

    def _capture(self, tensor):
        if tensor.graph is self:
            return tensor
        raise ValueError(f"Tensor {tensor.name} is not an element of this graph.")

    def _current_control_inputs(self, inputs):
        controls = []
        input_ops = {t.op for t in inputs}
        for frame in self._control_stack:
            for c in frame:
                if c not in controls and c not in input_ops:
                    controls.append(c)
        return controls

    def _current_device(self, op):
        spec = ""
        for item in self._device_stack:
            if item is None:
                spec = ""
            elif callable(item):
                result = item(op)
                spec = "" if result is None else _merge_device(spec, _as_device_string(result))
            else:
                spec = _merge_device(spec, item)
        return spec

    def get_operations(self):
        return list(self._op_list)

    def get_operation_by_name(self, name):
        if not isinstance(name, str):
            raise TypeError(f"Operation names are strings, got {name!r}")
        try:
            return self._ops[name]
        except KeyError:
            raise KeyError(f"The name {name!r} refers to an Operation not in the graph.") from None

    def get_tensor_by_name(self, name):
        if not isinstance(name, str) or ":" not in name:
            raise ValueError(
                f"The name {name!r} looks like an Operation name, not a Tensor name "
                "(Tensor names have the form '<op_name>:<output_index>')."
            )
        op_name, index = name.rsplit(":", 1)
        op = self.get_operation_by_name(op_name)
        index = int(index)
        if index >= len(op._outputs):
            raise KeyError(f"The name {name!r} refers to a Tensor which does not exist: "
                           f"operation {op_name!r} has {len(op._outputs)} outputs.")
        return op._outputs[index]

    def as_graph_element(self, obj, allow_tensor=True, allow_operation=True):
        if isinstance(obj, str):
            if ":" in obj and allow_tensor:
                return self.get_tensor_by_name(obj)
            if allow_operation:
                return self.get_operation_by_name(obj)
        element = obj._as_graph_element() if hasattr(obj, "_as_graph_element") else None
        if element is None:
            raise TypeError(f"Can not convert a {type(obj).__name__} into a graph element.")
        if element.graph is not self:
            raise ValueError(f"{obj!r} is not an element of this graph.")
        return element

    def is_fetchable(self, tensor_or_op):
        return True

    # -- collections --------------------------------------------------------
    def add_to_collection(self, name, value):
        self._check_not_finalized()
        self._collections.setdefault(name, []).append(value)

    def add_to_collections(self, names, value):
        for name in [names] if isinstance(names, str) else set(names):
            self.add_to_collection(name, value)

    def get_collection_ref(self, name):
        return self._collections.setdefault(name, [])

    def get_collection(self, name, scope=None):
        """A copy of collection ``name``, keeping items whose ``name`` matches ``scope`` (re.match)."""
        items = self._collections.get(name, [])
        if scope is None:
            return list(items)
        regex = re.compile(scope)
        return [i for i in items if hasattr(i, "name") and regex.match(i.name)]

    def get_all_collection_keys(self):
        return [k for k, v in self._collections.items() if v]

    def clear_collection(self, name):
        self._collections.pop(name, None)

    # -- scopes ---------------------------------------------------------------
    def as_default(self):
        """Context manager making this graph the default graph."""
        return _default_graph_stack.get_controller(self)

    def control_dependencies(self, control_inputs):
        """Ops created inside run after ``control_inputs`` (None clears the outer ones)."""
        return _ControlDependencies(self, control_inputs)

    @contextlib.contextmanager
    def device(self, device_name_or_function):
        """Device scope: a device string (merged with outer ones), a function of the op, or None."""
        item = device_name_or_function
        if item is not None and not callable(item):
            item = _as_device_string(item)
        self._device_stack.append(item)
        try:
            yield
        finally:
            self._device_stack.pop()

    @contextlib.contextmanager
    def colocate_with(self, op, ignore_existing=False):
        yield

    @contextlib.contextmanager
    def gradient_override_map(self, op_type_map):
        """Use the gradient registered under another name for ops of the given types."""
        saved = dict(self._gradient_override)
        self._gradient_override.update(op_type_map)
        try:
            yield
        finally:
            self._gradient_override = saved

    def as_graph_def(self, from_version=None, add_shapes=False):
        """The graph as a JSON-able dict (the ``graph_def`` of ``train.export_meta_graph``)."""
        from ..train._meta_graph import as_graph_def

        return as_graph_def(self)

    # -- finalize ---------------------------------------------------------------
    def finalize(self):
        """Make the graph read-only: creating ops afterwards raises RuntimeError."""
        self._finalized = True

    @property
    def finalized(self):
        return self._finalized

    def _unsafe_unfinalize(self):
        self._finalized = False

    def _check_not_finalized(self):
        if self._finalized:
            raise RuntimeError("Graph is finalized and cannot be modified.")

    @property
    def version(self):
        return self._id_counter


def _as_device_string(spec):
    if isinstance(spec, DeviceSpec):
        return spec.to_string()
    return DeviceSpec.from_string(str(spec)).to_string()


class _ControlDependencies:
    def __init__(self, graph, control_inputs):
        self._graph = graph
        if control_inputs is None:
            self._frame = None
        else:
            ops = []
            for c in control_inputs:
                element = c._as_graph_element() if hasattr(c, "_as_graph_element") else c
                if isinstance(element, Tensor):
                    element = element.op
                if not isinstance(element, Operation):
                    raise TypeError(f"Control input must be an Operation or Tensor: {c!r}")
                ops.append(element)
            self._frame = ops

    def __enter__(self):
        self._saved = self._graph._control_stack
        if self._frame is None:
            self._graph._control_stack = []
        else:
            self._graph._control_stack = self._saved + [self._frame]

    def __exit__(self, *exc):
        self._graph._control_stack = self._saved


class _DefaultGraphStack(threading.local):
    def __init__(self):
        self.stack = []
        self.base = None

    def get_default(self):
        if self.stack:
            return self.stack[-1]
        if self.base is None:
            self.base = Graph()
        return self.base

    @contextlib.contextmanager
    def get_controller(self, graph):
        self.stack.append(graph)
        try:
            yield graph
        finally:
            self.stack.remove(graph) if graph in self.stack else None


_default_graph_stack = _DefaultGraphStack()


def get_default_graph():
    """The graph new operations go into."""
    return _default_graph_stack.get_default()


def reset_default_graph():
    """Clear the default graph (a fresh empty ``Graph``)."""
    if _default_graph_stack.stack:
        raise AssertionError("Do not use tf.reset_default_graph() inside a graph context.")
    _default_graph_stack.base = Graph()


def _graph_of(values):
    for v in values or ():
        element = v._as_graph_element() if hasattr(v, "_as_graph_element") else None
        if element is not None:
            return element.graph
    return get_default_graph()


@contextlib.contextmanager
def name_scope(name, default_name=None, values=None):
    """Name-scope context manager; yields the scope string (``"loss/"``).

    >>> import learnflow.flow as tf
    >>> with tf.Graph().as_default():
    ...     with tf.name_scope("loss") as scope:
    ...         print(scope)
    loss/
    """
    graph = _graph_of(values)
    scope_name = name if name is not None else default_name
    if name is None and default_name is None and values is None:
        scope_name = None
    with graph.as_default(), graph.name_scope(scope_name) as scope:
        yield scope


def control_dependencies(control_inputs):
    """``get_default_graph().control_dependencies(control_inputs)``."""
    return get_default_graph().control_dependencies(control_inputs)


def device(device_name_or_function):
    """``get_default_graph().device(...)``: pin ops to a device (string or function)."""
    return get_default_graph().device(device_name_or_function)


# ---------------------------------------------------------------------------
# Conversion
# ---------------------------------------------------------------------------


def _contains_tensor(value):
    if isinstance(value, (list, tuple)):
        return any(_contains_tensor(v) for v in value)
    return hasattr(value, "_as_graph_element")


def convert_to_tensor(value, dtype=None, name=None, preferred_dtype=None):
    """Convert a Tensor, Variable, numpy array or Python value to a ``Tensor``.

    Raises ValueError when a ``dtype`` is requested that the Tensor does not have.
    """
    if isinstance(value, Operation):
        raise TypeError(f"Can't convert Operation {value.name!r} to Tensor")
    if hasattr(value, "_as_graph_element") and not isinstance(value, Tensor):
        value = value._as_graph_element()
    if isinstance(value, Tensor):
        if dtype is not None and _dtypes.as_dtype(dtype) is not value.dtype:
            raise ValueError(
                f"Tensor conversion requested dtype {_dtypes.as_dtype(dtype).name} for "
                f"Tensor with dtype {value.dtype.name}: {value!r}"
            )
        return value
    from .._ops import array_ops

    if isinstance(value, (list, tuple)) and _contains_tensor(value):
        return array_ops.stack([convert_to_tensor(v, dtype) for v in value], name=name or "packed")
    if dtype is None and preferred_dtype is not None:
        try:
            return array_ops.constant(value, dtype=preferred_dtype, name=name or "Const",
                                      _strict=True)
        except (TypeError, ValueError):
            pass
    return array_ops.constant(value, dtype=dtype, name=name or "Const")


def convert_n_to_tensor(values, dtype=None, name=None):
    return [convert_to_tensor(v, dtype) for v in values]


def infer_dtype(value):
    """The flow dtype a Python/numpy value converts to (float32 for Python floats)."""
    if isinstance(value, np.ndarray) or isinstance(value, np.generic):
        return _dtypes.as_dtype(value.dtype)
    arr = np.asarray(value)
    if arr.dtype.kind == "f":
        return _dtypes.float32
    if arr.dtype.kind in "iu":
        ok = arr.size == 0 or (arr.min() >= -(2**31) and arr.max() < 2**31)
        return _dtypes.int32 if ok else _dtypes.int64
    if arr.dtype.kind == "b":
        return _dtypes.bool
    if arr.dtype.kind in "SUO":
        return _dtypes.string
    raise TypeError(f"Cannot convert {value!r} to a tensor")
