"""Checkpoints: ``train.Saver`` writes and restores variables in learnflow's safe format.

A checkpoint with prefix ``P`` (``saver.save(sess, "model.ckpt", global_step=100)``
gives ``P = "model.ckpt-100"``) is made of:

* ``P.safetensors``: one tensor per saved variable, keyed by its saved name
  (``"weights"``, ``"layer1/kernel"``), plus JSON metadata (format, version and,
  per tensor, the dtype, shape and CRC-32 of its bytes, so corruption is detected);
* ``P.meta`` (``write_meta_graph=True``): the graph as JSON (see
  :func:`~learnflow.flow.train.export_meta_graph`);
* the directory's state file ``checkpoint`` (``latest_filename``), a JSON object
  ``{"model_checkpoint_path": ..., "all_model_checkpoint_paths": [...],
  "all_model_checkpoint_timestamps": [...]}`` with paths relative to the directory
  (absolute when the checkpoint was saved under an absolute path and
  ``save_relative_paths=False``). TensorFlow's text format
  (``model_checkpoint_path: "..."``) is read too.

Nothing is ever pickled: loading parses JSON and raw tensor bytes only. Every file
is written atomically (temporary file, fsync, rename) and the state file is
written after the checkpoint's own files, so a save that fails midway leaves the
previous checkpoint intact and ``latest_checkpoint`` pointing at it. Old
checkpoints beyond ``max_to_keep`` are deleted after the state file is updated.

>>> import os, tempfile
>>> import learnflow.flow as tf
>>> with tf.Graph().as_default():
...     w = tf.Variable([1.0, 2.0], name="weights")
...     saver = tf.train.Saver()
...     folder = tempfile.mkdtemp()
...     with tf.Session() as sess:
...         sess.run(w.initializer)
...         path = saver.save(sess, os.path.join(folder, "model.ckpt"), global_step=7)
...     with tf.Session() as sess:
...         saver.restore(sess, tf.train.latest_checkpoint(folder))
...         print(os.path.basename(path), w.eval())
model.ckpt-7 [1. 2.]
"""

# SPDX-License-Identifier: BSD-3-Clause

import json
import os
import re
import time
import warnings
import zlib

import numpy as np
import torch
from safetensors import safe_open
from safetensors.torch import save_file

from ..._persistence import atomic_write
from .. import errors
from .._framework import dtypes as _dtypes
from .._framework.ops import GraphKeys, Tensor, control_dependencies, get_default_graph
from .._ops import array_ops, control_flow_ops, state_ops
from .._ops.control_flow_ops import _OuterContext

__all__ = [
    "CheckpointReader",
    "CheckpointState",
    "NewCheckpointReader",
    "Saver",
    "checkpoint_exists",
    "get_checkpoint_state",
    "latest_checkpoint",
    "list_variables",
    "load_checkpoint",
    "load_variable",
    "update_checkpoint_state",
]

_FORMAT = "learnflow-checkpoint"
_VERSION = 1
_DATA_SUFFIX = ".safetensors"
_SAVEABLE_OBJECTS = "saveable_objects"


# --- the data file --------------------------------------------------------------------------

def _data_path(prefix):
    return os.fspath(prefix) + _DATA_SUFFIX


def _crc(tensor):
    flat = tensor.contiguous().reshape(-1)
    return zlib.crc32(flat.view(torch.uint8).numpy().tobytes() if flat.numel() else b"")


def _write_data(prefix, tensors):
    """Write ``{name: cpu tensor}`` to ``prefix.safetensors`` atomically."""
    entries = {name: {"dtype": str(t.dtype).replace("torch.", ""), "shape": list(t.shape),
                      "crc32": _crc(t)} for name, t in tensors.items()}
    metadata = {"format": _FORMAT, "version": str(_VERSION), "tensors": json.dumps(entries)}
    atomic_write(_data_path(prefix), lambda tmp: save_file(tensors, tmp, metadata=metadata))


