"""Reproducible randomness: scikit-learn's ``random_state`` as numpy and torch generators."""

# SPDX-License-Identifier: BSD-3-Clause

import numbers
import threading

import numpy as np
import torch

from ._config import get_device

__all__ = ["check_random_state", "seeded_state", "torch_generator"]

_SEED_BOUND = np.iinfo(np.int32).max
_THREAD_STATE = threading.local()


def check_random_state(seed):
    """Turn ``seed`` into a ``numpy.random.RandomState``, as scikit-learn does.

    Parameters
    ----------
    seed : None, int, numpy.random.RandomState or numpy.random.Generator
        None gives numpy's global RandomState, an int a new RandomState seeded
        with it, and a RandomState is returned unchanged. A Generator is
        wrapped: a RandomState seeded from it, so it advances the Generator.

    Examples
    --------
    >>> from learnflow.utils import check_random_state
    >>> check_random_state(42).randint(100)
    51
    """
    if seed is None or seed is np.random:
        return np.random.mtrand._rand
    if isinstance(seed, numbers.Integral) and not isinstance(seed, bool):
        return np.random.RandomState(seed)
    if isinstance(seed, np.random.RandomState):
        return seed
    if isinstance(seed, np.random.Generator):
        return np.random.RandomState(seed.integers(_SEED_BOUND))
    raise ValueError(
        f"{seed!r} cannot be used to seed a numpy.random.RandomState instance: "
        "expected None, an int, a RandomState or a Generator."
    )


def seeded_state(seed):
    """``check_random_state(seed)`` for a state used at once and let go (callers must not keep it).

    Int seeds re-seed one RandomState per thread: ``RandomState.seed`` gives the
    same stream as a new ``RandomState(seed)`` at about a sixtieth of its cost
    (ensembles seed two or three per member).

    Examples
    --------
    >>> from learnflow._engine import seeded_state
    >>> seeded_state(42).randint(100)
    51
    """
    if isinstance(seed, numbers.Integral) and not isinstance(seed, bool) and 0 <= seed < 2**32:
        state = getattr(_THREAD_STATE, "random_state", None)
        if state is None:
            state = _THREAD_STATE.random_state = np.random.RandomState()
        state.seed(int(seed))
        return state
    return check_random_state(seed)


def torch_generator(random_state, device=None):
    """A ``torch.Generator`` on ``device`` seeded from ``random_state``.

    The seed is one draw from :func:`check_random_state` (``random_state``), so
    an int gives the same stream on every run and a RandomState advances.
    """
    device = get_device() if device is None else torch.device(device)
    seed = int(check_random_state(random_state).randint(_SEED_BOUND))
    generator = torch.Generator(device=device)
    generator.manual_seed(seed)
    return generator
