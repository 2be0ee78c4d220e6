"""One rule for a failed send (bot/telegram/failures.py): real failures produced by
python-telegram-bot over real HTTP against the fake Bot API, and a chat reply and a FAQ post
meeting the same failure in the running bot are treated the same way.

Before the rule was shared, the FAQ poster and the outbox each had their own, and both took
a reverse proxy's HTML "502 Bad Gateway" page (a 5xx: the Bot API took nothing) for an
answer lost after sending: the chat reply was closed as uncertain and the FAQ post
recorded as failed, neither ever sent.
"""

from __future__ import annotations

import asyncio
import json
from datetime import datetime

import httpx
import pytest
from telegram import Bot
from telegram.error import RetryAfter, TimedOut
from telegram.request import HTTPXRequest

from bot.core.state import State
from bot.faq.config import load_faq
from bot.faq.ledger import FAILED as LEDGER_FAILED
from bot.faq.ledger import POSTED, Ledger
from bot.faq.scheduler import FaqScheduler
from bot.runtime import Runtime
from bot.telegram.app import TelegramSettings, build_application
from bot.telegram.delivery import Delivery
from bot.telegram.failures import FAILED, RETRY, UNCERTAIN, classify, retry_seconds

from fake_bot_api import FakeBotAPI, parse_telegram_html

QUESTION = "Pourquoi une note de 5 étoiles peut-elle nuire aux ventes ?"
PROXY_PAGE = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"


async def _failure_of(api: FakeBotAPI, read_timeout: float = 5.0) -> BaseException:
    """The exception PTB raises for one sendMessage against the fake server as it is now."""
    request = HTTPXRequest(read_timeout=read_timeout, connect_timeout=2.0)
    bot = Bot(api.token, base_url=f"{api.root}/bot", request=request)
    try:
        await bot.send_message(chat_id=1, text="hello")
    except Exception as exc:  # noqa: BLE001 - the failure is what the test looks at
        return exc
    finally:
        await request.shutdown()
    raise AssertionError("the request did not fail")


@pytest.mark.parametrize("fault, verdict", [
    (lambda api: api.fail("sendMessage", 429, retry_after=7), RETRY),
    (lambda api: api.fail("sendMessage", 500), RETRY),
    (lambda api: api.fail("sendMessage", 502, page=PROXY_PAGE), RETRY),
    (lambda api: api.fail("sendMessage", 400, description="Bad Request: chat not found"), FAILED),
    (lambda api: api.fail("sendMessage", 403, description="Forbidden: bot was blocked by the user"), FAILED),
    (lambda api: api.disconnect("sendMessage"), UNCERTAIN),  # closed after reading the request
    (lambda api: api.drop_after("sendMessage"), UNCERTAIN),  # carried out, answer lost
    (lambda api: api.delay("sendMessage", 1.5), UNCERTAIN),  # read timeout
    (lambda api: api.go_down(), RETRY),  # connection refused
])
async def test_real_failures_get_one_verdict(fault, verdict):
    with FakeBotAPI() as api:
        fault(api)
        exc = await _failure_of(api, read_timeout=0.5)
    failure = classify(exc)
    assert failure.verdict is verdict, (type(exc).__name__, exc, exc.__cause__, failure)
    assert failure.retryable is (verdict is RETRY)
    if "429" in failure.detail:
        assert failure.wait == 7


def test_the_wait_asked_by_a_429_is_read_without_the_deprecated_attribute():
    """PTB 22 warns on reading `RetryAfter.retry_after` (it becomes a timedelta), and
    pyproject.toml ignores that warning where PTB's own constructor reads it, which
    hides any other reading too: the bot's one reading place must not be one."""
    import warnings

    exc = RetryAfter(3)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert retry_seconds(exc) == 3.0
    assert not caught, [str(w.message) for w in caught]


def test_a_request_that_never_left_whole_is_retried():
    """PTB wraps httpx's timeouts as TimedOut, the httpx error as cause (as _httpxrequest.py
    does): a write timeout means the request never reached the server whole."""
    for cause, verdict in ((httpx.WriteTimeout("write"), RETRY), (httpx.ConnectTimeout("connect"), RETRY),
                           (httpx.ReadTimeout("read"), UNCERTAIN)):
        try:
            raise TimedOut() from cause
        except TimedOut as exc:
            assert classify(exc).verdict is verdict, cause


