"""Pipeline and FeatureUnion: chaining and concatenating transformers (Chapter 2, "Transformation Pipelines").

Steps may be learnflow estimators, scikit-learn estimators or anything with
their methods; a pipeline has ``predict``, ``transform``, ``predict_proba``...
exactly when its last step does.
"""

# SPDX-License-Identifier: BSD-3-Clause

import time
from collections import defaultdict
from copy import deepcopy

import numpy as np
import scipy.sparse as sp
import torch
from joblib import Memory, Parallel, delayed

from ._engine import is_torch, to_numpy
from .base import BaseEstimator, MetaEstimatorMixin, TransformerMixin, clone
from .utils._available_if import available_if
from .utils._bunch import Bunch
from .utils._param_validation import HasMethods, Hidden
from .utils._tags import get_tags
from .utils.validation import check_is_fitted

__all__ = ["FeatureUnion", "Pipeline", "make_pipeline", "make_union"]


def _check_memory(memory):
    """A joblib.Memory from None, a path or a Memory-like object."""
    if memory is None or isinstance(memory, str):
        return Memory(location=memory, verbose=0)
    if not hasattr(memory, "cache"):
        raise ValueError(
            "'memory' should be None, a string or have the same interface as joblib.Memory. "
            f"Got memory='{memory}' instead."
        )
    return memory


def _print_elapsed(verbose, caller, message, start):
    if verbose:
        elapsed = time.time() - start
        text = f"[{caller}] " + "." * max(1, 60 - len(caller) - len(message) - 12) + f" {message}, total={elapsed:5.1f}s"
        print(text)


def _fit_transform_one(transformer, X, y, weight, message_clsname="", message=None, params=None):
    """Fit a transformer and transform X; scale the result by ``weight``."""
    start = time.time()
    params = params or {}
    if hasattr(transformer, "fit_transform"):
        res = transformer.fit_transform(X, y, **params.get("fit_transform", params.get("fit", {})))
    else:
        res = transformer.fit(X, y, **params.get("fit", {})).transform(X, **params.get("transform", {}))
    _print_elapsed(message is not None, message_clsname, message or "", start)
    return (res if weight is None else res * weight), transformer


def _transform_one(transformer, X, y, weight, params=None):
    res = transformer.transform(X, **(params or {}))
    return res if weight is None else res * weight


def _fit_one(transformer, X, y, weight, message_clsname="", message=None, params=None):
    start = time.time()
    out = transformer.fit(X, y, **(params or {}).get("fit", {}))
    _print_elapsed(message is not None, message_clsname, message or "", start)
    return out


def _n_features_2d(X):
    """Number of columns of a 2-D input; ValueError for anything else."""
    shape = getattr(X, "shape", None)
    if shape is None:
        shape = np.asarray(X, dtype=object).shape if not hasattr(X, "__array__") else np.asarray(X).shape
    if len(shape) != 2:
        raise ValueError(
            f"Expected 2D array, got {len(shape)}D array instead. Reshape your data either using "
            "array.reshape(-1, 1) if your data has a single feature or array.reshape(1, -1) if it "
            "contains a single sample."
        )
    return int(shape[1])


def _safe_set_output(estimator, *, transform=None):
    """Call ``set_output`` if the estimator can (a no-op request is always fine)."""
    if transform is None:
        return estimator
    if not hasattr(estimator, "set_output"):
        raise ValueError(f"Unable to configure output for {estimator} because `set_output` is not available.")
    return estimator.set_output(transform=transform)


def _name_estimators(estimators):
    """Names for unnamed estimators: lowercased class names, numbered when repeated."""
    names = [e if isinstance(e, str) else type(e).__name__.lower() for e in estimators]
    counts = defaultdict(int)
    for name in names:
        counts[name] += 1
    for name, count in list(counts.items()):
        if count == 1:
            del counts[name]
    for i in reversed(range(len(estimators))):
        name = names[i]
        if name in counts:
            names[i] += f"-{counts[name]}"
            counts[name] -= 1
    return list(zip(names, estimators))


