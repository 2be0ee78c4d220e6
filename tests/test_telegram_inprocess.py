"""The real Application in-process (same wiring as `python -m bot telegram`) over HTTP.

Used where a child process cannot be reached: a core failure injected for
one question, and the FAQ scheduler hook.
"""

from __future__ import annotations

import asyncio
import copy
import dataclasses
import types

import pytest

from bot.answering.service import QAService
from bot.core.state import State
from bot.runtime import Runtime
from bot.telegram.app import TelegramSettings, build_application
from bot.telegram.delivery import Delivery

from fake_bot_api import FakeBotAPI, parse_telegram_html


@pytest.fixture
def faulty_service(service):
    """The real service, except that a question containing BOOM raises."""
    faulty = copy.copy(service)

    def ask(question, lang=None, hint=None):
        if "BOOM" in question:
            raise RuntimeError("injected failure")
        return service.ask(question, lang, hint)

    faulty.ask = ask
    return faulty


async def _running(api: FakeBotAPI, service: QAService, state: State):
    settings = TelegramSettings(token=api.token, api_url=api.root, poll_timeout=1)
    application = build_application(Runtime(service, state), settings)
    delivery = Delivery(application, state, service.settings.chat, poll_timeout=1)
    await delivery.start()
    return delivery


async def _stop(delivery) -> None:
    await delivery.stop()


async def test_a_core_failure_gets_an_apology_and_the_bot_goes_on(faulty_service, tmp_path):
    state = State(tmp_path / "state.sqlite3")
    with FakeBotAPI() as api:
        application = await _running(api, faulty_service, state)
        try:
            api.private_message("BOOM what now?", user_id=11, language_code="fr")
            api.private_message("Comment ont réagi les clients clés présents au déjeuner ?", user_id=11)
            first = await asyncio.to_thread(api.wait_for, "sendMessage", None, 20)
            second = await asyncio.to_thread(api.wait_for, "sendMessage", None, 20, 0, True, 2)
        finally:
            await _stop(application)
    state.close()
    assert parse_telegram_html(first.params["text"]) == faulty_service.messages.get("fr", "answer_failed")
    assert "plus optimiste" in parse_telegram_html(second.params["text"])


async def test_the_faq_scheduler_hook_receives_the_runtime(service, tmp_path, monkeypatch):
    calls = []
    fake_module = types.ModuleType("bot.faq.scheduler")
    fake_module.install = lambda application, runtime: calls.append((application, runtime))
    monkeypatch.setitem(__import__("sys").modules, "bot.faq.scheduler", fake_module)
    state = State(tmp_path / "state.sqlite3")
    settings = TelegramSettings(token="1:abcdefghijkl", api_url="http://127.0.0.1:9", poll_timeout=1)
    application = build_application(Runtime(service, state), settings)
    state.close()
    [(app, runtime)] = calls
    assert app is application and runtime.service is service and runtime.state is state


def test_settings_from_environment():
    with pytest.raises(ValueError, match="TELEGRAM_BOT_TOKEN is not set"):
        TelegramSettings.from_env({})
    with pytest.raises(ValueError, match="TELEGRAM_API_URL"):
        TelegramSettings.from_env({"TELEGRAM_BOT_TOKEN": "1:abc", "TELEGRAM_API_URL": "ftp://x"})
    s = TelegramSettings.from_env({"TELEGRAM_BOT_TOKEN": " 1:abc ", "TELEGRAM_API_URL": "http://127.0.0.1:81/"})
    assert (s.token, s.api_url, s.poll_timeout) == ("1:abc", "http://127.0.0.1:81", 10.0)
    assert TelegramSettings.from_env({"TELEGRAM_BOT_TOKEN": "1:abc"}).api_url == "https://api.telegram.org"


