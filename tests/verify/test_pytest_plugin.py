"""The pytest plugin, run in a child pytest: items per suite with --evokit-base-url, nothing without."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from evokit.contract.verify.config import SUITES
from tests.verify.broken_servers import by_name
from tests.verify.servers import serving

REPO = Path(__file__).resolve().parents[2]
PLUGIN = "evokit.contract.verify.pytest_plugin"


def child_pytest(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """pytest in `folder` (no project config) with the plugin loaded and warnings as errors."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    env.pop("PYTEST_ADDOPTS", None)
    # Load exactly this plugin, whether or not the installed package also registers it.
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    command = [sys.executable, "-m", "pytest", "-p", PLUGIN, "-p", "no:cacheprovider", "-W", "error",
               "--rootdir", str(folder), "-c", os.devnull, *args]
    return subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True, timeout=300, check=False)


def test_without_a_base_url_the_plugin_adds_nothing(tmp_path: Path) -> None:
    (tmp_path / "test_one.py").write_text("def test_one():\n    assert True\n", encoding="utf-8")
    result = child_pytest(tmp_path, "-q")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout and "evokit" not in result.stdout


@pytest.mark.socket
@pytest.mark.slow
def test_one_passing_item_per_suite_against_the_mock(tmp_path: Path, mock_url: str) -> None:
    result = child_pytest(tmp_path, "-v", "-m", "evokit", "--evokit-base-url", mock_url,
                          "--evokit-seed", "3", "--evokit-max-examples", "3")
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(SUITES)} passed" in result.stdout
    for suite in SUITES:
        assert f"evokit-verify::{suite} PASSED" in result.stdout


@pytest.mark.socket
def test_a_broken_rule_fails_its_suite_with_the_finding(tmp_path: Path) -> None:
    with serving(by_name()["no_challenge"].build()) as url:
        result = child_pytest(tmp_path, "-q", "--evokit-base-url", url, "-k", "auth", "--evokit-max-examples", "2")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "FAILURE §3 www-authenticate" in result.stdout
    assert "1 failed" in result.stdout


def test_bad_options_are_usage_errors(tmp_path: Path) -> None:
    result = child_pytest(tmp_path, "--evokit-base-url", "http://127.0.0.1:1", "--evokit-admin-auth", "Basic x")
    assert result.returncode == 4
    assert "evokit:" in result.stderr and "go together" in result.stderr


def _short(result: subprocess.CompletedProcess[str]) -> str:
    text = result.stdout + result.stderr
    assert "Traceback" not in text and "_pytest" not in text and "site-packages" not in text, text
    assert len(text.splitlines()) < 40, text
    return text


@pytest.mark.socket
def test_an_unreachable_server_is_one_short_failure_per_item(tmp_path: Path) -> None:
    from tests.verify.test_cli import free_port

    result = child_pytest(tmp_path, "-q", "--evokit-base-url", f"http://127.0.0.1:{free_port()}")
    assert result.returncode == 1
    text = _short(result)
    assert f"{len(SUITES)} failed" in text
    assert text.count("evokit: cannot reach") >= len(SUITES)


@pytest.mark.socket
def test_a_flaky_server_is_one_short_failure_per_item(tmp_path: Path) -> None:
    from evokit.mockserver import MockConfig, create_app
    from tests.verify.hostile_servers import hostile_proxy

    with serving(create_app(MockConfig())) as mock, hostile_proxy(mock.removeprefix("http://"), "reset",
                                                                   every=4) as hostile:
        result = child_pytest(tmp_path, "-q", "--evokit-base-url", hostile.url,  # type: ignore[attr-defined]
                              "--evokit-max-examples", "2", "--evokit-timeout", "2")
    assert result.returncode == 1
    text = _short(result)
    assert "FAILURE §5 no-server-error" in text
