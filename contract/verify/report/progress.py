"""Live progress and the summary, on a terminal or a pipe.

On a terminal (and without `NO_COLOR`), rich draws one line per suite - a bar and a counter against
the suite's planned requests, the findings so far and an ETA - and colours FAILURE, WARNING and
ERROR; `quiet` keeps a single line for the whole run. Piped, or with `NO_COLOR`, the same facts
come as plain lines, one per suite when it ends (none with `quiet`), without an escape code.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeRemainingColumn
from rich.text import Text

from evokit.contract.verify.report.events import (
    CheckErrored,
    Event,
    ExchangeDone,
    FindingReported,
    RunFinished,
    RunStarted,
    SuiteFinished,
    SuiteStarted,
)
from evokit.contract.verify.report.reporters import cause_order, story
from evokit.contract.verify.report.result import FAILED, NOT_RUN, WARNED, RunResult
from evokit.contract.verify.rules.table import RULES

STYLES = {"FAILURE": "bold red", "WARNING": "yellow", "ERROR": "bold magenta"}
SUITE_WIDTH = 13


def wants_live(stream: TextIO, environ: Mapping[str, str] = os.environ) -> bool:
    """Live, coloured output only on a terminal and when `NO_COLOR` (no-color.org) is not set."""
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and not environ.get("NO_COLOR")


class TextReporter:
    """Progress while the run goes and its summary at the end, on `stream`."""

    def __init__(self, stream: TextIO, *, quiet: bool = False, live: bool | None = None) -> None:
        self.stream = stream
        self.quiet = quiet
        self.live = wants_live(stream) if live is None else live
        self.console = Console(file=stream, force_terminal=self.live, no_color=not self.live,
                               highlight=False, soft_wrap=True)
        self.found = 0
        self.planned = 0
        self._progress: Progress | None = None
        self._task: TaskID | None = None

    def _print(self, text: str) -> None:
        """Plain text, with the severity word coloured on a terminal (never read as markup)."""
        line = Text(text)
        for word, style in STYLES.items():
            line.highlight_words([word], style)
        (self._progress.console if self._progress else self.console).print(line)

    def _start_progress(self) -> Progress:
        if self._progress is None:
            self._progress = Progress(
                TextColumn(f"{{task.description:<{SUITE_WIDTH}}}"), BarColumn(bar_width=24), MofNCompleteColumn(),
                TextColumn("requests, {task.fields[findings]} finding(s)"), TimeRemainingColumn(),
                console=self.console, transient=self.quiet,
            )
            self._progress.start()
        return self._progress

    def _stop_progress(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    def handle(self, event: Event) -> None:
        """Show what this event means for a reader."""
        if isinstance(event, RunStarted):
            self._print(f"evokit verify {event.config.base_url} (seed {event.config.seed}, "
                        f"max examples {event.config.max_examples}); sessions: {', '.join(event.sessions)}")
            for note in event.notes:
                self._print(f"note: {note}")
        elif isinstance(event, SuiteStarted):
            self._suite_started(event)
        elif isinstance(event, ExchangeDone):
            self._advance(event)
        elif isinstance(event, FindingReported):
            self.found += 1
            if self._progress is not None and self._task is not None:
                self._progress.update(self._task, findings=self.found)
        elif isinstance(event, CheckErrored):
            self._print(f"ERROR in check {event.check}: {event.error.splitlines()[0] if event.error else ''}")
        elif isinstance(event, SuiteFinished):
            self._suite_finished(event)
        elif isinstance(event, RunFinished):
            self._stop_progress()
            self._summary(event.result)

    def _suite_started(self, event: SuiteStarted) -> None:
        self.found = 0 if not self.quiet else self.found
        self.planned = event.planned
        if not self.live:
            return
        progress = self._start_progress()
        if self.quiet and self._task is not None:
            progress.update(self._task, description=event.suite, total=event.planned or None, completed=0)
        else:
            self._task = progress.add_task(event.suite, total=event.planned or None, findings=self.found)

    def _advance(self, event: ExchangeDone) -> None:
        if self._progress is None or self._task is None:
            return
        task = self._progress.tasks[self._task]
        # A server that breaks rules makes Hypothesis replay and shrink: the plan grows, rather
        # than the bar run past its end.
        total: Any = max(task.total or 0, event.count) if task.total else None
        self._progress.update(self._task, completed=event.count, total=total)

    def _suite_finished(self, event: SuiteFinished) -> None:
        ending = f"stopped: {event.stopped}" if event.stopped else (
            f"{event.requests}/{max(self.planned, event.requests)} requests, {self.found} finding(s), "
            f"{event.seconds:.1f}s")
        if self.live:
            if self._progress is not None and self._task is not None and not self.quiet:
                self._progress.update(self._task, total=event.requests or 1, completed=event.requests or 1)
            if event.stopped:
                self._print(f"{event.suite:<{SUITE_WIDTH}} {ending}")
        elif not self.quiet or event.stopped:
            self._print(f"{event.suite:<{SUITE_WIDTH}} {ending}")

    def _summary(self, result: RunResult) -> None:
        for cause in sorted(result.causes, key=cause_order):
            self._print("\n" + story(result, cause))
        for check, error in result.errors:
            self._print(f"\nERROR check {check} crashed: {error}")
        for problem in result.restore_problems:
            self._print(f"\nnot restored: {problem}")
        not_run = [rule_id for rule_id, status in result.rule_status.items()
                   if status == NOT_RUN and rule_id in result.skipped]
        if not_run:
            self._print("")
        for rule_id in not_run:
            self._print(f"not run: {RULES[rule_id].label} ({result.skipped[rule_id]})")
        counts = {status: sum(1 for s in result.rule_status.values() if s == status)
                  for status in (FAILED, WARNED, NOT_RUN)}
        consequences = len(result.findings) - len(result.causes)
        if result.stopped:
            self._print(f"\nstopped early: {result.stopped}; what it did not reach is not run")
        self._print(
            f"\n{len(result.failures)} failure(s), {len(result.warnings)} warning(s), {len(result.errors)} error(s); "
            f"causes: {len(result.causes)} (with {consequences} consequence(s) under them); "
            f"rules: {len(RULES)} ({counts[FAILED]} broken, {counts[WARNED]} warned, {counts[NOT_RUN]} not run); "
            f"suites: {', '.join(result.suites)}; {result.requests} requests in {result.seconds:.1f}s"
        )
