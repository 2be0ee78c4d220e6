"""A lexicon learned from the knowledge's own translations (the aligned bridge).

Articles of one translation group in two languages are sentence-aligned
(answering/alignment.py); the terms that keep co-occurring in aligned
sentence pairs, in a similar position, are taken as translations of each
other ("aligned fr<->sw" in the bridges).  No dictionary links French and
Swahili directly, and a knowledge's own translations hold its own words.
Learning it analyses every aligned pair, so it is kept beside the index.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

ALIGNED_FORMAT = 1  # bump when aligned_lexicon changes: stored lexicons are then learned again


def aligned_lexicon(pairs: Iterable[tuple[list[str], list[str]]], min_count: int = 2,
                    min_dice: float = 0.5) -> dict[str, list[tuple[str, float]]]:
    """a-term -> [(b-term, dice)] from aligned sentence pairs (a terms, b terms).

    Dice coefficient over sentence co-occurrence, then competitive linking
    filtered by relative position (translations keep a roughly similar order).
    A pair must co-occur in `min_count` sentence pairs: a word seen once
    co-occurs with every word of its sentence, and with one article pair that
    gave links such as "mwaka" (year) -> "commerce".
    """
    pairs = [(a, b) for a, b in pairs if a and b]
    df_a: Counter[str] = Counter()
    df_b: Counter[str] = Counter()
    co: Counter[tuple[str, str]] = Counter()
    pos: dict[tuple[str, str], list[float]] = defaultdict(list)
    for a, b in pairs:
        for t in set(a):
            df_a[t] += 1
        for t in set(b):
            df_b[t] += 1
        pa = {t: i / max(len(a) - 1, 1) for i, t in reversed(list(enumerate(a)))}
        pb = {t: i / max(len(b) - 1, 1) for i, t in reversed(list(enumerate(b)))}
        for x in pa:
            for y in pb:
                co[x, y] += 1
                pos[x, y].append(abs(pa[x] - pb[y]))
    scored = []
    for (x, y), c in co.items():
        if c < min_count:
            continue
        dice = 2 * c / (df_a[x] + df_b[y])
        closeness = 1 - sum(pos[x, y]) / len(pos[x, y])
        score = dice * closeness
        if dice >= min_dice and closeness >= 0.6:
            scored.append((score, x, y, dice))
    scored.sort(reverse=True)
    used_a: Counter[str] = Counter()
    used_b: Counter[str] = Counter()
    out: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for score, x, y, _dice in scored:
        if used_a[x] >= 2 or used_b[y] >= 2:
            continue
        used_a[x] += 1
        used_b[y] += 1
        out[x].append((y, score))
    return dict(out)


def write_json(path: Path | None, doc: dict) -> None:
    """Keep `doc` beside the index (learned lexicons, romanized terms); a cache that
    cannot be written only costs the work again next time."""
    if path is None:
        return
    from bot.core.cache import atomic_write

    data = json.dumps(doc, ensure_ascii=False).encode("utf-8")
    try:
        atomic_write(path, lambda f: f.write(data))
    except OSError:
        pass


def _lexicon_of(stored: dict) -> dict[str, list[tuple[str, float]]]:
    return {k: [(t, float(w)) for t, w in v] for k, v in stored["lexicon"].items()}


def stored_lexicon(src: str, dst: str, store: tuple[Path, str] | None,
                   aligned_pairs: Callable[[str, str], list[tuple[list[str], list[str]]]],
                   aligned_source: Callable[[str, str], str] | None) -> dict[str, list[tuple[str, float]]]:
    """The lexicon learned from the knowledge's src/dst translations, kept
    beside the index: learning it analyses every aligned sentence pair
    (seconds at a thousand articles, Thai segmentation included), which a
    cold `bot ask` must not pay again.

    Kept with the index fingerprint (checked first: nothing else is read) and
    the digest of its sources (`aligned_source`: the translated articles'
    texts and sentences).  Most edits touch no translation of src/dst: the
    fingerprint changes but the digest does not, and the stored lexicon is
    kept (re-learning all of them was ~2.5 s of a one-file re-index at 1,500
    articles).

    `store`: (index folder, index fingerprint), None when nothing is kept;
    `aligned_pairs(src, dst)`: the analysed sentence pairs to learn from;
    `aligned_source(src, dst)`: the digest of what they are read from (None:
    the fingerprint only), as `Bridges` was given them."""
    path = stamp = source = None
    stored: dict = {}
    if store is not None and store[0] is not None and store[1]:
        path = store[0] / f"aligned-{ALIGNED_FORMAT}-{src}-{dst}.json"
        stamp = store[1]
        try:
            stored = json.loads(path.read_text(encoding="utf-8"))
            if stored.get("stamp") == stamp:
                return _lexicon_of(stored)
        except (OSError, ValueError, AttributeError, TypeError, KeyError):
            stored = {}
    if aligned_source is not None:
        source = aligned_source(src, dst)
        try:
            if stored.get("source") == source:
                lexicon = _lexicon_of(stored)
                write_json(path, {"stamp": stamp, "source": source, "lexicon": stored["lexicon"]})
                return lexicon
        except (ValueError, AttributeError, TypeError, KeyError):
            pass
    pairs = aligned_pairs(src, dst)
    lexicon = aligned_lexicon(pairs) if pairs else {}
    write_json(path, {"stamp": stamp, "source": source, "lexicon": lexicon})
    return lexicon
