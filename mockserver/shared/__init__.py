"""State shared by many mock processes: the `Store` seam, the journal and the faults on Redis.

`--store redis://HOST:PORT/DB` puts everything a mock holds under one key prefix of a Redis (or
Valkey) server, so any number of mock processes -- `--workers N`, several machines behind a load
balancer, a mock restarted mid-run -- serve one state. Every change is atomic in Redis itself (Lua
scripts, MULTI/EXEC), never behind a lock of one process.

Modules: `url` (what `--store` accepts; no Redis import, the config checks it), `connection` (the
client and the outage guard), `store` (`RedisStore`), `control` (the journal and the faults),
`backend` (all of it wired for one mock; the seam itself is `evokit.mockserver.core.backend`). The package imports nothing by itself, so `--store
memory` never loads the Redis client.
"""
