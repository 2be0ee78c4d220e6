"""Send one FAQ post to one chat through python-telegram-bot's `Bot`.

The post is the core's answer to the entry's question, in the entry's
language, formatted like a chat answer with the question as a heading.

Errors are sorted by the one rule every sender follows (bot/telegram/failures.py,
`classify`), because the contract is *at most once per chat*:

* retried, without limit (the message certainly did not arrive): 429 flood
  control (after the `retry_after` Telegram asks for, however long: a 429 is
  never a failure), a connection that could not be opened or written, an HTTP
  error answer such as 5xx (backoff doubling up to MAX_BACKOFF: outages of any
  length);
* not retried, recorded as failed: refusals that will not change by
  themselves (chat not found, bot not a member / not admin of a channel,
  blocked, bad request, invalid token) and an answer lost after the request
  was sent (read timeout, dropped connection), since re-sending could post
  twice;
* a group upgraded to a supergroup (ChatMigrated) is re-sent once to the new
  id, with a warning to update faq.yaml.

A chat reply meeting the same error is treated the same way.

Inside the bot, posts leave through the durable outbox (bot/telegram/outbox.py,
key `faq:<entry>:<slot>:<chat>`), which applies the same rules and survives a
restart: a post queued during an outage is sent after a kill -9 too.  With
several webhook workers the post holds its chat's lease like a reply, so the
worker answering that chat never sends it a second time, and a post its
worker left queued is sent by another one, even to a channel
(bot/telegram/leases.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from telegram import Bot

    from bot.answering.answer import Answer
    from bot.answering.service import QAService
    from bot.faq.config import Chat, FaqEntry

log = logging.getLogger("bot.faq")

MAX_BACKOFF = 60.0  # seconds between two attempts while the Bot API cannot be reached
BACKOFF = (1.0, 2.0, 4.0, 8.0, 16.0, 32.0, MAX_BACKOFF)

Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True)
class Delivery:
    """What happened to one post in one chat."""

    chat: "Chat"
    ok: bool
    detail: str
    message_id: int | None = None
    attempts: int = 1


@dataclass(frozen=True)
class Composed:
    """The answer to an entry's question and the HTML text to post (None: no answer)."""

    lang: str
    answer: "Answer"
    html: str | None


def compose(service: "QAService", entry: "FaqEntry") -> Composed:
    """The core's answer to the entry's question, rendered as a chat answer."""
    from bot.telegram.formatting import format_answer

    lang = entry.post_language(service.detect)
    answer = service.ask(entry.question, lang=lang)
    if not answer.answered:
        return Composed(lang, answer, None)
    return Composed(lang, answer, format_answer(answer, service.messages, heading=entry.question))


async def send(bot: "Bot", chat: "Chat", html: str, *, entry_id: str, sleep: Sleep = asyncio.sleep,
               key: str | None = None) -> Delivery:
    """Send `html` to `chat`, retrying what is retryable; never raises for Telegram errors.
    With `key` (entry, slot, chat), a bot running the outbox queues it there durably."""
    from telegram import LinkPreviewOptions
    from telegram.constants import ParseMode
    from telegram.error import ChatMigrated

    from bot.telegram.failures import UNCERTAIN, classify
    from bot.telegram.outbox import outbox_key

    target = chat
    migrated = False
    attempt = 0
    failures = 0
    while True:
        attempt += 1
        try:
            with outbox_key(key) if key else contextlib.nullcontext():
                message = await bot.send_message(chat_id=target, text=html, parse_mode=ParseMode.HTML,
                                                 link_preview_options=LinkPreviewOptions(is_disabled=True))
            detail = f"message {message.message_id}"
            if migrated:
                detail += f" (sent to {target}: update faq.yaml)"
            return Delivery(chat, True, detail, message.message_id, attempt)
        except Exception as exc:  # noqa: BLE001 - every failure is logged and recorded, never raised
            if isinstance(exc, ChatMigrated) and not migrated:
                migrated = True
                log.warning("faq %s: chat %s became supergroup %s; posting there (update faq.yaml)",
                            entry_id, chat, exc.new_chat_id)
                target = exc.new_chat_id
                continue
            failure = classify(exc)
            detail = failure.detail
            if failure.verdict is UNCERTAIN:
                detail += "; not retried to avoid posting twice"
            if not failure.retryable:
                log.error("faq %s: chat %s: not posted: %s", entry_id, chat, detail)
                return Delivery(chat, False, detail, None, attempt)
            wait = failure.wait
            if wait is None:  # a 429 waits what Telegram says; the rest backs off
                wait = BACKOFF[min(failures, len(BACKOFF) - 1)]
                failures += 1
            log.warning("faq %s: chat %s: attempt %d failed: %s; retrying in %gs",
                        entry_id, chat, attempt, detail, wait)
            await sleep(wait)
