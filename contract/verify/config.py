"""`VerifyConfig`: everything a verification run needs, validated once when it is created."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from evokit.contract.verify.errors import UsageError

DEFAULT_MAX_EXAMPLES = 20
DEFAULT_TIMEOUT = 10.0
# Seconds the first connection is retried for, so `evokit mock & evokit verify` works in one script.
DEFAULT_WAIT = 5.0
# The most the verifier reads of one answer. A PatchAISession answer is one AISessionInfo, a few
# kilobytes even with a long purpose in XML; a larger body is a finding, and is not read on.
DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024

# The run groups its scenario checks in suites (run in this order); `VerifyConfig.suites` selects
# some of them. Response checks run on every exchange of every suite.
SUITES = ("auth", "request", "update", "formats", "family", "stateful", "properties", "schemathesis")
# The suites that hold PatchAISession to sections 1-7; `family` checks the other operations.
PATCH_SUITES = tuple(suite for suite in SUITES if suite != "family")


def authorization(option: str, value: str) -> str:
    """A whole `Authorization` value (`Basic <base64>`, `Bearer <token>`), or `user:password` as a
    shorthand for Basic (as Schemathesis's `-a` takes it); anything else names the option at fault."""
    if not value.strip() or any(c in value for c in "\r\n"):
        raise UsageError(f"{option} must be a single-line header value")
    scheme, space, credentials = value.strip().partition(" ")
    if space and credentials.strip():
        return value.strip()
    if ":" in value and not space:
        user, _, password = value.partition(":")
        if user:
            return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    # The value is a credential: the message describes it and never repeats it into a CI log.
    hint = "; it decodes as Basic credentials, so put 'Basic ' before it" if _decodes_to_credentials(value) else ""
    raise UsageError(
        f"{option} must be a whole Authorization header value such as 'Basic <base64>' or 'Bearer <token>', "
        f"or user:password, and the value given has no scheme{hint}"
    )


def _writable(option: str, path: Path) -> None:
    """A report path must be writable before the run starts, not found unwritable at its end."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise UsageError(f"{option} {path}: is a folder; give a file name")
    if not folder.is_dir():
        raise UsageError(f"{option} {path}: the folder {folder} does not exist")


def _decodes_to_credentials(value: str) -> bool:
    try:
        return ":" in base64.b64decode(value, validate=True).decode("utf-8")
    except ValueError:
        return False


@dataclass(frozen=True)
class VerifyConfig:
    """Options of one run. Auth values are full `Authorization` header values (`user:password`
    is accepted and stored as its Basic header).

    `admin_auth`, `user_auth` and `session_ids` may all be omitted together: they are then read from
    the kit's mock server (`/__mock/users`, `/__mock/sessions`). `superuser_auth` is optional even
    then: without it (and without a mock offering such a user) the superuser rule is skipped.
    `mock_token` is the control token of a mock started with `--control-token`, sent when reading
    those defaults.
    """

    base_url: str
    admin_auth: str | None = None
    user_auth: str | None = None
    superuser_auth: str | None = None
    session_ids: tuple[str, ...] = ()
    seed: int = 0
    max_examples: int = DEFAULT_MAX_EXAMPLES
    timeout: float = DEFAULT_TIMEOUT
    suites: tuple[str, ...] = SUITES
    junit_xml: Path | None = None
    json_report: Path | None = None
    shrink: bool = True
    mock_token: str | None = None
    markdown_report: Path | None = None
    wait: float = DEFAULT_WAIT
    max_failures: int | None = None
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES
    # Operation names to check (`--operation`); empty: every operation the contract declares.
    operations: tuple[str, ...] = ()
    # Only requests that change nothing (`--read-only`): the reads of the family, no PATCH at all.
    read_only: bool = False

    def __post_init__(self) -> None:
        parts = urlsplit(self.base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise UsageError(f"--base-url must be an absolute http(s) URL, got {self.base_url!r}")
        if parts.query or parts.fragment:
            raise UsageError("--base-url must not carry a query or a fragment")
        given = [self.admin_auth is not None, self.user_auth is not None, bool(self.session_ids)]
        if any(given) and not all(given):
            raise UsageError(
                "--admin-auth, --user-auth and --session-id go together: give all three, "
                "or none to read them from the kit's mock server"
            )
        for name in ("admin_auth", "user_auth", "superuser_auth"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, authorization(f"--{name.replace('_', '-')}", value))
        if self.mock_token is not None and (not self.mock_token.strip() or any(c in self.mock_token for c in "\r\n")):
            raise UsageError("--mock-token must be a single-line header value")
        if any(not sid or "/" in sid for sid in self.session_ids):
            raise UsageError("--session-id values must be non-empty and contain no '/'")
        if len(set(self.session_ids)) != len(self.session_ids):
            raise UsageError("--session-id values must be distinct")
        if self.max_examples < 1:
            raise UsageError("--max-examples must be at least 1")
        if self.seed < 0:
            raise UsageError("--seed must not be negative")
        if self.timeout <= 0:
            raise UsageError("--timeout must be positive")
        if self.wait < 0:
            raise UsageError("--wait must not be negative")
        if self.max_failures is not None and self.max_failures < 1:
            raise UsageError("--max-failures must be at least 1")
        if self.max_response_bytes < 1024:
            raise UsageError("--max-response-bytes must be at least 1024")
        for option, path in (("--junit-xml", self.junit_xml), ("--json-report", self.json_report),
                             ("--markdown-report", self.markdown_report)):
            if path is not None:
                _writable(option, path)
        unknown = sorted(set(self.suites) - set(SUITES))
        if unknown or not self.suites:
            raise UsageError(f"unknown suite(s) {', '.join(unknown) or '(none given)'}; known: {', '.join(SUITES)}")

    @property
    def uses_mock_defaults(self) -> bool:
        """Whether credentials and sessions must be read from the mock's control plane."""
        return self.admin_auth is None
