"""Load the lazy parts of the core before the first person asks.

The first question of a process otherwise pays for the language model, the
bridge tables of its language pair, the French word vectors and the Thai
segmenter: about 2 s with empty caches, 0.1-0.3 s with built ones.  `bot
index` (run by `make run`'s install step) calls this once so every cache
exists on disk; the REPL calls it before its first prompt so the first
answer comes as fast as the later ones.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.answering.service import QAService

log = logging.getLogger(__name__)


def warm_up_questions(service: "QAService") -> list[tuple[str, str]]:
    """(question, language) pairs: one per configured language.

    An article title in that language when there is one (it exercises the
    segmenter), else the language's own "intro" text: any few real words
    load the bridge tables from that language to every knowledge language.
    """
    titles: dict[str, str] = {}
    for article in service.kb.articles:
        titles.setdefault(article.lang, article.title)
    return [(titles.get(lang) or service.messages.get(lang, "intro"), lang)
            for lang in service.settings.languages]


def warm_up(service: "QAService") -> float:
    """Ask each warm-up question once, discarding the answers; the seconds it took."""
    started = time.monotonic()
    for question, lang in warm_up_questions(service):
        try:
            service.detect(question)  # the language model (a forced language skips it)
            service.ask(question, lang=lang)
        except Exception:  # warming up is optional; real questions will report problems
            log.debug("warm-up question failed", exc_info=True)
    elapsed = time.monotonic() - started
    log.debug("warm-up done in %.2fs", elapsed)
    return elapsed