class CheckpointReader:
    """Read the tensors of a checkpoint (``NewCheckpointReader(prefix)``).

    Raises ``NotFoundError`` when the checkpoint does not exist and
    ``DataLossError`` when its file is corrupt, truncated or tampered with.
    """

    def __init__(self, prefix):
        self._prefix = os.fspath(prefix)
        path = _data_path(self._prefix)
        if not os.path.isfile(path):
            raise errors.NotFoundError(
                None, None, f"Unsuccessful TensorSliceReader constructor: Failed to find any "
                f"matching files for {self._prefix} (no file {path}).")
        try:
            with safe_open(path, framework="pt") as handle:
                metadata = handle.metadata() or {}
                self._tensors = {key: handle.get_tensor(key) for key in handle.keys()}
        except Exception as exc:  # safetensors' own error types for bad headers / truncation
            raise errors.DataLossError(
                None, None, f"Checkpoint {path} is corrupt or truncated: {exc}") from exc
        self._check(path, metadata)

    def _check(self, path, metadata):
        if metadata.get("format") != _FORMAT:
            raise errors.DataLossError(None, None, f"{path} is not a learnflow checkpoint "
                                       f"(format {metadata.get('format')!r}).")
        if int(metadata.get("version", "0")) > _VERSION:
            raise errors.DataLossError(None, None, f"{path} was written by a newer learnflow "
                                       f"(checkpoint version {metadata['version']}).")
        try:
            entries = json.loads(metadata["tensors"])
        except (KeyError, ValueError) as exc:
            raise errors.DataLossError(None, None, f"{path} is corrupt: its tensor table is "
                                       f"not valid JSON ({exc}).") from exc
        if not isinstance(entries, dict) or set(entries) != set(self._tensors):
            raise errors.DataLossError(None, None, f"{path} is corrupt: its tensor table does "
                                       "not list the tensors the file holds.")
        for name, tensor in self._tensors.items():
            entry = entries[name]
            dtype = str(tensor.dtype).replace("torch.", "")
            if entry.get("dtype") != dtype or entry.get("shape") != list(tensor.shape):
                raise errors.DataLossError(
                    None, None, f"{path} is corrupt: tensor {name!r} is {dtype} of shape "
                    f"{list(tensor.shape)} but was saved as {entry.get('dtype')} of shape "
                    f"{entry.get('shape')}.")
            if entry.get("crc32") != _crc(tensor):
                raise errors.DataLossError(None, None, f"{path} is corrupt: checksum mismatch "
                                           f"for tensor {name!r}.")

    def has_tensor(self, name):
        return name in self._tensors

    def get_tensor(self, name):
        """The value of tensor ``name`` as a numpy array (NotFoundError if absent)."""
        tensor = self._get(name)
        if tensor.dtype is torch.bfloat16:
            tensor = tensor.float()
        arr = tensor.numpy().copy()
        return arr[()] if arr.ndim == 0 else arr

    def _get(self, name):
        try:
            return self._tensors[name]
        except KeyError:
            raise errors.NotFoundError(
                None, None, f"Key {name} not found in checkpoint {self._prefix} (it holds: "
                f"{', '.join(sorted(self._tensors)) or 'nothing'}).") from None

    def get_variable_to_shape_map(self):
        return {name: list(t.shape) for name, t in self._tensors.items()}

    def get_variable_to_dtype_map(self):
        return {name: _dtypes.as_dtype(t.dtype) for name, t in self._tensors.items()}

    def debug_string(self):
        return "".join(f"{name} ({str(t.dtype).replace('torch.', '')}) {list(t.shape)}\n"
                       for name, t in sorted(self._tensors.items())).encode()


def NewCheckpointReader(filepattern):  # noqa: N802
    """A :class:`CheckpointReader` for the checkpoint with prefix ``filepattern``."""
    return CheckpointReader(filepattern)


def load_checkpoint(ckpt_dir_or_file):
    """A reader for a checkpoint prefix, or for the latest checkpoint of a directory."""
    return CheckpointReader(_resolve_checkpoint(ckpt_dir_or_file))


def _resolve_checkpoint(ckpt_dir_or_file):
    path = os.fspath(ckpt_dir_or_file)
    if os.path.isdir(path):
        latest = latest_checkpoint(path)
        if latest is None:
            raise ValueError(f"Couldn't find 'checkpoint' file or checkpoints in given "
                             f"directory {path}")
        return latest
    return path


def list_variables(ckpt_dir_or_file):
    """Sorted ``(name, shape)`` pairs of the tensors of a checkpoint."""
    shapes = load_checkpoint(ckpt_dir_or_file).get_variable_to_shape_map()
    return [(name, shapes[name]) for name in sorted(shapes)]


