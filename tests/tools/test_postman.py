"""A Postman collection converted (openapi-to-postmanv2) from the JSON-only document the mock serves,
and run with newman against the mock: its requests name the mock as their base URL and real
session ids, and every PatchAISession request answers 200, which a test script per request
asserts. Only the operation the mock serves is run (the document holds the whole family)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import requests

from evokit.contract.model import load_contract
from tests.clients.support import SYSADMIN
from tests.mockserver.server import LiveServer, fresh, live
from tests.mockserver.support import SESSION_IDS
from tests.tools.support import node_tools, run_tool

__all__ = ["fresh", "live", "node_tools"]
pytestmark = [pytest.mark.socket, pytest.mark.slow]

STATUS_TEST = {"listen": "test", "script": {"type": "text/javascript", "exec": [
    "pm.test('answers 200', function () { pm.response.to.have.status(200); });",
]}}


def requests_of(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = []
    for item in items:
        found += requests_of(item["item"]) if "item" in item else [item]
    return found


def test_a_converted_collection_reaches_real_sessions_with_newman(fresh: LiveServer, node_tools: Path,
                                                                  tmp_path: Path) -> None:
    document = tmp_path / "openapi.json"
    document.write_text(requests.get(f"{fresh.url}/openapi.json-only.json", timeout=10).text, encoding="utf-8")
    converted = tmp_path / "converted.json"
    done = run_tool(node_tools, "openapi2postmanv2", ["-s", str(document), "-o", str(converted), "-p",
                                                     "-O", "parametersResolution=Example"])
    assert done.returncode == 0, done.stdout + done.stderr
    collection = json.loads(converted.read_text(encoding="utf-8"))
    assert collection["variable"] == [{"key": "baseUrl", "value": fresh.url}]
    summary = load_contract().operation("PatchAISession").description  # the requests' name
    patches = [item for item in requests_of(collection["item"]) if item["name"] == summary]
    assert len(patches) == 3  # the user route, /api/ and /json/reply/; /jsv/reply/ is not JSON
    for item in patches:
        item["event"] = [STATUS_TEST]
    collection["item"] = patches
    run_collection = tmp_path / "patches.json"
    run_collection.write_text(json.dumps(collection), encoding="utf-8")

    report = tmp_path / "newman.json"
    done = run_tool(node_tools, "newman", [
        "run", str(run_collection), "--reporters", "json", "--reporter-json-export", str(report),
        "--env-var", f"basicAuthUsername={SYSADMIN['userName']}",
        "--env-var", f"basicAuthPassword={SYSADMIN['password']}",
    ])
    run = json.loads(report.read_text(encoding="utf-8"))["run"]
    assert done.returncode == 0, done.stdout[-3000:]
    assert [e["response"]["code"] for e in run["executions"]] == [200, 200, 200]
    assert run["stats"]["assertions"] == {"total": 3, "pending": 0, "failed": 0}
    ids = {json.loads(bytes(e["response"]["stream"]["data"]))["id"] for e in run["executions"]}
    assert ids <= set(SESSION_IDS) and ids
