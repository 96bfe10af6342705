"""Chapter 11 exercises 8-10 on MNIST, run through ``examples/ch11_deep_nets.py``.

Data: the offline MNIST test set split 8,000 train / 2,000 test (stratified, seed 42,
pixels / 255); the splits of each exercise are stated in the example's docstring. The book
gives no numbers for these exercises (spec section 7), so the oracles are chance level,
the same network trained from scratch with the same budget, and the timing of the same
training without the cache.
"""

import numpy as np
import pytest

import learnflow.flow as tf
from tests._examples import load_example


@pytest.fixture(scope="module")
def ch11():
    return load_example("ch11_deep_nets")


@pytest.fixture(scope="module")
def mnist(mnist_dir):
    return tf.datasets.mnist.read_data_sets(mnist_dir, validation_size=0)


def test_build_dnn_freezes_the_lower_layers(ch11):
    """Exercise 9's graph: only the unfrozen layers are trained, and feeding the frozen
    output gives the same logits as running the frozen layers (the caching recipe)."""
    net = ch11.build_dnn(5, n_hidden_layers=4, n_frozen=3, learning_rate=0.01)
    X = np.random.RandomState(0).rand(20, 784).astype(np.float32)
    y = np.arange(20) % 5
    with tf.Session() as sess:
        net["init"].run()
        frozen_vars = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, scope="hidden[1-3]/")
        free_vars = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, scope="hidden4/|logits")
        before = sess.run(frozen_vars + free_vars)
        cached = sess.run(net["frozen"], {net["X"]: X})
        np.testing.assert_allclose(sess.run(net["logits"], {net["frozen"]: cached}),
                                   sess.run(net["logits"], {net["X"]: X}), rtol=1e-6)
        sess.run(net["train_op"], {net["X"]: X, net["y"]: y})
        after = sess.run(frozen_vars + free_vars)
    assert len(frozen_vars) == 6 and len(free_vars) == 4
    for b, a in zip(before[:6], after[:6]):
        np.testing.assert_array_equal(a, b)
    for b, a in zip(before[6:], after[6:]):
        assert not np.allclose(a, b)


def test_generate_pairs_half_same(ch11):
    labels = np.repeat(np.arange(10), 5)
    images = labels[:, None].astype(np.float32)  # each "image" is its label
    A, B, same = ch11.generate_pairs(images, labels, 40, np.random.RandomState(0))
    assert A.shape == B.shape == (40, 1) and same.shape == (40, 1)
    assert same.sum() == 20
    np.testing.assert_array_equal(same.ravel() == 1, A.ravel() == B.ravel())


@pytest.fixture(scope="module")
def exercise_9(ch11, mnist, tmp_path_factory):
    model_path = str(tmp_path_factory.mktemp("ch11") / "my_model_0_to_4.ckpt")
    pretrained = ch11.pretrain_0_to_4(mnist, 10, model_path)
    results = ch11.exercise_9(mnist, 100, model_path)
    print(f"digits 0-4: {pretrained:.4f}; exercise 9: {results}")
    return pretrained, results


@pytest.mark.slow
def test_exercise_9_transfer_and_caching(exercise_9):
    """Transfer to digits 5-9 (100 images per digit): the reused frozen layers learn the new
    digits far above chance (0.2), and caching their outputs makes the epochs faster while
    computing the same model."""
    pretrained, results = exercise_9
    assert pretrained > 0.95
    assert results["reuse"] > 0.7
    assert results["reuse_cached"] == pytest.approx(results["reuse"], abs=0.005)
    assert results["speedup"] > 1.2  # measured x1.7 (loaded machine) to x2.4


@pytest.mark.slow
@pytest.mark.xfail(strict=True, reason=(
    "measured on the 8,000-image split: scratch 0.924, 5 frozen layers 0.839, 4 frozen "
    "0.876, top 2 unfrozen 0.908 (pretraining on ~3,600 images of digits 0-4 gives "
    "features too specific to beat a network trained from scratch on 500 images)"))
def test_exercise_9_reuse_beats_scratch(exercise_9):
    _, results = exercise_9
    assert results["reuse"] > results["scratch"]


@pytest.mark.slow
def test_exercise_10_siamese_pretraining(ch11, mnist, tmp_path):
    """The pair classifier beats chance (0.5) clearly, and its frozen tower with a new
    softmax beats the same network trained from scratch on 100 images per digit."""
    results = ch11.exercise_10(mnist, str(tmp_path / "my_siamese.ckpt"))
    print(f"exercise 10: {results}")
    assert results["pair_accuracy"] > 0.85  # measured 0.942
    assert results["reuse"] > results["scratch"]  # measured 0.939 vs 0.896
