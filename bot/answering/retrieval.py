"""Question -> scored sentences, across the languages of the knowledge.

Each sentence is indexed with its own language's analyzer; the question becomes
weighted terms of every knowledge language (answering/query.py, with the
bridges' synonyms and translations).  A sentence's score is its own BM25 score
plus a share of its chunk's BM25 score (the neighbouring sentences are
context), fused with the question's cosine to it when the semantic layer is on
(answering/fusion.py).  Whether the evidence is strong enough is judged by
`coverage` (answering/evidence.py): the share of the question's idf mass that
the chunk of the best sentence contains, an expansion counting for its weight.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from bot.answering.alignment import TranslationAlignment
from bot.answering.baseline import ordinary_share
from bot.answering.bridges import Bridges, QueryWord
from bot.answering.evidence import evidence_of, held_share
from bot.answering.focus import Focus, focused
from bot.answering.index_arrays import IndexArrays
from bot.answering.language_vote import LanguageVote
from bot.answering.named_language import named_article_language
from bot.answering.postings import docs_of
from bot.answering.query import QueryAnalysis, analyse_question, is_name
from bot.answering.scoring import LexicalScorer, Scored
from bot.answering.semantic_scoring import Candidates, SemanticScorer
from bot.answering.spelling import SPELLING_VERSION, KnowledgeSpelling
from bot.core.config import Settings
from bot.core.scripts import other_scripts
from bot.knowledge.analysis import get_analyzer, stopwords_of
from bot.knowledge.derived import stored_json
from bot.knowledge.store import KnowledgeBase


@dataclass(frozen=True)
class Hit:
    """One candidate sentence and why it scored."""

    sentence: int
    score: float
    sentence_score: float
    chunk_score: float
    coverage: float
    query_lang: str  # language whose analysis of the question matched it
    matched: dict[str, float] = field(default_factory=dict)
    via: dict[str, str] = field(default_factory=dict)  # matched term -> bridge that brought it ("" = own word)
    cosine: float = 0.0  # cosine of the question and sentence embeddings (0 when lexical only)
    bm25: float = 0.0  # the BM25 part of `score` (sentence + chunk share) when `score` is fused
    sentence_coverage: float = 0.0  # like `coverage`, for the sentence alone (answering/decision.py)
    # the share of the bank of ordinary questions that comes less close to the folder (answering/baseline.py)
    ordinary_share: float = 0.0


@dataclass(frozen=True)
class Ranking:
    """What one search found: the analysed question, its best hits (best first), and
    the hit the decline model judges.  With latent terms or the language offset that
    is the best hit of the fusion without them (the model was fitted on that hit's
    features), which may rank lower or not be shown at all, unless the first hit is
    in another script than the question and that one is not
    (`semantic.judge_across_scripts`); None: the first hit."""

    query: QueryAnalysis
    hits: list[Hit]
    judged: Hit | None = None
    preferred: str = ""  # the language of the article the question names, whose articles were preferred


class Retriever:
    """Scores every sentence of a KnowledgeBase for a question."""

    def __init__(self, kb: KnowledgeBase, settings: Settings) -> None:
        self.kb = kb
        self.settings = settings.scoring
        vocab = kb.sentence_index.vocab
        store = (kb.cache_dir, kb.stamp) if kb.cache_dir is not None else None
        # the knowledge's translations, sentence by sentence: what the bridges' aligned lexicon learns from
        self.alignment = TranslationAlignment(kb)
        self.bridges = Bridges(settings.bridges, vocab, self.alignment.pairs, store, self.alignment.source,
                               self._together)
        self.scorer = LexicalScorer(kb)
        # which language the question's words are, by the articles that hold them (language detection)
        self.vote = LanguageVote(kb, self.scorer, self.settings.max_question_chars)
        self.fusion = settings.semantic
        # what is derived from the index once and kept: the quotable sentences, the site
        # notices, the languages' centroids, the hubness, the titles' words (answering/index_arrays.py)
        self.arrays = IndexArrays(kb, self.scorer, self.fusion)
        # the cosines, moved and fused with BM25; holds the sentence vectors QAService
        # sets when the semantic layer is on (answering/semantic_scoring.py)
        self.semantic = SemanticScorer(kb, self.scorer, self.arrays, self.fusion)
        self._spelling: KnowledgeSpelling | None = None  # see respelt
        self._function_words: dict[str, frozenset[str]] = {}  # per question language: see respelt

    def _together(self, terms: list[str]) -> bool:
        """Whether `terms` all occur in one sentence (a Thai name's syllables, bridges.py)."""
        docs: np.ndarray | None = None
        for term in terms:
            postings = docs_of(self.kb.sentence_index, term)
            docs = postings if docs is None else np.intersect1d(docs, postings, assume_unique=True)
            if not len(docs):
                return False
        return docs is not None

    def respelt(self, question: str, user_lang: str) -> str:
        """`question` with its misspelt words written as the knowledge writes them
        (answering/spelling.py): the text the embedder reads."""
        b = self.bridges.s
        if self._spelling is None:
            counts = stored_json(self.kb, "spelling", SPELLING_VERSION,
                                 lambda: KnowledgeSpelling.count(a.text for a in self.kb.articles))
            self._spelling = KnowledgeSpelling(counts, b.misspelt_min_letters, b.misspelt_max_missing)
        stop = self._function_words.get(user_lang)
        if stop is None:  # a function word is a word too, of any language here ("Comment", "lesquels")
            stop = self._function_words[user_lang] = frozenset().union(
                *(stopwords_of(lang) for lang in {user_lang, *self.kb.languages}))
        return self._spelling.respell(question, lambda word: word.casefold() in stop
                                      or self.bridges.is_word(word, user_lang))

    def focus_question(self, question: str, user_lang: str) -> Focus | None:
        """The question without the words of the knowledge's titles, to be embedded
        beside it, and the articles they name (answering/focus.py), or None: the
        focus is off, or the question names no title word, or is nothing but title
        words."""
        if not self.fusion.focus_weight:
            return None
        return focused(question[:self.settings.max_question_chars], get_analyzer(user_lang),
                       self.arrays.title_words(user_lang))

    def search(self, question: str, user_lang: str, limit: int = 20,
               cosines: "np.ndarray | Callable[[], np.ndarray] | None" = None,
               query_vector: "Callable[[], np.ndarray] | None" = None,
               query_terms: "np.ndarray | Callable[[], np.ndarray] | None" = None) -> tuple[QueryAnalysis, list[Hit]]:
        """`rank`'s analysed question and hits, for callers that do not decline."""
        ranking = self.rank(question, user_lang, limit, cosines, query_vector, query_terms)
        return ranking.query, ranking.hits

    def rank(self, question: str, user_lang: str, limit: int = 20,
             cosines: "np.ndarray | Callable[[], np.ndarray] | None" = None,
             query_vector: "Callable[[], np.ndarray] | None" = None,
             query_terms: "np.ndarray | Callable[[], np.ndarray] | None" = None,
             focus_vector: "Callable[[], np.ndarray] | None" = None,
             focus_articles: frozenset[int] = frozenset(),
             title_words: bool = False) -> Ranking:
        """Best quotable sentences first, and the hit the decline model judges.

        Lexical only: BM25, an empty list when no term matches at all.  With
        the question's cosine to every sentence (`cosines`, or computed from
        `query_vector` and `self.semantic.vectors`), the score is their fusion
        (answering/fusion.py; BM25 divided by at least a share of the score the
        question could reach, `_reach`) and every sentence is a candidate: a
        paraphrase may share no word with its answer.  Headings, titles, captions and
        links are never candidates (knowledge/quotability.py).  `cosines` and
        `query_vector` may be callables, called only once BM25 is done (the
        question is embedded meanwhile).  With the question's latent terms
        (`query_terms`, and `self.semantic.latent`), the semantic part is the
        cosine moved by their dot product, and each language's cosines are
        shifted by a share of the question's mean cosine over them
        (answering/semantic_scoring.py, `semantic_part`); a hit's `cosine`
        stays the plain cosine, which the decline model reads.  With
        `focus_vector` (the question embedded without its title words,
        `focus_question`), the semantic part of the sentences of
        `focus_articles` (the articles those words name) moves
        `semantic.focus_weight` of the way to that vector's cosine.

        BM25 comes from the postings of the question's terms only
        (answering/scoring.py).  Up to `semantic.exact_max_sentences` every
        sentence's cosine is computed, exactly as `fuse` always did; above,
        the candidates are the lexical ones plus the sentences nearest to the
        question in an HNSW graph (knowledge/ann.py), and the fusion runs over
        them.  The best `limit` are selected before any per-hit work.

        With the cosines, the names of a question in another language than an
        article count for every sentence of that article alike
        (`scoring.cross_language_names_by_article`, answering/query.py's `is_name`): shared across
        languages, they say which article, and the lead sentence, which holds them
        all, came first whatever was asked.  With `title_words`, the same holds for
        the question's words that are words of the knowledge's titles (in the
        question's language as written, in another through a bridge too): they
        count for every sentence of the articles whose titles hold them alike,
        and for no other sentence.

        The steps: the BM25 candidates (`_lexical`, `_lexical_candidates`), their
        fusion with the cosines (`_fused`), the question's preferences
        (`_preferred`), the best rows and the judged one (`_best`), then a `Hit`
        for each (`_hits`).
        """
        kb, s = self.kb, self.settings
        if not kb.sentences:
            return Ranking(QueryAnalysis(user_lang), [])
        query = analyse_question(question, user_lang, kb.languages, self.bridges, s.max_question_chars)
        embedded = cosines is not None or (query_vector is not None and self.semantic.vectors is not None)
        parts, lifted = self._lexical(query, user_lang, embedded, title_words)
        if not parts and not query.knows_a_word(kb.sentence_index.vocab.__contains__):
            # Not one word of the question is in the knowledge or in a dictionary:
            # its cosine to a sentence is no evidence (the nearest ones are texts
            # close to every text, a site's notices), so nothing matches.  Over the
            # 581 answerable questions of our sets and probes this never happens.
            return Ranking(query, [])
        quotable = self.arrays.quotable_mask()
        found = self._lexical_candidates(parts, lifted, quotable)
        share = self.fusion.lexical_reach_share
        floor = share * self._reach(query, user_lang) if embedded and share > 0 else 0.0
        found, penalised = self._fused(found, quotable, user_lang, limit, cosines, query_vector, query_terms,
                                       focus_vector, focus_articles, floor)
        if not len(found.ids):
            return Ranking(query, [])
        found, preferred = self._preferred(found, question, user_lang, penalised)
        best, judged = self._best(found, user_lang, limit)
        hits = self._hits(query, found, best)
        judged_hit = None
        if judged >= 0:
            at = best.tolist().index(judged)
            judged_hit = hits[at]
            if at >= limit:  # not among the best `limit`: judged, not shown
                hits.pop(at)
        return Ranking(query, hits, judged_hit, preferred)

    def _lexical(self, query: QueryAnalysis, user_lang: str, embedded: bool,
                 title_words: bool) -> tuple[list[Scored], list[np.ndarray]]:
        """`rank`'s BM25 step: each knowledge language's candidates for the question's
        words, and per article the scores of the words that count for a whole
        article (`lifted`: the names and title words of the question)."""
        s, scorer = self.settings, self.scorer
        parts: list[Scored] = []
        lifted: list[np.ndarray] = []  # per article: the names and title words of the question (see below)
        for lang, weights in query.weights.items():
            if not weights:
                continue
            weight = self._language_weight(lang, user_lang)
            words = query.words[lang]
            # A name shared across languages ("Riverside Wheelers" in a Thai question
            # about an English article), or a word of an article's title ("… au
            # vide-grenier de Montbrison ?", "photo contest" for "Concours photo"), says
            # which article, not which sentence: the lead sentence holds them all and
            # won.  Its score lifts every sentence of the article alike; the other
            # words and the cosine choose among them.
            if embedded and lang != user_lang and s.cross_language_names_by_article:
                names = [w for w in words if is_name(w, user_lang, lang)]
                if names:
                    words = [w for w in words if w not in names]
                    lifted.append(scorer.article_scores(lang, names) * weight * (1.0 + s.chunk_weight))
            if embedded and title_words:
                in_titles, titled = self._in_titles(words, lang, user_lang)
                if in_titles and (len(in_titles) < len(words) or s.title_words_alone):
                    words = [w for w in words if w not in in_titles]
                    art = scorer.article_scores(lang, in_titles) * weight * (1.0 + s.chunk_weight)
                    art[~self.arrays.article_mask(titled)] = 0.0  # only the articles whose titles hold them
                    lifted.append(art)
            scored = scorer.score_language(lang, words, weight, s.chunk_weight) if words else None
            if scored is not None:
                parts.append(scored)
        return parts, lifted

    def _reach(self, query: QueryAnalysis, user_lang: str) -> float:
        """The score the question could reach: the most any one language's words
        could score, weighted as `_lexical` weighs them (`LexicalScorer.reach`).  A
        sentence is scored by its own language's words only, so the languages'
        reaches are not added."""
        chunk_weight = self.settings.chunk_weight
        return max((self.scorer.reach(query.words[lang], self._language_weight(lang, user_lang), chunk_weight)
                    for lang, weights in query.weights.items() if weights), default=0.0)

    def _language_weight(self, lang: str, user_lang: str) -> float:
        """What knowledge language `lang`'s words weigh in a question in `user_lang`:
        1 in its own language, `cross_language_weight` through the bridges."""
        return 1.0 if lang == user_lang else self.settings.cross_language_weight

    def _in_titles(self, words: list[QueryWord], lang: str, user_lang: str) -> tuple[list[QueryWord], set[int]]:
        """The `words` that are words of the titles of knowledge language `lang`'s
        articles, and those articles."""
        titles, titled = self.arrays.titles_of(lang), set[int]()
        in_titles = []
        for w in words:
            # the articles of this language whose titles hold the word: as
            # written in the question's language, through a bridge in another
            hit = [titles[c.term] for c in w.candidates
                   if (lang != user_lang or not c.via) and c.term in titles]
            if hit:
                in_titles.append(w)
                titled.update(*hit)
        return in_titles, titled

    def _lexical_candidates(self, parts: list[Scored], lifted: list[np.ndarray],
                            quotable: np.ndarray) -> Candidates:
        """The quotable sentences BM25 found, and those of the articles `lifted`
        raises (a sentence in both is one candidate), ranked by BM25."""
        scorer = self.scorer
        if parts:
            ids = np.concatenate([p.ids for p in parts])
            keep = quotable[ids]
            ids = ids[keep]
            bm25 = np.concatenate([p.total for p in parts])[keep]
            sent_part = np.concatenate([p.sentence for p in parts])[keep]
            chunk_part = np.concatenate([p.chunk for p in parts])[keep]
        else:
            ids = np.zeros(0, dtype=np.int64)
            bm25 = sent_part = chunk_part = np.zeros(0)
        if lifted:
            by_article = np.sum(lifted, axis=0)
            named = scorer.sentences_of(np.flatnonzero(by_article > 0))
            named = named[quotable[named]]
            ids, bm25, sent_part, chunk_part = _raised(ids, bm25, sent_part, chunk_part, named,
                                                       by_article[scorer.sentence_article[named]])
        return Candidates(ids, bm25, sent_part, chunk_part, total=bm25)

    def _fused(self, found: Candidates, quotable: np.ndarray, user_lang: str, limit: int,
               cosines: "np.ndarray | Callable[[], np.ndarray] | None",
               query_vector: "Callable[[], np.ndarray] | None",
               query_terms: "np.ndarray | Callable[[], np.ndarray] | None",
               focus_vector: "Callable[[], np.ndarray] | None",
               focus_articles: frozenset[int], floor: float = 0.0) -> tuple[Candidates, bool]:
        """`rank`'s fusion step: the candidates scored by BM25 (divided by at least
        `floor`, answering/fusion.py) and the cosine, every
        sentence (`fuse_every`) or, above `exact_max_sentences`, the nearest ones
        and the best lexical ones (`fuse_nearest`, which also applies the
        translation preference: the flag returned; answering/semantic_scoring.py);
        as they were when lexical only."""
        kb, s, semantic = self.kb, self.settings, self.semantic
        vector = None  # the question's, when known (the language offset's means)
        if cosines is None and query_vector is not None and semantic.vectors is not None:
            vector = query_vector() if callable(query_vector) else query_vector
            if len(kb.sentences) <= self.fusion.exact_max_sentences or self.fusion.fusion != "linear":
                cosines = semantic.vectors.cosines(vector)
            else:
                factor = self.scorer.article_factor(user_lang, s.translation_penalty)
                return semantic.fuse_nearest(vector, found, quotable, factor, limit, query_terms, user_lang,
                                             focus_vector, focus_articles, floor), True
        if callable(cosines):
            cosines = cosines()
        if cosines is not None:  # every sentence a candidate: the fusion exactly as it was defined
            return semantic.fuse_every(found, cosines, quotable, query_terms, user_lang, vector, focus_vector,
                                       focus_articles, floor), False
        return found, False

    def _preferred(self, found: Candidates, question: str, user_lang: str,
                   penalised: bool) -> tuple[Candidates, str]:
        """The scores moved by what the question prefers: a site's notices down, the
        articles in the language it names first (and that language, or ""), the
        version of an article in the user's own language before the others (unless
        `penalised`: already applied)."""
        s, scorer = self.settings, self.scorer
        ids, total, plain = found.ids, found.total, found.plain
        if s.site_notice_factor < 1.0:
            # a site's notices ("This site uses Akismet…") sit close to every question
            # about comments: they come first only when nothing else is near
            notice = self.arrays.notice_mask()[ids]
            if notice.any():
                total = np.where(notice, total * s.site_notice_factor, total)
                plain = np.where(notice, plain * s.site_notice_factor, plain) if plain is not None else None
        # "According to the Thai article, …": the articles in the language the user
        # names come first (answering/named_language.py)
        article_lang = named_article_language(question) if s.named_language_factor < 1.0 else None
        other = scorer.other_language_factor(article_lang, s.named_language_factor) if article_lang else None
        preferred = (article_lang or "") if other is not None else ""
        if other is not None:
            total = total * other[scorer.sentence_article[ids]]
            plain = plain * other[scorer.sentence_article[ids]] if plain is not None else None
        # Prefer the version of an article in the user's own language.
        factor = scorer.article_factor(user_lang, s.translation_penalty)
        if factor is not None and not penalised:
            total = total * factor[scorer.sentence_article[ids]]
            plain = plain * factor[scorer.sentence_article[ids]] if plain is not None else None
        return replace(found, total=total, plain=plain), preferred

    def _best(self, found: Candidates, user_lang: str, limit: int) -> tuple[np.ndarray, int]:
        """The rows of the best `limit` candidates, best first, and of the one the
        decline model judges (-1: the first; appended when not among them)."""
        scorer = self.scorer
        ids, total, plain = found.ids, found.total, found.plain
        best = scorer.top(ids, total, limit)
        # The decline model was fitted on the best sentence of the fusion without the
        # latent terms and the language offset: it judges that one (`Ranking.judged`),
        # whichever ranks first (judging the first hit instead: docs/quality.md, tenth round).
        judged = int(np.argmax(plain)) if plain is not None else -1
        if judged >= 0 and len(best) and self.fusion.judge_across_scripts:
            # ... unless the first hit is in another script than the question and that
            # one is not: the offset and the latent terms brought a Thai answer to a
            # French question first, and the best French sentence, which they moved
            # down, says nothing of it (`semantic.judge_across_scripts`)
            first_lang, judged_lang = scorer.languages_of(ids[[int(best[0]), judged]])
            if other_scripts(user_lang, first_lang) and not other_scripts(user_lang, judged_lang):
                judged = -1
        if judged >= 0 and judged not in set(best.tolist()):
            best = np.append(best, judged)
        return best, judged

    def _hits(self, query: QueryAnalysis, found: Candidates, best: np.ndarray) -> list[Hit]:
        """A `Hit` per row of `best`: its scores, the question's terms it matched and
        its coverage (answering/evidence.py), and how ordinary its cosine is."""
        scorer = self.scorer
        ids, cos = found.ids, found.cos
        best_ids = ids[best]
        langs = scorer.languages_of(best_ids)
        evidence = {lang: evidence_of(self.kb, scorer.chunk_of, query, lang, best_ids[[x == lang for x in langs]])
                    for lang in dict.fromkeys(langs)}
        vectors, embedder = self.semantic.vectors, self.semantic.embedder
        shares = (ordinary_share(self.arrays.ordinary_baseline(vectors, embedder), cos[best])
                  if cos is not None and vectors is not None and embedder is not None
                  else np.zeros(len(best)))
        hits = []
        for n, (k, i) in enumerate(zip(best.tolist(), best_ids.tolist())):
            lang = langs[n]
            ev = evidence[lang]
            matched = ev.matched(i)
            hits.append(Hit(
                sentence=i, score=float(found.total[k]), sentence_score=float(found.sent_part[k]),
                chunk_score=float(found.chunk_part[k]), coverage=ev.coverage(int(scorer.chunk_of[i])),
                query_lang=lang, matched=matched, via={t: ev.via.get(t, "") for t in matched},
                cosine=float(cos[k]) if cos is not None else 0.0, bm25=float(found.bm25[k]),
                sentence_coverage=held_share(ev.plan, matched), ordinary_share=float(shares[n]),
            ))
        return hits

    def articles_naming(self, query: QueryAnalysis, position: int) -> frozenset[str]:
        """The ids of the articles whose text holds word `position` of the question,
        in any knowledge language's analysis of it (as written, misspelt,
        transliterated, translated): where a name the question writes is named."""
        found: set[int] = set()
        for lang, words in query.words.items():
            if position < len(words):
                for c in words[position].candidates:
                    found |= self.scorer.articles_holding(c.term, lang)
        return frozenset(self.kb.articles[i].id for i in found)


def _raised(ids: np.ndarray, bm25: np.ndarray, sent_part: np.ndarray, chunk_part: np.ndarray,
            named: np.ndarray, score: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The lexical candidates with the sentences `named` added, each raised by its `score`
    (a sentence in both is one candidate, its scores added; ascending ids)."""
    rows, at = np.unique(np.concatenate([ids, named]), return_inverse=True)

    def summed(values: np.ndarray, extra: np.ndarray) -> np.ndarray:
        return np.bincount(at, weights=np.concatenate([values, extra]), minlength=len(rows))

    none = np.zeros(len(named))
    return rows, summed(bm25, score), summed(sent_part, none), summed(chunk_part, none)

