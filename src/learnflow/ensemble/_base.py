"""Shared machinery of the ensembles: member construction, seeding, joblib batches.

``_set_random_states`` seeds members exactly as scikit-learn's
``sklearn.ensemble._base._set_random_states`` does, so an ensemble built with
the same ``random_state`` draws the same members' seeds.
"""

# SPDX-License-Identifier: BSD-3-Clause

import copy

import numpy as np
from joblib import Parallel, cpu_count, delayed

from .._engine import check_random_state, get_device, seeded_state, warn_device_fallback
from ..base import BaseEstimator, MetaEstimatorMixin, clone

__all__ = ["BaseEnsemble"]

MAX_INT = np.iinfo(np.int32).max


def _set_random_states(estimator, random_state=None):
    """Give every ``random_state`` (and ``*__random_state``) parameter an int seed.

    Keys are visited in sorted order and each gets
    ``check_random_state(random_state).randint(MAX_INT)``, scikit-learn's rule.
    """
    random_state = seeded_state(random_state)  # (used at once: an int seed needs no new RandomState)
    to_set = {}
    for key in sorted(estimator.get_params(deep=True)):
        if key == "random_state" or key.endswith("__random_state"):
            to_set[key] = random_state.randint(MAX_INT)
    if to_set:
        estimator.set_params(**to_set)


