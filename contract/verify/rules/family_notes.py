"""The reference text of section 8's rules (the rest of the AI-session family), kept beside the
notes of sections 1-7 (`notes`), which merges them into one table.

`$S` stands for a session the run created itself: the verifier applies, clears and deletes only those.
"""

from __future__ import annotations

FAMILY_NOTES: dict[str, tuple[str, str, str]] = {
    "family-create": (
        "`POST /ai/sessions` with an `accountId` and a `purpose` answers 200 with the new session: an id "
        "no other session has, the purpose and account as sent, the account's name, `dateCreated` equal "
        "to `dateLastModified` (within a second); a GET then reads it back. That `createdBy` and "
        "`lastModifiedBy` are the caller's id is checked under `last-modified-by`, a warning, because "
        "which id `GET /auth` gives is assumed (section 4).",
        '`POST /ai/sessions {"accountId":"acc-1","purpose":"Triage"}` answers 200 with no purpose.',
        "The same request answers 200 with a fresh id and the purpose, and `GET /ai/sessions/{id}` finds it.",
    ),
    "family-create-account": (
        "A `NewAISession` whose `accountId` names no account, or has none, is a 400 "
        "`ArgumentException` with a field error on `AccountId` (assumed: a warning only).",
        '`POST /ai/sessions {"accountId":"no-such-account"}` answers 200 and creates a session.',
        "The same request answers 400 with `errors: [{fieldName: AccountId, ...}]`.",
    ),
    "family-delete": (
        "`DELETE /ai/sessions/$S` answers 204 with an empty body (a void service); afterwards every "
        "operation on that id is a 404 and the list no longer holds it.",
        "`DELETE /ai/sessions/$S` answers 200 with the session, or a later GET still finds it.",
        "`DELETE /ai/sessions/$S` answers 204; `GET /ai/sessions/$S` answers 404 NotFound.",
    ),
    "family-state": (
        "One store behind every operation: a stateful run creates, reads, lists, patches, applies and "
        "deletes sessions in random order and holds each answer against a model of what it wrote.",
        "A session patched through `PATCH` still shows its old purpose through `GET` or in the list.",
        "`GET`, the list (`specificIds`) and the next `PATCH` all show what the last write stored.",
    ),
    "list-paging": (
        "`GET /ai/sessions` pages from 0 with `countPerPage` items (25 by default): `totalCount` counts "
        "the matches, `totalPages` is `ceil(totalCount / countPerPage)`, `hasMorePages` says whether a "
        "later page has items, a page past the end is empty, and `all=true` answers every match on one "
        "page (assumed: a warning only).",
        "`?countPerPage=2` over 5 sessions answers `totalPages: 2`, or page 2 repeats an item of page 0.",
        "Pages 0, 1 and 2 hold 2, 2 and 1 items, together the `all=true` list, with `totalPages: 3`.",
    ),
    "list-filter": (
        "`specificIds` keeps the sessions whose id is listed (ids that exist nowhere match nothing) and "
        "`accountIds` those whose account is listed; both are comma-joined in the query, and an empty "
        "value filters nothing (assumed: a warning only).",
        "`?specificIds=$S,unknown` answers every session, or none.",
        "`?specificIds=$S,unknown` answers exactly `$S`, with `totalCount: 1`.",
    ),
    "list-sort": (
        "Without `sortField` the order is `dateCreated` ascending, then `id`; `sortField` names an "
        "AISessionInfo property in any case and `sortOrder` (`Ascend`, `Descend`, any case) its "
        "direction; `sortOrder` alone reverses the default order (assumed: a warning only).",
        "`?sortField=dateCreated&sortOrder=descend` answers the oldest session first.",
        "The same request answers the newest session first.",
    ),
    "list-bad-request": (
        "`countPerPage` below 1 or `page` below 0 is a 400 `ArgumentException` with a field error on that "
        "property, an unknown `sortField` a 400, and a value that does not bind (`page=x`) a 400 "
        "`SerializationException` even before the auth checks (assumed: a warning only).",
        "`?countPerPage=0` answers 200 with every session, or anonymous `?page=x` answers 401.",
        "`?countPerPage=0` answers 400 with `errors: [{fieldName: CountPerPage, ...}]`.",
    ),
    "apply-actions": (
        "`POST /ai/sessions/$S/apply` applies the pending actions; on a session with none it answers 200 "
        "with the session unchanged apart from `dateLastModified` and `lastModifiedBy` (assumed: a "
        "warning only). The verifier applies only sessions it created, which hold no actions.",
        "Applying `$S` answers 200 with its purpose changed, or a `log` it did not have.",
        "Applying `$S` answers 200 with the same purpose, account and actions as before.",
    ),
    "clear-actions": (
        "`DELETE /ai/sessions/$S/actions` answers 200 with `actions: []`; "
        "`DELETE /ai/sessions/$S/actions/{actionId}` with an id the session lacks is a 404 (assumed: a "
        "warning only).",
        "`DELETE /ai/sessions/$S/actions/no-such-action` answers 200.",
        "The same request answers 404 NotFound.",
    ),
    "usage-range": (
        "`GetAIUsage` sums `aiMinutes` over the records in `[startDate, endDate]`, for `accountId` when "
        "given: a narrower range never counts more minutes for an account, an account filter leaves "
        "only that account's rows, and an unreadable date is a 400 (assumed: a warning only).",
        "`/ai/usage?startDate=2000-01-01&endDate=2000-01-02` counts as many minutes as the whole history.",
        "The same request answers no rows when no record lies in that range.",
    ),
    "auth-status": (
        "`GET /auth/status` answers an authenticated caller 200 with its `UserInfo`: `isAuthenticated: "
        "true` and its own user id.",
        "`GET /auth/status` with the admin's credentials answers 204, or another user's id.",
        "The same request answers 200 with `isAuthenticated: true` and the admin's id.",
    ),
    "auth-status-anonymous": (
        "An anonymous `GET /auth/status` returns null, which ServiceStack writes as 204 with an empty "
        "body (assumed: a warning only).",
        "An anonymous `GET /auth/status` answers 401, or 200 with `isAuthenticated: false`.",
        "An anonymous `GET /auth/status` answers 204 with no body.",
    ),
}
