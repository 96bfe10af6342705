"""Cross-validation: scores, predictions, learning and validation curves.

Each (train, test) split is fitted on a clone of the estimator, in parallel
through joblib when ``n_jobs`` asks for it. Works with learnflow estimators
and with any scikit-learn-compatible estimator.
"""

# SPDX-License-Identifier: BSD-3-Clause

import numbers
import time
import warnings
from collections import Counter
from contextlib import suppress
from traceback import format_exc

import numpy as np
import torch
from joblib import Parallel, delayed

from .._engine import to_numpy
from ..base import clone, is_classifier
from ..exceptions import FitFailedWarning
from ..metrics._scorer import _MultimetricScorer, check_scoring
from ..utils._tags import get_tags
from ..utils.validation import _num_samples
from ._split import _indexable, _safe_indexing, check_cv

__all__ = ["cross_val_predict", "cross_val_score", "cross_validate", "learning_curve", "validation_curve"]


def _check_error_score(error_score):
    if not isinstance(error_score, numbers.Number) and error_score != "raise":
        raise ValueError(
            "error_score must be the string 'raise' or a numeric value. (Hint: if using 'raise', "
            "please make sure that it has been spelled correctly.)"
        )


def _safe_split(estimator, X, y, indices, train_indices=None):
    """Rows ``indices`` of X and y; for a pairwise (kernel) estimator, also the train columns."""
    try:
        pairwise = get_tags(estimator).input_tags.pairwise
    except Exception:
        pairwise = False
    if pairwise:
        if not hasattr(X, "shape") or X.shape[0] != X.shape[1]:
            raise ValueError("X should be a square kernel matrix")
        columns = indices if train_indices is None else train_indices
        X_subset = X[np.ix_(indices, columns)]
    else:
        X_subset = _safe_indexing(X, indices)
    return X_subset, (None if y is None else _safe_indexing(y, indices))


def _check_method_params(X, params, indices):
    """Index the sample-aligned parameters (sample_weight, ...) by ``indices``; keep the others."""
    n_samples = _num_samples(X)
    checked = {}
    for key, value in (params or {}).items():
        aligned = (hasattr(value, "shape") or isinstance(value, list)) and not np.isscalar(value)
        try:
            aligned = aligned and _num_samples(value) == n_samples
        except TypeError:
            aligned = False
        checked[key] = _safe_indexing(value, indices) if aligned else value
    return checked


def _as_number(score, scorer_name):
    if hasattr(score, "item"):
        with suppress(ValueError, RuntimeError):
            score = score.item()
    if not isinstance(score, numbers.Number):
        raise ValueError(f"scoring must return a number, got {score} ({type(score)}) instead. (scorer={scorer_name})")
    return score


def _score(estimator, X_test, y_test, scorer, score_params, error_score="raise"):
    """The score(s) of a fitted estimator; a failing scorer gives ``error_score`` with a warning."""
    score_params = score_params or {}
    try:
        scores = scorer(estimator, X_test, **score_params) if y_test is None else scorer(
            estimator, X_test, y_test, **score_params
        )
    except Exception:
        if isinstance(scorer, _MultimetricScorer) or error_score == "raise":
            raise
        scores = error_score
        warnings.warn(
            f"Scoring failed. The score on this train-test partition for these parameters will be set "
            f"to {error_score}. Details: \n{format_exc()}",
            UserWarning,
        )
    if isinstance(scores, dict):
        for name, value in scores.items():
            if isinstance(value, str):  # the traceback of a failed scorer
                warnings.warn(
                    f"Scoring failed. The score on this train-test partition for these parameters will be "
                    f"set to {error_score}. Details: \n{value}",
                    UserWarning,
                )
                value = error_score
            scores[name] = _as_number(value, name)
        return scores
    return _as_number(scores, scorer)


