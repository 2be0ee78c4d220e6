"""The shipped bridge tables, by name: `bot/data/bridges/<name>.json.gz`.

Built by tools/build_bridges.py from the Debian packages, keyed by analysed
terms (dictionaries `<src>-<dst>`, thesauri `syn-<lang>`, loanwords, Thai
WordNet, French lemmas).  A table is opened on the first question that needs
it and kept for the process; the opening itself (memory-mapped arrays in the
cache folder, keys looked up on demand) is bot/answering/tables.py's, imported
only then.
"""

from __future__ import annotations

import gzip
import json
from functools import cache
from importlib import resources
from pathlib import Path


@cache
def load_table(name: str) -> dict[str, list[str]]:
    """A shipped bridge table (analysed source key -> analysed target keys); {} if absent."""
    from bot.answering.tables import open_gzip_json_table  # memory-mapped, keys looked up on demand

    resource = resources.files("bot.data").joinpath("bridges", f"{name}.json.gz")
    try:
        if isinstance(resource, Path):  # an installed file: its cache is found by size and time, unread
            if not resource.is_file():
                return {}
            return open_gzip_json_table(resource, name)  # type: ignore[return-value]  # a read-only Mapping
        raw = resource.read_bytes()  # inside a zip or another loader: keyed by content
    except (FileNotFoundError, OSError):
        return {}
    return open_gzip_json_table(raw, name)  # type: ignore[return-value]


@cache
def dictionary_targets(src: str) -> tuple[str, ...]:
    """The languages a shipped dictionary table translates `src` into ("en" -> fr, sw, th)."""
    folder = resources.files("bot.data").joinpath("bridges")
    prefix, suffix = f"{src}-", ".json.gz"
    try:
        names = [entry.name for entry in folder.iterdir()]
    except (FileNotFoundError, OSError):
        return ()
    return tuple(sorted(n[len(prefix):-len(suffix)] for n in names
                        if n.startswith(prefix) and n.endswith(suffix) and len(n) == len(prefix) + 2 + len(suffix)))


def table_info(name: str) -> dict[str, str]:
    """Source and licence recorded in a table's header."""
    raw = resources.files("bot.data").joinpath("bridges", f"{name}.json.gz").read_bytes()
    doc = json.loads(gzip.decompress(raw).decode("utf-8"))
    return {"source": doc["source"], "licence": doc["licence"]}


def loanword_tables() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """(th -> en, en -> th) from pythainlp's Thai-English transliteration
    dictionary, precomputed by tools/build_bridges.py."""
    return load_table("th-en"), load_table("en-th")
