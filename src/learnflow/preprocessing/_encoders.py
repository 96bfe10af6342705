"""Categorical encoders: OneHotEncoder and OrdinalEncoder (Chapter 2, "Handling Text and Categorical Attributes").

Columns may hold strings, numbers or Python objects; NaN and None are
categories of their own (sorted last), as in scikit-learn. Encoding runs on
numpy: categories are not numeric data, and the one-hot output is sparse.
"""

# SPDX-License-Identifier: BSD-3-Clause

import numbers
import warnings

import numpy as np
import scipy.sparse as sp

from .._engine import is_torch, to_numpy, to_output
from ..base import BaseEstimator, TransformerMixin, _fit_context
from ..utils._param_validation import StrOptions
from ..utils.validation import check_array, check_is_fitted, validate_data
from ..utils.validation import _check_feature_names_in
from ._common import _is_scalar_nan

__all__ = ["OneHotEncoder", "OrdinalEncoder"]


class _NaNKey:
    """Dictionary key standing for every NaN (NaN != NaN, so NaN itself cannot be a key)."""


_NAN = _NaNKey()


def _key(value):
    return _NAN if _is_scalar_nan(value) else value


def _series_values(series):
    """A pandas column as a 1-D numpy array (nullable dtypes with NaN for missing)."""
    if isinstance(series.dtype, np.dtype):
        return series.to_numpy()
    if series.dtype.kind in "biuf":
        try:
            return series.to_numpy(dtype=np.float64, na_value=np.nan)
        except (TypeError, ValueError):
            pass
    return series.to_numpy(dtype=object, na_value=np.nan)


def _check_X_columns(estimator, X, *, reset):
    """Validate X for an encoder and split it into 1-D numpy columns (dtypes kept per column)."""
    if is_torch(X):
        X = to_numpy(X)
    if hasattr(X, "iloc") and getattr(X, "ndim", 0) == 2:
        validate_data(estimator, X, reset=reset, skip_check_array=True)
        if X.shape[0] < 1:
            raise ValueError(f"Found array with 0 sample(s) (shape={X.shape}) while a minimum of 1 is required.")
        columns = [_series_values(X.iloc[:, i]) for i in range(X.shape[1])]
    else:
        X = check_array(X, dtype=None, ensure_all_finite=False, estimator=estimator, input_name="X")
        if X.dtype.kind in "USV":
            X = X.astype(object)
        validate_data(estimator, X, reset=reset, skip_check_array=True)
        columns = [X[:, i] for i in range(X.shape[1])]
    for column in columns:
        check_array(column, ensure_2d=False, dtype=None, ensure_all_finite="allow-nan", input_name="X")
    return columns


def _solve_unique(column):
    """Sorted distinct values of a column; None and NaN last (in that order)."""
    if column.dtype.kind != "O":
        return np.unique(column)
    has_none = any(v is None for v in column)
    has_nan = any(_is_scalar_nan(v) for v in column)
    rest = {v for v in column if v is not None and not _is_scalar_nan(v)}
    kinds = sorted({"str" if isinstance(v, str) else type(v).__name__ for v in rest})
    if len(kinds) > 1 and "str" in kinds:
        raise TypeError(
            f"Encoders require their input argument must be uniformly strings or numbers. Got {kinds}"
        )
    uniques = sorted(rest) + [None] * has_none + [np.nan] * has_nan
    out = np.empty(len(uniques), dtype=object)
    out[:] = uniques
    return out


def _solve_codes(column, categories):
    """Index of each value in ``categories`` (-1 for values not in it).

    # code_i = k such that categories[k] == x_i (NaN matches NaN)
    """
    if column.dtype.kind in "biuf" and categories.dtype.kind in "biuf":
        codes = np.full(len(column), -1, dtype=np.int64)
        cat_nan = np.isnan(categories) if categories.dtype.kind == "f" else np.zeros(len(categories), bool)
        col_nan = np.isnan(column) if column.dtype.kind == "f" else np.zeros(len(column), bool)
        valid = categories[~cat_nan]
        values = column[~col_nan]
        if len(valid):
            pos = np.minimum(np.searchsorted(valid, values), len(valid) - 1)
            codes[~col_nan] = np.where(valid[pos] == values, pos, -1)
        if cat_nan.any():
            codes[col_nan] = np.flatnonzero(cat_nan)[0]
        return codes
    table = {_key(c): i for i, c in enumerate(categories)}
    return np.fromiter((table.get(_key(v), -1) for v in column), dtype=np.int64, count=len(column))


