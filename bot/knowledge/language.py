"""Language of a chat question: script first, then py3langid on the rest.

Thai is recognised by its script (cheap and certain).  For Latin-script text
py3langid, restricted to the languages we serve, got 48/48 on the dev
questions including chat-style ones; its model ships inside the wheel, so
nothing is fetched at run time.  It is loaded on first use only.  The cached
model holds every Latin-script language besides the served ones, so that a
declined question can be told it is in a language the bot does not read
(`unserved_language`); detection reads a view of the served languages'
columns (`FastIdentifier.among`), which is py3langid restricted to them.

Why a cache of the model: py3langid stores its model LZMA-compressed and
decompresses ~40 MB on every start (~0.4 s), more than everything else a
cold `bot ask` does.  The first load writes the model, restricted to our
languages, as plain `.npy` arrays (no pickle) next to the index cache; later
processes memory-map them and only touch the pages a question needs.  The
classifier below is py3langid's own algorithm (same DFA walk, same naive
Bayes scores, same softmax), on the same numbers: a test checks it agrees
with py3langid on every probe text.  If the cache cannot be written or read,
py3langid is used as before.
"""

from __future__ import annotations

import logging
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import numpy as np

from bot.core.cache import family_dir, read_or_build
from bot.core.scripts import THAI

log = logging.getLogger(__name__)
# Languages written in the Latin script: when every served language but Thai is
# one, a text mostly in another script (Chinese, Arabic, Cyrillic ...) is in none.
LATIN_SCRIPT = frozenset("fr en sw es pt it de nl ca ro pl cs sk sl hr sv da no fi et lv lt hu tr id ms tl vi "
                         "yo ha ig zu xh so rw ln wo lg".split())
_LETTER = re.compile(r"[^\W\d_]")
_WORDS = re.compile(r"[^\W\d_]+")  # runs of letters (a word, or its parts around an apostrophe)
_CACHE_FORMAT = 1
_ARRAYS = ("nextmove", "rowbase", "out_feat", "ptc", "pc")
_STAMP = "model.json"


def _py3langid(languages: tuple[str, ...]):
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    known = set(ident.nb_classes)
    usable = [lang for lang in languages if lang in known]
    if usable:
        ident.set_languages(usable)
    return ident


class FastIdentifier:
    """py3langid's classify() over memory-mapped arrays (see module docstring)."""

    def __init__(self, arrays: dict[str, np.ndarray], classes: list[str], cols: np.ndarray | None = None) -> None:
        self.nextmove = arrays["nextmove"]
        self.rowbase = arrays["rowbase"]
        self.out_feat = arrays["out_feat"]
        self.ptc = arrays["ptc"]
        self.pc = arrays["pc"] if cols is None else np.asarray(arrays["pc"][cols])
        self._cols = cols  # the model's columns this view reads (`among`), or all
        self.nb_classes = classes
        first: dict[str, int] = {}
        self._alias_pairs = []
        for i, c in enumerate(classes):
            if c in first:
                self._alias_pairs.append((first[c], i))
            else:
                first.setdefault(c, i)

    @staticmethod
    def _encode(text: str) -> bytes:
        if text.isupper():
            text = text.lower()
        return unicodedata.normalize("NFC", text).encode("utf8", errors="surrogatepass")

    def _decide(self, text: str) -> np.ndarray:
        data = self._encode(text)
        nm, rowbase, out = self.nextmove, self.rowbase, self.out_feat
        state, found = 0, []
        for letter in data:
            state = int(nm[int(rowbase[state]) + letter])
            f = int(out[state])
            if f >= 0:
                found.append(f)
        if found:
            visits = Counter(found)
            idx = np.fromiter(visits.keys(), dtype=np.intp, count=len(visits))
            counts = np.fromiter(visits.values(), dtype=np.float32, count=len(visits))
            rows = self.ptc[idx] if self._cols is None else self.ptc[idx][:, self._cols]
            scores = np.log1p(counts) @ rows + self.pc
        else:
            scores = np.full(len(self.nb_classes), 0.0, dtype=np.float32)
        scores *= 1.0 / math.sqrt(len(data) or 1)
        np.exp(scores - scores.max(), out=scores)
        scores /= scores.sum()
        for i, j in self._alias_pairs:
            scores[i] += scores[j]
            scores[j] = 0.0
        return scores

    def classify(self, text: str) -> tuple[str, float]:
        scores = self._decide(text)
        i = int(scores.argmax())
        return self.nb_classes[i], float(scores[i])

    def among(self, languages: tuple[str, ...]) -> "FastIdentifier":
        """The same model restricted to `languages` (those it knows), as py3langid's
        `set_languages` restricts it: the same automaton, the naive Bayes columns of
        those classes only.  One model file on disk serves the served languages'
        detection and `unserved_language`'s wider question."""
        assert self._cols is None, "a view of the whole model only"
        cols = [i for i, c in enumerate(self.nb_classes) if c in languages]
        if len(cols) == len(self.nb_classes):
            return self
        arrays = {"nextmove": self.nextmove, "rowbase": self.rowbase, "out_feat": self.out_feat,
                  "ptc": self.ptc, "pc": self.pc}  # rows are read as a question needs them
        return FastIdentifier(arrays, [self.nb_classes[i] for i in cols], np.asarray(cols, dtype=np.intp))


