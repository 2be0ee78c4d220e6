"""Malformed configuration names the file and the key; nothing half-starts."""

from __future__ import annotations

import subprocess

import pytest

from bot.core.config import load_settings
from bot.core.errors import ConfigError
from bot.core.messages import Messages

from conftest import KNOWLEDGE, PYTHON, ROOT, subprocess_env


def test_shipped_config_loads():
    settings = load_settings(ROOT / "config")
    assert "fr" in settings.languages
    messages = Messages.load(ROOT / "config")
    assert set(messages.languages) >= {"en", "fr", "sw", "th"}
    assert messages.get("xx", "decline") == messages.get("en", "decline")  # English fallback


SHIPPED = (ROOT / "config" / "settings.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "old, new, key",
    [
        ("  k1: 1.2\n", "  k1: fast\n", "index.k1"),
        ("  k1: 1.2\n", "  k1: 1.2\n  unknown_knob: 1\n", "index.unknown_knob"),
        ("  k1: 1.2\n", "", "index.k1"),  # missing: no hidden default takes its place
        ("  k1: 1.2\n", "  k1: .nan\n", "index.k1"),
        ("  min_sentence_score: 4.7\n", "  min_sentence_score: .inf\n", "decline.min_sentence_score"),
        ("  max_passages: 5\n", "  max_passages: 0\n", "quotes.max_passages"),
        ("  vectors: true\n", "  vectors: 1\n", "bridges.vectors"),
        ("languages: [fr, en, sw, th]\n", "languages: fr\n", "languages"),
        # "EN" or "english" was blamed on default_language (en not in the list)
        ("languages: [fr, en, sw, th]\n", "languages: [fr, EN, sw, th]\n", "languages"),
        ("languages: [fr, en, sw, th]\n", "languages: [fr, english, sw, th]\n", "languages"),
        ("default_language: en\n", "default_language: de\n", "default_language"),
        ("admins: []\n", "admins: [alice]\n", "admins"),
        ("admins: []\n", "admins: []\ncolour: blue\n", "colour"),
    ],
)
def test_wrong_setting_names_file_and_key(config_copy, old, new, key):
    path = config_copy / "settings.yaml"
    assert old in SHIPPED
    path.write_text(SHIPPED.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_settings(config_copy)
    assert err.value.key == key
    assert str(path) in str(err.value) and key in str(err.value)


def test_index_fingerprint_covers_only_index_settings(config_copy):
    base = load_settings(config_copy)
    (config_copy / "settings.yaml").write_text(SHIPPED.replace("admins: []", "admins: [42]"), encoding="utf-8")
    assert load_settings(config_copy).index_key() == base.index_key()
    (config_copy / "settings.yaml").write_text(SHIPPED.replace("  b: 0.75", "  b: 0.7"), encoding="utf-8")
    assert load_settings(config_copy).index_key() != base.index_key()


def test_malformed_yaml_names_file_and_line(config_copy):
    path = config_copy / "settings.yaml"
    path.write_text("retrieval:\n  k1: [1.2\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_settings(config_copy)
    assert str(path) in str(err.value) and "line" in str(err.value)


def test_missing_english_messages_is_refused(config_copy):
    (config_copy / "messages" / "en.yaml").unlink()
    with pytest.raises(ConfigError) as err:
        Messages.load(config_copy)
    assert "en.yaml" in str(err.value)


def test_message_of_wrong_type_names_key(config_copy):
    (config_copy / "messages" / "fr.yaml").write_text("decline: [1, 2]\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        Messages.load(config_copy)
    assert err.value.key == "decline" and "fr.yaml" in str(err.value)


def test_cli_reports_config_error_in_one_line_without_traceback(config_copy):
    (config_copy / "settings.yaml").write_text(SHIPPED.replace("  b: 0.75", "  b: high"), encoding="utf-8")
    p = subprocess.run(
        [PYTHON, "-m", "bot", "--knowledge", str(KNOWLEDGE), "--config", str(config_copy), "ask", "bonjour"],
        capture_output=True, text=True, cwd=ROOT, env=subprocess_env(), timeout=120,
    )
    assert p.returncode == 2
    assert "Traceback" not in p.stderr
    assert "settings.yaml" in p.stderr and "index.b" in p.stderr
    assert p.stdout == ""


def test_english_must_define_the_generic_decline_reason(config_copy):
    """reason_unknown is the last resort of every decline's reason (the reply's `needs_…`
    sentence, /why): without it in en.yaml a reason with no text of its own was a KeyError."""
    english = config_copy / "messages" / "en.yaml"
    english.write_text("".join(line for line in english.read_text(encoding="utf-8").splitlines(True)
                               if not line.startswith("reason_unknown:")), encoding="utf-8")
    with pytest.raises(ConfigError, match="en.yaml: key 'reason_unknown': missing required message"):
        Messages.load(config_copy)
