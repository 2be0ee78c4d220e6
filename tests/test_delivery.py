"""Replies you can promise (issue 14, part 1): the real `python -m bot telegram` process, the
fake Bot API over real HTTP, a real SQLite state file.

* kill -9 with updates queued: none lost, none answered twice (the inbox, the outbox keys);
* the server unreachable with replies in flight: every reply leaves once it is back;
* 40 × 429: every reply leaves, once, after waiting what Telegram asked;
* a sendMessage processed but its answer lost (connection dropped after sending): not sent
  again, counted in /stats;
* SIGTERM with hundreds queued: the process is gone within 10 s, the rest is answered at the
  next start;
* an update recorded too long ago is dropped with a log line.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import signal
import sqlite3
import time
from collections import Counter
from pathlib import Path

import pytest

from bot_process import BotProcess
from conftest import CONFIG
from fake_bot_api import FakeBotAPI, parse_telegram_html

TOKEN = "727272727:AAF-durableDelivery_0123456789abcdef"
ADMIN = 727_001
# Five questions with recognisable answers: a chat's replies show which question each answers.
QUESTIONS = [
    ("Comment ont réagi les clients clés présents au déjeuner ?", "plus optimiste"),
    ("Pourquoi une note de 5 étoiles peut-elle nuire aux ventes ?", "5 étoiles"),
    ("Je, ukadiriaji wa nyota 5 husaidia mauzo?", "Ukadiriaji wa nyota 5"),
    ("ตามบทความ ความไว้วางใจของลูกค้ามาจากอะไร", "ความไว้วางใจ"),
    ("/help", None),
]

_chats = itertools.count(800_000)
# The figures are a 60 s outage and retry_after 2; the suite uses shorter ones
# (docs/reliability.md gives both, measured with these variables set).
FULL = bool(os.environ.get("BOT_TEST_FULL"))  # the sizes: 200 queued at kill -9, 300 at SIGTERM
OUTAGE_SECONDS = float(os.environ.get("BOT_TEST_OUTAGE_SECONDS") or 3)
RETRY_AFTER = int(os.environ.get("BOT_TEST_RETRY_AFTER") or 1)


@pytest.fixture
def api():
    with FakeBotAPI(TOKEN) as server:
        yield server


@pytest.fixture
def admin_config(tmp_path) -> Path:
    config = tmp_path / "config"
    shutil.copytree(CONFIG, config)
    settings = config / "settings.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("admins: []", f"admins: [{ADMIN}]"),
                        encoding="utf-8")
    return config


def push_questions(api: FakeBotAPI, chats: list[int], per_chat: int) -> dict[int, list[int]]:
    """`per_chat` questions from each chat, round-robin; {chat: [question index, ...]}."""
    sent: dict[int, list[int]] = {c: [] for c in chats}
    for i in range(per_chat):
        for chat in chats:
            api.private_message(QUESTIONS[i % len(QUESTIONS)][0], user_id=chat, language_code="en")
            sent[chat].append(i % len(QUESTIONS))
    return sent


def replies(api: FakeBotAPI, chats: set[int], since: int = 0) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {c: [] for c in chats}
    for call in api.calls_to("sendMessage", since=since, ok_only=True):
        if call.params.get("chat_id") in chats:
            out[call.params["chat_id"]].append(parse_telegram_html(call.params["text"]))
    return out


def wait_replies(api: FakeBotAPI, chats: set[int], count: int, timeout: float, since: int = 0,
                 state: Path | None = None) -> None:
    """Until `count` replies arrived (less those the state closed as uncertain, if given)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        missing = outbox_status(state)["uncertain"] if state is not None and state.exists() else 0
        if sum(len(r) for r in replies(api, chats, since).values()) >= count - missing:
            return
        time.sleep(0.2)


def outbox_status(state: Path) -> Counter:
    db = sqlite3.connect(state, timeout=10)
    try:
        return Counter(dict(db.execute("SELECT status, COUNT(*) FROM outbox GROUP BY status").fetchall()))
    except sqlite3.OperationalError:  # no outbox table yet
        return Counter()
    finally:
        db.close()


