"""The state store in PostgreSQL (`BOT_STATE_URL=postgresql://…`), for several workers.

Same calls and the same guarantees as the SQLite `State` (chat settings, FAQ
ledger, unanswered questions, inbox, outbox, chat leases), on psycopg 3:

* the statements are State's own, written once: `?` placeholders become
  `%s`, ``INSERT OR IGNORE`` becomes ``INSERT … ON CONFLICT DO NOTHING`` and
  SQLite's `strftime(…,'now')` the same UTC text from PostgreSQL (`to_pg`);
  only what SQLite-specific SQL cannot express is written here again;
* so is the schema: State's tables with PostgreSQL's wider types (`schema_to_pg`);
* autocommit: every statement is its own transaction, like State's; the inbox
  batch is one transaction;
* every psycopg failure becomes a `StateError` naming the server (never the
  password), and a lost connection is reopened at the next call, so a server
  restart heals without restarting the bot;
* calls run on the state's own threads with its deadline (`State.run`).
"""

from __future__ import annotations

import logging
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from bot.core.state import SCHEMA, State, StateError
from bot.core.statements import Result
from bot.core.urls import public_url

log = logging.getLogger(__name__)

_NOW_SQLITE = "strftime('%Y-%m-%dT%H:%M:%fZ','now')"
_NOW_PG = "to_char(now() AT TIME ZONE 'utc', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"


def to_pg(sql: str) -> str:
    """One of State's literal statements in PostgreSQL's dialect (no values are ever inserted)."""
    sql = sql.replace(_NOW_SQLITE, _NOW_PG)
    if "INSERT OR IGNORE INTO" in sql:
        sql = sql.replace("INSERT OR IGNORE INTO", "INSERT INTO") + " ON CONFLICT DO NOTHING"
    return re.sub(r"\?", "%s", sql)


def schema_to_pg(statement: str) -> str:
    """One statement of State's SQLite `SCHEMA` with PostgreSQL's types, where SQLite's
    would be too small there: an INTEGER key holds a Telegram id (64-bit in SQLite,
    32 in PostgreSQL) and becomes BIGINT, the AUTOINCREMENT key a BIGSERIAL, and REAL
    (8 bytes in SQLite, 4 in PostgreSQL: a time would lose its seconds) DOUBLE
    PRECISION; then `to_pg` (the default time text)."""
    statement = statement.replace("INTEGER PRIMARY KEY AUTOINCREMENT", "BIGSERIAL PRIMARY KEY")
    statement = statement.replace("INTEGER PRIMARY KEY", "BIGINT PRIMARY KEY")
    return to_pg(re.sub(r"\bREAL\b", "DOUBLE PRECISION", statement))


def describe_pg(where: str, exc: BaseException) -> StateError:
    text = " ".join(str(exc).split())[:300]
    low = text.lower()
    if "could not connect" in low or "connection refused" in low or "connection" in low and "closed" in low:
        return StateError("unavailable", f"the state database {where} cannot be reached ({text})")
    if "lock" in low or "deadlock" in low or "canceling statement" in low:
        return StateError("locked", f"the state database {where} is busy ({text})")
    if "read-only" in low or "permission denied" in low:
        return StateError("read-only", f"the state database {where} cannot be written ({text})")
    if "no space" in low or "disk full" in low:
        return StateError("full", f"the disk of the state database {where} is full ({text})")
    return StateError("unavailable", f"the state database {where} cannot be used ({type(exc).__name__}: {text})")


