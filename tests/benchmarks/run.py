"""The mock's benchmark: throughput, latency, start-up and memory beside its ceilings and a peer.

    python -m tests.benchmarks.run [--duration 10] [--connections 32] [--skip-prism] [--skip-scaling]
                                   [--skip-listing] [--skip-delays] [--skip-verifier] [--skip-stores]

Every figure is measured in this one run and printed with its ratio to the ceiling (a bare Flask
app on the mock's own server), because the machine is shared and absolute numbers drift. Servers
are pinned to core 0 and wrk to core 1 where there are two cores. Needs `wrk` (Debian package) and,
for the peer, Node with npm.
"""

from __future__ import annotations

import argparse
import base64
import json
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import requests

from tests.benchmarks.harness import (
    LoadResult,
    RequestSpec,
    RunningServer,
    Target,
    free_port,
    run_wrk,
)

REPO = Path(__file__).resolve().parents[2]
OPENAPI = REPO / "contract" / "generated" / "openapi.json"
PRISM_DIR = Path(tempfile.gettempdir()) / "evokit-bench-prism"
PRISM_PACKAGE = "@stoplight/prism-cli@5"
SESSION_ID = json.loads((REPO / "fixtures" / "AISessionInfo.json").read_text())[0]["id"]
ADMIN = "Basic " + base64.b64encode(b"sysadmin:sysadmin").decode()
SERVER_CPU, LOAD_CPU = 0, 1
CEILING = "bare Flask, mock's server"
QUIET = "mock, JSON, Basic, --quiet"
COOKIE = "mock, JSON, cookie session"

JSON_PATCH = RequestSpec(
    "PATCH", f"/ai/sessions/{SESSION_ID}",
    {"Authorization": ADMIN, "Content-Type": "application/json"}, '{"purpose":"Answer calls"}',
)
JSV_PATCH = RequestSpec(
    "PATCH", f"/ai/sessions/{SESSION_ID}",
    {"Authorization": ADMIN, "Content-Type": "application/jsv", "Accept": "application/jsv"}, "{purpose:Answer calls}",
)
PLAIN_PATCH = RequestSpec("PATCH", f"/ai/sessions/{SESSION_ID}", {"Content-Type": "application/json"}, '{"purpose":"x"}')


@dataclass(frozen=True)
class Row:
    name: str
    load: LoadResult
    startup_s: float
    idle_mib: float
    loaded_mib: float


def python_target(name: str, module_args: list[str], request: RequestSpec) -> Target:
    return Target(name, [sys.executable, "-m", *module_args], request, env={"PYTHONPATH": str(REPO)}, cpu=SERVER_CPU)


def login_cookie(url: str) -> str:
    """An `ss-id` cookie from a credentials login, for the cookie-session figures."""
    response = requests.post(f"{url}/auth/credentials", json={"userName": "sysadmin", "password": "sysadmin"}, timeout=5)
    response.raise_for_status()
    return f"ss-id={response.cookies['ss-id']}"


def load_of(server: RunningServer, args: argparse.Namespace, *, cookie_login: bool = False) -> LoadResult:
    """wrk's figures for the server's request after a warm-up; with `cookie_login` the request
    carries a fresh `ss-id` cookie instead of its Basic credentials. wrk runs on its own core
    when the server is pinned to one."""
    spec = server.target.request
    if cookie_login:
        headers = {k: v for k, v in spec.headers.items() if k != "Authorization"}
        spec = RequestSpec(spec.method, spec.path, {**headers, "Cookie": login_cookie(server.url)}, spec.body)
    load_cpu = LOAD_CPU if server.target.cpu is not None else None
    run_wrk(server.url, spec, seconds=args.warmup, connections=args.connections, threads=2, cpu=load_cpu)
    return run_wrk(server.url, spec, seconds=args.duration, connections=args.connections, threads=2, cpu=load_cpu)


def measure(target: Target, args: argparse.Namespace, *, cookie_login: bool = False) -> Row:
    with RunningServer(target, free_port()) as server:
        idle = server.rss_mib()
        load = load_of(server, args, cookie_login=cookie_login)
        return Row(target.name, load, server.startup_seconds, idle, server.rss_mib())


def prism_target() -> Target | None:
    """Stoplight Prism's static mock of the kit's own OpenAPI document, installed on first use."""
    if shutil.which("npm") is None or shutil.which("node") is None:
        return None
    binary = PRISM_DIR / "node_modules" / ".bin" / "prism"
    if not binary.exists():
        PRISM_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(PRISM_DIR), PRISM_PACKAGE],
                       check=True, capture_output=True)
    command = [str(binary), "mock", "--host", "127.0.0.1", "--port", "{port}", str(OPENAPI)]
    return Target("Prism static mock", command, JSON_PATCH, cpu=SERVER_CPU)


