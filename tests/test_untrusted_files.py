"""Untrusted files (issue 14, part 4): links out of knowledge/, deep or malformed YAML,
translations with other placeholders, the token in outgoing messages, credentials in
TELEGRAM_API_URL.  Unit checks on the loaders, then the real bot process over the fake
Bot API with a hostile knowledge folder and a broken faq.yaml."""

from __future__ import annotations

import itertools
import os
import re
import shutil
from pathlib import Path

import pytest

from bot.core.config import load_settings, read_yaml
from bot.core.errors import ConfigError
from bot.core.messages import Messages

from bot_process import BotProcess
from conftest import CONFIG, KNOWLEDGE, load_articles
from fake_bot_api import FakeBotAPI, parse_telegram_html

DEEP = 1000


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


# -- knowledge files -------------------------------------------------------------------
def test_links_out_of_the_folder_are_refused_and_reported(knowledge_copy, tmp_path):
    secret = tmp_path / "outside" / "token.txt"
    secret.parent.mkdir()
    secret.write_text("TELEGRAM_BOT_TOKEN=123456:outsideSecretValue\n", encoding="utf-8")
    os.symlink(secret, knowledge_copy / "token.txt")
    os.symlink("/etc/passwd", knowledge_copy / "passwd.txt")
    os.symlink(knowledge_copy.parent / "outside", knowledge_copy / "dir.md")  # a link to a folder outside
    # a link that stays inside (through a sub-folder) is an ordinary article (a link to
    # a listed file would be that article again: tests/test_corpus.py)
    (knowledge_copy / "sub").mkdir()
    (knowledge_copy / "sub" / "extra.md").write_text("---\ntitle: Extra\nlang: en\n---\nAn extra article.\n",
                                                     encoding="utf-8")
    os.symlink("sub/../sub/extra.md", knowledge_copy / "alias.md")
    kb = load_articles(knowledge_copy)
    reasons = {Path(p.path).name: p.reason for p in kb.problems}
    assert set(reasons) == {"token.txt", "passwd.txt", "dir.md"}
    assert all("outside the knowledge folder" in r for r in reasons.values())
    assert "alias" in {a.id for a in kb.articles} and len(kb.articles) == 6
    assert not any("outsideSecretValue" in a.text or "root:" in a.text for a in kb.articles)


@pytest.mark.parametrize("front, reason", [
    # libyaml stops it (PyYAML 6.0.2 and later), or our depth check does (6.0.1)
    (f"title: {nested(DEEP)}", "nested (too deeply|more than)"),
    ("title: x\nmeta: " + "{a: " * 30 + "1" + "}" * 30, "levels deep"),
    ("title: x\ndate: 2024-13-45", "month must be in 1..12"),
    ("title: x\nn: !!float abc", "could not convert"),
])
def test_deep_or_malformed_front_matter_is_one_problem(knowledge_copy, front, reason):
    bad = knowledge_copy / "bad.md"
    bad.write_text(f"---\n{front}\nlang: en\n---\nSome text here.\n", encoding="utf-8")
    kb = load_articles(knowledge_copy)
    assert len(kb.articles) == 5
    [problem] = kb.problems
    assert problem.path == str(bad) and re.search(reason, problem.reason)


# -- config files ----------------------------------------------------------------------
@pytest.mark.parametrize("text", [f"x: {nested(DEEP)}\n", "x: " + "{a: " * 25 + "1" + "}" * 25 + "\n",
                                  "when: 2024-02-31\n"])
def test_deep_or_malformed_config_yaml_is_a_config_error(tmp_path, text):
    path = tmp_path / "any.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        read_yaml(path)
    assert raised.value.path == path


def test_deep_settings_refused_with_the_file_named(config_copy):
    settings = config_copy / "settings.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + f"extra: {nested(DEEP)}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="settings.yaml: (malformed YAML: nested too deeply|nested more than)"):
        load_settings(config_copy)


