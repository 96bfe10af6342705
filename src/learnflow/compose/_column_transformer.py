"""ColumnTransformer: different transformers for different columns (Chapter 2's full pipeline).

Columns are picked by name, integer index, slice, boolean mask or a callable
such as :func:`make_column_selector`; outputs are concatenated side by side.
"""

# SPDX-License-Identifier: BSD-3-Clause

import numbers
import re

import numpy as np
import scipy.sparse as sp
from joblib import Parallel, delayed

from .._engine import is_torch
from ..base import TransformerMixin, _fit_context, _output_container, clone
from ..pipeline import _BaseComposition, _fit_transform_one, _hstack, _name_estimators, _safe_set_output, _transform_one
from ..preprocessing import FunctionTransformer
from ..utils.validation import _check_feature_names_in
from ..utils._bunch import Bunch
from ..utils._param_validation import HasMethods, Interval, StrOptions
from ..utils._tags import get_tags
from ..utils.validation import _check_feature_names, _check_n_features, check_array, check_is_fitted

__all__ = ["ColumnTransformer", "make_column_selector", "make_column_transformer"]


def _is_scalar_key(key):
    return isinstance(key, (str, numbers.Integral)) and not isinstance(key, bool)


def _column_indices(X, key):
    """Integer column indices that ``key`` (name(s), index(es), slice or mask) selects in X."""
    n_columns = X.shape[1]
    names = list(X.columns) if hasattr(X, "columns") else None
    if key is None or (hasattr(key, "__len__") and not isinstance(key, str) and len(key) == 0):
        return []
    if isinstance(key, slice):
        if isinstance(key.start, str) or isinstance(key.stop, str):
            if names is None:
                raise ValueError("Specifying the columns using strings is only supported for dataframes.")
            start = names.index(key.start) if key.start is not None else 0
            stop = names.index(key.stop) + 1 if key.stop is not None else n_columns
            return list(range(start, stop))
        return list(range(n_columns))[key]
    keys = [key] if _is_scalar_key(key) else list(np.asarray(key).tolist() if hasattr(key, "dtype") else key)
    if all(isinstance(k, (bool, np.bool_)) for k in keys):
        if len(keys) != n_columns:
            raise ValueError(f"Boolean column mask has {len(keys)} entries, but X has {n_columns} columns.")
        return [i for i, k in enumerate(keys) if k]
    if all(isinstance(k, str) for k in keys):
        if names is None:
            raise ValueError("Specifying the columns using strings is only supported for dataframes.")
        missing = [k for k in keys if k not in names]
        if missing:
            raise ValueError(f"A given column is not a column of the dataframe: columns are missing: {missing}")
        return [names.index(k) for k in keys]
    if all(isinstance(k, numbers.Integral) and not isinstance(k, bool) for k in keys):
        out = []
        for k in keys:
            if not -n_columns <= k < n_columns:
                raise IndexError(f"Column index {k} is out of bounds for X with {n_columns} columns.")
            out.append(int(k) % n_columns)
        return out
    raise ValueError(
        "No valid specification of the columns. Only a scalar, list or slice of all integers or all "
        "strings, or boolean mask is allowed"
    )


def _select_columns(X, key, indices):
    """The columns of X for a transformer: 1-D for a scalar key, 2-D otherwise."""
    if hasattr(X, "iloc"):
        return X.iloc[:, indices[0]] if _is_scalar_key(key) else X.iloc[:, indices]
    if _is_scalar_key(key):
        return X[:, indices[0]]
    if sp.issparse(X):
        return X.tocsc()[:, indices].tocsr()
    return X[:, indices]


