"""The `Set-Cookie` headers of a login or logout, and when they must cross sites.

A frontend on `http://localhost:5173` calling the mock at `http://127.0.0.1:5000` is on another
*site* (RFC 6265bis: the registrable domain, ports aside), so a cookie without `SameSite` is
treated as `Lax` and never sent back on the page's `fetch`: the login answers 200 and the next call
401. Browsers that block third-party cookies (Chromium now does by default) also want the cookie
`Partitioned` (CHIPS), which in turn needs `Secure`, and `SameSite=None` needs `Secure` too.

So a login from a browser page of another origin gets `SameSite=None; Secure; Partitioned`. That
is ServiceStack's `UseSameSiteCookies = false` with `UseSecureCookies`, which a real server can
only use over HTTPS; browsers accept a `Secure` cookie over plain HTTP from a loopback host
(`localhost`, `127.0.0.1`, `[::1]` are potentially trustworthy origins), so the mock does this only
when it is reached on one, or over HTTPS. Everyone else (same-origin pages, curl, the official
clients, which send no `Origin`) gets ServiceStack's cookie unchanged: a `Secure` cookie would not
come back over plain HTTP from clients with a cookie jar (Python's, curl's on a LAN address).
"""

from __future__ import annotations

from werkzeug.http import dump_cookie

from evokit.mockserver.core.replies import Cookie

_LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


def _hostname(host: str) -> str:
    """`host` of a `Host` header without its port, IPv6 brackets removed, lower case."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].partition("]")[0]
    return host.rpartition(":")[0] if host.count(":") == 1 else host


def is_trustworthy(host: str, scheme: str) -> bool:
    """Whether browsers accept a `Secure` cookie from this server (HTTPS, or a loopback host)."""
    name = _hostname(host)
    return scheme == "https" or name in _LOOPBACK_HOSTS or name.endswith(".localhost") or name.startswith("127.")


def crosses_sites(origin: str | None, host: str | None, scheme: str) -> bool:
    """Whether cookies set on this request must be sent back from a page of another origin.

    `origin` is the request's `Origin` header (browsers send it on every cross-origin fetch and on
    same-origin POSTs), `host` its `Host` header, `scheme` the server's.
    """
    if not origin or origin == "null" or not host:
        return False
    if origin.rstrip("/").lower() == f"{scheme}://{host}".lower():
        return False
    return is_trustworthy(host, scheme)


def set_cookie_header(cookie: Cookie, *, cross_site: bool) -> str:
    """The `Set-Cookie` value: HttpOnly on path `/` (section 3), and the cross-site attributes."""
    value = dump_cookie(
        cookie.name,
        cookie.value,
        max_age=cookie.max_age,
        expires=0 if cookie.max_age == 0 else None,
        path="/",
        httponly=True,
        secure=cross_site,
        samesite="None" if cross_site else None,
    )
    # Written by hand: Werkzeug only learnt the attribute in 3.1, and the range allows 3.0.
    return f"{value}; Partitioned" if cross_site else value
