"""Run-time errors of flow sessions, mirroring ``tf.errors``.

>>> from learnflow.flow import errors
>>> issubclass(errors.InvalidArgumentError, errors.OpError)
True
"""

# SPDX-License-Identifier: BSD-3-Clause

__all__ = [
    "AbortedError", "AlreadyExistsError", "CancelledError", "DataLossError",
    "DeadlineExceededError", "FailedPreconditionError", "InternalError", "InvalidArgumentError",
    "NotFoundError", "OpError", "OutOfRangeError", "PermissionDeniedError",
    "ResourceExhaustedError", "UnavailableError", "UnimplementedError", "UnknownError",
]


class OpError(Exception):
    """An error raised while running an operation.

    Parameters
    ----------
    node_def : object or None
    op : Operation or None
        The operation that failed.
    message : str
    """

    def __init__(self, node_def, op, message, *args):
        super().__init__(message)
        self.node_def = node_def
        self.op = op
        self.message = message

    def __str__(self):
        return self.message


class CancelledError(OpError):
    """The operation was cancelled."""


class UnknownError(OpError):
    """Unknown error."""


class InvalidArgumentError(OpError, ValueError):
    """An argument is invalid: an unfed placeholder, a fed value of the wrong shape or dtype."""


class DeadlineExceededError(OpError):
    """A deadline expired before the operation could complete."""


class NotFoundError(OpError):
    """A requested entity (file, checkpoint) was not found."""


class AlreadyExistsError(OpError):
    """An entity that we attempted to create already exists."""


class PermissionDeniedError(OpError):
    """The caller does not have permission."""


class ResourceExhaustedError(OpError):
    """Some resource has been exhausted."""


class FailedPreconditionError(OpError):
    """The system is not in a state to run the operation (e.g. an uninitialized variable)."""


class AbortedError(OpError):
    """The operation was aborted."""


class OutOfRangeError(OpError):
    """The operation went past the valid range (e.g. a closed, empty queue)."""


class UnimplementedError(OpError):
    """The operation is not supported."""


class InternalError(OpError):
    """An internal invariant is broken."""


class UnavailableError(OpError):
    """The runtime is currently unavailable."""


class DataLossError(OpError):
    """Unrecoverable data loss or corruption (e.g. a tampered checkpoint)."""
