"""CART decision trees (Chapter 6): classifiers, regressors and extremely randomized trees.

The estimators mirror ``sklearn.tree``: same parameters, defaults, attributes
(``tree_`` with scikit-learn's node arrays) and the same trees on the same
data. X is converted to float32 as scikit-learn does, so thresholds (midpoints
between consecutive distinct float32 values, computed as ``a / 2 + b / 2`` in
float64) are bit-identical. Growth is sequential per node and runs on the CPU;
prediction runs on the input's device.

Forests (``learnflow.ensemble``) call ``tree._fit(X, y, sample_weight,
check_input=False)`` with X a float32 CPU tensor, y a float64 array of shape
(n_samples, n_outputs) and bootstrap counts folded into ``sample_weight``.
"""

# SPDX-License-Identifier: BSD-3-Clause

import functools
import warnings
from math import ceil
from numbers import Integral, Real

import numpy as np
import torch

from .._engine import get_device, is_torch, labels_to_output, seeded_state, to_output, warn_device_fallback
from ..base import BaseEstimator, ClassifierMixin, MultiOutputMixin, RegressorMixin, _fit_context, clone
from ..utils import Bunch
from ..utils._param_validation import Hidden, Interval, StrOptions
from ..utils.multiclass import check_classification_targets
from ..utils.validation import check_is_fitted, check_sample_weight, validate_data
from ._criterion import CRITERIA_CLF, CRITERIA_REG, _ClassificationCriterion, _RegressionCriterion
from ._mae import _MAE
from ._level_exact import build_level_exact, level_exact_applies
from ._splitter import RAND_R_MAX, SplitContext, _PyBlock
from ._tree import Tree, build_best_first, build_depth_first, ccp_pruning_path, prune_tree

__all__ = ["DecisionTreeClassifier", "DecisionTreeRegressor", "ExtraTreeClassifier", "ExtraTreeRegressor"]

# =============================================================================
# Types and constants
# =============================================================================

CRITERIA_REG = {**CRITERIA_REG, "absolute_error": _MAE}


def _regression_criterion(name):
    """The criterion to grow with: scikit-learn 1.9 maps the deprecated "friedman_mse" to "squared_error"."""
    if name == "friedman_mse":
        warnings.warn(
            'Value `"friedman_mse"` for `criterion` is deprecated and will be removed in 1.11. It maps to '
            '`"squared_error"` as both were always equivalent. Use `criterion="squared_error"` to remove '
            "this warning.",
            FutureWarning,
        )
        return "squared_error"
    return name
_MAX_DEPTH = np.iinfo(np.int32).max


class _RealNotInt(Real):
    """Reals that are not integers (scikit-learn's RealNotInt)."""


_RealNotInt.register(float)


_GROWN_ON_THE_CPU = ("tree growth", "nodes are grown one at a time")


def _float32_input(X, estimator, cpu_step=_GROWN_ON_THE_CPU):
    """X as a contiguous float32 CPU tensor; infinity is an error, NaN is allowed.

    ``cpu_step``: the (step, reason) to warn about when X is on another device,
    or None when the caller runs its step on the device itself.
    """
    if is_torch(X):
        if X.device.type != "cpu" and cpu_step is not None:
            warn_device_fallback(estimator, cpu_step[0], X.device, cpu_step[1])
        X = X.detach().to(device="cpu", dtype=torch.float32)
    else:
        with np.errstate(over="ignore"):
            X = torch.from_numpy(np.ascontiguousarray(X, dtype=np.float32))
    if bool(torch.isinf(X).any()):
        raise ValueError(
            f"Input X contains infinity or a value too large for dtype('float32') ({type(estimator).__name__})."
        )
    return X.contiguous()


