"""The webhook workers' per-chat loop (bot/telegram/workers.LeaseDispatcher) against a
state that fails once: a passing error marking an update done must not pause the chat."""

from __future__ import annotations

import asyncio

from bot.core.state import StateError
from bot.telegram import workers


class FlakyState:
    """Two updates waiting for one chat; the first `inbox_done` fails once."""

    def __init__(self) -> None:
        self.inbox = [(1, "{}", 0.0), (2, "{}", 0.0)]
        self.done: list[int] = []
        self.failures = 1

    async def run(self, fn, *args, **kwargs):
        return fn(*args)

    def inbox_next(self, key: str):
        return next((row for row in self.inbox if row[0] not in self.done), None), False  # nothing queued

    def inbox_done(self, update_id: int) -> None:
        if self.failures:
            self.failures -= 1
            raise StateError("locked", "database is locked")
        self.done.append(update_id)


class Leases:
    owner = "test"

    def __init__(self) -> None:
        self.released: list[str] = []

    async def release(self, key: str) -> None:
        self.released.append(key)


def test_a_passing_state_error_does_not_pause_the_chat(monkeypatch):
    answered: list[int] = []

    async def answer_recorded(application, settings, stats, update_id, payload, received_at):
        answered.append(update_id)

    monkeypatch.setattr(workers, "answer_recorded", answer_recorded)
    monkeypatch.setattr("bot.telegram.outbox.BACKOFF_START", 0.01)
    state, leases = FlakyState(), Leases()
    dispatcher = workers.LeaseDispatcher(None, state, None, None, None, leases)  # type: ignore[arg-type]
    asyncio.run(dispatcher._drain("chat:1"))
    assert answered == [1, 2] and state.done == [1, 2]
    assert leases.released == ["chat:1"]
