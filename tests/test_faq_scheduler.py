"""Scheduled FAQ posts over real HTTP: PTB's Bot -> fake Bot API server on 127.0.0.1.

Time is driven by an injectable clock; nothing here sleeps for minutes.
"""

from __future__ import annotations

import asyncio
import json
import logging
import subprocess
import time
from datetime import UTC, datetime, timedelta

import pytest
from telegram import Bot

from bot.core.state import State
from bot.faq.config import load_faq
from bot.faq.ledger import CLAIMED, FAILED, POSTED, SKIPPED, Ledger
from bot.faq.scheduler import FaqScheduler

from conftest import KNOWLEDGE, PYTHON, ROOT, subprocess_env
from fake_bot_api import FakeBotAPI, _ApiError, html_text

LANGS = ("fr", "en", "sw", "th")
QUESTION = "Pourquoi une note de 5 étoiles peut-elle nuire aux ventes ?"
QUOTE = "Une note de 5 étoiles peut en fait nuire à vos ventes plutôt que les aider."
CHATS = [-1001234567890, -1002222222222, "@faq_channel"]


class Clock:
    """A settable clock: the scheduler asks it for 'now'."""

    def __init__(self, now: str) -> None:
        self.now = datetime.fromisoformat(now)

    def __call__(self) -> datetime:
        return self.now

    def set(self, now: str) -> None:
        self.now = datetime.fromisoformat(now)

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


class Api(FakeBotAPI):
    """The fake server, plus chats that do not exist or refuse the bot."""

    missing: set = set()
    forbidden: set = set()

    def handle(self, method, params):
        if method.lower() == "sendmessage":
            if params.get("chat_id") in self.missing:
                raise _ApiError(400, "Bad Request: chat not found")
            if params.get("chat_id") in self.forbidden:
                raise _ApiError(403, "Forbidden: bot is not a member of the channel chat")
        return super().handle(method, params)


@pytest.fixture
def api():
    server = Api()
    server.missing, server.forbidden = set(), set()
    with server:
        yield server


@pytest.fixture
async def bot(api):
    async with Bot(api.token, base_url=f"{api.root}/bot") as bot:
        yield bot


def faq_yaml(schedule="0 9 * * mon", chats=None, grace=None, question=QUESTION, tz="Europe/Paris",
             entry_id="five-stars", lang="fr") -> str:
    chats = CHATS if chats is None else chats
    text = f"timezone: {tz}\n" + (f"grace: {grace}\n" if grace is not None else "")
    text += (f"entries:\n  - id: {entry_id}\n    question: {json.dumps(question, ensure_ascii=False)}\n"
             f"    lang: {lang}\n    schedule: \"{schedule}\"\n    chats: {json.dumps(chats)}\n")
    return text


def make(tmp_path, bot, service, clock, yaml_text, waits=None, state_name="state.sqlite3"):
    folder = tmp_path / "faqcfg"
    folder.mkdir(exist_ok=True)
    (folder / "faq.yaml").write_text(yaml_text, encoding="utf-8")
    config = load_faq(folder, LANGS)
    assert config.errors == []

    async def fake_sleep(seconds: float) -> None:
        if waits is not None:
            waits.append(seconds)

    state = State(tmp_path / state_name)
    return FaqScheduler(config, service, Ledger(state), bot, clock=clock, sleep=fake_sleep)


def sent(api, since=0):
    return [c for c in api.calls_to("sendMessage", since=since, ok_only=True)]


def statuses(scheduler, entry="five-stars"):
    return sorted((r.slot, r.chat, r.status) for r in scheduler.ledger.records(entry))


# -- a due slot, once per chat -------------------------------------------------

async def test_due_slot_is_posted_once_to_each_chat(tmp_path, api, bot, service):
    clock = Clock("2026-03-30T09:00:00+02:00")  # a Monday, 09:00 in Paris
    scheduler = make(tmp_path, bot, service, clock, faq_yaml())
    outcomes = await scheduler.run_due()
    assert [(o.chat, o.status) for o in outcomes] == [(str(c), POSTED) for c in CHATS]
    calls = sent(api)
    assert [c.params["chat_id"] for c in calls] == CHATS
    for call in calls:
        assert call.params["parse_mode"] == "HTML"
        text = html_text(call.params["text"])  # the fake parses it like Telegram would
        assert text.startswith(QUESTION + "\n\n")  # the question as a heading
        assert QUOTE in text and "Les consommateurs n'achètent plus la perfection" in text
        assert call.params["text"].startswith("<b>Pourquoi")
    # The same instant again, and the following minutes: nothing new.
    for _ in range(5):
        assert await scheduler.run_due() == []
        clock.advance(seconds=30)
    assert len(sent(api)) == 3
    assert statuses(scheduler) == [("2026-03-30T07:00Z", str(c), POSTED) for c in sorted(map(str, CHATS))]


async def test_nothing_is_posted_before_the_slot(tmp_path, api, bot, service):
    clock = Clock("2026-03-30T08:59:59+02:00")
    scheduler = make(tmp_path, bot, service, clock, faq_yaml())
    assert await scheduler.run_due() == []
    assert sent(api) == []
    assert scheduler.next_run(scheduler.entries[0]).isoformat() == "2026-03-30T09:00:00+02:00"


