"""Bunch: a dict whose keys are also attributes (scikit-learn's dataset container)."""

# SPDX-License-Identifier: BSD-3-Clause

__all__ = ["Bunch"]


class Bunch(dict):
    """Container object exposing keys as attributes.

    Examples
    --------
    >>> from learnflow.utils import Bunch
    >>> b = Bunch(a=1, b=2)
    >>> b["b"], b.b
    (2, 2)
    >>> b.c = 3
    >>> b["c"]
    3
    """

    def __init__(self, **kwargs):
        super().__init__(kwargs)

    def __setattr__(self, key, value):
        self[key] = value

    def __dir__(self):
        return list(self.keys())

    def __getattr__(self, key):
        try:
            return self[key]
        except KeyError:
            raise AttributeError(key) from None

    def __setstate__(self, state):
        # Keys were restored by dict's own pickling; ignore a pickled __dict__.
        pass
