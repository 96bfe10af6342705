"""Input validation: one set of checks every estimator runs on its data.

The checks accept lists, numpy arrays, pandas objects and torch tensors (on
any device). numpy-like input comes back as numpy, torch input as a tensor on
its own device, so estimators validate without moving data.
"""

# SPDX-License-Identifier: BSD-3-Clause

import numbers
import warnings

import numpy as np
import torch

from ..exceptions import DataConversionWarning, not_fitted_error_type

__all__ = [
    "check_array",
    "check_consistent_length",
    "check_is_fitted",
    "check_sample_weight",
    "check_X_y",
    "column_or_1d",
    "validate_data",
]

_NOT_FITTED_MSG = (
    "This %(name)s instance is not fitted yet. Call 'fit' with appropriate "
    "arguments before using this estimator."
)


def _estimator_name(estimator):
    if estimator is None:
        return None
    return estimator if isinstance(estimator, str) else type(estimator).__name__


def _by(estimator):
    name = _estimator_name(estimator)
    return f" by {name}" if name else ""


def _num_samples(x):
    """Number of samples in an array-like (its first dimension)."""
    if hasattr(x, "fit") and callable(x.fit):
        raise TypeError(f"Expected sequence or array-like, got estimator {x}")
    shape = getattr(x, "shape", None)
    if shape is None and hasattr(x, "__array__") and not hasattr(x, "__len__"):
        shape = np.asarray(x).shape
    if shape is not None:
        if len(shape) == 0:
            raise TypeError(f"Input should have at least 1 dimension i.e. satisfy len(x.shape) > 0, got scalar {x!r}")
        return int(shape[0])
    if not hasattr(x, "__len__"):
        raise TypeError(f"Expected sequence or array-like, got {type(x)}")
    return len(x)


def check_consistent_length(*arrays):
    """Raise ValueError unless all non-None arrays have the same first dimension.

    Examples
    --------
    >>> from learnflow.utils.validation import check_consistent_length
    >>> check_consistent_length([1, 2], [[1], [2]])
    """
    lengths = [_num_samples(a) for a in arrays if a is not None]
    if len(set(lengths)) > 1:
        raise ValueError(
            f"Found input variables with inconsistent numbers of samples: {lengths}"
        )


def _assert_all_finite(array, *, allow_nan=False, input_name="", estimator=None):
    """Raise ValueError naming NaN or infinity found in a float array or tensor."""
    # a finite sum proves every value finite in one pass (NaN and +-inf propagate); an
    # overflowing sum of finite values falls through to the exact checks
    if isinstance(array, torch.Tensor):
        if not array.is_floating_point() or bool(torch.isfinite(array.sum())):
            return
        has_nan = bool(torch.isnan(array).any())
        has_inf = bool(torch.isinf(array).any())
    else:
        if array.dtype.kind not in "fc":
            if array.dtype.kind != "O":
                return
            flat = array.ravel()
            array = np.asarray(flat[[isinstance(v, float) for v in flat]], dtype=float)
        with np.errstate(over="ignore", invalid="ignore"):
            if np.isfinite(array.sum()):
                return
        has_nan = bool(np.isnan(array).any())
        has_inf = bool(np.isinf(array).any())
    name = f"Input {input_name}" if input_name else "Input"
    if has_inf:
        raise ValueError(f"{name} contains infinity or a value too large for dtype('float64').")
    if has_nan and not allow_nan:
        message = f"{name} contains NaN."
        if estimator is not None and input_name == "X":
            message += (
                f"\n{_estimator_name(estimator)} does not accept missing values encoded as "
                "NaN natively. Impute them first, for example with "
                "learnflow.impute.SimpleImputer in a Pipeline."
            )
        raise ValueError(message)


def _pandas_to_numpy(frame, dtype):
    """A DataFrame or Series as numpy, with nullable pandas dtypes as float NaN."""
    dtypes = frame.dtypes if hasattr(frame, "columns") else [frame.dtype]
    extension = any(not isinstance(d, np.dtype) for d in dtypes)
    numeric = all(getattr(d, "kind", "O") in "biuf" or str(d).lower().startswith(("int", "uint", "float", "boolean")) for d in dtypes)
    if extension and numeric and dtype != "object":
        return frame.to_numpy(dtype=np.float64, na_value=np.nan)
    if extension and not numeric:
        return frame.to_numpy(dtype=object)
    return frame.to_numpy()


