"""ServiceStack's JavaScript client (`@servicestack/client` from npm) under Node against the running
mock, with no hand-written DTO: the test fetches the mock's `/types/typescript` ("Add ServiceStack
Reference"), compiles it with `node/client.ts` under `tsc --strict`, and runs the result: a
credentials login whose `ss-id` cookie the client carries itself, the same session in the `X-ss-id`
header, `client.patch` and `client.send` with the generated request DTO on `/api/PatchAISession`,
the errors it throws for 403, 404 and the anonymous 401, a GetAISession and a page of
ListAISessions. The pinned packages
(`npm ci`, from `node/package-lock.json`) include the TypeScript compiler."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.clients.support import CUSTOMER, SID, SYSADMIN, live
from tests.mockserver.server import LiveServer
from tests.mockserver.support import SESSIONS

__all__ = ["live"]
pytestmark = [pytest.mark.socket, pytest.mark.slow]  # tsc takes seconds a compile

NODE_DIR = Path(__file__).parent / "node"
NODE, NPM = shutil.which("node"), shutil.which("npm")
PACKAGES = ("@servicestack/client", "typescript")
NO_CHECK = "// @ts-nocheck\n"


def pinned_version(package: str) -> str:
    return str(json.loads((NODE_DIR / "package.json").read_text(encoding="utf-8"))["dependencies"][package])


def installed_version(package: str) -> str | None:
    manifest = NODE_DIR / "node_modules" / package / "package.json"
    return json.loads(manifest.read_text(encoding="utf-8"))["version"] if manifest.is_file() else None


def installed() -> bool:
    return all(installed_version(package) == pinned_version(package) for package in PACKAGES)


@pytest.fixture(scope="module")
def node_dir() -> Path:
    """The client's folder with the pinned packages installed; skipped only without node and npm."""
    if NODE is None or NPM is None:
        pytest.skip("node and npm are not installed; the JavaScript client cannot run")
    if not installed():  # already installed (offline runs): nothing to fetch
        done = subprocess.run([NPM, "ci", "--no-audit", "--no-fund", "--prefer-offline"], cwd=NODE_DIR,
                              capture_output=True, text=True, timeout=300, check=False)
        assert done.returncode == 0, f"npm ci failed:\n{done.stdout}\n{done.stderr}"
    assert installed()
    return NODE_DIR


