"""Response format negotiation (CONTRACT.md section 6): one precedence table with readable ids."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from evokit.contract.formats import Format, accept_format, negotiate, path_prefix, split_suffix

JSON, JSV, XML, CSV = Format.JSON, Format.JSV, Format.XML, Format.CSV


@dataclass(frozen=True)
class Request:
    """What negotiation sees of a request; `path` yields the suffix and the reply prefix."""

    path: str = "/ai/sessions/abc"
    format: str | None = None
    accept: str | None = None
    content_type: str | None = None

    def negotiate(self) -> Format:
        path, suffix = split_suffix(self.path)
        return negotiate(
            suffix=suffix,
            query_format=self.format,
            reply_prefix=path_prefix(path),
            accept=self.accept,
            content_type=self.content_type,
        )


PRECEDENCE = {
    # 1. the route's .ext suffix beats everything
    "suffix-jsv": (Request("/ai/sessions/abc.jsv"), JSV),
    "suffix-xml-beats-query-csv": (Request("/ai/sessions/abc.xml", format="csv"), XML),
    "suffix-csv-beats-accept-jsv": (Request("/ai/sessions/abc.csv", accept="application/jsv"), CSV),
    "suffix-json-beats-reply-prefix": (Request("/jsv/reply/PatchAISession.json"), JSON),
    "upper-case-suffix-is-no-suffix": (Request("/ai/sessions/abc.JSV"), JSON),
    # 2. ?format= or the /{format}/reply/ prefix
    "query-jsv": (Request(format="jsv"), JSV),
    "query-any-case": (Request(format="XmL"), XML),
    "query-csv": (Request(format="csv"), CSV),
    "query-text-before-dot": (Request(format="jsv.x"), JSV),
    "query-beats-accept": (Request(format="json", accept="application/xml"), JSON),
    "query-beats-reply-prefix": (Request("/jsv/reply/PatchAISession", format="xml"), XML),
    "reply-prefix-jsv": (Request("/jsv/reply/PatchAISession"), JSV),
    "reply-prefix-json-beats-accept": (Request("/json/reply/PatchAISession", accept="application/xml"), JSON),
    "reply-prefix-any-case": (Request("/XML/reply/PatchAISession"), XML),
    "unknown-query-skips-prefix": (Request("/jsv/reply/PatchAISession", format="bogus"), JSON),
    "empty-query-falls-to-accept": (Request(format="", accept="application/jsv"), JSV),
    "api-prefix-is-no-format": (Request("/api/PatchAISession", accept="application/xml"), XML),
    "html-query-falls-to-accept": (Request(format="html", accept="application/jsv"), JSV),
    # 3. Accept, in the server's order json, xml, jsv
    "accept-jsv": (Request(accept="application/jsv"), JSV),
    "accept-xml": (Request(accept="application/xml"), XML),
    "accept-json": (Request(accept="application/json"), JSON),
    "accept-text-jsv-not-recognised": (Request(accept="text/jsv"), JSON),
    "accept-text-xml-not-recognised": (Request(accept="text/xml"), JSON),
    "accept-any-case-with-params": (Request(accept="Application/JSV; charset=utf-8"), JSV),
    "accept-server-order-json-before-xml": (Request(accept="application/xml, application/json"), JSON),
    "accept-server-order-xml-before-jsv": (Request(accept="application/jsv, application/xml"), XML),
    "accept-q-values-ignored": (Request(accept="application/xml;q=0.1, application/jsv;q=1"), XML),
    "accept-csv": (Request(accept="text/csv"), CSV),
    "accept-preferred-beats-csv": (Request(accept="text/csv, application/jsv"), JSV),
    "accept-any-beats-csv": (Request(accept="text/csv, */*"), JSON),
    "accept-anything": (Request(accept="*/*"), JSON),
    "accept-browser-html-first": (Request(accept="text/html,application/xml;q=0.9,*/*;q=0.8"), XML),
    # 4. otherwise JSON, never 406
    "accept-unsupported": (Request(accept="image/png"), JSON),
    "accept-missing": (Request(), JSON),
    "accept-empty": (Request(accept=""), JSON),
    # the request's Content-Type only counts when passed (ServiceStack does, the contract does not)
    "content-type-answers-any": (Request(accept="*/*", content_type="application/jsv"), JSV),
    "content-type-alias-answers-any": (Request(accept="*/*", content_type="text/jsv; charset=utf-8"), JSV),
    "content-type-preferred-among-accepted": (
        Request(accept="application/json, application/jsv", content_type="application/jsv"),
        JSV,
    ),
    "content-type-not-accepted-ignored": (
        Request(accept="application/xml", content_type="application/jsv"),
        XML,
    ),
    "form-content-type-answers-any-with-json": (
        Request(accept="*/*", content_type="application/x-www-form-urlencoded"),
        JSON,
    ),
    "content-type-without-accept-ignored": (Request(content_type="application/jsv"), JSON),
}


@pytest.mark.parametrize(("request_", "expected"), list(PRECEDENCE.values()), ids=list(PRECEDENCE))
def test_precedence(request_: Request, expected: Format) -> None:
    assert request_.negotiate() is expected


SUFFIXES = {
    "jsv": ("/ai/sessions/abc.jsv", ("/ai/sessions/abc", JSV)),
    "json": ("/ai/sessions/abc.json", ("/ai/sessions/abc", JSON)),
    "xml": ("/ai/sessions/abc.xml", ("/ai/sessions/abc", XML)),
    "csv": ("/ai/sessions/abc.csv", ("/ai/sessions/abc", CSV)),
    "only-last-dot-counts": ("/ai/sessions/a.b.xml", ("/ai/sessions/a.b", XML)),
    "no-suffix": ("/ai/sessions/abc", ("/ai/sessions/abc", None)),
    "unknown-suffix-kept": ("/ai/sessions/v1.2", ("/ai/sessions/v1.2", None)),
    "upper-case-kept": ("/ai/sessions/abc.JSV", ("/ai/sessions/abc.JSV", None)),
    "dot-in-earlier-segment": ("/ai.json/sessions/abc", ("/ai.json/sessions/abc", None)),
    "html-is-not-ours": ("/ai/sessions/abc.html", ("/ai/sessions/abc.html", None)),
}


@pytest.mark.parametrize(("path", "expected"), list(SUFFIXES.values()), ids=list(SUFFIXES))
def test_split_suffix(path: str, expected: tuple[str, Format | None]) -> None:
    assert split_suffix(path) == expected


PREFIXES = {
    "jsv-reply": ("/jsv/reply/PatchAISession", "jsv"),
    "json-reply": ("/json/reply/PatchAISession", "json"),
    "short-route-segment": ("/ai/sessions/abc", "ai"),
    "api": ("/api/PatchAISession", "api"),
    "too-long": ("/jsonx/reply/X", None),
    "root": ("/", None),
    "bare-format": ("/xml", "xml"),
}


@pytest.mark.parametrize(("path", "expected"), list(PREFIXES.values()), ids=list(PREFIXES))
def test_path_prefix(path: str, expected: str | None) -> None:
    assert path_prefix(path) == expected


def test_accept_format_is_none_when_nothing_matches() -> None:
    assert accept_format("image/png") is None
    assert accept_format(None) is None
