"""Op families; importing this package registers every op type."""

from . import array_ops, math_ops, random_ops, state_ops, control_flow_ops  # noqa: F401