def _as_2d_array(X):
    """Lists become object/numeric arrays; arrays, DataFrames, tensors and sparse pass through."""
    if hasattr(X, "shape") or hasattr(X, "iloc") or sp.issparse(X) or is_torch(X):
        if getattr(X, "ndim", 2) != 2:
            raise ValueError(
                f"Expected 2D array, got {getattr(X, 'ndim', 1)}D array instead. Reshape your data either using "
                "array.reshape(-1, 1) if your data has a single feature or array.reshape(1, -1) if it contains "
                "a single sample."
            )
        return X
    return check_array(X, ensure_all_finite=False, dtype=None)


class ColumnTransformer(TransformerMixin, _BaseComposition):
    """Apply transformers to columns of an array or DataFrame and concatenate the results.

    Parameters
    ----------
    transformers : list of (name, transformer, columns) tuples
        ``transformer`` may be "drop" or "passthrough". ``columns``: name(s),
        integer index(es), a slice, a boolean mask or a callable returning one.
    remainder : {"drop", "passthrough"} or estimator, default="drop"
        What happens to the columns no transformer names.
    sparse_threshold : float, default=0.3
        Return a sparse matrix when some output is sparse and the overall
        density is below this.
    n_jobs : int, default=None
        Fit the transformers in parallel with joblib.
    transformer_weights : dict, default=None
        Multiply a transformer's output by ``transformer_weights[name]``.
    verbose : bool, default=False
    verbose_feature_names_out : bool or str, default=True
        Prefix output names with ``"<name>__"`` (True), keep them (False,
        they must then be unique), or a format string with
        ``{transformer_name}`` and ``{feature_name}``.

    Attributes
    ----------
    transformers_ : list
        The fitted transformers with their columns (plus "remainder").
    named_transformers_ : Bunch
    sparse_output_ : bool
    output_indices_ : dict
        ``{name: slice}`` of each transformer's output columns.
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,)

    Examples
    --------
    >>> import numpy as np
    >>> from learnflow.compose import ColumnTransformer
    >>> from learnflow.preprocessing import StandardScaler
    >>> ct = ColumnTransformer([("scale", StandardScaler(), [0])], remainder="passthrough")
    >>> ct.fit_transform(np.array([[0.0, 5.0], [2.0, 6.0]]))
    array([[-1.,  5.],
           [ 1.,  6.]])
    >>> ct.get_feature_names_out().tolist()
    ['scale__x0', 'remainder__x1']
    """

    _parameter_constraints = {
        "transformers": [list],
        "remainder": [StrOptions({"drop", "passthrough"}), HasMethods(["fit", "transform"]), HasMethods(["fit_transform", "transform"])],
        "sparse_threshold": [Interval(numbers.Real, 0, 1, closed="both")],
        "n_jobs": [numbers.Integral, None],
        "transformer_weights": [dict, None],
        "verbose": ["boolean"],
        "verbose_feature_names_out": ["boolean", str],
    }

    def __init__(
        self,
        transformers,
        *,
        remainder="drop",
        sparse_threshold=0.3,
        n_jobs=None,
        transformer_weights=None,
        verbose=False,
        verbose_feature_names_out=True,
    ):
        self.transformers = transformers
        self.remainder = remainder
        self.sparse_threshold = sparse_threshold
        self.n_jobs = n_jobs
        self.transformer_weights = transformer_weights
        self.verbose = verbose
        self.verbose_feature_names_out = verbose_feature_names_out

    @property
    def _transformers(self):
        try:
            return [(name, trans) for name, trans, _ in self.transformers]
        except (TypeError, ValueError):
            return self.transformers

    @_transformers.setter
    def _transformers(self, value):
        try:
            self.transformers = [(name, trans, col) for ((name, trans), (_, _, col)) in zip(value, self.transformers)]
        except (TypeError, ValueError):
            self.transformers = value

    def get_params(self, deep=True):
        """Parameters, including each transformer and (deep) its parameters."""
        return self._get_params("_transformers", deep=deep)

    def set_params(self, **params):
        """Set parameters; a transformer can be replaced by name."""
        self._set_params("_transformers", **params)
        return self

    def _validate_transformers(self):
        if not self.transformers:
            return
        names, transformers, _ = zip(*self.transformers)
        self._validate_names(names)
        for t in list(transformers) + [self.remainder]:
            if isinstance(t, str) and t in ("drop", "passthrough"):
                continue
            if not (hasattr(t, "fit") or hasattr(t, "fit_transform")) or not hasattr(t, "transform"):
                raise TypeError(
                    "All estimators should implement fit and transform, or can be 'drop' or 'passthrough' "
                    f"specifiers. '{t}' (type {type(t)}) doesn't."
                )

    def _resolve_columns(self, X):
        """Each transformer's column spec (callables applied) and its integer indices."""
        self._columns, self._indices = [], {}
        for name, _, columns in self.transformers:
            if callable(columns):
                columns = columns(X)
            self._columns.append(columns)
            self._indices[name] = _column_indices(X, columns)
        used = {i for idx in self._indices.values() for i in idx}
        self._remainder_indices = [i for i in range(X.shape[1]) if i not in used]
        self._indices["remainder"] = self._remainder_indices
        by_name = bool(self._columns) and all(
            isinstance(c, str) or (isinstance(c, (list, tuple)) and c and all(isinstance(k, str) for k in c))
            for c in self._columns
            if not (hasattr(c, "__len__") and not isinstance(c, str) and len(c) == 0)
        )
        names = getattr(self, "feature_names_in_", None)
        if by_name and names is not None:
            self._remainder_columns = [names[i] for i in self._remainder_indices]
        else:
            self._remainder_columns = list(self._remainder_indices)

    def _iter(self, fitted, *, replace_strings):
        """(name, transformer, columns, weight) of every transformer, remainder last."""
        if fitted:
            items = list(self.transformers_)
        else:
            items = [(name, trans, col) for (name, trans, _), col in zip(self.transformers, self._columns)]
            if self._remainder_indices:
                items.append(("remainder", self.remainder, self._remainder_columns))
        weights = self.transformer_weights or {}
        output = _output_container(self)
        for name, trans, columns in items:
            if replace_strings:
                if isinstance(trans, str) and trans == "drop":
                    continue
                if not self._indices.get(name):
                    continue
                if isinstance(trans, str) and trans == "passthrough":
                    trans = FunctionTransformer(accept_sparse=True, check_inverse=False, feature_names_out="one-to-one")
                    trans.set_output(transform=output)
            yield name, trans, columns, weights.get(name)

    def _check_input(self, X, *, reset):
        X = _as_2d_array(X)
        if reset:
            _check_feature_names(self, X, reset=True)
            _check_n_features(self, X, reset=True)
            return X
        fitted_names = getattr(self, "feature_names_in_", None)
        if fitted_names is not None and hasattr(X, "columns"):
            missing = set(fitted_names) - set(X.columns)
            if missing:
                raise ValueError(f"columns are missing: {missing}")
            if list(X.columns) != list(fitted_names):
                X = X.loc[:, list(fitted_names)]
        else:
            _check_feature_names(self, X, reset=False)
        _check_n_features(self, X, reset=False)
        return X

    def fit(self, X, y=None, **params):
        """Fit every transformer on its columns."""
        self.fit_transform(X, y, **params)
        return self

    @_fit_context()
    def fit_transform(self, X, y=None, **params):
        """Fit every transformer on its columns and concatenate their outputs."""
        X = self._check_input(X, reset=True)
        self._validate_transformers()
        self._resolve_columns(X)
        items = list(self._iter(fitted=False, replace_strings=True))
        results = Parallel(n_jobs=self.n_jobs)(
            delayed(_fit_transform_one)(
                clone(trans), _select_columns(X, columns, self._indices[name]), y, weight,
                message_clsname="ColumnTransformer",
                message=f"({i + 1} of {len(items)}) Processing {name}" if self.verbose else None,
                params={"fit": params, "fit_transform": params},
            )
            for i, (name, trans, columns, weight) in enumerate(items)
        )
        outputs = [out for out, _ in results]
        self._record_fitted([fitted for _, fitted in results])
        self._check_outputs(outputs, [name for name, *_ in items])
        return self._stack(outputs, X, [name for name, *_ in items], fitting=True)

    def _record_fitted(self, fitted):
        fitted = iter(fitted)
        transformers = []
        for name, old, columns, _ in self._iter(fitted=False, replace_strings=False):
            if (isinstance(old, str) and old == "drop") or not self._indices.get(name):
                transformers.append((name, old, columns))
            else:
                transformers.append((name, next(fitted), columns))
        self.transformers_ = transformers

    def _check_outputs(self, outputs, names):
        for name, out in zip(names, outputs):
            if getattr(out, "ndim", 2) != 2:
                raise ValueError(
                    f"The output of the '{name}' transformer should be 2D (numpy array, scipy sparse "
                    "array, dataframe)."
                )

    def _stack(self, outputs, X, names, *, fitting):
        if fitting:
            starts, self.output_indices_ = 0, {}
            for name, out in zip(names, outputs):
                self.output_indices_[name] = slice(starts, starts + out.shape[1])
                starts += out.shape[1]
            for name in [t[0] for t in self.transformers] + ["remainder"]:
                self.output_indices_.setdefault(name, slice(0, 0))
            self.sparse_output_ = False
            if any(sp.issparse(o) for o in outputs):
                nnz = sum(o.nnz if sp.issparse(o) else np.prod(o.shape) for o in outputs)
                total = sum(np.prod(o.shape) for o in outputs)
                self.sparse_output_ = bool(total and nnz / total < self.sparse_threshold)
        if not outputs:
            return np.zeros((X.shape[0], 0))
        if not self.sparse_output_:
            outputs = [o.toarray() if sp.issparse(o) else o for o in outputs]
        pandas = _output_container(self) == "pandas" and all(hasattr(o, "iloc") for o in outputs)
        if self.sparse_output_ or not pandas:
            return _hstack([o.to_numpy() if hasattr(o, "iloc") else o for o in outputs])
        import pandas as pd

        result = pd.concat(outputs, axis=1)
        if self.verbose_feature_names_out is not False:
            result.columns = self.get_feature_names_out()
        return result

    def transform(self, X, **params):
        """Transform each group of columns with its fitted transformer and concatenate."""
        check_is_fitted(self)
        X = self._check_input(X, reset=False)
        items = [it for it in self._iter(fitted=True, replace_strings=True)]
        outputs = Parallel(n_jobs=self.n_jobs)(
            delayed(_transform_one)(trans, _select_columns(X, columns, self._indices[name]), None, weight)
            for name, trans, columns, weight in items
        )
        self._check_outputs(outputs, [name for name, *_ in items])
        return self._stack(outputs, X, [name for name, *_ in items], fitting=False)

    @property
    def named_transformers_(self):
        """The fitted transformers by name."""
        return Bunch(**{name: trans for name, trans, _ in self.transformers_})

    def _input_names(self, input_features):
        return _check_feature_names_in(self, input_features)

    def get_feature_names_out(self, input_features=None):
        """Every output column's name (``"<transformer>__<feature>"`` by default)."""
        check_is_fitted(self)
        input_features = self._input_names(input_features)
        pairs = []
        for name, trans, _, _ in self._iter(fitted=True, replace_strings=True):
            columns_in = input_features[self._indices[name]]
            if not hasattr(trans, "get_feature_names_out"):
                raise AttributeError(
                    f"Transformer {name} (type {type(trans).__name__}) does not provide get_feature_names_out."
                )
            pairs.extend((name, f) for f in trans.get_feature_names_out(columns_in))
        return self._add_prefix(pairs)

    def _add_prefix(self, pairs):
        verbose = self.verbose_feature_names_out
        if verbose is True:
            return np.asarray([f"{n}__{f}" for n, f in pairs], dtype=object)
        if isinstance(verbose, str):
            return np.asarray([verbose.format(transformer_name=n, feature_name=f) for n, f in pairs], dtype=object)
        names = [f for _, f in pairs]
        duplicated = sorted({f for f in names if names.count(f) > 1})
        if duplicated:
            raise ValueError(
                f"Output feature names: {duplicated[:5]} are not unique. Please set "
                "verbose_feature_names_out=True to add prefixes to feature names"
            )
        return np.asarray(names, dtype=object)

    def set_output(self, *, transform=None):
        """Set the output container of the ColumnTransformer and of every transformer in it."""
        super().set_output(transform=transform)
        transformers = [t for _, t, _ in self.transformers] + [self.remainder]
        if hasattr(self, "transformers_"):
            transformers += [t for _, t, _ in self.transformers_]
        for trans in transformers:
            if not isinstance(trans, str):
                _safe_set_output(trans, transform=transform)
        return self

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        try:
            tags.input_tags.allow_nan = all(
                get_tags(t).input_tags.allow_nan for _, t, _ in self.transformers if not isinstance(t, str)
            )
        except (TypeError, ValueError):
            pass
        tags.input_tags.string = True
        tags.transformer_tags.preserves_dtype = []
        return tags


