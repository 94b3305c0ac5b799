"""The kit installs as one package, `evokit`: the repository's `contract/`, `mockserver/` and
`fixtures/` folders become `evokit.contract`, `evokit.mockserver` and `evokit.fixtures`, and nothing
generic lands on a user's path. Installed from a wheel, it serves its default fixtures from any folder."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
MAPPED = {"contract": "evokit.contract", "mockserver": "evokit.mockserver"}
# Folders of data the package ships without Python code of their own.
DATA_PACKAGES = {"evokit.contract.dtos", "evokit.contract.generated", "evokit.fixtures"}


def test_the_package_list_is_every_folder_of_code_and_data() -> None:
    code = {
        MAPPED[init.relative_to(ROOT).parts[0]] + "".join(f".{part}" for part in init.parent.relative_to(ROOT).parts[1:])
        for folder in MAPPED for init in (ROOT / folder).rglob("__init__.py")
    }
    assert sorted(PYPROJECT["tool"]["setuptools"]["packages"]) == sorted(code | DATA_PACKAGES)


def test_every_entry_point_lives_under_evokit() -> None:
    project = PYPROJECT["project"]
    targets = [*project["scripts"].values(), *(t for group in project["entry-points"].values() for t in group.values())]
    assert targets and all(target.startswith("evokit.") for target in targets)


@pytest.mark.slow
def test_a_wheel_installs_only_evokit_and_serves_its_fixtures_from_any_folder(tmp_path: Path) -> None:
    wheels, target, elsewhere = tmp_path / "wheels", tmp_path / "site", tmp_path / "empty"
    elsewhere.mkdir()
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(wheels), str(ROOT)],
                   check=True, capture_output=True, timeout=300)
    wheel = next(wheels.glob("evokit-*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel)],
                   check=True, capture_output=True, timeout=300)
    # `bin/` holds the `evokit` command; the only importable name is `evokit`.
    assert sorted(p.name for p in target.iterdir() if not p.name.endswith(".dist-info")) == ["bin", "evokit"]
    probe = (
        "import evokit.mockserver, evokit.contract\n"
        "from evokit.mockserver import MockConfig, create_app\n"
        "print(evokit.mockserver.__file__)\n"
        "client = create_app(MockConfig()).test_client()\n"
        "answer = client.get('/ai/sessions?all=true', headers={'Authorization': 'Basic c3lzYWRtaW46c3lzYWRtaW4='})\n"
        "print(answer.status_code, answer.get_json()['totalCount'])\n"
    )
    # The installed copy must win over the repository's editable one: it comes first on the path,
    # and the run starts in an empty folder, far from the repository.
    env = {**os.environ, "PYTHONPATH": str(target)}
    done = subprocess.run([sys.executable, "-c", probe], cwd=elsewhere, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    location, answer = done.stdout.splitlines()
    assert location.startswith(str(target))
    status, count = answer.split()
    assert status == "200" and int(count) > 0
