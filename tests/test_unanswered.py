"""Unanswered questions for the people who write the articles (issue 14, part 6): declined
questions are counted in the state store (text, language, count, last seen; no user ids),
listed by `python -m bot unanswered [--json]` and by the admin-only /unanswered."""

from __future__ import annotations

import itertools
import json
import shutil
import sqlite3
import subprocess

import pytest

from bot.core.state import State
from bot.core.unanswered import normalise_question

from bot_process import BotProcess
from conftest import CONFIG, KNOWLEDGE, PYTHON, ROOT, subprocess_env
from fake_bot_api import FakeBotAPI, parse_telegram_html

TOKEN = "737373737:AAG-unansweredQuestions_0123456789ab"
ADMIN = 737_001
MONGOLIA = "What is the capital of Mongolia?"
RATATOUILLE = "Quelle est la recette de la ratatouille ?"
_ids = itertools.count(737_100)


# -- the store ------------------------------------------------------------------------------
def test_same_question_counted_once_per_language_with_last_wording(tmp_path):
    state = State(tmp_path / "s.sqlite3")
    for text in (MONGOLIA, "what is the capital of  MONGOLIA", "What is the capital of Mongolia"):
        state.record_unanswered(text, "en", keep=100)
    state.record_unanswered(RATATOUILLE, "fr", keep=100)
    state.record_unanswered(MONGOLIA, "fr", keep=100)  # another language is another row
    rows = state.unanswered()
    assert [(r.count, r.lang) for r in rows] == [(3, "en"), (1, "fr"), (1, "fr")]
    assert rows[0].question == "What is the capital of Mongolia" and rows[0].first_seen <= rows[0].last_seen
    assert [r.question for r in state.unanswered(lang="fr")] == [MONGOLIA, RATATOUILLE][::-1] or \
        {r.question for r in state.unanswered(lang="fr")} == {MONGOLIA, RATATOUILLE}
    assert normalise_question("  Why?? ") == normalise_question("why")


def test_bounded_least_asked_forgotten_first(tmp_path):
    state = State(tmp_path / "s.sqlite3")
    for _ in range(3):
        state.record_unanswered("popular question", "en", keep=5)
    for n in range(20):
        state.record_unanswered(f"odd question {n}", "en", keep=5)
    rows = state.unanswered(limit=100)
    assert len(rows) == 5 and rows[0].question == "popular question" and rows[0].count == 3
    assert "odd question 19" in {r.question for r in rows}  # the newest of the rare ones stay


def test_long_question_is_cut_and_no_user_data_is_stored(tmp_path):
    path = tmp_path / "s.sqlite3"
    state = State(path)
    state.record_unanswered("x " * 5000, "en", keep=10)
    [row] = state.unanswered()
    assert len(row.question) <= 500
    columns = {r[1] for r in sqlite3.connect(path).execute("PRAGMA table_info(unanswered)")}
    assert columns == {"norm", "lang", "question", "count", "first_seen", "last_seen"}


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, "-m", "bot", "unanswered", *args], cwd=ROOT, env=subprocess_env(),
                          capture_output=True, text=True, timeout=60)


def test_cli_lists_most_asked_first_as_text_and_json(tmp_path):
    path = tmp_path / "s.sqlite3"
    state = State(path)
    state.record_unanswered(RATATOUILLE, "fr", keep=100)
    for _ in range(2):
        state.record_unanswered(MONGOLIA, "en", keep=100)
    state.close()
    done = run_cli("--json", "--state", str(path))
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert [(q["question"], q["lang"], q["count"]) for q in report["questions"]] == \
        [(MONGOLIA, "en", 2), (RATATOUILLE, "fr", 1)]
    assert set(report["questions"][0]) == {"question", "lang", "count", "first_seen", "last_seen"}
    done = run_cli("--state", str(path), "--lang", "fr")
    assert done.returncode == 0 and RATATOUILLE in done.stdout and MONGOLIA not in done.stdout
    missing = run_cli("--json", "--state", str(tmp_path / "none.sqlite3"))
    assert missing.returncode == 0 and json.loads(missing.stdout)["questions"] == []
    assert not (tmp_path / "none.sqlite3").exists()  # a report never creates a state file


