"""FAQ posts in multi-worker webhook mode: real `python -m bot telegram` webhook workers
sharing a real PostgreSQL (tests/pg_server.py), Telegram's POSTs over real HTTP to
127.0.0.1, posts and replies to the fake Bot API.  Every worker runs the FAQ scheduler;
the ledger gives each (entry, slot, chat) to one of them, and its post then follows the
rule every outbox row follows in webhook mode: only the worker holding the chat's lease
sends it (bot/telegram/leases.py, docs/reliability.md).

* duplicate: worker A's post waits out 429s in its outbox while worker B receives an update
  from the same chat.  Before, B took the chat (FAQ posts held no lease), loaded A's queued
  post as one of the chat's unsent replies and sent it too: the post arrived twice.
* lost: worker A is killed -9 while its post to a channel waits in the outbox.  Before,
  queued rows were only picked up by a worker taking the chat for a new update, which a
  channel never sends: the post stayed unsent, its ledger claim open, nothing logged.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest

from fake_bot_api import FakeBotAPI, parse_telegram_html
from test_webhook_workers import TOKEN, free_port, post, roomy_config, worker

QUESTION = "Pourquoi une note de 5 étoiles peut-elle nuire aux ventes ?"
IN_FLIGHT_WARNING = "was in flight when its worker stopped"


@pytest.fixture
def api():
    with FakeBotAPI(TOKEN) as server:
        yield server


def faq_config(tmp_path, chat: int):
    """The test config with one FAQ entry for `chat` whose daily slot was two minutes ago
    (UTC): every worker's start-up catch-up finds it due, within the grace period."""
    config = roomy_config(tmp_path)
    slot = datetime.now(UTC) - timedelta(minutes=2)
    (config / "faq.yaml").write_text(
        "timezone: UTC\nentries:\n  - id: five-stars\n"
        f"    question: \"{QUESTION}\"\n    lang: fr\n"
        f"    schedule: \"{slot.minute} {slot.hour} * * *\"\n    chats: [{chat}]\n", encoding="utf-8")
    return config


def to(chat: int):
    return lambda params: params.get("chat_id") in (chat, str(chat))


def sends_to(api: FakeBotAPI, chat: int) -> list[str]:
    """The texts delivered to `chat`, in order."""
    return [parse_telegram_html(c.params["text"]) for c in api.calls_to("sendMessage", ok_only=True)
            if to(chat)(c.params)]


def faq_row(url: str) -> tuple[str, str] | None:
    """(key, status) of the FAQ post's outbox row."""
    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT key, status FROM outbox WHERE key LIKE 'faq:%'").fetchone()
    return (row[0], row[1]) if row else None


def lease_owner(url: str, chat: int) -> str:
    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT owner FROM chat_leases WHERE chat_key = %s", (str(chat),)).fetchone()
    return row[0] if row else ""


def unanswered(url: str) -> int:
    import psycopg

    with psycopg.connect(url) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM inbox WHERE done = 0").fetchone()[0])


def wait_until(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout:g}s")
        time.sleep(0.1)


def group_update(api: FakeBotAPI, chat: int, text: str, update_id: int) -> dict:
    user = api.user(4242, "Grace", "en")
    return {"update_id": update_id,
            "message": api.message({"id": chat, "type": "supergroup", "title": "FAQ group"}, user, text)}


def test_a_faq_post_waiting_in_one_worker_is_not_sent_again_by_another(api, tmp_path, pg, service):
    url = pg.fresh_database("faq_duplicate")
    group = -1008800000001
    faq_config(tmp_path, group)
    blocked = threading.Event()
    blocked.set()
    api.fail("sendMessage", 429, retry_after=1, times=100_000, where=lambda p: to(group)(p) and blocked.is_set())
    a = worker(api, tmp_path, "a", url, free_port())
    port_b = free_port()
    b = worker(api, tmp_path, "b", url, port_b)
    try:
        a.start()  # alone: its start-up catch-up claims the slot for the group
        api.wait_for("sendMessage", lambda c: to(group)(c.params) and c.status == 429, timeout=60, ok_only=False)
        b.start()
        mark = api.mark()
        api.wait_for("sendMessage", lambda c: to(group)(c.params) and c.status == 429, since=mark, timeout=30,
                     ok_only=False)
        time.sleep(0.3)  # A waits out retry_after; its post is queued, not in flight
        assert faq_row(url)[1] == "pending"
        # A stalls for a moment (well within the lease), so that B, not A, sees the update first.
        os.kill(a.pid, signal.SIGSTOP)
        try:
            assert post(port_b, group_update(api, group, "/help", 7_100_001)) == 200
            time.sleep(1.5)
            # The post holds the chat's lease: B leaves the chat (and its update) to A.
            assert f":{a.pid}:" in lease_owner(url, group)
            assert unanswered(url) == 1
        finally:
            os.kill(a.pid, signal.SIGCONT)
        blocked.clear()
        help_text = service.messages.get("en", "tg_help")
        wait_until(lambda: help_text in sends_to(api, group), 60, "the /help reply")
        time.sleep(2.0)  # a second copy of the post would show up here
    finally:
        blocked.clear()
        b.stop()
        a.stop()
    got = sends_to(api, group)
    posts = [i for i, text in enumerate(got) if QUESTION in text]
    replies = [i for i, text in enumerate(got) if text == help_text]
    print(f"\nFAQ post waiting out 429s in worker A, an update to worker B in the same chat: "
          f"{len(posts)} post(s), {len(replies)} repl(ies)")
    assert len(posts) == 1, got  # not sent by both workers
    assert len(replies) == 1
    assert posts[0] < replies[0]  # the chat's order: the post was queued first
    assert faq_row(url)[1] == "sent"
    assert IN_FLIGHT_WARNING not in a.all_output() + b.all_output()  # no live request closed as uncertain


