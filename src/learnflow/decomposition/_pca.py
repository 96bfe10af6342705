"""Principal component analysis (Chapter 8, "PCA")."""

# SPDX-License-Identifier: BSD-3-Clause

import math
from numbers import Integral, Real

import numpy as np
import torch

from .._engine import check_random_state, one_blas_thread, one_torch_thread, to_numpy, to_output
from ..base import _fit_context
from ..utils._param_validation import Interval, StrOptions
from ..utils.extmath import _randomized_svd, _svd_flip_tensors
from ..utils.validation import check_is_fitted, validate_data
from ._base import _BasePCA, _fitted_tensor, _input_tensor, _thin_svd

__all__ = ["PCA"]


# Randomized sketches of up to this many multiply-adds per product run on one BLAS thread: two threads cost
# more than they share there (1000 x 784 data, 164 directions: 0.30 -> 0.13 s on a 2-core machine)
_ONE_BLAS_THREAD_SKETCH_WORK = 2 * 10**8

# ---------------------------------------------------------------------------
# Solvers: each returns (U or None, S, Vt, explained_variance, total_variance)
# ---------------------------------------------------------------------------

def _solve_full(X, mean, n_components, estimator):
    # X - mean = U S Vt; explained variance = S^2 / (m - 1)
    if X.requires_grad:
        centered = X - mean
    else:
        centered = torch.empty(X.shape[::-1], dtype=X.dtype, device=X.device).T  # column-major: LAPACK's layout
        torch.sub(X, mean, out=centered)
    U, S, Vt = _thin_svd(centered, need_u=False)  # tall data skip U: fit_transform then projects X
    variance = S**2 / (X.shape[0] - 1)
    return U, S, Vt, variance, variance.sum()


def _solve_covariance_eigh(X, mean, n_components, estimator):
    # C = (X^T X - m mean mean^T) / (m - 1) = V diag(lambda) V^T; S = sqrt(lambda (m - 1))
    n_samples = X.shape[0]
    C = (X.T @ X - n_samples * mean[:, None] * mean[None, :]) / (n_samples - 1)
    eigenvalues, eigenvectors = torch.linalg.eigh(C)
    eigenvalues = torch.clamp(torch.flip(eigenvalues, dims=(0,)), min=0.0)
    Vt = torch.flip(eigenvectors, dims=(1,)).T
    S = torch.sqrt(eigenvalues * (n_samples - 1))
    return None, S, Vt, eigenvalues, eigenvalues.sum()


def _solve_randomized(X, mean, n_components, estimator):
    # Halko et al.: X - mean ~ U S Vt with n_components + n_oversamples random directions
    centered = X - mean
    U, S, Vt = _randomized_svd(
        centered, n_components, n_oversamples=estimator.n_oversamples, n_iter=estimator.iterated_power,
        power_iteration_normalizer=estimator.power_iteration_normalizer, flip_sign=False,
        random_state=check_random_state(estimator.random_state),
    )
    return U, S, Vt, S**2 / (X.shape[0] - 1), (centered**2).sum() / (X.shape[0] - 1)


def _solve_arpack(X, mean, n_components, estimator):
    # ARPACK's Lanczos iterations (scipy.sparse.linalg.svds) on the centred data, on the CPU
    from scipy.sparse.linalg import svds

    centered = to_numpy(X - mean)
    v0 = check_random_state(estimator.random_state).uniform(-1, 1, size=min(centered.shape))
    U, S, Vt = svds(centered, k=n_components, tol=estimator.tol, v0=v0)
    U, S, Vt = (_fitted_tensor(a.copy(), X) for a in (U[:, ::-1], S[::-1], Vt[::-1]))
    total = float((centered**2).sum()) / (X.shape[0] - 1)
    return U, S, Vt, S**2 / (X.shape[0] - 1), torch.tensor(total, dtype=X.dtype)


