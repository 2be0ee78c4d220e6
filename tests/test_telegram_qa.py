"""Defects found by exploring the real bot (`python -m bot telegram`) as Telegram users would,
each kept here as a regression test over real HTTP against the fake Bot API.

- A "typing…" action that Telegram answered slowly, with a 429 or with 5xx was retried by the
  rate limiter before the answer was even sent: the answer came about 30 s late for a
  cosmetic call.
- In a group, commands the bot has no handler for (a bare `/roll` meant for a dice bot) were
  counted by the per-user rate limit: the ninth got "You are sending messages faster than I
  can answer" from a bot nobody had addressed, and they used up the user's questions.
"""

from __future__ import annotations

import itertools
import time

import pytest

from bot_process import BotProcess
from fake_bot_api import parse_telegram_html

TOKEN = "767676767:AAQ-telegramExplore_0123456789abcdefgh"
QUESTION = "Pourquoi une note de 5 étoiles peut-elle nuire aux ventes ?"
EXPECTED = "5 étoiles"
_ids = itertools.count(767_100)


@pytest.fixture(scope="module")
def bot(api, tmp_path_factory):
    root = tmp_path_factory.mktemp("explore")
    process = BotProcess(api, root / "state.sqlite3", root / "logs", verbose=False).start()
    yield process
    process.stop()


@pytest.mark.parametrize("fault", ["slow", "429", "500"])
def test_a_failing_typing_action_does_not_hold_the_answer_back(api, bot, fault):
    chat_id = next(_ids)
    if fault == "slow":
        api.delay("sendChatAction", 8, times=5, where=lambda p: p.get("chat_id") == chat_id)
    elif fault == "429":
        api.fail("sendChatAction", 429, retry_after=5, times=10, where=lambda p: p.get("chat_id") == chat_id)
    else:
        api.fail("sendChatAction", 500, times=10, where=lambda p: p.get("chat_id") == chat_id)
    mark = api.mark()
    asked = time.time()
    api.private_message(QUESTION, user_id=chat_id, language_code="fr")
    reply = api.wait_for("sendMessage", lambda c: c.params["chat_id"] == chat_id, since=mark, timeout=60)
    assert EXPECTED in parse_telegram_html(reply.params["text"])
    assert reply.time - asked < 5, f"the answer waited {reply.time - asked:.1f}s for the typing action"


def test_other_bots_commands_in_a_group_are_not_rate_limited_by_this_bot(api, bot):
    group, user = -100_767_000 - next(_ids), next(_ids)
    mark = api.mark()
    for _ in range(12):  # more than chat.burst, at once
        api.group_message("/roll", user_id=user, chat_id=group)
    api.group_message("/roll@article_test_bot", user_id=user, chat_id=group)
    api.group_message(f"/ask {QUESTION}", user_id=user, chat_id=group, language_code="fr")
    reply = api.wait_for("sendMessage", lambda c: c.params["chat_id"] == group, since=mark, timeout=30)
    assert EXPECTED in parse_telegram_html(reply.params["text"]), "the bot spoke about commands not meant for it"
    time.sleep(1.0)
    assert len([c for c in api.calls_to("sendMessage", since=mark) if c.params["chat_id"] == group]) == 1
