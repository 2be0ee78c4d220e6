"""Unanswered questions: the declined questions kept for the people who write the articles.

Separate from `bot/core/state.py`, which opens the file and creates the schema: the
`unanswered` table's SQL, the key that makes two spellings one question, and the
record `bot unanswered` prints.  Mixed into `State` (and so `PgState`), relying on
nothing but its `execute` and `read`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from bot.core.statements import Statements

UNANSWERED_TEXT_CHARS = 500  # a stored question is cut here (Telegram allows 4096)


@dataclass(frozen=True)
class Unanswered:
    """One declined question: as last asked, its language, how often, first and last time."""

    question: str
    lang: str
    count: int
    first_seen: str
    last_seen: str

    def to_json(self) -> dict[str, Any]:
        return {"question": self.question, "lang": self.lang, "count": self.count,
                "first_seen": self.first_seen, "last_seen": self.last_seen}


def normalise_question(text: str) -> str:
    """The key that makes "Why 5 stars?" and "why  5 stars" one question."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"[\s\u200b]+", " ", text).strip()
    return text.strip(" ?!.¿¡…。？！")


class UnansweredStore(Statements):
    """`State`'s calls that count and list declined questions."""


    # -- unanswered questions ---------------------------------------------------------
    def record_unanswered(self, question: str, lang: str, keep: int) -> None:
        """Count one declined question; keep at most `keep` distinct ones (the least asked,
        then the oldest, go first), so a flood of odd texts cannot grow the file without bound."""
        text = " ".join(question.split())[:UNANSWERED_TEXT_CHARS]
        key = normalise_question(text)
        if not key:
            return
        self.execute(
            "INSERT INTO unanswered (norm, lang, question, count, first_seen, last_seen) "
            "VALUES (?, ?, ?, 1, strftime('%Y-%m-%dT%H:%M:%fZ','now'), strftime('%Y-%m-%dT%H:%M:%fZ','now')) "
            "ON CONFLICT(norm, lang) DO UPDATE SET count = unanswered.count + 1, question = excluded.question, "
            "last_seen = excluded.last_seen",
            (key, lang, text))
        total = self.execute("SELECT COUNT(*) FROM unanswered").fetchone()
        if total and total[0] > keep:
            self.execute(
                "DELETE FROM unanswered WHERE (norm, lang) IN (SELECT norm, lang FROM unanswered "
                "ORDER BY count ASC, last_seen ASC LIMIT ?)", (total[0] - keep,))

    def unanswered(self, limit: int = 20, lang: str | None = None) -> list[Unanswered]:
        """The most asked declined questions, most asked first (then the most recent)."""
        sql = "SELECT question, lang, count, first_seen, last_seen FROM unanswered"
        params: tuple = ()
        if lang:
            sql += " WHERE lang = ?"
            params = (lang,)
        rows = self.read(sql + " ORDER BY count DESC, last_seen DESC LIMIT ?", (*params, limit)).fetchall()
        return [Unanswered(*row) for row in rows]