def test_cli_checks_lang_and_limit_like_ask(tmp_path):
    """`--lang FR` or a typo listed nothing and said "no unanswered questions recorded";
    `--limit -1` listed everything and `--limit 0` claimed none were recorded."""
    path = tmp_path / "s.sqlite3"
    state = State(path)
    state.record_unanswered(RATATOUILLE, "fr", keep=100)
    state.close()
    upper = run_cli("--state", str(path), "--lang", "FR")
    assert upper.returncode == 0 and RATATOUILLE in upper.stdout
    typo = run_cli("--state", str(path), "--lang", "fre")
    assert typo.returncode == 2
    assert "unknown language 'fre' for --lang: configured languages are fr, en, sw, th" in typo.stderr
    for limit in ("0", "-1"):
        done = run_cli("--state", str(path), "--limit", limit)
        assert done.returncode == 2 and f"must be at least 1, got {limit}" in done.stderr, limit
        assert "no unanswered questions" not in done.stdout


# -- the real bot ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def bot(api, tmp_path_factory):
    root = tmp_path_factory.mktemp("unanswered")
    config = root / "config"
    shutil.copytree(CONFIG, config)
    settings = config / "settings.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("admins: []", f"admins: [{ADMIN}]"),
                        encoding="utf-8")
    process = BotProcess(api, root / "state.sqlite3", root / "logs", knowledge=KNOWLEDGE, config=config,
                         verbose=False).start()
    yield process
    process.stop()


def say(api: FakeBotAPI, text: str, user: int, lang: str = "en") -> list[str]:
    mark = api.mark()
    api.private_message(text, user_id=user, language_code=lang)
    call = api.wait_for("sendMessage", lambda c: c.params["chat_id"] == user, since=mark, timeout=30)
    return [parse_telegram_html(call.params["text"])]


def test_declined_questions_are_listed_for_admins_only(api, bot, service):
    for _ in range(3):
        say(api, MONGOLIA, next(_ids))
    say(api, RATATOUILLE, next(_ids), "fr")
    say(api, "Pourquoi une note de 5 étoiles peut-elle nuire aux ventes ?", next(_ids), "fr")  # an answer is not a gap
    mark = api.mark()
    api.inline_query("What is the capital of Mong", user_id=next(_ids))  # half-typed inline queries are not
    api.wait_for("answerInlineQuery", since=mark, timeout=30)

    [listing] = say(api, "/unanswered", ADMIN)
    lines = listing.splitlines()
    assert lines[0] == service.messages.get("en", "tg_unanswered_heading", count=2)
    assert lines[1].startswith(f"• 3× [en] {MONGOLIA}")
    assert lines[2].startswith(f"• 1× [fr] {RATATOUILLE}")
    assert len(lines) == 3

    [only_fr] = say(api, "/unanswered fr", ADMIN)
    assert RATATOUILLE in only_fr and MONGOLIA not in only_fr

    [refused] = say(api, "/unanswered", next(_ids))
    assert refused == service.messages.get("en", "tg_admin_only")

    mark = api.mark()
    api.group_message("/unanswered", user_id=ADMIN, chat_id=-100737)
    call = api.wait_for("sendMessage", lambda c: c.params["chat_id"] == -100737, since=mark, timeout=30)
    assert parse_telegram_html(call.params["text"]) == service.messages.get("en", "tg_private_only")


def test_cli_reads_postgresql_when_the_bot_keeps_its_state_there(pg):
    """With BOT_STATE_URL the workers record declined questions in PostgreSQL, but
    `bot unanswered` read the SQLite file and said none were recorded."""
    from bot.core.pgstate import PgState

    url = pg.fresh_database("unanswered_cli")
    state = PgState(url)
    for _ in range(2):
        state.record_unanswered(MONGOLIA, "en", keep=100)
    state.record_unanswered(RATATOUILLE, "fr", keep=100)
    state.close()
    done = subprocess.run([PYTHON, "-m", "bot", "unanswered", "--json"], cwd=ROOT,
                          env=subprocess_env(BOT_STATE_URL=url), capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert [(q["question"], q["count"]) for q in report["questions"]] == [(MONGOLIA, 2), (RATATOUILLE, 1)]
    assert report["state"].startswith("postgresql://")
