"""Typed errors of the mock server; every one derives from `MockError`.

Two families: start-up errors (`ConfigError`, `FixtureError`), which stop the server before it
listens, and `HttpFailure`s, which are answers. An `HttpFailure` carries its status and renders
itself as a `Reply` in the negotiated format, in the contract's error shape (CONTRACT.md section 5):
`{"responseStatus":{"errorCode","message","errors":[...]}}`, never a stack trace. The two
exceptions to that shape, the anonymous 401 (empty) and the 403 (text), render themselves too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from evokit.contract.servicestack import WWW_AUTHENTICATE
from evokit.mockserver.core.replies import Reply

if TYPE_CHECKING:
    from evokit.contract.formats import Codec

# ResponseStatus / ResponseError member names. The codecs own this framework layout
# (contract/formats/status.py); `check_error_names` confirms the contract defines the same names.
STATUS_MEMBERS = ("errorCode", "message", "errors")
FIELD_ERROR_MEMBERS = ("errorCode", "fieldName", "message")

# Field error codes of the control plane's validation (seeded sessions, faults).
NOT_EMPTY, INVALID_TYPE, OUT_OF_RANGE, INVALID_VALUE, UNKNOWN_MEMBER = (
    "NotEmpty", "InvalidType", "OutOfRange", "InvalidValue", "UnknownMember",
)


class MockError(Exception):
    """Root of every error the mock server raises on purpose."""


class ConfigError(MockError, ValueError):
    """A `MockConfig` that cannot work; lists every problem found."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("invalid mock configuration: " + "; ".join(self.problems))


# How many fixture problems the one-line start-up error spells out before it only counts the rest.
SHOWN_FIXTURE_PROBLEMS = 3


class FixtureError(MockError):
    """A fixture folder or file that cannot be served: missing, unreadable, not JSON, or not
    matching the contract or the kit's fixture rules (`evokit.contract.fixture_rules`).

    `str()` is one line naming the path and the problem (or the first few, with a count), which is
    what the CLI prints; `problems` holds every `FixtureProblem` behind it.
    """

    def __init__(self, path: Path, problem: str, *, problems: Sequence[object] = ()) -> None:
        self.path = path
        self.problem = problem
        self.problems = tuple(problems)
        super().__init__(f"{path}: {problem}")

    @classmethod
    def from_problems(cls, path: Path, problems: Sequence[object]) -> FixtureError:
        """One error for every problem: the first few on one line, then a count of the rest."""
        shown = "; ".join(str(problem) for problem in problems[:SHOWN_FIXTURE_PROBLEMS])
        rest = len(problems) - SHOWN_FIXTURE_PROBLEMS
        head = f"{len(problems)} problems: " if len(problems) > 1 else ""
        tail = f" (and {rest} more)" if rest > 0 else ""
        return cls(path, f"{head}{shown}{tail}", problems=problems)


@dataclass(frozen=True)
class FieldError:
    """One entry of `responseStatus.errors`: a problem with one request property."""

    error_code: str
    field_name: str
    message: str

    def to_wire(self) -> dict[str, str]:
        return dict(zip(FIELD_ERROR_MEMBERS, (self.error_code, self.field_name, self.message)))


class HttpFailure(MockError):
    """An error answer: status, ServiceStack `errorCode` and message, optional field errors.

    Subclasses fix the status and the default code; `errorCode` is what ServiceStack writes, the
    exception's type name or the HTTP status name (`HttpError(HttpStatusCode)`).
    """

    default_status: ClassVar[int] = 500
    default_code: ClassVar[str] = "Exception"

    def __init__(
        self,
        message: str,
        *,
        error_code: str | None = None,
        errors: Iterable[FieldError] = (),
        headers: Mapping[str, str] | None = None,
        status: int | None = None,
    ) -> None:
        self.status = status or self.default_status
        self.message = message
        self.error_code = error_code or self.default_code
        self.errors = tuple(errors)
        self.headers = dict(headers or {})
        super().__init__(f"{self.status} {self.error_code}: {message}")

    def response_status(self) -> dict[str, object]:
        """The inner ResponseStatus; `errors` is always present, possibly empty (section 5)."""
        values = (self.error_code, self.message, [error.to_wire() for error in self.errors])
        return dict(zip(STATUS_MEMBERS, values))

    def reply(self, codec: Codec) -> Reply:
        """The answer in `codec`'s format."""
        return Reply(self.status, codec.encode_error(self.response_status()), codec.content_type, self.headers)


class BadRequest(HttpFailure):
    default_status = 400
    default_code = "BadRequest"


class SerializationFailure(BadRequest):
    """The body could not be read into the request DTO (section 2); raised before any auth check."""

    default_code = "SerializationException"


class ArgumentFailure(BadRequest):
    """A request value the service refuses by throwing `ArgumentException(message, paramName)`:
    ServiceStack answers 400 with a field error on the parameter (`ServiceStackHost.Runtime`)."""

    default_code = "ArgumentException"

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message, errors=[FieldError(self.default_code, field, message)])


class ValidationFailure(BadRequest):
    """Request properties that break a validator; the first one's code and message lead."""

    def __init__(self, errors: Sequence[FieldError]) -> None:
        first = errors[0]
        super().__init__(first.message, error_code=first.error_code, errors=errors)


