"""The book's figures, drawn with matplotlib (imported lazily by each helper)."""

# SPDX-License-Identifier: BSD-3-Clause

__all__ = []
