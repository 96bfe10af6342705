"""PolynomialFeatures: polynomial and interaction terms (Chapter 4, "Polynomial Regression")."""

# SPDX-License-Identifier: BSD-3-Clause

from itertools import chain, combinations, combinations_with_replacement
from numbers import Integral

import numpy as np
import torch

from .._engine import to_output, to_tensor
from ..base import BaseEstimator, TransformerMixin, _fit_context
from ..utils._param_validation import Interval, StrOptions
from ..utils.validation import check_is_fitted, validate_data
from ..utils.validation import _check_feature_names_in

__all__ = ["PolynomialFeatures"]


def _solve_powers(n_features, min_degree, max_degree, interaction_only, include_bias):
    """Exponent matrix of the output terms, in scikit-learn's order.

    # term_k(x) = prod_j x_j ** powers[k, j]; terms by degree, then lexicographic
    """
    comb = combinations if interaction_only else combinations_with_replacement
    start = max(1, min_degree)
    terms = chain.from_iterable(comb(range(n_features), d) for d in range(start, max_degree + 1))
    if include_bias:
        terms = chain([()], terms)
    powers = [np.bincount(np.asarray(t, dtype=np.int64), minlength=n_features) for t in terms]
    return np.vstack(powers).astype(np.int64) if powers else np.zeros((0, n_features), dtype=np.int64)


def _solve_polynomial(X, powers):
    """Evaluate every term: ``prod_j X[:, j] ** powers[k, j]`` for each row k of powers."""
    out = torch.ones((X.shape[0], powers.shape[0]), dtype=X.dtype, device=X.device)
    for k, row in enumerate(powers):
        for j in np.flatnonzero(row):
            out[:, k] *= X[:, j] ** int(row[j]) if row[j] > 1 else X[:, j]
    return out


class PolynomialFeatures(TransformerMixin, BaseEstimator):
    """Generate polynomial and interaction features up to a degree.

    Parameters
    ----------
    degree : int or tuple (min_degree, max_degree), default=2
    interaction_only : bool, default=False
        Only products of distinct features (no ``x0^2``).
    include_bias : bool, default=True
        Include the all-ones column.
    order : {"C", "F"}, default="C"
        Memory order of the numpy output.

    Attributes
    ----------
    powers_ : ndarray of shape (n_output_features_, n_features_in_)
        ``powers_[k, j]`` is the exponent of feature j in output term k.
    n_output_features_ : int
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,)

    Examples
    --------
    >>> from learnflow.preprocessing import PolynomialFeatures
    >>> poly = PolynomialFeatures(degree=2).fit([[2, 3]])
    >>> poly.transform([[2, 3]])
    array([[1., 2., 3., 4., 6., 9.]])
    >>> poly.get_feature_names_out()
    array(['1', 'x0', 'x1', 'x0^2', 'x0 x1', 'x1^2'], dtype=object)
    """

    _parameter_constraints = {
        "degree": [Interval(Integral, 0, None, closed="left"), "array-like"],
        "interaction_only": ["boolean"],
        "include_bias": ["boolean"],
        "order": [StrOptions({"C", "F"})],
    }

    def __init__(self, degree=2, *, interaction_only=False, include_bias=True, order="C"):
        self.degree = degree
        self.interaction_only = interaction_only
        self.include_bias = include_bias
        self.order = order

    def _degrees(self):
        if isinstance(self.degree, Integral):
            if self.degree == 0 and not self.include_bias:
                raise ValueError(
                    "Setting degree to zero and include_bias to False would result in an empty output array."
                )
            return 0, int(self.degree)
        degree = tuple(self.degree)
        if not (
            len(degree) == 2
            and all(isinstance(d, Integral) and d >= 0 for d in degree)
            and degree[0] <= degree[1]
        ):
            raise ValueError(
                "degree=(min_degree, max_degree) must be non-negative integers that fulfil "
                f"min_degree <= max_degree, got {self.degree}."
            )
        if degree[1] == 0 and not self.include_bias:
            raise ValueError(
                "Setting both min_degree and max_degree to zero and include_bias to False would "
                "result in an empty output array."
            )
        return int(degree[0]), int(degree[1])

    @_fit_context()
    def fit(self, X, y=None):
        """Compute the output terms for X's number of features."""
        X = validate_data(self, X, reset=True)
        min_degree, max_degree = self._degrees()
        self._min_degree, self._max_degree = min_degree, max_degree
        self.powers_ = _solve_powers(X.shape[1], min_degree, max_degree, self.interaction_only, self.include_bias)
        # interaction_only with too few features can leave no term: an empty output, as in scikit-learn
        self.n_output_features_ = int(self.powers_.shape[0])
        return self

    def transform(self, X):
        """Evaluate the polynomial terms on X."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        out = to_output(_solve_polynomial(to_tensor(X), self.powers_), X)
        if isinstance(out, np.ndarray) and self.order == "F":
            out = np.asfortranarray(out)
        return out

    def get_feature_names_out(self, input_features=None):
        """Names of the terms, e.g. ``"x0^2"`` or ``"x0 x1"`` (``"1"`` for the bias)."""
        check_is_fitted(self)
        names = _check_feature_names_in(self, input_features)
        out = []
        for row in self.powers_:
            parts = [name if p == 1 else f"{name}^{p}" for name, p in zip(names, row) if p != 0]
            out.append(" ".join(parts) if parts else "1")
        return np.asarray(out, dtype=object)
