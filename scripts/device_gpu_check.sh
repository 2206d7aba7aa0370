#!/usr/bin/env bash
# The GPU checks of the course in one go, on a machine with CUDA: about 5 minutes, under 8 even when
# every step runs into its time limit.
#   1. the machine: nvidia-smi, python, torch, CUDA, cuDNN
#   2. the tests marked gpu in tests/test_capstone.py (capstone recipe under autocast on CUDA; Day 4's
#      reference train_one_epoch / fit / graded training run with autocast + GradScaler on CUDA; Day 6's
#      graded fine-tune with its hidden test on CUDA)
#   3. the capstone lesson's code, full-size mode, offline stand-in data (.gpu-site/capstone_notebook.py)
#   4. benchmarks/gpu.py -> $OUT/gpu.json
#
#   OUT=/some/folder bash scripts/device_gpu_check.sh
#
# Needs torch + torchvision + numpy + pytest (+ scikit-image for the photo backgrounds); not nbgrader,
# nbformat or ipywidgets. airbench (0.1.8) and the animal silhouettes (animal_mnist 0.4) are taken from
# .gpu-site/ when they are not installed (scripts/prepare_gpu_site.sh fills it). Every step has a time limit, and a failed step does not stop
# the next. Without CUDA (a rehearsal) the gpu tests skip and the benchmark runs its --tiny CPU version.
# Files written to $OUT: env.log, pytest.log, capstone_notebook.log, gpu.log, gpu.json, summary.txt.

cd "$(dirname "$0")/.." || exit 1
OUT=${OUT:-/tmp/device_gpu_check}
mkdir -p "$OUT"
PY=${PYTHON:-python3}
if [ -z "${PYTHON:-}" ] && ! python3 -c "import torch" 2>/dev/null && [ -x .venv/bin/python ]; then
    PY=.venv/bin/python  # rehearsal on the development machine
fi
export PYTHONPATH=".:.gpu-site${PYTHONPATH:+:$PYTHONPATH}"
export PYTHONUNBUFFERED=1
START=$(date +%s)
: > "$OUT/summary.txt"

step() {  # step NAME SECONDS COMMAND...: run with a time limit, log to $OUT/NAME.log, record the exit status
    local name=$1 limit=$2
    shift 2
    echo "=== $name (limit ${limit}s): $*"
    local t0=$(date +%s)
    timeout -k 10 "$limit" "$@" 2>&1 | tee "$OUT/$name.log"
    local rc=${PIPESTATUS[0]}
    local note=""
    [ "$rc" = 124 ] || [ "$rc" = 137 ] && note=" (time limit)"
    echo "$name: exit $rc$note, $(( $(date +%s) - t0 )) s" | tee -a "$OUT/summary.txt"
}

env_report() {
    date -u
    nvidia-smi || echo "nvidia-smi: not available"
    echo "C compiler (Triton and torch.compile need one): $(command -v gcc || command -v cc || echo none)"
    "$PY" - <<'EOF'
import platform, sys
import course.capstone
print("course.capstone imports; nbformat/nbgrader/ipywidgets loaded with it:",
      sorted(m for m in ("nbformat", "nbgrader", "ipywidgets") if m in sys.modules))
import torch, torchvision
print("python", platform.python_version(), sys.executable)
print("torch", torch.__version__, "torchvision", torchvision.__version__, "cuda", torch.version.cuda,
      "cudnn", torch.backends.cudnn.version() if torch.backends.cudnn.is_available() else None)
print("cuda available:", torch.cuda.is_available())
if torch.cuda.is_available():
    print("device:", torch.cuda.get_device_name(0), "capability", torch.cuda.get_device_capability(0),
          "bf16 supported:", torch.cuda.is_bf16_supported())
for name in ("numpy", "skimage", "timm", "pytest", "triton", "airbench", "animal_mnist", "nbformat", "nbgrader"):
    try:
        module = __import__(name)
        print(f"{name}: {getattr(module, '__version__', '?')} ({getattr(module, '__file__', '?')})")
    except Exception as exc:
        print(f"{name}: not importable ({type(exc).__name__}: {exc})")
EOF
}

export -f env_report
export PY
step env 40 bash -c env_report
# --noconftest: tests/conftest.py serves the grading tests, not these; addopts cleared in case they name plugins
step pytest 110 "$PY" -m pytest -m gpu tests/test_capstone.py -q -rs -p no:cacheprovider --noconftest \
    -o addopts="" --durations=10
# the capstone lesson in its full-size mode (CUDA present), offline on the CIFAR-shaped stand-in
step capstone_notebook 150 env COURSE_DATA=offline "$PY" .gpu-site/capstone_notebook.py
step gpu 290 "$PY" benchmarks/gpu.py --out "$OUT/gpu.json" --budget 250 --compile-timeout 150
echo "total: $(( $(date +%s) - START )) s" | tee -a "$OUT/summary.txt"
ls -la "$OUT"
