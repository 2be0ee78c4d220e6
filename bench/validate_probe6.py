#!/usr/bin/env python3
"""Standalone checks for the probe-6 question sets (data only; runs no bot, no scorer).

Checks
  * bench/probe6_folder/: five r0N_*.md articles, YAML front matter (title, lang,
    optional translation_of pointing at an existing stem in another language),
    languages fr x2 + sw + th + en, exactly one translation pair, title repeated as the
    first body line, length (350-700 words; Thai by character count), web boilerplate
    (byline/date, photo caption, read-also line, share/subscribe line).
  * knowledge/: front matter of the shipped articles (incl. translation_of).
  * bench/fresh_probe6_folder.jsonl (vs probe6_folder) and bench/fresh_probe6.jsonl
    (vs knowledge): JSON parses, exactly seven keys, ids unique and sequential, langs
    and kinds valid, answerable/expect/article consistent, every expect >= 25 chars,
    an exact substring of its article, inside ONE sentence (all expects of a question in
    the same sentence), article stem exists, direct/short/paraphrase in the article's
    language, cross NOT in the article's language and NOT aimed at either file of a
    translation pair, short questions 1-5 words, script sanity for Thai, no question
    duplicated from the earlier sets, counts per kind near the brief.

Sentence rule used for "within one sentence": a new sentence starts at a line break and
after . ! ? ... followed by whitespace; in Thai text (no sentence punctuation) every
whitespace run is also a boundary, so a Thai expect never crosses a space.

usage: python3 bench/validate_probe6.py        (exit 0 when everything passes)
"""
import collections, json, os, re, sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
FOLDER = os.path.join(HERE, "probe6_folder")
KNOWLEDGE = os.path.join(ROOT, "knowledge")
SETS = [
    (os.path.join(HERE, "fresh_probe6_folder.jsonl"), FOLDER, "p6f", 45,
     {"direct": 8, "short": 8, "paraphrase": 9, "cross": 9, "noisy": 4, "unanswerable": 7}),
    (os.path.join(HERE, "fresh_probe6.jsonl"), KNOWLEDGE, "p6", 30,
     {"direct": 4, "short": 4, "paraphrase": 8, "cross": 7, "noisy": 3, "unanswerable": 4}),
]
# earlier sets whose questions must not be repeated (other authors' probe4/probe5 are
# deliberately NOT read)
EARLIER = ["/work/shared/eval/dev.jsonl", "/work/shared/eval/dev2.jsonl", "/work/shared/eval/corpus-b.jsonl"] + [
    os.path.join(HERE, n) for n in ("heldout_probe.jsonl", "fresh_probe.jsonl", "fresh_probe2.jsonl",
                                    "fresh_probe3.jsonl", "probe.jsonl")]
LANGS = {"fr", "sw", "th", "en"}
KINDS = {"direct", "short", "paraphrase", "cross", "noisy", "unanswerable"}
KEYS = {"id", "lang", "kind", "question", "answerable", "expect", "article"}
THAI = re.compile(r"[\u0e00-\u0e7f]")
BOILER = {  # (byline/date, photo caption, read-also, share/subscribe) markers per language
    "fr": (r"^Par .*(Publié|\d{4})", r"^Photo ?:", r"^Lire aussi ?:", r"(Partagez|Abonnez-vous|newsletter|infolettre)"),
    "en": (r"^By .*\d{4}", r"^Photo:", r"^(Read also|Related):", r"(Share this|Subscribe)"),
    "sw": (r"^Na .*\d{4}", r"^Picha:", r"^Soma pia:", r"(jiunge|Jiunge|jiandikishe|Bofya)"),
    "th": (r"^โดย .*\d{4}", r"^ภาพ:", r"^อ่านเพิ่มเติม:", r"(กดไลก์|แชร์|ติดตาม)"),
}

errors, notes = [], []

def err(msg):
    errors.append(msg)

def read_article(path):
    text = open(path, encoding="utf-8").read()
    meta, body = {}, text
    lines = text.split("\n")
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        if end is None:
            return None, text, "unterminated front matter"
        for ln in lines[1:end]:
            if not ln.strip():
                continue
            m = re.match(r"^([A-Za-z_]+):\s*(.*)$", ln)
            if not m:
                return None, text, f"bad front matter line {ln!r}"
            v = m.group(2).strip()
            if len(v) >= 2 and v[0] == v[-1] and v[0] in "\"'":
                v = v[1:-1]
            meta[m.group(1)] = v
        body = "\n".join(lines[end + 1:])
    return meta, body, None

