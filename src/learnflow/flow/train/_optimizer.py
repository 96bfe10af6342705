"""Optimizers: ``minimize = compute_gradients + apply_gradients``.

>>> import learnflow.flow as tf
>>> with tf.Graph().as_default():
...     w = tf.Variable(5.0)
...     train_op = tf.train.GradientDescentOptimizer(0.25).minimize(tf.square(w))
...     with tf.Session() as sess:
...         sess.run(tf.global_variables_initializer())
...         sess.run(train_op)
...         print(w.eval())
2.5
"""

# SPDX-License-Identifier: BSD-3-Clause

from .. import _variables
from .._framework import dtypes as _dtypes
from .._framework.ops import GraphKeys, control_dependencies, convert_to_tensor, name_scope
from .._gradients import gradients
from .._ops import control_flow_ops, state_ops
from .._ops.array_ops import constant
from .._ops.control_flow_ops import _OuterContext
from ._training_ops import apply_update

__all__ = ["AdagradOptimizer", "AdamOptimizer", "FtrlOptimizer", "GradientDescentOptimizer",
           "MomentumOptimizer", "Optimizer", "RMSPropOptimizer"]


class Optimizer:
    """Base class: subclasses define ``_create_slots`` and ``_apply_dense``.

    Parameters
    ----------
    use_locking : bool
        Accepted for compatibility.
    name : str
        Name scope of the update ops (``"GradientDescent"``, ``"Adam"``, ...).
    """

    GATE_NONE, GATE_OP, GATE_GRAPH = 0, 1, 2

    def __init__(self, use_locking, name):
        if not name:
            raise ValueError("Must specify the optimizer name")
        self._use_locking = use_locking
        self._name = name
        self._slots = {}
        self._non_slots = {}

    def get_name(self):
        return self._name

    def compute_gradients(self, loss, var_list=None, gate_gradients=GATE_OP,
                          aggregation_method=None, colocate_gradients_with_ops=False,
                          grad_loss=None):
        """List of (gradient, variable) pairs for ``loss`` (trainable variables by default)."""
        if var_list is None:
            var_list = _variables.trainable_variables()
        var_list = list(var_list)
        if not var_list:
            raise ValueError("No variables to optimize.")
        grads = gradients(loss, var_list, grad_ys=None if grad_loss is None else [grad_loss])
        return list(zip(grads, var_list))

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        """The op applying the gradients (and incrementing ``global_step`` when given)."""
        grads_and_vars = [(g, v) for g, v in grads_and_vars]
        pairs = [(g, v) for g, v in grads_and_vars if g is not None]
        if not pairs:
            raise ValueError(f"No gradients provided for any variable: "
                             f"{[v.name for _, v in grads_and_vars]}.")
        variables = [v for _, v in pairs]
        with control_dependencies(None), _OuterContext(variables[0].graph, None):
            self._create_slots(variables)
        with name_scope(name, self._name) as scope:
            self._hyper_cache = {}  # one tensor per hyperparameter and dtype, shared by the updates
            self._prepare()
            # Gate: every update runs after all gradients are computed (they read the
            # variables' current values, which the updates then modify in place).
            gate = control_flow_ops.group(*[g for g, _ in pairs], name="gate")
            updates = []
            try:
                for g, v in pairs:
                    with name_scope("update_" + v.op.name), control_dependencies([gate]):
                        updates.append(self._apply_dense(convert_to_tensor(g), v))
            finally:
                self._hyper_cache = None
            finish = self._finish(updates, "update" if global_step is not None else scope)
            if global_step is None:
                train_op = finish
            else:
                with control_dependencies([finish]):
                    train_op = state_ops.assign_add(global_step, 1, name=scope).op
        graph = variables[0].graph
        if train_op not in graph.get_collection_ref(GraphKeys.TRAIN_OP):
            graph.add_to_collection(GraphKeys.TRAIN_OP, train_op)
        return train_op

    def minimize(self, loss, global_step=None, var_list=None, gate_gradients=GATE_OP,
                 aggregation_method=None, colocate_gradients_with_ops=False, name=None,
                 grad_loss=None):
        """``apply_gradients(compute_gradients(loss, var_list), global_step)``."""
        grads_and_vars = self.compute_gradients(loss, var_list=var_list, grad_loss=grad_loss)
        if not [g for g, _ in grads_and_vars if g is not None]:
            raise ValueError(
                f"No gradients provided for any variable, check your graph for ops that do not "
                f"support gradients, between variables {[v.name for _, v in grads_and_vars]} "
                f"and loss {loss}.")
        return self.apply_gradients(grads_and_vars, global_step=global_step, name=name)

    # -- slots --
    def _slot(self, var, slot_name, init_value=0.0):
        table = self._slots.setdefault(slot_name, {})
        if var not in table:
            value = _full_like(var, init_value)
            with var.graph.name_scope(None):
                table[var] = _variables.Variable(value, trainable=False,
                                                 name=f"{var.op.name}/{self._name}")
        return table[var]

    def get_slot(self, var, name):
        """The slot variable ``name`` of ``var`` (None if absent)."""
        return self._slots.get(name, {}).get(var)

    def get_slot_names(self):
        """Sorted names of the slots this optimizer created."""
        return sorted(self._slots)

    def variables(self):
        out = [v for table in self._slots.values() for v in table.values()]
        return out + list(self._non_slots.values())

    def _non_slot(self, name, value, graph):
        if name not in self._non_slots:
            with graph.as_default(), graph.name_scope(None):
                self._non_slots[name] = _variables.Variable(value, trainable=False, name=name)
        return self._non_slots[name]

    def _create_slots(self, var_list):
        pass

    def _prepare(self):
        pass

    def _finish(self, update_ops, name_scope_name):
        return control_flow_ops.group(*update_ops, name=name_scope_name)

    def _hyper(self, value, var):
        cache = getattr(self, "_hyper_cache", None)
        key = (id(value), var.dtype)
        if cache is not None and key in cache:
            return cache[key][1]
        tensor = convert_to_tensor(value, dtype=var.dtype) if not hasattr(
            value, "_as_graph_element") else _cast_like(value, var)
        if cache is not None:
            cache[key] = (value, tensor)  # holding value keeps its id unique
        return tensor


