"""Hostile servers: a raw socket proxy in front of the kit's mock that answers every Nth PATCH of the
operation with something no HTTP client should have to survive - bytes that are not HTTP, JSON
nested 100,000 deep, a body of hundreds of megabytes, a reset, or no answer at all.

Everything else is forwarded to the mock, so set-up succeeds and the run meets the hostility in
the middle of its checks, where it must turn into findings and never into a traceback.
"""

from __future__ import annotations

import http.client
import os
import socket
import socketserver
import struct
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

HOST = "127.0.0.1"
HUGE = 500 * 1024 * 1024  # the Content-Length the huge answer announces
CHUNK = 64 * 1024
DEPTH = 100_000
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length"}


class Hostile:
    """What the proxy does to the chosen requests, and how much of it was sent."""

    def __init__(self, upstream: str, act: Callable[[Hostile, socket.socket], None], every: int,
                 all_requests: bool = False) -> None:
        self.upstream = upstream
        self.act = act
        self.every = every
        self.all_requests = all_requests
        self.patches = 0
        self.hostile = 0
        self.sent_bytes = 0
        self.lock = threading.Lock()
        self.closing = threading.Event()

    def chosen(self, method: str, path: str) -> bool:
        if self.all_requests:
            return True
        if method != "PATCH" or path.startswith("/__mock"):
            return False
        with self.lock:
            self.patches += 1
            if self.patches % self.every:
                return False
            self.hostile += 1
            return True


def random_bytes(hostile: Hostile, sock: socket.socket) -> None:
    sock.sendall(os.urandom(2048))


def bad_status_line(hostile: Hostile, sock: socket.socket) -> None:
    sock.sendall(b"HTTX/9.9 two hundred OK-ish\r\nContent-Type: application/json\r\n\r\n{}")


def reset(hostile: Hostile, sock: socket.socket) -> None:
    # SO_LINGER with a zero timeout makes close() send an RST instead of a FIN.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def no_answer(hostile: Hostile, sock: socket.socket) -> None:
    hostile.closing.wait(30)


def deep_json(hostile: Hostile, sock: socket.socket) -> None:
    body = b"[" * DEPTH + b"]" * DEPTH
    sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\nVary: Accept\r\n"
                 b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body) + body)


def huge_body(hostile: Hostile, sock: socket.socket) -> None:
    sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n"
                 b"Connection: close\r\n\r\n{\"purpose\":\"" % HUGE)
    chunk = b"x" * CHUNK
    try:
        while hostile.sent_bytes < HUGE and not hostile.closing.is_set():
            sock.sendall(chunk)
            hostile.sent_bytes += len(chunk)
    except OSError:
        pass  # the client stopped reading and closed: what the test wants


ACTS: dict[str, Callable[[Hostile, socket.socket], None]] = {
    "random-bytes": random_bytes,
    "bad-status-line": bad_status_line,
    "reset": reset,
    "no-answer": no_answer,
    "deep-json": deep_json,
    "huge-body": huge_body,
}


def _read_request(stream: socket.SocketIO | object, sock: socket.socket) -> tuple[str, str, dict[str, str], bytes]:
    reader = sock.makefile("rb")
    line = reader.readline().decode("latin-1").strip()
    method, path, _ = (line.split(" ", 2) + ["", ""])[:3]
    headers: dict[str, str] = {}
    while (header := reader.readline().decode("latin-1").strip()):
        name, _, value = header.partition(":")
        headers[name.strip()] = value.strip()
    length = int(next((v for k, v in headers.items() if k.lower() == "content-length"), "0") or 0)
    body = reader.read(length) if length else b""
    return method, path, headers, body


def _forward(upstream: str, method: str, path: str, headers: dict[str, str], body: bytes) -> bytes:
    host, port = upstream.rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        sent = {k: v for k, v in headers.items() if k.lower() not in HOP_BY_HOP | {"host"}}
        conn.request(method, path, body=body or None, headers=sent)
        answer = conn.getresponse()
        content = answer.read()
        lines = [f"HTTP/1.1 {answer.status} {answer.reason}"]
        lines += [f"{k}: {v}" for k, v in answer.getheaders() if k.lower() not in HOP_BY_HOP]
        lines += [f"Content-Length: {len(content)}", "Connection: close"]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + content
    finally:
        conn.close()


@contextmanager
def hostile_proxy(upstream: str, act: str, *, every: int = 7, all_requests: bool = False) -> Iterator[Hostile]:
    """A hostile proxy in front of `upstream` (`host:port`) on a free loopback port; the yielded
    `Hostile` has the proxy's `url` and counts what it did."""
    hostile = Hostile(upstream, ACTS[act], every, all_requests)

    class Handler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            sock: socket.socket = self.request
            try:
                method, path, headers, body = _read_request(None, sock)
                if not method:
                    return
                if hostile.chosen(method, path):
                    hostile.act(hostile, sock)
                else:
                    sock.sendall(_forward(hostile.upstream, method, path, headers, body))
            except OSError:
                pass  # the verifier gave up on this connection: its business

    server = socketserver.ThreadingTCPServer((HOST, 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="hostile-proxy", daemon=True)
    thread.start()
    hostile.url = f"http://{HOST}:{server.server_address[1]}"  # type: ignore[attr-defined]
    try:
        yield hostile
    finally:
        hostile.closing.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
