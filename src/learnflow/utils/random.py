"""Random sampling helpers that reproduce scikit-learn's draws."""

# SPDX-License-Identifier: BSD-3-Clause

import numpy as np

from .._engine import check_random_state

__all__ = ["sample_without_replacement"]


def sample_without_replacement(n_population, n_samples, random_state=None):
    """``n_samples`` distinct integers from ``[0, n_population)``.

    The algorithm is chosen by the ratio ``n_samples / n_population`` as in
    scikit-learn's ``sample_without_replacement(method="auto")``: a
    permutation for ratios strictly between 0.01 and 0.99, rejection of
    repeats below, reservoir sampling above; so the draws (and their order)
    are the same as scikit-learn's for the same RandomState.

    Examples
    --------
    >>> from learnflow.utils.random import sample_without_replacement
    >>> sample_without_replacement(10, 3, random_state=0)
    array([2, 8, 4])
    """
    if n_samples > n_population:
        raise ValueError(
            f"n_population should be greater or equal than n_samples, got n_samples > n_population "
            f"({n_samples} > {n_population})"
        )
    rng = check_random_state(random_state)
    ratio = n_samples / n_population if n_population != 0 else 1.0
    if 0.01 < ratio < 0.99:
        return rng.permutation(n_population)[:n_samples]
    out = np.empty(n_samples, dtype=np.intp)
    if ratio < 0.2:  # tracking selection
        selected = set()
        for i in range(n_samples):
            j = rng.randint(n_population)
            while j in selected:
                j = rng.randint(n_population)
            selected.add(j)
            out[i] = j
        return out
    out[:] = np.arange(n_samples)  # reservoir sampling
    for i in range(n_samples, n_population):
        j = rng.randint(0, i + 1)
        if j < n_samples:
            out[j] = i
    return out
