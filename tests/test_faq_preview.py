"""FAQ for a newcomer: `bot faq preview ID` shows the post; a fresh checkout starts quietly."""

from __future__ import annotations

import logging
import subprocess

from bot.faq.cli import post_as_text
from bot.faq.config import load_faq

from conftest import CONFIG, KNOWLEDGE, PYTHON, ROOT, subprocess_env


def run_faq(*args: str, config=CONFIG) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, "-m", "bot", "faq", *args, "--knowledge", str(KNOWLEDGE), "--config", str(config)],
                          cwd=ROOT, env=subprocess_env(TELEGRAM_BOT_TOKEN=""), capture_output=True, text=True,
                          timeout=120)


def test_preview_prints_the_post_as_it_would_appear_without_a_token():
    p = run_faq("preview", "cinq-etoiles")
    assert p.returncode == 0, p.stderr
    lines = p.stdout.splitlines()
    assert lines[0].startswith("# cinq-etoiles [fr] 0 9 * * mon Europe/Paris; next ")
    assert "chats: none yet" in lines[0]
    assert lines[1] == "Pourquoi une note de 5 étoiles peut-elle nuire aux ventes ?"  # the heading
    assert "│ Une note de 5 étoiles peut en fait nuire à vos ventes plutôt que les aider." in lines
    assert any(line.startswith("— extrait de l’article") for line in lines)
    assert "<" not in p.stdout and "&" not in p.stdout  # text, not HTML


def test_preview_of_an_unknown_or_unanswerable_entry(config_copy):
    p = run_faq("preview", "no-such-entry")
    assert p.returncode == 2 and "unknown FAQ entry 'no-such-entry'" in p.stderr and "cinq-etoiles" in p.stderr
    (config_copy / "faq.yaml").write_text(
        "entries:\n  - {id: football, question: 'Who won the 2018 FIFA World Cup?', lang: en,"
        " schedule: '0 9 * * mon', chats: []}\n", encoding="utf-8")
    p = run_faq("preview", "football", config=config_copy)
    assert p.returncode == 1 and "no answer" in p.stderr and "skipped" in p.stderr


def test_preview_of_an_entry_without_chats_names_the_file_it_was_read_from(config_copy):
    """The hint said "config/faq.yaml" whatever file --config / BOT_CONFIG_DIR pointed at."""
    p = run_faq("preview", "cinq-etoiles", config=config_copy)
    assert p.returncode == 0, p.stderr
    assert f"chats: none yet (add chat ids to 'chats' in {config_copy / 'faq.yaml'})" in p.stdout.splitlines()[0]


def test_post_as_text_draws_quotes_like_telegram():
    html = "<b>Q &amp; A</b>\n\nIntro:\n\n<blockquote>line one\nline two</blockquote>\n— from “<b>T</b>”"
    assert post_as_text(html) == "Q & A\n\nIntro:\n\n│ line one\n│ line two\n— from “T”"


def test_post_as_text_unescapes_once():
    """An article that writes "&lt;" literally is shown as "&lt;", as Telegram would."""
    assert post_as_text("<b>a &amp;lt; b</b> &lt;tag&gt;") == "a &lt; b <tag>"


def test_shipped_faq_starts_with_one_info_line_not_a_warning_per_entry(service, caplog, tmp_path):
    from telegram.ext import ApplicationBuilder

    from bot.core.state import State
    from bot.faq.scheduler import install

    config = load_faq(CONFIG, service.settings.languages)
    assert len(config.entries) == 3 and not any(e.chats for e in config.entries)  # shipped: posts nowhere
    application = ApplicationBuilder().token("123:TEST").base_url("http://127.0.0.1:9/bot").build()
    state = State(tmp_path / "state.sqlite3")
    try:
        with caplog.at_level(logging.INFO, logger="bot.faq"):
            install(application, service, state, config=config)
    finally:
        state.close()
    records = [r for r in caplog.records if r.name.startswith("bot.faq")]
    assert [r.levelname for r in records] == ["INFO"], [r.getMessage() for r in records]
    message = records[0].getMessage()
    assert "3 entries without chats" in message and "cinq-etoiles" in message and "README" in message


def test_entries_without_chats_are_recognised_by_kind_not_by_wording(caplog, tmp_path):
    """log_problems used to match the text "no chats": a reworded (or translated) message
    became a warning per entry again, and any warning on 'chats' starting with those words
    was folded into the info line."""
    from bot.faq.config import NO_CHATS, Problem
    from bot.faq.scheduler import log_problems

    path = tmp_path / "faq.yaml"
    config = load_faq(tmp_path)  # absent file: only its path is used
    idle = Problem("warning", path, "nothing to post: the entry lists no chat", "quiet", "chats", NO_CHATS)
    lookalike = Problem("warning", path, "no chats left after removing duplicates", "odd", "chats")
    with caplog.at_level(logging.INFO, logger="bot.faq"):
        log_problems(config, [idle, lookalike])
    records = [(r.levelname, r.getMessage()) for r in caplog.records if r.name == "bot.faq"]
    assert [level for level, _ in records] == ["WARNING", "INFO"]
    assert records[0][1] == str(lookalike)
    assert "1 entry without chats" in records[1][1] and "quiet" in records[1][1]