class _BaseComposition(MetaEstimatorMixin, BaseEstimator):
    """get_params/set_params over a list of (name, estimator) pairs held in ``attr``."""

    def _get_params(self, attr, deep=True):
        out = super().get_params(deep=deep)
        if not deep:
            return out
        estimators = getattr(self, attr)
        try:
            out.update(estimators)
        except (TypeError, ValueError):
            return out
        for name, estimator in estimators:
            if hasattr(estimator, "get_params"):
                out.update((f"{name}__{k}", v) for k, v in estimator.get_params(deep=True).items())
        return out

    def _set_params(self, attr, **params):
        if attr in params:
            setattr(self, attr, params.pop(attr))
        items = getattr(self, attr)
        if isinstance(items, list) and items:
            try:
                names = list(zip(*items))[0]
            except (TypeError, ValueError):
                names = ()
            for name in list(params):
                if "__" not in name and name in names:
                    self._replace_estimator(attr, name, params.pop(name))
        super().set_params(**params)
        return self

    def _replace_estimator(self, attr, name, new_val):
        new_estimators = list(getattr(self, attr))
        for i, (estimator_name, _) in enumerate(new_estimators):
            if estimator_name == name:
                new_estimators[i] = (name, new_val)
                break
        setattr(self, attr, new_estimators)

    def _validate_names(self, names):
        if len(set(names)) != len(names):
            raise ValueError(f"Names provided are not unique: {list(names)!r}")
        invalid = set(names).intersection(self.get_params(deep=False))
        if invalid:
            raise ValueError(f"Estimator names conflict with constructor arguments: {sorted(invalid)!r}")
        invalid = [name for name in names if "__" in name]
        if invalid:
            raise ValueError(f"Estimator names must not contain __: got {invalid!r}")


def _final_estimator_has(attr):
    """Check for ``Pipeline``'s ``available_if``: the last step has ``attr``."""

    def check(self):
        getattr(self._final_estimator, attr)
        return True

    return check


def _can_transform(self):
    return self._final_estimator == "passthrough" or hasattr(self._final_estimator, "transform")


def _can_fit_transform(self):
    last = self._final_estimator
    return last == "passthrough" or hasattr(last, "transform") or hasattr(last, "fit_transform")


def _can_inverse_transform(self):
    return all(est == "passthrough" or hasattr(est, "inverse_transform") for _, _, est in self._iter())


