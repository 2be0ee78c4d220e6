"""Persistent state in one SQLite file: chat preferences, FAQ post ledger, unanswered questions.

SQLite in WAL mode survives a kill -9 mid-write (the journal is replayed on
the next open) and lets two processes share the file safely; every statement
uses parameters, never string formatting.  Each concern owns its tables; this
module opens the file, creates the schema and offers the chat-language and
unanswered-question calls.

The state must never silence the bot (issue 14, part 3).  So:

* every SQLite failure becomes a `StateError` that says in plain words what
  is wrong (damaged, locked, read-only, disk full) and what to do; callers
  that only *read* a preference carry on without it, callers that must
  *write* tell the user they could not;
* the busy timeout is short (the caller's choice; the Telegram bot uses
  `chat.state_timeout_seconds`), not SQLite's 30 s, and async callers run
  statements on the state's own thread (`State.run`) with that deadline, so
  a locked file never blocks the event loop or the threads that answer;
* a file that cannot even be opened (not a database, locked while opening,
  folder missing) does not stop the process: the state is "unavailable",
  every call raises StateError, and the connection is tried again at most
  every RECONNECT_SECONDS, so a lock released later heals without restart;
* `check()` at start-up runs an integrity check and a real test write;
* a state file deleted or replaced while the bot runs is noticed at the next
  call (its inode changed), logged and reopened, instead of writes going on
  into a deleted file and vanishing at the next restart.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import sqlite3
import threading
import time
import unicodedata
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
log = logging.getLogger(__name__)

DEFAULT_STATE_PATH = "state/bot.sqlite3"
DEFAULT_TIMEOUT = 30.0  # one-shot commands (faq post, unanswered) may wait; the bot passes its own
RECONNECT_SECONDS = 5.0
UNANSWERED_TEXT_CHARS = 500  # a stored question is cut here (Telegram allows 4096)

class OutboxStatus:
    """The statuses of an outbox row, defined once: the SQL below writes them, the
    outbox (bot/telegram/outbox.py) and the FAQ ledger read them."""

    PENDING, SENDING, SENT, UNCERTAIN, FAILED = "pending", "sending", "sent", "uncertain", "failed"


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
    # A FAQ post being sent: the process posting it renews alive_at while it posts, so that
    # another process tells a slow post from a claim whose process stopped (bot/faq/ledger.py).
    """CREATE TABLE IF NOT EXISTS faq_posting (
        entry_id TEXT NOT NULL,
        slot TEXT NOT NULL,
        chat TEXT NOT NULL,
        alive_at TEXT NOT NULL,
        PRIMARY KEY (entry_id, slot, chat)
    )""",
    # Declined questions for the people who write the articles: the text (as last
    # asked), its language, how often and when; never who asked.
    """CREATE TABLE IF NOT EXISTS unanswered (
        norm TEXT NOT NULL,
        lang TEXT NOT NULL,
        question TEXT NOT NULL,
        count INTEGER NOT NULL,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        PRIMARY KEY (norm, lang)
    )""",
    "CREATE TABLE IF NOT EXISTS state_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    # The inbox (bot/telegram/inbox.py): every update is written here before Telegram is
    # told it arrived (getUpdates offset, webhook 2xx).  `done` rows stay a day with their
    # payload dropped: a redelivered update id is then recognised and not answered twice.
    """CREATE TABLE IF NOT EXISTS inbox (
        update_id INTEGER PRIMARY KEY,
        chat_key TEXT NOT NULL DEFAULT '',
        payload TEXT,
        received_at REAL NOT NULL,
        done INTEGER NOT NULL DEFAULT 0
    )""",
    # The outbox: every chat reply, keyed by what produced it (update id and the reply's
    # number within it), so a reply computed again after a crash is not sent again.
    # status: pending, sending (a request is on its way), sent, uncertain (the request may
    # have reached Telegram: not resent), failed (refused by Telegram).
    """CREATE TABLE IF NOT EXISTS outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        key TEXT NOT NULL UNIQUE,
        chat TEXT NOT NULL,
        method TEXT NOT NULL,
        params TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending',
        created_at REAL NOT NULL,
        finished_at REAL,
        attempts INTEGER NOT NULL DEFAULT 0,
        result TEXT,
        detail TEXT
    )""",
    "CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (status, chat, id)",
    "CREATE INDEX IF NOT EXISTS inbox_waiting ON inbox (done, chat_key, update_id)",
    # Webhook workers: the one worker answering a chat's updates right now, until lease_until.
    """CREATE TABLE IF NOT EXISTS chat_leases (
        chat_key TEXT PRIMARY KEY,
        owner TEXT NOT NULL,
        lease_until REAL NOT NULL
    )""",
)
INBOX_KEEP_DONE_SECONDS = 86_400.0  # Telegram keeps an unconfirmed update for 24 h


def default_state_path() -> Path:
    return Path(os.environ.get("BOT_STATE_PATH") or DEFAULT_STATE_PATH)


class StateError(Exception):
    """The state store cannot do this now; `kind` is damaged, locked, read-only, full, io,
    timeout or unavailable, and the message says what is wrong with which file."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def describe(path: Path, exc: BaseException) -> StateError:
    """A StateError in plain words for an SQLite (or OS) failure on `path`."""
    text = str(exc)
    low = text.lower()
    if "malformed" in low or "not a database" in low or "corrupt" in low:
        return StateError("damaged", f"the state file {path} is damaged ({text}); restore a copy or move it "
                                     "away to start with an empty state")
    if "locked" in low or "busy" in low:
        return StateError("locked", f"the state file {path} is locked by another process ({text})")
    if "readonly" in low or "read-only" in low or "permission" in low:
        return StateError("read-only", f"the state file {path} cannot be written ({text}): "
                                       "check its permissions and those of its folder")
    if "full" in low or "no space" in low or "too large" in low:
        return StateError("full", f"the disk holding the state file {path} is full ({text})")
    if "disk i/o" in low:
        return StateError("io", f"the state file {path} cannot be written or read ({text}): a full or failing "
                                "disk, or a file size limit")
    return StateError("unavailable", f"the state file {path} cannot be used ({type(exc).__name__}: {text})")