def _solve_infrequent(counts, n_samples, min_frequency, max_categories):
    """Indices of the infrequent categories of one feature (None if there are none).

    # infrequent: count < min_frequency (or < min_frequency * n_samples for a float);
    # then the smallest counts until at most max_categories - 1 frequent ones remain
    """
    if isinstance(min_frequency, numbers.Integral):
        infrequent = counts < min_frequency
    elif isinstance(min_frequency, numbers.Real):
        infrequent = counts < n_samples * min_frequency
    else:
        infrequent = np.zeros(counts.shape[0], dtype=bool)
    n_outputs = counts.size - infrequent.sum() + 1
    if max_categories is not None and max_categories < n_outputs:
        n_frequent = max_categories - 1
        if n_frequent == 0:
            infrequent[:] = True
        else:
            infrequent[np.argsort(counts, kind="mergesort")[:-n_frequent]] = True
    indices = np.flatnonzero(infrequent)
    return indices if indices.size else None


def _infrequent_mapping(n_categories, infrequent):
    """Code of each category after grouping: frequent ones keep their order, infrequent ones go last."""
    mapping = np.empty(n_categories, dtype=np.int64)
    n_frequent = n_categories - infrequent.size
    mapping[infrequent] = n_frequent
    mapping[np.setdiff1d(np.arange(n_categories), infrequent)] = np.arange(n_frequent)
    return mapping


def _unknown_values(column, codes):
    values = _solve_unique(np.asarray(column[codes < 0], dtype=object))
    return [None if v is None else v for v in values.tolist()]


