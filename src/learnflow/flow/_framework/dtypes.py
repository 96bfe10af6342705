"""TensorFlow-style ``DType`` objects mapped onto numpy and torch dtypes.

>>> from learnflow.flow._framework import dtypes
>>> dtypes.float32.as_numpy_dtype
<class 'numpy.float32'>
>>> dtypes.as_dtype("int64").name
'int64'
"""

# SPDX-License-Identifier: BSD-3-Clause

import builtins

import numpy as np
import torch

__all__ = ["DType", "as_dtype"]


class DType:
    """The element type of a tensor (``tf.float32``, ``tf.int32``, ...).

    Parameters
    ----------
    name : str
        The canonical name (``"float32"``).
    numpy_dtype : numpy type
    torch_dtype : torch.dtype or None
        None for ``string``, which torch cannot hold (kept as numpy object arrays).
    """

    def __init__(self, name, numpy_dtype, torch_dtype):
        self._name = name
        self._numpy = numpy_dtype
        self._torch = torch_dtype

    name = property(lambda self: self._name)
    as_numpy_dtype = property(lambda self: self._numpy)
    as_torch_dtype = property(lambda self: self._torch)
    base_dtype = property(lambda self: self)
    is_floating = property(lambda self: self._torch is not None and self._torch.is_floating_point)
    is_integer = property(
        lambda self: self._torch is not None
        and not self._torch.is_floating_point
        and self._torch is not torch.bool
    )
    is_bool = property(lambda self: self._torch is torch.bool)
    is_numeric = property(lambda self: self._torch is not None and self._torch is not torch.bool)

    @property
    def min(self):
        if self.is_floating:
            return float(torch.finfo(self._torch).min)
        return int(torch.iinfo(self._torch).min)

    @property
    def max(self):
        if self.is_floating:
            return float(torch.finfo(self._torch).max)
        return int(torch.iinfo(self._torch).max)

    def is_compatible_with(self, other):
        return as_dtype(other) is self

    def __repr__(self):
        return f"tf.{self._name}"

    def __eq__(self, other):
        try:
            return as_dtype(other) is self
        except TypeError:
            return False

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return hash(self._name)

    def __reduce__(self):
        return as_dtype, (self._name,)


float16 = DType("float16", np.float16, torch.float16)
bfloat16 = DType("bfloat16", np.float32, torch.bfloat16)
float32 = DType("float32", np.float32, torch.float32)
float64 = DType("float64", np.float64, torch.float64)
int8 = DType("int8", np.int8, torch.int8)
int16 = DType("int16", np.int16, torch.int16)
int32 = DType("int32", np.int32, torch.int32)
int64 = DType("int64", np.int64, torch.int64)
uint8 = DType("uint8", np.uint8, torch.uint8)
bool = DType("bool", np.bool_, torch.bool)  # noqa: A001  (TensorFlow's name)
string = DType("string", np.object_, None)
half, double = float16, float64

_ALL = [float16, bfloat16, float32, float64, int8, int16, int32, int64, uint8, bool, string]
_BY_NAME = {d.name: d for d in _ALL}
_BY_NAME.update({"half": float16, "double": float64, "float": float32})
_BY_TORCH = {d.as_torch_dtype: d for d in _ALL if d.as_torch_dtype is not None}
_BY_NUMPY = {np.dtype(d.as_numpy_dtype): d for d in _ALL if d is not bfloat16}
_BY_PYTHON = {float: float32, int: int32, builtins.bool: bool, str: string, bytes: string}


def as_dtype(type_value):
    """Convert a name, numpy dtype, torch dtype or ``DType`` to a ``DType``.

    Raises
    ------
    TypeError
        If ``type_value`` names no supported dtype.
    """
    if isinstance(type_value, DType):
        return type_value
    if isinstance(type_value, torch.dtype) and type_value in _BY_TORCH:
        return _BY_TORCH[type_value]
    if isinstance(type_value, str) and type_value in _BY_NAME:
        return _BY_NAME[type_value]
    if type_value in _BY_PYTHON:
        return _BY_PYTHON[type_value]
    try:
        np_dtype = np.dtype(type_value)
    except TypeError:
        np_dtype = None
    if np_dtype is not None:
        if np_dtype.kind in "SU":
            return string
        if np_dtype in _BY_NUMPY:
            return _BY_NUMPY[np_dtype]
    raise TypeError(f"Cannot convert {type_value!r} to a flow DType.")
