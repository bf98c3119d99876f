#!/usr/bin/env bash
# Run ansible-test integration against one Acronis API simulator.
#
#   run_integration.sh COLLECTION_DIR PYTHON_VERSION [TARGET...]
#
# Starts the simulator on a free port (--port 0) from the repository root,
# waits for its credentials file, writes tests/integration/integration_config.yml
# in the ansible_collections copy (the keys docs/developing.md promises the
# targets, plus a per-run resource_prefix), runs the targets with the venv's Python (--local: no extra venv,
# nothing downloaded), and stops the simulator afterwards, also on failure.
set -euo pipefail

collection_dir=$(cd "${1:?usage: run_integration.sh COLLECTION_DIR PYTHON_VERSION [TARGET...]}" && pwd)
py_version=${2:?python version}
shift 2

repo_root=$(cd "$(dirname "$0")/../.." && pwd)
venv_bin=$(dirname "$(command -v ansible-test)")
work_dir=$(dirname "$(dirname "$(dirname "$collection_dir")")")   # .../build
creds="$work_dir/sim-credentials.json"
sim_log="$work_dir/simulator.log"
config="$collection_dir/tests/integration/integration_config.yml"
# shellcheck source=tests/utils/simulator.sh
. "$repo_root/tests/utils/simulator.sh"
trap simulator_stop EXIT
trap 'exit 130' INT TERM

rm -f "$config"
# SIMULATOR_CMD lets a developer point at another simulator command line;
# SIMULATOR_ARGS adds options to it, e.g. "--latency 0.05" or "--catalog rich".
read -r -a sim_cmd <<< "${SIMULATOR_CMD:-$venv_bin/python -m tests.simulator} ${SIMULATOR_ARGS:-}"
cd "$repo_root"
simulator_start "$creds" "$sim_log" "${sim_cmd[@]}"

write_config() {
"$venv_bin/python" - "$creds" "$config" "$@" <<'PY'
import json, random, sys
import yaml

creds_path, config_path = sys.argv[1:3]
module_path = sys.argv[3:] == ['module-path']
with open(creds_path, encoding='utf-8') as handle:
    creds = json.load(handle)
base_url = creds['base_url'].rstrip('/')
sim_url = creds.get('sim_url') or (base_url[:-len('/api/2')] if base_url.endswith('/api/2') else base_url)
config = {
    'acronis_base_url': base_url,
    'acronis_client_id': creds['client_id'],
    'acronis_client_secret': creds['client_secret'],
    'acronis_tenant_id': creds['tenant_id'],
    'acronis_login': creds['login'],
    'acronis_password': creds['password'],
    'acronis_sim_url': sim_url.rstrip('/'),
    # ansible-test defines resource_prefix for cloud targets only; ours get one
    # per run, in the same form, and append their own suffixes to it.
    'resource_prefix': 'ansible-test-%07d' % random.randrange(10 ** 7),
}
if module_path:
    # The second pass: the modules run as module processes, not in the worker (plugins/plugin_utils/direct.py).
    config['acronis_direct_execution'] = False
with open(config_path, 'w', encoding='utf-8') as handle:
    handle.write('---\n# Written by tests/utils/run_integration.sh from the running simulator.\n')
    yaml.safe_dump(config, handle, default_flow_style=False)
print('integration: simulator at %s, config written to %s%s' % (config['acronis_sim_url'], config_path,
                                                                  ' (direct execution off)' if module_path else ''))
PY
}
write_config

cd "$collection_dir"
status=0
ansible-test integration --local --python "$py_version" --color no "$@" || status=$?
# The full run is repeated for these targets with in-process execution off, so the module path stays tested.
if [[ $# -eq 0 && $status -eq 0 ]]; then
    read -r -a module_path_targets < "$repo_root/tests/integration/module_path_targets.txt"
    echo "integration: again with direct execution off: ${module_path_targets[*]}"
    write_config module-path
    ansible-test integration --local --python "$py_version" --color no "${module_path_targets[@]}" || status=$?
fi
if [[ $status -ne 0 ]]; then
    echo "integration: FAILED (ansible-test exit $status); simulator log: $sim_log" >&2
fi
exit $status