def _fit_and_score(
    estimator,
    X,
    y,
    *,
    scorer,
    train,
    test,
    verbose,
    parameters,
    fit_params,
    score_params,
    return_train_score=False,
    return_parameters=False,
    return_n_test_samples=False,
    return_times=False,
    return_estimator=False,
    split_progress=None,
    candidate_progress=None,
    error_score=np.nan,
):
    """Fit on ``train`` and score on ``test`` (and ``train``); a failed fit gives ``error_score``."""
    _check_error_score(error_score)
    fit_params = _check_method_params(X, fit_params, train)
    score_params_train = _check_method_params(X, score_params, train)
    score_params_test = _check_method_params(X, score_params, test)
    if parameters is not None:
        estimator = estimator.set_params(**clone(parameters, safe=False))
    params_msg = ", ".join(f"{k}={parameters[k]}" for k in sorted(parameters)) if parameters else ""
    progress = f" {split_progress[0] + 1}/{split_progress[1]}" if split_progress and verbose > 2 else ""
    if candidate_progress and verbose > 9:
        progress += f"; {candidate_progress[0] + 1}/{candidate_progress[1]}"
    start_time = time.time()
    X_train, y_train = _safe_split(estimator, X, y, train)
    X_test, y_test = _safe_split(estimator, X, y, test, train)
    result = {"fit_error": None}
    try:
        if y_train is None:
            estimator.fit(X_train, **fit_params)
        else:
            estimator.fit(X_train, y_train, **fit_params)
    except Exception:
        fit_time, score_time = time.time() - start_time, 0.0
        if error_score == "raise":
            raise
        if isinstance(scorer, _MultimetricScorer):
            test_scores = {name: error_score for name in scorer._scorers}
        else:
            test_scores = error_score
        train_scores = test_scores.copy() if isinstance(test_scores, dict) else test_scores
        result["fit_error"] = format_exc()
    else:
        fit_time = time.time() - start_time
        test_scores = _score(estimator, X_test, y_test, scorer, score_params_test, error_score)
        score_time = time.time() - start_time - fit_time
        if return_train_score:
            train_scores = _score(estimator, X_train, y_train, scorer, score_params_train, error_score)
    if verbose > 1:
        shown = test_scores if not isinstance(test_scores, dict) else None
        score_msg = f", score={shown:.3f}" if shown is not None else ""
        print(f"[CV{progress}] END {params_msg}{';' if params_msg else ''}{score_msg} total time={fit_time + score_time:.2f}s")
    result["test_scores"] = test_scores
    if return_train_score:
        result["train_scores"] = train_scores
    if return_n_test_samples:
        result["n_test_samples"] = _num_samples(X_test)
    if return_times:
        result["fit_time"], result["score_time"] = fit_time, score_time
    if return_parameters:
        result["parameters"] = parameters
    if return_estimator:
        result["estimator"] = estimator
    return result


def _aggregate_score_dicts(scores):
    """A list of dicts as a dict of arrays (lists for non-numbers)."""
    return {
        key: (
            np.asarray([score[key] for score in scores])
            if isinstance(scores[0][key], numbers.Number)
            else [score[key] for score in scores]
        )
        for key in scores[0]
    }


def _normalize_score_results(scores, scalar_score_key="score"):
    if isinstance(scores[0], dict):
        return _aggregate_score_dicts(scores)
    return {scalar_score_key: scores}


def _insert_error_scores(results, error_score):
    """For a callable multi-metric scorer, give failed fits a dict of ``error_score``."""
    successful = next((r["test_scores"] for r in results if r["fit_error"] is None), None)
    if isinstance(successful, dict):
        for result in results:
            if result["fit_error"] is not None:
                result["test_scores"] = dict.fromkeys(successful, error_score)
                if "train_scores" in result:
                    result["train_scores"] = dict.fromkeys(successful, error_score)