def _cast_like(value, var):
    from .._ops.array_ops import cast

    t = convert_to_tensor(value)
    return t if t.dtype is var.dtype else cast(t, var.dtype)


def _full_like(var, value):
    import numpy as np

    shape = var.get_shape()
    if not shape.is_fully_defined():
        raise ValueError(f"Optimizer slots need a fully defined variable shape; {var.name} has "
                         f"shape {shape}")
    return constant(np.full(shape.as_list(), value), dtype=var.dtype)


class GradientDescentOptimizer(Optimizer):
    """var -= learning_rate * grad."""

    def __init__(self, learning_rate, use_locking=False, name="GradientDescent"):
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate

    def _apply_dense(self, grad, var):
        return apply_update("ApplyGradientDescent", [var],
                            [self._hyper(self._learning_rate, var), grad])


class MomentumOptimizer(Optimizer):
    """accum = momentum * accum + grad; var -= lr * accum (Nesterov: lr * (grad + momentum * accum))."""

    def __init__(self, learning_rate, momentum, use_locking=False, name="Momentum",
                 use_nesterov=False):
        super().__init__(use_locking, name)
        self._learning_rate, self._momentum, self._use_nesterov = learning_rate, momentum, use_nesterov

    def _create_slots(self, var_list):
        for v in var_list:
            self._slot(v, "momentum")

    def _apply_dense(self, grad, var):
        return apply_update("ApplyMomentum", [var, self.get_slot(var, "momentum")],
                            [self._hyper(self._learning_rate, var), grad,
                             self._hyper(self._momentum, var)],
                            {"use_nesterov": bool(self._use_nesterov)})


class AdagradOptimizer(Optimizer):
    """accum += grad^2; var -= lr * grad / sqrt(accum)."""

    def __init__(self, learning_rate, initial_accumulator_value=0.1, use_locking=False,
                 name="Adagrad"):
        if initial_accumulator_value <= 0.0:
            raise ValueError(f"initial_accumulator_value must be positive: "
                             f"{initial_accumulator_value}")
        super().__init__(use_locking, name)
        self._learning_rate, self._initial = learning_rate, initial_accumulator_value

    def _create_slots(self, var_list):
        for v in var_list:
            self._slot(v, "accumulator", self._initial)

    def _apply_dense(self, grad, var):
        return apply_update("ApplyAdagrad", [var, self.get_slot(var, "accumulator")],
                            [self._hyper(self._learning_rate, var), grad])


