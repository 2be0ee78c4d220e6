"""Defects found by exploring the real bot (`python -m bot telegram`) as Telegram users would,
each kept here as a regression test over real HTTP against the fake Bot API.

- A "typing…" action that Telegram answered slowly, with a 429 or with 5xx was retried by the
  rate limiter before the answer was even sent: the answer came about 30 s late for a
  cosmetic call.
- In a group, commands the bot has no handler for (a bare `/roll` meant for a dice bot) were
  counted by the per-user rate limit: the ninth got "You are sending messages faster than I
  can answer" from a bot nobody had addressed, and they used up the user's questions.  The
  same for stickers or photos replying to the bot's answer (never answered in a group).
- An anonymous group administrator (writing as the group: `sender_chat` is the chat, `from` is
  GroupAnonymousBot) was told "Only the group's administrators can change the reply language".
- The per-user rate limit keyed anonymous admins (and people posting as their channel) by the
  one user id Telegram puts in `from` for all of them: a few questions from anonymous admins
  in different groups made the next one, in yet another group, get the slow-down reply.
- When Telegram could not answer getChatMember (5xx, timeouts), a group administrator's /lang
  was told "Only the group's administrators can change the reply language".
- In a forum supergroup, "typing…" for a question asked in a topic showed in the General topic.
- In a group, replying to someone's question with just "@bot" got "Write your question after the
  command" (there was no command), while `/ask` in reply asks the replied message.
"""

from __future__ import annotations

import itertools
import time

import pytest

from fake_bot_api import parse_telegram_html

TOKEN = "767676767:AAQ-telegramExplore_0123456789abcdefgh"
QUESTION = "Pourquoi une note de 5 étoiles peut-elle nuire aux ventes ?"
EXPECTED = "5 étoiles"
_ids = itertools.count(767_100)


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


ANONYMOUS_ADMIN = {"id": 1087968824, "is_bot": True, "first_name": "Group", "username": "GroupAnonymousBot"}


def test_an_anonymous_group_admin_may_choose_the_language(api, bot, service):
    group = -100_767_000 - next(_ids)
    chat = api.group_chat(group)
    api.member_status[(group, ANONYMOUS_ADMIN["id"])] = "left"  # not a member: Telegram cannot say more
    api.member_status[(group, 4242)] = "member"
    api.member_status[(group, 136817688)] = "left"  # Telegram's Channel_Bot, for posts as a channel
    mark = api.mark()
    api.push_update({"message": {"message_id": 767_001, "from": ANONYMOUS_ADMIN, "sender_chat": chat, "chat": chat,
                                 "date": int(time.time()), "text": "/lang sw",
                                 "entities": [{"type": "bot_command", "offset": 0, "length": 5}]}})
    reply = api.wait_for("sendMessage", lambda c: c.params["chat_id"] == group, since=mark, timeout=30)
    sw = service.messages.language_name("sw")
    assert parse_telegram_html(reply.params["text"]) == service.messages.get("sw", "tg_lang_set", language=sw)
    # An ordinary member still may not, and someone posting as another chat (a channel) neither.
    for sender in ({"from": api.user(4242)},
                   {"from": {"id": 136817688, "is_bot": True, "first_name": "Channel"},
                    "sender_chat": {"id": -100_555, "type": "channel", "title": "c"}}):
        mark = api.mark()
        api.push_update({"message": {"message_id": next(_ids), "chat": chat, "date": int(time.time()),
                                     "text": "/lang fr", "entities": [{"type": "bot_command", "offset": 0,
                                                                       "length": 5}], **sender}})
        reply = api.wait_for("sendMessage", lambda c: c.params["chat_id"] == group, since=mark, timeout=30)
        assert parse_telegram_html(reply.params["text"]) == service.messages.get("sw", "tg_lang_admins_only")


def test_anonymous_admins_of_different_groups_do_not_share_one_rate_limit(api, bot, service):
    groups = [-100_767_000 - next(_ids) for _ in range(12)]  # more than chat.burst
    mark = api.mark()
    for group in groups:
        chat = api.group_chat(group)
        api.push_update({"message": {"message_id": next(_ids), "from": ANONYMOUS_ADMIN, "sender_chat": chat,
                                     "chat": chat, "date": int(time.time()), "text": "/help",
                                     "entities": [{"type": "bot_command", "offset": 0, "length": 5}]}})
    for group in groups:
        reply = api.wait_for("sendMessage", lambda c, g=group: c.params["chat_id"] == g, since=mark, timeout=30)
        assert parse_telegram_html(reply.params["text"]) == service.messages.get("en", "tg_help")


