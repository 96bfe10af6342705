"""learnflow.svm against the book's numbers and scikit-learn's libsvm / liblinear (the oracles)."""

import numpy as np
import pytest
import torch
from sklearn import svm as sk
from sklearn.datasets import load_iris, make_classification, make_moons

from learnflow.svm import SVC, SVR, LinearSVC, LinearSVR
from tests._devices import DEVICES

IRIS = load_iris()
PETALS = IRIS.data[:, (2, 3)]


def _full_dual(model, n_samples):
    """dual_coef_ spread over all samples (zeros for non-support vectors)."""
    out = np.zeros((model.dual_coef_.shape[0], n_samples))
    out[:, model.support_] = model.dual_coef_
    return out


# --- the book's numbers ------------------------------------------------------


def test_hard_margin_setosa_versicolor():
    """Q5.6: w = [1.2941, 0.8235], b = -3.7882, support vectors (1.9, 0.4) and (3.0, 1.1)."""
    mask = IRIS.target < 2
    clf = SVC(kernel="linear", C=float("inf")).fit(PETALS[mask], IRIS.target[mask])
    np.testing.assert_allclose(clf.coef_[0], [1.2941, 0.8235], atol=1e-4)
    np.testing.assert_allclose(clf.intercept_, [-3.7882], atol=1e-4)
    assert len(clf.support_) == 2
    np.testing.assert_allclose(np.sort(clf.support_vectors_, axis=0), [[1.9, 0.4], [3.0, 1.1]])


def test_linear_svc_kernel_on_virginica():
    """Q5.8: SVC(kernel="linear", C=2) on unscaled petals, Virginica vs rest."""
    clf = SVC(kernel="linear", C=2).fit(PETALS, (IRIS.target == 2).astype(int))
    np.testing.assert_allclose(clf.coef_[0], [2.27128546, 2.71287145], atol=1e-4)
    np.testing.assert_allclose(clf.intercept_, [-15.51721253], atol=1e-4)
    assert clf.predict([[5.3, 1.3]])[0] == 1  # Q5.7 (C=1 in the book; same side here)


def test_linear_svr_book_coefficients():
    """Q5.10: LinearSVR on the Figure 5-10 data, epsilon 1.5 and 0.5."""
    rng = np.random.RandomState(42)
    X = 2 * rng.rand(50, 1)
    y = (4 + 3 * X + rng.randn(50, 1)).ravel()
    for epsilon, w, b in [(1.5, 2.9928, 3.5336), (0.5, 3.0734, 3.8482)]:
        reg = LinearSVR(epsilon=epsilon, random_state=42).fit(X, y)
        np.testing.assert_allclose(reg.coef_, [w], atol=2e-3)
        np.testing.assert_allclose(reg.intercept_, [b], atol=2e-3)


def test_linear_svc_book_prediction():
    """Q5.1: scaled LinearSVC(C=1, loss="hinge") predicts Virginica for (5.5, 1.7)."""
    mean, std = PETALS.mean(0), PETALS.std(0)
    clf = LinearSVC(C=1, loss="hinge", random_state=42).fit((PETALS - mean) / std, IRIS.target == 2)
    assert clf.predict((np.array([[5.5, 1.7]]) - mean) / std)[0]


# --- LinearSVC / LinearSVR against liblinear --------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"loss": "hinge", "dual": True},
        {"loss": "squared_hinge", "dual": True},
        {"loss": "squared_hinge", "dual": False},
        {"loss": "squared_hinge", "dual": False, "class_weight": "balanced", "C": 10},
        {"loss": "hinge", "dual": True, "fit_intercept": False},
        {"loss": "squared_hinge", "dual": True, "intercept_scaling": 5},
    ],
)
def test_linear_svc_matches_liblinear(params):
    X = (IRIS.data - IRIS.data.mean(0)) / IRIS.data.std(0)
    ours = LinearSVC(tol=1e-8, max_iter=20000, random_state=0, **params).fit(X, IRIS.target)
    theirs = sk.LinearSVC(tol=1e-8, max_iter=200000, random_state=0, **params).fit(X, IRIS.target)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=1e-4)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, atol=1e-4)
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))