class _BaseEncoder(TransformerMixin, BaseEstimator):
    """Category learning shared by the encoders."""

    def _fit_categories(self, X, handle_unknown):
        columns = _check_X_columns(self, X, reset=True)
        if self.categories != "auto" and len(self.categories) != len(columns):
            raise ValueError("Shape mismatch: if categories is an array, it has to be of shape (n_features,).")
        self.categories_ = []
        for i, column in enumerate(columns):
            if self.categories == "auto":
                self.categories_.append(_solve_unique(column))
                continue
            cats = self._given_categories(i, column)
            if handle_unknown == "error":
                codes = _solve_codes(column, cats)
                if np.any(codes < 0):
                    raise ValueError(
                        f"Found unknown categories {_unknown_values(column, codes)} in column {i} during fit"
                    )
            self.categories_.append(cats)
        return columns

    def _given_categories(self, i, column):
        given = self.categories[i]
        if column.dtype.kind in "biuf":
            try:
                cats = np.array(given, dtype=column.dtype if column.dtype.kind == "f" else None)
            except (TypeError, ValueError) as exc:
                raise ValueError(f"categories[{i}] cannot be compared with the values of column {i}: {exc}")
            if cats.dtype.kind in "biuf":
                sorted_cats = np.sort(cats)
                stop = -1 if sorted_cats.dtype.kind == "f" and len(cats) and np.isnan(sorted_cats[-1]) else None
                if np.any(sorted_cats[:stop] != cats[:stop]):
                    raise ValueError("Unsorted categories are not supported for numerical categories")
                return cats
        cats = np.empty(len(given), dtype=object)
        cats[:] = list(given)
        return cats

    def _fit_infrequent(self, columns, *, skip_missing=False):
        """Find infrequent categories (``min_frequency`` / ``max_categories``) and their grouped codes."""
        enabled = self.min_frequency is not None or (self.max_categories is not None and self.max_categories >= 1)
        self._infrequent_indices = [None] * len(columns)
        self._mappings = [None] * len(columns)
        if not enabled:
            return
        for i, (column, cats) in enumerate(zip(columns, self.categories_)):
            codes = _solve_codes(column, cats)
            n_cats = len(cats) - (skip_missing and len(cats) > 0 and _is_scalar_nan(cats[-1]))
            counts = np.bincount(codes[(codes >= 0) & (codes < n_cats)], minlength=n_cats)
            infrequent = _solve_infrequent(counts, len(column), self.min_frequency, self.max_categories)
            if infrequent is not None:
                self._infrequent_indices[i] = infrequent
                self._mappings[i] = _infrequent_mapping(n_cats, infrequent)

    @property
    def infrequent_categories_(self):
        """The infrequent categories of each feature (None where there are none)."""
        check_is_fitted(self)
        return [None if idx is None else cats[idx] for cats, idx in zip(self.categories_, self._infrequent_indices)]

    def _grouped_categories(self, i):
        """Output categories of feature i: the frequent ones, then "infrequent_sklearn" (then a missing one)."""
        cats, mapping = self.categories_[i], self._mappings[i]
        if mapping is None:
            return cats
        n_frequent = mapping.max()
        grouped = np.empty(n_frequent + 1 + (len(cats) - len(mapping)), dtype=object)
        grouped[:n_frequent] = cats[: len(mapping)][mapping < n_frequent]
        grouped[n_frequent] = "infrequent_sklearn"
        grouped[n_frequent + 1 :] = cats[len(mapping) :]
        return grouped

    def _group_infrequent(self, codes, unknown):
        """Codes after grouping infrequent categories (unseen ones too with "infrequent_if_exist")."""
        grouped, still_unknown = [], []
        for col_codes, missing, mapping in zip(codes, unknown, self._mappings):
            if mapping is None:
                grouped.append(col_codes)
                still_unknown.append(missing)
                continue
            col_codes = col_codes.copy()
            in_mapping = ~missing & (col_codes < len(mapping))
            beyond = ~missing & ~in_mapping  # the missing-value category, kept after the infrequent one
            col_codes[beyond] = col_codes[beyond] - len(mapping) + mapping.max() + 1
            col_codes[in_mapping] = mapping[col_codes[in_mapping]]
            if self.handle_unknown == "infrequent_if_exist":
                col_codes[missing] = mapping.max()
                missing = np.zeros_like(missing)
            grouped.append(col_codes)
            still_unknown.append(missing)
        return grouped, still_unknown

    def _transform_codes(self, X, handle_unknown, *, warn_unknown=False):
        """Codes of each column and a mask of values outside ``categories_``."""
        columns = _check_X_columns(self, X, reset=False)
        codes, unknown = [], []
        for i, (column, cats) in enumerate(zip(columns, self.categories_)):
            col_codes = _solve_codes(column, cats)
            missing = col_codes < 0
            if missing.any() and handle_unknown == "error":
                name = getattr(self, "feature_names_in_", None)
                where = f"column {i}" + (f" ('{name[i]}')" if name is not None else "")
                raise ValueError(
                    f"Found unknown categories {_unknown_values(column, col_codes)} in {where} during transform"
                )
            codes.append(col_codes)
            unknown.append(missing)
        return codes, unknown

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.categorical = True
        tags.input_tags.string = True
        tags.input_tags.allow_nan = True
        return tags


