"""Per-language analyzers and the registry that picks one by language code."""

from __future__ import annotations

from functools import lru_cache

from bot.analysis.base import Analyzer

_CLASSES = {
    "fr": ("bot.analysis.snowball", "FrenchAnalyzer"),
    "en": ("bot.analysis.snowball", "EnglishAnalyzer"),
    "sw": ("bot.analysis.swahili", "SwahiliAnalyzer"),
    "th": ("bot.analysis.thai", "ThaiAnalyzer"),
}


@lru_cache(maxsize=None)
def get_analyzer(lang: str) -> Analyzer:
    """The analyzer for `lang`; a language we have no rules for gets the base
    analyzer (Unicode words, lower case, accents folded)."""
    import importlib

    module, name = _CLASSES.get(lang, ("bot.analysis.base", "Analyzer"))
    cls = getattr(importlib.import_module(module), name)
    analyzer = cls()
    if cls is Analyzer:
        analyzer.lang = lang
    return analyzer


def stopwords_of(lang: str) -> frozenset[str]:
    return get_analyzer(lang).stopwords


def analyzer_fingerprint() -> str:
    """Digest of the analysis code and word lists: a change rebuilds the index."""
    import hashlib
    from importlib import resources

    digest = hashlib.sha256()
    root = resources.files("bot.analysis")
    for name in sorted(p.name for p in root.iterdir() if p.name.endswith(".py")):
        digest.update(root.joinpath(name).read_bytes())
    for name in sorted(p.name for p in root.joinpath("data").iterdir()):
        digest.update(root.joinpath("data", name).read_bytes())
    return digest.hexdigest()[:16]
