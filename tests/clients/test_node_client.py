"""ServiceStack's JavaScript client (`@servicestack/client` from npm) under Node against the running
mock, with no hand-written DTO: the test fetches the mock's `/types/typescript` ("Add ServiceStack
Reference"), compiles it with `node/client.ts` under `tsc --strict`, and runs the result once: a
credentials login whose `ss-id` cookie the client carries itself, the same session in the `X-ss-id`
header, `client.patch` and `client.send` with the generated request DTO on `/api/PatchAISession`,
the errors it throws for 403, 404 and the anonymous 401; then the whole AI-session family on the
cookie: GetAuthStatus, NewAISession, ListAISessions (by `specificIds`, paged, by account),
GetAISession, PatchAISession, ApplyAISession, DeleteAISessionAction, ClearAISessionActions,
DeleteAISession (void, then a 404) and GetAIUsage. The pinned packages (`npm ci`, from
`node/package-lock.json`) include the TypeScript compiler."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.clients.support import CUSTOMER, SID, SYSADMIN, live, sorted_usage, usage_rows
from tests.mockserver.family import ACCOUNTS, USAGE, WITH_PENDING
from tests.mockserver.server import LiveServer
from tests.mockserver.support import SESSION_IDS, SESSIONS

__all__ = ["live"]
pytestmark = [pytest.mark.socket, pytest.mark.slow]  # tsc takes seconds a compile

NODE_DIR = Path(__file__).parent / "node"
NODE, NPM = shutil.which("node"), shutil.which("npm")
PACKAGES = ("@servicestack/client", "typescript")
NO_CHECK = "// @ts-nocheck\n"
# A range that holds the records of more than one account, and leaves some out.
USAGE_RANGE = ("2024-05-02", "2024-05-03")
ACCOUNT_ID = str(SYSADMIN["accountIds"][0])  # type: ignore[index]


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
    config = {"baseUrl": live.url, "sessionId": SID, "pendingId": WITH_PENDING["id"],
              "admin": [SYSADMIN["userName"], SYSADMIN["password"]],
              "denied": [CUSTOMER["userName"], CUSTOMER["password"]], "usageRange": USAGE_RANGE}
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
    assert report["forbidden"] == {"thrown": True, "status": 403, "errorCode": "403", "message": "Forbidden"}
    assert report["notFound"] == {"thrown": True, "status": 404, "errorCode": "NotFound",
                                  "message": "AI session 'no-such-session' not found", "errors": []}
    assert report["anonymous"] == {"thrown": True, "status": 401, "errorCode": "401", "message": "Unauthorized"}
    assert journal[3:6] == [
        ("PATCH", "/api/PatchAISession", 403, CUSTOMER["userName"]),
        ("PATCH", "/api/PatchAISession", 404, SYSADMIN["userName"]),
        ("PATCH", "/api/PatchAISession", 401, None),
    ]


def test_get_a_session_and_a_page_of_the_list_with_the_generated_dtos(
        run: tuple[dict[str, Any], list[tuple[Any, ...]]]) -> None:
    report, journal = run
    assert journal[6:8] == [("GET", "/api/GetAISession", 200, SYSADMIN["userName"]),
                           ("GET", "/api/ListAISessions", 200, SYSADMIN["userName"])]
    assert report["got"] == {"id": SID, "purpose": "from node, by X-ss-id", "lastModifiedBy": SYSADMIN["userId"]}
    listed = report["listed"]
    assert (len(listed["items"]), listed["totalCount"], listed["hasMorePages"]) == (2, len(SESSIONS), True)
    assert all(set(item) == {"id", "purpose", "lastModifiedBy"} and item["id"] for item in listed["items"])


# The whole family, on the login's cookie (steps 8-14 of client.ts).
FAMILY_JOURNAL = [
    ("GET", "/api/GetAuthStatus", 200), ("POST", "/api/NewAISession", 200),
    *[("GET", "/api/ListAISessions", 200)] * 4,
    ("GET", "/api/GetAISession", 200), ("PATCH", "/api/PatchAISession", 200), ("GET", "/api/GetAISession", 200),
    ("GET", "/api/GetAISession", 200), ("POST", "/api/ApplyAISession", 200),
    ("DELETE", "/api/DeleteAISessionAction", 200), ("DELETE", "/api/DeleteAISessionAction", 404),
    ("DELETE", "/api/ClearAISessionActions", 200), ("GET", "/api/GetAISession", 200),
    ("DELETE", "/api/DeleteAISession", 204), ("GET", "/api/GetAISession", 404), ("GET", "/api/ListAISessions", 200),
    ("POST", "/api/GetAIUsage", 200), ("GET", "/api/GetAIUsage", 200),
]


def test_the_family_goes_over_the_pre_defined_routes_with_the_dtos_verbs(
        run: tuple[dict[str, Any], list[tuple[Any, ...]]]) -> None:
    _, journal = run
    assert [entry[:3] for entry in journal[8:]] == FAMILY_JOURNAL
    assert {entry[3] for entry in journal[8:]} == {SYSADMIN["userName"]}  # every call by the cookie


def test_get_auth_status_names_the_user_and_the_accounts_to_pick_from(
        run: tuple[dict[str, Any], list[tuple[Any, ...]]]) -> None:
    report, _ = run
    names = {account["id"]: account["name"] for account in ACCOUNTS}
    account_ids = list(SYSADMIN["accountIds"])  # type: ignore[call-overload]
    assert report["status"] == {
        "id": SYSADMIN["userId"], "isAuthenticated": True, "roles": SYSADMIN["roles"],
        "accountIds": account_ids, "accountNames": [names[i] for i in account_ids],
    }


def test_a_new_session_is_listed_read_patched_and_deleted(run: tuple[dict[str, Any], list[tuple[Any, ...]]]) -> None:
    report, _ = run
    created = report["created"]
    new_id = created["id"]
    assert len(new_id) == 24 and int(new_id, 16) >= 0 and new_id not in SESSION_IDS
    account_name = next(account["name"] for account in ACCOUNTS if account["id"] == ACCOUNT_ID)
    assert (created["accountId"], created["accountName"], created["purpose"]) == (ACCOUNT_ID, account_name,
                                                                                  "created by node")
    assert created["createdBy"] == created["lastModifiedBy"] == SYSADMIN["userId"]
    assert created["dateCreated"] == created["dateLastModified"]
    # specificIds picks the pair out of the whole list; the default order puts the older fixture first.
    assert report["pages"] == [
        {"ids": [WITH_PENDING["id"]], "totalCount": 2, "totalPages": 2, "hasMorePages": True},
        {"ids": [new_id], "totalCount": 2, "totalPages": 2, "hasMorePages": False},
    ]
    everything = report["allBefore"]
    assert (sorted(everything["ids"]), everything["totalCount"]) == (sorted([*SESSION_IDS, new_id]), len(SESSIONS) + 1)
    of_account = sorted([s["id"] for s in SESSIONS if s["accountId"] == ACCOUNT_ID] + [new_id])
    assert (sorted(report["ofAccount"]["ids"]), report["ofAccount"]["totalCount"]) == (of_account, len(of_account))
    modified_by = SYSADMIN["userId"]
    assert report["gotCreated"] == {"id": new_id, "purpose": "created by node", "lastModifiedBy": modified_by}
    assert report["patchedCreated"] == report["gotPatched"] == {"id": new_id, "purpose": "patched by node",
                                                                "lastModifiedBy": modified_by}
    # DeleteAISession is IReturnVoid: the 204 resolves to nothing, then the session is gone.
    assert report["deleted"] == {"returned": "undefined"}
    gone = report["getDeleted"]
    assert (gone["thrown"], gone["status"], gone["errorCode"], gone["errors"]) == (True, 404, "NotFound", [])
    assert new_id in gone["message"]
    after = report["allAfter"]
    assert (sorted(after["ids"]), after["totalCount"]) == (sorted(SESSION_IDS), len(SESSIONS))


def test_apply_then_delete_one_action_then_clear_them(run: tuple[dict[str, Any], list[tuple[Any, ...]]]) -> None:
    report, _ = run
    pending_id = WITH_PENDING["id"]
    fixture = [{"id": a["id"], "canBeApplied": a["canBeApplied"]} for a in WITH_PENDING["actions"]]
    assert report["beforeApply"] == {"id": pending_id, "actions": fixture, "log": WITH_PENDING.get("log")}
    applied = report["applied"]
    assert applied["actions"] == [{"id": a["id"], "canBeApplied": False} for a in fixture]
    # One line per action it applied (section 8), each naming the function the action called.
    pending = [a for a in WITH_PENDING["actions"] if a["canBeApplied"]]
    lines = applied["log"].splitlines()
    assert len(lines) == len(pending) and all(a["functionName"] in line for a, line in zip(pending, lines))
    assert report["actionDeleted"] == {"id": pending_id, "actions": applied["actions"][1:], "log": applied["log"]}
    again = report["actionDeletedAgain"]
    assert (again["thrown"], again["status"], again["errorCode"]) == (True, 404, "NotFound")
    assert report["cleared"] == report["afterClear"] == {"id": pending_id, "actions": [], "log": applied["log"]}


def test_ai_usage_by_account_in_the_body_and_by_dates_in_the_query(
        run: tuple[dict[str, Any], list[tuple[Any, ...]]]) -> None:
    report, _ = run
    of_account = [r for r in USAGE if r["accountId"] == ACCOUNT_ID]
    in_range = [r for r in USAGE if USAGE_RANGE[0] <= r["date"][:10] <= USAGE_RANGE[1]]  # bare dates: whole days
    assert len({r["accountId"] for r in in_range}) > 1 and len(in_range) < len(USAGE)
    assert sorted_usage(report["usageOfAccount"]) == usage_rows(of_account)
    assert sorted_usage(report["usageInRange"]) == usage_rows(in_range)
