"""The durable inbox: every Telegram update, recorded before Telegram is told it arrived.

Separate from `bot/core/state.py`, which opens the file and creates the schema: the
`inbox` table's SQL (bot/telegram/inbox.py, workers.py), mixed into `State`.  Its
calls rely on `execute` and `read`; `inbox_add`, one transaction for a batch, also
on State's lock and connection (`_lock`, `_usable`, `_failed`), and `PgState`
writes it again for PostgreSQL.
"""

from __future__ import annotations

import sqlite3
import threading
from typing import TYPE_CHECKING

from bot.core.statements import Statements

if TYPE_CHECKING:  # pragma: no cover
    from bot.core.state import StateError

INBOX_KEEP_DONE_SECONDS = 86_400.0  # Telegram keeps an unconfirmed update for 24 h


class InboxStore(Statements):
    """`State`'s inbox calls."""

    if TYPE_CHECKING:  # State's lock and connection (bot/core/state.py), for the one transaction
        _lock: threading.Lock

        def _usable(self) -> sqlite3.Connection: ...
        def _failed(self, db: sqlite3.Connection, exc: sqlite3.Error) -> StateError: ...

    def inbox_add(self, updates: list[tuple[int, str, str]], now: float) -> int:
        """Record (update_id, chat_key, json) triples in one transaction; how many were new.
        An id already recorded (redelivered, done or not) is ignored."""
        with self._lock:
            db = self._usable()
            try:
                db.execute("BEGIN IMMEDIATE")
                added = 0
                for update_id, chat_key, payload in updates:
                    cursor = db.execute(
                        "INSERT OR IGNORE INTO inbox (update_id, chat_key, payload, received_at) VALUES (?, ?, ?, ?)",
                        (update_id, chat_key, payload, now))
                    added += cursor.rowcount
                db.execute("COMMIT")
                return added
            except sqlite3.Error as exc:
                raise self._failed(db, exc) from exc

    def inbox_pending(self, after: int, limit: int) -> list[tuple[int, str, float]]:
        """Recorded, unanswered updates with update_id > after, oldest first."""
        return [tuple(r) for r in self.execute(
            "SELECT update_id, payload, received_at FROM inbox WHERE done = 0 AND update_id > ? "
            "ORDER BY update_id LIMIT ?", (after, limit)).fetchall()]

    def inbox_done(self, update_id: int) -> None:
        self.execute("UPDATE inbox SET done = 1, payload = NULL WHERE update_id = ?", (update_id,))

    def inbox_prune(self, now: float) -> int:
        return self.execute("DELETE FROM inbox WHERE done = 1 AND received_at < ?",
                            (now - INBOX_KEEP_DONE_SECONDS,)).rowcount

    def inbox_counts(self) -> tuple[int, int]:
        """(waiting, done) updates."""
        row = self.read("SELECT COALESCE(SUM(CASE WHEN done = 0 THEN 1 ELSE 0 END), 0), "
                        "COALESCE(SUM(CASE WHEN done = 1 THEN 1 ELSE 0 END), 0) FROM inbox").fetchone()
        return (int(row[0]), int(row[1])) if row else (0, 0)

    # For several workers, one per chat at a time (bot/telegram/workers.py): plain SQL that
    # SQLite (>= 3.35) and PostgreSQL both run (PgState translates the ?).
    def inbox_next(self, chat_key: str) -> tuple[tuple[int, str, float] | None, bool]:
        """(update, queued): the chat's oldest recorded, unanswered update (None when none is
        left), and whether the outbox holds unsent requests for the chat.  One statement, so a
        webhook worker answering a chat looks for requests another worker queued for it (a FAQ
        post waiting for the chat's lease) without a second query per update: it reads them
        only when there are some."""
        row = self.execute(
            "SELECT i.update_id, i.payload, i.received_at, "
            "EXISTS (SELECT 1 FROM outbox WHERE status = 'pending' AND chat = ?) "
            "FROM (SELECT 1) AS one LEFT JOIN (SELECT update_id, payload, received_at FROM inbox "
            "WHERE chat_key = ? AND done = 0 ORDER BY update_id LIMIT 1) AS i ON 1 = 1",
            (chat_key, chat_key)).fetchone()
        assert row is not None  # the one-row left side: always exactly one row
        update = (int(row[0]), row[1], float(row[2])) if row[0] is not None else None
        return update, bool(row[3])
