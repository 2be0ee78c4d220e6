"""Ablation of issue 13's parts, scored by the independent scorer on the three sets.

Each row is a config folder (a copy of config/ with a few settings changed,
or an environment variable), run through ../shared/eval/score.py exactly as
the README says; prints one markdown table row per variant:

    python bench/ablation_semantic.py [--only NAME ...]

Variants: full; declines off; sentences embedded without their title;
lexical only (BOT_EMBEDDER=none: BM25 + bridges, the former BM25 threshold
for declines); cosine only; BM25 only (new decline and clean
quotes); reciprocal-rank fusion; fusion weights 0.3/0.7; cosine window 0.05/0.1;
bridges off; latent terms off; language offset off; the question's focus off;
the title words counted per sentence, not by article.
"""
from __future__ import annotations

import argparse
import atexit
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
BRIDGES = ["thesaurus", "dictionary", "pivot", "aligned", "loanwords", "variants", "misspellings", "compounds",
           "compound_parts", "swahili_affixes", "thai_wordnet", "thai_synonyms", "lemmas", "vectors"]
VARIANTS = {
    "full": ({}, {}),
    "declines off (ranking alone)": ({"decline": {"model_threshold": 0.0}}, {}),
    "sentences embedded alone (no title)": ({"semantic": {"passage_context": "none"}}, {}),
    "no title, window 0.1 (the previous fusion)": ({"semantic": {"passage_context": "none", "cosine_window": 0.1}}, {}),
    "lexical only": ({}, {"BOT_EMBEDDER": "none"}),
    "cosine only": ({"semantic": {"cosine_weight": 1.0}}, {}),
    "BM25 only (+ new decline, clean quotes)": ({"semantic": {"cosine_weight": 0.0}}, {}),
    "RRF k=60": ({"semantic": {"fusion": "rrf", "rrf_k": 60}}, {}),
    "RRF k=10": ({"semantic": {"fusion": "rrf", "rrf_k": 10}}, {}),
    "cosine weight 0.3": ({"semantic": {"cosine_weight": 0.3}}, {}),
    "cosine weight 0.7": ({"semantic": {"cosine_weight": 0.7}}, {}),
    "cosine window 0.05": ({"semantic": {"cosine_window": 0.05}}, {}),
    "cosine window 0.1": ({"semantic": {"cosine_window": 0.1}}, {}),
    "bridges off": ({"bridges": {b: False for b in BRIDGES}}, {}),
    "latent terms off": ({"semantic": {"latent_terms_weight": 0.0}}, {}),
    "language offset off": ({"semantic": {"language_offset": 0.0}}, {}),
    "focus off (the question embedded once)": ({"semantic": {"focus_weight": 0.0}}, {}),
    "title words per sentence": ({"scoring": {"title_words_by_article": False}}, {}),
    "Thai fragments quoted alone": ({"quotes": {"whole_sentence_chars": 0}}, {}),
    "adjacent sentences joined only when alike (0.85)": ({"quotes": {"join_ratio": 0.85}}, {}),
}
SETS = [("dev", EVAL / "dev.jsonl", None), ("dev2", EVAL / "dev2.jsonl", None),
        ("corpus-b", EVAL / "corpus-b.jsonl", EVAL / "corpus-b")]
LINE = re.compile(r"hit@1 ([\d.]+)% hit@3 ([\d.]+)% MRR [\d.]+ declined ([\d.]+)%")


def run(config: Path, env_extra: dict, cache: Path) -> list[str]:
    cells = []
    for _name, path, folder in SETS:
        env = dict(os.environ, BOT_CONFIG_DIR=str(config), BOT_CACHE_DIR=str(cache), **env_extra)
        cmd = [sys.executable, str(EVAL / "score.py"), str(path), "--project", str(ROOT)]
        if folder is not None:
            env["BOT_KNOWLEDGE_DIR"] = str(folder)
            cmd += ["--articles", str(folder)]
        else:
            env.pop("BOT_KNOWLEDGE_DIR", None)
        p = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
        m = LINE.search(p.stdout)
        cells.append(f"{m.group(1)} / {m.group(2)} / {m.group(3)}" if m else "error")
    return cells


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", nargs="*")
    args = parser.parse_args()
    base = yaml.safe_load((ROOT / "config" / "settings.yaml").read_text(encoding="utf-8"))
    cache = Path(os.environ.get("BOT_CACHE_DIR") or tempfile.mkdtemp(prefix="ablation-cache-"))
    if "BOT_CACHE_DIR" not in os.environ:
        atexit.register(shutil.rmtree, cache, True)  # a cache of its own: removed on exit
    print("| variant | dev hit@1 / hit@3 / declined | dev2 | corpus-b |")
    print("|---|---|---|---|")
    for name, (changes, env_extra) in VARIANTS.items():
        if args.only and name not in args.only:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            config = Path(tmp) / "config"
            shutil.copytree(ROOT / "config", config)
            settings = yaml.safe_load(yaml.safe_dump(base))
            for group, values in changes.items():
                settings.setdefault(group, {}).update(values)
            (config / "settings.yaml").write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
            from bot.core.config import load_settings

            load_settings(config)  # a variant naming a key that does not exist fails here, not as zeros
            print(f"| {name} | " + " | ".join(run(config, env_extra, cache)) + " |", flush=True)


if __name__ == "__main__":
    main()
