"""The SMO solver's kernel-row paths against scikit-learn's libsvm (the oracle) and against each other.

Small problems take the whole kernel matrix up front (``cache_size`` large
enough), larger ones or a small ``cache_size`` compute rows on demand into
the LRU cache; multi-class SVC solves its class pairs together when their
blocks fit. Every path must take libsvm's steps: the same support vectors
and dual coefficients as scikit-learn, and the same iterations as each other.
"""

import warnings

import numpy as np
import pytest
import torch
from sklearn import svm as sk
from sklearn.datasets import make_classification

from learnflow.svm import SVC, SVR

KERNELS = {
    "rbf": {"kernel": "rbf", "gamma": 0.3},
    "poly": {"kernel": "poly", "degree": 2, "gamma": 0.3, "coef0": 1.0},
    "linear": {"kernel": "linear"},
    "sigmoid": {"kernel": "sigmoid", "gamma": 0.05, "coef0": 0.1},
}
# cache_size (MB) for the 90- and 100-sample problems below: in WHOLE the kernel matrix and, for
# 5 classes, the stacked blocks of the 10 class pairs (SVR: the matrix tiled twice, 0.15 MB) fit
# (3 classes: 3 pairs, solved one by one from the matrix, see _libsvm.ALONE); in the matrix-only
# sizes the matrix fits (SVC's 0.062 MB, SVR's 0.08 MB), not those (pairs solved one by one, SVR
# rows tiled one by one); in ON_DEMAND nothing fits and rows are computed on demand into the LRU
# cache (test_svc_cache_sizes_take_their_paths checks SVC's)
WHOLE, SVC_MATRIX_ONLY, SVR_MATRIX_ONLY, ON_DEMAND = 200, 0.07, 0.1, 0.03
SVC_PATHS = [WHOLE, SVC_MATRIX_ONLY, ON_DEMAND]
SVR_PATHS = [WHOLE, SVR_MATRIX_ONLY, ON_DEMAND]


def _classification(n_classes):
    X, y = make_classification(n_samples=90, n_features=4, n_informative=3, n_redundant=0,
                               n_classes=max(n_classes, 3), n_clusters_per_class=1, random_state=0)
    return X, (y if n_classes > 2 else (y == 1).astype(int))


def _regression():
    rng = np.random.RandomState(1)
    X = rng.randn(100, 3)
    y = np.sin(X[:, 0]) + 0.5 * X[:, 1] - 0.3 * X[:, 2] ** 2 + 0.1 * rng.randn(100)
    return X, y


def _full_dual(model, n_samples):
    out = np.zeros((model.dual_coef_.shape[0], n_samples))
    out[:, model.support_] = model.dual_coef_
    return out


def _assert_matches_libsvm(ours, theirs, ours_tight, theirs_tight, n_samples, intercept_atol=2e-5):
    """Default tol: libsvm's support vectors; tol=1e-8: its duals and intercepts (libsvm caches
    kernel values as float32, learnflow as float64: they agree to about 1e-6)."""
    np.testing.assert_array_equal(ours.support_, theirs.support_)
    np.testing.assert_array_equal(ours.n_support_, theirs.n_support_)
    np.testing.assert_allclose(_full_dual(ours_tight, n_samples), _full_dual(theirs_tight, n_samples),
                               rtol=0, atol=2e-5)
    np.testing.assert_allclose(ours_tight.intercept_, theirs_tight.intercept_, rtol=0, atol=intercept_atol)


@pytest.mark.parametrize("cache_size", SVC_PATHS)
@pytest.mark.parametrize("n_classes", [2, 3, 5])
@pytest.mark.parametrize("kernel", list(KERNELS))
def test_svc_paths_match_libsvm(kernel, n_classes, cache_size):
    X, y = _classification(n_classes)
    params = dict(KERNELS[kernel], C=1.0)
    # the sigmoid kernel is not positive semi-definite: with few free support vectors libsvm's
    # intercept (their mean gradient) moves with the last digits of the duals
    _assert_matches_libsvm(SVC(cache_size=cache_size, **params).fit(X, y), sk.SVC(**params).fit(X, y),
                           SVC(cache_size=cache_size, tol=1e-8, **params).fit(X, y),
                           sk.SVC(tol=1e-8, **params).fit(X, y), len(y),
                           intercept_atol=5e-3 if kernel == "sigmoid" else 2e-5)


@pytest.mark.parametrize("cache_size", SVR_PATHS)
@pytest.mark.parametrize("kernel", list(KERNELS))
def test_svr_paths_match_libsvm(kernel, cache_size):
    X, y = _regression()
    params = dict(KERNELS[kernel], C=1.0, epsilon=0.1)
    _assert_matches_libsvm(SVR(cache_size=cache_size, **params).fit(X, y), sk.SVR(**params).fit(X, y),
                           SVR(cache_size=cache_size, tol=1e-8, **params).fit(X, y),
                           sk.SVR(tol=1e-8, **params).fit(X, y), len(y))