def _cache_dir(languages: tuple[str, ...]) -> Path | None:
    """Cache folder keyed by py3langid's model file (size, mtime) and our languages.

    Found with find_spec, which locates the package without importing it
    (importlib.metadata alone costs ~9 ms at start-up).
    """
    from importlib.util import find_spec

    try:
        spec = find_spec("py3langid")
        model = Path(spec.origin).parent / "data" / "model.npz.xz"  # type: ignore[union-attr,arg-type]
        st = model.stat()
    except (ImportError, AttributeError, TypeError, OSError):
        return None
    return family_dir(f"langid-{_CACHE_FORMAT}-{_languages_name(languages)}", f"{st.st_size}-{st.st_mtime_ns}")


def _languages_name(languages: tuple[str, ...]) -> str:
    return "-".join(sorted(set(languages)))


def _model_arrays(languages: tuple[str, ...]) -> tuple[dict[str, np.ndarray], dict]:
    ident = _py3langid(languages)
    nm = np.frombuffer(ident.tk_nextmove, dtype=np.dtype(ident.tk_nextmove.typecode))
    rows = np.frombuffer(ident.tk_row, dtype=np.dtype(ident.tk_row.typecode)).astype(np.int64) << 8
    arrays = {"nextmove": nm, "rowbase": rows, "out_feat": np.asarray(ident.tk_output, dtype=np.int32),
              "ptc": np.ascontiguousarray(ident.nb_ptc), "pc": np.asarray(ident.nb_pc)}
    return arrays, {"classes": list(ident.nb_classes)}


def _open(arrays: dict[str, np.ndarray], meta: dict) -> FastIdentifier:
    n_states = len(arrays["rowbase"])
    if (len(arrays["out_feat"]) != n_states or arrays["ptc"].ndim != 2
            or arrays["ptc"].shape[1] != len(meta["classes"]) or len(arrays["pc"]) != len(meta["classes"])):
        raise ValueError("inconsistent model arrays")
    return FastIdentifier(arrays, list(meta["classes"]))


def _modelled(languages: tuple[str, ...]) -> tuple[str, ...]:
    """The languages the cached model holds for a bot serving `languages`: those and
    every Latin-script language (`unserved_language` asks about them)."""
    return tuple(sorted(set(languages) | LATIN_SCRIPT))


@lru_cache(maxsize=8)
def _model(modelled: tuple[str, ...]) -> FastIdentifier | None:
    """The cached model over `modelled`; None where there is no cache folder (py3langid then)."""
    directory = _cache_dir(modelled)
    if directory is None:
        return None
    # names before family_dir, and a served set's own model from before it held every
    # Latin-script language (40 MB each; an upgraded bot's old copy is not kept): a
    # name of at most eight of these languages (a wide model's name holds dozens)
    lang = "|".join(re.escape(x) for x in modelled)
    legacy = rf"langid-{_CACHE_FORMAT}-(?:\d+-\d+-)?(?:{lang})(?:-(?:{lang})){{0,7}}(?:@.*)?"
    return read_or_build(directory, _ARRAYS, _STAMP, lambda: _model_arrays(modelled), _open, legacy=legacy)


@lru_cache(maxsize=8)
def _identifier(languages: tuple[str, ...]):
    """The language model over `languages`: a view of the one cached model."""
    model = _model(_modelled(languages))
    return model.among(languages) if model is not None else _py3langid(languages)


