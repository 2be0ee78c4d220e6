"""Administrative commands: /reload, /stats and /unanswered, for the user ids in `admins:` only.

`config/settings.yaml` lists the Telegram user ids allowed (`admins: [123]`);
anyone else gets a polite refusal (`tg_admin_only`) and nothing happens.  The
commands are not in the public command menu.

- /reload re-reads config/ and knowledge/ (`Runtime.reload`) in a thread
  and swaps the service in one assignment (for handlers, inline mode and FAQ
  posts alike): questions in flight finish on the
  old one, nothing restarts.  If the new config or knowledge is broken, the
  old service stays and the admin sees the one-line reason.
- /stats: articles per language, questions answered and declined, failures,
  state store failures (damaged, locked, full ...), replies that may not have
  arrived (connection lost after sending: not resent, README), updates and
  replies waiting, users slowed down, uptime.
- /unanswered [xx]: the most asked questions the articles do not answer (from
  the state store; no user ids are kept), for the people who write the
  articles.  Private chats only: other people's questions are not shown in a group.
"""

from __future__ import annotations

import asyncio
import logging
import time

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from bot.core.errors import ConfigError
from bot.core.outbox_store import OutboxStatus
from bot.core.state import StateError
from bot.telegram.chat import ALARM, Runtime, deps, need, state_call, text, ui_language
from bot.telegram.formatting import Piece, format_text, pack

log = logging.getLogger(__name__)

REQUIRED_TEXTS = ("tg_admin_only", "tg_reload_done", "tg_reload_failed", "tg_stats", "tg_slow_down",
                  "tg_private_only", "tg_unanswered_none", "tg_unanswered_heading", "tg_unanswered_line",
                  "tg_state_error")
UNANSWERED_SHOWN = 15  # one message: 15 questions of at most 500 characters stay under 4096 after packing


def is_admin(d: Runtime, update: Update) -> bool:
    user = update.effective_user
    return user is not None and user.id in d.service.settings.admins


async def _reply(update: Update, body: str) -> None:
    chat = update.effective_chat
    await need(update.effective_message, "message").reply_text(format_text(body),
                                              do_quote=chat is not None and chat.type != ChatType.PRIVATE)


async def _refused(update: Update, d: Runtime) -> bool:
    if is_admin(d, update):
        return False
    user = update.effective_user
    log.warning("refused an administrative command from user %s", user.id if user else "?")
    await _reply(update, text(d, await ui_language(d, update.effective_chat, user), "tg_admin_only"))
    return True


async def reload_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    d = deps(context)
    if await _refused(update, d):
        return
    lang = await ui_language(d, update.effective_chat, update.effective_user)
    old = d.service
    try:
        new = await asyncio.to_thread(d.reload)
    except ConfigError as exc:
        log.error("reload failed, keeping the running knowledge: %s", exc)
        await _reply(update, text(d, lang, "tg_reload_failed", reason=str(exc)))
        return
    except Exception as exc:  # an unexpected failure: keep serving with the old service
        log.exception("reload failed, keeping the running knowledge")
        await _reply(update, text(d, lang, "tg_reload_failed", reason=type(exc).__name__))
        return
    log.info("knowledge reloaded: %d articles (was %d)", len(new.kb.articles), len(old.kb.articles))
    await _reply(update, text(d, lang, "tg_reload_done", count=len(new.kb.articles),
                              before=len(old.kb.articles)))


def _uptime(seconds: float) -> str:
    seconds = int(seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    return (f"{days}d " if days else "") + f"{hours:02d}:{minutes:02d}:{secs:02d}"


async def stats_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    d = deps(context)
    if await _refused(update, d):
        return
    lang = await ui_language(d, update.effective_chat, update.effective_user)
    articles = d.service.kb.articles
    per_lang: dict[str, int] = {}
    for article in articles:
        per_lang[article.lang] = per_lang.get(article.lang, 0) + 1
    processor = context.application.update_processor
    slowed = getattr(processor, "warned", 0)
    dropped = getattr(processor, "dropped", 0)
    s = d.stats
    uncertain, waiting, queued = await _delivery_counts(d, context)
    await _reply(update, text(
        d, lang, "tg_stats", articles=len(articles),
        languages=", ".join(f"{code} {n}" for code, n in sorted(per_lang.items())),
        answered=s.answered, declined=s.declined, failed=s.failed, slowed=slowed, dropped=dropped,
        state_failures=ALARM.failures, uncertain=uncertain, waiting=waiting, queued=queued,
        uptime=_uptime(time.monotonic() - s.started)))


async def _delivery_counts(d: Runtime, context: ContextTypes.DEFAULT_TYPE) -> tuple[int, int, int]:
    """(replies that may not have arrived and were not resent, updates waiting in the inbox,
    replies waiting in the outbox): from the state store (all time), else since start."""
    delivery = context.application.bot_data.get("delivery")
    since_start = delivery.stats.uncertain if delivery is not None else 0
    if d.state is None:
        return since_start, 0, 0
    try:
        outbox, (waiting, _) = await state_call(d, "reading delivery counts",
                                                lambda s: (s.outbox_counts(), s.inbox_counts()), reading=True)
    except StateError:
        return since_start, 0, 0
    status = OutboxStatus
    return outbox.get(status.UNCERTAIN, 0), waiting, outbox.get(status.PENDING, 0) + outbox.get(status.SENDING, 0)


async def unanswered_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/unanswered [xx]: the most asked declined questions (optionally of one language)."""
    d = deps(context)
    if await _refused(update, d):
        return
    chat = update.effective_chat
    lang = await ui_language(d, chat, update.effective_user)
    if chat is None or chat.type != ChatType.PRIVATE:
        await _reply(update, text(d, lang, "tg_private_only"))
        return
    only = context.args[0].strip().lower() if context.args else None
    message = update.effective_message
    try:
        if d.state is None or message is None:
            raise StateError("unavailable", "no state store")
        rows = await state_call(d, "listing unanswered questions",
                                lambda s: s.unanswered(UNANSWERED_SHOWN, only), reading=True)
    except StateError:
        await _reply(update, text(d, lang, "tg_state_error"))
        return
    if not rows:
        await _reply(update, text(d, lang, "tg_unanswered_none"))
        return
    blocks = [[Piece(text(d, lang, "tg_unanswered_heading", count=len(rows)))]]
    for row in rows:
        line = text(d, lang, "tg_unanswered_line", count=row.count, language=row.lang, question=row.question,
                    last_seen=row.last_seen[:16].replace("T", " "))
        blocks.append([Piece("• "), Piece(line)])
    for chunk in pack(blocks):
        await message.reply_text(chunk)
