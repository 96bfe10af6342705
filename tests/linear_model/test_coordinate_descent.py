"""Lasso and ElasticNet (coordinate descent) against scikit-learn and the book's predictions."""

import warnings

import numpy as np
import pytest
import sklearn.linear_model as sk

from learnflow.exceptions import ConvergenceWarning
from learnflow.linear_model import ElasticNet, Lasso

RTOL = 1e-6


def test_books_lasso_and_elastic_net_predictions(book_regularization_data):
    X, y = book_regularization_data
    lasso = Lasso(alpha=0.1).fit(X, y.ravel())
    np.testing.assert_allclose(lasso.predict([[1.5]]), [1.53788174], rtol=1e-8)
    elastic = ElasticNet(alpha=0.1, l1_ratio=0.5).fit(X, y.ravel())
    np.testing.assert_allclose(elastic.predict([[1.5]]), [1.54333232], rtol=1e-8)


def _problem(n_samples, n_features, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.randn(n_samples, n_features)
    w = np.zeros(n_features)
    w[:5] = rng.randn(5) * 3
    y = X @ w + rng.randn(n_samples) + 1.0
    return X, y, rng.uniform(0.2, 2.0, n_samples)


PARAMS = [
    dict(alpha=1.0),
    dict(alpha=0.1, l1_ratio=0.3),
    dict(alpha=0.05, l1_ratio=0.9, fit_intercept=False),
    dict(alpha=0.5, positive=True),
    dict(alpha=0.01, l1_ratio=0.7, tol=1e-8),
]


@pytest.mark.parametrize("params", PARAMS, ids=lambda p: ",".join(f"{k}={v}" for k, v in p.items()))
@pytest.mark.parametrize("shape", [(80, 12), (30, 60)])
@pytest.mark.parametrize("weighted", [False, True])
def test_elastic_net_matches_scikit_learn(params, shape, weighted):
    """Same iterates as scikit-learn: coefficients within 1e-6 relative, same n_iter_ and gap."""
    X, y, weight = _problem(*shape)
    sw = weight if weighted else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", UserWarning)
        ours = ElasticNet(**params).fit(X, y, sample_weight=sw)
        theirs = sk.ElasticNet(**params).fit(X, y, sample_weight=sw)
    scale = np.abs(theirs.coef_).max()
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=RTOL, atol=RTOL * scale)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, rtol=RTOL, atol=1e-10)
    assert ours.n_iter_ == theirs.n_iter_
    np.testing.assert_allclose(ours.dual_gap_, theirs.dual_gap_, rtol=1e-4)


@pytest.mark.parametrize("alpha", [0.01, 0.3, 2.0])
def test_lasso_matches_scikit_learn_multi_target(alpha):
    X, y, _ = _problem(50, 10, seed=2)
    Y = np.column_stack([y, -2 * y + 1])
    ours, theirs = Lasso(alpha=alpha).fit(X, Y), sk.Lasso(alpha=alpha).fit(X, Y)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=RTOL, atol=1e-9)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, rtol=RTOL, atol=1e-9)
    assert ours.n_iter_ == theirs.n_iter_


def test_random_selection_reaches_the_same_optimum():
    X, y, _ = _problem(60, 15, seed=4)
    ours = Lasso(alpha=0.1, selection="random", random_state=0, tol=1e-10, max_iter=5000).fit(X, y)
    theirs = sk.Lasso(alpha=0.1, tol=1e-10, max_iter=5000).fit(X, y)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=1e-5, atol=1e-8)


def test_warm_start_continues_from_the_previous_coefficients():
    X, y, _ = _problem(60, 15, seed=5)
    model = ElasticNet(alpha=0.1, max_iter=3, warm_start=True, tol=1e-12)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        first = model.fit(X, y).coef_.copy()
        for _ in range(60):
            model.fit(X, y)
    assert not np.allclose(first, model.coef_, rtol=1e-9)
    reference = sk.ElasticNet(alpha=0.1, tol=1e-12, max_iter=10_000).fit(X, y)
    np.testing.assert_allclose(model.coef_, reference.coef_, rtol=1e-6, atol=1e-9)


def test_not_converging_warns_with_the_duality_gap():
    X, y, _ = _problem(40, 30, seed=6)
    with pytest.warns(ConvergenceWarning, match="Duality gap"):
        Lasso(alpha=1e-4, max_iter=2, tol=1e-12).fit(X, y)


def test_lasso_sparsity_and_l1_ratio_limit():
    X, y, _ = _problem(100, 20, seed=7)
    lasso = Lasso(alpha=0.5).fit(X, y)
    assert np.sum(lasso.coef_ != 0) <= 6
    elastic = ElasticNet(alpha=0.5, l1_ratio=1.0).fit(X, y)
    np.testing.assert_allclose(elastic.coef_, lasso.coef_, rtol=1e-12)


