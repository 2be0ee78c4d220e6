"""The durable outbox: every chat reply and FAQ post, queued before it is sent.

Separate from `bot/core/state.py`, which opens the file and creates the schema: the
`outbox` table's SQL (bot/telegram/outbox.py, bot/faq/ledger.py) and the statuses
of its rows, mixed into `State` (and so `PgState`), relying on nothing but its
`execute` and `read`.
"""

from __future__ import annotations

from bot.core.inbox_store import INBOX_KEEP_DONE_SECONDS
from bot.core.statements import Statements


class OutboxStatus:
    """The statuses of an outbox row, defined once: the SQL below writes them, the
    outbox (bot/telegram/outbox.py) and the FAQ ledger read them."""

    PENDING, SENDING, SENT, UNCERTAIN, FAILED = "pending", "sending", "sent", "uncertain", "failed"


class OutboxStore(Statements):
    """`State`'s outbox calls."""


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

    # For several workers, one per chat at a time (a worker taking a chat over): plain SQL that
    # SQLite (>= 3.35) and PostgreSQL both run (PgState translates the ?).
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
