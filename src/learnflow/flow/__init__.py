"""learnflow.flow: a TensorFlow-1.x-style dataflow graph engine on torch.

``import learnflow.flow as tf`` runs the book's Chapter 9 code: build a graph
of ops (construction phase), then run parts of it in a ``Session`` (execution
phase). Gradients are symbolic (:func:`gradients`), variables live in sessions,
and ``train`` holds the optimizers.

>>> import learnflow.flow as tf
>>> tf.reset_default_graph()
>>> A = tf.placeholder(tf.float32, shape=(None, 3))
>>> B = A + 5
>>> with tf.Session() as sess:
...     B.eval(feed_dict={A: [[1, 2, 3]]})
array([[6., 7., 8.]], dtype=float32)
"""

# SPDX-License-Identifier: BSD-3-Clause

from . import errors
from ._framework import dtypes
from ._framework.dtypes import (DType, as_dtype, bfloat16, bool, double, float16,  # noqa: A004
                                float32, float64, half, int8, int16, int32, int64, string, uint8)
from ._framework.ops import (DeviceSpec, Graph, GraphKeys, Operation, Tensor,
                             control_dependencies, convert_to_tensor, device, get_default_graph,
                             name_scope, reset_default_graph)
from ._framework.registry import (NotDifferentiable, RegisterGradient, not_differentiable,
                                  register_op, registered_ops)
from ._framework.tensor_shape import Dimension, TensorShape
from ._ops.array_ops import (cast, concat, constant, expand_dims, fill, gather, identity,
                             matrix_transpose, newaxis, one_hot, ones, ones_like, pad,
                             placeholder, placeholder_with_default, rank, reshape, reverse,
                             shape, size, slice, split, squeeze, stack, stop_gradient,
                             strided_slice, tile, transpose, unstack, where, zeros, zeros_like)
from ._ops.clip_ops import clip_by_global_norm, clip_by_norm, clip_by_value, global_norm
from ._ops.control_flow_ops import Print, cond, group, no_op, py_func, tuple  # noqa: A004
from ._ops.control_flow_ops import print_v2 as print  # noqa: A004
from ._ops.math_ops import (abs, add, add_n, argmax, argmin, ceil, cos, divide, equal, exp,
                            floor, floordiv, greater, greater_equal, less, less_equal, log,
                            log1p, logical_and, logical_not, logical_or, logical_xor, matmul,
                            matrix_determinant, matrix_inverse, maximum, minimum, mod, multiply,
                            negative, not_equal, pow, range, reciprocal, reduce_all, reduce_any,
                            reduce_max, reduce_mean, reduce_min, reduce_prod, reduce_sum, round,
                            rsqrt, sigmoid, sign, sin, sqrt, square, squared_difference,
                            subtract, tan, tanh, truediv)
from ._ops.random_ops import (multinomial, random_normal, random_shuffle, random_uniform,
                              set_random_seed, truncated_normal)
from ._ops.state_ops import assign, assign_add, assign_sub
from ._ops.while_ops import while_loop
from ._gradients import gradients
from ._initializers import initializers  # noqa: E402  (tf.initializers namespace)
from ._initializers import (constant_initializer, glorot_normal_initializer,
                            glorot_uniform_initializer, ones_initializer,
                            random_normal_initializer, random_uniform_initializer,
                            truncated_normal_initializer, variance_scaling_initializer,
                            zeros_initializer)
from ._session import (ConfigProto, GPUOptions, InteractiveSession, RunMetadata, RunOptions,
                       Session, get_default_session)
from ._variable_scope import (AUTO_REUSE, VariableScope, get_variable, get_variable_scope,
                              variable_scope)
from ._variables import (Variable, all_variables, global_variables, global_variables_initializer,
                         initialize_all_variables, is_variable_initialized, local_variables,
                         local_variables_initializer, model_variables,
                         report_uninitialized_variables, trainable_variables,
                         variables_initializer)
from . import test  # noqa: E402
from . import train  # noqa: E402

# TensorFlow 1.0 spellings the book's readers use.
sub, mul, neg, div = subtract, multiply, negative, divide
realdiv = divide
to_float = lambda x, name="ToFloat": cast(x, float32, name=name)  # noqa: E731
to_int32 = lambda x, name="ToInt32": cast(x, int32, name=name)  # noqa: E731
to_int64 = lambda x, name="ToInt64": cast(x, int64, name=name)  # noqa: E731
to_double = lambda x, name="ToDouble": cast(x, float64, name=name)  # noqa: E731


def get_collection(key, scope=None):
    """``get_default_graph().get_collection(key, scope)``."""
    return get_default_graph().get_collection(key, scope)


def get_collection_ref(key):
    """The default graph's collection list itself (mutable)."""
    return get_default_graph().get_collection_ref(key)


def add_to_collection(name, value):
    """``get_default_graph().add_to_collection(name, value)``."""
    get_default_graph().add_to_collection(name, value)


def add_to_collections(names, value):
    get_default_graph().add_to_collections(names, value)


# --- plug-in subpackages written separately (Chapters 9-12): imported when they exist.
import importlib as _importlib  # noqa: E402
import importlib.util as _util  # noqa: E402

for _sub in ("summary", "nn", "layers", "losses", "metrics", "contrib", "estimator",
             "feature_column", "data", "keras", "saved_model", "datasets"):
    if _util.find_spec(f"{__name__}.{_sub}") is not None:  # pragma: no cover
        globals()[_sub] = _importlib.import_module(f"{__name__}.{_sub}")

__all__ = sorted(name for name in dir() if not name.startswith("_"))