def _convert_dtype(array, dtype, estimator):
    """Apply the ``dtype`` request of check_array to a numpy array."""
    if dtype is None:
        return array
    if dtype == "numeric":
        if array.dtype.kind in "USV":
            raise ValueError(
                f"{_estimator_name(estimator) or 'This estimator'} requires numeric data, "
                f"but the input contains strings (dtype {array.dtype}). Encode them first, "
                "for example with OneHotEncoder or OrdinalEncoder."
            )
        if array.dtype.kind == "O":
            try:
                return array.astype(np.float64)
            except (TypeError, ValueError) as exc:
                raise type(exc)(  # TypeError stays TypeError, as scikit-learn's check_dtype_object expects
                    f"{_estimator_name(estimator) or 'This estimator'} requires numeric data, "
                    f"but the input contains non-numeric values: {exc}"
                ) from exc
        return array
    requested = [np.dtype(d) for d in (dtype if isinstance(dtype, (list, tuple)) else [dtype])]
    if array.dtype in requested:
        return array
    try:
        return array.astype(requested[0])
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"{_estimator_name(estimator) or 'This estimator'} could not convert the input "
            f"to {requested[0]}: {exc}"
        ) from exc


def _check_shape(array, *, ensure_2d, allow_nd, ensure_min_samples, ensure_min_features, estimator):
    if ensure_2d and array.ndim < 2:
        kind = "scalar" if array.ndim == 0 else "1D"
        raise ValueError(
            f"Expected 2D array, got {kind} array instead:\narray={array}.\n"
            "Reshape your data either using array.reshape(-1, 1) if your data has a "
            "single feature or array.reshape(1, -1) if it contains a single sample."
        )
    if not allow_nd and array.ndim >= 3:
        raise ValueError(
            f"Found array with dim {array.ndim}. {_estimator_name(estimator) or 'Estimator'} expected <= 2."
        )
    shape = tuple(array.shape)
    if ensure_min_samples > 0 and array.ndim > 0 and shape[0] < ensure_min_samples:
        raise ValueError(
            f"Found array with {shape[0]} sample(s) (shape={shape}) while a minimum of "
            f"{ensure_min_samples} is required{_by(estimator)}."
        )
    if ensure_min_features > 0 and array.ndim == 2 and shape[1] < ensure_min_features:
        raise ValueError(
            f"Found array with {shape[1]} feature(s) (shape={shape}) while a minimum of "
            f"{ensure_min_features} is required{_by(estimator)}."
        )


def check_array(
    array,
    accept_sparse=False,
    *,
    dtype="numeric",
    copy=False,
    ensure_all_finite=True,
    ensure_non_negative=False,
    ensure_2d=True,
    allow_nd=False,
    ensure_min_samples=1,
    ensure_min_features=1,
    estimator=None,
    input_name="",
):
    """Validate an array, list, DataFrame or tensor and return it as numpy or torch.

    Parameters
    ----------
    array : array-like or torch.Tensor
    accept_sparse : bool, default=False
        Sparse input is rejected with a message saying so unless True (it is
        then returned in CSR format).
    dtype : "numeric", None, dtype or list of dtypes, default="numeric"
        "numeric" keeps numeric dtypes and converts object arrays to float64
        (strings are an error); None keeps the dtype; a list keeps any listed
        dtype and converts others to the first.
    copy : bool, default=False
    ensure_all_finite : bool or "allow-nan", default=True
    ensure_non_negative : bool, default=False
    ensure_2d : bool, default=True
    allow_nd : bool, default=False
    ensure_min_samples, ensure_min_features : int, default=1
    estimator : str or estimator, default=None
        Named in error messages.
    input_name : str, default=""
        "X" or "y", named in error messages.

    Returns
    -------
    array : numpy.ndarray or torch.Tensor
        A tensor (on its own device) when the input was a tensor.

    Examples
    --------
    >>> from learnflow.utils.validation import check_array
    >>> check_array([[1, 2], [3, 4]]).shape
    (2, 2)
    >>> check_array([[1.0, float("nan")]])
    Traceback (most recent call last):
    ...
    ValueError: Input contains NaN.
    """
    if hasattr(array, "tocsr") and hasattr(array, "nnz"):
        if not accept_sparse:
            raise TypeError(
                f"Sparse data was passed{' for ' + _estimator_name(estimator) if estimator is not None else ''}, "
                "but dense data is required. Use '.toarray()' to convert to a dense numpy array."
            )
        return array.tocsr(copy=copy)
    if isinstance(array, torch.Tensor):
        if array.is_complex():
            raise ValueError("Complex data not supported\n")
        result = array.clone() if copy else array
    else:
        if hasattr(array, "dtypes") or hasattr(array, "dtype") and hasattr(array, "to_numpy"):
            array = _pandas_to_numpy(array, dtype)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", np.exceptions.ComplexWarning)
                result = np.array(array, copy=copy) if copy else np.asarray(array)
        except (ValueError, np.exceptions.ComplexWarning) as exc:
            if "Complex" in str(exc) or isinstance(exc, np.exceptions.ComplexWarning):
                raise ValueError("Complex data not supported\n") from exc
            raise ValueError(f"Could not convert the input to an array: {exc}") from exc
        if result.dtype.kind == "c":
            raise ValueError(f"Complex data not supported\n{result}\n")
        result = _convert_dtype(result, dtype, estimator)
    _check_shape(
        result,
        ensure_2d=ensure_2d,
        allow_nd=allow_nd,
        ensure_min_samples=ensure_min_samples,
        ensure_min_features=ensure_min_features,
        estimator=estimator,
    )
    if ensure_all_finite:
        _assert_all_finite(
            result,
            allow_nan=ensure_all_finite == "allow-nan",
            input_name=input_name,
            estimator=estimator,
        )
    if ensure_non_negative and result.size and (result < 0).any():
        raise ValueError(f"Negative values in data passed to {_estimator_name(estimator) or 'this estimator'}.")
    return result


