"""evokit's contract: the AI-session DTOs as JSON Schema and OpenAPI, generated from the seed DTO page
and the family's ServiceStack MetadataTypes document.

Everything else in the kit reaches schemas, operations, routes and roles through `load_contract()`.
"""

from evokit.contract.errors import (
    ContractError,
    DtoPageError,
    MetadataError,
    MetadataSourceError,
    NativeTypesError,
    SourceConflictError,
    StaleContractError,
    UnknownDtoError,
)
from evokit.contract.model import Contract, Operation, Route, SchemaViolation, load_contract, read_contract

__all__ = [
    "Contract",
    "ContractError",
    "DtoPageError",
    "MetadataError",
    "MetadataSourceError",
    "NativeTypesError",
    "Operation",
    "Route",
    "SchemaViolation",
    "SourceConflictError",
    "StaleContractError",
    "UnknownDtoError",
    "load_contract",
    "read_contract",
]
