"""Global configuration: the device and dtype every computation runs with.

The configuration is thread-local (as scikit-learn's is): a ``config_context``
entered in one thread does not change what another thread computes with.
"""

# SPDX-License-Identifier: BSD-3-Clause

import threading
from contextlib import contextmanager

import torch

from ..exceptions import DeviceUnavailableError

__all__ = ["config_context", "get_config", "set_config"]

_global_config = {
    "device": "cpu",
    # None means "the device's default": float64 on the CPU, float32 on a GPU.
    "dtype": None,
    # "default" or "pandas": what transformers' transform returns.
    "transform_output": "default",
}
_threadlocal = threading.local()

_DTYPES = {
    "float64": torch.float64,
    "float32": torch.float32,
    "float16": torch.float16,
    "bfloat16": torch.bfloat16,
}
_TRANSFORM_OUTPUTS = ("default", "pandas")


def _get_threadlocal_config():
    if not hasattr(_threadlocal, "config"):
        _threadlocal.config = _global_config.copy()
    return _threadlocal.config


def _check_device(device):
    """Return ``device`` as a canonical string, or raise if it cannot be used."""
    try:
        parsed = torch.device(device)
    except (RuntimeError, TypeError) as exc:
        raise ValueError(
            f"The 'device' setting must name a torch device such as 'cpu' or "
            f"'cuda'. Received: device={device!r}"
        ) from exc
    if parsed.type == "cuda" and not torch.cuda.is_available():
        raise DeviceUnavailableError(
            f"device={device!r} was asked for, but no CUDA GPU is available on "
            "this machine (torch.cuda.is_available() is False)."
        )
    if parsed.type == "cuda" and parsed.index is not None:
        if parsed.index >= torch.cuda.device_count():
            raise DeviceUnavailableError(
                f"device={device!r} was asked for, but only "
                f"{torch.cuda.device_count()} CUDA device(s) exist."
            )
    if parsed.type not in ("cpu", "cuda", "mps"):
        raise ValueError(f"Unsupported device type {parsed.type!r} in device={device!r}.")
    return str(parsed)


def _check_dtype(dtype):
    if dtype is None:
        return None
    if isinstance(dtype, torch.dtype):
        name = str(dtype).removeprefix("torch.")
    else:
        name = str(getattr(dtype, "name", dtype))
    if name not in _DTYPES:
        raise ValueError(
            f"The 'dtype' setting must be one of {sorted(_DTYPES)} or None. "
            f"Received: dtype={dtype!r}"
        )
    return name


def get_config():
    """Return a copy of the current configuration.

    Returns
    -------
    config : dict
        Keys ``device``, ``dtype`` and ``transform_output``.

    Examples
    --------
    >>> import learnflow
    >>> learnflow.get_config()["device"]
    'cpu'
    """
    return _get_threadlocal_config().copy()


def set_config(device=None, dtype=None, transform_output=None):
    """Set the global configuration; arguments left as None are unchanged.

    Parameters
    ----------
    device : str or torch.device, default=None
        Where estimators and flow sessions compute ("cpu", "cuda", "cuda:1").
        Asking for a GPU that does not exist raises
        :class:`~learnflow.exceptions.DeviceUnavailableError`.
    dtype : {"float64", "float32", "float16", "bfloat16"} or torch.dtype, default=None
        Floating-point precision of computations. Left unset, it is float64 on
        the CPU (scikit-learn parity) and float32 on a GPU.
    transform_output : {"default", "pandas"}, default=None
        What transformers' ``transform`` returns, as scikit-learn's setting.
    """
    config = _get_threadlocal_config()
    if device is not None:
        config["device"] = _check_device(device)
    if dtype is not None:
        config["dtype"] = _check_dtype(dtype)
    if transform_output is not None:
        if transform_output not in _TRANSFORM_OUTPUTS:
            raise ValueError(
                f"The 'transform_output' setting must be one of {_TRANSFORM_OUTPUTS}. "
                f"Received: transform_output={transform_output!r}"
            )
        config["transform_output"] = transform_output


@contextmanager
def config_context(*, device=None, dtype=None, transform_output=None):
    """Temporarily change the configuration inside a ``with`` block.

    Parameters are those of :func:`set_config`.

    Examples
    --------
    >>> import learnflow
    >>> with learnflow.config_context(dtype="float32"):
    ...     print(learnflow.get_config()["dtype"])
    float32
    >>> print(learnflow.get_config()["dtype"])
    None
    """
    old_config = get_config()
    set_config(device=device, dtype=dtype, transform_output=transform_output)
    try:
        yield
    finally:
        _get_threadlocal_config().clear()
        _get_threadlocal_config().update(old_config)


def get_device():
    """The torch device computations run on now."""
    return torch.device(_get_threadlocal_config()["device"])


def get_dtype(device=None):
    """The floating dtype computations use now on ``device`` (default: the current one)."""
    name = _get_threadlocal_config()["dtype"]
    if name is not None:
        return _DTYPES[name]
    device = get_device() if device is None else torch.device(device)
    return torch.float64 if device.type == "cpu" else torch.float32