def _warn_or_raise_about_fit_failures(results, error_score):
    """Raise if every fit failed, else warn (FitFailedWarning) with the failures' tracebacks."""
    fit_errors = [r["fit_error"] for r in results if r["fit_error"] is not None]
    if not fit_errors:
        return
    delimiter = "-" * 80 + "\n"
    summary = "\n".join(
        f"{delimiter}{n} fits failed with the following error:\n{error}" for error, n in Counter(fit_errors).items()
    )
    if len(fit_errors) == len(results):
        raise ValueError(
            f"\nAll the {len(results)} fits failed.\nIt is very likely that your model is misconfigured.\n"
            "You can try to debug the error by setting error_score='raise'.\n\n"
            f"Below are more details about the failures:\n{summary}"
        )
    warnings.warn(
        f"\n{len(fit_errors)} fits failed out of a total of {len(results)}.\nThe score on these train-test "
        f"partitions for these parameters will be set to {error_score}.\nIf these failures are not expected, "
        "you can try to debug them by setting error_score='raise'.\n\n"
        f"Below are more details about the failures:\n{summary}",
        FitFailedWarning,
    )


def _check_estimator(estimator, methods=("fit",)):
    for method in methods:
        if not callable(getattr(estimator, method, None)):
            raise TypeError(f"The 'estimator' parameter must be an object implementing '{method}'. Got {estimator!r}.")


def cross_validate(
    estimator,
    X,
    y=None,
    *,
    groups=None,
    scoring=None,
    cv=None,
    n_jobs=None,
    verbose=0,
    params=None,
    pre_dispatch="2*n_jobs",
    return_train_score=False,
    return_estimator=False,
    return_indices=False,
    error_score=np.nan,
):
    """Evaluate metric(s) by cross-validation, with fit and score times.

    Parameters
    ----------
    estimator : estimator implementing ``fit``
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,) or (n_samples, n_outputs), default=None
    groups : array-like of shape (n_samples,), default=None
        Group labels for group splitters such as GroupKFold.
    scoring : str, callable, list, tuple, dict or None, default=None
        None uses ``estimator.score``; several metrics give one
        ``test_<name>`` key each.
    cv : int, splitter, iterable or None, default=None
        5-fold (stratified for classifiers) when None.
    n_jobs : int, default=None
        Splits fitted in parallel by joblib.
    verbose : int, default=0
    params : dict, default=None
        Parameters of ``estimator.fit``; sample-aligned ones are split too.
    pre_dispatch : int or str, default="2*n_jobs"
    return_train_score, return_estimator, return_indices : bool, default=False
    error_score : "raise" or float, default=np.nan
        Score of a split whose fit failed (with a FitFailedWarning).

    Returns
    -------
    scores : dict
        "fit_time", "score_time", "test_<name>" (and "train_<name>",
        "estimator", "indices"), arrays of shape (n_splits,).

    Examples
    --------
    >>> from learnflow.dummy import DummyRegressor
    >>> from learnflow.model_selection import cross_validate
    >>> X, y = [[0], [1], [2], [3]], [0.0, 1.0, 2.0, 3.0]
    >>> result = cross_validate(DummyRegressor(), X, y, cv=2, scoring="neg_mean_absolute_error")
    >>> result["test_score"]
    array([-2., -2.])
    """
    _check_estimator(estimator)
    _check_error_score(error_score)
    X, y, groups = _indexable(X, y, groups)
    cv = check_cv(cv, y, classifier=is_classifier(estimator))
    scorers = check_scoring(estimator, scoring=scoring, raise_exc=(error_score == "raise"))
    indices = list(cv.split(X, y, groups))
    results = Parallel(n_jobs=n_jobs, verbose=verbose, pre_dispatch=pre_dispatch)(
        delayed(_fit_and_score)(
            clone(estimator),
            X,
            y,
            scorer=scorers,
            train=train,
            test=test,
            verbose=verbose,
            parameters=None,
            fit_params=params,
            score_params=None,
            return_train_score=return_train_score,
            return_times=True,
            return_estimator=return_estimator,
            error_score=error_score,
        )
        for train, test in indices
    )
    _warn_or_raise_about_fit_failures(results, error_score)
    if callable(scoring):
        _insert_error_scores(results, error_score)
    results = _aggregate_score_dicts(results)
    out = {"fit_time": results["fit_time"], "score_time": results["score_time"]}
    if return_estimator:
        out["estimator"] = results["estimator"]
    if return_indices:
        train_indices, test_indices = zip(*indices)
        out["indices"] = {"train": list(train_indices), "test": list(test_indices)}
    test_scores = _normalize_score_results(results["test_scores"])
    train_scores = _normalize_score_results(results["train_scores"]) if return_train_score else {}
    for name in test_scores:
        out[f"test_{name}"] = test_scores[name]
        if return_train_score:
            out[f"train_{name}"] = train_scores[name]
    return out


