"""The end-to-end project of Chapter 2, following the checklist of Appendix B.

``run_project`` frames the problem, explores and splits the data, prepares it,
shortlists every suitable model with k-fold cross-validation, fine-tunes the
best with a randomized search, evaluates it once on the test set (with a 95%
confidence interval) and saves the fitted pipeline in learnflow's safe format.
``--time-budget`` is a hard limit: the search stops when the time left is only
enough to fit and evaluate the best model found so far.
"""

# SPDX-License-Identifier: BSD-3-Clause

import math
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from .._persistence import save
from ..base import clone
from ..datasets import load_housing
from ..model_selection import KFold, ParameterSampler, StratifiedKFold, cross_validate
from ..pipeline import Pipeline
from ._data import ProjectError, frame_problem, read_table, split_train_test
from ._explore import explore
from ._models import candidate_models
from ._prepare import build_preparation
from ._report import write_report

__all__ = ["ProjectResult", "run_project"]

_SCORING = {"regression": "neg_root_mean_squared_error", "classification": "accuracy"}
_METRIC_NAME = {"regression": "RMSE", "classification": "accuracy"}
_QUICK_BUDGET = 100.0  # seconds: --quick stays under two minutes on 2 cores
_REPORT_RESERVE = 5.0  # seconds kept for the report and the saved model
_PROBE_FRACTION = 0.02  # share of the training set timed to estimate a model's cost


class _Budget:
    """Wall-clock time left of a hard limit (infinite when no limit is set)."""

    def __init__(self, seconds):
        self.deadline = time.perf_counter() + (math.inf if seconds is None else seconds)

    def left(self):
        return self.deadline - time.perf_counter()


@dataclass
class ProjectResult:
    """What a project run produced (also written to ``out_dir``)."""

    task: str
    metric: str
    leaderboard: pd.DataFrame
    best_name: str
    best_params: dict
    test_score: float
    confidence_interval: tuple
    model_path: Path
    report_path: Path
    stratified_on: str | None
    n_train: int
    n_test: int
    notes: list = field(default_factory=list)


def _to_metric(task, score):
    """Scorers are "greater is better": undo the sign of the RMSE scorer."""
    return -score if task == "regression" else score


def _cross_validate(pipeline, X, y, task, cv):
    result = cross_validate(pipeline, X, y, cv=cv, scoring=_SCORING[task])
    scores = _to_metric(task, np.asarray(result["test_score"]))
    return scores, float(np.sum(result["fit_time"]) + np.sum(result["score_time"]))


def _estimated_cv_seconds(pipeline, X, y, n_folds):
    """Time one fit on a small sample and scale it to a whole cross-validation.

    Fit times grow at least linearly with the data: k folds each fit on
    (k - 1) / k of it, so the whole run costs about (k - 1) full fits, scaled
    from the sample's time with a margin of 1.5. Returns (probe seconds, estimate).
    """
    sample = X.sample(frac=_PROBE_FRACTION, random_state=0)
    start = time.perf_counter()
    clone(pipeline).fit(sample, y.loc[sample.index])
    probe = time.perf_counter() - start
    return probe, 1.5 * probe / _PROBE_FRACTION * (n_folds - 1)


def _shortlist(candidates, preparation, X, y, task, cv, budget, progress):
    """Cross-validate each candidate the budget allows; returns the leaderboard rows."""
    rows = []
    for name, estimator, space in candidates:
        pipeline = Pipeline([("prepare", clone(preparation)), ("model", estimator)])
        if budget.left() < _REPORT_RESERVE:
            progress(f"  {name}: skipped (time budget)")
            continue
        probe, estimate = _estimated_cv_seconds(pipeline, X, y, cv.get_n_splits())
        # keep time for this cross-validation and for fitting it once more at the end
        if rows and budget.left() < _REPORT_RESERVE + estimate + probe / _PROBE_FRACTION:
            progress(f"  {name}: skipped (about {estimate:.0f} s, more than the time budget leaves)")
            continue
        scores, seconds = _cross_validate(pipeline, X, y, task, cv)
        rows.append({"model": name, "mean": scores.mean(), "std": scores.std(), "seconds": seconds, "space": space, "estimator": estimator})
        progress(f"  {name:<28} {_METRIC_NAME[task]} {scores.mean():12.4f} ± {scores.std():.4f}   ({seconds:.1f} s)")
    ascending = task == "regression"
    return sorted(rows, key=lambda r: r["mean"] if ascending else -r["mean"])


