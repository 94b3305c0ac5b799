""".NET DataContract XML, as ServiceStack's `XmlSerializer` writes it (CONTRACT.md section 6).

ServiceStack serializes with `DataContractSerializer` over `XmlWriter.Create(stream, settings)`:
UTF-8 without BOM, the `<?xml version="1.0" encoding="utf-8"?>` declaration, no indentation
(`ServiceStack.Text/XmlSerializer.cs`). What that writer pair produces, and this module mirrors:

* the root is the DTO's name in its contract namespace; `HandleGraphAtTopLevel` declares
  `xmlns:i` (XMLSchema-instance) first, then the writer adds the root's default namespace:
  `<AISessionInfo xmlns:i="..." xmlns="...Voice.Api.AI">`;
* members follow `DtoShape.xml_members`: base-class members first. Each member is written with
  `XmlWriterDelegator.WriteStartElementPrimitive(name, ns)`, i.e. with no prefix, so the
  well-formed writer, finding no prefix bound to a base class's namespace, re-declares the default
  namespace on that element: `<CreatedBy xmlns="...Voice.Api">u-1</CreatedBy>`. (Generated
  `d2p1:`-style prefixes only appear for a member whose *type* lives in another namespace --
  `ChildElementNamespaces` -- such as a Dictionary's `Arrays` namespace in `ResponseStatus.Meta`.)
* a list of strings (`List<string>`, e.g. AuthenticateResponse's `Roles`) is such a member too: its
  items are `<string>` elements of the `Arrays` namespace, so the member element declares a
  `d{depth}p1` prefix for it, empty list or not:
  `<Roles xmlns:d2p1="...Arrays"><d2p1:string>Admin</d2p1:string></Roles>`.
* text escapes `&`, `<`, `>` only; an empty string is the empty element `<Purpose />`.
* absent and None members are left out (section 6, assumed); DataContractSerializer itself would
  write `<Purpose i:nil="true" />`, which `decode_dto` reads back as None.

Beyond ServiceStack: a CR is written as `&#xD;` so it survives parsing (.NET's default newline
handling rewrites it, XML readers normalise a raw one away), and characters XML 1.0 cannot carry
(most C0 controls, lone surrogates, U+FFFE/U+FFFF) raise `EncodeError` where .NET's checking
writer throws. Reading uses defusedxml only: a DTD, entity declarations or external references
raise `XmlDecodeError`, as do syntax errors (with line and column) and a root that is not the DTO.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import defusedxml.ElementTree as safe_etree
from defusedxml import DefusedXmlException

from evokit.contract.formats._text import join_surrogate_pairs
from evokit.contract.formats.errors import EncodeError, XmlDecodeError
from evokit.contract.formats.scalars import format_double, read_members
from evokit.contract.formats.shape import DtoShape
from evokit.contract.formats.status import (
    ARRAYS_NAMESPACE,
    ERROR_RESPONSE,
    LIST_MEMBERS,
    MAP_MEMBERS,
    RESPONSE_STATUS,
    normalize_status,
)

if TYPE_CHECKING:  # the type only: parsing goes through defusedxml
    from xml.etree.ElementTree import Element

XSI_NAMESPACE = "http://www.w3.org/2001/XMLSchema-instance"
DECLARATION = '<?xml version="1.0" encoding="utf-8"?>'
_NIL = f"{{{XSI_NAMESPACE}}}nil"

_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#xD;"})
_ATTR_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", '"': "&quot;"})
# Not an XML 1.0 `Char`: C0 controls but TAB LF CR, surrogates left unpaired, U+FFFE and U+FFFF.
_NOT_XML_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# --- writing -------------------------------------------------------------------------------------


def _text(value: object, path: str) -> str:
    """A scalar member's text, as DataContract writes xsd:string, xsd:boolean and numbers."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, float):
        # XmlConvert.ToString(double): "R" with the invariant culture, but INF/-INF for infinities.
        text = {math.inf: "INF", -math.inf: "-INF"}.get(value) or format_double(value)
    elif isinstance(value, (str, int)):
        text = join_surrogate_pairs(str(value))
    else:
        raise EncodeError(f"XML members must be scalars, got {type(value).__name__}", path=path)
    bad = _NOT_XML_CHAR.search(text)
    if bad is not None:
        raise EncodeError(
            f"U+{ord(bad.group()):04X} at index {bad.start()} cannot be written in XML 1.0", path=path
        )
    return text.translate(_TEXT_ESCAPES)


