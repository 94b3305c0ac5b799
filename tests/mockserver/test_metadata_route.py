"""`GET /types/metadata` over HTTP: the contract as ServiceStack's MetadataTypes document."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import requests

from contract.build import DEFAULT_OUTPUT, SERVICE_NAME
from contract.cli import main
from contract.generate import generate
from contract.metadata import read_metadata
from tests.mockserver.server import LiveServer, live

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
