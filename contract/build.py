"""Reading the sources and writing or checking the generated files: the only I/O around the generator.

The contract is built from two sources (`evokit.contract.merge` says how they combine): the seed DTO page
(`contract/dtos/PatchAISession.txt`) and a ServiceStack MetadataTypes document, by default the
AI-session family's (`contract/dtos/ai-sessions.metadata.json`), or any file or `http(s)` URL, such
as a server's `/types/metadata`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evokit.contract.dto_page import DtoPage, parse_dto_page
from evokit.contract.errors import MetadataSourceError, SourceFileError, StaleContractError
from evokit.contract.generate import generate
from evokit.contract.merge import merge
from evokit.contract.metadata.reader import read_metadata
from evokit.contract.page_service import service_from_page
from evokit.contract.service import Service

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_PAGE = PACKAGE_DIR / "dtos" / "PatchAISession.txt"
DEFAULT_METADATA = PACKAGE_DIR / "dtos" / "ai-sessions.metadata.json"
DEFAULT_OUTPUT = PACKAGE_DIR / "generated"
# A MetadataTypes document does not name its service; the page does, and must say the same.
SERVICE_NAME = "Evo Voice"
DEFAULT_TIMEOUT = 10.0


@dataclass(frozen=True)
class BuildPaths:
    """Where the sources are read from (`None` leaves a source out) and the files are written to.

    `metadata` is a file path or an `http://` / `https://` URL.
    """

    page: Path | None = DEFAULT_PAGE
    output: Path = DEFAULT_OUTPUT
    metadata: Path | str | None = DEFAULT_METADATA
    timeout: float = DEFAULT_TIMEOUT


def is_url(source: Path | str) -> bool:
    return isinstance(source, str) and source.startswith(("http://", "https://"))


def fetch_text(source: Path | str, timeout: float = DEFAULT_TIMEOUT) -> str:
    """The document's text from a file or a URL; `MetadataSourceError` in one line when it cannot be had."""
    if not is_url(source):
        try:
            return Path(source).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise MetadataSourceError(f"{source}: cannot read the metadata document: {exc}") from None
    import urllib.error  # only a URL needs them; `evokit mock` starts through this module
    import urllib.request

    request = urllib.request.Request(str(source), headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (http(s) only, checked above)
            status = response.status
            body = response.read()
    except urllib.error.HTTPError as exc:
        raise MetadataSourceError(f"{source}: answered {exc.code} {exc.reason}, expected 200") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise MetadataSourceError(f"{source}: unreachable: {reason}") from None
    if status != 200:
        raise MetadataSourceError(f"{source}: answered {status}, expected 200")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MetadataSourceError(f"{source}: the body is not UTF-8 text: {exc}") from None


def parse_json(text: str, source: str) -> Any:
    """Decoded JSON; a malformed or truncated document is a `MetadataSourceError` giving the place."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise MetadataSourceError(f"{source}: not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None


def read_page(path: Path) -> DtoPage:
    """The DTO page at `path`; a file that cannot be read is a `SourceFileError` in one line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise SourceFileError(f"{path}: cannot read the DTO page: {reason}") from None
    return parse_dto_page(text, source=str(path))


def load_service(paths: BuildPaths = BuildPaths()) -> Service:
    """The service the sources describe together."""
    page = service_from_page(read_page(paths.page)) if paths.page is not None else None
    if paths.metadata is None:
        if page is None:
            raise MetadataSourceError("no source: give a DTO page, a metadata document or both")
        return page
    document = parse_json(fetch_text(paths.metadata, paths.timeout), str(paths.metadata))
    name = page.name if page is not None else SERVICE_NAME
    service = read_metadata(document, service_name=name, source=str(paths.metadata))
    return merge(page, service) if page is not None else service


def render(paths: BuildPaths = BuildPaths()) -> dict[Path, str]:
    """The generated files' paths and contents, computed without writing anything."""
    files = generate(load_service(paths))
    return {paths.output / name: text for name, text in sorted(files.items())}


def build(paths: BuildPaths = BuildPaths()) -> list[Path]:
    """Regenerate the contract; returns the files whose content changed."""
    changed = []
    for path, text in render(paths).items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
            changed.append(path)
    return changed


def check_current(paths: BuildPaths = BuildPaths()) -> None:
    """Raise `StaleContractError` when a committed file differs from what the sources generate."""
    stale = [
        path.name
        for path, text in render(paths).items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]
    if stale:
        raise StaleContractError(stale)
