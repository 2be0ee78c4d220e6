"""The FAQ post ledger: one row per (entry, slot, chat) in the state file.

Exactly-once rests on one statement: ``INSERT OR IGNORE`` into ``faq_posts``
whose primary key is (entry_id, slot, chat).  SQLite serialises writers on
the file, so of any number of threads or processes trying to claim the same
key exactly one sees ``rowcount == 1`` and posts; the others see the row and
stay silent.  Rows then move on to a final status:

* ``claimed``  the claimant is posting right now (or crashed while posting);
* ``posted``   Telegram accepted the message (detail: its message id);
* ``failed``   Telegram refused it, or retries ran out (detail: why);
* ``skipped``  the slot was missed by more than the grace period, or the
  knowledge had no answer (detail: why).

A claim left in ``claimed`` by a process that died mid-post is ambiguous: the
message may or may not have reached Telegram.  The contract is *at most once
per chat*, so such a claim is never re-posted automatically.  A post can also
take long and still be under way (a 429 asking for an hour, an outage), and
another process sharing the state (webhook workers, `bot faq post` next to the
bot) cannot see that from the claim's age.  So the process posting renews the
claim's sign of life (`alive`, table ``faq_posting``) every third of
`chat.faq_stale_claim_seconds` (settings.yaml) while it posts, and a claim is
abandoned only once it is older than that limit *and* nobody renewed it within
it.  It is then settled by what the durable outbox knows of it (inside the bot
every post is queued there first, key ``faq:<entry>:<slot>:<chat>``):

* queued, not sent yet (``pending``): left alone, the outbox sends it (at
  most once; with webhook workers, whichever worker holds or next takes the
  chat, even when its own worker was killed) and a later sweep records the
  outcome;
* ``sent``: recorded as ``posted``;
* refused by Telegram (``failed``): recorded as ``failed`` with the refusal;
* anything else (in flight when the process stopped, ``uncertain``, or not in
  the outbox at all): closed as ``failed`` with an "interrupted" detail saying
  it may have been delivered.

Every one closed is returned to be logged; a person can re-post by hand with
``python -m bot faq post ID``.  Claims the calling process is still posting
itself (`exclude`) are never closed, however long an outage keeps them open,
even when renewing them fails.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from bot.core.outbox_store import OutboxStatus
from bot.core.state import State

CLAIMED, POSTED, FAILED, SKIPPED = "claimed", "posted", "failed", "skipped"
MANUAL_PREFIX = "manual:"


# A claim (a faq_posts row) whose poster has not renewed it since the cutoff (the one parameter).
_NOT_RENEWED = ("NOT EXISTS (SELECT 1 FROM faq_posting p WHERE p.entry_id = faq_posts.entry_id "
                "AND p.slot = faq_posts.slot AND p.chat = faq_posts.chat AND p.alive_at >= ?)")


def _ts(now: datetime) -> str:
    return now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def outbox_key(entry_id: str, slot: str, chat: str | int) -> str:
    """The durable outbox's key of one post (the scheduler queues it, the ledger reads it)."""
    return f"faq:{entry_id}:{slot}:{chat}"


@dataclass(frozen=True)
class PostRecord:
    entry_id: str
    slot: str
    chat: str
    status: str
    claimed_at: str
    posted_at: str | None
    detail: str | None


