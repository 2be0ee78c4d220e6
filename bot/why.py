"""The REPL's /why, for a person: words (never stems), the passage, how they met.

An `Explanation` (answering/service.py) holds the analysed question and the
scored hits.  This module turns it into sentences of the interface
language: the words of the question that were looked for; the passage that
won and, word by word, how each question word met the passage ("sales →
ขาย: a dictionary translation, English → Thai"); or, for a decline, the
reason in one sentence and the closest passage.  Stems and weights are the
index's business: a person sees the words as written in the question and in
the article.  Every text comes from config/messages/<lang>.yaml.

The bridges record how a term entered the query as a short `via` string
(answering/bridges.py); `link_kind` reads those strings into a few kinds a
person understands.  A `via` it does not recognise becomes "a related
word", so a new bridge never breaks /why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.answering.decision import OTHER_LANGUAGE

if TYPE_CHECKING:
    from bot.answering.service import Explanation, QAService

Line = tuple[str, str | None]  # (text, console style)

# (pattern on the `via` string, kind); the first that matches wins.
_VIA_KINDS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^synonym of "), "synonym"),
    (re.compile(r"^close to .*vectors"), "meaning"),
    (re.compile(r"^(variant of|same lemma as) "), "form"),
    (re.compile(r"^part/whole of "), "compound"),
    (re.compile(r"^same root as "), "root"),
    (re.compile(r"^spelt like "), "spelling"),
    (re.compile(r"^Thai name "), "name"),
    (re.compile(r" in the other era$"), "era"),
    (re.compile(r" aligned (?P<source>[a-z]{2})→(?P<target>[a-z]{2})$"), "aligned"),
    (re.compile(r" (?P<source>[a-z]{2})→(?P<pivot>[a-z]{2})→(?P<target>[a-z]{2})(?: \(.*\))?$"), "pivot"),
    (re.compile(r" (?P<source>[a-z]{2})→(?P<target>[a-z]{2})$"), "translation"),
    (re.compile(r"(meaning|semantic|embedding)", re.IGNORECASE), "meaning"),
]
_SPELLING_SUFFIX = re.compile(r" ~\S+$")  # "… ~respect": the table's word, spelt as the index has it


@dataclass(frozen=True)
class Link:
    """How one word of the question met one word of the passage."""

    question_word: str
    passage_word: str
    kind: str  # same, form, synonym, meaning, compound, root, spelling, name, era, translation, pivot, aligned, other
    languages: dict[str, str]  # source/target/pivot language codes, for translations
    words: int = 1  # question words it covers: "Chiang Mai" is two words that spell one Thai term


def link_kind(via: str) -> tuple[str, dict[str, str]]:
    """(kind, languages) of a bridge's `via` string; ("same", {}) for the word itself."""
    if not via:
        return "same", {}
    via = _SPELLING_SUFFIX.sub("", via)
    for pattern, kind in _VIA_KINDS:
        match = pattern.search(via)
        if match:
            return kind, {k: v for k, v in match.groupdict().items() if v}
    return "other", {}


def _surfaces(service: "QAService", lang: str, text: str) -> dict[str, str]:
    """term -> the first word of `text` that the index stores under that term."""
    from bot.knowledge.analysis import get_analyzer

    out: dict[str, str] = {}
    try:
        pairs = get_analyzer(lang).analyze_pairs(text)
    except Exception:  # noqa: BLE001 - an explanation must not fail on an odd language
        return out
    for surface, term in pairs:
        out.setdefault(term, surface)
    return out


def question_words(explanation: "Explanation") -> list[str]:
    """The question's words that were looked for, as the person wrote them."""
    words = getattr(explanation.query, "words", {}) or {}
    for qwords in words.values():
        return [w.surface for w in qwords]
    return []


def _question_word_of(explanation: "Explanation", lang: str, term: str) -> tuple[list[str], str, set[str]] | None:
    """(question words, via, terms) whose candidates brought `term` into the query for
    `lang`: the word of the best candidate, with the other words that brought the term
    by the same bridge at once (a Thai name written in two words, "Chiang Mai" ->
    เชียงใหม่), and every term those words brought by that bridge (one word may spell
    several: "Somchai" -> สม, ชาย)."""
    words = getattr(explanation.query, "words", {}) or {}
    best: tuple[float, str, str] | None = None
    for qword in words.get(lang, []):
        for c in qword.candidates:
            if c.term == term and (best is None or c.weight > best[0]):
                best = (c.weight, qword.surface, c.via)
    if best is None:
        return None
    _weight, surface, via = best
    together = [w for w in words.get(lang, []) if via and any(c.term == term and c.via == via for c in w.candidates)]
    if surface not in [w.surface for w in together]:
        return [surface], via, {term}
    spelt = {c.term for w in together for c in w.candidates if c.via == via}  # "Somchai": สม and ชาย
    return [w.surface for w in together], via, spelt


