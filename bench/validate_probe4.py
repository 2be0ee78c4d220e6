#!/usr/bin/env python3
"""Standalone check of the probe-4 question files (does not touch the bot).

Checks: JSON parses; required keys; ids unique and sequential; lang/kind valid;
answerable items name an existing article stem and every expect string is an
exact (case- and whitespace-sensitive) substring of that article file and is
>= 25 characters; unanswerable items have expect [] and article null;
front matter of the probe folder; counts by kind and language.
"""
import collections, json, os, re, sys

HERE = os.path.dirname(os.path.abspath(__file__))
LANGS = {"fr", "sw", "th", "en"}
KINDS = {"direct", "short", "paraphrase", "cross", "noisy", "unanswerable"}
SETS = [
    ("fresh_probe4_folder.jsonl", os.path.join(HERE, "probe4_folder"), "p4f-", 45),
    ("fresh_probe4.jsonl", os.path.join(HERE, "..", "knowledge"), "p4-", 40),
]

def front_matter(text):
    m = re.match(r"^---\n(.*?)\n---\n", text, re.S)
    if not m:
        return None
    meta = {}
    for line in m.group(1).splitlines():
        k, _, v = line.partition(":")
        meta[k.strip()] = v.strip().strip('"')
    return meta

errors = []
def err(msg):
    errors.append(msg)

for fname, folder, prefix, expected_n in SETS:
    arts = {}
    for f in sorted(os.listdir(folder)):
        stem, ext = os.path.splitext(f)
        if ext in (".md", ".txt"):
            arts[stem] = open(os.path.join(folder, f), encoding="utf-8").read()
    metas = {s: front_matter(t) for s, t in arts.items()}
    for s, m in metas.items():
        if m is None or "title" not in m or m.get("lang") not in LANGS:
            err(f"{folder}/{s}: bad front matter {m}")
        elif m.get("translation_of") and m["translation_of"] not in arts:
            err(f"{s}: translation_of {m['translation_of']} not found")
    items = []
    for n, line in enumerate(open(os.path.join(HERE, fname), encoding="utf-8"), 1):
        if not line.strip():
            continue
        try:
            items.append(json.loads(line))
        except Exception as e:
            err(f"{fname}:{n}: JSON error {e}")
    ids = [it.get("id") for it in items]
    if len(set(ids)) != len(ids):
        err(f"{fname}: duplicate ids")
    if ids != [f"{prefix}{i:03d}" for i in range(1, len(items) + 1)]:
        err(f"{fname}: ids not sequential {prefix}001..")
    if len(items) != expected_n:
        err(f"{fname}: {len(items)} items, expected {expected_n}")
    for it in items:
        iid = it.get("id")
        if set(it) != {"id", "lang", "kind", "question", "answerable", "expect", "article"}:
            err(f"{iid}: keys {sorted(it)}")
        if it.get("lang") not in LANGS:
            err(f"{iid}: lang {it.get('lang')}")
        if it.get("kind") not in KINDS:
            err(f"{iid}: kind {it.get('kind')}")
        if not isinstance(it.get("question"), str) or not it["question"].strip():
            err(f"{iid}: empty question")
        if it.get("kind") == "unanswerable" or not it.get("answerable"):
            if it.get("answerable") is not False or it.get("expect") != [] or it.get("article") is not None or it.get("kind") != "unanswerable":
                err(f"{iid}: unanswerable item malformed")
            continue
        art = it.get("article")
        if art not in arts:
            err(f"{iid}: article {art!r} not in {folder}")
            continue
        if not it.get("expect"):
            err(f"{iid}: no expect")
        body = arts[art].split("\n---\n", 1)[1]
        for e in it["expect"]:
            if len(e) < 25:
                err(f"{iid}: expect shorter than 25 chars: {e!r}")
            if e not in body:
                err(f"{iid}: expect not an exact substring of {art}: {e!r}")
            elif "\n" in e:
                err(f"{iid}: expect spans lines: {e!r}")
        if it["kind"] == "cross" and it["lang"] == metas[art]["lang"]:
            err(f"{iid}: cross question in the article's own language")
        if it["kind"] != "cross" and it["lang"] != metas[art]["lang"] and it["kind"] not in ("short", "noisy"):
            err(f"{iid}: {it['kind']} question language differs from article")
        # a cross question on one member of a translation pair would also be answered by the other
        if it["kind"] == "cross":
            pair = {s for s, m in metas.items() if m.get("translation_of") == art} | ({metas[art].get("translation_of")} - {None})
            if any(metas[p]["lang"] == it["lang"] for p in pair) or pair:
                err(f"{iid}: cross question targets a translation-pair article ({art} <-> {pair})")
    kinds = collections.Counter(it["kind"] for it in items)
    langs = collections.Counter(it["lang"] for it in items)
    kl = collections.Counter((it["kind"], it["lang"]) for it in items)
    print(f"== {fname}: {len(items)} items, {len(arts)} articles in {os.path.relpath(folder, HERE)}")
    print("  kinds:", dict(sorted(kinds.items())))
    print("  langs:", dict(sorted(langs.items())))
    print("  per article:", dict(sorted(collections.Counter(it["article"] or "-" for it in items).items())))
    for k in sorted(KINDS):
        print(f"    {k:<13}", {l: kl[(k, l)] for l in sorted(LANGS)})
    if folder.endswith("probe4_folder"):
        for s, t in arts.items():
            body = t.split("\n---\n", 1)[1]
            print(f"  {s}: lang={metas[s]['lang']} words={len(body.split())} chars={len(body)}"
                  + (f" translation_of={metas[s]['translation_of']}" if metas[s].get("translation_of") else ""))

if errors:
    print("\nFAIL")
    for e in errors:
        print("  ", e)
    sys.exit(1)
print("\nOK: all checks passed")