def _get_transformer_list(estimators):
    transformers, columns = zip(*estimators)
    names, _ = zip(*_name_estimators(transformers))
    return list(zip(names, transformers, columns))


def make_column_transformer(
    *transformers,
    remainder="drop",
    sparse_threshold=0.3,
    n_jobs=None,
    verbose=False,
    verbose_feature_names_out=True,
):
    """A ColumnTransformer from (transformer, columns) pairs, named after their classes.

    Examples
    --------
    >>> from learnflow.compose import make_column_transformer
    >>> from learnflow.preprocessing import OneHotEncoder, StandardScaler
    >>> ct = make_column_transformer((StandardScaler(), ["median_income"]), (OneHotEncoder(), ["ocean_proximity"]))
    >>> [name for name, _, _ in ct.transformers]
    ['standardscaler', 'onehotencoder']
    """
    return ColumnTransformer(
        _get_transformer_list(transformers),
        remainder=remainder,
        sparse_threshold=sparse_threshold,
        n_jobs=n_jobs,
        verbose=verbose,
        verbose_feature_names_out=verbose_feature_names_out,
    )


class make_column_selector:
    """A callable picking DataFrame columns by name pattern and/or dtype.

    Parameters
    ----------
    pattern : str, default=None
        Keep columns whose name contains this regular expression.
    dtype_include, dtype_exclude : dtype or list of dtypes, default=None
        As ``DataFrame.select_dtypes``.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from learnflow.compose import make_column_selector
    >>> df = pd.DataFrame({"income": [1.0, 2.0], "ocean": ["INLAND", "NEAR BAY"]})
    >>> make_column_selector(dtype_include=np.number)(df)
    ['income']
    """

    def __init__(self, pattern=None, *, dtype_include=None, dtype_exclude=None):
        self.pattern = pattern
        self.dtype_include = dtype_include
        self.dtype_exclude = dtype_exclude

    def __call__(self, df):
        """The names of the matching columns of ``df``."""
        if not hasattr(df, "iloc"):
            raise ValueError("make_column_selector can only be applied to pandas dataframes")
        row = df.iloc[:1]
        if self.dtype_include is not None or self.dtype_exclude is not None:
            row = row.select_dtypes(include=self.dtype_include, exclude=self.dtype_exclude)
        columns = list(row.columns)
        if self.pattern is not None:
            columns = [c for c in columns if re.search(self.pattern, str(c))]
        return columns

    def __repr__(self):
        return (
            f"make_column_selector(pattern={self.pattern!r}, dtype_include={self.dtype_include!r}, "
            f"dtype_exclude={self.dtype_exclude!r})"
        )
