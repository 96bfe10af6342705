"""Stacking (Chapter 7): a final estimator (the blender) learns from the members' out-of-fold predictions.

The members are fitted on all of X; the blender is fitted on the members'
``cross_val_predict`` outputs (``cv`` folds), so it never sees a prediction
made on a member's own training rows, which is the book's hold-out blender
generalised to every row.
"""

# SPDX-License-Identifier: BSD-3-Clause

from copy import deepcopy
from numbers import Integral

import numpy as np
from joblib import delayed

from ..base import ClassifierMixin, RegressorMixin, _fit_context, clone, is_classifier
from ..utils import Bunch
from ..utils._available_if import available_if
from ..utils._param_validation import HasMethods, StrOptions
from ..utils.multiclass import check_classification_targets
from ..utils.validation import check_is_fitted, column_or_1d, validate_data
from ._base import _as_numpy, _fit_single, _follow_input, _parallel
from ._voting import _BaseVoting

__all__ = ["StackingClassifier", "StackingRegressor"]

_AUTO_METHODS = {"classifier": ("predict_proba", "decision_function", "predict"), "regressor": ("predict",)}


class _BaseStacking(_BaseVoting):
    """Member fitting, out-of-fold predictions and the meta-features shared by both stackers."""

    _parameter_constraints = {
        "estimators": [list],
        "final_estimator": [None, HasMethods("fit")],
        "cv": ["cv_object", StrOptions({"prefit"})],
        "n_jobs": [None, Integral],
        "passthrough": ["boolean"],
        "verbose": ["verbose"],
    }
    weights = None

    def _method_name(self, name, estimator, method):
        if estimator == "drop":
            return None
        if method == "auto":
            kind = "classifier" if is_classifier(self) else "regressor"
            for candidate in _AUTO_METHODS[kind]:
                if hasattr(estimator, candidate):
                    return candidate
        if not hasattr(estimator, method):
            raise ValueError(f"Underlying estimator {name} does not implement the method {method}.")
        return method

    def _fit_stack(self, X, y, fit_params):
        names, all_estimators = self._validate_estimators()
        validate_data(self, X, reset=True, dtype=None, ensure_all_finite=False)
        self.final_estimator_ = clone(self.final_estimator if self.final_estimator is not None else self._default_final())
        methods = [self._method_name(n, e, self._stack_method_param()) for n, e in zip(names, all_estimators)]
        kept = [(e, m) for e, m in zip(all_estimators, methods) if e != "drop"]
        if self.cv == "prefit":
            self.estimators_ = [e for e, _ in kept]
        else:
            self.estimators_ = _parallel(self.n_jobs)(
                delayed(_fit_single)(clone(e), X, y, **fit_params) for e, _ in kept
            )
        self.named_estimators_ = Bunch()
        fitted = iter(self.estimators_)
        for name, est in zip(names, all_estimators):
            self.named_estimators_[name] = next(fitted) if est != "drop" else "drop"
        self.stack_method_ = [m for _, m in kept]
        if self.cv == "prefit":
            predictions = [getattr(e, m)(X) for e, m in zip(self.estimators_, self.stack_method_)]
        else:
            predictions = self._out_of_fold(X, y, kept, fit_params)
        X_meta = self._concatenate(X, predictions)
        _fit_single(self.final_estimator_, X_meta, y, **fit_params)
        return self

    def _out_of_fold(self, X, y, kept, fit_params):
        from ..model_selection import check_cv, cross_val_predict

        cv = check_cv(self.cv, y=y, classifier=is_classifier(self))
        return _parallel(self.n_jobs)(
            delayed(cross_val_predict)(clone(e), X, y, cv=deepcopy(cv), method=m, params=fit_params) for e, m in kept
        )

    def _concatenate(self, X, predictions):
        columns = []
        for preds, method in zip(predictions, self.stack_method_):
            preds = _as_numpy(preds)
            if preds.ndim == 1:
                columns.append(preds.reshape(-1, 1))
            elif method == "predict_proba" and len(getattr(self, "classes_", ())) == 2:
                columns.append(preds[:, 1:])  # binary: the first column is redundant
            else:
                columns.append(preds)
        self._n_feature_outs = [c.shape[1] for c in columns]
        if self.passthrough:
            columns.append(np.asarray(_as_numpy(X), dtype=np.float64))
        return np.hstack(columns)

    def _transform(self, X):
        check_is_fitted(self)
        predictions = [getattr(e, m)(X) for e, m in zip(self.estimators_, self.stack_method_)]
        return self._concatenate(X, predictions)

    def transform(self, X):
        """The members' predictions (plus X with ``passthrough``): the blender's input."""
        return _follow_input(self._transform(X), X)

    def get_feature_names_out(self, input_features=None):
        """``<stacker>_<name>`` per member output (``<stacker>_<name><k>`` for several), then X's names."""
        check_is_fitted(self)
        prefix = type(self).__name__.lower()
        names = [n for n, e in self.estimators if e != "drop"]
        out = []
        for name, width in zip(names, self._n_feature_outs):
            out += [f"{prefix}_{name}"] if width == 1 else [f"{prefix}_{name}{k}" for k in range(width)]
        if self.passthrough:
            if input_features is None:
                input_features = getattr(self, "feature_names_in_", [f"x{i}" for i in range(self.n_features_in_)])
            out += list(input_features)
        return np.asarray(out, dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        return tags


def _final_has(attr):
    def check(self):
        final = getattr(self, "final_estimator_", None)
        if final is None:
            final = self.final_estimator if self.final_estimator is not None else self._default_final()
        return hasattr(final, attr)

    return check


class StackingClassifier(ClassifierMixin, _BaseStacking):
    """A classifier stacked on the out-of-fold predictions of several classifiers.

    Parameters
    ----------
    estimators : list of (str, estimator)
        The first layer; an estimator may be ``"drop"``.
    final_estimator : estimator, default=None
        The blender (a :class:`~learnflow.linear_model.LogisticRegression` if None).
    cv : int, cross-validation generator, iterable or "prefit", default=None
        Folds of the out-of-fold predictions (5-fold stratified if None);
        "prefit" uses the already fitted members on X itself.
    stack_method : {"auto", "predict_proba", "decision_function", "predict"}, default="auto"
        The member method whose output the blender sees ("auto": the first available).
    n_jobs : int, default=None
    passthrough : bool, default=False
        Also give the blender the original features.
    verbose : int, default=0

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    estimators_ : list of fitted members
    named_estimators_ : Bunch
    final_estimator_ : estimator
    stack_method_ : list of str
    n_features_in_ : int

    Examples
    --------
    >>> from learnflow.datasets import load_iris
    >>> from learnflow.ensemble import StackingClassifier
    >>> from learnflow.tree import DecisionTreeClassifier
    >>> from learnflow.linear_model import LogisticRegression
    >>> iris = load_iris()
    >>> stack = StackingClassifier([("tree", DecisionTreeClassifier(max_depth=2, random_state=0))],
    ...                            final_estimator=LogisticRegression(), cv=3)
    >>> stack.fit(iris.data, iris.target).predict(iris.data[[0, 50, 100]])
    array([0, 1, 2])
    """

    _parameter_constraints = {
        **_BaseStacking._parameter_constraints,
        "stack_method": [StrOptions({"auto", "predict_proba", "decision_function", "predict"})],
    }

    def __init__(self, estimators, final_estimator=None, *, cv=None, stack_method="auto", n_jobs=None,
                 passthrough=False, verbose=0):
        self.estimators = estimators
        self.final_estimator = final_estimator
        self.cv = cv
        self.stack_method = stack_method
        self.n_jobs = n_jobs
        self.passthrough = passthrough
        self.verbose = verbose

    def _default_final(self):
        from ..linear_model import LogisticRegression

        return LogisticRegression()

    def _stack_method_param(self):
        return self.stack_method

    @_fit_context()
    def fit(self, X, y, sample_weight=None, **fit_params):
        """Fit the members on X, then the blender on their out-of-fold predictions."""
        from ..preprocessing import LabelEncoder

        y = column_or_1d(_as_numpy(y), warn=True)
        check_classification_targets(y)
        self._label_encoder = LabelEncoder().fit(y)
        self.classes_ = self._label_encoder.classes_
        if sample_weight is not None:
            fit_params["sample_weight"] = np.asarray(sample_weight)
        return self._fit_stack(X, self._label_encoder.transform(y), fit_params)

    def predict(self, X):
        """The blender's prediction from the members' outputs."""
        check_is_fitted(self)
        encoded = _as_numpy(self.final_estimator_.predict(self._transform(X)))
        return _follow_input(self._label_encoder.inverse_transform(encoded.astype(np.int64)), X)

    @available_if(_final_has("predict_proba"))
    def predict_proba(self, X):
        """The blender's class probabilities."""
        check_is_fitted(self)
        return _follow_input(_as_numpy(self.final_estimator_.predict_proba(self._transform(X))), X)

    @available_if(_final_has("decision_function"))
    def decision_function(self, X):
        """The blender's decision function."""
        check_is_fitted(self)
        return _follow_input(_as_numpy(self.final_estimator_.decision_function(self._transform(X))), X)


class StackingRegressor(RegressorMixin, _BaseStacking):
    """A regressor stacked on the out-of-fold predictions of several regressors.

    Parameters
    ----------
    estimators : list of (str, estimator)
    final_estimator : estimator, default=None
        The blender (a :class:`~learnflow.linear_model.RidgeCV` if None).
    cv : int, cross-validation generator, iterable or "prefit", default=None
        5-fold if None.
    n_jobs : int, default=None
    passthrough : bool, default=False
    verbose : int, default=0

    Attributes
    ----------
    estimators_, named_estimators_, final_estimator_, stack_method_, n_features_in_ :
        As for :class:`StackingClassifier`.

    Examples
    --------
    >>> import numpy as np
    >>> from learnflow.ensemble import StackingRegressor
    >>> from learnflow.linear_model import LinearRegression
    >>> X = np.arange(10.0).reshape(-1, 1)
    >>> stack = StackingRegressor([("lin", LinearRegression())], cv=2).fit(X, 3 * X.ravel())
    >>> stack.predict([[20.0]]).round(1)
    array([60.])
    """

    def __init__(self, estimators, final_estimator=None, *, cv=None, n_jobs=None, passthrough=False, verbose=0):
        self.estimators = estimators
        self.final_estimator = final_estimator
        self.cv = cv
        self.n_jobs = n_jobs
        self.passthrough = passthrough
        self.verbose = verbose

    def _default_final(self):
        from ..linear_model import RidgeCV

        return RidgeCV()

    def _stack_method_param(self):
        return "auto"

    @_fit_context()
    def fit(self, X, y, sample_weight=None, **fit_params):
        """Fit the members on X, then the blender on their out-of-fold predictions."""
        y = column_or_1d(_as_numpy(y), warn=True)
        if sample_weight is not None:
            fit_params["sample_weight"] = np.asarray(sample_weight)
        return self._fit_stack(X, y, fit_params)

    def predict(self, X):
        """The blender's prediction from the members' outputs."""
        check_is_fitted(self)
        return _follow_input(_as_numpy(self.final_estimator_.predict(self._transform(X))), X)