def column_or_1d(y, *, dtype=None, warn=False):
    """Ravel a column vector to 1-D; raise for any other 2-D shape.

    Examples
    --------
    >>> from learnflow.utils.validation import column_or_1d
    >>> column_or_1d([[1], [2]]).shape
    (2,)
    """
    y = check_array(y, ensure_2d=False, dtype=dtype, ensure_all_finite=False, ensure_min_samples=0, input_name="y")
    shape = tuple(y.shape)
    if len(shape) == 1:
        return y
    if len(shape) == 2 and shape[1] == 1:
        if warn:
            warnings.warn(
                "A column-vector y was passed when a 1d array was expected. Please change "
                "the shape of y to (n_samples, ), for example using ravel().",
                DataConversionWarning,
                stacklevel=3,
            )
        return y.reshape(-1)
    raise ValueError(f"y should be a 1d array, got an array of shape {shape} instead.")


def _check_y(y, *, multi_output=False, y_numeric=False, estimator=None):
    if multi_output:
        y = check_array(y, ensure_2d=False, dtype=None, input_name="y", estimator=estimator)
    else:
        y = column_or_1d(y, warn=True)
        _assert_all_finite(y, input_name="y", estimator=estimator)
    if y_numeric and not isinstance(y, torch.Tensor) and y.dtype.kind in "OUSV":
        try:
            y = y.astype(np.float64)
        except ValueError as exc:
            raise ValueError(
                f"{_estimator_name(estimator) or 'This estimator'} requires a numeric target y: {exc}"
            ) from exc
        _assert_all_finite(y, input_name="y", estimator=estimator)
    return y


def check_X_y(X, y, accept_sparse=False, *, multi_output=False, y_numeric=False, estimator=None, **check_params):
    """Validate X with check_array, y as a target, and their lengths together.

    Examples
    --------
    >>> from learnflow.utils.validation import check_X_y
    >>> X, y = check_X_y([[1], [2]], [0, 1])
    >>> X.shape, y.shape
    ((2, 1), (2,))
    """
    if y is None:
        name = _estimator_name(estimator) or "estimator"
        raise ValueError(f"{name} requires y to be passed, but the target y is None")
    X = check_array(X, accept_sparse, estimator=estimator, input_name="X", **check_params)
    y = _check_y(y, multi_output=multi_output, y_numeric=y_numeric, estimator=estimator)
    check_consistent_length(X, y)
    return X, y