def print_table(rows: list[Row], ceiling: Row) -> None:
    print(f"\n{'server':34} {'req/s':>8} {'x ceil':>7} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6} "
          f"{'start s':>7} {'idle MiB':>8} {'load MiB':>8}")
    for row in rows:
        ratio = row.load.requests_per_second / ceiling.load.requests_per_second
        print(f"{row.name:34} {row.load.requests_per_second:8.0f} {ratio:7.2f} {row.load.p50_ms:7.2f} "
              f"{row.load.p99_ms:7.2f} {row.load.errors:6d} {row.startup_s:7.3f} {row.idle_mib:8.1f} {row.loaded_mib:8.1f}")


def print_targets(rows: dict[str, Row]) -> None:
    mock, ceiling = rows["mock, JSON, Basic"], rows[CEILING]
    checks = [
        ("mock / bare Flask on the same server >= 0.9", mock.load.requests_per_second / ceiling.load.requests_per_second, 0.9),
        ("mock with a cookie session / bare Flask >= 0.9",
         rows[COOKIE].load.requests_per_second / ceiling.load.requests_per_second, 0.9),
        ("mock / bare Flask on waitress >= 1.25",
         mock.load.requests_per_second / rows["bare Flask, waitress"].load.requests_per_second, 1.25),
    ]
    if QUIET in rows:
        checks.append(("mock with / without access log >= 0.9",
                       mock.load.requests_per_second / rows[QUIET].load.requests_per_second, 0.9))
    if "Prism static mock" in rows:
        checks.append(("mock / Prism static mock >= 1.5",
                       mock.load.requests_per_second / rows["Prism static mock"].load.requests_per_second, 1.5))
    print("\ntargets:")
    for label, value, floor in checks:
        print(f"  {label:48} {value:6.2f}  {'met' if value >= floor else 'MISSED'}")
    for label, value, limit in (("mock p99 ms < 25", mock.load.p99_ms, 25.0),
                                ("mock start-up to first PATCH s < 0.5", mock.startup_s, 0.5),
                                ("mock idle MiB < 60", mock.idle_mib, 60.0)):
        print(f"  {label:48} {value:6.2f}  {'met' if value < limit else 'MISSED'}")


def scaling(args: argparse.Namespace) -> None:
    print("\nscaling: PATCH with N sessions in the store")
    results = {}
    for count in (10, args.big_store):
        request = RequestSpec("PATCH", f"/ai/sessions/bench-{count // 2}", JSON_PATCH.headers, JSON_PATCH.body)
        target = python_target(f"{count:,} sessions", ["tests.benchmarks.big_store", "--sessions", str(count),
                                                       "--port", "{port}"], request)
        results[count] = measure(target, args)
    small, big = results[10], results[args.big_store]
    for count, row in results.items():
        print(f"  {count:>10,} sessions: {row.load.requests_per_second:8.0f} req/s  p50 {row.load.p50_ms:6.2f} ms  "
              f"p99 {row.load.p99_ms:6.2f} ms  idle {row.idle_mib:7.1f} MiB")
    print(f"  p50 ratio big/small: {big.load.p50_ms / small.load.p50_ms:.2f}   "
          f"throughput ratio: {big.load.requests_per_second / small.load.requests_per_second:.2f}")
    per_session = (big.idle_mib - small.idle_mib) * 1024 * 1024 / (args.big_store - 10)
    print(f"  memory per stored session: {per_session:.0f} bytes")


