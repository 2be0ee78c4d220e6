"""The real bot (`python -m bot telegram`, PTB v22) over real HTTP against the fake Bot API.

One bot process serves the whole module (start-up costs seconds); each test
talks in its own chat and looks only at the calls made since its own mark.
The fake server refuses malformed HTML and texts over 4096 characters like
Telegram does, so every reply delivered here is a reply Telegram would take.
"""

from __future__ import annotations

import itertools
import sqlite3
from pathlib import Path

import pytest

from bot_process import BotProcess
from conftest import PYTHON, ROOT, subprocess_env
from fake_bot_api import MAX_MESSAGE_CHARS, Call, FakeBotAPI, parse_telegram_html, utf16_len

TOKEN = "987654321:AAF-secretPartForTests_0123456789abcdef"
SECRET = TOKEN.split(":", 1)[1]

# Questions from the dev set and the verbatim sentence their answer must quote.
PRIVATE_CASES = {
    "fr": ("Comment ont réagi les clients clés présents au déjeuner ?",
           "la réaction n'aurait pas pu être plus optimiste"),
    "sw": ("Je, ukadiriaji wa nyota 5 husaidia mauzo?", "Ukadiriaji wa nyota 5 unaweza kuumiza mauzo yako"),
    "th": ("ตามบทความ ความไว้วางใจของลูกค้ามาจากอะไร", "ความไว้วางใจมาจากประสบการณ์ที่ซื่อสัตย์"),
}
GROUP_QUESTION = ("Pourquoi une note de 5 étoiles peut-elle nuire aux ventes ?", "5 étoiles")

_ids = itertools.count(50_000)


def new_id() -> int:
    return next(_ids)


def norm(text: str) -> str:
    return " ".join(text.split())


def plain(call: Call, key: str = "text") -> str:
    """The text Telegram would show; fails on malformed HTML or over-long text."""
    raw = call.params[key]
    assert utf16_len(raw) <= MAX_MESSAGE_CHARS
    assert call.params.get("parse_mode") == "HTML"
    return parse_telegram_html(raw)


@pytest.fixture(scope="module")
def bot(api, tmp_path_factory):
    folder = tmp_path_factory.mktemp("telegram")
    process = BotProcess(api, folder / "state" / "bot.sqlite3", folder / "logs").start()
    yield process
    process.stop()


@pytest.fixture(scope="module")
def messages(service):
    return service.messages


def intros(messages, lang: str) -> tuple[str, str]:
    """How an answer starts: sure, or framed as unsure (decline.model_sure)."""
    return messages.get(lang, "intro"), messages.get(lang, "intro_unsure")


def ask_private(api: FakeBotAPI, text: str, lang: str | None = "en", chat_id: int | None = None) -> tuple[dict, Call]:
    chat_id = chat_id or new_id()
    mark = api.mark()
    update = api.private_message(text, user_id=chat_id, language_code=lang)
    call = api.wait_for("sendMessage", lambda c: c.params["chat_id"] == chat_id, since=mark, timeout=30)
    return update, call


# -- private chats -------------------------------------------------------------------
@pytest.mark.parametrize("lang", sorted(PRIVATE_CASES))
def test_private_question_gets_typing_then_verbatim_quote(api, bot, messages, lang):
    question, expected = PRIVATE_CASES[lang]
    chat_id = new_id()
    mark = api.mark()
    _, reply = ask_private(api, question, lang=None, chat_id=chat_id)
    shown = plain(reply)
    assert norm(expected) in norm(shown)
    assert shown.startswith(intros(messages, lang))
    assert reply.params["link_preview_options"] == {"is_disabled": True}
    assert "reply_parameters" not in reply.params  # private chats are not threaded
    mine = [c for c in api.calls_to(since=mark) if c.params.get("chat_id") == chat_id]
    assert [c.method for c in mine] == ["sendChatAction", "sendMessage"]
    assert mine[0].params["action"] == "typing"


def test_off_topic_question_is_declined_in_its_language(api, bot, messages):
    _, reply = ask_private(api, "Quelle est la capitale de l'Australie ?", lang="en")
    assert plain(reply) == messages.get("fr", "decline")