def _get_feature_names(X):
    """Column names of a DataFrame as an object array, or None."""
    columns = getattr(X, "columns", None)
    if columns is None or not hasattr(X, "iloc"):
        return None
    names = np.asarray(columns, dtype=object)
    kinds = sorted({type(name).__name__ for name in names})
    if len(kinds) > 1 and "str" in kinds:
        raise TypeError(
            "Feature names are only supported if all input features have string names, "
            f"but your input has {kinds} as feature name / column name types. Convert the "
            "column names to strings with X.columns = X.columns.astype(str)."
        )
    return names if kinds == ["str"] else None


def _check_feature_names(estimator, X, *, reset):
    """Record (reset) or check the DataFrame column names X carries."""
    X_names = _get_feature_names(X)
    if reset:
        if X_names is not None:
            estimator.feature_names_in_ = X_names
        elif hasattr(estimator, "feature_names_in_"):
            del estimator.feature_names_in_
        return
    fitted_names = getattr(estimator, "feature_names_in_", None)
    name = type(estimator).__name__
    if X_names is None and fitted_names is None:
        return
    if fitted_names is None:
        warnings.warn(f"X has feature names, but {name} was fitted without feature names", UserWarning)
        return
    if X_names is None:
        warnings.warn(f"X does not have valid feature names, but {name} was fitted with feature names", UserWarning)
        return
    if len(X_names) == len(fitted_names) and np.array_equal(X_names, fitted_names):
        return
    message = "The feature names should match those that were passed during fit.\n"
    unexpected = sorted(set(X_names) - set(fitted_names))
    missing = sorted(set(fitted_names) - set(X_names))

    def listed(names):
        shown = "".join(f"- {n}\n" for n in names[:5])
        return shown + ("- ...\n" if len(names) > 5 else "")

    if unexpected:
        message += "Feature names unseen at fit time:\n" + listed(unexpected)
    if missing:
        message += "Feature names seen at fit time, yet now missing:\n" + listed(missing)
    if not unexpected and not missing:
        message += "Feature names must be in the same order as they were in fit.\n"
    raise ValueError(message)


def _check_n_features(estimator, X, *, reset):
    """Record (reset) or check ``n_features_in_`` against X's columns."""
    n_features = X.shape[1] if getattr(X, "ndim", 2) >= 2 else 1
    if reset:
        estimator.n_features_in_ = int(n_features)
        return
    expected = getattr(estimator, "n_features_in_", None)
    if expected is not None and n_features != expected:
        raise ValueError(
            f"X has {n_features} features, but {type(estimator).__name__} is expecting "
            f"{expected} features as input."
        )


def validate_data(_estimator, /, X="no_validation", y="no_validation", reset=True, validate_separately=False, skip_check_array=False, **check_params):
    """Validate X (and y) for an estimator, recording or checking what it saw in fit.

    Parameters
    ----------
    _estimator : estimator
        Named in errors; gets ``n_features_in_`` / ``feature_names_in_`` when ``reset``.
    X, y : array-like, "no_validation" or None
        "no_validation" skips that input. ``y=None`` for an estimator whose
        tags require y is an error.
    reset : bool, default=True
        True in ``fit`` (record the features), False elsewhere (check them).
    validate_separately : False or (dict, dict), default=False
        check_array keyword arguments for X and y separately.
    skip_check_array : bool, default=False
        Only record/check the feature names and count.
    **check_params
        Keyword arguments of check_array / check_X_y.

    Returns
    -------
    X, y, or (X, y) : the validated inputs that were passed.
    """
    from ._tags import get_tags

    _check_feature_names(_estimator, X, reset=reset)
    no_X = isinstance(X, str) and X == "no_validation"
    no_y = y is None or (isinstance(y, str) and y == "no_validation")
    if y is None and get_tags(_estimator).target_tags.required:
        raise ValueError(
            f"This {type(_estimator).__name__} estimator requires y to be passed, but the target y is None."
        )
    check_params = {"estimator": _estimator, **check_params}
    if skip_check_array:
        out = X if no_y else (y if no_X else (X, y))
    elif no_X and no_y:
        raise ValueError("Validation should be done on X, y or both.")
    elif no_y:
        out = X = check_array(X, input_name="X", **check_params)
    elif no_X:
        out = _check_y(
            y,
            multi_output=check_params.get("multi_output", False),
            y_numeric=check_params.get("y_numeric", False),
            estimator=_estimator,
        )
    elif validate_separately:
        X = check_array(X, input_name="X", estimator=_estimator, **validate_separately[0])
        y = check_array(y, input_name="y", estimator=_estimator, **validate_separately[1])
        check_consistent_length(X, y)
        out = X, y
    else:
        X, y = check_X_y(X, y, **check_params)
        out = X, y
    if not no_X and check_params.get("ensure_2d", True):
        _check_n_features(_estimator, X, reset=reset)
    return out