def load_folder(folder, strict):
    arts = {}
    for fn in sorted(os.listdir(folder)):
        if not fn.endswith((".md", ".txt")):
            continue
        stem = os.path.splitext(fn)[0]
        meta, body, problem = read_article(os.path.join(folder, fn))
        if problem:
            err(f"{fn}: {problem}")
            continue
        if fn.endswith(".md") or meta:
            if not meta.get("title"):
                err(f"{fn}: front matter lacks title")
            if meta.get("lang") not in LANGS:
                err(f"{fn}: front matter lang {meta.get('lang')!r} not in {sorted(LANGS)}")
            extra = set(meta) - {"title", "lang", "translation_of"}
            if extra:
                err(f"{fn}: unexpected front matter keys {sorted(extra)}")
        arts[stem] = {"file": fn, "meta": meta, "body": body,
                      "raw": open(os.path.join(folder, fn), encoding="utf-8").read()}
    pair = set()
    for stem, a in arts.items():
        t = a["meta"].get("translation_of")
        if t is None:
            continue
        if t not in arts:
            err(f"{a['file']}: translation_of {t!r} is not a file stem in {folder}")
        elif t == stem:
            err(f"{a['file']}: translation_of points at itself")
        else:
            if arts[t]["meta"].get("lang") == a["meta"].get("lang"):
                err(f"{a['file']}: translation_of {t} has the same lang")
            if arts[t]["meta"].get("translation_of"):
                err(f"{a['file']}: translation_of target {t} is itself a translation")
            pair |= {stem, t}
    return arts, pair

def sentences(body):
    out = []
    for line in body.split("\n"):
        for seg in re.split(r"(?<=[.!?…])\s+", line):
            if THAI.search(seg):
                out.extend(s for s in re.split(r"\s+", seg) if s)
            elif seg.strip():
                out.append(seg)
    return out

def words(s):
    return [w for w in re.split(r"\s+", s.strip()) if w]

def check_folder_articles(arts, pair):
    stems = sorted(arts)
    if len(stems) != 5:
        err(f"probe6_folder: {len(stems)} articles, expected 5")
    for s in stems:
        if not re.match(r"^r0[1-5]_[a-z0-9_]+$", s) or not arts[s]["file"].endswith(".md"):
            err(f"probe6_folder: bad file name {arts[s]['file']}")
    langs = collections.Counter(a["meta"].get("lang") for a in arts.values())
    if langs != collections.Counter({"fr": 2, "sw": 1, "th": 1, "en": 1}):
        err(f"probe6_folder: languages {dict(langs)}, expected fr x2, sw, th, en")
    n_tr = sum(1 for a in arts.values() if a["meta"].get("translation_of"))
    if n_tr != 1:
        err(f"probe6_folder: {n_tr} translation_of entries, expected exactly 1")
    for s in stems:
        a = arts[s]
        lang = a["meta"].get("lang")
        body_lines = [l for l in a["body"].split("\n") if l.strip()]
        if not body_lines or body_lines[0].strip() != a["meta"].get("title", "").strip():
            err(f"{a['file']}: first body line does not repeat the title")
        if lang == "th":
            n = len(THAI.findall(a["body"]))
            if not 1500 <= n <= 4500:
                err(f"{a['file']}: {n} Thai characters, outside 1500-4500")
            size = f"{n} Thai chars"
        else:
            n = len(words(a["body"]))
            if not 350 <= n <= 700:
                err(f"{a['file']}: {n} words, outside 350-700")
            size = f"{n} words"
        for label, pat in zip(("byline/date", "photo caption", "read-also", "share/subscribe"), BOILER.get(lang, ())):
            if not any(re.search(pat, l.strip()) for l in body_lines):
                err(f"{a['file']}: no {label} line")
        notes.append(f"  {a['file']}: lang={lang} {size}"
                     + (f" translation_of={a['meta']['translation_of']}" if a["meta"].get("translation_of") else ""))
    if pair:
        notes.append(f"  translation pair: {sorted(pair)}")

def norm_q(q):
    return re.sub(r"[\s\W_]+", " ", q.lower()).strip()