@pytest.mark.parametrize("kernel", list(KERNELS))
def test_paths_take_the_same_steps(kernel):
    """The same kernel values give the same iterations: SVR rows tiled up front or one by one, and
    (RBF) class pairs together or one by one. RBF rows computed on demand equal the whole matrix's
    entries (the same products), so that path takes the same steps too; other kernels' rows on
    demand may differ from the matrix in the last bits, and their class pairs solved one by one
    from the matrix take a few steps more or fewer than solved together (each path is checked
    against libsvm by test_svc_paths_match_libsvm)."""
    n_paths = 3 if kernel == "rbf" else 2
    X, y = _regression()
    compared = [[SVR(cache_size=size, **KERNELS[kernel]).fit(X, y) for size in SVR_PATHS[:n_paths]]]
    if kernel == "rbf":
        X, y = _classification(3)
        compared.append([SVC(cache_size=size, **KERNELS[kernel]).fit(X, y) for size in SVC_PATHS])
    for models in compared:
        for other in models[1:]:
            np.testing.assert_array_equal(other.n_iter_, models[0].n_iter_)
            np.testing.assert_array_equal(other.support_, models[0].support_)
            np.testing.assert_allclose(other.dual_coef_, models[0].dual_coef_, rtol=0, atol=1e-10)


@pytest.mark.parametrize("cache_size,batched,matrix", [(WHOLE, True, True), (SVC_MATRIX_ONLY, False, True),
                                                      (ON_DEMAND, False, False)])
def test_svc_cache_sizes_take_their_paths(cache_size, batched, matrix, monkeypatch):
    """The three SVC cache sizes above really take the three solver paths the tests compare."""
    from learnflow.svm import _base

    batch_calls, matrices = [], []
    solve_batch, gram = _base._solve_svc_batch, _base.BaseLibSVM._gram
    monkeypatch.setattr(_base, "_solve_svc_batch", lambda *a, **k: batch_calls.append(1) or solve_batch(*a, **k))
    monkeypatch.setattr(_base.BaseLibSVM, "_gram",
                        lambda self, *a, **k: matrices.append(gram(self, *a, **k)) or matrices[-1])
    X, y = _classification(5)
    SVC(cache_size=cache_size, kernel="linear").fit(X, y)
    assert bool(batch_calls) == batched
    assert [K.shape for K in matrices] == ([X.shape[:1] * 2] if matrix else [])  # the whole matrix, once


@pytest.mark.parametrize("alone", [0, None, 100])
@pytest.mark.parametrize("max_iter", [-1, 40])
def test_svc_class_pairs_together_and_handed_off_match_libsvm(alone, max_iter, monkeypatch):
    """Ten class pairs solved together: every iteration batched (ALONE=0), the last ALONE problems
    handed to the single-problem loop (the default: their state carries over), or, with ALONE above
    the number of pairs, every pair one by one from the whole matrix. Each gives libsvm's support
    vectors and, at tol=1e-8, its dual coefficients; at max_iter=40 some problems converge first and
    the others stop at the limit, in the batch or after the hand-off, with libsvm's iteration counts
    and support vectors."""
    from learnflow.svm import _libsvm

    if alone is not None:
        monkeypatch.setattr(_libsvm, "ALONE", alone)
    X, y = _classification(5)
    params = dict(KERNELS["rbf"], max_iter=max_iter)
    if max_iter < 0:
        _assert_matches_libsvm(SVC(**params).fit(X, y), sk.SVC(**params).fit(X, y),
                               SVC(tol=1e-8, **params).fit(X, y), sk.SVC(tol=1e-8, **params).fit(X, y), len(y))
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # max_iter's ConvergenceWarning
        ours, theirs = SVC(**params).fit(X, y), sk.SVC(**params).fit(X, y)
    # two problems converge first (then eight are left: the default hands them off), some stop at max_iter
    assert np.sort(theirs.n_iter_)[1] < 35 and (theirs.n_iter_ == max_iter).any()
    np.testing.assert_array_equal(ours.n_iter_, theirs.n_iter_)
    assert ours.fit_status_ == theirs.fit_status_ == 1
    np.testing.assert_array_equal(ours.support_, theirs.support_)


@pytest.mark.parametrize("cache_size", [WHOLE, ON_DEMAND])
def test_all_zero_features_are_dropped_without_changing_the_model(cache_size):
    """Features that are zero on every (used) sample leave the kernel unchanged (MNIST's blank pixels)."""
    X, y = _classification(3)
    padded = np.zeros((len(X), 8))
    padded[:, [1, 4, 5, 7]] = X
    params = {"kernel": "rbf", "gamma": 0.3, "C": 2.0, "cache_size": cache_size}
    ours = SVC(**params).fit(padded, y)
    theirs = sk.SVC(**{k: v for k, v in params.items() if k != "cache_size"}).fit(padded, y)
    np.testing.assert_array_equal(ours.support_, theirs.support_)
    np.testing.assert_allclose(ours.dual_coef_, theirs.dual_coef_, rtol=0, atol=1e-5)
    np.testing.assert_allclose(ours.decision_function(padded), theirs.decision_function(padded), atol=1e-5)


def test_kernel_rows_reversed_without_zero_columns():
    """The kernel-row source: X[index] reversed, all-zero columns (on those rows) removed, values exact."""
    from learnflow.svm._libsvm import _reversed_nonzero_columns

    X = np.arange(24, dtype=np.float64).reshape(6, 4)
    X[:, 1] = 0.0
    X[[0, 2, 5], 3] = 0.0  # zero on the rows 0, 2 and 5 only
    Xt = torch.as_tensor(X)
    np.testing.assert_array_equal(_reversed_nonzero_columns(Xt).numpy(), X[::-1][:, [0, 2, 3]])
    index = torch.as_tensor([0, 2, 5])
    np.testing.assert_array_equal(_reversed_nonzero_columns(Xt, index).numpy(), X[[5, 2, 0]][:, [0, 2]])
