#!/usr/bin/env bash
# `make test`: every stage, each timed, with a summary at the end: the full
# suite on the ansible-core of tests/requirements.txt (2.19), the ansible-core
# matrix (2.16, 2.17, 2.18: sanity, units, an integration subset and the
# example onboarding on each), and last the release test, so that the artifact
# is built from a work tree that a demo and every other stage have left their
# files in.
# `run_all.sh --matrix 2.16 [2.17 ...]` (make test-matrix) runs the matrix
# stages of those releases alone.
#
# Two lanes run side by side. CI's machine has 2 CPUs and almost every stage
# keeps one of them busy (one ansible-playbook, one pylint, one pytest), so one
# lane after the other would leave a CPU idle for half an hour. Each lane has
# its own copy of the collection (COLLECTION_ROOT) and its own simulators on
# free ports; the lanes are balanced by the stages' times. A stage NAME@CORE
# runs on that ansible-core and waits until lane B has built venv@CORE.
# Every sanity and unit stage is in lane A, because ansible-test keeps the
# virtual environments of its sanity tests in one place for every release.
#
# A stage's output goes to build/ci/logs/STAGE.log and is printed in one block
# when the stage ends (a line says when it starts). A failing stage does not
# stop the later ones (so one run shows every problem), but makes the whole run
# fail; only a failure to build a virtual environment stops that
# environment's stages.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
repo=$PWD

make_cmd=${MAKE:-make}
matrix_cores=(2.16 2.17 2.18)
lane_a=(sanity units lint docs-lint docs-site ee chaos two-jobs data-centers awx lifecycle-demo molecule)
lane_b=(integration onboarding)
last_stages=(release-test)
if [[ ${1:-} == --matrix ]]; then
    shift
    matrix_cores=("$@")
    lane_a=()
    lane_b=()
    last_stages=()
fi
matrix_venvs=()
matrix_b=()
for core in "${matrix_cores[@]}"; do
    matrix_venvs+=("venv@$core")
    matrix_b+=("integration@$core" "onboarding@$core")
    lane_a+=("units-collection@$core" "sanity@$core")
done
lane_b=("${matrix_venvs[@]}" "${lane_b[@]}" "${matrix_b[@]}")

ci_dir=$repo/build/ci
rm -rf "$ci_dir"
mkdir -p "$ci_dir/logs" "$ci_dir/results"
print_lock=$ci_dir/print.lock

# What the summary needs of a stage: "passed|FAILED|skipped MILLISECONDS" in build/ci/results/STAGE.
record() {
    echo "$2 $3" >"$ci_dir/results/$1"
}

result_of() {
    [[ -f $ci_dir/results/$1 ]] && cut -d' ' -f1 "$ci_dir/results/$1"
}

say() {
    { flock 9; echo "$@"; } 9>"$print_lock"
}

seconds() {
    printf '%d.%01d' $(($1 / 1000)) $(($1 % 1000 / 100))
}

# run_stage STAGE COLLECTION_ROOT: runs `make TARGET [CORE=...]`, prints its log in one block and records the result.
run_stage() {
    local stage=$1 root=$2 target core='' title start status took
    target=${stage%@*}
    [[ $stage == *@* ]] && core=${stage#*@}
    title="$target${core:+ (ansible-core $core)}"
    if [[ -n $core && $target != venv ]]; then
        until [[ -n $(result_of "venv@$core") ]]; do sleep 2; done
        if [[ $(result_of "venv@$core") != passed ]]; then
            say "=================== $title: skipped, its virtual environment was not built"
            record "$stage" skipped 0
            return
        fi
    fi
    say "=================== started: $title"
    start=$(date +%s%N)
    if "$make_cmd" --no-print-directory "$target" ${core:+CORE=$core} COLLECTION_ROOT="$root" \
        >"$ci_dir/logs/$stage.log" 2>&1 </dev/null; then
        status=passed
    else
        status=FAILED
    fi
    took=$(( ($(date +%s%N) - start) / 1000000 ))
    {
        flock 9
        echo
        echo "=================== stage: $title ==================="
        cat "$ci_dir/logs/$stage.log"
        echo "=================== $title: $status in $(seconds "$took") s"
    } 9>"$print_lock"
    record "$stage" "$status" "$took"
}

run_lane() {
    local root=$1 stage
    shift
    for stage in "$@"; do
        run_stage "$stage" "$root"
    done
}

trap 'trap - INT TERM; kill 0' INT TERM
total_start=$(date +%s%N)

# The main virtual environment first: both lanes need it (the simulator runs from it).
run_stage venv "$repo/build"
if [[ $(result_of venv) == passed ]]; then
    run_lane "$repo/build" "${lane_a[@]}" &
    lane_a_pid=$!
    run_lane "$repo/build/lane-b" "${lane_b[@]}" &
    lane_b_pid=$!
    wait "$lane_a_pid" "$lane_b_pid"
    run_lane "$repo/build" "${last_stages[@]}"
fi
total=$(( ($(date +%s%N) - total_start) / 1000000 ))

echo
echo "=================== summary ==================="
main_core=$(.venv/bin/python -c 'import ansible.release as r; print(".".join(r.__version__.split(".")[:2]))' 2>/dev/null || echo main)
passed_count=0
failed_count=0
failed=0
stages_time=0
summarize() {
    local lane=$1 stage target core status took
    shift
    for stage in "$@"; do
        target=${stage%@*}
        core=$main_core
        [[ $stage == *@* ]] && core=${stage#*@}
        if [[ -f $ci_dir/results/$stage ]]; then
            read -r status took <"$ci_dir/results/$stage"
            stages_time=$((stages_time + took))
            printf '  %-4s %-5s %-17s %-7s %7s s\n' "$lane" "$core" "$target" "$status" "$(seconds "$took")"
        else
            status='not run'
            printf '  %-4s %-5s %-17s %-7s\n' "$lane" "$core" "$target" "$status"
        fi
        if [[ $status == passed ]]; then
            passed_count=$((passed_count + 1))
        else
            failed_count=$((failed_count + 1))
            failed=1
        fi
    done
}
summarize - venv
summarize A "${lane_a[@]}"
summarize B "${lane_b[@]}"
summarize - "${last_stages[@]}"
printf '  %-28s %-7s %7s s (wall clock; the stages took %s s one after the other)\n' total \
    "$([[ $failed == 0 ]] && echo passed || echo FAILED)" "$(seconds "$total")" "$(seconds "$stages_time")"
# A plain closing line that CI systems read without knowing each tool's output.
echo "stages: $passed_count passed, $failed_count failed"
exit $failed
