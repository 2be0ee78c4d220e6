"""Swahili roots: a word's verb and noun-class prefixes stripped, and its stems.

Swahili inflects mostly at the front ("aliandika", "kuandika", "wanunuzi"), so
no Snowball stemmer exists and the analyzer keeps whole words
(bot/knowledge/analysis/swahili.py); stripping the prefixes gives the
dictionary form.  The bridges use these to let inflected words meet
(`Bridges.swahili_variants`) and to find an inflected word's dictionary entry;
the answer types to read a question's words as the article writes them
(answer_types/things.py).
"""

from __future__ import annotations

# Swahili verb prefixes (negation, subject, tense/aspect, relative, object markers) and
# noun-class prefixes, longest first: "aliandika" -> "andika", "wanunuzi" ->
# "nunuzi", "hatutarajii" -> "tarajii".  Swahili inflects mostly at the front,
# so no Snowball stemmer exists; stripping these gives the dictionary form.
_SW_PREFIXES = sorted({
    "hatu", "hawa", "ham", "ha", "si", "hu",
    "ni", "u", "a", "tu", "m", "mw", "wa", "i", "li", "ya", "ki", "vi", "zi", "ku", "pa", "mu",
    "na", "ta", "me", "nge", "ngali", "sha", "ka", "ja",
    "ma", "mi", "ji", "ch", "vy", "n",
    # a tense with a relative marker, as one prefix (a marker alone never is: "ofisi"
    # is not "fisi"): "aliyeshinda" (who won) -> "shinda", "itakayofanyika" ->
    # "fanyika", "zilizotolewa" -> "tolewa", "wanaokuja" -> "kuja"
    *(tense + rel for tense in ("li", "na", "taka", "me")
      for rel in ("ye", "o", "yo", "cho", "vyo", "zo", "lo", "ko", "po", "mo")),
}, key=len, reverse=True)


def swahili_roots(word: str, max_strip: int = 3, min_root: int = 3) -> list[str]:
    """Candidate roots of a Swahili word, longest first (the word excluded)."""
    out: list[str] = []
    frontier = [word]
    for _ in range(max_strip):
        nxt = []
        for w in frontier:
            for p in _SW_PREFIXES:
                if w.startswith(p) and len(w) - len(p) >= min_root:
                    root = w[len(p):]
                    if root not in out:
                        out.append(root)
                        nxt.append(root)
        frontier = nxt
    return sorted(out, key=len, reverse=True)


def swahili_stems(root: str) -> list[str]:
    """A Swahili verb root without its final vowel and passive -w-, so that the
    moods and voices of one verb meet: "kolea" (marinate) / "kolee" (let it
    marinate), "choma" (grill) / "chomwa" (be grilled), "nunua" / "nunue".
    Marked with "~" so that they meet each other, never a whole word."""
    if len(root) < 5 or root[-1] not in "aei":
        return []
    stem = root[:-1]
    out = ["~" + stem]
    if stem.endswith("w") and len(stem) >= 5:
        out.append("~" + stem[:-1])
    return out


def swahili_keys(word: str) -> list[str]:
    """The word, its roots (prefixes stripped) and their stems: what Swahili
    variants share."""
    roots = [word] + swahili_roots(word, max_strip=2)
    return roots + [s for r in roots for s in swahili_stems(r)]
