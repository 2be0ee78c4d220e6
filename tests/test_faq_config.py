"""faq.yaml validation: every problem names the entry id and the key; valid entries still run."""

from __future__ import annotations

import subprocess
from datetime import timedelta

import pytest

from bot.core.errors import ConfigError
from bot.faq.config import answer_warnings, load_faq, parse_grace

from conftest import CONFIG, KNOWLEDGE, PYTHON, ROOT, subprocess_env

LANGS = ("fr", "en", "sw", "th")

BROKEN = """\
timezone: Europe/Paris
grace: soon
colour: blue
entries:
  - id: good
    question: "Pourquoi une note de 5 étoiles peut-elle nuire aux ventes ?"
    lang: fr
    schedule: "0 9 * * mon"
    chats: [-1001234567890, "@good_channel", "-1009876543210"]
  - id: bad-cron
    question: "Pourquoi une note de 5 étoiles peut-elle nuire aux ventes ?"
    schedule: "0 25 * * *"
    chats: [-100111]
  - id: bad-tz
    question: "Pourquoi une note de 5 étoiles peut-elle nuire aux ventes ?"
    schedule: "0 9 * * *"
    timezone: Mars/Olympus_Mons
    chats: [-100111]
  - id: good
    question: "Quelle est l'option la plus courante face au creux ?"
    schedule: "0 10 * * *"
    chats: [-100111]
  - id: typo
    question: "Pourquoi une note de 5 étoiles peut-elle nuire aux ventes ?"
    schedule: "0 9 * * *"
    time_zone: Asia/Bangkok
    chats: [-100111]
  - id: bad-chats
    question: "Pourquoi une note de 5 étoiles peut-elle nuire aux ventes ?"
    schedule: "0 9 * * *"
    chats: "#general"
  - id: bad-chat-item
    question: "Pourquoi une note de 5 étoiles peut-elle nuire aux ventes ?"
    schedule: "0 9 * * *"
    chats: [-100111, true, {name: x}]
  - id: no-question
    schedule: "0 9 * * *"
    chats: [-100111]
  - id: bad-lang
    question: "Pourquoi une note de 5 étoiles peut-elle nuire aux ventes ?"
    lang: klingon
    schedule: "0 9 * * *"
    chats: [-100111]
  - id: never
    question: "Pourquoi une note de 5 étoiles peut-elle nuire aux ventes ?"
    schedule: "0 0 30 2 *"
    chats: [-100111]
  - id: Bad_ID
    question: "Pourquoi une note de 5 étoiles peut-elle nuire aux ventes ?"
    schedule: "0 9 * * *"
    chats: [-100111]
  - "just a string"
  - id: weather
    question: "Zorglub xyzzy plugh wibblesnork ?"
    lang: fr
    schedule: "0 8 * * *"
    timezone: Africa/Nairobi
    chats: ["@weather_channel"]
"""

EXPECTED = [  # (entry, key, words in the message)
    (None, "grace", "expected a duration"),
    (None, "colour", "unknown key"),
    ("bad-cron", "schedule", "hour: 25 is out of range"),
    ("bad-tz", "timezone", "unknown time zone 'Mars/Olympus_Mons'"),
    ("good", "id", "duplicate id"),
    ("typo", "time_zone", "unknown key"),
    ("bad-chats", "chats", "neither a numeric chat id nor an @username"),
    ("bad-chat-item", "chats", "item 1: True is not a chat id"),
    ("bad-chat-item", "chats", "item 2:"),
    ("no-question", "question", "missing required key"),
    ("bad-lang", "lang", "unknown language 'klingon'"),
    ("never", "schedule", "never fires"),
    ("entries[10]", "id", "expected an id of lowercase letters"),
    ("entries[11]", None, "expected a mapping"),
]


@pytest.fixture
def broken_config(config_copy):
    (config_copy / "faq.yaml").write_text(BROKEN, encoding="utf-8")
    return config_copy


