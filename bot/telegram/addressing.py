"""The group rules: which messages are addressed to the bot, and the question in them.

Private chat: every text is a question.  Group: only `/command` (or
`/command@this_bot`), a mention of the bot (`@handle` or a text mention of
its user), or a reply to one of the bot's own messages; everything else is
other people's conversation.  The per-user rate limit (fairness.py) asks
`addressed_to_bot` with the commands the bot has handlers for, so that it counts
(and answers with a slow-down text) only what the handlers would answer: a bare
`/roll` meant for another bot in the group is neither.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from telegram import Message, MessageEntity
from telegram.ext import filters

_COMMAND = re.compile(r"/([A-Za-z0-9_]+)(?:@([A-Za-z0-9_]+))?")


def mentions_bot(message: Message, username: str | None, bot_id: int | None) -> bool:
    handle = f"@{username}".casefold() if username else None
    for entity, value in message.parse_entities([MessageEntity.MENTION, MessageEntity.TEXT_MENTION]).items():
        if entity.type == MessageEntity.MENTION and handle and value.casefold() == handle:
            return True
        if entity.type == MessageEntity.TEXT_MENTION and entity.user and entity.user.id == bot_id:
            return True
    return False


def replies_to_bot(message: Message, bot_id: int | None) -> bool:
    replied = message.reply_to_message
    return bool(replied and replied.from_user and bot_id is not None and replied.from_user.id == bot_id)


def command_for_bot(message: Message, username: str | None) -> bool | None:
    """True for `/cmd` or `/cmd@this_bot`, False for `/cmd@other_bot`, None if no command."""
    match = _COMMAND.match(message.text or "")
    if not match:
        return None
    return match.group(2) is None or match.group(2).casefold() == (username or "").casefold()


def command_name(message: Message) -> str | None:
    """"ask" for `/ask@bot question` (lowercase, as PTB's CommandHandler compares); None if no command."""
    match = _COMMAND.match(message.text or "")
    return match.group(1).lower() if match else None


def addressed_to_bot(message: Message, username: str | None, bot_id: int | None,
                     commands: Collection[str] | None = None) -> bool:
    """Whether the bot should answer this message (see the module docstring).  `commands`:
    those it has handlers for (None: any); in a group another command gets no answer."""
    if message.chat.type == "private":
        return True
    if message.text is None:  # a sticker or photo replying to the bot: a group gets no "text only" reply
        return False
    command = command_for_bot(message, username)
    if command is not None:
        return command and (commands is None or command_name(message) in commands)
    return mentions_bot(message, username, bot_id) or replies_to_bot(message, bot_id)


class _AddressedToBot(filters.MessageFilter):
    """A group message that mentions the bot or replies to it (commands have their own handlers)."""

    def filter(self, message: Message) -> bool:
        bot = message.get_bot()
        return mentions_bot(message, bot.username, bot.id) or replies_to_bot(message, bot.id)


ADDRESSED = _AddressedToBot(name="AddressedToBot")


def strip_mentions(message: Message) -> str:
    """The message text without the bot's @handle (the question itself)."""
    body = message.text or ""
    username = message.get_bot().username
    if username:
        body = re.sub(rf"@{re.escape(username)}\b", " ", body, flags=re.IGNORECASE)
    return re.sub(r"[ \t]{2,}", " ", body).strip()


def command_argument(message: Message) -> str:
    """What follows `/cmd` or `/cmd@bot`, line breaks kept."""
    body = message.text or ""
    match = re.match(r"/\S+", body)
    return body[match.end():].strip() if match else body.strip()
