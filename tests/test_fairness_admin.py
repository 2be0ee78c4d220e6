"""Per-user fairness and the admin commands, on the real bot process over the fake Bot API.

The bot runs on copies of knowledge/ and config/ (with an admin id), so
/reload can be tested by adding an article and by breaking the config.
"""

from __future__ import annotations

import itertools
import re
import shutil

import pytest
import yaml

from bot_process import BotProcess
from conftest import CONFIG, KNOWLEDGE, shipped_settings
from fake_bot_api import Call, FakeBotAPI, parse_telegram_html

BURST = shipped_settings().chat.burst
TOKEN = "555666777:AAH-fairnessAndAdmins_0123456789abcd"
ADMIN = 777_001
QUESTION_FR = "Pourquoi une note de 5 étoiles peut-elle nuire aux ventes ?"
QUESTION_SW = "Je, ukadiriaji wa nyota 5 husaidia mauzo?"
_ids = itertools.count(880_000)


def plain(call: Call) -> str:
    assert call.params.get("parse_mode") == "HTML"
    return parse_telegram_html(call.params["text"])


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    root = tmp_path_factory.mktemp("fair")
    knowledge, config = root / "knowledge", root / "config"
    shutil.copytree(KNOWLEDGE, knowledge)
    shutil.copytree(CONFIG, config)
    settings = config / "settings.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("admins: []", f"admins: [{ADMIN}]"),
                        encoding="utf-8")
    assert yaml.safe_load(settings.read_text(encoding="utf-8"))["admins"] == [ADMIN]
    return root, knowledge, config


@pytest.fixture(scope="module")
def bot(api, folders):
    root, knowledge, config = folders
    process = BotProcess(api, root / "state.sqlite3", root / "logs", knowledge=knowledge, config=config).start()
    yield process
    process.stop()


def to_chat(api: FakeBotAPI, chat_id: int, since: int) -> list[Call]:
    return [c for c in api.calls_to("sendMessage", since=since, ok_only=True) if c.params["chat_id"] == chat_id]


def ask(api: FakeBotAPI, text: str, user_id: int, lang: str = "en") -> Call:
    mark = api.mark()
    api.private_message(text, user_id=user_id, language_code=lang)
    return api.wait_for("sendMessage", lambda c: c.params["chat_id"] == user_id, since=mark, timeout=30)


# -- fairness -----------------------------------------------------------------------------
def test_a_flooder_gets_one_slow_down_and_cannot_delay_another_user(api, bot, service):
    flooder, other = next(_ids), next(_ids)
    # Every answer to the flooder takes 0.8 s to deliver: its whole backlog
    # would take seconds, so an unfair bot would answer `other` last.
    api.delay("sendMessage", 0.8, times=60, where=lambda p: p.get("chat_id") == flooder)
    mark = api.mark()
    for i in range(50):
        api.private_message(f"{QUESTION_FR} ({i})", user_id=flooder, language_code="fr")
    api.private_message(QUESTION_SW, user_id=other, language_code="sw")

    other_reply = api.wait_for("sendMessage", lambda c: c.params["chat_id"] == other, since=mark, timeout=30)
    assert "nyota 5" in plain(other_reply)
    slow_down = service.messages.get("fr", "tg_slow_down")
    flood_replies = api.wait_for("sendMessage", lambda c: c.params["chat_id"] == flooder and plain(c) == slow_down,
                                 since=mark, timeout=60)
    # The bound: `other` waited for at most one in-flight answer of the flooder,
    # not for its queue (the flood was still going when `other` was answered).
    before_other = [c for c in to_chat(api, flooder, mark) if c.time <= other_reply.time]
    assert len(before_other) <= 1
    replies = to_chat(api, flooder, mark)
    assert replies[-1] is flood_replies
    answers = [c for c in replies if plain(c) != slow_down]
    assert [plain(c) for c in replies].count(slow_down) == 1
    assert BURST <= len(answers) <= BURST + 1  # not 50
    assert all("5 étoiles" in plain(c) for c in answers)
    # The flooder is served again once it slows down (tokens refill), without a second warning.
    api.private_message(QUESTION_FR, user_id=flooder, language_code="fr")
    again = api.wait_for("sendMessage", lambda c: c.params["chat_id"] == flooder, since=mark,
                         count=len(replies) + 1, timeout=30)
    assert "5 étoiles" in plain(again) or plain(again) != slow_down