def cross_val_score(
    estimator,
    X,
    y=None,
    *,
    groups=None,
    scoring=None,
    cv=None,
    n_jobs=None,
    verbose=0,
    params=None,
    pre_dispatch="2*n_jobs",
    error_score=np.nan,
):
    """The test score of each cross-validation split (one metric).

    Parameters are those of :func:`cross_validate`; ``scoring`` is one name or callable.

    Returns
    -------
    scores : ndarray of shape (n_splits,)

    Examples
    --------
    >>> from learnflow.dummy import DummyRegressor
    >>> from learnflow.model_selection import cross_val_score
    >>> cross_val_score(DummyRegressor(), [[0], [1], [2], [3]], [0, 1, 2, 3], cv=2, scoring="neg_mean_squared_error")
    array([-4.25, -4.25])
    """
    if isinstance(scoring, (list, tuple, set, dict)):
        raise ValueError(
            "The 'scoring' parameter of cross_val_score must be a str, a callable or None; use "
            "cross_validate for several metrics."
        )
    scorer = check_scoring(estimator, scoring=scoring)
    results = cross_validate(
        estimator,
        X,
        y,
        groups=groups,
        scoring={"score": scorer},
        cv=cv,
        n_jobs=n_jobs,
        verbose=verbose,
        params=params,
        pre_dispatch=pre_dispatch,
        error_score=error_score,
    )
    return results["test_score"]


def _enforce_prediction_order(classes, predictions, n_classes, method):
    """Give a fold's predictions one column per class of the whole y (missing classes filled)."""
    if n_classes == len(classes):
        return predictions
    recommendation = "To fix this, use a cross-validation technique resulting in properly stratified folds"
    warnings.warn(
        f"Number of classes in training fold ({len(classes)}) does not match total number of classes "
        f"({n_classes}). Results may not be appropriate for your use case. {recommendation}",
        RuntimeWarning,
    )
    if method == "decision_function":
        if predictions.ndim == 2 and predictions.shape[1] != len(classes):
            raise ValueError(
                f"Output shape {predictions.shape} of {method} does not match number of classes "
                f"({len(classes)}) in fold. Irregular decision_function outputs are not currently "
                "supported by cross_val_predict"
            )
        if len(classes) <= 2:
            raise ValueError(
                f"Only {len(classes)} class/es in training fold, but {n_classes} in overall dataset. This "
                f"is not supported for decision_function with imbalanced folds. {recommendation}"
            )
    fill = {"decision_function": np.finfo(predictions.dtype).min, "predict_log_proba": np.finfo(predictions.dtype).min}
    full = np.full((_num_samples(predictions), n_classes), fill.get(method, 0), dtype=predictions.dtype)
    full[:, classes] = predictions
    return full


def _fit_and_predict(estimator, X, y, train, test, fit_params, method, encode):
    fit_params = _check_method_params(X, fit_params, train)
    X_train, y_train = _safe_split(estimator, X, y, train)
    X_test, _ = _safe_split(estimator, X, y, test, train)
    if y_train is None:
        estimator.fit(X_train, **fit_params)
    else:
        estimator.fit(X_train, y_train, **fit_params)
    predictions = getattr(estimator, method)(X_test)
    if not encode:
        return predictions
    if isinstance(predictions, list):
        return [
            _enforce_prediction_order(
                np.asarray(estimator.classes_[k]), to_numpy(p), len(set(y[:, k])), method
            )
            for k, p in enumerate(predictions)
        ]
    n_classes = len(set(y)) if y.ndim == 1 else y.shape[1]
    return _enforce_prediction_order(np.asarray(estimator.classes_), to_numpy(predictions), n_classes, method)