def check_set(path, folder, prefix, n_target, kind_target, arts, pair, earlier_q):
    name = os.path.basename(path)
    rows = []
    for i, line in enumerate(open(path, encoding="utf-8"), 1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except Exception as e:
            err(f"{name}:{i}: JSON error {e}")
    ids = [r.get("id") for r in rows]
    if len(set(ids)) != len(ids):
        err(f"{name}: duplicate ids {[k for k, v in collections.Counter(ids).items() if v > 1]}")
    if ids != [f"{prefix}-{k:03d}" for k in range(1, len(rows) + 1)]:
        err(f"{name}: ids are not {prefix}-001..{prefix}-{len(rows):03d} in order")
    if len(rows) != n_target:
        err(f"{name}: {len(rows)} questions, expected {n_target}")
    seen_q = set()
    for r in rows:
        rid = r.get("id")
        if set(r) != KEYS:
            err(f"{rid}: keys {sorted(r)} != {sorted(KEYS)}")
            continue
        lang, kind, q, ans, exp, art = (r[k] for k in ("lang", "kind", "question", "answerable", "expect", "article"))
        if lang not in LANGS:
            err(f"{rid}: lang {lang!r}")
        if kind not in KINDS:
            err(f"{rid}: kind {kind!r}")
        if not isinstance(q, str) or not q.strip():
            err(f"{rid}: empty question")
            continue
        nq = norm_q(q)
        if nq in seen_q:
            err(f"{rid}: question repeated within the set")
        seen_q.add(nq)
        if nq in earlier_q:
            err(f"{rid}: question already in an earlier set ({earlier_q[nq]})")
        if (lang == "th") != bool(THAI.search(q)):
            err(f"{rid}: question script does not match lang {lang}")
        if kind == "short":
            if lang == "th":
                if len(q) > 30 or len(words(q)) > 5:
                    err(f"{rid}: Thai short question too long")
            elif not 1 <= len(words(q)) <= 5:
                err(f"{rid}: short question has {len(words(q))} words")
        if not isinstance(ans, bool) or ans != (kind != "unanswerable"):
            err(f"{rid}: answerable={ans!r} inconsistent with kind {kind}")
        if kind == "unanswerable":
            if exp != [] or art is not None:
                err(f"{rid}: unanswerable needs expect [] and article null")
            continue
        if not isinstance(exp, list) or not exp or not all(isinstance(e, str) for e in exp):
            err(f"{rid}: expect must be a non-empty list of strings")
            continue
        if art not in arts:
            err(f"{rid}: article {art!r} is not a stem in {folder}")
            continue
        a = arts[art]
        alang = a["meta"].get("lang")
        if kind in ("direct", "short", "paraphrase") and lang != alang:
            err(f"{rid}: {kind} question in {lang} but article is {alang}")
        if kind == "cross":
            if lang == alang:
                err(f"{rid}: cross question in the article's own language {alang}")
            if art in pair:
                err(f"{rid}: cross question aimed at a translation-pair file {art}")
        sents = sentences(a["body"])
        homes = []
        for e in exp:
            if len(e) < 25:
                err(f"{rid}: expect shorter than 25 chars: {e!r}")
            if e not in a["raw"]:
                err(f"{rid}: expect not an exact substring of {art}: {e!r}")
            idx = {k for k, s in enumerate(sents) if e in s}
            if not idx:
                err(f"{rid}: expect not inside one sentence of {art}: {e!r}")
            homes.append(idx)
        if homes and all(homes) and not set.intersection(*homes):
            err(f"{rid}: expects are not all in the same sentence")
    kinds = collections.Counter(r.get("kind") for r in rows)
    for k, t in kind_target.items():
        if abs(kinds.get(k, 0) - t) > 1:
            err(f"{name}: {kinds.get(k, 0)} {k} questions, brief asks ~{t}")
    if folder == FOLDER:
        un = [r for r in rows if r.get("kind") == "unanswerable"]
        if len(un) < 7:
            err(f"{name}: fewer than 7 unanswerable")
        cross_tgt = collections.Counter(arts[r["article"]]["meta"]["lang"] for r in rows
                                        if r.get("kind") == "cross" and r.get("article") in arts)
        notes.append(f"  {name}: cross targets by article language {dict(cross_tgt)}")
    langs = collections.Counter(r.get("lang") for r in rows)
    for l in LANGS:
        if langs.get(l, 0) == 0:
            err(f"{name}: no question in {l}")
    notes.append(f"  {name}: {len(rows)} questions; kinds {dict(sorted(kinds.items()))}; "
                 f"langs {dict(sorted(langs.items()))}")
    by = collections.Counter((r.get("kind"), r.get("lang")) for r in rows)
    for k in ("direct", "short", "paraphrase", "cross", "noisy", "unanswerable"):
        notes.append(f"      {k:<13}" + " ".join(f"{l}={by.get((k, l), 0)}" for l in ("fr", "sw", "th", "en")))
    return rows

def main():
    earlier_q = {}
    for p in EARLIER:
        if os.path.exists(p):
            for line in open(p, encoding="utf-8"):
                if line.strip():
                    r = json.loads(line)
                    earlier_q.setdefault(norm_q(r["question"]), f"{os.path.basename(p)} {r.get('id')}")
    fold_arts, fold_pair = load_folder(FOLDER, True)
    check_folder_articles(fold_arts, fold_pair)
    know_arts, know_pair = load_folder(KNOWLEDGE, False)
    notes.append(f"  knowledge translation pair: {sorted(know_pair)}")
    for path, folder, prefix, n, kt in SETS:
        arts, pair = (fold_arts, fold_pair) if folder == FOLDER else (know_arts, know_pair)
        check_set(path, folder, prefix, n, kt, arts, pair, earlier_q)
    print("probe6 validation")
    print("\n".join(notes))
    if errors:
        print(f"FAIL: {len(errors)} problem(s)")
        for e in errors:
            print("  -", e)
        sys.exit(1)
    print("PASS: all checks passed")

if __name__ == "__main__":
    main()
