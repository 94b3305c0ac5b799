"""The `Contract` object: the one way the rest of the kit reaches schemas, operations, routes and roles.

It reads the committed generated documents once; validators are compiled once per schema and kept,
each with a format checker (without one, jsonschema silently ignores `format`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any

from jsonschema import Draft202012Validator

from evokit.contract.build import DEFAULT_OUTPUT
from evokit.contract.errors import ContractError, UnknownDtoError
from evokit.contract.formats.shape import DtoShape, Member
from evokit.contract.generate import OPENAPI_FILE, SCHEMAS_FILE
from evokit.contract.schemas import flattened


def _json_type(spec: Mapping[str, Any]) -> str | None:
    """A property's single JSON Schema `type`, which JSV and CSV decoders read its text as; None for
    a `$ref` or a list of types, read as written."""
    kind = spec.get("type")
    return kind if isinstance(kind, str) else None


@dataclass(frozen=True)
class Route:
    """One HTTP route of an operation, as the OpenAPI document declares it.

    `kind` is `user` for the service's own route, `api` for `/api/{Operation}` and `reply` for
    `/{format}/reply/{Operation}`, where `format` names the response format the prefix fixes.
    """

    method: str
    path: str
    operation: str
    kind: str
    format: str | None
    path_params: tuple[str, ...]


@dataclass(frozen=True)
class Operation:
    """A service operation: its DTOs, its routes and who may call it.

    `response` is the response DTO's schema name, or None for a void operation (204, no body).
    """

    name: str
    description: str
    request: str
    response: str | None
    requires_authentication: bool
    required_roles: tuple[str, ...]
    routes: tuple[Route, ...]

    @property
    def user_route(self) -> Route:
        """The service's own route (`PATCH /ai/sessions/{sessionId}`)."""
        return next(route for route in self.routes if route.kind == "user")


