"""`GET /types`: ServiceStack's index of its native-types routes (`NativeTypesService.Any(TypeLinks)`).

ServiceStack answers a JSON object of language name to absolute URL ("Metadata", "CSharp",
"TypeScript", ... "Python"); the kit lists, under the same names and in the same order, the
routes it serves.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from evokit.contract.native.model import Options
from evokit.contract.native.python import python
from evokit.contract.native.typescript import typescript

Generator = Callable[..., str]

# (link name, path under /types, generator); `metadata` is the document itself.
LANGUAGES: tuple[tuple[str, str, Generator | None], ...] = (
    ("Metadata", "metadata", None),
    ("TypeScript", "typescript", typescript),
    ("Python", "python", python),
)


# The languages `generate` writes, by their path under /types.
GENERATED: dict[str, Generator] = {path: generator for _, path, generator in LANGUAGES if generator is not None}


def type_links(base_url: str) -> dict[str, str]:
    """The `/types` answer for a server at `base_url` (no trailing slash)."""
    return {name: f"{base_url}/types/{path}" for name, path, _ in LANGUAGES}


def generate(language: str, document: Any, *, options: Options) -> str:
    """The DTO source of `document` in `language`, one of `GENERATED`; `KeyError` for another."""
    return GENERATED[language](document, options=options)
