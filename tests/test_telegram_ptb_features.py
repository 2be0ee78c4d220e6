"""What PTB users expect (issue 14, part 5), on the real `python -m bot telegram` over HTTP.

The bot runs against the fake Bot API with a real SQLite state file, which the
tests read directly.  The config is a copy of the shipped one with two changes
that make the behaviour visible: `default_language: fr` (so "the default" differs
from an English client) and `chat.sources_page_size: 2` (the five shipped
articles make three pages).  Every test talks in its own chat; updates of one
chat are handled in order, so "the next reply in this chat" proves that the
update before it was handled.
"""

from __future__ import annotations

import itertools
import json
import re
import shutil
import sqlite3

import pytest

from bot.core.messages import Messages

from bot_process import BotProcess
from conftest import CONFIG
from fake_bot_api import FakeBotAPI, parse_telegram_html

TOKEN = "555666777:AAH-ptbFeaturesTokenForTests_abcdef"
PAGE_SIZE = 2
DEFAULT = "fr"
QUESTION = ("Pourquoi une note de 5 étoiles peut-elle nuire aux ventes ?", "5 étoiles")

_ids = itertools.count(70_000)


def new_id() -> int:
    return next(_ids)


def group_id() -> int:
    return -1_000_000_000_000 - new_id()


def shown(call) -> str:
    return parse_telegram_html(call.params["text"])