def test_short_message_uses_the_client_language(api, bot, messages):
    _, reply = ask_private(api, "ok?", lang="sw")
    assert plain(reply) in (messages.get("sw", "decline"), messages.get("sw", "empty_question"),
                            messages.get("sw", "greeting"), messages.get("sw", "ok")) \
        or plain(reply).startswith(intros(messages, "sw"))


@pytest.mark.parametrize("lang", ["en", "fr", "sw", "th"])
def test_start_speaks_the_client_language(api, bot, service, messages, lang):
    _, reply = ask_private(api, "/start", lang=lang)
    assert plain(reply) == messages.get(lang, "tg_start", count=len(service.kb.articles))


def test_help_sources_and_unknown_command(api, bot, service, messages):
    _, help_reply = ask_private(api, "/help", lang="fr")
    assert plain(help_reply) == messages.get("fr", "tg_help")
    _, sources = ask_private(api, "/sources", lang="th")
    shown = plain(sources)
    assert shown.startswith(messages.get("th", "tg_sources_heading", count=len(service.kb.articles)))
    for article in service.kb.articles:
        assert article.title in shown
    _, unknown = ask_private(api, "/frobnicate", lang="en")
    assert plain(unknown) == messages.get("en", "tg_unknown_command")


def test_hostile_and_huge_messages_get_well_formed_replies(api, bot, messages):
    hostile = "<b>&amp; </i><script>alert(1)</script> \u202e\u0000 😀 & < > \" ' " + "5 étoiles ?"
    _, reply = ask_private(api, hostile, lang="fr")
    assert plain(reply)  # delivered and parsed by the strict HTML check
    huge = ("Pourquoi une note de 5 étoiles peut-elle nuire aux ventes ? " * 90)[:5000]
    assert len(huge) == 5000
    _, reply = ask_private(api, huge, lang="fr")
    assert "5 étoiles" in plain(reply)


def test_non_text_message_gets_a_polite_hint(api, bot, messages):
    chat_id = new_id()
    mark = api.mark()
    user = api.user(chat_id, language_code="th")
    chat = {"id": chat_id, "type": "private", "first_name": "Ana"}
    api.push_update({"message": {"message_id": 1, "from": user, "chat": chat, "date": 1700000000,
                                 "sticker": {"file_id": "f", "file_unique_id": "u", "type": "regular",
                                             "width": 512, "height": 512, "is_animated": False,
                                             "is_video": False}}})
    reply = api.wait_for("sendMessage", lambda c: c.params["chat_id"] == chat_id, since=mark)
    assert plain(reply) == messages.get("th", "tg_text_only")


def test_commands_registered_per_language(api, bot, messages):
    for lang in ("", "en", "fr", "sw", "th"):
        key = ('{"type": "default"}', lang)
        assert key in api.commands, f"no setMyCommands for language {lang!r}"
        got = {c["command"]: c["description"] for c in api.commands[key]}
        assert set(got) == {"start", "help", "ask", "lang", "sources"}
        assert got["ask"] == messages.get(lang or "en", "tg_cmd_ask")


