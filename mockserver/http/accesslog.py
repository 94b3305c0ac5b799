"""The access log: one line per request on stdout, in the style of a dev server's log.

    14:03:07.412 PATCH /ai/sessions/6630f0a2c1d4e5f601a2b301 200 3.1 ms sysadmin
    14:03:07.950 GET /ai/sessions?page=2 503 300.4 ms sysadmin fault f1

Time (local), method, path and query, status, duration, the user the request authenticated as
(`-` when anonymous) and the fault that fired, if any. Coloured on a terminal, plain when piped or
when `NO_COLOR` is set (https://no-color.org: any non-empty value).

Requests must not wait for the terminal: the serving threads only append the entry to a deque,
and one writer thread formats what has gathered and writes it in one call every `interval`
seconds. A stream that fails (a closed pipe) turns the log off instead of failing requests.
"""

from __future__ import annotations

import multiprocessing.util
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from typing import TextIO

from evokit.mockserver.control.journal import JournalEntry

# ANSI SGR colours by status class: success green, redirect cyan, client error yellow, server red.
_STATUS_COLOURS = {2: "32", 3: "36", 4: "33", 5: "31"}
_DIM, _BOLD, _RESET = "\x1b[2m", "\x1b[1m", "\x1b[0m"


def wants_colour(stream: TextIO, environ: Mapping[str, str]) -> bool:
    """Colour only for a terminal, and never when `NO_COLOR` holds a value."""
    if environ.get("NO_COLOR"):
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a stream without a descriptor, or a closed one
        return False


def _printable(text: str) -> str:
    """`text` with control characters escaped, so a crafted path cannot forge lines or colours."""
    return text if text.isprintable() else text.encode("unicode_escape").decode("ascii")


class LineFormat:
    """Formats entries; the clock text of one second is computed once for all its lines."""

    def __init__(self, *, colour: bool, localtime: Callable[[float], time.struct_time] = time.localtime) -> None:
        self.colour = colour
        self.localtime = localtime
        self._second = -1
        self._clock = ""

    def _time(self, seconds: float) -> str:
        whole = int(seconds)
        if whole != self._second:
            self._second, self._clock = whole, time.strftime("%H:%M:%S", self.localtime(whole))
        # Milliseconds of the time rounded to the microsecond, as the journal's ISO times are.
        millis = min(999, int((seconds - whole) * 1_000_000 + 0.5) // 1000)
        return f"{self._clock}.{millis:03d}"

    def line(self, entry: JournalEntry) -> str:
        """One entry as its log line, without the newline."""
        target = _printable(entry.path + (f"?{entry.query}" if entry.query else ""))
        when, status, duration = self._time(entry.time), str(entry.status), f"{entry.duration_ms:.1f} ms"
        user = _printable(entry.user) if entry.user else "-"
        fault = f" fault {_printable(entry.fault)}" if entry.fault else ""
        if not self.colour:
            return f"{when} {entry.method} {target} {status} {duration} {user}{fault}"
        code = _STATUS_COLOURS.get(entry.status // 100, "0")
        fault = f" \x1b[35mfault {_printable(entry.fault)}{_RESET}" if entry.fault else ""
        return (f"{_DIM}{when}{_RESET} {_BOLD}{entry.method}{_RESET} {target} \x1b[{code}m{status}{_RESET} "
                f"{_DIM}{duration}{_RESET} {user}{fault}")


class AccessLog:
    """The sink the request layer calls with each answered request; a writer thread prints them.

    `start()` before serving, `close()` after: it writes what is left and stops the thread.
    """

    def __init__(self, out: TextIO, *, colour: bool, interval: float = 0.05) -> None:
        self.out = out
        self.format = LineFormat(colour=colour)
        self.interval = interval
        self.count = 0
        self._pending: deque[JournalEntry] = deque()
        self._stop = threading.Event()
        self._thread = self._writer()
        self._broken = False
        # A worker process (`--workers`, started by multiprocessing) inherits the queue but not the
        # thread: it starts a writer of its own, so its requests are logged too.
        multiprocessing.util.register_after_fork(self, AccessLog._after_fork)

    def _writer(self) -> threading.Thread:
        return threading.Thread(target=self._run, name="evokit-access-log", daemon=True)

    def _after_fork(self) -> None:
        if self._thread.ident is not None and not self._stop.is_set():
            self._pending.clear()
            self._thread = self._writer()
            self._thread.start()
            # The worker ends through multiprocessing, which skips `atexit` and abandons daemon
            # threads: without a finalizer the lines of its last `interval` are lost on Ctrl-C.
            multiprocessing.util.Finalize(self, self.close, exitpriority=0)

    def __call__(self, entry: JournalEntry) -> None:
        # deque.append is atomic under the GIL: no lock on the serving threads' path.
        if not self._broken:
            self._pending.append(entry)

    def start(self) -> None:
        self._thread.start()

    def close(self) -> None:
        """Write every pending line and stop the writer."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        self.drain()

    def drain(self) -> None:
        """Write the lines gathered so far, in one write."""
        lines = []
        while self._pending:
            lines.append(self.format.line(self._pending.popleft()))
        if not lines or self._broken:
            return
        try:
            self.out.write("\n".join(lines) + "\n")
            self.out.flush()
            self.count += len(lines)
        except (OSError, ValueError):  # the reader went away: keep serving, stop logging
            self._broken = True
            self._pending.clear()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.drain()
