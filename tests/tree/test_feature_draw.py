"""scikit-learn's feature draw (learnflow.tree._splitter._SklearnFeatureDraw) and its random stream.

Oracles: the definition of scikit-learn's ``our_rand_r`` (xorshift32, seed 0
replaced by 1, outputs modulo 2**31) stepped one number at a time, and
scikit-learn's trees where the draw decides them (feature subsets, wide data).
"""

import numpy as np
import pytest
from sklearn import tree as sk_tree
from sklearn.datasets import load_digits

from learnflow import tree as lf_tree
from learnflow.tree import _splitter
from learnflow.tree._splitter import RAND_R_MAX, _SklearnFeatureDraw, _xorshift_stream


def _our_rand_r(seed, count):
    """scikit-learn's ``our_rand_r``, one call at a time (``_utils.pyx``)."""
    out, s = [], seed
    for _ in range(count):
        if s == 0:
            s = 1
        s ^= (s << 13) & 0xFFFFFFFF
        s ^= s >> 17
        s ^= (s << 5) & 0xFFFFFFFF
        out.append(s & RAND_R_MAX)
    return out, s


@pytest.mark.parametrize("seed", [1, 12345, 2**31 - 2, 0xFFFFFFFF])
@pytest.mark.parametrize("count", [1, 300, _splitter._STREAM_NUMPY_MIN, 70_001])
def test_stream_is_our_rand_r(seed, count):
    """Short stretches step in Python, long ones run as numpy lanes: both give the generator's numbers."""
    expected, state = _our_rand_r(seed, count)
    numbers, after = _xorshift_stream(seed, count)
    assert numbers == expected
    assert after == state


@pytest.mark.parametrize("seed", [0, 7, 2**31 - 2])
def test_draw_consumes_the_stream_as_our_rand_r(seed):
    """Draws and single numbers (the random splitter's thresholds) interleave on one stream; seed 0 is 1."""
    draw = _SklearnFeatureDraw(30, seed)
    numbers = [draw._rand() for _ in range(5)]
    for _ in range(3000):  # past several extensions of the stream, numpy lanes included
        draw.draw(0, [False] * 30, 30)
    numbers.append(draw._rand())
    reference = _our_rand_r(seed, draw.pos)[0]
    assert numbers[:5] == reference[:5]
    assert numbers[5] == reference[-1]


def test_restore_rewinds_the_draw():
    draw = _SklearnFeatureDraw(12, 3)
    is_constant = [f % 5 == 0 for f in range(12)]
    draw.draw(0, is_constant, 12)
    saved = draw.checkpoint()
    first = [draw.draw(3, is_constant, 6) for _ in range(500)]  # (the stream is extended meanwhile)
    after = draw.pos
    draw.restore(saved)
    assert [draw.draw(3, is_constant, 6) for _ in range(500)] == first
    assert draw.pos == after


@pytest.mark.parametrize("max_features", [None, 7, "sqrt"])
def test_wide_trees_draw_as_sklearn(max_features):
    """Digits' 64 features: every node draws up to 128 numbers, so the fit runs through long streams."""
    X, y = load_digits(return_X_y=True)
    params = {"random_state": 11, "max_features": max_features}
    ours = lf_tree.DecisionTreeClassifier(**params).fit(X, y).tree_
    theirs = sk_tree.DecisionTreeClassifier(**params).fit(X, y).tree_
    for name in ("children_left", "feature", "threshold", "n_node_samples"):
        np.testing.assert_array_equal(getattr(ours, name), getattr(theirs, name), err_msg=name)


def _sklearn_draw(features, constant_features, state, n_known, is_constant, max_features):
    """scikit-learn's feature sampling loop (``node_split_best``), transcribed statement by statement."""
    n_features = len(features)
    f_i, n_visited, n_found, n_drawn, n_total = n_features, 0, 0, 0, n_known
    visited, numbers = [], iter(_our_rand_r(state, 4 * n_features + 4)[0])
    while f_i > n_total and (n_visited < max_features or n_visited <= n_found + n_drawn):
        n_visited += 1
        f_j = n_drawn + next(numbers) % (f_i - n_found - n_drawn)  # rand_int(n_drawn, f_i - n_found)
        if f_j < n_known:
            features[n_drawn], features[f_j] = features[f_j], features[n_drawn]
            n_drawn += 1
            continue
        f_j += n_found
        if is_constant[features[f_j]]:
            features[f_j], features[n_total] = features[n_total], features[f_j]
            n_found += 1
            n_total += 1
            continue
        f_i -= 1
        features[f_i], features[f_j] = features[f_j], features[f_i]
        visited.append(features[f_i])
    features[:n_known] = constant_features[:n_known]
    constant_features[n_known:n_total] = features[n_known:n_total]
    return visited, n_total, n_visited


@pytest.mark.parametrize("n_features", [1, 2, 9, 100])
def test_draw_is_sklearns_loop(n_features):
    """Random nodes (known and new constants, feature subsets; a third with no constant at all, the plain
    Fisher-Yates path) after random earlier draws: same visits, same constants, same numbers used, same state
    left for the next node."""
    rng = np.random.RandomState(n_features)
    ours = _SklearnFeatureDraw(n_features, 5)
    features, constant_features, state = list(range(n_features)), list(range(n_features)), 5
    n_known = 0
    for _ in range(400):
        is_constant = (rng.rand(n_features) < rng.rand()).tolist()
        if rng.rand() < 0.3:
            is_constant, n_known = [False] * n_features, 0
        for f in constant_features[:n_known]:
            is_constant[f] = True  # (known constants stay constant below the node that found them)
        max_features = int(rng.randint(1, n_features + 1))
        before = ours.pos
        visited, n_total, n_used = _sklearn_draw(features, constant_features, state, n_known, is_constant,
                                                 max_features)
        state = _our_rand_r(state, n_used)[1]
        assert ours.draw(n_known, is_constant, max_features) == (visited, n_total)
        assert ours.pos - before == n_used
        assert ours.features == features and ours.constant_features == constant_features
        n_known = int(rng.randint(0, n_total + 1))
