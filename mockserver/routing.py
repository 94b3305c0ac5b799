"""Matching request paths to an operation's routes, generated from the contract (sections 1, 6).

ServiceStack matches route literals case-insensitively and cuts a format suffix (`.jsv`) off the
path before matching (`split_suffix`). A path that matches a route with another method is still
that route's path: the caller answers 405 there, after the auth checks, as ServiceStack resolves
the service method only after its request filters ran.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from contract.formats import Format, split_suffix
from contract.model import Route

_PARAM = re.compile(r"\{(\w+)\}")


def _pattern(template: str, *, named: bool) -> str:
    """A route template as a regex: literals escaped, `{name}` one path segment."""
    parts = []
    last = 0
    for match in _PARAM.finditer(template):
        parts.append(re.escape(template[last : match.start()]))
        parts.append(f"(?P<{match[1]}>[^/]+)" if named else "[^/]+")
        last = match.end()
    parts.append(re.escape(template[last:]))
    return "".join(parts)


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
        self._compiled = [
            (route, re.compile(_pattern(route.path, named=True), re.IGNORECASE)) for route in self.routes
        ]

    def match(self, method: str, path: str) -> RouteMatch | None:
        """The match for `method` and `path`, or None when the path is none of the routes'."""
        base, suffix = split_suffix(path)
        candidates = [(base, suffix), (path, None)] if suffix is not None else [(path, None)]
        for candidate, fmt in candidates:
            found = [(route, m) for route, pattern in self._compiled if (m := pattern.fullmatch(candidate))]
            if found:
                allowed = tuple(dict.fromkeys(route.method for route, _ in found))
                chosen = next(((route, m) for route, m in found if route.method == method.upper()), None)
                params = chosen[1].groupdict() if chosen else found[0][1].groupdict()
                return RouteMatch(
                    path_params=MappingProxyType(params),
                    suffix=fmt,
                    allowed=allowed,
                    route=chosen[0] if chosen else None,
                    routes=tuple(route for route, _ in found),
                )
        return None
