"""The shared store's cost: the mock on Redis with 1, 2 and 4 workers beside the mock in memory.

    python -m tests.benchmarks.stores [--duration 10] [--connections 32]

Everything is measured in this one run, against a redis-server this run starts on a free loopback
port (nothing on disk). The ratio that matters is per request: one process on Redis against one
process in memory, the mock and its redis-server pinned to core 0 (the server side of a request
includes its store), wrk on core 1 (target >= 0.5x). The worker rows are not pinned (workers exist
to use every core), so on a two-core machine wrk, Redis and the workers share both; the in-memory
row is measured the same way beside them. The `--no-control` pair shows what one round trip costs:
without the journal and the faults a PATCH on Redis is its compare-and-set alone.
`tests.benchmarks.run` runs this too, after its peers.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time

import redis

from tests.benchmarks.harness import HOST, LoadResult, RunningServer, Target, free_port, pinned
from tests.benchmarks.run import JSON_PATCH, SERVER_CPU, load_of


def start_redis(cpu: int | None) -> tuple[subprocess.Popen[bytes], str]:
    """A throwaway redis-server on a free port, and its URL, once it answers PING."""
    binary = shutil.which("redis-server")
    if binary is None:
        sys.exit("redis-server is needed: apt-get install -y redis-server")
    port = free_port()
    process = subprocess.Popen(
        pinned([binary, "--port", str(port), "--bind", HOST, "--save", "", "--appendonly", "no"], cpu),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    with redis.Redis(host=HOST, port=port) as client:
        for _ in range(500):
            try:
                client.ping()
                return process, f"redis://{HOST}:{port}/0"
            except redis.ConnectionError:
                time.sleep(0.01)
    process.kill()
    sys.exit("redis-server did not answer PING")


def measure(target: Target, args: argparse.Namespace, *, cookie: bool) -> LoadResult:
    with RunningServer(target, free_port()) as server:
        return load_of(server, args, cookie_login=cookie)


def mock(store: str, *, workers: int = 1, prefix: str = "bench:") -> list[str]:
    command = ["evokit", "mock", "--port", "{port}", "--store", store, "--store-prefix", prefix, "--reset-on-start"]
    return [*command, "--workers", str(workers)] if workers > 1 else command


def stores(args: argparse.Namespace) -> None:
    """Measure and print the store rows (see the module docstring)."""
    process, url = start_redis(SERVER_CPU)
    # Each row, and the in-memory row it is compared with.
    rows: dict[str, LoadResult] = {}
    baseline: dict[str, str] = {}
    try:
        memory = ["evokit", "mock", "--port", "{port}"]
        for auth, cookie in (("Basic", False), ("cookie", True)):
            base = f"memory, 1 process, {auth}, pinned"
            rows[base] = measure(Target("memory", memory, JSON_PATCH, cpu=SERVER_CPU), args, cookie=cookie)
            rows[f"redis, 1 process, {auth}, pinned"] = measure(Target("redis", mock(url), JSON_PATCH, cpu=SERVER_CPU), args, cookie=cookie)
            baseline[base] = baseline[f"redis, 1 process, {auth}, pinned"] = base
        # Without the control plane a PATCH on Redis is its one compare-and-set: no journal entry
        # to write, no faults. What is left is the least a write through Redis costs.
        base = "memory, --no-control, pinned"
        rows[base] = measure(Target("memory", [*memory, "--no-control"], JSON_PATCH, cpu=SERVER_CPU), args, cookie=False)
        rows["redis, --no-control, pinned"] = measure(
            Target("redis", [*mock(url), "--no-control"], JSON_PATCH, cpu=SERVER_CPU), args, cookie=False)
        baseline[base] = baseline["redis, --no-control, pinned"] = base
        base = "memory, 1 process, Basic"
        rows[base] = measure(Target("memory", memory, JSON_PATCH, cpu=None), args, cookie=False)
        baseline[base] = base
        for workers in (1, 2, 4):
            rows[f"redis, {workers} worker(s), Basic"] = measure(
                Target(f"redis x{workers}", mock(url, workers=workers), JSON_PATCH, cpu=None), args, cookie=False)
            baseline[f"redis, {workers} worker(s), Basic"] = base
    finally:
        process.kill()
        process.wait()
    print("\nstores: PATCH /ai/sessions/{id} with JSON, the mock in memory and on Redis")
    print(f"  {'server':36} {'req/s':>8} {'x memory':>8} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6}")
    for name, load in rows.items():
        base_load = rows[baseline[name]]
        print(f"  {name:36} {load.requests_per_second:8.0f} {load.requests_per_second / base_load.requests_per_second:8.2f} "
              f"{load.p50_ms:7.2f} {load.p99_ms:7.2f} {load.errors:6d}")
    ratio = rows["redis, 1 process, Basic, pinned"].requests_per_second / rows["memory, 1 process, Basic, pinned"].requests_per_second
    print(f"  target: one process on Redis / one in memory >= 0.5: {ratio:.2f}  {'met' if ratio >= 0.5 else 'MISSED'}")
    floor = rows["redis, --no-control, pinned"].requests_per_second / rows["memory, --no-control, pinned"].requests_per_second
    print(f"  one round trip alone (--no-control, Redis / memory): {floor:.2f}")
    for workers in (2, 4):
        scaled = rows[f"redis, {workers} worker(s), Basic"].requests_per_second / rows["redis, 1 worker(s), Basic"].requests_per_second
        print(f"  scaling: {workers} workers / 1 worker on Redis: {scaled:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of load per server")
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install -y wrk")
    print(f"{args.duration:g} s of wrk per server after {args.warmup:g} s warm-up, {args.connections} connections")
    stores(args)


if __name__ == "__main__":
    main()
