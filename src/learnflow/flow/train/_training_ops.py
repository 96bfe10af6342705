"""Fused update ops of the optimizers (TensorFlow's ``Apply*`` kernels).

Each op takes its variable and slot variables as references (not evaluated),
reads their values from the session and updates them in place (on a private
copy made the first time, so no other tensor is ever modified). Optimizers gate
the updates on all gradients being computed first. They have no gradient.

The session runs the independent updates of one optimizer step as a single
batch (``register_op(batch_factory=)``): gradient descent, momentum and Adam
update every variable with a few ``torch._foreach_*`` calls instead of a dozen
small kernels per variable; the other rules loop over the variables.
"""

# SPDX-License-Identifier: BSD-3-Clause

import torch

from .. import errors
from .._framework.op_util import apply_op
from .._framework.registry import not_differentiable, register_op
from .._ops.state_ops import variable_op_of

__all__ = ["OWNED_IDS", "apply_update"]

OWNED_IDS = "updated-in-place"  # session-state key: ids of tensors Apply ops modify in place


def _owned_values(state, refs, owned_key, op):
    """The current values of ``refs``, as tensors this op may update in place.

    Update in place only tensors this op owns (a private copy made on first use), so
    constants and values shared with other ops are never modified.
    """
    try:
        current = [state[r] for r in refs]
    except KeyError as exc:
        raise errors.FailedPreconditionError(
            None, op, f"Attempting to use uninitialized value {exc.args[0].name}") from None
    owned = state.get(owned_key)
    if owned is None or any(a is not b for a, b in zip(owned, current)):
        current = [c.clone() for c in current]
        for r, value in zip(refs, current):
            state[r] = value
        state[owned_key] = current
        state.setdefault(OWNED_IDS, set()).update(id(c) for c in current)
    return current


def _apply_factory(update, n_refs):
    def factory(op, ctx):
        state, attrs = ctx.state, op.attrs
        refs = [variable_op_of(op.inputs[i]) for i in range(n_refs)]
        owned_key = ("owned", op)

        def run(*args):
            current = _owned_values(state, refs, owned_key, op)
            update(*current, *args, **attrs)
            return current[0]
        return run
    return factory


def _batch_factory(update, foreach_update, n_refs):
    """Run many Apply ops of one type: ``foreach_update`` on lists when given, else a loop.

    ``foreach_update(refs_lists, args_lists, **attrs)`` receives, per reference and per
    argument position, the list over the ops; arguments that are the same tensor
    object in every op (shared hyperparameters) are passed once, as a tensor.
    """
    def factory(ops, ctx):
        state, attrs = ctx.state, ops[0].attrs
        members = [([variable_op_of(op.inputs[i]) for i in range(n_refs)], ("owned", op), op)
                   for op in ops]
        n_args = len(ops[0].inputs) - n_refs

        def run(*flat):
            currents = [_owned_values(state, refs, key, op) for refs, key, op in members]
            if foreach_update is None:
                for k, current in enumerate(currents):
                    update(*current, *flat[k * n_args:(k + 1) * n_args], **attrs)
            else:
                ref_lists = [list(col) for col in zip(*currents)]
                arg_lists = [list(flat[j::n_args]) for j in range(n_args)]
                foreach_update(ref_lists, [_shared(a) for a in arg_lists], **attrs)
            return type(())(current[0] for current in currents)
        return run
    return factory


def _shared(values):
    """One tensor when every entry is the same 0-d tensor object, else the list."""
    first = values[0]
    if isinstance(first, torch.Tensor) and first.dim() == 0 and all(v is first for v in values):
        return first
    return values


def _foreach_scaled(tensors, scale):
    """[t * scale]: ``scale`` a shared 0-d tensor or a list (one per tensor)."""
    if isinstance(scale, torch.Tensor):
        return torch._foreach_mul(tensors, scale)
    return [t * s for t, s in zip(tensors, scale)]


def _foreach_scale_(tensors, scale):
    if isinstance(scale, torch.Tensor):
        torch._foreach_mul_(tensors, scale)
    else:
        for t, s in zip(tensors, scale):
            t.mul_(s)