def _cached_root_block(ctx, cache, idx):
    """``ctx.root_block(idx)`` from the stable sort of all of ``ctx.X``'s rows, kept in ``cache``.

    The stable order of the rows ``idx`` (ascending) is the full stable order
    restricted to them, so a subset's order is a filter of the cached one.
    """
    if cache.get("X") is not ctx.X:
        cache["X"] = ctx.X
        cache["order"] = SplitContext.root_block(ctx, np.arange(ctx.n_samples), python=False)[1]
    full = cache["order"]
    if ctx.py_mode and not ctx.py_mse and ctx.python_node(len(idx), ctx.n_features):  # Python: the order only
        member = np.zeros(ctx.n_samples, dtype=bool)
        member[idx] = True
        return _PyBlock(list(range(ctx.n_features)), full[member[full]].reshape(full.shape[0], len(idx)).tolist())
    if len(idx) == ctx.n_samples:
        order = full.copy()
    else:
        member = np.zeros(ctx.n_samples, dtype=bool)
        member[idx] = True
        order = full[member[full]].reshape(full.shape[0], len(idx))
    codes = ctx.y_code_np[order] if ctx.criterion.fast_gini else None
    return np.arange(ctx.n_features), order, np.take_along_axis(ctx.XT, order, axis=1), codes, not ctx.has_missing


def _expanded_class_weight(class_weight, y):
    """Per-sample weights from ``class_weight`` (scikit-learn's compute_sample_weight)."""
    n_outputs = y.shape[1]
    if isinstance(class_weight, dict):
        if n_outputs > 1:
            raise ValueError("For multi-output, class_weight should be a list of dicts, or the string 'balanced'.")
        class_weight = [class_weight]
    elif class_weight != "balanced" and len(class_weight) != n_outputs:
        raise ValueError("For multi-output, number of elements in class_weight should match number of outputs.")
    weights = np.ones(y.shape[0])
    for k in range(n_outputs):
        classes, encoded = np.unique(y[:, k], return_inverse=True)
        if class_weight == "balanced":
            per_class = len(y) / (len(classes) * np.bincount(encoded))
        else:
            mapping = class_weight[k]
            per_class = np.ones(len(classes))
            missing = [c for c in classes if c not in mapping]
            for i, c in enumerate(classes):
                if c in mapping:
                    per_class[i] = mapping[c]
            if missing and len(classes) - len(missing) != len(mapping):
                raise ValueError(f"The classes, {np.array(missing).tolist()}, are not in class_weight")
        weights *= per_class[encoded]
    return weights


def _resolve_max_features(max_features, n_features):
    if max_features == "sqrt":
        return max(1, int(np.sqrt(n_features)))
    if max_features == "log2":
        return max(1, int(np.log2(n_features)))
    if max_features is None:
        return n_features
    if isinstance(max_features, Integral):
        return int(max_features)
    return max(1, int(max_features * n_features)) if max_features > 0.0 else 0


# =============================================================================
# Base decision tree
# =============================================================================


