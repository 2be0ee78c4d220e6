"""Where an index is kept and what makes it stale: its folder, its fingerprint,
the key of the per-file analyses, and the removal of indexes whose knowledge
folder is gone."""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
from pathlib import Path

from bot import __version__
from bot.core.cache import atomic_write, cache_root
from bot.core.config import Settings
from bot.knowledge.analysis import analyzer_fingerprint
from bot.knowledge.corpus import knowledge_entries

log = logging.getLogger(__name__)
# 16: a whole HTML page (<!DOCTYPE html> or <html>) is a problem, not an article (corpus.read_text);
# 17: no Thai sentence starts with the repetition mark ("ใด ๆ": the space before ๆ binds);
# 15: a sentence is at most chunking.MAX_SENTENCE_CHARS long (a run without sentence ends is cut);
# 14: `lang: en-US` is English, not a skipped file (corpus.py);
# 13: a one-line file without a front matter title is titled by its id (corpus.py);
# 12: versions whose `translation_of` form a loop share one group (corpus.resolve_groups);
# 11: a Markdown heading taken as the title loses its "#" marks (corpus.py);
# 10: a file without a front matter title whose first line ends with a full stop is titled by its id (corpus.py);
# 9: a link to another article file of the folder never takes the article's id (store.update);
# 8: a .txt file whose front matter has no text after it is a problem, not an article (corpus.py);
# 7: nor at a space after a Thai abbreviation ("17.00 น. ถึง");
# 6: no sentence ends at a title before a name ("Bi. Mwanaisha", "M. Dupont");
# 5: Thai sentences are not cut at a space beside a number or a Latin word;
# 4: a .txt file with a front matter uses it (corpus.py); 3: sentences no longer cut before a lowercase word
FORMAT_VERSION = 17


def analysis_key(settings: Settings) -> str:
    """What a file's cached analysis depends on besides the file itself."""
    i = settings.index  # BM25's k1, b, epsilon, idf re-score the same analyses
    return f"{FORMAT_VERSION}:{analyzer_fingerprint()}:{i.chunk_tokens}:{i.min_thai_sentence_chars}"


def fingerprint(knowledge_dir: Path, settings: Settings) -> str:
    """Changes whenever a knowledge file, the `index:` settings or the analysis code does."""
    digest = hashlib.sha256()
    digest.update(f"{FORMAT_VERSION}:{__version__}:{analyzer_fingerprint()}:{settings.index_key()}".encode())
    # each file's name, size and modification time, from the directory
    # entries (no Path object per file: 0.25 s at 15,000 files)
    # (hashed as one string: the same digest as one update per file, less per-file work)
    lines = []
    for entry in knowledge_entries(knowledge_dir):
        try:
            st = entry.stat()
            lines.append(f"{entry.name}:{st.st_size}:{st.st_mtime_ns}\n")
        except OSError:
            lines.append(f"{entry.name}:unreadable\n")
    digest.update("".join(lines).encode())
    return digest.hexdigest()[:24]


def cache_dir_for(knowledge_dir: Path) -> Path:
    """Where the index of `knowledge_dir` is kept (BOT_CACHE_DIR overrides)."""
    root = cache_root()
    key = hashlib.sha256(str(knowledge_dir.resolve()).encode()).hexdigest()[:16]
    return root / f"index-{key}"


SOURCE = "source.json"  # beside an index: the knowledge folder it indexes


def prune_vanished_indexes(cache: Path, knowledge_dir: Path) -> list[Path]:
    """Record in `cache` (an index folder) which knowledge folder it indexes, and
    remove the other index folders whose knowledge folder is gone: one index
    per knowledge path ever served would otherwise stay forever (a renamed
    folder, a test's temporary one).  Folders written before the record, or
    whose record cannot be read, are left alone.  Run when an index is
    written, never on a cold start; the sentence embeddings are kept apart
    (knowledge/vectors.py), so a folder that comes back is re-embedded only
    where its text changed."""
    try:
        atomic_write(cache / SOURCE, lambda f: f.write(
            json.dumps({"knowledge": str(knowledge_dir.resolve())}).encode("utf-8")))
        others = [p for p in cache.parent.iterdir() if p.name.startswith("index-") and p != cache]
    except OSError:
        return []
    removed = []
    for other in others:
        try:
            source = Path(json.loads((other / SOURCE).read_text(encoding="utf-8"))["knowledge"])
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if not source.is_dir():
            shutil.rmtree(other, ignore_errors=True)
            removed.append(other)
    if removed:
        log.info("removed the indexes of %d knowledge folder%s that no longer exist",
                 len(removed), "" if len(removed) == 1 else "s")
    return removed