class Pipeline(_BaseComposition):
    """A sequence of transformers ending with any estimator, used as one estimator.

    Parameters
    ----------
    steps : list of (str, estimator) tuples
        Every step but the last must be a transformer (or "passthrough"/None);
        the last may be any estimator, "passthrough" or None.
    memory : str, joblib.Memory or None, default=None
        Cache the fitted transformers in this location (they are cloned first).
    verbose : bool, default=False
        Print the time each step takes to fit.

    Attributes
    ----------
    named_steps : Bunch
        The steps by name.
    classes_ : ndarray
        The last step's classes.
    n_features_in_ : int
        The first step's number of input features.

    Examples
    --------
    >>> import numpy as np
    >>> from learnflow.pipeline import Pipeline
    >>> from learnflow.preprocessing import StandardScaler
    >>> from learnflow.dummy import DummyRegressor
    >>> pipe = Pipeline([("scaler", StandardScaler()), ("reg", DummyRegressor())])
    >>> pipe.fit([[0.0], [2.0]], [1.0, 3.0]).predict([[1.0]])
    array([2.])
    >>> pipe[:1].transform([[2.0]])
    array([[1.]])
    """

    _parameter_constraints = {
        "steps": [list, Hidden(tuple)],
        "memory": [None, str, HasMethods(["cache"])],
        "verbose": ["boolean"],
    }

    def __init__(self, steps, *, memory=None, verbose=False):
        self.steps = steps
        self.memory = memory
        self.verbose = verbose

    def get_params(self, deep=True):
        """Parameters, including each step and (deep) its parameters as ``step__param``."""
        return self._get_params("steps", deep=deep)

    def set_params(self, **params):
        """Set parameters; a step can be replaced by name (``pipe.set_params(scaler="passthrough")``)."""
        self._set_params("steps", **params)
        return self

    def _validate_steps(self):
        if not self.steps:
            raise ValueError("The pipeline is empty. Please add steps.")
        names, estimators = zip(*self.steps)
        self._validate_names(names)
        for t in estimators[:-1]:
            if t is None or t == "passthrough":
                continue
            if not (hasattr(t, "fit") or hasattr(t, "fit_transform")) or not hasattr(t, "transform"):
                raise TypeError(
                    "All intermediate steps should be transformers and implement fit and transform "
                    f"or be the string 'passthrough' '{t}' (type {type(t)}) doesn't"
                )
        last = estimators[-1]
        if last is not None and last != "passthrough" and not hasattr(last, "fit"):
            raise TypeError(
                "Last step of Pipeline should implement fit or be the string 'passthrough'. "
                f"'{last}' (type {type(last)}) doesn't"
            )

    def _iter(self, with_final=True, filter_passthrough=True):
        stop = len(self.steps) if with_final else len(self.steps) - 1
        for idx, (name, trans) in enumerate(self.steps[:stop]):
            if not filter_passthrough or (trans is not None and trans != "passthrough"):
                yield idx, name, trans

    def __len__(self):
        return len(self.steps)

    def __getitem__(self, ind):
        """A sub-pipeline for a slice, a step for an int or a name."""
        if isinstance(ind, slice):
            if ind.step not in (1, None):
                raise ValueError("Pipeline slicing only supports a step of 1")
            return self.__class__(self.steps[ind], memory=self.memory, verbose=self.verbose)
        try:
            _, est = self.steps[ind]
        except TypeError:
            return self.named_steps[ind]
        return est

    @property
    def named_steps(self):
        """The steps as a Bunch (attribute access by name)."""
        return Bunch(**dict(self.steps))

    @property
    def _final_estimator(self):
        try:
            estimator = self.steps[-1][1]
            return "passthrough" if estimator is None else estimator
        except (ValueError, AttributeError, TypeError):
            return self.steps

    @property
    def _estimator_type(self):
        return getattr(self._final_estimator, "_estimator_type", None)

    def _log_message(self, step_idx):
        if not self.verbose:
            return None
        name, _ = self.steps[step_idx]
        return f"(step {step_idx + 1} of {len(self.steps)}) Processing {name}"

    def _check_method_params(self, method, props):
        routed = {name: Bunch(fit={}, partial_fit={}, fit_transform={}, fit_predict={}) for name, _ in self.steps}
        for pname, pval in props.items():
            if "__" not in pname:
                raise ValueError(
                    f"Pipeline.fit does not accept the {pname} parameter. You can pass parameters to "
                    "specific steps of your pipeline using the stepname__parameter format, e.g. "
                    "`Pipeline.fit(X, y, logisticregression__sample_weight=sample_weight)`."
                )
            step, param = pname.split("__", 1)
            if step not in routed:
                raise ValueError(f"Pipeline has no step named {step!r} (got parameter {pname!r}).")
            routed[step]["fit"][param] = pval
            routed[step]["fit_transform"][param] = pval
            routed[step]["fit_predict"][param] = pval
        return routed

    def _fit(self, X, y=None, routed_params=None):
        self.steps = list(self.steps)
        self._validate_steps()
        memory = _check_memory(self.memory)
        fit_transform_one_cached = memory.cache(_fit_transform_one)
        for step_idx, name, transformer in self._iter(with_final=False, filter_passthrough=False):
            if transformer is None or transformer == "passthrough":
                continue
            if hasattr(memory, "location") and memory.location is None:
                cloned = transformer
            else:
                cloned = clone(transformer)
            X, fitted = fit_transform_one_cached(
                cloned, X, y, None, message_clsname="Pipeline", message=self._log_message(step_idx),
                params=routed_params[name],
            )
            self.steps[step_idx] = (name, fitted)
        return X

    def fit(self, X, y=None, **params):
        """Fit every transformer on the output of the previous one, then the last step."""
        self._validate_params()
        routed = self._check_method_params("fit", params)
        Xt = self._fit(X, y, routed)
        start = time.time()
        if self._final_estimator != "passthrough":
            self._final_estimator.fit(Xt, y, **routed[self.steps[-1][0]]["fit"])
        _print_elapsed(self.verbose, "Pipeline", self._log_message(len(self.steps) - 1) or "", start)
        return self

    @available_if(_can_fit_transform)
    def fit_transform(self, X, y=None, **params):
        """Fit the pipeline and return the last step's transform of X."""
        self._validate_params()
        routed = self._check_method_params("fit_transform", params)
        Xt = self._fit(X, y, routed)
        last = self._final_estimator
        if last == "passthrough":
            return Xt
        last_params = routed[self.steps[-1][0]]
        if hasattr(last, "fit_transform"):
            return last.fit_transform(Xt, y, **last_params["fit_transform"])
        return last.fit(Xt, y, **last_params["fit"]).transform(Xt)

    def _transform_steps(self, X, with_final=False):
        Xt = X
        for _, _, transform in self._iter(with_final=with_final):
            Xt = transform.transform(Xt)
        return Xt

    @available_if(_final_estimator_has("predict"))
    def predict(self, X, **params):
        """Transform X through the steps, then the last step's predict."""
        return self.steps[-1][1].predict(self._transform_steps(X), **params)

    @available_if(_final_estimator_has("fit_predict"))
    def fit_predict(self, X, y=None, **params):
        """Fit the transformers, then the last step's fit_predict."""
        self._validate_params()
        routed = self._check_method_params("fit_predict", params)
        Xt = self._fit(X, y, routed)
        return self.steps[-1][1].fit_predict(Xt, y, **routed[self.steps[-1][0]]["fit_predict"])

    @available_if(_final_estimator_has("predict_proba"))
    def predict_proba(self, X, **params):
        """Transform X, then the last step's predict_proba."""
        return self.steps[-1][1].predict_proba(self._transform_steps(X), **params)

    @available_if(_final_estimator_has("predict_log_proba"))
    def predict_log_proba(self, X, **params):
        """Transform X, then the last step's predict_log_proba."""
        return self.steps[-1][1].predict_log_proba(self._transform_steps(X), **params)

    @available_if(_final_estimator_has("decision_function"))
    def decision_function(self, X, **params):
        """Transform X, then the last step's decision_function."""
        return self.steps[-1][1].decision_function(self._transform_steps(X), **params)

    @available_if(_final_estimator_has("score_samples"))
    def score_samples(self, X):
        """Transform X, then the last step's score_samples."""
        return self.steps[-1][1].score_samples(self._transform_steps(X))

    @available_if(_can_transform)
    def transform(self, X, **params):
        """Transform X through every step (the last one included)."""
        return self._transform_steps(X, with_final=True)

    @available_if(_can_inverse_transform)
    def inverse_transform(self, X, **params):
        """Apply each step's inverse_transform in reverse order."""
        Xt = X
        for _, _, transform in reversed(list(self._iter())):
            Xt = transform.inverse_transform(Xt)
        return Xt

    @available_if(_final_estimator_has("score"))
    def score(self, X, y=None, sample_weight=None, **params):
        """Transform X, then the last step's score."""
        if sample_weight is not None:
            params["sample_weight"] = sample_weight
        return self.steps[-1][1].score(self._transform_steps(X), y, **params)

    @property
    def classes_(self):
        """The classes of the last step."""
        return self.steps[-1][1].classes_

    @property
    def n_features_in_(self):
        """Number of features the first step saw in fit."""
        return self.steps[0][1].n_features_in_

    @property
    def feature_names_in_(self):
        """Names of the features the first step saw in fit."""
        return self.steps[0][1].feature_names_in_

    def get_feature_names_out(self, input_features=None):
        """Output names of the last transforming step, fed the names of the steps before."""
        names = input_features
        for _, name, transform in self._iter():
            if not hasattr(transform, "get_feature_names_out"):
                raise AttributeError(
                    f"Estimator {name} does not provide get_feature_names_out. Did you mean to call "
                    "pipeline[:-1].get_feature_names_out()?"
                )
            names = transform.get_feature_names_out(names)
        return names

    def set_output(self, *, transform=None):
        """Set the output container of every step."""
        for _, _, step in self._iter():
            _safe_set_output(step, transform=transform)
        return self

    def __sklearn_is_fitted__(self):
        if not self.steps:
            return False
        last = self.steps[-1][1]
        to_check = [t for _, _, t in self._iter(with_final=False)] if last in (None, "passthrough") else [last]
        try:
            for estimator in to_check:
                check_is_fitted(estimator)
        except Exception:
            return False
        return True

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        if not self.steps:
            return tags
        try:
            first = self.steps[0][1]
            if first is not None and first != "passthrough":
                tags.input_tags.pairwise = get_tags(first).input_tags.pairwise
                tags.input_tags.allow_nan = get_tags(first).input_tags.allow_nan
            tags.input_tags.sparse = all(
                get_tags(step).input_tags.sparse for _, step in self.steps if step not in (None, "passthrough")
            )
        except (ValueError, AttributeError, TypeError):
            pass
        try:
            last = self.steps[-1][1]
            if last is not None and last != "passthrough":
                last_tags = get_tags(last)
                tags.estimator_type = last_tags.estimator_type
                tags.target_tags = deepcopy(last_tags.target_tags)
                tags.classifier_tags = deepcopy(last_tags.classifier_tags)
                tags.regressor_tags = deepcopy(last_tags.regressor_tags)
                tags.transformer_tags = deepcopy(last_tags.transformer_tags)
        except (ValueError, AttributeError, TypeError):
            pass
        return tags


