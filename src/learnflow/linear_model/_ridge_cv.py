"""RidgeCV: ridge regression with its penalty chosen by (efficient) cross-validation.

With ``cv=None`` every alpha is scored by leave-one-out, computed in closed form
from one SVD of the centred (and weight-scaled) X: with ``Xc = U S V^T`` and
the unpenalised intercept direction ``q = sqrt(w) / ||sqrt(w)||``, the hat
matrix is ``H = q q^T + U diag(s^2 / (s^2 + alpha)) U^T`` and the LOO residual
of row i is ``(y_i - yhat_i) / (1 - H_ii)``. Any other ``cv`` runs a grid search.
"""

# SPDX-License-Identifier: BSD-3-Clause

from numbers import Real

import numpy as np
import torch

from .._engine import to_numpy
from ..base import BaseEstimator, MultiOutputMixin, RegressorMixin, _fit_context
from ..utils._param_validation import Interval, StrOptions
from ..utils.validation import check_sample_weight, validate_data
from ._base import LinearModel
from ._ridge import Ridge

__all__ = ["RidgeCV"]


def _solve_loo_residuals(X, Y, alphas, sample_weight, fit_intercept):
    """LOO residuals (in the sqrt(w)-scaled space), shape (n_alphas, n_samples, n_targets).

    # r_loo = (y - H y) / (1 - diag(H)),  H = q q^T + U diag(s^2 / (s^2 + alpha)) U^T
    """
    sqrt_w = torch.sqrt(sample_weight)
    if fit_intercept:
        mean_x = (sample_weight[:, None] * X).sum(0) / sample_weight.sum()
        X = X - mean_x
        q = sqrt_w / torch.linalg.norm(sqrt_w)
    Xs, Ys = sqrt_w[:, None] * X, sqrt_w[:, None] * Y
    U, s, _ = torch.linalg.svd(Xs, full_matrices=False)
    UtY = U.T @ Ys
    out = []
    for alpha in alphas:
        shrink = s**2 / (s**2 + alpha)
        fitted = U @ (shrink[:, None] * UtY)
        h_diag = (U**2 * shrink).sum(1)
        if fit_intercept:
            fitted = fitted + q[:, None] * (q @ Ys)[None, :]
            h_diag = h_diag + q**2
        out.append((Ys - fitted) / (1 - h_diag)[:, None])
    return torch.stack(out)


class _IdentityRegressor(RegressorMixin, BaseEstimator):
    """Returns the predictions it was built with (scores LOO predictions with a scorer)."""

    def __init__(self, predictions):
        self.predictions = predictions

    def predict(self, X):
        return self.predictions