def _partition_estimators(n_estimators, n_jobs):
    """Split ``n_estimators`` into ``n_jobs`` contiguous batches: (n_jobs, sizes, starts)."""
    n_jobs = min(_effective_n_jobs(n_jobs), n_estimators)
    sizes = np.full(n_jobs, n_estimators // n_jobs, dtype=int)
    sizes[: n_estimators % n_jobs] += 1
    starts = np.concatenate([[0], np.cumsum(sizes)]).tolist()
    return n_jobs, sizes.tolist(), starts


def _effective_n_jobs(n_jobs):
    if n_jobs is None:
        return 1
    if n_jobs < 0:
        return max(cpu_count() + 1 + n_jobs, 1)
    return max(int(n_jobs), 1)


def _parallel(n_jobs, verbose=0):
    """A joblib ``Parallel`` on threads (torch releases the GIL; processes start slowly)."""
    return Parallel(n_jobs=_effective_n_jobs(n_jobs), verbose=verbose, prefer="threads")


def _fit_single(estimator, X, y, **fit_params):
    """Fit one member (used by voting and stacking, possibly in parallel)."""
    return estimator.fit(X, y, **fit_params)


def _accepts_sample_weight(estimator):
    import inspect

    return "sample_weight" in inspect.signature(estimator.fit).parameters


def _is_learnflow_tree(estimator):
    """Whether ``estimator`` is one of learnflow's own trees (its fit/predict can skip re-validation)."""
    from ..tree._classes import BaseDecisionTree

    return isinstance(estimator, BaseDecisionTree) and type(estimator).__module__ == BaseDecisionTree.__module__


def _tree_input(estimator, X):
    """X as the float32 CPU tensor the trees grow on, converted once per ensemble fit (None: no fast path)."""
    if not _is_learnflow_tree(estimator) or getattr(X, "dtype", None) is None or X.dtype.kind not in "biuf":
        return None
    from ..tree._classes import _float32_input

    return _float32_input(X, estimator)


def _fit_member(estimator, X, X32, y, sample_weight=None, root_sort=None):
    """``estimator.fit(X, y, sample_weight)``; a learnflow tree grows straight on the prepared ``X32`` (on the
    CPU, with the warning its own ``fit`` gives under another device).

    ``root_sort``: the trees' cache of X32's sorted features and encoded y, shared by the fits on the same X32 (of
    members that differ only in their seeds).
    """
    if X32 is None:
        if sample_weight is None:
            return estimator.fit(X, y)
        return estimator.fit(X, y, sample_weight=sample_weight)
    device = get_device()
    if device.type != "cpu":
        from ..tree._classes import _GROWN_ON_THE_CPU

        warn_device_fallback(estimator, _GROWN_ON_THE_CPU[0], device, _GROWN_ON_THE_CPU[1])
    if root_sort is None:
        estimator._validate_params()
        y_2d = y.reshape(-1, 1)
    else:  # members differing only in their seeds: the first one's parameters validated, one 2-D view of y for
        if not root_sort.get("members_valid"):  # all (the trees find y's encoding in the cache by its identity)
            estimator._validate_params()
            root_sort["members_valid"] = True
        if root_sort.get("member_y") is not y:
            root_sort.update(member_y=y, member_y_2d=y.reshape(-1, 1))
        y_2d = root_sort["member_y_2d"]
    return estimator._fit(X32, y_2d, sample_weight=sample_weight, check_input=False, root_sort=root_sort)


class BaseEnsemble(MetaEstimatorMixin, BaseEstimator):
    """Base of the ensembles with one kind of member (``estimator``).

    Subclasses set ``_default_estimator()`` and list in ``_member_params`` the
    constructor parameters they forward to every member.
    """

    _member_params = ()

    def _default_estimator(self):
        raise AttributeError("no default estimator")

    def _validate_estimator(self):
        """Set ``estimator_``: the user's estimator, or the default one."""
        self.estimator_ = self._default_estimator() if self.estimator is None else self.estimator

    def _make_estimator(self, append=True, random_state=None):
        """A clone of ``estimator_`` with the forwarded parameters and a seeded random state."""
        estimator = clone(self.estimator_)
        params = {p: getattr(self, p) for p in self._member_params}
        if params:
            estimator.set_params(**params)
        if random_state is not None:
            _set_random_states(estimator, random_state)
        if append:
            self.estimators_.append(estimator)
        return estimator

    def _make_estimators(self, n_estimators, random_state):
        """``n_estimators`` x ``_make_estimator(append=False, random_state=random_state)``.

        Members whose only seeded parameter is their own ``random_state`` (trees) are shallow
        copies of one configured, unfitted template, each given the next
        ``random_state.randint(MAX_INT)``: the seeds of :func:`_set_random_states`, without a
        clone and a deep ``get_params`` per member (a forest makes hundreds). Members with
        nested estimators are cloned one by one.
        """
        template = self._make_estimator(append=False)
        seeded = sorted(k for k in template.get_params(deep=True) if k == "random_state" or k.endswith("__random_state"))
        if seeded != ["random_state"]:
            return [self._make_estimator(append=False, random_state=random_state) for _ in range(n_estimators)]
        members = []
        for _ in range(n_estimators):
            member = copy.copy(template)
            member.random_state = random_state.randint(MAX_INT)
            members.append(member)
        return members

    def __len__(self):
        """The number of fitted members (0 before fit)."""
        return len(getattr(self, "estimators_", []))

    def __getitem__(self, index):
        """The index'th member."""
        return self.estimators_[index]

    def __iter__(self):
        """Iterate over the members."""
        return iter(self.estimators_)


def _run_batches(n_jobs, verbose, function, n_items, *args):
    """Run ``function(start, stop, *args)`` over contiguous batches; concatenated results."""
    n_jobs, sizes, starts = _partition_estimators(n_items, n_jobs)
    if n_jobs == 1:
        return function(0, n_items, *args)
    results = _parallel(n_jobs, verbose)(delayed(function)(starts[i], starts[i + 1], *args) for i in range(n_jobs))
    return [item for batch in results for item in batch]


def _as_numpy(array):
    """Members may answer in torch (torch input): the ensemble combines in numpy."""
    from .._engine import to_numpy

    return to_numpy(array) if not isinstance(array, np.ndarray) else array


def _follow_input(result, X):
    """``result`` (numpy) as a tensor on X's device when X is torch and the dtype allows it."""
    from .._engine import labels_to_output

    return labels_to_output(np.ascontiguousarray(result), X)
