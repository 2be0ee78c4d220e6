"""Shared fixtures.  Every test runs with networking restricted to loopback:
any attempt to reach another address fails the test, which proves the bot
works offline (no tokenizer, model or data download at run time)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"
CONFIG = ROOT / "config"


def shipped_settings():
    from bot.core.config import load_settings

    return load_settings(CONFIG)


MIN_THAI = shipped_settings().index.min_thai_sentence_chars


def load_articles(directory: Path, detect=lambda _text: "fr"):
    """Articles and problems of a folder, through the store's real indexing path (no cache)."""
    from bot.knowledge.store import update

    kb, _state = update(directory, shipped_settings(), None, None, detect=detect)
    return kb

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_getaddrinfo = socket.getaddrinfo
_LOOPBACK = ("127.", "::1", "localhost", "0:0:0:0:0:0:0:1")


def _is_loopback(address) -> bool:
    if isinstance(address, tuple):
        host = str(address[0])
    else:  # AF_UNIX path
        return True
    return host.startswith(_LOOPBACK) or host == ""


def _guarded_connect(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address):
        raise OSError(f"network access to {address!r} is forbidden in tests")
    return _real_connect(self, address)


def _guarded_connect_ex(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address):
        raise OSError(f"network access to {address!r} is forbidden in tests")
    return _real_connect_ex(self, address)


def _guarded_getaddrinfo(host, *args, **kwargs):
    if host is not None and not _is_loopback((host,)):
        raise OSError(f"name resolution of {host!r} is forbidden in tests")
    return _real_getaddrinfo(host, *args, **kwargs)


socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign]
socket.getaddrinfo = _guarded_getaddrinfo  # type: ignore[assignment]


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache(tmp_path_factory):
    """Index caches and REPL history go to a temporary folder, not $HOME."""
    cache = tmp_path_factory.mktemp("cache")
    os.environ["BOT_CACHE_DIR"] = str(cache)
    os.environ["BOT_HISTORY_FILE"] = str(cache / "history")
    # Sentence vectors depend only on the model and the text: every test (and
    # its subprocesses, even with their own BOT_CACHE_DIR) shares them, so the
    # shipped articles are embedded once per session, not once per folder.
    os.environ["BOT_VECTOR_CACHE_DIR"] = str(cache / "vectors")
    # Seeded with the shipped articles' vectors (tests/fixtures/vectors, keyed by
    # model and content like the real cache: an edited article misses and is
    # embedded), which saves ~10 s of embedding per run.
    seed = Path(__file__).parent / "fixtures" / "vectors"
    if seed.is_dir():
        shutil.copytree(seed, cache / "vectors", dirs_exist_ok=True)
    os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")
    os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
    yield cache


@pytest.fixture(scope="session")
def service():
    from bot.answering.service import QAService

    return QAService.open(KNOWLEDGE, CONFIG)


@pytest.fixture
def knowledge_copy(tmp_path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, target)
    return target


@pytest.fixture
def config_copy(tmp_path) -> Path:
    target = tmp_path / "config"
    shutil.copytree(CONFIG, target)
    return target


def with_setting(config: Path, old: str, new: str) -> Path:
    """`config` (a copy of config/) with one line of its settings.yaml changed;
    `old` must be there, so a renamed setting fails the test instead of testing nothing."""
    settings = config / "settings.yaml"
    text = settings.read_text(encoding="utf-8")
    assert old in text, old
    settings.write_text(text.replace(old, new), encoding="utf-8")
    return config


def write_article(folder: Path, stem: str, title: str, lang: str, body: str, translation_of: str = "") -> Path:
    """A knowledge file `folder/stem.md` with its front matter, `body` as written."""
    link = f"translation_of: {translation_of}\n" if translation_of else ""
    path = folder / f"{stem}.md"
    path.write_text(f"---\ntitle: {title}\nlang: {lang}\n{link}---\n{body}", encoding="utf-8")
    return path


def knowledge_folder(tmp_path: Path, *articles: tuple[str, str, str, str]) -> Path:
    """A knowledge folder `tmp_path/kb` of articles (stem, title, lang, text), each
    file's body its title line, a blank line, then `text`, as news pages read."""
    kb = tmp_path / "kb"
    kb.mkdir()
    for stem, title, lang, text in articles:
        write_article(kb, stem, title, lang, f"{title}\n\n{text}")
    return kb


def subprocess_env(**extra: str) -> dict[str, str]:
    """Environment for running `python -m bot` in a child process, offline."""
    env = dict(os.environ)
    env["PYTHONIOENCODING"] = "utf-8"
    # The child installs the same loopback-only guard through sitecustomize.
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "tests" / "offline"), str(ROOT)])
    env.update(extra)
    return env


PYTHON = sys.executable


def pytest_sessionfinish(session, exitstatus):
    """Fail the run if any bot process printed its token (see tests/bot_process.py)."""
    leaks = getattr(sys.modules.get("bot_process"), "LEAKS", [])
    if leaks:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        for where, form in leaks:
            line = f"TOKEN LEAK: {form} found in {where}"
            if reporter:
                reporter.write_line(line, red=True)
            else:
                print(line, file=sys.stderr)
        session.exitstatus = 1


@pytest.fixture(scope="module")
def pg():
    """A PostgreSQL server of the tests' own for one module (tests/pg_server.py;
    skipped with the reason where none can start)."""
    from pg_server import PgServer

    server = PgServer.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def api(request):
    """A fake Bot API server on 127.0.0.1 for the whole module, with the module's TOKEN
    (modules that need a fresh server per test, or a special one, define their own)."""
    from fake_bot_api import FakeBotAPI

    with FakeBotAPI(request.module.TOKEN) as server:
        yield server


@pytest.fixture(scope="module")
def bot(api, tmp_path_factory):
    """The real `python -m bot telegram` process over the shipped knowledge, against the
    module's fake server, for the whole module (modules needing other folders start their own)."""
    from bot_process import BotProcess

    root = tmp_path_factory.mktemp("bot")
    process = BotProcess(api, root / "state.sqlite3", root / "logs", verbose=False).start()
    yield process
    process.stop()


def as_a_terminal_would() -> None:
    """In the REPL's process before it starts: Ctrl-C and Ctrl-\\ at their defaults,
    as a person's shell leaves them.  A test run started in the background of a
    script (`make test &`, `(pytest …) &`) ignores SIGINT and SIGQUIT, as POSIX
    shells do for background commands, and the REPL would inherit that: Python
    then installs no Ctrl-C handler at all (three full runs of 2026-12-02 timed
    out so)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGQUIT, signal.SIG_DFL)