def detect_language(text: str, languages: tuple[str, ...], default: str, min_letters: int,
                    hint: str | None = None, min_confidence: float = 0.0,
                    unsure: Callable[[str, str | None], str | None] | None = None,
                    sure_confidence: float = 0.0, origin: Callable[[str], str | None] | None = None) -> str:
    """Best guess among `languages` for `text`.

    `hint` (e.g. a Telegram user's language_code) decides when the text
    cannot be judged, `default` when there is no hint: too few letters; most
    letters in a script no served language is written in (served: Latin and
    Thai; "什么是品牌承诺？" was guessed Swahili); or a guess less probable than
    `min_confidence` (a name alone, "Ron Brumbarger", was guessed Swahili).
    In that last case `unsure(text, None)` may name the language first (the
    knowledge language whose articles hold the text's words), then the hint,
    then `origin(text)` (the original's language when the words are one
    article's and its translations': a name alone), then the one language
    whose function words the text holds ("PDG de Bitwise"), then `default`; a guess less
    probable than `sure_confidence` stands unless `unsure(text, guess)` names
    another language whose articles hold all of the text's words, or the text
    holds the function words of one other language only ("coût onboarding par
    client": French "par"), or the text is words that one article and its
    translations hold alike and no function word (the knowledge's vote ties):
    then the hint, else `origin(text)`, as for a guess under `min_confidence`.
    """
    letters = _LETTER.findall(text)
    thai = len(THAI.findall(text))
    if thai and "th" in languages and thai >= len(letters) * 0.3:
        return "th"
    fallback = hint if hint in languages else default
    if len(letters) < min_letters:
        return fallback
    if set(languages) - {"th"} <= LATIN_SCRIPT:
        latin = sum(1 for ch in letters if ch < "\u0250")  # Basic Latin to Latin Extended-B
        if latin < (len(letters) - thai) * 0.5:
            return fallback
    lang, prob = _identifier(tuple(languages)).classify(text)
    if prob < min_confidence:
        found = unsure(text, None) if unsure is not None else None
        if found not in languages and hint not in languages and origin is not None:
            found = origin(text)
        if found not in languages and hint not in languages:
            found = _function_word_language(text, languages)  # "PDG de Bitwise": French "de"
        return found if found in languages else fallback
    if prob < sure_confidence and unsure is not None:
        found = unsure(text, lang)
        if found in languages:
            return found
        # An unsure guess that the text's function words contradict: "coût
        # onboarding par client" is guessed English at 0.70, and only French has "par".
        holding = _function_word_languages(text, languages)
        if len(holding) == 1 and holding[0] != lang:
            return holding[0]
        # Words that every version of one translated article holds alike, and no
        # function word (a name alone: "Akismet" is guessed Swahili at 0.70,
        # "akismet" at 0.59), say nothing of their language: decided as under
        # min_confidence, so that the case of a letter does not change the reply's.
        if origin is not None and not holding and unsure(text, None) is None:
            found = hint if hint in languages else origin(text)
            if found in languages:
                return found
    return lang if lang in languages else fallback


def unserved_language(text: str, languages: tuple[str, ...] | list[str], min_words: int,
                      min_confidence: float) -> str | None:
    """The Latin-script language not among `languages` that `text` is written in
    ("¿Cuánto cuesta …?": es), when py3langid, over every Latin-script language it
    knows and the served ones, names it with at least `min_confidence` and the
    text has at least `min_words` words; else None.  `detect_language` only
    chooses among the served languages, so a Spanish question reads as French:
    this tells a reply that the question could not be read."""
    if len(_WORDS.findall(text)) < min_words or THAI.search(text):
        return None
    lang, prob = _identifier(_modelled(tuple(languages))).classify(text)
    return lang if lang not in languages and prob >= min_confidence else None


def _function_word_languages(text: str, languages: tuple[str, ...]) -> list[str]:
    """The served languages written in Latin letters one of whose stop words `text`
    holds ("ni", "nini", "what", "est"): a name alone holds none."""
    from bot.knowledge.analysis import stopwords_of

    words = {w.casefold() for w in _WORDS.findall(text)}
    return [lang for lang in languages if lang != "th" and words & stopwords_of(lang)]


def _function_word_language(text: str, languages: tuple[str, ...]) -> str | None:
    """The one language of `_function_word_languages`, if exactly one: "PDG de
    Bitwise" is French by its "de" though too short to classify."""
    holding = _function_word_languages(text, languages)
    return holding[0] if len(holding) == 1 else None


def language_by_settings(text: str, settings, hint: str | None = None,
                         unsure: Callable[[str, str | None], str | None] | None = None,
                         origin: Callable[[str], str | None] | None = None) -> str:
    """The language of a question: `detect_language` with the `languages`,
    `default_language` and `scoring` values of config/settings.yaml, assembled
    in one place for every caller (a chat question, a FAQ entry).  `unsure` is the
    knowledge's vote (answering/language_vote.LanguageVote.language_of_words), and
    `origin` its original_language, where a knowledge base is open."""
    s = settings.scoring
    return detect_language(text, settings.languages, settings.default_language, s.min_letters_to_detect, hint,
                           s.min_language_confidence, unsure, s.sure_language_confidence, origin)