def test_group_chatter_does_not_count_against_the_limit(api, bot):
    chat_id, user = -next(_ids), next(_ids)
    mark = api.mark()
    for i in range(3 * BURST):
        api.group_message(f"on parle entre nous {i}", chat_id=chat_id, user_id=user)
    asked = api.group_message(f"/ask@{api.username} {QUESTION_FR}", chat_id=chat_id, user_id=user)
    reply = api.wait_for("sendMessage", lambda c: c.params["chat_id"] == chat_id, since=mark, timeout=30)
    assert reply.params["reply_parameters"]["message_id"] == asked["message"]["message_id"]
    assert "5 étoiles" in plain(reply)


@pytest.mark.parametrize("lang", ["en", "fr", "sw", "th"])
def test_reliability_texts_exist_in_every_language(service, lang):
    from bot.telegram.admin import REQUIRED_TEXTS

    for key in REQUIRED_TEXTS:
        assert key in service.messages.texts[lang], (lang, key)


# -- admin commands -----------------------------------------------------------------------
@pytest.mark.parametrize("command", ["/stats", "/reload"])
@pytest.mark.parametrize("lang", ["fr", "th"])
def test_admin_commands_refuse_other_users(api, bot, service, command, lang):
    reply = ask(api, command, next(_ids), lang)
    assert plain(reply) == service.messages.get(lang, "tg_admin_only")


def test_admin_commands_refuse_in_groups_too(api, bot, service):
    chat_id = -next(_ids)
    mark = api.mark()
    api.group_message(f"/reload@{api.username}", chat_id=chat_id, user_id=next(_ids), language_code="sw")
    reply = api.wait_for("sendMessage", lambda c: c.params["chat_id"] == chat_id, since=mark, timeout=30)
    assert plain(reply) == service.messages.get("sw", "tg_admin_only")


def test_stats_counts_answers_and_declines(api, bot, service):
    asker = next(_ids)
    ask(api, QUESTION_FR, asker, "fr")
    ask(api, "Quelle est la capitale de l'Australie ?", asker, "fr")
    shown = plain(ask(api, "/stats", ADMIN, "en"))
    assert shown.startswith(f"Articles: {len(service.kb.articles)} (")
    answered = int(re.search(r"Questions answered: (\d+)", shown).group(1))
    declined = int(re.search(r"Declined: (\d+)", shown).group(1))
    assert answered >= 1 and declined >= 1
    assert re.search(r"Uptime: \d\d:\d\d:\d\d", shown)


def test_reload_serves_new_knowledge_without_restart_and_escapes_it(api, bot, folders, service):
    _, knowledge, config = folders
    before = len(service.kb.articles)
    (knowledge / "zz_hostile.md").write_text(
        "---\ntitle: Les balises <script> & les chevrons\nlang: fr\n---\n"
        "Le zorglub se configure avec <script>alert('x')</script> & des chevrons a < b > c.\n"
        "Le zorglub aime les &amp; entités et les balises <b>non fermées.\n",
        encoding="utf-8")
    pid = bot.pid
    reply = plain(ask(api, "/reload", ADMIN, "fr"))
    assert reply == service.messages.get("fr", "tg_reload_done", count=before + 1, before=before)
    assert bot.pid == pid and bot.alive()  # no restart
    answer = plain(ask(api, "Comment se configure le zorglub ?", next(_ids), "fr"))
    assert "<script>alert('x')</script> & des chevrons a < b > c" in answer  # escaped, shown verbatim
    assert "Les balises <script> & les chevrons" in answer

    # A broken config: the reload is refused with its reason, the old knowledge keeps serving.
    settings = config / "settings.yaml"
    good = settings.read_text(encoding="utf-8")
    settings.write_text(good + "\nretrieval: [unclosed\n", encoding="utf-8")
    try:
        refused = plain(ask(api, "/reload", ADMIN, "en"))
    finally:
        settings.write_text(good, encoding="utf-8")
    assert refused.startswith(service.messages.get("en", "tg_reload_failed", reason="").strip())
    assert "settings.yaml" in refused
    answer = plain(ask(api, "Comment se configure le zorglub ?", next(_ids), "fr"))
    assert "zorglub" in answer
    assert bot.alive()