def test_each_problem_names_the_entry_and_the_key(broken_config):
    config = load_faq(broken_config, LANGS)
    found = [(p.entry, p.key, str(p)) for p in config.errors]
    for entry, key, words in EXPECTED:
        matches = [text for e, k, text in found if e == entry and k == key and words in text]
        assert matches, f"no error for entry {entry} key {key} ({words!r}) in {found}"
        if entry is not None:
            assert f"entry '{entry}'" in matches[0]
        if key is not None:
            assert f"key '{key}'" in matches[0]
        assert matches[0].startswith("error: ") and "faq.yaml" in matches[0]
    assert len(config.errors) == len(EXPECTED)
    # The rest of the schedule still runs: the first "good" and "weather" are kept.
    assert [e.id for e in config.entries] == ["good", "weather"]
    good = config.entries[0]
    assert good.chats == (-1001234567890, "@good_channel", -1009876543210)
    assert good.timezone == "Europe/Paris" and good.cron.expression == "0 9 * * mon"
    assert config.grace == timedelta(hours=1)  # invalid grace: the default applies
    assert "typo" in config.rejected_ids() and "good" not in config.rejected_ids()


def test_unanswerable_question_is_a_warning_naming_entry_and_key(broken_config, service):
    config = load_faq(broken_config, LANGS)
    warnings = answer_warnings(config, service)
    assert [(w.entry, w.key, w.severity) for w in warnings] == [("weather", "question", "warning")]
    assert "no answer" in str(warnings[0])


def test_shipped_faq_yaml_is_valid_and_its_questions_are_answered(service):
    config = load_faq(CONFIG, LANGS)
    assert config.errors == []
    assert sorted(e.lang for e in config.entries) == ["fr", "sw", "th"]
    assert all(e.chats == () for e in config.entries)  # ships posting nowhere
    assert answer_warnings(config, service) == []
    for entry in config.entries:
        answer = service.ask(entry.question, lang=entry.lang)
        assert answer.answered and answer.lang == entry.lang
        assert answer.passages[0].lang == entry.lang  # quoted from the article in that language