async def test_restart_after_posting_does_not_repost(tmp_path, api, bot, service):
    clock = Clock("2026-03-30T09:00:05+02:00")
    first = make(tmp_path, bot, service, clock, faq_yaml())
    assert len(await first.run_due()) == 3
    first.ledger.state.close()
    # "Restart": a new scheduler and a new connection on the same state file, 20 minutes later.
    clock.set("2026-03-30T09:20:00+02:00")
    second = make(tmp_path, bot, service, clock, faq_yaml())
    assert await second.run_due() == []
    assert len(sent(api)) == 3
    # ... and the next week's slot still posts, once.
    clock.set("2026-04-06T09:00:00+02:00")
    assert [o.status for o in await second.run_due()] == [POSTED] * 3
    assert await second.run_due() == []
    assert len(sent(api)) == 6


async def test_state_file_replaced_by_an_older_copy_does_not_repost_the_slot(tmp_path, api, bot, service, caplog):
    """The state file is restored from a copy made before the 09:00 post while the bot runs
    (State notices the new file and reopens it): the ledger no longer knows the post.  The
    next sweep, still inside the grace period, used to post the slot to every chat again."""
    import sqlite3

    clock = Clock("2026-03-30T09:00:00+02:00")
    scheduler = make(tmp_path, bot, service, clock, faq_yaml())
    path = tmp_path / "state.sqlite3"
    backup = tmp_path / "backup.sqlite3"
    with sqlite3.connect(path) as live, sqlite3.connect(backup) as copy:
        live.backup(copy)  # the older copy: schema, no posts yet
    assert [o.status for o in await scheduler.run_due()] == [POSTED] * 3
    for suffix in ("", "-wal", "-shm"):
        (tmp_path / f"state.sqlite3{suffix}").unlink(missing_ok=True)
    backup.rename(path)
    clock.advance(minutes=1)
    with caplog.at_level(logging.WARNING, logger="bot.faq"):
        outcomes = await scheduler.run_due()
    assert len(sent(api)) == 3  # was 6
    assert {(o.slot, o.status) for o in outcomes} == {("2026-03-30T07:00Z", SKIPPED)}
    assert "no longer knows it" in caplog.text
    assert scheduler.ledger.state.replaced == 1
    caplog.clear()
    clock.advance(minutes=1)
    with caplog.at_level(logging.WARNING, logger="bot.faq"):
        assert await scheduler.run_due() == []  # recorded now: logged once
    assert "skipped" not in caplog.text
    clock.set("2026-04-06T09:00:00+02:00")  # the next slot posts as usual
    assert [o.status for o in await scheduler.run_due()] == [POSTED] * 3
    assert len(sent(api)) == 6


async def test_partial_slot_after_a_crash_completes_the_missing_chats_only(tmp_path, api, bot, service):
    clock = Clock("2026-03-30T09:00:00+02:00")
    scheduler = make(tmp_path, bot, service, clock, faq_yaml())
    # The previous process posted to the first chat, then died before the others.
    scheduler.ledger.claim("five-stars", "2026-03-30T07:00Z", str(CHATS[0]), clock())
    scheduler.ledger.finish("five-stars", "2026-03-30T07:00Z", str(CHATS[0]), POSTED, clock(), "message 1")
    clock.advance(minutes=3)
    outcomes = await scheduler.run_due()
    assert [o.chat for o in outcomes] == [str(c) for c in CHATS[1:]]
    assert [c.params["chat_id"] for c in sent(api)] == CHATS[1:]


# -- downtime and the grace period ---------------------------------------------------

async def _history(scheduler, clock, api):
    """The bot was up for last Monday's slot."""
    clock.set("2026-03-23T09:00:00+01:00")
    assert len(await scheduler.run_due()) == 3
    return api.mark()


@pytest.mark.parametrize("grace, back_at, expected", [
    (None, "2026-03-30T09:40:00+02:00", POSTED),     # default 1h: 40 min late is inside
    ("1h", "2026-03-30T10:00:00+02:00", POSTED),     # exactly at the limit: inside
    ("1h", "2026-03-30T10:30:00+02:00", SKIPPED),    # 1h30 late: outside
    ("2h", "2026-03-30T10:30:00+02:00", POSTED),     # a longer grace configured in faq.yaml
    ("15m", "2026-03-30T09:20:00+02:00", SKIPPED),
])
async def test_restart_after_downtime_inside_and_outside_grace(tmp_path, api, bot, service, caplog,
                                                               grace, back_at, expected):
    clock = Clock("2026-03-23T09:00:00+01:00")
    scheduler = make(tmp_path, bot, service, clock, faq_yaml(grace=grace))
    mark = await _history(scheduler, clock, api)
    # Down from Monday 23rd 09:05 to `back_at` on Monday 30th (the 09:00 slot passed meanwhile).
    scheduler.ledger.state.close()
    clock.set(back_at)
    restarted = make(tmp_path, bot, service, clock, faq_yaml(grace=grace))
    with caplog.at_level(logging.INFO, logger="bot.faq"):
        outcomes = await restarted.run_due()
    assert {(o.slot, o.status) for o in outcomes} == {("2026-03-30T07:00Z", expected)}
    assert len(outcomes) == 3
    if expected == POSTED:
        assert len(sent(api, since=mark)) == 3
        assert "late" in caplog.text or back_at.endswith("09:00:00+02:00")
    else:
        assert sent(api, since=mark) == []
        assert "skipped" in caplog.text and "five-stars" in caplog.text and "2026-03-30T07:00Z" in caplog.text
    # Running again changes nothing either way.
    clock.advance(minutes=1)
    assert await restarted.run_due() == []
    assert len(sent(api, since=mark)) == (3 if expected == POSTED else 0)


