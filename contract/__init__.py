"""evokit's contract: the PatchAISession DTOs as JSON Schema and OpenAPI, generated from the DTO page.

Everything else in the kit reaches schemas, operations, routes and roles through `load_contract()`.
"""

from contract.errors import ContractError, DtoPageError, StaleContractError, UnknownDtoError
from contract.model import Contract, Operation, Route, SchemaViolation, load_contract, read_contract

__all__ = [
    "Contract",
    "ContractError",
    "DtoPageError",
    "Operation",
    "Route",
    "SchemaViolation",
    "StaleContractError",
    "UnknownDtoError",
    "load_contract",
    "read_contract",
]
