import socket

import pytest


def test_cl100k_loads_from_bundled_file_without_network(monkeypatch, tmp_path):
    """tiktoken would download cl100k_base; ours must not even try."""
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path / "empty-cache"))

    def refuse(*args, **kwargs):
        raise AssertionError("a socket was opened while loading the encoding")

    monkeypatch.setattr(socket, "create_connection", refuse)
    from bot.knowledge import tokens

    tokens.encoding.cache_clear()
    enc = tokens.encoding()
    assert enc.name == "cl100k_base"
    assert enc.decode(enc.encode("Les consommateurs n'achètent plus")) == "Les consommateurs n'achètent plus"
    assert tokens.count_tokens("hello world") == 2


def test_token_costs_differ_by_script():
    from bot.knowledge.tokens import count_tokens

    thai = "ความไว้วางใจมาจากประสบการณ์ที่ซื่อสัตย์"
    french = "La confiance vient d'une expérience honnête"
    assert count_tokens(thai) / len(thai) > 2 * count_tokens(french) / len(french)


def test_stock_tiktoken_would_need_the_network(monkeypatch, tmp_path):
    """The trap we avoid: plain tiktoken.get_encoding fails offline."""
    import tiktoken
    import tiktoken.registry

    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path / "empty-cache"))
    monkeypatch.setattr(tiktoken.registry, "ENCODINGS", {})
    with pytest.raises(Exception):  # noqa: B017 - whatever tiktoken raises when it cannot download
        tiktoken.get_encoding("cl100k_base")