class BaseDecisionTree(MultiOutputMixin, BaseEstimator):
    """Shared fit / apply / pruning logic of the four tree estimators."""

    _parameter_constraints = {
        "splitter": [StrOptions({"best", "random"})],
        "max_depth": [Interval(Integral, 1, None, closed="left"), None],
        "min_samples_split": [
            Interval(Integral, 2, None, closed="left"),
            Interval(_RealNotInt, 0.0, 1.0, closed="right"),
        ],
        "min_samples_leaf": [
            Interval(Integral, 1, None, closed="left"),
            Interval(_RealNotInt, 0.0, 1.0, closed="neither"),
        ],
        "min_weight_fraction_leaf": [Interval(Real, 0.0, 0.5, closed="both")],
        "max_features": [
            Interval(Integral, 1, None, closed="left"),
            Interval(_RealNotInt, 0.0, 1.0, closed="right"),
            StrOptions({"sqrt", "log2"}),
            None,
        ],
        "random_state": ["random_state"],
        "max_leaf_nodes": [Interval(Integral, 2, None, closed="left"), None],
        "min_impurity_decrease": [Interval(Real, 0.0, None, closed="left")],
        "ccp_alpha": [Interval(Real, 0.0, None, closed="left")],
    }

    def _allows_missing_values(self):
        # the absolute-error criterion has no proxy for sending NaNs to a side, as in scikit-learn
        return self.criterion != "absolute_error"

    def _check_fit_input(self, X, y):
        X, y = validate_data(
            self, X, y, reset=True, dtype=None,
            ensure_all_finite="allow-nan" if self._allows_missing_values() else True, multi_output=True,
            y_numeric=not isinstance(self, ClassifierMixin),
        )
        X = _float32_input(X, self)
        y = np.asarray(y.detach().cpu().numpy() if is_torch(y) else y)
        if not isinstance(self, ClassifierMixin):
            y = y.astype(np.float64)
            if not np.all(np.isfinite(y)):
                raise ValueError("Input y contains NaN or infinity.")
        return X, y

    def _fit(self, X, y, sample_weight=None, check_input=True, root_sort=None, record_leaves=False):
        """Grow the tree. With ``check_input=False``, X is a float32 CPU tensor (forests).

        ``root_sort``: a dict the caller keeps across fits on the same ``X`` tensor
        (forests, boosting stages): the presorted search sorts every feature once there and
        derives each later root's order from it, the same order as a fresh sort; with
        ``check_input=False`` it also keeps what depends only on X or on the ``y`` object
        (classes and their one-hot statistics, X's transpose), so trees sharing them skip that work.
        ``record_leaves``: the node-at-a-time builders note the leaf of every training row as they grow
        (boosting reads them once, with ``tree_.pop_grown_leaves``, instead of walking X down the tree).
        """
        random_state = seeded_state(self.random_state)
        if check_input:
            X, y = self._check_fit_input(X, y)
        else:
            self.n_features_in_ = X.shape[1]
        n_samples = X.shape[0]
        if get_device().type != "cpu" and check_input:
            warn_device_fallback(self, _GROWN_ON_THE_CPU[0], get_device(), _GROWN_ON_THE_CPU[1])
        y = y.reshape(-1, 1) if y.ndim == 1 else y
        self.n_outputs_ = y.shape[1]
        cache = root_sort if not check_input else None
        criterion, stats, weight = self._make_criterion(y, sample_weight, X, cache)
        params = self._resolve_sizes(n_samples, weight, sample_weight is not None or getattr(self, "class_weight", None) is not None)
        seed = random_state.randint(0, RAND_R_MAX)
        ctx = SplitContext(
            X, stats, criterion, splitter=self.splitter, max_features=self.max_features_,
            min_samples_leaf=params["min_samples_leaf"], min_weight_leaf=params["min_weight_leaf"], seed=seed,
            cache=root_sort,
        )
        if root_sort is not None and ctx.presort:
            ctx.root_block = functools.partial(_cached_root_block, ctx, root_sort)
        tree = Tree(self.n_features_in_, self._tree_n_classes(), self.n_outputs_)
        idx = np.flatnonzero(weight.numpy())  # scikit-learn ignores zero-weight samples
        if self.max_leaf_nodes is None:  # scikit-learn's tree either way; level-wise where that is faster
            build = build_level_exact if level_exact_applies(ctx) else build_depth_first
        else:
            build = functools.partial(build_best_first, max_leaf_nodes=self.max_leaf_nodes)
        if record_leaves and build is not build_level_exact:  # (the node-at-a-time builders note them)
            tree._leaf_rows = []
        with torch.inference_mode():
            self.tree_ = build(tree, ctx, idx, **params)
        self._finish_outputs()
        if self.ccp_alpha > 0.0:
            self.tree_ = prune_tree(self.tree_, self.ccp_alpha)
        return self

    def _sample_weight(self, sample_weight, X, expanded=None, trusted=False):
        weight = None
        if sample_weight is not None:
            if trusted and isinstance(sample_weight, np.ndarray) and sample_weight.dtype == np.float64:
                weight = sample_weight  # the caller's (forests': bootstrap counts), already checked
            else:
                weight = check_sample_weight(sample_weight, X, dtype=np.float64)
        if expanded is not None:
            weight = expanded if weight is None else weight * expanded
        return weight

    def _resolve_sizes(self, n_samples, weight, weighted):
        if isinstance(self.min_samples_leaf, Integral):
            min_samples_leaf = int(self.min_samples_leaf)
        else:
            min_samples_leaf = int(ceil(self.min_samples_leaf * n_samples))
        if isinstance(self.min_samples_split, Integral):
            min_samples_split = int(self.min_samples_split)
        else:
            min_samples_split = max(2, int(ceil(self.min_samples_split * n_samples)))
        min_samples_split = max(min_samples_split, 2 * min_samples_leaf)
        self.max_features_ = _resolve_max_features(self.max_features, self.n_features_in_)
        total = float(weight.numpy().sum() if isinstance(weight, torch.Tensor) else weight.sum()) if weighted else n_samples
        return {
            "max_depth": _MAX_DEPTH if self.max_depth is None else int(self.max_depth),
            "min_samples_split": min_samples_split,
            "min_samples_leaf": min_samples_leaf,
            "min_weight_leaf": self.min_weight_fraction_leaf * total,
            "min_impurity_decrease": float(self.min_impurity_decrease),
        }

    def _validate_X_predict(self, X):
        check_is_fitted(self)
        X_checked = validate_data(self, X, reset=False, dtype=None, ensure_all_finite=False)
        X32 = torch.as_tensor(X_checked).to(torch.float32) if is_torch(X_checked) else torch.from_numpy(
            np.ascontiguousarray(X_checked, dtype=np.float32)
        )
        if bool(torch.isinf(X32).any()):
            raise ValueError("Input X contains infinity or a value too large for dtype('float32').")
        return X32

    def get_depth(self):
        """The depth of the tree (the longest root-to-leaf path)."""
        check_is_fitted(self)
        return self.tree_.max_depth

    def get_n_leaves(self):
        """The number of leaves of the tree."""
        check_is_fitted(self)
        return self.tree_.n_leaves

    def apply(self, X, check_input=True):
        """Index of the leaf each sample ends up in."""
        X32 = self._validate_X_predict(X)
        leaves = self.tree_.apply(X32)
        return leaves.to(X.device) if is_torch(X) else leaves.numpy()

    def decision_path(self, X, check_input=True):
        """Sparse CSR indicator (n_samples, n_nodes) of the nodes each sample traverses."""
        return self.tree_.decision_path(self._validate_X_predict(X))

    def _leaf_values(self, X):
        X32 = self._validate_X_predict(X)
        return self.tree_.predict(X32)

    @property
    def feature_importances_(self):
        """Normalised total impurity decrease brought by each feature (MDI)."""
        check_is_fitted(self)
        return self.tree_.compute_feature_importances()

    def cost_complexity_pruning_path(self, X, y, sample_weight=None):
        """Effective alphas and total leaf impurities of minimal cost-complexity pruning.

        Returns
        -------
        ccp_path : Bunch with ``ccp_alphas`` and ``impurities``.
        """
        est = clone(self).set_params(ccp_alpha=0.0)
        est.fit(X, y, sample_weight=sample_weight)
        return Bunch(**ccp_pruning_path(est.tree_))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = self._allows_missing_values()
        return tags


