"""The README's table of served paths is the one the routes give (tests/simulator/routes.py)."""

from .. import routes
from ..app import Settings, create_app


def test_readme_lists_every_served_path():
    with open(routes.README, encoding="utf-8") as stream:
        current = routes.readme_table(stream.read())
    assert current is not None, "README.md lost its served-paths markers"
    assert current == routes.table(create_app(Settings(seed=0))), (
        "tests/simulator/README.md's served paths differ from the routes: "
        "run python -m tests.simulator.routes --write")


def test_counts_add_up_to_the_table():
    app = create_app(Settings(seed=0))
    ops = routes.operations(app)
    assert {service: len(items) for service, items in ops.items()} == \
        {service: served + omitted for service, (served, omitted) in routes.counts(app).items()}
    assert routes.service_of("/_sim/state") is None and routes.service_of("/static/x") is None
