"""Side-by-side benchmarks of learnflow against its peers (scikit-learn, TensorFlow, PyTorch).

Run them all with ``python -m benchmarks [--quick]``, or one topic with
``python -m benchmarks.bench_<topic> [--quick]``; results are appended to
``docs/benchmarks.md``.
"""
