"""An index whose knowledge folder is gone is removed when another index is
written: real folders, a real cache folder."""

from __future__ import annotations

import shutil

from bot.knowledge.index_cache import SOURCE, cache_dir_for
from bot.knowledge.store import open_knowledge

from conftest import knowledge_folder, shipped_settings


def _folder(root, name: str):
    root.mkdir()
    return knowledge_folder(root, (name, f"Habari ya {name}", "sw", f"Soko la {name} linafunguliwa kila Jumamosi."))


def test_the_index_of_a_vanished_folder_goes_the_others_stay(tmp_path, monkeypatch):
    monkeypatch.setenv("BOT_CACHE_DIR", str(tmp_path / "cache"))
    settings = shipped_settings()
    kept, gone, later = _folder(tmp_path / "a", "a"), _folder(tmp_path / "b", "b"), _folder(tmp_path / "c", "c")
    open_knowledge(kept, settings)
    open_knowledge(gone, settings)
    legacy = tmp_path / "cache" / "index-0123456789abcdef"  # written before the record: left alone
    legacy.mkdir()
    assert (cache_dir_for(gone) / SOURCE).is_file()
    shutil.rmtree(gone)
    open_knowledge(kept, settings)  # a fresh index is only read: nothing is pruned on a cold start
    assert cache_dir_for(gone).is_dir()
    open_knowledge(later, settings)  # writing an index prunes
    assert not cache_dir_for(gone).exists()
    assert cache_dir_for(kept).is_dir() and cache_dir_for(later).is_dir() and legacy.is_dir()
    kb, rebuilt = open_knowledge(kept, settings)
    assert not rebuilt and len(kb.sentences) > 0
