"""Inline mode: `@bot question` in any chat offers the quotes to send.

One `InlineQueryResultArticle` per passage (best first, at most
`chat.inline_results` in settings.yaml); choosing one sends that quote with its article's title.
Nothing found: no results, and a button that opens a private chat with `/start inline`
(handlers.start explains inline mode there).
"""

from __future__ import annotations

import asyncio
import hashlib

from telegram import InlineQueryResultArticle, InlineQueryResultsButton, InputTextMessageContent, Update
from telegram.ext import ContextTypes

from bot.telegram.chat import deps, need, text, user_hint
from bot.telegram.formatting import format_passage
from bot.telegram.handlers import INLINE_START

CACHE_SECONDS = 60
DESCRIPTION_CHARS = 120


async def inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    d = deps(context)
    query = need(update.inline_query, "inline query")
    question = (query.query or "").strip()[:d.settings.chat.max_question_chars]
    if not question:
        await query.answer([], cache_time=CACHE_SECONDS, is_personal=True)
        return
    hint = user_hint(query.from_user)
    answer = await asyncio.to_thread(d.service.ask, question, None, hint)
    results = []
    for i, passage in enumerate(answer.passages[:d.settings.chat.inline_results]):
        digest = hashlib.sha1(f"{passage.article}:{passage.text}".encode()).hexdigest()[:16]
        description = passage.text if len(passage.text) <= DESCRIPTION_CHARS else \
            passage.text[:DESCRIPTION_CHARS - 1].rstrip() + "…"
        results.append(InlineQueryResultArticle(
            id=f"{i}-{digest}",
            title=passage.title,
            description=description,
            input_message_content=InputTextMessageContent(format_passage(passage, d.service.messages, answer.lang)),
        ))
    button = None
    if not results:
        button = InlineQueryResultsButton(text(d, answer.lang, "tg_inline_nothing")[:64],
                                          start_parameter=INLINE_START)
    await query.answer(results, cache_time=CACHE_SECONDS, is_personal=True, button=button)
