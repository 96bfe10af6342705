"""The feed-forward network behind DNNClassifier / DNNRegressor, built and trained in flow.

Construction phase: ``_build_graph`` makes the book's Chapter 10 network
(``dense -> [batch norm] -> activation -> [dropout]`` per hidden layer, a linear
output layer, cross-entropy or squared-error loss, an optimizer and the
UPDATE_OPS dependency). Execution phase: ``_train`` runs mini-batches in a
session; the learned variables are kept as numpy arrays (picklable) and loaded
into a fresh inference graph by ``_predict`` / ``_session_runs``.
"""

# SPDX-License-Identifier: BSD-3-Clause

import numpy as np

from ... import flow as tf

__all__ = []

# optimizer names of TF.Learn -> factory(learning_rate)
OPTIMIZERS = {
    "Adagrad": lambda lr: tf.train.AdagradOptimizer(lr),
    "Adam": lambda lr: tf.train.AdamOptimizer(lr),
    "SGD": lambda lr: tf.train.GradientDescentOptimizer(lr),
    "Momentum": lambda lr: tf.train.MomentumOptimizer(lr, 0.9),
    "RMSProp": lambda lr: tf.train.RMSPropOptimizer(lr),
    "Ftrl": lambda lr: tf.train.FtrlOptimizer(lr),
}


def _make_optimizer(optimizer, learning_rate):
    if isinstance(optimizer, str):
        return OPTIMIZERS[optimizer](learning_rate)
    if isinstance(optimizer, tf.train.Optimizer):
        return optimizer
    return optimizer()  # a factory, e.g. lambda: tf.train.AdamOptimizer(0.01)


def _build_graph(spec, n_features, n_outputs, seed, train=True):
    """The network of ``spec`` (hidden_units, activation_fn, dropout, batch_norm, loss,
    optimizer, learning_rate) in a new graph; returns a dict of its tensors."""
    graph = tf.Graph()
    with graph.as_default():
        if seed is not None:
            tf.set_random_seed(seed)
        X = tf.placeholder(tf.float64, [None, n_features], name="X")
        training = tf.placeholder_with_default(False, shape=(), name="training")
        h = X
        for i, units in enumerate(spec["hidden_units"]):
            with tf.variable_scope(f"hiddenlayer_{i}"):
                h = tf.layers.dense(h, units, use_bias=not spec["batch_norm"], name="dense")
                if spec["batch_norm"]:
                    h = tf.layers.batch_normalization(h, training=training, momentum=0.9)
                h = spec["activation_fn"](h)
                if spec["dropout"]:
                    h = tf.layers.dropout(h, rate=spec["dropout"], training=training)
        logits = tf.layers.dense(h, n_outputs, name="logits")
        if spec["loss"] == "softmax":
            y = tf.placeholder(tf.int64, [None], name="y")
            output = tf.nn.softmax(logits)
            losses = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits)
        else:
            y = tf.placeholder(tf.float64, [None, n_outputs], name="y")
            output = logits
            losses = tf.reduce_sum(tf.square(logits - y), axis=1)
        loss = tf.reduce_mean(losses, name="loss")
        global_step = tf.train.get_or_create_global_step()
        train_op = None
        if train:
            optimizer = _make_optimizer(spec["optimizer"], spec["learning_rate"])
            with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
                train_op = optimizer.minimize(loss, global_step=global_step)
        init = tf.global_variables_initializer()
    return {"graph": graph, "X": X, "y": y, "training": training, "logits": logits, "output": output,
            "loss": loss, "train_op": train_op, "init": init, "global_step": global_step}


def _model_variables(net):
    """The variables to keep after training (model weights, BN statistics, global step)."""
    names = ("hiddenlayer_", "logits/", "global_step")
    return [v for v in net["graph"].get_collection(tf.GraphKeys.GLOBAL_VARIABLES)
            if v.op.name.startswith(names)]


def epoch_batches(X, y, batch_size, rng):
    """Shuffled mini-batches ``(X[idx], y[idx])``, epoch after epoch, without end."""
    while True:
        order = rng.permutation(len(X))
        for start in range(0, len(X), batch_size):
            idx = order[start:start + batch_size]
            yield X[idx], y[idx]


def _train(net, batches, params=None, model_dir=None):
    """One optimizer step per ``(X, y)`` batch of ``batches``, starting from ``params`` (the
    variables of an earlier training) if given; returns (variables dict, [(batch loss,
    batch size), ...])."""
    batch_losses = []
    with tf.Session(graph=net["graph"]) as sess:
        sess.run(net["init"])
        if params is not None:
            _load(sess, net, params)
        for X, y in batches:
            _, batch_loss = sess.run([net["train_op"], net["loss"]], {
                net["X"]: X, net["y"]: y, net["training"]: True})
            batch_losses.append((float(batch_loss), len(X)))
        if model_dir is not None:
            _save_checkpoint(sess, net, model_dir)
        variables = _model_variables(net)
        return dict(zip([v.op.name for v in variables], sess.run(variables))), batch_losses


def _save_checkpoint(sess, net, model_dir):
    import os

    with net["graph"].as_default():
        saver = tf.train.Saver(_model_variables(net))
    os.makedirs(model_dir, exist_ok=True)
    saver.save(sess, os.path.join(model_dir, "model.ckpt"), global_step=net["global_step"])


def _load(sess, net, params):
    for var in _model_variables(net):
        if var.op.name in params:
            var.load(params[var.op.name], sess)


def _session_runs(net, params, feeds, fetches):
    """``sess.run(fetches, feed)`` for each feed dict of ``feeds`` (lazily), in one session
    holding the stored variables ``params``."""
    with tf.Session(graph=net["graph"]) as sess:
        sess.run(net["init"])
        _load(sess, net, params)
        for feed in feeds:
            yield sess.run(fetches, feed)


def _predict(net, params, X, y=None, batch_size=10000):
    """Network outputs (and the mean loss when ``y`` is given) with the stored variables."""
    starts = range(0, len(X), batch_size)
    if y is None:
        feeds = ({net["X"]: X[s:s + batch_size]} for s in starts)
        outputs = list(_session_runs(net, params, feeds, net["output"]))
        return (np.concatenate(outputs) if outputs else np.empty((0, 0))), None
    feeds = ({net["X"]: X[s:s + batch_size], net["y"]: y[s:s + batch_size]} for s in starts)
    runs = list(_session_runs(net, params, feeds, [net["output"], net["loss"]]))
    total = sum(loss * len(out) for out, loss in runs)
    outputs = np.concatenate([out for out, _ in runs]) if runs else np.empty((0, 0))
    return outputs, total / max(len(X), 1)
