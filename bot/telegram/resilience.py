"""Flood control, retries and the error handler: one bad moment loses no reply.

- Telegram answers 429 with `retry_after` when a bot sends too fast.  PTB's
  `AIORateLimiter` throttles below the published limits and, with
  `max_retries`, waits `retry_after` and sends again.
- Network errors and 5xx (PTB raises `NetworkError`) are retried here with
  exponential backoff.  A timeout of a request that may already have been
  delivered (a read timeout on sendMessage) is not retried, so nobody gets
  the same answer twice; harmless calls (chat actions, callbacks, command
  lists ...) are retried on timeouts too.
- `on_error` logs what failed and lets the bot carry on with the next update.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import AIORateLimiter, ContextTypes

log = logging.getLogger(__name__)

# Calls that change nothing when sent twice.
IDEMPOTENT = {
    "getMe", "sendChatAction", "answerCallbackQuery", "answerInlineQuery", "setMyCommands",
    "deleteMyCommands", "getMyCommands", "deleteWebhook", "editMessageText", "getChatMember",
}


class ResilientRateLimiter(AIORateLimiter):
    """`AIORateLimiter` (429 handling) plus retries of network errors and 5xx."""

    def __init__(self, *, max_retries: int = 5, network_retries: int = 4, backoff: float = 0.5,
                 max_backoff: float = 8.0, **limits: Any) -> None:
        super().__init__(max_retries=max_retries, **limits)
        self.network_retries = network_retries
        self.backoff = backoff
        self.max_backoff = max_backoff

    async def process_request(self, callback, args, kwargs, endpoint, data, rate_limit_args):
        delay = self.backoff
        for attempt in range(self.network_retries + 1):
            try:
                return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
            except (BadRequest, RetryAfter):
                raise  # a refused request is refused again; 429 was already retried
            except TimedOut:
                if endpoint not in IDEMPOTENT or attempt == self.network_retries:
                    raise
                log.warning("%s timed out; retrying in %.1fs", endpoint, delay)
            except NetworkError as exc:
                if attempt == self.network_retries:
                    raise
                log.warning("%s failed (%s); retrying in %.1fs", endpoint, exc, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, self.max_backoff)
        raise AssertionError("unreachable")


def unlimited() -> ResilientRateLimiter:
    """No throttling, same retries: for benchmarks of the bot itself."""
    return ResilientRateLimiter(overall_max_rate=0, group_max_rate=0)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the failure with the update it came from; the bot goes on."""
    error = context.error
    where = ""
    if isinstance(update, Update):
        chat = update.effective_chat
        where = f" (update {update.update_id}" + (f", chat {chat.id}" if chat else "") + ")"
    if isinstance(error, Forbidden):
        log.warning("not allowed to write%s: %s", where, error)
    elif isinstance(error, (NetworkError, RetryAfter)):
        log.warning("Telegram request failed%s: %s", where, error)
    else:
        log.error("error while handling an update%s", where, exc_info=error)
