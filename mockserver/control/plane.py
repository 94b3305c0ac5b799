"""`ControlPlane`: the state the control plane adds to a mock app, beside its `MockState`.

Kept in `app.extensions[EXTENSION]` (never a module global), shared by the WSGI middleware that
fills it (journal, faults) and the `/__mock/` views that read and change it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from flask import Flask, current_app

from evokit.mockserver.control.faults import FaultBook
from evokit.mockserver.control.journal import Journal

if TYPE_CHECKING:
    from evokit.mockserver.core.backend import FaultRules, RequestJournal

EXTENSION = "evokit.mock.control"
# Every control call's path starts with this; nothing of the contract's does.
PREFIX = "/__mock"
# The header a control call presents the `--control-token` in.
TOKEN_HEADER = "X-Mock-Token"


def is_control_path(path: str) -> bool:
    """Whether `path` is the control plane's (`/__mock` or below)."""
    return path.startswith(PREFIX) and (len(path) == len(PREFIX) or path[len(PREFIX)] == "/")


@dataclass
class ControlPlane:
    """The journal and the faults: in this process (`Journal`, `FaultBook`) or shared by every
    process on one store (`evokit.mockserver.shared`)."""

    journal: Journal | RequestJournal
    faults: FaultBook | FaultRules = field(default_factory=FaultBook)

    def reset(self) -> None:
        """No faults, an empty journal."""
        self.faults.clear()
        self.journal.clear()


def plane_of(app: Flask | None = None) -> ControlPlane:
    """The `ControlPlane` of `app` (by default the current app)."""
    return (app or current_app).extensions[EXTENSION]  # type: ignore[no-any-return]
