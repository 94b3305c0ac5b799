"""The timestamp forms the kit reads in fixtures and requests, as pure functions.

Two readers, because the service keeps two kinds of dates:

- `parse_ticks`: an entity's `dateCreated`/`dateLastModified` (CONTRACT.md section 4), ISO 8601
  UTC as .NET's round-trip format writes a UTC `DateTime` (`2024-05-01T10:00:00.1234567Z`), read
  to .NET ticks (100 ns) so that seven fractional digits survive;
- `read_moment`: a usage record's or a `GetAIUsage` bound's date (section 8), any ISO 8601 date
  or date-time, a bare date or a time without a zone read as UTC.

Both live in `contract` so that `contract check` and the mock judge fixture dates by one rule.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

TICKS_PER_SECOND = 10_000_000
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
EPOCH_ORDINAL = EPOCH.toordinal()
_TIMESTAMP = re.compile(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,7}))?(?:Z|[+-]00:?00)")


@lru_cache(maxsize=4096)  # the same stored stamps are read on every PATCH of a session
def parse_ticks(text: str) -> int | None:
    """Ticks of an ISO 8601 UTC timestamp (1-7 fractional digits), or None if it is not one."""
    match = _TIMESTAMP.fullmatch(text)
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(part) for part in match.groups()[:6])
    if hour > 23 or minute > 59 or second > 59:
        return None
    try:  # day arithmetic, not datetime subtraction: every PATCH reads a stamp never seen before
        days = date(year, month, day).toordinal() - EPOCH_ORDINAL
    except ValueError:
        return None
    fraction = int((match[7] or "").ljust(7, "0"))
    return (days * 86_400 + hour * 3600 + minute * 60 + second) * TICKS_PER_SECOND + fraction


def read_moment(text: str, *, end_of_day: bool = False) -> datetime | None:
    """An ISO 8601 date or date-time as an aware UTC datetime, or None if it does not read.

    A bare date is its first moment, or with `end_of_day` its last (so `endDate=2024-05-01` covers
    the whole day); a date-time without a zone is UTC."""
    text = text.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            moment = datetime.combine(day, time.min, tzinfo=UTC)
            return moment + timedelta(days=1) - timedelta(microseconds=1) if end_of_day else moment
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
