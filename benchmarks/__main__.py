"""Run every ``benchmarks/bench_*.py``: ``python -m benchmarks [--quick] [topic ...]``."""

import argparse
import importlib
import pkgutil
import sys
import time

import benchmarks


def _modules():
    return sorted(m.name for m in pkgutil.iter_modules(benchmarks.__path__) if m.name.startswith("bench_"))


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes (each topic well under 2 minutes)")
    parser.add_argument("topics", nargs="*", help="run only these topics (bench_<topic>); default: all")
    args = parser.parse_args(argv)
    names = _modules()
    if args.topics:
        wanted = {t if t.startswith("bench_") else f"bench_{t}" for t in args.topics}
        unknown = wanted - set(names)
        if unknown:
            parser.error(f"unknown topics {sorted(unknown)}; available: {names}")
        names = [n for n in names if n in wanted]
    for name in names:
        start = time.perf_counter()
        print(f"== {name}", flush=True)
        importlib.import_module(f"benchmarks.{name}").main(quick=args.quick)
        print(f"== {name} done in {time.perf_counter() - start:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
