"""ServiceStack's `MetadataTypes` document (`GET /types/metadata`): the contract's second source.

`read_metadata` turns a decoded document into the neutral `Service` the generator consumes;
`metadata_types(contract)` writes the document describing a generated contract, which the mock
serves and which DTO generators read. Pure: fetching and file reading live in `evokit.contract.build`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from evokit.contract.metadata.reader import camel_case, read_metadata
from evokit.contract.metadata.writer import write_metadata

if TYPE_CHECKING:  # `evokit.contract.model` reads the build paths, and `evokit.contract.build` reads this package
    from evokit.contract.model import Contract


def metadata_types(contract: "Contract") -> dict[str, Any]:
    """The MetadataTypes document of the contract, in ServiceStack's shape."""
    from evokit.contract.metadata.from_contract import service_from_contract

    return write_metadata(service_from_contract(contract))


__all__ = ["camel_case", "metadata_types", "read_metadata", "write_metadata"]
