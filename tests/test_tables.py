"""Memory-mapped bridge tables hold exactly the shipped JSON, and a damaged
cache is rebuilt, not trusted."""

from __future__ import annotations

import gzip
import json
from importlib import resources

import pytest

from bot.answering.tables import LazyTable, open_gzip_json_table

NAMES = sorted(p.name[: -len(".json.gz")] for p in resources.files("bot.data").joinpath("bridges").iterdir()
               if p.name.endswith(".json.gz"))


@pytest.mark.parametrize("name", NAMES)
def test_lazy_table_equals_the_json(tmp_path, monkeypatch, name):
    monkeypatch.setenv("BOT_CACHE_DIR", str(tmp_path))
    raw = resources.files("bot.data").joinpath("bridges", f"{name}.json.gz").read_bytes()
    want = json.loads(gzip.decompress(raw).decode("utf-8"))["entries"]
    open_gzip_json_table(raw, name)  # writes the cache
    table = open_gzip_json_table(raw, name)  # reads it
    assert isinstance(table, LazyTable)
    assert len(table) == len(want) and dict(table.items()) == want
    assert table.get("\x00absent", []) == [] and "\x00absent" not in table and 3 not in table


def test_damaged_cache_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("BOT_CACHE_DIR", str(tmp_path))
    raw = gzip.compress(json.dumps({"entries": {"é": ["a", "b"], "z": [], "a": ["ç"]}}).encode())
    open_gzip_json_table(raw, "t")
    (victim,) = tmp_path.glob("table-*/values.npy")
    victim.write_bytes(victim.read_bytes()[:-3])
    table = open_gzip_json_table(raw, "t")
    assert dict(table.items()) == {"a": ["ç"], "z": [], "é": ["a", "b"]}
    assert table["é"] == ["a", "b"] and list(table) == ["a", "z", "é"]
