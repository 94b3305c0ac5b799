"""The verifier's view of the wire formats: which format a call should be answered in, and what a
response body holds. Every decoding goes through the kit's shared codecs (`evokit.contract.formats`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from evokit.contract.formats import (
    DEFAULT_REGISTRY,
    DecodeError,
    Format,
    media_type,
    negotiate,
    predefined_format,
)
from evokit.contract.formats.media import ALIASES
from evokit.contract.formats.status import ERROR_RESPONSE
from evokit.contract.model import Contract
from evokit.contract.verify.run.http import Call, Exchange

# Section 6, step 3: ServiceStack does not recognise `text/jsv` in Accept and answers JSON; the
# contract marks that as assumed, so for such a call only consistency is required.
UNRECOGNISED_ACCEPT = frozenset(alias for alias in ALIASES if alias.endswith("jsv"))

# ServiceStack's error DTO, whose layout the codecs know themselves (section 5).
ERROR_DTO = ERROR_RESPONSE.name


def expected_format(call: Call) -> Format:
    """The format the contract says `call` is answered in (section 6 precedence)."""
    return negotiate(
        suffix=Format.from_name(call.suffix) if call.suffix else None,
        query_format=call.query_value("format"),
        reply_prefix=call.prefix,
        accept=call.header("Accept"),
        predefined=predefined_format(call.path),
    )


def accepts_unrecognised_jsv(call: Call) -> bool:
    """Whether the call's format hinges on an Accept type ServiceStack does not recognise.

    True when no suffix, `?format=` or reply prefix decides, and the Accept header names
    `text/jsv` (section 6, step 3, assumed).
    """
    if call.suffix or call.query_value("format") is not None or call.prefix or predefined_format(call.path):
        return False
    accept = call.header("Accept") or ""
    return any(media_type(item) in UNRECOGNISED_ACCEPT for item in accept.split(","))


def format_named_by(exchange: Exchange) -> Format | None:
    """The format whose canonical media type is the response's Content-Type (aliases do not count:
    the contract fixes the exact types in section 6)."""
    bare = exchange.media_type
    return next((fmt for fmt in Format if fmt.media_type == bare), None)


def dto_for_status(contract: Contract, route: str, status: int, method: str = "patch") -> str | None:
    """The DTO the OpenAPI document says a body of this status holds on this route; None when the
    status is not documented there or its body is not a DTO (the 403's text)."""
    operation = contract.openapi["paths"].get(route, {}).get(method.lower(), {})
    answer = operation.get("responses", {}).get(str(status), {})
    content = answer.get("content", {})
    # A text body (JSV, CSV) and the 401 whose anonymous form has no body name their DTO in
    # `x-servicestack.dto`; the others in their schema's `$ref`.
    refs = {media.get("schema", {}).get("$ref") for media in content.values()} - {None}
    names = {ref.rsplit("/", 1)[-1] for ref in refs}
    names |= {spec["x-servicestack"]["dto"] for spec in (answer, *content.values()) if "x-servicestack" in spec}
    return names.pop() if len(names) == 1 else None


def documented_as_text(contract: Contract, route: str, status: int, method: str, media_type: str) -> bool:
    """Whether the OpenAPI document describes this answer's body as text (JSV, CSV), not as its DTO."""
    operation = contract.openapi["paths"].get(route, {}).get(method.lower(), {})
    media = operation.get("responses", {}).get(str(status), {}).get("content", {}).get(media_type, {})
    return media.get("schema", {}).get("type") == "string"


@dataclass(frozen=True)
class Decoded:
    """A body read in `format`: the value, or the reason it could not be read."""

    format: Format
    value: dict[str, Any] | None
    error: str | None = None


def decode(contract: Contract, exchange: Exchange, dto: str) -> Decoded | None:
    """Read the body as `dto` in the format its Content-Type names; None when no codec reads that
    Content-Type (the response checks report such a type separately)."""
    codec = DEFAULT_REGISTRY.for_content_type(exchange.headers.get("Content-Type"))
    if codec is None:
        return None
    try:
        if dto == ERROR_DTO:
            value = codec.decode_error(exchange.body)
        else:
            value = codec.decode_dto(exchange.body, contract.shape(dto))
    except DecodeError as exc:
        return Decoded(codec.format, None, str(exc))
    except RecursionError:  # a hostile answer nested deeper than the parser goes
        return Decoded(codec.format, None, "nested too deeply to read")
    return Decoded(codec.format, value)


def encode(contract: Contract, fmt: Format, value: dict[str, Any], dto: str) -> bytes:
    """`value` written in `fmt` exactly as the shared codec (and so ServiceStack) writes it."""
    codec = DEFAULT_REGISTRY.for_format(fmt)
    if dto == ERROR_DTO:
        return codec.encode_error(value.get("responseStatus") or {})
    return codec.encode_dto(value, contract.shape(dto))
