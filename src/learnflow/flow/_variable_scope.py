"""Variable scopes and ``get_variable``: creating and sharing variables by name.

Rules (Chapter 9, "Sharing Variables"):

* ``get_variable("threshold")`` inside ``variable_scope("relu")`` names the variable
  exactly ``relu/threshold`` (no uniquifying);
* if it already exists and the scope does not reuse, ``ValueError``; with
  ``reuse=True`` it must exist (``ValueError`` otherwise), ``AUTO_REUSE`` does both;
* ``scope.reuse_variables()`` turns reuse on; nested scopes inherit ``reuse=True``
  and cannot turn it off;
* for every other op a variable scope also opens a (uniquified) name scope.

>>> import learnflow.flow as tf
>>> with tf.Graph().as_default():
...     with tf.variable_scope("relu"):
...         t = tf.get_variable("threshold", shape=(), initializer=tf.constant_initializer(0.0))
...     with tf.variable_scope("relu", reuse=True):
...         t2 = tf.get_variable("threshold")
>>> t is t2, t.name
(True, 'relu/threshold:0')
"""

# SPDX-License-Identifier: BSD-3-Clause

import contextlib

from ._framework import dtypes as _dtypes
from ._framework.ops import GraphKeys, Tensor, get_default_graph
from ._framework.tensor_shape import as_shape
from ._initializers import glorot_uniform_initializer, zeros_initializer
from ._variables import Variable

__all__ = ["AUTO_REUSE", "VariableScope", "get_variable", "get_variable_scope", "variable_scope"]


class _ReuseMode:
    def __repr__(self):
        return "tf.AUTO_REUSE"


AUTO_REUSE = _ReuseMode()


class VariableScope:
    """The settings ``get_variable`` uses: name prefix, reuse, default initializer, ..."""

    def __init__(self, reuse, name="", initializer=None, regularizer=None, caching_device=None,
                 partitioner=None, custom_getter=None, name_scope="", dtype=_dtypes.float32,
                 use_resource=None, constraint=None):
        self._name, self._reuse = name, reuse
        self._initializer, self._regularizer = initializer, regularizer
        self._name_scope, self._dtype = name_scope, _dtypes.as_dtype(dtype)
        self._custom_getter, self._constraint = custom_getter, constraint
        self._caching_device, self._partitioner = caching_device, partitioner

    name = property(lambda self: self._name)
    original_name_scope = property(lambda self: self._name_scope)
    reuse = property(lambda self: self._reuse)
    initializer = property(lambda self: self._initializer)
    regularizer = property(lambda self: self._regularizer)
    dtype = property(lambda self: self._dtype)
    custom_getter = property(lambda self: self._custom_getter)
    caching_device = property(lambda self: self._caching_device)
    partitioner = property(lambda self: self._partitioner)
    constraint = property(lambda self: self._constraint)

    def reuse_variables(self):
        """Reuse variables in this scope from now on."""
        self._reuse = True

    def set_initializer(self, initializer):
        self._initializer = initializer

    def set_regularizer(self, regularizer):
        self._regularizer = regularizer

    def set_dtype(self, dtype):
        self._dtype = _dtypes.as_dtype(dtype)

    def get_variable(self, name, shape=None, dtype=None, initializer=None, regularizer=None,
                     reuse=None, trainable=True, collections=None, **kwargs):
        full_name = f"{self._name}/{name}" if self._name else name
        reuse = self._reuse if reuse is None or self._reuse is True else reuse
        if dtype is None and isinstance(initializer, Tensor):
            dtype = initializer.dtype  # a Tensor initializer gives the variable its dtype, as in TF1
        return _store().get_variable(
            full_name, shape, dtype or self._dtype, self._initializer if initializer is None else initializer,
            regularizer or self._regularizer, reuse, trainable, collections,
            kwargs.get("validate_shape", True), kwargs.get("constraint", self._constraint))


class _VariableStore:
    """Per-graph table of variables made by ``get_variable`` and of the current scope."""

    def __init__(self):
        self.vars = {}
        self.current_scope = VariableScope(False)
        self.scope_counts = {}

    def get_variable(self, name, shape, dtype, initializer, regularizer, reuse, trainable,
                     collections, validate_shape, constraint):
        if name in self.vars:
            if reuse is False or reuse is None:
                raise ValueError(
                    f"Variable {name} already exists, disallowed. Did you mean to set "
                    "reuse=True or reuse=tf.AUTO_REUSE in VarScope?")
            var = self.vars[name]
            if shape is not None and not var.get_shape().is_compatible_with(shape):
                raise ValueError(f"Trying to share variable {name}, but specified shape "
                                 f"{as_shape(shape)} and found shape {var.get_shape()}.")
            if dtype is not None and initializer is not None and var.dtype is not _dtypes.as_dtype(
                    dtype):
                raise ValueError(f"Trying to share variable {name}, but specified dtype "
                                 f"{_dtypes.as_dtype(dtype).name} and found dtype "
                                 f"{var.dtype.name}.")
            return var
        if reuse is True:
            raise ValueError(
                f"Variable {name} does not exist, or was not created with tf.get_variable(). "
                "Did you mean to set reuse=tf.AUTO_REUSE in VarScope?")
        return self._create(name, shape, dtype, initializer, regularizer, trainable, collections,
                            validate_shape, constraint)

    def _create(self, name, shape, dtype, initializer, regularizer, trainable, collections,
                validate_shape, constraint):
        dtype = _dtypes.as_dtype(dtype)
        if hasattr(initializer, "_as_graph_element") or not callable(initializer) and (
                initializer is not None):
            init_value = initializer
            if shape is not None and hasattr(init_value, "get_shape") and validate_shape:
                as_shape(shape).assert_is_compatible_with(init_value.get_shape())
        else:
            if shape is None:
                raise ValueError(f"Shape of a new variable ({name}) must be fully defined, but "
                                 "instead was None.")
            shape = as_shape(shape)
            if not shape.is_fully_defined():
                raise ValueError(f"Shape of a new variable ({name}) must be fully defined, but "
                                 f"instead was {shape}.")
            if initializer is None:
                initializer = (glorot_uniform_initializer() if dtype.is_floating
                               else zeros_initializer())
            dims = shape.as_list()

            def init_value():
                return _call_initializer(initializer, dims, dtype)
        graph = get_default_graph()
        with graph.name_scope(None):
            var = Variable(init_value, trainable=trainable, collections=collections, name=name,
                           dtype=None if callable(init_value) else dtype,
                           validate_shape=validate_shape, constraint=constraint)
            if regularizer is not None:
                with graph.name_scope(name + "/Regularizer/"):
                    loss = regularizer(var)
                if loss is not None:
                    graph.add_to_collection(GraphKeys.REGULARIZATION_LOSSES, loss)
        self.vars[name] = var
        return var