# -- groups ------------------------------------------------------------------------------
def test_group_chatter_is_ignored_and_addressed_messages_answered(api, bot):
    chat_id = -1000000000000 - new_id()
    mark = api.mark()
    api.group_message("Bonjour à tous, on déjeune où ?", chat_id=chat_id)
    api.group_message(GROUP_QUESTION[0], chat_id=chat_id)  # a question, but not to the bot
    api.group_message(f"/ask@someone_else_bot {GROUP_QUESTION[0]}", chat_id=chat_id)
    api.group_message("@someone_else hello", chat_id=chat_id)
    asked = api.group_message(f"/ask@{api.username} {GROUP_QUESTION[0]}", chat_id=chat_id)
    reply = api.wait_for("sendMessage", lambda c: c.params["chat_id"] == chat_id, since=mark, timeout=30)
    assert GROUP_QUESTION[1] in plain(reply)
    assert reply.params["reply_parameters"]["message_id"] == asked["message"]["message_id"]
    # Updates are handled in order, so by now the chatter before it was seen and skipped.
    to_chat = [c for c in api.calls_to("sendMessage", since=mark) if c.params["chat_id"] == chat_id]
    assert to_chat == [reply]

    mention = api.group_message(f"@{api.username} {GROUP_QUESTION[0]}", chat_id=chat_id)
    reply2 = api.wait_for("sendMessage", lambda c: c.params["chat_id"] == chat_id, since=mark, count=2)
    assert GROUP_QUESTION[1] in plain(reply2)
    assert reply2.params["reply_parameters"]["message_id"] == mention["message"]["message_id"]

    follow_up = api.reply_to(reply2.result, "Et l'exemple de l'hôtel, que dit la note manuscrite ?")
    reply3 = api.wait_for("sendMessage", lambda c: c.params["chat_id"] == chat_id, since=mark, count=3)
    assert reply3.params["reply_parameters"]["message_id"] == follow_up["message"]["message_id"]
    assert plain(reply3)

    # A reply to someone else's message is still chatter; plain /ask works too.
    api.reply_to(asked["message"], "merci !")
    api.group_message(f"/ask {GROUP_QUESTION[0]}", chat_id=chat_id)
    reply4 = api.wait_for("sendMessage", lambda c: c.params["chat_id"] == chat_id, since=mark, count=4)
    assert GROUP_QUESTION[1] in plain(reply4)
    assert len([c for c in api.calls_to("sendMessage", since=mark) if c.params["chat_id"] == chat_id]) == 4

    # /ask sent in reply to someone's question asks that question.
    someone = api.group_message(GROUP_QUESTION[0], chat_id=chat_id, user_id=4242)
    bare = api.reply_to(someone["message"], "/ask")
    reply5 = api.wait_for("sendMessage", lambda c: c.params["chat_id"] == chat_id, since=mark, count=5)
    assert GROUP_QUESTION[1] in plain(reply5)
    assert reply5.params["reply_parameters"]["message_id"] == bare["message"]["message_id"]


def test_basic_group_is_served_like_a_supergroup(api, bot):
    chat_id = -new_id()
    mark = api.mark()
    api.group_message("salut", chat_id=chat_id, chat_type="group")
    asked = api.group_message(f"/ask {GROUP_QUESTION[0]}", chat_id=chat_id, chat_type="group")
    reply = api.wait_for("sendMessage", lambda c: c.params["chat_id"] == chat_id, since=mark)
    assert asked["message"]["chat"]["type"] == "group"
    assert GROUP_QUESTION[1] in plain(reply)
    assert reply.params["reply_parameters"]["message_id"] == asked["message"]["message_id"]
    assert len([c for c in api.calls_to("sendMessage", since=mark) if c.params["chat_id"] == chat_id]) == 1


def test_group_language_is_for_admins_only(api, bot, messages):
    chat_id = -1000000000000 - new_id()
    mark = api.mark()
    api.member_status[(chat_id, 777)] = "member"
    upd = api.push_update({"message": api.message(api.group_chat(chat_id), api.user(777, language_code="fr"),
                                                  f"/lang@{api.username} sw")})
    reply = api.wait_for("sendMessage", lambda c: c.params["chat_id"] == chat_id, since=mark)
    assert plain(reply) == messages.get("fr", "tg_lang_admins_only")
    assert reply.params["reply_parameters"]["message_id"] == upd["message"]["message_id"]


# -- inline mode -----------------------------------------------------------------------
def test_inline_query_offers_one_article_per_passage(api, bot, service):
    question, expected = PRIVATE_CASES["fr"]
    mark = api.mark()
    update = api.inline_query(question, language_code="fr")
    call = api.wait_for("answerInlineQuery", since=mark)
    assert call.params["inline_query_id"] == update["inline_query"]["id"]
    results = call.params["results"]
    assert 1 <= len(results) <= 3
    assert len({r["id"] for r in results}) == len(results)
    titles = {a.title for a in service.kb.articles}
    sent = []
    for r in results:
        assert r["type"] == "article" and r["title"] in titles
        content = r["input_message_content"]
        assert content["parse_mode"] == "HTML"
        assert utf16_len(content["message_text"]) <= MAX_MESSAGE_CHARS
        text = parse_telegram_html(content["message_text"])
        assert r["title"] in text
        sent.append(norm(text))
    assert any(norm(expected) in s for s in sent)


