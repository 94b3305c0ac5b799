"""The codecs' view of a DTO: member names and order, and where each member lives in XML.

The codecs know no schema: whoever calls them passes a `DtoShape`, built from the generated JSON
Schema (whose properties carry OpenAPI `xml` keywords). A shape is checked once, on creation, so the
codecs can trust it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from types import MappingProxyType

from evokit.contract.formats.errors import EncodeError

JSON_TYPES = frozenset({"string", "number", "integer", "boolean", "array", "object", "null"})


def _require_name(value: str, what: str) -> None:
    if not isinstance(value, str) or not value:
        raise ValueError(f"{what} must be a non-empty string, got {value!r}")


@dataclass(frozen=True)
class Member:
    """One DTO property: camelCase wire name, PascalCase DataContract name and its XML namespace.

    `name` is what JSON, JSV and CSV write (e.g. `accountId`); `xml_name` the element name
    DataContractSerializer writes (e.g. `AccountId`), in `xml_namespace`, the DataContract namespace
    of the class that declares the property (CONTRACT.md section 6). `kind` is the member's JSON
    Schema `type` when it has one (`number`, `boolean`, `array`...): JSV and CSV carry every scalar
    as text, and a decoder reads the text of a typed member back as that type. None reads as written.
    `item` is the DTO shape of the elements of a list of objects (`List<AISessionInfo>`), which XML
    writes as elements of their own and every decoder reads back member by member; None otherwise.
    """

    name: str
    xml_name: str
    xml_namespace: str
    kind: str | None = None
    item: DtoShape | None = None

    def __post_init__(self) -> None:
        _require_name(self.name, "Member.name")
        _require_name(self.xml_name, "Member.xml_name")
        if not isinstance(self.xml_namespace, str):
            raise ValueError(f"Member.xml_namespace must be a string, got {self.xml_namespace!r}")
        if self.kind is not None and self.kind not in JSON_TYPES:
            raise ValueError(f"Member.kind must be a JSON Schema type, got {self.kind!r}")
        if self.item is not None and self.kind != "array":
            raise ValueError(f"Member {self.name}: an item shape needs kind 'array', got {self.kind!r}")


@dataclass(frozen=True)
class DtoShape:
    """A DTO as the codecs need it.

    `members` is the wire order (JSON, JSV, CSV); `xml_members` the DataContract order: base-class
    members first, each class's in ordinal order of their names (CONTRACT.md section 6). Both hold
    the same members; `name` is the XML root element and `xml_namespace` its namespace.
    """

    name: str
    xml_namespace: str
    members: tuple[Member, ...]
    xml_members: tuple[Member, ...]

    def __post_init__(self) -> None:
        _require_name(self.name, "DtoShape.name")
        names = [member.name for member in self.members]
        if len(set(names)) != len(names):
            raise ValueError(f"DtoShape {self.name}: duplicate wire names in {names}")
        xml_names = [(member.xml_namespace, member.xml_name) for member in self.xml_members]
        if len(set(xml_names)) != len(xml_names):
            raise ValueError(f"DtoShape {self.name}: duplicate XML names in {xml_names}")
        if set(self.members) != set(self.xml_members) or len(self.members) != len(self.xml_members):
            raise ValueError(f"DtoShape {self.name}: members and xml_members must hold the same members")

    @cached_property
    def _names(self) -> frozenset[str]:
        return frozenset(member.name for member in self.members)

    def by_name(self) -> Mapping[str, Member]:
        """Members by camelCase wire name."""
        return MappingProxyType({member.name: member for member in self.members})

    def by_xml_name(self) -> Mapping[tuple[str, str], Member]:
        """Members by `(xml_namespace, xml_name)`, the qualified element name XML carries."""
        return MappingProxyType({(m.xml_namespace, m.xml_name): m for m in self.xml_members})

    def lookup(self, header: str) -> Member | None:
        """The member a loosely written name stands for: wire or XML name, any letter case.

        ServiceStack matches property names case-insensitively when it reads (section 2), and its
        CSV writer heads columns with the CLR property name; this accepts both spellings.
        """
        folded = header.casefold()
        for member in self.members:
            if member.name.casefold() == folded or member.xml_name.casefold() == folded:
                return member
        return None

    def present(self, value: Mapping[str, object], *, xml: bool = False) -> list[tuple[Member, object]]:
        """The members `value` holds, not None, in wire order (or DataContract order if `xml`).

        Null members are never written (CONTRACT.md section 4); a key the shape does not know
        raises `EncodeError`, so a misspelt or stray field fails loudly instead of vanishing.
        """
        names = self._names
        unknown = [key for key in value if key not in names]
        if unknown:
            raise EncodeError(f"{self.name} has no member(s) {', '.join(map(repr, unknown))}")
        order = self.xml_members if xml else self.members
        return [(member, value[member.name]) for member in order if value.get(member.name) is not None]
