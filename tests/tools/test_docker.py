"""The root `Dockerfile`: the image builds, serves the default fixtures on the published port, and
stops on `docker stop` with its stop line. Skipped, with the reason, where Docker cannot run."""

from __future__ import annotations

import secrets
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import requests

from tests.mockserver.server import HOST, free_port

REPO = Path(__file__).resolve().parents[2]
SID = "6630f0a2c1d4e5f601a2b301"


def docker_problem() -> str | None:
    """Why Docker cannot be used here, or None when it can."""
    if shutil.which("docker") is None:
        return "the docker command is not installed"
    try:
        probe = subprocess.run(["docker", "info", "--format", "{{.ServerVersion}}"], capture_output=True, text=True, timeout=30)
    except subprocess.TimeoutExpired:
        return "docker info did not answer within 30 s"
    if probe.returncode != 0:
        return f"the Docker daemon cannot be reached: {(probe.stderr.strip().splitlines() or ['no detail'])[-1]}"
    return None


pytestmark = [pytest.mark.slow, pytest.mark.socket]


def docker(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["docker", *args], capture_output=True, text=True, timeout=timeout, check=False)


def test_the_image_serves_the_mock_on_the_published_port() -> None:
    problem = docker_problem()
    if problem is not None:
        pytest.skip(f"Docker is not usable: {problem}")
    tag = f"evokit-test:{secrets.token_hex(4)}"
    built = docker("build", "-t", tag, str(REPO), timeout=1200)
    assert built.returncode == 0, built.stderr[-3000:]
    port = free_port()
    name = f"evokit-test-{secrets.token_hex(4)}"
    try:
        started = docker("run", "-d", "--name", name, "-p", f"{HOST}:{port}:5000", tag, "--latency", "5")
        assert started.returncode == 0, started.stderr
        deadline = time.monotonic() + 60
        while True:
            try:
                response = requests.get(f"http://{HOST}:{port}/ai/sessions/{SID}", auth=("sysadmin", "sysadmin"), timeout=2)
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline, docker("logs", name).stdout[-2000:]
                time.sleep(0.2)
        assert response.status_code == 200 and response.json()["id"] == SID
        stopped = docker("stop", "--time", "10", name)
        assert stopped.returncode == 0, stopped.stderr
        logs = docker("logs", name).stdout.splitlines()
        exit_code = docker("inspect", "--format", "{{.State.ExitCode}}", name).stdout.strip()
    finally:
        docker("rm", "-f", name)
        docker("rmi", "-f", tag)
    assert logs[0].startswith("evokit mock: listening on http://0.0.0.0:5000 ")
    assert "options: latency 5 ms" in logs
    assert any(f"GET /ai/sessions/{SID} 200" in line and line.endswith(" sysadmin") for line in logs)
    assert logs[-1].startswith("evokit mock: stopped after ") and exit_code == "0"