async def test_long_downtime_logs_each_missed_slot_once_and_posts_the_recent_one(tmp_path, api, bot, service,
                                                                                 caplog):
    clock = Clock("2026-03-23T09:00:00+01:00")
    scheduler = make(tmp_path, bot, service, clock, faq_yaml(schedule="0 9 * * *", chats=[-1001]))
    assert len(await scheduler.run_due()) == 1
    clock.set("2026-03-27T09:30:00+01:00")  # back four days later, 30 min after that day's slot
    with caplog.at_level(logging.WARNING, logger="bot.faq"):
        outcomes = await scheduler.run_due()
    assert [(o.slot, o.status) for o in outcomes] == [
        ("2026-03-24T08:00Z", SKIPPED), ("2026-03-25T08:00Z", SKIPPED), ("2026-03-26T08:00Z", SKIPPED),
        ("2026-03-27T08:00Z", POSTED)]
    assert caplog.text.count("skipped") == 1
    assert "3 slot(s) skipped (2026-03-24T08:00Z .. 2026-03-26T08:00Z, 3 post(s)): missed while" in caplog.text
    assert len(sent(api)) == 2
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="bot.faq"):
        assert await scheduler.run_due() == []
    assert "skipped" not in caplog.text  # logged once, not at every sweep


@pytest.mark.parametrize("grace", ["0", "10s"])
async def test_a_grace_shorter_than_a_wake_up_still_posts_each_slot_on_time(tmp_path, api, bot, service, grace):
    """`grace: 0` means "never post late", not "never post": the job wakes a moment
    after the slot (a few ms, or the next sweep), and every slot used to be recorded
    as missed (or, for a new entry, silently dropped), so nothing was ever posted."""
    clock = Clock("2026-03-30T09:00:00.050000+02:00")  # the job woke 50 ms after the slot
    scheduler = make(tmp_path, bot, service, clock, faq_yaml(grace=grace, chats=[-1001]))
    assert [(o.slot, o.status) for o in await scheduler.run_due()] == [("2026-03-30T07:00Z", POSTED)]
    clock.set("2026-04-06T09:00:30+02:00")  # next Monday, found by the sweep 30 s after the slot
    assert [(o.slot, o.status) for o in await scheduler.run_due()] == [("2026-04-06T07:00Z", POSTED)]
    clock.set("2026-04-13T09:20:00+02:00")  # back from a downtime 20 min after the slot: late, skipped
    assert [(o.slot, o.status) for o in await scheduler.run_due()] == [("2026-04-13T07:00Z", SKIPPED)]
    assert len(sent(api)) == 2


async def test_new_entry_does_not_post_old_slots(tmp_path, api, bot, service):
    # An entry first seen 3 hours after its slot: no history, nothing missed "while down".
    clock = Clock("2026-03-30T12:00:00+02:00")
    scheduler = make(tmp_path, bot, service, clock, faq_yaml())
    assert await scheduler.run_due() == []
    assert sent(api) == []


# -- DST -----------------------------------------------------------------------

@pytest.mark.parametrize("start, hours, expected_at", [
    ("2026-03-28T23:00:00+00:00", 4, "2026-03-29T01:00:00+00:00"),  # spring forward: 03:00 CEST
    ("2026-10-24T22:00:00+00:00", 5, "2026-10-25T00:30:00+00:00"),  # fall back: first 02:30 (CEST)
])
async def test_daily_0230_posts_once_on_dst_days(tmp_path, api, bot, service, start, hours, expected_at):
    """A minute-by-minute sweep through the night of the change posts exactly once."""
    clock = Clock(start)
    scheduler = make(tmp_path, bot, service, clock, faq_yaml(schedule="30 2 * * *", chats=[-1001]))
    posted_at = []
    for _ in range(hours * 60 + 1):
        if await scheduler.run_due():
            posted_at.append(clock().isoformat())
        clock.advance(minutes=1)
    assert posted_at == [expected_at]
    assert len(sent(api)) == 1


# -- Telegram refusing ---------------------------------------------------------