def _xmlns(prefix: str, namespace: str) -> str:
    """A namespace declaration attribute (`prefix` empty for the default namespace), escaped."""
    name = f"xmlns:{prefix}" if prefix else "xmlns"
    return f' {name}="{namespace.translate(_ATTR_ESCAPES)}"'


def _element(name: str, body: str, xmlns: str = "") -> str:
    """`<name>body</name>`, or `<name />` as .NET's writer closes an element with no content."""
    return f"<{name}{xmlns}>{body}</{name}>" if body else f"<{name}{xmlns} />"


def _root(name: str, namespace: str, body: str) -> bytes:
    xmlns = _xmlns("i", XSI_NAMESPACE) + _xmlns("", namespace)
    return (DECLARATION + _element(name, body, xmlns)).encode("utf-8")


def _string_list(name: str, items: Sequence[object], depth: int, path: str) -> str:
    """A `List<string>` member: `<string>` items in the Arrays namespace under a `d{depth}p1` prefix
    the member element declares (`XmlWriterDelegator.WriteXmlnsAttribute`, as for `_meta`)."""
    prefix = f"d{depth}p1"
    strings = []
    for index, item in enumerate(items):
        if not isinstance(item, str):
            raise EncodeError(f"XML lists hold strings only, got {type(item).__name__}", path=f"{path}[{index}]")
        strings.append(_element(f"{prefix}:string", _text(item, f"{path}[{index}]")))
    return _element(name, "".join(strings), _xmlns(prefix, ARRAYS_NAMESPACE))


def encode_dto(value: Mapping[str, object], shape: DtoShape) -> bytes:
    """The DTO as DataContract XML: members in `xml_members` order, absent and None ones left out.

    Members are scalars, lists of strings or lists of DTOs (`Member.item`); anything else raises
    `EncodeError`.
    """
    return _root(shape.name, shape.xml_namespace, _members(value, shape, shape.xml_namespace, depth=2, path=""))


def _members(value: Mapping[str, object], shape: DtoShape, namespace: str, *, depth: int, path: str) -> str:
    """The member elements of one DTO whose element is in the default namespace `namespace`."""
    parts: list[str] = []
    for member, item in shape.present(value, xml=True):
        where = f"{path}.{member.name}" if path else member.name
        # A member of another namespace than its parent's re-declares the default namespace.
        xmlns = "" if member.xml_namespace == namespace else _xmlns("", member.xml_namespace)
        if member.item is not None and isinstance(item, (list, tuple)):
            parts.append(_dto_list(member.xml_name, xmlns, item, member.item, member.xml_namespace, depth, where))
        elif isinstance(item, (list, tuple)):
            parts.append(_string_list(member.xml_name, item, depth=depth, path=where))
        else:
            parts.append(_element(member.xml_name, _text(item, where), xmlns))
    return "".join(parts)


def _dto_list(name: str, xmlns: str, rows: Sequence[object], item: DtoShape, namespace: str, depth: int,
              path: str) -> str:
    """A `List<Dto>` member: one element per row, named after the DTO, in the DTO's namespace (the
    member's namespace is the default inside the member element, so a row re-declares it only
    when the DTO lives elsewhere)."""
    row_xmlns = "" if item.xml_namespace == namespace else _xmlns("", item.xml_namespace)
    body = []
    for index, row in enumerate(rows):
        if not isinstance(row, Mapping):
            raise EncodeError(f"{item.name} rows must be objects, got {type(row).__name__}", path=f"{path}[{index}]")
        inner = _members(row, item, item.xml_namespace, depth=depth + 2, path=f"{path}[{index}]")
        body.append(_element(item.name, inner, row_xmlns))
    return _element(name, "".join(body), xmlns)


