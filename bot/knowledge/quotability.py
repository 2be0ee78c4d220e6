"""Which sentences may be quoted as an answer: not headings, titles, bylines,
captions, read-also links or calls to action (their shapes:
knowledge/line_shapes.py), nor a table's header row and rule
(knowledge/markdown_tables.py).  `Quotability` judges each sentence of a
knowledge base with its line; `quotable_all` / `notices_all` give every
sentence's at once as arrays, stored under `QUOTABILITY_VERSION`.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from bot.core.scripts import THAI
from bot.knowledge.chunking import is_thai_paragraph
from bot.knowledge.line_shapes import (
    _ACTIONS,
    _BULLET,
    _LABEL,
    _POLL,
    _READ_MORE,
    _SENTENCE_END,
    _TEMPLATES,
    SITE_NOTICES,
    _fold,
    _has_phrase,
    _short_line,
    _suspect_article,
    _suspect_part,
    ends_with_colon,
    is_caption,
    line_kind,
)
from bot.knowledge.markdown_tables import table_place

# what a stored quotable mask depends on (knowledge/derived.py): the rules of these
# files, read in this order
_RULE_FILES = ("line_shapes.py", "markdown_tables.py", "quotability.py")
QUOTABILITY_VERSION = hashlib.sha256(
    b"".join(Path(__file__).with_name(name).read_bytes() for name in _RULE_FILES)).hexdigest()[:16]


class Quotability:
    """Memoised `line_kind` of the sentences of one KnowledgeBase."""

    def __init__(self, kb) -> None:
        self.kb = kb
        self._kind: dict[int, str] = {}
        self._lines: dict[int, str] = {}  # first sentence of a line cut in parts -> its kind as a whole
        self._thai: dict[str, bool] = {}

    def kind(self, i: int) -> str:
        found = self._kind.get(i)
        if found is None:
            found = self._kind[i] = self._compute(i)
        return found

    def _compute(self, i: int) -> str:
        kb = self.kb
        sentences = kb.sentences
        s = sentences[i]

        def same_line(j: int) -> bool:
            return 0 <= j < len(sentences) and sentences[j].article_id == s.article_id \
                and sentences[j].paragraph == s.paragraph

        alone = not (same_line(i - 1) or same_line(i + 1))
        title = kb.by_id[s.article_id].title
        a, b = i, i
        while same_line(a - 1):
            a -= 1
        while same_line(b + 1):
            b += 1
        first_line = a == 0 or sentences[a - 1].article_id != s.article_id
        line = kb.by_id[s.article_id].text[sentences[a].start:sentences[b].end]
        if "|" in line:
            # a Markdown table's line, with or without outer pipes: its rows are data,
            # its header and rule are not (the rule under the header says it is one).
            # A "|" line outside a table is judged by its shape (a byline, a menu).
            role, _ = table_place(kb.by_id[s.article_id].text, s.start)
            if role:
                return "" if role == "row" else "heading"
        if not alone:
            whole = self._whole_line(a, b, line, title, first_line)
            if whole:
                return whole
        elif is_caption(line):  # "*… in the games room (photo Claire Vautrin)*", one sentence
            return "caption"
        kind = line_kind(s.text, title, alone, first_line, line)
        if not kind and alone and not first_line and _BULLET.match(s.text) \
                and not _SENTENCE_END.search(s.text.rstrip()) and self._under_label(a - 1):
            # an item of a list right under "Lire aussi :" (or under another such item)
            return "link"
        return kind

    def _under_label(self, j: int) -> bool:
        """Whether sentence `j` is a bare label line ("Lire aussi :", nothing after
        the colon: a list follows) or an item of the list under one.  ("ที่เกี่ยวข้อง:
        3 สิ่งจำเป็น…" is a link itself; the numbered heading after it is not in a list.)"""
        kind, text = self.kind(j), self.kb.sentences[j].text
        if kind == "heading":  # "Related stories": the read-more labels, a word after them at most
            folded = _fold(text)
            return any(folded == x or (folded.startswith(x + " ") and folded.count(" ") <= x.count(" ") + 1)
                       for x in _READ_MORE)
        return kind == "link" or (kind == "label" and ends_with_colon(text))

    def _whole_line(self, first: int, last: int, line: str, title: str, first_line: bool) -> str:
        """The kind a line cut in parts takes as a whole, '' when its parts are
        judged one by one (memoised by its first sentence).

        A line cut in parts ("Lire aussi : Pont ou tunnel ? Le débat…" at its
        question mark, a Thai "อ่านเพิ่มเติม: …" line at its spaces) has no part
        alone on its line, so the line's own shape decides for all of them when
        it is a caption (`is_caption`), a label line or a byline.  A Thai line has no sentence punctuation
        at all, so a call to action or the title cut at a space are judged whole
        too; anywhere, an invitation to comment or share makes the line an action,
        and so do questions that only lead to a call to action ("Enjoyed this
        article? Subscribe to our newsletter, click here.", "Found this article
        useful? Share it and subscribe to … so you never miss the news")."""
        found = self._lines.get(first)
        if found is None:
            whole = line_kind(line, title, True, first_line, line)
            if is_caption(line):  # its description and its credit: never the answer
                found = "caption"
            elif _POLL.match(line):  # a feedback poll and what follows it on its line
                found = "action"
            elif whole in (("label", "action", "byline", "title", "link") if is_thai_paragraph(line)
                           else ("label", "byline", "link")):
                found = whole
            elif whole == "heading" and line.lstrip().startswith("#"):  # a Markdown heading cut in parts
                found = whole
            elif whole == "action" and _has_phrase(line, _TEMPLATES) and _short_line(line):
                found = whole
            elif whole == "action" and _short_line(line) and all(
                    _has_phrase(x.text, _ACTIONS) or x.text.rstrip().endswith(("?", "？"))
                    for x in self.kb.sentences[first:last + 1]):
                found = whole
            else:
                found = ""
            self._lines[first] = found
        return found

    def has_thai(self, article_id: str) -> bool:
        """Whether an article holds Thai text, whose lines are cut at spaces
        (knowledge/chunking.py): its sentences are never decided by length alone."""
        found = self._thai.get(article_id)
        if found is None:
            found = self._thai[article_id] = bool(THAI.search(self.kb.by_id[article_id].text))
        return found

    def quotable(self, i: int) -> bool:
        return not self.kind(i)

    def notices_all(self) -> np.ndarray:
        """Whether each sentence is part of a site notice: a line holding one of
        SITE_NOTICES, every sentence of it ("Envie de réagir ? Cet espace est le
        vôtre.").  Only the sentences of articles that hold one are looked at."""
        kb = self.kb
        out = np.zeros(len(kb.sentences), dtype=bool)
        holding = {a.id for a in kb.articles if SITE_NOTICES.search(a.text)}
        if holding:
            lines = {(s.article_id, s.paragraph) for s in kb.sentences
                     if s.article_id in holding and SITE_NOTICES.search(s.text)}
            for i, s in enumerate(kb.sentences):
                if (s.article_id, s.paragraph) in lines:
                    out[i] = True
        return out

    def quotable_all(self) -> np.ndarray:
        """`quotable` of every sentence.  Most sentences share their line with another
        and are longer than their article's title: those are quotable unless their
        line opens with a label or is a byline, which only the line's first sentence
        can show, so they are decided here with array operations and one check per
        line; the others one by one (0.6 s of Python per index version at 1,500
        articles was spent on the common case)."""
        kb = self.kb
        n = len(kb.sentences)
        article, spans = kb.arrays.sentence_article, kb.arrays.sentence_spans
        same_prev = np.zeros(n, dtype=bool)  # the previous sentence is on the same line (article, paragraph)
        if n > 1:
            same_prev[1:] = (article[1:] == article[:-1]) & (spans[1:, 2] == spans[:-1, 2])
        same_next = np.zeros(n, dtype=bool)
        same_next[:-1] = same_prev[1:]
        title_chars = np.array([len(a.title) for a in kb.articles], dtype=np.int64)
        thai = np.array([self.has_thai(a.id) for a in kb.articles], dtype=bool)  # cut at spaces: one by one
        common = (same_prev | same_next) & (spans[:, 1] - spans[:, 0] > title_chars[article]) & ~thai[article]
        line_of = np.cumsum(~same_prev) - 1  # line number of every sentence
        sentences = kb.sentences
        # A label opens its line; a "|", an invitation to share or a credit ("© …",
        # "(Photo: …)", a sentence of its own) may be in any part of it: only the
        # articles holding one are looked at sentence by sentence.
        suspect = [int(line_of[i]) for i in np.flatnonzero(same_next & ~same_prev).tolist()
                   if _LABEL.match(sentences[i].text) or sentences[i].text.lstrip().startswith("#")]
        flagged = np.array([_suspect_article(a.text) for a in kb.articles], dtype=bool)
        # (every part of a line is looked at: a short credit, "Photo: Tom Treloar*", after a long
        # description makes its whole line a caption)
        suspect += [int(line_of[i]) for i in np.flatnonzero((same_prev | same_next) & flagged[article]).tolist()
                    if _suspect_part(sentences[i].text)]
        if suspect:  # a line that may be a label line or a byline: its parts one by one
            common &= ~np.isin(line_of, suspect)
        out = np.ones(n, dtype=bool)
        for i in np.flatnonzero(~common).tolist():
            out[i] = self.quotable(i)
        return out
