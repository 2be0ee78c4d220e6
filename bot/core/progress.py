"""A progress line on standard error for long index builds.

Silent for the first `quiet_s` seconds (small folders and tests print
nothing); then `label: done/total (rate/s, ~ETA)` rewritten in place on a
terminal, or one line every `every_s` seconds into a log.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    def __init__(self, total: int, label: str, unit: str = "files", stream: TextIO | None = None,
                 quiet_s: float = 2.0, every_s: float = 10.0) -> None:
        self.total = total
        self.label = label
        self.unit = unit
        self.stream = stream if stream is not None else sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.quiet_s = quiet_s
        self.every_s = every_s if not self.tty else 0.2
        self.start = time.monotonic()
        self.last = self.start
        self.done = 0
        self.shown = False

    def update(self, n: int = 1) -> None:
        self.done += n
        now = time.monotonic()
        if now - self.start < self.quiet_s or now - self.last < self.every_s:
            return
        self.last = now
        self._show(now)

    def _show(self, now: float, end: str = "") -> None:
        rate = self.done / max(now - self.start, 1e-9)
        eta = (self.total - self.done) / rate if rate > 0 else 0.0
        text = (f"{self.label}: {self.done}/{self.total} {self.unit} ({rate:.1f}/s, ~{eta:.0f} s left)"
                if self.done < self.total else f"{self.label}: {self.done} {self.unit} in {now - self.start:.1f} s")
        try:
            self.stream.write(("\r" + text + " " * 8 + end) if self.tty else text + "\n")
            self.stream.flush()
        except (OSError, ValueError):
            return
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self._show(time.monotonic(), end="\n" if self.tty else "")