def make_pipeline(*steps, memory=None, verbose=False):
    """A Pipeline whose step names are the lowercased class names.

    Examples
    --------
    >>> from learnflow.pipeline import make_pipeline
    >>> from learnflow.impute import SimpleImputer
    >>> from learnflow.preprocessing import StandardScaler
    >>> make_pipeline(SimpleImputer(strategy="median"), StandardScaler()).steps[0][0]
    'simpleimputer'
    """
    return Pipeline(_name_estimators(steps), memory=memory, verbose=verbose)


def _hstack(blocks):
    """Concatenate transformer outputs side by side (sparse if any is, torch if all are, pandas if all are)."""
    if any(sp.issparse(b) for b in blocks):
        return sp.hstack([sp.csr_matrix(to_numpy(b) if not sp.issparse(b) else b) for b in blocks]).tocsr()
    if blocks and all(hasattr(b, "iloc") for b in blocks):
        import pandas as pd

        return pd.concat(blocks, axis=1)
    if blocks and all(is_torch(b) for b in blocks):
        device = blocks[0].device
        return torch.cat([b.to(device) for b in blocks], dim=1)
    arrays = [to_numpy(getattr(b, "to_numpy", lambda b=b: b)()) for b in blocks]
    arrays = [a.reshape(-1, 1) if a.ndim == 1 else a for a in arrays]
    return np.hstack(arrays)