class Ledger:
    """Claims and outcomes of FAQ posts, stored in `State`'s faq_posts table."""

    def __init__(self, state: State) -> None:
        self.state = state

    def claim(self, entry_id: str, slot: str, chat: str, now: datetime, status: str = CLAIMED,
              detail: str | None = None) -> bool:
        """True for the one caller that creates the row; False if it exists."""
        cursor = self.state.execute(
            "INSERT OR IGNORE INTO faq_posts (entry_id, slot, chat, status, claimed_at, detail) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (entry_id, slot, str(chat), status, _ts(now), detail),
        )
        return cursor.rowcount == 1

    def finish(self, entry_id: str, slot: str, chat: str, status: str, now: datetime,
               detail: str | None = None) -> None:
        """Record the outcome of a claimed post."""
        self.state.execute(
            "UPDATE faq_posts SET status = ?, posted_at = ?, detail = ? "
            "WHERE entry_id = ? AND slot = ? AND chat = ?",
            (status, _ts(now) if status == POSTED else None, detail, entry_id, slot, str(chat)),
        )

    def alive(self, entry_id: str, slot: str, chat: str, now: datetime) -> None:
        """The caller is still posting this claim: another process must not settle it as
        abandoned (`close_stale_claims`) for another `older_than`."""
        self.state.execute(
            "INSERT INTO faq_posting (entry_id, slot, chat, alive_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (entry_id, slot, chat) DO UPDATE SET alive_at = excluded.alive_at",
            (entry_id, slot, str(chat), _ts(now)))

    def get(self, entry_id: str, slot: str, chat: str) -> PostRecord | None:
        row = self.state.execute(
            "SELECT entry_id, slot, chat, status, claimed_at, posted_at, detail FROM faq_posts "
            "WHERE entry_id = ? AND slot = ? AND chat = ?", (entry_id, slot, str(chat))).fetchone()
        return PostRecord(*row) if row else None

    def records(self, entry_id: str | None = None) -> list[PostRecord]:
        sql = "SELECT entry_id, slot, chat, status, claimed_at, posted_at, detail FROM faq_posts"
        params: tuple = ()
        if entry_id is not None:
            sql += " WHERE entry_id = ?"
            params = (entry_id,)
        return [PostRecord(*row) for row in self.state.execute(sql + " ORDER BY slot, chat", params).fetchall()]

    def last_slot(self, entry_id: str) -> str | None:
        """The newest scheduled slot recorded for an entry (manual posts excluded)."""
        row = self.state.execute(
            "SELECT MAX(slot) FROM faq_posts WHERE entry_id = ? AND slot NOT LIKE ?",
            (entry_id, MANUAL_PREFIX + "%")).fetchone()
        return row[0] if row and row[0] else None

    def close_stale_claims(self, now: datetime, older_than: timedelta,
                           exclude: Collection[tuple[str, str, str]] = ()) -> list[PostRecord]:
        """Settle claims abandoned by a stopped process: claimed longer than `older_than`
        ago and not renewed (`alive`) within it (see the module docstring); the records
        closed, with their new status and detail, for logging.

        `exclude`: (entry, slot, chat) keys the caller is posting right now.  Each UPDATE
        only touches a row still in ``claimed`` and still not renewed, so an outcome or a
        sign of life recorded meanwhile by the process that posts it is never overridden.
        """
        cutoff = _ts(now - older_than)
        # Signs of life older than the limit say nothing any more: forgotten (the table stays small).
        self.state.execute("DELETE FROM faq_posting WHERE alive_at < ?", (cutoff,))
        stale = [PostRecord(*row) for row in self.state.execute(
            "SELECT entry_id, slot, chat, status, claimed_at, posted_at, detail FROM faq_posts "
            "WHERE status = ? AND claimed_at < ? AND " + _NOT_RENEWED, (CLAIMED, cutoff, cutoff)).fetchall()]
        closed = []
        for record in stale:
            if (record.entry_id, record.slot, record.chat) in exclude:
                continue
            outcome = self.state.outbox_outcome(outbox_key(record.entry_id, record.slot, record.chat))
            status, result, detail = outcome if outcome is not None else (None, None, None)
            if status == OutboxStatus.PENDING:
                continue  # the outbox sends it (at most once); the outcome is recorded then
            if status == OutboxStatus.SENT:
                new = POSTED
                reason = f"message {_message_id(result)} (sent by the outbox after a restart)"
            elif status == OutboxStatus.FAILED:
                new, reason = FAILED, f"refused by Telegram: {detail}"
            else:
                new, reason = FAILED, ("interrupted: the process stopped while posting; not re-posted "
                                       "automatically (it may have been delivered)")
            cursor = self.state.execute(
                "UPDATE faq_posts SET status = ?, posted_at = ?, detail = ? "
                "WHERE entry_id = ? AND slot = ? AND chat = ? AND status = ? AND " + _NOT_RENEWED,
                (new, _ts(now) if new == POSTED else None, reason, record.entry_id, record.slot, record.chat,
                 CLAIMED, cutoff))
            if cursor.rowcount == 1:
                closed.append(replace(record, status=new, detail=reason))
        return closed


def _message_id(result: str | None) -> int | None:
    """The message id in the outbox's stored sendMessage result."""
    try:
        return json.loads(result or "").get("message_id")
    except (TypeError, ValueError, AttributeError):
        return None
