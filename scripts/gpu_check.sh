#!/usr/bin/env bash
# One lent-GPU session in one command: the CUDA tests (`-m gpu`) and the GPU
# benchmarks, run with the machine's own python3 (PyTorch with CUDA) and the
# source tree on PYTHONPATH. Logs, JUnit XML and the benchmark tables go to $OUT.
#   OUT=/tmp/out scripts/gpu_check.sh            # TESTS=..., BENCH_ARGS=--quick, *_TIMEOUT=seconds
set -u
OUT=${OUT:-/tmp/gpu_check}
mkdir -p "$OUT"
export PYTHONPATH="$PWD/src:$PWD" PYTHONUNBUFFERED=1
nvidia-smi -L
python3 -c "import torch, numpy, scipy, sklearn; print('torch', torch.__version__, 'cuda', torch.cuda.is_available(), 'numpy', numpy.__version__, 'scipy', scipy.__version__, 'sklearn', sklearn.__version__)"
timeout "${TEST_TIMEOUT:-300}" python3 -m pytest -q -m gpu -n "${WORKERS:-8}" -p no:cacheprovider -o addopts="" \
    --timeout=180 -rfE --tb=short --junitxml="$OUT/gpu-tests.xml" ${TESTS:-tests} >"$OUT/gpu-tests.log" 2>&1
echo "pytest exit $?"
grep -E "^(FAILED|ERROR)|passed|failed" "$OUT/gpu-tests.log" | cut -c1-300 | tail -60
if [ -n "${BENCH_ARGS+set}" ] || [ "${BENCH:-1}" = 1 ]; then
    timeout "${BENCH_TIMEOUT:-240}" python3 -m benchmarks.bench_gpu ${BENCH_ARGS:-} >"$OUT/bench.log" 2>&1
    echo "bench exit $?"
    grep -vE "^\s*$" "$OUT/bench.log" | tail -40
fi
cp docs/benchmarks.md "$OUT/benchmarks.md"
