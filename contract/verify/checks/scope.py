"""Which exchanges the response checks judge, and as what: the selected operation an exchange
exercised (by route and verb), whether it writes the session it answers, the DTO its status
carries, and where section 8 leaves a layout open."""

from __future__ import annotations

from evokit.contract.formats import Format
from evokit.contract.model import Operation
from evokit.contract.verify.run.http import Exchange
from evokit.contract.verify.run.probe import CheckContext
from evokit.contract.verify.run.wire import ERROR_DTO, dto_for_status, format_named_by


def operation_of(ctx: CheckContext, exchange: Exchange) -> Operation | None:
    """The selected operation the exchange exercised (None for /auth, OPTIONS, an unselected one:
    a run of the PATCH alone judges no GET or DELETE on the same path, section 8)."""
    call = exchange.call
    return next(
        (op for op in ctx.selected for route in op.routes if (route.method, route.path) == (call.method, call.route)),
        None,
    )


def is_operation_call(ctx: CheckContext, exchange: Exchange) -> bool:
    """Whether the exchange exercised an operation under test (not /auth, not OPTIONS)."""
    return operation_of(ctx, exchange) is not None


def writes_session(ctx: CheckContext, exchange: Exchange) -> bool:
    """Whether the exchange's operation changes the session it answers (PATCH, create, apply, the
    actions' deletes: section 8), so its dateLastModified and lastModifiedBy are this call's."""
    operation = operation_of(ctx, exchange)
    return operation is not None and exchange.call.method != "GET" and operation.response == ctx.operation.response


def layout_left_open(ctx: CheckContext, exchange: Exchange, dto: str) -> bool:
    """Section 8 leaves the XML and CSV layout of the family's other DTOs (`ListResponse`,
    `AIUsage`, `UserInfo`) open: only their format is judged, not how they are laid out."""
    return dto not in (ctx.operation.response, ERROR_DTO) and format_named_by(exchange) in (Format.XML, Format.CSV)


def dto_of(ctx: CheckContext, exchange: Exchange) -> str | None:
    return dto_for_status(ctx.contract, exchange.call.route, exchange.status, exchange.call.method)
