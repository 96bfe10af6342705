"""Neural networks (Chapters 10-11): time per training epoch, learnflow vs PyTorch vs scikit-learn.

Workloads (MNIST test-set images, pixels / 255, float32, batch 50, Adam(1e-3)):

* the book's 784-300-100-10 ReLU MLP, one epoch: learnflow.flow (plain graph, the
  Chapter 10 construction/execution phases) vs a hand-written PyTorch loop;
* the same epoch: learnflow.flow vs scikit-learn's ``MLPClassifier(max_iter=1)``
  (float64, its own input checks included);
* learnflow.neural_network.MLPClassifier vs scikit-learn's, one epoch each;
* the Chapter 11 5x100 He + ELU + batch-norm network, one epoch: flow vs PyTorch.

``python -m benchmarks.bench_nn [--quick]``; one torch thread on every side.
"""

# SPDX-License-Identifier: BSD-3-Clause

import argparse
import warnings
from pathlib import Path

import numpy as np
import torch

import learnflow.flow as tf
from learnflow.datasets import fetch_mnist
from learnflow.neural_network import MLPClassifier

from ._harness import compare, report

BATCH = 50


def _mnist_home():
    shared = Path(__file__).resolve().parents[2] / "shared" / "datasets"
    return shared if (shared / "mnist").is_dir() else None


class FlowNet:
    """A plain-flow network with a one-epoch ``train_epoch`` (graph built once)."""

    def __init__(self, hidden, activation, batch_norm, he_init):
        self.graph = tf.Graph()
        with self.graph.as_default():
            tf.set_random_seed(42)
            self.X = tf.placeholder(tf.float32, (None, 784))
            self.y = tf.placeholder(tf.int64, (None,))
            self.training = tf.placeholder_with_default(False, shape=())
            init = tf.initializers.he_normal() if he_init else None
            h = self.X
            for i, units in enumerate(hidden):
                h = tf.layers.dense(h, units, kernel_initializer=init, name=f"hidden{i}")
                if batch_norm:
                    h = tf.layers.batch_normalization(h, training=self.training, momentum=0.9)
                h = activation(h)
            logits = tf.layers.dense(h, 10, name="outputs")
            loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
                labels=self.y, logits=logits))
            with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
                self.train_op = tf.train.AdamOptimizer(1e-3).minimize(loss)
            self.accuracy = tf.reduce_mean(tf.cast(tf.nn.in_top_k(logits, self.y, 1),
                                                   tf.float32))
            init_op = tf.global_variables_initializer()
        self.sess = tf.Session(graph=self.graph)
        self.sess.run(init_op)

    def train_epoch(self, X, y):
        for start in range(0, len(X) - BATCH + 1, BATCH):
            self.sess.run(self.train_op, {self.X: X[start:start + BATCH],
                                          self.y: y[start:start + BATCH], self.training: True})
        return self

    def score(self, X, y):
        return float(self.sess.run(self.accuracy, {self.X: X, self.y: y}))


class TorchNet:
    """The same network as a hand-written PyTorch training loop."""

    def __init__(self, hidden, activation, batch_norm, he_init):
        torch.manual_seed(42)
        layers, n_in = [], 784
        for units in hidden:
            lin = torch.nn.Linear(n_in, units)
            if he_init:
                torch.nn.init.kaiming_normal_(lin.weight)
            layers.append(lin)
            if batch_norm:
                layers.append(torch.nn.BatchNorm1d(units, momentum=0.1, eps=1e-3))
            layers.append(activation())
            n_in = units
        self.model = torch.nn.Sequential(*layers, torch.nn.Linear(n_in, 10))
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=1e-3)

    def train_epoch(self, X, y):
        self.model.train()
        for start in range(0, len(X) - BATCH + 1, BATCH):
            self.optimizer.zero_grad()
            out = self.model(X[start:start + BATCH])
            torch.nn.functional.cross_entropy(out, y[start:start + BATCH]).backward()
            self.optimizer.step()
        return self

    def score(self, X, y):
        self.model.eval()
        with torch.no_grad():
            return float((self.model(X).argmax(1) == y).float().mean())


def _sklearn_epoch(X, y):
    from sklearn.neural_network import MLPClassifier as SkMLPClassifier

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return SkMLPClassifier((300, 100), batch_size=BATCH, max_iter=1, shuffle=False,
                               random_state=42).fit(X, y)


def _learnflow_mlp_epoch(X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return MLPClassifier((300, 100), batch_size=BATCH, max_iter=1, shuffle=False,
                             random_state=42).fit(X, y)


def main(quick=False):
    """Run the workloads and append the table to docs/benchmarks.md."""
    torch.set_num_threads(1)
    images, labels = fetch_mnist(_mnist_home(), subset="test", return_X_y=True)
    n_train = 2000 if quick else 8000
    X = (images[:n_train] / 255.0).astype(np.float32)
    y = labels[:n_train].astype(np.int64)
    X_test = (images[8000:] / 255.0).astype(np.float32)
    y_test = labels[8000:].astype(np.int64)
    Xt, yt = torch.tensor(X), torch.tensor(y)
    Xt_test, yt_test = torch.tensor(X_test), torch.tensor(y_test)
    mlp = dict(hidden=(300, 100), batch_norm=False, he_init=False)
    deep = dict(hidden=(100,) * 5, batch_norm=True, he_init=True)
    flow_mlp = FlowNet(activation=tf.nn.relu, **mlp)
    torch_mlp = TorchNet(activation=torch.nn.ReLU, **mlp)
    flow_deep = FlowNet(activation=tf.nn.elu, **deep)
    torch_deep = TorchNet(activation=torch.nn.ELU, **deep)
    X64, X64_test = X.astype(np.float64), X_test.astype(np.float64)
    rows = [
        compare(f"784-300-100-10 MLP epoch, {n_train} images: flow vs PyTorch",
                lambda: flow_mlp.train_epoch(X, y), lambda: torch_mlp.train_epoch(Xt, yt),
                learnflow_score=lambda m: m.score(X_test, y_test),
                peer_score=lambda m: m.score(Xt_test, yt_test)),
        compare(f"784-300-100-10 MLP epoch, {n_train} images: flow vs sklearn MLPClassifier",
                lambda: flow_mlp.train_epoch(X, y), lambda: _sklearn_epoch(X64, y),
                learnflow_score=lambda m: m.score(X_test, y_test),
                peer_score=lambda m: m.score(X64_test, y_test), repeats=2),
        compare(f"MLPClassifier(300, 100) 1 epoch, {n_train} images: learnflow vs sklearn",
                lambda: _learnflow_mlp_epoch(X64, y), lambda: _sklearn_epoch(X64, y),
                learnflow_score=lambda m: m.score(X64_test, y_test),
                peer_score=lambda m: m.score(X64_test, y_test), repeats=2),
        compare(f"5x100 He+ELU+BN epoch, {n_train} images: flow vs PyTorch",
                lambda: flow_deep.train_epoch(X, y), lambda: torch_deep.train_epoch(Xt, yt),
                learnflow_score=lambda m: m.score(X_test, y_test),
                peer_score=lambda m: m.score(Xt_test, yt_test)),
    ]
    report(rows, "neural networks (Chapters 10-11)",
           notes=f"MNIST test-set images ({n_train} for training, the last 2,000 for the "
                 "score), batch 50, Adam(1e-3), one torch thread; flow and PyTorch in float32, "
                 "scikit-learn and learnflow MLPClassifier in float64. Scores: test accuracy "
                 "after the warm-up and timed epochs.")
    return rows


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes")
    main(quick=parser.parse_args().quick)
