#!/usr/bin/env bash
# Unit test runner with a loud summary.
#
#   run_units.sh collection COLLECTION_DIR PYTHON_VERSION
#       tests/unit via `ansible-test units --local`: the venv's pytest, with
#       ansible-test's collection loader and pytest configuration, no download.
#   run_units.sh simulator REPO_ROOT PYTHON_VERSION
#       the simulator's own suite (tests/simulator/tests) with plain pytest
#       from the repository root (it imports tests.simulator).
#
# A suite with no test file yet is reported as such and passes; a suite with
# test files that runs no test (pytest exit 5, which ansible-test units lets
# pass) fails.
set -euo pipefail

kind=${1:?usage: run_units.sh collection|simulator DIR PYTHON_VERSION}
dir=${2:?directory}
py_version=${3:?python version}
log=$(mktemp)
trap 'rm -f "$log"' EXIT

case "$kind" in
    collection) test_dir=tests/unit ;;
    simulator) test_dir=tests/simulator/tests ;;
    *) echo "run_units.sh: unknown suite $kind" >&2; exit 2 ;;
esac

cd "$dir"
count=$(find "$test_dir" -name 'test_*.py' -type f 2>/dev/null | wc -l)
if [[ $count -eq 0 ]]; then
    echo "units ($kind): NOTHING TO RUN - no test_*.py under $test_dir yet"
    exit 0
fi

status=0
if [[ $kind == collection ]]; then
    ansible-test units --local --python "$py_version" --color no 2>&1 | tee "$log" || status=$?
else
    python -m pytest -p no:cacheprovider "$test_dir" 2>&1 | tee "$log" || status=$?
fi

if [[ $status -ne 0 ]]; then
    echo "units ($kind): FAILED (exit $status)" >&2
    exit "$status"
fi
if grep -Eq 'no tests ran' "$log" || ! grep -Eq '^=+ .*[0-9]+ passed' "$log"; then
    echo "units ($kind): FAILED - $count test file(s) under $test_dir but pytest ran no test" >&2
    exit 1
fi
echo "units ($kind): passed"