def test_a_queued_faq_post_to_a_channel_is_sent_once_after_its_worker_is_killed(api, tmp_path, pg):
    url = pg.fresh_database("faq_lost")
    channel = -1008800000002
    faq_config(tmp_path, channel)
    blocked = threading.Event()
    blocked.set()
    api.fail("sendMessage", 429, retry_after=60, times=100_000,
             where=lambda p: to(channel)(p) and blocked.is_set())
    a = worker(api, tmp_path, "a", url, free_port())
    b = worker(api, tmp_path, "b", url, free_port())
    try:
        a.start()  # alone: it claims the slot for the channel
        api.wait_for("sendMessage", lambda c: to(channel)(c.params) and c.status == 429, timeout=60, ok_only=False)
        wait_until(lambda: faq_row(url) is not None and faq_row(url)[1] == "pending", 10, "the post queued")
        b.start()
        a.kill()  # kill -9 while the post waits in A's outbox
        killed = time.monotonic()
        blocked.clear()
        # The channel never sends an update: a live worker must pick the post up by itself.
        wait_until(lambda: len(sends_to(api, channel)) >= 1, 45, "the queued post sent by the other worker")
        after = time.monotonic() - killed
        time.sleep(1.5)  # a second copy would show up here
        assert len(sends_to(api, channel)) == 1
        assert faq_row(url)[1] == "sent"
    finally:
        blocked.clear()
        b.stop()
        a.stop()
    print(f"\nFAQ post queued in a worker killed -9: sent once by the other worker {after:.1f}s after the kill")
    assert QUESTION in sends_to(api, channel)[0]
    assert "queued for it by another worker" in b.all_output()  # logged by the worker that sent it
    # ... and the ledger's claim, once stale, is settled from the outbox as posted.
    from bot.core.pgstate import PgState
    from bot.faq.ledger import POSTED, Ledger

    state = PgState(url)
    try:
        [record] = Ledger(state).close_stale_claims(datetime.now(UTC) + timedelta(hours=1), timedelta(minutes=15))
    finally:
        state.close()
    assert record.status == POSTED and "sent by the outbox" in record.detail


def test_a_worker_stalled_past_its_lease_does_not_send_the_post_again(api, tmp_path, pg, service):
    """Worker A is frozen (SIGSTOP) longer than `chat.lease_seconds` while its post waits out a
    429: B takes the chat over and sends the post.  A wakes up still holding the row in its
    outbox; the pending -> sending step in the state lets only one of them send it."""
    url = pg.fresh_database("faq_stalled")
    group = -1008800000003
    faq_config(tmp_path, group)
    lease = service.settings.chat.lease_seconds
    blocked = threading.Event()
    blocked.set()
    api.fail("sendMessage", 429, retry_after=1, times=100_000, where=lambda p: to(group)(p) and blocked.is_set())
    a = worker(api, tmp_path, "a", url, free_port())
    b = worker(api, tmp_path, "b", url, free_port())
    try:
        a.start()
        api.wait_for("sendMessage", lambda c: to(group)(c.params) and c.status == 429, timeout=60, ok_only=False)
        b.start()
        mark = api.mark()
        api.wait_for("sendMessage", lambda c: to(group)(c.params) and c.status == 429, since=mark, timeout=30,
                     ok_only=False)
        time.sleep(0.3)
        assert faq_row(url)[1] == "pending"
        os.kill(a.pid, signal.SIGSTOP)
        try:
            blocked.clear()
            wait_until(lambda: len(sends_to(api, group)) >= 1, lease + 20, "the post sent by B")
            assert f":{b.pid}:" in lease_owner(url, group) or faq_row(url)[1] == "sent"
        finally:
            os.kill(a.pid, signal.SIGCONT)
        wait_until(lambda: "taken over by another worker" in a.all_output(), 15, "A noticing it lost the chat")
        time.sleep(2.0)  # A's outbox would send its copy now
    finally:
        blocked.clear()
        b.stop()
        a.stop()
    assert len(sends_to(api, group)) == 1
    assert faq_row(url)[1] == "sent"


if os.environ.get("BOT_SKIP_PG"):  # pragma: no cover - manual switch for machines without PostgreSQL
    pytestmark = pytest.mark.skip("BOT_SKIP_PG set")