# -- the running bot: a chat reply and a FAQ post, same failure ---------------------------

class _Clock:
    def __init__(self, now: str) -> None:
        self.now = datetime.fromisoformat(now)

    def __call__(self) -> datetime:
        return self.now


def _faq(tmp_path, chat: int):
    folder = tmp_path / "faqcfg"
    folder.mkdir(exist_ok=True)
    (folder / "faq.yaml").write_text(
        "timezone: Europe/Paris\nentries:\n  - id: five-stars\n"
        f"    question: {json.dumps(QUESTION, ensure_ascii=False)}\n    lang: fr\n"
        f"    schedule: \"0 9 * * mon\"\n    chats: [{chat}]\n", encoding="utf-8")
    return load_faq(folder, ("fr", "en", "sw", "th"))


def _to(chat: int):
    return lambda params: params.get("chat_id") in (chat, str(chat))


async def _reply_and_post(api: FakeBotAPI, delivery: Delivery, scheduler: FaqScheduler, user: int,
                          channel: int, slot_at: str) -> tuple[list, list, str]:
    """One question from `user` and one FAQ slot for `channel`; the calls each got, and the
    ledger's status of the post."""
    scheduler.clock = _Clock(slot_at)  # type: ignore[assignment]
    mark = api.mark()
    api.private_message(QUESTION, user_id=user, language_code="fr")
    outcomes = await scheduler.run_due()  # returns once the post's outcome is known
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 30
    while loop.time() < deadline:  # the reply: until the update is answered
        answered = any(c.status == 200 and c.params.get("chat_id") == user
                       for c in api.calls_to("sendMessage", since=mark))
        if answered and delivery.state.inbox_counts()[0] == 0:
            break
        await asyncio.sleep(0.1)
    await asyncio.sleep(1.0)  # a second copy would show up here
    calls = api.calls_to("sendMessage", since=mark)
    replies = [c for c in calls if c.params.get("chat_id") == user]
    posts = [c for c in calls if c.params.get("chat_id") == channel]
    return replies, posts, outcomes[0].status


async def test_a_chat_reply_and_a_faq_post_meet_the_same_failure_the_same_way(service, tmp_path):
    user, channel = 31_001, -1003100000001
    state = State(tmp_path / "state.sqlite3")
    with FakeBotAPI() as api:
        settings = TelegramSettings(token=api.token, api_url=api.root, poll_timeout=1)
        application = build_application(Runtime(service, state), settings)
        delivery = Delivery(application, state, service.settings.chat, poll_timeout=1)
        await delivery.start()
        try:
            scheduler = FaqScheduler(_faq(tmp_path, channel), service, Ledger(state), application.bot)
            # A proxy's 502 page, twice for each: nothing was taken, both are retried and arrive once.
            api.fail("sendMessage", 502, page=PROXY_PAGE, times=2, where=_to(user))
            api.fail("sendMessage", 502, page=PROXY_PAGE, times=2, where=_to(channel))
            replies, posts, status = await _reply_and_post(api, delivery, scheduler, user, channel,
                                                           "2026-03-30T09:00:00+02:00")
            assert [c.status for c in replies] == [502, 502, 200]
            assert [c.status for c in posts] == [502, 502, 200]
            assert "5 étoiles" in parse_telegram_html(replies[-1].params["text"])
            assert status == POSTED
            # Carried out but the answer lost: neither is sent a second time.
            before = delivery.stats.uncertain
            api.drop_after("sendMessage", where=_to(user))
            api.drop_after("sendMessage", where=_to(channel))
            replies, posts, status = await _reply_and_post(api, delivery, scheduler, user, channel,
                                                           "2026-04-06T09:00:00+02:00")
            assert len(replies) == 1 and len(posts) == 1
            assert delivery.stats.uncertain == before + 2
            assert status == LEDGER_FAILED
        finally:
            await delivery.stop()
    state.close()
