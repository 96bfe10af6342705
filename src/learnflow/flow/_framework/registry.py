"""The one registry of operation types: kernel, shape function and gradient side by side.

Registering an op type is one call::

    register_op("Sin", kernel=torch.sin, shape=unchanged_shape, grad=_sin_grad)

* ``kernel(*input_values, **attrs)`` computes the outputs on torch tensors (one
  tensor, or a tuple for several outputs). Ops that need the session (variables,
  random generators, constants cached on the device) give ``kernel_factory(op, ctx)``
  instead, which returns such a callable once per execution plan.
* ``shape(op)`` returns the list of output ``TensorShape``s from the inputs'
  static shapes and the attributes.
* ``grad(op, *grads)`` is the gradient contract of TensorFlow: for an op with ``m``
  inputs and ``n`` outputs it takes the ``Operation`` and ``n`` gradient tensors
  (``None`` for outputs that receive none) and returns ``m`` tensors, ``None`` for
  inputs with no gradient. It builds graph ops only, so gradients of gradients work::

      @RegisterGradient("Sub")
      def _sub_grad(op, grad): return grad, -grad

Ops that can run many instances as one kernel (the optimizers' ``Apply*``
updates, fused into ``torch._foreach_*`` calls) also give
``batch_factory(ops, ctx)``: a callable taking the non-reference inputs of every
op in ``ops`` one after the other and returning their outputs as a tuple. The
session uses it for independent ops of that type with equal attributes.

``not_differentiable("Less")`` records that an op has no gradient; an op with
neither raises ``LookupError`` in ``gradients()``.
"""

# SPDX-License-Identifier: BSD-3-Clause

__all__ = [
    "NotDifferentiable",
    "OpDef",
    "RegisterGradient",
    "Registry",
    "get_gradient_function",
    "get_op_def",
    "not_differentiable",
    "register_op",
    "registered_ops",
]

_NO_GRADIENT = object()


class Registry:
    """A named table of functions keyed by op-type strings.

    >>> r = Registry("demo")
    >>> r.register(len, "Len")
    >>> r.lookup("Len") is len
    True
    """

    def __init__(self, name):
        self._name = name
        self._table = {}

    def register(self, candidate, key, *, override=False):
        if not isinstance(key, str):
            raise TypeError(f"{self._name} registry keys must be strings, got {key!r}")
        if key in self._table and not override:
            raise KeyError(f"Registering two {self._name} entries with the name {key!r}")
        self._table[key] = candidate

    def lookup(self, key):
        try:
            return self._table[key]
        except KeyError:
            raise LookupError(f"{self._name} registry has no entry for {key!r}") from None

    def __contains__(self, key):
        return key in self._table

    def keys(self):
        return sorted(self._table)


class OpDef:
    """Everything learnflow knows about one op type."""

    __slots__ = ("type", "kernel", "kernel_factory", "shape", "ref_inputs", "stateful",
                 "batch_factory")

    def __init__(self, op_type, kernel, kernel_factory, shape, ref_inputs, stateful,
                 batch_factory=None):
        self.type = op_type
        self.batch_factory = batch_factory
        self.kernel = kernel
        self.kernel_factory = kernel_factory
        self.shape = shape
        self.ref_inputs = tuple(ref_inputs)
        self.stateful = stateful

    def make_kernel(self, op, ctx):
        """The callable the session runs for ``op`` (inputs -> outputs)."""
        if self.kernel_factory is not None:
            return self.kernel_factory(op, ctx)
        if op.attrs:
            kernel, attrs = self.kernel, op.attrs
            return lambda *xs: kernel(*xs, **attrs)
        return self.kernel


_op_registry = Registry("op")
_gradient_registry = Registry("gradient")


def register_op(op_type, *, shape, kernel=None, kernel_factory=None, grad=_NO_GRADIENT,
                ref_inputs=(), stateful=False, batch_factory=None):
    """Register op type ``op_type`` with its kernel, shape function and gradient.

    Parameters
    ----------
    op_type : str
        Unique type name (``"MatMul"``).
    shape : callable ``shape(op) -> list of TensorShape``
    kernel : callable ``kernel(*values, **attrs)``, default=None
    kernel_factory : callable ``factory(op, ctx) -> callable(*values)``, default=None
        For ops that need session state or the device (``ctx.state``, ``ctx.device``).
    grad : callable or None
        The gradient function; ``None`` marks the op not differentiable; left
        out, ``gradients()`` raises ``LookupError`` for this op.
    ref_inputs : tuple of int
        Inputs that are references (a variable to write), not evaluated.
    stateful : bool
        Whether the op has side effects (never pruned from its own run).
    batch_factory : callable ``factory(ops, ctx) -> callable(*values)``, default=None
        Runs several independent ops of this type (equal attributes) as one kernel.
    """
    if (kernel is None) == (kernel_factory is None):
        raise ValueError(f"Op {op_type!r}: give exactly one of kernel and kernel_factory")
    _op_registry.register(OpDef(op_type, kernel, kernel_factory, shape, ref_inputs, stateful,
                                batch_factory), op_type)
    if grad is not _NO_GRADIENT:
        _gradient_registry.register(grad, op_type)


def get_op_def(op_type):
    return _op_registry.lookup(op_type)


def registered_ops():
    """Sorted list of every registered op type."""
    return _op_registry.keys()


def get_gradient_function(op_type):
    """The gradient function of ``op_type`` (None if not differentiable); LookupError if absent."""
    return _gradient_registry.lookup(op_type)


def has_gradient_entry(op_type):
    return op_type in _gradient_registry


class RegisterGradient:
    """Decorator registering the gradient function of an op type (or a custom name).

    The function receives the ``Operation`` and one gradient per output and
    returns one gradient per input (see the module docstring). Use a new name
    with ``Graph.gradient_override_map`` to replace a built-in gradient::

        @tf.RegisterGradient("MySquareGrad")
        def _my_grad(op, grad): return grad * 2 * op.inputs[0]
    """

    def __init__(self, op_type):
        if not isinstance(op_type, str):
            raise TypeError("op_type must be a string")
        self._op_type = op_type

    def __call__(self, f):
        _gradient_registry.register(f, self._op_type)
        return f


def not_differentiable(op_type):
    """Mark ``op_type`` as having no gradient (its inputs get ``None``).

    Not for ops whose gradient exists but is not written yet: those must raise.
    """
    if not isinstance(op_type, str):
        raise TypeError("op_type must be a string")
    _gradient_registry.register(None, op_type)


NotDifferentiable = not_differentiable