async def test_telegram_errors_are_logged_retried_when_retryable_and_the_schedule_goes_on(
        tmp_path, api, bot, service, caplog):
    api.missing.add(-1004040404040)
    api.forbidden.add("@locked_channel")
    chats = [-1001, -1004040404040, "@locked_channel", -1002]
    clock = Clock("2026-03-30T09:00:00+02:00")
    waits: list[float] = []
    scheduler = make(tmp_path, bot, service, clock, faq_yaml(chats=chats), waits=waits)
    api.fail("sendMessage", 429, retry_after=3, times=1)   # hits chat -1001 first
    with caplog.at_level(logging.WARNING, logger="bot.faq"):
        outcomes = await scheduler.run_due()
    result = {o.chat: (o.status, o.detail) for o in outcomes}
    assert result["-1001"][0] == POSTED and waits == [3.0]                   # 429: waited retry_after, retried
    assert result["-1004040404040"][0] == FAILED and "chat not found" in result["-1004040404040"][1].lower()
    assert result["@locked_channel"][0] == FAILED and "forbidden" in result["@locked_channel"][1]
    assert result["-1002"][0] == POSTED                                     # the others still get it
    assert "faq five-stars: chat -1004040404040: not posted: bad request: Chat not found" in caplog.text
    assert "faq five-stars: chat @locked_channel: not posted: forbidden" in caplog.text
    assert "chat -1001: attempt 1 failed: flood control (429)" in caplog.text
    # A refusal is final for that slot: later sweeps do not hammer the chat.
    clock.advance(minutes=1)
    assert await scheduler.run_due() == []
    # Server errors are retried with backoff; a lost answer is not (it may have been delivered).
    clock.set("2026-04-06T09:00:00+02:00")
    api.missing.clear()
    api.forbidden.clear()
    waits.clear()
    api.fail("sendMessage", 500, times=2)
    outcomes = await scheduler.run_due()
    assert [(o.chat, o.status) for o in outcomes] == [(str(c), POSTED) for c in chats]
    assert waits == [1.0, 2.0]
    # A connection dropped after the request was sent: not retried, since it may have been delivered.
    clock.set("2026-04-13T09:00:00+02:00")
    api.disconnect("sendMessage", times=1)
    mark = api.mark()
    outcomes = await scheduler.run_due()
    result = {o.chat: (o.status, o.detail) for o in outcomes}
    assert result["-1001"][0] == FAILED and "not retried" in result["-1001"][1]
    assert len([c for c in api.calls_to("sendMessage", since=mark) if c.params["chat_id"] == -1001]) == 1
    assert [result[str(c)][0] for c in chats[1:]] == [POSTED] * 3


async def test_a_429_is_never_a_failure_however_long_or_often(tmp_path, api, bot, service):
    """Issue 14: a FAQ slot whose 429 lasted past ~6 min, or asked for more than 120 s, was
    marked failed and never posted.  Now every retry_after is waited out."""
    clock = Clock("2026-03-30T09:00:00+02:00")
    waits: list[float] = []
    scheduler = make(tmp_path, bot, service, clock, faq_yaml(chats=[-1001]), waits=waits)
    api.fail("sendMessage", 429, retry_after=3600, times=1)
    api.fail("sendMessage", 429, retry_after=2, times=40)
    outcomes = await scheduler.run_due()
    assert outcomes[0].status == POSTED and waits == [3600.0] + [2.0] * 40


async def test_a_proxys_502_page_is_retried_like_any_5xx(tmp_path, api, bot, service):
    """A 502 whose body is a proxy's HTML page, not the Bot API's JSON: nothing was taken.
    It was recorded as failed ("no answer after the request was sent"), never posted."""
    clock = Clock("2026-03-30T09:00:00+02:00")
    waits: list[float] = []
    scheduler = make(tmp_path, bot, service, clock, faq_yaml(chats=[-1001]), waits=waits)
    api.fail("sendMessage", 502, page="<html><body><h1>502 Bad Gateway</h1></body></html>", times=2)
    outcomes = await scheduler.run_due()
    assert [o.status for o in outcomes] == [POSTED] and waits == [1.0, 2.0]
    assert [c.status for c in api.calls_to("sendMessage")] == [502, 502, 200]


async def test_unanswerable_question_is_skipped_not_posted(tmp_path, api, bot, service, caplog):
    clock = Clock("2026-03-30T09:00:00+02:00")
    scheduler = make(tmp_path, bot, service, clock, faq_yaml(question="Zorglub xyzzy plugh wibblesnork ?",
                                                              chats=[-1001]))
    with caplog.at_level(logging.ERROR, logger="bot.faq"):
        outcomes = await scheduler.run_due()
    assert [(o.status, o.chat) for o in outcomes] == [(SKIPPED, "-1001")]
    assert "no answer" in caplog.text and sent(api) == []


async def test_stale_claim_from_a_crashed_process_is_not_reposted(tmp_path, api, bot, service, caplog):
    clock = Clock("2026-03-30T09:20:00+02:00")
    scheduler = make(tmp_path, bot, service, clock, faq_yaml(chats=[-1001]))
    # A process claimed the 09:00 slot, then was killed before it recorded the outcome.
    scheduler.ledger.claim("five-stars", "2026-03-30T07:00Z", "-1001",
                           datetime(2026, 3, 30, 7, 0, 1, tzinfo=UTC))
    with caplog.at_level(logging.ERROR, logger="bot.faq"):
        assert await scheduler.run_due() == []
    assert sent(api) == []
    record = scheduler.ledger.get("five-stars", "2026-03-30T07:00Z", "-1001")
    assert record.status == FAILED and record.detail.startswith("interrupted")
    assert "stopped while posting" in caplog.text and "faq post five-stars" in caplog.text


