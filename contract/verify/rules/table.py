"""Every client-observable rule of CONTRACT.md the verifier checks, as one lookup table.

A rule the contract marks "(assumed)" is a framework default the live service may not follow: breaking
it is a *warning*. Every other rule is a *failure*. The rules of sections 1-7 hold for every operation
of the family (section 8 says so); section 8's own rules follow them.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType


class Severity(enum.Enum):
    """How much a broken rule matters: a failure fails the run, a warning does not."""

    FAILURE = "failure"
    WARNING = "warning"


@dataclass(frozen=True)
class Rule:
    """One rule of the contract: its short id, the CONTRACT.md section that states it, its severity."""

    id: str
    section: str
    severity: Severity
    summary: str

    def __post_init__(self) -> None:
        if not self.id or " " in self.id:
            raise ValueError(f"a rule id is one kebab-case word, got {self.id!r}")

    @property
    def label(self) -> str:
        """`§3 anonymous-401`: how reports name the rule."""
        return f"§{self.section} {self.id}"


_F, _W = Severity.FAILURE, Severity.WARNING

# (id, section, severity, summary): the table every check names its rules from.
_TABLE: tuple[tuple[str, str, Severity, str], ...] = (
    ("status-codes", "1", _F, "only the documented statuses 200, 400, 401, 403, 404 are answered"),
    ("wire-order", "1", _F, "properties are written in the DTO's wire order"),
    # The operation answers one DTO: a body past what the verifier reads (--max-response-bytes) is no
    # such answer, and reading on would let one server exhaust the run's memory.
    ("response-size", "1", _F, "an answer is one DTO, within the bytes the verifier reads of it"),
    ("predefined-format", "1.1", _F, "a pre-defined route answers ?format= else its own format; Accept is not read"),
    ("predefined-body", "1.1", _F, "a pre-defined route reads a non-form body in its own format, whatever its Content-Type"),
    ("predefined-query", "1.1", _F, "on a pre-defined route query values only fill what the body left null"),
    ("body-content-types", "2", _F, "JSON, JSV (and their text/ aliases) and form bodies are all read"),
    ("unknown-content-type-ignored", "2", _F, "a body with a missing or unknown Content-Type is ignored"),
    ("path-over-body", "2", _F, "the path's sessionId wins over the body's"),
    ("query-over-body", "2", _F, "on the user route query-string values win over the body's"),
    ("property-names", "2", _F, "property names match case-insensitively; unknown properties are ignored"),
    ("lenient-values", "2", _F, "numbers, booleans, objects and arrays become text; JSON null is absent"),
    ("malformed-body", "2", _F, "a non-object body is a 400 SerializationException; an empty body an empty DTO"),
    ("malformed-before-auth", "2", _F, "a malformed body is rejected before the auth checks"),
    ("anonymous-401", "3", _F, "no credentials: 401 with an empty body, never 403"),
    ("www-authenticate", "3", _F, "an anonymous 401 carries a WWW-Authenticate header"),
    ("www-authenticate-realm", "3", _W, 'the challenge is `basic realm="/auth/basic"`'),
    ("bad-credentials", "3", _F, "wrong credentials: 401 with a JSON ResponseStatus errorCode Unauthorized"),
    ("forbidden-403", "3", _F, "authenticated without the role: 403, text/plain, body starting `Forbidden`"),
    ("superuser-admin", "3", _F, "a user holding the superuser role passes every role check"),
    ("check-order", "3", _F, "401, then 403, then 404, then the update"),
    ("session-auth", "3", _F, "a credentials login yields a session usable by cookie and X-ss-id until logout"),
    ("not-found-404", "4", _F, "an unknown sessionId is a 404 with errorCode NotFound"),
    ("update-response", "4", _F, "success is a 200 with the updated AISessionInfo of the session acted on"),
    ("partial-update", "4", _F, "purpose is applied only when present and not null"),
    ("stored-exactly", "4", _F, "the purpose is stored exactly as sent: any Unicode, untrimmed, long"),
    ("empty-purpose", "4", _W, "an empty purpose sets the empty string"),
    ("immutable-fields", "4", _F, "id, accountId, accountName, dateCreated and createdBy never change"),
    ("date-last-modified", "4", _F, "dateLastModified moves forward, is not before dateCreated, is near Date"),
    ("date-format", "4", _W, "dateLastModified is an ISO 8601 UTC timestamp"),
    ("last-modified-by", "4", _W, "lastModifiedBy becomes the caller's user id"),
    ("no-null", "4", _F, "a property is never written as null"),
    ("error-shape", "5", _F, "errors are {responseStatus:{errorCode,message,errors:[...]}}"),
    ("no-stack-trace", "5", _F, "no stackTrace and no stack trace text in any response"),
    ("no-server-error", "5", _F, "a 5xx is always a failure"),
    ("response-format", "6", _F, "bodies and errors are in the negotiated format, never 406"),
    ("accept-text-jsv", "6", _W, "`Accept: text/jsv` is not recognised and yields JSON"),
    ("schema", "6", _F, "every body decodes in its format and matches its DTO's schema"),
    ("jsv-wire", "6", _F, "JSV is compact and quoted exactly as ServiceStack writes it"),
    ("vary-accept", "7", _F, "every response carries `Vary: Accept`"),
    ("cors", "7", _W, "CORS headers on every response; OPTIONS answers 200 empty before auth"),
    # The contract describes X-Powered-By as what ServiceStack adds, not as a promise of the service:
    # proxies commonly strip it, so its absence is reported as a warning only.
    ("x-powered-by", "7", _W, "responses carry `X-Powered-By: ServiceStack/...`"),
    ("family-create", "8", _F, "NewAISession answers 200 with a new session as sent, which GET then reads"),
    ("family-create-account", "8", _W, "an unknown or missing accountId for NewAISession is a 400 on AccountId"),
    ("family-delete", "8", _F, "DeleteAISession answers 204 with no body, and the session is gone for every operation"),
    ("family-state", "8", _F, "create, get, list, patch, apply and delete agree on what the service holds"),
    ("list-paging", "8", _W, "totalCount, totalPages and hasMorePages agree with the items across pages"),
    ("list-filter", "8", _W, "specificIds and accountIds keep exactly the matching sessions"),
    ("list-sort", "8", _W, "sortField and sortOrder order the items; the default is dateCreated, then id"),
    ("list-bad-request", "8", _W, "a bad page, countPerPage or sortField is a 400 naming it; an unbindable one precedes auth"),
    ("apply-actions", "8", _W, "apply with nothing pending changes only dateLastModified and lastModifiedBy"),
    ("clear-actions", "8", _W, "clearing answers actions: []; deleting an action the session lacks is a 404"),
    ("usage-range", "8", _W, "GetAIUsage counts only records in the range and accounts asked for; a bad date is a 400"),
    ("auth-status", "8", _F, "GetAuthStatus answers an authenticated caller 200 with its UserInfo"),
    ("auth-status-anonymous", "8", _W, "GetAuthStatus answers an anonymous caller 204 with no body"),
)

RULES: Mapping[str, Rule] = MappingProxyType({row[0]: Rule(*row) for row in _TABLE})


def rule(rule_id: str) -> Rule:
    """The rule with this id; a typo is a programming error, so it raises `KeyError`."""
    return RULES[rule_id]


def iter_rules() -> Iterator[Rule]:
    """Every rule, in contract order."""
    return iter(RULES.values())
