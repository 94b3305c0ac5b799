"""Plugin module of the tool tests: the pinned npm tools of `node/` (installed with `npm ci` from
`node/package-lock.json` when they are missing), and the contract's two OpenAPI profiles.

The tools are run as a new user would run them, from their own command lines; only their JSON
output and their exit status are read, never their wording."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest

from evokit.contract.build import DEFAULT_OUTPUT
from evokit.contract.generate import OPENAPI_FILE
from evokit.contract.profiles import JSON_ONLY_FILE

HERE = Path(__file__).parent
NODE_DIR = HERE / "node"
BIN = NODE_DIR / "node_modules" / ".bin"
NODE, NPM = shutil.which("node"), shutil.which("npm")
PROFILES = {"full": DEFAULT_OUTPUT / OPENAPI_FILE, "json-only": DEFAULT_OUTPUT / JSON_ONLY_FILE}


def _installed() -> bool:
    """Every pinned package is installed at its pinned version."""
    pinned = json.loads((NODE_DIR / "package.json").read_text(encoding="utf-8"))["dependencies"]
    for name, version in pinned.items():
        manifest = NODE_DIR / "node_modules" / name / "package.json"
        if not manifest.is_file() or json.loads(manifest.read_text(encoding="utf-8"))["version"] != version:
            return False
    return True


@pytest.fixture(scope="session")
def node_tools() -> Path:
    """The folder of the tools' executables; skipped only without node and npm."""
    if NODE is None or NPM is None:
        pytest.skip("node and npm are not installed; the OpenAPI tools cannot run")
    if not _installed():  # already installed (offline runs, `.ci/run`): nothing to fetch
        done = subprocess.run([NPM, "ci", "--no-audit", "--no-fund", "--prefer-offline"], cwd=NODE_DIR,
                              capture_output=True, text=True, timeout=600, check=False)
        assert done.returncode == 0, f"npm ci failed:\n{done.stdout}\n{done.stderr}"
    assert _installed()
    return BIN


def run_tool(tools: Path, name: str, args: Sequence[str], *, cwd: Path = HERE, timeout: float = 120,
             ) -> subprocess.CompletedProcess[str]:
    """Run one of the tools to completion."""
    return subprocess.run([str(tools / name), *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, check=False)
