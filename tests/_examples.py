"""The chapter examples as modules: the book-reproduction tests run the examples' code."""

import importlib.util
from pathlib import Path

_EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def load_example(name):
    """``examples/<name>.py`` imported as a module."""
    spec = importlib.util.spec_from_file_location(name, _EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
