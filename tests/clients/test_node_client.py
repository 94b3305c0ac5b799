"""ServiceStack's JavaScript client (`@servicestack/client` from npm) under Node against the running
mock: a credentials login whose `ss-id` cookie the client carries itself, the same session in the
`X-ss-id` header, `client.patch` with a request DTO on `/api/PatchAISession`, and the errors it
throws for 403, 404 and the anonymous 401. `node/client.mjs` does the calls; this test installs
the pinned package (`npm ci`, from `node/package-lock.json`), runs it, and checks its report."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import requests

from tests.clients.support import CUSTOMER, SID, SYSADMIN, fresh, live
from tests.mockserver.server import LiveServer

__all__ = ["fresh", "live"]
pytestmark = pytest.mark.socket

NODE_DIR = Path(__file__).parent / "node"
NODE, NPM = shutil.which("node"), shutil.which("npm")
PACKAGE = "@servicestack/client"


def pinned_version() -> str:
    return str(json.loads((NODE_DIR / "package.json").read_text(encoding="utf-8"))["dependencies"][PACKAGE])


def installed_version() -> str | None:
    manifest = NODE_DIR / "node_modules" / PACKAGE / "package.json"
    return json.loads(manifest.read_text(encoding="utf-8"))["version"] if manifest.is_file() else None


@pytest.fixture(scope="module")
def node_client() -> Path:
    """The script's folder with the pinned client installed; skipped only without node and npm."""
    if NODE is None or NPM is None:
        pytest.skip("node and npm are not installed; the JavaScript client cannot run")
    if installed_version() != pinned_version():  # already installed (offline runs): nothing to fetch
        done = subprocess.run([NPM, "ci", "--no-audit", "--no-fund", "--prefer-offline"], cwd=NODE_DIR,
                              capture_output=True, text=True, timeout=300, check=False)
        assert done.returncode == 0, f"npm ci failed:\n{done.stdout}\n{done.stderr}"
    assert installed_version() == pinned_version()
    return NODE_DIR


def test_servicestack_js_client_end_to_end(fresh: LiveServer, node_client: Path) -> None:
    config = {"baseUrl": fresh.url, "sessionId": SID, "admin": [SYSADMIN["userName"], SYSADMIN["password"]],
              "denied": [CUSTOMER["userName"], CUSTOMER["password"]]}
    assert NODE is not None
    done = subprocess.run([NODE, "client.mjs", json.dumps(config)], cwd=node_client,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])

    login = report["login"]
    assert (login["userName"], login["roles"], login["manageCookies"]) == (SYSADMIN["userName"], SYSADMIN["roles"], True)
    # Kept by the client from Set-Cookie, with the permanent id and the options cookie beside it.
    assert login["cookies"]["ss-id"] == login["sessionId"] and login["cookies"]["ss-opt"] == "temp"
    assert login["cookies"]["ss-pid"] not in (None, login["sessionId"])
    modified_by = SYSADMIN["userId"]
    assert report["patched"] == {"id": SID, "purpose": "from node, by cookie", "lastModifiedBy": modified_by}
    assert report["patchedByHeader"] == {"id": SID, "purpose": "from node, by X-ss-id", "lastModifiedBy": modified_by}
    # A text 403 (CONTRACT.md section 3) has no ResponseStatus to read: the client reports the status.
    assert report["forbidden"] == {"thrown": True, "errorCode": "403", "message": "Forbidden"}
    assert report["notFound"] == {"thrown": True, "errorCode": "NotFound",
                                  "message": "AI session 'no-such-session' not found", "errors": []}
    assert report["anonymous"] == {"thrown": True, "errorCode": "401", "message": "Unauthorized"}

    seen = [(e["method"], e["path"], e["status"], e.get("user"))
            for e in requests.get(f"{fresh.url}/__mock/requests", timeout=5).json()]
    assert seen == [
        ("POST", "/api/Authenticate", 200, None),
        ("PATCH", "/api/PatchAISession", 200, SYSADMIN["userName"]),  # by the cookie
        ("PATCH", "/api/PatchAISession", 200, SYSADMIN["userName"]),  # by X-ss-id
        ("PATCH", "/api/PatchAISession", 403, CUSTOMER["userName"]),
        ("PATCH", "/api/PatchAISession", 404, SYSADMIN["userName"]),
        ("PATCH", "/api/PatchAISession", 401, None),
    ]
