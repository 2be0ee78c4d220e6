"""`bot eval`: Hit@1, Hit@3, MRR and decline rate per language and per kind.

Same rules as the independent scorer (../shared/eval/score.py): a passage is a
hit when, lower-cased and with white space collapsed, it contains one of the
item's `expect` snippets; unanswerable items count as declined when
`answered` is false.  It also checks every quoted passage is verbatim.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from bot.answering.service import QAService


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower()).strip()


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class Tally:
    n: int = 0
    hit1: int = 0
    hit3: int = 0
    rr: float = 0.0
    unanswerable: int = 0
    declined: int = 0


@dataclass
class Report:
    rows: dict[tuple[str, str], Tally] = field(default_factory=lambda: defaultdict(Tally))
    quoted: int = 0
    verbatim: int = 0
    misses: list[str] = field(default_factory=list)

    def table(self) -> str:
        def pct(x: float, n: int) -> str:
            return f"{100 * x / n:6.1f}" if n else "     -"

        lines = [f"{'slice':<20}{'n':>4}{'Hit@1':>7}{'Hit@3':>7}{'MRR':>7}{'unans':>6}{'declined':>9}"]
        for key in sorted(self.rows, key=lambda k: (k[0] != "all", k[0], k[1])):
            t = self.rows[key]
            name = key[0] if key[0] == "all" else f"{key[0]}:{key[1]}"
            mrr = f"{t.rr / t.n:7.3f}" if t.n else "      -"
            lines.append(f"{name:<20}{t.n:>4}{pct(t.hit1, t.n):>7}{pct(t.hit3, t.n):>7}{mrr}"
                         f"{t.unanswerable:>6}{pct(t.declined, t.unanswerable):>9}")
        verb = 100 * self.verbatim / self.quoted if self.quoted else 100.0
        lines.append(f"verbatim passages: {self.verbatim}/{self.quoted} ({verb:.1f}%)")
        return "\n".join(lines)


def evaluate(service: QAService, items: list[dict]) -> Report:
    report = Report()
    articles = [_squash(a.text) for a in service.kb.articles]
    for item in items:
        answer = service.ask(item["question"])
        keys = [("all", ""), ("lang", item.get("lang", "?")), ("kind", item.get("kind", "?"))]
        if answer.answered:
            for p in answer.passages:
                report.quoted += 1
                report.verbatim += any(_squash(p.text) in art for art in articles)
        if item["answerable"]:
            expect = [_norm(e) for e in item["expect"]]
            rank = next((k + 1 for k, p in enumerate(answer.passages)
                         if any(e in _norm(p.text) for e in expect)), None) if answer.answered else None
            for key in keys:
                t = report.rows[key]
                t.n += 1
                t.hit1 += rank == 1
                t.hit3 += rank is not None and rank <= 3
                t.rr += 1.0 / rank if rank else 0.0
            if rank != 1:
                report.misses.append(f"{item.get('id')} [{item.get('kind')}] rank={rank} {item['question']}")
        else:
            for key in keys:
                t = report.rows[key]
                t.unanswerable += 1
                t.declined += not answer.answered
            if answer.answered:
                report.misses.append(f"{item.get('id')} [unanswerable] answered: {item['question']}")
    return report


class EvalFileError(ValueError):
    """The QA set cannot be scored; `problems` names each rejected line and key."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


MAX_REPORTED = 20  # a file of another format fails on every line: the first ones say enough


def item_problems(item: object) -> list[tuple[str, str]]:
    """(key, what is wrong) for one parsed line; [] when it can be scored.

    Silently scoring an item without `answerable` or `expect` as a miss would
    hide a broken file behind a bad score, so both are required.
    """
    if not isinstance(item, dict):
        return [("", f"expected a JSON object, got {type(item).__name__}")]
    found = []
    question = item.get("question")
    if not isinstance(question, str) or not question.strip():
        found.append(("question", "missing or not a non-empty string"))
    answerable = item.get("answerable")
    if not isinstance(answerable, bool):
        found.append(("answerable", "missing or not true/false"))
    expect = item.get("expect")
    if answerable is True and not (isinstance(expect, list) and expect
                                   and all(isinstance(e, str) and e.strip() for e in expect)):
        found.append(("expect", "an answerable item needs a non-empty list of non-empty strings"))
    elif expect is not None and not isinstance(expect, list):
        found.append(("expect", "must be a list of strings"))
    for key in ("lang", "kind", "id"):
        if key in item and not isinstance(item[key], str):
            found.append((key, "must be a string"))
    return found


def load_items(path: Path) -> list[dict]:
    """The items of a JSON Lines QA set; EvalFileError naming every bad line and key."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise EvalFileError([f"{path}: cannot read the QA set ({exc})"]) from None
    items, problems = [], []
    # Lines end at "\n" only, as in JSON Lines: str.splitlines() also cut at U+2028,
    # U+0085 or a form feed, which json.dumps(..., ensure_ascii=False) leaves raw inside
    # strings, so a valid line was rejected and the lines after it misnumbered.  Each
    # line is decoded alone, so a byte that is not UTF-8 is reported with its line.
    for number, raw in enumerate(data.split(b"\n"), 1):
        try:
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            problems.append(f"{path}:{number}: not UTF-8 (byte {exc.start + 1} of the line: {exc.reason})")
            continue
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"{path}:{number}: not JSON ({exc.msg})")
            continue
        found = item_problems(item)
        problems += [f"{path}:{number}: " + (f"key '{key}': " if key else "") + why for key, why in found]
        if not found:
            items.append(item)
    if not items and not problems:
        problems.append(f"{path}: no questions in the file")
    if problems:
        shown = problems[:MAX_REPORTED]
        if len(problems) > MAX_REPORTED:
            shown.append(f"… and {len(problems) - MAX_REPORTED} more problems")
        raise EvalFileError(shown)
    return items
