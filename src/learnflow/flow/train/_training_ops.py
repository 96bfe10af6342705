"""Fused update ops of the optimizers (TensorFlow's ``Apply*`` kernels).

Each op takes its variable and slot variables as references (not evaluated),
reads their values from the session and updates them in place (on a private
copy made the first time, so no other tensor is ever modified). Optimizers gate
the updates on all gradients being computed first. They have no gradient.
"""

# SPDX-License-Identifier: BSD-3-Clause

import torch

from .. import errors
from .._framework.op_util import apply_op
from .._framework.registry import not_differentiable, register_op

__all__ = ["OWNED_IDS", "apply_update"]

OWNED_IDS = "updated-in-place"  # session-state key: ids of tensors Apply ops modify in place


def _apply_factory(update, n_refs):
    def factory(op, ctx):
        state, attrs = ctx.state, op.attrs
        refs = [op.inputs[i].op for i in range(n_refs)]
        owned_key = ("owned", op)

        def run(*args):
            try:
                current = [state[r] for r in refs]
            except KeyError as exc:
                raise errors.FailedPreconditionError(
                    None, op, f"Attempting to use uninitialized value {exc.args[0].name}") from None
            # Update in place only tensors this op owns (a private copy made on first use),
            # so constants and values shared with other ops are never modified.
            owned = state.get(owned_key)
            if owned is None or any(a is not b for a, b in zip(owned, current)):
                current = [c.clone() for c in current]
            update(*current, *args, **attrs)
            for r, value in zip(refs, current):
                state[r] = value
            state[owned_key] = current
            state.setdefault(OWNED_IDS, set()).update(id(c) for c in current)
            return current[0]
        return run
    return factory


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
    "ApplyGradientDescent": (_gd, 1),
    "ApplyMomentum": (_momentum, 2),
    "ApplyAdagrad": (_adagrad, 2),
    "ApplyRMSProp": (_rmsprop, 3),
    "ApplyCenteredRMSProp": (_centered_rmsprop, 4),
    "ApplyAdam": (_adam, 3),
    "ApplyFtrl": (_ftrl, 3),
}

for _type, (_update, _n_refs) in _UPDATES.items():
    register_op(_type, kernel_factory=_apply_factory(_update, _n_refs),
                shape=lambda op: [op.inputs[0].get_shape()], ref_inputs=tuple(range(_n_refs)),
                stateful=True)
    not_differentiable(_type)


def apply_update(op_type, refs, args, attrs=None, name=None):
    """Build an ``Apply*`` op updating the variables ``refs`` from tensors ``args``."""
    ref_tensors = [r._variable if hasattr(r, "_variable") else r for r in refs]
    return apply_op(op_type, ref_tensors + list(args), attrs or {}, name=name or op_type,
                    dtypes=[ref_tensors[0].dtype])
