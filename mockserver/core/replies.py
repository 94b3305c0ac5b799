"""`Reply`: an answer as plain data, built by the pure core and turned into a response by the views.

Keeping answers as data lets every rule be tested without Flask, and lets one adapter add what every
response carries (`Vary: Accept`, CONTRACT.md section 7).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from evokit.contract.formats import Codec, DtoShape


@dataclass(frozen=True)
class Cookie:
    """A cookie to set (or, with `max_age=0`, to delete); always HttpOnly on path `/` (section 3)."""

    name: str
    value: str
    max_age: int | None = None


@dataclass(frozen=True)
class Reply:
    """Status, body, Content-Type (None: no body type) and extra headers of one answer."""

    status: int
    body: bytes
    content_type: str | None
    headers: Mapping[str, str] = field(default_factory=dict)
    cookies: tuple[Cookie, ...] = ()


def dto_reply(codec: Codec, value: Mapping[str, object], shape: DtoShape, *, status: int = 200,
              cookies: tuple[Cookie, ...] = ()) -> Reply:
    """A DTO answer in `codec`'s format; null members are left out by the codec (section 4)."""
    return Reply(status, codec.encode_dto(value, shape), codec.content_type, cookies=cookies)
