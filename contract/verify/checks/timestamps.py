"""Reading the timestamps of AISessionInfo (section 4): ISO 8601 UTC as assumed, and the WCF
`/Date(ms)/` form ServiceStack writes for DateTime by default, so that a server using the latter is
warned about its format but its dates are still compared."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

# How far dateLastModified may be from the response's Date header. Both come from the server's
# clock; the Date header has one-second resolution and the update happens before the answer.
TOLERANCE = 120.0

_ISO_UTC = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?(Z|[+-]00:?00)")
_WCF = re.compile(r"/Date\((-?\d+)([+-]\d{4})?\)/")


def is_iso_utc(value: str) -> bool:
    """Whether `value` is an ISO 8601 timestamp in UTC (`Z` or a zero offset)."""
    return _ISO_UTC.fullmatch(value) is not None


def parse(value: object) -> datetime | None:
    """An aware datetime from ISO 8601 or `/Date(ms)/` text; None when it is neither.

    An ISO timestamp without an offset is read as UTC, as ServiceStack reads one.
    """
    if not isinstance(value, str):
        return None
    wcf = _WCF.fullmatch(value)
    if wcf is not None:
        return datetime.fromtimestamp(0, UTC) + timedelta(milliseconds=int(wcf.group(1)))
    text = value
    fraction = re.search(r"\.(\d+)", text)
    if fraction is not None and len(fraction.group(1)) > 6:  # .NET writes 7 digits; Python reads 6
        text = text.replace(fraction.group(0), "." + fraction.group(1)[:6], 1)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
