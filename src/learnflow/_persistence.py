"""learnflow's model format: tensors in safetensors, structure in JSON, never pickle.

A saved file is one safetensors file. Its tensors are every array the model
holds; its metadata holds a JSON description of the object graph, in which
arrays are referenced by key. Loading rebuilds objects only from classes and
functions that live in an allow-listed package (learnflow itself, plus numpy
and math functions such as ``np.log1p`` for FunctionTransformer), and never
calls their ``__init__`` or unpickles anything: a tampered file can at worst
fail to load, not execute code.
"""

# SPDX-License-Identifier: BSD-3-Clause

import importlib
import json
import math
import os
import tempfile
from pathlib import Path

import numpy as np
import torch
from safetensors import safe_open
from safetensors.torch import save_file

__all__ = ["atomic_write", "load", "save"]

_FORMAT = "learnflow-model"
_VERSION = 1
_ALLOWED_MODULE_ROOTS = ("learnflow", "numpy", "math", "scipy.special", "scipy.stats")


def atomic_write(path, write):
    """Call ``write(temporary_path)``, then move the result onto ``path`` atomically.

    A crash or an exception midway leaves whatever ``path`` held before.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    try:
        write(temporary)
        with open(temporary, "rb") as written:
            os.fsync(written.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class _Encoder:
    """Turns an object graph into JSON-able data plus a dict of named tensors."""

    def __init__(self):
        self.tensors = {}

    def _store(self, tensor):
        key = f"t{len(self.tensors)}"
        self.tensors[key] = tensor.detach().cpu().contiguous()
        return key

    def encode(self, value):
        if value is None or isinstance(value, (bool, str)):
            return value
        if isinstance(value, int):
            return value
        if isinstance(value, float):
            return value if math.isfinite(value) else {"__float__": repr(value)}
        if isinstance(value, (list, tuple)):
            items = [self.encode(v) for v in value]
            return items if isinstance(value, list) else {"__tuple__": items}
        if isinstance(value, dict):
            return {"__dict__": [[self.encode(k), self.encode(v)] for k, v in value.items()]}
        if isinstance(value, (set, frozenset)):
            return {"__set__": [self.encode(v) for v in value], "frozen": isinstance(value, frozenset)}
        if isinstance(value, slice):
            return {"__slice__": [self.encode(v) for v in (value.start, value.stop, value.step)]}
        if isinstance(value, torch.Tensor):
            return {"__tensor__": self._store(value), "device": str(value.device)}
        if isinstance(value, np.ndarray):
            return self._encode_ndarray(value)
        if isinstance(value, np.generic):
            return {"__npscalar__": value.dtype.str, "value": self.encode(value.item())}
        if isinstance(value, np.dtype):
            return {"__dtype__": value.str}
        if isinstance(value, np.random.RandomState):
            name, keys, pos, has_gauss, cached = value.get_state()
            return {"__random_state__": [self.encode(keys), pos, has_gauss, cached]}
        if hasattr(value, "tocsr") and hasattr(value, "nnz"):
            csr = value.tocsr()
            parts = [self.encode(a) for a in (csr.data, csr.indices, csr.indptr)]
            return {"__csr__": parts, "shape": list(csr.shape)}
        if isinstance(value, type) or _is_plain_function(value):
            return {"__ref__": _reference(value)}
        return self._encode_object(value)

    def _encode_ndarray(self, array):
        if array.dtype.kind in "biuf":
            return {"__ndarray__": self._store(torch.from_numpy(np.ascontiguousarray(array))), "dtype": array.dtype.str}
        return {"__objarray__": [self.encode(v) for v in array.ravel().tolist()], "dtype": array.dtype.str, "shape": list(array.shape)}

    def _encode_object(self, value):
        cls = type(value)
        path = _reference(cls)
        # object.__getstate__ (Python 3.11+) gives None for an object without attributes
        state = (value.__getstate__() if hasattr(value, "__getstate__") else vars(value)) or {}
        if not isinstance(state, dict):
            raise TypeError(f"Cannot save an object of type {path}: its state is not a dict of attributes.")
        return {"__object__": path, "state": {k: self.encode(v) for k, v in state.items()}}


def _is_plain_function(value):
    return callable(value) and type(value).__name__ in ("function", "builtin_function_or_method", "ufunc")


def _reference(obj):
    """``module:qualname`` of a class or function from an allowed package."""
    module = getattr(obj, "__module__", None) or ("numpy" if isinstance(obj, np.ufunc) else None)
    qualname = getattr(obj, "__qualname__", getattr(obj, "__name__", None))
    if module is None or qualname is None or "<" in qualname:
        raise TypeError(
            f"Cannot save {obj!r}: only classes and named functions from {_ALLOWED_MODULE_ROOTS} "
            "can be saved safely (lambdas and locally defined functions cannot)."
        )
    if not module.startswith(_ALLOWED_MODULE_ROOTS):
        raise TypeError(
            f"Cannot save {module}.{qualname}: learnflow's model format only stores objects from "
            f"{_ALLOWED_MODULE_ROOTS} (it never pickles)."
        )
    return f"{module}:{qualname}"


def _resolve(reference):
    module_name, _, qualname = reference.partition(":")
    if not module_name.startswith(_ALLOWED_MODULE_ROOTS) or not qualname:
        raise ValueError(f"Refusing to load {reference!r}: it is not from {_ALLOWED_MODULE_ROOTS}.")
    obj = importlib.import_module(module_name)
    for part in qualname.split("."):
        obj = getattr(obj, part)
    return obj


class _Decoder:
    """Rebuilds the object graph from the JSON data and the stored tensors."""

    def __init__(self, tensors):
        self.tensors = tensors

    def decode(self, data):
        if isinstance(data, list):
            return [self.decode(v) for v in data]
        if not isinstance(data, dict):
            return data
        (tag, payload), *_ = data.items()
        decoder = getattr(self, f"_decode_{tag.strip('_')}", None)
        if decoder is None:
            raise ValueError(f"Corrupt model file: unknown entry {tag!r}.")
        return decoder(payload, data)

    def _decode_float(self, payload, data):
        return float(payload)

    def _decode_tuple(self, payload, data):
        return tuple(self.decode(v) for v in payload)

    def _decode_dict(self, payload, data):
        return {_hashable(self.decode(k)): self.decode(v) for k, v in payload}

    def _decode_set(self, payload, data):
        values = {_hashable(self.decode(v)) for v in payload}
        return frozenset(values) if data["frozen"] else values

    def _decode_slice(self, payload, data):
        return slice(*(self.decode(v) for v in payload))

    def _decode_tensor(self, payload, data):
        device = torch.device(data["device"])
        if device.type == "cuda" and not torch.cuda.is_available():
            device = torch.device("cpu")
        return self.tensors[payload].to(device)

    def _decode_ndarray(self, payload, data):
        return self.tensors[payload].numpy().astype(np.dtype(data["dtype"]), copy=False)

    def _decode_objarray(self, payload, data):
        values = [self.decode(v) for v in payload]
        array = np.empty(len(values), dtype=np.dtype(data["dtype"]))
        array[:] = values
        return array.reshape(data["shape"])

    def _decode_npscalar(self, payload, data):
        return np.dtype(payload).type(self.decode(data["value"]))

    def _decode_dtype(self, payload, data):
        return np.dtype(payload)

    def _decode_random_state(self, payload, data):
        keys, pos, has_gauss, cached = payload
        state = np.random.RandomState()
        state.set_state(("MT19937", self.decode(keys), pos, has_gauss, cached))
        return state

    def _decode_csr(self, payload, data):
        import scipy.sparse

        values, indices, indptr = (self.decode(p) for p in payload)
        return scipy.sparse.csr_matrix((values, indices, indptr), shape=tuple(data["shape"]))

    def _decode_ref(self, payload, data):
        return _resolve(payload)

    def _decode_object(self, payload, data):
        cls = _resolve(payload)
        if not isinstance(cls, type):
            raise ValueError(f"Corrupt model file: {payload!r} is not a class.")
        obj = cls.__new__(cls)
        state = {k: self.decode(v) for k, v in data["state"].items()}
        if hasattr(obj, "__setstate__"):
            obj.__setstate__(state)
        else:
            obj.__dict__.update(state)
        return obj


def _hashable(key):
    return tuple(_hashable(k) for k in key) if isinstance(key, list) else key


def save(obj, path):
    """Save a fitted estimator (or any learnflow object) to ``path``, atomically and without pickle.

    Parameters
    ----------
    obj : estimator or learnflow object
        Everything it holds must be data (numbers, strings, arrays, tensors,
        containers) or classes/functions from learnflow, numpy or math.
    path : str or path-like
        The file to write (conventionally ``*.lfm``).

    Examples
    --------
    >>> import learnflow, tempfile, os
    >>> from learnflow.dummy import DummyRegressor
    >>> model = DummyRegressor().fit([[0.0], [1.0]], [1.0, 3.0])
    >>> path = os.path.join(tempfile.mkdtemp(), "model.lfm")
    >>> learnflow.save(model, path)
    >>> learnflow.load(path).predict([[5.0]])
    array([2.])
    """
    encoder = _Encoder()
    structure = encoder.encode(obj)
    metadata = {"format": _FORMAT, "version": str(_VERSION), "structure": json.dumps(structure)}
    atomic_write(path, lambda temporary: save_file(encoder.tensors, temporary, metadata=metadata))


def load(path):
    """Load what :func:`save` wrote.

    Raises
    ------
    ValueError
        If the file is not a learnflow model file, is corrupt or truncated, or
        refers to classes outside learnflow's allow-list.
    """
    try:
        with safe_open(str(path), framework="pt") as handle:
            metadata = handle.metadata() or {}
            tensors = {key: handle.get_tensor(key) for key in handle.keys()}
    except FileNotFoundError:
        raise
    except Exception as exc:  # safetensors raises its own error types for corrupt headers
        raise ValueError(f"{path} is not a readable learnflow model file: {exc}") from exc
    if metadata.get("format") != _FORMAT:
        raise ValueError(f"{path} is not a learnflow model file (format {metadata.get('format')!r}).")
    if int(metadata.get("version", 0)) > _VERSION:
        raise ValueError(f"{path} was written by a newer learnflow (format version {metadata['version']}).")
    try:
        structure = json.loads(metadata["structure"])
    except (KeyError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path} is corrupt: its structure is not valid JSON ({exc}).") from exc
    return _Decoder(tensors).decode(structure)
