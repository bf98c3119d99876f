"""Access to the running simulator from request handlers."""

from flask import current_app

EXTENSION = "acronis_simulator"


def sim():
    """The Simulator object of the current app (world, settings, log, faults)."""
    return current_app.extensions[EXTENSION]


def world():
    """The World of the current app."""
    return current_app.extensions[EXTENSION].world
