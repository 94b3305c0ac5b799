"""`RedisBackend`: a mock's sessions, login sessions, journal and faults on one Redis prefix."""

from __future__ import annotations

import json
import time
from types import MappingProxyType

from evokit.mockserver.auth.caller import AuthSession
from evokit.mockserver.core.operation import Record
from evokit.mockserver.shared.connection import RedisLink
from evokit.mockserver.shared.control import RedisFaultBook, RedisJournal
from evokit.mockserver.shared.store import RedisStore

# Set once the prefix has held the fixtures: a later start keeps what is there.
FIXTURES_MARK = "fixtures-loaded"


def encode_record(record: Record) -> str:
    """A record as JSON; members keep their wire order, which JSON objects preserve."""
    return json.dumps(dict(record), ensure_ascii=False, separators=(",", ":"))


def decode_record(text: str) -> Record:
    return MappingProxyType(json.loads(text))


def encode_login(session: AuthSession) -> str:
    return json.dumps([session.session_id, session.user_id, session.permanent])


def decode_login(text: str) -> AuthSession:
    session_id, user_id, permanent = json.loads(text)
    return AuthSession(session_id, user_id, permanent)


class RedisBackend:
    """Every part of a mock's state under `link`'s prefix (see `evokit.mockserver.shared`)."""

    shared = True

    def __init__(self, link: RedisLink) -> None:
        self.link = link
        self.description = link.display

    @classmethod
    def connect(cls, url: str, prefix: str) -> RedisBackend:
        """A backend on the Redis at `url`; raises `StoreUnreachable` if it does not answer."""
        link = RedisLink(url, prefix)
        link.check()
        return cls(link)

    def records(self) -> RedisStore[Record]:
        return RedisStore(self.link, "sessions", encode=encode_record, decode=decode_record)

    def auth_sessions(self) -> RedisStore[AuthSession]:
        return RedisStore(self.link, "logins", encode=encode_login, decode=decode_login)

    def journal(self, size: int) -> RedisJournal:
        return RedisJournal(self.link, size)

    def faults(self) -> RedisFaultBook:
        return RedisFaultBook(self.link)

    def claim_fixtures(self, *, force: bool) -> bool:
        # SET NX: of several mocks starting at once on an empty prefix, exactly one loads them.
        with self.link.guard:
            claimed = self.link.client.set(self.link.key(FIXTURES_MARK), str(time.time()), nx=True)
        return force or bool(claimed)