def load_variable(ckpt_dir_or_file, name):
    """The value (numpy) of tensor ``name`` (a ``:0`` suffix is ignored) in a checkpoint."""
    if name.endswith(":0"):
        name = name[:-2]
    return load_checkpoint(ckpt_dir_or_file).get_tensor(name)


def checkpoint_exists(checkpoint_prefix):
    """Whether a checkpoint with this prefix exists."""
    return os.path.isfile(_data_path(checkpoint_prefix))


# --- the state file -------------------------------------------------------------------------

class CheckpointState:
    """The content of a directory's ``checkpoint`` file."""

    def __init__(self, model_checkpoint_path, all_model_checkpoint_paths=(),
                 all_model_checkpoint_timestamps=(), last_preserved_timestamp=None):
        self.model_checkpoint_path = model_checkpoint_path
        self.all_model_checkpoint_paths = list(all_model_checkpoint_paths)
        self.all_model_checkpoint_timestamps = list(all_model_checkpoint_timestamps)
        self.last_preserved_timestamp = last_preserved_timestamp

    def __repr__(self):
        return (f"CheckpointState(model_checkpoint_path={self.model_checkpoint_path!r}, "
                f"all_model_checkpoint_paths={self.all_model_checkpoint_paths!r})")


def _state_path(save_dir, latest_filename):
    return os.path.join(save_dir, latest_filename or "checkpoint")


def _parse_state(text, path):
    text = text.strip()
    if text.startswith("{"):
        data = json.loads(text)
    else:  # TensorFlow's text-protobuf format
        data = {"all_model_checkpoint_paths": [], "all_model_checkpoint_timestamps": []}
        for line in text.splitlines():
            match = re.match(r'\s*(\w+)\s*:\s*(".*"|[-+0-9.eE]+)\s*$', line)
            if not match:
                raise ValueError(f"unreadable line {line!r}")
            key, value = match.groups()
            value = json.loads(value)
            if key.startswith("all_"):
                data[key].append(value)
            else:
                data[key] = value
    if not isinstance(data, dict) or not isinstance(data.get("model_checkpoint_path"), str):
        raise ValueError("no model_checkpoint_path")
    return data


def get_checkpoint_state(checkpoint_dir, latest_filename=None):
    """The :class:`CheckpointState` of ``checkpoint_dir`` (None if it has no state file).

    Relative paths are returned joined to ``checkpoint_dir``.
    """
    path = _state_path(os.fspath(checkpoint_dir), latest_filename)
    if not os.path.isfile(path):
        return None
    try:
        with open(path, encoding="utf-8") as handle:
            data = _parse_state(handle.read(), path)
    except (ValueError, UnicodeDecodeError) as exc:
        raise errors.DataLossError(None, None, f"Checkpoint state file {path} is corrupt: "
                                   f"{exc}") from exc

    def full(p):
        return p if os.path.isabs(p) else os.path.join(os.fspath(checkpoint_dir), p)

    return CheckpointState(full(data["model_checkpoint_path"]),
                           [full(p) for p in data.get("all_model_checkpoint_paths", [])],
                           data.get("all_model_checkpoint_timestamps", []),
                           data.get("last_preserved_timestamp"))


def update_checkpoint_state(save_dir, model_checkpoint_path, all_model_checkpoint_paths=None,
                            latest_filename=None, all_model_checkpoint_timestamps=None,
                            last_preserved_timestamp=None, save_relative_paths=False):
    """Write the directory's state file (atomically)."""
    paths = list(all_model_checkpoint_paths or [])
    if model_checkpoint_path not in paths:
        paths.append(model_checkpoint_path)
    save_dir = os.fspath(save_dir)

    def stored(p):
        if save_relative_paths or not os.path.isabs(p):
            return os.path.relpath(p, save_dir or ".")
        return p

    data = {"model_checkpoint_path": stored(model_checkpoint_path),
            "all_model_checkpoint_paths": [stored(p) for p in paths],
            "all_model_checkpoint_timestamps": list(all_model_checkpoint_timestamps or []),
            "last_preserved_timestamp": last_preserved_timestamp}
    text = json.dumps(data, indent=1) + "\n"

    def write(tmp):
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write(text)

    atomic_write(_state_path(save_dir, latest_filename), write)


