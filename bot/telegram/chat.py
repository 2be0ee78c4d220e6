"""What every handler shares, and the rules for the language of a reply.

Handlers get the bot's `Runtime` (bot/runtime.py) from `context.bot_data`
(as PTB's examples and rules-bot keep shared objects in bot_data), so they
stay plain functions that are easy to wire in `app.py`.
"""

from __future__ import annotations

from telegram import Chat, User
from telegram.ext import ContextTypes

from bot.core.messages import FALLBACK
from bot.runtime import Runtime


def deps(context: ContextTypes.DEFAULT_TYPE) -> Runtime:
    """The bot's Runtime (PTB keeps shared objects in bot_data, as in rules-bot)."""
    return context.bot_data["runtime"]


def user_hint(user: User | None) -> str | None:
    """The Telegram client's language ("pt-br" -> "pt"), a hint for short questions."""
    code = getattr(user, "language_code", None)
    return code.split("-")[0].lower() if code else None


def chosen_language(d: Runtime, chat: Chat | None) -> str | None:
    """The language picked with /lang in this chat, if any."""
    return d.state.chat_language(chat.id) if chat else None


def ui_language(d: Runtime, chat: Chat | None, user: User | None) -> str:
    """Language for fixed texts (/start, /help ...): the chat's choice, else the client's."""
    chosen = chosen_language(d, chat)
    if chosen:
        return chosen
    hint = user_hint(user)
    if hint and hint in d.service.messages.texts:
        return hint
    default = d.service.settings.default_language
    return default if default in d.service.messages.texts else FALLBACK


def text(d: Runtime, lang: str, key: str, **params: object) -> str:
    return d.service.messages.get(lang, key, **params)
