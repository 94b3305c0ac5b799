"""The control plane's journal and faults on Redis, shared by every process under the prefix.

    evokit:journal         list    the newest entries as JSON arrays (JournalEntry's fields), oldest first
    evokit:faults          zset    fault id -> its number (the order faults are tried in)
    evokit:faults:ids      string  the last fault number handed out
    evokit:fault:f3        hash    spec (JSON), remaining (with `times`), hits, draws
    evokit:faults:changed  channel announces every add and removal (`evokit.mockserver.shared.watch`)

A fault fires in a Lua script that checks and consumes `remaining` in one step, so a fault with
`times: N` fires exactly N times however many processes serve its route. A `rate` draw and a
latency range are drawn by the process from a generator seeded with the fault's `seed` and the
draw's number, which the script hands out in order: the same requests in the same order get the
same outcomes, whichever process serves each one. Which faults exist is read once and kept in
each process until a change is announced, so a request with no fault matching costs no round trip.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable
from dataclasses import asdict
from functools import lru_cache

from evokit.mockserver.control.faults import Decision, Fault, FaultSpec, glob_regex
from evokit.mockserver.control.journal import JournalEntry
from evokit.mockserver.core.errors import StoreUnavailable
from evokit.mockserver.shared.connection import RedisLink
from evokit.mockserver.shared.watch import Watched

log = logging.getLogger(__name__)


# KEYS: the journal list. ARGV: the entry, the size. One script, not MULTI/EXEC: one command on
# the hot path instead of four.
_RECORD = """
redis.call('RPUSH', KEYS[1], ARGV[1])
redis.call('LTRIM', KEYS[1], -tonumber(ARGV[2]), -1)
return 1
"""


class RedisJournal:
    """The `Journal` interface on a Redis list, trimmed to the newest `size` entries.

    Recording is best effort while Redis is away: the request itself already answered 503, and
    the journal cannot hold what it cannot write, so the entry is dropped (and logged).
    """

    def __init__(self, link: RedisLink, size: int, *, clock: Callable[[], float] = time.time) -> None:
        if size < 0:
            raise ValueError(f"a journal holds 0 or more entries, not {size}")
        self.link = link
        self.size = size
        self.clock = clock
        self.key = link.key("journal")
        self._record = link.script(_RECORD)

    @property
    def enabled(self) -> bool:
        return self.size > 0

    def record(self, entry: JournalEntry) -> None:
        if not self.size:
            return
        fields = [entry.method, entry.path, entry.query, entry.status, entry.user, entry.time, entry.duration_ms]
        try:
            with self.link.guard:
                self.link.evaluate(self._record, [self.key], [json.dumps(fields, separators=(",", ":")), self.size])
        except StoreUnavailable:
            log.warning("journal entry dropped: the store is unavailable (%s %s)", entry.method, entry.path)

    def entries(self) -> list[JournalEntry]:
        with self.link.guard:
            raws = self.link.client.lrange(self.key, 0, -1)
        return [JournalEntry(*json.loads(raw)) for raw in raws]

    def clear(self) -> int:
        with self.link.guard, self.link.client.pipeline(transaction=True) as batch:
            batch.llen(self.key)
            batch.delete(self.key)
            count, _ = batch.execute()
        return int(count)

    def __len__(self) -> int:
        with self.link.guard:
            return int(self.link.client.llen(self.key))


# KEYS: the order zset. ARGV: the fault key prefix. Every fault's id and spec, in order.
_SPECS = """
local ids = redis.call('ZRANGE', KEYS[1], 0, -1)
local found = {}
for i = 1, #ids do
  local spec = redis.call('HGET', ARGV[1] .. ids[i], 'spec')
  if spec then found[#found + 1] = ids[i]; found[#found + 1] = spec end
end
return found
"""
# KEYS: the fault's hash. ARGV: 'count' to count a hit now (no `rate` decides later).
# The draw number, or -1 when the fault is gone or its `times` are spent.
_FIRE = """
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
local remaining = redis.call('HGET', KEYS[1], 'remaining')
if remaining then
  if tonumber(remaining) <= 0 then return -1 end
  redis.call('HINCRBY', KEYS[1], 'remaining', -1)
end
if ARGV[1] == 'count' then redis.call('HINCRBY', KEYS[1], 'hits', 1) end
return redis.call('HINCRBY', KEYS[1], 'draws', 1)
"""
# KEYS: the order zset. ARGV: the fault key prefix, the change channel. Removes every fault and
# announces it; how many there were.
_CLEAR = """
local ids = redis.call('ZRANGE', KEYS[1], 0, -1)
for i = 1, #ids do redis.call('DEL', ARGV[1] .. ids[i]) end
redis.call('DEL', KEYS[1])
redis.call('PUBLISH', ARGV[2], 'clear')
return #ids
"""


def _spec_json(spec: FaultSpec) -> str:
    return json.dumps(asdict(spec), separators=(",", ":"))


@lru_cache(maxsize=256)  # the same few faults are read back on every request
def _spec_of(text: str) -> tuple[FaultSpec, Fault]:
    """The spec stored as `text`, and a `Fault` of it that only matches (it never fires)."""
    values = json.loads(text)
    if values["latency_ms"] is not None:
        values["latency_ms"] = tuple(values["latency_ms"])
    spec = FaultSpec(**values)
    return spec, Fault("", spec, glob_regex(spec.route), random.Random(0), None)


class RedisFaultBook:
    """The `FaultBook` interface on Redis (see the module doc)."""

    def __init__(self, link: RedisLink) -> None:
        self.link = link
        self.order, self.ids, self.fault_prefix = link.key("faults"), link.key("faults:ids"), link.key("fault:")
        self.channel = link.key("faults:changed")
        self._specs, self._fire, self._clear = link.script(_SPECS), link.script(_FIRE), link.script(_CLEAR)
        self._known = Watched(link, self.channel, self._read_specs)

    def _delivered(self) -> None:
        """Return once the change's announcement has gone out to every process. Redis sends what a
        command owes every client before it waits for the next commands, so the answer to a PING
        sent after the change comes after the announcement: a control call answered means every
        mock on the prefix already has it on its way, or waiting on its socket."""
        self._known.forget()
        self.link.client.ping()

    def _read_specs(self) -> list[str]:
        """Every fault's id and spec, flat and in order, as Redis holds them now."""
        return list(self.link.evaluate(self._specs, [self.order], [self.fault_prefix]))

    def add(self, spec: FaultSpec) -> Fault:
        client = self.link.client
        with self.link.guard:
            number = int(client.incr(self.ids))
            fault_id = f"f{number}"
            state: dict[str, object] = {"spec": _spec_json(spec), "hits": 0, "draws": 0}
            if spec.times is not None:
                state["remaining"] = spec.times
            with client.pipeline(transaction=True) as batch:
                batch.hset(self.fault_prefix + fault_id, mapping=state)  # type: ignore[arg-type]
                batch.zadd(self.order, {fault_id: number})
                batch.publish(self.channel, fault_id)
                batch.execute()
            self._delivered()
        return Fault(fault_id, spec, glob_regex(spec.route), random.Random(), spec.times)

    def listed(self) -> list[dict[str, object]]:
        client = self.link.client
        with self.link.guard:
            ids = client.zrange(self.order, 0, -1)
            with client.pipeline(transaction=False) as batch:
                for fault_id in ids:
                    batch.hgetall(self.fault_prefix + fault_id)
                states = batch.execute()
        listed = []
        for fault_id, state in zip(ids, states):
            if not state:  # removed between the two reads
                continue
            spec, _ = _spec_of(state["spec"])
            remaining = int(state["remaining"]) if "remaining" in state else None
            fault = Fault(fault_id, spec, glob_regex(spec.route), random.Random(), remaining, int(state["hits"]))
            listed.append(fault.to_wire())
        return listed

    def remove(self, fault_id: str) -> bool:
        with self.link.guard, self.link.client.pipeline(transaction=True) as batch:
            batch.zrem(self.order, fault_id)
            batch.delete(self.fault_prefix + fault_id)
            batch.publish(self.channel, fault_id)
            removed, _, _ = batch.execute()
            self._delivered()
        return bool(removed)

    def clear(self) -> int:
        with self.link.guard:
            cleared = int(self._clear(keys=[self.order], args=[self.fault_prefix, self.channel]))
            self._delivered()
        return cleared

    def decide(self, method: str, path: str) -> Decision | None:
        with self.link.guard:
            found = self._known.get()
            for index in range(0, len(found), 2):
                fault_id, (spec, matcher) = found[index], _spec_of(found[index + 1])
                if not matcher.matches(method, path):
                    continue
                decision = self._try(fault_id, spec)
                if decision is not None:
                    return decision
        return None

    def _try(self, fault_id: str, spec: FaultSpec) -> Decision | None:
        key = self.fault_prefix + fault_id
        draw = int(self._fire(keys=[key], args=["later" if spec.rate is not None else "count"]))
        if draw < 0:
            return None
        # Seeded: the draw's number picks the generator, so outcomes follow the request order.
        rng = random.Random(f"{spec.seed}:{draw}") if spec.seed is not None else random.Random()
        if spec.rate is not None:
            if not rng.random() < spec.rate:
                return None
            self.link.client.hincrby(key, "hits", 1)
        low, high = spec.latency_ms or (0, 0)
        return Decision(fault_id, low if low == high else rng.randint(low, high), spec.status)