class FeatureUnion(TransformerMixin, _BaseComposition):
    """Concatenate the outputs of several transformers fitted on the same input.

    Parameters
    ----------
    transformer_list : list of (str, transformer) tuples
        A transformer may be "drop" (skipped) or "passthrough" (X unchanged).
    n_jobs : int, default=None
        Fit the transformers in parallel with joblib.
    transformer_weights : dict, default=None
        Multiply a transformer's output by ``transformer_weights[name]``.
    verbose : bool, default=False
    verbose_feature_names_out : bool, default=True
        Prefix output names with ``"<name>__"``.

    Attributes
    ----------
    named_transformers : Bunch
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,)

    Examples
    --------
    >>> from learnflow.pipeline import FeatureUnion
    >>> from learnflow.preprocessing import MinMaxScaler, StandardScaler
    >>> union = FeatureUnion([("std", StandardScaler()), ("minmax", MinMaxScaler())])
    >>> union.fit_transform([[0.0], [2.0]])
    array([[-1.,  0.],
           [ 1.,  1.]])
    >>> union.get_feature_names_out().tolist()
    ['std__x0', 'minmax__x0']
    """

    _parameter_constraints = {
        "transformer_list": [list],
        "n_jobs": [None, int],
        "transformer_weights": [dict, None],
        "verbose": ["boolean"],
        "verbose_feature_names_out": ["boolean"],
    }

    def __init__(
        self, transformer_list, *, n_jobs=None, transformer_weights=None, verbose=False, verbose_feature_names_out=True
    ):
        self.transformer_list = transformer_list
        self.n_jobs = n_jobs
        self.transformer_weights = transformer_weights
        self.verbose = verbose
        self.verbose_feature_names_out = verbose_feature_names_out

    def get_params(self, deep=True):
        """Parameters, including each transformer and (deep) its parameters."""
        return self._get_params("transformer_list", deep=deep)

    def set_params(self, **params):
        """Set parameters; a transformer can be replaced by name."""
        self._set_params("transformer_list", **params)
        return self

    @property
    def named_transformers(self):
        """The transformers as a Bunch."""
        return Bunch(**dict(self.transformer_list))

    def _validate_transformers(self):
        names, transformers = zip(*self.transformer_list) if self.transformer_list else ((), ())
        self._validate_names(names)
        for t in transformers:
            if t in ("drop", "passthrough"):
                continue
            if not (hasattr(t, "fit") or hasattr(t, "fit_transform")) or not hasattr(t, "transform"):
                raise TypeError(
                    "All estimators should implement fit and transform. "
                    f"'{t}' (type {type(t)}) doesn't"
                )
        if self.transformer_weights:
            unknown = set(self.transformer_weights) - set(names)
            if unknown:
                raise ValueError(
                    f'Attempting to weight transformer "{sorted(unknown)[0]}", but it is not present in '
                    f"transformer_list."
                )

    def _iter(self):
        weights = self.transformer_weights or {}
        for name, trans in self.transformer_list:
            if trans == "drop":
                continue
            if trans == "passthrough":
                from .preprocessing import FunctionTransformer

                trans = FunctionTransformer(feature_names_out="one-to-one")
            yield name, trans, weights.get(name)

    def _record_input(self, X):
        from .utils.validation import _check_feature_names

        _check_feature_names(self, X, reset=True)
        self.n_features_in_ = _n_features_2d(X)

    def _parallel_fit(self, X, y, func, params):
        self._validate_params()
        self._validate_transformers()
        self._record_input(X)
        items = list(self._iter())
        results = Parallel(n_jobs=self.n_jobs)(
            delayed(func)(
                clone(trans), X, y, weight, message_clsname="FeatureUnion",
                message=f"(step {i + 1} of {len(items)}) Processing {name}" if self.verbose else None,
                params={"fit": params, "fit_transform": params},
            )
            for i, (name, trans, weight) in enumerate(items)
        )
        return items, results

    def _update_transformer_list(self, fitted):
        fitted = iter(fitted)
        self.transformer_list[:] = [
            (name, old if old == "drop" else next(fitted)) for name, old in self.transformer_list
        ]

    def fit(self, X, y=None, **fit_params):
        """Fit every transformer on X."""
        _, transformers = self._parallel_fit(X, y, _fit_one, fit_params)
        self._update_transformer_list(transformers)
        return self

    def fit_transform(self, X, y=None, **fit_params):
        """Fit every transformer on X and concatenate their outputs."""
        _, results = self._parallel_fit(X, y, _fit_transform_one, fit_params)
        if not results:
            return np.zeros((X.shape[0], 0))
        outputs, transformers = zip(*results)
        self._update_transformer_list(transformers)
        return self._named(_hstack(list(outputs)))

    def transform(self, X, **params):
        """Transform X with every transformer and concatenate the outputs."""
        check_is_fitted(self)
        outputs = Parallel(n_jobs=self.n_jobs)(
            delayed(_transform_one)(trans, X, None, weight) for _, trans, weight in self._iter()
        )
        if not outputs:
            return np.zeros((X.shape[0], 0))
        return self._named(_hstack(outputs))

    def _named(self, result):
        """A DataFrame result gets the union's (prefixed) column names, as scikit-learn's."""
        if hasattr(result, "iloc"):
            try:
                result.columns = self.get_feature_names_out()
            except (AttributeError, ValueError):
                pass
        return result

    def get_feature_names_out(self, input_features=None):
        """Each transformer's output names, prefixed with ``"<name>__"``."""
        names = []
        for name, trans, _ in self._iter():
            if not hasattr(trans, "get_feature_names_out"):
                raise AttributeError(
                    f"Transformer {name} (type {type(trans).__name__}) does not provide get_feature_names_out."
                )
            out = trans.get_feature_names_out(input_features)
            names.extend(f"{name}__{f}" if self.verbose_feature_names_out else f for f in out)
        if not self.verbose_feature_names_out and len(set(names)) != len(names):
            raise ValueError(
                f"Output feature names: {names} are not unique. Please set verbose_feature_names_out=True "
                "to add prefixes to feature names"
            )
        return np.asarray(names, dtype=object)

    def set_output(self, *, transform=None):
        """Set the output container of the union and of every transformer."""
        super().set_output(transform=transform)
        for _, step, _ in self._iter():
            _safe_set_output(step, transform=transform)
        return self

    def __sklearn_is_fitted__(self):
        for _, trans, _ in self._iter():
            check_is_fitted(trans)
        return True

    def __getitem__(self, name):
        """The transformer named ``name``."""
        if not isinstance(name, str):
            raise KeyError("Only string keys are supported")
        return self.named_transformers[name]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        try:
            tags.input_tags.sparse = all(
                get_tags(t).input_tags.sparse for _, t in self.transformer_list if t not in ("drop", "passthrough")
            )
            tags.input_tags.allow_nan = all(
                get_tags(t).input_tags.allow_nan for _, t in self.transformer_list if t not in ("drop", "passthrough")
            )
        except (ValueError, AttributeError, TypeError):
            pass
        return tags


def make_union(*transformers, n_jobs=None, verbose=False):
    """A FeatureUnion whose transformer names are the lowercased class names.

    Examples
    --------
    >>> from learnflow.pipeline import make_union
    >>> from learnflow.preprocessing import MinMaxScaler, StandardScaler
    >>> [name for name, _ in make_union(StandardScaler(), MinMaxScaler()).transformer_list]
    ['standardscaler', 'minmaxscaler']
    """
    return FeatureUnion(_name_estimators(transformers), n_jobs=n_jobs, verbose=verbose)
