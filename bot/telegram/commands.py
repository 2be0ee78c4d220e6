"""The command menu per language, and /lang with its inline keyboard.

`setMyCommands` is called once per language file in config/messages/ (with
that `language_code`) plus once without a language (English), so every
Telegram client shows the menu in its own language when we have it.
"""

from __future__ import annotations

import logging

from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError
from telegram.ext import Application, ContextTypes

from bot.core.messages import FALLBACK, Messages
from bot.telegram.chat import Runtime, deps, text, ui_language
from bot.telegram.formatting import format_text

log = logging.getLogger(__name__)

COMMANDS = ("start", "help", "ask", "lang", "sources")
CALLBACK_PREFIX = "lang:"
AUTO = "auto"
# Message keys the Telegram adapter needs (checked in English at start-up).
REQUIRED_TEXTS = (
    "tg_start", "tg_help", "tg_ask_usage", "tg_lang_prompt", "tg_lang_auto", "tg_lang_set",
    "tg_lang_auto_set", "tg_lang_unknown", "tg_lang_admins_only", "tg_sources_heading", "tg_error",
    "tg_text_only", "tg_unknown_command", "tg_inline_nothing",
) + tuple(f"tg_cmd_{c}" for c in COMMANDS)


def bot_commands(messages: Messages, lang: str) -> list[BotCommand]:
    return [BotCommand(c, messages.get(lang, f"tg_cmd_{c}")[:256]) for c in COMMANDS]


async def register_commands(application: Application, messages: Messages) -> None:
    """setMyCommands for the default menu and for every language we have texts in."""
    bot = application.bot
    try:
        await bot.set_my_commands(bot_commands(messages, FALLBACK))
        for lang in messages.languages:
            await bot.set_my_commands(bot_commands(messages, lang), language_code=lang)
    except TelegramError as exc:  # the menu is a convenience: run without it
        log.warning("could not register the command menu: %s", exc)


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


async def may_configure(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """In groups only administrators choose the language; in private chats, anyone."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None or chat.type == ChatType.PRIVATE:
        return True
    try:
        member = await context.bot.get_chat_member(chat.id, user.id)
    except TelegramError as exc:
        log.info("could not check the rights of user %s in chat %s: %s", user.id, chat.id, exc)
        return False
    return member.status in (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)


def apply_choice(d: Runtime, chat_id: int, choice: str) -> str | None:
    """Store `choice` ("auto" or a language); the confirmation's key, None if unknown."""
    choice = choice.strip().lower()
    if choice == AUTO:
        d.state.set_chat_language(chat_id, None)
        return "tg_lang_auto_set"
    if choice in reply_languages(d):
        d.state.set_chat_language(chat_id, choice)
        return "tg_lang_set"
    return None


async def lang_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/lang shows the keyboard; /lang xx (or /lang auto) sets it directly."""
    d = deps(context)
    chat, message = update.effective_chat, update.effective_message
    threaded = chat.type != ChatType.PRIVATE
    lang = ui_language(d, chat, update.effective_user)
    if not await may_configure(update, context):
        await message.reply_text(format_text(text(d, lang, "tg_lang_admins_only")), do_quote=threaded)
        return
    if context.args:
        key = apply_choice(d, chat.id, context.args[0])
        if key is None:
            await message.reply_text(format_text(text(d, lang, "tg_lang_unknown")), do_quote=threaded)
            return
        lang = ui_language(d, chat, update.effective_user)
        await message.reply_text(format_text(text(d, lang, key, language=d.service.messages.language_name(lang))),
                                 do_quote=threaded)
        return
    await message.reply_text(format_text(text(d, lang, "tg_lang_prompt")),
                             reply_markup=language_keyboard(d, lang), do_quote=threaded)


async def lang_chosen(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A button of the /lang keyboard: remember the choice, confirm in that language."""
    d = deps(context)
    query = update.callback_query
    chat = update.effective_chat
    if chat is None or query.data is None:
        await query.answer()
        return
    if not await may_configure(update, context):
        lang = ui_language(d, chat, update.effective_user)
        await query.answer(text(d, lang, "tg_lang_admins_only")[:200], show_alert=True)
        return
    key = apply_choice(d, chat.id, query.data.removeprefix(CALLBACK_PREFIX))
    lang = ui_language(d, chat, update.effective_user)
    if key is None:
        await query.answer(text(d, lang, "tg_lang_unknown")[:200])
        return
    confirmation = text(d, lang, key, language=d.service.messages.language_name(lang))
    await query.answer(confirmation[:200])
    try:
        await query.edit_message_text(format_text(confirmation))
    except TelegramError as exc:  # the keyboard message may be gone; the choice is stored
        log.info("could not edit the /lang message in chat %s: %s", chat.id, exc)
