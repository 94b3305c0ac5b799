"""`GET /types/metadata` over HTTP: the contract as ServiceStack's MetadataTypes document."""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest
import requests

from evokit.contract.build import DEFAULT_OUTPUT, SERVICE_NAME
from evokit.contract.cli import main
from evokit.contract.generate import generate
from evokit.contract.metadata import read_metadata
from evokit.mockserver.http.app import create_app
from tests.mockserver.server import LiveServer, live
from tests.verify.servers import run_cli, serving

__all__ = ["live"]


def test_the_served_document_builds_the_committed_contract(live: LiveServer) -> None:
    response = requests.get(f"{live.url}/types/metadata", timeout=5)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    files = generate(read_metadata(response.json(), service_name=SERVICE_NAME))
    for name, text in files.items():
        assert text == (DEFAULT_OUTPUT / name).read_text(encoding="utf-8")


def test_the_cli_rebuilds_the_contract_from_the_running_mock_without_changes(live: LiveServer, tmp_path: Path) -> None:
    output = tmp_path / "generated"
    shutil.copytree(DEFAULT_OUTPUT, output)
    out, err = io.StringIO(), io.StringIO()
    code = main(["contract", "build", "--metadata", f"{live.url}/types/metadata", "--output", str(output)],
                out=out, err=err)
    assert (code, err.getvalue()) == (0, "")
    assert out.getvalue() == "contract up to date (0 file(s) changed)\n"


def test_a_url_answering_404_is_one_line(live: LiveServer, tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    url = f"{live.url}/types/nothing"
    code = main(["contract", "build", "--metadata", url, "--output", str(tmp_path)], out=out, err=err)
    assert code == 1
    assert err.getvalue() == f"evokit: {url}: answered 404 Not Found, expected 200\n"


def test_check_against_the_running_mock_passes(live: LiveServer) -> None:
    code, out, err = run_cli("contract", "check", "--metadata", f"{live.url}/types/metadata")
    assert (code, err) == (0, "")
    assert out.startswith("contract check: OpenAPI document valid, generated files current")


def served_document() -> bytes:
    """The mock's own `/types/metadata` body."""
    return create_app().test_client().get("/types/metadata").data


# A deliberately broken mock per case: the real app, with `/types/metadata` answered by a body cut
# short (a dropped connection's), or by JSON whose member has the wrong type.
BROKEN_DOCUMENTS = {
    "truncated": (lambda: served_document()[: len(served_document()) // 2], "not JSON: "),
    "malformed": (lambda: json.dumps({"operations": [{"request": {"name": 7}}]}).encode(),
                  "operations[0].request.name: expected a string, got 7"),
}


def broken_mock(body: bytes) -> Callable[..., Iterable[bytes]]:
    app = create_app()

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ["PATH_INFO"] != "/types/metadata":
            return app(environ, start_response)
        start_response("200 OK", [("Content-Type", "application/json; charset=utf-8"),
                                  ("Content-Length", str(len(body)))])
        return [body]

    return wsgi


@pytest.mark.parametrize("case", sorted(BROKEN_DOCUMENTS))
def test_a_broken_document_from_a_url_is_one_line_and_writes_nothing(case: str, tmp_path: Path) -> None:
    body, expected = BROKEN_DOCUMENTS[case]
    with serving(broken_mock(body())) as base:
        url = f"{base}/types/metadata"
        code, out, err = run_cli("contract", "build", "--metadata", url, "--output", str(tmp_path / "out"))
        assert (code, out) == (1, "")
        assert err.startswith(f"evokit: {url}: ") and expected in err and err.count("\n") == 1
        assert "Traceback" not in err and not (tmp_path / "out").exists()
        code, _, err = run_cli("contract", "check", "--metadata", url)
        assert code == 1 and "Traceback" not in err
        problem, summary = err.splitlines()  # check lists each problem, then counts them
        assert problem.startswith(f"{DEFAULT_OUTPUT}: {url}: ") and expected in problem
        assert summary == "contract check: 1 problem(s)"


@pytest.mark.parametrize("case", sorted(BROKEN_DOCUMENTS))
def test_a_broken_document_in_a_file_is_one_line(case: str, tmp_path: Path) -> None:
    body, expected = BROKEN_DOCUMENTS[case]
    document = tmp_path / "metadata.json"
    document.write_bytes(body())
    code, out, err = run_cli("contract", "build", "--metadata", str(document), "--output", str(tmp_path / "out"))
    assert (code, out) == (1, "")
    assert err.startswith(f"evokit: {document}: ") and expected in err and err.count("\n") == 1
    assert not (tmp_path / "out").exists()
