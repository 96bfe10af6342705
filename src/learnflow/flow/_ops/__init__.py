"""Op families; importing this package registers every op type."""

from . import array_ops, clip_ops, control_flow_ops, math_ops, random_ops, state_ops, while_ops  # noqa: F401,E501