class PgState(State):
    """`State` on PostgreSQL: one writer and one reader connection, each on its own thread."""

    db: Any  # psycopg connections (State's are sqlite3's)
    rdb: Any
    path: Any  # the URL with its credentials masked (core/urls.public_url), as messages name it

    def __init__(self, url: str, timeout: float = 30.0) -> None:
        # Not State.__init__: there is no file.  The attributes State's shared methods use:
        self.url = url
        self.path = public_url(url)
        self.timeout = timeout
        self._lock = threading.Lock()
        self._rlock = threading.Lock()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="state")
        self._rexecutor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="state-read")
        self.db = None
        self.rdb = None
        self.open_error: StateError | None = None
        self.setup_error: StateError | None = None
        self._last_attempt = float("-inf")
        self.replaced = 0
        with self._lock:
            self._connect()

    def _open(self) -> Any:
        import psycopg

        conn = psycopg.connect(self.url, autocommit=True, connect_timeout=max(1, int(self.timeout)))
        millis = str(int(self.timeout * 1000))
        conn.execute("SELECT set_config('statement_timeout', %s, false), set_config('lock_timeout', %s, false)",
                      (millis, millis))
        return conn

    def _connect(self) -> None:
        self._last_attempt = time.monotonic()
        try:
            db = self._open()
            with db.transaction():
                db.execute("SELECT pg_advisory_xact_lock(727274)")  # workers creating the schema at once
                for statement in SCHEMA:  # State's tables, written once (bot/core/state.py)
                    db.execute(schema_to_pg(statement))
        except Exception as exc:  # noqa: BLE001 - psycopg.Error and OS errors alike
            self.open_error = describe_pg(self.path, exc)
            self.db = None
            return
        self.db, self.open_error = db, None

    def _still_our_file(self) -> None:
        """A connection closed under us is dropped and reopened at once (State._usable)."""
        if self.db is not None and self.db.closed:
            self._drop()

    def _drop(self) -> None:
        """Let go of a connection that was open: the next call reconnects without
        waiting RECONNECT_SECONDS (that wait is for a server that could not be reached)."""
        self.db = None
        self._last_attempt = float("-inf")

    def _failed(self, db: Any, exc: BaseException) -> StateError:
        """`exc` as a StateError; a connection it closed or broke is dropped."""
        if db.closed or db.broken:
            self._drop()
        return describe_pg(self.path, exc)

    def execute(self, sql: str, params: tuple = ()) -> Result:
        with self._lock:
            db: Any = self._usable()
            try:
                cursor = db.execute(to_pg(sql), params)
                rows = cursor.fetchall() if cursor.description else []
                return Result([tuple(r) for r in rows], cursor.rowcount)
            except Exception as exc:  # noqa: BLE001
                raise self._failed(db, exc) from exc

    def read(self, sql: str, params: tuple = ()) -> Result:
        with self._rlock:
            try:
                if self.rdb is None or self.rdb.closed or self.rdb.broken:
                    self.rdb = self._open()
                cursor = self.rdb.execute(to_pg(sql), params)
                rows = cursor.fetchall() if cursor.description else []
                return Result([tuple(r) for r in rows], cursor.rowcount)
            except Exception as exc:  # noqa: BLE001
                if self.rdb is not None and (self.rdb.closed or self.rdb.broken):
                    self.rdb = None
                raise describe_pg(self.path, exc) from exc

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
        self._rexecutor.shutdown(wait=False, cancel_futures=True)
        for lock, name in ((self._rlock, "rdb"), (self._lock, "db")):
            with lock:
                conn = getattr(self, name)
                if conn is not None:
                    conn.close()
                    setattr(self, name, None)
        self._last_attempt = float("-inf")  # a call after close() reconnects at once

    def check(self) -> list[StateError]:
        """A round trip and a real test write."""
        problems: list[StateError] = []
        try:
            self.execute("INSERT INTO state_meta (key, value) "
                         "VALUES ('last_start', strftime('%Y-%m-%dT%H:%M:%fZ','now')) "
                         "ON CONFLICT(key) DO UPDATE SET value = excluded.value")
        except StateError as exc:
            problems.append(exc)
        return problems

    def inbox_add(self, updates: list[tuple[int, str, str]], now: float) -> int:
        with self._lock:
            db: Any = self._usable()
            try:
                added = 0
                with db.transaction():
                    for update_id, chat_key, payload in updates:
                        cursor = db.execute(
                            "INSERT INTO inbox (update_id, chat_key, payload, received_at) VALUES (%s, %s, %s, %s) "
                            "ON CONFLICT DO NOTHING", (update_id, chat_key, payload, now))
                        added += cursor.rowcount
                return added
            except Exception as exc:  # noqa: BLE001
                raise self._failed(db, exc) from exc