class OneHotEncoder(_BaseEncoder):
    """Encode categorical features as one-hot (one 0/1 column per category).

    Parameters
    ----------
    categories : "auto" or list of array-like, default="auto"
        "auto" learns the sorted categories of each column; a list gives them.
    drop : {"first", "if_binary"}, array-like of shape (n_features,) or None, default=None
        A category per feature to drop (its column is omitted; it encodes as
        all zeros).
    sparse_output : bool, default=True
        Return a scipy CSR matrix; False gives a dense array.
    dtype : numeric type, default=np.float64
    handle_unknown : {"error", "ignore", "infrequent_if_exist"}, default="error"
        "ignore" encodes unseen categories as all zeros; "infrequent_if_exist"
        encodes them as the infrequent category when the feature has one.
    min_frequency : int or float, default=None
        Categories seen fewer times (int) or in a smaller fraction of the
        samples (float) are grouped into one "infrequent_sklearn" column.
    max_categories : int, default=None
        At most this many output columns per feature, the infrequent one included.
    feature_name_combiner : "concat" or callable, default="concat"
        ``callable(input_feature, category) -> str`` names output columns.

    Attributes
    ----------
    categories_ : list of ndarray
    drop_idx_ : ndarray of shape (n_features,) or None
        Index in ``categories_[i]`` of the dropped category (None: none dropped).
    infrequent_categories_ : list of ndarray or None
        The categories grouped as infrequent in each feature.
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,)

    Examples
    --------
    >>> from learnflow.preprocessing import OneHotEncoder
    >>> enc = OneHotEncoder(sparse_output=False).fit([["INLAND"], ["NEAR BAY"], ["INLAND"]])
    >>> enc.transform([["NEAR BAY"]])
    array([[0., 1.]])
    >>> enc.get_feature_names_out()
    array(['x0_INLAND', 'x0_NEAR BAY'], dtype=object)
    """

    _parameter_constraints = {
        "categories": [StrOptions({"auto"}), list],
        "drop": [StrOptions({"first", "if_binary"}), "array-like", None],
        "sparse_output": ["boolean"],
        "dtype": "no_validation",
        "handle_unknown": [StrOptions({"error", "ignore", "infrequent_if_exist"})],
        "min_frequency": [numbers.Integral, numbers.Real, None],
        "max_categories": [numbers.Integral, None],
        "feature_name_combiner": [StrOptions({"concat"}), callable],
    }

    def __init__(
        self,
        *,
        categories="auto",
        drop=None,
        sparse_output=True,
        dtype=np.float64,
        handle_unknown="error",
        min_frequency=None,
        max_categories=None,
        feature_name_combiner="concat",
    ):
        self.categories = categories
        self.drop = drop
        self.sparse_output = sparse_output
        self.dtype = dtype
        self.handle_unknown = handle_unknown
        self.min_frequency = min_frequency
        self.max_categories = max_categories
        self.feature_name_combiner = feature_name_combiner

    @_fit_context()
    def fit(self, X, y=None):
        """Learn the categories of each feature."""
        columns = self._fit_categories(X, self.handle_unknown)
        self._fit_infrequent(columns)
        self._drop_after_grouping = self._solve_drop_idx()
        self.drop_idx_ = self._drop_idx_in_categories()
        self._n_outputs = [
            len(self._grouped_categories(i)) - (d is not None) for i, d in enumerate(self._drop_list())
        ]
        return self

    def _drop_list(self):
        drop = self._drop_after_grouping
        return [None] * len(self.categories_) if drop is None else list(drop)

    def _drop_idx_in_categories(self):
        if self._drop_after_grouping is None:
            return None
        out = []
        for drop, mapping in zip(self._drop_after_grouping, self._mappings):
            out.append(drop if drop is None or mapping is None else int(np.flatnonzero(mapping == drop)[0]))
        return np.asarray(out, dtype=object)

    def _solve_drop_idx(self):
        if self.drop is None:
            return None
        if isinstance(self.drop, str):
            if self.drop == "first":
                idx = [0] * len(self.categories_)
            else:
                idx = [0 if len(self._grouped_categories(i)) == 2 else None for i in range(len(self.categories_))]
            return np.asarray(idx, dtype=object)
        drop = np.asarray(self.drop, dtype=object).reshape(-1)
        if len(drop) != len(self.categories_):
            raise ValueError(
                f"`drop` should have length equal to the number of features ({len(self.categories_)}), "
                f"got {len(drop)}"
            )
        idx, missing = [], []
        for i, (value, cats) in enumerate(zip(drop, self.categories_)):
            if value is None:
                idx.append(None)
                continue
            found = [k for k, c in enumerate(cats) if _key(c) == _key(value)]
            if not found:
                missing.append(f"Category: {value}, Feature: {i}")
                idx.append(None)
                continue
            infrequent, mapping = self._infrequent_indices[i], self._mappings[i]
            if infrequent is not None and found[0] in infrequent:
                raise ValueError(f"Unable to drop category {value!r} from feature {i} because it is infrequent")
            idx.append(found[0] if mapping is None else int(mapping[found[0]]))
        if missing:
            raise ValueError(
                "The following categories were supposed to be dropped, but were not found in the "
                "training data.\n" + "\n".join(missing)
            )
        return np.asarray(idx, dtype=object)

    def transform(self, X):
        """One-hot encode X (sparse CSR unless ``sparse_output=False``)."""
        check_is_fitted(self)
        like = X
        codes, unknown = self._transform_codes(X, self.handle_unknown)
        codes, unknown = self._group_infrequent(codes, unknown)
        drops = self._drop_list()
        if self.drop_idx_ is not None:
            bad = [i for i, (u, d) in enumerate(zip(unknown, drops)) if u.any() and d is not None]
            if bad:
                warnings.warn(
                    f"Found unknown categories in columns {bad} during transform. These unknown "
                    "categories will be encoded as all zeros",
                    UserWarning,
                )
        rows, cols, offset = [], [], 0
        for col_codes, drop, n_out in zip(codes, drops, self._n_outputs):
            keep = col_codes >= 0
            if drop is not None:
                keep &= col_codes != drop
                col_codes = col_codes - (col_codes > drop)
            rows.append(np.flatnonzero(keep))
            cols.append(col_codes[keep] + offset)
            offset += n_out
        n_samples = len(codes[0]) if codes else _num_rows(X)
        rows, cols = np.concatenate(rows or [[]]).astype(np.int64), np.concatenate(cols or [[]]).astype(np.int64)
        data = np.ones(len(rows), dtype=self.dtype)
        out = sp.csr_matrix((data, (rows, cols)), shape=(n_samples, offset), dtype=self.dtype)
        out.sort_indices()
        if self.sparse_output:
            return out
        dense = out.toarray()
        return to_output(dense, like) if is_torch(like) else dense

    def inverse_transform(self, X):
        """The categories back from one-hot columns (None for unknown all-zero rows)."""
        check_is_fitted(self)
        X = X.toarray() if sp.issparse(X) else to_numpy(X)
        X = check_array(X, input_name="X")
        total = sum(self._n_outputs)
        if X.shape[1] != total:
            raise ValueError(f"Shape of the passed X data is not correct. Expected {total} columns, got {X.shape[1]}.")
        dtype = np.result_type(*[c.dtype for c in self.categories_])
        if any(m is not None for m in self._mappings):
            dtype = object
        out = np.empty((X.shape[0], len(self.categories_)), dtype=dtype)
        unknown_rows, j = {}, 0
        for i, (drop, n_out) in enumerate(zip(self._drop_list(), self._n_outputs)):
            cats = self._grouped_categories(i)
            kept = cats if drop is None else np.delete(cats, drop)
            if n_out == 0:
                out[:, i] = cats[drop]
                continue
            block = X[:, j : j + n_out]
            out[:, i] = kept[block.argmax(axis=1)]
            zero = block.sum(axis=1) == 0
            if zero.any():
                if drop is not None:
                    out[zero, i] = cats[drop]
                elif self.handle_unknown == "error":
                    raise ValueError(
                        f"Samples {np.flatnonzero(zero)} can not be inverted when drop=None and "
                        "handle_unknown='error' because they contain all zeros"
                    )
                else:
                    unknown_rows[i] = zero
            j += n_out
        if unknown_rows:
            out = out.astype(object)
            for i, mask in unknown_rows.items():
                out[mask, i] = None
        return out

    def get_feature_names_out(self, input_features=None):
        """``"<feature>_<category>"`` for every output column."""
        check_is_fitted(self)
        input_features = _check_feature_names_in(self, input_features)
        combine = (lambda f, c: f"{f}_{c}") if self.feature_name_combiner == "concat" else self.feature_name_combiner
        names = []
        for i, (feature, drop) in enumerate(zip(input_features, self._drop_list())):
            cats = self._grouped_categories(i)
            kept = cats if drop is None else np.delete(cats, drop)
            for cat in kept:
                name = combine(feature, cat)
                if not isinstance(name, str):
                    raise TypeError(
                        f"When `feature_name_combiner` is a callable, it should return a Python string. "
                        f"Got {type(name)} instead."
                    )
                names.append(name)
        return np.asarray(names, dtype=object)


