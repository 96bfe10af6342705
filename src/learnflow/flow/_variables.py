"""Variables: graph handles whose values live in each session.

>>> import learnflow.flow as tf
>>> with tf.Graph().as_default():
...     v = tf.Variable([1.0, 2.0], name="v")
...     inc = v.assign_add([1.0, 1.0])
...     with tf.Session() as sess:
...         sess.run(v.initializer)
...         print(sess.run(inc), v.name)
[2. 3.] v:0
"""

# SPDX-License-Identifier: BSD-3-Clause

from ._framework import dtypes as _dtypes
from ._framework.ops import GraphKeys, control_dependencies, convert_to_tensor, get_default_graph
from ._framework.tensor_shape import unknown_shape
from ._ops import array_ops, control_flow_ops, math_ops, state_ops
from ._ops.control_flow_ops import _OuterContext

__all__ = [
    "Variable", "all_variables", "global_variables", "global_variables_initializer",
    "initialize_all_variables", "is_variable_initialized", "local_variables",
    "local_variables_initializer", "model_variables", "moving_average_variables",
    "report_uninitialized_variables", "trainable_variables", "variables_initializer",
]


class Variable:
    """A tensor-like handle to a value that persists across ``Session.run`` calls.

    Parameters
    ----------
    initial_value : Tensor, array-like or callable
        The value the initializer op stores (a callable is called inside the
        variable's ``Initializer`` name scope).
    trainable : bool, default=True
        Also add the variable to ``GraphKeys.TRAINABLE_VARIABLES``.
    collections : list of str, default=None
        Collections to add it to (``[GraphKeys.GLOBAL_VARIABLES]`` when None).
    validate_shape : bool, default=True
        When False the variable's static shape is unknown and assignments may change it.
    name : str, default=None
        Its op name (``"Variable"`` when None), uniquified.
    dtype : DType, default=None
        Convert ``initial_value`` to it.
    """

    def __init__(self, initial_value=None, trainable=True, collections=None, validate_shape=True,
                 caching_device=None, name=None, variable_def=None, dtype=None,
                 expected_shape=None, import_scope=None, constraint=None, use_resource=None):
        if initial_value is None:
            raise ValueError("initial_value must be specified.")
        collections = [GraphKeys.GLOBAL_VARIABLES] if collections is None else list(collections)
        if trainable and GraphKeys.TRAINABLE_VARIABLES not in collections:
            collections.append(GraphKeys.TRAINABLE_VARIABLES)
        graph = get_default_graph()
        self._trainable = trainable
        self._constraint = constraint
        with control_dependencies(None), _OuterContext(graph, None):
            with graph.name_scope(name or "Variable") as scope:
                if callable(initial_value):
                    with graph.name_scope("Initializer"):
                        initial_value = initial_value()
                self._initial_value = convert_to_tensor(initial_value, dtype=dtype,
                                                        name="initial_value")
                shape = self._initial_value.get_shape() if validate_shape else unknown_shape()
                self._variable = state_ops.variable_op(shape, self._initial_value.dtype,
                                                       name=scope)
                self._initializer_op = state_ops.assign(
                    self._variable, self._initial_value, validate_shape=validate_shape,
                    name="Assign").op
        graph.add_to_collections(collections, self)

    # -- graph element --
    def _as_graph_element(self):
        return self._variable

    def value(self):
        """The tensor holding the variable's current value."""
        return self._variable

    def read_value(self):
        """A new tensor reading the current value."""
        return array_ops.identity(self._variable, name="read")

    def _ref(self):
        return self._variable

    name = property(lambda self: self._variable.name)
    op = property(lambda self: self._variable.op)
    graph = property(lambda self: self._variable.graph)
    dtype = property(lambda self: self._variable.dtype)
    device = property(lambda self: self._variable.device)
    shape = property(lambda self: self._variable.get_shape())
    initializer = property(lambda self: self._initializer_op)
    initial_value = property(lambda self: self._initial_value)
    trainable = property(lambda self: self._trainable)
    constraint = property(lambda self: self._constraint)

    def get_shape(self):
        return self._variable.get_shape()

    def set_shape(self, shape):
        self._variable.set_shape(shape)

    def initialized_value(self):
        """The value, or the initial value when the variable is not initialized yet."""
        with control_dependencies(None):
            return state_ops._value_or_initial(self._variable, self._initial_value)

    # -- state --
    def assign(self, value, use_locking=False, name=None, read_value=True):
        """Op assigning ``value``; returns the new value."""
        return state_ops.assign(self._variable, value, name=name)

    def assign_add(self, delta, use_locking=False, name=None, read_value=True):
        return state_ops.assign_add(self._variable, delta, name=name)

    def assign_sub(self, delta, use_locking=False, name=None, read_value=True):
        return state_ops.assign_sub(self._variable, delta, name=name)

    def eval(self, session=None):
        """The current value in ``session`` (default session)."""
        return self._variable.eval(session=session)

    def load(self, value, session=None):
        """Store ``value`` into the variable in ``session``."""
        from ._session import _session_for

        session = _session_for(self.graph, session, "load variable")
        session.run(self._initializer_op, {self._initial_value: value})

    def __repr__(self):
        return (f"<tf.Variable '{self.name}' shape={self.get_shape()} "
                f"dtype={self.dtype.name}_ref>")

    def __hash__(self):
        return id(self)

    def __eq__(self, other):
        return self is other

    def __ne__(self, other):
        return self is not other

    def __bool__(self):
        raise TypeError("Using a tf.Variable as a Python `bool` is not allowed.")

    def __getitem__(self, key):
        return array_ops.strided_slice(self._variable, key)