def _call_initializer(initializer, shape, dtype):
    try:
        return initializer(shape, dtype=dtype, partition_info=None)
    except TypeError:
        return initializer(shape, dtype=dtype)


def _store(graph=None):
    graph = get_default_graph() if graph is None else graph
    if graph._variable_scope_store is None:
        graph._variable_scope_store = _VariableStore()
    return graph._variable_scope_store


def get_variable_scope():
    """The current ``VariableScope``."""
    return _store().current_scope


def get_variable(name, shape=None, dtype=None, initializer=None, regularizer=None,
                 trainable=True, collections=None, caching_device=None, partitioner=None,
                 validate_shape=True, use_resource=None, custom_getter=None, constraint=None,
                 reuse=None):
    """Get the variable ``<scope>/<name>``, or create it (see the module docstring).

    Parameters
    ----------
    name : str
    shape : sequence of int, default=None
        Needed to create a variable unless ``initializer`` is a tensor or value.
    dtype : DType, default=None
        The scope's dtype (float32) when None.
    initializer : callable, Tensor or value, default=None
        The scope's initializer, else Glorot uniform (zeros for integers).
    regularizer : callable, default=None
        Its result is added to ``GraphKeys.REGULARIZATION_LOSSES``.
    """
    return get_variable_scope().get_variable(
        name, shape=shape, dtype=dtype, initializer=initializer, regularizer=regularizer,
        reuse=reuse, trainable=trainable, collections=collections,
        validate_shape=validate_shape, constraint=constraint)


def _unique_scope_name(store, prefix, base):
    full = f"{prefix}/{base}" if prefix else base
    count = store.scope_counts.get(full, 0)
    name = base if count == 0 else f"{base}_{count}"
    store.scope_counts[full] = count + 1
    return name


@contextlib.contextmanager
def variable_scope(name_or_scope, default_name=None, values=None, initializer=None,
                   regularizer=None, caching_device=None, partitioner=None, custom_getter=None,
                   reuse=None, dtype=None, use_resource=None, constraint=None,
                   auxiliary_name_scope=True):
    """Open a variable scope (and a name scope); yields the ``VariableScope``.

    ``reuse`` is True, False/None (inherit) or ``AUTO_REUSE``; ``default_name`` is used,
    uniquified, when ``name_or_scope`` is None.
    """
    if name_or_scope is None and default_name is None:
        raise TypeError("If default_name is None then name_or_scope is required")
    graph = get_default_graph()
    store = _store(graph)
    parent = store.current_scope
    if isinstance(name_or_scope, VariableScope):
        var_name, name_scope_arg = name_or_scope.name, name_or_scope.original_name_scope or None
        base = name_or_scope
    else:
        if name_or_scope is None:
            relative = _unique_scope_name(store, parent.name, default_name)
        else:
            relative = name_or_scope
            store.scope_counts.setdefault(
                f"{parent.name}/{relative}" if parent.name else relative, 1)
        var_name = f"{parent.name}/{relative}" if parent.name else relative
        name_scope_arg = relative
        base = parent
    if parent.reuse is True:
        new_reuse = True
    elif reuse is None:
        new_reuse = base.reuse if isinstance(name_or_scope, VariableScope) else parent.reuse
    else:
        new_reuse = reuse
    ctx = graph.name_scope(name_scope_arg) if auxiliary_name_scope else contextlib.nullcontext(
        graph.get_name_scope() + "/" if graph.get_name_scope() else "")
    with ctx as ns:
        scope = VariableScope(
            new_reuse, name=var_name, initializer=base.initializer if initializer is None else initializer,
            regularizer=regularizer or base.regularizer, name_scope=ns,
            dtype=dtype or base.dtype, custom_getter=custom_getter or base.custom_getter,
            constraint=constraint or base.constraint, caching_device=caching_device,
            partitioner=partitioner)
        store.current_scope = scope
        try:
            yield scope
        finally:
            store.current_scope = parent
