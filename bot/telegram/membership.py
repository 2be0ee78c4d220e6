"""The bot's own place in chats: a hello when added to a group, the chat forgotten when the
bot is removed, and settings that follow a group upgraded to a supergroup.

* `my_chat_member` (Telegram sends it whenever the bot's status in a chat changes): added
  to a group or supergroup → one short hello (`tg_added`) in the group's best-guess
  language: a language chosen earlier, else the client language of whoever added the bot,
  else the default.  Removed or banned (also: a user blocking the bot in private) → the
  chat's stored settings are deleted from the state store.  Promotions and other changes
  that keep the bot in the chat do nothing; channels get no hello.
* A group upgraded to a supergroup gets a new id; Telegram announces it with two service
  messages (`migrate_to_chat_id` in the old chat, `migrate_from_chat_id` in the new one).
  Either moves the stored language to the new id (`State.move_chat`, idempotent).

State failures are logged by `state_call` and never stop anything else.
"""

from __future__ import annotations

import logging

from telegram import ChatMember, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.core.state import StateError
from bot.telegram.chat import Runtime, deps, state_call, text, ui_language
from bot.telegram.formatting import format_text

log = logging.getLogger(__name__)

IN_CHAT = (ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)
GONE = (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED)
GROUPS = (ChatType.GROUP, ChatType.SUPERGROUP)


def in_chat(member: ChatMember) -> bool:
    """Whether this status means the bot is in the chat (a restricted member may still be)."""
    if member.status in IN_CHAT:
        return True
    return member.status == ChatMemberStatus.RESTRICTED and bool(getattr(member, "is_member", False))


async def my_chat_member(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The bot was added to a chat (hello in groups) or removed from it (forget the chat)."""
    change = update.my_chat_member
    if change is None:
        return
    d = deps(context)
    chat = change.chat
    was, now = in_chat(change.old_chat_member), in_chat(change.new_chat_member)
    if now and not was:
        if chat.type not in GROUPS:
            return
        lang = await ui_language(d, chat, change.from_user)
        hello = text(d, lang, "tg_added", count=len(d.service.kb.articles))
        log.info("added to %s %s", chat.type, chat.id)
        try:
            await context.bot.send_message(chat.id, format_text(hello))
        except TelegramError as exc:  # e.g. a group where members may not write: nothing else to do
            log.info("could not greet chat %s: %s", chat.id, exc)
        return
    if was and change.new_chat_member.status in GONE:
        await forget(d, chat.id, change.new_chat_member.status)


async def forget(d: Runtime, chat_id: int, status: str) -> None:
    """Delete the chat's stored settings (logged; a state failure is logged by state_call)."""
    if d.state is None:
        return
    try:
        deleted = await state_call(d, "forgetting a chat the bot left", lambda s: s.forget_chat(chat_id))
    except StateError:
        return
    log.info("%s chat %s: %s", "banned from" if status == ChatMemberStatus.BANNED else "removed from",
             chat_id, "its stored settings were deleted" if deleted else "no stored settings")


async def migrated(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A group became a supergroup: its stored settings move to the new chat id."""
    message = update.effective_message
    if message is None:
        return
    if message.migrate_to_chat_id:
        old, new = message.chat.id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id:
        old, new = message.migrate_from_chat_id, message.chat.id
    else:
        return
    d = deps(context)
    if d.state is None:
        return
    try:
        moved = await state_call(d, "moving a group's settings to its supergroup", lambda s: s.move_chat(old, new))
    except StateError:
        return
    if moved:
        log.info("group %s became supergroup %s: its settings moved with it", old, new)
