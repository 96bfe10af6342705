"""FunctionTransformer: wrap any function as a transformer (the book's custom transformers)."""

# SPDX-License-Identifier: BSD-3-Clause

import warnings

import numpy as np

from .._engine import to_numpy
from ..base import BaseEstimator, TransformerMixin, _fit_context
from ..utils._available_if import available_if
from ..utils._param_validation import StrOptions
from ..utils.validation import _check_feature_names, check_array, validate_data
from ..utils.validation import _check_feature_names_in
from ._common import _n_features

__all__ = ["FunctionTransformer"]


def _identity(X):
    return X


def _allclose(a, b):
    if hasattr(a, "toarray"):
        a = a.toarray()
    if hasattr(b, "toarray"):
        b = b.toarray()
    a, b = to_numpy(getattr(a, "to_numpy", lambda: a)()), to_numpy(getattr(b, "to_numpy", lambda: b)())
    try:
        return np.allclose(a.astype(float), b.astype(float), equal_nan=True, atol=1e-7)
    except (TypeError, ValueError):
        return np.array_equal(a, b)


class FunctionTransformer(TransformerMixin, BaseEstimator):
    """Build a transformer from a function (and optionally its inverse).

    Parameters
    ----------
    func : callable, default=None
        Called as ``func(X, **kw_args)``; None is the identity.
    inverse_func : callable, default=None
        Called by ``inverse_transform`` as ``inverse_func(X, **inv_kw_args)``.
    validate : bool, default=False
        Check X with ``check_array`` (numeric 2-D, finite) before calling func.
    accept_sparse : bool, default=False
        With ``validate``, let sparse matrices through.
    check_inverse : bool, default=True
        At fit, warn when ``inverse_func(func(X))`` does not give back X.
    feature_names_out : "one-to-one", callable or None, default=None
        How ``get_feature_names_out`` names the output: the input names, or
        ``feature_names_out(self, input_features)``. None means there is no
        ``get_feature_names_out``.
    kw_args, inv_kw_args : dict, default=None
        Extra keyword arguments of func and inverse_func.

    Attributes
    ----------
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,)

    Examples
    --------
    >>> import numpy as np
    >>> from learnflow.preprocessing import FunctionTransformer
    >>> log = FunctionTransformer(np.log1p, inverse_func=np.expm1)
    >>> log.fit_transform(np.array([[0.0, 1.0]]))
    array([[0.        , 0.69314718]])
    """

    _parameter_constraints = {
        "func": [callable, None],
        "inverse_func": [callable, None],
        "validate": ["boolean"],
        "accept_sparse": ["boolean"],
        "check_inverse": ["boolean"],
        "feature_names_out": [callable, StrOptions({"one-to-one"}), None],
        "kw_args": [dict, None],
        "inv_kw_args": [dict, None],
    }

    def __init__(
        self,
        func=None,
        inverse_func=None,
        *,
        validate=False,
        accept_sparse=False,
        check_inverse=True,
        feature_names_out=None,
        kw_args=None,
        inv_kw_args=None,
    ):
        self.func = func
        self.inverse_func = inverse_func
        self.validate = validate
        self.accept_sparse = accept_sparse
        self.check_inverse = check_inverse
        self.feature_names_out = feature_names_out
        self.kw_args = kw_args
        self.inv_kw_args = inv_kw_args

    def _check_input(self, X, *, reset):
        if self.validate:
            return validate_data(self, X, reset=reset, accept_sparse=self.accept_sparse)
        if reset:
            _check_feature_names(self, X, reset=True)
            n_features = _n_features(X)
            if n_features is not None:
                self.n_features_in_ = n_features
            elif hasattr(self, "n_features_in_"):
                del self.n_features_in_
        return X

    def _check_inverse_transform(self, X):
        if hasattr(X, "iloc"):
            X = X.to_numpy()
        n = X.shape[0] if hasattr(X, "shape") else len(X)
        idx = np.arange(0, n, max(1, n // 100))
        subset = X[idx] if hasattr(X, "shape") else [X[i] for i in idx]
        if not _allclose(self.inverse_transform(self.transform(subset)), subset):
            warnings.warn(
                "The provided functions are not strictly inverse of each other. If you are sure "
                "you want to proceed regardless, set 'check_inverse=False'.",
                UserWarning,
            )

    @_fit_context()
    def fit(self, X, y=None):
        """Record the input's shape and names (and check func/inverse_func agree)."""
        X = self._check_input(X, reset=True)
        if self.check_inverse and not (self.func is None or self.inverse_func is None):
            self._check_inverse_transform(X)
        return self

    def transform(self, X):
        """Apply ``func`` to X."""
        X = self._check_input(X, reset=False)
        return (self.func or _identity)(X, **(self.kw_args or {}))

    def inverse_transform(self, X):
        """Apply ``inverse_func`` to X."""
        if self.validate:
            X = check_array(X, accept_sparse=self.accept_sparse)
        return (self.inverse_func or _identity)(X, **(self.inv_kw_args or {}))

    @available_if(lambda self: self.feature_names_out is not None)
    def get_feature_names_out(self, input_features=None):
        """The input names ("one-to-one") or what the ``feature_names_out`` callable returns."""
        if hasattr(self, "n_features_in_") or input_features is not None:
            input_features = _check_feature_names_in(self, input_features)
        if self.feature_names_out == "one-to-one":
            return np.asarray(input_features, dtype=object)
        return np.asarray(self.feature_names_out(self, input_features), dtype=object)

    def set_output(self, *, transform=None):
        """Choose the output container; a func that returns a DataFrame keeps it."""
        if transform is None:
            return self
        if transform not in ("default", "pandas"):
            raise ValueError(f"output config must be 'default' or 'pandas', got {transform!r}")
        self._sklearn_output_config = {"transform": transform}
        return self

    def __sklearn_is_fitted__(self):
        return True

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.no_validation = not self.validate
        tags.requires_fit = False
        tags.input_tags.sparse = not self.validate or self.accept_sparse
        tags.input_tags.allow_nan = not self.validate
        return tags
