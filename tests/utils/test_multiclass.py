"""Target types and labels against scikit-learn's on a table of targets."""

import numpy as np
import pytest
import sklearn.utils.multiclass as sk_multiclass

from learnflow.utils.multiclass import check_classification_targets, type_of_target, unique_labels

TARGETS = [
    [0, 1, 1, 0],
    [1, 2, 3],
    ["a", "b"],
    ["a", "b", "c"],
    [0.5, 1.5],
    [1.0, 2.0, 3.0],
    [[1, 0], [0, 1]],
    [[1, 2], [3, 4]],
    [[0.5, 1.5], [2.5, 3.5]],
    [[1], [2], [1]],
    np.array([True, False]),
    np.array([[True, False], [False, True]]),
    np.array([1, 2], dtype=object),
    np.array(["x", "y", "x"], dtype=object),
    [3],
]


@pytest.mark.parametrize("y", TARGETS, ids=range(len(TARGETS)))
def test_type_of_target_matches_scikit_learn(y):
    assert type_of_target(y) == sk_multiclass.type_of_target(y)


def test_unique_labels_and_errors_match_scikit_learn():
    np.testing.assert_array_equal(unique_labels([3, 5], [1, 3]), sk_multiclass.unique_labels([3, 5], [1, 3]))
    np.testing.assert_array_equal(unique_labels(["b", "a"]), sk_multiclass.unique_labels(["b", "a"]))
    with pytest.raises(ValueError, match="Mix of label input types"):
        unique_labels(["a"], [1])
    with pytest.raises(ValueError, match="Unknown label type: continuous"):
        check_classification_targets([0.1, 0.7])
    with pytest.raises(ValueError, match="Expected array-like"):
        type_of_target("not an array")