def _fine_tune(best, preparation, X, y, task, cv, budget, *, n_iter, seed, progress):
    """Randomized search over the best model's space, stopping when time runs short."""
    best_params, best_mean = {}, best["mean"]
    if not best["space"]:
        progress(f"  {best['model']} has no hyperparameters to tune")
        return best_params, best_mean
    better = (lambda a, b: a < b) if task == "regression" else (lambda a, b: a > b)
    for params in ParameterSampler(best["space"], n_iter=n_iter, random_state=seed):
        model = clone(best["estimator"]).set_params(**params)
        pipeline = Pipeline([("prepare", clone(preparation)), ("model", model)])
        probe, estimate = _estimated_cv_seconds(pipeline, X, y, cv.get_n_splits())
        # keep enough time for this setting, the final fit and the report
        if budget.left() < _REPORT_RESERVE + estimate + probe / _PROBE_FRACTION:
            progress(f"  {params}: skipped (about {estimate:.0f} s, more than the time budget leaves)")
            continue
        scores, _ = _cross_validate(pipeline, X, y, task, cv)
        marker = ""
        if better(scores.mean(), best_mean):
            best_params, best_mean, marker = params, scores.mean(), "  <- best"
        progress(f"  {params}: {scores.mean():.4f}{marker}")
    return best_params, best_mean


def _confidence_interval(task, y_true, y_pred, confidence=0.95):
    """The book's t-interval of the RMSE, or an exact (Clopper-Pearson) one of the accuracy."""
    if task == "regression":
        squared_errors = (np.asarray(y_pred, dtype=float) - np.asarray(y_true, dtype=float)) ** 2
        score = float(np.sqrt(squared_errors.mean()))
        low, high = stats.t.interval(
            confidence, len(squared_errors) - 1, loc=squared_errors.mean(), scale=stats.sem(squared_errors)
        )
        return score, (float(np.sqrt(max(low, 0.0))), float(np.sqrt(high)))
    correct = int((np.asarray(y_pred) == np.asarray(y_true)).sum())
    interval = stats.binomtest(correct, len(y_true)).proportion_ci(confidence_level=confidence)
    return correct / len(y_true), (float(interval.low), float(interval.high))


def _load_frame(csv, target, task):
    frame = load_housing().frame if csv is None else read_table(csv)
    framed = frame_problem(frame, target)
    if task == "auto":
        task = framed
    elif task == "regression" and framed == "classification" and not pd.api.types.is_numeric_dtype(frame[target]):
        raise ProjectError(f"The target column {target!r} is not numeric, so it cannot be a regression target.")
    notes = []
    missing = int(frame[target].isna().sum())
    if missing:
        frame = frame.dropna(subset=[target])
        notes.append(f"dropped {missing} rows without a target value")
    if task == "classification" and frame[target].value_counts().min() < 2:
        raise ProjectError(f"Every class of {target!r} needs at least two rows to split and cross-validate.")
    return frame, task, notes


