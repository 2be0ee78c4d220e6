"""What a webhook worker asks the state store, counted on a real SQLite file (every statement
its connection runs, through sqlite3's trace callback), with the real outbox, chat leases and
PTB's Bot sending over HTTP to the fake Bot API on 127.0.0.1.

* taking a chat over (Outbox.adopt): one statement reads the chat's unsent and in-flight
  requests, a second closes the in-flight ones only when there are some, and every row it
  closes is the one reported (logged, counted in /stats), also a row a stalled worker started
  sending in between.
"""

from __future__ import annotations

import asyncio
import json
import time

from bot.core.state import State
from bot.telegram.delivery import DeliveryStats, DurableBot, Outbox
from bot.telegram.leases import ChatLeases

from conftest import shipped_settings
from fake_bot_api import FakeBotAPI, parse_telegram_html

CHAT = "-1004400000001"


def queue(state: State, key: str, text: str) -> int:
    """A sendMessage queued in the outbox by some worker; its row id."""
    row_id, *_ = state.outbox_add(key, CHAT, "sendMessage", json.dumps({"chat_id": CHAT, "text": text}),
                                  time.time())
    return row_id


def outbox_statements(statements: list[str]) -> list[str]:
    return [sql for sql in statements if "outbox" in sql]


async def adopt(tmp_path, api: FakeBotAPI, race=None):
    """Worker "b" takes CHAT, whose rows worker "a" (stopped, or stalled) left in the outbox;
    (statements b ran on the outbox, b's stats, what b sent)."""
    state = State(tmp_path / "state.sqlite3")
    statements: list[str] = []

    def trace(sql: str) -> None:
        statements.append(sql)
        if race is not None and "SET status = 'uncertain'" in sql:
            race()

    stats = DeliveryStats()
    async with DurableBot(api.token, base_url=f"{api.root}/bot") as bot:
        leases = ChatLeases(state, 6.0, owner="b")
        outbox = Outbox(state, bot, shipped_settings().chat, stats, leases=leases)
        leases.on_taken = outbox.adopt
        assert state.db is not None
        state.db.set_trace_callback(trace)
        try:
            assert await leases.take(CHAT)
            taken = list(statements)
            await leases.release(CHAT)
            deadline = time.monotonic() + 20
            while leases.holds(CHAT) and time.monotonic() < deadline:  # its sender still has rows
                await asyncio.sleep(0.05)
        finally:
            state.db.set_trace_callback(None)
            await outbox.stop(1.0)
            await leases.close()
    state.close()
    sent = [parse_telegram_html(c.params["text"]) for c in api.calls_to("sendMessage", ok_only=True)]
    return outbox_statements(taken), stats, sent


async def test_taking_a_chat_reads_its_outbox_in_one_statement(tmp_path):
    other = State(tmp_path / "state.sqlite3")  # worker "a", stopped with two replies queued
    queue(other, "update:1:0", "first")
    queue(other, "update:2:0", "second")
    other.close()
    with FakeBotAPI() as api:
        statements, stats, sent = await adopt(tmp_path, api)
    assert len(statements) == 1, statements  # was 2: one for the rows in flight, one for the unsent
    assert sent == ["first", "second"] and stats.uncertain == 0


async def test_taking_a_chat_closes_and_reports_exactly_the_requests_left_in_flight(tmp_path):
    other = State(tmp_path / "state.sqlite3")  # worker "a": one request in flight, two queued
    in_flight = queue(other, "update:1:0", "in flight")
    other.outbox_sending(in_flight)
    started = queue(other, "update:2:0", "started by the stalled worker")
    queue(other, "update:3:0", "queued")

    def stalled_worker_sends() -> None:
        """Worker "a", stalled past its lease, wakes up and starts sending its next row just as
        "b" closes the chat's requests in flight."""
        assert other.outbox_sending(started)

    with FakeBotAPI() as api:
        statements, stats, sent = await adopt(tmp_path, api, race=stalled_worker_sends)
    rows = {r[0]: r[1] for r in other.execute("SELECT key, status FROM outbox").fetchall()}
    other.close()
    assert len(statements) == 2, statements  # was 3
    assert rows == {"update:1:0": "uncertain", "update:2:0": "uncertain", "update:3:0": "sent"}
    assert sent == ["queued"]  # neither request that may be on its way is sent again by "b"
    # Every row closed as uncertain is reported (logged, counted in /stats): was 1 of the 2.
    assert stats.uncertain == 2
