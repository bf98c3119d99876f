"""python -m tests.simulator --port 8765 --credentials-out sim-credentials.json"""

import argparse
import logging
import signal
import sys

from .app import Settings
from .catalog import CATALOGS, DEFAULT_CATALOG
from .server import SimulatorServer


def _seconds(text):
    """A number of seconds, 0 or more."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError("%r is not a number of seconds" % text) from None
    if not 0 <= value <= 3600:
        raise argparse.ArgumentTypeError("%r is not from 0 to 3600 seconds" % text)
    return value


def parse_args(argv=None):
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m tests.simulator",
                                     description="A local simulator of the Acronis Account Management API v2.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8765, help="port; 0 picks a free one (default 8765)")
    parser.add_argument("--credentials-out", metavar="FILE",
                        help="write base_url, client_id, client_secret, tenant_id, login, password to FILE")
    parser.add_argument("--state", metavar="FILE", help="load the world from FILE and keep it there across restarts")
    parser.add_argument("--seed", type=int, help="make ids, secrets and generated data deterministic")
    parser.add_argument("--token-ttl", type=int, default=7200, metavar="SECONDS",
                        help="lifetime of access tokens (default 7200)")
    parser.add_argument("--search-lag", type=float, default=0.0, metavar="SECONDS",
                        help="delay before writes show in GET /search (default 0)")
    parser.add_argument("--report-delay", type=float, default=2.0, metavar="SECONDS",
                        help="time a stored report stays in_progress (default 2)")
    parser.add_argument("--latency", type=_seconds, default=0.0, metavar="SECONDS",
                        help="delay every request under /api/ by this much before handling it, as the network to "
                             "a data center would (never /_sim; default 0)")
    parser.add_argument("--latency-jitter", type=_seconds, default=0.0, metavar="SECONDS",
                        help="vary each delay by a uniform draw in [-SECONDS, +SECONDS], never below 0 (default 0)")
    parser.add_argument("--catalog", choices=sorted(CATALOGS), default=DEFAULT_CATALOG,
                        help="the world's offering: " + "; ".join(c.describe() for c in CATALOGS.values()))
    parser.add_argument("--task-duration", type=_seconds, default=0.0, metavar="SECONDS",
                        help="how long a backup task that a plan starts takes: enqueued, started, then completed "
                             "(default 0: done by the next request)")
    parser.add_argument("--synthetic-monitoring", type=int, default=0, metavar="N",
                        help="add N generated tasks (and 2N/3 alerts) per partner and customer, for paging tests "
                             "(default 0: tasks, activities and alerts come only from the world)")
    parser.add_argument("--strict", dest="strict", action="store_true", default=True,
                        help="validate every request and response against the specification (default)")
    parser.add_argument("--no-strict", dest="strict", action="store_false", help="skip the validation")
    parser.add_argument("--quiet", action="store_true", help="do not log each request")
    return parser.parse_args(argv)


def settings_from_args(args):
    """The Settings of a parsed command line."""
    return Settings(seed=args.seed, strict=args.strict, token_ttl=args.token_ttl, search_lag=args.search_lag,
                    state_file=args.state, report_delay=args.report_delay, latency=args.latency,
                    latency_jitter=args.latency_jitter, catalog=args.catalog, task_duration=args.task_duration,
                    synthetic_monitoring=args.synthetic_monitoring)


def main(argv=None):
    """Start the simulator and serve until interrupted."""
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    if args.quiet:
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
    settings = settings_from_args(args)

    def _stop(_signum, _frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _stop)
    server = SimulatorServer(settings, host=args.host, port=args.port)
    if args.credentials_out:
        server.write_credentials(args.credentials_out)
    print("Acronis API simulator: %s/api/2 (admin: %s/_sim/requests)" % (server.base_url, server.base_url),
          flush=True)
    print("catalog %s, latency %g s (jitter %g s), strict %s"
          % (settings.catalog, settings.latency, settings.latency_jitter, settings.strict), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
