"""What a webhook worker asks the state store, counted on a real SQLite file (every statement
its connection runs, through sqlite3's trace callback), with the real outbox, chat leases and
PTB's Bot sending over HTTP to the fake Bot API on 127.0.0.1.

* answering a chat's updates (LeaseDispatcher._drain): the query for the next update also says
  whether requests wait in the outbox for the chat (a FAQ post another worker queued), so the
  chat's outbox is read between two answers only when there are some, not after every update;
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
from bot.telegram.leases import ChatLeases
from bot.telegram.outbox import DeliveryStats, DurableBot, Outbox

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


async def let_go(leases: ChatLeases, chat: str) -> None:
    """Wait (up to 20 s) until the worker no longer holds `chat`: its sender still had rows."""
    deadline = time.monotonic() + 20
    while leases.holds(chat) and time.monotonic() < deadline:
        await asyncio.sleep(0.05)


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
            await let_go(leases, CHAT)
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


USER = 4400000002


async def drain(tmp_path, service, api: FakeBotAPI, updates: int, while_answering=None):
    """Worker "b" answers `updates` /help messages of one private chat (the real application,
    LeaseDispatcher._drain as its sweep starts it); `while_answering(state)` runs in the fake
    server when the first reply arrives.  (statements b ran while answering, its stats)."""
    from bot.runtime import Runtime
    from bot.telegram.app import TelegramSettings, build_application
    from bot.telegram.delivery import attach_outbox, initialized
    from bot.telegram.workers import LeaseDispatcher

    state = State(tmp_path / "state.sqlite3")
    settings = shipped_settings().chat
    key = str(USER)
    user = api.user(USER, "Ana", "en")
    chat = {"id": USER, "type": "private", "first_name": "Ana"}
    state.inbox_add([(9_000 + i, key, json.dumps({"update_id": 9_000 + i, "message": api.message(chat, user, "/help")}))
                     for i in range(updates)], time.time())
    if while_answering is not None:
        other = State(tmp_path / "state.sqlite3")  # another worker's connection
        api.delay("sendMessage", 0.0, where=lambda params: str(params.get("chat_id")) == key
                  and (while_answering(other) or True))
    statements: list[str] = []
    application = build_application(Runtime(service, state),
                                    TelegramSettings(token=api.token, api_url=api.root, poll_timeout=1))
    stats = DeliveryStats()
    leases = ChatLeases(state, 6.0, owner="b")
    outbox = attach_outbox(application, state, settings, stats, leases)
    assert outbox is not None
    leases.on_taken = outbox.adopt
    dispatcher = LeaseDispatcher(application, state, settings, stats, outbox, leases)
    async with initialized(application):
        await application.start()
        try:
            assert await leases.take(key)
            assert state.db is not None
            state.db.set_trace_callback(statements.append)
            await dispatcher._drain(key)  # lets go of the chat at the end
            await let_go(leases, key)
        finally:
            state.db.set_trace_callback(None)
            await outbox.stop(1.0)
            await leases.close()
            if while_answering is not None:
                other.close()
    state.close()
    return statements, stats


# What answering one update costs a webhook worker, in statements on the state: the next update
# of the chat (and whether anything is queued for it), the reply queued (INSERT, its row read
# back), marked sending, marked sent, the update marked done.  Then, once, the look that finds
# no update left and the lease let go.
PER_UPDATE = 6
AFTER_THE_LAST = 2


async def test_answering_a_chat_costs_no_outbox_read_per_update(tmp_path, service):
    with FakeBotAPI() as api:
        statements, stats = await drain(tmp_path, service, api, updates=3)
        replies = [parse_telegram_html(c.params["text"]) for c in api.calls_to("sendMessage", ok_only=True)]
    assert replies == [service.messages.get("en", "tg_help")] * 3 and stats.sent == 3
    # Was two more per update: the chat's unsent requests read after every answer, and each
    # reply's row read again although the worker held its chat already.
    assert len(statements) <= 3 * PER_UPDATE + AFTER_THE_LAST, "\n".join(statements)


async def test_a_request_another_worker_queued_meanwhile_is_sent_between_two_answers(tmp_path, service):
    """A FAQ post another worker queued for the chat while this one answers it (waiting for the
    chat's lease) leaves before the next reply, once: the look for the next update says so."""

    def faq_post_queued(other: State) -> None:
        other.outbox_add("faq:five-stars:2026-03-30T07:00Z:" + str(USER), str(USER), "sendMessage",
                         json.dumps({"chat_id": str(USER), "text": "FAQ post"}), time.time())

    with FakeBotAPI() as api:
        statements, stats = await drain(tmp_path, service, api, updates=3, while_answering=faq_post_queued)
        sent = [parse_telegram_html(c.params["text"]) for c in api.calls_to("sendMessage", ok_only=True)]
    help_text = service.messages.get("en", "tg_help")
    assert sent == [help_text, "FAQ post", help_text, help_text] and stats.sent == 4
    # The post costs reading it, marking it sending and sent; nothing more per update.
    assert len(statements) <= 3 * PER_UPDATE + AFTER_THE_LAST + 3, "\n".join(statements)
