"""The codecs' view of a DTO: member names and order, and where each member lives in XML."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Member:
    """One DTO property: camelCase wire name, PascalCase DataContract name and its XML namespace."""

    name: str
    xml_name: str
    xml_namespace: str


@dataclass(frozen=True)
class DtoShape:
    """A DTO as the codecs need it.

    `members` is the wire order (JSON, JSV, CSV); `xml_members` the DataContract order: base-class
    members first, each class's in ordinal order of their names (CONTRACT.md section 6).
    """

    name: str
    xml_namespace: str
    members: tuple[Member, ...]
    xml_members: tuple[Member, ...]
