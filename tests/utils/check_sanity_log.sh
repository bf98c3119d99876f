#!/usr/bin/env bash
# Fail when ansible-test sanity skipped a test, so that "passed" always means
# "every sanity test ran". ansible-test reports skips as warnings such as
# "WARNING: Skipping sanity test "X" ..." or "... tests were skipped ...", and a test whose
# program is missing as "Required program "X" not found."
set -euo pipefail
log=${1:?usage: check_sanity_log.sh SANITY_LOG}
# A missing program (e.g. shellcheck) is only a warning for ansible-test too.
if grep -Ei "skipp(ed|ing)|Required program .* not found" "$log"; then
    echo "sanity: the lines above show skipped sanity tests; every test must run" >&2
    exit 1
fi
echo "sanity: no sanity test was skipped"
