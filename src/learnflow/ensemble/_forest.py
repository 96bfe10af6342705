"""Random forests and Extra-Trees (Chapter 7): bagged trees with random feature subsets.

Trees get their seeds from ``_set_random_states`` in order, and each tree's
bootstrap sample is ``check_random_state(tree.random_state).randint(0,
n_samples, n_samples_bootstrap)`` (scikit-learn's ``_generate_sample_indices``),
folded into the tree's ``sample_weight`` as counts: the same ``random_state``
draws the same bootstrap samples as scikit-learn.

Two builders grow the trees; X is converted to float32 once and shared by every tree.

* The exact builder of the single trees (one node at a time, on the CPU)
  grows scikit-learn's trees node for node: with the same ``random_state``
  the forest is scikit-learn's (same ``predict_proba``, ``feature_importances_``
  as scikit-learn's mean of the trees' normalised importances).
* The level-wise builder (:mod:`learnflow.tree._level_builder`, on the
  configured device) grows many trees at a time: the same candidate
  thresholds as scikit-learn, but features and Extra-Trees thresholds drawn
  from a hash of each tree's seed, so forests match scikit-learn's in
  accuracy rather than tree for tree.

Routing. The exact builder grows forests it alone supports (NaN in X, the
absolute_error and poisson criteria) and, on the CPU only, *small* forests:
Gini classifications of iris-sized data (``n_samples * n_features`` at most
600: the book's iris forest of 500 trees, whose printed importances only
scikit-learn's own trees reproduce; its moons forest of 500 trees of 16
leaves, 375 x 2, grows level-wise in a third of the exact builder's time), and
forests whose estimated work ``n_samples * n_estimators * (n_features +
max_features)`` (times 8 for other criteria than Gini, whose exact nodes are
searched with numpy, and twice that for the random splitter) is at most
20,000. Everything else (and every forest under a CUDA device) grows
level-wise. Measured after the level builder's speed-ups of 2026-11-27
(process time, one thread; exact / level-wise): moons 200 x 10 random forest
0.020 / 0.044 s, 500 x 10 0.041 / 0.054 s, 1,000 x 10 0.080 / 0.064 s, 1,000 x
100 0.83 / 0.15 s; iris x 500 0.50 / 0.30 s; Extra-Trees moons 200 x 10 0.039
/ 0.050 s, 500 x 10 0.081 / 0.052 s; entropy forests of 150 moons x 10 0.083 /
0.055 s; regressors of 150 points x 10 0.058 / 0.060 s, x 50 0.32 / 0.067 s;
Extra-Trees regressors of 150 points x 10 0.38 / 0.066 s. Set
``learnflow.ensemble._forest._EXACT_MAX_WORK = 0`` (and
``_TINY_GINI_DATA = 0``) to always grow level-wise.
"""

# SPDX-License-Identifier: BSD-3-Clause

import warnings
from numbers import Integral, Real

import numpy as np
import torch

from .._engine import (check_random_state, get_device, is_torch, labels_to_output, one_torch_thread, seeded_state,
                       to_output, warn_device_fallback)
from ..base import ClassifierMixin, MultiOutputMixin, RegressorMixin, _fit_context
from ..exceptions import DataConversionWarning
from ..tree import DecisionTreeClassifier, DecisionTreeRegressor, ExtraTreeClassifier, ExtraTreeRegressor
from ..tree import _level_builder
from ..tree._classes import (
    _GROWN_ON_THE_CPU, _expanded_class_weight, _float32_input, _resolve_max_features,
)
from ..tree._tree import prune_tree
from ..utils._param_validation import Hidden, Interval, StrOptions
from ..utils.multiclass import check_classification_targets
from ..utils.validation import check_is_fitted, check_sample_weight, validate_data
from ._base import MAX_INT, BaseEnsemble, _partition_estimators, _run_batches

__all__ = ["ExtraTreesClassifier", "ExtraTreesRegressor", "RandomForestClassifier", "RandomForestRegressor"]

# =============================================================================
# Types and constants
# =============================================================================

_TREE_PARAMS = (
    "criterion", "max_depth", "min_samples_split", "min_samples_leaf", "min_weight_fraction_leaf", "max_features",
    "max_leaf_nodes", "min_impurity_decrease", "ccp_alpha",
)


class _RealNotInt(Real):
    """Reals that are not integers."""


_RealNotInt.register(float)


