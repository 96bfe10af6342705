"""Estimator tags: what an estimator accepts and does, in scikit-learn's schema.

The dataclasses have scikit-learn's field names (1.6+). scikit-learn's checks
insist on instances of its own classes, so when scikit-learn is already loaded
(its tools are the only callers that care) ``tag_types()`` hands out its
classes; learnflow itself never imports scikit-learn.
"""

# SPDX-License-Identifier: BSD-3-Clause

import sys
from dataclasses import dataclass, field

__all__ = [
    "ClassifierTags",
    "InputTags",
    "RegressorTags",
    "Tags",
    "TargetTags",
    "TransformerTags",
    "get_tags",
    "tag_types",
]


@dataclass(slots=True)
class InputTags:
    """What ``X`` may be."""

    one_d_array: bool = False
    two_d_array: bool = True
    three_d_array: bool = False
    sparse: bool = False
    categorical: bool = False
    string: bool = False
    dict: bool = False
    positive_only: bool = False
    allow_nan: bool = False
    pairwise: bool = False


@dataclass(slots=True)
class TargetTags:
    """What ``y`` must or may be."""

    required: bool
    one_d_labels: bool = False
    two_d_labels: bool = False
    positive_only: bool = False
    multi_output: bool = False
    single_output: bool = True


@dataclass(slots=True)
class TransformerTags:
    """Which input dtypes ``transform`` keeps."""

    preserves_dtype: list[str] = field(default_factory=lambda: ["float64"])


@dataclass(slots=True)
class ClassifierTags:
    """What a classifier handles."""

    poor_score: bool = False
    multi_class: bool = True
    multi_label: bool = False


@dataclass(slots=True)
class RegressorTags:
    """What a regressor handles."""

    poor_score: bool = False


@dataclass(slots=True)
class Tags:
    """All tags of an estimator."""

    estimator_type: str | None
    target_tags: TargetTags
    transformer_tags: TransformerTags | None = None
    classifier_tags: ClassifierTags | None = None
    regressor_tags: RegressorTags | None = None
    array_api_support: bool = False
    no_validation: bool = False
    non_deterministic: bool = False
    requires_fit: bool = True
    _skip_test: bool = False
    input_tags: InputTags = field(default_factory=InputTags)


def tag_types():
    """The module whose tag dataclasses to build: scikit-learn's if loaded, else this one."""
    sklearn_utils = sys.modules.get("sklearn.utils")
    if sklearn_utils is not None and hasattr(sklearn_utils, "Tags"):
        return sklearn_utils
    return sys.modules[__name__]


def get_tags(estimator):
    """The tags of an estimator instance (ours or any scikit-learn-compatible one).

    Examples
    --------
    >>> from learnflow.dummy import DummyRegressor
    >>> from learnflow.utils import get_tags
    >>> get_tags(DummyRegressor()).estimator_type
    'regressor'
    """
    if isinstance(estimator, type):
        raise TypeError(
            f"Expected an estimator instance ({estimator.__name__}()), got the "
            f"class {estimator.__name__} instead."
        )
    if hasattr(estimator, "__sklearn_tags__"):
        return estimator.__sklearn_tags__()
    types = tag_types()
    return types.Tags(estimator_type=None, target_tags=types.TargetTags(required=False))
