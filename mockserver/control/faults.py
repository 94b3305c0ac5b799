"""Fault injection: rules that make matching requests slow or fail, for frontends to see how they cope.

A fault is added with `POST /__mock/faults`:

    {"route": "/ai/sessions/*", "method": "PATCH", "latencyMs": 200 | [100, 400],
     "status": 503, "times": 2 | "rate": 0.5, "seed": 7}

* `route` (required) is a glob on the request path: `*` matches within one segment, `**` across
  segments, `?` one character; letter case is ignored, as ServiceStack matches route literals.
  The query string is not part of the path.
* `method` (optional) limits the fault to one method; without it every method but OPTIONS matches.
  OPTIONS never gets a fault: the CORS layer answers it first (CONTRACT.md section 7).
* `latencyMs` delays the answer, fixed or drawn uniformly from `[min, max]`; `status` (400-599)
  replaces the answer with that error (the middleware renders it). One of the two is required.
* `times` fires on the next N matching requests only; `rate` fires on each matching request with
  that probability; without either the fault fires every time. `seed` makes `rate` and a latency
  range repeatable: the same requests in the same order give the same outcomes.

Faults are tried in the order they were added; the first that matches and fires applies, and only
it. A spent `times` fault stays listed with `remaining: 0` until removed. Pure apart from the lock:
no HTTP here (the middleware applies decisions, the control plane parses bodies).
"""

from __future__ import annotations

import itertools
import random
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from http import HTTPStatus

from evokit.mockserver.core.config import MAX_LATENCY_MS
from evokit.mockserver.core.errors import (
    INVALID_TYPE,
    INVALID_VALUE,
    NOT_EMPTY,
    OUT_OF_RANGE,
    UNKNOWN_MEMBER,
    FieldError,
    ValidationFailure,
)

