"""Conversion between the user's arrays and the engine's torch tensors.

The rule at the API boundary: numpy in, numpy out; torch in, torch out on the
same device. Lists and pandas objects count as numpy.
"""

# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
import torch

from ._config import get_device, get_dtype

__all__ = ["is_torch", "labels_to_output", "to_numpy", "to_output", "to_tensor"]

_NUMPY_TO_TORCH_INT = {
    np.dtype("int8"): torch.int8,
    np.dtype("int16"): torch.int16,
    np.dtype("int32"): torch.int32,
    np.dtype("int64"): torch.int64,
    np.dtype("uint8"): torch.uint8,
    np.dtype("bool"): torch.bool,
}


def is_torch(array):
    """True if ``array`` is a torch tensor (its results should stay torch)."""
    return isinstance(array, torch.Tensor)


def to_tensor(array, *, dtype="float", device=None):
    """Convert lists, numpy, pandas or torch input to a tensor on the engine's device.

    Parameters
    ----------
    array : array-like or torch.Tensor
    dtype : "float", "keep" or torch.dtype, default="float"
        "float" gives the configured floating dtype of the device (float64 on the
        CPU, float32 on a GPU, unless ``config_context(dtype=...)`` says
        otherwise); "keep" keeps integer and boolean dtypes as they are.
    device : str or torch.device, default=None
        The configured device when None.

    Returns
    -------
    tensor : torch.Tensor

    Examples
    --------
    >>> from learnflow._engine import to_tensor
    >>> to_tensor([[1, 2], [3, 4]]).dtype
    torch.float64
    """
    device = get_device() if device is None else torch.device(device)
    if not isinstance(array, torch.Tensor):
        array = np.asarray(getattr(array, "to_numpy", lambda: array)())
        if dtype == "keep" and array.dtype in _NUMPY_TO_TORCH_INT:
            return torch.tensor(array, device=device)
        if array.dtype.kind not in "biuf":
            array = array.astype(np.float64)
        array = np.ascontiguousarray(array)
        if not array.flags.writeable:
            # torch cannot share read-only memory (pandas' copy-on-write hands such views out)
            array = array.copy()
        array = torch.from_numpy(array)
    if dtype == "keep":
        if array.is_floating_point():
            return array.to(device=device, dtype=get_dtype(device))
        return array.to(device=device)
    target = get_dtype(device) if dtype == "float" else dtype
    return array.to(device=device, dtype=target)


def to_numpy(tensor):
    """Copy a tensor (any device) to a numpy array; other inputs pass through ``np.asarray``."""
    if isinstance(tensor, torch.Tensor):
        tensor = tensor.detach()
        if tensor.dtype == torch.bfloat16:
            tensor = tensor.float()
        return tensor.cpu().numpy()
    return np.asarray(tensor)


def to_output(tensor, like):
    """Return ``tensor`` in the kind of array ``like`` was.

    Torch input gives a tensor on ``like``'s device; anything else gives numpy
    (float64 arrays when the engine computed in float64).
    """
    if isinstance(like, torch.Tensor):
        if isinstance(tensor, torch.Tensor):
            return tensor.detach().to(like.device)
        return torch.as_tensor(tensor, device=like.device)
    return to_numpy(tensor)


def labels_to_output(labels, like):
    """Return predicted ``labels`` (a numpy array) in the kind of array ``like`` was.

    Numeric labels follow :func:`to_output`; string or object labels stay numpy,
    since a tensor cannot hold them.
    """
    if isinstance(like, torch.Tensor) and labels.dtype.kind in "biuf":
        return torch.as_tensor(labels, device=like.device)
    return labels
