"""/sources: the articles, one message with page buttons.

The list is grouped by language (the reader's language first) and sorted by
title; a page holds `chat.sources_page_size` articles (config/settings.yaml).
With more than one page the message carries buttons (« first, ‹ previous,
the page number, › next, » last); pressing one edits the same message in place,
so 20,000 articles are one message, not 76.  The callback data carries the
language the list was shown in, so a group's page turns keep its order and
texts whoever presses; a page number past the end (the knowledge shrank after
/reload) shows the last page.
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, TelegramError
from telegram.ext import ContextTypes

from bot.telegram.chat import Runtime, deps, need, text, ui_language
from bot.telegram.formatting import MAX_CHARS, Piece, render_pieces, shorten, tg_len

log = logging.getLogger(__name__)

CALLBACK_PREFIX = "sources:"


def ordered(d: Runtime, lang: str) -> list:
    """Every article, those in `lang` first, then by language code, then by title
    (the knowledge sorts them once; a page only puts the reader's language first)."""
    groups = d.service.kb.by_language()
    return [*groups.get(lang, ()), *(a for code, group in groups.items() if code != lang for a in group)]


def page_count(total: int, size: int) -> int:
    return max(1, -(-total // size))


def render_page(d: Runtime, lang: str, page: int) -> tuple[str, InlineKeyboardMarkup | None, int]:
    """The HTML of page `page` (clamped to the pages there are), its buttons, and the page shown."""
    articles = ordered(d, lang)
    size = d.settings.chat.sources_page_size
    pages = page_count(len(articles), size)
    page = min(max(page, 0), pages - 1)
    fixed = [Piece(text(d, lang, "tg_sources_heading", count=len(articles)))]
    if pages > 1:
        fixed += [Piece("\n"), Piece(text(d, lang, "tg_sources_page", page=page + 1, pages=pages), "i")]
    lines: list[tuple[str, str]] = []  # (rendered lead: language heading and bullet, title)
    current = None
    for article in articles[page * size:(page + 1) * size]:
        lead = "\n• "
        if article.lang != current:
            current = article.lang
            lead = "\n\n" + Piece(d.service.messages.language_name(current), "b").render() + lead
        lines.append((lead, article.title))
    return fit(fixed, lines), keyboard(lang, page, pages), page


def fit(fixed: list[Piece], lines: list[tuple[str, str]], limit: int = MAX_CHARS) -> str:
    """Heading and lines in one message of at most `limit`: when the titles are too long
    together, each gets an equal share of the room left (short titles keep their length,
    long ones are cut at a word), so no title is dropped in favour of another."""
    head = render_pieces(fixed, limit // 2)  # a very long translated heading cannot crowd out the list
    room = limit - tg_len(head) - sum(tg_len(lead) for lead, _ in lines)
    rendered = [Piece(title).render() for _, title in lines]
    if sum(tg_len(r) for r in rendered) > room:
        order = sorted(range(len(lines)), key=lambda i: tg_len(rendered[i]))
        left = max(0, room)
        for done, i in enumerate(order):
            share = left // (len(order) - done)
            if tg_len(rendered[i]) > share:
                rendered[i] = shorten(Piece(lines[i][1]), share)
            left -= tg_len(rendered[i])
    body = [lead + title for (lead, _), title in zip(lines, rendered)]
    while body and tg_len(head) + sum(tg_len(b) for b in body) > limit:  # only with absurd language names
        body.pop()
    return head + "".join(body)


def keyboard(lang: str, page: int, pages: int) -> InlineKeyboardMarkup | None:
    if pages <= 1:
        return None

    def button(label: str, target: int) -> InlineKeyboardButton:
        return InlineKeyboardButton(label, callback_data=f"{CALLBACK_PREFIX}{lang}:{target}")

    row = []
    if page > 1:
        row.append(button("« 1", 0))
    if page > 0:
        row.append(button("‹", page - 1))
    row.append(button(f"{page + 1}/{pages}", page))
    if page < pages - 1:
        row.append(button("›", page + 1))
    if page < pages - 2:
        row.append(button(f"{pages} »", pages - 1))
    return InlineKeyboardMarkup([row])


async def sources_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/sources: the first page (threaded in groups)."""
    d = deps(context)
    chat = update.effective_chat
    lang = await ui_language(d, chat, update.effective_user)
    html, markup, _ = render_page(d, lang, 0)
    await need(update.effective_message, "message").reply_text(html, reply_markup=markup,
                                              do_quote=chat is not None and chat.type != ChatType.PRIVATE)


def parse(data: str | None) -> tuple[str, int] | None:
    """("fr", 3) from "sources:fr:3"; None when malformed."""
    lang, _, page = (data or "").removeprefix(CALLBACK_PREFIX).partition(":")
    if not lang or not page.isdigit() or len(page) > 9:
        return None
    return lang, int(page)


async def page_chosen(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A page button: the same message edited in place to show that page."""
    d = deps(context)
    query = need(update.callback_query, "callback query")
    parsed = parse(query.data)
    try:
        if parsed is None or query.message is None or not query.message.is_accessible:
            return
        lang, page = parsed
        if lang not in d.service.messages.texts:
            lang = await ui_language(d, update.effective_chat, update.effective_user)
        html, markup, _ = render_page(d, lang, page)
        try:
            await query.edit_message_text(html, reply_markup=markup)
        except BadRequest as exc:
            if "not modified" not in str(exc).lower():  # the page button shows the page already there
                raise
    except TelegramError as exc:  # the message may be gone or too old to edit
        log.info("could not turn a /sources page in chat %s: %s", getattr(update.effective_chat, "id", "?"), exc)
    finally:
        await query.answer()