_SOLVERS = {
    "full": _solve_full,
    "covariance_eigh": _solve_covariance_eigh,
    "randomized": _solve_randomized,
    "arpack": _solve_arpack,
}
_TRUNCATED = ("randomized", "arpack")


def _assess_dimension(spectrum, rank, n_samples):
    """Log-likelihood of a rank-``rank`` model for ``spectrum`` (Minka 2000, as scikit-learn)."""
    n_features = spectrum.shape[0]
    eps = 1e-15
    if spectrum[rank - 1] < eps:
        return -np.inf
    pu = -rank * math.log(2.0)
    for i in range(1, rank + 1):
        pu += math.lgamma((n_features - i + 1) / 2.0) - math.log(math.pi) * (n_features - i + 1) / 2.0
    pl = -np.sum(np.log(spectrum[:rank])) * n_samples / 2.0
    v = max(eps, np.sum(spectrum[rank:]) / (n_features - rank))
    pv = -math.log(v) * n_samples * (n_features - rank) / 2.0
    m = n_features * rank - rank * (rank + 1.0) / 2.0
    pp = math.log(2.0 * math.pi) * (m + rank) / 2.0
    filled = spectrum.copy()
    filled[rank:] = v
    i, j = np.triu_indices(n_features, k=1)
    keep = i < rank
    i, j = i[keep], j[keep]
    pa = np.sum(np.log((spectrum[i] - spectrum[j]) * (1.0 / filled[j] - 1.0 / filled[i])) + math.log(n_samples))
    return pu + pl + pv + pp - pa / 2.0 - rank * math.log(n_samples) / 2.0


def _infer_dimension(spectrum, n_samples):
    """The rank in [1, n_features - 1] of highest Minka log-likelihood."""
    ll = [-np.inf] + [_assess_dimension(spectrum, rank, n_samples) for rank in range(1, spectrum.shape[0])]
    return int(np.argmax(ll))


def _resolve_n_components(n_components, variance, ratio, n_samples):
    """An int from "mle", a variance fraction in (0, 1), or an int."""
    if n_components == "mle":
        return _infer_dimension(to_numpy(variance), n_samples)
    if 0 < n_components < 1.0:
        cumulative = np.cumsum(to_numpy(ratio).astype(np.float64))
        return int(np.searchsorted(cumulative, n_components, side="right") + 1)
    return int(n_components)


# ---------------------------------------------------------------------------
# Public estimator
# ---------------------------------------------------------------------------