@pytest.mark.parametrize("precompute", [False, True, "auto"])
@pytest.mark.parametrize("offset", [0.0, 0.05, 1e4], ids=["centered-ish", "small-means", "large-means"])
def test_gram_and_residual_sweeps_match_scikit_learn(precompute, offset):
    """Tall data go through the Gram matrix whatever precompute says (the centering folded into
    X^T X, or done first when the column means dwarf the spread), wide data through the residual
    unless precompute=True. scikit-learn's ElasticNet has no "auto": compared with True there."""
    for shape in [(200, 15), (40, 60)]:
        X, y, _ = _problem(*shape, seed=3)
        X = X + offset * np.arange(1, shape[1] + 1)
        for params in [dict(alpha=0.2), dict(alpha=0.1, l1_ratio=0.4, fit_intercept=offset != 0)]:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                ours = ElasticNet(precompute=precompute, **params).fit(X, y)
                theirs = sk.ElasticNet(precompute=precompute == "auto" or precompute, **params).fit(X, y)
            scale = np.abs(theirs.coef_).max()
            np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=RTOL, atol=RTOL * scale)
            np.testing.assert_allclose(ours.intercept_, theirs.intercept_, rtol=RTOL, atol=1e-8 * max(1, abs(theirs.intercept_)))
            assert ours.n_iter_ == theirs.n_iter_


def _shifted_data(n_samples, n_features, kind, seed=4):
    """Tall data for the one-pass residual path (more than 128 features), with means the shift must handle."""
    rng = np.random.RandomState(seed)
    X = rng.randn(n_samples, n_features)
    if kind == "large-means":
        X += 1e4 * np.arange(1, n_features + 1)
    elif kind == "sorted":  # the first rows (the shift's block) unlike the rest in every column
        X = X[np.argsort(X[:, 0])] + np.linspace(0, 50, n_samples)[:, None]
    y = X[:, :6] @ rng.randn(6) * 3 + rng.randn(n_samples) + 2.0
    return X, y


@pytest.mark.parametrize("kind", ["plain", "large-means", "sorted"])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_one_pass_preparation_matches_explicit_centering(kind, fit_intercept):
    """_shifted_columns against the textbook: Xc = X - mean, ||xc_j||^2, Xc^T yc (numpy, one statement each)."""
    from learnflow.linear_model._coordinate_descent import _shifted_columns

    X, y = _shifted_data(700, 40, kind)
    Y = np.column_stack([y, -2 * y + 1])
    Z, Yc, X_offset, y_offset, norm2, cross, shift = _shifted_columns(X, Y, fit_intercept=fit_intercept, block=128)
    mean, y_mean = (X.mean(axis=0), Y.mean(axis=0)) if fit_intercept else (0 * X[0], 0 * Y[0])
    Xc = X - mean
    assert Z.flags.f_contiguous
    np.testing.assert_allclose(X_offset, mean, rtol=1e-13, atol=1e-12)
    np.testing.assert_allclose(Z - shift, Xc, rtol=1e-12, atol=1e-9 if kind == "large-means" else 1e-12)
    np.testing.assert_allclose(norm2, np.einsum("ij,ij->j", Xc, Xc), rtol=1e-12)
    np.testing.assert_allclose(cross, (Y - y_mean).T @ Xc, rtol=1e-10, atol=1e-9 * np.abs(cross).max())
    np.testing.assert_allclose(y_offset, y_mean, rtol=1e-13)
    if kind == "sorted" and fit_intercept:  # the offsets too large for the norms' one bit: centered explicitly
        assert (shift == 0).any()


@pytest.mark.parametrize("kind", ["plain", "large-means", "sorted"])
@pytest.mark.parametrize(
    "params", [dict(alpha=0.5), dict(alpha=0.05, l1_ratio=0.3), dict(alpha=0.2, positive=True)], ids=str
)
def test_one_pass_residual_sweeps_match_scikit_learn(kind, params):
    """Tall data with more than 128 features run the residual sweeps on the shifted columns (the offset
    carried as a scalar): same coefficients, intercept and n_iter_ as scikit-learn, one and two targets."""
    X, y = _shifted_data(400, 140, kind)
    Y = np.column_stack([y, y[::-1] - 3])
    for target in (y, Y):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            ours = ElasticNet(**params).fit(X, target)
            theirs = sk.ElasticNet(**params).fit(X, target)
        scale = np.abs(theirs.coef_).max()
        np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=RTOL, atol=RTOL * scale)
        np.testing.assert_allclose(ours.intercept_, theirs.intercept_, rtol=RTOL, atol=1e-6)
        assert ours.n_iter_ == theirs.n_iter_


def test_one_pass_warm_start_and_non_finite_input():
    """A warm start begins from the previous weights (offset d'w carried from the start), as scikit-learn's;
    NaN and infinity in X are reported as validation does."""
    X, y = _shifted_data(300, 150, "sorted")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ours = Lasso(alpha=2.0, warm_start=True).fit(X, y)
        theirs = sk.Lasso(alpha=2.0, warm_start=True).fit(X, y)
        ours.set_params(alpha=0.3).fit(X, y)
        theirs.set_params(alpha=0.3).fit(X, y)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=RTOL, atol=RTOL * np.abs(theirs.coef_).max())
    assert ours.n_iter_ == theirs.n_iter_
    for bad, message in [(np.nan, "contains NaN"), (np.inf, "contains infinity")]:
        X_bad = X.copy()
        X_bad[7, 3] = bad
        with pytest.raises(ValueError, match=message):
            Lasso().fit(X_bad, y)