async def test_sources_with_20000_articles_is_one_message_with_page_buttons(service, tmp_path):
    """20,000 articles (titles long enough that a page must be shortened, with HTML characters):
    /sources sends one message (was 76), every page within 4096 characters, turned in place."""
    from bot.knowledge.corpus import Article

    langs = ("fr", "sw", "th", "en")
    articles = [Article(id=f"a{i:05d}", title=f"Article {i:05d} <&> " + "mot " * 35, lang=langs[i % 4],
                        text="x", path=f"a{i:05d}.md", group=f"a{i:05d}") for i in range(20_000)]
    big = copy.copy(service)
    big.kb = dataclasses.replace(service.kb, articles=articles)  # /sources reads only the articles
    size = service.settings.chat.sources_page_size
    pages = -(-len(articles) // size)
    state = State(tmp_path / "state.sqlite3")
    with FakeBotAPI() as api:
        application = await _running(api, big, state)
        try:
            mark = api.mark()
            api.private_message("/sources", user_id=21, language_code="sw")
            first = await asyncio.to_thread(api.wait_for, "sendMessage", None, 30, mark)
            markup = first.params["reply_markup"]["inline_keyboard"]
            data = {b["text"]: b["callback_data"] for row in markup for b in row}
            assert set(data) == {f"1/{pages}", "›", f"{pages} »"}
            api.callback_query(first.result, data[f"{pages} »"], user_id=21, language_code="sw")
            last = await asyncio.to_thread(api.wait_for, "editMessageText", None, 30, mark)
            sends = api.calls_to("sendMessage", since=mark)
        finally:
            await _stop(application)
    state.close()
    assert len(sends) == 1
    for call in (first, last):
        assert len(call.params["text"].encode("utf-16-le")) // 2 <= 4096
    text, last_text = parse_telegram_html(first.params["text"]), parse_telegram_html(last.params["text"])
    assert service.messages.get("sw", "tg_sources_page", page=1, pages=pages) in text
    assert service.messages.get("sw", "tg_sources_page", page=pages, pages=pages) in last_text
    first_titles = [line for line in text.splitlines() if line.startswith("• ")]
    assert len(first_titles) == size and all("Article " in t and "<&>" in t for t in first_titles)
    assert text.splitlines()[3] == service.messages.language_name("sw")  # the reader's language first
    assert len([line for line in last_text.splitlines() if line.startswith("• ")]) == len(articles) - (pages - 1) * size


def test_sources_pages_sort_the_articles_once_per_knowledge(service, monkeypatch):
    """Turning pages in any language re-sorts nothing: the knowledge sorts its articles
    once; each page only puts the reader's language first (the same order as before)."""
    import builtins

    from bot.knowledge.corpus import Article
    from bot.telegram.sources import ordered, render_page

    langs = ("th", "fr", "en", "sw")
    articles = [Article(id=f"a{i:03d}", title=["Zèbre", "avion", "Avion", "été", "Bol"][i % 5] + f" {i % 7}",
                        lang=langs[i % 4], text="x", path=f"a{i:03d}.md", group=f"a{i:03d}") for i in range(300)]
    big = copy.copy(service)
    big.kb = dataclasses.replace(service.kb, articles=articles)
    runtime = Runtime(big)
    real_sorted, sorts = builtins.sorted, []

    def counting(iterable, *args, **kwargs):
        items = list(iterable)
        if len(items) == len(articles):
            sorts.append(1)
        return real_sorted(items, *args, **kwargs)

    monkeypatch.setattr(builtins, "sorted", counting)
    for lang in ("sw", "fr", "sw", "en", "th"):
        for page in range(3):
            render_page(runtime, lang, page)
    assert len(sorts) == 1
    monkeypatch.undo()
    for lang in (*langs, "xx"):
        assert ordered(runtime, lang) == sorted(articles, key=lambda a: (a.lang != lang, a.lang, a.title.casefold(),
                                                                          a.id))


async def test_joining_leaving_and_migration_with_a_broken_state_file(service, tmp_path, caplog):
    """A state file that is not a database: the hello is still sent (in the adder's language),
    removal and migration are logged as state problems, and the bot goes on answering."""
    path = tmp_path / "state.sqlite3"
    path.write_bytes(b"this is not an SQLite database at all " * 100)
    state = State(path, timeout=1.0)
    with FakeBotAPI() as api:
        application = await _running(api, service, state)
        try:
            mark = api.mark()
            api.bot_membership(-100777, "left", "member", language_code="th")
            hello = await asyncio.to_thread(api.wait_for, "sendMessage", lambda c: c.params["chat_id"] == -100777,
                                            30, mark)
            api.bot_membership(-100777, "member", "kicked")
            api.migrate_group(-778, -100778)
            api.group_message("/help", chat_id=-100778, user_id=31, language_code="sw")
            helped = await asyncio.to_thread(api.wait_for, "sendMessage", lambda c: c.params["chat_id"] == -100778,
                                             30, mark)
        finally:
            await _stop(application)
    state.close()
    assert parse_telegram_html(hello.params["text"]) == service.messages.get("th", "tg_added",
                                                                             count=len(service.kb.articles))
    assert parse_telegram_html(helped.params["text"]) == service.messages.get("sw", "tg_help")
    assert not [r for r in caplog.records if "error while handling" in r.getMessage()]  # handled, not crashed
