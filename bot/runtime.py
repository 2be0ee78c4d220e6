"""The one dependency provider of every adapter: service, settings, state, counters.

The CLI, the REPL, the Telegram handlers, inline mode and the FAQ scheduler
all reach the core through one `Runtime`.  An admin's /reload (or the REPL's)
swaps the service here, in one assignment, so every adapter answers from the
new knowledge at its next question; a question in flight finishes on the
service it started with.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the state store and the service are imported by whoever builds a Runtime
    from bot.answering.service import QAService
    from bot.core.config import Settings
    from bot.core.messages import Messages
    from bot.core.state import State


@dataclass
class Stats:
    """Counters for /stats since the process started (thread-safe: answers run in threads)."""

    started: float = field(default_factory=time.monotonic)
    answered: int = 0
    declined: int = 0
    failed: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def count(self, answered: bool | None) -> None:
        """answered True/False for an answer or a decline, None for a failure."""
        with self._lock:
            if answered is None:
                self.failed += 1
            elif answered:
                self.answered += 1
            else:
                self.declined += 1


class Runtime:
    """The current service (and through it the settings and texts), the state store, counters."""

    def __init__(self, service: "QAService", state: "State | None" = None) -> None:
        self._service = service
        self.state = state
        self.stats = Stats()
        self._reload_lock = threading.Lock()
        # Run on a reloaded service before it is swapped in (each raises ConfigError to refuse
        # it): an adapter registers the checks of its own texts, so a bad /reload changes nothing.
        self.checks: list[Callable[["QAService"], None]] = []

    @classmethod
    def of(cls, source: "Runtime | QAService") -> "Runtime":
        """A Runtime as given, or one around a bare service (tests, one-shot commands)."""
        return source if isinstance(source, Runtime) else cls(source)

    @property
    def service(self) -> "QAService":
        return self._service

    @property
    def settings(self) -> "Settings":
        return self._service.settings

    @property
    def messages(self) -> "Messages":
        return self._service.messages

    def reload(self) -> "QAService":
        """Re-read config/ and knowledge/; swap only when that succeeded (else it raises)."""
        with self._reload_lock:
            new = self._service.reload()
            for check in self.checks:
                check(new)
            self._service = new
            return new
