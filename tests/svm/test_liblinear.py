"""The primal Newton solver's Hessian (learnflow.svm._liblinear._NewtonHessian) against dense linear algebra."""

import numpy as np
import pytest

from learnflow.svm._liblinear import _NewtonHessian


@pytest.mark.parametrize("n_active", [0, 10, 39, 41, 50])  # below half the 80 columns: the active rows' system
def test_newton_step_solves_the_hessian(n_active):
    rng = np.random.default_rng(0)
    X = rng.random((50, 80))
    h = np.zeros(50)
    h[:n_active] = 2.0 * rng.random(n_active)
    g = rng.random(80)
    step = _NewtonHessian(X).solve(h, g)
    np.testing.assert_allclose((np.eye(80) + (X.T * h) @ X) @ step, g, atol=1e-12)


def test_float32_updates_then_exact_rebuild():
    """Rows entering and leaving are added in float32; once the curvature stops changing, the factor is of
    the float64 matrix built from the active rows."""
    rng = np.random.default_rng(1)
    X = rng.random((400, 60))
    hessian = _NewtonHessian(X)
    h = np.full(400, 2.0)
    hessian.factor_at(h)
    h = h.copy()
    h[:30] = 0.0  # 30 rows leave: a float32 update
    hessian.factor_at(h)
    assert hessian.approximate
    exact = np.eye(60) + (X.T * h) @ X
    np.testing.assert_allclose(hessian.matrix, exact, rtol=1e-5)
    hessian.factor_at(h)  # unchanged curvature: rebuilt in float64
    assert not hessian.approximate
    np.testing.assert_allclose(hessian.matrix, exact, rtol=1e-13)