@dataclass(frozen=True)
class SchemaViolation:
    """One reason an instance does not match a schema, with the JSON path to the offending value."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class Contract:
    """The generated contract, read-only. Build it with `load_contract()`."""

    def __init__(self, schemas_document: Mapping[str, Any], openapi_document: Mapping[str, Any]) -> None:
        self._bundle = schemas_document
        self._openapi = openapi_document

    @property
    def openapi(self) -> Mapping[str, Any]:
        """The OpenAPI 3.1 document (do not mutate it)."""
        return self._openapi

    @cached_property
    def openapi_text(self) -> str:
        """The OpenAPI document as compact JSON, ready to serve."""
        return json.dumps(self._openapi, ensure_ascii=False, separators=(",", ":"))

    @property
    def dto_names(self) -> list[str]:
        """Names of every DTO the contract defines."""
        return list(self._bundle["$defs"])

    def schema(self, name: str) -> Mapping[str, Any]:
        """The JSON Schema of a DTO as one object schema: a derived class's base members merged in
        (the documents write it as an `allOf` over its base), in wire order."""
        return MappingProxyType(self._flat_schema(name))

    @cache
    def _flat_schema(self, name: str) -> dict[str, Any]:
        defs = self._bundle["$defs"]
        if name not in defs:
            raise UnknownDtoError(name, self.dto_names)
        return flattened(defs[name], lambda ref: defs[ref.rsplit("/", 1)[-1]])

    def properties(self, name: str) -> tuple[str, ...]:
        """A DTO's property names in wire order."""
        return tuple(self.schema(name)["properties"])

    @cache
    def validator(self, name: str) -> Draft202012Validator:
        """The compiled validator for a DTO; references resolve inside the schema bundle."""
        self.schema(name)
        schema = {"$schema": self._bundle["$schema"], "$defs": self._bundle["$defs"], "$ref": f"#/$defs/{name}"}
        return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)

    def violations(self, name: str, instance: Any) -> list[SchemaViolation]:
        """Every way `instance` breaks the schema of `name` (empty when it conforms)."""
        errors = sorted(self.validator(name).iter_errors(instance), key=lambda e: list(e.absolute_path))
        return [SchemaViolation(error.json_path, error.message) for error in errors]

    @cache
    def shape(self, name: str) -> DtoShape:
        """The codecs' view of a DTO: wire order, and DataContract order for XML (section 6).

        DataContract writes each class's members in ordinal order of their names, the root base
        class first; `x-dto.lineage` and `x-dto.declaredBy` carry that hierarchy.
        """
        schema = self.schema(name)
        members = {
            prop: Member(prop, spec["xml"]["name"], spec["xml"]["namespace"], _json_type(spec), self._item_shape(spec))
            for prop, spec in schema["properties"].items()
        }
        declared_by = schema["x-dto"]["declaredBy"]
        xml_members: list[Member] = []
        for cls in schema["x-dto"]["lineage"]:
            own = [member for prop, member in members.items() if declared_by[prop] == cls]
            xml_members.extend(sorted(own, key=lambda member: member.xml_name))
        return DtoShape(name, schema["xml"]["namespace"], tuple(members.values()), tuple(xml_members))

    def _item_shape(self, spec: Mapping[str, Any]) -> DtoShape | None:
        """The shape of a list member's elements when they are DTOs (not strings or enums)."""
        ref = spec.get("items", {}).get("$ref") if spec.get("type") == "array" else None
        if ref is None:
            return None
        target = ref.rsplit("/", 1)[-1]
        return self.shape(target) if "properties" in self.schema(target) else None

    @cached_property
    def operations(self) -> Mapping[str, Operation]:
        """Every operation of the document, by name."""
        routes: dict[str, list[Route]] = {}
        details: dict[str, dict[str, Any]] = {}
        for path, methods in self._openapi["paths"].items():
            for method, spec in methods.items():
                meta = spec["x-servicestack"]
                params = tuple(p["name"] for p in spec.get("parameters", []) if p["in"] == "path")
                routes.setdefault(meta["operation"], []).append(
                    Route(method.upper(), path, meta["operation"], meta["route"], meta["format"], params)
                )
                if meta["route"] == "user":
                    details[meta["operation"]] = spec
        result = {}
        for name, spec in details.items():
            result[name] = Operation(
                name=name,
                description=spec["summary"],
                request=name,
                response=meta_response(spec),
                requires_authentication=requires_authentication(spec),
                required_roles=tuple(spec.get("x-required-roles", ())),
                routes=tuple(routes[name]),
            )
        return MappingProxyType(result)

    def openapi_of(self, *names: str) -> dict[str, Any]:
        """The OpenAPI document narrowed to the routes of the named operations (components whole):
        what a suite holding only those operations loads, so it never sends the others' requests."""
        for name in names:
            self.operation(name)
        paths: dict[str, Any] = {}
        for path, methods in self._openapi["paths"].items():
            kept = {m: spec for m, spec in methods.items() if spec["x-servicestack"]["operation"] in names}
            if kept:
                paths[path] = kept
        return {**self._openapi, "paths": paths}

    @cached_property
    def metadata_text(self) -> str:
        """ServiceStack's MetadataTypes document of the contract (`GET /types/metadata`), as JSON."""
        from evokit.contract.metadata import metadata_types  # the package reads this module's `Contract`

        return json.dumps(metadata_types(self), ensure_ascii=False, separators=(",", ":"))

    def operation(self, name: str) -> Operation:
        """One operation by name."""
        try:
            return self.operations[name]
        except KeyError:
            raise UnknownDtoError(name, list(self.operations)) from None

    @property
    def routes(self) -> tuple[Route, ...]:
        """Every route of every operation."""
        return tuple(route for op in self.operations.values() for route in op.routes)

    @property
    def superuser_role(self) -> str:
        """The role that passes every role check (ServiceStack's `RoleNames.Admin`)."""
        return self._openapi["info"]["x-servicestack"]["superuserRole"]

    @property
    def session_cookie(self) -> str:
        """The name of the auth session cookie."""
        return self._openapi["info"]["x-servicestack"]["sessionCookie"]


def requires_authentication(spec: Mapping[str, Any]) -> bool:
    """Whether an OpenAPI operation requires authentication: it names security requirements, and
    none of them is the empty one that lets an anonymous caller in."""
    security = spec.get("security")
    return bool(security) and {} not in security


def meta_response(spec: Mapping[str, Any]) -> str | None:
    """The response DTO an OpenAPI operation declares: its `x-servicestack.response`, or for a
    document without it, the JSON 200's schema."""
    meta = spec["x-servicestack"]
    if "response" in meta:
        return meta["response"]
    content = spec["responses"].get("200", {}).get("content", {}).get("application/json")
    return content["schema"]["$ref"].rsplit("/", 1)[-1] if content else None


def read_contract(directory: Path) -> Contract:
    """Read the generated documents stored in `directory`; `ContractError` when they are unusable."""
    documents = []
    for name, required in ((SCHEMAS_FILE, "$defs"), (OPENAPI_FILE, "paths")):
        path = directory / name
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ContractError(f"{path}: cannot read the generated contract: {exc}") from None
        if not isinstance(document, dict) or required not in document:
            raise ContractError(f"{path}: not a generated contract (no {required!r}): run `evokit contract build`")
        documents.append(document)
    return Contract(*documents)


@cache
def load_contract() -> Contract:
    """The committed contract, read once per process."""
    return read_contract(DEFAULT_OUTPUT)
