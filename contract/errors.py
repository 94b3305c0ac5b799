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