def latest_checkpoint(checkpoint_dir, latest_filename=None):
    """The prefix of the most recent checkpoint saved in ``checkpoint_dir`` (None if none)."""
    state = get_checkpoint_state(checkpoint_dir, latest_filename)
    if state is not None and checkpoint_exists(state.model_checkpoint_path):
        return state.model_checkpoint_path
    return None


# --- Saver ----------------------------------------------------------------------------------

def _variable_tensor(value):
    """The ``VariableV2`` output behind a Variable or a tensor."""
    tensor = value._as_graph_element() if hasattr(value, "_as_graph_element") else None
    if not isinstance(tensor, Tensor) or tensor.op.type != "VariableV2":
        raise TypeError(f"Saver: variable to save is not a Variable: {value!r}")
    return tensor


def _default_var_list():
    graph = get_default_graph()
    return (graph.get_collection(GraphKeys.GLOBAL_VARIABLES)
            + graph.get_collection(_SAVEABLE_OBJECTS))


def _names_to_tensors(var_list):
    """``{saved name: VariableV2 tensor}`` from None, a list or a dict."""
    if var_list is None:
        var_list = _default_var_list()
    if isinstance(var_list, dict):
        out = {}
        for name, value in var_list.items():
            if not isinstance(name, str):
                raise TypeError(f"Saver: names in a var_list dict must be strings, got {name!r}")
            out[name] = _variable_tensor(value)
        return out
    out = {}
    for value in var_list:
        tensor = _variable_tensor(value)
        name = tensor.op.name
        if name in out and out[name] is not tensor:
            raise ValueError(f"At least two variables have the same name: {name}")
        out[name] = tensor
    return out


def _is_validated(tensor):
    for consumer in tensor.consumers():
        if consumer.type == "Assign" and consumer.inputs[0] is tensor:
            return bool(consumer.get_attr("validate_shape"))
    return True