def test_deep_faq_yaml_disables_faq_posts_only(config_copy):
    from bot.faq.config import load_faq

    (config_copy / "faq.yaml").write_text(f"entries: {nested(DEEP)}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="faq.yaml"):
        load_faq(config_copy)


def write_message(config: Path, lang: str, key: str, value: str) -> None:
    import yaml

    path = config / "messages" / f"{lang}.yaml"
    texts = yaml.safe_load(path.read_text(encoding="utf-8"))
    texts[key] = value
    path.write_text(yaml.safe_dump(texts, allow_unicode=True), encoding="utf-8")


def test_shipped_translations_use_the_english_placeholders():
    Messages.load(CONFIG)  # raises on any difference


@pytest.mark.parametrize("lang, key, value, needle", [
    ("fr", "from_article", "— extrait de l'article « {titre} »", "{titre}"),
    ("sw", "tg_start", "Habari! Makala {count} na {extra}.", "{extra}"),
    ("th", "tg_reload_done", "โหลดใหม่แล้ว", "none"),
    ("fr", "answer_failed", "Désolé {", "malformed"),
    ("en", "decline", "{0.__class__}", "plain name"),
    ("fr", "intro", "{decline.__class__.__mro__}", "plain name"),
])
def test_a_bad_translation_is_refused_with_file_and_key(config_copy, lang, key, value, needle):
    write_message(config_copy, lang, key, value)
    with pytest.raises(ConfigError) as raised:
        Messages.load(config_copy)
    error = raised.value
    assert error.path.name == f"{lang}.yaml" and error.key == key
    assert needle in str(error)


def test_reload_refuses_a_bad_translation_and_keeps_serving(config_copy):
    from bot.answering.service import QAService
    from bot.runtime import Runtime

    runtime = Runtime(QAService.open(KNOWLEDGE, config_copy))
    before = runtime.service
    write_message(config_copy, "fr", "from_article", "— extrait de « {titre} »")
    with pytest.raises(ConfigError, match="fr.yaml: key 'from_article'"):
        runtime.reload()
    assert runtime.service is before
    assert before.ask("Pourquoi une note de 5 étoiles peut-elle nuire aux ventes ?", lang="fr").answered


def test_reload_runs_the_adapter_checks_before_swapping(config_copy):
    """A key the Telegram adapter needs, deleted from English before /reload, is refused."""
    import yaml

    from bot.answering.service import QAService
    from bot.runtime import Runtime
    from bot.telegram.app import check_texts

    runtime = Runtime(QAService.open(KNOWLEDGE, config_copy))
    runtime.checks.append(check_texts)
    before = runtime.service
    path = config_copy / "messages" / "en.yaml"
    texts = yaml.safe_load(path.read_text(encoding="utf-8"))
    del texts["tg_help"]
    path.write_text(yaml.safe_dump(texts, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ConfigError, match="tg_help"):
        runtime.reload()
    assert runtime.service is before


def test_api_url_credentials_are_masked():
    from bot.core.urls import public_url
    from bot.telegram.app import TelegramSettings

    settings = TelegramSettings.from_env({"TELEGRAM_BOT_TOKEN": "1:abc",
                                          "TELEGRAM_API_URL": "https://bob:s3cr%40t!@api.example.org/x"})
    assert settings.public_api_url == "https://[REDACTED]@api.example.org/x"
    assert {"bob:s3cr%40t!", "s3cr%40t!", "s3cr@t!"} <= set(settings.secrets)
    assert public_url("http://127.0.0.1:8080") == "http://127.0.0.1:8080"
    with pytest.raises(ValueError) as raised:
        TelegramSettings.from_env({"TELEGRAM_BOT_TOKEN": "1:abc", "TELEGRAM_API_URL": "ftp://bob:pw123@x"})
    assert "pw123" not in str(raised.value)


def test_state_url_credentials_are_masked_the_same_way():
    """One masker for every URL shown (core/urls.py): the PostgreSQL state URL too (it had
    its own, printing "bob:***@", whose user name the log redaction then masked again)."""
    from bot.core.pgstate import PgState

    state = PgState("postgresql://bob:pw-s3cret@127.0.0.1:1/bot", timeout=0.5)  # nothing listens there
    try:
        assert state.path == "postgresql://[REDACTED]@127.0.0.1:1/bot"
        assert state.open_error is not None and "[REDACTED]@127.0.0.1:1/bot" in str(state.open_error)
        assert "pw-s3cret" not in str(state.open_error) and "bob" not in str(state.open_error)
    finally:
        state.close()


# -- the real bot with a hostile folder ------------------------------------------------
TOKEN = "424242424:AAE-untrustedFilesSecret_0123456789ab"
PASSWORD = "hunter2-in-the-url"
ADMIN = 424_001
_ids = itertools.count(424_100)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("untrusted")
    knowledge, config = root / "knowledge", root / "config"
    shutil.copytree(KNOWLEDGE, knowledge)
    shutil.copytree(CONFIG, config)
    # An article that really contains the token (e.g. pasted by mistake): quoted, but masked.
    (knowledge / "credentials.md").write_text(
        "---\ntitle: Bot credentials\nlang: en\n---\n"
        f"The TELEGRAM_BOT_TOKEN of the zebracorn bot is {TOKEN} and nobody may see it.\n",
        encoding="utf-8")
    # A link to a file outside: never read.
    (root / "outside.txt").write_text("The quokkasaurus password is swordfish-outside.\n", encoding="utf-8")
    os.symlink(root / "outside.txt", knowledge / "outside.txt")
    (config / "faq.yaml").write_text(f"timezone: UTC\nentries: {nested(DEEP)}\n", encoding="utf-8")
    settings = config / "settings.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("admins: []", f"admins: [{ADMIN}]"),
                        encoding="utf-8")
    return root, knowledge, config


@pytest.fixture(scope="module")
def bot(api, hostile):
    root, knowledge, config = hostile
    url = api.root.replace("http://", f"http://botuser:{PASSWORD}@")
    process = BotProcess(api, root / "state.sqlite3", root / "logs", knowledge=knowledge, config=config,
                         extra_env={"TELEGRAM_API_URL": url}).start()
    yield process
    process.stop()
    assert PASSWORD not in process.all_output()


def private(api: FakeBotAPI, text: str, user_id: int | None = None, lang: str = "en") -> str:
    user_id = user_id or next(_ids)
    mark = api.mark()
    api.private_message(text, user_id=user_id, language_code=lang)
    call = api.wait_for("sendMessage", lambda c: c.params["chat_id"] == user_id, since=mark, timeout=30)
    return call.params["text"]


def test_broken_faq_yaml_does_not_stop_the_bot(api, bot):
    assert "FAQ posts disabled" in bot.all_output() and "faq.yaml" in bot.all_output()
    assert "5 étoiles" in parse_telegram_html(private(api, "Pourquoi une note de 5 étoiles peut-elle nuire "
                                                           "aux ventes ?", lang="fr"))


def test_token_is_masked_in_chat_replies(api, bot):
    sent = private(api, "What is the TELEGRAM_BOT_TOKEN of the zebracorn bot?")
    secret = TOKEN.split(":", 1)[1]
    assert "zebracorn" in sent and "[REDACTED]" in sent
    assert TOKEN not in sent and secret not in sent


def test_token_is_masked_in_inline_results(api, bot):
    mark = api.mark()
    api.inline_query("TELEGRAM_BOT_TOKEN of the zebracorn bot", user_id=next(_ids))
    call = api.wait_for("answerInlineQuery", since=mark, timeout=30)
    texts = [r["input_message_content"]["message_text"] + r.get("description", "") for r in call.params["results"]]
    assert texts and any("zebracorn" in t for t in texts)
    assert not any(TOKEN.split(":", 1)[1] in t for t in texts)


def test_link_out_of_the_folder_is_never_quoted(api, bot):
    sent = private(api, "What is the quokkasaurus password?")
    assert "swordfish" not in sent
    assert "outside.txt: refused: a link to a file outside the knowledge folder" in bot.all_output()


def test_credentials_in_the_api_url_are_never_printed(api, bot):
    output = bot.all_output()
    assert "[REDACTED]@127.0.0.1" in output and PASSWORD not in output


def test_reload_with_a_bad_translation_is_refused_with_file_and_key(api, bot, hostile):
    _root, _knowledge, config = hostile
    path = config / "messages" / "fr.yaml"
    original = path.read_text(encoding="utf-8")
    try:
        write_message(config, "fr", "tg_start", "Bonjour ! {nombre} articles.")
        reply = parse_telegram_html(private(api, "/reload", ADMIN))
        assert "fr.yaml" in reply and "tg_start" in reply and "{nombre}" in reply
    finally:
        path.write_text(original, encoding="utf-8")
    start = parse_telegram_html(private(api, "/start", lang="fr"))
    assert start.startswith("Bonjour")


async def test_faq_posts_and_plain_bots_send_no_token(service, tmp_path):
    """FAQ posts leave through their own Bot (at-most-once retries): it redacts too."""
    from telegram import Bot

    from bot.core.state import State
    from bot.faq.scheduler import _own_bot
    from bot.runtime import Runtime
    from bot.telegram.app import TelegramSettings, build_application
    from bot.telegram.redaction import RedactingRequest

    with FakeBotAPI(TOKEN) as server:
        state = State(tmp_path / "s.sqlite3")
        settings = TelegramSettings(token=TOKEN, api_url=server.root, poll_timeout=1)
        application = build_application(Runtime(service, state), settings)
        faq_bot = _own_bot(application)
        assert isinstance(faq_bot.request, RedactingRequest)
        server.private_message("hi", user_id=4242)  # makes the chat known to the fake server
        async with faq_bot:
            await faq_bot.send_message(4242, f"pasted by mistake: {TOKEN}")
        async with Bot(TOKEN, base_url=f"{server.root}/bot", request=RedactingRequest([TOKEN])) as plain_bot:
            await plain_bot.send_message(4242, f"secret half: {TOKEN.split(':')[1]}")
        sent = [c.params["text"] for c in server.calls_to("sendMessage")]
        state.close()
    assert sent == ["pasted by mistake: [REDACTED]", "secret half: [REDACTED]"]
