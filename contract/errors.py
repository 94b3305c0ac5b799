"""Typed errors of the contract package; every one derives from `ContractError`."""

from __future__ import annotations


class ContractError(Exception):
    """Root of every error the contract package raises on purpose."""


class DtoPageError(ContractError):
    """A DTO metadata page that cannot be read; names the offending line (1-based)."""

    def __init__(self, message: str, *, line: int, source: str = "<page>") -> None:
        self.message = message
        self.line = line
        self.source = source
        super().__init__(f"{source}:{line}: {message}")


class StaleContractError(ContractError):
    """The committed generated files differ from what the DTO page generates."""

    def __init__(self, stale: list[str]) -> None:
        self.stale = stale
        names = ", ".join(stale)
        super().__init__(f"generated contract is out of date ({names}): run `evokit contract build`")


class UnknownDtoError(ContractError, KeyError):
    """A schema or operation was looked up by a name the contract does not define."""

    def __init__(self, name: str, known: list[str]) -> None:
        self.name = name
        self.known = known
        super().__init__(f"unknown DTO or operation {name!r}; the contract defines: {', '.join(known)}")

    def __str__(self) -> str:  # KeyError would quote the whole message otherwise
        return self.args[0]


class MetadataError(ContractError):
    """A ServiceStack MetadataTypes document that cannot be read; names the member at fault by
    its JSON path (`operations[3].request.properties[1].type`)."""

    def __init__(self, path: str, message: str, *, source: str | None = None) -> None:
        self.path = path
        self.message = message
        self.source = source
        prefix = f"{source}: " if source else ""
        super().__init__(f"{prefix}{path}: {message}")


class MetadataSourceError(ContractError):
    """The MetadataTypes document could not be fetched or read: an unreachable URL, a status other
    than 200, a body that is not JSON, a file that cannot be opened."""


class SourceConflictError(ContractError):
    """The DTO page and the MetadataTypes document disagree on a fact both state."""


class NativeTypesError(ContractError):
    """A MetadataTypes document the DTO generators refuse to write as code: a name that is not a
    token, as ServiceStack's `SafeToken` refuses it ("MetaData is potentially malicious")."""


class SourceFileError(ContractError):
    """A source file named on the command line (the DTO page) that does not exist or cannot be read."""
