"""What every table's calls run on: `execute` and `read`, and the `Result` they return.

The tables' calls (chat_settings.py, unanswered.py, inbox_store.py, outbox_store.py,
chat_leases.py) are mixed into `State` (bot/core/state.py), which runs the statements
on SQLite, and so into `PgState`, which runs them on PostgreSQL.  Each of them only
needs these two runners; declared here once, so that each table's module imports
nothing of `state.py` and type-checks on its own.
"""

from __future__ import annotations

from dataclasses import dataclass


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


class Statements:
    """The statement runners a table's calls rely on; `State` and `PgState` define them."""

    def execute(self, sql: str, params: tuple = ()) -> Result:
        """Run one statement that writes (or reads): its rows, read completely."""
        raise NotImplementedError

    def read(self, sql: str, params: tuple = ()) -> Result:
        """Run one statement that only reads: its rows, read completely."""
        raise NotImplementedError
