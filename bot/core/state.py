"""Persistent state in one SQLite file: chat preferences and FAQ post ledger.

SQLite in WAL mode survives a kill -9 mid-write (the journal is replayed on
the next open) and lets two processes share the file safely; every statement
uses parameters, never string formatting.  Each concern owns its tables; this
module opens the file, creates the schema and offers the chat-language calls.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

DEFAULT_STATE_PATH = "state/bot.sqlite3"

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS chat_settings (
        chat_id INTEGER PRIMARY KEY,
        lang TEXT,
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
    )""",
    # One row per (entry, slot, chat): the primary key is the claim that makes
    # a scheduled FAQ post happen at most once, even across processes.
    """CREATE TABLE IF NOT EXISTS faq_posts (
        entry_id TEXT NOT NULL,
        slot TEXT NOT NULL,
        chat TEXT NOT NULL,
        status TEXT NOT NULL,
        claimed_at TEXT NOT NULL,
        posted_at TEXT,
        detail TEXT,
        PRIMARY KEY (entry_id, slot, chat)
    )""",
)


def default_state_path() -> Path:
    return Path(os.environ.get("BOT_STATE_PATH") or DEFAULT_STATE_PATH)


class State:
    """A connection to the state file, created with its schema on first use."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        if str(self.path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self.db = sqlite3.connect(str(self.path), timeout=30, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA busy_timeout=30000")
        with self._lock:
            for statement in SCHEMA:
                self.db.execute(statement)

    def execute(self, sql: str, params: tuple = ()) -> sqlite3.Cursor:
        with self._lock:
            return self.db.execute(sql, params)

    def close(self) -> None:
        self.db.close()

    # -- chat languages -------------------------------------------------------
    def chat_language(self, chat_id: int) -> str | None:
        row = self.execute("SELECT lang FROM chat_settings WHERE chat_id = ?", (chat_id,)).fetchone()
        return row[0] if row else None

    def set_chat_language(self, chat_id: int, lang: str | None) -> None:
        self.execute(
            "INSERT INTO chat_settings (chat_id, lang) VALUES (?, ?) "
            "ON CONFLICT(chat_id) DO UPDATE SET lang = excluded.lang, "
            "updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')",
            (chat_id, lang),
        )