def test_stickers_replying_to_the_bot_in_a_group_are_not_rate_limited(api, bot):
    group, user = -100_767_000 - next(_ids), next(_ids)
    mark = api.mark()
    api.group_message(f"/ask {QUESTION}", user_id=user, chat_id=group, language_code="fr")
    answer = api.wait_for("sendMessage", lambda c: c.params["chat_id"] == group, since=mark, timeout=30).result
    mark = api.mark()
    sticker = {"file_id": "s", "file_unique_id": "u", "type": "regular", "width": 1, "height": 1,
               "is_animated": False, "is_video": False}
    for _ in range(12):  # more than chat.burst: 👍 replies to the answer
        api.push_update({"message": {"message_id": next(_ids), "from": api.user(user), "chat": answer["chat"],
                                     "date": int(time.time()), "sticker": sticker, "reply_to_message": answer}})
    api.group_message(f"/ask {QUESTION}", user_id=user, chat_id=group, language_code="fr")
    reply = api.wait_for("sendMessage", lambda c: c.params["chat_id"] == group, since=mark, timeout=30)
    assert EXPECTED in parse_telegram_html(reply.params["text"]), "the bot answered stickers"


def test_an_admin_is_not_told_they_are_no_admin_when_telegram_cannot_say(api, bot, service):
    group, admin = -100_767_000 - next(_ids), next(_ids)
    api.fail("getChatMember", 500, times=5, where=lambda p: p.get("chat_id") == group)  # every retry fails
    mark = api.mark()
    api.group_message("/lang fr", user_id=admin, chat_id=group)
    reply = api.wait_for("sendMessage", lambda c: c.params["chat_id"] == group, since=mark, timeout=60)
    assert parse_telegram_html(reply.params["text"]) == service.messages.get("en", "tg_lang_check_failed")
    # A refusal Telegram means (not a member any more) is still "administrators only".
    api.fail("getChatMember", 400, description="Bad Request: user not found", where=lambda p: p.get("chat_id") == group)
    mark = api.mark()
    api.group_message("/lang fr", user_id=admin, chat_id=group)
    reply = api.wait_for("sendMessage", lambda c: c.params["chat_id"] == group, since=mark, timeout=60)
    assert parse_telegram_html(reply.params["text"]) == service.messages.get("en", "tg_lang_admins_only")
    # Telegram answers again: the admin's choice goes through.
    mark = api.mark()
    api.group_message("/lang fr", user_id=admin, chat_id=group)
    reply = api.wait_for("sendMessage", lambda c: c.params["chat_id"] == group, since=mark, timeout=60)
    fr = service.messages.language_name("fr")
    assert parse_telegram_html(reply.params["text"]) == service.messages.get("fr", "tg_lang_set", language=fr)


def test_typing_shows_in_the_forum_topic_of_the_question(api, bot):
    group, user, topic = -100_767_000 - next(_ids), next(_ids), 77
    chat = dict(api.group_chat(group), is_forum=True)
    mark = api.mark()
    api.push_update({"message": {"message_id": next(_ids), "from": api.user(user), "chat": chat,
                                 "date": int(time.time()), "text": f"/ask {QUESTION}", "message_thread_id": topic,
                                 "is_topic_message": True,
                                 "entities": [{"type": "bot_command", "offset": 0, "length": 4}]}})
    reply = api.wait_for("sendMessage", lambda c: c.params["chat_id"] == group, since=mark, timeout=30)
    assert EXPECTED in parse_telegram_html(reply.params["text"])
    typing = api.wait_for("sendChatAction", lambda c: c.params["chat_id"] == group, since=mark, timeout=5)
    assert typing.params.get("message_thread_id") == topic


def test_a_mention_alone_in_reply_to_someones_question_asks_it(api, bot):
    group = -100_767_000 - next(_ids)
    chat = api.group_chat(group)
    asked = api.message(chat, api.user(next(_ids), "Bob", "fr"), QUESTION)
    mark = api.mark()
    api.push_update({"message": api.message(chat, api.user(next(_ids), "Eve", "fr"), "@article_test_bot",
                                            reply_to=asked)})
    reply = api.wait_for("sendMessage", lambda c: c.params["chat_id"] == group, since=mark, timeout=30)
    assert EXPECTED in parse_telegram_html(reply.params["text"])
