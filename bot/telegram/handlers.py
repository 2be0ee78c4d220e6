"""Messages in, answers out: private chats, groups, and the simple commands.

Private chat: every text is a question.  Group: only what is addressed to
the bot (/ask, a mention, a reply to the bot's own message) is answered, in
a threaded reply; everything else is other people's conversation.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatAction, ChatType
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.answering.answer import Answer
from bot.core.state import StateError
from bot.telegram.addressing import command_argument, replies_to_bot, strip_mentions
from bot.telegram.chat import (
    Runtime,
    chosen_language,
    deps,
    fixed_language,
    need,
    state_call,
    text,
    ui_language,
    user_hint,
)
from bot.telegram.formatting import format_answer, format_text

log = logging.getLogger(__name__)


# -- answering -------------------------------------------------------------------------
async def answer_question(update: Update, context: ContextTypes.DEFAULT_TYPE, question: str) -> None:
    """Typing..., the core's answer, one reply (threaded outside private chats).

    The chat's /lang choice is read from the state first; when the state cannot
    answer in time (locked, damaged ...) the reply follows the question's language
    and is sent all the same.  A declined question is counted for /unanswered
    after the reply has left.
    """
    d = deps(context)
    message = update.effective_message
    chat = update.effective_chat
    if message is None or chat is None:
        return
    threaded = chat.type != ChatType.PRIVATE
    topic = message.message_thread_id if message.is_topic_message else None
    typing = asyncio.create_task(show_typing(context, chat.id, topic))
    try:
        chosen = await chosen_language(d, chat)
        reply, answer = await asyncio.to_thread(render_answer, d, chat, update.effective_user, question, chosen)
        await settle_typing(typing, chat.id, d.settings.chat.typing_grace_seconds)
    finally:
        typing.cancel()
    await message.reply_text(reply, do_quote=threaded)
    if answer is not None and not answer.answered and answer.reason not in NOT_GAPS:
        await record_unanswered(d, question, answer.lang)


async def show_typing(context: ContextTypes.DEFAULT_TYPE, chat_id: int, topic: int | None = None) -> None:
    """The "typing…" action, in the forum topic the question came from (without it Telegram
    shows it in the General topic); a failure is logged, never raised (it is cosmetic)."""
    try:
        await context.bot.send_chat_action(chat_id, ChatAction.TYPING, message_thread_id=topic)
    except TelegramError as exc:
        log.info("typing action failed in chat %s: %s", chat_id, exc)


async def settle_typing(typing: asyncio.Task, chat_id: int, grace: float) -> None:
    """Let the "typing…" request finish before the answer (so it does not show after it),
    but only briefly: the rate limiter retries a chat action through 429s, 5xx and
    timeouts, and a cosmetic call held every answer back by about 30 s.  The caller
    cancels it if it is still in flight: the answer says more than "typing…"."""
    done, _ = await asyncio.wait({typing}, timeout=grace)
    if not done:
        log.info("typing action in chat %s still pending when the answer was ready; not waited for", chat_id)


# Declines that say nothing about missing knowledge (nothing asked, a failure, a hello).
NOT_GAPS = frozenset({"empty_question", "error", "greeting"})


async def record_unanswered(d: Runtime, question: str, lang: str) -> None:
    """Count a declined question for the article writers (no user id is stored)."""
    if d.state is None:
        return
    question = question[:d.settings.chat.max_question_chars]
    try:
        keep = d.settings.chat.unanswered_keep
        await state_call(d, "recording an unanswered question", lambda s: s.record_unanswered(question, lang, keep))
    except StateError:
        pass  # logged by state_call; the person already has the reply


def render_answer(d: Runtime, chat, user, question: str, chosen: str | None = None) -> tuple[str, Answer | None]:
    """The HTML reply to `question` and the answer; a polite apology (and None) if the core fails."""
    question = question[:d.settings.chat.max_question_chars]
    try:
        service = d.service
        answer = service.ask(question, lang=chosen, hint=user_hint(user))
        d.stats.count(answer.answered)
        return format_answer(answer, service.messages), answer
    except Exception:  # a hostile or odd message gets an apology, never a crash
        d.stats.count(None)
        log.exception("could not answer a question of %d characters in chat %s",
                      len(question), getattr(chat, "id", "?"))
        return format_text(text(d, fixed_language(d, chosen, user), "answer_failed")), None


async def private_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await answer_question(update, context, strip_mentions(need(update.effective_message, "message")))


async def group_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Only called for mentions and replies to the bot (see ADDRESSED).  A mention alone in
    reply to someone's message asks that message, as `/ask` in reply does."""
    message = need(update.effective_message, "message")
    question = strip_mentions(message) or replied_question(message)
    if not question:
        await _reply_fixed(update, context, "tg_ask_usage")
        return
    await answer_question(update, context, question)


def replied_question(message: Message) -> str:
    """The text of the message this one replies to, unless it is the bot's own ("" if none)."""
    replied = message.reply_to_message
    if replied and replied.text and not replies_to_bot(message, message.get_bot().id):
        return replied.text
    return ""


async def ask_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/ask QUESTION, or /ask in reply to someone's message to ask that message."""
    message = need(update.effective_message, "message")
    question = command_argument(message) or replied_question(message)
    if not question:
        await _reply_fixed(update, context, "tg_ask_usage")
        return
    await answer_question(update, context, question)


# -- fixed texts -------------------------------------------------------------------------
async def _reply_fixed(update: Update, context: ContextTypes.DEFAULT_TYPE, key: str, **params) -> None:
    d = deps(context)
    lang = await ui_language(d, update.effective_chat, update.effective_user)
    chat = update.effective_chat
    await need(update.effective_message, "message").reply_text(
        format_text(text(d, lang, key, **params)), do_quote=chat is not None and chat.type != ChatType.PRIVATE)


INLINE_START = "inline"  # the start_parameter of inline mode's button (inline.py)


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The welcome; `/start inline` (the deep link inline results offer) explains inline mode."""
    chat = update.effective_chat
    if context.args and context.args[0] == INLINE_START and chat is not None and chat.type == ChatType.PRIVATE:
        await inline_help(update, context)
        return
    await _reply_fixed(update, context, "tg_start", count=len(deps(context).service.kb.articles))


async def inline_help(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """How inline mode works, with a button that opens it in a chat the person picks."""
    d = deps(context)
    lang = await ui_language(d, update.effective_chat, update.effective_user)
    handle = f"@{context.bot.username}" if context.bot.username else "@bot"
    try_it = InlineKeyboardMarkup([[InlineKeyboardButton(text(d, lang, "tg_inline_try")[:64],
                                                         switch_inline_query="")]])
    await need(update.effective_message, "message").reply_text(
        format_text(text(d, lang, "tg_start_inline", bot=handle)), reply_markup=try_it)


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _reply_fixed(update, context, "tg_help")


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _reply_fixed(update, context, "tg_unknown_command")


async def not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _reply_fixed(update, context, "tg_text_only")