@pytest.mark.parametrize("class_weight", [None, "balanced"])
def test_linear_svc_primal_one_vs_rest_on_images_matches_liblinear(class_weight):
    """The primal Newton solver on image data: blank pixels (all-zero columns, left out of the solve) get
    weight 0, the ten one-vs-rest problems (sharing their starting Hessian when the sample costs are equal)
    reach liblinear's solution."""
    from sklearn.datasets import load_digits

    X, y = load_digits(return_X_y=True)
    X = X[:600] / 16.0
    y = y[:600]
    assert (X == 0).all(axis=0).any()
    params = dict(dual=False, C=0.5, class_weight=class_weight, tol=1e-8, random_state=0)
    ours = LinearSVC(max_iter=1000, **params).fit(X, y)
    theirs = sk.LinearSVC(max_iter=100000, **params).fit(X, y)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=1e-4)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, atol=1e-4)
    np.testing.assert_array_equal(ours.coef_[:, (X == 0).all(axis=0)], 0.0)
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))


def test_linear_svc_binary_shapes_and_decision():
    X, y = PETALS, IRIS.target == 2
    clf = LinearSVC(random_state=0).fit(X, y)
    assert clf.coef_.shape == (1, 2) and clf.intercept_.shape == (1,)
    np.testing.assert_allclose(clf.decision_function(X), X @ clf.coef_[0] + clf.intercept_[0])
    np.testing.assert_array_equal(clf.classes_, [False, True])


@pytest.mark.parametrize("loss, dual", [("epsilon_insensitive", True), ("squared_epsilon_insensitive", True),
                                        ("squared_epsilon_insensitive", False)])
def test_linear_svr_matches_liblinear(loss, dual):
    rng = np.random.RandomState(0)
    X = rng.randn(80, 3)
    y = X @ [1.0, -2.0, 0.5] + 0.3 + 0.1 * rng.randn(80)
    ours = LinearSVR(loss=loss, dual=dual, epsilon=0.05, C=2, tol=1e-8, max_iter=50000).fit(X, y)
    theirs = sk.LinearSVR(loss=loss, dual=dual, epsilon=0.05, C=2, tol=1e-8, max_iter=500000).fit(X, y)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=1e-4)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, atol=1e-4)


def test_linear_svc_rejects_bad_combination():
    with pytest.raises(ValueError, match="not supported"):
        LinearSVC(loss="hinge", dual=False).fit(PETALS, IRIS.target)
    with pytest.raises(ValueError, match="class"):
        LinearSVC().fit(PETALS, np.zeros(len(PETALS)))


# --- SVC / SVR against libsvm ----------------------------------------------


def _blobs():
    X, y = make_classification(n_samples=90, n_features=4, n_informative=3, n_redundant=0, n_classes=3,
                               n_clusters_per_class=1, random_state=0)
    return X, y


@pytest.mark.parametrize(
    "params",
    [
        {"kernel": "linear", "C": 0.5},
        {"kernel": "rbf", "C": 3.0},
        {"kernel": "rbf", "gamma": "auto", "C": 1.0, "class_weight": "balanced"},
        {"kernel": "poly", "degree": 2, "coef0": 1.0, "gamma": 0.3, "C": 0.7},
        {"kernel": "rbf", "C": 2.0, "class_weight": {0: 2.0, 1: 0.5}},
    ],
)
@pytest.mark.parametrize("binary", [True, False])
def test_svc_matches_libsvm(params, binary):
    X, y = _blobs()
    if binary:
        y = (y == 1).astype(int)
    ours = SVC(tol=1e-8, **params).fit(X, y)
    theirs = sk.SVC(tol=1e-8, **params).fit(X, y)
    np.testing.assert_allclose(_full_dual(ours, len(y)), _full_dual(theirs, len(y)), atol=1e-4)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, atol=1e-4)
    big = np.abs(_full_dual(theirs, len(y))) > 1e-4
    assert set(np.flatnonzero(big.any(0))) <= set(ours.support_)
    np.testing.assert_array_equal(ours.n_support_.sum(), len(ours.support_))
    for shape in ["ovr", "ovo"]:
        ours.decision_function_shape = theirs.decision_function_shape = shape
        np.testing.assert_allclose(ours.decision_function(X), theirs.decision_function(X), atol=1e-4)
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))
    if params["kernel"] == "linear":
        np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=1e-4)


