"""Persistent state in one SQLite file: chat preferences, FAQ post ledger, unanswered questions.

SQLite in WAL mode survives a kill -9 mid-write (the journal is replayed on
the next open) and lets two processes share the file safely; every statement
uses parameters, never string formatting.  Each concern owns its tables; this
module opens the file, creates the schema and runs the statements; each table's
calls are in a module of their own, mixed into `State`: chat_settings.py (chat
languages), unanswered.py (declined questions), inbox_store.py, outbox_store.py
and chat_leases.py (several workers); the FAQ ledger's are in bot/faq/ledger.py.

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
import sqlite3
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from bot.core.chat_leases import ChatLeaseStore
from bot.core.chat_settings import ChatSettingsStore
from bot.core.inbox_store import InboxStore
from bot.core.outbox_store import OutboxStore
from bot.core.statements import Result
from bot.core.unanswered import UnansweredStore

T = TypeVar("T")
log = logging.getLogger(__name__)

DEFAULT_STATE_PATH = "state/bot.sqlite3"
DEFAULT_TIMEOUT = 30.0  # one-shot commands (faq post, unanswered) may wait; the bot passes its own
RECONNECT_SECONDS = 5.0

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


class State(ChatSettingsStore, UnansweredStore, InboxStore, OutboxStore, ChatLeaseStore):
    """A connection to the state file, created with its schema on first use; the calls
    of each table come from the classes it is made of."""

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
