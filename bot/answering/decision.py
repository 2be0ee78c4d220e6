"""Why a question is declined: the one place that decides, and says why.

Two rules today, each with a short stable reason word that `bot ask --json`
prints as `"reason"` and the REPL's /why explains:

- `no_match`: no sentence shares a word (or a bridged term) with the question;
- `weak_evidence`: the best sentence's own BM25 score (without its chunk's
  share), its score or its chunk's coverage of the question falls under the
  `decline:` thresholds of config/settings.yaml;
- `needs_number`: a "how many / how much" question none of whose first quotes
  holds a number (answering/answer_type.py);
- `empty_question`: nothing to answer;
- `error`: answering raised (logged with its traceback).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.answering.answer_type import asks_quantity, has_number
from bot.answering.retrieval import Hit
from bot.core.config import DeclineSettings

NO_MATCH = "no_match"
WEAK_EVIDENCE = "weak_evidence"
NEEDS_NUMBER = "needs_number"
EMPTY_QUESTION = "empty_question"
ERROR = "error"  # answering failed (logged); the person gets the polite decline


@dataclass(frozen=True)
class Verdict:
    """Whether to answer; when not, the reason word."""

    answer: bool
    reason: str = ""


ANSWER = Verdict(True)


def judge_evidence(hits: list[Hit], settings: DeclineSettings) -> Verdict:
    """Strong enough evidence to quote at all, by the `decline:` thresholds."""
    if not hits:
        return Verdict(False, NO_MATCH)
    top = hits[0]
    if (top.score >= settings.min_score and top.coverage >= settings.min_coverage
            and top.sentence_score >= settings.min_sentence_score):
        return ANSWER
    return Verdict(False, WEAK_EVIDENCE)


def judge_answer_type(question: str, quotes: list[str], settings: DeclineSettings) -> Verdict:
    """A "how many" question is answered only by quotes that hold a number.

    ("How many employees does Bitwise have?" shares every content word with a
    sentence about Bitwise's employees, but no quote says how many.)
    """
    if settings.quantity_needs_number and asks_quantity(question) and not any(has_number(q) for q in quotes):
        return Verdict(False, NEEDS_NUMBER)
    return ANSWER