def test_inline_query_with_nothing_found_offers_no_noise(api, bot):
    mark = api.mark()
    api.inline_query("Quelle est la capitale de l'Australie ?", language_code="fr")
    call = api.wait_for("answerInlineQuery", since=mark)
    assert call.params["results"] == []
    assert call.params["button"]["start_parameter"] == "inline"


# -- faults --------------------------------------------------------------------------------
def test_two_429s_still_deliver_the_answer(api, bot):
    question, expected = PRIVATE_CASES["sw"]
    chat_id = new_id()
    mark = api.mark()
    api.fail("sendMessage", 429, retry_after=1, times=2)
    _, reply = ask_private(api, question, lang="sw", chat_id=chat_id)
    assert norm(expected) in norm(plain(reply))
    statuses = [c.status for c in api.calls_to("sendMessage", since=mark) if c.params["chat_id"] == chat_id]
    assert statuses == [429, 429, 200]


def test_server_errors_and_dropped_connections_are_retried(api, bot):
    question, expected = PRIVATE_CASES["th"]
    chat_id = new_id()
    mark = api.mark()
    api.disconnect("sendChatAction", times=1)
    api.fail("sendMessage", 500, times=1)
    api.fail("sendMessage", 502, times=1)
    _, reply = ask_private(api, question, lang="th", chat_id=chat_id)
    assert norm(expected) in norm(plain(reply))
    statuses = [c.status for c in api.calls_to("sendMessage", since=mark) if c.params["chat_id"] == chat_id]
    assert statuses == [500, 502, 200]
    # Polling itself survives server errors and a dropped connection.
    mark = api.mark()
    api.fail("getUpdates", 502, times=1)
    api.disconnect("getUpdates", times=1)
    api.fail("getUpdates", 429, retry_after=1, times=1)
    api.wait_for("getUpdates", lambda c: c.status == 429, since=mark, ok_only=False, timeout=60)
    _, again = ask_private(api, "/help", lang="en")
    assert plain(again)
    statuses = [c.status for c in api.calls_to("getUpdates", since=mark)]
    assert [s for s in statuses if s != 200][:3] == [502, 0, 429]


def test_a_failing_update_does_not_stop_the_bot(api, bot, messages):
    chat_id = new_id()
    mark = api.mark()
    api.fail("sendMessage", 400, times=1, description="Bad Request: chat not found")
    api.private_message("/help", user_id=chat_id, language_code="en")
    api.wait_for("sendMessage", lambda c: c.params["chat_id"] == chat_id, since=mark, ok_only=False)
    _, reply = ask_private(api, "/help", lang="en", chat_id=chat_id)
    assert plain(reply) == messages.get("en", "tg_help")
    assert bot.alive()


# -- /lang, remembered across a restart ---------------------------------------------------
def test_lang_choice_survives_a_restart(api, bot, messages):
    chat_id = new_id()
    _, prompt = ask_private(api, "/lang", lang="fr", chat_id=chat_id)
    assert plain(prompt) == messages.get("fr", "tg_lang_prompt")
    buttons = [b for row in prompt.params["reply_markup"]["inline_keyboard"] for b in row]
    assert {b["callback_data"] for b in buttons} >= {"lang:fr", "lang:sw", "lang:th", "lang:en", "lang:auto"}
    mark = api.mark()
    query = api.callback_query(prompt.result, "lang:sw", user_id=chat_id, language_code="fr")
    answered = api.wait_for("answerCallbackQuery", since=mark)
    assert answered.params["callback_query_id"] == query["callback_query"]["id"]
    edited = api.wait_for("editMessageText", since=mark)
    assert plain(edited) == messages.get("sw", "tg_lang_set", language=messages.language_name("sw"))
    assert edited.params["message_id"] == prompt.result["message_id"]

    bot.stop()
    # A question sent while the bot is down is answered once it is back.
    mark = api.mark()
    api.private_message(PRIVATE_CASES["sw"][0], user_id=chat_id, language_code="fr")
    bot.start()
    queued = api.wait_for("sendMessage", lambda c: c.params["chat_id"] == chat_id, since=mark)
    assert norm(PRIVATE_CASES["sw"][1]) in norm(plain(queued))
    assert bot.alive()
    with sqlite3.connect(bot.state_path) as db:
        assert db.execute("SELECT lang FROM chat_settings WHERE chat_id = ?", (chat_id,)).fetchone() == ("sw",)
    _, reply = ask_private(api, PRIVATE_CASES["fr"][0], lang="fr", chat_id=chat_id)
    assert plain(reply).startswith(intros(messages, "sw")) or plain(reply) == messages.get("sw", "decline")
    _, start = ask_private(api, "/start", lang="fr", chat_id=chat_id)
    assert plain(start).startswith(messages.get("sw", "tg_start", count=5)[:20])
    _, auto = ask_private(api, "/lang auto", lang="fr", chat_id=chat_id)
    assert plain(auto) == messages.get("fr", "tg_lang_auto_set")


