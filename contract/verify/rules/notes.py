"""What each rule means, with a violating and a passing answer: the text of `--explain` and of
`docs/rules.md`. One row per rule of `rules.RULES`; a test keeps the two tables in step.

Examples are written against the user route and the mock's sample session `6630...301`; `$S` stands
for a session the run may modify.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from evokit.contract.verify.rules.family_notes import FAMILY_NOTES


@dataclass(frozen=True)
class Note:
    """The reference text of one rule: its meaning, an answer that breaks it, one that keeps it."""

    meaning: str
    violation: str
    passing: str


_NOTES: dict[str, tuple[str, str, str]] = {
    "status-codes": (
        "The operation answers only the statuses the contract documents: 200, and the errors 400, 401, "
        "403 and 404. Anything else (a 406, a 409, a 422) is a status a client was never told to handle.",
        "`PATCH /ai/sessions/$S` with `Accept: image/png` answers 406 Not Acceptable.",
        "The same request answers 200 with JSON (section 6: an unsupported Accept yields JSON).",
    ),
    "wire-order": (
        "Properties are written in the DTO's declared order: for AISessionInfo accountId, accountName, "
        "purpose, then the EntityInfo members id, dateCreated, dateLastModified, createdBy, lastModifiedBy.",
        '`{"id":"...","accountId":"acc-1",...}` (alphabetical, or id first).',
        '`{"accountId":"acc-1","accountName":"Acme","purpose":"Triage","id":"...",...}`.',
    ),
    "response-size": (
        "The operation answers one DTO, a few kilobytes even with a long purpose. The verifier reads at "
        "most `--max-response-bytes` of an answer (1 MiB by default) and stops there: a larger body is "
        "a finding of its own and the root of whatever could not be judged because of it.",
        "A PATCH answers 200 with a body of 500 MB.",
        "A PATCH answers 200 with one AISessionInfo.",
    ),
    "predefined-format": (
        "A pre-defined route (`/api/PatchAISession`, `/json/reply/...`, `/jsv/reply/...`) answers in the "
        "format `?format=` names, else in its own format; it never reads the Accept header.",
        "`PATCH /api/PatchAISession` with `Accept: application/xml` answers XML.",
        "The same request answers JSON; with `?format=xml` it answers XML.",
    ),
    "predefined-body": (
        "A pre-defined route reads any body that is not a form in its own format, whatever its "
        "Content-Type says, and also without one.",
        "A JSON body with no Content-Type sent to `/api/PatchAISession` leaves the purpose unchanged.",
        "The same body sets the purpose (on the user route it would be ignored, section 2).",
    ),
    "predefined-query": (
        "On a pre-defined route a query value only fills a property the body left out: the body wins.",
        '`PATCH /api/PatchAISession?purpose=q` with `{"sessionId":"$S","purpose":"b"}` stores `q`.',
        "The same request stores `b`; without `purpose` in the body it stores `q`.",
    ),
    "body-content-types": (
        "The user route reads a body sent as `application/json`, `text/json`, `application/jsv`, "
        "`text/jsv` or `application/x-www-form-urlencoded`.",
        "`purpose=Triage` sent as a form body answers 200 but leaves the purpose unchanged.",
        "The form body, like the JSON and JSV ones, sets the purpose to `Triage`.",
    ),
    "unknown-content-type-ignored": (
        "On the user route a body with no Content-Type, or one the service does not read, is ignored: "
        "the request acts as an empty DTO.",
        '`{"purpose":"x"}` sent as `text/plain` sets the purpose to `x`.',
        "The same request answers 200 with the purpose unchanged.",
    ),
    "path-over-body": (
        "On the user route the path's sessionId wins over one in the body.",
        '`PATCH /ai/sessions/A` with `{"sessionId":"B","purpose":"x"}` updates session B.',
        "The same request updates A and answers A's AISessionInfo.",
    ),
    "query-over-body": (
        "On the user route a query-string value wins over the body's.",
        '`PATCH /ai/sessions/$S?purpose=q` with `{"purpose":"b"}` stores `b`.',
        "The same request stores `q`.",
    ),
    "property-names": (
        "Property names match case-insensitively, and properties the DTO does not declare are ignored.",
        '`{"PURPOSE":"x"}` leaves the purpose unchanged, or `{"purpose":"x","colour":1}` answers 400.',
        "Both set the purpose to `x`.",
    ),
    "lenient-values": (
        "ServiceStack binds leniently: a number or boolean sent as purpose becomes its text, an object "
        "or array its raw JSON text, and JSON null means absent.",
        '`{"purpose":123}` answers 400, or `{"purpose":null}` empties the purpose.',
        '`{"purpose":123}` stores `"123"`; `{"purpose":null}` changes nothing.',
    ),
    "malformed-body": (
        "A non-empty body whose first non-blank character is not `{` fails to deserialize: 400 with "
        "errorCode SerializationException. An empty body is an empty DTO.",
        "A body of `[1,2]` answers 200, or an empty JSON body answers 400.",
        "`[1,2]` answers 400 SerializationException; the empty body answers 200.",
    ),
    "malformed-before-auth": (
        "A malformed body is rejected before the authentication and role checks.",
        "An anonymous `PATCH` with body `[1,2]` answers 401.",
        "The same request answers 400 SerializationException.",
    ),
    "anonymous-401": (
        "A request without credentials (or with an unknown session) is a 401 with an empty body, never a 403.",
        "An anonymous PATCH answers 403, or 401 with a JSON body.",
        "An anonymous PATCH answers 401 with an empty body.",
    ),
    "www-authenticate": (
        "The anonymous 401 carries a `WWW-Authenticate` header, so a client knows how to authenticate.",
        "An anonymous PATCH answers 401 without `WWW-Authenticate`.",
        '401 with `WWW-Authenticate: basic realm="/auth/basic"`.',
    ),
    "www-authenticate-realm": (
        'The challenge is ServiceStack\'s default, `basic realm="/auth/basic"` (assumed: a warning only).',
        '`WWW-Authenticate: Basic realm="api"`.',
        '`WWW-Authenticate: basic realm="/auth/basic"`.',
    ),
    "bad-credentials": (
        "A wrong password or an unknown user is a 401 whose JSON body has a responseStatus with "
        "errorCode Unauthorized.",
        "A wrong Basic password answers 401 with an empty body, or 403.",
        '401 `{"responseStatus":{"errorCode":"Unauthorized","message":"Invalid Username or Password",'
        '"errors":[]}}`.',
    ),
    "forbidden-403": (
        "An authenticated caller without the role SystemAdministrator gets 403, `Content-Type: "
        "text/plain`, a body starting with `Forbidden`.",
        "A caller without the role answers 200, or 403 with a JSON body.",
        "403 `text/plain` `Forbidden`.",
    ),
    "superuser-admin": (
        "A user holding Admin passes every role check (ServiceStack's superuser rule), so may update.",
        "A PATCH as an Admin user answers 403.",
        "The same PATCH answers 200 with the updated session.",
    ),
    "check-order": (
        "A well-formed request is judged in this order: 401 (who are you), 403 (may you), 404 (is "
        "there such a session), then the update.",
        "An anonymous PATCH of an unknown session answers 404, or a caller without the role gets 404.",
        "The anonymous caller gets 401, the caller without the role 403, the admin 404.",
    ),
    "session-auth": (
        "`POST /auth/credentials` yields a session usable by the `ss-id` cookie and by the `X-ss-id` "
        "header, until `POST /auth/logout` ends it.",
        "A PATCH with the login's `ss-id` cookie answers 401, or still 200 after logout.",
        "200 with the cookie and with `X-ss-id`; 401 after logout.",
    ),
    "not-found-404": (
        "An unknown sessionId is a 404 whose responseStatus has errorCode NotFound, on every route and "
        "in every format.",
        "A PATCH of an unknown id answers 200 with an empty DTO, or 404 with errorCode `Error`.",
        '404 `{"responseStatus":{"errorCode":"NotFound","message":"...","errors":[]}}`.',
    ),
    "update-response": (
        "Success is a 200 carrying the whole updated AISessionInfo of the session acted on.",
        "A PATCH of `$S` answers 204, or 200 with another session's id.",
        "200 with the AISessionInfo whose `id` is `$S`.",
    ),
    "partial-update": (
        "The purpose is applied only when present and not null; a PATCH without it changes nothing but "
        "the two modification fields.",
        "`{}` clears the stored purpose.",
        "`{}` answers the purpose as it was.",
    ),
    "stored-exactly": (
        "The purpose is stored and answered exactly as sent: any Unicode, untrimmed, thousands of characters.",
        '`{"purpose":" Triage "}` comes back as `"Triage"`, or `"日本"` as `"??"`.',
        "Both come back byte for byte, in the answer and in every later read.",
    ),
    "empty-purpose": (
        "An empty purpose sets the empty string (assumed: a warning only).",
        '`{"purpose":""}` leaves the old purpose, or removes the member.',
        'The answer holds `"purpose":""`.',
    ),
    "immutable-fields": (
        "`id`, `accountId`, `accountName`, `dateCreated` and `createdBy` never change.",
        '`{"accountName":"Other"}` renames the account, or an update moves dateCreated.',
        "Those five members read the same before and after every update.",
    ),
    "date-last-modified": (
        "dateLastModified becomes the time of the update: later than before, never before dateCreated, "
        "close to the response's `Date` header.",
        "dateLastModified stays the same after an update, or is an hour from `Date`.",
        "dateLastModified moves forward and is within seconds of `Date`.",
    ),
    "date-format": (
        "dateLastModified is an ISO 8601 UTC timestamp (format assumed: a warning only).",
        '`"dateLastModified":"/Date(1714557600000)/"` or `"2024-05-01 10:00"`.',
        '`"dateLastModified":"2024-05-01T10:00:00.0000000Z"`.',
    ),
    "last-modified-by": (
        "lastModifiedBy becomes the user id of the caller who made the update (assumed: a warning only). "
        "The run learns each caller's id from `GET /auth`.",
        "An update by user 1 leaves `lastModifiedBy` at another user's id.",
        "`lastModifiedBy` is the caller's `userId`.",
    ),
    "no-null": (
        "Null properties are omitted from every response: a property is never written as `null`.",
        '`{"accountId":"acc-1","purpose":null,...}`.',
        'The same DTO without the `purpose` member.',
    ),
    "error-shape": (
        "Errors are `{responseStatus:{errorCode, message, errors:[...]}}` and `errors` is always there, "
        "each field error `{errorCode, fieldName, message}`.",
        '404 `{"error":"not found"}`, or a responseStatus without `errors`.',
        '404 `{"responseStatus":{"errorCode":"NotFound","message":"...","errors":[]}}`.',
    ),
    "no-stack-trace": (
        "No response carries a `stackTrace` member or stack-trace text, whatever its status: a "
        "production server runs with debug mode off.",
        'A 400 whose responseStatus has `"stackTrace":"   at Voice.Api..."`.',
        "The same 400 without `stackTrace`.",
    ),
    "no-server-error": (
        "A server always answers, and never with a 5xx. A 5xx, a timeout or a reset is a root cause: "
        "what only followed from it is folded under it, not judged on its own.",
        "A PATCH answers 500, or the connection is reset, or no answer comes within `--timeout`.",
        "Every request gets an answer below 500.",
    ),
    "response-format": (
        "Bodies and errors (but the empty 401 and the text 403) come in the negotiated format "
        "(suffix, then `?format=`, then Accept, else JSON), and never a 406.",
        "`PATCH /ai/sessions/$S.xml` answers JSON.",
        "The same request answers `application/xml` with an `AISessionInfo` root element.",
    ),
    "accept-text-jsv": (
        "`Accept: text/jsv` is not recognised by ServiceStack and yields JSON (assumed: a warning only; "
        "the body must still be in the format its Content-Type names).",
        "`Accept: text/jsv` answers JSV.",
        "`Accept: text/jsv` answers JSON.",
    ),
    "schema": (
        "Every body decodes in the format its Content-Type names and matches its DTO's schema from the "
        "generated contract.",
        '200 `{"accountId":7,...}` (a number where a string is declared), or JSON that does not parse.',
        "200 with every member a string, as AISessionInfo declares.",
    ),
    "jsv-wire": (
        "JSV is written as ServiceStack writes it: compact, strings quoted only when they hold one of "
        '`" : , { } [ ]` CR LF, inner quotes doubled.',
        "`{accountName:\"Acme Corp\", purpose:Triage}` (needless quotes, a space after the comma).",
        '`{accountName:Acme Corp,purpose:Triage,dateCreated:"2024-05-01T10:00:00Z"}`.',
    ),
    "vary-accept": (
        "Every response carries `Vary: Accept`, so caches keep the formats apart.",
        "A 200 without `Vary`.",
        "Every answer with `Vary: Accept`.",
    ),
    "cors": (
        "CORS headers on every response and `OPTIONS` answered 200 with an empty body before routing "
        "and auth (assumed: a warning only).",
        "`OPTIONS /ai/sessions/$S` answers 401, or a 200 lacks `Access-Control-Allow-Origin`.",
        "`OPTIONS` answers 200 empty with `Access-Control-Allow-Origin: *` and the allowed methods.",
    ),
    "x-powered-by": (
        "Responses carry `X-Powered-By: ServiceStack/...` (a warning only: proxies commonly strip it).",
        "An answer without `X-Powered-By`.",
        "`X-Powered-By: ServiceStack/8.0 NetCore/Linux`.",
    ),
}

NOTES: Mapping[str, Note] = MappingProxyType(
    {rule_id: Note(*row) for rule_id, row in (_NOTES | FAMILY_NOTES).items()}
)
