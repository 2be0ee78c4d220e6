"""Bridges beyond shared words: synonyms and translations of the question.

Plain BM25 only finds sentences that share terms with the question.  A bridge
adds, for one word of the question, other terms of a knowledge language that
may stand for it, each with a weight below 1 so that the user's own words
always win over an expansion:

- thesaurus: synonyms in the same language (LibreOffice/Debian MyThes).
- dictionary: translations between English and French or Swahili (FreeDict).
- pivot: French <-> Swahili, Thai -> French ... through English.
- aligned: a French <-> Swahili lexicon learned from the knowledge's own
  sentence-aligned translation pairs (article groups in two languages;
  bot/answering/aligned_lexicon.py).
- variants: index terms spelt almost like a question term (same first five
  letters, similar overall): inflections the stemmer splits ("imparf" /
  "imparfait") and cognates across Latin-script languages ("product" /
  "produit").
- misspellings: a question word the index lacks meets the index terms it is
  spelt inside, one or two letters short ("ukamilfu" / "ukamilifu", "kampni"
  / "kampuni", "ilianzishwa" / "iliyoanzishwa"): chat drops letters
  (bot/answering/misspellings.py).
- compounds: an unknown Thai word meets the index terms it is part of or is
  made of (segmentation cuts compounds differently in questions and articles).
- Swahili affixes: words sharing a root once verb and noun-class prefixes are
  stripped ("aliandika" / "kuandika"), or a stem once the verb's final vowel
  and passive -w- are too ("kukolea" / "akolee", "anachomwa" / "choma"),
  also to find the dictionary entry (bot/answering/swahili_roots.py).
- lemmas: French stems of the forms of one dictionary entry that Snowball
  stems apart ("creuse" -> "creus", "creux" -> "creux"), from the Hunspell
  French dictionary expanded by its affix rules.
- loanwords: Thai words borrowed from English (pythainlp's bundled
  Thai-English transliteration dictionary), so "เมตริก" meets "metric".
- Thai names: question words that spell the romanization of Thai index terms
  found together ("Tha Khae" / ท่า แค; bot/answering/thai_names.py).
- years of the other era: Thai text counts years in the Buddhist Era, 543
  ahead of the Common Era ("mwaka 2023" / "ปี 2566"), and either may be asked
  (bot/answering/era_years.py).

Tables live in `bot/data/bridges/*.json.gz` (built by tools/build_bridges.py
from the Debian packages, keyed by analysed terms) and are loaded lazily on
the first question that needs them (bot/answering/bridge_tables.py).  Only
terms that occur in the index are kept, so a bridge never adds noise that
cannot score.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

import numpy as np

from bot.answering.aligned_lexicon import stored_lexicon, write_json
from bot.answering.bridge_tables import dictionary_targets, load_table
from bot.answering.era_years import other_era_year
from bot.answering.misspellings import DroppedLetters
from bot.answering.swahili_roots import swahili_keys, swahili_roots, swahili_stems
from bot.answering.thai_names import ROMAN_FORMAT, ThaiNames, romanize_terms
from bot.core.config import BridgeSettings
from bot.core.scripts import is_thai
from bot.knowledge.analysis import get_analyzer

PIVOT = "en"


@dataclass(frozen=True)
class Expansion:
    """One candidate term for one word of the question."""

    term: str
    weight: float
    via: str  # "" for the word itself (or its cognate), else the bridge's name


@dataclass(frozen=True)
class QueryWord:
    """A word of the question and the terms of one knowledge language that stand for it."""

    surface: str
    candidates: tuple[Expansion, ...]


class Bridges:
    """Expands a question's words into weighted terms of each knowledge language."""

    def __init__(self, settings: BridgeSettings, vocab: Collection[str],
                 aligned_pairs: Callable[[str, str], list[tuple[list[str], list[str]]]],
                 store: tuple[Path, str] | None = None,
                 aligned_source: Callable[[str, str], str] | None = None,
                 together: Callable[[list[str]], bool] | None = None) -> None:
        self.s = settings
        self._store = store  # (index folder, index fingerprint): where learned lexicons are kept
        self.vocab = vocab
        self.in_index = vocab.__contains__
        self._aligned_pairs = aligned_pairs
        # digest of everything `aligned_pairs(src, dst)` reads (None: the fingerprint only)
        self._aligned_source = aligned_source
        self._aligned: dict[tuple[str, str], dict[str, list[tuple[str, float]]]] = {}
        self._prefixes: dict[str, list[str]] | None = None
        self._dropped: DroppedLetters | None = None  # the index's terms, for `misspelt`
        self._thai_terms: list[str] | None = None
        self._sw_roots: dict[str, set[str]] | None = None
        self._vectors: dict[str, tuple | None] = {}
        self._expanded: dict[tuple, QueryWord] = {}  # expand()'s answers (QueryWord is immutable)
        self._together = together  # whether index terms occur in one sentence (Thai names)
        self._names: ThaiNames | None = None

    def compounds(self, term: str) -> list[tuple[str, float]]:
        """Thai index terms that contain `term` or that `term` is made of.

        Dictionary segmentation cuts the same Thai text differently in a
        question and in an article ("เงิน" alone, "ทุ่มเงิน" in the article;
        "เชื่อใจ" asked, "เชื่อ" written), so an unknown Thai word meets the
        index terms it is part of, or its parts, with a share of its weight.
        """
        if not self.s.compounds or len(term) < 2 or not is_thai(term):
            return []
        if self._thai_terms is None:
            self._thai_terms = [t for t in self.vocab if len(t) >= 2 and is_thai(t)]
        out = [(t, math.sqrt(len(term) / len(t))) for t in self._thai_terms
               if term in t and t != term and len(t) <= 2 * len(term) + 2]
        # Greedy longest-first cover of `term` by index terms.  Parts the index
        # lacks are skipped ("จงรักภักดี" -> "ภักดี", "ค่าโฆษณา" -> "โฆษณา"),
        # but then only parts of at least `thai_min_part` characters count: a
        # two-letter word inside a longer one is too often a coincidence.
        known = set(self._thai_terms)
        pieces, gaps, i = [], False, 0
        while i < len(term):
            for j in range(len(term), i + 1, -1):
                if term[i:j] in known and j - i < len(term):
                    pieces.append(term[i:j])
                    i = j
                    break
            else:
                gaps = True
                i += 1
        if gaps:
            pieces = [p for p in pieces if len(p) >= self.s.thai_min_part] if self.s.compound_parts else []
            # ... and such a part meets the index terms that contain it, as
            # the whole word does ("ภักดี" -> "ความภักดี").
            for p in list(pieces):
                share = math.sqrt(len(p) / len(term))
                out += [(t, share * math.sqrt(len(p) / len(t))) for t in self._thai_terms
                        if p in t and t != p and len(t) <= 2 * len(p) + 2]
        out += [(p, math.sqrt(len(p) / len(term))) for p in pieces]
        return out

    def variants(self, term: str, inflection_only: bool = False) -> list[tuple[str, float]]:
        """Index terms spelt like `term`: same first letters, similar overall.

        With `inflection_only` (a word and the index in the same language) one
        must be the other plus an ending ("imparf"/"imparfait"); otherwise
        (cognates across languages, "product"/"produit") similarity suffices.
        """
        if not self.s.variants or len(term) < self.s.variant_prefix or not term.isascii() or not term.isalpha():
            return []
        if self._prefixes is None:
            self._prefixes = defaultdict(list)
            for t in self.vocab:
                if len(t) >= self.s.variant_prefix and t.isascii() and t.isalpha():
                    self._prefixes[t[:self.s.variant_prefix]].append(t)
        out = []
        for t in self._prefixes.get(term[:self.s.variant_prefix], []):
            if t != term:
                if inflection_only and not (t.startswith(term) or term.startswith(t)):
                    continue
                ratio = SequenceMatcher(None, term, t).ratio()
                if ratio >= self.s.variant_min_ratio:
                    out.append((t, ratio))
        return out

    def misspelt(self, term: str) -> list[tuple[str, float]]:
        """Index terms that hold `term`'s letters in order with one to
        `misspelt_max_missing` more, and the same first letter: a chat spelling
        that dropped letters ("ukamilfu" / "ukamilifu", "mwandish" / "mwandishi"),
        weighted by the share of the term's letters written.

        Only for a word the index lacks, of at least `misspelt_min_letters`
        letters, in an alphabetic script (Thai has `compounds`): a shorter word,
        or one a letter off by substitution, is too often another real word
        ("moto" / "mtoto", "mechi" / "machi"; docs/quality.md, eighteenth round)."""
        s = self.s
        if not s.misspellings:
            return []
        if self._dropped is None:
            self._dropped = DroppedLetters(self.vocab, s.misspelt_min_letters, s.misspelt_max_missing)
        return [(t, len(term) / len(t)) for t in self._dropped.fuller(term)]

    def is_word(self, surface: str, lang: str) -> bool:
        """Whether `surface`, a word written in a question in `lang`, is a word of
        that language a dictionary, its loanwords or its thesaurus knows (an
        inflected Swahili word by its root), rather than a name."""
        return any(self._direct(lang, dst, term) or self.synonyms(term, lang)
                   for term in get_analyzer(lang).analyze(surface)
                   for dst in dictionary_targets(lang))

    # -- sources ---------------------------------------------------------------
    def _dictionary(self, src: str, dst: str) -> dict[str, list[str]]:
        if not self.s.dictionary:
            return {}
        return load_table(f"{src}-{dst}")

    def _loanwords(self, src: str, dst: str) -> dict[str, list[str]]:
        if not self.s.loanwords:
            return {}
        if (src, dst) in (("th", "en"), ("en", "th")):
            return load_table(f"{src}-{dst}")
        return {}

    def _thai_wordnet(self, src: str, dst: str) -> dict[str, list[str]]:
        """Thai <-> English through shared WordNet synsets (NICT Thai WordNet x
        Princeton WordNet 3.0): the only bilingual Thai lexicon found offline."""
        if not self.s.thai_wordnet:
            return {}
        if (src, dst) in (("th", "en"), ("en", "th")):
            return load_table(f"{src}-{dst}-wn")
        return {}

    def _direct(self, src: str, dst: str, key: str) -> list[str]:
        table = self._dictionary(src, dst)
        found = table.get(key, [])
        if not found and src == "sw" and table and self.s.swahili_affixes:
            # An inflected Swahili word: the entry of its longest known root.
            for root in swahili_roots(key):
                # the dictionary form of a verb ends in -a: "akolee" -> "kolee" -> "kolea"
                for form in (root, *(k[1:] + "a" for k in swahili_stems(root))):
                    if form in table:
                        found = table[form]
                        break
                if found:
                    break
        return found + self._loanwords(src, dst).get(key, []) + self._thai_wordnet(src, dst).get(key, [])

    def swahili_variants(self, term: str) -> list[str]:
        """Swahili index terms that share a root with `term` ("aliandika" /
        "ameandika" / "kuandika")."""
        if not self.s.swahili_affixes or not term.isalpha() or not term.isascii():
            return []
        if self._sw_roots is None:
            self._sw_roots = defaultdict(set)
            for t in self.vocab:
                if t.isalpha() and t.isascii():
                    for key in swahili_keys(t):
                        self._sw_roots[key].add(t)
        # Only roots (and stems) of four letters or more: shorter ones join unrelated words.
        return sorted({t for k in swahili_keys(term) if len(k.lstrip("~")) >= 4
                       for t in self._sw_roots.get(k, ()) if t != term})

    def aligned(self, src: str, dst: str) -> dict[str, list[tuple[str, float]]]:
        if not self.s.aligned:
            return {}
        if (src, dst) not in self._aligned:
            self._aligned[src, dst] = stored_lexicon(src, dst, self._store, self._aligned_pairs,
                                                     self._aligned_source)
        return self._aligned[src, dst]

    def warm(self, question_langs: Iterable[str], knowledge_langs: Iterable[str]) -> None:
        """Learn (and store) every aligned lexicon now, not on a first question."""
        knowledge_langs = list(knowledge_langs)
        directions = [(src, dst) for src in question_langs for dst in knowledge_langs if src != dst]
        # a language pair's two directions one after the other: the second reuses the
        # first's sentence analyses (answering/alignment.py keeps one pair's at a time)
        for src, dst in sorted(directions, key=lambda d: sorted(d)):
            self.aligned(src, dst)
        if self.s.thai_names:
            self._store_romanized()

    # -- Thai names --------------------------------------------------------------
    def _roman_path(self) -> Path | None:
        if self._store is None or self._store[0] is None:
            return None
        return self._store[0] / f"roman-{ROMAN_FORMAT}.json"

    def _stored_romanized(self) -> dict[str, str] | None:
        """The table `warm` stored; None when there is none (or it is unreadable)."""
        path = self._roman_path()
        if path is None:
            return None
        try:
            stored = json.loads(path.read_text(encoding="utf-8"))
            return {str(k): str(v) for k, v in stored.items()} if isinstance(stored, dict) else None
        except (OSError, ValueError):
            return None

    def _store_romanized(self) -> dict[str, str]:
        """Every Thai index term romanized, kept beside the index (index time: it imports
        pythainlp; the shipped knowledge's 258 terms take 0.07 s).  Terms romanized for an
        earlier version of the knowledge are reused: a term's romanization never changes."""
        thai = [t for t in self.vocab if is_thai(t)]
        stored = self._stored_romanized() or {}
        table = {t: stored[t] for t in thai if t in stored}
        missing = [t for t in thai if t not in table]
        if missing:
            table.update(romanize_terms(missing))
        if missing or len(table) != len(stored):
            write_json(self._roman_path(), table)
        return table

    def thai_names(self, pairs: list[tuple[str, str]], user_lang: str, lang: str) -> dict[int, list[Expansion]]:
        """For knowledge language `lang` Thai, the Thai index terms for the words of a
        question in another language that spell a Thai name ("Tha Khae" -> ท่า, แค):
        word position -> expansions (none for another `lang`).  Reads the table
        `warm` stored, romanizing now only where there is none (an index built by an
        older version, or no cache folder); a folder without Thai costs one empty lookup."""
        if not self.s.thai_names or lang != "th" or user_lang == "th" or self._together is None:
            return {}
        if self._names is None:
            table = self._stored_romanized()
            if table is None:
                table = self._store_romanized()
            self._names = ThaiNames(table, self._together, self.s.name_max_words, self.s.name_max_pieces,
                                    self.s.name_min_letters, self.s.name_max_short_pieces)
        if not self._names.by_roman:
            return {}

        def known(i: int) -> bool:
            """A word of the question's own language (a dictionary entry): "chat", "run",
            "ban" are read as words before they are จัด, รุ่น, บ้าน."""
            term = pairs[i][1]
            return not term or any(self._dictionary(user_lang, dst).get(term) for dst in dictionary_targets(user_lang))

        out: dict[int, list[Expansion]] = {}
        for start, per_word in self._names.spans([surface for surface, _ in pairs], known):
            name = " ".join(surface for surface, _ in pairs[start:start + len(per_word)])
            for i, terms in enumerate(per_word, start):
                weight = self.s.name_weight / math.sqrt(len(terms)) if terms else 0.0
                out[i] = [Expansion(t, weight, f"Thai name {name}") for t in terms]
        return out

    # -- expansion -------------------------------------------------------------
    def translations(self, key: str, src: str, dst: str) -> list[tuple[str, float, str]]:
        """(target key, weight, via) for one analysed source key."""
        s = self.s
        out: list[tuple[str, float, str]] = []
        for t in self._direct(src, dst, key):
            out.append((t, s.translation_weight, f"{src}→{dst}"))
        for t, score in self.aligned(src, dst).get(key, []):
            out.append((t, s.translation_weight * score, f"aligned {src}→{dst}"))
        if s.pivot and src != PIVOT and dst != PIVOT:
            n = s.pivot_fanout
            for mid in self._direct(src, PIVOT, key)[:n]:
                for t in self._direct(PIVOT, dst, mid)[:n]:
                    out.append((t, s.translation_weight * s.pivot_factor, f"{src}→{PIVOT}→{dst} ({mid})"))
        return out

    def lemma_family(self, key: str, lang: str) -> list[str]:
        """Other stems of the forms of the dictionary entries `key` belongs to."""
        if lang != "fr" or not self.s.lemmas:
            return []
        return load_table("lemma-fr").get(key, [])

    def neighbours(self, key: str, lang: str) -> list[tuple[str, float]]:
        """Index terms whose word vectors lie closest to `key`'s, cosine >= the
        threshold, best first (bot/answering/word_vectors.py; French only)."""
        if not self.s.vectors:
            return []
        if lang not in self._vectors:
            from bot.answering.word_vectors import load_vectors

            wv = load_vectors(lang)
            self._vectors[lang] = None if wv is None else (wv, *wv.matrix(self.vocab))
        entry = self._vectors[lang]
        if entry is None:
            return []
        wv, terms, matrix = entry
        v = wv.vector(key)
        if v is None or not terms:
            return []
        sims = matrix @ v
        n = self.s.vector_max_neighbours
        best = np.argsort(-sims, kind="stable")[: n + 1].tolist()
        out = [(terms[i], float(sims[i])) for i in best if terms[i] != key and sims[i] >= self.s.vector_min_cosine]
        return out[:n]

    def synonyms(self, key: str, lang: str) -> list[str]:
        if lang == "th":  # Thai lemmas sharing a WordNet synset
            return load_table("syn-th").get(key, []) if self.s.thai_synonyms else []
        if not self.s.thesaurus:
            return []
        return load_table(f"syn-{lang}").get(key, [])

    _EXPANDED_MAX = 50_000

    def expand(self, surface: str, own_term: str, user_lang: str, lang: str,
               drop: frozenset[str]) -> QueryWord:
        """The candidate terms of knowledge language `lang` for one question word.

        Remembered per word: the expansion depends only on its arguments, the
        index vocabulary and the tables, all fixed for this object, and questions
        repeat their words; working one out costs ~40 us (tables, variants, word
        vectors), ~0.6 ms of a question at 5 articles."""
        key = (surface, own_term, user_lang, lang, drop)
        found = self._expanded.get(key)
        if found is None:
            if len(self._expanded) >= self._EXPANDED_MAX:
                self._expanded.clear()
            found = self._expanded[key] = self._expand(surface, own_term, user_lang, lang, drop)
        return found

    def _expand(self, surface: str, own_term: str, user_lang: str, lang: str,
                drop: frozenset[str]) -> QueryWord:
        s = self.s
        best: dict[str, tuple[float, str]] = {}

        def offer(key: str, weight: float, via: str) -> None:
            terms = key.split()
            if not terms:
                return
            share = weight / math.sqrt(len(terms))
            for t in terms:
                if self.in_index(t):
                    if t not in best or best[t][0] < share:
                        best[t] = (share, via)
                elif via:  # an expansion spelt slightly unlike the index: its variants
                    for var, ratio in self.variants(t):
                        w = share * ratio
                        if var not in best or best[var][0] < w:
                            best[var] = (w, f"{via} ~{t}")

        if lang == user_lang:
            offer(own_term, 1.0, "")
            # A word the knowledge never uses is a sign of paraphrase: its
            # synonyms are the only way to meet the author's wording.
            syn_weight = s.synonym_weight if self.in_index(own_term) else s.synonym_weight_unknown
            for syn in self.synonyms(own_term, lang):
                offer(syn, syn_weight, f"synonym of {surface}")
            for near, cos in self.neighbours(own_term, lang):
                offer(near, s.vector_weight * cos, f"close to {surface} (vectors, cos {cos:.2f})")
            for var, ratio in self.variants(own_term, inflection_only=True):
                offer(var, s.variant_weight * ratio, f"variant of {surface}")
            for form in self.lemma_family(own_term, lang):
                # Only forms the index holds: fuzzy variants of an absent
                # form wander off ("commettent" ~ "commencent").
                if self.in_index(form):
                    offer(form, s.variant_weight, f"same lemma as {surface}")
            if not self.in_index(own_term):
                for var, ratio in self.misspelt(own_term):
                    offer(var, s.variant_weight * ratio, f"{surface} misspelt?")
                for part, share in self.compounds(own_term):
                    offer(part, s.compound_weight * share, f"part/whole of {surface}")
            if lang == "sw":
                for var in self.swahili_variants(own_term):
                    offer(var, s.variant_weight, f"same root as {surface}")
        else:
            for term in get_analyzer(lang).analyze(surface, drop):
                offer(term, 1.0, "")
                for var, ratio in self.variants(term):
                    offer(var, s.variant_weight * ratio, f"spelt like {surface}")
            fanout = self.translations(own_term, user_lang, lang)
            for key, weight, via in fanout:
                offer(key, weight, f"{surface} {via}")
        twin = other_era_year(own_term) if s.era_years else None
        if twin and self.in_index(twin):
            offer(twin, 1.0, f"{surface} in the other era")  # the same year, so its full weight
        cands = tuple(Expansion(t, w, via) for t, (w, via) in best.items())
        return QueryWord(surface, cands)