# Every method a fault may name: OPTIONS is left out on purpose (see the module docstring).
METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD")
MEMBERS = ("route", "method", "latencyMs", "status", "times", "rate", "seed")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def glob_regex(pattern: str) -> re.Pattern[str]:
    """The path glob as a regex: `**` any text, `*` any text but `/`, `?` one character but `/`."""
    parts = []
    for token in re.split(r"(\*\*|\*|\?)", pattern):
        parts.append({"**": ".*", "*": "[^/]*", "?": "[^/]"}.get(token, re.escape(token)))
    return re.compile("".join(parts), re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class FaultSpec:
    """A validated fault, as the caller asked for it. `latency_ms` is `(min, max)`;
    `latency_range` says whether it was sent as a range (so it is listed back the same way)."""

    route: str
    method: str | None = None
    latency_ms: tuple[int, int] | None = None
    latency_range: bool = False
    status: int | None = None
    times: int | None = None
    rate: float | None = None
    seed: int | None = None


def _route(value: object, errors: list[FieldError]) -> str:
    if not isinstance(value, str) or not value.strip():
        errors.append(FieldError(NOT_EMPTY, "route", "'route' must be a non-empty path glob such as /ai/sessions/*"))
        return ""
    if not value.startswith("/"):
        errors.append(FieldError(INVALID_VALUE, "route", "'route' must start with '/'"))
    return value


def _method(value: object, errors: list[FieldError]) -> str | None:
    if value is None:
        return None
    method = value.upper() if isinstance(value, str) else None
    if method == "OPTIONS":
        errors.append(FieldError(INVALID_VALUE, "method", "OPTIONS is answered by the CORS layer before any fault applies"))
    elif method not in METHODS:
        errors.append(FieldError(INVALID_VALUE, "method", f"'method' must be one of {', '.join(METHODS)}"))
    return method


def _latency(value: object, errors: list[FieldError]) -> tuple[int, int] | None:
    if value is None:
        return None
    items: list[object] = [value, value] if _is_int(value) else list(value) if isinstance(value, list) else []
    bounds = [item for item in items if isinstance(item, int) and not isinstance(item, bool)]
    if len(items) != 2 or len(bounds) != 2:
        errors.append(FieldError(INVALID_TYPE, "latencyMs", "'latencyMs' must be milliseconds N or a range [min, max]"))
        return None
    low, high = bounds
    if not 0 <= low <= high <= MAX_LATENCY_MS:
        errors.append(FieldError(OUT_OF_RANGE, "latencyMs", f"'latencyMs' must satisfy 0 <= min <= max <= {MAX_LATENCY_MS}"))
        return None
    return low, high


def _bounded_int(name: str, value: object, low: int, high: int | None, errors: list[FieldError]) -> int | None:
    if value is None:
        return None
    if not _is_int(value):
        errors.append(FieldError(INVALID_TYPE, name, f"'{name}' must be an integer"))
        return None
    if value < low or (high is not None and value > high):  # type: ignore[operator]
        limit = f"from {low} to {high}" if high is not None else f"at least {low}"
        errors.append(FieldError(OUT_OF_RANGE, name, f"'{name}' must be {limit}"))
        return None
    return value  # type: ignore[return-value]


def parse_status(value: object, errors: list[FieldError]) -> int | None:
    """A fault's `status`: a registered HTTP status from 400 to 599, or None with the reason in `errors`."""
    status = _bounded_int("status", value, 400, 599, errors)
    if status is not None and status not in _ERROR_STATUSES:
        errors.append(FieldError(INVALID_VALUE, "status", f"'status' {status} is not a registered HTTP status"))
        return None
    return status


_ERROR_STATUSES = frozenset(int(status) for status in HTTPStatus if 400 <= status <= 599)


def _rate(value: object, errors: list[FieldError]) -> float | None:
    if value is None:
        return None
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        errors.append(FieldError(INVALID_TYPE, "rate", "'rate' must be a number from 0 to 1"))
        return None
    if not 0 <= value <= 1:
        errors.append(FieldError(OUT_OF_RANGE, "rate", "'rate' must be from 0 to 1"))
        return None
    return float(value)


def parse_fault(document: object) -> FaultSpec:
    """A `FaultSpec` from the JSON body of `POST /__mock/faults`; raises `ValidationFailure`
    (400) listing every problem found, each with the member it is about."""
    if not isinstance(document, Mapping):
        raise ValidationFailure([FieldError(INVALID_TYPE, "", "a fault is a JSON object")])
    errors = [
        FieldError(UNKNOWN_MEMBER, str(name), f"unknown member '{name}'; a fault has {', '.join(MEMBERS)}")
        for name in document if name not in MEMBERS
    ]
    get = document.get
    latency = _latency(get("latencyMs"), errors)
    spec = FaultSpec(
        route=_route(get("route"), errors),
        method=_method(get("method"), errors),
        latency_ms=latency,
        latency_range=isinstance(get("latencyMs"), list),
        status=parse_status(get("status"), errors),
        times=_bounded_int("times", get("times"), 1, None, errors),
        rate=_rate(get("rate"), errors),
        seed=_bounded_int("seed", get("seed"), -(2**63), 2**63 - 1, errors),
    )
    if get("latencyMs") is None and get("status") is None:
        errors.append(FieldError(NOT_EMPTY, "latencyMs", "a fault needs 'latencyMs', 'status' or both"))
    if get("times") is not None and get("rate") is not None:
        errors.append(FieldError(INVALID_VALUE, "rate", "'times' and 'rate' exclude each other"))
    if errors:
        raise ValidationFailure(errors)
    return spec


@dataclass(frozen=True)
class Decision:
    """What a fault does to one request: delay it, and maybe answer `status` instead."""

    fault_id: str
    latency_ms: int
    status: int | None


@dataclass
class Fault:
    """A fault in force: its spec, its own random generator, what is left of `times`, and how
    often it fired. Mutated only under the `FaultBook`'s lock."""

    fault_id: str
    spec: FaultSpec
    pattern: re.Pattern[str] = field(repr=False)
    rng: random.Random = field(repr=False)
    remaining: int | None
    hits: int = 0

    def matches(self, method: str, path: str) -> bool:
        """Whether a request is this fault's: its method (never OPTIONS) and a path the glob matches."""
        if method == "OPTIONS" or (self.spec.method is not None and method != self.spec.method):
            return False
        return self.pattern.fullmatch(path) is not None

    def fire(self) -> Decision | None:
        """Whether this matching request gets the fault, consuming `times` or a `rate` draw."""
        if self.remaining == 0:
            return None
        if self.spec.rate is not None and not self.rng.random() < self.spec.rate:
            return None
        if self.remaining is not None:
            self.remaining -= 1
        self.hits += 1
        low, high = self.spec.latency_ms or (0, 0)
        latency = low if low == high else self.rng.randint(low, high)
        return Decision(self.fault_id, latency, self.spec.status)

    def to_wire(self) -> dict[str, object]:
        """The fault as the control plane lists it; absent members left out."""
        spec = self.spec
        latency: object = None
        if spec.latency_ms is not None:
            latency = list(spec.latency_ms) if spec.latency_range else spec.latency_ms[0]
        values = {
            "id": self.fault_id, "route": spec.route, "method": spec.method, "latencyMs": latency,
            "status": spec.status, "times": spec.times, "remaining": self.remaining, "rate": spec.rate,
            "seed": spec.seed, "hits": self.hits,
        }
        return {name: value for name, value in values.items() if value is not None}


class FaultBook:
    """The faults in force, in the order added. Thread-safe: one lock around every change and
    every decision, so `times` counts and seeded draws follow the order requests arrive in."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def add(self, spec: FaultSpec) -> Fault:
        """Put `spec` in force; returns the fault with its new id (`f1`, `f2`, ...)."""
        rng = random.Random(spec.seed) if spec.seed is not None else random.Random()
        with self._lock:
            fault = Fault(f"f{next(self._ids)}", spec, glob_regex(spec.route), rng, spec.times)
            self._faults.append(fault)
            return fault

    def listed(self) -> list[dict[str, object]]:
        """Every fault as the control plane shows it."""
        with self._lock:
            return [fault.to_wire() for fault in self._faults]

    def remove(self, fault_id: str) -> bool:
        """Remove one fault; whether it was there."""
        with self._lock:
            kept = [fault for fault in self._faults if fault.fault_id != fault_id]
            found = len(kept) != len(self._faults)
            self._faults = kept
            return found

    def clear(self) -> int:
        """Remove every fault; returns how many there were."""
        with self._lock:
            count = len(self._faults)
            self._faults = []
            return count

    def decide(self, method: str, path: str) -> Decision | None:
        """The decision of the first fault that matches `method` and `path` and fires, if any."""
        if not self._faults:  # the common case, without the lock (a list read is atomic)
            return None
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, path):
                    decision = fault.fire()
                    if decision is not None:
                        return decision
        return None

