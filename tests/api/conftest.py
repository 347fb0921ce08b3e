"""The API suite runs on every backend."""

import pytest

from tests.conftest import BACKEND_URLS


@pytest.fixture(params=sorted(BACKEND_URLS))
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)
