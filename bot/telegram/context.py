"""What every handler shares, and the rules for the language of a reply.

Handlers get their dependencies from `context.bot_data["deps"]` (as PTB's
examples and rules-bot keep shared objects in bot_data), so they stay plain
functions that are easy to wire in `app.py`.
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Chat, User
from telegram.ext import ContextTypes

from bot.messages import FALLBACK
from bot.service import QAService
from bot.state import State

# Telegram accepts messages of up to 4096 characters; a longer "question"
# (forwarded text, a paste) is answered from its beginning.
MAX_QUESTION_CHARS = 4096


@dataclass
class Deps:
    """The core service and the state file, one of each per running bot."""

    service: QAService
    state: State


def deps(context: ContextTypes.DEFAULT_TYPE) -> Deps:
    return context.bot_data["deps"]


def user_hint(user: User | None) -> str | None:
    """The Telegram client's language ("pt-br" -> "pt"), a hint for short questions."""
    code = getattr(user, "language_code", None)
    return code.split("-")[0].lower() if code else None


def chosen_language(d: Deps, chat: Chat | None) -> str | None:
    """The language picked with /lang in this chat, if any."""
    return d.state.chat_language(chat.id) if chat else None


def ui_language(d: Deps, chat: Chat | None, user: User | None) -> str:
    """Language for fixed texts (/start, /help ...): the chat's choice, else the client's."""
    chosen = chosen_language(d, chat)
    if chosen:
        return chosen
    hint = user_hint(user)
    if hint and hint in d.service.messages.texts:
        return hint
    default = d.service.settings.default_language
    return default if default in d.service.messages.texts else FALLBACK


def text(d: Deps, lang: str, key: str, **params: object) -> str:
    return d.service.messages.get(lang, key, **params)
