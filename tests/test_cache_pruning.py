"""Caches built from a shipped file do not pile up: each upgrade (a new size or
mtime of the file) writes a new copy, and writing it removes the family's
older copies but one, and the folders named as before `family_dir`.  Real
files in a temporary cache folder; the language model is py3langid's own."""

from __future__ import annotations

import gzip
import json
import os
import shutil
from importlib import resources
from pathlib import Path

from bot.answering import word_vectors
from bot.answering.tables import open_gzip_json_table
from bot.knowledge import language


def _table_file(path: Path, entries: dict[str, list[str]], mtime_ns: int) -> Path:
    path.write_bytes(gzip.compress(json.dumps({"entries": entries}).encode()))
    os.utime(path, ns=(mtime_ns, mtime_ns))
    return path


def _age(folder: Path, seconds_ago: int) -> None:
    t = folder.stat().st_mtime - seconds_ago
    os.utime(folder, (t, t))


def test_a_family_keeps_the_copy_written_and_the_newest_other(tmp_path, monkeypatch):
    cache_dir = tmp_path / "cache"
    monkeypatch.setenv("BOT_CACHE_DIR", str(cache_dir))
    source = tmp_path / "t.json.gz"
    neighbour = _table_file(tmp_path / "t-wn.json.gz", {"x": ["y"]}, 10**18)
    open_gzip_json_table(neighbour, "t-wn")  # a family whose name starts like the other's
    for version in range(1, 5):
        _table_file(source, {"k": [f"v{version}"]}, 10**18 + version)
        table = open_gzip_json_table(source, "t")
        assert table["k"] == [f"v{version}"]
        for folder in cache_dir.glob("table-1-t@*"):
            if folder.name != f"table-1-t@{source.stat().st_size}-{10**18 + version}":
                _age(folder, 60 * version)  # written earlier than the one just built
    copies = sorted(p.name for p in cache_dir.glob("table-1-t@*"))
    size = source.stat().st_size
    assert copies == [f"table-1-t@{size}-{10**18 + 3}", f"table-1-t@{size}-{10**18 + 4}"]
    assert [p.name for p in cache_dir.glob("table-1-t-wn@*")] == [f"table-1-t-wn@{neighbour.stat().st_size}-{10**18}"]


def test_a_pruned_copy_still_serves_the_process_that_mapped_it(tmp_path, monkeypatch):
    monkeypatch.setenv("BOT_CACHE_DIR", str(tmp_path / "cache"))
    source = _table_file(tmp_path / "t.json.gz", {"k": ["old"]}, 10**18)
    old = open_gzip_json_table(source, "t")
    for version in (1, 2):
        _table_file(source, {"k": ["new"]}, 10**18 + version)
        open_gzip_json_table(source, "t")
    assert not (tmp_path / "cache" / f"table-1-t@{source.stat().st_size}-{10**18}").exists()
    assert old["k"] == ["old"] and list(old) == ["k"]


def test_folders_named_before_family_dir_are_removed(tmp_path, monkeypatch):
    cache_dir = tmp_path / "cache"
    monkeypatch.setenv("BOT_CACHE_DIR", str(cache_dir))
    stale = ["table-1-t-123-456", "table-1-t-0123456789abcdef0123"]
    other = ["table-1-t-wn-123-456", "table-1-tt-123-456", "index-0123456789abcdef", "vectors"]
    for name in stale + other:
        (cache_dir / name).mkdir(parents=True)
    source = _table_file(tmp_path / "t.json.gz", {"k": ["v"]}, 10**18)
    assert open_gzip_json_table(source, "t")["k"] == ["v"]
    left = {p.name for p in cache_dir.iterdir()}
    assert not left & set(stale) and set(other) <= left


def test_the_word_vectors_and_the_language_model_prune_their_families(tmp_path, monkeypatch):
    cache_dir = tmp_path / "cache"
    monkeypatch.setenv("BOT_CACHE_DIR", str(cache_dir))
    shipped = Path(str(resources.files("bot.data").joinpath("bridges", "vec-fr.npz")))
    copy = tmp_path / "vec-fr.npz"
    shutil.copyfile(shipped, copy)
    langs = ("en", "fr")
    stale = ["vectors-1-vec-fr-1-2", "langid-1-1-2-en-fr", "langid-1-en-fr@1-2", "langid-1-en-fr@3-4"]
    for n, name in enumerate(stale):
        (cache_dir / name).mkdir(parents=True)
        os.utime(cache_dir / name, (1_000_000 + n, 1_000_000 + n))
    arrays = word_vectors._arrays(copy)
    assert len(arrays["stems"]) == len(arrays["vectors"]) > 1000
    language._identifier.cache_clear()
    language._model.cache_clear()
    try:
        assert language.detect_language("Bonjour, comment allez-vous ?", langs, "en", 3) == "fr"
    finally:
        language._identifier.cache_clear()
        language._model.cache_clear()
    left = {p.name for p in cache_dir.iterdir()}
    built_langid = language._cache_dir(language._modelled(langs))
    assert built_langid is not None and built_langid.name in left
    # the served languages' own models, from before the one model held every
    # Latin-script language, are gone with the older names
    assert not {name for name in stale if name.startswith("langid-") and name in left}
    # the newest older copy of the wide model stays (another install may use it)
    wide = built_langid.name.partition("@")[0]
    for n, name in enumerate((f"{wide}@1-2", f"{wide}@3-4")):
        (cache_dir / name).mkdir()
        os.utime(cache_dir / name, (1_000_000 + n, 1_000_000 + n))
    language._identifier.cache_clear()
    language._model.cache_clear()
    shutil.rmtree(built_langid)
    try:
        language.detect_language("Bonjour, comment allez-vous ?", langs, "en", 3)
    finally:
        language._identifier.cache_clear()
        language._model.cache_clear()
    left = {p.name for p in cache_dir.iterdir()}
    assert f"{wide}@3-4" in left and f"{wide}@1-2" not in left
    assert any(name.startswith("vectors-1-vec-fr@") for name in left)

