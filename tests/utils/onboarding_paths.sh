#!/usr/bin/env bash
# `make onboarding [CORE=2.16]`: the example onboarding on one ansible-core, on
# both execution paths.
#
#   onboarding_paths.sh ANSIBLE_BIN
#
# Runs demo/run_demo.sh - preview with --check --diff (no write), apply, apply
# again (changed=0 on every customer, no write), read back - twice, each
# against a fresh simulator, with the ansible commands of ANSIBLE_BIN:
#
#   direct  the modules run in the task's worker process (the default);
#   module  they run as module processes (ACRONIS_DIRECT_EXECUTION=false).
#
# Every playbook runs at -vvv, where the action plugin says which path each
# module task took; a run in which any task took the other path fails. The
# direct run of the main .venv works in .demo/, exactly like `make demo` (so
# the release test that follows sees the work tree a demo leaves); the others
# under build/onboarding/. The simulator runs from VENV_BIN (default .venv/bin).
set -euo pipefail

ansible_bin=$(cd "${1:?usage: onboarding_paths.sh ANSIBLE_BIN}" && pwd)
repo=$(cd "$(dirname "$0")/../.." && pwd)
venv_bin=$(cd "${VENV_BIN:-$repo/.venv/bin}" && pwd)
version=$("$ansible_bin/python" -c 'from ansible.release import __version__; print(__version__)')
out=$repo/build/onboarding
mkdir -p "$out"

fail() {
    echo "onboarding: FAILED on ansible-core $version: $*" >&2
    exit 1
}

for path in direct module; do
    if [[ $path == direct && $ansible_bin == "$venv_bin" ]]; then
        work=$repo/.demo
    else
        work=$out/$version-$path
    fi
    log=$out/$version-$path.log
    switch=$([[ $path == direct ]] && echo true || echo false)
    echo "== ansible-core $version, modules run $([[ $path == direct ]] && echo 'in the worker process' || echo 'as module processes'): log in $log"
    if ! ACRONIS_DIRECT_EXECUTION=$switch ANSIBLE_BIN=$ansible_bin VENV_BIN=$venv_bin DEMO_WORK=$work \
        DEMO_ANSIBLE_ARGS=-vvv bash "$repo/demo/run_demo.sh" >"$log" 2>&1; then
        tail -40 "$log" >&2
        fail "the demo failed on the $path path (above, the end of $log)"
    fi
    in_worker=$(grep -c ': running in the worker process (direct execution)' "$log" || true)
    as_module=$(grep -c ': running as a module (direct execution is switched off' "$log" || true)
    other=$(grep -c ': running as a module (' "$log" || true)
    other=$((other - as_module))
    if [[ $path == direct ]]; then
        [[ $in_worker -gt 0 && $as_module == 0 && $other == 0 ]] \
            || fail "$in_worker module tasks ran in the worker, $((as_module + other)) as modules (-vvv lines in $log)"
    else
        [[ $as_module -gt 0 && $in_worker == 0 && $other == 0 ]] \
            || fail "$as_module module tasks ran as modules, $in_worker in the worker (-vvv lines in $log)"
    fi
    grep -E '^simulator log for ' "$log" | sed 's/^/   /'
    echo "   $((in_worker + as_module)) module tasks, each on the $path path (-vvv)"
done
echo "onboarding: passed on ansible-core $version, both execution paths"
