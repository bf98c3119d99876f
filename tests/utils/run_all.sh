#!/usr/bin/env bash
# `make test`: every stage in turn, each timed. A failing stage does not stop
# the later ones (so one run shows every problem), but makes the whole run
# fail; only a failure to build the virtual environment stops at once.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

make_cmd=${MAKE:-make}
stages=(venv sanity units lint docs-lint docs-site ee integration chaos awx release-test molecule)
declare -A took result
failed=0
total_start=$(date +%s%N)

for stage in "${stages[@]}"; do
    echo
    echo "=================== stage: $stage ==================="
    start=$(date +%s%N)
    if "$make_cmd" --no-print-directory "$stage"; then
        result[$stage]=passed
    else
        result[$stage]=FAILED
        failed=1
    fi
    took[$stage]=$(( ($(date +%s%N) - start) / 1000000 ))
    echo "=================== $stage: ${result[$stage]} in $(printf '%d.%01d' $((took[$stage] / 1000)) $((took[$stage] % 1000 / 100))) s"
    if [[ $stage == venv && ${result[$stage]} == FAILED ]]; then
        break
    fi
done

total=$(( ($(date +%s%N) - total_start) / 1000000 ))
echo
echo "=================== summary ==================="
for stage in "${stages[@]}"; do
    if [[ -n ${result[$stage]:-} ]]; then
        printf '  %-12s %-7s %7d.%01d s\n' "$stage" "${result[$stage]}" $((took[$stage] / 1000)) $((took[$stage] % 1000 / 100))
    else
        printf '  %-12s %-7s\n' "$stage" 'not run'
    fi
done
printf '  %-12s %-7s %7d.%01d s\n' total "$([[ $failed == 0 ]] && echo passed || echo FAILED)" $((total / 1000)) $((total % 1000 / 100))
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