def check(sent: dict[int, list[int]], got: dict[int, list[str]], help_text: str) -> tuple[int, int, int]:
    """(lost, duplicated, out of order) replies, matching each chat's replies to its questions."""
    lost = dup = disorder = 0
    for chat, questions in sent.items():
        texts = got[chat]
        lost += max(0, len(questions) - len(texts))
        dup += max(0, len(texts) - len(questions))
        if len(texts) == len(questions):
            for index, reply in zip(questions, texts):
                expected = QUESTIONS[index][1]
                ok = reply == help_text if expected is None else expected in reply
                disorder += not ok
    return lost, dup, disorder


def start_with_questions(api: FakeBotAPI, tmp_path: Path, total: int
                         ) -> tuple[Path, BotProcess, list[int], dict[int, list[int]]]:
    """The bot started on a fresh state, `total` questions (5 per chat) pushed, the first 20
    answered: (state file, bot, chats, questions sent per chat)."""
    state = tmp_path / "state.sqlite3"
    bot = BotProcess(api, state, tmp_path / "logs", verbose=False).start()
    chats = [next(_chats) for _ in range(total // 5)]
    sent = push_questions(api, chats, 5)
    wait_replies(api, set(chats), 20, timeout=60)
    return state, bot, chats, sent


def test_kill_9_with_updates_queued_loses_and_repeats_nothing(api, tmp_path, service):
    total = 200 if FULL else 80
    state, bot, chats, sent = start_with_questions(api, tmp_path, total)
    bot.kill()
    before = sum(len(r) for r in replies(api, set(chats)).values())
    bot.start()
    try:
        wait_replies(api, set(chats), total, timeout=120, state=state)
        time.sleep(1.0)  # a late duplicate would show up here
    finally:
        bot.stop()
    lost, dup, disorder = check(sent, replies(api, set(chats)), service.messages.get("en", "tg_help"))
    status = outbox_status(state)
    print(f"\nkill -9 after {before} of {total} replies: lost {lost}, duplicated {dup}, out of order {disorder}; "
          f"outbox {dict(status)}")
    assert dup == 0
    # The only replies that may be missing are those in flight at the kill: closed as
    # uncertain (not resent, counted; some of them did arrive), never silently.
    assert lost <= status["uncertain"] <= 8
    assert disorder == 0
    assert "was being sent when the process stopped" in bot.all_output() or status["uncertain"] == 0


def test_outage_with_replies_in_flight(api, tmp_path):
    state = tmp_path / "state.sqlite3"
    bot = BotProcess(api, state, tmp_path / "logs", verbose=False).start()
    chats = [next(_chats) for _ in range(20)]
    try:
        mark = api.mark()
        # The answers are computed while the server is down ("typing…" fails, the replies wait).
        api.delay("sendChatAction", 0.3, times=20)
        sent = push_questions(api, chats, 1)
        api.wait_for("getUpdates", lambda c: isinstance(c.result, list) and len(c.result) > 0, since=mark,
                     timeout=30)
        api.go_down()
        down_at = time.monotonic()
        time.sleep(OUTAGE_SECONDS)
        api.come_back()
        back_at = time.monotonic()
        wait_replies(api, set(chats), 20, timeout=60, since=mark)
        all_in = time.monotonic() - back_at
        time.sleep(1.0)
        print(f"\noutage of {back_at - down_at:.1f}s with 20 answers in flight: all delivered "
              f"{all_in:.1f}s after the server came back")
    finally:
        bot.stop()
    got = replies(api, set(chats), mark)
    status = outbox_status(state)
    lost = sum(max(0, 1 - len(v)) for v in got.values())
    dup = sum(max(0, len(v) - 1) for v in got.values())
    assert dup == 0
    assert lost <= status["uncertain"] <= 2  # only a request cut by the outage itself may be
    assert all(len(sent[c]) == 1 for c in chats)


def test_forty_429_in_a_row_every_reply_leaves_once(api, tmp_path):  # was: 0 of 5 answered
    state = tmp_path / "state.sqlite3"
    bot = BotProcess(api, state, tmp_path / "logs", verbose=False).start()
    chats = [next(_chats) for _ in range(5 if FULL else 10)]
    try:
        mark = api.mark()
        started = time.monotonic()
        api.fail("sendMessage", 429, retry_after=RETRY_AFTER, times=40)
        push_questions(api, chats, 1)
        wait_replies(api, set(chats), len(chats), timeout=60 + 40 * RETRY_AFTER, since=mark)
        took = time.monotonic() - started
        time.sleep(1.0)
    finally:
        bot.stop()
    got = replies(api, set(chats), mark)
    assert all(len(v) == 1 for v in got.values()), {c: len(v) for c, v in got.items()}
    assert len([c for c in api.calls_to("sendMessage", since=mark) if c.status == 429]) == 40
    assert outbox_status(state)["sent"] == len(chats)
    print(f"\n40 x 429 (retry_after {RETRY_AFTER}s) over {len(chats)} chats: all answered once, in {took:.1f}s")


def test_drop_after_send_is_not_resent_and_is_counted(api, tmp_path, admin_config, service):
    state = tmp_path / "state.sqlite3"
    bot = BotProcess(api, state, tmp_path / "logs", verbose=False, config=admin_config).start()
    chats = [next(_chats) for _ in range(5)]
    try:
        mark = api.mark()
        api.drop_after("sendMessage", times=5, where=lambda p: p.get("chat_id") in chats)
        push_questions(api, chats, 1)
        api.wait_for("sendMessage", lambda c: c.params.get("chat_id") in chats, since=mark, count=5,
                     timeout=60)
        time.sleep(2.0)  # a resend would show up here
        stats_mark = api.mark()
        api.private_message("/stats", user_id=ADMIN, language_code="en")
        call = api.wait_for("sendMessage", lambda c: c.params.get("chat_id") == ADMIN, since=stats_mark,
                            timeout=30)
    finally:
        bot.stop()
    got = replies(api, set(chats), mark)
    assert all(len(v) == 1 for v in got.values()), {c: len(v) for c, v in got.items()}
    stats = parse_telegram_html(call.params["text"])
    assert int(re.search(r"not resent\): (\d+)", stats).group(1)) == 5
    assert outbox_status(state)["uncertain"] == 5


def test_sigterm_stops_within_10s_and_the_rest_is_answered_at_the_next_start(api, tmp_path, service):
    total = 300 if FULL else 100
    _, bot, chats, sent = start_with_questions(api, tmp_path, total)
    started = time.monotonic()
    bot.proc.send_signal(signal.SIGTERM)
    bot.proc.wait(30)
    took = time.monotonic() - started
    bot.stop()
    answered_before = sum(len(r) for r in replies(api, set(chats)).values())
    bot.start()
    try:
        wait_replies(api, set(chats), total, timeout=150)
        time.sleep(1.0)
    finally:
        bot.stop()
    lost, dup, disorder = check(sent, replies(api, set(chats)), service.messages.get("en", "tg_help"))
    print(f"\nSIGTERM with {total - answered_before} of {total} unanswered: stopped in {took:.2f}s; after the restart "
          f"lost {lost}, duplicated {dup}, out of order {disorder}")
    assert bot.returncode == 0 or bot.outputs
    assert took < 10
    assert (lost, dup, disorder) == (0, 0, 0)


def test_updates_recorded_too_long_ago_are_dropped_with_a_log_line(api, tmp_path):
    from bot.core.state import State

    state_path = tmp_path / "state.sqlite3"
    old_chat, new_chat = next(_chats), next(_chats)
    state = State(state_path)
    now = time.time()
    for update_id, chat, age in ((900_001, old_chat, 7200), (900_002, new_chat, 60)):
        update = {"update_id": update_id, "message": {
            "message_id": 1, "date": int(now - age), "text": "/help",
            "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
            "chat": {"id": chat, "type": "private", "first_name": "Ana"},
            "from": {"id": chat, "is_bot": False, "first_name": "Ana", "language_code": "en"}}}
        state.inbox_add([(update_id, str(chat), json.dumps(update))], now - age)
    state.close()
    bot = BotProcess(api, state_path, tmp_path / "logs", verbose=False).start()
    try:
        api.wait_for("sendMessage", lambda c: c.params.get("chat_id") == new_chat, timeout=30)
        time.sleep(1.0)
    finally:
        bot.stop()
    assert not [c for c in api.calls_to("sendMessage") if c.params.get("chat_id") == old_chat]
    assert re.search(r"update 900001 recorded 720\ds ago, older than inbox_max_age_seconds", bot.all_output())
