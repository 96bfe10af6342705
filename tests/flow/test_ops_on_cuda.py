"""Every op of the gradient table runs on CUDA and agrees with the CPU.

The rows of ``test_gradients_table`` cover every differentiable op; here each
row's forward value and first-order gradients are computed by a session on the
GPU (``config_context(device="cuda")``) and compared, in float64, with the same
graph run on the CPU.
"""

import numpy as np
import pytest
import torch

import learnflow
import learnflow.flow as tf
from tests.flow.test_gradients_table import ROWS, _build, _sample

pytestmark = [
    pytest.mark.gpu,
    pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA GPU on this machine"),
]


def _run(row, device, values, w_val=None):
    """The row's output (and, given the output weights ``w_val``, its gradients) on ``device``."""
    with learnflow.config_context(device=device):
        graph = tf.Graph()
        xs, y, w, _, grads, *_ = _build(row, graph)
        feed = dict(zip(xs, values))
        with tf.Session(graph=graph) as sess:
            if w_val is None:
                return [sess.run(y, feed)]
            return sess.run([y] + [g for g in grads if g is not None], {**feed, w: w_val})


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
def test_op_on_cuda_matches_cpu(row):
    rng = np.random.RandomState(0)
    values = [_sample(s, row.domain, rng) for s in row.shapes]
    w_val = rng.uniform(-1, 1, np.shape(_run(row, "cpu", values)[0]))
    cpu = _run(row, "cpu", values, w_val)
    gpu = _run(row, "cuda", values, w_val)
    assert len(gpu) == len(cpu)
    for a, b in zip(gpu, cpu):
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-9, atol=1e-12, err_msg=row.id)