async def test_a_post_still_retrying_through_a_long_outage_is_not_closed_as_abandoned(tmp_path, api, bot,
                                                                                       service, caplog):
    """The Bot API unreachable for longer than chat.faq_stale_claim_seconds while this process
    keeps retrying its post: the minute sweep used to close that claim as 'interrupted: the
    process stopped while posting' and tell the operator to re-post it by hand (a second copy
    once the first got through).  Now only claims no live poster holds are settled."""
    clock = Clock("2026-03-30T09:00:00+02:00")
    seen: list[str] = []

    async def outage(seconds: float) -> None:  # each backoff of the poster: 20 minutes pass
        clock.advance(minutes=20)
        await scheduler.run_due()  # the sweep job, running meanwhile on the same loop
        seen.append(scheduler.ledger.get("five-stars", "2026-03-30T07:00Z", "-1001").status)
        if len(seen) == 2:
            api.come_back()

    scheduler = make(tmp_path, bot, service, clock, faq_yaml(chats=[-1001], grace="2h"))
    scheduler.sleep = outage
    api.go_down()
    with caplog.at_level(logging.INFO, logger="bot.faq"):
        outcomes = await scheduler.run_due()
    assert seen == ["claimed", "claimed"]
    assert [o.status for o in outcomes] == [POSTED] and len(sent(api)) == 1
    assert "stopped while posting" not in caplog.text


async def _posting_past_the_stale_limit(tmp_path, api, bot, service):
    """Two schedulers on one state file, as two processes (webhook workers; the bot and `bot faq
    post`): `poster` posts the 09:00 slot and waits out a 429 of an hour; its claim is then 20
    minutes old, past chat.faq_stale_claim_seconds (15).  (clock, poster, its task, the other
    process's scheduler, the gate that ends the 429's wait)."""
    clock = Clock("2026-03-30T09:00:00+02:00")
    gate = asyncio.Event()

    async def waiting_out_the_429(seconds: float) -> None:
        await gate.wait()

    poster = make(tmp_path, bot, service, clock, faq_yaml(chats=[-1001], grace="2h"))
    poster.sleep = waiting_out_the_429
    poster.alive_seconds = 0.05  # how often a post renews its claim: a third of the limit in production
    other = make(tmp_path, bot, service, clock, faq_yaml(chats=[-1001], grace="2h"))
    api.fail("sendMessage", 429, retry_after=3600)
    posting = asyncio.create_task(poster.run_due())
    await asyncio.to_thread(api.wait_for, "sendMessage", lambda c: c.status == 429, 30, 0, False)
    clock.advance(minutes=20)
    # the poster, still waiting, renews its claim meanwhile: wait for that renewal (dated
    # after the jump), however slow a loaded machine is
    from bot.faq.ledger import _ts

    def renewed() -> bool:  # read as the other process sees it: its own connection, off the event loop
        row = other.ledger.state.execute("SELECT alive_at FROM faq_posting WHERE entry_id = ? AND chat = ?",
                                         ("five-stars", "-1001")).fetchone()
        return row is not None and row[0] >= _ts(clock.now)

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not await asyncio.to_thread(renewed):
        await asyncio.sleep(0.05)
    return clock, poster, posting, other, gate


async def test_a_slow_post_of_another_process_is_not_closed_as_interrupted(tmp_path, api, bot, service, caplog):
    """Another process's minute sweep used to close a claim older than chat.faq_stale_claim_seconds
    as 'interrupted: the process stopped while posting' and log an error telling the operator to
    re-post it by hand, while its process was still posting it (a second copy once the first got
    through).  The posting process renews its claim while it posts; only a claim nobody renews is
    settled (see the next test)."""
    clock, poster, posting, other, gate = await _posting_past_the_stale_limit(tmp_path, api, bot, service)
    try:
        with caplog.at_level(logging.INFO, logger="bot.faq"):
            assert await other.run_due() == []
        assert other.ledger.get("five-stars", "2026-03-30T07:00Z", "-1001").status == CLAIMED
    finally:
        gate.set()
        outcomes = await posting
    assert [o.status for o in outcomes] == [POSTED] and len(sent(api)) == 1
    assert "stopped while posting" not in caplog.text


async def test_a_claim_no_longer_renewed_is_settled_as_interrupted(tmp_path, api, bot, service, caplog):
    clock, poster, posting, other, gate = await _posting_past_the_stale_limit(tmp_path, api, bot, service)
    posting.cancel()  # the posting process stops mid-post: nobody renews its claim any more
    await asyncio.gather(posting, return_exceptions=True)
    assert await other.run_due() == []
    assert other.ledger.get("five-stars", "2026-03-30T07:00Z", "-1001").status == CLAIMED  # renewed lately
    clock.advance(minutes=16)
    with caplog.at_level(logging.ERROR, logger="bot.faq"):
        assert await other.run_due() == []
    record = other.ledger.get("five-stars", "2026-03-30T07:00Z", "-1001")
    assert record.status == FAILED and record.detail.startswith("interrupted")
    assert "stopped while posting" in caplog.text and sent(api) == []