def _meta(meta: Mapping[str, str], depth: int) -> str:
    """A Dictionary<string, string> member's content; its items live in the Arrays namespace.

    `XmlWriterDelegator.WriteXmlnsAttribute` names an undeclared namespace `d{depth}p{n}`, depth
    counting the elements open, the root being 1.
    """
    prefix = f"d{depth}p1"
    items = "".join(
        _element(
            f"{prefix}:KeyValueOfstringstring",
            _element(f"{prefix}:Key", _text(key, "meta")) + _element(f"{prefix}:Value", _text(item, key)),
        )
        for key, item in meta.items()
    )
    return _element("Meta", items, _xmlns(prefix, ARRAYS_NAMESPACE))


def _status_body(status: Mapping[str, Any], shape: DtoShape, depth: int) -> str:
    """Members of a ResponseStatus or ResponseError (all in the root's namespace), in order.

    `status` comes from `normalize_status`, so it holds known members only, already in order.
    """
    members = shape.by_name()
    parts: list[str] = []
    for name, item in status.items():
        member = members[name]
        if name in MAP_MEMBERS:
            parts.append(_meta(item, depth + 1))
        elif name in LIST_MEMBERS:
            row_shape = LIST_MEMBERS[name]
            rows = "".join(_element(row_shape.name, _status_body(row, row_shape, depth + 2)) for row in item)
            parts.append(_element(member.xml_name, rows))
        else:
            parts.append(_element(member.xml_name, _text(item, name)))
    return "".join(parts)


def encode_error(status: Mapping[str, object]) -> bytes:
    """ServiceStack's `ErrorResponse { ResponseStatus }` in `http://schemas.servicestack.net/types`.

    `status` is the inner ResponseStatus mapping (`errorCode`, `message`, `errors`, ...).
    """
    body = _element("ResponseStatus", _status_body(normalize_status(status), RESPONSE_STATUS, depth=2))
    return _root(ERROR_RESPONSE.name, ERROR_RESPONSE.xml_namespace, body)


# --- reading -------------------------------------------------------------------------------------


def parse(data: bytes | str) -> Element:
    """Parse with defusedxml, which refuses DTDs, entities and external references."""
    try:
        return safe_etree.fromstring(data, forbid_dtd=True)
    except safe_etree.ParseError as exc:
        line, column = exc.position
        raise XmlDecodeError(str(exc).split(":")[0], line=line, column=column) from None
    except DefusedXmlException as exc:
        raise XmlDecodeError(f"forbidden construct ({type(exc).__name__}): {exc}") from None


def _parse_marking_arrays(data: bytes | str) -> tuple[Element, set[int]]:
    """Parse like `parse`, and also return the ids of the elements that declare the Arrays
    namespace: ElementTree drops namespace declarations, yet they are all that tells an empty
    `List<string>` member (`<Roles xmlns:d2p1="...Arrays" />`) from an empty string."""
    source = io.BytesIO(data.encode("utf-8") if isinstance(data, str) else data)
    marked: set[int] = set()
    declares_arrays = False
    root: Element | None = None
    try:
        for event, item in safe_etree.iterparse(source, events=("start-ns", "start"), forbid_dtd=True):
            if event == "start-ns":
                declares_arrays = declares_arrays or item[1] == ARRAYS_NAMESPACE
                continue
            if root is None:
                root = item
            if declares_arrays:
                marked.add(id(item))
                declares_arrays = False
    except safe_etree.ParseError as exc:
        line, column = exc.position
        raise XmlDecodeError(str(exc).split(":")[0], line=line, column=column) from None
    except DefusedXmlException as exc:
        raise XmlDecodeError(f"forbidden construct ({type(exc).__name__}): {exc}") from None
    assert root is not None  # iterparse raises on a document without an element
    return root, marked


def _string_items(element: Element, marked: set[int]) -> list[str] | None:
    """The items of a `List<string>` member, or None when `element` is not one: every child is a
    `<string>` of the Arrays namespace, or there is none and the element declares that namespace."""
    children = list(element)
    if not children:
        return [] if id(element) in marked and element.get(_NIL) != "true" else None
    if all(_split(child.tag) == (ARRAYS_NAMESPACE, "string") for child in children):
        return [child.text or "" for child in children]
    return None


