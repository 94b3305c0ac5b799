"""The CORS headers the mock sends (CONTRACT.md section 7), as a pure policy; no WSGI here.

The values are ServiceStack's `CorsFeature` defaults (`ServiceStack/CorsFeature.cs`, 6.10 to 8.x):
`DefaultOrigin = "*"`, `DefaultMethods = "GET, POST, PUT, DELETE, PATCH, OPTIONS, HEAD"`,
`DefaultHeaders = "Content-Type"`, `DefaultMaxAge = 600`. The feature adds them to every response
(`Config.GlobalResponseHeaders`) and answers every OPTIONS itself, before routing
(`RawHttpHandlers`, `EmitGlobalHeadersHandler`).

Two choices of the mock's own, where the defaults would stop a browser that the real service,
configured for its web app, lets through:

* **Requested headers are allowed.** `Content-Type` alone would make a browser refuse a fetch that
  sends `Authorization` (Basic or a bearer token), `X-ss-id` or `X-Mock-Token`: a preflight's
  `Access-Control-Allow-Headers` answers `Content-Type` followed by the names the browser asked for
  in `Access-Control-Request-Headers`. (Every other response keeps `Content-Type`; only the
  preflight's value counts.) A real deployment gets the same effect with
  `new CorsFeature(allowedHeaders: "Content-Type, Authorization")`.
* **An allow-list of origins** (`--cors-origin`) works as `CorsFeature(allowOriginWhitelist, ...,
  allowCredentials: true)`: the request's `Origin` is echoed only when listed, and
  `Access-Control-Allow-Credentials: true` lets a browser send and keep the `ss-id` cookie
  cross-origin (the Fetch standard forbids credentials with `*`). Since the answer then depends on
  `Origin`, `Vary: Origin` says so (Fetch standard, "CORS protocol and HTTP caches"), which
  ServiceStack leaves out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

ALLOW_ORIGIN = "Access-Control-Allow-Origin"
ALLOW_METHODS = "Access-Control-Allow-Methods"
ALLOW_HEADERS = "Access-Control-Allow-Headers"
ALLOW_CREDENTIALS = "Access-Control-Allow-Credentials"
MAX_AGE = "Access-Control-Max-Age"
CORS_HEADER_NAMES = (ALLOW_ORIGIN, ALLOW_METHODS, ALLOW_HEADERS, ALLOW_CREDENTIALS, MAX_AGE)

# CorsFeature.DefaultOrigin, DefaultMethods, DefaultHeaders and DefaultMaxAge.
ANY_ORIGIN = "*"
METHODS = "GET, POST, PUT, DELETE, PATCH, OPTIONS, HEAD"
HEADERS = "Content-Type"
MAX_AGE_SECONDS = "600"

# A header name is an RFC 9110 token; anything else a preflight asks for is not echoed.
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")


@dataclass(frozen=True)
class CorsPolicy:
    """Which origins may call the mock: any (`origins` empty: `*`) or those listed.

    Origins compare without regard to letter case (scheme and host are case-insensitive, RFC 6454
    section 4); the echo is the request's own `Origin`.
    """

    origins: tuple[str, ...] = ()
    _folded: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_folded", frozenset(origin.lower() for origin in self.origins))

    @property
    def varies_by_origin(self) -> bool:
        """Whether answers depend on the `Origin` header (an allow-list is in force)."""
        return bool(self.origins)

    def headers(self, *, origin: str | None, requested_headers: str | None = None) -> list[tuple[str, str]]:
        """The CORS headers of one answer. `requested_headers` is a preflight's
        `Access-Control-Request-Headers` (None on every other request)."""
        result: list[tuple[str, str]] = []
        if not self.origins:
            result.append((ALLOW_ORIGIN, ANY_ORIGIN))
        elif origin is not None and origin.lower() in self._folded:
            result.append((ALLOW_ORIGIN, origin))
        result += [(ALLOW_METHODS, METHODS), (ALLOW_HEADERS, allowed_headers(requested_headers))]
        if self.origins:
            result.append((ALLOW_CREDENTIALS, "true"))
        result.append((MAX_AGE, MAX_AGE_SECONDS))
        return result


def allowed_headers(requested: str | None) -> str:
    """`Content-Type`, then each well-formed name of `requested` it does not already hold."""
    names = [HEADERS]
    seen = {HEADERS.lower()}
    for name in (requested or "").split(","):
        name = name.strip()
        if _TOKEN.fullmatch(name) and name.lower() not in seen:
            seen.add(name.lower())
            names.append(name)
    return ", ".join(names)
