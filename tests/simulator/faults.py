"""Fault injection: per method and path, at a rate, deterministic from a seed, with an optional limit."""

import fnmatch
import random
import re
import socket
import struct
import threading

KINDS = ("429", "500", "502", "503", "slow", "drop", "lost_response")


class FaultRule:
    """One rule: which requests, which fault, how often, how many times."""

    def __init__(self, spec):
        if not isinstance(spec, dict):
            raise ValueError("a fault rule must be an object")
        self.method = str(spec.get("method", "*")).upper()
        self.path = spec.get("path", "*")
        self.regex = None
        if spec.get("regex") or str(self.path).startswith("re:"):
            self.regex = re.compile(str(self.path)[3:] if str(self.path).startswith("re:") else self.path)
        self.fault = str(spec.get("fault", ""))
        if self.fault not in KINDS:
            raise ValueError("unknown fault %r (one of %s)" % (self.fault, ", ".join(KINDS)))
        self.rate = float(spec.get("rate", 1.0))
        if not 0.0 <= self.rate <= 1.0:
            raise ValueError("rate must be between 0 and 1")
        self.times = spec.get("times")
        if self.times is not None:
            self.times = int(self.times)
        self.delay = float(spec.get("delay", 1.0))
        self.retry_after = int(spec.get("retry_after", 1))
        self.lost_as = str(spec.get("as", "502"))
        if self.lost_as not in ("502", "reset"):
            raise ValueError("lost_response 'as' must be '502' or 'reset'")
        self.spec = dict(spec)
        self.fired = 0

    def matches(self, method, path):
        """True when the rule covers this request."""
        if self.method not in ("*", method.upper()):
            return False
        if self.regex is not None:
            return bool(self.regex.search(path))
        return fnmatch.fnmatchcase(path, self.path)

    def describe(self):
        """The rule as given, plus how often it fired."""
        return dict(self.spec, fired=self.fired)


class FaultInjector:
    """The active rules; picks the fault for each request."""

    def __init__(self):
        self.lock = threading.Lock()
        self.rules = []
        self.rng = random.Random(0)
        self.seed = None

    def configure(self, rules, seed=None):
        """Replace the rules (validated first, so a bad rule leaves the old ones)."""
        parsed = [FaultRule(rule) for rule in rules]
        with self.lock:
            self.rules = parsed
            self.seed = seed
            self.rng = random.Random(seed if seed is not None else 0)

    def clear(self):
        """Switch fault injection off."""
        with self.lock:
            self.rules = []

    def describe(self):
        """The active rules."""
        with self.lock:
            return {"seed": self.seed, "rules": [rule.describe() for rule in self.rules]}

    def pick(self, method, path):
        """The rule that fires for this request, or None."""
        with self.lock:
            for rule in self.rules:
                if not rule.matches(method, path):
                    continue
                if rule.times is not None and rule.fired >= rule.times:
                    continue
                if self.rng.random() < rule.rate:
                    rule.fired += 1
                    return rule
            return None


def reset_connection(environ):
    """Close the client's socket at once, with an RST (SO_LINGER 0), so the client sees a reset."""
    sock = environ.get("werkzeug.socket")
    if sock is None:
        return False
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        # Shut down both ways: werkzeug still holds file objects on the socket, so a close()
        # would be deferred; its own close later sends the RST thanks to SO_LINGER 0.
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    return True
