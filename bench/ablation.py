"""Ablation of the bridges: hit@1 per kind with each bridge off in turn.

    .venv/bin/python bench/ablation.py ../shared/eval/dev.jsonl [--markdown]

One QAService is opened; each row swaps in a Retriever/Composer whose
settings differ only by the named switches (decline thresholds unchanged).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.answering.service import QAService  # noqa: E402
from bot.evaluation import evaluate, load_items  # noqa: E402

KINDS = ["direct", "paraphrase", "translation", "cross", "noisy"]
BRIDGES = ("thesaurus", "dictionary", "pivot", "aligned", "loanwords", "variants", "misspellings", "compounds",
           "compound_parts", "swahili_affixes", "thai_wordnet", "thai_synonyms", "lemmas", "vectors")
ALL_OFF = {f"bridges.{name}": False for name in BRIDGES}
ROWS = [
    ("all bridges on", {}),
    ("no bridges", ALL_OFF),
    ("- thesaurus (fr syn)", {"bridges.thesaurus": False}),
    ("- dictionary (FreeDict)", {"bridges.dictionary": False}),
    ("- pivot via en", {"bridges.pivot": False}),
    ("- aligned fr<->sw", {"bridges.aligned": False}),
    ("- Thai loanwords", {"bridges.loanwords": False}),
    ("- spelling variants", {"bridges.variants": False}),
    ("- misspellings", {"bridges.misspellings": False}),
    ("- Thai compounds", {"bridges.compounds": False}),
    ("- Thai compound parts", {"bridges.compound_parts": False}),
    ("- Swahili affixes", {"bridges.swahili_affixes": False}),
    ("- Thai WordNet th<->en", {"bridges.thai_wordnet": False}),
    ("- Thai WordNet synonyms", {"bridges.thai_synonyms": False}),
    ("- French lemmas (Hunspell)", {"bridges.lemmas": False}),
    ("- French word vectors", {"bridges.vectors": False}),
    ("- quantity needs a number", {"decline.quantity_needs_number": False}),
    ("- when prefers time words", {"quotes.time_prefers_time_words": False}),
    ("only thesaurus", {**ALL_OFF, "bridges.thesaurus": True}),
    ("only dictionary+pivot", {**ALL_OFF, "bridges.dictionary": True, "bridges.pivot": True}),
]


def variant(service: QAService, **overrides) -> QAService:
    """A copy of `service` whose retrieval settings differ by `overrides`."""
    return service.with_settings(service.settings.override(overrides))


def row(service: QAService, items: list[dict]) -> dict[str, float]:
    report = evaluate(service, items)
    out = {}
    for kind in ["all"] + KINDS:
        t = report.rows[("all", "")] if kind == "all" else report.rows[("kind", kind)]
        out[kind] = 100 * t.hit1 / t.n if t.n else float("nan")
        if kind == "all":  # rank-only changes show here
            out["hit@3"] = 100 * t.hit3 / t.n if t.n else float("nan")
            out["MRR"] = t.rr / t.n if t.n else float("nan")
    t = report.rows[("kind", "unanswerable")]
    out["declined"] = 100 * t.declined / t.unanswerable if t.unanswerable else float("nan")
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("set", type=Path)
    ap.add_argument("--markdown", action="store_true")
    a = ap.parse_args()
    items = load_items(a.set)
    service = QAService.open()
    cols = ["all", "hit@3", "MRR"] + KINDS + ["declined"]
    if a.markdown:
        print("| variant | " + " | ".join(cols) + " |")
        print("|---" * (len(cols) + 1) + "|")
    else:
        print(f"{'variant':<26}" + "".join(f"{c:>12}" for c in cols))
    for name, overrides in ROWS:
        r = row(variant(service, **overrides), items)
        if a.markdown:
            print(f"| {name} | " + " | ".join(f"{r[c]:.3f}" if c == "MRR" else f"{r[c]:.1f}" for c in cols) + " |")
        else:
            print(f"{name:<26}" + "".join(f"{r[c]:>12.3f}" if c == "MRR" else f"{r[c]:>12.1f}" for c in cols))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
