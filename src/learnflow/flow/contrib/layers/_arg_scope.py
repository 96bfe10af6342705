"""``arg_scope``: default keyword arguments for the decorated layer functions."""

# SPDX-License-Identifier: BSD-3-Clause

import contextlib
import functools

__all__ = ["add_arg_scope", "arg_scope", "current_arg_scope"]

_STACK = [{}]


def current_arg_scope():
    """The active ``{function key: kwargs}`` mapping."""
    return _STACK[-1]


def _key(fn):
    return getattr(fn, "_arg_scope_key", fn)


def add_arg_scope(fn):
    """Decorate ``fn`` so that ``arg_scope([fn], **kwargs)`` supplies default kwargs."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        defaults = current_arg_scope().get(_key(wrapper), {})
        return fn(*args, **{**defaults, **kwargs})

    wrapper._arg_scope_key = fn
    return wrapper


@contextlib.contextmanager
def arg_scope(list_ops_or_scope, **kwargs):
    """Within the block, calls of the listed functions get ``kwargs`` as defaults.

    Nested scopes merge (inner values win); explicit arguments always win. A dict
    returned by an earlier ``arg_scope`` (``as sc``) re-enters that scope.

    >>> import learnflow.flow as tf
    >>> from learnflow.flow.contrib.layers import arg_scope, fully_connected
    >>> with tf.Graph().as_default():
    ...     with arg_scope([fully_connected], activation_fn=None):
    ...         y = fully_connected(tf.ones([2, 3]), 4, scope="out")
    ...     print(y.op.type)
    AddV2
    """
    if isinstance(list_ops_or_scope, dict):
        if kwargs:
            raise ValueError("When attempting to re-use a scope by supplying a dictionary, "
                             "kwargs must be empty.")
        new = dict(list_ops_or_scope)
    else:
        new = dict(current_arg_scope())
        for op in list_ops_or_scope:
            if not hasattr(op, "_arg_scope_key"):
                raise ValueError(f"{getattr(op, '__name__', op)} is not decorated with "
                                 "@add_arg_scope")
            new[_key(op)] = {**new.get(_key(op), {}), **kwargs}
    _STACK.append(new)
    try:
        yield new
    finally:
        _STACK.pop()
