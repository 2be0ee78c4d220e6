"""Per-language analyzers and the registry that picks one by language code."""

from __future__ import annotations

from functools import cache

from bot.knowledge.analysis.base import Analyzer

_CLASSES = {
    "fr": ("bot.knowledge.analysis.snowball", "FrenchAnalyzer"),
    "en": ("bot.knowledge.analysis.snowball", "EnglishAnalyzer"),
    "sw": ("bot.knowledge.analysis.swahili", "SwahiliAnalyzer"),
    "th": ("bot.knowledge.analysis.thai", "ThaiAnalyzer"),
}


@cache
def get_analyzer(lang: str) -> Analyzer:
    """The analyzer for `lang`; a language we have no rules for gets the base
    analyzer (Unicode words, lower case, accents folded)."""
    import importlib

    module, name = _CLASSES.get(lang, ("bot.knowledge.analysis.base", "Analyzer"))
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
    root = resources.files("bot.knowledge.analysis")
    for name in sorted(p.name for p in root.iterdir() if p.name.endswith(".py")):
        digest.update(root.joinpath(name).read_bytes())
    for name in sorted(p.name for p in root.joinpath("data").iterdir()):
        digest.update(root.joinpath("data", name).read_bytes())
    return digest.hexdigest()[:16]
