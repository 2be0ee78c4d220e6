"""Things: the thing a question names (what it counts or prices, whose name
or hours it asks) as index terms, and whether a passage names it.

"How many members does the club have?" is not answered by the number of
households near it: the thing counted, priced or called must be named
(Swahili by its root, a misspelt word by its letters).  Shared by `counts`,
`hours` and `names`.
"""

from __future__ import annotations

import re
from functools import lru_cache


def _asked_group(match: re.Match) -> tuple[str, str]:
    """(group, language) of the named group a question pattern matched: the groups
    are named by their language, numbered when it has several ("en2", "sw4")."""
    group = next(g for g, v in match.groupdict().items() if v)
    return group, group.rstrip("0123456789")


def _thing(text: str, lang: str) -> tuple[str, frozenset[str]] | None:
    """(language, index terms) of a thing a question names (`thing_terms`);
    None when `text` holds no index term."""
    terms = thing_terms(text, lang)
    return (lang, terms) if terms else None


# Swahili names a thing first, before the verb that asks about it (a price's,
# `counted_thing`; a place's hours, `hours_thing`): the question's first words,
# of which the first three are the thing.
_SW_LEAD = r"^\W*(?:je,?\s+)?"
_SW_FIRST_WORDS = r"[^\W\d_]+(?:\s+[^\W\d_'’-]+){0,11}?"
SW_THING_WORDS = 3


def holds_thing(text: str, lang: str, terms: frozenset[str], spelling: tuple[int, int] | None = None) -> bool:
    """Whether `text` (in `lang`) names one of `terms` (Swahili by its root:
    "mwanachama" holds "wanachama"); with `spelling` (the misspellings bridge's
    least letters and most letters dropped), also as a term misspelt by dropped
    letters: "how many housholds" is named by "households"."""
    return _names_one_of(thing_terms(text, lang), terms, spelling)


@lru_cache(maxsize=1024)  # the same quotes and article texts are read by several rules and answers
def thing_terms(text: str, lang: str) -> frozenset[str]:
    """The index terms of `text` in `lang` as a thing's are compared (Swahili with
    its roots: "vituo" and "kituo" meet)."""
    from bot.knowledge.analysis import get_analyzer

    return _with_roots(frozenset(get_analyzer(lang).analyze(text)), lang)


def _names_one_of(held: frozenset[str], terms: frozenset[str], spelling: tuple[int, int] | None) -> bool:
    """Whether index terms `held` name one of `terms` (`holds_thing`, `counts_near`)."""
    from bot.answering.misspellings import misspelling_of

    if held & terms:
        return True
    # a noun made from the thing: "membership" names "become a member"
    if any(t.startswith(term) for term in terms if len(term) >= 5 for t in held):
        return True
    return spelling is not None and any(misspelling_of(term, t, *spelling) for term in terms for t in held)


def _with_roots(terms: frozenset[str], lang: str) -> frozenset[str]:
    if lang == "fr":
        # Snowball reads a plural in -aux as one of -al ("tuyaux" -> "tuyal", "travaux"
        # -> "traval") and leaves the singular in -au ("tuyau"): either names the other
        return terms | {t[:-2] + ("au" if t.endswith("al") else "al")
                        for t in terms if len(t) >= 5 and t.endswith(("al", "au"))}
    if lang != "sw":
        return terms
    from bot.answering.swahili_roots import swahili_roots

    return terms | {root for t in terms for root in swahili_roots(t) if len(root) >= 4}  # not "ama" ("or")
