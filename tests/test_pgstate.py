"""PgState's tables are State's: one schema, SQLite's, in PostgreSQL's types.

The first test needs no server; the second runs on a real PostgreSQL server
(tests/pg_server.py) and is skipped, with the reason, where none can start.
"""

from __future__ import annotations

import sqlite3

from bot.core.pgstate import schema_to_pg
from bot.core.state import SCHEMA, State

# What PostgreSQL must hold where SQLite's type would be too small there: Telegram's
# 64-bit ids, double-precision times (PostgreSQL's REAL has 4 bytes), a 64-bit key.
PG_TYPES = {
    ("chat_settings", "chat_id"): "bigint",
    ("inbox", "update_id"): "bigint",
    ("inbox", "received_at"): "double precision",
    ("outbox", "id"): "bigint",
    ("outbox", "created_at"): "double precision",
    ("outbox", "finished_at"): "double precision",
    ("chat_leases", "lease_until"): "double precision",
    ("unanswered", "count"): "integer",
    ("outbox", "attempts"): "integer",
}


def sqlite_columns(tmp_path) -> dict[str, list[tuple[str, str, bool]]]:
    """{table: [(column, declared type, not null)]} of a fresh State file."""
    state = State(tmp_path / "state.sqlite3")
    state.close()
    with sqlite3.connect(tmp_path / "state.sqlite3") as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                           "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        return {t: [(r[1], r[2], bool(r[3] or r[5])) for r in db.execute(f"PRAGMA table_info({t})")]
                for t in tables}


def test_the_postgresql_schema_is_states_schema_translated():
    pg_schema = [schema_to_pg(statement) for statement in SCHEMA]
    for sqlite_sql, pg_sql in zip(SCHEMA, pg_schema):
        assert sqlite_sql.split("(")[0] == pg_sql.split("(")[0]  # the same table or index, in the same order
        for word in ("AUTOINCREMENT", "strftime", " REAL", "?"):
            assert word not in pg_sql
    assert "id BIGSERIAL PRIMARY KEY" in " ".join(pg_schema)


def test_postgresql_tables_have_the_state_files_columns(pg, tmp_path):
    from bot.core.pgstate import PgState

    url = pg.fresh_database("schema")
    state = PgState(url, timeout=10)
    try:
        assert state.open_error is None
        rows = state.read("SELECT table_name, column_name, data_type, is_nullable, column_default "
                          "FROM information_schema.columns WHERE table_schema = 'public' "
                          "ORDER BY table_name, ordinal_position").fetchall()
        state.set_chat_language(5, "fr")  # updated_at from the column's default
        stamp = state.read("SELECT updated_at FROM chat_settings WHERE chat_id = 5").fetchone()
    finally:
        state.close()
    pg_columns: dict[str, list[tuple[str, bool]]] = {}
    types = {}
    for table, column, data_type, nullable, _default in rows:
        pg_columns.setdefault(table, []).append((column, nullable == "NO"))
        types[(table, column)] = data_type
    expected = {t: [(c, not_null) for c, _type, not_null in cols] for t, cols in sqlite_columns(tmp_path).items()}
    assert pg_columns == expected
    assert {k: types[k] for k in PG_TYPES} == PG_TYPES
    assert stamp is not None and len(stamp[0]) == len("2024-01-01T00:00:00.000Z") and stamp[0].endswith("Z")