class PCA(_BasePCA):
    """Principal component analysis: project on the axes of largest variance (Chapter 8).

    The data is centred (not scaled) and decomposed by an SVD; the sign of
    each component follows scikit-learn's ``svd_flip`` on the components, so
    ``components_`` equals scikit-learn's.

    Parameters
    ----------
    n_components : int, float, "mle" or None, default=None
        Number of components to keep; a float in (0, 1) keeps the fewest
        components whose explained variance ratio reaches it; "mle" uses
        Minka's estimate; None keeps ``min(n_samples, n_features)``.
    copy : bool, default=True
        Kept for scikit-learn compatibility (the input is never modified).
    whiten : bool, default=False
        Scale the projections to unit variance.
    svd_solver : {"auto", "full", "covariance_eigh", "arpack", "randomized"}, default="auto"
        "full" is a dense SVD, "covariance_eigh" an eigendecomposition of the
        covariance (fast when n_samples >> n_features), "randomized" Halko et
        al.'s randomized SVD (on torch), "arpack" scipy's ``svds`` (CPU).
        "auto" chooses as scikit-learn does.
    tol : float, default=0.0
        Tolerance of the "arpack" solver.
    iterated_power : int or "auto", default="auto"
        Power iterations of the "randomized" solver.
    n_oversamples : int, default=10
        Extra random vectors of the "randomized" solver.
    power_iteration_normalizer : {"auto", "QR", "LU", "none"}, default="auto"
    random_state : int, RandomState or None, default=None
        Seed of the "randomized" and "arpack" solvers.

    Attributes
    ----------
    components_ : ndarray of shape (n_components, n_features)
        The principal axes, as rows.
    explained_variance_ : ndarray of shape (n_components,)
    explained_variance_ratio_ : ndarray of shape (n_components,)
    singular_values_ : ndarray of shape (n_components,)
    mean_ : ndarray of shape (n_features,)
    n_components_ : int
    n_samples_ : int
    noise_variance_ : float
        The probabilistic PCA model's noise variance (mean of the dropped eigenvalues).
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from learnflow.decomposition import PCA
    >>> X = np.array([[-1, -1], [-2, -1], [-3, -2], [1, 1], [2, 1], [3, 2]])
    >>> pca = PCA(n_components=2).fit(X)
    >>> print(pca.explained_variance_ratio_.round(5))
    [0.99244 0.00756]
    >>> print(pca.singular_values_.round(5))
    [6.30061 0.5498 ]
    """

    _parameter_constraints = {
        "n_components": [
            Interval(Integral, 0, None, closed="left"),
            Interval("real_not_int", 0, 1, closed="neither"),
            StrOptions({"mle"}),
            None,
        ],
        "copy": ["boolean"],
        "whiten": ["boolean"],
        "svd_solver": [StrOptions({"auto", "full", "covariance_eigh", "arpack", "randomized"})],
        "tol": [Interval(Real, 0, None, closed="left")],
        "iterated_power": [StrOptions({"auto"}), Interval(Integral, 0, None, closed="left")],
        "n_oversamples": [Interval(Integral, 1, None, closed="left")],
        "power_iteration_normalizer": [StrOptions({"auto", "QR", "LU", "none"})],
        "random_state": ["random_state"],
    }

    def __init__(self, n_components=None, *, copy=True, whiten=False, svd_solver="auto", tol=0.0,
                 iterated_power="auto", n_oversamples=10, power_iteration_normalizer="auto", random_state=None):
        self.n_components = n_components
        self.copy = copy
        self.whiten = whiten
        self.svd_solver = svd_solver
        self.tol = tol
        self.iterated_power = iterated_power
        self.n_oversamples = n_oversamples
        self.power_iteration_normalizer = power_iteration_normalizer
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Fit the model with X.

        Parameters
        ----------
        X : array-like or tensor of shape (n_samples, n_features)
        y : ignored

        Returns
        -------
        self : PCA
        """
        self._fit(X)
        return self

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_transform(self, X, y=None):
        """Fit the model with X and return its projection (from the SVD's U when it has one)."""
        U, S, X_t, X_checked = self._fit(X)
        k = self.n_components_
        if U is None:
            return to_output(self._project(X_t), X_checked)
        U = U[:, :k]
        U = U * math.sqrt(X_t.shape[0] - 1) if self.whiten else U * S[:k]
        return to_output(U, X_checked)

    def _choose_solver(self, shape, n_components):
        """scikit-learn's "auto" policy."""
        if self.svd_solver != "auto":
            return self.svd_solver
        n_samples, n_features = shape
        if n_features <= 1_000 and n_samples >= 10 * n_features:
            return "covariance_eigh"
        if max(shape) <= 500 or n_components == "mle":
            return "full"
        if 1 <= n_components < 0.8 * min(shape):
            return "randomized"
        return "full"

    def _check_n_components(self, solver, n_components, shape):
        n_samples, n_features = shape
        bound = min(shape)
        if n_components == "mle":
            if solver in _TRUNCATED:
                raise ValueError(f"n_components='mle' cannot be a string with svd_solver='{solver}'")
            if n_samples < n_features:
                raise ValueError("n_components='mle' is only supported if n_samples >= n_features")
            return
        if solver in _TRUNCATED:
            if not 1 <= n_components <= bound:
                raise ValueError(
                    f"n_components={n_components!r} must be between 1 and min(n_samples, n_features)="
                    f"{bound!r} with svd_solver='{solver}'"
                )
            if solver == "arpack" and n_components == bound:
                raise ValueError(
                    f"n_components={n_components!r} must be strictly less than min(n_samples, n_features)="
                    f"{bound!r} with svd_solver='{solver}'"
                )
        elif not 0 <= n_components <= bound:
            raise ValueError(
                f"n_components={n_components} must be between 0 and min(n_samples, n_features)={bound} "
                f"with svd_solver={solver!r}"
            )

    def _fit(self, X):
        X_checked = validate_data(self, X, ensure_min_samples=2)
        X_t = _input_tensor(X_checked)
        shape = tuple(X_t.shape)
        n_components = self.n_components
        if n_components is None:
            n_components = min(shape) - 1 if self.svd_solver == "arpack" else min(shape)
        solver = self._choose_solver(shape, n_components)
        self._check_n_components(solver, n_components, shape)
        self._fit_svd_solver = solver
        # the "full", "randomized" and "arpack" factorizations run in scipy's LAPACK (on the CPU), with its
        # own threads: torch's few elementwise steps take one, so that its idle OpenMP workers do not spin
        # against LAPACK's
        small_sketch = (solver == "randomized"
                        and shape[0] * shape[1] * (n_components + self.n_oversamples) <= _ONE_BLAS_THREAD_SKETCH_WORK)
        with one_torch_thread(X_t.device, enabled=solver != "covariance_eigh"), one_blas_thread(small_sketch):
            mean = X_t.mean(dim=0)
            U, S, Vt, variance, total = _SOLVERS[solver](X_t, mean, n_components, self)
        ratio = variance / total
        if solver not in _TRUNCATED:
            n_components = _resolve_n_components(n_components, variance, ratio, shape[0])
        # only the kept components are stored (and U's matching columns projected): flip just those
        k = n_components
        U, Vt = _svd_flip_tensors(None if U is None else U[:, :k], Vt[:k], u_based_decision=False)
        self._store(Vt, S, variance, ratio, total, mean, n_components, shape, solver)
        return U, S, X_t, X_checked

    def _store(self, Vt, S, variance, ratio, total, mean, k, shape, solver):
        self.mean_ = to_numpy(mean)
        self.n_samples_ = shape[0]
        self.n_components_ = k
        self.components_ = to_numpy(Vt[:k]).copy()
        self.explained_variance_ = to_numpy(variance[:k]).copy()
        self.explained_variance_ratio_ = to_numpy(ratio[:k]).copy()
        self.singular_values_ = to_numpy(S[:k]).copy()
        if k >= min(shape):
            self.noise_variance_ = 0.0
        elif solver in _TRUNCATED:
            self.noise_variance_ = float(total - variance[:k].sum()) / (min(shape) - k)
        else:
            self.noise_variance_ = float(variance[k:].mean())

    def score_samples(self, X):
        """Log-likelihood of each sample under the probabilistic PCA model (Tipping & Bishop 1999).

        Parameters
        ----------
        X : array-like or tensor of shape (n_samples, n_features)

        Returns
        -------
        ll : ndarray or tensor of shape (n_samples,)
        """
        check_is_fitted(self)
        X_checked = validate_data(self, X, reset=False)
        X_t = _input_tensor(X_checked)
        residual = X_t - _fitted_tensor(self.mean_, X_t)
        precision = _fitted_tensor(self.get_precision(), X_t)
        log_like = -0.5 * (residual * (residual @ precision)).sum(dim=1)
        sign, logdet = torch.linalg.slogdet(precision)
        logdet = logdet if sign > 0 else torch.tensor(-math.inf, dtype=X_t.dtype)
        log_like -= 0.5 * (X_t.shape[1] * math.log(2.0 * math.pi) - logdet)
        return to_output(log_like, X_checked)

    def score(self, X, y=None):
        """Average log-likelihood of the samples under the model.

        Returns
        -------
        ll : float
        """
        return float(np.mean(to_numpy(self.score_samples(X))))