class RidgeCV(MultiOutputMixin, RegressorMixin, LinearModel):
    """Ridge regression with built-in cross-validation of ``alpha`` (efficient leave-one-out by default).

    Parameters
    ----------
    alphas : array-like of shape (n_alphas,), default=(0.1, 1.0, 10.0)
        Candidate penalties (positive).
    fit_intercept : bool, default=True
    scoring : str or callable, default=None
        None scores by the (negative) mean squared LOO error.
    cv : int, cross-validation generator or iterable, default=None
        None: efficient leave-one-out; otherwise a grid search with these folds.
    gcv_mode : {"auto", "svd", "eigen"}, default=None
        Accepted for compatibility; the LOO errors always come from an SVD.
    store_cv_results : bool, default=False
        Keep the LOO squared errors (or predictions with ``scoring``) in ``cv_results_``.
    alpha_per_target : bool, default=False
        Choose one alpha per target (LOO only).

    Attributes
    ----------
    alpha_ : float or ndarray of shape (n_targets,)
    best_score_ : float or ndarray of shape (n_targets,)
    coef_ : ndarray of shape (n_features,) or (n_targets, n_features)
    intercept_ : float or ndarray of shape (n_targets,)
    cv_results_ : ndarray of shape (n_samples, n_alphas) or (n_samples, n_targets, n_alphas)
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from learnflow.linear_model import RidgeCV
    >>> rng = np.random.RandomState(0)
    >>> X = rng.randn(30, 3)
    >>> y = X @ [1.0, 2.0, 3.0] + 0.1 * rng.randn(30)
    >>> reg = RidgeCV().fit(X, y)
    >>> float(reg.alpha_)
    0.1
    """

    _parameter_constraints = {
        "alphas": ["array-like", Interval(Real, 0, None, closed="neither")],
        "fit_intercept": ["boolean"],
        "scoring": [str, callable, None],
        "cv": ["cv_object"],
        "gcv_mode": [StrOptions({"auto", "svd", "eigen"}), None],
        "store_cv_results": ["boolean"],
        "alpha_per_target": ["boolean"],
    }

    def __init__(self, alphas=(0.1, 1.0, 10.0), *, fit_intercept=True, scoring=None, cv=None, gcv_mode=None,
                 store_cv_results=False, alpha_per_target=False):
        self.alphas = alphas
        self.fit_intercept = fit_intercept
        self.scoring = scoring
        self.cv = cv
        self.gcv_mode = gcv_mode
        self.store_cv_results = store_cv_results
        self.alpha_per_target = alpha_per_target

    @_fit_context()
    def fit(self, X, y, sample_weight=None, **params):
        """Choose ``alpha_`` by cross-validation, then fit a Ridge with it on all the data."""
        alphas = np.atleast_1d(np.asarray(self.alphas, dtype=np.float64))
        if np.any(alphas <= 0):
            raise ValueError(f"alphas must be strictly positive. Got {self.alphas} containing some negative or null value instead.")
        X_checked, y_checked = validate_data(self, X, y, multi_output=True, y_numeric=True)
        X_np, y_np = to_numpy(X_checked), to_numpy(y_checked).astype(np.float64)
        if self.cv is None:
            self._select_loo(X_np, y_np, alphas, sample_weight)
        else:
            if self.store_cv_results:
                raise ValueError("cv!=None and store_cv_results=True are incompatible")
            if self.alpha_per_target:
                raise ValueError("cv!=None and alpha_per_target=True are incompatible")
            self._select_grid(X_np, y_np, alphas, sample_weight)
        ridge = Ridge(alpha=self.alpha_, fit_intercept=self.fit_intercept).fit(X, y, sample_weight=sample_weight)
        self.coef_, self.intercept_ = ridge.coef_, ridge.intercept_
        return self

    def _select_loo(self, X, y, alphas, sample_weight):
        weight = check_sample_weight(sample_weight, X, dtype=np.float64)
        Y = y.reshape(-1, 1) if y.ndim == 1 else y
        residuals = _solve_loo_residuals(
            torch.as_tensor(X), torch.as_tensor(Y), alphas.tolist(), torch.as_tensor(weight), self.fit_intercept
        ).numpy()  # (n_alphas, n_samples, n_targets)
        if self.scoring is None:
            per_alpha = -(residuals**2).mean(axis=1)  # (n_alphas, n_targets)
            results = residuals**2
        else:
            from ..metrics import check_scoring

            scorer = check_scoring(self, scoring=self.scoring)
            predictions = Y[None] - residuals / np.sqrt(weight)[None, :, None]
            per_alpha = np.array([
                [scorer(_IdentityRegressor(p[:, t]), X, Y[:, t]) for t in range(Y.shape[1])] for p in predictions
            ])
            results = predictions
        if self.alpha_per_target and Y.shape[1] > 1:
            best = per_alpha.argmax(axis=0)
            self.alpha_, self.best_score_ = alphas[best], per_alpha[best, np.arange(Y.shape[1])]
        else:
            scores = per_alpha.mean(axis=1)
            best = int(scores.argmax())
            self.alpha_, self.best_score_ = float(alphas[best]), float(scores[best])
        if self.store_cv_results:
            results = np.moveaxis(results, 0, -1)  # (n_samples, n_targets, n_alphas)
            self.cv_results_ = results[:, 0, :] if y.ndim == 1 else results

    def _select_grid(self, X, y, alphas, sample_weight):
        from ..model_selection import GridSearchCV

        search = GridSearchCV(
            Ridge(fit_intercept=self.fit_intercept), {"alpha": alphas.tolist()}, cv=self.cv, scoring=self.scoring
        )
        search.fit(X, y, sample_weight=sample_weight) if sample_weight is not None else search.fit(X, y)
        self.alpha_ = float(search.best_params_["alpha"])
        self.best_score_ = float(search.best_score_)