class Unauthorized(HttpFailure):
    """401 with a ResponseStatus: wrong credentials, or `GET /auth` without a session (section 3)."""

    default_status = 401
    default_code = "Unauthorized"


class NotAuthenticated(HttpFailure):
    """401 for an anonymous caller: empty body and a Basic challenge (section 3)."""

    default_status = 401
    default_code = "Unauthorized"

    def __init__(self) -> None:
        super().__init__("Not Authenticated", headers={"WWW-Authenticate": WWW_AUTHENTICATE})

    def reply(self, codec: Codec) -> Reply:
        return Reply(self.status, b"", None, self.headers)


class Forbidden(HttpFailure):
    """403 for an authenticated caller without the role: `text/plain` starting `Forbidden`.

    The body mirrors ServiceStack's `ForbiddenHttpHandler` with debug mode off.
    """

    default_status = 403
    default_code = "Forbidden"

    def __init__(self, *, method: str, path: str, query: str) -> None:
        self.text = f"Forbidden\n\nRequest.HttpMethod: {method}\nRequest.PathInfo: {path}\nRequest.QueryString: {query}\n\n"
        super().__init__("Invalid Role")

    def reply(self, codec: Codec) -> Reply:
        return Reply(self.status, self.text.encode("utf-8"), "text/plain", self.headers)


class NotFound(HttpFailure):
    default_status = 404
    default_code = "NotFound"


class MethodNotAllowed(HttpFailure):
    """405: ServiceStack's `NotImplementedException`/`NotSupportedException` map to it."""

    default_status = 405
    default_code = "MethodNotAllowed"


class PayloadTooLarge(HttpFailure):
    default_status = 413
    default_code = "RequestEntityTooLarge"

    def __init__(self, limit: int) -> None:
        super().__init__(f"The request body is larger than the limit of {limit} bytes")


class Conflict(HttpFailure):
    """409: a control call that would overwrite what exists (seeding a session id already stored)."""

    default_status = 409
    default_code = "Conflict"


class ControlTokenRequired(HttpFailure):
    """401 for a control call without the `--control-token` in `X-Mock-Token`.

    RFC 9110 section 15.5.2: a 401 carries a challenge; the scheme names the header to send.
    """

    default_status = 401
    default_code = "Unauthorized"

    def __init__(self, header: str) -> None:
        super().__init__(
            f"The control plane needs the {header} header with the mock's control token",
            headers={"WWW-Authenticate": f'{header} realm="/__mock"'},
        )


class InternalError(HttpFailure):
    """The last resort for a bug in the mock: a 500 ResponseStatus, never a trace (section 5)."""

    default_status = 500
    default_code = "InternalServerError"


def from_status(status: int, message: str) -> HttpFailure:
    """A failure for an HTTP status raised outside the mock's own code (routing, the WSGI layer).

    The code is the status's name without spaces, as .NET's `HttpStatusCode` spells it.
    """
    code = HTTPStatus(status).phrase.replace(" ", "").replace("-", "")
    return HttpFailure(message, error_code=code, status=status)


class StoreUnreachable(MockError):
    """The shared store (`--store redis://...`) cannot be reached when the mock starts: the CLI
    prints this one line and exits 1, before anything listens."""


class StoreUnavailable(HttpFailure):
    """503: the shared store went away under a running mock. Every request that needs it gets this
    until it is back; the store's client reconnects by itself, so nothing needs restarting.

    The code is what ServiceStack's `HttpError(HttpStatusCode.ServiceUnavailable, message)` writes;
    `Retry-After` tells a client when trying again is worth it (RFC 9110 section 10.2.3).
    """

    default_status = 503

    def __init__(self, message: str) -> None:
        super().__init__(message, error_code="ServiceUnavailable", headers={"Retry-After": "1"})


class InjectedFault(HttpFailure):
    """The answer of a fault with a `status` (`POST /__mock/faults`): the contract's error shape.

    As ServiceStack's `new HttpError(HttpStatusCode)` writes it, the code and the message are both
    the status's .NET name (`HttpError(statusCode, statusCode.ToString(), null)` falls back to the
    code for the message): 503 gives `ServiceUnavailable`. `X-Mock-Fault` names the fault; a 401
    carries the Basic challenge every 401 of the service carries (section 3).
    """

    def __init__(self, status: int, fault_id: str) -> None:
        code = from_status(status, "").error_code
        headers = {FAULT_HEADER: fault_id}
        if status == 401:
            headers["WWW-Authenticate"] = WWW_AUTHENTICATE
        super().__init__(code, error_code=code, status=status, headers=headers)


# Names the fault that delayed or answered a request.
FAULT_HEADER = "X-Mock-Fault"


def check_error_names(defined: Mapping[str, Sequence[str]]) -> list[str]:
    """Names the error shape uses that the contract's `ResponseStatus`/`ResponseError` lack."""
    wanted = {"ResponseStatus": STATUS_MEMBERS, "ResponseError": FIELD_ERROR_MEMBERS}
    return [f"{dto}.{name}" for dto, names in wanted.items() for name in names if name not in defined.get(dto, ())]
