"""A fault asked for by the request itself: `X-Mock-Fault: status=503; latency=300`.

In the spirit of Prism's `Prefer:` header, a frontend test makes one call slow or failing without
touching the control plane, so parallel tests cannot step on each other's faults:

- `status=N`: answer this registered 4xx/5xx status in the service's error shape (as a control-plane
  fault with `status` does);
- `latency=MS` or `latency=MIN-MAX`: delay the answer, fixed or drawn from the range, on top of
  `--latency`.

Both may be given, separated by `;` (or `,`). A request fault replaces any control-plane fault for
that request; it never applies to OPTIONS or to control calls, and is ignored with `--no-control`
(the mock then behaves as the real service, which knows no such header). A header that cannot be
read is a 400 `ArgumentException` naming the part at fault. Pure: no HTTP here.
"""

from __future__ import annotations

import random

from evokit.mockserver.control.faults import Decision, parse_status
from evokit.mockserver.core.config import MAX_LATENCY_MS
from evokit.mockserver.core.errors import INVALID_VALUE, UNKNOWN_MEMBER, FieldError, ValidationFailure

# The request header, and the fault id the journal and the answer's `X-Mock-Fault` give it.
HEADER = "X-Mock-Fault"
ENVIRON_KEY = "HTTP_X_MOCK_FAULT"
FAULT_ID = "header"
KEYS = ("status", "latency")


def _latency(text: str, errors: list[FieldError]) -> tuple[int, int] | None:
    low, dash, high = text.partition("-")
    try:
        bounds = (int(low), int(high) if dash else int(low))
    except ValueError:
        bounds = (-1, -1)
    if not 0 <= bounds[0] <= bounds[1] <= MAX_LATENCY_MS:
        errors.append(FieldError(INVALID_VALUE, f"{HEADER}.latency",
                                 f"{HEADER} latency must be MS or MIN-MAX milliseconds from 0 to {MAX_LATENCY_MS}, got {text!r}"))
        return None
    return bounds


def parse_request_fault(value: str) -> tuple[int | None, tuple[int, int] | None]:
    """`(status, (min, max) latency)` of a header value; raises `ValidationFailure` (400) listing
    every part that cannot be read."""
    errors: list[FieldError] = []
    status: int | None = None
    latency: tuple[int, int] | None = None
    parts = [part.strip() for part in value.replace(",", ";").split(";") if part.strip()]
    if not parts:
        errors.append(FieldError(INVALID_VALUE, HEADER, f"{HEADER} needs status=N, latency=MS or both"))
    for part in parts:
        key, equals, text = (piece.strip() for piece in part.partition("="))
        key = key.lower()
        if key not in KEYS or not equals:
            errors.append(FieldError(UNKNOWN_MEMBER, HEADER, f"{HEADER} takes status=N and latency=MS, not {part!r}"))
        elif key == "status":
            field_errors: list[FieldError] = []
            status = parse_status(int(text) if text.isdigit() else text, field_errors)
            errors += [FieldError(e.error_code, f"{HEADER}.status", f"{HEADER} {e.message.strip()}") for e in field_errors]
        else:
            latency = _latency(text, errors)
    if errors:
        raise ValidationFailure(errors)
    return status, latency


def request_decision(value: str, rng: random.Random) -> Decision:
    """The `Decision` a header value asks for (see `parse_request_fault`)."""
    status, latency = parse_request_fault(value)
    low, high = latency or (0, 0)
    return Decision(FAULT_ID, low if low == high else rng.randint(low, high), status)