# -- checks over everything the bot sent (keep these last) -------------------------------
# Asked first when fewer than 20 replies were sent before this check (run alone, or
# on another worker than the module's other tests): answers, greetings, commands,
# markup and a long message, in the four languages.
TOP_UP = (*(question for question, _ in PRIVATE_CASES.values()), GROUP_QUESTION[0], "/start", "/help", "merci",
          "asante", "ขอบคุณ", "Bitwise", "<b>hi</b> & <script>", "x" * 3000, "Who is the CEO of Bitwise?",
          "What is the weather in Paris?", "/why", "/lang sw", "ความไว้วางใจ", "Ron Brumbarger", "TCO", "hi")


def test_every_message_sent_was_well_formed_html_within_limits(api, bot):
    def sent() -> list[Call]:
        return [call for call in api.calls if call.method in ("sendMessage", "editMessageText")]

    def inline() -> list[dict]:
        return [r["input_message_content"] for call in api.calls if call.method == "answerInlineQuery"
                for r in call.params["results"]]

    for text in TOP_UP[:max(0, 20 - len(sent()) - len(inline()))]:
        ask_private(api, text, lang="fr")
    for call in sent():
        assert call.status != 400 or "chat not found" in str(call.result), call.result
        plain(call)
    for content in inline():
        assert utf16_len(content["message_text"]) <= MAX_MESSAGE_CHARS
        parse_telegram_html(content["message_text"])
    assert len(sent()) + len(inline()) >= 20


def test_token_never_appears_in_any_output(api, bot):
    ask_private(api, PRIVATE_CASES["fr"][0], lang="fr")
    bot.stop()
    assert bot.returncode == 0
    output = bot.all_output()
    assert "[REDACTED]" in output  # verbose logs did mention the URL, masked
    assert TOKEN not in output and SECRET not in output


# -- start-up problems -------------------------------------------------------------------
def _run(env: dict[str, str], state: Path, timeout: float = 60):
    import subprocess

    return subprocess.run([PYTHON, "-m", "bot", "telegram", "--state", str(state)],
                          cwd=ROOT, env=subprocess_env(**env), capture_output=True, text=True, timeout=timeout)


def test_missing_token_is_one_clear_line(tmp_path):
    p = _run({"TELEGRAM_BOT_TOKEN": ""}, tmp_path / "state.sqlite3")
    assert p.returncode != 0
    assert "TELEGRAM_BOT_TOKEN" in p.stderr and "Traceback" not in p.stderr
    assert len(p.stderr.strip().splitlines()) == 1


def test_refused_token_is_one_clear_line_without_the_token(tmp_path):
    with FakeBotAPI("111:the-server-expects-another-token") as other:
        p = _run({"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": other.root}, tmp_path / "state.sqlite3")
    assert p.returncode == 2
    assert "TELEGRAM_BOT_TOKEN" in p.stderr and "Traceback" not in p.stderr
    assert TOKEN not in p.stderr + p.stdout and SECRET not in p.stderr + p.stdout
