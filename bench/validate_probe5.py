#!/usr/bin/env python3
"""Standalone check of the probe-5 question files. It never imports or runs the bot.

Checks, for fresh_probe5_folder.jsonl (over probe5_folder/) and fresh_probe5.jsonl
(over ../knowledge/):
  * every line parses as JSON and has exactly the seven keys
    id, lang, kind, question, answerable, expect, article;
  * ids are unique, use the set's prefix and run 001, 002, ... in order;
  * lang is one of fr/sw/th/en and kind one of the six kinds;
  * answerable items name an existing article stem, and each expect string is
    >= 25 characters, is an exact (case- and whitespace-sensitive) substring of
    that article's body (front matter excluded), and stays within one sentence
    (no line break, no . ! ? … followed by a space inside it);
  * unanswerable items have answerable false, expect [] and article null;
  * cross questions are not in the article's language and do not target an
    article that is part of a translation pair; paraphrase questions are in the
    article's language;
  * short questions have at most five words;
  * no question text repeats inside the set or repeats an older set's question;
  * articles' front matter: title present, lang valid, translation_of (if any)
    names another existing stem in a different language;
  * prints counts by kind and by language and compares them with the targets.
Exit status 0 when there is no error.
"""
import collections, json, os, re, sys

HERE = os.path.dirname(os.path.abspath(__file__))
LANGS = {"fr", "sw", "th", "en"}
KINDS = {"direct", "short", "paraphrase", "cross", "noisy", "unanswerable"}
KEYS = {"id", "lang", "kind", "question", "answerable", "expect", "article"}
SETS = [
    # file, article folder, id prefix, expected total, target counts by kind
    ("fresh_probe5_folder.jsonl", os.path.join(HERE, "probe5_folder"), "p5f-", 45,
     {"direct": 8, "short": 8, "paraphrase": 9, "cross": 9, "noisy": 4, "unanswerable": 7}),
    ("fresh_probe5.jsonl", os.path.join(HERE, "..", "knowledge"), "p5-", 30,
     {"direct": 4, "short": 4, "paraphrase": 8, "cross": 7, "noisy": 3, "unanswerable": 4}),
]
# older question sets over the shipped knowledge, for the repeat check only
OLDER = [os.path.join(HERE, "..", "..", "shared", "eval", f) for f in ("dev.jsonl", "dev2.jsonl")]
OLDER += [os.path.join(HERE, f) for f in ("heldout_probe.jsonl", "fresh_probe.jsonl",
                                          "fresh_probe2.jsonl", "fresh_probe3.jsonl", "probe.jsonl")]

errors, warnings = [], []


def err(msg):
    errors.append(msg)


def warn(msg):
    warnings.append(msg)


def split_front_matter(text):
    m = re.match(r"^---\n(.*?)\n---\n", text, re.S)
    if not m:
        return None, text
    meta = {}
    for line in m.group(1).splitlines():
        if not line.strip():
            continue
        k, sep, v = line.partition(":")
        if not sep:
            return None, text
        v = v.strip()
        if len(v) >= 2 and v[0] == v[-1] and v[0] in "\"'":
            v = v[1:-1]
        meta[k.strip()] = v
    return meta, text[m.end():]


def load_articles(folder):
    arts = {}
    for f in sorted(os.listdir(folder)):
        stem, ext = os.path.splitext(f)
        if ext not in (".md", ".txt"):
            continue
        text = open(os.path.join(folder, f), encoding="utf-8").read()
        meta, body = split_front_matter(text)
        arts[stem] = (meta, body)
    return arts


def norm_q(q):
    return re.sub(r"\s+", " ", q.strip().lower())


older_questions = set()
for p in OLDER:
    if os.path.exists(p):
        for line in open(p, encoding="utf-8"):
            if line.strip():
                older_questions.add(norm_q(json.loads(line)["question"]))

