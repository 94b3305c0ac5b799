"""Which format a response is written in (CONTRACT.md section 6), as a pure function of the request.

Highest precedence first, as ServiceStack decides it:

1. a `.ext` suffix on the route (`RestHandler.GetSanitizedPathInfo`, on by default through
   `HostConfig.AllowRouteContentTypeExtensions`): the text after the path's *last* dot, if it
   names a format exactly (`ContentTypes.GetFormatContentType` looks it up case-sensitively), is
   cut off the path -- `/ai/sessions/abc.jsv` acts on `abc` and answers JSV; `abc.JSV` stays as
   it is;
2. `?format=` (its text before any `.`, in any case), or, only when there is no `?format=` at all,
   a first path segment of at most four letters naming a format -- the `/jsv/reply/...` prefix
   (`HttpRequestExtensions.GetQueryStringContentType`). An unknown `?format=` skips both;
3. the Accept header (`HttpRequestExtensions.GetResponseContentType`): each item's media type,
   parameters and q-values ignored, is tested with `StartsWith` against
   `HostConfig.PreferredContentTypes` in the server's order -- JSON, XML, JSV -- and the first
   found wins; `text/jsv` and `text/xml` match none of them. Then `*/*` means the default (JSON);
   then types registered by plugins, of which `text/csv` (`CsvFormat`) is ours;
4. otherwise JSON (`HostConfig.DefaultContentType`): an Accept no format matches is answered in
   JSON with 200, never 406.

On ServiceStack's pre-defined routes (`/api/{Op}`, `/{format}/reply/{Op}`; CONTRACT.md section
1.1) another handler decides: `GenericHandler` sets `ResponseContentType = GetQueryStringContentType()
?? HandlerContentType`, so a known `?format=` wins, else the route's own format (JSON for `/api/` and
`/json/reply/`, JSV for `/jsv/reply/`, a `.ext` on the operation name for `/api/Op.ext`), and the
Accept header is never read. `predefined_format` finds that own format from the path alone, as
ServiceStack picks the handler from the path (`ApiHandlers.Generic`,
`PredefinedRoutesFeature.GetHandlerForPathParts`) before any route table is consulted.

Left out, being no format of the kit: `text/html`, which ServiceStack prefers before all others
and answers with its HTML page, `?format=html`, and JSONP's `?callback=` (always JSON).

Where ASP.NET Core hosts ServiceStack, `IRequest.AcceptTypes` is the raw header (`Headers[Accept]
.ToArray()`, not split on commas), so only the first item of a one-line Accept counts there; the
contract's "server's order" is the split-header reading, which this module follows.

ServiceStack also consults the request's own Content-Type: with `Accept: */*` it answers in the
request body's format, and among several acceptable formats it prefers that one. The contract does
not say so; pass `content_type=` to `negotiate` to get that behaviour, leave it None for the
contract's.
"""

from __future__ import annotations

from evokit.contract.formats.media import (
    FORM_MEDIA_TYPE,
    Format,
    format_of_media_type,
    media_type,
)

# `ContentTypes.ContentTypeFormats` and its fallback switch: exact, lower-case names.
SUFFIXES: dict[str, Format] = {fmt.value: fmt for fmt in Format}

# `HostConfig.PreferredContentTypes` (Html, Json, Xml, Jsv) without text/html.
PREFERRED: tuple[tuple[str, Format], ...] = (
    ("application/json", Format.JSON),
    ("application/xml", Format.XML),
    ("application/jsv", Format.JSV),
)

# Formats plugins register (`CsvFormat` registers text/csv), tried after `*/*`.
REGISTERED: tuple[tuple[str, Format], ...] = (("text/csv", Format.CSV),)

DEFAULT = Format.JSON

# The longest name `GetQueryStringContentType` looks for in the first path segment.
_PREFIX_MAX = 4


