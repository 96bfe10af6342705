"""Gradient tree boosting (Chapter 7): each regression tree fits the ensemble's negative gradient.

Stage ``m`` fits ``K`` squared-error trees (one per class for multinomial
log-loss, one otherwise) to the negative gradient of the loss at the current
raw predictions, replaces every leaf's value by the loss's line-search step
(``_gb_losses``), and adds ``learning_rate`` times the tree to the raw
predictions. Trees draw their seeds from one RandomState in scikit-learn's
order, so deterministic trees give scikit-learn's ensemble exactly.
"""

# SPDX-License-Identifier: BSD-3-Clause

import warnings
from numbers import Integral, Real

import numpy as np
import torch

from .._engine import check_random_state, is_torch, labels_to_output, to_output
from ..base import ClassifierMixin, RegressorMixin, _fit_context, clone
from ..tree import DecisionTreeRegressor
from ..tree._classes import _float32_input, _resolve_max_features
from ..tree._tree import apply_trees
from ..utils._param_validation import HasMethods, Hidden, Interval, StrOptions
from ..utils.multiclass import check_classification_targets
from ..utils.validation import check_is_fitted, check_sample_weight, column_or_1d, validate_data
from ._base import BaseEnsemble, _as_numpy
from ._gb_losses import LOSSES

__all__ = ["GradientBoostingClassifier", "GradientBoostingRegressor"]

_APPLY_BLOCK_ELEMENTS = 1 << 22  # (tree, row) pairs walked at once by _raw_predict
_FITTED_STATE = ("estimators_", "train_score_", "oob_improvement_", "oob_scores_", "oob_score_", "init_", "_rng",
                 "n_estimators_")


def _random_sample_mask(n_samples, n_inbag, rng):
    """In-bag mask of exactly ``n_inbag`` rows (scikit-learn's sequential selection sampling)."""
    rand = rng.uniform(size=n_samples)
    mask = np.zeros(n_samples, dtype=bool)
    n_bagged = 0
    for i in range(n_samples):
        if rand[i] * (n_samples - i) < (n_inbag - n_bagged):
            mask[i] = True
            n_bagged += 1
    return mask


def _training_leaves(tree, X_np, recorded=None):
    """``tree.apply(X)`` on the training rows (numpy).

    ``recorded``: the leaves the builder noted for these rows (``Tree.pop_grown_leaves``, -1 for the rows it
    did not grow on); only those rows are walked down the tree.
    """
    if recorded is None:
        return tree.apply_numpy(X_np)
    missing = np.flatnonzero(recorded < 0)
    if missing.size:
        recorded[missing] = tree.apply_numpy(X_np[missing])
    return recorded


def _update_leaves(loss, tree, X32, y, neg_g, raw, sample_weight, mask, learning_rate, k):
    """Line-search every leaf's value, then add ``learning_rate * tree`` to ``raw[:, k]``."""
    X_np = X32.numpy()
    leaves = _training_leaves(tree.tree_, X_np, tree.tree_.pop_grown_leaves(X_np.shape[0]))
    value = tree.tree_.value
    if not isinstance(loss, LOSSES["squared_error"]):
        masked = np.where(mask, leaves, -1)
        order = np.argsort(masked, kind="stable")
        bounds = np.searchsorted(masked[order], np.arange(tree.tree_.node_count + 1))
        for leaf in np.flatnonzero(tree.tree_.children_left == -1):
            rows = order[bounds[leaf]: bounds[leaf + 1]]
            value[leaf, 0, 0] = loss.leaf_value(y[rows], neg_g[rows], raw[rows, k], sample_weight[rows])
    raw[:, k] += learning_rate * value[:, 0, 0][leaves]