def links(service: "QAService", explanation: "Explanation", hit) -> list[Link]:
    """Each question word that met the passage of `hit`, best contribution first."""
    sentence = service.kb.sentences[hit.sentence]
    in_passage = _surfaces(service, sentence.lang, sentence.text)
    query_lang = getattr(hit, "query_lang", sentence.lang)
    out: list[Link] = []
    seen: set[str] = set()
    matched: dict[str, float] = getattr(hit, "matched", None) or {}
    vias: dict[str, str] = getattr(hit, "via", None) or {}
    for term, _share in sorted(matched.items(), key=lambda kv: -kv[1]):
        found = _question_word_of(explanation, query_lang, term)
        question, via, spelt = found if found else ([term], vias.get(term, ""), {term})
        if seen.intersection(question):
            continue
        seen.update(question)
        question_word = " ".join(question)
        kind, languages = link_kind(vias.get(term, via))
        passage_word = in_passage.get(term, term)
        if kind == "name":  # the terms the words spell, as the passage writes them ("Somchai" -> สมชาย)
            passage_word = "".join(in_passage[t] for t in in_passage if t in spelt and t in matched) or passage_word
        if kind == "same" and passage_word.casefold() != question_word.casefold():
            kind = "form"  # "étoiles" met "étoile": same stem, another form
        out.append(Link(question_word, passage_word, kind, languages, len(question)))
    return out


class WhyWriter:
    """Sentences of /why in the interface language `lang`."""

    def __init__(self, service: "QAService", lang: str) -> None:
        self.service = service
        self.lang = lang
        self.m = service.messages

    def language(self, code: str) -> str:
        """A language's name in the interface language ("anglais" in French)."""
        key = f"lang_{code}"
        return self.m.get(self.lang, key) if self.m.has(self.lang, key) else self.m.language_name(code)

    def quote(self, text: str) -> str:
        return self.m.get(self.lang, "quote", text=text)

    def words(self, words: list[str]) -> str:
        return ", ".join(self.quote(w) for w in words)

    def how(self, link: Link) -> str:
        names = {k: self.language(v) for k, v in link.languages.items()}
        names.setdefault("source", self.language(self.lang))
        names.setdefault("target", "")
        names.setdefault("pivot", self.language("en"))
        return self.m.first(self.lang, [f"how_{link.kind}", "how_other"], **names)

    def lines(self, explanation: "Explanation") -> list[Line]:
        """The whole /why: question words, then the answer's evidence or the decline's reason."""
        m, lang = self.m, self.lang
        words = question_words(explanation)
        asked_in = self.language(explanation.lang)
        out: list[Line] = []
        if explanation.read_as:
            out.append((m.get(lang, "why_read_as", question=explanation.read_as), None))
        answer = explanation.answer
        if answer.reason != OTHER_LANGUAGE:  # "Your question (English)" is not true of one the bot cannot read
            if words:
                out.append((m.get(lang, "why_question", language=asked_in, words=self.words(words)), None))
            else:
                out.append((m.get(lang, "why_question_none", language=asked_in), None))
        if explanation.preferred:  # "According to the Thai article, …"
            out.append((m.get(lang, "why_named_language", language=self.language(explanation.preferred)), None))
        if not answer.answered:
            out.append((m.get(lang, "why_declined", reason=m.reason(lang, answer.reason or "unknown",
                                                                    name=answer.missing)), "decline"))
            if explanation.hits:
                out += self._evidence(explanation, explanation.hits[0], "why_closest", len(words))
            return out
        out += self._evidence(explanation, self._winning_hit(explanation), "why_answered", len(words))
        if not answer.sure:
            out.append((m.get(lang, "why_unsure"), None))
        return out

    def _winning_hit(self, explanation: "Explanation"):
        """The hit behind the first quoted passage (hits are best first)."""
        top = explanation.answer.passages[0]
        kb = self.service.kb
        for hit in explanation.hits:
            s = kb.sentences[hit.sentence]
            if s.article_id == top.article and s.text.strip() and s.text.strip() in top.text:
                return hit
        return explanation.hits[0] if explanation.hits else None

    def _evidence(self, explanation: "Explanation", hit, heading: str, total: int) -> list[Line]:
        if hit is None:
            return []
        m, lang = self.m, self.lang
        kb = self.service.kb
        sentence = kb.sentences[hit.sentence]
        article = kb.by_id[sentence.article_id]
        out: list[Line] = [(m.get(lang, heading, title=article.title, language=self.language(sentence.lang)), None),
                           (self.quote(sentence.text.strip()), "quote")]
        found = links(self.service, explanation, hit)
        if not found:
            out.append((m.get(lang, "why_shared_none"), "muted"))
            return out
        shared = sum(link.words for link in found)
        out.append((m.get(lang, "why_shared", count=shared, total=max(total, shared)), None))
        for link in found:
            text = m.get(lang, "why_link", question_word=link.question_word, passage_word=link.passage_word,
                         how=self.how(link))
            out.append(("  • " + text, None))
        return out
