"""Administrative commands: /reload and /stats, for the user ids in `admins:` only.

`config/settings.yaml` lists the Telegram user ids allowed (`admins: [123]`);
anyone else gets a polite refusal (`tg_admin_only`) and nothing happens.  The
commands are not in the public command menu.

- /reload re-reads config/ and knowledge/ (`Runtime.reload`) in a thread
  and swaps the service in one assignment (for handlers, inline mode and FAQ
  posts alike): questions in flight finish on the
  old one, nothing restarts.  If the new config or knowledge is broken, the
  old service stays and the admin sees the one-line reason.
- /stats: articles per language, questions answered and declined, failures,
  users slowed down, uptime.
"""

from __future__ import annotations

import asyncio
import logging
import time

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from bot.core.errors import ConfigError
from bot.telegram.chat import Runtime, deps, text, ui_language
from bot.telegram.formatting import format_text

log = logging.getLogger(__name__)

REQUIRED_TEXTS = ("tg_admin_only", "tg_reload_done", "tg_reload_failed", "tg_stats", "tg_slow_down")


def is_admin(d: Runtime, update: Update) -> bool:
    user = update.effective_user
    return user is not None and user.id in d.service.settings.admins


async def _reply(update: Update, body: str) -> None:
    chat = update.effective_chat
    await update.effective_message.reply_text(format_text(body),
                                              do_quote=chat is not None and chat.type != ChatType.PRIVATE)


async def _refused(update: Update, d: Runtime) -> bool:
    if is_admin(d, update):
        return False
    user = update.effective_user
    log.warning("refused an administrative command from user %s", user.id if user else "?")
    await _reply(update, text(d, ui_language(d, update.effective_chat, user), "tg_admin_only"))
    return True


async def reload_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    d = deps(context)
    if await _refused(update, d):
        return
    lang = ui_language(d, update.effective_chat, update.effective_user)
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
    lang = ui_language(d, update.effective_chat, update.effective_user)
    articles = d.service.kb.articles
    per_lang: dict[str, int] = {}
    for article in articles:
        per_lang[article.lang] = per_lang.get(article.lang, 0) + 1
    processor = context.application.update_processor
    slowed = getattr(processor, "warned", 0)
    dropped = getattr(processor, "dropped", 0)
    s = d.stats
    await _reply(update, text(
        d, lang, "tg_stats", articles=len(articles),
        languages=", ".join(f"{code} {n}" for code, n in sorted(per_lang.items())),
        answered=s.answered, declined=s.declined, failed=s.failed, slowed=slowed, dropped=dropped,
        uptime=_uptime(time.monotonic() - s.started)))
