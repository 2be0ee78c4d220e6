"""HTML for Telegram: answers, passages and lists, escaped and within 4096 characters.

Why HTML and not Markdown: HTML needs only `&`, `<` and `>` escaped, so any
article or user text is safe after `html.escape`; MarkdownV2 would need a
dozen characters escaped and breaks on the first miss.

Every function here returns complete messages: tags balanced, every piece
of quoted or user-supplied text escaped, and each message at most
`MAX_CHARS` long counted in UTF-16 code units (how Telegram counts), on the
raw HTML (which is never shorter than the text Telegram shows).  Long texts
are shortened on plain-text boundaries before escaping, never inside a tag
or an entity.

`format_answer` is shared with the FAQ poster (bot/faq/), so a scheduled
post looks exactly like a reply in chat.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape as _escape

from bot.answering.answer import Answer, Part, Passage, framed
from bot.core.messages import Messages

MAX_CHARS = 4096
ELLIPSIS = "…"


def escape(text: str) -> str:
    """Text made safe for Telegram's HTML mode (only &, < and > matter there)."""
    return _escape(text, quote=False)


def tg_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True)
class Piece:
    """A run of plain text, rendered escaped and optionally inside one tag."""

    text: str
    tag: str | None = None  # "b", "i", "blockquote", "code"

    def render(self, text: str | None = None) -> str:
        body = escape(self.text if text is None else text)
        return f"<{self.tag}>{body}</{self.tag}>" if self.tag else body


def shorten(piece: Piece, budget: int) -> str:
    """`piece` rendered within `budget` UTF-16 units, cut at a word if it can be."""
    full = piece.render()
    if tg_len(full) <= budget:
        return full
    overhead = tg_len(piece.render("")) + tg_len(ELLIPSIS)
    if budget <= overhead:
        return ""
    text = piece.text
    keep = budget - overhead
    while keep > 0:
        cut = text[:keep]
        space = cut.rfind(" ")
        if space > keep * 0.6:
            cut = cut[:space]
        rendered = piece.render(cut.rstrip() + ELLIPSIS)
        if tg_len(rendered) <= budget:
            return rendered
        keep -= max(1, tg_len(rendered) - budget)
    return ""


def render_pieces(pieces: list[Piece], limit: int = MAX_CHARS) -> str:
    """Pieces joined into one message of at most `limit`: the longest pieces shrink first."""
    rendered = [p.render() for p in pieces]
    total = sum(tg_len(r) for r in rendered)
    while total > limit:
        i = max(range(len(pieces)), key=lambda k: tg_len(rendered[k]))
        others = total - tg_len(rendered[i])
        budget = max(0, limit - others)
        new = shorten(pieces[i], budget)
        if new == rendered[i]:  # nothing left to cut here: drop it
            new = ""
        rendered[i] = new
        total = others + tg_len(new)
    return "".join(rendered)


def pack(blocks: list[list[Piece]], limit: int = MAX_CHARS, separator: str = "\n") -> list[str]:
    """Blocks (each a line or paragraph) packed greedily into as few messages as fit."""
    messages: list[str] = []
    current = ""
    for block in blocks:
        text = render_pieces(block, limit)
        if not text:
            continue
        candidate = f"{current}{separator}{text}" if current else text
        if tg_len(candidate) <= limit:
            current = candidate
        else:
            if current:
                messages.append(current)
            current = text
    if current:
        messages.append(current)
    return messages


_TAGS: dict[str, str | None] = {"text": None, "quote": "blockquote", "title": "b"}


def _pieces(parts: list[Part]) -> list[Piece]:
    """Framing as plain runs, quotes as blockquotes, titles in bold.

    Adjacent framing parts make one run: a run is what `render_pieces` shortens
    as a whole, and a line break alone is no piece worth shortening.
    """
    pieces: list[Piece] = []
    for part in parts:
        tag = _TAGS[part.kind]
        if not part.text:
            continue
        if tag is None and pieces and pieces[-1].tag is None:
            pieces[-1] = Piece(pieces[-1].text + part.text)
        else:
            pieces.append(Piece(part.text, tag))
    return pieces


def format_answer(answer: Answer, messages: Messages | None = None, heading: str | None = None,
                  limit: int = MAX_CHARS) -> str:
    """One Telegram HTML message for `answer` (what `bot ask` prints, with markup).

    The quotes become blockquotes and the article title bold; `heading` (e.g.
    an FAQ question) is shown in bold on top.  Everything is escaped and the
    result is at most `limit` long: quotes are shortened first if needed.
    `messages` is accepted for callers that add framing; the answer's own
    text already carries its framing in its language.
    """
    pieces: list[Piece] = []
    if heading:
        pieces += [Piece(heading, "b"), Piece("\n\n")]
    pieces += _pieces(answer.parts) if answer.answered else [Piece(answer.text)]
    return render_pieces(pieces, limit)


def format_passage(passage: Passage, messages: Messages, lang: str, limit: int = MAX_CHARS) -> str:
    """One quote and its article, as an inline result sends it."""
    parts = [Part(passage.text, "quote"), *framed(messages, lang, "from_article", passage.title)]
    return render_pieces(_pieces(parts), limit)


def format_text(text: str, limit: int = MAX_CHARS) -> str:
    """A plain configured or user text, escaped and within the limit."""
    return render_pieces([Piece(text)], limit)