# =============================================================================
# Bootstrap draws and tree building
# =============================================================================


def _generate_sample_indices(seed, n_samples, n_samples_bootstrap, sample_weight):
    """The rows one tree draws (with replacement), scikit-learn's rule."""
    rng = seeded_state(seed)
    if sample_weight is None:
        return rng.randint(0, n_samples, n_samples_bootstrap)
    return rng.choice(n_samples, n_samples_bootstrap, replace=True, p=sample_weight / np.sum(sample_weight))


def _get_n_samples_bootstrap(n_samples, max_samples, sample_weight):
    """Rows drawn per tree: all (None), a count (int) or a fraction of the (weighted) rows (float)."""
    if max_samples is None:
        return n_samples
    if isinstance(max_samples, Integral):
        return int(max_samples)
    total = n_samples if sample_weight is None else float(np.sum(sample_weight))
    return max(int(max_samples * total), 1)


def _balanced_subsample_weight(y, indices):
    """'balanced' class weights computed on the bootstrap sample; 0 for classes it misses."""
    weight = np.ones(y.shape[0])
    for k in range(y.shape[1]):
        sub_classes, counts = np.unique(y[indices, k], return_counts=True)
        per_class = len(indices) / (len(sub_classes) * counts)
        position = np.clip(np.searchsorted(sub_classes, y[:, k]), 0, len(sub_classes) - 1)
        present = sub_classes[position] == y[:, k]
        weight *= np.where(present, per_class[position], 0.0)
    return weight


def _tree_weight(forest, tree, y, sample_weight, n_samples, n_samples_bootstrap):
    """The sample weights one tree is grown with: bootstrap counts (times the forest's weights)."""
    weight = sample_weight
    if forest.bootstrap:
        indices = _generate_sample_indices(tree.random_state, n_samples, n_samples_bootstrap, sample_weight)
        weight = np.bincount(indices, minlength=n_samples).astype(np.float64)
        if getattr(forest, "class_weight", None) == "balanced_subsample":
            weight = weight * _balanced_subsample_weight(y, indices)
    return weight


def _build_trees(start, stop, forest, trees, X, y, sample_weight, n_samples_bootstrap):
    """Fit ``trees[start:stop]`` (one joblib batch) on the shared float32 X, one node at a time."""
    n_samples = X.shape[0]
    cache = {}  # what the batch's trees share: X's sort and transpose, the encoded y
    for i in range(start, stop):
        tree = trees[i]
        weight = _tree_weight(forest, tree, y, sample_weight, n_samples, n_samples_bootstrap)
        tree._fit(X, y, sample_weight=weight, check_input=False, root_sort=cache)
        forest._progress_update()
    return trees[start:stop]


# Small forests grow with the exact builder (scikit-learn's trees): see the module docstring
_EXACT_MAX_WORK = 20_000
# the cost of a node's search relative to the Python-searched Gini trees: other criteria (numpy best splits), and
# the random splitter's, per sample and feature
_EXACT_SLOW_SEARCH, _EXACT_RANDOM_SEARCH = 8, 2
_TINY_GINI_DATA = 600  # n_samples * n_features of the Gini classifications always grown exactly (iris: 150 x 4)


def _prefers_exact_builder(tree, shape, n_trees, is_classifier):
    """Whether a CPU forest of ``n_trees`` on X of ``shape`` is small enough for the exact builder."""
    if get_device().type != "cpu":
        return False
    n_samples, n_features = shape
    gini = is_classifier and tree.criterion == "gini"
    if gini and n_samples * n_features <= _TINY_GINI_DATA:
        return True
    max_features = _resolve_max_features(tree.max_features, n_features)
    factor = (1 if gini else _EXACT_SLOW_SEARCH) * (_EXACT_RANDOM_SEARCH if tree.splitter == "random" else 1)
    work = n_samples * n_trees * (n_features + max_features) * factor
    return work <= _EXACT_MAX_WORK


# (drawn feature, sample) pairs of one job's trees below which the level-wise builder grows all trees in one
# batch, whatever n_jobs: a level's torch calls then handle too few elements to outweigh the threads'
# contention for the GIL between calls (measured, wall, 2 cores: Extra-Trees on 800 moons x 10 trees, 4,000
# pairs per job, 0.12 s serial, 0.34 s on 2 threads; 8,000 moons x 100 trees, 400,000 pairs per job, random
# forest 1.87 -> 1.25 s and Extra-Trees 2.23 -> 1.54 s on 2 threads with the other core idle). The bound is per
# job, not per forest: each thread's calls must be large
_PARALLEL_MIN_PAIRS = 250_000