class Saver:
    """Save and restore variables (TensorFlow's ``tf.train.Saver``).

    Parameters
    ----------
    var_list : list or dict, default=None
        The variables to save: None for all global variables, a list of
        variables (saved under their op names), or a dict ``{saved name: variable}``
        (restoring under other names, e.g. for transfer learning).
    reshape : bool, default=False
        Accepted for compatibility (shapes must match).
    sharded : bool, default=False
        Accepted; learnflow writes one data file per checkpoint.
    max_to_keep : int or None, default=5
        Keep the most recent ``max_to_keep`` checkpoints, deleting older ones
        (None or 0: delete nothing, the state file lists only the latest).
    keep_checkpoint_every_n_hours : float, default=10000.0
        Additionally keep one checkpoint per this many hours.
    name : str, default=None
        Name scope of the restore ops (``"save"``).
    restore_sequentially : bool, default=False
        Accepted for compatibility.
    allow_empty : bool, default=False
        When False, a Saver with nothing to save raises ``ValueError``.
    save_relative_paths : bool, default=False
        Write paths relative to the directory in the state file.
    filename : str, default=None
        The prefix used when ``save``/``restore`` get ``save_path=None``.
    """

    def __init__(self, var_list=None, reshape=False, sharded=False, max_to_keep=5,
                 keep_checkpoint_every_n_hours=10000.0, name=None, restore_sequentially=False,
                 saver_def=None, builder=None, defer_build=False, allow_empty=False,
                 write_version=None, pad_step_number=False, save_relative_paths=False,
                 filename=None):
        self._max_to_keep = max_to_keep
        self._keep_every = keep_checkpoint_every_n_hours
        self._save_relative_paths = save_relative_paths
        self._filename = filename
        self._pad_step_number = pad_step_number
        self._last_checkpoints = []
        self._next_keep_time = time.time() + keep_checkpoint_every_n_hours * 3600
        if saver_def is not None:  # rebuilt by import_meta_graph around existing ops
            self._bind(saver_def.get("graph") or get_default_graph(), saver_def)
            return
        self._names = _names_to_tensors(var_list)
        if not self._names and not allow_empty:
            raise ValueError("No variables to save")
        self._graph = (next(iter(self._names.values())).graph if self._names
                       else get_default_graph())
        self._name = name or "save"
        self._build()

    def _build(self):
        """One placeholder + Assign per variable, grouped in ``<scope>/restore_all``."""
        graph = self._graph
        self._feeds, assigns = {}, []
        with graph.as_default(), control_dependencies(None), _OuterContext(graph, None), \
                graph.name_scope(self._name) as scope:
            self._scope = scope
            for i, (name, tensor) in enumerate(sorted(self._names.items())):
                shape = tensor.get_shape() if _is_validated(tensor) else None
                feed = array_ops.placeholder(tensor.dtype, shape, name=f"restore_value_{i}")
                assigns.append(state_ops.assign(tensor, feed, validate_shape=shape is not None,
                                                name=f"restore_{i}"))
                self._feeds[name] = feed
            self._restore_op = control_flow_ops.group(*assigns, name="restore_all")

    def _bind(self, graph, saver_def):
        self._graph = graph
        self._name = saver_def["name"]
        self._scope = self._name + "/"
        self._names = {k: graph.get_tensor_by_name(v) for k, v in saver_def["variables"].items()}
        self._feeds = {k: graph.get_tensor_by_name(v) for k, v in saver_def["feeds"].items()}
        self._restore_op = graph.get_operation_by_name(saver_def["restore_op"])
        self._max_to_keep = saver_def.get("max_to_keep", self._max_to_keep)
        self._keep_every = saver_def.get("keep_checkpoint_every_n_hours", self._keep_every)
        self._filename = saver_def.get("filename")

    def as_saver_def(self):
        """A JSON-able description of this saver (stored in meta graphs)."""
        return {"name": self._name,
                "variables": {k: t.name for k, t in self._names.items()},
                "feeds": {k: t.name for k, t in self._feeds.items()},
                "restore_op": self._restore_op.name, "max_to_keep": self._max_to_keep,
                "keep_checkpoint_every_n_hours": self._keep_every, "filename": self._filename}

    # -- saving --
    def save(self, sess, save_path=None, global_step=None, latest_filename=None,
             meta_graph_suffix="meta", write_meta_graph=True, write_state=True,
             strip_default_attrs=False):
        """Save the variables' values in ``sess``; returns the checkpoint prefix.

        With ``global_step`` (an int, or a tensor/variable evaluated in ``sess``) the
        prefix is ``save_path-<step>``.
        """
        save_path = self._path(save_path)
        if global_step is not None:
            if not isinstance(global_step, (int, np.integer)):
                global_step = sess.run(global_step)
            step = int(global_step)
            suffix = f"{step:08d}" if self._pad_step_number else str(step)
            save_path = f"{save_path}-{suffix}"
        save_path = os.fspath(save_path)
        save_dir = os.path.dirname(save_path)
        if save_dir and not os.path.isdir(save_dir):
            raise ValueError(f"Parent directory of {save_path} doesn't exist, can't save.")
        _write_data(save_path, self._values(sess))
        if write_meta_graph:
            self._write_meta_graph(f"{save_path}.{meta_graph_suffix}")
        if write_state:
            self._record(save_path)
            stale = self._trim()
            update_checkpoint_state(save_dir, save_path, self.last_checkpoints, latest_filename,
                                    [t for _, t in self._last_checkpoints],
                                    save_relative_paths=self._save_relative_paths)
            for path in stale:  # only once the state file no longer lists them
                for file in (_data_path(path), f"{path}.{meta_graph_suffix}"):
                    try:
                        os.remove(file)
                    except OSError:
                        pass
        return save_path

    def _write_meta_graph(self, filename):
        from ._meta_graph import UnexportableGraphError

        try:
            self.export_meta_graph(filename)
        except UnexportableGraphError as exc:
            if os.path.exists(filename):  # never leave a stale graph next to new values
                os.remove(filename)
            warnings.warn(f"The checkpoint is saved without its meta graph {filename}: {exc}",
                          stacklevel=3)

    def _path(self, save_path):
        if save_path is None:
            save_path = self._filename
        if save_path is None:
            raise ValueError("Can't save/restore: save_path is None and the Saver has no filename.")
        return os.fspath(save_path)

    def _values(self, sess):
        names = sorted(self._names)
        if not names:
            return {}
        values = sess.run([self._names[n] for n in names])
        out = {}
        for name, value in zip(names, values):
            dtype = self._names[name].dtype
            if dtype is _dtypes.string:
                raise TypeError(f"Saver: variable {name} holds strings, which learnflow "
                                "checkpoints (safetensors) cannot store.")
            tensor = torch.from_numpy(np.array(value, order="C"))
            out[name] = tensor.to(dtype.as_torch_dtype).contiguous()
        return out

    def _record(self, save_path):
        self._last_checkpoints = [(p, t) for p, t in self._last_checkpoints if p != save_path]
        self._last_checkpoints.append((save_path, time.time()))

    def _trim(self):
        """Drop checkpoints beyond ``max_to_keep`` from the list; return those to delete."""
        if not self._max_to_keep:
            self._last_checkpoints = self._last_checkpoints[-1:]
            return []
        stale = []
        while len(self._last_checkpoints) > self._max_to_keep:
            path, stamp = self._last_checkpoints.pop(0)
            if stamp > self._next_keep_time:  # keep_checkpoint_every_n_hours
                self._next_keep_time += self._keep_every * 3600
                continue
            stale.append(path)
        return stale

    @property
    def last_checkpoints(self):
        """Prefixes of the checkpoints not deleted yet, oldest first."""
        return [p for p, _ in self._last_checkpoints]

    def set_last_checkpoints(self, last_checkpoints):
        self._last_checkpoints = [(p, time.time()) for p in last_checkpoints]

    def set_last_checkpoints_with_time(self, last_checkpoints_with_time):
        """Set the list of ``(prefix, timestamp)`` pairs this saver manages."""
        self._last_checkpoints = [(p, float(t)) for p, t in last_checkpoints_with_time]

    def recover_last_checkpoints(self, checkpoint_paths):
        """Manage the existing checkpoints among ``checkpoint_paths`` (e.g. after a restart)."""
        found = [p for p in checkpoint_paths if checkpoint_exists(p)]
        self._last_checkpoints = [(p, os.path.getmtime(_data_path(p))) for p in found]

    # -- restoring --
    def restore(self, sess, save_path):
        """Load the saved values of this saver's variables into ``sess``.

        Raises NotFoundError (missing checkpoint or key), InvalidArgumentError
        (shape or dtype mismatch) or DataLossError (corrupt file).
        """
        if save_path is None:
            raise ValueError("Can't load save_path when it is None.")
        reader = CheckpointReader(os.fspath(save_path))
        feed = {}
        for name, tensor in sorted(self._names.items()):
            value = reader._get(name)
            self._check_compatible(name, tensor, value, save_path)
            feed[self._feeds[name]] = value
        if feed:
            sess.run(self._restore_op, feed)

    @staticmethod
    def _check_compatible(name, tensor, value, save_path):
        dtype = _dtypes.as_dtype(value.dtype)
        if dtype is not tensor.dtype:
            raise errors.InvalidArgumentError(
                None, tensor.op, f"Restoring variable {tensor.op.name} from checkpoint key "
                f"{name!r} in {save_path}: dtype mismatch, the variable is "
                f"{tensor.dtype.name} and the checkpoint holds {dtype.name}.")
        if not tensor.get_shape().is_compatible_with(list(value.shape)):
            raise errors.InvalidArgumentError(
                None, tensor.op, f"Restoring variable {tensor.op.name} from checkpoint key "
                f"{name!r} in {save_path}: shape mismatch, the variable has shape "
                f"{tensor.get_shape().as_list()} and the checkpoint holds {list(value.shape)}.")

    def export_meta_graph(self, filename=None, collection_list=None, as_text=False,
                          export_scope=None, clear_devices=False, clear_extraneous_savers=False,
                          strip_default_attrs=False):
        """``train.export_meta_graph`` of this saver's graph, including this saver."""
        from ._meta_graph import export_meta_graph

        return export_meta_graph(filename, collection_list=collection_list, as_text=as_text,
                                 graph=self._graph, saver=self, clear_devices=clear_devices,
                                 export_scope=export_scope)

    def to_proto(self, export_scope=None):
        return self.as_saver_def()

    @staticmethod
    def from_proto(saver_def, import_scope=None):
        return Saver(saver_def=saver_def)