def _encode_labels(y):
    """Labels as 0..n_classes-1 per column (so fold outputs align with the whole y's classes)."""
    y = np.asarray(to_numpy(y))
    if y.ndim == 1:
        return np.unique(y, return_inverse=True)[1].reshape(-1)
    return np.column_stack([np.unique(y[:, k], return_inverse=True)[1].reshape(-1) for k in range(y.shape[1])])


def cross_val_predict(
    estimator,
    X,
    y=None,
    *,
    groups=None,
    cv=None,
    n_jobs=None,
    verbose=0,
    params=None,
    pre_dispatch="2*n_jobs",
    method="predict",
):
    """Each sample's prediction by the model fitted on the folds that exclude it.

    Parameters
    ----------
    estimator : estimator implementing ``fit`` and ``method``
    X, y, groups, cv, n_jobs, verbose, params, pre_dispatch :
        As in :func:`cross_validate`.
    method : {"predict", "predict_proba", "predict_log_proba", "decision_function"}, default="predict"

    Returns
    -------
    predictions : ndarray (or tensor for tensor predictions) with one row per sample

    Examples
    --------
    >>> from learnflow.dummy import DummyRegressor
    >>> from learnflow.model_selection import cross_val_predict
    >>> cross_val_predict(DummyRegressor(), [[0], [1], [2], [3]], [0, 1, 2, 3], cv=2)
    array([2.5, 2.5, 0.5, 0.5])
    """
    methods = ("predict", "predict_proba", "predict_log_proba", "decision_function")
    if method not in methods:
        raise ValueError(f"The 'method' parameter of cross_val_predict must be one of {methods}. Got {method!r}.")
    _check_estimator(estimator, ("fit", method))
    X, y, groups = _indexable(X, y, groups)
    cv = check_cv(cv, y, classifier=is_classifier(estimator))
    splits = list(cv.split(X, y, groups))
    test_indices = np.concatenate([test for _, test in splits])
    n_samples = _num_samples(X)
    if len(test_indices) != n_samples or not np.all(np.bincount(test_indices, minlength=n_samples) == 1):
        raise ValueError("cross_val_predict only works for partitions")
    encode = method != "predict" and y is not None
    y_used = _encode_labels(y) if encode else y
    predictions = Parallel(n_jobs=n_jobs, verbose=verbose, pre_dispatch=pre_dispatch)(
        delayed(_fit_and_predict)(clone(estimator), X, y_used, train, test, params, method, encode)
        for train, test in splits
    )
    inverse = np.empty(len(test_indices), dtype=int)
    inverse[test_indices] = np.arange(len(test_indices))
    if hasattr(predictions[0], "tocsr"):
        import scipy.sparse as sp

        return sp.vstack(predictions, format=predictions[0].format)[inverse]
    if isinstance(predictions[0], list):
        return [np.concatenate([p[k] for p in predictions])[inverse] for k in range(len(predictions[0]))]
    if isinstance(predictions[0], torch.Tensor):
        stacked = torch.cat(predictions)
        return stacked[torch.as_tensor(inverse, device=stacked.device)]
    return np.concatenate([np.asarray(p) for p in predictions])[inverse]


def _translate_train_sizes(train_sizes, n_max_training_samples):
    """Fractions or counts of training samples as sorted unique counts."""
    sizes = np.asarray(train_sizes)
    n_ticks = sizes.shape[0]
    low, high = np.min(sizes), np.max(sizes)
    if np.issubdtype(sizes.dtype, np.floating):
        if low <= 0.0 or high > 1.0:
            raise ValueError(
                "train_sizes has been interpreted as fractions of the maximum number of training samples "
                f"and must be within (0, 1], but is within [{low:f}, {high:f}]."
            )
        sizes = np.clip((sizes * n_max_training_samples).astype(dtype=int, copy=False), 1, n_max_training_samples)
    elif low <= 0 or high > n_max_training_samples:
        raise ValueError(
            "train_sizes has been interpreted as absolute numbers of training samples and must be within "
            f"(0, {n_max_training_samples}], but is within [{low}, {high}]."
        )
    sizes = np.unique(sizes)
    if n_ticks > sizes.shape[0]:
        warnings.warn(
            "Removed duplicate entries from 'train_sizes'. Number of ticks will be less than the size of "
            f"'train_sizes': {sizes.shape[0]} instead of {n_ticks}.",
            RuntimeWarning,
        )
    return sizes