def _build_trees_levelwise(start, stop, forest, trees, data, y, sample_weight, n_samples_bootstrap):
    """Fit ``trees[start:stop]`` with the level-wise builder, as many trees at a time as memory allows."""
    with one_torch_thread(data.device):  # per worker thread: OpenMP's thread count is per thread
        return _build_trees_levelwise_batches(start, stop, forest, trees, data, y, sample_weight, n_samples_bootstrap)


def _build_trees_levelwise_batches(start, stop, forest, trees, data, y, sample_weight, n_samples_bootstrap):
    n_samples, n_features = data.n_samples, data.n_features
    # a level holds (drawn feature, in-node sample) pairs: max_features per node (the further draws of the nodes
    # whose drawn features are all constant read a few small nodes). The job's trees go in batches of about
    # equal sizes, as few as memory allows: each level's calls cost the same for any batch size
    drawn = min(n_features, max(1, _resolve_max_features(trees[start].max_features, n_features)))
    weights = [_tree_weight(forest, trees[i], y, sample_weight, n_samples, n_samples_bootstrap)
               for i in range(start, stop)]
    pairs = np.cumsum([drawn * (n_samples if w is None else np.count_nonzero(w)) for w in weights])
    n_batches = -(-int(pairs[-1]) // _level_builder.max_pairs(data.device))
    ends = np.searchsorted(pairs, pairs[-1] * np.arange(1, n_batches + 1) / n_batches) + 1
    first = 0
    for end in np.unique(ends):  # (one tree may fill several batches' shares)
        batch = [(trees[start + i], weights[i]) for i in range(first, end)]
        _grow_level_batch(forest, batch, data, y)
        for _ in batch:
            forest._progress_update()
        first = end
    return trees[start:stop]


def _grow_level_batch(forest, batch, data, y):
    is_clf = forest._is_clf
    first = batch[0][0]
    n_samples = data.n_samples
    weights = np.stack([np.ones(n_samples) if w is None else w for _, w in batch])
    min_weight_leaf = []
    for tree, w in batch:
        tree.n_features_in_ = data.n_features
        tree.n_outputs_ = y.shape[1]
        total = torch.as_tensor(weights[len(min_weight_leaf)])
        params = tree._resolve_sizes(n_samples, total, w is not None)
        min_weight_leaf.append(params["min_weight_leaf"])
    n_classes = None
    if is_clf:
        classes = [np.unique(y[:, k]) for k in range(y.shape[1])]
        n_classes = np.array([len(c) for c in classes], dtype=np.intp)
    grown = _level_builder.grow_trees(
        data, y, weights, [t.random_state for t, _ in batch], is_classifier=is_clf, n_classes=n_classes,
        criterion=first.criterion, splitter=first.splitter, max_features=first.max_features_,
        max_depth=params["max_depth"], min_samples_split=params["min_samples_split"],
        min_samples_leaf=params["min_samples_leaf"], min_weight_leaf=min_weight_leaf,
        min_impurity_decrease=params["min_impurity_decrease"], max_leaf_nodes=first.max_leaf_nodes,
    )
    for (tree, _), tree_ in zip(batch, grown):
        if is_clf:
            tree.classes_, tree.n_classes_ = [c.copy() for c in classes], n_classes.copy()
            tree._finish_outputs()
        tree.tree_ = prune_tree(tree_, tree.ccp_alpha) if tree.ccp_alpha > 0.0 else tree_


# =============================================================================
# Base forest
# =============================================================================


class BaseForest(MultiOutputMixin, BaseEnsemble):
    """Fit / bootstrap / out-of-bag / importance logic shared by the four forests."""

    _parameter_constraints = {
        "n_estimators": [Interval(Integral, 1, None, closed="left")],
        "bootstrap": ["boolean"],
        "oob_score": ["boolean", callable],
        "n_jobs": [Integral, None],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
        "warm_start": ["boolean"],
        "max_samples": [
            None, Interval(_RealNotInt, 0.0, None, closed="neither"), Interval(Integral, 1, None, closed="left"),
        ],
        **{k: v for k, v in DecisionTreeRegressor._parameter_constraints.items() if k not in ("splitter", "criterion")},
    }
    _member_params = _TREE_PARAMS
    estimator = None

    @_fit_context()
    def fit(self, X, y, sample_weight=None):
        """Grow ``n_estimators`` trees, each on its bootstrap sample (or on all rows)."""
        X_checked, y = validate_data(
            self, X, y, dtype=None, ensure_all_finite=False, multi_output=True, y_numeric=not self._is_clf
        )
        X32 = _float32_input(X_checked, self, cpu_step=None)  # _grow says where the trees grow
        y = np.asarray(y.detach().cpu().numpy() if is_torch(y) else y)
        if y.ndim == 2 and y.shape[1] == 1:
            warnings.warn(
                "A column-vector y was passed when a 1d array was expected. Please change the shape of y to "
                "(n_samples,), for example using ravel().", DataConversionWarning, stacklevel=2,
            )
        y = y.reshape(-1, 1) if y.ndim == 1 else y
        self.n_outputs_ = y.shape[1]
        y, expanded = self._encode_y(y)
        if sample_weight is not None:
            sample_weight = check_sample_weight(sample_weight, X_checked, dtype=np.float64)
        if expanded is not None:
            sample_weight = expanded if sample_weight is None else sample_weight * expanded
        if not self.bootstrap and self.max_samples is not None:
            raise ValueError(
                "`max_sample` cannot be set if `bootstrap=False`. Either switch to `bootstrap=True` or set "
                "`max_sample=None`."
            )
        if self.oob_score and not self.bootstrap:
            raise ValueError("Out of bag estimation only available if bootstrap=True")
        n_samples_bootstrap = _get_n_samples_bootstrap(len(y), self.max_samples, sample_weight) if self.bootstrap else None
        self._n_samples, self._n_samples_bootstrap, self._sample_weight = len(y), n_samples_bootstrap, sample_weight
        self._grow(X32, y, sample_weight, n_samples_bootstrap)
        if self.oob_score:
            self._set_oob_score(X32, y)
        elif hasattr(self, "oob_score_"):
            del self.oob_score_
        if self._is_clf and self.n_outputs_ == 1:
            self.n_classes_, self.classes_ = self.n_classes_[0], self.classes_[0]
        return self

    def _grow(self, X32, y, sample_weight, n_samples_bootstrap):
        self._validate_estimator()
        rng = check_random_state(self.random_state)
        if not self.warm_start or not hasattr(self, "estimators_"):
            self.estimators_ = []
        n_more = self.n_estimators - len(self.estimators_)
        if n_more < 0:
            raise ValueError(
                f"n_estimators={self.n_estimators} must be larger or equal to "
                f"len(estimators_)={len(self.estimators_)} when warm_start==True"
            )
        if n_more == 0:
            warnings.warn("Warm-start fitting without increasing n_estimators does not fit new trees.")
            return
        if self.warm_start and self.estimators_:
            rng.randint(MAX_INT, size=len(self.estimators_))  # the seeds already used
        trees = self._make_estimators(n_more, rng)
        self._progress = _progress_bar(self.verbose, n_more)
        try:
            exact_small = _prefers_exact_builder(trees[0], X32.shape, n_more, self._is_clf)
            if _level_builder.supports(trees[0], X32) and not exact_small:
                device = get_device()
                n_jobs = self.n_jobs if device.type == "cpu" else 1  # a GPU grows every tree of a batch at once
                per_job = -(-n_more // _partition_estimators(n_more, n_jobs)[0])
                max_features = _resolve_max_features(trees[0].max_features, X32.shape[1])
                if X32.shape[0] * max_features * per_job < _PARALLEL_MIN_PAIRS:
                    n_jobs = 1  # a small forest: one batch costs fewer (Python-bound) torch calls than several
                with one_torch_thread(device):  # parallelism is n_jobs' (one tree batch per job)
                    data = _level_builder.LevelData(X32, device)
                    trees = _run_batches(n_jobs, 0, _build_trees_levelwise, n_more, self, trees, data, y,
                                         sample_weight, n_samples_bootstrap)
            else:
                if get_device().type != "cpu":
                    warn_device_fallback(self, _GROWN_ON_THE_CPU[0], get_device(),
                                         "missing values and the absolute_error and poisson criteria grow "
                                         "nodes one at a time")
                # (a small forest routed here grows in one batch: the node search is Python-bound)
                trees = _run_batches(1 if exact_small else self.n_jobs, 0, _build_trees, n_more, self, trees, X32, y,
                                     sample_weight, n_samples_bootstrap)
        finally:
            if self._progress is not None:
                self._progress.close()
            del self._progress
        self.estimators_.extend(trees)

    def _progress_update(self):
        if getattr(self, "_progress", None) is not None:
            self._progress.update(1)

    def _check_X(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=None, ensure_all_finite=False)
        return _float32_input(X, self, cpu_step=("prediction", "the trees are walked on the CPU"))

    def _unsampled(self):
        for tree in self.estimators_:
            indices = _generate_sample_indices(
                tree.random_state, self._n_samples, self._n_samples_bootstrap, self._sample_weight
            )
            yield np.flatnonzero(np.bincount(indices, minlength=self._n_samples) == 0)

    def _oob_sums(self, X32, width):
        """Sum of out-of-bag tree values per row, shape (n_samples, n_outputs, width), and their counts."""
        sums = np.zeros((X32.shape[0], self.n_outputs_, width))
        counts = np.zeros(X32.shape[0])
        for tree, rows in zip(self.estimators_, self._unsampled()):
            if len(rows):
                sums[rows] += tree.tree_.predict(X32[torch.as_tensor(rows)])[:, :, :width]
                counts[rows] += 1
        if (counts == 0).any():
            warnings.warn(
                "Some inputs do not have OOB scores. This probably means too few trees were used to compute "
                "any reliable OOB estimates.", UserWarning,
            )
            counts[counts == 0] = 1
        return sums / counts[:, None, None]

    def _mean_values(self, X32):
        """Mean over the trees of their leaf values, shape (n_samples, n_outputs, max_n_classes)."""
        total = None
        for tree in self.estimators_:
            values = tree.tree_.predict(X32)
            total = values.copy() if total is None else total + values
        return total / len(self.estimators_)

    def apply(self, X):
        """Leaf index of every sample in every tree, shape (n_samples, n_estimators)."""
        X32 = self._check_X(X)
        leaves = np.column_stack([tree.tree_.apply(X32).numpy() for tree in self.estimators_])
        return to_output(torch.as_tensor(leaves), X) if is_torch(X) else leaves

    @property
    def estimators_samples_(self):
        """The in-bag row indices of each tree (all rows without bootstrap)."""
        if not self.bootstrap:
            return [np.arange(self._n_samples, dtype=np.int32) for _ in self.estimators_]
        return [
            _generate_sample_indices(t.random_state, self._n_samples, self._n_samples_bootstrap, self._sample_weight)
            for t in self.estimators_
        ]

    @property
    def feature_importances_(self):
        """Mean decrease in impurity, averaged over the trees and normalised to sum to 1."""
        check_is_fitted(self)
        # scikit-learn's rule: the mean of the trees' normalised importances, normalised again
        importances = [t.tree_.compute_feature_importances() for t in self.estimators_ if t.tree_.node_count > 1]
        if not importances:
            return np.zeros(self.n_features_in_)
        mean = np.mean(importances, axis=0, dtype=np.float64)
        return mean / np.sum(mean)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        return tags


def _progress_bar(verbose, total):
    if not verbose:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, desc="trees")


class ForestClassifier(ClassifierMixin, BaseForest):
    """Class encoding, class weights and probability averaging of the forest classifiers."""

    _is_clf = True
    _parameter_constraints = {
        **BaseForest._parameter_constraints,
        "criterion": [StrOptions({"gini", "entropy", "log_loss"})],
        "class_weight": [StrOptions({"balanced_subsample", "balanced"}), dict, list, None],
    }

    def _encode_y(self, y):
        check_classification_targets(y)
        encoded = np.zeros(y.shape, dtype=np.float64)
        self.classes_, self.n_classes_ = [], []
        for k in range(y.shape[1]):
            classes_k, encoded[:, k] = np.unique(y[:, k], return_inverse=True)
            self.classes_.append(classes_k)
            self.n_classes_.append(len(classes_k))
        expanded = None
        if self.class_weight is not None:
            if isinstance(self.class_weight, str) and self.warm_start:
                warnings.warn(
                    'class_weight presets "balanced" or "balanced_subsample" are not recommended for '
                    "warm_start if the fitted data differs from the full dataset."
                )
            if self.class_weight != "balanced_subsample" or not self.bootstrap:
                preset = "balanced" if self.class_weight == "balanced_subsample" else self.class_weight
                expanded = _expanded_class_weight(preset, y)
        return encoded, expanded

    def _set_oob_score(self, X32, y):
        width = max(self._per_output(self.n_classes_))
        oob = self._oob_sums(X32, width)
        self.oob_decision_function_ = oob[:, 0, : self.n_classes_[0]] if self.n_outputs_ == 1 else oob
        pred = np.argmax(oob, axis=2)
        if callable(self.oob_score):
            self.oob_score_ = self.oob_score(y[:, 0] if self.n_outputs_ == 1 else y, pred[:, 0] if self.n_outputs_ == 1 else pred)
        else:
            self.oob_score_ = float(np.mean(np.all(pred == y, axis=1)))

    def _per_output(self, value):
        return value if isinstance(value, list) else [value]

    def predict_proba(self, X):
        """Mean of the trees' class fractions (a list of arrays for multi-output)."""
        mean = self._mean_values(self._check_X(X))
        n_classes = self._per_output(self.n_classes_)
        probas = [mean[:, k, : n_classes[k]] for k in range(self.n_outputs_)]
        if is_torch(X):
            probas = [to_output(torch.as_tensor(p), X) for p in probas]
        return probas[0] if self.n_outputs_ == 1 else probas

    def predict_log_proba(self, X):
        """Logarithm of ``predict_proba``."""
        proba = self.predict_proba(X)
        log = (lambda p: torch.log(p)) if is_torch(X) else (lambda p: np.log(p))
        with np.errstate(divide="ignore"):
            return log(proba) if not isinstance(proba, list) else [log(p) for p in proba]

    def predict(self, X):
        """The class with the largest mean probability (per output)."""
        mean = self._mean_values(self._check_X(X))
        classes = self._per_output(self.classes_)
        n_classes = self._per_output(self.n_classes_)
        preds = [classes[k].take(np.argmax(mean[:, k, : n_classes[k]], axis=1)) for k in range(self.n_outputs_)]
        pred = preds[0] if self.n_outputs_ == 1 else np.stack(preds, axis=1)
        return labels_to_output(pred, X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        return tags


class ForestRegressor(RegressorMixin, BaseForest):
    """Prediction averaging and out-of-bag R² of the forest regressors."""

    _is_clf = False
    _parameter_constraints = {
        **BaseForest._parameter_constraints,
        "criterion": [StrOptions({"squared_error", "absolute_error", "poisson"}), Hidden(StrOptions({"friedman_mse"}))],
    }

    def _encode_y(self, y):
        return y.astype(np.float64), None

    def _set_oob_score(self, X32, y):
        oob = self._oob_sums(X32, 1)[:, :, 0]
        self.oob_prediction_ = oob[:, 0] if self.n_outputs_ == 1 else oob
        y_true = y[:, 0] if self.n_outputs_ == 1 else y
        if callable(self.oob_score):
            self.oob_score_ = self.oob_score(y_true, self.oob_prediction_)
        else:
            from ..metrics import r2_score

            self.oob_score_ = float(r2_score(y_true, self.oob_prediction_))

    def predict(self, X):
        """Mean of the trees' predictions."""
        mean = self._mean_values(self._check_X(X))[:, :, 0]
        pred = mean[:, 0] if self.n_outputs_ == 1 else mean
        return to_output(torch.as_tensor(pred), X) if is_torch(X) else pred


# =============================================================================
# Public estimators
# =============================================================================

_CLF_DOC_PARAMS = """
    Parameters
    ----------
    n_estimators : int, default=100
        Number of trees.
    criterion : {"gini", "entropy", "log_loss"}, default="gini"
    max_depth, min_samples_split, min_samples_leaf, min_weight_fraction_leaf, max_leaf_nodes,
    min_impurity_decrease, ccp_alpha :
        Passed to every tree (see :class:`~learnflow.tree.DecisionTreeClassifier`).
    max_features : {"sqrt", "log2"}, int, float or None, default="sqrt"
        Features considered at each split.
    bootstrap : bool
        Draw each tree's rows with replacement.
    oob_score : bool or callable, default=False
        Score the forest on the out-of-bag rows (accuracy, or ``oob_score(y, y_pred)``).
    n_jobs : int, default=None
        Trees grown in parallel (joblib threads).
    random_state : int, RandomState or None, default=None
    verbose : int, default=0
        Show a tqdm progress bar while growing.
    warm_start : bool, default=False
        Keep the grown trees and add ``n_estimators - len(estimators_)`` new ones.
    class_weight : {"balanced", "balanced_subsample"}, dict, list of dicts or None, default=None
    max_samples : int or float, default=None
        Rows per bootstrap sample (all rows if None).

    Attributes
    ----------
    estimator_ : DecisionTreeClassifier
    estimators_ : list of fitted trees
    classes_ : ndarray or list of ndarray
    n_classes_ : int or list of int
    n_features_in_ : int
    n_outputs_ : int
    feature_importances_ : ndarray of shape (n_features,)
    oob_score_ : float
    oob_decision_function_ : ndarray of shape (n_samples, n_classes)
    estimators_samples_ : list of ndarray
"""

_REG_DOC_PARAMS = """
    Parameters
    ----------
    n_estimators : int, default=100
    criterion : {"squared_error", "absolute_error", "poisson"}, default="squared_error"
        ``"friedman_mse"`` is deprecated (see :class:`~learnflow.tree.DecisionTreeRegressor`).
    max_depth, min_samples_split, min_samples_leaf, min_weight_fraction_leaf, max_leaf_nodes,
    min_impurity_decrease, ccp_alpha :
        Passed to every tree (see :class:`~learnflow.tree.DecisionTreeRegressor`).
    max_features : {"sqrt", "log2"}, int, float or None, default=1.0
    bootstrap, oob_score, n_jobs, random_state, verbose, warm_start, max_samples :
        As for the classifier; ``oob_score_`` is the out-of-bag R².

    Attributes
    ----------
    estimator_ : DecisionTreeRegressor
    estimators_ : list of fitted trees
    n_features_in_ : int
    n_outputs_ : int
    feature_importances_ : ndarray of shape (n_features,)
    oob_score_ : float
    oob_prediction_ : ndarray of shape (n_samples,)
    estimators_samples_ : list of ndarray
"""


class RandomForestClassifier(ForestClassifier):
    """A random forest: bootstrap-trained trees that split on random feature subsets.
    %s
    Examples
    --------
    >>> from learnflow.datasets import load_iris
    >>> from learnflow.ensemble import RandomForestClassifier
    >>> iris = load_iris()
    >>> forest = RandomForestClassifier(n_estimators=10, random_state=42).fit(iris.data, iris.target)
    >>> forest.predict(iris.data[[0, 50, 100]])
    array([0, 1, 2])
    """

    def __init__(self, n_estimators=100, *, criterion="gini", max_depth=None, min_samples_split=2,
                 min_samples_leaf=1, min_weight_fraction_leaf=0.0, max_features="sqrt", max_leaf_nodes=None,
                 min_impurity_decrease=0.0, bootstrap=True, oob_score=False, n_jobs=None, random_state=None,
                 verbose=0, warm_start=False, class_weight=None, ccp_alpha=0.0, max_samples=None):
        self.n_estimators = n_estimators
        self.criterion = criterion
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.min_weight_fraction_leaf = min_weight_fraction_leaf
        self.max_features = max_features
        self.max_leaf_nodes = max_leaf_nodes
        self.min_impurity_decrease = min_impurity_decrease
        self.bootstrap = bootstrap
        self.oob_score = oob_score
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose
        self.warm_start = warm_start
        self.class_weight = class_weight
        self.ccp_alpha = ccp_alpha
        self.max_samples = max_samples

    def _default_estimator(self):
        return DecisionTreeClassifier()


class ExtraTreesClassifier(ForestClassifier):
    """Extremely randomized trees: random features and random thresholds, no bootstrap by default.
    %s
    Examples
    --------
    >>> from learnflow.datasets import load_iris
    >>> from learnflow.ensemble import ExtraTreesClassifier
    >>> iris = load_iris()
    >>> forest = ExtraTreesClassifier(n_estimators=10, random_state=42).fit(iris.data, iris.target)
    >>> forest.predict(iris.data[[0, 50, 100]])
    array([0, 1, 2])
    """

    def __init__(self, n_estimators=100, *, criterion="gini", max_depth=None, min_samples_split=2,
                 min_samples_leaf=1, min_weight_fraction_leaf=0.0, max_features="sqrt", max_leaf_nodes=None,
                 min_impurity_decrease=0.0, bootstrap=False, oob_score=False, n_jobs=None, random_state=None,
                 verbose=0, warm_start=False, class_weight=None, ccp_alpha=0.0, max_samples=None):
        self.n_estimators = n_estimators
        self.criterion = criterion
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.min_weight_fraction_leaf = min_weight_fraction_leaf
        self.max_features = max_features
        self.max_leaf_nodes = max_leaf_nodes
        self.min_impurity_decrease = min_impurity_decrease
        self.bootstrap = bootstrap
        self.oob_score = oob_score
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose
        self.warm_start = warm_start
        self.class_weight = class_weight
        self.ccp_alpha = ccp_alpha
        self.max_samples = max_samples

    def _default_estimator(self):
        return ExtraTreeClassifier()


class RandomForestRegressor(ForestRegressor):
    """A random forest regressor: the mean of bootstrap-trained trees.
    %s
    Examples
    --------
    >>> import numpy as np
    >>> from learnflow.ensemble import RandomForestRegressor
    >>> X = np.arange(8.0).reshape(-1, 1)
    >>> reg = RandomForestRegressor(n_estimators=5, random_state=0).fit(X, 2 * X.ravel())
    >>> reg.predict([[0.0], [7.0]]).round(1)
    array([ 1.2, 11.6])
    """

    def __init__(self, n_estimators=100, *, criterion="squared_error", max_depth=None, min_samples_split=2,
                 min_samples_leaf=1, min_weight_fraction_leaf=0.0, max_features=1.0, max_leaf_nodes=None,
                 min_impurity_decrease=0.0, bootstrap=True, oob_score=False, n_jobs=None, random_state=None,
                 verbose=0, warm_start=False, ccp_alpha=0.0, max_samples=None):
        self.n_estimators = n_estimators
        self.criterion = criterion
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.min_weight_fraction_leaf = min_weight_fraction_leaf
        self.max_features = max_features
        self.max_leaf_nodes = max_leaf_nodes
        self.min_impurity_decrease = min_impurity_decrease
        self.bootstrap = bootstrap
        self.oob_score = oob_score
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose
        self.warm_start = warm_start
        self.ccp_alpha = ccp_alpha
        self.max_samples = max_samples

    def _default_estimator(self):
        return DecisionTreeRegressor()


class ExtraTreesRegressor(ForestRegressor):
    """Extremely randomized trees regressor: the mean of random-threshold trees.
    %s
    Examples
    --------
    >>> import numpy as np
    >>> from learnflow.ensemble import ExtraTreesRegressor
    >>> X = np.arange(8.0).reshape(-1, 1)
    >>> reg = ExtraTreesRegressor(n_estimators=5, random_state=0).fit(X, 2 * X.ravel())
    >>> reg.predict([[0.0], [7.0]])
    array([ 0., 14.])
    """

    def __init__(self, n_estimators=100, *, criterion="squared_error", max_depth=None, min_samples_split=2,
                 min_samples_leaf=1, min_weight_fraction_leaf=0.0, max_features=1.0, max_leaf_nodes=None,
                 min_impurity_decrease=0.0, bootstrap=False, oob_score=False, n_jobs=None, random_state=None,
                 verbose=0, warm_start=False, ccp_alpha=0.0, max_samples=None):
        self.n_estimators = n_estimators
        self.criterion = criterion
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.min_weight_fraction_leaf = min_weight_fraction_leaf
        self.max_features = max_features
        self.max_leaf_nodes = max_leaf_nodes
        self.min_impurity_decrease = min_impurity_decrease
        self.bootstrap = bootstrap
        self.oob_score = oob_score
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose
        self.warm_start = warm_start
        self.ccp_alpha = ccp_alpha
        self.max_samples = max_samples

    def _default_estimator(self):
        return ExtraTreeRegressor()


RandomForestClassifier.__doc__ %= _CLF_DOC_PARAMS
ExtraTreesClassifier.__doc__ %= _CLF_DOC_PARAMS.replace('default="sqrt"', 'default="sqrt"').replace(
    "bootstrap : bool\n", "bootstrap : bool, default=False\n")
RandomForestClassifier.__doc__ = RandomForestClassifier.__doc__.replace("bootstrap : bool\n", "bootstrap : bool, default=True\n")
RandomForestRegressor.__doc__ %= _REG_DOC_PARAMS
ExtraTreesRegressor.__doc__ %= _REG_DOC_PARAMS
