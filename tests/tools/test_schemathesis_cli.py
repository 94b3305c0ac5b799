"""The README's Schemathesis command, run as its own CLI from the repository root against the mock,
reaches real sessions: `schemathesis.toml` draws every `sessionId` from the mock's ids, so most
PATCHes answer 200 (counted in Schemathesis' HAR report), and the run finds no failure.
Fuzzing phase only, to keep the test short; the README's full run adds the coverage phase."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from evokit.contract.build import DEFAULT_OUTPUT
from evokit.contract.generate import OPENAPI_FILE
from tests.mockserver.server import LiveServer, fresh, live
from tests.mockserver.support import SESSION_IDS

__all__ = ["fresh", "live"]
pytestmark = [pytest.mark.socket, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"
ADMIN_BASIC = "Authorization: Basic c3lzYWRtaW46c3lzYWRtaW4="  # sysadmin:sysadmin, as in the README


def test_the_readme_command_reaches_real_sessions(fresh: LiveServer, tmp_path: Path) -> None:
    assert (ROOT / "schemathesis.toml").is_file()
    done = subprocess.run(
        [str(SCHEMATHESIS), "run", str(DEFAULT_OUTPUT / OPENAPI_FILE), "--url", fresh.url, "--checks", "all",
         "--include-operation-id-regex", "^PatchAISession",
         "--exclude-checks", "negative_data_rejection,positive_data_acceptance", "-H", ADMIN_BASIC,
         "--phases", "fuzzing", "--max-examples", "25", "--seed", "1",
         "--report", "har", "--report-dir", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:]
    (har,) = tmp_path.iterdir()
    entries = json.loads(har.read_text(encoding="utf-8"))["log"]["entries"]
    patches = [e for e in entries if e["request"]["method"] == "PATCH"]
    statuses = Counter(e["response"]["status"] for e in patches)
    assert statuses[200] > len(patches) / 2, statuses
    reached = {json.loads(e["response"]["content"]["text"])["id"] for e in patches
               if e["response"]["status"] == 200 and e["response"]["content"]["mimeType"].startswith("application/json")}
    assert reached <= set(SESSION_IDS) and len(reached) > 1
