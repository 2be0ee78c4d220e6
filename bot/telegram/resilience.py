"""Flood control, retries and the error handler: one bad moment loses no reply.

- Telegram answers 429 with `retry_after` when a bot sends too fast.  PTB's
  `AIORateLimiter` throttles below the published limits and, with
  `max_retries`, waits `retry_after` and sends again.
- Network errors and 5xx (PTB raises `NetworkError`) are retried here with
  exponential backoff.  What a failure means is decided by the one rule of
  bot/telegram/failures.py (shared with the outbox and FAQ posts): a request
  that may already have been delivered (a read timeout on sendMessage) is not
  retried, so nobody gets the same answer twice; harmless calls (chat actions,
  callbacks, command lists ...) are retried then too.
- `on_error` logs what failed and lets the bot carry on with the next update.
- `SanitizingRequest` (getUpdates only): an update that is valid JSON but not
  a valid Update (`"chat": "not-a-chat"`) would make PTB's parsing of the
  whole batch fail, so that every poll fetched it again, forever.  Each item
  is parsed on its own; a bad one is logged once and replaced by a bare
  `{"update_id": n}`, which no handler answers but which moves the offset
  on, so Telegram forgets it and the others are answered.
"""

from __future__ import annotations

import asyncio
import json
import logging
from contextvars import ContextVar
from typing import Any

from telegram import Update
from telegram.error import Forbidden, NetworkError, RetryAfter
from telegram.ext import AIORateLimiter, ContextTypes
from telegram.request import RequestData

from bot.telegram.failures import FAILED, UNCERTAIN, classify, retry_seconds
from bot.telegram.redaction import RedactingRequest

log = logging.getLogger(__name__)

# Calls that change nothing when sent twice.
IDEMPOTENT = {
    "getMe", "sendChatAction", "answerCallbackQuery", "answerInlineQuery", "setMyCommands",
    "deleteMyCommands", "getMyCommands", "deleteWebhook", "editMessageText", "getChatMember",
}


