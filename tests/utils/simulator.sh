# shellcheck shell=bash
# Run the bundled Acronis API simulator for the length of a script.
# Source this file from the repository root, then:
#
#   simulator_start CREDENTIALS LOG COMMAND...
#       runs `COMMAND --port 0 --credentials-out CREDENTIALS` in the background,
#       its output in LOG; waits up to 30 s for the credentials file and sets
#       SIMULATOR_PID. When the simulator does not come up it prints LOG and
#       returns 1.
#   simulator_stop
#       stops it (SIGTERM, then SIGKILL after 5 s). Safe to call twice; meant
#       for an EXIT trap, so the simulator stops also when a step fails.

SIMULATOR_PID=

simulator_start() {
    local creds=$1 log=$2 _try
    shift 2
    rm -f "$creds"
    "$@" --port 0 --credentials-out "$creds" >"$log" 2>&1 &
    SIMULATOR_PID=$!
    for _try in $(seq 1 300); do
        # The simulator renames the file into place once it is complete.
        [[ -s $creds ]] && return 0
        if ! kill -0 "$SIMULATOR_PID" 2>/dev/null; then
            echo "the simulator exited before writing $creds; its output:" >&2
            cat "$log" >&2
            return 1
        fi
        sleep 0.1
    done
    echo "no credentials file from the simulator after 30 s; its output:" >&2
    cat "$log" >&2
    return 1
}

# shellcheck disable=SC2317  # called through an EXIT trap
simulator_stop() {
    local _try
    if [[ -n $SIMULATOR_PID ]] && kill -0 "$SIMULATOR_PID" 2>/dev/null; then
        kill "$SIMULATOR_PID" 2>/dev/null || true
        for _try in $(seq 1 50); do
            kill -0 "$SIMULATOR_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill -9 "$SIMULATOR_PID" 2>/dev/null || true
        echo "simulator (pid $SIMULATOR_PID) stopped"
    fi
    SIMULATOR_PID=
}