def test_malformed_or_absent_file(tmp_path):
    (tmp_path / "faq.yaml").write_text("entries: [\n  - id: x\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="faq.yaml: malformed YAML"):
        load_faq(tmp_path)
    (tmp_path / "faq.yaml").write_text("- just\n- a list\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="top level must be a mapping"):
        load_faq(tmp_path)
    (tmp_path / "faq.yaml").unlink()
    config = load_faq(tmp_path)
    assert config.entries == [] and not config.exists and config.problems == []


def test_a_superscript_digit_in_a_schedule_is_an_error_naming_entry_and_key(tmp_path):
    """A pasted "²" passes str.isdigit() but not int(): it raised a bare ValueError out of
    load_faq, a traceback for `faq check` and no start for `bot telegram`."""
    (tmp_path / "faq.yaml").write_text(
        "entries:\n"
        "  - {id: squared, question: 'q', schedule: '0 \u00b2 * * *', chats: [-1]}\n"
        "  - {id: fine, question: 'q', schedule: '0 9 * * *', chats: [-1]}\n", encoding="utf-8")
    config = load_faq(tmp_path)
    assert [e.id for e in config.entries] == ["fine"]
    assert [(p.entry, p.key) for p in config.errors] == [("squared", "schedule")]
    assert "hour: '\u00b2' is not a number" in str(config.errors[0])


def test_one_channel_written_in_two_cases_is_listed_twice(tmp_path):
    """Telegram usernames ignore case: "@faq_channel" and "@FAQ_Channel" are one channel,
    and each slot used to be posted to it twice (two ledger keys, two messages)."""
    (tmp_path / "faq.yaml").write_text(
        "entries:\n  - {id: twice, question: 'q', schedule: '0 9 * * *', chats: ['@faq_channel', '@FAQ_Channel']}\n",
        encoding="utf-8")
    config = load_faq(tmp_path)
    assert config.entries == []
    assert [(p.entry, p.key) for p in config.errors] == [("twice", "chats")]
    assert "item 1: '@FAQ_Channel' is listed twice" in config.errors[0].message


def test_a_key_written_twice_is_an_error_not_the_last_one_silently(tmp_path):
    """YAML keeps the last of two equal keys without a word: a second `schedule:` or
    `timezone:` (a line added instead of edited) posted at an hour nobody had checked,
    the very thing an unknown key is refused for."""
    (tmp_path / "faq.yaml").write_text(
        "timezone: Europe/Paris\n"
        "timezone: Asia/Bangkok\n"
        "entries:\n"
        "  - id: twice\n    question: q\n    schedule: '0 9 * * *'\n    schedule: '0 21 * * *'\n"
        "    timezone: UTC\n    chats: [-1]\n"
        "  - id: own-zone\n    question: q\n    schedule: '0 9 * * *'\n    timezone: UTC\n    chats: [-1]\n"
        "  - id: default-zone\n    question: q\n    schedule: '0 9 * * *'\n    chats: [-1]\n", encoding="utf-8")
    config = load_faq(tmp_path)
    # the top-level timezone is not known for sure: only entries with their own zone run
    assert [e.id for e in config.entries] == ["own-zone"]
    assert [(p.entry, p.key) for p in config.errors] == [(None, "timezone"), ("twice", "schedule"),
                                                         ("default-zone", "timezone")]
    assert all("written twice" in p.message for p in config.errors[:2])
    assert "line 2" in config.errors[0].message and "line 7" in config.errors[1].message


def test_invalid_default_timezone_drops_only_entries_relying_on_it(tmp_path):
    (tmp_path / "faq.yaml").write_text(
        "timezone: Europe/Nowhere\nentries:\n"
        "  - {id: own-zone, question: 'q', schedule: '0 9 * * *', timezone: Asia/Bangkok, chats: [-1]}\n"
        "  - {id: default-zone, question: 'q', schedule: '0 9 * * *', chats: [-1]}\n", encoding="utf-8")
    config = load_faq(tmp_path)
    assert [e.id for e in config.entries] == ["own-zone"]
    assert {(p.entry, p.key) for p in config.errors} == {(None, "timezone"), ("default-zone", "timezone")}


@pytest.mark.parametrize("value, expected", [
    ("1h", timedelta(hours=1)), ("30m", timedelta(minutes=30)), ("1h30m", timedelta(minutes=90)),
    ("90s", timedelta(seconds=90)), (45, timedelta(minutes=45)), ("0", timedelta(0)), ("2 h", timedelta(hours=2)),
])
def test_grace_durations(value, expected):
    assert parse_grace(value) == expected


@pytest.mark.parametrize("value", ["soon", "-5", -5, True, "1d", "",
                                   # were OverflowError / a bare int() ValueError
                                   float("inf"), float("nan"), 10**12, "99999999999h", "\u00b2",
                                   # longer than the scheduler ever looks back: could never be honoured
                                   "169h", 7 * 24 * 60 + 1])
def test_bad_grace_durations(value):
    with pytest.raises(ValueError):
        parse_grace(value)


def test_grace_up_to_seven_days_is_accepted():
    assert parse_grace("168h") == parse_grace(7 * 24 * 60) == timedelta(days=7)


@pytest.mark.parametrize("text", [".inf", ".nan", "99999999999", "1.0e+300", "'99999999999h'"])
def test_an_absurd_grace_is_an_error_naming_the_key_and_the_default_is_used(tmp_path, text):
    """`grace: .inf` raised OverflowError out of load_faq: a traceback for `faq check`,
    every FAQ post disabled in `bot telegram`."""
    (tmp_path / "faq.yaml").write_text(
        f"grace: {text}\nentries:\n  - {{id: fine, question: 'q', schedule: '0 9 * * *', chats: [-1]}}\n",
        encoding="utf-8")
    config = load_faq(tmp_path)
    assert [e.id for e in config.entries] == ["fine"] and config.grace == timedelta(hours=1)
    assert [(p.entry, p.key) for p in config.errors] == [(None, "grace")]
    assert "expected a duration" in config.errors[0].message or "at most" in config.errors[0].message


def run_cli(*args, config=CONFIG, **env):
    return subprocess.run([PYTHON, "-m", "bot", "--knowledge", str(KNOWLEDGE), "--config", str(config), *args],
                          cwd=ROOT, env=subprocess_env(**env), capture_output=True, text=True, timeout=120)


def test_faq_check_cli_reports_problems_and_exit_status(broken_config):
    out = run_cli("faq", "check", config=broken_config)
    assert out.returncode == 1, out.stderr
    for _entry, _key, words in EXPECTED:
        assert words in out.stdout
    assert "entry 'weather': key 'question'" in out.stdout and "warning:" in out.stdout
    assert "2 valid entries" in out.stdout and f"{len(EXPECTED)} error(s), 1 warning(s)" in out.stdout


def test_faq_check_cli_on_shipped_config():
    out = run_cli("faq", "check")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "3 valid entries; 0 error(s)" in out.stdout
    assert "no answer" not in out.stdout


def test_faq_cli_malformed_yaml_is_a_clear_error(config_copy):
    (config_copy / "faq.yaml").write_text("entries: [\n", encoding="utf-8")
    out = run_cli("faq", "check", config=config_copy)
    assert out.returncode == 2
    assert "config error:" in out.stderr and "faq.yaml: malformed YAML" in out.stderr
    assert "Traceback" not in out.stderr
