"""When a login's cookies are made to cross sites, and what they say then (`evokit.mockserver.auth.cookies`)."""

from __future__ import annotations

import pytest

from evokit.mockserver.auth.cookies import crosses_sites, set_cookie_header
from evokit.mockserver.core.replies import Cookie


@pytest.mark.parametrize(("origin", "host", "scheme", "crosses"), [
    ("http://localhost:5173", "127.0.0.1:5000", "http", True),     # a Vite dev server, the banner's address
    ("http://localhost:5173", "localhost:5000", "http", True),     # same site, other origin: harmless there
    ("http://127.0.0.1:5000", "127.0.0.1:5000", "http", False),    # the mock's own page
    ("HTTP://LOCALHOST:5000", "localhost:5000", "http", False),
    (None, "127.0.0.1:5000", "http", False),                       # curl, the official clients
    ("null", "127.0.0.1:5000", "http", False),                     # a file:// page
    ("http://localhost:5173", "[::1]:5000", "http", True),
    ("http://192.168.1.9:5173", "192.168.1.9:5000", "http", False),  # a Secure cookie would be refused there
    ("https://app.example", "mock.example", "https", True),
])
def test_only_a_page_of_another_origin_on_a_trustworthy_mock_gets_cross_site_cookies(
    origin: str | None, host: str, scheme: str, crosses: bool,
) -> None:
    assert crosses_sites(origin, host, scheme) is crosses


def test_a_cross_site_cookie_is_none_secure_partitioned_and_still_http_only() -> None:
    header = set_cookie_header(Cookie("ss-id", "abc"), cross_site=True)
    attributes = {part.strip().split("=")[0].lower() for part in header.split(";")[1:]}
    assert header.startswith("ss-id=abc;")
    assert attributes == {"httponly", "path", "secure", "samesite", "partitioned"} and "SameSite=None" in header


def test_a_same_site_cookie_is_servicestacks_own_and_a_deletion_expires() -> None:
    assert set_cookie_header(Cookie("ss-id", "abc"), cross_site=False) == "ss-id=abc; HttpOnly; Path=/"
    deleted = set_cookie_header(Cookie("ss-id", "", max_age=0), cross_site=True)
    assert "Max-Age=0" in deleted and "Expires=Thu, 01 Jan 1970" in deleted and "Partitioned" in deleted
