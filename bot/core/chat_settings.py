"""The chat settings table: each chat's language, and its move when a group becomes a supergroup.

Separate from `bot/core/state.py`, which opens the file and creates the schema: this
is only the SQL of one table, mixed into `State` (and so `PgState`), relying on
nothing but its `execute` and `read`.
"""

from __future__ import annotations

from bot.core.statements import Statements


class ChatSettingsStore(Statements):
    """`State`'s chat-language calls (bot/telegram: chat.py, membership.py, handlers.py)."""


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