class RMSPropOptimizer(Optimizer):
    """ms = decay ms + (1-decay) g^2; mom = momentum mom + lr g / sqrt(ms + eps); var -= mom.

    ``centered=True`` subtracts the squared running mean of g inside the root.
    The ``rms`` slot starts at ones, as in TensorFlow 1.x.
    """

    def __init__(self, learning_rate, decay=0.9, momentum=0.0, epsilon=1e-10, use_locking=False,
                 centered=False, name="RMSProp"):
        super().__init__(use_locking, name)
        self._learning_rate, self._decay, self._momentum = learning_rate, decay, momentum
        self._epsilon, self._centered = epsilon, centered

    def _create_slots(self, var_list):
        for v in var_list:
            self._slot(v, "rms", 1.0)
            self._slot(v, "momentum")
            if self._centered:
                self._slot(v, "mg")

    def _apply_dense(self, grad, var):
        hyper = [self._hyper(h, var) for h in (self._learning_rate, self._decay, self._momentum,
                                               self._epsilon)]
        refs = [var, self.get_slot(var, "rms"), self.get_slot(var, "momentum")]
        if self._centered:
            refs.insert(1, self.get_slot(var, "mg"))
            return apply_update("ApplyCenteredRMSProp", refs, hyper + [grad])
        return apply_update("ApplyRMSProp", refs, hyper + [grad])


class AdamOptimizer(Optimizer):
    """Adam with TensorFlow 1.x's "epsilon hat" form.

    lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t); m = beta1 m + (1-beta1) g;
    v = beta2 v + (1-beta2) g^2; var -= lr_t * m / (sqrt(v) + epsilon).
    """

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8,
                 use_locking=False, name="Adam"):
        super().__init__(use_locking, name)
        self._lr, self._beta1, self._beta2, self._epsilon = learning_rate, beta1, beta2, epsilon

    def _create_slots(self, var_list):
        first = var_list[0]
        dtype = first.dtype
        self._beta1_power = self._non_slot("beta1_power", constant(self._beta1, dtype=dtype),
                                           first.graph)
        self._beta2_power = self._non_slot("beta2_power", constant(self._beta2, dtype=dtype),
                                           first.graph)
        for v in var_list:
            self._slot(v, "m")
            self._slot(v, "v")

    def _get_beta_accumulators(self):
        return self._beta1_power, self._beta2_power

    def _apply_dense(self, grad, var):
        hyper = [self._hyper(h, var) for h in (self._lr, self._beta1, self._beta2, self._epsilon)]
        b1p, b2p = (self._hyper(p, var) for p in (self._beta1_power, self._beta2_power))
        return apply_update("ApplyAdam", [var, self.get_slot(var, "m"), self.get_slot(var, "v")],
                            [b1p, b2p] + hyper + [grad], {"use_nesterov": False})

    def _finish(self, update_ops, name_scope_name):
        with control_dependencies(update_ops):
            b1 = state_ops.assign(self._beta1_power, self._beta1_power * self._beta1)
            b2 = state_ops.assign(self._beta2_power, self._beta2_power * self._beta2)
        return control_flow_ops.group(*update_ops, b1, b2, name=name_scope_name)


class FtrlOptimizer(Optimizer):
    """FTRL-Proximal (TensorFlow 1.x ``ApplyFtrl``)."""

    def __init__(self, learning_rate, learning_rate_power=-0.5, initial_accumulator_value=0.1,
                 l1_regularization_strength=0.0, l2_regularization_strength=0.0,
                 use_locking=False, name="Ftrl"):
        if learning_rate_power > 0:
            raise ValueError(f"learning_rate_power must be <= 0, got {learning_rate_power}")
        super().__init__(use_locking, name)
        self._lr, self._lr_power = learning_rate, learning_rate_power
        self._initial, self._l1, self._l2 = (initial_accumulator_value,
                                             l1_regularization_strength,
                                             l2_regularization_strength)

    def _create_slots(self, var_list):
        for v in var_list:
            self._slot(v, "accum", self._initial)
            self._slot(v, "linear")

    def _apply_dense(self, grad, var):
        hyper = [self._hyper(h, var) for h in (self._lr, self._l1, self._l2, self._lr_power)]
        return apply_update("ApplyFtrl", [var, self.get_slot(var, "accum"),
                                          self.get_slot(var, "linear")], [grad] + hyper)


_ = _dtypes
