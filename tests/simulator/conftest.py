"""pytest fixtures: ``simulator`` (a strict in-process simulator per test) and ``api`` (an authenticated session)."""

import pytest
import requests

from . import contract
from .testing import running_simulator

# Every request and response the fast verdict passes is validated by openapi-core too: a
# disagreement fails the test (400 for a request, a recorded violation for a response).
contract.CROSS_CHECK = True


def pytest_configure(config):
    """The marker that chooses the simulator's settings."""
    config.addinivalue_line("markers", "simulator(**settings): settings of the test's simulator, e.g. "
                                       "@pytest.mark.simulator(catalog=\"rich\", latency=0.05)")


@pytest.fixture
def simulator(request):
    """A fresh strict simulator on a free port; a response that breaks the spec fails the test.

    ``@pytest.mark.simulator(catalog="rich", ...)`` passes settings to ``running_simulator``
    (strict mode cannot be switched off this way).
    """
    marker = request.node.get_closest_marker("simulator")
    settings = dict(marker.kwargs) if marker else {}
    settings.pop("strict", None)
    settings.setdefault("seed", 1234)
    with running_simulator(strict=True, **settings) as handle:
        yield handle


@pytest.fixture
def session(simulator):
    """A session on the data-center root (``session.base``) with the seed client's bearer token: for the services outside /api/2."""
    with requests.Session() as http:
        http.headers["Authorization"] = "Bearer " + simulator.token()
        http.base = simulator.base_url
        yield http


class ApiSession(requests.Session):
    """A requests session bound to the simulator's /api/2 with the seed client's bearer token."""

    def __init__(self, handle, token):
        super().__init__()
        self.api_url = handle.api_url
        self.headers["Authorization"] = "Bearer " + token

    def request(self, method, url, *args, **kwargs):  # pylint: disable=arguments-differ
        if url.startswith("/"):
            url = self.api_url + url
        kwargs.setdefault("timeout", 10)
        return super().request(method, url, *args, **kwargs)


@pytest.fixture
def api(simulator):
    """A session authenticated as the root partner's API client."""
    session = ApiSession(simulator, simulator.token())
    yield session
    session.close()