def run_project(
    csv=None,
    *,
    target="median_house_value",
    out_dir="learnflow-output/project",
    task="auto",
    seed=42,
    time_budget=None,
    quick=False,
    cv=None,
    n_iter=None,
    models=None,
    progress=print,
):
    """Run the whole checklist on a CSV file (default: the book's housing data).

    Parameters
    ----------
    csv : path or None
        The data; None uses :func:`learnflow.datasets.load_housing`.
    target : str
        The column to predict.
    out_dir : path
        Where figures, tables, the HTML report and the model go.
    task : {"auto", "regression", "classification"}
    seed : int
        Seeds the split, the models and the search: the same seed gives the
        same leaderboard and the same model.
    time_budget : float or None
        Hard limit in seconds on the whole run; ``quick`` sets it to 100 s.
    quick : bool
        Fewer folds, fewer and smaller models, a short search.
    cv, n_iter : int or None
        Folds and search iterations (defaults 10 and 10; 3 and 4 when quick).
    models : list of str or None
        Class names to shortlist (default: every suitable learnflow model).
    progress : callable
        Receives one line of progress at a time.

    Returns
    -------
    ProjectResult
    """
    start = time.perf_counter()
    budget = _Budget(_QUICK_BUDGET if quick and time_budget is None else time_budget)
    cv_folds = cv or (3 if quick else 10)
    n_iter = n_iter or (4 if quick else 10)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)

    frame, task, notes = _load_frame(csv, target, task)
    progress(f"[1/7] frame: {task} of {target!r} on {len(frame)} rows x {frame.shape[1] - 1} features")
    train, test, stratified_on = split_train_test(frame, target, task, test_size=0.2, seed=seed)
    progress(f"[2/7] split: {len(train)} train / {len(test)} test, stratified on {stratified_on or 'nothing'}")
    exploration = explore(train, target, task, out_dir)
    progress(f"[3/7] explore: {len(exploration['figures'])} figures in {out_dir}")

    X_train, y_train = train.drop(columns=[target]), train[target]
    preparation = build_preparation(train, target)
    n_prepared = clone(preparation).fit_transform(X_train).shape[1]
    progress(f"[4/7] prepare: {n_prepared} features after imputation, combined attributes, scaling and one-hot encoding")

    splitter = (KFold if task == "regression" else StratifiedKFold)(cv_folds, shuffle=True, random_state=seed)
    progress(f"[5/7] shortlist: {cv_folds}-fold cross-validation")
    candidates = [c for c in candidate_models(task, seed=seed, quick=quick) if models is None or c[0] in models]
    if not candidates:
        raise ProjectError(f"None of the models {models} is a learnflow {task} model.")
    rows = _shortlist(candidates, preparation, X_train, y_train, task, splitter, budget, progress)
    best = rows[0]
    progress(f"[6/7] fine-tune {best['model']} (randomized search, {n_iter} settings at most)")
    best_params, best_cv = _fine_tune(best, preparation, X_train, y_train, task, splitter, budget, n_iter=n_iter, seed=seed, progress=progress)

    final = Pipeline([("prepare", clone(preparation)), ("model", clone(best["estimator"]).set_params(**best_params))])
    final.fit(X_train, y_train)
    test_score, interval = _confidence_interval(task, test[target], final.predict(test.drop(columns=[target])))
    progress(
        f"[7/7] test {_METRIC_NAME[task]} of {best['model']}: {test_score:.4f} "
        f"(95% confidence interval {interval[0]:.4f} to {interval[1]:.4f})"
    )

    model_path = out_dir / "model.lfm"
    save(final, model_path)
    leaderboard = pd.DataFrame([{k: r[k] for k in ("model", "mean", "std", "seconds")} for r in rows])
    leaderboard.to_csv(out_dir / "leaderboard.csv", index=False)
    result = ProjectResult(
        task=task,
        metric=_METRIC_NAME[task],
        leaderboard=leaderboard,
        best_name=best["model"],
        best_params=best_params,
        test_score=test_score,
        confidence_interval=interval,
        model_path=model_path,
        report_path=out_dir / "report.html",
        stratified_on=stratified_on,
        n_train=len(train),
        n_test=len(test),
        notes=notes + [f"cross-validated {_METRIC_NAME[task]} of the tuned model: {best_cv:.4f}"],
    )
    write_report(result, exploration, target, elapsed=time.perf_counter() - start)
    progress(f"model saved to {model_path}; report in {result.report_path} ({time.perf_counter() - start:.1f} s)")
    return result
