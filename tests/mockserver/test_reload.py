"""`--reload`: a changed fixture file is served without a restart; a broken one keeps the old data."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest
import requests

from evokit.mockserver.core.config import DEFAULT_FIXTURES, MockConfig
from evokit.mockserver.core.reload import FixtureWatcher, changed_files, snapshot
from evokit.mockserver.http.app import create_app
from evokit.mockserver.http.serve import state_of
from tests.mockserver.server import start, stop

SESSIONS_FILE = "AISessionInfo.json"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    copy = tmp_path / "fixtures"
    shutil.copytree(DEFAULT_FIXTURES, copy)
    return copy


def rewrite(path: Path, change: object) -> None:
    """Rewrite a JSON list with `change` applied to its first item (a dict to merge)."""
    document = json.loads(path.read_text())
    document[0].update(change)
    path.write_text(json.dumps(document))


def test_snapshots_tell_added_removed_and_modified_files(folder: Path) -> None:
    before = snapshot(folder)
    (folder / "usage.json").unlink()
    (folder / "extra.json").write_text("[]")
    rewrite(folder / SESSIONS_FILE, {"purpose": "a longer purpose than before"})
    assert changed_files(before, snapshot(folder)) == [SESSIONS_FILE, "extra.json", "usage.json"]
    assert changed_files(before, before) == []


def watched(folder: Path) -> tuple[FixtureWatcher, list[str]]:
    app = create_app(MockConfig(fixtures=folder, reload=True))
    lines: list[str] = []
    return FixtureWatcher(state_of(app), report=lines.append), lines


def test_a_changed_session_file_replaces_the_sessions_and_says_so(folder: Path) -> None:
    watcher, lines = watched(folder)
    assert watcher.check() is None and lines == []
    first = json.loads((folder / SESSIONS_FILE).read_text())[0]["id"]
    rewrite(folder / SESSIONS_FILE, {"purpose": "Edited in the fixture file"})
    assert watcher.check() is True
    assert watcher.mock.store.get(first)["purpose"] == "Edited in the fixture file"  # type: ignore[index]
    assert len(lines) == 1 and lines[0].startswith(f"evokit mock: {SESSIONS_FILE} changed, reloaded ")
    assert watcher.check() is None


def test_a_changed_password_is_the_one_that_works(folder: Path) -> None:
    watcher, _ = watched(folder)
    rewrite(folder / "users.json", {"password": "new-secret"})
    assert watcher.check() is True
    name = json.loads((folder / "users.json").read_text())[0]["userName"]
    assert watcher.mock.users.verify(name, "new-secret") is not None
    assert watcher.mock.authenticator.users.verify(name, "new-secret") is not None


def test_a_broken_file_keeps_the_previous_data_and_prints_the_error(folder: Path) -> None:
    watcher, lines = watched(folder)
    before = watcher.mock.store.get(json.loads((folder / SESSIONS_FILE).read_text())[0]["id"])
    (folder / SESSIONS_FILE).write_text('[{"id": ')
    assert watcher.check() is False
    assert lines[0].startswith(f"evokit mock: {SESSIONS_FILE} changed, not reloaded (keeping the previous data): ")
    assert str(folder) in lines[0].partition("): ")[2]  # the start-up check's own one-line refusal
    assert watcher.mock.store.get(str(before["id"])) == before  # type: ignore[index]


@pytest.mark.socket
def test_a_running_mock_with_reload_serves_the_edited_file(folder: Path) -> None:
    server = start(["--reload", "--fixtures", str(folder)])
    try:
        assert "options: reload fixtures on change" in "\n".join(server.banner)
        sid = json.loads((folder / SESSIONS_FILE).read_text())[0]["id"]
        rewrite(folder / SESSIONS_FILE, {"purpose": "Picked up without a restart"})
        deadline = time.monotonic() + 20
        while True:
            purpose = requests.get(f"{server.url}/__mock/sessions/{sid}", timeout=5).json()["purpose"]
            if purpose == "Picked up without a restart" or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        output = server.output()
    finally:
        stop(server.process)
    assert purpose == "Picked up without a restart"
    assert f"evokit mock: {SESSIONS_FILE} changed, reloaded " in output
