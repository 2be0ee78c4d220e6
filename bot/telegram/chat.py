"""What every handler shares, and the rules for the language of a reply.

Handlers get the bot's `Runtime` (bot/runtime.py) from `context.bot_data`
(as PTB's examples and rules-bot keep shared objects in bot_data), so they
stay plain functions that are easy to wire in `app.py`.

The state store is reached only through `state_call`: off the event loop,
with the `chat.state_timeout_seconds` deadline, and a failure is logged (at
most once a minute per kind, so a broken file cannot fill the disk with log
lines) and handed back as a `StateError`.  A chat's language is a preference:
when it cannot be read, the reply follows the question's language and is sent
anyway.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from telegram import Chat, User
from telegram.ext import ContextTypes

from bot.core.messages import FALLBACK
from bot.core.state import State, StateError
from bot.runtime import Runtime

log = logging.getLogger(__name__)
T = TypeVar("T")
ALARM_INTERVAL = 60.0  # seconds between two log lines about the same kind of state failure


def need(value: T | None, what: str) -> T:
    """PTB types every part of an update as optional; a handler registered for
    that kind of update always has it (mypy needs telling, and an impossible
    update fails loudly in the error handler instead of deeper down)."""
    if value is None:
        raise LookupError(f"this update carries no {what}")
    return value


def deps(context: ContextTypes.DEFAULT_TYPE) -> Runtime:
    """The bot's Runtime (PTB keeps shared objects in bot_data, as in rules-bot)."""
    return context.bot_data["runtime"]


class StateAlarm:
    """Logs state failures: the first of each kind at once, then one line a minute with a count."""

    def __init__(self, interval: float = ALARM_INTERVAL) -> None:
        self.interval = interval
        self._last: dict[str, float] = {}
        self._since: dict[str, int] = {}
        self.failures = 0

    def __call__(self, exc: StateError, doing: str) -> None:
        self.failures += 1
        now = time.monotonic()
        self._since[exc.kind] = self._since.get(exc.kind, 0) + 1
        if now - self._last.get(exc.kind, float("-inf")) < self.interval:
            return
        count = self._since.pop(exc.kind)
        self._last[exc.kind] = now
        more = f" ({count} state failures of this kind since the last report)" if count > 1 else ""
        log.error("state unavailable while %s: %s; questions are still answered%s", doing, exc, more)


ALARM = StateAlarm()


async def state_call(d: Runtime, doing: str, fn: Callable[[State], T], reading: bool = False) -> T:
    """`fn(state)` on the state's (reading: reader) thread within the configured deadline;
    StateError (logged) if not, or if there is no state store at all."""
    state = d.state
    if state is None:
        raise StateError("unavailable", "no state store")
    try:
        return await state.run(fn, state, timeout=d.settings.chat.state_timeout_seconds, reading=reading)
    except StateError as exc:
        ALARM(exc, doing)
        raise


def user_hint(user: User | None) -> str | None:
    """The Telegram client's language ("pt-br" -> "pt"), a hint for short questions."""
    code = getattr(user, "language_code", None)
    return code.split("-")[0].lower() if code else None


async def chosen_language(d: Runtime, chat: Chat | None) -> str | None:
    """The language picked with /lang in this chat, if any (None when the state cannot say)."""
    if chat is None or d.state is None:
        return None
    try:
        return await state_call(d, "reading a chat's language", lambda s: s.chat_language(chat.id), reading=True)
    except StateError:
        return None


def fixed_language(d: Runtime, chosen: str | None, user: User | None) -> str:
    """Language for fixed texts: the chat's choice, else the client's, else the default."""
    if chosen:
        return chosen
    hint = user_hint(user)
    if hint and hint in d.service.messages.texts:
        return hint
    default = d.service.settings.default_language
    return default if default in d.service.messages.texts else FALLBACK


async def ui_language(d: Runtime, chat: Chat | None, user: User | None) -> str:
    """Language for fixed texts (/start, /help ...): the chat's choice, else the client's."""
    return fixed_language(d, await chosen_language(d, chat), user)


def text(d: Runtime, lang: str, key: str, **params: object) -> str:
    return d.service.messages.get(lang, key, **params)