def _cpu_floats(tensors, *scalars):
    """The shared 0-d hyperparameters as Python floats when everything is on the CPU.

    Python-number scalars let the updates use fused ``addcmul_`` / ``addcdiv_`` /
    ``lerp_`` forms (fewer passes over memory); on an accelerator the scalars stay
    tensors (reading them would synchronize the device).
    """
    if tensors[0].device.type != "cpu":
        return None
    if not all(isinstance(s, torch.Tensor) and s.device.type == "cpu" for s in scalars):
        return None
    return [s.item() for s in scalars]


def _foreach_gd(refs, args):
    (var,), (alpha, delta) = refs, args
    floats = _cpu_floats(var, alpha)
    if floats is not None:
        torch._foreach_add_(var, delta, alpha=-floats[0])
        return
    torch._foreach_sub_(var, _foreach_scaled(delta, alpha))


def _foreach_momentum(refs, args, use_nesterov):
    (var, accum), (lr, grad, momentum) = refs, args
    floats = _cpu_floats(var, lr, momentum)
    if floats is not None:
        lr_f, mom_f = floats
        torch._foreach_mul_(accum, mom_f)
        torch._foreach_add_(accum, grad)
        if use_nesterov:
            torch._foreach_add_(var, grad, alpha=-lr_f)
            torch._foreach_add_(var, accum, alpha=-lr_f * mom_f)
        else:
            torch._foreach_add_(var, accum, alpha=-lr_f)
        return
    _foreach_scale_(accum, momentum)
    torch._foreach_add_(accum, grad)
    if use_nesterov:
        step = _foreach_scaled(grad, lr)
        torch._foreach_add_(step, _foreach_scaled(accum, _scalar_product(momentum, lr)))
    else:
        step = _foreach_scaled(accum, lr)
    torch._foreach_sub_(var, step)


def _scalar_product(a, b):
    if isinstance(a, torch.Tensor) and isinstance(b, torch.Tensor):
        return a * b
    a = a if isinstance(a, list) else [a] * len(b)
    b = b if isinstance(b, list) else [b] * len(a)
    return [x * y for x, y in zip(a, b)]


def _foreach_adam(refs, args, use_nesterov):
    (var, m, v), (b1p, b2p, lr, beta1, beta2, epsilon, grad) = refs, args
    floats = _cpu_floats(var, b1p, b2p, lr, beta1, beta2, epsilon)
    if floats is not None and not use_nesterov:
        b1p_f, b2p_f, lr_f, b1_f, b2_f, eps_f = floats
        lr_t = lr_f * (1 - b2p_f) ** 0.5 / (1 - b1p_f)
        torch._foreach_lerp_(m, grad, 1 - b1_f)  # m = b1 m + (1 - b1) g
        torch._foreach_mul_(v, b2_f)
        torch._foreach_addcmul_(v, grad, grad, value=1 - b2_f)
        denom = torch._foreach_sqrt(v)
        torch._foreach_add_(denom, eps_f)
        torch._foreach_addcdiv_(var, m, denom, value=-lr_t)
        return
    lr_t = _scalar_map(lambda lr, b1p, b2p: lr * torch.sqrt(1 - b2p) / (1 - b1p), lr, b1p, b2p)
    one_minus_b1 = _scalar_map(lambda b: 1 - b, beta1)
    one_minus_b2 = _scalar_map(lambda b: 1 - b, beta2)
    _foreach_scale_(m, beta1)
    torch._foreach_add_(m, _foreach_scaled(grad, one_minus_b1))
    _foreach_scale_(v, beta2)
    g2 = _foreach_scaled(grad, one_minus_b2)
    torch._foreach_mul_(g2, grad)
    torch._foreach_add_(v, g2)
    if use_nesterov:
        direction = _foreach_scaled(m, beta1)
        torch._foreach_add_(direction, _foreach_scaled(grad, one_minus_b1))
    else:
        direction = m
    step = _foreach_scaled(direction, lr_t)
    denom = torch._foreach_sqrt(v)
    if isinstance(epsilon, torch.Tensor):
        torch._foreach_add_(denom, epsilon)
    else:
        denom = [d + e for d, e in zip(denom, epsilon)]
    torch._foreach_div_(step, denom)
    torch._foreach_sub_(var, step)


def _scalar_map(fn, *scalars):
    """``fn`` of shared 0-d tensors once, else per op (lists)."""
    if all(isinstance(s, torch.Tensor) for s in scalars):
        return fn(*scalars)
    n = next(len(s) for s in scalars if isinstance(s, list))
    cols = [s if isinstance(s, list) else [s] * n for s in scalars]
    return [fn(*row) for row in zip(*cols)]


