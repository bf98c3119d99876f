"""pytest fixtures: ``simulator`` (a strict in-process simulator per test) and ``api`` (an authenticated session)."""

import pytest
import requests

from . import contract
from .testing import running_simulator

# Every request and response the fast verdict passes is validated by openapi-core too: a
# disagreement fails the test (400 for a request, a recorded violation for a response).
contract.CROSS_CHECK = True


@pytest.fixture
def simulator():
    """A fresh strict simulator on a free port; a response that breaks the spec fails the test."""
    with running_simulator(strict=True, seed=1234) as handle:
        yield handle


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
