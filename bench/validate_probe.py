#!/usr/bin/env python3
"""Checks a question set before anyone runs the bot on it (answers nothing; reads the
articles with the bot's own reader).

    python3 bench/validate_probe.py SET.jsonl FOLDER [SET.jsonl FOLDER ...]

Each line of a set is {"id", "lang", "kind", "question", "answerable", "expect",
"article"}, the format of ../shared/eval/*.jsonl that score.py reads.  Checked:
the seven keys, unique ids, known languages and kinds; an answerable question
names an article of FOLDER (file stem) and expects strings of at least 25
characters that are exact substrings of that article, all within one sentence
(a line break or ". ! ? …" before a space; in Thai a line break);
an unanswerable one has no article and no expects; a cross-language question is
not in its article's language and not aimed at a translated pair (either
version would answer it); every article's front matter has a title, a known
lang, and a `translation_of` naming another article of the folder in another
language.  Exits 1 and lists the problems when there are any.

Used for the fresh probes (bench/fresh_probe4-8*.jsonl and their folders), each
written by a helper before any run.
"""
from __future__ import annotations

import collections
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bot.knowledge.corpus import ArticleError, parse_article  # noqa: E402  (the repository's own reader)

LANGS = {"fr", "sw", "th", "en"}
KINDS = {"direct", "short", "paraphrase", "cross", "noisy", "unanswerable"}
KEYS = {"id", "lang", "kind", "question", "answerable", "expect", "article"}
THAI = re.compile(r"[\u0e00-\u0e7f]")
SENTENCE_END = re.compile(r"[.!?…](?=\s)|\n")


def read_article(path: Path) -> tuple[dict[str, str], str]:
    """(title, lang, translation_of; body) as the bot reads the file (bot/knowledge/corpus.py),
    so the check agrees with what gets indexed; a language the bot would detect is "und"."""
    article = parse_article(path, path.read_text(encoding="utf-8"), lambda _body: "und")
    fields = {"title": article.title, "lang": article.lang}
    if article.group != article.id:
        fields["translation_of"] = article.group
    return fields, article.text


def in_one_sentence(body: str, start: int, end: int) -> bool:
    """No sentence end inside the span (Thai, cut at spaces and joined again by the
    bot's splitter, is only held to line breaks)."""
    span = body[start:end]
    ends = re.compile(r"\n") if THAI.search(span) else SENTENCE_END
    return not ends.search(span[:-1])


def check_folder(folder: Path, problems: list[str]) -> dict[str, tuple[dict[str, str], str]]:
    articles = {}
    for p in sorted(folder.iterdir()):
        if p.suffix in (".md", ".txt"):
            try:
                articles[p.stem] = read_article(p)
            except ArticleError as exc:
                problems.append(f"{p}: {exc}")
    for stem, (fields, _body) in articles.items():
        if not fields.get("title"):
            problems.append(f"{folder / stem}: no title")
        if fields.get("lang") not in LANGS | {"und"}:
            problems.append(f"{folder / stem}: lang {fields.get('lang')!r}")
        original = fields.get("translation_of")
        if original and (original not in articles or articles[original][0].get("lang") == fields.get("lang")):
            problems.append(f"{folder / stem}: translation_of {original!r} is not another-language article here")
    return articles


def check_set(path: Path, folder: Path, problems: list[str]) -> collections.Counter:
    articles = check_folder(folder, problems)
    paired = {s for s, (f, _b) in articles.items() if f.get("translation_of")}
    paired |= {f["translation_of"] for f, _b in articles.values() if f.get("translation_of")}
    seen: set[str] = set()
    counts: collections.Counter = collections.Counter()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        where = f"{path.name}:{n}"
        try:
            it = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"{where}: {exc}")
            continue
        if set(it) != KEYS:
            problems.append(f"{where}: keys {sorted(it)}")
            continue
        if it["id"] in seen:
            problems.append(f"{where}: id {it['id']} twice")
        seen.add(it["id"])
        if it["lang"] not in LANGS or it["kind"] not in KINDS:
            problems.append(f"{where}: lang {it['lang']!r} / kind {it['kind']!r}")
        counts[(it["kind"], it["lang"])] += 1
        if not it["answerable"]:
            if it["expect"] or it["article"] is not None or it["kind"] != "unanswerable":
                problems.append(f"{where}: unanswerable with expects, an article or kind {it['kind']}")
            continue
        if it["article"] not in articles:
            problems.append(f"{where}: no article {it['article']!r} in {folder}")
            continue
        fields, body = articles[it["article"]]
        if it["kind"] == "cross" and (it["lang"] == fields.get("lang") or it["article"] in paired):
            problems.append(f"{where}: cross question in the article's language or at a translated pair")
        if not it["expect"]:
            problems.append(f"{where}: answerable without expects")
        for e in it["expect"]:
            at = body.find(e)
            if len(e) < 25 or at < 0:
                problems.append(f"{where}: expect shorter than 25 characters or not in the article: {e[:40]!r}")
            elif not in_one_sentence(body, at, at + len(e)):
                problems.append(f"{where}: expect runs over a sentence end: {e[:40]!r}")
    return counts


def main(argv: list[str]) -> int:
    if len(argv) < 2 or len(argv) % 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    problems: list[str] = []
    for path, folder in zip(argv[::2], argv[1::2]):
        counts = check_set(Path(path), Path(folder), problems)
        kinds = collections.Counter()
        for (kind, _lang), n in counts.items():
            kinds[kind] += n
        print(f"{path}: {sum(counts.values())} questions; " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
    for p in problems:
        print("problem:", p)
    print("OK" if not problems else f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