def _incremental_fit_estimator(estimator, X, y, classes, train, test, train_sizes, scorer, return_times, error_score, fit_params):
    """``partial_fit`` on successive chunks of ``train``, scoring after each (one split's learning curve)."""
    rows = []
    extra = {} if classes is None else {"classes": classes}
    for n_train_samples, partial_train in zip(train_sizes, np.split(train, train_sizes)[:-1]):
        train_subset = train[:n_train_samples]
        X_train, y_train = _safe_split(estimator, X, y, train_subset)
        X_partial, y_partial = _safe_split(estimator, X, y, partial_train)
        X_test, y_test = _safe_split(estimator, X, y, test, train_subset)
        start = time.time()
        chunk_params = _check_method_params(X, fit_params, partial_train)
        if y_partial is None:
            estimator.partial_fit(X_partial, **chunk_params, **extra)
        else:
            estimator.partial_fit(X_partial, y_partial, **chunk_params, **extra)
        fit_time = time.time() - start
        start = time.time()
        test_score = _score(estimator, X_test, y_test, scorer, None, error_score)
        train_score = _score(estimator, X_train, y_train, scorer, None, error_score)
        rows.append((train_score, test_score, fit_time, time.time() - start) if return_times else (train_score, test_score))
    return np.array(rows).T


def learning_curve(
    estimator,
    X,
    y,
    *,
    groups=None,
    train_sizes=np.linspace(0.1, 1.0, 5),
    cv=None,
    scoring=None,
    exploit_incremental_learning=False,
    n_jobs=None,
    pre_dispatch="all",
    verbose=0,
    shuffle=False,
    random_state=None,
    error_score=np.nan,
    return_times=False,
    params=None,
):
    """Train and test scores for increasing training-set sizes (the book's learning curves).

    Parameters
    ----------
    estimator, X, y, groups, cv, scoring, n_jobs, pre_dispatch, verbose, error_score, params :
        As in :func:`cross_validate`.
    train_sizes : array-like, default=np.linspace(0.1, 1.0, 5)
        Fractions (floats) or counts (ints) of the largest training set.
    exploit_incremental_learning : bool, default=False
        Grow one model per split with ``partial_fit`` instead of refitting
        from scratch for each size.
    shuffle : bool, default=False
        Shuffle each split's training indices before taking prefixes.
    random_state : int, RandomState or None, default=None
    return_times : bool, default=False

    Returns
    -------
    train_sizes_abs : ndarray of shape (n_ticks,)
    train_scores, test_scores : ndarray of shape (n_ticks, n_splits)
    fit_times, score_times : ndarray of shape (n_ticks, n_splits), if ``return_times``

    Examples
    --------
    >>> from learnflow.dummy import DummyRegressor
    >>> from learnflow.model_selection import learning_curve
    >>> sizes, train, test = learning_curve(DummyRegressor(), [[i] for i in range(6)], list(range(6)),
    ...                                     train_sizes=[1, 3], cv=2, scoring="neg_mean_absolute_error")
    >>> sizes.tolist(), test[:, 0].tolist()
    ([1, 3], [-2.0, -3.0])
    """
    from .._engine import check_random_state

    _check_estimator(estimator)
    if exploit_incremental_learning and not hasattr(estimator, "partial_fit"):
        raise ValueError("An estimator must support the partial_fit interface to exploit incremental learning")
    X, y, groups = _indexable(X, y, groups)
    cv = check_cv(cv, y, classifier=is_classifier(estimator))
    scorer = check_scoring(estimator, scoring=scoring)
    cv_iter = list(cv.split(X, y, groups))
    train_sizes_abs = _translate_train_sizes(train_sizes, len(cv_iter[0][0]))
    n_ticks = train_sizes_abs.shape[0]
    if verbose > 0:
        print(f"[learning_curve] Training set sizes: {train_sizes_abs}")
    if shuffle:
        rng = check_random_state(random_state)
        cv_iter = [(rng.permutation(train), test) for train, test in cv_iter]
    if exploit_incremental_learning:
        classes = np.unique(to_numpy(y)) if is_classifier(estimator) else None
        out = Parallel(n_jobs=n_jobs, pre_dispatch=pre_dispatch, verbose=verbose)(
            delayed(_incremental_fit_estimator)(
                clone(estimator), X, y, classes, train, test, train_sizes_abs, scorer, return_times, error_score, params
            )
            for train, test in cv_iter
        )
        out = np.asarray(out).transpose((1, 2, 0))
        return (train_sizes_abs, *out)
    jobs = [(train[:n], test) for train, test in cv_iter for n in train_sizes_abs]
    results = Parallel(n_jobs=n_jobs, pre_dispatch=pre_dispatch, verbose=verbose)(
        delayed(_fit_and_score)(
            clone(estimator),
            X,
            y,
            scorer=scorer,
            train=train,
            test=test,
            verbose=verbose,
            parameters=None,
            fit_params=params,
            score_params=None,
            return_train_score=True,
            error_score=error_score,
            return_times=return_times,
        )
        for train, test in jobs
    )
    _warn_or_raise_about_fit_failures(results, error_score)
    results = _aggregate_score_dicts(results)
    out = [train_sizes_abs]
    keys = ["train_scores", "test_scores"] + (["fit_time", "score_time"] if return_times else [])
    out.extend(np.asarray(results[key]).reshape(-1, n_ticks).T for key in keys)
    return tuple(out)