async def test_a_chat_claimed_late_in_a_slow_run_is_claimed_at_that_time(tmp_path, api, bot, service):
    """A slot posted to two chats: the first waits out a 429 of an hour, so the second is claimed
    an hour after the run began.  Its claim was dated at the run's start, so another process took
    it for abandoned at once, before its first renewal, while it was being posted."""
    clock = Clock("2026-03-30T09:00:00+02:00")
    gate = asyncio.Event()

    async def sleep(seconds: float) -> None:
        if clock.now.hour == 9:
            clock.advance(hours=1)  # the first chat's 429: an hour passes
        else:
            await gate.wait()  # the second chat's 429: still waiting while the other process looks

    poster = make(tmp_path, bot, service, clock, faq_yaml(chats=[-1001, -1002], grace="2h"))
    poster.sleep = sleep
    poster.alive_seconds = 3600  # no renewal in time: the claim's own date must do
    other = make(tmp_path, bot, service, clock, faq_yaml(chats=[-1001, -1002], grace="2h"))
    api.fail("sendMessage", 429, retry_after=3600)
    api.fail("sendMessage", 429, retry_after=3600, where=lambda params: params.get("chat_id") == -1002)
    posting = asyncio.create_task(poster.run_due())
    try:
        await asyncio.to_thread(api.wait_for, "sendMessage",
                                lambda c: c.status == 429 and c.params["chat_id"] == -1002, 30, 0, False)
        assert await other.run_due() == []
        assert other.ledger.get("five-stars", "2026-03-30T07:00Z", "-1002").status == CLAIMED
    finally:
        gate.set()
        outcomes = await posting
    assert [o.status for o in outcomes] == [POSTED, POSTED] and len(sent(api)) == 2


async def test_html_is_escaped_and_long_answers_fit_one_message(tmp_path, api, bot, service):
    question = "Une note de 5 étoiles <b>nuit</b> aux ventes & aux avis ?"
    clock = Clock("2026-03-30T09:00:00+02:00")
    scheduler = make(tmp_path, bot, service, clock, faq_yaml(question=question, chats=[-1001]))
    outcomes = await scheduler.run_due()
    assert outcomes[0].status == POSTED, outcomes
    raw = sent(api)[0].params["text"]
    assert "&lt;b&gt;nuit&lt;/b&gt;" in raw and "&amp;" in raw
    assert html_text(raw).startswith(question)
    assert len(raw.encode("utf-16-le")) // 2 <= 4096


# -- two processes -------------------------------------------------------------

def test_two_processes_racing_post_each_slot_once(tmp_path, api, config_copy):
    (config_copy / "faq.yaml").write_text(faq_yaml(), encoding="utf-8")
    state, go = tmp_path / "state.sqlite3", tmp_path / "go"
    procs = [subprocess.Popen(
        [PYTHON, str(ROOT / "tests" / "faq_worker.py"), "run-due", str(state), str(go), str(config_copy),
         str(KNOWLEDGE), api.root, api.token, "2026-03-30T09:00:00+02:00"],
        cwd=ROOT, env=subprocess_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)]
    for proc in procs:
        line = proc.stdout.readline().strip()
        assert line == "ready", proc.stderr.read()
    go.touch()
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        results += json.loads(out)
    assert sorted((r["chat"], r["status"]) for r in results) == sorted((str(c), POSTED) for c in CHATS)
    assert len(sent(api)) == len(CHATS)
    assert {c.params["chat_id"] for c in sent(api)} == set(CHATS)


# -- python -m bot faq ... -----------------------------------------------------

def run_cli(config, *args, **env):
    return subprocess.run([PYTHON, "-m", "bot", "--knowledge", str(KNOWLEDGE), "--config", str(config), *args],
                          cwd=ROOT, env=subprocess_env(**env), capture_output=True, text=True, timeout=120)


def test_faq_post_cli_posts_now_and_exits(tmp_path, api, config_copy):
    (config_copy / "faq.yaml").write_text(faq_yaml(chats=[-1001, "@faq_channel"]), encoding="utf-8")
    state = tmp_path / "state.sqlite3"
    env = {"TELEGRAM_API_URL": api.root, "TELEGRAM_BOT_TOKEN": api.token}
    out = run_cli(config_copy, "-v", "faq", "--state", str(state), "post", "five-stars", **env)
    assert out.returncode == 0, out.stderr
    assert [c.params["chat_id"] for c in sent(api)] == [-1001, "@faq_channel"]
    assert "five-stars -> -1001: posted" in out.stdout and "five-stars -> @faq_channel: posted" in out.stdout
    secret = api.token.split(":", 1)[1]
    assert secret not in out.stdout + out.stderr  # even with -v (httpx logs URLs)
    # Posting by hand again is deliberate: it posts again, recorded as a manual slot.
    assert run_cli(config_copy, "faq", "--state", str(state), "post", "five-stars", **env).returncode == 0
    assert len(sent(api)) == 4
    rows = State(state).execute("SELECT slot, status FROM faq_posts").fetchall()
    assert len(rows) == 4 and all(s.startswith("manual:") and st == POSTED for s, st in rows)


def test_faq_post_cli_errors(tmp_path, api, config_copy):
    (config_copy / "faq.yaml").write_text(faq_yaml(chats=[-1001]) + "  - id: nowhere\n    question: q\n"
                                          "    schedule: '0 9 * * *'\n    chats: []\n", encoding="utf-8")
    env = {"TELEGRAM_API_URL": api.root, "TELEGRAM_BOT_TOKEN": api.token}
    state = str(tmp_path / "s.sqlite3")
    out = run_cli(config_copy, "faq", "--state", state, "post", "no-such-entry", **env)
    assert out.returncode == 2 and "unknown FAQ entry 'no-such-entry'" in out.stderr
    assert "known: five-stars, nowhere" in out.stderr
    out = run_cli(config_copy, "faq", "--state", state, "post", "five-stars", TELEGRAM_BOT_TOKEN="",
                  TELEGRAM_API_URL=api.root)
    assert out.returncode == 2 and "TELEGRAM_BOT_TOKEN is not set" in out.stderr
    out = run_cli(config_copy, "faq", "--state", state, "post", "nowhere", **env)
    assert out.returncode == 2 and "has no chats" in out.stderr
    api.forbidden.add(-1001)
    out = run_cli(config_copy, "faq", "--state", state, "post", "five-stars", **env)
    assert out.returncode == 1 and "five-stars -> -1001: failed (forbidden" in out.stderr
    assert "Traceback" not in out.stderr
    assert sent(api) == []


