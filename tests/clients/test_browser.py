"""A real browser calls the mock cross-origin: headless Chromium loads a page from another origin (a
second small HTTP server) whose `fetch` PATCHes with JSON and credentials, so the browser sends a
CORS preflight first. The page writes the outcome into the DOM (`--dump-dom`); the mock's journal
shows what reached it."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlencode

import pytest
import requests

from tests.clients.support import SID, SYSADMIN, fresh, live
from tests.mockserver.server import HOST, LiveServer, start, stop

__all__ = ["fresh", "live"]
pytestmark = pytest.mark.socket

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PAGE_DIR = Path(__file__).parent / "browser"
RESULT = re.compile(r'<pre id="result">(.*?)</pre>', re.DOTALL)
PURPOSE = "Set from the browser: ✓ {a, b} \"quoted\""

requires_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium is not installed (Debian: apt-get install -y chromium)"
)


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def pages() -> Iterator[tuple[str, str]]:
    """Two static servers of `browser/` on other ports of 127.0.0.1: two origins besides the mock's."""
    handler = partial(QuietHandler, directory=str(PAGE_DIR))
    servers = [ThreadingHTTPServer((HOST, 0), handler) for _ in range(2)]
    threads = [threading.Thread(target=s.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True) for s in servers]
    for thread in threads:
        thread.start()
    try:
        yield tuple(f"http://{HOST}:{s.server_address[1]}" for s in servers)  # type: ignore[misc]
    finally:
        for s in servers:
            s.shutdown()
            s.server_close()


def browse(url: str, profile: Path) -> dict[str, object]:
    """Load `url` in headless Chromium and return what the page wrote into `#result`."""
    assert CHROMIUM is not None
    command = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={profile}",
        # Virtual time stands still while fetches are pending, so the DOM is dumped after they end.
        "--virtual-time-budget=15000", "--dump-dom", url,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=90, check=False)
    found = RESULT.search(done.stdout)
    assert found is not None, f"no result in the page (exit {done.returncode}): {done.stdout[-500:]} {done.stderr[-1500:]}"
    return json.loads(html.unescape(found[1]))  # type: ignore[no-any-return]


def page_url(origin: str, api: str, mode: str) -> str:
    query = {"api": api, "sid": SID, "user": SYSADMIN["userName"], "pass": SYSADMIN["password"], "purpose": PURPOSE, "mode": mode}
    return f"{origin}/page.html?{urlencode(query)}"


def journal(server: LiveServer) -> list[tuple[object, ...]]:
    entries = requests.get(f"{server.url}/__mock/requests", timeout=5).json()
    return [(e["method"], e["path"], e["status"], e.get("user")) for e in entries]


@requires_chromium
def test_preflight_and_basic_auth_patch_from_another_origin(fresh: LiveServer, pages: tuple[str, str], tmp_path: Path) -> None:
    requests.delete(f"{fresh.url}/__mock/requests", timeout=5).raise_for_status()
    result = browse(page_url(pages[0], fresh.url, "basic"), tmp_path)
    assert result == {"steps": [{"name": "patch", "status": 200}], "id": SID, "purpose": PURPOSE}
    path = f"/ai/sessions/{SID}"
    assert journal(fresh) == [("OPTIONS", path, 200, None), ("PATCH", path, 200, SYSADMIN["userName"])]
    stored = requests.get(f"{fresh.url}/__mock/sessions/{SID}", timeout=5).json()
    assert stored["purpose"] == PURPOSE


@pytest.fixture(scope="module")
def dev_server_page() -> Iterator[str]:
    """A static server of `browser/` reached as `http://localhost:PORT`, as a Vite dev server is:
    another site than the mock at `http://127.0.0.1:PORT` (sites ignore ports, not host names)."""
    server = ThreadingHTTPServer((HOST, 0), partial(QuietHandler, directory=str(PAGE_DIR)))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@requires_chromium
def test_cookie_login_from_a_dev_server_on_another_site(dev_server_page: str, tmp_path: Path) -> None:
    # Without SameSite=None; Secure; Partitioned the login answered 200 and the PATCH 401: the
    # browser kept the cookie from the cross-site fetch that followed.
    mock = start(["--cors-origin", dev_server_page])
    try:
        result = browse(page_url(dev_server_page, mock.url, "cookie"), tmp_path)
        calls = journal(mock)
    finally:
        stop(mock.process)
    assert result == {
        "steps": [{"name": "login", "status": 200}, {"name": "patch", "status": 200}],
        "userName": SYSADMIN["userName"], "id": SID, "purpose": PURPOSE,
    }
    assert calls[-1] == ("PATCH", f"/ai/sessions/{SID}", 200, SYSADMIN["userName"])


@pytest.fixture(scope="module")
def allow_listed(pages: tuple[str, str]) -> Iterator[LiveServer]:
    """A mock that lets only the first page origin in, with credentials (`--cors-origin`)."""
    started = start(["--cors-origin", pages[0]])
    try:
        yield started
    finally:
        stop(started.process)


@requires_chromium
def test_cookie_login_from_an_allow_listed_origin(allow_listed: LiveServer, pages: tuple[str, str], tmp_path: Path) -> None:
    allow_listed.reset()
    result = browse(page_url(pages[0], allow_listed.url, "cookie"), tmp_path)
    assert result == {
        "steps": [{"name": "login", "status": 200}, {"name": "patch", "status": 200}],
        "userName": SYSADMIN["userName"], "id": SID, "purpose": PURPOSE,
    }
    path = f"/ai/sessions/{SID}"
    assert journal(allow_listed) == [
        ("OPTIONS", "/auth/credentials", 200, None), ("POST", "/auth/credentials", 200, None),
        ("OPTIONS", path, 200, None), ("PATCH", path, 200, SYSADMIN["userName"]),  # the cookie carried the session
    ]


@requires_chromium
def test_an_origin_off_the_list_is_refused_by_the_browser(allow_listed: LiveServer, pages: tuple[str, str], tmp_path: Path) -> None:
    allow_listed.reset()
    result = browse(page_url(pages[1], allow_listed.url, "basic"), tmp_path)
    assert result["steps"] == [] and result["error"] == "TypeError: Failed to fetch"
    # The preflight reached the mock and was answered without Access-Control-Allow-Origin; the
    # browser then never sent the PATCH.
    assert journal(allow_listed) == [("OPTIONS", f"/ai/sessions/{SID}", 200, None)]
