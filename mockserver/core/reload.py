"""`--reload`: the fixture files re-read when they change, without a restart.

A thread polls the modification times and sizes of the fixture folder's JSON files (no
dependency, and it works on every file system, mounted folders of a container included). On a
change the whole folder is loaded and checked as on start-up; only a folder that passes replaces
the served data, so a half-saved or broken file keeps the previous data and prints its error.

What a reload does: the stored sessions become the new fixture sessions (changes made through the
API are dropped, as on `POST /__mock/reset`), the users, accounts and usage records are the new
ones; logins stay, so a browser tab stays logged in (a session of a removed user is anonymous).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from evokit.mockserver.auth.caller import UserDirectory
from evokit.mockserver.core.errors import FixtureError
from evokit.mockserver.core.fixtures import Fixtures, load_fixtures
from evokit.mockserver.core.operation import ID
from evokit.mockserver.core.state import MockState

# Seconds between two looks at the folder: quicker than switching from the editor to the browser.
POLL_INTERVAL = 0.5
Snapshot = dict[str, tuple[int, int]]


def snapshot(folder: Path) -> Snapshot:
    """File name -> (mtime in ns, size) of every JSON file of `folder`; empty if it is gone."""
    found: Snapshot = {}
    try:
        paths = sorted(folder.glob("*.json"))
    except OSError:
        return found
    for path in paths:
        try:
            stat = path.stat()
        except OSError:  # removed between the listing and the stat
            continue
        found[path.name] = (stat.st_mtime_ns, stat.st_size)
    return found


def changed_files(before: Snapshot, after: Snapshot) -> list[str]:
    """The names added, removed or modified between two snapshots, sorted."""
    return sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))


def replace_fixtures(mock: MockState, fixtures: Fixtures) -> None:
    """Serve `fixtures` from now on (see the module docstring for what changes)."""
    users = UserDirectory(fixtures.users)
    mock.fixtures = fixtures
    mock.users = users
    mock.authenticator.users = users
    mock.store.reset((record[ID], record) for record in fixtures.sessions)


class FixtureWatcher:
    """Polls `mock.config.fixtures`; reloads on a change and reports each outcome in one line."""

    def __init__(self, mock: MockState, *, report: Callable[[str], None], interval: float = POLL_INTERVAL) -> None:
        self.mock = mock
        self.folder = mock.config.fixtures
        self.report = report
        self.interval = interval
        self.seen = snapshot(self.folder)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="evokit-fixture-reload", daemon=True)

    def check(self) -> bool | None:
        """Look once: None when nothing changed, True after a reload, False when the new files
        were refused (the previous data is kept)."""
        now = snapshot(self.folder)
        changed = changed_files(self.seen, now)
        if not changed:
            return None
        self.seen = now
        names = ", ".join(changed)
        try:
            fixtures = load_fixtures(self.folder, self.mock.contract, self.mock.rules)
        except FixtureError as exc:
            self.report(f"evokit mock: {names} changed, not reloaded (keeping the previous data): {exc}")
            return False
        replace_fixtures(self.mock, fixtures)
        self.report(f"evokit mock: {names} changed, reloaded {len(fixtures.sessions)} sessions and "
                    f"{len(fixtures.users)} users from {self.folder}")
        return True

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.check()
            except Exception as exc:  # a bug here must not end reloading for the rest of the day
                self.report(f"evokit mock: fixture reload failed: {type(exc).__name__}: {exc}")
