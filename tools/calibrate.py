"""Calibrate the decline thresholds (min_sentence_score, min_coverage) on a QA set.

    .venv/bin/python tools/calibrate.py ../shared/eval/dev.jsonl [MORE.jsonl ...] [--target-declined 0.8]

Several sets are pooled (dev and the self-written bench/heldout_probe.jsonl:
a threshold chosen on more questions sits less at the edge of one of them).

Runs every question once with the thresholds at 0, records the best hit's
own sentence BM25 score (without its chunk's share: the quoted sentence
itself must carry evidence, not only its neighbours) and coverage and whether
its first passage is right, then sweeps a grid
of (min_sentence_score, min_coverage).  Among the points that decline at least
`--target-declined` of the unanswerable questions, it keeps those with the
most right outcomes (hit@1 answers + declined off-topic questions: a wrong
quote and a wrong silence cost one each), and of these picks the one farthest
from the feature value of any question the threshold can flip (an off-topic
question, or one whose first quote is right): the middle of the plateau, not
the edge of one item.  The margin is
printed in each feature's own units: a held-out question needs to differ by
more than that from every dev question to fall on the other side.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.answering.service import QAService  # noqa: E402
from bot.evaluation import load_items  # noqa: E402


def collect(service: QAService, items: list[dict]) -> list[tuple[bool, bool, float, float]]:
    """(answerable, top passage right, top score, top coverage) per item, thresholds off.

    A question the composer declines for another reason (a quantity question
    without any number in its quotes) gets score 0: no threshold answers it."""
    service = service.with_settings(service.settings.override(
        {"decline.min_score": 0.0, "decline.min_coverage": 0.0, "decline.min_sentence_score": 0.0}))
    out = []
    for it in items:
        e = service.explain(it["question"])
        top = e.hits[0] if e.hits else None
        expect = [x.lower() for x in it.get("expect", [])]
        right = bool(e.answer.passages) and any(x in " ".join(e.answer.passages[0].text.lower().split())
                                                for x in expect)
        answered = top is not None and e.answer.answered
        out.append((bool(it.get("answerable", True)), right,
                    top.sentence_score if answered else 0.0, top.coverage if answered else 0.0))
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("sets", type=Path, nargs="+")
    ap.add_argument("--target-declined", type=float, default=0.8)
    a = ap.parse_args()
    rows = collect(QAService.open(), [it for path in a.sets for it in load_items(path)])
    ans = np.array([r[0] for r in rows])
    right = np.array([r[1] for r in rows])
    score = np.array([r[2] for r in rows])
    cov = np.array([r[3] for r in rows])
    n_ans, n_un = int(ans.sum()), int((~ans).sum())
    score_grid = np.round(np.arange(0.0, 20.001, 0.02), 2)
    cov_grid = np.round(np.arange(0.0, 1.001, 0.01), 2)
    # Questions a threshold can flip between a right and a wrong outcome.
    flip = (score > 0) & (~ans | right)
    table = []
    for ms in score_grid:
        for mc in cov_grid:
            answered = (score >= ms) & (cov >= mc) & (score > 0)
            hit1 = int((answered & right & ans).sum())
            declined = int((~answered & ~ans).sum())
            if n_un and declined / n_un < a.target_declined:
                continue
            # Margin: distance to the nearest item value on each axis, relative to the
            # spread of that feature among answerable questions.
            m_s = float(np.min(np.abs(score[flip] - ms))) if ms > 0 else float("inf")
            m_c = float(np.min(np.abs(cov[flip] - mc))) if mc > 0 else float("inf")
            rel = min(m_s / (np.std(score[ans]) or 1), m_c / (np.std(cov[ans]) or 1))
            table.append((hit1, declined, ms, mc, m_s, m_c, rel))
    if not table:
        print("no threshold reaches the declined target")
        return 1
    top = max(t[0] + t[1] for t in table)
    plateau = [t for t in table if t[0] + t[1] == top]
    best = max(plateau, key=lambda t: (t[6], -t[2], -t[3]))
    hit1, declined, ms, mc, m_s, m_c, rel = best
    scores = sorted({t[2] for t in plateau if t[3] == mc})
    covs = sorted({t[3] for t in plateau if t[2] == ms})
    print(f"answerable {n_ans}, unanswerable {n_un}")
    print(f"chosen: min_sentence_score={ms} min_coverage={mc}")
    print(f"  hit@1 {100 * hit1 / n_ans:.1f}%  declined {100 * declined / n_un:.1f}%")
    print(f"  plateau at this min_coverage: min_sentence_score in [{scores[0]}, {scores[-1]}]")
    print(f"  plateau at this min_sentence_score: min_coverage in [{covs[0]}, {covs[-1]}]")
    print(f"  margin to the nearest question: score {m_s:.2f}, coverage {m_c:.3f}")
    near = sorted(score[flip], key=lambda v: abs(v - ms))[:4]
    print("  nearest question scores: " + ", ".join(f"{v:.2f}" for v in sorted(near)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