for fname, folder, prefix, expected_n, targets in SETS:
    tag = fname
    arts = load_articles(folder)
    # front matter
    paired = set()
    for stem, (meta, body) in arts.items():
        if meta is None:
            err(f"{folder}/{stem}: missing or malformed front matter")
            continue
        if not meta.get("title"):
            err(f"{stem}: front matter has no title")
        if meta.get("lang") not in LANGS:
            err(f"{stem}: front matter lang {meta.get('lang')!r} invalid")
        unknown = set(meta) - {"title", "lang", "translation_of"}
        if unknown:
            err(f"{stem}: unexpected front-matter keys {sorted(unknown)}")
        t = meta.get("translation_of")
        if t is not None:
            if t not in arts:
                err(f"{stem}: translation_of {t!r} is not an article stem")
            elif t == stem:
                err(f"{stem}: translation_of points at itself")
            else:
                other = arts[t][0] or {}
                if other.get("lang") == meta.get("lang"):
                    err(f"{stem}: translation_of {t} has the same language")
                paired.update({stem, t})
        if not body.strip():
            err(f"{stem}: empty body")
    # questions
    items, seen_ids, seen_q = [], set(), set()
    for n, line in enumerate(open(os.path.join(HERE, fname), encoding="utf-8"), 1):
        if not line.strip():
            err(f"{tag}:{n}: blank line")
            continue
        try:
            it = json.loads(line)
        except json.JSONDecodeError as e:
            err(f"{tag}:{n}: bad JSON ({e})")
            continue
        if set(it) != KEYS:
            err(f"{tag}:{n}: keys {sorted(it)} != {sorted(KEYS)}")
            continue
        items.append(it)
        iid = it["id"]
        if iid in seen_ids:
            err(f"{tag}: duplicate id {iid}")
        seen_ids.add(iid)
        if iid != f"{prefix}{len(items):03d}":
            err(f"{tag}:{n}: id {iid} out of sequence (expected {prefix}{len(items):03d})")
        if it["lang"] not in LANGS:
            err(f"{iid}: lang {it['lang']!r} invalid")
        if it["kind"] not in KINDS:
            err(f"{iid}: kind {it['kind']!r} invalid")
        q = it["question"]
        if not isinstance(q, str) or not q.strip():
            err(f"{iid}: empty question")
            continue
        nq = norm_q(q)
        if nq in seen_q:
            err(f"{iid}: question repeated inside {tag}")
        seen_q.add(nq)
        if nq in older_questions:
            err(f"{iid}: question already present in an older set")
        if it["kind"] == "short" and len(q.split()) > 5:
            err(f"{iid}: short question has {len(q.split())} words")
        if not isinstance(it["answerable"], bool):
            err(f"{iid}: answerable must be a boolean")
        if it["kind"] == "unanswerable" or it["answerable"] is False:
            if it["kind"] != "unanswerable" or it["answerable"] is not False:
                err(f"{iid}: kind unanswerable <-> answerable false mismatch")
            if it["expect"] != [] or it["article"] is not None:
                err(f"{iid}: unanswerable must have expect [] and article null")
            continue
        art = it["article"]
        if art not in arts:
            err(f"{iid}: article {art!r} not found in {folder}")
            continue
        meta, body = arts[art]
        art_lang = (meta or {}).get("lang")
        if not isinstance(it["expect"], list) or not it["expect"]:
            err(f"{iid}: answerable item needs a non-empty expect list")
            continue
        for e in it["expect"]:
            if not isinstance(e, str):
                err(f"{iid}: expect entry is not a string")
                continue
            if len(e) < 25:
                err(f"{iid}: expect shorter than 25 chars ({len(e)}): {e!r}")
            if e not in body:
                err(f"{iid}: expect not an exact substring of {art} body: {e!r}")
            if "\n" in e or re.search(r"[.!?…]\s", e):
                err(f"{iid}: expect seems to cross a sentence boundary: {e!r}")
        if it["kind"] == "cross":
            if it["lang"] == art_lang:
                err(f"{iid}: cross question is in the article's own language ({art_lang})")
            if art in paired:
                err(f"{iid}: cross question targets {art}, which is part of a translation pair")
        elif it["kind"] == "paraphrase":
            if it["lang"] != art_lang:
                err(f"{iid}: paraphrase question must be in the article's language ({art_lang})")
        elif it["lang"] != art_lang:
            warn(f"{iid}: {it['kind']} question in {it['lang']} over a {art_lang} article")
    # counts
    kinds = collections.Counter(i["kind"] for i in items)
    langs = collections.Counter(i["lang"] for i in items)
    by_art = collections.Counter(i["article"] for i in items)
    print(f"== {tag}: {len(items)} questions (target {expected_n})")
    print("   by kind: " + ", ".join(f"{k} {kinds[k]} (~{targets[k]})" for k in sorted(targets)))
    print("   by lang: " + ", ".join(f"{k} {langs[k]}" for k in sorted(LANGS)))
    print("   by article: " + ", ".join(f"{k} {v}" for k, v in sorted(by_art.items(), key=lambda x: str(x[0]))))
    if len(items) != expected_n:
        err(f"{tag}: {len(items)} questions, expected {expected_n}")
    for k, t in targets.items():
        if abs(kinds[k] - t) > 2:
            err(f"{tag}: {kinds[k]} {k} questions, target about {t}")
        elif kinds[k] != t:
            warn(f"{tag}: {kinds[k]} {k} questions (target about {t})")
    if set(langs) != LANGS:
        err(f"{tag}: not every language is used: {dict(langs)}")
    arts_without_q = [s for s in arts if s not in by_art]
    if arts_without_q and "probe5_folder" in folder:
        err(f"{tag}: articles with no question: {arts_without_q}")

for w in warnings:
    print("WARN", w)
for e in errors:
    print("ERROR", e)
print("OK: all checks passed" if not errors else f"FAILED: {len(errors)} error(s)")
sys.exit(1 if errors else 0)
