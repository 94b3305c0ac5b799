"""`evokit mock`'s options from `EVOKIT_*` variables and a config file: the command line wins, then
the variable, then the file; a bad value in any of them is one line naming it, exit 2."""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import time
from pathlib import Path

import pytest
import requests

from evokit.contract.cli import build_parser, main
from evokit.contract.envopts import OptionSourceError
from evokit.contract.verify.cli import from_environment
from evokit.mockserver.core.config import DEFAULT_FIXTURES, MockConfig
from evokit.mockserver.core.sources import config_from, resolve
from tests.mockserver.server import EVOKIT, HOST, free_port, stop


def parsed(*argv: str) -> argparse.Namespace:
    return build_parser("mock").parse_args(["mock", *argv])


def config(tmp_path: Path, *argv: str, environ: dict[str, str] | None = None) -> MockConfig:
    args = parsed(*argv)
    resolve(args, environ or {}, tmp_path)
    return config_from(args)


def test_without_sources_every_option_has_its_default(tmp_path: Path) -> None:
    assert config(tmp_path) == MockConfig()


def test_the_command_line_wins_over_the_variable_which_wins_over_the_file(tmp_path: Path) -> None:
    (tmp_path / "evokit.toml").write_text('[mock]\nport = 5001\nthreads = 3\nlatency = "100-200"\n')
    environ = {"EVOKIT_PORT": "5002", "EVOKIT_THREADS": "4"}
    assert (config(tmp_path).port, config(tmp_path).latency_ms) == (5001, (100, 200))
    assert (config(tmp_path, environ=environ).port, config(tmp_path, environ=environ).threads) == (5002, 4)
    chosen = config(tmp_path, "--port", "5000", environ=environ)  # the default's value, given explicitly
    assert (chosen.port, chosen.threads, chosen.latency_ms) == (5000, 4, (100, 200))


def test_flags_and_lists_from_variables(tmp_path: Path) -> None:
    environ = {"EVOKIT_NO_CONTROL": "yes", "EVOKIT_QUIET": "1", "EVOKIT_CORS_ORIGIN": "http://localhost:5173, http://a.test"}
    chosen = config(tmp_path, environ=environ)
    assert (chosen.control, chosen.quiet, chosen.cors_origins) == (False, True, ("http://localhost:5173", "http://a.test"))
    assert config(tmp_path, environ={"EVOKIT_NO_CORS": "false"}).cors is True


def test_pyproject_tool_table_and_paths_relative_to_the_file(tmp_path: Path) -> None:
    project = tmp_path / "web"
    (project / "mock-data").mkdir(parents=True)
    (project / "pyproject.toml").write_text(
        '[project]\nname = "web"\n\n[tool.evokit.mock]\nfixtures = "mock-data"\nreload = true\n'
        'cors-origin = ["http://localhost:5173"]\n'
    )
    args = parsed()
    found = resolve(args, {}, project)
    assert (args.fixtures, args.reload, args.cors_origin) == (project / "mock-data", True, ["http://localhost:5173"])
    assert found["fixtures"] == "pyproject.toml [tool.evokit.mock] fixtures"


@pytest.mark.parametrize(("files", "environ", "named"), [
    ({}, {"EVOKIT_PORT": "abc"}, "EVOKIT_PORT"),
    ({}, {"EVOKIT_PORT": "70000"}, "EVOKIT_PORT"),
    ({}, {"EVOKIT_LATENCY": "3x"}, "EVOKIT_LATENCY"),
    ({}, {"EVOKIT_CORS_ORIGIN": "localhost:5173"}, "EVOKIT_CORS_ORIGIN"),
    ({}, {"EVOKIT_QUIET": "maybe"}, "EVOKIT_QUIET"),
    ({}, {"EVOKIT_FIXTURES": "/no/such/folder"}, "EVOKIT_FIXTURES"),
    ({"evokit.toml": '[mock]\nport = "x"\n'}, {}, "evokit.toml [mock] port"),
    ({"evokit.toml": "[mock]\nquiet = 1\n"}, {}, "evokit.toml [mock] quiet"),
    ({"evokit.toml": "[mock]\nprot = 1\n"}, {}, "unknown option(s) prot"),
    ({"evokit.toml": "[mock\n"}, {}, "evokit.toml: not TOML"),
    ({"pyproject.toml": "[tool.evokit]\nport = 1\n"}, {}, "[tool.evokit.mock]"),
    ({"evokit.toml": "[mock]\nport = 1\n", "pyproject.toml": "[tool.evokit.mock]\nport = 2\n"}, {}, "keep one"),
])
def test_a_bad_value_names_its_source(tmp_path: Path, files: dict[str, str], environ: dict[str, str], named: str) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    with pytest.raises(OptionSourceError) as caught:
        config(tmp_path, environ=environ)
    assert named in str(caught.value) and "\n" not in str(caught.value)


def test_the_cli_says_it_in_one_line_and_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("EVOKIT_THREADS", "999")
    out, err = io.StringIO(), io.StringIO()
    assert main(["mock"], out=out, err=err) == 2
    assert err.getvalue().startswith("evokit mock: EVOKIT_THREADS: ") and err.getvalue().count("\n") == 1
    assert out.getvalue() == ""


def test_the_verifier_reads_its_own_table_of_the_same_file(tmp_path: Path) -> None:
    (tmp_path / "evokit.toml").write_text('[mock]\nport = 5055\n\n[verify]\nbase-url = "http://127.0.0.1:5055"\nseed = 7\n')
    args = build_parser("verify").parse_args(["verify", "--seed", "8"])
    from_environment(args, {}, folder=tmp_path)
    assert (args.base_url, args.seed, args.max_examples) == ("http://127.0.0.1:5055", 8, None)


@pytest.mark.socket
def test_evokit_port_is_where_it_listens(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "EVOKIT_PORT": str(port), "EVOKIT_HOST": HOST, "EVOKIT_FIXTURES": str(DEFAULT_FIXTURES)}
    process = subprocess.Popen([*EVOKIT, "mock"], cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                assert requests.get(f"http://{HOST}:{port}/openapi.json", timeout=1).status_code == 200
                break
            except requests.ConnectionError:
                assert process.poll() is None and time.monotonic() < deadline
                time.sleep(0.02)
    finally:
        stop(process)
