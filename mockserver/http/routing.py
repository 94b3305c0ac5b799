"""Matching request paths to an operation's routes, generated from the contract (sections 1, 6).

ServiceStack matches route literals case-insensitively and cuts a format suffix (`.jsv`) off the
path before matching (`split_suffix`). A path that matches a route with another method is still
that route's path: the caller answers 405 there, after the auth checks, as ServiceStack resolves
the service method only after its request filters ran.

An id holding an encoded slash (`/ai/sessions/a%2Fb`) is that id: ASP.NET Core keeps `%2F` inside
its path segment (CONTRACT.md section 8), so the request reaches the operation and is a 404 of the
session, not of the route. WSGI decodes `%2F` in `PATH_INFO` (PEP 3333), so the router reads the
raw path when the server gives it (`RAW_URI`, `REQUEST_URI`) and otherwise, for a path no route
matches, lets a path variable span slashes (`a/b`): the only way such a path could have been sent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from urllib.parse import unquote

from evokit.contract.formats import Format, split_suffix
from evokit.contract.model import Route

_PARAM = re.compile(r"\{(\w+)\}")


def _pattern(template: str, *, segment: str = "[^/]+") -> str:
    """A route template as a regex: literals escaped, `{name}` a named group of `segment`."""
    parts = []
    last = 0
    for match in _PARAM.finditer(template):
        parts.append(re.escape(template[last : match.start()]))
        parts.append(f"(?P<{match[1]}>{segment})")
        last = match.end()
    parts.append(re.escape(template[last:]))
    return "".join(parts)


# Requests' (method, path, raw path) whose match is remembered.
_KNOWN_PATHS = 2048

# Stands for an encoded slash while a raw path is matched; no route literal holds it.
_SLASH = "\x00"


def segments_path(raw_path: str) -> str | None:
    """A raw request path decoded segment by segment, a slash decoded inside a segment written as
    `_SLASH`; None when it holds no encoded slash (the decoded `PATH_INFO` then says the same)."""
    path = raw_path.split("?", 1)[0]
    if "%2f" not in path.lower():
        return None
    parts = [unquote(part, errors="replace") for part in path.split("/")]
    if any(_SLASH in part for part in parts):
        return None
    return "/".join(part.replace("/", _SLASH) for part in parts)


def _first(path: str) -> str | None:
    """The first segment of a path or route template, folded (route literals ignore case); None
    when it is, or may be, a variable."""
    first = path.split("/", 2)[1] if path.count("/") else path
    return None if "{" in first else first.lower()


@dataclass(frozen=True)
class RouteMatch:
    """A path that belongs to the operation.

    `route` is the route of the request's method, or None when the path is only declared for
    other methods (`allowed`). `suffix` is the format a `.ext` suffix asked for, if any.
    """

    path_params: Mapping[str, str]
    suffix: Format | None
    allowed: tuple[str, ...]
    route: Route | None = None
    routes: tuple[Route, ...] = field(default=(), repr=False)


class OperationRouter:
    """The routes of one operation; `match` finds the one a request is for."""

    def __init__(self, routes: Iterable[Route]) -> None:
        self.routes = tuple(routes)
        self._compiled = [(route, re.compile(_pattern(route.path), re.IGNORECASE)) for route in self.routes]
        # A `[^/]+` variable never spans a slash, so a path can only match a route with as many
        # segments and the same first literal (ServiceStack's own route table is keyed by the
        # first segment and the segment count the same way, `RestPath.FirstMatchHashKey`): the
        # candidates of each (first segment, count), in the routes' order, found once.
        self._keys = {_first(route.path) for route in self.routes} - {None}
        self._most_segments = max((route.path.count("/") for route in self.routes), default=0)
        self._candidates: dict[tuple[str | None, int], list[tuple[Route, re.Pattern[str]]]] = {}
        # The fallback for a decoded path no route matches: path variables may span slashes.
        self._spanning = [
            (route, re.compile(_pattern(route.path, segment=".+"), re.IGNORECASE))
            for route in self.routes if route.path_params
        ]
        self._known: dict[tuple[str, str, str | None], RouteMatch | None] = {}

    def match(self, method: str, path: str, *, raw_path: str | None = None) -> RouteMatch | None:
        """The match for `method` and `path` (decoded), or None when the path is none of the routes'.

        `raw_path`, the path as sent (with its escapes), decides where an encoded slash belongs.
        Matches are remembered: a client asks for the same few paths again and again, and a match
        is immutable. The table starts again empty when full, so a fuzzer's paths cannot grow it."""
        key = (method, path, raw_path)
        try:
            return self._known[key]
        except KeyError:
            pass
        found = self._find(method, path, raw_path)
        if len(self._known) >= _KNOWN_PATHS:
            self._known.clear()
        self._known[key] = found
        return found

    def _find(self, method: str, path: str, raw_path: str | None) -> RouteMatch | None:
        exact = segments_path(raw_path) if raw_path else None
        if exact is not None:
            return self._match(method, exact, self._compiled)
        return self._match(method, path, self._compiled) or self._match(method, path, self._spanning)

    def _same_shape(self, path: str) -> list[tuple[Route, re.Pattern[str]]]:
        """The compiled routes `path` could match: its segment count and first literal."""
        count = path.count("/")
        if count > self._most_segments:
            return []
        first = _first(path)
        key = (first if first in self._keys else None, count)
        candidates = self._candidates.get(key)
        if candidates is None:
            candidates = [
                (route, pattern) for route, pattern in self._compiled
                if route.path.count("/") == count and _first(route.path) in (key[0], None)
            ]
            self._candidates[key] = candidates
        return candidates

    def _match(self, method: str, path: str, compiled: list[tuple[Route, re.Pattern[str]]]) -> RouteMatch | None:
        base, suffix = split_suffix(path)
        candidates = [(base, suffix), (path, None)] if suffix is not None else [(path, None)]
        for candidate, fmt in candidates:
            tried = self._same_shape(candidate) if compiled is self._compiled else compiled
            found = [(route, m) for route, pattern in tried if (m := pattern.fullmatch(candidate))]
            if found:
                allowed = tuple(dict.fromkeys(route.method for route, _ in found))
                chosen = next(((route, m) for route, m in found if route.method == method.upper()), None)
                groups = chosen[1].groupdict() if chosen else found[0][1].groupdict()
                params = {name: value.replace(_SLASH, "/") for name, value in groups.items()}
                return RouteMatch(
                    path_params=MappingProxyType(params),
                    suffix=fmt,
                    allowed=allowed,
                    route=chosen[0] if chosen else None,
                    routes=tuple(route for route, _ in found),
                )
        return None
