"""The one way a computation leaves the requested device: loudly."""

# SPDX-License-Identifier: BSD-3-Clause

import warnings

from ..exceptions import DeviceFallbackWarning

__all__ = ["warn_device_fallback"]


def warn_device_fallback(estimator, step, device, reason):
    """Warn that ``step`` of ``estimator`` ran on the CPU instead of ``device``.

    Never fall back silently: a user who asked for a GPU must learn which part
    of the work did not run there and why.
    """
    name = estimator if isinstance(estimator, str) else type(estimator).__name__
    warnings.warn(
        f"{name}: {step} cannot run on device {str(device)!r} ({reason}); "
        "it runs on the CPU instead.",
        DeviceFallbackWarning,
        stacklevel=3,
    )
