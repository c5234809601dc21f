#!/usr/bin/env bash
# The version matrix: does every stored notebook pass strict nbval on every machine our ranges allow?
#
#   bash tests/matrix.sh                  # all three legs below
#   bash tests/matrix.sh oldest noavx2    # some of them
#
#   oldest  Python 3.10 with the lowest version of every package that requirements.txt allows
#           (each `>=X` bound pinned to `==X`; their own dependencies resolve as pip chooses)
#   newest  Python 3.13 with the newest versions the ranges allow
#   noavx2  the newest set again, with numpy told to use no AVX2, FMA3 or AVX-512 kernels
#           (NPY_DISABLE_CPU_FEATURES), as on an older laptop's CPU
#
# Each leg builds a throwaway virtual environment under $MATRIX_DIR (default: a new folder in /tmp),
# installs the course into it, and runs the whole suite but the browser tests: unit tests plus strict
# nbval over every notebook. It needs the package index (PyPI) the first time; about 3 minutes a leg on
# a 2-core machine. It is too slow for every CI run: run it before you change a pin, a printed number,
# or anything numerical in helpers/, and before a release.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
WORK=${MATRIX_DIR:-$(mktemp -d /tmp/downhill-matrix.XXXXXX)}
mkdir -p "$WORK"

find_python() {  # find_python 3.10: a runnable python3.10 on PATH, else one that pyenv installed
    local v=$1 p
    if python"$v" -c pass 2>/dev/null; then echo "python$v"; return; fi
    for p in "$(pyenv root 2>/dev/null)"/versions/"$v".*/bin/python"$v"; do
        [ -x "$p" ] && { echo "$p"; return; }
    done
    echo "no Python $v found: set PYTHON_OLDEST / PYTHON_NEWEST to one" >&2
    exit 2
}
PYTHON_OLDEST=${PYTHON_OLDEST:-$(find_python 3.10)}
PYTHON_NEWEST=${PYTHON_NEWEST:-$(find_python 3.13)}
legs=("$@")
[ ${#legs[@]} -gt 0 ] || legs=(oldest newest noavx2)

# requirements.txt without the editable install, each lower bound turned into an exact pin
lowest_pins() {
    sed -e 's/#.*//' -e '/^\s*$/d' -e '/^-e/d' -e 's/\s//g' -e 's/>=\([^,]*\).*/==\1/' requirements.txt
}

make_env() {  # make_env DIR PYTHON [pin file]; pip's output goes to DIR.log, shown if it fails
    local dir=$1 python=$2 pins=${3:-}
    if ! _make_env "$@" > "$dir.log" 2>&1; then
        tail -n 30 "$dir.log"; echo "could not build $dir (log: $dir.log)"; exit 1
    fi
}

_make_env() {
    local dir=$1 python=$2 pins=${3:-}
    rm -rf "$dir"
    "$python" -m venv "$dir"
    "$dir/bin/python" -m pip install --quiet --upgrade pip
    if [ -n "$pins" ]; then
        "$dir/bin/python" -m pip install --quiet -r "$pins"
    else
        grep -v '^-e' requirements.txt > "$WORK/newest.txt"
        "$dir/bin/python" -m pip install --quiet --upgrade -r "$WORK/newest.txt"
    fi
    "$dir/bin/python" -m pip install --quiet --no-deps -e "$ROOT"
}

versions() {
    "$1/bin/python" - <<'PY'
import platform
from importlib.metadata import version
names = ["numpy", "matplotlib", "ipywidgets", "ipykernel", "nbval", "pytest", "jupyterlab", "voila"]
print("  python " + platform.python_version() + ", " + ", ".join(f"{n} {version(n)}" for n in names))
PY
}

no_avx2_features() {  # the dispatchable numpy kernels at AVX2 level and above, by numpy's own names
    "$1/bin/python" - <<'PY'
import numpy as np
try:
    from numpy._core._multiarray_umath import __cpu_dispatch__
except ImportError:
    from numpy.core._multiarray_umath import __cpu_dispatch__
high = [f for f in __cpu_dispatch__ if f in {"AVX2", "FMA3", "X86_V3", "X86_V4"} or f.startswith("AVX512")]
print(" ".join(high))
PY
}

run_suite() {  # run_suite DIR [env assignments...]
    local dir=$1; shift
    env "$@" DOWNHILL_REQUIRE_BROWSER=0 "$dir/bin/python" -m pytest -q --ignore=tests/browser \
        2>&1 | tail -n 15
    return "${PIPESTATUS[0]}"
}

declare -A result
for leg in "${legs[@]}"; do
    start=$SECONDS
    echo "== $leg"
    case $leg in
        oldest)
            lowest_pins > "$WORK/lowest.txt"
            make_env "$WORK/oldest" "$PYTHON_OLDEST" "$WORK/lowest.txt"
            versions "$WORK/oldest"
            if run_suite "$WORK/oldest"; then result[$leg]=passed; else result[$leg]=FAILED; fi ;;
        newest|noavx2)
            [ -x "$WORK/newest/bin/python" ] || make_env "$WORK/newest" "$PYTHON_NEWEST"
            versions "$WORK/newest"
            if [ "$leg" = newest ]; then
                if run_suite "$WORK/newest"; then result[$leg]=passed; else result[$leg]=FAILED; fi
            else
                features=$(no_avx2_features "$WORK/newest")
                echo "  NPY_DISABLE_CPU_FEATURES=\"$features\""
                if run_suite "$WORK/newest" NPY_DISABLE_CPU_FEATURES="$features"; then
                    result[$leg]=passed; else result[$leg]=FAILED; fi
            fi ;;
        *) echo "unknown leg '$leg' (oldest, newest, noavx2)"; exit 2 ;;
    esac
    echo "  $leg: ${result[$leg]} in $((SECONDS - start)) s"
done

echo "== matrix (environments in $WORK)"
status=0
for leg in "${legs[@]}"; do
    echo "  $leg: ${result[$leg]}"
    [ "${result[$leg]}" = passed ] || status=1
done
exit $status