def _num_rows(X):
    return X.shape[0] if hasattr(X, "shape") else len(X)


class OrdinalEncoder(_BaseEncoder):
    """Encode categorical features as integers 0 .. n_categories-1 (one column per feature).

    Parameters
    ----------
    categories : "auto" or list of array-like, default="auto"
    dtype : numeric type, default=np.float64
    handle_unknown : {"error", "use_encoded_value"}, default="error"
        "use_encoded_value" encodes unseen categories as ``unknown_value``.
    unknown_value : int or np.nan, default=None
        Required with "use_encoded_value"; must not be a code of a known category.
    encoded_missing_value : int or np.nan, default=np.nan
        Code of missing values (NaN).
    min_frequency : int or float, default=None
        Categories seen fewer times (int) or in a smaller fraction of the
        samples (float) share one code, after the frequent ones.
    max_categories : int, default=None
        At most this many codes per feature (missing values excluded).

    Attributes
    ----------
    categories_ : list of ndarray
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,)

    Examples
    --------
    >>> from learnflow.preprocessing import OrdinalEncoder
    >>> enc = OrdinalEncoder().fit([["<1H OCEAN"], ["INLAND"], ["NEAR BAY"]])
    >>> enc.transform([["NEAR BAY"], ["<1H OCEAN"]])
    array([[2.],
           [0.]])
    """

    _parameter_constraints = {
        "categories": [StrOptions({"auto"}), list],
        "dtype": "no_validation",
        "encoded_missing_value": [numbers.Integral, type(np.nan)],
        "handle_unknown": [StrOptions({"error", "use_encoded_value"})],
        "unknown_value": [numbers.Integral, type(np.nan), None],
        "min_frequency": [numbers.Integral, numbers.Real, None],
        "max_categories": [numbers.Integral, None],
    }

    def __init__(
        self,
        *,
        categories="auto",
        dtype=np.float64,
        handle_unknown="error",
        unknown_value=None,
        encoded_missing_value=np.nan,
        min_frequency=None,
        max_categories=None,
    ):
        self.categories = categories
        self.dtype = dtype
        self.handle_unknown = handle_unknown
        self.unknown_value = unknown_value
        self.encoded_missing_value = encoded_missing_value
        self.min_frequency = min_frequency
        self.max_categories = max_categories

    def _check_unknown_value(self):
        if self.handle_unknown == "use_encoded_value":
            if _is_scalar_nan(self.unknown_value):
                if np.dtype(self.dtype).kind != "f":
                    raise ValueError(
                        "When unknown_value is np.nan, the dtype parameter should be a float dtype. "
                        f"Got {self.dtype}."
                    )
            elif not isinstance(self.unknown_value, numbers.Integral):
                raise TypeError(
                    "unknown_value should be an integer or np.nan when handle_unknown is "
                    f"'use_encoded_value', got {self.unknown_value}."
                )
        elif self.unknown_value is not None:
            raise TypeError(
                "unknown_value should only be set when handle_unknown is 'use_encoded_value', "
                f"got {self.unknown_value}."
            )

    @_fit_context()
    def fit(self, X, y=None):
        """Learn the categories of each feature."""
        self._check_unknown_value()
        columns = self._fit_categories(X, self.handle_unknown)
        self._fit_infrequent(columns, skip_missing=True)
        self._missing_indices = {
            i: len(c) - 1 for i, c in enumerate(self.categories_) if len(c) and _is_scalar_nan(c[-1])
        }
        # scikit-learn's cardinalities: infrequent categories and the missing one are not counted
        cardinalities = [
            len(c) - (0 if idx is None else len(idx)) - (i in self._missing_indices)
            for i, (c, idx) in enumerate(zip(self.categories_, self._infrequent_indices))
        ]
        if self.handle_unknown == "use_encoded_value" and not _is_scalar_nan(self.unknown_value):
            if any(0 <= self.unknown_value < n for n in cardinalities):
                raise ValueError(
                    f"The used value for unknown_value {self.unknown_value} is one of the values "
                    "already used for encoding the seen categories."
                )
        self._check_missing_value(cardinalities)
        return self

    def _check_missing_value(self, cardinalities):
        if not self._missing_indices:
            return
        if _is_scalar_nan(self.encoded_missing_value):
            if np.dtype(self.dtype).kind != "f":
                raise ValueError(
                    f"There are missing values in features {list(self._missing_indices)}. For "
                    f"OrdinalEncoder to encode missing values with dtype: {self.dtype}, set "
                    "encoded_missing_value to a non-nan value, or set dtype to a float"
                )
            return
        clashes = [i for i in self._missing_indices if 0 <= self.encoded_missing_value < cardinalities[i]]
        if clashes:
            names = _check_feature_names_in(self)[clashes].tolist()
            raise ValueError(
                f"encoded_missing_value ({self.encoded_missing_value}) is already used to encode a "
                f"known category in features: {names}"
            )
        if (
            self.handle_unknown == "use_encoded_value"
            and not _is_scalar_nan(self.unknown_value)
            and self.unknown_value == self.encoded_missing_value
        ):
            raise ValueError(
                f"The used value for unknown_value ({self.unknown_value}) is one of the values "
                "already used for encoding the seen categories."
            )

    def transform(self, X):
        """Integer codes of X's categories (as ``dtype``)."""
        check_is_fitted(self)
        like = X
        codes, unknown = self._transform_codes(X, self.handle_unknown)
        missing_rows = {i: codes[i] == index for i, index in self._missing_indices.items()}
        codes, unknown = self._group_infrequent(codes, unknown)
        out = np.column_stack(codes).astype(self.dtype) if codes else np.empty((_num_rows(X), 0), self.dtype)
        for i, missing in enumerate(unknown):
            if missing.any():
                out[missing, i] = self.unknown_value
        for i, rows in missing_rows.items():
            out[rows, i] = self.encoded_missing_value
        return to_output(out, like) if is_torch(like) else out

    def inverse_transform(self, X):
        """The categories back from their codes (None for ``unknown_value``)."""
        check_is_fitted(self)
        X = check_array(to_numpy(X), ensure_all_finite="allow-nan", input_name="X")
        if X.shape[1] != len(self.categories_):
            raise ValueError(
                f"Shape of the passed X data is not correct. Expected {len(self.categories_)} columns, "
                f"got {X.shape[1]}."
            )
        dtype = np.result_type(*[c.dtype for c in self.categories_])
        if any(m is not None for m in self._mappings):
            dtype = object
        out = np.empty(X.shape, dtype=dtype)
        unknown_cols = {}
        for i in range(len(self.categories_)):
            cats = self._grouped_categories(i)
            labels = X[:, i]
            done = np.zeros(len(labels), dtype=bool)
            if i in self._missing_indices:
                missing = np.isnan(labels) if _is_scalar_nan(self.encoded_missing_value) else labels == self.encoded_missing_value
                out[missing, i] = cats[-1]
                done |= missing
            if self.handle_unknown == "use_encoded_value":
                unknown = np.isnan(labels) if _is_scalar_nan(self.unknown_value) else labels == self.unknown_value
                unknown &= ~done
                unknown_cols[i] = unknown
                done |= unknown
            out[~done, i] = cats[labels[~done].astype(np.int64)]
        if any(m.any() for m in unknown_cols.values()):
            out = out.astype(object)
            for i, mask in unknown_cols.items():
                out[mask, i] = None
        return out

    def get_feature_names_out(self, input_features=None):
        """The output feature names: the input names, unchanged."""
        check_is_fitted(self)
        return _check_feature_names_in(self, input_features)
