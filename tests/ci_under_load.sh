#!/usr/bin/env bash
# Does CI pass on a busy machine? Run `bash .ci/run` from fresh clones of HEAD, N times in a row,
# while two busy loops keep both cores loaded, and report each run's result and time.
#
#   bash tests/ci_under_load.sh [N]      # default 5
#
# Each run is a new clone in a new folder under /tmp (so it creates and installs its own .venv, as CI
# does), with ../shared beside it when this checkout has one. The busy loops are started and stopped
# by their PIDs; they end with this script, whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
N=${1:-5}
WORK=$(mktemp -d /tmp/downhill-load.XXXXXX)
REV=$(git rev-parse HEAD)   # every run tests this commit, even if main moves on meanwhile

pids=()
stop_load() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap stop_load EXIT
for _ in 1 2; do
    python3 -c "while True: pass" &
    pids+=($!)
done
echo "commit $REV; busy loops: ${pids[*]} on $(nproc) cores; runs in $WORK"

status=0
for i in $(seq 1 "$N"); do
    dir="$WORK/run$i/main"
    mkdir -p "$WORK/run$i"
    git clone --quiet "$ROOT" "$dir"
    git -C "$dir" checkout --quiet "$REV"
    [ -d "$ROOT/../shared" ] && ln -s "$(cd "$ROOT/../shared" && pwd)" "$WORK/run$i/shared"
    start=$SECONDS
    if (cd "$dir" && CI=true bash .ci/run > "$WORK/run$i.log" 2>&1 < /dev/null); then
        result=passed
    else
        result=FAILED; status=1
    fi
    summary=$(grep -E "^[0-9]+ (passed|failed)|[0-9]+ passed|[0-9]+ failed" "$WORK/run$i.log" | tail -n 1)
    echo "run $i: $result in $((SECONDS - start)) s   ${summary}   (log: $WORK/run$i.log)"
done
exit $status