def test_faq_post_with_a_damaged_state_file_is_one_error_line_and_posts_nothing(tmp_path, api, config_copy):
    """A state file that is not a database was a StateError traceback out of `faq post`
    (its message was right, buried under 20 lines of stack)."""
    (config_copy / "faq.yaml").write_text(faq_yaml(chats=[-1001]), encoding="utf-8")
    state = tmp_path / "s.sqlite3"
    state.write_text("this is not a database\n", encoding="utf-8")
    out = run_cli(config_copy, "faq", "--state", str(state), "post", "five-stars",
                  TELEGRAM_API_URL=api.root, TELEGRAM_BOT_TOKEN=api.token)
    assert out.returncode == 2, out.stderr
    assert "Traceback" not in out.stderr
    assert out.stderr.startswith(f"error: the state file {state} is damaged"), out.stderr
    assert sent(api) == []


def test_faq_list_json_gives_next_runs_with_offsets(config_copy):
    (config_copy / "faq.yaml").write_text(
        "timezone: Europe/Paris\nentries:\n"
        "  - {id: paris-0230, question: 'Pourquoi une note de 5 étoiles peut-elle nuire aux ventes ?',"
        " schedule: '30 2 * * *', chats: [-1]}\n"
        "  - {id: nairobi-monday, question: 'Je, ukadiriaji wa nyota 5 husaidia mauzo?',"
        " schedule: '0 9 * * mon', timezone: Africa/Nairobi, chats: ['@sw_channel']}\n"
        "  - {id: bangkok-monthly, question: 'ตามบทความ ความไว้วางใจของลูกค้ามาจากอะไร', lang: th,"
        " schedule: '0 10 1 * *', timezone: Asia/Bangkok, chats: []}\n", encoding="utf-8")
    out = run_cli(config_copy, "faq", "list", "--json", BOT_FAQ_NOW="2026-03-28T12:00:00Z")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert [(r["id"], r["next_run"], r["lang"]) for r in rows] == [
        ("paris-0230", "2026-03-29T03:00:00+02:00", "fr"),        # spring-forward day: after the gap
        ("nairobi-monday", "2026-03-30T09:00:00+03:00", "sw"),
        ("bangkok-monthly", "2026-04-01T10:00:00+07:00", "th"),
    ]
    assert rows[1]["chats"] == ["@sw_channel"] and rows[0]["timezone"] == "Europe/Paris"
    for row in rows:
        assert datetime.fromisoformat(row["next_run"]).utcoffset() is not None
    text = run_cli(config_copy, "faq", "list", BOT_FAQ_NOW="2026-03-28T12:00:00Z")
    assert "paris-0230: next 2026-03-29T03:00:00+02:00" in text.stdout


# -- inside the Telegram application (PTB JobQueue) ---------------------------------

async def test_install_posts_on_the_job_queue_at_the_slot(tmp_path, api, service):
    """Real JobQueue timers: the clock is shifted so that a slot falls 0.5 s after start-up."""
    import asyncio

    from telegram.ext import ApplicationBuilder

    from bot.faq.scheduler import install

    folder = tmp_path / "faqcfg"
    folder.mkdir()
    (folder / "faq.yaml").write_text(faq_yaml(chats=[-1001, "@faq_channel"]), encoding="utf-8")
    config = load_faq(folder, LANGS)
    slot = datetime(2026, 3, 30, 7, 0, tzinfo=UTC)  # Monday 09:00 Paris
    offset = slot - timedelta(seconds=0.5) - datetime.now(UTC)

    def clock() -> datetime:
        return datetime.now(UTC) + offset

    state = State(tmp_path / "state.sqlite3")
    application = ApplicationBuilder().token(api.token).base_url(f"{api.root}/bot").build()
    scheduler = install(application, service, state, clock=clock, config=config)
    assert scheduler is not None and application.bot_data["faq_scheduler"] is scheduler
    async with application:
        await application.start()
        try:
            await asyncio.to_thread(api.wait_for, "sendMessage", lambda c: c.params["chat_id"] == "@faq_channel",
                                    20)
            for _ in range(200):  # the job re-arms itself right after posting
                jobs = {job.name: job for job in application.job_queue.jobs()}
                if "faq:five-stars" in jobs:
                    break
                await asyncio.sleep(0.05)
        finally:
            await application.stop()
            await scheduler.bot.shutdown()  # what post_shutdown does under run_polling
    assert scheduler.bot is not application.bot  # FAQ posts keep their own retry rules
    assert [c.params["chat_id"] for c in sent(api)] == [-1001, "@faq_channel"]
    assert statuses(scheduler) == [("2026-03-30T07:00Z", "-1001", POSTED),
                                   ("2026-03-30T07:00Z", "@faq_channel", POSTED)]
    assert {"faq:sweep", "faq:five-stars"} <= set(jobs)
    # The entry's job was re-armed for the next Monday (7 days minus the half second, in real time).
    delay = jobs["faq:five-stars"].next_t - datetime.now(UTC)
    assert timedelta(days=6, hours=23) < delay <= timedelta(days=7)