def tsc(node_dir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    assert NODE is not None
    compiler = node_dir / "node_modules" / "typescript" / "bin" / "tsc"
    return subprocess.run([NODE, str(compiler), *args], cwd=cwd, capture_output=True, text=True, timeout=180,
                          check=False)


@pytest.fixture(scope="module")
def project(live: LiveServer, node_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`client.ts` beside the mock's `dtos.ts`, as a frontend developer's project holds them."""
    folder = tmp_path_factory.mktemp("node-client")
    for name in ("client.ts", "tsconfig.json", "package.json"):
        shutil.copy(node_dir / name, folder / name)
    (folder / "node_modules").symlink_to(node_dir / "node_modules", target_is_directory=True)
    response = requests.get(f"{live.url}/types/typescript", timeout=10)
    assert response.status_code == 200
    (folder / "dtos.ts").write_text(response.text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def run(live: LiveServer, node_dir: Path, project: Path) -> Iterator[tuple[dict[str, Any], list[tuple[Any, ...]]]]:
    """The compiled client's report and the mock's journal of its requests, from one run."""
    compiled = tsc(node_dir, "-p", ".", "--strict", cwd=project)
    assert (compiled.returncode, compiled.stdout) == (0, ""), compiled.stdout
    live.reset()
    config = {"baseUrl": live.url, "sessionId": SID, "admin": [SYSADMIN["userName"], SYSADMIN["password"]],
              "denied": [CUSTOMER["userName"], CUSTOMER["password"]]}
    assert NODE is not None
    done = subprocess.run([NODE, "out/client.js", json.dumps(config)], cwd=project,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    journal = [(e["method"], e["path"], e["status"], e.get("user"))
               for e in requests.get(f"{live.url}/__mock/requests", timeout=5).json()]
    yield json.loads(done.stdout.strip().splitlines()[-1]), journal
    live.reset()


def test_the_served_dtos_compile_under_tsc_strict_with_zero_errors(node_dir: Path, project: Path) -> None:
    dtos = (project / "dtos.ts").read_text(encoding="utf-8")
    assert NO_CHECK in dtos  # as ServiceStack writes it
    done = tsc(node_dir, "--strict", "--noEmit", "--target", "es2022", "dtos.ts", cwd=project)
    assert (done.returncode, done.stdout) == (0, "")
    # Without ServiceStack's `// @ts-nocheck` too: every type checks, and the only leniency needed is
    # for the value-type members it declares without an initializer (the constructor's
    # `Object.assign` sets them, which TypeScript cannot see).
    (project / "checked.ts").write_text(dtos.replace(NO_CHECK, ""), encoding="utf-8")
    done = tsc(node_dir, "--strict", "--strictPropertyInitialization", "false", "--noEmit", "--target", "es2022",
               "checked.ts", cwd=project)
    assert (done.returncode, done.stdout) == (0, "")


def test_the_checker_is_not_blind(node_dir: Path, project: Path) -> None:
    """The same compile fails on a request DTO whose response type does not match its marker."""
    broken = (project / "dtos.ts").read_text(encoding="utf-8").replace(NO_CHECK, "").replace(
        "implements IReturn<AISessionInfo>, IPatch", "implements IReturn<AIUsage>, IPatch")
    (project / "broken.ts").write_text(broken, encoding="utf-8")
    done = tsc(node_dir, "--strict", "--strictPropertyInitialization", "false", "--noEmit", "--target", "es2022",
               "broken.ts", cwd=project)
    assert done.returncode != 0 and "broken.ts" in done.stdout


def test_login_and_patch_with_the_generated_dtos(run: tuple[dict[str, Any], list[tuple[Any, ...]]]) -> None:
    report, journal = run
    login = report["login"]
    assert (login["userName"], login["roles"], login["manageCookies"]) == (SYSADMIN["userName"], SYSADMIN["roles"], True)
    # Kept by the client from Set-Cookie, with the permanent id and the options cookie beside it.
    assert login["cookies"]["ss-id"] == login["sessionId"] and login["cookies"]["ss-opt"] == "temp"
    assert login["cookies"]["ss-pid"] not in (None, login["sessionId"])
    modified_by = SYSADMIN["userId"]
    assert report["patched"] == {"id": SID, "purpose": "from node, by cookie", "lastModifiedBy": modified_by}
    assert report["patchedByHeader"] == {"id": SID, "purpose": "from node, by X-ss-id", "lastModifiedBy": modified_by}
    assert journal[:3] == [
        ("POST", "/api/Authenticate", 200, None),
        ("PATCH", "/api/PatchAISession", 200, SYSADMIN["userName"]),  # by the cookie
        ("PATCH", "/api/PatchAISession", 200, SYSADMIN["userName"]),  # by X-ss-id, the verb from getMethod()
    ]


def test_the_client_throws_for_403_404_and_the_anonymous_401(run: tuple[dict[str, Any], list[tuple[Any, ...]]]) -> None:
    report, journal = run
    # A text 403 (CONTRACT.md section 3) has no ResponseStatus to read: the client reports the status.
    assert report["forbidden"] == {"thrown": True, "errorCode": "403", "message": "Forbidden"}
    assert report["notFound"] == {"thrown": True, "errorCode": "NotFound",
                                  "message": "AI session 'no-such-session' not found", "errors": []}
    assert report["anonymous"] == {"thrown": True, "errorCode": "401", "message": "Unauthorized"}
    assert journal[3:6] == [
        ("PATCH", "/api/PatchAISession", 403, CUSTOMER["userName"]),
        ("PATCH", "/api/PatchAISession", 404, SYSADMIN["userName"]),
        ("PATCH", "/api/PatchAISession", 401, None),
    ]


def test_get_a_session_and_a_page_of_the_list_with_the_generated_dtos(
        run: tuple[dict[str, Any], list[tuple[Any, ...]]]) -> None:
    report, journal = run
    assert journal[6:] == [("GET", "/api/GetAISession", 200, SYSADMIN["userName"]),
                           ("GET", "/api/ListAISessions", 200, SYSADMIN["userName"])]
    assert report["got"] == {"id": SID, "purpose": "from node, by X-ss-id", "lastModifiedBy": SYSADMIN["userId"]}
    listed = report["listed"]
    assert (len(listed["items"]), listed["totalCount"], listed["hasMorePages"]) == (2, len(SESSIONS), True)
    assert all(set(item) == {"id", "purpose", "lastModifiedBy"} and item["id"] for item in listed["items"])