def test_svc_sigmoid_kernel_matches_libsvm():
    X, y = _blobs()
    y = (y == 1).astype(int)
    ours = SVC(kernel="sigmoid", gamma=0.05, coef0=0.1, tol=1e-8).fit(X, y)
    theirs = sk.SVC(kernel="sigmoid", gamma=0.05, coef0=0.1, tol=1e-8).fit(X, y)
    np.testing.assert_allclose(_full_dual(ours, len(y)), _full_dual(theirs, len(y)), atol=1e-4)
    np.testing.assert_allclose(ours.decision_function(X), theirs.decision_function(X), atol=1e-3)


def test_svc_layout_equals_libsvm_at_default_tol():
    X, y = _blobs()
    ours, theirs = SVC().fit(X, y), sk.SVC().fit(X, y)
    np.testing.assert_array_equal(ours.support_, theirs.support_)
    np.testing.assert_array_equal(ours.n_support_, theirs.n_support_)
    assert ours.dual_coef_.shape == theirs.dual_coef_.shape
    np.testing.assert_allclose(ours.support_vectors_, theirs.support_vectors_)
    assert ours.fit_status_ == 0 and ours.shape_fit_ == theirs.shape_fit_
    np.testing.assert_array_equal(ours.class_weight_, theirs.class_weight_)


def test_svc_break_ties_and_precomputed_and_callable():
    X, y = _blobs()
    ours = SVC(break_ties=True, tol=1e-8).fit(X, y)
    theirs = sk.SVC(break_ties=True, tol=1e-8).fit(X, y)
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))
    K = X @ X.T
    pre = SVC(kernel="precomputed", tol=1e-8).fit(K, y)
    lin = sk.SVC(kernel="linear", tol=1e-8).fit(X, y)
    np.testing.assert_allclose(pre.decision_function(K), lin.decision_function(X), atol=1e-4)
    call = SVC(kernel=lambda A, B: A @ B.T, tol=1e-8).fit(X, y)
    np.testing.assert_allclose(call.decision_function(X), lin.decision_function(X), atol=1e-4)
    with pytest.raises(AttributeError, match="linear kernel"):
        SVC().fit(X, y).coef_


def test_svc_probability():
    X, y = _blobs()
    ours = SVC(probability=True, random_state=0).fit(X, y)
    theirs = sk.SVC(probability=True, random_state=0).fit(X, y)
    proba = ours.predict_proba(X)
    np.testing.assert_allclose(proba.sum(1), 1.0)
    np.testing.assert_allclose(np.log(proba), ours.predict_log_proba(X))
    assert ours.probA_.shape == theirs.probA_.shape == (3,)
    # different cross-validation folds: the calibrated probabilities agree closely, not exactly
    assert np.abs(proba - theirs.predict_proba(X)).mean() < 0.05
    assert np.mean(proba.argmax(1) == theirs.predict_proba(X).argmax(1)) > 0.95
    assert not hasattr(SVC().fit(X, y), "predict_proba")
    np.testing.assert_array_equal(SVC(probability=True, random_state=3).fit(X, y).probA_,
                                  SVC(probability=True, random_state=3).fit(X, y).probA_)


def test_svc_moons_accuracy_close_to_sklearn():
    X, y = make_moons(n_samples=1000, noise=0.3, random_state=42)
    Xt, yt = make_moons(n_samples=1000, noise=0.3, random_state=7)
    for params in [{"kernel": "rbf", "gamma": 5, "C": 1}, {"kernel": "poly", "degree": 3, "coef0": 1, "C": 5}]:
        ours = SVC(**params).fit(X, y).score(Xt, yt)
        theirs = sk.SVC(**params).fit(X, y).score(Xt, yt)
        assert abs(ours - theirs) <= 0.003


@pytest.mark.parametrize("params", [{"kernel": "rbf", "C": 10, "epsilon": 0.05}, {"kernel": "linear", "C": 1},
                                    {"kernel": "poly", "degree": 2, "C": 100, "epsilon": 0.1, "gamma": "auto"}])
