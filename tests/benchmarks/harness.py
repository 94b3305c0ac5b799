"""Process and load-generator plumbing for the benchmark: start a server, time its start-up, drive it
with wrk, read its memory. Only loopback addresses are ever used."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import requests

HOST = "127.0.0.1"


@dataclass(frozen=True)
class RequestSpec:
    """The one request a benchmark target is driven with."""

    method: str
    path: str
    headers: Mapping[str, str] = field(default_factory=dict)
    body: str = ""


@dataclass(frozen=True)
class Target:
    """A server to measure: how to start it, on which core, and the request to send it."""

    name: str
    command: Sequence[str]
    request: RequestSpec
    env: Mapping[str, str] = field(default_factory=dict)
    cpu: int | None = 0


@dataclass(frozen=True)
class LoadResult:
    """What wrk measured."""

    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int
    requests: int


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def cpu_count() -> int:
    return len(os.sched_getaffinity(0))


def pinned(command: Sequence[str], cpu: int | None) -> list[str]:
    """Pin a command to one core where the machine has more than one and taskset exists."""
    if cpu is None or cpu_count() < 2 or shutil.which("taskset") is None:
        return list(command)
    return ["taskset", "-c", str(cpu), *command]


class RunningServer:
    """A started target; use as a context manager so it is always stopped."""

    def __init__(self, target: Target, port: int) -> None:
        self.target = target
        self.port = port
        self.url = f"http://{HOST}:{port}"
        command = [part.replace("{port}", str(port)) for part in target.command]
        self.log = tempfile.TemporaryFile()
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            pinned(command, target.cpu),
            env={**os.environ, **target.env},
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.startup_seconds = self._wait_for_first_success()

    def _wait_for_first_success(self, timeout: float = 60.0) -> float:
        """Seconds from process start to the first successful response to the target's request."""
        spec = self.target.request
        deadline = self.started + timeout
        with requests.Session() as session:
            while time.perf_counter() < deadline:
                if self.process.poll() is not None:
                    raise RuntimeError(f"{self.target.name} exited with {self.process.returncode}: {self.output()}")
                try:
                    response = session.request(
                        spec.method, self.url + spec.path, headers=dict(spec.headers),
                        data=spec.body.encode(), timeout=2,
                    )
                    if response.ok:
                        return time.perf_counter() - self.started
                    raise RuntimeError(f"{self.target.name} answered {response.status_code}: {response.text[:300]}")
                except requests.ConnectionError:
                    time.sleep(0.005)
        raise RuntimeError(f"{self.target.name} did not answer within {timeout} s: {self.output()}")

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-2000:]

    def rss_mib(self) -> float:
        """Resident memory of the server and all its descendants (workers of pre-forking servers)."""
        return sum(_rss_kib(pid) for pid in [self.process.pid, *_descendants(self.process.pid)]) / 1024

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, 15)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait()
        self.log.close()

    def __enter__(self) -> RunningServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _descendants(pid: int) -> list[int]:
    children_file = Path(f"/proc/{pid}/task/{pid}/children")
    try:
        children = [int(child) for child in children_file.read_text().split()]
    except OSError:
        return []
    return children + [grandchild for child in children for grandchild in _descendants(child)]


def _rss_kib(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
    return int(match[1]) if match else 0


_WRK_SCRIPT = """
wrk.method = {method}
wrk.body = {body}
{headers}
done = function(summary, latency, requests)
  io.write(string.format("EVOKIT %f %f %d %d %d\\n", latency:percentile(50), latency:percentile(99),
    summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
    + summary.errors.status, summary.duration))
end
"""


def _lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def run_wrk(url: str, spec: RequestSpec, *, seconds: float, connections: int, threads: int, cpu: int | None) -> LoadResult:
    """Drive `url` with wrk for `seconds`; latency percentiles come from wrk's own histogram."""
    headers = "\n".join(f"wrk.headers[{_lua_string(k)}] = {_lua_string(v)}" for k, v in spec.headers.items())
    script = _WRK_SCRIPT.format(method=_lua_string(spec.method), body=_lua_string(spec.body), headers=headers)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        command = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{max(1, round(seconds))}s", "-s", handle.name, url + spec.path]
        output = subprocess.run(pinned(command, cpu), capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(handle.name)
    match = re.search(r"^EVOKIT (\S+) (\S+) (\d+) (\d+) (\d+)$", output, re.M)
    if not match:
        raise RuntimeError(f"unexpected wrk output:\n{output}")
    p50_us, p99_us, total, errors, duration_us = float(match[1]), float(match[2]), int(match[3]), int(match[4]), int(match[5])
    return LoadResult(total / (duration_us / 1e6), p50_us / 1000, p99_us / 1000, errors, total)