# =============================================================================
# Public estimators
# =============================================================================


class DecisionTreeClassifier(ClassifierMixin, BaseDecisionTree):
    """A CART decision tree classifier.

    Parameters
    ----------
    criterion : {"gini", "entropy", "log_loss"}, default="gini"
        Impurity measure: Gini (Equation 6-1) or Shannon entropy in bits (6-3).
    splitter : {"best", "random"}, default="best"
        "best" searches every threshold; "random" draws one per feature.
    max_depth : int, default=None
    min_samples_split : int or float, default=2
    min_samples_leaf : int or float, default=1
    min_weight_fraction_leaf : float, default=0.0
    max_features : int, float, {"sqrt", "log2"} or None, default=None
    random_state : int, RandomState or None, default=None
        Drives the per-node feature order (as scikit-learn's).
    max_leaf_nodes : int, default=None
        Grow best-first with at most this many leaves.
    min_impurity_decrease : float, default=0.0
    class_weight : dict, list of dicts or "balanced", default=None
    ccp_alpha : float, default=0.0
        Minimal cost-complexity pruning strength.

    Attributes
    ----------
    classes_ : ndarray or list of ndarray
    n_classes_ : int or list of int
    max_features_ : int
    n_features_in_ : int
    feature_names_in_ : ndarray of str
    n_outputs_ : int
    tree_ : Tree
    feature_importances_ : ndarray of shape (n_features,)

    Examples
    --------
    >>> from learnflow.datasets import load_iris
    >>> from learnflow.tree import DecisionTreeClassifier
    >>> iris = load_iris()
    >>> X, y = iris.data[:, 2:], iris.target
    >>> tree = DecisionTreeClassifier(max_depth=2, random_state=42).fit(X, y)
    >>> tree.predict_proba([[5, 1.5]]).round(8)
    array([[0.        , 0.90740741, 0.09259259]])
    >>> tree.predict([[5, 1.5]])
    array([1])
    """

    _parameter_constraints = {
        **BaseDecisionTree._parameter_constraints,
        "criterion": [StrOptions({"gini", "entropy", "log_loss"})],
        "class_weight": [dict, list, StrOptions({"balanced"}), None],
    }

    def __init__(
        self,
        *,
        criterion="gini",
        splitter="best",
        max_depth=None,
        min_samples_split=2,
        min_samples_leaf=1,
        min_weight_fraction_leaf=0.0,
        max_features=None,
        random_state=None,
        max_leaf_nodes=None,
        min_impurity_decrease=0.0,
        class_weight=None,
        ccp_alpha=0.0,
    ):
        self.criterion = criterion
        self.splitter = splitter
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.min_weight_fraction_leaf = min_weight_fraction_leaf
        self.max_features = max_features
        self.random_state = random_state
        self.max_leaf_nodes = max_leaf_nodes
        self.min_impurity_decrease = min_impurity_decrease
        self.class_weight = class_weight
        self.ccp_alpha = ccp_alpha

    @_fit_context()
    def fit(self, X, y, sample_weight=None, check_input=True):
        """Grow the tree from the training set (X, y)."""
        return self._fit(X, y, sample_weight=sample_weight, check_input=check_input)

    def _make_criterion(self, y, sample_weight, X, cache=None):
        if cache is not None and cache.get("y") is y:  # a forest's trees: y encoded once
            classes, encoded, unit_stats = cache["classes"], cache["encoded"], cache["unit_stats"]
        else:
            check_classification_targets(y)
            classes, encoded = [], np.zeros(y.shape, dtype=np.int64)
            for k in range(y.shape[1]):
                classes_k, encoded[:, k] = np.unique(y[:, k], return_inverse=True)
                classes.append(classes_k)
            n_classes = [len(c) for c in classes]
            # [1, onehot(y_0), ...]: the statistics of unit weights (a weight multiplies every column)
            unit_stats = _ClassificationCriterion.make_stats(
                torch.as_tensor(encoded), torch.ones(len(y), dtype=torch.float64), n_classes
            ).numpy()
            if cache is not None:
                cache.update(y=y, classes=classes, encoded=encoded, unit_stats=unit_stats)
        self.classes_ = [c.copy() for c in classes] if cache is not None else classes
        self.n_classes_ = np.array([len(c) for c in classes], dtype=np.intp)
        expanded = None if self.class_weight is None else _expanded_class_weight(self.class_weight, y)
        weight = self._sample_weight(sample_weight, X, expanded, trusted=cache is not None)
        criterion = CRITERIA_CLF[self.criterion](self.n_outputs_, self.n_classes_.tolist())
        if weight is None:
            weight_t, stats = torch.ones(len(y), dtype=torch.float64), torch.from_numpy(unit_stats)
        else:
            weight = np.asarray(weight, dtype=np.float64)
            weight_t, stats = torch.from_numpy(weight), torch.from_numpy(unit_stats * weight[:, None])
        criterion.y_code, criterion.weight = torch.from_numpy(encoded[:, 0]), weight_t
        criterion.y_code_key = encoded
        return criterion, stats, weight_t

    def _tree_n_classes(self):
        return self.n_classes_

    def _finish_outputs(self):
        if self.n_outputs_ == 1:
            self.n_classes_ = int(self.n_classes_[0])
            self.classes_ = self.classes_[0]

    def predict_proba(self, X, check_input=True):
        """Class fractions of the leaf each sample reaches (a list for multi-output)."""
        proba = self._leaf_values(X)
        if self.n_outputs_ == 1:
            out = proba[:, 0, : self.n_classes_]
            return to_output(torch.as_tensor(out), X) if is_torch(X) else out
        out = [proba[:, k, : self.n_classes_[k]] for k in range(self.n_outputs_)]
        return [to_output(torch.as_tensor(p), X) for p in out] if is_torch(X) else out

    def predict_log_proba(self, X):
        """Logarithm of ``predict_proba`` (``-inf`` for zero fractions)."""
        proba = self.predict_proba(X)
        with np.errstate(divide="ignore"):
            if isinstance(proba, list):
                return [torch.log(p) if is_torch(p) else np.log(p) for p in proba]
            return torch.log(proba) if is_torch(proba) else np.log(proba)

    def predict(self, X, check_input=True):
        """The majority class of the leaf each sample reaches."""
        proba = self._leaf_values(X)
        if self.n_outputs_ == 1:
            pred = self.classes_.take(np.argmax(proba[:, 0], axis=1), axis=0)
        else:
            pred = np.stack(
                [self.classes_[k].take(np.argmax(proba[:, k], axis=1), axis=0) for k in range(self.n_outputs_)],
                axis=1,
            )
        return labels_to_output(pred, X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        return tags


class DecisionTreeRegressor(RegressorMixin, BaseDecisionTree):
    """A CART decision tree regressor (leaves predict the mean, or the median for MAE).

    Parameters
    ----------
    criterion : {"squared_error", "absolute_error", "poisson"}, default="squared_error"
        ``"friedman_mse"`` is deprecated, as in scikit-learn 1.9: it maps to ``"squared_error"``
        (the two always grew the same trees) with a FutureWarning.
    splitter, max_depth, min_samples_split, min_samples_leaf, min_weight_fraction_leaf, max_features,
    random_state, max_leaf_nodes, min_impurity_decrease, ccp_alpha :
        As for :class:`DecisionTreeClassifier`.

    Attributes
    ----------
    max_features_ : int
    n_features_in_ : int
    n_outputs_ : int
    tree_ : Tree
    feature_importances_ : ndarray of shape (n_features,)

    Examples
    --------
    >>> import numpy as np
    >>> from learnflow.tree import DecisionTreeRegressor
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
    >>> reg = DecisionTreeRegressor(max_depth=1).fit(X, [1.0, 1.0, 3.0, 5.0])
    >>> float(reg.tree_.threshold[0]), reg.predict([[0.5], [2.5]])
    (1.5, array([1., 4.]))
    """

    _parameter_constraints = {
        **BaseDecisionTree._parameter_constraints,
        "criterion": [StrOptions({"squared_error", "absolute_error", "poisson"}), Hidden(StrOptions({"friedman_mse"}))],
    }

    def __init__(
        self,
        *,
        criterion="squared_error",
        splitter="best",
        max_depth=None,
        min_samples_split=2,
        min_samples_leaf=1,
        min_weight_fraction_leaf=0.0,
        max_features=None,
        random_state=None,
        max_leaf_nodes=None,
        min_impurity_decrease=0.0,
        ccp_alpha=0.0,
    ):
        self.criterion = criterion
        self.splitter = splitter
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.min_weight_fraction_leaf = min_weight_fraction_leaf
        self.max_features = max_features
        self.random_state = random_state
        self.max_leaf_nodes = max_leaf_nodes
        self.min_impurity_decrease = min_impurity_decrease
        self.ccp_alpha = ccp_alpha

    @_fit_context()
    def fit(self, X, y, sample_weight=None, check_input=True):
        """Grow the tree from the training set (X, y)."""
        return self._fit(X, y, sample_weight=sample_weight, check_input=check_input)

    def _make_criterion(self, y, sample_weight, X, cache=None):
        y = np.asarray(y, dtype=np.float64)
        if self.criterion == "poisson":
            if np.any(y < 0):
                raise ValueError("Some value(s) of y are negative which is not allowed for Poisson regression.")
            if np.sum(y) <= 0:
                raise ValueError("Sum of y is not positive which is necessary for Poisson regression.")
        weight = self._sample_weight(sample_weight, X, trusted=cache is not None)
        weight_t = torch.ones(len(y), dtype=torch.float64) if weight is None else torch.as_tensor(weight)
        y_t = torch.as_tensor(y)
        criterion = CRITERIA_REG[_regression_criterion(self.criterion)](self.n_outputs_, y_t, weight_t)
        return criterion, _RegressionCriterion.make_stats(y_t, weight_t), weight_t

    def _tree_n_classes(self):
        return np.ones(self.n_outputs_, dtype=np.intp)

    def _finish_outputs(self):
        pass

    def predict(self, X, check_input=True):
        """The value of the leaf each sample reaches."""
        values = self._leaf_values(X)
        pred = values[:, 0, 0] if self.n_outputs_ == 1 else values[:, :, 0]
        return to_output(torch.as_tensor(pred), X) if is_torch(X) else pred

class ExtraTreeClassifier(DecisionTreeClassifier):
    """An extremely randomized tree classifier: random thresholds, random features.

    Same parameters as :class:`DecisionTreeClassifier`, with ``splitter="random"``
    and ``max_features="sqrt"`` by default. Meant to be used in ensembles.

    Examples
    --------
    >>> from learnflow.tree import ExtraTreeClassifier
    >>> clf = ExtraTreeClassifier(random_state=0).fit([[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1])
    >>> clf.predict([[0.0], [3.0]])
    array([0, 1])
    """

    def __init__(
        self,
        *,
        criterion="gini",
        splitter="random",
        max_depth=None,
        min_samples_split=2,
        min_samples_leaf=1,
        min_weight_fraction_leaf=0.0,
        max_features="sqrt",
        random_state=None,
        max_leaf_nodes=None,
        min_impurity_decrease=0.0,
        class_weight=None,
        ccp_alpha=0.0,
    ):
        super().__init__(
            criterion=criterion, splitter=splitter, max_depth=max_depth, min_samples_split=min_samples_split,
            min_samples_leaf=min_samples_leaf, min_weight_fraction_leaf=min_weight_fraction_leaf,
            max_features=max_features, random_state=random_state, max_leaf_nodes=max_leaf_nodes,
            min_impurity_decrease=min_impurity_decrease, class_weight=class_weight, ccp_alpha=ccp_alpha,
        )


class ExtraTreeRegressor(DecisionTreeRegressor):
    """An extremely randomized tree regressor: random thresholds, all features by default.

    Same parameters as :class:`DecisionTreeRegressor`, with ``splitter="random"``
    and ``max_features=1.0`` by default.

    Examples
    --------
    >>> from learnflow.tree import ExtraTreeRegressor
    >>> reg = ExtraTreeRegressor(random_state=0).fit([[0.0], [1.0], [2.0], [3.0]], [0.0, 0.0, 1.0, 1.0])
    >>> reg.predict([[0.0], [3.0]])
    array([0., 1.])
    """

    def __init__(
        self,
        *,
        criterion="squared_error",
        splitter="random",
        max_depth=None,
        min_samples_split=2,
        min_samples_leaf=1,
        min_weight_fraction_leaf=0.0,
        max_features=1.0,
        random_state=None,
        min_impurity_decrease=0.0,
        max_leaf_nodes=None,
        ccp_alpha=0.0,
    ):
        super().__init__(
            criterion=criterion, splitter=splitter, max_depth=max_depth, min_samples_split=min_samples_split,
            min_samples_leaf=min_samples_leaf, min_weight_fraction_leaf=min_weight_fraction_leaf,
            max_features=max_features, random_state=random_state, max_leaf_nodes=max_leaf_nodes,
            min_impurity_decrease=min_impurity_decrease, ccp_alpha=ccp_alpha,
        )