def validation_curve(
    estimator,
    X,
    y,
    *,
    param_name,
    param_range,
    groups=None,
    cv=None,
    scoring=None,
    n_jobs=None,
    pre_dispatch="all",
    verbose=0,
    error_score=np.nan,
    params=None,
):
    """Train and test scores of the estimator for each value of one parameter.

    Parameters
    ----------
    param_name : str
        Name of the parameter (``step__param`` for nested ones).
    param_range : array-like of shape (n_values,)
    Others as in :func:`cross_validate`.

    Returns
    -------
    train_scores, test_scores : ndarray of shape (n_values, n_splits)

    Examples
    --------
    >>> from learnflow.dummy import DummyRegressor
    >>> from learnflow.model_selection import validation_curve
    >>> train, test = validation_curve(DummyRegressor(), [[i] for i in range(6)], [0, 1, 2, 0, 0, 9],
    ...     param_name="strategy", param_range=["mean", "median"], cv=2, scoring="neg_mean_absolute_error")
    >>> test.tolist()
    [[-2.0, -3.3333333333333335], [-1.0, -3.3333333333333335]]
    """
    _check_estimator(estimator)
    X, y, groups = _indexable(X, y, groups)
    cv = check_cv(cv, y, classifier=is_classifier(estimator))
    scorer = check_scoring(estimator, scoring=scoring)
    results = Parallel(n_jobs=n_jobs, pre_dispatch=pre_dispatch, verbose=verbose)(
        delayed(_fit_and_score)(
            clone(estimator),
            X,
            y,
            scorer=scorer,
            train=train,
            test=test,
            verbose=verbose,
            parameters={param_name: value},
            fit_params=params,
            score_params=None,
            return_train_score=True,
            error_score=error_score,
        )
        for train, test in cv.split(X, y, groups)
        for value in param_range
    )
    results = _aggregate_score_dicts(results)
    n_values = len(param_range)
    return results["train_scores"].reshape(-1, n_values).T, results["test_scores"].reshape(-1, n_values).T