def test_python_m_bot_telegram_runs_the_schedule(tmp_path, api, config_copy):
    """End to end: the real `python -m bot telegram` process catches up a slot due 2 minutes ago,
    once per chat, and a restart on the same state file does not post it again."""
    import signal

    due = (datetime.now(UTC) - timedelta(minutes=2)).replace(second=0, microsecond=0)
    (config_copy / "faq.yaml").write_text(
        faq_yaml(schedule=f"{due.minute} {due.hour} * * *", tz="UTC", chats=[-1001, "@faq_channel"]),
        encoding="utf-8")
    state = tmp_path / "state.sqlite3"
    env = subprocess_env(TELEGRAM_API_URL=api.root, TELEGRAM_BOT_TOKEN=api.token, TELEGRAM_POLL_TIMEOUT="1")
    mark = 0
    for run in range(2):  # start, stop, start again on the same state file
        proc = subprocess.Popen([PYTHON, "-m", "bot", "--knowledge", str(KNOWLEDGE), "--config", str(config_copy),
                                 "telegram", "--state", str(state)], cwd=ROOT, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            if run == 0:
                api.wait_for("sendMessage", lambda c: c.params["chat_id"] == "@faq_channel", timeout=90)
                api.wait_for("sendMessage", lambda c: c.params["chat_id"] == -1001, timeout=10)
            # Fully started: polling for a while (a previous run may leave one stale long poll).
            api.wait_for("deleteWebhook", timeout=90, since=mark)
            api.wait_for("getUpdates", timeout=30, since=api.mark(), count=3)
        finally:
            proc.send_signal(signal.SIGINT)
            out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, (run, err)
        assert "faq: start-up catch-up done (1 entries" in err
        assert api.token.split(":", 1)[1] not in out + err
        mark = api.mark()
    assert [c.params["chat_id"] for c in sent(api)] == [-1001, "@faq_channel"]
    rows = State(state).execute("SELECT slot, chat, status FROM faq_posts ORDER BY chat").fetchall()
    slot = due.strftime("%Y-%m-%dT%H:%MZ")
    assert rows == [(slot, "-1001", POSTED), (slot, "@faq_channel", POSTED)]


async def test_catch_up_posts_only_the_newest_due_slot(tmp_path, api, bot, service, caplog):
    clock = Clock("2026-03-30T08:40:00+02:00")
    scheduler = make(tmp_path, bot, service, clock, faq_yaml(schedule="*/5 * * * *", chats=[-1001]))
    assert len(await scheduler.run_due()) == 1  # 08:40
    clock.set("2026-03-30T09:02:00+02:00")  # down 08:41-09:02: 08:45 ... 09:00 were missed
    with caplog.at_level(logging.WARNING, logger="bot.faq"):
        outcomes = await scheduler.run_due()
    assert [(o.slot, o.status) for o in outcomes] == [
        ("2026-03-30T06:45Z", SKIPPED), ("2026-03-30T06:50Z", SKIPPED), ("2026-03-30T06:55Z", SKIPPED),
        ("2026-03-30T07:00Z", POSTED)]
    assert "the later slot 2026-03-30T07:00Z is posted instead" in caplog.text
    assert len(sent(api)) == 2


async def test_new_entry_at_the_edge_of_grace_records_nothing_as_missed(tmp_path, api, bot, service):
    # Exactly one grace period (plus a fraction) after a slot, with no history: neither posted nor "missed".
    clock = Clock("2026-03-30T10:00:00.500000+02:00")
    scheduler = make(tmp_path, bot, service, clock, faq_yaml(schedule="0 9 * * *", chats=[-1001]))
    assert await scheduler.run_due() == []
    assert scheduler.ledger.records() == []
    clock.set("2026-03-30T10:00:00+02:00")  # exactly at the limit: still inside, posted late
    assert [o.status for o in await scheduler.run_due()] == [POSTED]


# -- /reload reaches the scheduler ------------------------------------------------------

async def test_faq_post_after_reload_quotes_the_new_knowledge(tmp_path, api, bot, knowledge_copy, config_copy):
    """The scheduler reads the Runtime's current service: after a reload (an admin's
    /reload swaps it there), the next post answers from the new knowledge."""
    from bot.answering.service import QAService
    from bot.runtime import Runtime

    question = "Comment se configure le zorglub ?"
    runtime = Runtime(QAService.open(knowledge_copy, config_copy))
    clock = Clock("2026-03-30T09:00:00+02:00")
    scheduler = make(tmp_path, bot, runtime, clock, faq_yaml(question=question, chats=[-1001]))
    assert [o.status for o in await scheduler.run_due()] == [SKIPPED]  # not in the articles yet
    (knowledge_copy / "zorglub.md").write_text(
        "---\ntitle: Le zorglub\nlang: fr\n---\n"
        "Le zorglub se configure avec trois molettes et un levier rouge, dans cet ordre précis.\n",
        encoding="utf-8")
    runtime.reload()
    clock.advance(days=7)
    assert [o.status for o in await scheduler.run_due()] == [POSTED]
    [call] = sent(api)
    assert "trois molettes et un levier rouge" in html_text(call.params["text"])
