"""A cursor over decoded JSON that knows its JSON path, so every complaint names the member at fault."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from evokit.contract.errors import MetadataError

_MISSING = object()


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return "a string"
    return "an array" if isinstance(value, list) else "an object"


class Node:
    """One value of the document at `path` (`operations[3].request`)."""

    def __init__(self, value: Any, path: str, source: str | None = None) -> None:
        self.value = value
        self.path = path
        self.source = source

    def error(self, message: str) -> MetadataError:
        return MetadataError(self.path, message, source=self.source)

    def child(self, key: str | int) -> Node:
        path = f"{self.path}[{key}]" if isinstance(key, int) else (key if self.path == "$" else f"{self.path}.{key}")
        value = self.value.get(key, _MISSING) if isinstance(self.value, dict) else _MISSING
        if isinstance(key, int) and isinstance(self.value, list):
            value = self.value[key]
        return Node(value, path, self.source)

    def require_object(self) -> None:
        if not isinstance(self.value, dict):
            raise self.error(f"expected an object, got {_kind(self.value)}")

    def _get(self, key: str, expected: type, what: str, required: bool) -> Any:
        node = self.child(key)
        if node.value is _MISSING or node.value is None:  # ServiceStack omits nulls, but a null is no value either
            if required:
                raise node.error(f"missing; expected {what}")
            return None
        if not isinstance(node.value, expected) or (expected is int and isinstance(node.value, bool)):
            raise node.error(f"expected {what}, got {_kind(node.value)}")
        return node.value

    def string(self, key: str) -> str:
        value: str = self._get(key, str, "a string", required=True)
        if not value.strip():
            raise self.child(key).error("expected a non-empty string")
        return value

    def optional_string(self, key: str) -> str | None:
        value: str | None = self._get(key, str, "a string", required=False)
        return value

    def optional_bool(self, key: str) -> bool:
        return bool(self._get(key, bool, "true or false", required=False))

    def object(self, key: str) -> Node:
        self._get(key, dict, "an object", required=True)
        return self.child(key)

    def optional_object(self, key: str) -> Node | None:
        return self.child(key) if self._get(key, dict, "an object", required=False) is not None else None

    def _items(self, key: str) -> Iterator[Node]:
        items = self._get(key, list, "an array", required=False) or []
        parent = self.child(key)
        for index in range(len(items)):
            yield parent.child(index)

    def optional_strings(self, key: str) -> list[str]:
        values = []
        for item in self._items(key):
            if not isinstance(item.value, str):
                raise item.error(f"expected a string, got {_kind(item.value)}")
            values.append(item.value)
        return values

    def optional_objects(self, key: str) -> list[Node]:
        nodes = list(self._items(key))
        for item in nodes:
            item.require_object()
        return nodes
