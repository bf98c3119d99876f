#!/usr/bin/env bash
# `make test`: every stage in turn, each timed: the full suite on the ansible-core
# of tests/requirements.txt (2.19), then the ansible-core matrix (2.16, 2.17,
# 2.18: sanity, units, an integration subset and the example onboarding on
# each), and last the release test, so that the artifact is built from a work
# tree that a demo and every other stage have left their files in.
# `run_all.sh --matrix 2.16 [2.17 ...]` (make test-matrix) runs the matrix
# stages of those releases alone.
#
# A failing stage does not stop the later ones (so one run shows every
# problem), but makes the whole run fail; only a failure to build a virtual
# environment stops that environment's stages.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

make_cmd=${MAKE:-make}
main_stages=(venv sanity units lint docs-lint docs-site ee integration chaos two-jobs data-centers awx onboarding molecule)
matrix_stages=(venv sanity units-collection integration onboarding)
matrix_cores=(2.16 2.17 2.18)

last_stages=(release-test)

# A stage is "target" (on the main .venv) or "target@CORE".
if [[ ${1:-} == --matrix ]]; then
    shift
    matrix_cores=("$@")
    main_stages=()
    last_stages=()
fi
stages=("${main_stages[@]}")
for core in "${matrix_cores[@]}"; do
    for stage in "${matrix_stages[@]}"; do
        stages+=("$stage@$core")
    done
done
stages+=("${last_stages[@]}")

declare -A took result
failed=0
total_start=$(date +%s%N)

for stage in "${stages[@]}"; do
    target=${stage%@*}
    core=
    [[ $stage == *@* ]] && core=${stage#*@}
    if [[ -n $core && ${result[venv@$core]:-} == FAILED ]]; then
        continue
    fi
    echo
    echo "=================== stage: $target${core:+ (ansible-core $core)} ==================="
    start=$(date +%s%N)
    if "$make_cmd" --no-print-directory "$target" ${core:+CORE=$core}; then
        result[$stage]=passed
    else
        result[$stage]=FAILED
        failed=1
    fi
    took[$stage]=$(( ($(date +%s%N) - start) / 1000000 ))
    echo "=================== $target${core:+ (ansible-core $core)}: ${result[$stage]} in $(printf '%d.%01d' $((took[$stage] / 1000)) $((took[$stage] % 1000 / 100))) s"
    if [[ $stage == venv && ${result[$stage]} == FAILED ]]; then
        break
    fi
done

total=$(( ($(date +%s%N) - total_start) / 1000000 ))
echo
echo "=================== summary ==================="
main_core=$(.venv/bin/python -c 'import ansible.release as r; print(".".join(r.__version__.split(".")[:2]))' 2>/dev/null || echo main)
for stage in "${stages[@]}"; do
    target=${stage%@*}
    core=$main_core
    [[ $stage == *@* ]] && core=${stage#*@}
    if [[ -n ${result[$stage]:-} ]]; then
        printf '  %-5s %-17s %-7s %7d.%01d s\n' "$core" "$target" "${result[$stage]}" $((took[$stage] / 1000)) $((took[$stage] % 1000 / 100))
    else
        printf '  %-5s %-17s %-7s\n' "$core" "$target" 'not run'
    fi
done
printf '  %-23s %-7s %7d.%01d s\n' total "$([[ $failed == 0 ]] && echo passed || echo FAILED)" $((total / 1000)) $((total % 1000 / 100))
passed_count=0
failed_count=0
for stage in "${stages[@]}"; do
    case ${result[$stage]:-not run} in
        passed) passed_count=$((passed_count + 1)) ;;
        *) failed_count=$((failed_count + 1)) ;;
    esac
done
# A plain closing line that CI systems read without knowing each tool's output.
echo "stages: $passed_count passed, $failed_count failed"
exit $failed
