"""The Perceptron: SGD with the perceptron loss, a constant learning rate of 1 and no penalty."""

# SPDX-License-Identifier: BSD-3-Clause

from ._stochastic_gradient import SGDClassifier

__all__ = ["Perceptron"]


class Perceptron(SGDClassifier):
    """Linear threshold units trained with the perceptron learning rule.

    ``w <- w + eta (y - y_hat) x`` (the book's Equation 10-2), i.e. SGD with
    ``loss="perceptron"``, ``learning_rate="constant"``, ``eta0=1`` and
    ``penalty=None``. It gives no class probabilities.

    Parameters
    ----------
    penalty : {"l2", "l1", "elasticnet", None}, default=None
    alpha : float, default=0.0001
    l1_ratio : float, default=0.15
    fit_intercept : bool, default=True
    max_iter : int, default=1000
    tol : float or None, default=1e-3
    shuffle : bool, default=True
    verbose : int, default=0
    eta0 : float, default=1.0
    n_jobs : int, default=None
    random_state : int, RandomState or None, default=0
    early_stopping : bool, default=False
    validation_fraction : float, default=0.1
    n_iter_no_change : int, default=5
    class_weight : dict or "balanced", default=None
    warm_start : bool, default=False

    Attributes
    ----------
    coef_ : ndarray of shape (1, n_features) or (n_classes, n_features)
    intercept_ : ndarray of shape (1,) or (n_classes,)
    n_iter_ : int
    t_ : float
    classes_ : ndarray of shape (n_classes,)
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from learnflow.datasets import load_iris
    >>> from learnflow.linear_model import Perceptron
    >>> iris = load_iris()
    >>> X = iris.data[:, (2, 3)]
    >>> y = (iris.target == 0).astype(int)
    >>> Perceptron(random_state=42).fit(X, y).predict([[2, 0.5]])
    array([1])
    """

    _parameter_constraints = {
        key: value
        for key, value in SGDClassifier._parameter_constraints.items()
        if key not in ("loss", "learning_rate", "epsilon", "power_t", "average")
    }

    def __init__(
        self,
        *,
        penalty=None,
        alpha=0.0001,
        l1_ratio=0.15,
        fit_intercept=True,
        max_iter=1000,
        tol=1e-3,
        shuffle=True,
        verbose=0,
        eta0=1.0,
        n_jobs=None,
        random_state=0,
        early_stopping=False,
        validation_fraction=0.1,
        n_iter_no_change=5,
        class_weight=None,
        warm_start=False,
    ):
        super().__init__(
            loss="perceptron",
            penalty=penalty,
            alpha=alpha,
            l1_ratio=l1_ratio,
            fit_intercept=fit_intercept,
            max_iter=max_iter,
            tol=tol,
            shuffle=shuffle,
            verbose=verbose,
            random_state=random_state,
            learning_rate="constant",
            eta0=eta0,
            power_t=0.5,
            early_stopping=early_stopping,
            validation_fraction=validation_fraction,
            n_iter_no_change=n_iter_no_change,
            class_weight=class_weight,
            warm_start=warm_start,
            average=False,
            n_jobs=n_jobs,
        )
