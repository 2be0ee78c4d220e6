"""Hits -> quotable passages: which translation to quote and how far a quote runs.

A passage is a slice of the article text (one sentence, extended by the next
one when it is too short to stand alone, when it ends with a colon that
announces the next paragraph, or when it is itself a question), never words
of the bot's own.  Cutting quotes reads only the knowledge base's sentences
and the `quotes:` settings; the composer (answering/composer.py) decides what
to do with the passages cut here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from bot.answering.answer import Passage
from bot.answering.answer_types.sentences import ends_sentence, is_question
from bot.answering.retrieval import Hit
from bot.core.config import QuoteSettings
from bot.knowledge.line_shapes import ends_with_colon
from bot.knowledge.markdown_tables import table_place
from bot.knowledge.store import KnowledgeBase


def _key(text: str) -> str:
    return re.sub(r"\W+", " ", text.casefold()).strip()


_BOLD = re.compile(r"\*\*|(?<!\w)__|__(?!\w)")  # Markdown bold markers ("snake__case" is a word)


def _without_stray_bold(text: str) -> str:
    """`text` less a "**" / "__" that opens or closes it unpaired, or a pair that
    wraps all of it; a pair inside it stays (a slice of `text` either way)."""
    original = text
    for mark in ("**", "__"):
        inner = text[len(mark):-len(mark)]
        if text.startswith(mark) and text.endswith(mark) and inner.strip() and mark not in inner:
            text = inner
        elif text.count(mark) % 2:
            if text.endswith(mark):
                text = text[:-len(mark)].rstrip()
            elif text.startswith(mark):
                text = text[len(mark):].lstrip()
    return text if text.strip() else original


class Quoter:
    """Cuts the passages an answer quotes from retrieval hits (owned by the Composer)."""

    def __init__(self, kb: KnowledgeBase, settings: QuoteSettings, vectors=None) -> None:
        self.kb = kb
        self.settings = settings
        self.vectors = vectors  # knowledge/vectors.SentenceVectors, or None (lexical only)
        self.quotable: Callable[[int], bool] | None = None  # sentence -> may it be quoted (set by the service)

    def in_language(self, hits: list[Hit], lang: str, asked_in: str = "") -> list[Hit]:
        """Each hit moved to the version of its article in `lang`, when one exists,
        else to the one in `asked_in` (the question's own language, when /lang
        forced another): a reader of the question's language reads that version.

        The reply language chooses the translation: a question asked (or
        forced with --lang, /lang) in Swahili about a French article with a
        Swahili version is answered from the Swahili text.  The sentence
        taken is the version's sentence closest in meaning (embeddings), with
        a pull towards the same relative position (`translation_position_pull`),
        or the one at the same relative position when lexical only.
        """
        kb = self.kb
        out: list[Hit] = []
        for hit in hits:
            s = kb.sentences[hit.sentence]
            article = kb.by_id[s.article_id]
            wanted = [w for w in (lang, asked_in) if w != article.lang] if article.lang != lang else []
            target = next((v for w in wanted for v in kb.versions(article.id) if v.lang == w), None)
            if target is None:
                out.append(hit)
                continue
            ranges = kb.article_ranges()
            a0, a1 = ranges[article.id]
            b0, b1 = ranges.get(target.id, (0, 0))
            cands = [j for j in range(b0, b1) if not kb.sentences[j].duplicate
                     and (self.quotable is None or self.quotable(j))]
            if not cands:
                out.append(hit)
                continue
            rel = (hit.sentence - a0) / max(1, a1 - a0 - 1)
            position = {j: 1.0 - abs(rel - (j - b0) / max(1, b1 - b0 - 1)) for j in cands}
            if self.vectors is not None:
                m = self.vectors.matrix
                sims = (m[cands].astype("float32") @ m[hit.sentence].astype("float32")).tolist()
                pull = self.settings.translation_position_pull
                best = max(zip(sims, cands), key=lambda x: x[0] + pull * position[x[1]])[1]
            else:
                best = max(cands, key=lambda j: position[j])
            out.append(replace(hit, sentence=best))
        return out

    def passages(self, hits: list[Hit]) -> list[Passage]:
        """At most `max_passages` distinct quotes, best first."""
        out: list[Passage] = []
        spans: list[tuple[int, int]] = []  # sentence range of each passage
        seen: set[str] = set()
        for hit in hits:
            if len(out) >= self.settings.max_passages:
                break
            i = hit.sentence
            if any(a <= i <= b for a, b in spans):
                continue
            first, last = self._sentence_of(i)
            if last == i:  # with the rest of its sentence after it, a fragment stands alone
                last = self._extend(i, first)
            # A quote that runs into an earlier one joins it, at the earlier
            # rank: the reader never sees the same words twice, and the
            # earlier quote gains the context that leads into it.  So does a
            # quote that continues an earlier one across a boundary that is
            # not a sentence end (Thai, split at spaces, cuts one sentence
            # into fragments that rank apart).
            # (A quote between two earlier ones joins both, at the better rank.)
            # And so does a quote next to an earlier one in its paragraph that
            # scores alike (`join_adjacent`, `join_ratio`): a sentence that names
            # the subject and the next one, which says what was asked of it with
            # a pronoun, read as one, in the article's order.
            joined = [k for k, span in enumerate(spans)
                      if self._joins(span, (first, last), self._alike(hit.score, out[k].score))]
            for k in joined:
                first, last = min(first, spans[k][0]), max(last, spans[k][1])
            passage = self._passage(first, last, out[joined[0]].score if joined else hit.score)
            key = _key(passage.text)
            if key in seen:
                continue
            seen.add(key)
            if not joined:
                spans.append((first, last))
                out.append(passage)
                continue
            spans[joined[0]], out[joined[0]] = (first, last), passage
            for k in reversed(joined[1:]):
                del spans[k], out[k]
        return out

    def _alike(self, score: float, earlier: float) -> bool:
        """Whether a quote scoring `score` may join one scoring `earlier` next to it."""
        return self.settings.join_adjacent and score >= self.settings.join_ratio * earlier

    def _joins(self, a: tuple[int, int], b: tuple[int, int], alike: bool = False) -> bool:
        """Whether quotes spanning sentences `a` and `b` make one quote: they
        overlap, or they are next to each other in one paragraph, within
        `max_joined_chars`, and either the boundary between them is not a
        sentence end or they score `alike`."""
        if a[0] <= b[1] and b[0] <= a[1]:
            return True
        (first, mid), (after, last) = sorted([a, b])
        if after != mid + 1:
            return False
        s = self.kb.sentences
        return (s[first].article_id == s[last].article_id and s[mid].paragraph == s[after].paragraph
                and (alike or not ends_sentence(s[mid].text))
                and s[last].end - s[first].start <= self.settings.max_joined_chars)

    def _sentence_of(self, i: int) -> tuple[int, int]:
        """First and last sentence of the quote around sentence `i` when `i` is a
        fragment of a longer sentence: its neighbours in the paragraph across
        boundaries that end no sentence (Thai, split at spaces, writes one
        sentence a line), those after it first, up to `whole_sentence_chars`."""
        limit = self.settings.whole_sentence_chars
        if not limit:
            return i, i
        s = self.kb.sentences

        def continues(j: int) -> bool:  # sentence j + 1 continues sentence j's sentence
            return (self._may_follow(j) and s[j].paragraph == s[j + 1].paragraph
                    and not ends_sentence(s[j].text))

        first = last = i
        # what follows first (a sentence's rest usually completes what its start
        # says), then what comes before, each only while the whole fits
        while last + 1 < len(s) and continues(last) and s[last + 1].end - s[first].start <= limit:
            last += 1
        while first > 0 and continues(first - 1) and s[last].end - s[first - 1].start <= limit:
            first -= 1
        return first, last

    def _extend(self, i: int, start: int | None = None) -> int:
        """Last sentence of the quote that starts at sentence `i`.

        A short quote is extended by the next sentences (at most
        `max_extension`) until it can stand alone: Thai "sentences" split at
        spaces are often fragments of a few words.  A sentence that asks (the
        article's own "Why do you need a receipt …?") is quoted with the
        sentence that follows it in its paragraph: that is where the article
        answers; an FAQ's question on a line of its own is quoted with the first
        sentence of the next line, its answer.  A sentence ending with a colon
        ("voici la marche à suivre :") announces what follows and says nothing
        alone, however long: it is quoted with the next line.  The quote's length counts from
        sentence `start` when it begins before `i` (`_sentence_of`).
        """
        kb = self.kb
        sentence = kb.sentences[i if start is None else start]
        last = i
        while last - i < self.settings.max_extension:
            cur, nxt = kb.sentences[last], last + 1
            length = cur.end - sentence.start
            asks = is_question(cur.text)
            announces = ends_with_colon(cur.text)
            if not ((length < self.settings.short_sentence_chars or asks or announces) and self._may_follow(last)
                    and (kb.sentences[nxt].paragraph == cur.paragraph or announces
                         or (asks and kb.sentences[nxt].paragraph == cur.paragraph + 1))):
                break
            last = self._sentence_of(nxt)[1]  # and the rest of the sentence it opens
        return last

    def _may_follow(self, j: int) -> bool:
        """Whether sentence j + 1 may be quoted after sentence j: there is one, in
        j's article, neither a repeat of an earlier sentence nor unquotable."""
        s = self.kb.sentences
        return (j + 1 < len(s) and s[j + 1].article_id == s[j].article_id and not s[j + 1].duplicate
                and (self.quotable is None or self.quotable(j + 1)))

    def shown(self, passage: Passage, above: str = "") -> tuple[str, str]:
        """A passage as the reply shows it, and its table's header row ("" for a
        passage that is no table row).  Shown without Markdown's bold markers (the
        article as it reads: "**I have a company car. Can I get a permit?**" is
        bold on the page, not starred; the adapters escape what they send), and a
        table row ("| Dog | 2.50 € | 2.50 € |") under its table's header row
        ("| | Low season | High season |"), without which its figures mean
        little, unless `above` (the header of the quote shown before it) is that
        header already.  `passages` keep the exact slice."""
        shown = _BOLD.sub("", passage.text) or passage.text
        header = ""
        if "|" in passage.text and "\n" not in passage.text.strip():
            role, header = table_place(self.kb.by_id[passage.article].text, passage.start)
            header = header if role == "row" else ""
        return (f"{_BOLD.sub('', header)}\n{shown}" if header and header != above else shown), header

    def _passage(self, first: int, last: int, score: float) -> Passage:
        """The verbatim article text from sentence `first` to sentence `last`,
        without Markdown bold markers that the sentence splitter left unpaired at
        its ends or that wrap it whole ("Kwa kiasi gani?**" of "**Swali: … Kwa kiasi
        gani?**"): still a slice of the article, without the stray asterisks."""
        kb = self.kb
        article = kb.by_id[kb.sentences[first].article_id]
        text = _without_stray_bold(article.text[kb.sentences[first].start:kb.sentences[last].end])
        return Passage(text=text, article=article.id, title=article.title, lang=article.lang, score=score,
                       start=kb.sentences[first].start)
