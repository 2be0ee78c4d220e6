"""kill -9 of the real bot process during a storm of /lang writes.

Every confirmation the bot sent was sent after its write committed, so after
the kill the SQLite file must be intact (integrity_check "ok", still WAL)
and hold every confirmed choice; a restarted bot speaks the chosen languages.
"""

from __future__ import annotations

import random
import sqlite3

import pytest

from bot_process import BotProcess
from fake_bot_api import FakeBotAPI, parse_telegram_html

TOKEN = "313131313:AAG-stateCrashToken_abcdefghijklmnop"
CHOICES = ["fr", "sw", "th", "en", "auto"]


def stored(path) -> dict[int, str | None]:
    db = sqlite3.connect(str(path))
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        return dict(db.execute("SELECT chat_id, lang FROM chat_settings").fetchall())
    finally:
        db.close()


@pytest.fixture
def api():
    with FakeBotAPI(TOKEN) as server:
        yield server


def test_kill_9_during_lang_storms_keeps_the_state_intact_and_choices_kept(api, tmp_path, service):
    state = tmp_path / "state" / "bot.sqlite3"
    bot = BotProcess(api, state, tmp_path / "logs", verbose=False)
    rng = random.Random(11)
    confirmed: dict[int, str] = {}
    kills = 0
    chats: dict[int, str] = {}  # all storms: a restart answers the previous storm's recorded updates too
    for storm in range(3):
        bot.start()
        mark = api.mark()
        for i in range(150):
            chat_id = 7_000_000 + storm * 1000 + i
            choice = rng.choice(CHOICES)
            chats[chat_id] = choice
            api.private_message(f"/lang {choice}", user_id=chat_id, language_code="en")
        # Kill at a random moment in the middle of the storm.
        api.wait_for("sendMessage", since=mark, count=rng.randint(20, 80), timeout=60)
        assert bot.alive()
        bot.kill()
        kills += 1
        for call in api.calls_to("sendMessage", since=mark, ok_only=True):
            confirmed[call.params["chat_id"]] = chats[call.params["chat_id"]]
        rows = stored(state)
        for chat_id, choice in confirmed.items():
            assert chat_id in rows, f"confirmed choice of chat {chat_id} lost"
            assert rows[chat_id] == (None if choice == "auto" else choice)
    assert kills == 3 and len(confirmed) >= 60

    # After a clean start, confirmed choices are what the bot speaks.
    bot.start()
    try:
        sample = [c for c in confirmed.items() if c[1] != "auto"][:4]
        for chat_id, lang in sample:
            mark = api.mark()
            api.private_message("/help", user_id=chat_id, language_code="en")
            reply = api.wait_for("sendMessage", lambda c, cid=chat_id, want=lang: c.params["chat_id"] == cid
                                 and parse_telegram_html(c.params["text"]) == service.messages.get(want, "tg_help"),
                                 since=mark, timeout=30)
            assert reply.ok
    finally:
        bot.stop()
    assert stored(state)