math_ops._overload(Variable)


def _collection(key, scope):
    return get_default_graph().get_collection(key, scope)


def global_variables(scope=None):
    """Variables of ``GraphKeys.GLOBAL_VARIABLES`` (names matching ``scope``)."""
    return _collection(GraphKeys.GLOBAL_VARIABLES, scope)


all_variables = global_variables


def trainable_variables(scope=None):
    """Variables of ``GraphKeys.TRAINABLE_VARIABLES``."""
    return _collection(GraphKeys.TRAINABLE_VARIABLES, scope)


def local_variables(scope=None):
    """Variables of ``GraphKeys.LOCAL_VARIABLES``."""
    return _collection(GraphKeys.LOCAL_VARIABLES, scope)


def model_variables(scope=None):
    return _collection(GraphKeys.MODEL_VARIABLES, scope)


def moving_average_variables(scope=None):
    return _collection(GraphKeys.MOVING_AVERAGE_VARIABLES, scope)


def variables_initializer(var_list, name="init"):
    """One op running the initializers of ``var_list``."""
    if var_list:
        return control_flow_ops.group(*[v.initializer for v in var_list], name=name)
    return control_flow_ops.no_op(name=name)


def global_variables_initializer():
    """The op initializing every global variable (named ``init``)."""
    return variables_initializer(global_variables())


initialize_all_variables = global_variables_initializer


def local_variables_initializer():
    return variables_initializer(local_variables(), name="init_1")


def is_variable_initialized(variable):
    return state_ops.is_variable_initialized(variable)


def report_uninitialized_variables(var_list=None, name="report_uninitialized_variables"):
    """A string tensor naming the variables of ``var_list`` not initialized yet."""
    var_list = global_variables() + local_variables() if var_list is None else var_list
    flags = [state_ops.is_variable_initialized(v) for v in var_list]
    names = [v.op.name for v in var_list]

    def _report(*values):
        import numpy as np

        return np.asarray([n for n, ok in zip(names, values) if not ok], dtype=object)

    return control_flow_ops.py_func(_report, flags, _dtypes.string, name=name)
