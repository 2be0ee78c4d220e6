"""The answer records the adapters read: verbatim quotes, framing and titles as parts.

An answer is kept as parts (framing, quotes, the article title) and its text
is their concatenation: the adapters style the parts they receive instead of
searching the rendered text for a quote, which finds the wrong place as soon
as the quoted words also occur earlier (in the framing or in another quote).
The records live apart from the composer that fills them so that the
adapters (CLI, REPL, Telegram, scheduled FAQ) read them without importing the
decisions behind them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from bot.core.messages import Messages


@dataclass(frozen=True)
class Passage:
    """A verbatim quote and where it comes from (`start`: its offset in the
    article's text, for answering/passages.py; not part of the `--json` contract)."""

    text: str
    article: str
    title: str
    lang: str
    score: float
    start: int = field(default=-1, compare=False, repr=False)


PartKind = Literal["text", "quote", "title"]


@dataclass(frozen=True)
class Part:
    """One run of an answer: framing text, a verbatim quote, or an article's title.

    A quote's `text` is the passage alone (a table row under its table's
    header row, both verbatim lines of the article); in the plain answer it
    stands between “ ”, and an adapter may set it its own way (a blockquote,
    the reply language's quotation marks) without looking for it in the text.
    """

    text: str
    kind: PartKind = "text"

    @property
    def plain(self) -> str:
        """The part as the plain answer text shows it."""
        return f"“{self.text}”" if self.kind == "quote" else self.text


def framed(messages: Messages, lang: str, key: str, title: str) -> list[Part]:
    """The message `key` with its `{title}` placeholder(s) as title parts.

    A title cannot be found back by searching the line: it may also be a word
    of the framing or of the language names that follow it.
    """
    sentinel = "\x00"
    out: list[Part] = []
    for k, run in enumerate(messages.get(lang, key, title=sentinel).split(sentinel)):
        if k:
            out.append(Part(title, "title"))
        if run:
            out.append(Part(run))
    return out


@dataclass
class Answer:
    """What `bot ask --json` prints and what every adapter renders."""

    lang: str
    answered: bool
    parts: list[Part]  # the text, as framing, quotes and title (see `text`)
    passages: list[Passage] = field(default_factory=list)
    also_in: list[str] = field(default_factory=list)  # other languages of the top article
    reason: str = ""  # why it was declined (answering/decision.py); "" when answered
    sure: bool = True  # answered on strong evidence; False: framed as unsure (`intro_unsure`)
    # the name (`unknown_name`, `name_elsewhere`) or the list's item (`needs_item`) a
    # decline is about; not in --json
    missing: str = ""

    @property
    def text(self) -> str:
        """The plain answer: the parts joined, each quote between “ ”."""
        return "".join(p.plain for p in self.parts)

    def to_json(self) -> dict:
        out = {
            "lang": self.lang,
            "answered": self.answered,
            "text": self.text,
            "passages": [
                {"text": p.text, "article": p.article, "title": p.title, "lang": p.lang,
                 "score": round(p.score, 4)} for p in self.passages
            ],
        }
        if not self.answered:
            out["reason"] = self.reason
        return out