def split_suffix(path: str) -> tuple[str, Format | None]:
    """Cut a format suffix off `path`: `/ai/sessions/abc.jsv` gives `("/ai/sessions/abc", JSV)`.

    Only an exact, lower-case format name after the path's last dot counts; any other path comes
    back unchanged with None.
    """
    head, dot, ext = path.rpartition(".")
    fmt = SUFFIXES.get(ext) if dot else None
    return (head, fmt) if fmt is not None else (path, None)


def path_prefix(path: str) -> str | None:
    """The first path segment if it is short enough to name a format (`/jsv/reply/X` gives `jsv`).

    Mirrors `GetQueryStringContentType`: at most four characters between the leading `/` and the
    next one (or the end). Whether it names a format is `negotiate`'s business.
    """
    segment = path.removeprefix("/").split("/", 1)[0]
    return segment if 0 < len(segment) <= _PREFIX_MAX else None


def predefined_format(path: str) -> Format | None:
    """The own format of a pre-defined route, or None for any other path (the user route).

    `/api/PatchAISession` gives JSON, `/api/PatchAISession.xml` XML (`ApiHandlers.Generic` reads the
    text after the operation name's dot), `/jsv/reply/PatchAISession` JSV. Path segments that name
    the handler match in any case, as `GetHandlerForPathParts` lower-cases them.
    """
    parts = path.removeprefix("/").split("/")
    if len(parts) == 2 and parts[0].lower() == "api" and parts[1]:
        _, dot, ext = parts[1].partition(".")
        return SUFFIXES.get(ext, DEFAULT) if dot else DEFAULT
    if len(parts) >= 3 and parts[1].lower() == "reply":
        return SUFFIXES.get(parts[0].lower())
    return None


def _named(name: str) -> Format | None:
    """A `?format=` value or path prefix: the text before any `.`, in any case."""
    try:
        return Format.from_name(name.split(".", 1)[0])
    except ValueError:
        return None


def _accept_items(accept: str) -> list[str]:
    return [item.strip() for item in accept.split(",") if item.strip()]


def accept_format(accept: str | None, *, content_type: str | None = None) -> Format | None:
    """The format the Accept header selects (step 3), or None when it selects none.

    `content_type` is the request's Content-Type; see the module docstring for what it changes.
    """
    if not accept:
        return None
    items = _accept_items(accept)
    bare_items = [media_type(item) or "" for item in items]
    body = None if media_type(content_type) == FORM_MEDIA_TYPE else format_of_media_type(content_type)
    matched = [fmt for prefix, fmt in PREFERRED if any(bare.startswith(prefix) for bare in bare_items)]
    if matched:
        return body if body in matched else matched[0]
    if "*/*" in bare_items:
        return body or DEFAULT
    for prefix, fmt in REGISTERED:
        if any(item.lower().startswith(prefix) for item in items):
            return fmt
    return None


def negotiate(
    *,
    suffix: Format | None = None,
    query_format: str | None = None,
    reply_prefix: str | None = None,
    accept: str | None = None,
    content_type: str | None = None,
    predefined: Format | None = None,
) -> Format:
    """The response format, by the precedence in this module's docstring.

    `predefined` is a pre-defined route's own format (`predefined_format`): then only a known
    `?format=` can override it, and the suffix, prefix and Accept are not consulted (section 1.1).

    `suffix` comes from `split_suffix`, `query_format` is the raw `?format=` value (None when
    absent), `reply_prefix` the raw first path segment (`path_prefix`), `accept` the Accept header.
    `content_type` (the request's) is off by default: the contract ignores it.
    """
    if predefined is not None:
        named = _named(query_format) if query_format is not None else None
        return named or predefined
    if suffix is not None:
        return suffix
    if query_format is not None:
        named = _named(query_format)
    else:
        named = _named(reply_prefix) if reply_prefix is not None else None
    if named is not None:
        return named
    return accept_format(accept, content_type=content_type) or DEFAULT