def listing(args: argparse.Namespace) -> None:
    """ListAISessions one page at a time: the default order is kept between requests, so a page
    should cost the same with 100,000 sessions as with ten (CONTRACT.md section 8)."""
    print("\nlisting: GET /ai/sessions, a page of 25 from the middle, with N sessions in the store")
    results = {}
    for count in (10, args.list_store):
        page = (count // 2) // 25
        request = RequestSpec("GET", f"/ai/sessions?page={page}&countPerPage=25", {"Authorization": ADMIN})
        target = python_target(f"{count:,} sessions", ["tests.benchmarks.big_store", "--sessions", str(count),
                                                       "--port", "{port}"], request)
        results[count] = measure(target, args)
    for count, row in results.items():
        print(f"  {count:>10,} sessions: {row.load.requests_per_second:8.0f} pages/s  "
              f"p50 {row.load.p50_ms:6.2f} ms  p99 {row.load.p99_ms:6.2f} ms")
    small, big = results[10], results[args.list_store]
    ratio = big.load.requests_per_second / small.load.requests_per_second
    print(f"  pages/s ratio big/small: {ratio:.2f}  {'met' if ratio >= 0.8 else 'MISSED'} (target >= 0.8: flat)")


def delays(parallel: int = 8, latency_ms: int = 300) -> None:
    """Parallel delayed calls overlap: with `--latency 300`, eight at once answer in about 0.3 s,
    not 1.2 s as when each sleep held one of the two working threads."""
    print(f"\ndelays: {parallel} parallel GETs with --latency {latency_ms}")
    target = Target("mock, latency", ["evokit", "mock", "--port", "{port}", "--latency", str(latency_ms), "--quiet"],
                    RequestSpec("GET", f"/ai/sessions/{SESSION_ID}", {"Authorization": ADMIN}), cpu=SERVER_CPU)
    with RunningServer(target, free_port()) as server:
        url = server.url + target.request.path
        barrier = threading.Barrier(parallel + 1)

        def call() -> None:
            barrier.wait()
            requests.get(url, headers=dict(target.request.headers), timeout=30).raise_for_status()

        callers = [threading.Thread(target=call) for _ in range(parallel)]
        for caller in callers:
            caller.start()
        barrier.wait()
        started = time.perf_counter()
        for caller in callers:
            caller.join()
        wall = time.perf_counter() - started
    stacked = latency_ms / 1000 * parallel / 2
    print(f"  wall time {wall:.2f} s; one delay {latency_ms / 1000:.2f} s; stacked on 2 threads {stacked:.2f} s; "
          f"ratio wall/one delay {wall / (latency_ms / 1000):.2f}  {'met' if wall < 2 * latency_ms / 1000 else 'MISSED'} (target < 2)")


def verifier_speed() -> None:
    print("\nverifier: test cases per second against the mock")
    target = python_target("mock", ["evokit.mockserver", "--port", "{port}"], JSON_PATCH)
    with RunningServer(target, free_port()) as server, tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        started = time.perf_counter()
        subprocess.run(["evokit", "verify", "--base-url", server.url, "--quiet", "--json-report", str(report)],
                       capture_output=True, check=False)
        ours = time.perf_counter() - started
        cases = json.loads(report.read_text())["requests"]
        started = time.perf_counter()
        output = subprocess.run(
            ["schemathesis", "run", str(OPENAPI), "--url", server.url, "--max-examples", "20",
             "--include-operation-id-regex", "^PatchAISession", "-H",
             f"Authorization: {ADMIN}", "--exclude-checks", "negative_data_rejection"],
            capture_output=True, text=True, check=False,
        ).stdout
        theirs = time.perf_counter() - started
    match = re.search(r"(\d+) generated", output)
    generated = int(match[1]) if match else 0
    print(f"  evokit verify (default, 20 examples): {cases} requests in {ours:.1f} s = {cases / ours:.0f}/s")
    print(f"  schemathesis run --max-examples 20:    {generated} test cases in {theirs:.1f} s = {generated / theirs:.0f}/s")
    if generated:
        print(f"  ratio evokit/schemathesis: {(cases / ours) / (generated / theirs):.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of load per server")
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--big-store", type=int, default=1_000_000, help="sessions in the scaling run")
    parser.add_argument("--skip-prism", action="store_true")
    parser.add_argument("--skip-scaling", action="store_true")
    parser.add_argument("--list-store", type=int, default=100_000, help="sessions in the listing run")
    parser.add_argument("--skip-listing", action="store_true")
    parser.add_argument("--skip-verifier", action="store_true")
    parser.add_argument("--skip-stores", action="store_true", help="skip the in-memory / Redis store rows")
    parser.add_argument("--skip-delays", action="store_true")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install -y wrk")
    targets = [
        (Target("mock, JSON, Basic", ["evokit", "mock", "--port", "{port}"], JSON_PATCH, cpu=SERVER_CPU), False),
        # The same without the access log: what the one line per request costs.
        (Target(QUIET, ["evokit", "mock", "--port", "{port}", "--quiet"], JSON_PATCH, cpu=SERVER_CPU), False),
        (Target(COOKIE, ["evokit", "mock", "--port", "{port}"], JSON_PATCH, cpu=SERVER_CPU), True),
        (Target("mock, JSV, Basic", ["evokit", "mock", "--port", "{port}"], JSV_PATCH, cpu=SERVER_CPU), False),
        (python_target(CEILING, ["tests.benchmarks.bare_app", "--server", "mock", "--port", "{port}"], PLAIN_PATCH), False),
        (python_target("bare Flask, waitress", ["tests.benchmarks.bare_app", "--server", "waitress", "--port", "{port}"],
                       PLAIN_PATCH), False),
    ]
    prism = None if args.skip_prism else prism_target()
    if prism is not None:
        targets.append((prism, False))
    print(f"{args.duration:g} s of wrk per server after {args.warmup:g} s warm-up, {args.connections} connections; "
          f"server on core {SERVER_CPU}, wrk on core {LOAD_CPU}")
    rows = {target.name: measure(target, args, cookie_login=cookie) for target, cookie in targets}
    print_table(list(rows.values()), rows[CEILING])
    print_targets(rows)
    if not args.skip_scaling:
        scaling(args)
    if not args.skip_listing:
        listing(args)
    if not args.skip_delays:
        delays()
    if not args.skip_verifier:
        verifier_speed()
    if not args.skip_stores and shutil.which("redis-server") is not None:
        from tests.benchmarks.stores import stores  # it imports this module's request specs

        stores(args)


if __name__ == "__main__":
    main()