def test_svr_matches_libsvm(params):
    rng = np.random.RandomState(42)
    X = 2 * rng.rand(100, 1) - 1
    y = (0.2 + 0.1 * X + 0.5 * X**2 + rng.randn(100, 1) / 10).ravel()
    ours = SVR(tol=1e-8, **params).fit(X, y)
    theirs = sk.SVR(tol=1e-8, **params).fit(X, y)
    # the RBF kernel matrix of 100 points on a line is nearly singular: its duals are only
    # determined to about 1e-3, its predictions closely
    atol = 1e-3 if params["kernel"] == "rbf" else 1e-4
    np.testing.assert_allclose(ours.predict(X), theirs.predict(X), atol=atol)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, atol=atol)
    if params["kernel"] != "rbf":
        np.testing.assert_allclose(_full_dual(ours, len(y)), _full_dual(theirs, len(y)), atol=1e-4)
        np.testing.assert_array_equal(ours.n_support_, theirs.n_support_)


@pytest.mark.parametrize("device", DEVICES)
def test_tensor_in_tensor_out(device):
    X, y = _blobs()
    Xt = torch.as_tensor(X, device=device)
    for est in [SVC(), LinearSVC(random_state=0)]:
        est.fit(Xt, torch.as_tensor(y, device=device))
        out = est.decision_function(Xt)
        assert isinstance(out, torch.Tensor) and out.device.type == device
        np.testing.assert_allclose(out.cpu().numpy(), est.decision_function(X), atol=1e-6)
        assert isinstance(est.predict(X), np.ndarray)
    reg = SVR().fit(Xt, torch.as_tensor(X[:, 0], device=device))
    assert isinstance(reg.predict(Xt), torch.Tensor)


# --- the solver's machinery: shrinking with gradient reconstruction, the kernel cache, devices ---------


def _wide(n_samples=400, n_features=20):
    X, y = make_classification(n_samples=n_samples, n_features=n_features, n_informative=8, n_classes=3,
                               flip_y=0.1, random_state=1)
    return X / np.sqrt(n_features), y


# cache_size=200: the whole kernel matrix up front; 1 MB: too small for it, rows computed on demand
@pytest.mark.parametrize("cache_size", [200, 1])
def test_svc_shrinking_and_block_prefetch_match_libsvm(cache_size):
    """400 samples, 20 features: shrinking deactivates and brings back variables, and (on demand)
    kernel rows come in prefetched blocks (20 >= 16 features); the duals still equal libsvm's."""
    X, y = _wide()
    theirs = sk.SVC(C=10.0, tol=1e-6).fit(X, y)
    for shrinking in (True, False):
        ours = SVC(C=10.0, tol=1e-6, shrinking=shrinking, cache_size=cache_size).fit(X, y)
        np.testing.assert_allclose(_full_dual(ours, len(y)), _full_dual(theirs, len(y)), atol=1e-4)
        np.testing.assert_allclose(ours.intercept_, theirs.intercept_, atol=1e-4)


def test_kernel_matrix_in_symmetric_blocks_matches_sklearn():
    """The whole RBF kernel matrix (small problems) equals scikit-learn's rbf_kernel."""
    from sklearn.metrics.pairwise import rbf_kernel

    from learnflow.svm._libsvm import _kernel_matrix

    X = np.random.RandomState(0).randn(300, 20)
    K = _kernel_matrix(torch.as_tensor(X), "rbf", {"gamma": 0.05})
    np.testing.assert_allclose(K, rbf_kernel(X, gamma=0.05), rtol=0, atol=1e-12)


def test_svc_tiny_cache_gives_the_same_model():
    """cache_size=0.01 MB holds a few rows: the LRU evicts constantly and the model is unchanged."""
    X, y = _wide(300)
    big, tiny = SVC(C=3.0, tol=1e-6).fit(X, y), SVC(C=3.0, tol=1e-6, cache_size=0.01).fit(X, y)
    np.testing.assert_allclose(_full_dual(tiny, len(y)), _full_dual(big, len(y)), atol=1e-8)
    np.testing.assert_allclose(tiny.intercept_, big.intercept_, atol=1e-8)


# cache_size 200: the kernel matrix tiled twice up front; 4 MB: once (rows tiled one by one); 1 MB: on demand
@pytest.mark.parametrize("cache_size", [200, 4, 1])
def test_svr_shrinking_reconstruction_matches_libsvm(cache_size):
    """Epsilon-SVR on 600 samples: most of the 1,200 dual variables are shrunk and reconstructed."""
    rng = np.random.RandomState(0)
    X = rng.randn(600, 4)
    y = np.sin(X[:, 0]) + 0.5 * X[:, 1] + 0.1 * rng.randn(600)
    ours = SVR(C=1.0, epsilon=0.05, gamma=2.0, tol=1e-6, cache_size=cache_size).fit(X, y)
    theirs = sk.SVR(C=1.0, epsilon=0.05, gamma=2.0, tol=1e-6).fit(X, y)
    np.testing.assert_allclose(_full_dual(ours, len(y)), _full_dual(theirs, len(y)), atol=1e-4)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, atol=1e-4)