class _NoGiveUpTrace(logging.Filter):
    """PTB logs a traceback when its (here: zero) 429 retries run out; ours retry per chat."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "Rate limit hit after maximum" not in record.getMessage()


# Set by the outbox's sender (bot/telegram/outbox.py) around its one attempt: the limiter
# throttles it but leaves every retry decision to the outbox.
SENDING: ContextVar[bool] = ContextVar("outbox_sending", default=False)


_PTB_LIMITER_LOG = logging.getLogger("telegram.ext.AIORateLimiter")
_PTB_LIMITER_LOG.addFilter(_NoGiveUpTrace())


class ResilientRateLimiter(AIORateLimiter):
    """`AIORateLimiter` (throttling below Telegram's limits) plus retries of network errors
    and 5xx, and 429 handled per chat.

    PTB's own 429 handling pauses *every* request of the bot for `retry_after`: a
    429 with retry_after 60 in one chat made every other user wait 59 s.  Here a
    429 pauses only the chat it came from (an inline or callback query's answer
    only that query: `pause_key`); other chats go on, and each later request to
    the paused chat first waits out that chat's pause.  If Telegram's flood limit is really
    bot-wide, the other chats get their own 429s and pause too.
    """

    def __init__(self, *, max_retries: int = 5, network_retries: int = 4, backoff: float = 0.5,
                 max_backoff: float = 8.0, **limits: Any) -> None:
        super().__init__(max_retries=0, **limits)  # a 429 comes straight back to process_request below
        self.max_retries_429 = max_retries
        self.network_retries = network_retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self._paused_until: dict[Any, float] = {}

    async def _wait_for_chat(self, key: Any) -> None:
        loop = asyncio.get_running_loop()
        until = self._paused_until.get(key)
        if until is None:
            return
        left = until - loop.time()
        if left > 0:
            await asyncio.sleep(left)
        elif len(self._paused_until) > 1000:  # forget pauses that are over
            now = loop.time()
            for k in [k for k, t in self._paused_until.items() if t <= now]:
                del self._paused_until[k]

    async def process_request(self, callback, args, kwargs, endpoint, data, rate_limit_args):
        if SENDING.get():  # the outbox decides about retries itself
            return await super().process_request(callback, args, kwargs, endpoint, data, 0)
        key = pause_key(data)
        retries_429 = rate_limit_args or self.max_retries_429
        delay = self.backoff
        network_attempt = 0
        flood_attempt = 0
        while True:
            await self._wait_for_chat(key)
            try:
                return await super().process_request(callback, args, kwargs, endpoint, data, 0)
            except RetryAfter as exc:
                if flood_attempt >= retries_429:
                    log.warning("%s: flood limit (429) still in force after %d retries", endpoint, flood_attempt)
                    raise
                flood_attempt += 1
                pause = retry_seconds(exc) + 0.1
                until = asyncio.get_running_loop().time() + pause
                self._paused_until[key] = max(self._paused_until.get(key, until), until)
                log.info("%s: flood limit (429) for chat %s; retrying in %.1fs, other chats go on",
                         endpoint, key, pause)
                continue
            except NetworkError as exc:  # timeouts included
                verdict = classify(exc).verdict
                if verdict is FAILED or network_attempt == self.network_retries:
                    raise  # a refused request is refused again
                if verdict is UNCERTAIN and endpoint not in IDEMPOTENT:
                    raise  # it may have been delivered: sending it again could show it twice
                log.warning("%s failed (%s); retrying in %.1fs", endpoint, exc, delay)
            network_attempt += 1
            await asyncio.sleep(delay)
            delay = min(delay * 2, self.max_backoff)


def pause_key(data: dict[str, Any]) -> Any:
    """What a 429 pauses: the chat a request goes to.  An inline query's or a callback
    query's answer has no chat: it is keyed by its query, so that one user's 429
    does not hold up another user's answer (they all shared the key None, with
    getMe and the other bot-wide calls, which still do)."""
    chat = data.get("chat_id")
    if chat is not None:
        return chat
    for field in ("inline_query_id", "callback_query_id"):
        if data.get(field) is not None:
            return field, data[field]
    return None


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


def read_update(item: Any) -> tuple[Update | None, str | None]:
    """(the Update, None) for an item PTB can read as one, else (None, why): the one check of
    polled (sanitize_updates) and webhook (workers.py) updates."""
    try:
        if not isinstance(item, dict):
            raise TypeError(f"an update must be an object, not {type(item).__name__}")
        return Update.de_json(item, None), None
    except Exception as exc:  # noqa: BLE001 - any shape PTB cannot read
        return None, f"{type(exc).__name__}: {str(exc)[:200]}"


def sanitize_updates(body: bytes) -> tuple[bytes, list[tuple[Any, str]]]:
    """A getUpdates response with every unparseable update reduced to its update_id;
    the skipped (update_id, reason) pairs.  Anything that is not a successful
    update list is returned untouched (PTB reports it as before)."""
    try:
        payload = json.loads(body)
    except ValueError:
        return body, []
    if not isinstance(payload, dict) or payload.get("ok") is not True or not isinstance(payload.get("result"), list):
        return body, []
    kept: list[Any] = []
    skipped: list[tuple[Any, str]] = []
    for item in payload["result"]:
        update, reason = read_update(item)
        if update is not None:
            kept.append(item)
            continue
        update_id = item.get("update_id") if isinstance(item, dict) else None
        skipped.append((update_id, reason or ""))
        if isinstance(update_id, int) and not isinstance(update_id, bool):
            kept.append({"update_id": update_id})  # acknowledged by the next offset
    if not skipped:
        return body, []
    payload["result"] = kept
    return json.dumps(payload).encode(), skipped


class SanitizingRequest(RedactingRequest):
    """The getUpdates client: redacts like the others, and skips malformed updates."""

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        status, body = await super().do_request(url, method, request_data, *args, **kwargs)
        if status == 200 and url.endswith("/getUpdates"):
            body, skipped = sanitize_updates(body)
            for update_id, reason in skipped:
                log.warning("skipped malformed update %s (%s); acknowledged, it will not be fetched again",
                            update_id, reason)
        return status, body