@dataclass(frozen=True)
class Result:
    """The rows and row count of one statement, read completely while the lock was held
    (a damaged page met while fetching is reported like any other failure)."""

    rows: list[tuple]
    rowcount: int

    def fetchone(self) -> tuple | None:
        return self.rows[0] if self.rows else None

    def fetchall(self) -> list[tuple]:
        return list(self.rows)


@dataclass(frozen=True)
class Unanswered:
    """One declined question: as last asked, its language, how often, first and last time."""

    question: str
    lang: str
    count: int
    first_seen: str
    last_seen: str

    def to_json(self) -> dict[str, Any]:
        return {"question": self.question, "lang": self.lang, "count": self.count,
                "first_seen": self.first_seen, "last_seen": self.last_seen}


def normalise_question(text: str) -> str:
    """The key that makes "Why 5 stars?" and "why  5 stars" one question."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"[\s\u200b]+", " ", text).strip()
    return text.strip(" ?!.¿¡…。？！")


class State:
    """A connection to the state file, created with its schema on first use."""

    def __init__(self, path: Path | str, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.path = Path(path)
        self.timeout = timeout
        self._lock = threading.Lock()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="state")
        self.db: sqlite3.Connection | None = None
        # Reads have their own connection and thread: in WAL mode a reader is never blocked by
        # a writer, so a chat's language is read at once even while a /lang write waits for a
        # lock held by another process (sharing one thread, the read queued behind the write).
        self._rlock = threading.Lock()
        self._rexecutor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="state-read")
        self.rdb: sqlite3.Connection | None = None
        self._generation = 0  # bumped when the file is reopened; the reader follows
        self._rgeneration = 0
        self.open_error: StateError | None = None
        self.setup_error: StateError | None = None  # opened for reading only (schema or WAL failed)
        self._last_attempt = float("-inf")
        self._identity: tuple[int, int] | None = None
        self.replaced = 0  # times the file was found deleted or replaced and reopened
        with self._lock:
            self._connect()

    # -- connection ---------------------------------------------------------------
    def _connect(self) -> None:
        """Open the file and create the schema; on failure remember why (lock held)."""
        self._last_attempt = time.monotonic()
        db = None
        try:
            if str(self.path) != ":memory:":
                self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(str(self.path), timeout=self.timeout, isolation_level=None,
                                 check_same_thread=False)
            db.execute("SELECT 1")  # connect(timeout=...) is the busy timeout (not SQLite's 30 s default here)
        except (sqlite3.Error, OSError) as exc:
            if db is not None:
                db.close()
            self.open_error = describe(self.path, exc)
            return
        self.setup_error = None
        try:
            self._create_schema(db)
        except sqlite3.Error as exc:
            # A full disk or a read-only file cannot take the schema, yet may still be read:
            # keep the connection when it can, so chats keep their languages.
            self.setup_error = describe(self.path, exc)
            try:
                db.execute("SELECT COUNT(*) FROM chat_settings").fetchone()
            except sqlite3.Error:
                db.close()
                self.open_error = self.setup_error
                return
        self.db, self.open_error = db, None
        self._identity = self._file_identity()

    def _create_schema(self, db: sqlite3.Connection) -> None:
        """WAL mode and the tables, retried while another process holds the lock.

        Processes opening a new file at the same moment race for it, and SQLite answers
        some of those races with "database is locked" at once, without waiting out the
        busy timeout: switching to WAL needs the file to itself, and a connection that
        read the schema and then wants to write it is refused when another one already
        writes (waiting could deadlock).  So the tables are created in one BEGIN
        IMMEDIATE transaction, which takes the write lock before reading and so waits
        like any write, and a refusal is retried until the state's timeout.
        """
        deadline = time.monotonic() + self.timeout
        pause = 0.005
        while True:
            try:
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                db.execute("BEGIN IMMEDIATE")
                try:
                    for statement in SCHEMA:
                        db.execute(statement)
                    db.execute("COMMIT")
                except BaseException:
                    if db.in_transaction:
                        db.execute("ROLLBACK")
                    raise
                return
            except sqlite3.OperationalError as exc:
                if describe(self.path, exc).kind != "locked" or time.monotonic() + pause > deadline:
                    raise
                time.sleep(pause)
                pause = min(pause * 2, 0.1)

    def _file_identity(self) -> tuple[int, int] | None:
        """(device, inode) of the file now, None if it is gone (or in memory)."""
        if str(self.path) == ":memory:":
            return None
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        return st.st_dev, st.st_ino

    def _still_our_file(self) -> None:
        """Reopen when the file was deleted or replaced under us (lock held).

        SQLite keeps writing to a deleted file's inode, so every choice made after
        the deletion would silently vanish at the next restart; reopening creates a
        new file, and the loss is logged once, clearly.
        """
        if self.db is None or str(self.path) == ":memory:" or self._file_identity() == self._identity:
            return
        log.error("the state file %s was deleted or replaced while the bot was running: reopening it; "
                  "chat language choices and FAQ records made before are lost unless a copy is restored",
                  self.path)
        self.replaced += 1
        self._generation += 1
        self.db.close()
        self.db = None
        self._connect()

    def execute(self, sql: str, params: tuple = ()) -> Result:
        """Run one statement; StateError (never sqlite3.Error) when the state cannot serve it."""
        with self._lock:
            db = self._usable()
            try:
                cursor = db.execute(sql, params)
                return Result(cursor.fetchall(), cursor.rowcount)
            except sqlite3.Error as exc:
                raise self._failed(db, exc) from exc

    def _usable(self) -> sqlite3.Connection:
        """The open connection (reopened when the file was replaced, reconnected after
        RECONNECT_SECONDS), else the error that keeps it closed.  Call with the lock held."""
        self._still_our_file()
        if self.db is None and time.monotonic() - self._last_attempt >= RECONNECT_SECONDS:
            self._connect()
        if self.db is None:
            assert self.open_error is not None
            raise self.open_error
        return self.db

    def _failed(self, db: sqlite3.Connection, exc: sqlite3.Error) -> StateError:
        """`exc` as a StateError, with no transaction left open (e.g. a full disk mid-statement)."""
        if db.in_transaction:
            try:
                db.execute("ROLLBACK")
            except sqlite3.Error:
                pass
        return describe(self.path, exc)

    def read(self, sql: str, params: tuple = ()) -> Result:
        """A read-only statement on the reader connection (see `_rlock`); StateError on failure."""
        if self.db is None:
            return self.execute(sql, params)  # not open: the write path reconnects and reports
        with self._rlock:
            try:
                if self.rdb is not None and self._rgeneration != self._generation:
                    self.rdb.close()
                    self.rdb = None
                if self.rdb is None:
                    self._rgeneration = self._generation
                    self.rdb = sqlite3.connect(str(self.path), timeout=self.timeout, isolation_level=None,
                                               check_same_thread=False)
                    self.rdb.execute("PRAGMA query_only=1")
                cursor = self.rdb.execute(sql, params)
                return Result(cursor.fetchall(), cursor.rowcount)
            except sqlite3.Error as exc:
                raise describe(self.path, exc) from exc

    async def run(self, fn: Callable[..., T], *args: Any, timeout: float | None = None,
                  reading: bool = False) -> T:
        """`fn(*args)` on the state's own thread, never on the event loop; StateError after
        `timeout` seconds.  A call still queued when its caller gave up is skipped, so a
        locked file does not build a backlog of statements nobody waits for."""
        timeout = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + timeout

        def guarded() -> T:
            if time.monotonic() > deadline:
                raise StateError("timeout", "gave up before it started")
            return fn(*args)

        executor = self._rexecutor if reading else self._executor
        future = asyncio.get_running_loop().run_in_executor(executor, guarded)
        try:
            # asyncio.timeout, not wait_for: Python 3.11's wait_for returns the call's result
            # when a cancel arrives just as the call completes, so a cancelled caller ran on
            # (a FAQ post's claim renewal, cancelled once the post was sent, renewed forever
            # and the post never finished).
            async with asyncio.timeout(timeout):
                return await future
        except TimeoutError:
            raise StateError("timeout", f"the state file {self.path} did not answer within {timeout:g}s "
                                        "(locked by another process, or a slow disk)") from None

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
        self._rexecutor.shutdown(wait=False, cancel_futures=True)
        with self._rlock:
            if self.rdb is not None:
                self.rdb.close()
                self.rdb = None
        with self._lock:
            if self.db is not None:
                self.db.close()
                self.db = None

    # -- start-up check -------------------------------------------------------------
    def check(self) -> list[StateError]:
        """Integrity check and a real test write; what is wrong, in plain words (empty: all well)."""
        problems: list[StateError] = [self.setup_error] if self.setup_error else []
        try:
            rows = self.execute("PRAGMA integrity_check(5)").fetchall()
            if [r[0] for r in rows] != ["ok"]:
                detail = " ".join("; ".join(str(r[0]) for r in rows).split())[:300]
                problems.append(StateError("damaged", f"the state file {self.path} is damaged (integrity "
                                                      f"check: {detail}); restore a copy or move it away to "
                                                      "start with an empty state"))
        except StateError as exc:
            if not any(p.kind == exc.kind for p in problems):
                problems.append(exc)
            if self.db is None:
                return problems
        try:
            self.execute("INSERT INTO state_meta (key, value) "
                         "VALUES ('last_start', strftime('%Y-%m-%dT%H:%M:%fZ','now')) "
                         "ON CONFLICT(key) DO UPDATE SET value = excluded.value")
        except StateError as exc:
            if not any(p.kind == exc.kind for p in problems):
                problems.append(exc)
        return problems

    # -- chat languages -------------------------------------------------------------
    def chat_language(self, chat_id: int) -> str | None:
        row = self.read("SELECT lang FROM chat_settings WHERE chat_id = ?", (chat_id,)).fetchone()
        return row[0] if row else None

    def set_chat_language(self, chat_id: int, lang: str | None) -> None:
        self.execute(
            "INSERT INTO chat_settings (chat_id, lang) VALUES (?, ?) "
            "ON CONFLICT(chat_id) DO UPDATE SET lang = excluded.lang, "
            "updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')",
            (chat_id, lang),
        )

    def forget_chat(self, chat_id: int) -> bool:
        """Delete the chat's stored settings (the bot was removed from it); True if there were any."""
        return self.execute("DELETE FROM chat_settings WHERE chat_id = ?", (chat_id,)).rowcount > 0

    def move_chat(self, old_id: int, new_id: int) -> bool:
        """A group upgraded to a supergroup: its settings follow it to `new_id`; True if moved.

        Idempotent (Telegram sends two service messages per migration).  A choice already
        made in the new chat wins.  Each statement leaves a consistent state on its own,
        so a crash between them loses nothing."""
        moved = self.execute(
            "UPDATE chat_settings SET chat_id = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') "
            "WHERE chat_id = ? AND NOT EXISTS (SELECT 1 FROM chat_settings WHERE chat_id = ?)",
            (new_id, old_id, new_id)).rowcount > 0
        if not moved:
            self.execute("DELETE FROM chat_settings WHERE chat_id = ?", (old_id,))
        return moved

    # -- unanswered questions ---------------------------------------------------------
    def record_unanswered(self, question: str, lang: str, keep: int) -> None:
        """Count one declined question; keep at most `keep` distinct ones (the least asked,
        then the oldest, go first), so a flood of odd texts cannot grow the file without bound."""
        text = " ".join(question.split())[:UNANSWERED_TEXT_CHARS]
        key = normalise_question(text)
        if not key:
            return
        self.execute(
            "INSERT INTO unanswered (norm, lang, question, count, first_seen, last_seen) "
            "VALUES (?, ?, ?, 1, strftime('%Y-%m-%dT%H:%M:%fZ','now'), strftime('%Y-%m-%dT%H:%M:%fZ','now')) "
            "ON CONFLICT(norm, lang) DO UPDATE SET count = unanswered.count + 1, question = excluded.question, "
            "last_seen = excluded.last_seen",
            (key, lang, text))
        total = self.execute("SELECT COUNT(*) FROM unanswered").fetchone()
        if total and total[0] > keep:
            self.execute(
                "DELETE FROM unanswered WHERE (norm, lang) IN (SELECT norm, lang FROM unanswered "
                "ORDER BY count ASC, last_seen ASC LIMIT ?)", (total[0] - keep,))

    def unanswered(self, limit: int = 20, lang: str | None = None) -> list[Unanswered]:
        """The most asked declined questions, most asked first (then the most recent)."""
        sql = "SELECT question, lang, count, first_seen, last_seen FROM unanswered"
        params: tuple = ()
        if lang:
            sql += " WHERE lang = ?"
            params = (lang,)
        rows = self.read(sql + " ORDER BY count DESC, last_seen DESC LIMIT ?", (*params, limit)).fetchall()
        return [Unanswered(*row) for row in rows]

    # -- inbox and outbox (bot/telegram/inbox.py, outbox.py) ---------------------------
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

    def outbox_add(self, key: str, chat: str, method: str, params: str, now: float) -> tuple[int, str, str | None,
                                                                                              str | None]:
        """Queue one request unless `key` is already queued; (id, status, result, detail) of its row."""
        self.execute("INSERT OR IGNORE INTO outbox (key, chat, method, params, created_at) VALUES (?, ?, ?, ?, ?)",
                     (key, chat, method, params, now))
        row = self.execute("SELECT id, status, result, detail FROM outbox WHERE key = ?", (key,)).fetchone()
        assert row is not None
        return int(row[0]), row[1], row[2], row[3]

    def outbox_outcome(self, key: str) -> tuple[str, str | None, str | None] | None:
        """(status, result, detail) of the request queued under `key`; None if there is none
        (never queued, or forgotten a day after it finished)."""
        row = self.execute("SELECT status, result, detail FROM outbox WHERE key = ?", (key,)).fetchone()
        return (row[0], row[1], row[2]) if row else None

    def outbox_pending(self, chat: str | None = None, limit: int = 100) -> list[tuple[int, str, str, str]]:
        """(id, chat, method, params) of unsent requests, oldest first (of one chat, or all)."""
        if chat is None:
            rows = self.execute("SELECT id, chat, method, params FROM outbox WHERE status = 'pending' "
                                "ORDER BY id LIMIT ?", (limit,)).fetchall()
        else:
            rows = self.execute("SELECT id, chat, method, params FROM outbox WHERE status = 'pending' AND chat = ? "
                                "ORDER BY id LIMIT ?", (chat, limit)).fetchall()
        return [tuple(r) for r in rows]

    def outbox_finish(self, row_id: int, status: str, result: str | None, detail: str | None, attempts: int,
                      now: float) -> None:
        self.execute("UPDATE outbox SET status = ?, result = ?, detail = ?, attempts = attempts + ?, "
                     "finished_at = ? WHERE id = ?", (status, result, detail, attempts, now, row_id))

    def outbox_settle(self, key: str, status: str, detail: str, now: float) -> bool:
        """Close the row queued under `key` if it is still pending; True if there was one.

        For a reply sent without the outbox because queueing it timed out: the timed-out
        insert may still land afterwards (it was waiting for a lock when its caller gave
        up), and a pending row would be sent again by the next sender to load it.  Called
        on the state's one writing thread, so it runs after that insert, never before."""
        return self.execute("UPDATE outbox SET status = ?, detail = ?, finished_at = ? "
                            "WHERE key = ? AND status = 'pending'", (status, detail, now, key)).rowcount == 1

    def outbox_sending(self, row_id: int) -> bool:
        """Written just before a request leaves: a process killed now leaves the row 'sending'.

        Only a 'pending' row moves, so of two senders holding the same row (a webhook worker
        stalled past its chat lease while another took the chat over) one sends it and the
        other sees False and leaves it alone: the request is never in flight twice."""
        return self.execute("UPDATE outbox SET status = 'sending' WHERE id = ? AND status = 'pending'",
                            (row_id,)).rowcount == 1

    def outbox_retry_later(self, row_id: int) -> bool:
        """The request certainly did not arrive (refused connection, 5xx, 429): pending again.
        False when the row was no longer 'sending' (a worker taking the chat over closed it)."""
        return self.execute("UPDATE outbox SET status = 'pending' WHERE id = ? AND status = 'sending'",
                            (row_id,)).rowcount == 1

    def outbox_status(self, row_id: int) -> tuple[str, str | None, str | None] | None:
        """(status, result, detail) of one row; None if it is gone."""
        row = self.execute("SELECT status, result, detail FROM outbox WHERE id = ?", (row_id,)).fetchone()
        return (row[0], row[1], row[2]) if row else None

    def outbox_interrupted(self, now: float) -> list[tuple[int, str, str]]:
        """Close rows left 'sending' by a process that stopped mid-request as uncertain (it may
        have been delivered: not resent); (id, key, chat) of each."""
        rows = [tuple(r) for r in self.execute(
            "SELECT id, key, chat FROM outbox WHERE status = 'sending'").fetchall()]
        self.execute("UPDATE outbox SET status = 'uncertain', finished_at = ?, detail = ? WHERE status = 'sending'",
                     (now, "the process stopped while the request was in flight; it may have been delivered, "
                           "so it is not sent again"))
        return rows

    def outbox_redirect(self, row_id: int, chat: str, params: str) -> None:
        """A group became a supergroup: the request goes to the new chat id."""
        self.execute("UPDATE outbox SET chat = ?, params = ? WHERE id = ?", (chat, params, row_id))

    def outbox_prune(self, now: float) -> int:
        """Forget finished requests after a day (their keys guard against re-sending only as
        long as the inbox remembers the update ids)."""
        return self.execute("DELETE FROM outbox WHERE status != 'pending' AND finished_at < ?",
                            (now - INBOX_KEEP_DONE_SECONDS,)).rowcount

    def outbox_counts(self) -> dict[str, int]:
        return {r[0]: int(r[1]) for r in self.read("SELECT status, COUNT(*) FROM outbox GROUP BY status").fetchall()}

    # -- several workers: one worker per chat at a time (bot/telegram/workers.py, leases.py) --
    # Plain SQL that SQLite (>= 3.35) and PostgreSQL both run (PgState translates the ?).
    def lease_candidates(self, now: float, limit: int, owner: str = "") -> list[str]:
        """Chats with work no live worker holds: recorded, unanswered updates, or requests
        queued in the outbox and not sent (a stopped worker's, or a FAQ post to a channel,
        which never sends an update to bring a worker).  Chats `owner` holds itself are
        included for their updates only (it may hold one for a FAQ post or its sender)."""
        return [r[0] for r in self.execute(
            "SELECT i.chat_key FROM inbox i LEFT JOIN chat_leases l ON l.chat_key = i.chat_key "
            "WHERE i.done = 0 AND (l.chat_key IS NULL OR l.lease_until < ? OR l.owner = ?) "
            "UNION "
            "SELECT o.chat FROM outbox o LEFT JOIN chat_leases l ON l.chat_key = o.chat "
            "WHERE o.status IN ('pending', 'sending') AND (l.chat_key IS NULL OR l.lease_until < ?) "
            "LIMIT ?", (now, owner, now, limit)).fetchall()]

    def lease_acquire(self, chat_key: str, owner: str, now: float, until: float) -> bool:
        """Take the chat if free or expired (or already ours); True when it is ours."""
        rows = self.execute(
            "INSERT INTO chat_leases (chat_key, owner, lease_until) VALUES (?, ?, ?) "
            "ON CONFLICT (chat_key) DO UPDATE SET owner = excluded.owner, lease_until = excluded.lease_until "
            "WHERE chat_leases.lease_until < ? OR chat_leases.owner = excluded.owner RETURNING owner",
            (chat_key, owner, until, now)).fetchall()
        return bool(rows)

    def lease_renew(self, owner: str, chat_keys: list[str], until: float) -> list[str]:
        """Extend `owner`'s leases on these chats; the chats still held (a missing one was
        taken over after it expired).  Only the chats named: a lease acquired by a call whose
        caller gave up (a timeout) is not kept alive by mistake, it simply expires."""
        return [key for key in chat_keys if self.execute(
            "UPDATE chat_leases SET lease_until = ? WHERE chat_key = ? AND owner = ?",
            (until, key, owner)).rowcount == 1]

    def lease_release(self, chat_key: str, owner: str) -> None:
        self.execute("DELETE FROM chat_leases WHERE chat_key = ? AND owner = ?", (chat_key, owner))

    def lease_release_all(self, owner: str) -> int:
        """A worker stopping lets go of every chat it still holds."""
        return self.execute("DELETE FROM chat_leases WHERE owner = ?", (owner,)).rowcount

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

    def outbox_adopt(self, chat: str, now: float) -> tuple[list[tuple[int, str]], list[tuple[int, str, str, str]]]:
        """A worker taking a chat over: (closed, pending).  `closed`: (id, key) of the requests
        a stopped worker left in flight, now closed as uncertain (they may have arrived: not
        resent); `pending`: (id, chat, method, params) of the unsent ones, oldest first.

        One statement reads both; a second closes the in-flight ones only when there are some,
        and RETURNING names exactly the rows it closed, also one that a stalled worker started
        sending in between (it was pending in the read and is closed with the others: whoever
        sends it first moves it out of 'pending', so it still leaves at most once)."""
        rows = self.execute("SELECT id, key, chat, method, params, status FROM outbox "
                            "WHERE chat = ? AND status IN ('pending', 'sending') ORDER BY id", (chat,)).fetchall()
        closed: list[tuple[int, str]] = []
        if any(row[5] == "sending" for row in rows):
            closed = sorted((int(r[0]), r[1]) for r in self.execute(
                "UPDATE outbox SET status = 'uncertain', finished_at = ?, detail = ? "
                "WHERE chat = ? AND status = 'sending' RETURNING id, key",
                (now, "the worker sending it stopped while the request was in flight; it may have been "
                      "delivered, so it is not sent again", chat)).fetchall())
        return closed, [(int(r[0]), r[2], r[3], r[4]) for r in rows if r[5] == "pending"]

    def outbox_has_pending(self, chat: str) -> bool:
        return self.execute("SELECT 1 FROM outbox WHERE chat = ? AND status = 'pending' LIMIT 1",
                            (chat,)).fetchone() is not None