def _gd(var, alpha, delta):
    # var -= alpha * delta
    var.addcmul_(delta, alpha, value=-1)


def _momentum(var, accum, lr, grad, momentum, use_nesterov):
    # accum = momentum * accum + grad; var -= lr * accum (Nesterov: lr * (grad + momentum * accum))
    accum.mul_(momentum).add_(grad)
    if use_nesterov:
        var.sub_(grad * lr + accum * (momentum * lr))
    else:
        var.sub_(accum * lr)


def _adagrad(var, accum, lr, grad):
    # accum += grad^2; var -= lr * grad / sqrt(accum)
    accum.add_(grad * grad)
    var.sub_(lr * grad / torch.sqrt(accum))


def _rmsprop(var, ms, mom, lr, rho, momentum, epsilon, grad):
    # ms = rho ms + (1-rho) g^2; mom = momentum mom + lr g / sqrt(ms + eps); var -= mom
    ms.mul_(rho).add_((1 - rho) * grad * grad)
    mom.mul_(momentum).add_(lr * grad / torch.sqrt(ms + epsilon))
    var.sub_(mom)


def _centered_rmsprop(var, mg, ms, mom, lr, rho, momentum, epsilon, grad):
    # as RMSProp with denominator sqrt(ms - mg^2 + eps), mg = rho mg + (1-rho) g
    mg.mul_(rho).add_((1 - rho) * grad)
    ms.mul_(rho).add_((1 - rho) * grad * grad)
    mom.mul_(momentum).add_(lr * grad / torch.sqrt(ms - mg * mg + epsilon))
    var.sub_(mom)


def _adam(var, m, v, beta1_power, beta2_power, lr, beta1, beta2, epsilon, grad, use_nesterov):
    # lr_t = lr sqrt(1 - b2^t) / (1 - b1^t); var -= lr_t m / (sqrt(v) + epsilon_hat)
    lr_t = lr * torch.sqrt(1 - beta2_power) / (1 - beta1_power)
    m.mul_(beta1).add_((1 - beta1) * grad)
    v.mul_(beta2).add_((1 - beta2) * grad * grad)
    direction = beta1 * m + (1 - beta1) * grad if use_nesterov else m
    var.sub_(lr_t * direction / (torch.sqrt(v) + epsilon))


def _ftrl(var, accum, linear, grad, lr, l1, l2, lr_power):
    # FTRL-Proximal (McMahan et al. 2013) as TensorFlow's ApplyFtrl kernel
    accum_new = accum + grad * grad
    sigma = (accum_new.pow(-lr_power) - accum.pow(-lr_power)) / lr
    linear.add_(grad - sigma * var)
    quadratic = accum_new.pow(-lr_power) / lr + 2 * l2
    var.copy_(torch.where(linear.abs() > l1, (torch.sign(linear) * l1 - linear) / quadratic,
                          torch.zeros_like(var)))
    accum.copy_(accum_new)


_UPDATES = {
    "ApplyGradientDescent": (_gd, 1, _foreach_gd),
    "ApplyMomentum": (_momentum, 2, _foreach_momentum),
    "ApplyAdagrad": (_adagrad, 2, None),
    "ApplyRMSProp": (_rmsprop, 3, None),
    "ApplyCenteredRMSProp": (_centered_rmsprop, 4, None),
    "ApplyAdam": (_adam, 3, _foreach_adam),
    "ApplyFtrl": (_ftrl, 3, None),
}

for _type, (_update, _n_refs, _foreach) in _UPDATES.items():
    register_op(_type, kernel_factory=_apply_factory(_update, _n_refs),
                batch_factory=_batch_factory(_update, _foreach, _n_refs),
                shape=lambda op: [op.inputs[0].get_shape()], ref_inputs=tuple(range(_n_refs)),
                stateful=True)
    not_differentiable(_type)


def apply_update(op_type, refs, args, attrs=None, name=None):
    """Build an ``Apply*`` op updating the variables ``refs`` from tensors ``args``."""
    ref_tensors = [r._variable if hasattr(r, "_variable") else r for r in refs]
    return apply_op(op_type, ref_tensors + list(args), attrs or {}, name=name or op_type,
                    dtypes=[ref_tensors[0].dtype])
