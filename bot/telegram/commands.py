"""The command menus per scope and language, and /lang with its inline keyboard.

Menus per scope (Telegram picks the most specific one): private chats get
every command, group members what works for them in a group (/ask, /help,
/sources), group administrators also /lang (only they may change it); the
default scope (no more specific one applies) gets the private menu.  Each is
registered once per language file in config/messages/ (with that
`language_code`) plus once without a language (English), so every Telegram
client shows the menus in its own language when we have it.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import (
    BotCommand,
    BotCommandScope,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeDefault,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError
from telegram.ext import Application, ContextTypes

from bot.core.messages import FALLBACK, Messages
from bot.core.state import StateError
from bot.telegram.chat import Runtime, deps, fixed_language, need, state_call, text, ui_language
from bot.telegram.failures import FAILED, classify
from bot.telegram.formatting import format_text

log = logging.getLogger(__name__)

COMMANDS = ("start", "help", "ask", "lang", "sources")
# The menu of each scope (a subset of COMMANDS, in menu order).
PRIVATE_MENU = COMMANDS
GROUP_MENU = ("ask", "help", "sources")
GROUP_ADMIN_MENU = ("ask", "help", "sources", "lang")
CALLBACK_PREFIX = "lang:"
AUTO = "auto"
# Message keys the Telegram adapter needs (checked in English at start-up).
REQUIRED_TEXTS = (
    "tg_start", "tg_help", "tg_ask_usage", "tg_lang_prompt", "tg_lang_auto", "tg_lang_set",
    "tg_lang_auto_set", "tg_lang_unknown", "tg_lang_admins_only", "tg_lang_check_failed", "tg_sources_heading",
    "tg_text_only", "tg_unknown_command", "tg_inline_nothing", "tg_state_error",
    "tg_added", "tg_start_inline", "tg_inline_try", "tg_sources_page",
) + tuple(f"tg_cmd_{c}" for c in COMMANDS)


def bot_commands(messages: Messages, lang: str, names: tuple[str, ...] = COMMANDS) -> list[BotCommand]:
    return [BotCommand(c, messages.get(lang, f"tg_cmd_{c}")[:256]) for c in names]


def menus() -> list[tuple[BotCommandScope, tuple[str, ...]]]:
    """(scope, commands) for every menu the bot registers."""
    return [
        (BotCommandScopeDefault(), PRIVATE_MENU),
        (BotCommandScopeAllPrivateChats(), PRIVATE_MENU),
        (BotCommandScopeAllGroupChats(), GROUP_MENU),
        (BotCommandScopeAllChatAdministrators(), GROUP_ADMIN_MENU),
    ]


async def register_commands(application: Application, messages: Messages) -> None:
    """setMyCommands for every scope, in the default language and in every language we have texts in
    (the calls run concurrently: 20 of them would add a second to start-up against Telegram)."""
    bot = application.bot
    calls = []
    for scope, names in menus():
        calls.append(bot.set_my_commands(bot_commands(messages, FALLBACK, names), scope=scope))
        for lang in messages.languages:
            calls.append(bot.set_my_commands(bot_commands(messages, lang, names), scope=scope,
                                             language_code=lang))
    results = await asyncio.gather(*calls, return_exceptions=True)
    failures = [r for r in results if isinstance(r, BaseException)]
    for failure in failures:
        if not isinstance(failure, TelegramError):
            raise failure
    if failures:  # the menu is a convenience: run without it
        log.warning("could not register %d of %d command menus: %s", len(failures), len(results), failures[0])


def reply_languages(d: Runtime) -> list[str]:
    """Languages a chat may choose: those we have texts for and detect."""
    langs = [x for x in d.service.settings.languages if x in d.service.messages.texts]
    return langs or [FALLBACK]


def language_keyboard(d: Runtime, lang: str) -> InlineKeyboardMarkup:
    names = [InlineKeyboardButton(d.service.messages.language_name(x), callback_data=f"{CALLBACK_PREFIX}{x}")
             for x in reply_languages(d)]
    rows = [names[i:i + 2] for i in range(0, len(names), 2)]
    rows.append([InlineKeyboardButton(text(d, lang, "tg_lang_auto"), callback_data=f"{CALLBACK_PREFIX}{AUTO}")])
    return InlineKeyboardMarkup(rows)


async def may_configure(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool | None:
    """In groups only administrators choose the language; in private chats, anyone.
    None when Telegram could not say for now (429, 5xx, no answer): the person is asked
    to try again, not told they are no administrator (failures.classify decides which).

    An anonymous administrator writes as the group itself (`sender_chat` is the chat;
    `from` is Telegram's GroupAnonymousBot, which is no member to ask about): only
    administrators can do that, so they may."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None or chat.type == ChatType.PRIVATE:
        return True
    message = update.message
    if message is not None and message.sender_chat is not None and message.sender_chat.id == chat.id:
        return True
    try:
        member = await context.bot.get_chat_member(chat.id, user.id)
    except TelegramError as exc:
        log.info("could not check the rights of user %s in chat %s: %s", user.id, chat.id, exc)
        return False if classify(exc).verdict is FAILED else None
    return member.status in (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)


def refusal(allowed: bool | None) -> str:
    """The text for a /lang that may not go ahead: no administrator, or could not check."""
    return "tg_lang_admins_only" if allowed is False else "tg_lang_check_failed"


STATE_ERROR = "tg_state_error"


async def apply_choice(d: Runtime, chat_id: int, choice: str) -> tuple[str, str | None] | None:
    """Store `choice` ("auto" or a language): the confirmation's key and the chat's new
    language (None for auto); None if the choice is unknown; `(STATE_ERROR, None)` when
    the state could not store it (the person is told, the bot carries on)."""
    choice = choice.strip().lower()
    if choice == AUTO:
        lang, key = None, "tg_lang_auto_set"
    elif choice in reply_languages(d):
        lang, key = choice, "tg_lang_set"
    else:
        return None
    try:
        await state_call(d, "saving a chat's language", lambda s: s.set_chat_language(chat_id, lang))
    except StateError:
        return STATE_ERROR, None
    return key, lang


async def lang_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/lang shows the keyboard; /lang xx (or /lang auto) sets it directly."""
    d = deps(context)
    chat, message = need(update.effective_chat, "chat"), need(update.effective_message, "message")
    threaded = chat.type != ChatType.PRIVATE
    lang = await ui_language(d, chat, update.effective_user)
    allowed = await may_configure(update, context)
    if not allowed:
        await message.reply_text(format_text(text(d, lang, refusal(allowed))), do_quote=threaded)
        return
    if context.args:
        outcome = await apply_choice(d, chat.id, context.args[0])
        if outcome is None:
            await message.reply_text(format_text(text(d, lang, "tg_lang_unknown")), do_quote=threaded)
            return
        key, chosen = outcome
        if key != STATE_ERROR:
            lang = fixed_language(d, chosen, update.effective_user)
        await message.reply_text(format_text(text(d, lang, key, language=d.service.messages.language_name(lang))),
                                 do_quote=threaded)
        return
    await message.reply_text(format_text(text(d, lang, "tg_lang_prompt")),
                             reply_markup=language_keyboard(d, lang), do_quote=threaded)


async def lang_chosen(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A button of the /lang keyboard: remember the choice, confirm in that language."""
    d = deps(context)
    query = need(update.callback_query, "callback query")
    chat = update.effective_chat
    if chat is None or query.data is None:
        await query.answer()
        return
    allowed = await may_configure(update, context)
    if not allowed:
        lang = await ui_language(d, chat, update.effective_user)
        await query.answer(text(d, lang, refusal(allowed))[:200], show_alert=True)
        return
    outcome = await apply_choice(d, chat.id, query.data.removeprefix(CALLBACK_PREFIX))
    if outcome is None or outcome[0] == STATE_ERROR:
        lang = fixed_language(d, None, update.effective_user)
        key = "tg_lang_unknown" if outcome is None else STATE_ERROR
        await query.answer(text(d, lang, key)[:200], show_alert=outcome is not None)
        return
    key, chosen = outcome
    lang = fixed_language(d, chosen, update.effective_user)
    confirmation = text(d, lang, key, language=d.service.messages.language_name(lang))
    await query.answer(confirmation[:200])
    try:
        await query.edit_message_text(format_text(confirmation))
    except TelegramError as exc:  # the keyboard message may be gone; the choice is stored
        log.info("could not edit the /lang message in chat %s: %s", chat.id, exc)
