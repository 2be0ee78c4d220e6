"""Chat leases: with several webhook workers, the one worker answering a chat right now.

Separate from `bot/core/state.py`, which opens the file and creates the schema: the
`chat_leases` table's SQL (bot/telegram/workers.py, leases.py), mixed into `State`
(and so `PgState`), relying on nothing but its `execute`.
"""

from __future__ import annotations

from bot.core.statements import Statements


class ChatLeaseStore(Statements):
    """`State`'s chat-lease calls."""


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
