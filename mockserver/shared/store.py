"""`RedisStore`: the `Store` protocol on Redis, atomic across every process that shares the prefix.

A store named `sessions` under the prefix `evokit:` is four keys:

    evokit:sessions        hash    key -> encoded value
    evokit:sessions:order  zset    key -> its insertion number (what `all()` orders by)
    evokit:sessions:seq    string  the last insertion number handed out
    evokit:sessions:rev    string  the revision: bumped on every put, insert, delete and reset

Writes that touch several keys are Lua scripts or MULTI/EXEC transactions, which Redis runs
without interleaving any other client's commands. `update` runs the caller's Python `change`, so it
cannot run inside Redis: it computes the new value from the one it last saw and stores it with a
compare-and-set script that succeeds only while Redis still holds exactly that value; otherwise the
script answers what Redis holds and `update` computes again from it. Two processes patching one
session therefore never both build on the same `dateLastModified` (no lost update, strictly
increasing stamps), and a writer reads its own write, because Redis has the value before the call
returns.

The value "last seen" is the one this process last wrote or read in an update, kept (its text and
the value itself) in a bounded local table: a process that is the only writer of a session updates
it in one round trip instead of two, without decoding it again. The table is only ever a guess -- Redis decides -- so a stale entry costs a retry, never a
wrong answer; a `change` that fails on a guessed value is tried once more on Redis's own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

from evokit.mockserver.shared.connection import RedisLink

V = TypeVar("V")
Encode = Callable[[V], str]
Decode = Callable[[str], V]

# KEYS: data, order, seq, rev. ARGV: key, value. A new key gets the next insertion number; a
# replaced one keeps its place, as a dict does.
_PUT = """
if redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) == 1 then
  redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[3]), ARGV[1])
end
redis.call('INCR', KEYS[4])
return 1
"""
# Same keys: store only if absent; 1 if stored.
_INSERT = """
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[3]), ARGV[1])
redis.call('INCR', KEYS[4])
return 1
"""
# KEYS: data. ARGV: key, the value the new one was built on, the new value. {1} if stored, {-1}
# if the key is gone, {0, current} if Redis holds another value (to build on instead).
_COMPARE_AND_SET = """
local current = redis.call('HGET', KEYS[1], ARGV[1])
if not current then return {-1} end
if current ~= ARGV[2] then return {0, current} end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return {1}
"""
# KEYS: data, order, rev. ARGV: key.
_DELETE = """
if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('INCR', KEYS[3])
return 1
"""
# KEYS: data, order. Every value in insertion order, read in slices (Lua's unpack has a limit).
_ALL = """
local ids = redis.call('ZRANGE', KEYS[2], 0, -1)
local values = {}
for first = 1, #ids, 1000 do
  local last = math.min(first + 999, #ids)
  local slice = redis.call('HMGET', KEYS[1], unpack(ids, first, last))
  for i = 1, #slice do
    if slice[i] then values[#values + 1] = slice[i] end
  end
end
return values
"""
# Writes of `reset` go out in batches of this many keys, inside one MULTI/EXEC.
_BATCH = 1000
# Values kept as "last seen" for `update`; past this the table starts again empty.
_SEEN = 4096


class RedisStore(Generic[V]):
    """A `Store` whose values live in Redis under `link`'s prefix, as `encode(value)` text.

    Values come back as `decode(text)`: a fresh object per read, which is what the protocol's
    immutable values allow (nothing may change a value in place).
    """

    def __init__(self, link: RedisLink, name: str, *, encode: Encode[V], decode: Decode[V]) -> None:
        self.link = link
        self.encode = encode
        self.decode = decode
        self.data = link.key(name)
        self.order, self.seq, self.rev = (link.key(f"{name}:{part}") for part in ("order", "seq", "rev"))
        self._put, self._insert = link.script(_PUT), link.script(_INSERT)
        self._cas, self._delete, self._all = link.script(_COMPARE_AND_SET), link.script(_DELETE), link.script(_ALL)
        self._seen: dict[str, tuple[str, V]] = {}

    def get(self, key: str) -> V | None:
        with self.link.guard:
            raw = self.link.call("HGET", self.data, key)
        return None if raw is None else self.decode(raw)

    def all(self) -> list[V]:
        with self.link.guard:
            raws = self._all(keys=[self.data, self.order])
        return [self.decode(raw) for raw in raws]

    def put(self, key: str, value: V) -> None:
        encoded = self.encode(value)
        with self.link.guard:
            self._put(keys=[self.data, self.order, self.seq, self.rev], args=[key, encoded])
        self._remember(key, encoded, value)

    def insert(self, key: str, value: V) -> bool:
        with self.link.guard:
            return bool(self._insert(keys=[self.data, self.order, self.seq, self.rev], args=[key, self.encode(value)]))

    def update(self, key: str, change: Callable[[V], V]) -> V | None:
        with self.link.guard:
            seen = self._seen.get(key)
            raw, value, guessed = (seen[0], seen[1], True) if seen is not None else (None, None, False)
            if seen is None:
                raw = self.link.call("HGET", self.data, key)
            while raw is not None:
                try:
                    updated = change(value if value is not None else self.decode(raw))
                except Exception:
                    if not guessed:
                        raise
                    raw, value, guessed = self.link.call("HGET", self.data, key), None, False
                    continue
                encoded = self.encode(updated)
                answer = self.link.evaluate(self._cas, [self.data], [key, raw, encoded])
                if answer[0] == 1:
                    self._remember(key, encoded, updated)
                    return updated
                # Another writer got there first (or the guess was stale): build on what Redis holds.
                raw, value, guessed = (answer[1] if answer[0] == 0 else None), None, False
            self._seen.pop(key, None)
            return None

    def _remember(self, key: str, raw: str, value: V) -> None:
        # The value beside its text: values are immutable, so the next update need not decode it.
        if len(self._seen) >= _SEEN:
            self._seen.clear()
        self._seen[key] = (raw, value)

    def delete(self, key: str) -> bool:
        self._seen.pop(key, None)
        with self.link.guard:
            return bool(self._delete(keys=[self.data, self.order, self.rev], args=[key]))

    def reset(self, items: Iterable[tuple[str, V]] = ()) -> None:
        encoded = [(key, self.encode(value)) for key, value in items]
        self._seen.clear()
        with self.link.guard, self.link.client.pipeline(transaction=True) as batch:
            batch.delete(self.data, self.order)
            order: dict[str, int] = {}
            for start in range(0, len(encoded), _BATCH):
                chunk = dict(encoded[start:start + _BATCH])
                batch.hset(self.data, mapping=chunk)  # type: ignore[arg-type]
                fresh = {key: number for number, key in enumerate(chunk, start=len(order) + 1) if key not in order}
                order.update(fresh)
                if fresh:
                    batch.zadd(self.order, fresh)  # type: ignore[arg-type]
            batch.set(self.seq, len(order))
            batch.incr(self.rev)
            batch.execute()

    def revision(self) -> int:
        with self.link.guard:
            return int(self.link.client.get(self.rev) or 0)

    def __len__(self) -> int:
        with self.link.guard:
            return int(self.link.client.hlen(self.data))