@pytest.mark.parametrize("device", DEVICES)
def test_svc_kernel_blocks_on_device(device):
    """Inside config_context(device=...) the kernel blocks run there (float32 on CUDA): same model."""
    import learnflow

    X, y = _wide(200)
    reference = sk.SVC(C=3.0).fit(X, y)
    with learnflow.config_context(device=device):
        ours = SVC(C=3.0).fit(X, y)
        decision = ours.decision_function(X)
    atol = 1e-4 if device == "cpu" else 2e-3
    np.testing.assert_allclose(decision, reference.decision_function(X), atol=atol)
    np.testing.assert_array_equal(ours.predict(X), reference.predict(X))


# --- every class pair at once (one-vs-one batched SMO) -------------------------------------------


def test_update_pairs_equals_the_scalar_step():
    """The vectorised two-variable step gives _update_pair's values, bit for bit (clipped or not)."""
    from learnflow.svm._libsvm import _update_pair, _update_pairs

    rng = np.random.RandomState(0)
    n = 5000
    yi, yj = np.sign(rng.randn(n)), np.sign(rng.randn(n))
    Ci, Cj = rng.choice([0.5, 1.0, 2.0], n), rng.choice([0.5, 1.0, 2.0], n)
    ai = np.where(rng.rand(n) < 0.3, 0.0, np.where(rng.rand(n) < 0.3, Ci, rng.rand(n) * Ci))
    aj = np.where(rng.rand(n) < 0.3, 0.0, np.where(rng.rand(n) < 0.3, Cj, rng.rand(n) * Cj))
    G_i, G_j, quad = 3 * rng.randn(n), 3 * rng.randn(n), 2 * rng.rand(n)
    new_i, new_j = _update_pairs(yi, yj, ai, aj, Ci, Cj, G_i, G_j, quad)
    expected = np.array([_update_pair(*t) for t in zip(yi, yj, ai, aj, Ci, Cj, G_i, G_j, quad)])
    np.testing.assert_array_equal(new_i, expected[:, 0])
    np.testing.assert_array_equal(new_j, expected[:, 1])


def test_svc_class_pairs_at_once_equal_pair_by_pair(monkeypatch):
    """Multi-class SVC solves its class pairs together when their kernel blocks fit cache_size (and
    there are more than ALONE of them: 0 here, so that the 3 pairs are); a small cache_size solves
    them one by one: the same steps (n_iter_), the same model. C=10 and tol=1e-6 need more
    iterations than variables, so shrinking runs in both."""
    from learnflow.svm import _libsvm

    monkeypatch.setattr(_libsvm, "ALONE", 0)
    X, y = _wide(400)
    batch = SVC(C=10.0, tol=1e-6).fit(X, y)
    single = SVC(C=10.0, tol=1e-6, cache_size=1).fit(X, y)
    assert batch.n_iter_.max() > 300
    np.testing.assert_array_equal(batch.n_iter_, single.n_iter_)
    np.testing.assert_array_equal(batch.support_, single.support_)
    np.testing.assert_allclose(batch.dual_coef_, single.dual_coef_, atol=1e-8)
    np.testing.assert_allclose(batch.intercept_, single.intercept_, atol=1e-8)


@pytest.mark.parametrize("alone", [0, None])  # 0: the 3 class pairs solved together
def test_svc_class_pairs_at_once_stop_at_max_iter_like_libsvm(alone, monkeypatch):
    from learnflow.svm import _libsvm

    if alone is not None:
        monkeypatch.setattr(_libsvm, "ALONE", alone)
    X, y = _blobs()
    with pytest.warns(Warning, match="max_iter"):
        ours = SVC(max_iter=5).fit(X, y)
    with pytest.warns(Warning, match="max_iter"):
        theirs = sk.SVC(max_iter=5).fit(X, y)
    np.testing.assert_array_equal(ours.n_iter_, theirs.n_iter_)
    assert ours.fit_status_ == theirs.fit_status_ == 1
