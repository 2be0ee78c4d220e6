"""Build `bot/data/thai_roman.json.gz`: every word of pythainlp's Thai dictionary romanized.

    pip install --target /tmp/ort onnxruntime   # only for this script; the bot never imports it
    PYTHONPATH=/tmp/ort .venv/bin/python tools/build_thai_roman.py

Why: Thai names asked in Latin letters ("Chiang Mai", "Hat Yai") are matched
against the article's Thai index terms romanized (answering/thai_names.py).
pythainlp's rule-based `royin`, the only romanizer that runs without a model,
gets about a third of the terms of our folders wrong: a leading ห and the
implicit vowels above all (เชียงใหม่ "chianghaim", หาดใหญ่ "athain", สงขลา
"sangakhla", ห้อง "ong").  pythainlp's seq2seq `thai2rom` model, which its wheel
carries as ONNX files, gets them right ("chiangmai", "hatyai", "songkhla",
"hong"), but running it needs onnxruntime (~80 MB installed).  The newmm
segmenter cuts Thai text into the words of this same dictionary (98.6 % of
the 2,049 distinct Thai terms of our 23 folders are dictionary words), so one table
romanized once here serves nearly every term; the bot falls back to royin
for the others and keeps royin's spelling beside the table's.

Output: {"source", "licence", "entries": {thai word: romanization in letters a-z}}.
Words the model leaves empty or not in Latin letters are left out.
"""

from __future__ import annotations

import gzip
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bot" / "data" / "thai_roman.json.gz"


def main() -> int:
    import pythainlp
    from pythainlp.corpus import thai_words
    from pythainlp.transliterate.thai2rom_onnx import ThaiTransliterator_ONNX

    from bot.answering.thai_names import latin_letters

    words = sorted(thai_words())
    model = ThaiTransliterator_ONNX()
    entries: dict[str, str] = {}
    start = time.perf_counter()
    for n, word in enumerate(words, 1):
        roman = latin_letters(model.romanize(word))
        if roman:
            entries[word] = roman
        if n % 5000 == 0:
            print(f"{n}/{len(words)} words, {time.perf_counter() - start:.0f} s", file=sys.stderr)
    doc = {
        "source": f"pythainlp {pythainlp.__version__}: thai_words() romanized by its thai2rom ONNX model "
                  "(transliterate.thai2rom_onnx), hyphens and other non-letters dropped",
        "licence": "pythainlp and its thai2rom model: Apache-2.0",
        "entries": entries,
    }
    OUT.write_bytes(gzip.compress(json.dumps(doc, ensure_ascii=False, separators=(",", ":"),
                                             sort_keys=True).encode("utf-8"), mtime=0))
    print(f"{len(entries)} of {len(words)} words -> {OUT} ({OUT.stat().st_size // 1024} KB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
