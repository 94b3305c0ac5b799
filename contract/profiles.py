"""The OpenAPI document's profiles, and the live copy a server hands to tools. Pure functions.

- **full** (`openapi.json`): every route in every format, what the kit itself reads;
- **JSON only** (`openapi.json-only.json`): the same operations with JSON bodies only, and
  without the routes that only answer another format (`/jsv/reply/...`), for the tools that only
  speak JSON (Prism's validation proxy, code generators): every answer they meet is one they read.

A server serving either one can make it live (`live_document`): its own URL as the server, and
its own session ids as `examples` of every `sessionId`, so that a fuzzer, a Postman collection or
a generated client reaches real sessions instead of 404s. The committed files carry no such data.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from evokit.contract.formats.media import Format

JSON_ONLY_FILE = "openapi.json-only.json"
FULL, JSON_ONLY = "full", "json-only"
# The media types a JSON-only tool meets: JSON, and the 403's text, which is no DTO.
JSON_ONLY_MEDIA = frozenset({Format.JSON.media_type, "text/plain"})
SESSION_ID = "sessionId"
# A live document names at most this many ids: enough to spread a fuzzer's requests, and a store of
# a million sessions must not make the document a million entries long.
MAX_EXAMPLES = 20


def _json_only_content(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            key: ({media: spec for media, spec in value.items() if media in JSON_ONLY_MEDIA}
                  if key == "content" and isinstance(value, dict) else _json_only_content(value))
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_json_only_content(item) for item in node]
    return node


def json_only(document: dict[str, Any]) -> dict[str, Any]:
    """The JSON-only profile of the full document."""
    paths: dict[str, Any] = {}
    for path, methods in document["paths"].items():
        kept = {
            method: _json_only_content(spec)
            for method, spec in methods.items()
            if spec["x-servicestack"]["format"] in (None, Format.JSON.value)
        }
        if kept:
            paths[path] = kept
    info = {**document["info"], "description": document["info"]["description"] + " JSON-only profile."}
    return {**document, "info": info, "paths": paths}


def _body_examples(body: dict[str, Any], components: dict[str, Any], ids: Sequence[str]) -> None:
    # JSON bodies only: a tool without the kit's JSV codec cannot send a JSV example, and fails on it.
    media = body.get("content", {}).get(Format.JSON.media_type, {})
    target = media.get("schema", {}).get("$ref", "").rsplit("/", 1)[-1]
    if SESSION_ID in components.get(target, {}).get("properties", {}):
        media["examples"] = {f"session{n}": {"value": {SESSION_ID: sid}} for n, sid in enumerate(ids, 1)}


def live_document(document: dict[str, Any], *, server_url: str, session_ids: Sequence[str]) -> dict[str, Any]:
    """`document` as a server with these sessions serves it: a copy whose one server is
    `server_url` and whose every `sessionId` (path or query parameter, or member of a request
    body) has up to `MAX_EXAMPLES` of `session_ids` as examples."""
    live = copy.deepcopy(document)
    live["servers"] = [{"url": server_url.rstrip("/"), "description": "This server"}]
    ids = list(session_ids)[:MAX_EXAMPLES]
    if not ids:
        return live
    components = live.get("components", {}).get("schemas", {})
    for methods in live["paths"].values():
        for spec in methods.values():
            for param in spec.get("parameters", ()):
                if param["name"] == SESSION_ID:
                    param["examples"] = {f"session{n}": {"value": sid} for n, sid in enumerate(ids, 1)}
            if "requestBody" in spec:
                _body_examples(spec["requestBody"], components, ids)
    return live
