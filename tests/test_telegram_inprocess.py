"""The real Application in-process (same wiring as `python -m bot telegram`) over HTTP.

Used where a child process cannot be reached: a core failure injected for
one question, and the FAQ scheduler hook.
"""

from __future__ import annotations

import asyncio
import copy
import types

import pytest

from bot.answering.service import QAService
from bot.core.state import State
from bot.runtime import Runtime
from bot.telegram.app import TelegramSettings, build_application

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
    await application.initialize()
    await application.start()
    await application.updater.start_polling(timeout=1)
    return application


async def _stop(application) -> None:
    await application.updater.stop()
    await application.stop()
    await application.shutdown()


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
    assert parse_telegram_html(first.params["text"]) == faulty_service.messages.get("fr", "tg_error")
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
