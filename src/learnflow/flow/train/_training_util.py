"""The global step variable."""

# SPDX-License-Identifier: BSD-3-Clause

from .._framework import dtypes as _dtypes
from .._framework.ops import GraphKeys, get_default_graph
from .._initializers import zeros_initializer
from .._variable_scope import get_variable

__all__ = ["create_global_step", "get_global_step", "get_or_create_global_step"]


def get_global_step(graph=None):
    """The graph's global step variable, or None."""
    graph = get_default_graph() if graph is None else graph
    steps = graph.get_collection(GraphKeys.GLOBAL_STEP)
    if len(steps) > 1:
        raise TypeError("There should only be one global step tensor.")
    return steps[0] if steps else None


def create_global_step(graph=None):
    """Create the int64 ``global_step`` variable (ValueError if it exists)."""
    graph = get_default_graph() if graph is None else graph
    if get_global_step(graph) is not None:
        raise ValueError("\"global_step\" already exists.")
    with graph.as_default(), graph.name_scope(None):
        return get_variable("global_step", shape=[], dtype=_dtypes.int64,
                            initializer=zeros_initializer(dtype=_dtypes.int64), trainable=False,
                            collections=[GraphKeys.GLOBAL_VARIABLES, GraphKeys.GLOBAL_STEP])


def get_or_create_global_step(graph=None):
    """The global step variable, created if needed."""
    graph = get_default_graph() if graph is None else graph
    step = get_global_step(graph)
    return step if step is not None else create_global_step(graph)