def _split(tag: str) -> tuple[str, str]:
    """`{namespace}Local` into `(namespace, "Local")`."""
    if tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        return namespace, local
    return "", tag


def _camel(local: str) -> str:
    return local[:1].lower() + local[1:]


def _generic(element: Element) -> object:
    """An element of no known layout: None if nil, its text if it has no children, else a dict
    (a list when every child has the same name, as DataContract writes collections)."""
    if element.get(_NIL) == "true":
        return None
    children = list(element)
    if not children:
        return element.text or ""
    names = {_split(child.tag)[1] for child in children}
    if len(names) == 1 and len(children) > 1:
        return [_generic(child) for child in children]
    return {_camel(_split(child.tag)[1]): _generic(child) for child in children}


def _expect_root(root: Element, name: str, namespace: str) -> None:
    if _split(root.tag) != (namespace, name):
        found_ns, found = _split(root.tag)
        raise XmlDecodeError(f"expected root <{name}> in {namespace!r}, found <{found}> in {found_ns!r}")


def decode_dto(data: bytes | str, shape: DtoShape) -> dict[str, Any]:
    """The DTO's members by camelCase wire name, in document order.

    An empty element reads as `""`, an `i:nil="true"` one as None, a `List<string>` as a list, a
    list of DTOs as a list of their members; typed members read as their type (`read_members`).
    Elements the shape does not know are kept under their camelCased name; a known name in the
    wrong namespace -- which DataContractSerializer would silently drop -- raises `XmlDecodeError`.
    """
    root, marked = _parse_marking_arrays(data)
    _expect_root(root, shape.name, shape.xml_namespace)
    return read_members(_read_members(root, shape, marked), shape)


def _read_members(element: Element, shape: DtoShape, marked: set[int]) -> dict[str, Any]:
    known = shape.by_xml_name()
    by_local = {member.xml_name: member for member in shape.members}
    result: dict[str, Any] = {}
    for child in element:
        namespace, local = _split(child.tag)
        member = known.get((namespace, local))
        if member is None and local in by_local:
            expected = by_local[local].xml_namespace
            raise XmlDecodeError(f"<{local}> is in namespace {namespace!r}, expected {expected!r}")
        if member is not None and member.item is not None and child.get(_NIL) != "true":
            row_shape = member.item
            result[member.name] = [_read_members(row, row_shape, marked) for row in child]
            continue
        strings = _string_items(child, marked)
        result[member.name if member else _camel(local)] = _generic(child) if strings is None else strings
    return result


def _read_meta(element: Element) -> object:
    if element.get(_NIL) == "true":
        return None
    meta: dict[str, str] = {}
    for item in element:
        fields = {_split(part.tag)[1]: part.text or "" for part in item}
        meta[fields.get("Key", "")] = fields.get("Value", "")
    return meta


def _read_status(element: Element) -> dict[str, Any]:
    """A ResponseStatus or ResponseError element in JSON's wire shape."""
    result: dict[str, Any] = {}
    for child in element:
        name = _camel(_split(child.tag)[1])
        if name in MAP_MEMBERS:
            result[name] = _read_meta(child)
        elif name in LIST_MEMBERS and child.get(_NIL) != "true":
            result[name] = [_read_status(row) for row in child]
        else:
            result[name] = _generic(child)
    return result


def decode_error(data: bytes | str) -> dict[str, Any]:
    """An `ErrorResponse` as `{"responseStatus": {...}}`, the shape JSON has (section 5)."""
    root = parse(data)
    _expect_root(root, ERROR_RESPONSE.name, ERROR_RESPONSE.xml_namespace)
    result: dict[str, Any] = {}
    for child in root:
        if _split(child.tag)[1] == "ResponseStatus":
            result["responseStatus"] = None if child.get(_NIL) == "true" else _read_status(child)
        else:
            result[_camel(_split(child.tag)[1])] = _generic(child)
    return result