@pytest.fixture(scope="module")
def config_dir(tmp_path_factory):
    target = tmp_path_factory.mktemp("ptbconfig") / "config"
    shutil.copytree(CONFIG, target)
    settings = target / "settings.yaml"
    text = settings.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^default_language: \w+", f"default_language: {DEFAULT}", text)
    text = re.sub(r"(?m)^  sources_page_size: \d+", f"  sources_page_size: {PAGE_SIZE}", text)
    assert f"default_language: {DEFAULT}" in text and f"sources_page_size: {PAGE_SIZE}" in text
    settings.write_text(text, encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def messages(config_dir) -> Messages:
    return Messages.load(config_dir)


@pytest.fixture(scope="module")
def bot(api, config_dir, tmp_path_factory):
    folder = tmp_path_factory.mktemp("ptbfeatures")
    process = BotProcess(api, folder / "state" / "bot.sqlite3", folder / "logs", config=config_dir).start()
    yield process
    process.stop()
    assert process.returncode == 0


def say(api: FakeBotAPI, text: str, **kwargs) -> dict:
    """A group message from a new user each time (the per-user rate limit stays out of the way)."""
    return api.group_message(text, user_id=new_id(), **kwargs)


def stored_language(bot: BotProcess, chat_id: int) -> tuple | None:
    with sqlite3.connect(bot.state_path) as db:
        return db.execute("SELECT lang FROM chat_settings WHERE chat_id = ?", (chat_id,)).fetchone()


def next_reply(api: FakeBotAPI, chat_id: int, mark: int, count: int = 1, timeout: float = 30):
    return api.wait_for("sendMessage", lambda c: c.params["chat_id"] == chat_id, since=mark,
                        count=count, timeout=timeout)


def set_group_language(api: FakeBotAPI, chat_id: int, lang: str, messages: Messages,
                       chat_type: str = "supergroup") -> None:
    """An admin (the fake's default status: creator) sets the group's language with /lang xx."""
    mark = api.mark()
    say(api, f"/lang {lang}", chat_id=chat_id, chat_type=chat_type)
    reply = next_reply(api, chat_id, mark)
    assert shown(reply) == messages.get(lang, "tg_lang_set", language=messages.language_name(lang))


# -- command menus per scope --------------------------------------------------------------
def test_command_menus_per_scope_and_language(api, bot, messages):
    expected = {
        "default": ["start", "help", "ask", "lang", "sources"],
        "all_private_chats": ["start", "help", "ask", "lang", "sources"],
        "all_group_chats": ["ask", "help", "sources"],
        "all_chat_administrators": ["ask", "help", "sources", "lang"],
    }
    for scope, names in expected.items():
        for lang in ("", "en", "fr", "sw", "th"):
            key = (json.dumps({"type": scope}, sort_keys=True), lang)
            assert key in api.commands, f"no setMyCommands for scope {scope} language {lang!r}"
            got = api.commands[key]
            assert [c["command"] for c in got] == names
            for c in got:
                assert c["description"] == messages.get(lang or "en", f"tg_cmd_{c['command']}")
    assert len(api.commands) == 4 * 5
    assert all(c.ok for c in api.calls_to("setMyCommands"))


# -- my_chat_member: added / removed ------------------------------------------------------
@pytest.mark.parametrize("client,expected", [("en", "en"), ("sw", "sw"), ("th", "th"), ("fr", "fr"),
                                             ("de", DEFAULT), (None, DEFAULT)])
def test_added_to_a_group_says_hello_in_the_adders_language(api, bot, messages, client, expected):
    chat_id = group_id()
    mark = api.mark()
    api.bot_membership(chat_id, "left", "member", language_code=client)
    hello = next_reply(api, chat_id, mark)
    assert shown(hello) == messages.get(expected, "tg_added", count=5)
    assert "reply_parameters" not in hello.params  # nothing to reply to


def test_a_basic_group_and_an_admin_invite_get_a_hello_too(api, bot, messages):
    chat_id = -new_id()
    mark = api.mark()
    api.bot_membership(chat_id, "left", "administrator", language_code="sw", chat_type="group")
    assert shown(next_reply(api, chat_id, mark)) == messages.get("sw", "tg_added", count=5)


def test_status_changes_that_keep_the_bot_in_the_chat_say_nothing(api, bot, messages):
    chat_id = group_id()
    mark = api.mark()
    api.bot_membership(chat_id, "member", "administrator")  # promoted
    api.bot_membership(chat_id, "administrator", "member")  # demoted
    api.bot_membership(chat_id, "member", "restricted")     # restricted, still a member
    say(api, "/help", chat_id=chat_id)  # handled after the three, in order
    reply = next_reply(api, chat_id, mark)
    assert shown(reply) == messages.get("en", "tg_help")
    assert len([c for c in api.calls_to("sendMessage", since=mark) if c.params["chat_id"] == chat_id]) == 1


def test_added_to_a_channel_posts_nothing(api, bot):
    chat_id = group_id()
    mark = api.mark()
    api.bot_membership(chat_id, "left", "administrator", chat_type="channel")
    other = group_id()
    api.bot_membership(other, "left", "member")
    next_reply(api, other, mark)
    assert not [c for c in api.calls_to("sendMessage", since=mark) if c.params["chat_id"] == chat_id]


@pytest.mark.parametrize("gone", ["left", "kicked"])
def test_removed_or_banned_forgets_the_chat(api, bot, messages, gone):
    chat_id = group_id()
    set_group_language(api, chat_id, "th", messages)
    assert stored_language(bot, chat_id) == ("th",)
    mark = api.mark()
    api.bot_membership(chat_id, "administrator", gone)
    # Added again later (by an English client): the former choice is gone, so the hello
    # follows the adder, not Thai; nothing at all was sent while the bot was out.
    api.bot_membership(chat_id, gone, "member", language_code="en")
    hello = next_reply(api, chat_id, mark)
    assert shown(hello) == messages.get("en", "tg_added", count=5)
    assert stored_language(bot, chat_id) is None
    assert len([c for c in api.calls_to("sendMessage", since=mark) if c.params["chat_id"] == chat_id]) == 1
    assert f"chat {chat_id}: its stored settings were deleted" in bot.all_output()


def test_a_user_blocking_the_bot_is_forgotten(api, bot, messages):
    user_id = new_id()
    mark = api.mark()
    api.private_message("/lang sw", user_id=user_id, language_code="en")
    next_reply(api, user_id, mark)
    assert stored_language(bot, user_id) == ("sw",)
    api.bot_membership(user_id, "member", "kicked", user_id=user_id)  # the user blocked the bot
    api.bot_membership(user_id, "kicked", "member", user_id=user_id)  # and unblocked it: no hello in private
    api.private_message("/start", user_id=user_id, language_code="en")
    start = next_reply(api, user_id, mark, count=2)
    assert shown(start) == messages.get("en", "tg_start", count=5)
    assert stored_language(bot, user_id) is None


def test_others_leaving_the_group_is_not_the_bot_leaving(api, bot, messages):
    """A `chat_member` update (someone else) is not `my_chat_member`: the chat keeps its settings."""
    chat_id = group_id()
    set_group_language(api, chat_id, "sw", messages)
    mark = api.mark()
    user = api.user(4444, "Zed")
    api.push_update({"chat_member": {
        "chat": api.group_chat(chat_id), "from": user, "date": 1_700_000_000,
        "old_chat_member": api.chat_member("member", user), "new_chat_member": api.chat_member("left", user)}})
    say(api, "/help", chat_id=chat_id)
    assert shown(next_reply(api, chat_id, mark)) == messages.get("sw", "tg_help")
    assert stored_language(bot, chat_id) == ("sw",)


# -- group upgraded to a supergroup ----------------------------------------------------------
def test_language_follows_a_group_upgraded_to_a_supergroup(api, bot, messages):
    old = -new_id()
    new = group_id()
    set_group_language(api, old, "sw", messages, chat_type="group")
    mark = api.mark()
    api.migrate_group(old, new)
    say(api, f"/ask {QUESTION[0]}", chat_id=new, language_code="en")
    answer = next_reply(api, new, mark)
    assert shown(answer).startswith((messages.get("sw", "intro"), messages.get("sw", "intro_unsure"))) \
        or shown(answer) == messages.get("sw", "decline")
    say(api, "/help", chat_id=new, language_code="en")
    assert shown(next_reply(api, new, mark, count=2)) == messages.get("sw", "tg_help")
    assert stored_language(bot, new) == ("sw",)
    assert stored_language(bot, old) is None
    # The service messages themselves get no reply, in either chat.
    assert not [c for c in api.calls_to("sendMessage", since=mark) if c.params["chat_id"] == old]
    assert f"group {old} became supergroup {new}" in bot.all_output()


def test_migration_announced_only_in_the_old_group_is_enough(api, bot, messages):
    old, new = -new_id(), group_id()
    set_group_language(api, old, "th", messages, chat_type="group")
    mark = api.mark()
    api.push_update({"message": {"message_id": 1, "from": api.user(2002), "chat": api.group_chat(old, type="group"),
                                 "date": 1_700_000_000, "migrate_to_chat_id": new}})
    say(api, "/help", chat_id=old, chat_type="group")  # same chat: handled after the migration
    next_reply(api, old, mark)
    assert stored_language(bot, new) == ("th",)
    say(api, "/help", chat_id=new)
    assert shown(next_reply(api, new, mark)) == messages.get("th", "tg_help")


# -- the start=inline deep link ----------------------------------------------------------------
@pytest.mark.parametrize("lang", ["en", "fr", "sw", "th"])
def test_start_inline_deep_link_explains_inline_mode(api, bot, messages, lang):
    # The link inline mode advertises when it finds nothing:
    mark = api.mark()
    api.inline_query("Quelle est la capitale de l'Australie ?", language_code=lang)
    parameter = api.wait_for("answerInlineQuery", since=mark).params["button"]["start_parameter"]
    user_id = new_id()
    api.private_message(f"/start {parameter}", user_id=user_id, language_code=lang)
    reply = next_reply(api, user_id, mark)
    assert shown(reply) == messages.get(lang, "tg_start_inline", bot=f"@{api.username}")
    [[button]] = reply.params["reply_markup"]["inline_keyboard"]
    assert button["text"] == messages.get(lang, "tg_inline_try")
    assert button["switch_inline_query"] == ""
    assert shown(reply) != messages.get(lang, "tg_start", count=5)


def test_other_start_parameters_and_groups_get_the_welcome(api, bot, messages):
    user_id = new_id()
    mark = api.mark()
    api.private_message("/start somethingelse", user_id=user_id, language_code="sw")
    assert shown(next_reply(api, user_id, mark)) == messages.get("sw", "tg_start", count=5)
    chat_id = group_id()
    say(api, f"/start@{api.username} inline", chat_id=chat_id, language_code="sw")
    assert shown(next_reply(api, chat_id, mark)) == messages.get("sw", "tg_start", count=5)


# -- /sources with page buttons ---------------------------------------------------------------------
def titles_in(text: str) -> list[str]:
    return [line[2:] for line in text.splitlines() if line.startswith("• ")]


def buttons(markup: dict | None) -> dict[str, str]:
    return {b["text"]: b["callback_data"] for row in (markup or {}).get("inline_keyboard", []) for b in row}


def test_sources_is_one_message_turned_in_place(api, bot, service, messages):
    user_id = new_id()
    mark = api.mark()
    api.private_message("/sources", user_id=user_id, language_code="en")
    first = next_reply(api, user_id, mark)
    text = shown(first)
    assert text.startswith(messages.get("en", "tg_sources_heading", count=5))
    assert messages.get("en", "tg_sources_page", page=1, pages=3) in text
    assert len(titles_in(text)) == PAGE_SIZE
    assert set(buttons(first.params["reply_markup"])) == {"1/3", "›", "3 »"}
    seen = titles_in(text)
    message = first.result
    for page in (2, 3):
        step = api.mark()
        api.callback_query(message, buttons(message.get("reply_markup"))["›"], user_id=user_id)
        edited = api.wait_for("editMessageText", since=step)
        assert edited.params["message_id"] == first.result["message_id"]
        api.wait_for("answerCallbackQuery", since=step)
        assert messages.get("en", "tg_sources_page", page=page, pages=3) in shown(edited)
        seen += titles_in(shown(edited))
        message = edited.result
    assert set(buttons(message["reply_markup"])) == {"« 1", "‹", "3/3"}
    assert sorted(seen) == sorted(a.title for a in service.kb.articles)  # every article once
    # Back to the first page with «; the page-number button changes nothing and is still answered.
    step = api.mark()
    api.callback_query(message, buttons(message["reply_markup"])["« 1"], user_id=user_id)
    back = api.wait_for("editMessageText", since=step)
    assert titles_in(shown(back)) == titles_in(text)
    step = api.mark()
    api.callback_query(back.result, buttons(back.result["reply_markup"])["1/3"], user_id=user_id)
    api.wait_for("answerCallbackQuery", since=step)
    assert not api.calls_to("editMessageText", since=step, ok_only=True)
    # One message in this chat, whatever was pressed.
    assert len([c for c in api.calls_to("sendMessage", since=mark) if c.params["chat_id"] == user_id]) == 1


def test_sources_pages_keep_the_groups_language_whoever_presses(api, bot, messages):
    chat_id = group_id()
    mark = api.mark()
    asked = say(api, "/sources", chat_id=chat_id, language_code="th")
    first = next_reply(api, chat_id, mark)
    assert first.params["reply_parameters"]["message_id"] == asked["message"]["message_id"]
    assert messages.get("th", "tg_sources_page", page=1, pages=3) in shown(first)
    step = api.mark()
    api.callback_query(first.result, buttons(first.params["reply_markup"])["›"], user_id=9090, language_code="en")
    edited = api.wait_for("editMessageText", since=step)
    assert messages.get("th", "tg_sources_page", page=2, pages=3) in shown(edited)
    # A stale or forged page number shows the last page; garbage is only acknowledged.
    step = api.mark()
    api.callback_query(edited.result, "sources:th:999999", user_id=9090)
    last = api.wait_for("editMessageText", since=step)
    assert messages.get("th", "tg_sources_page", page=3, pages=3) in shown(last)
    step = api.mark()
    api.callback_query(last.result, "sources:../../x", user_id=9090)
    api.wait_for("answerCallbackQuery", since=step)
    assert not api.calls_to("editMessageText", since=step)
    assert bot.alive()



def test_no_handler_failed_in_this_module(api, bot):
    """Every update above (forged callback data, not-modified edits, odd statuses) was handled
    without an exception reaching the error handler."""
    output = bot.all_output()
    assert "error while handling an update" not in output and "Traceback" not in output
    assert "skipped malformed update" not in output  # the fake's new update shapes are what PTB reads

@pytest.mark.parametrize("count", [1, 30, 200])
@pytest.mark.parametrize("title_chars", [5, 300, 5000])
def test_a_page_always_fits_one_message_and_drops_no_title(count, title_chars):
    """A page within 4096 characters however long the titles and the translated heading;
    every title keeps its line (long ones share the room equally and are cut)."""
    from bot.telegram.formatting import Piece, tg_len
    from bot.telegram.sources import fit

    lines = [("\n\n<b>Kiswahili</b>\n• " if i % 7 == 0 else "\n• ", ("T&<> " * title_chars)[:title_chars + i])
             for i in range(count)]
    html = fit([Piece("Heading ü " * 1000), Piece("\n"), Piece("Page 1 of 3", "i")], lines)
    assert tg_len(html) <= 4096
    assert parse_telegram_html(html).count("\n• ") == count
