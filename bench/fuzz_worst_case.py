"""Worst-case time per question over generated hostile inputs (QAService.ask).

    .venv/bin/python bench/fuzz_worst_case.py [--inputs 3000] [--seed 1]

Generates inputs like tests/test_fuzz.py does, from a seeded random source
(no hypothesis shrinking, so every input is timed once): random Unicode
(all planes, control characters, surrogate-free), zero-width joiners, RTL
marks, emoji ZWJ sequences, mixed scripts, HTML/Markdown/SQL-looking text,
the articles' own sentences glued together, repeated words, and long inputs
(1k, 4k, 20k and 110k characters).  Prints count, median, p99, worst and the
worst input's shape; checks every reply is non-empty and every quote verbatim.
Nothing here is a test (no assertions on time).
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SPECIAL = [
    "", " ", "\u200d", "\u200b", "\u202e", "\u202b", "\ufeff", "\u2060", "👩‍👩‍👧‍👦", "🏳️‍🌈", "🇹🇭",
    "مرحبا بالعالم", "שלום", "<b>bold</b><script>alert(1)</script>", "&amp;&lt;&#x27;",
    "'; DROP TABLE chat_settings; --", "**markdown** _x_ [l](http://x)", "ความไว้วางใจ", "Bitwise",
    "5 étoiles", "$400", "\x00\x01\x1b[31m", "\r\n", "\t", "ﷺ", "𝕳𝖊𝖑𝖑𝖔", "Z̴̡̛a̷l̶g̸o̵", "ukadiriaji",
    "{0}{question}%s", "ก่อนหน้า", "๑๒๓", "ー", "한국어", "中文字符",
]
RANGES = [(0x20, 0x7E), (0x00, 0x1F), (0xA0, 0x24F), (0x370, 0x6FF), (0x0E00, 0x0E7F), (0x1F300, 0x1FAFF),
          (0x2000, 0x206F), (0x4E00, 0x9FFF), (0xFE00, 0xFEFF), (0x10000, 0x1FFFF)]


def random_text(rng: random.Random, size: int) -> str:
    out = []
    for _ in range(size):
        lo, hi = rng.choice(RANGES)
        code = rng.randint(lo, hi)
        if 0xD800 <= code <= 0xDFFF:
            code = 0x20
        out.append(chr(code))
    return "".join(out)


def sentences() -> list[str]:
    out = []
    for path in sorted((ROOT / "knowledge").glob("*.md")):
        body = path.read_text(encoding="utf-8").split("---", 2)[-1]
        out += [s.strip() for s in re.split(r"(?<=[.!?…])\s+|\n+", body) if len(s.strip()) > 10]
    return out


def generate(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """(shape, text) pairs."""
    own = sentences()
    out: list[tuple[str, str]] = []
    for size in (1_000, 4_096, 20_000, 110_000):  # the long ones, always
        out.append((f"random-{size}", random_text(rng, size)))
        out.append((f"article-glue-{size}", (" ".join(rng.sample(own, min(len(own), 40))) * 200)[:size]))
        out.append((f"one-word-{size}", ("étoiles " * size)[:size]))
        out.append((f"specials-{size}", ("".join(rng.choice(SPECIAL) for _ in range(size // 4)))[:size]))
    while len(out) < count:
        roll = rng.random()
        if roll < 0.3:
            out.append(("random", random_text(rng, rng.randint(0, 300))))
        elif roll < 0.6:
            out.append(("specials", "".join(rng.choice(SPECIAL + [random_text(rng, 5)])
                                            for _ in range(rng.randint(0, 12)))))
        elif roll < 0.8:
            a, b = rng.choice(own), rng.choice(own)
            cut = rng.randint(0, len(a))
            out.append(("article-mix", a[:cut] + rng.choice(SPECIAL) + b))
        elif roll < 0.9:
            out.append(("repeated", (rng.choice(own).split() or ["x"])[0] * rng.randint(1, 2000)))
        else:
            out.append(("long-mix", " ".join(rng.choice(own) + rng.choice(SPECIAL)
                                             for _ in range(rng.randint(20, 200)))))
    return out[:max(count, 16)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    from bot.answering.service import QAService

    service = QAService.open(ROOT / "knowledge", ROOT / "config")
    articles = {a.id: " ".join(a.text.split()) for a in service.kb.articles}
    for article in service.kb.articles:  # warm-up (lazy models) outside the measurement
        service.ask(article.title)
    inputs = generate(random.Random(args.seed), args.inputs)
    timings: list[tuple[float, str, int]] = []
    errors = bad = 0
    for shape, text in inputs:
        started = time.perf_counter()
        try:
            answer = service.ask(text)
        except Exception as exc:  # counted and shown: the fuzz test forbids it
            errors += 1
            print(f"EXCEPTION on {shape} ({len(text)} chars): {exc!r}")
            continue
        timings.append((time.perf_counter() - started, shape, len(text)))
        if not answer.text.strip() or any(" ".join(p.text.split()) not in articles[p.article]
                                          for p in answer.passages):
            bad += 1
    seconds = sorted(t for t, _, _ in timings)
    worst = max(timings)
    p99 = seconds[min(len(seconds) - 1, int(round(0.99 * (len(seconds) - 1))))]
    print(f"inputs: {len(inputs)} (seed {args.seed}); exceptions: {errors}; malformed replies: {bad}")
    print(f"ask latency: median {statistics.median(seconds) * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms, "
          f"worst {worst[0] * 1000:.1f} ms ({worst[1]}, {worst[2]} chars)")
    print("slowest 5: " + "; ".join(f"{t * 1000:.0f} ms {s} {n}ch" for t, s, n in sorted(timings)[-5:]))
    return 1 if errors or bad else 0


if __name__ == "__main__":
    sys.exit(main())
