"""Fixtures of the verifier's tests: a fresh mock server on 127.0.0.1, and its base URL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from evokit.mockserver import MockConfig, create_app
from tests.verify.servers import serving


@pytest.fixture
def mock_url() -> Iterator[str]:
    """A fresh mock (fixture data, no run yet) served in a thread."""
    with serving(create_app(MockConfig())) as url:
        yield url
