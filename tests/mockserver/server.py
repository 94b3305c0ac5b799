"""Plugin module: a real `evokit mock` subprocess on a free loopback port, started once per module."""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import IO

import pytest
import requests

HOST = "127.0.0.1"
# The `evokit` console script, run by this interpreter whatever PATH holds.
EVOKIT = [sys.executable, "-c", "import sys; from evokit.contract.cli import main; sys.exit(main())"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@dataclass
class LiveServer:
    """A running mock: its base URL, the process, its start-up time, its banner and its stdout."""

    url: str
    port: int
    process: subprocess.Popen[str]
    startup_seconds: float
    banner: list[str]
    stdout: IO[str]

    def reset(self) -> None:
        requests.post(f"{self.url}/__mock/reset", timeout=5).raise_for_status()

    def output(self) -> str:
        """Everything the mock printed on stdout so far."""
        self.stdout.seek(0)
        return self.stdout.read()


def banner_of(output: str) -> list[str]:
    """The banner's lines: everything before the first access-log line (which starts with the time)."""
    lines = output.splitlines()
    end = next((i for i, line in enumerate(lines) if line[:1].isdigit()), len(lines))
    return lines[:end]


def start(args: Sequence[str] = (), *, command: Sequence[str] = (*EVOKIT, "mock"), timeout: float = 20.0) -> LiveServer:
    """Start `evokit mock --port <free port> [args]` (or `command`) and wait until it answers."""
    port = free_port()
    started = time.perf_counter()
    url = f"http://{HOST}:{port}"
    # stdout (the access log) and stderr go to files: a pipe nobody reads could fill up and stall the server.
    output = tempfile.TemporaryFile("w+")
    with tempfile.TemporaryFile("w+") as errors:
        process = subprocess.Popen(
            [*command, "--host", HOST, "--port", str(port), *args],
            stdout=output, stderr=errors, text=True,
        )
        # Kept as the process's stdout, so `stop` closes it whoever holds the process.
        process.stdout = output
        while True:
            if process.poll() is not None:
                stop(process)
                errors.seek(0)
                raise RuntimeError(f"evokit mock exited with {process.returncode}: {errors.read()}")
            try:
                # The contract document answers whatever the options: `--no-control` and
                # `--control-token` leave no open control path to wait on.
                # A read timeout past any `--latency` a test starts it with.
                requests.get(f"{url}/openapi.json", timeout=(1, timeout)).raise_for_status()
                break
            except requests.ConnectionError:
                if time.perf_counter() - started > timeout:
                    stop(process)
                    raise RuntimeError(f"evokit mock did not answer within {timeout} s") from None
                time.sleep(0.01)
    elapsed = time.perf_counter() - started
    output.seek(0)
    return LiveServer(url, port, process, elapsed, banner_of(output.read()), output)


def stop(process: subprocess.Popen[str]) -> int:
    """SIGTERM, then SIGKILL if it lingers; returns the exit status."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    for stream in (process.stdout, process.stderr):
        if stream is not None:
            stream.close()
    return process.returncode


@pytest.fixture(scope="module")
def live() -> Iterator[LiveServer]:
    """One mock server for the module; tests that change data reset it first."""
    server = start()
    try:
        yield server
    finally:
        stop(server.process)


@pytest.fixture
def fresh(live: LiveServer) -> LiveServer:
    """The module's server, reset to the fixtures."""
    live.reset()
    return live