def test_no_token_in_any_output(api, bot):
    out = bot.all_output()
    for log in (bot.log_dir).glob("*.txt"):
        out += log.read_text(encoding="utf-8")
    secret = TOKEN.split(":", 1)[1]
    from urllib.parse import quote

    for needle in (TOKEN, secret, quote(TOKEN), quote(TOKEN, safe=""), secret[:12]):
        assert needle not in out
    assert "refused an administrative command" in out  # the log was captured and is verbose


# -- the token bucket alone (a fake clock) ------------------------------------------------
class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_token_bucket_burst_refill_and_one_warning_per_interval():
    from bot.telegram.fairness import ALLOW, DROP, WARN, TokenBuckets

    clock = FakeClock()
    buckets = TokenBuckets(burst=3, refill_seconds=2.0, warn_interval=60.0, clock=clock)
    assert [buckets.verdict(1) for _ in range(6)] == [ALLOW, ALLOW, ALLOW, WARN, DROP, DROP]
    assert buckets.verdict(2) == ALLOW  # another user has its own bucket
    clock.now += 2.0
    assert [buckets.verdict(1) for _ in range(2)] == [ALLOW, DROP]  # one token back, no second warning
    clock.now += 60.0
    assert [buckets.verdict(1) for _ in range(4)] == [ALLOW, ALLOW, ALLOW, WARN]  # full again; warned again


def test_token_buckets_forget_quiet_users():
    from bot.telegram.fairness import TokenBuckets

    clock = FakeClock()
    buckets = TokenBuckets(burst=2, refill_seconds=1.0, warn_interval=5.0, clock=clock)
    for user in range(1500):
        buckets.verdict(user)
    clock.now += 10.0
    for user in range(2000, 2000 + 1000):
        buckets.verdict(user)
    assert len(buckets) <= 1500  # the first users were pruned once they were quiet and full


# -- broken config: nothing half-starts ---------------------------------------------------
@pytest.mark.parametrize("break_it, names", [
    (lambda c: (c / "settings.yaml").write_text("languages: [fr\n", encoding="utf-8"), "settings.yaml"),
    (lambda c: (c / "messages" / "en.yaml").write_text(
        "\n".join(line for line in (c / "messages" / "en.yaml").read_text(encoding="utf-8").splitlines()
                  if not line.startswith("tg_slow_down")), encoding="utf-8"), "tg_slow_down"),
    (lambda c: (c / "settings.yaml").write_text(
        (c / "settings.yaml").read_text(encoding="utf-8").replace("admins: []", "admins: [me]"),
        encoding="utf-8"), "admins"),
])
def test_a_broken_config_stops_the_bot_before_it_talks_to_telegram(tmp_path, config_copy, break_it, names):
    import subprocess

    from conftest import PYTHON, ROOT, subprocess_env

    break_it(config_copy)
    with FakeBotAPI(TOKEN) as server:
        proc = subprocess.run([PYTHON, "-m", "bot", "--knowledge", str(KNOWLEDGE), "--config", str(config_copy),
                               "telegram", "--state", str(tmp_path / "s.sqlite3")], cwd=ROOT, timeout=120,
                              env=subprocess_env(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_URL=server.root),
                              capture_output=True, text=True)
        calls = server.calls_to()
    assert proc.returncode == 2
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and names in lines[0] and "Traceback" not in proc.stderr
    assert calls == []  # never connected: nothing half-started