class BaseGradientBoosting(BaseEnsemble):
    """The boosting loop, warm start, early stopping and staged predictions."""

    _parameter_constraints = {
        **{k: v for k, v in DecisionTreeRegressor._parameter_constraints.items() if k != "splitter"},
        "learning_rate": [Interval(Real, 0.0, None, closed="left")],
        "n_estimators": [Interval(Integral, 1, None, closed="left")],
        "criterion": [StrOptions({"squared_error"}), Hidden(StrOptions({"deprecated", "friedman_mse"}))],
        "subsample": [Interval(Real, 0.0, 1.0, closed="right")],
        "verbose": ["verbose"],
        "warm_start": ["boolean"],
        "validation_fraction": [Interval(Real, 0.0, 1.0, closed="neither")],
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left"), None],
        "tol": [Interval(Real, 0.0, None, closed="left")],
        "init": [StrOptions({"zero"}), None, HasMethods(["fit", "predict"])],
    }
    estimator = None

    def _make_tree(self):
        return DecisionTreeRegressor(
            criterion="squared_error", splitter="best", max_depth=self.max_depth,
            min_samples_split=self.min_samples_split, min_samples_leaf=self.min_samples_leaf,
            min_weight_fraction_leaf=self.min_weight_fraction_leaf, min_impurity_decrease=self.min_impurity_decrease,
            max_features=self.max_features, max_leaf_nodes=self.max_leaf_nodes, random_state=self._rng,
            ccp_alpha=self.ccp_alpha,
        )

    def _clear_state(self):
        for name in _FITTED_STATE:
            if hasattr(self, name):
                delattr(self, name)

    def _is_fitted(self):
        return len(getattr(self, "estimators_", [])) > 0

    @_fit_context()
    def fit(self, X, y, sample_weight=None, monitor=None):
        """Fit the boosted trees (continue a previous fit when ``warm_start``)."""
        if not self.warm_start:
            self._clear_state()
        if self.criterion != "deprecated":
            warnings.warn(
                "The parameter `criterion` is deprecated and will be removed in 1.11. It has no effect. "
                "Leave it to its default value to avoid this warning.", FutureWarning,
            )
        X, y = validate_data(self, X, y, multi_output=True, y_numeric=not self._is_clf)
        X, y = _as_numpy(X).astype(np.float32), _as_numpy(y)
        self._unweighted = sample_weight is None
        sample_weight = check_sample_weight(sample_weight, X, dtype=np.float64)
        y = column_or_1d(self._encode_y(y, sample_weight), warn=True).astype(np.float64)
        self.max_features_ = _resolve_max_features(self.max_features, self.n_features_in_)
        self._loss = self._make_loss()
        X_train, y_train, sw_train, X_val, y_val, sw_val = self._split_validation(X, y, sample_weight)
        X32 = _float32_input(X_train, self)
        if not self._is_fitted():
            self._init_state()
            raw = self._fit_init(X_train, y_train, sw_train)
            begin_at_stage = 0
            self._rng = check_random_state(self.random_state)
        else:
            if self.n_estimators < self.estimators_.shape[0]:
                raise ValueError(
                    f"n_estimators={self.n_estimators} must be larger or equal to "
                    f"estimators_.shape[0]={self.estimators_.shape[0]} when warm_start==True"
                )
            begin_at_stage = self.estimators_.shape[0]
            raw = self._raw_predict(X32, X_train)
            self._resize_state()
        n_stages = self._fit_stages(X32, y_train, raw, sw_train, X_val, y_val, sw_val, begin_at_stage, monitor)
        if n_stages != self.estimators_.shape[0]:
            self.estimators_ = self.estimators_[:n_stages]
            self.train_score_ = self.train_score_[:n_stages]
            if hasattr(self, "oob_improvement_"):
                self.oob_improvement_ = self.oob_improvement_[:n_stages]
                self.oob_scores_ = self.oob_scores_[:n_stages]
                self.oob_score_ = self.oob_scores_[-1]
        self.n_estimators_ = n_stages
        return self

    def _split_validation(self, X, y, sample_weight):
        if self.n_iter_no_change is None:
            return X, y, sample_weight, None, None, None
        from ..model_selection import train_test_split

        X_train, X_val, y_train, y_val, sw_train, sw_val = train_test_split(
            X, y, sample_weight, random_state=self.random_state, test_size=self.validation_fraction,
            stratify=y if self._is_clf else None,
        )
        if self._is_clf and self.n_classes_ != np.unique(y_train).shape[0]:
            raise ValueError(
                "The training data after the early stopping split is missing some classes. "
                "Try using another random seed."
            )
        return X_train, y_train, sw_train, X_val, y_val, sw_val

    def _init_state(self):
        if self.init is None:
            self.init_ = self._default_init()
        elif isinstance(self.init, str):
            self.init_ = self.init
        else:
            self.init_ = clone(self.init)
        K = self.n_trees_per_iteration_
        self.estimators_ = np.empty((self.n_estimators, K), dtype=object)
        self.train_score_ = np.zeros(self.n_estimators, dtype=np.float64)
        if self.subsample < 1.0:
            self.oob_improvement_ = np.zeros(self.n_estimators, dtype=np.float64)
            self.oob_scores_ = np.zeros(self.n_estimators, dtype=np.float64)
            self.oob_score_ = np.nan

    def _resize_state(self):
        total = self.n_estimators
        extra = total - self.estimators_.shape[0]
        self.estimators_ = np.concatenate([self.estimators_, np.empty((extra, self.n_trees_per_iteration_), object)])
        self.train_score_ = np.resize(self.train_score_, total)
        if self.subsample < 1 or hasattr(self, "oob_improvement_"):
            for name in ("oob_improvement_", "oob_scores_"):
                setattr(self, name, np.resize(getattr(self, name), total) if hasattr(self, name) else np.zeros(total))
            self.oob_score_ = np.nan

    def _fit_init(self, X, y, sample_weight):
        """Fit ``init_`` and return the initial raw predictions, shape (n_samples, K)."""
        if self.init_ == "zero":
            return np.zeros((X.shape[0], self.n_trees_per_iteration_))
        if self._unweighted:
            self.init_.fit(X, y)
        else:
            try:
                self.init_.fit(X, y, sample_weight=sample_weight)
            except TypeError as exc:
                if "sample_weight" in str(exc):
                    raise ValueError(
                        f"The initial estimator {type(self.init_).__name__} does not support sample weights."
                    ) from exc
                raise
        return self._init_raw(X)

    def _init_raw(self, X):
        if isinstance(self.init_, str):
            return np.zeros((X.shape[0], self.n_trees_per_iteration_))
        if self._is_clf:
            eps = np.finfo(np.float32).eps
            proba = np.clip(_as_numpy(self.init_.predict_proba(X)), eps, 1 - eps).astype(np.float64)
            return self._loss.link(proba)
        return _as_numpy(self.init_.predict(X)).astype(np.float64).reshape(-1, 1)

    def _fit_stages(self, X32, y, raw, sample_weight, X_val, y_val, sw_val, begin_at_stage, monitor):
        n_samples = X32.shape[0]
        do_oob = self.subsample < 1.0
        mask = np.ones(n_samples, dtype=bool)
        n_inbag = max(1, int(self.subsample * n_samples))
        factor = self._loss.factor
        if self.n_iter_no_change is not None:
            history = np.full(self.n_iter_no_change, np.inf)
            val_stages = self._staged_raw(_float32_input(X_val, self), X_val)
        i = begin_at_stage
        root_sort = {}  # every stage's trees grow on X32: its features are sorted once
        for i in range(begin_at_stage, self.n_estimators):
            if do_oob:
                mask = _random_sample_mask(n_samples, n_inbag, self._rng)
                if i == 0:
                    initial_loss = factor * self._loss(y[~mask], raw[~mask], sample_weight[~mask])
            raw = self._fit_stage(i, X32, y, raw, sample_weight, mask, root_sort)
            if do_oob:
                self.train_score_[i] = factor * self._loss(y[mask], raw[mask], sample_weight[mask])
                self.oob_scores_[i] = factor * self._loss(y[~mask], raw[~mask], sample_weight[~mask])
                previous = initial_loss if i == 0 else self.oob_scores_[i - 1]
                self.oob_improvement_[i] = previous - self.oob_scores_[i]
                self.oob_score_ = self.oob_scores_[-1]
            else:
                self.train_score_[i] = factor * self._loss(y, raw, sample_weight)
            if self.verbose:
                print(f"{i + 1:>10d} {self.train_score_[i]:>16.4f}")
            if monitor is not None and monitor(i, self, locals()):
                break
            if self.n_iter_no_change is not None:
                validation_loss = factor * self._loss(y_val, next(val_stages), sw_val)
                if np.any(validation_loss + self.tol < history):
                    history[i % len(history)] = validation_loss
                else:
                    break
        return i + 1

    def _fit_stage(self, i, X32, y, raw, sample_weight, mask, root_sort=None):
        """Fit the K trees of stage ``i`` on the negative gradient and update ``raw`` in place."""
        self._loss.prepare_stage(y, raw, sample_weight)
        neg_gradient = self._loss.negative_gradient(y, raw)
        tree_weight = sample_weight * mask if self.subsample < 1.0 else sample_weight
        for k in range(self.n_trees_per_iteration_):
            target = (y == k).astype(np.float64) if self._loss.is_multiclass else y
            tree = self._make_tree()
            tree._fit(X32, neg_gradient[:, k].reshape(-1, 1), sample_weight=tree_weight, check_input=False,
                      root_sort=root_sort, record_leaves=True)
            _update_leaves(self._loss, tree, X32, target, neg_gradient[:, k], raw, tree_weight, mask,
                           self.learning_rate, k)
            self.estimators_[i, k] = tree
        return raw

    def _check_X(self, X):
        check_is_fitted(self)
        X_checked = validate_data(self, X, reset=False)
        return _float32_input(X_checked, self), _as_numpy(X_checked).astype(np.float32)

    def _raw_predict(self, X32, X_np):
        raw = self._init_raw(X_np)
        trees = []
        for stage in self.estimators_:
            if stage[0] is None:
                break
            trees += [tree.tree_ for tree in stage]
        # all trees walked together (a few numpy calls per level for all of them), a bounded block at a time;
        # their values added stage after stage, as one tree at a time
        n_classes = raw.shape[1]
        block = max(1, _APPLY_BLOCK_ELEMENTS // max(1, X_np.shape[0]))
        for start in range(0, len(trees), block):
            leaves = apply_trees(trees[start: start + block], X_np)
            for i, tree_leaves in enumerate(leaves, start):
                raw[:, i % n_classes] += self.learning_rate * trees[i].value[:, 0, 0].take(tree_leaves)
        return raw

    def _staged_raw(self, X32, X_np):
        raw = self._init_raw(X_np)
        for stage in self.estimators_:
            for k, tree in enumerate(stage):
                raw[:, k] += self.learning_rate * tree.tree_.predict(X32)[:, 0, 0]
            yield raw.copy()

    def apply(self, X):
        """Leaf index of every sample in every tree, shape (n_samples, n_estimators, K)."""
        X32, _ = self._check_X(X)
        leaves = np.stack(
            [np.column_stack([t.tree_.apply(X32).numpy() for t in stage]) for stage in self.estimators_], axis=1
        )
        return leaves

    @property
    def feature_importances_(self):
        """Mean decrease in impurity over all trees, normalised to sum to 1."""
        check_is_fitted(self)
        trees = [tree for stage in self.estimators_ for tree in stage if tree.tree_.node_count > 1]
        if not trees:
            return np.zeros(self.n_features_in_, dtype=np.float64)
        mean = np.mean([t.tree_.compute_feature_importances(normalize=False) for t in trees], axis=0)
        return mean / np.sum(mean)


def _out(result, X):
    return to_output(torch.as_tensor(np.ascontiguousarray(result)), X) if is_torch(X) else result


_TREE_PARAMS_DOC = """
    learning_rate : float, default=0.1
        Shrinks each tree's contribution.
    n_estimators : int, default=100
        Number of boosting stages.
    subsample : float, default=1.0
        Fraction of rows each stage sees (stochastic gradient boosting below 1).
    criterion : {"squared_error"}, default="deprecated"
        Deprecated in scikit-learn 1.9 (no effect): trees always use the squared error.
    min_samples_split, min_samples_leaf, min_weight_fraction_leaf, max_depth, min_impurity_decrease,
    max_features, max_leaf_nodes, ccp_alpha :
        Passed to every tree (``max_depth=3`` by default).
    init : estimator, "zero" or None, default=None
        The initial model (the loss's optimal constant if None).
    random_state : int, RandomState or None, default=None
        Seeds the trees and the subsampling (and the early-stopping split).
    verbose : int, default=0
    warm_start : bool, default=False
        Keep the fitted stages and add ``n_estimators - len(estimators_)`` more.
    validation_fraction : float, default=0.1
        Held-out fraction for early stopping (only with ``n_iter_no_change``).
    n_iter_no_change : int, default=None
        Stop when the validation loss has not improved by ``tol`` for this many stages.
    tol : float, default=1e-4
"""


class GradientBoostingRegressor(RegressorMixin, BaseGradientBoosting):
    """Gradient-boosted regression trees.

    Parameters
    ----------
    loss : {"squared_error", "absolute_error", "huber", "quantile"}, default="squared_error"
    %s
    alpha : float, default=0.9
        The quantile of the "quantile" loss, and the quantile of |residual| bounding Huber's linear part.

    Attributes
    ----------
    n_estimators_ : int
    estimators_ : ndarray of DecisionTreeRegressor, shape (n_estimators_, 1)
    train_score_ : ndarray of shape (n_estimators_,)
    oob_improvement_, oob_scores_ : ndarray of shape (n_estimators_,)
        Only when ``subsample < 1``.
    oob_score_ : float
    init_ : estimator
    feature_importances_ : ndarray of shape (n_features,)
    max_features_ : int
    n_features_in_ : int
    n_trees_per_iteration_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from learnflow.ensemble import GradientBoostingRegressor
    >>> X = np.linspace(0, 1, 20).reshape(-1, 1)
    >>> gbrt = GradientBoostingRegressor(max_depth=2, n_estimators=3, learning_rate=1.0).fit(X, X.ravel() ** 2)
    >>> gbrt.predict([[0.5]]).round(4)
    array([0.2854])
    """

    _is_clf = False
    _parameter_constraints = {
        **BaseGradientBoosting._parameter_constraints,
        "loss": [StrOptions({"squared_error", "absolute_error", "huber", "quantile"})],
        "alpha": [Interval(Real, 0.0, 1.0, closed="neither")],
    }

    def __init__(self, *, loss="squared_error", learning_rate=0.1, n_estimators=100, subsample=1.0,
                 criterion="deprecated", min_samples_split=2, min_samples_leaf=1, min_weight_fraction_leaf=0.0,
                 max_depth=3, min_impurity_decrease=0.0, init=None, random_state=None, max_features=None,
                 alpha=0.9, verbose=0, max_leaf_nodes=None, warm_start=False, validation_fraction=0.1,
                 n_iter_no_change=None, tol=1e-4, ccp_alpha=0.0):
        self.loss = loss
        self.learning_rate = learning_rate
        self.n_estimators = n_estimators
        self.subsample = subsample
        self.criterion = criterion
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.min_weight_fraction_leaf = min_weight_fraction_leaf
        self.max_depth = max_depth
        self.min_impurity_decrease = min_impurity_decrease
        self.init = init
        self.random_state = random_state
        self.max_features = max_features
        self.alpha = alpha
        self.verbose = verbose
        self.max_leaf_nodes = max_leaf_nodes
        self.warm_start = warm_start
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.ccp_alpha = ccp_alpha

    def _encode_y(self, y, sample_weight):
        self.n_trees_per_iteration_ = 1
        return y.astype(np.float64)

    def _make_loss(self):
        return LOSSES[self.loss](alpha=self.alpha)

    def _default_init(self):
        from ..dummy import DummyRegressor

        if self.loss in ("absolute_error", "huber"):
            return DummyRegressor(strategy="quantile", quantile=0.5)
        if self.loss == "quantile":
            return DummyRegressor(strategy="quantile", quantile=self.alpha)
        return DummyRegressor(strategy="mean")

    def predict(self, X):
        """The boosted prediction (the sum of the init and the shrunk trees)."""
        X32, X_np = self._check_X(X)
        return _out(self._raw_predict(X32, X_np).ravel(), X)

    def staged_predict(self, X):
        """The prediction after each stage."""
        X32, X_np = self._check_X(X)
        for raw in self._staged_raw(X32, X_np):
            yield _out(raw.ravel(), X)

    def apply(self, X):
        """Leaf index of every sample in every tree, shape (n_samples, n_estimators)."""
        return super().apply(X)[:, :, 0]


class GradientBoostingClassifier(ClassifierMixin, BaseGradientBoosting):
    """Gradient-boosted trees for classification (binary or multinomial log-loss, exponential loss).

    Parameters
    ----------
    loss : {"log_loss", "exponential"}, default="log_loss"
        "exponential" is AdaBoost's loss (binary problems only).
    %s

    Attributes
    ----------
    n_estimators_ : int
    estimators_ : ndarray of DecisionTreeRegressor, shape (n_estimators_, K)
        K = 1 for binary problems, the number of classes otherwise.
    classes_ : ndarray of shape (n_classes,)
    n_classes_ : int
    train_score_, oob_improvement_, oob_scores_, oob_score_, init_, feature_importances_, max_features_,
    n_features_in_, n_trees_per_iteration_ :
        As for :class:`GradientBoostingRegressor`.

    Examples
    --------
    >>> from learnflow.ensemble import GradientBoostingClassifier
    >>> X, y = [[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1]
    >>> clf = GradientBoostingClassifier(n_estimators=10).fit(X, y)
    >>> clf.predict([[0.5], [2.5]])
    array([0, 1])
    """

    _is_clf = True
    _parameter_constraints = {
        **BaseGradientBoosting._parameter_constraints,
        "loss": [StrOptions({"log_loss", "exponential"})],
    }

    def __init__(self, *, loss="log_loss", learning_rate=0.1, n_estimators=100, subsample=1.0,
                 criterion="deprecated", min_samples_split=2, min_samples_leaf=1, min_weight_fraction_leaf=0.0,
                 max_depth=3, min_impurity_decrease=0.0, init=None, random_state=None, max_features=None,
                 verbose=0, max_leaf_nodes=None, warm_start=False, validation_fraction=0.1, n_iter_no_change=None,
                 tol=1e-4, ccp_alpha=0.0):
        self.loss = loss
        self.learning_rate = learning_rate
        self.n_estimators = n_estimators
        self.subsample = subsample
        self.criterion = criterion
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.min_weight_fraction_leaf = min_weight_fraction_leaf
        self.max_depth = max_depth
        self.min_impurity_decrease = min_impurity_decrease
        self.init = init
        self.random_state = random_state
        self.max_features = max_features
        self.verbose = verbose
        self.max_leaf_nodes = max_leaf_nodes
        self.warm_start = warm_start
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.ccp_alpha = ccp_alpha

    def _encode_y(self, y, sample_weight):
        y = column_or_1d(y, warn=True)
        check_classification_targets(y)
        self.classes_, encoded = np.unique(y, return_inverse=True)
        self.n_classes_ = len(self.classes_)
        self.n_trees_per_iteration_ = 1 if self.n_classes_ <= 2 else self.n_classes_
        n_trim_classes = np.count_nonzero(np.bincount(encoded, sample_weight))
        if n_trim_classes < 2:
            raise ValueError(
                f"y contains {n_trim_classes} class after sample_weight trimmed classes with zero weights, "
                "while a minimum of 2 classes are required."
            )
        return encoded.astype(np.float64)

    def _make_loss(self):
        if self.loss == "exponential":
            if self.n_classes_ > 2:
                raise ValueError(
                    f"loss='exponential' is only suitable for a binary classification problem, you have "
                    f"n_classes={self.n_classes_}. Please use loss='log_loss' instead."
                )
            return LOSSES["exponential"]()
        if self.n_classes_ > 2:
            from ._gb_losses import _MultinomialDeviance

            return _MultinomialDeviance(n_classes=self.n_classes_)
        return LOSSES["log_loss"]()

    def _default_init(self):
        from ..dummy import DummyClassifier

        return DummyClassifier(strategy="prior")

    def _raw_to_label(self, raw):
        encoded = (raw[:, 0] >= 0).astype(int) if raw.shape[1] == 1 else np.argmax(raw, axis=1)
        return self.classes_[encoded]

    def decision_function(self, X):
        """The raw boosted scores: shape (n_samples,) for two classes, (n_samples, n_classes) otherwise."""
        X32, X_np = self._check_X(X)
        raw = self._raw_predict(X32, X_np)
        return _out(raw.ravel() if raw.shape[1] == 1 else raw, X)

    def staged_decision_function(self, X):
        """The decision function after each stage."""
        X32, X_np = self._check_X(X)
        for raw in self._staged_raw(X32, X_np):
            yield _out(raw.ravel() if raw.shape[1] == 1 else raw, X)

    def predict(self, X):
        """The class with the largest score."""
        X32, X_np = self._check_X(X)
        labels = self._raw_to_label(self._raw_predict(X32, X_np))
        return labels_to_output(labels, X)

    def staged_predict(self, X):
        """The predicted class after each stage."""
        X32, X_np = self._check_X(X)
        for raw in self._staged_raw(X32, X_np):
            labels = self._raw_to_label(raw)
            yield labels_to_output(labels, X)

    def predict_proba(self, X):
        """Class probabilities from the raw scores (sigmoid or softmax)."""
        X32, X_np = self._check_X(X)
        return _out(self._loss_for_predict().predict_proba(self._raw_predict(X32, X_np)), X)

    def staged_predict_proba(self, X):
        """Class probabilities after each stage."""
        X32, X_np = self._check_X(X)
        loss = self._loss_for_predict()
        for raw in self._staged_raw(X32, X_np):
            yield _out(loss.predict_proba(raw), X)

    def predict_log_proba(self, X):
        """Logarithm of ``predict_proba``."""
        proba = self.predict_proba(X)
        with np.errstate(divide="ignore"):
            return torch.log(proba) if is_torch(proba) else np.log(proba)

    def _loss_for_predict(self):
        return getattr(self, "_loss", None) or self._make_loss()


GradientBoostingRegressor.__doc__ %= _TREE_PARAMS_DOC
GradientBoostingClassifier.__doc__ %= _TREE_PARAMS_DOC