def check_is_fitted(estimator, attributes=None, *, msg=None, all_or_any=all):
    """Raise NotFittedError unless ``estimator`` has been fitted.

    An estimator is fitted when it says so through ``__sklearn_is_fitted__``,
    has the named ``attributes``, or has any attribute ending in "_".

    Examples
    --------
    >>> from learnflow.dummy import DummyRegressor
    >>> from learnflow.utils.validation import check_is_fitted
    >>> check_is_fitted(DummyRegressor().fit([[0]], [1]))
    """
    if isinstance(estimator, type) or not hasattr(estimator, "fit"):
        raise TypeError(f"{estimator} is not an estimator instance.")
    if attributes is not None:
        attributes = [attributes] if isinstance(attributes, str) else attributes
        fitted = all_or_any(hasattr(estimator, attr) for attr in attributes)
    elif hasattr(estimator, "__sklearn_is_fitted__"):
        fitted = estimator.__sklearn_is_fitted__()
    else:
        fitted = any(v.endswith("_") and not v.startswith("__") for v in vars(estimator))
    if not fitted:
        raise not_fitted_error_type()((msg or _NOT_FITTED_MSG) % {"name": type(estimator).__name__})


def check_sample_weight(sample_weight, X, *, dtype=None, ensure_non_negative=False, allow_all_zero_weights=False):
    """Validate sample weights: None gives ones, a scalar is repeated, an array is checked.

    Returns a float64 numpy array of length ``n_samples`` (or ``dtype``).
    """
    n_samples = _num_samples(X)
    dtype = np.float64 if dtype is None else dtype
    if sample_weight is None:
        return np.ones(n_samples, dtype=dtype)
    if isinstance(sample_weight, numbers.Number):
        return np.full(n_samples, sample_weight, dtype=dtype)
    if isinstance(sample_weight, torch.Tensor):
        sample_weight = sample_weight.detach().cpu().numpy()
    sample_weight = check_array(sample_weight, ensure_2d=False, dtype=dtype, input_name="sample_weight")
    if sample_weight.ndim != 1:
        raise ValueError(f"Sample weights must be 1D array or scalar, got shape {sample_weight.shape}.")
    if sample_weight.shape[0] != n_samples:
        raise ValueError(
            f"sample_weight.shape == {sample_weight.shape}, expected {(n_samples,)}!"
        )
    if ensure_non_negative and (sample_weight < 0).any():
        raise ValueError("Negative values in data passed to `sample_weight`")
    if not allow_all_zero_weights and not sample_weight.any():
        raise ValueError("Sample weights must contain at least one non-zero number.")
    return sample_weight


def _check_feature_names_in(estimator, input_features=None, *, generate_names=True):
    """The input feature names of a fitted estimator, checked against what it saw in fit.

    ``input_features=None`` gives ``feature_names_in_`` when fit saw a DataFrame,
    else ``["x0", "x1", ...]`` (or None when ``generate_names`` is False).

    Examples
    --------
    >>> from learnflow.preprocessing import StandardScaler
    >>> from learnflow.utils.validation import _check_feature_names_in
    >>> _check_feature_names_in(StandardScaler().fit([[0, 1], [1, 2]]))
    array(['x0', 'x1'], dtype=object)
    """
    fitted_names = getattr(estimator, "feature_names_in_", None)
    n_features = getattr(estimator, "n_features_in_", None)
    if input_features is not None:
        input_features = np.asarray(input_features, dtype=object)
        if fitted_names is not None and not np.array_equal(fitted_names, input_features):
            raise ValueError("input_features is not equal to feature_names_in_")
        if n_features is not None and len(input_features) != n_features:
            raise ValueError(
                f"input_features should have length equal to number of features ({n_features}), "
                f"got {len(input_features)}"
            )
        return input_features
    if fitted_names is not None:
        return fitted_names
    if not generate_names:
        return None
    if n_features is None:
        raise ValueError("Unable to generate feature names without n_features_in_")
    return np.asarray([f"x{i}" for i in range(n_features)], dtype=object)
