"""The fake Bot API server speaks the Bot API well enough for real PTB."""

from __future__ import annotations

import asyncio

import pytest
from telegram import Bot
from telegram.error import BadRequest, NetworkError, RetryAfter

from fake_bot_api import FakeBotAPI, HTMLEntityError, parse_telegram_html


@pytest.fixture
def api():
    with FakeBotAPI() as server:
        yield server


def _bot(api: FakeBotAPI) -> Bot:
    return Bot(api.token, base_url=f"{api.root}/bot", base_file_url=f"{api.root}/file/bot")


async def test_get_me_send_message_and_records(api):
    async with _bot(api) as bot:
        assert bot.username == api.username
        msg = await bot.send_message(42, "<b>hi</b> &amp; bye", parse_mode="HTML")
        assert msg.text == "hi & bye" and msg.chat.id == 42 and msg.from_user.is_bot
    call = api.wait_for("sendMessage")
    assert call.params["chat_id"] == 42 and call.params["text"] == "<b>hi</b> &amp; bye"


async def test_long_polling_waits_then_delivers_with_offsets(api):
    async with _bot(api) as bot:
        assert await bot.get_updates(timeout=0.3) == ()
        # The update is pushed while the long poll is pending: the held request returns it.
        loop = asyncio.get_running_loop()
        loop.call_later(0.2, api.private_message, "bonjour", 7, "fr")
        updates = await bot.get_updates(timeout=30)
        assert [u.message.text for u in updates] == ["bonjour"]
        assert updates[0].message.from_user.language_code == "fr"
        assert updates[0].message.chat.type == "private"
        api.private_message("second", 7)
        again = await bot.get_updates(offset=updates[0].update_id, timeout=0)
        assert [u.message.text for u in again] == ["bonjour", "second"]
        confirmed = await bot.get_updates(offset=again[-1].update_id + 1, timeout=0)
        assert confirmed == ()


async def test_commands_and_entities_parse_in_ptb(api):
    api.group_message(f"/ask@{api.username} quoi ?", chat_id=-100555)
    api.group_message(f"hello @{api.username}", chat_id=-100555)
    async with _bot(api) as bot:
        updates = await bot.get_updates(timeout=0)
    cmd, mention = updates
    assert cmd.message.entities[0].type == "bot_command"
    assert cmd.message.parse_entity(cmd.message.entities[0]) == f"/ask@{api.username}"
    assert mention.message.parse_entity(mention.message.entities[0]) == f"@{api.username}"
    assert cmd.message.chat.type == "supergroup"


async def test_injected_faults(api):
    api.fail("sendMessage", 429, retry_after=3)
    api.fail("sendMessage", 500)
    async with _bot(api) as bot:
        with pytest.raises(RetryAfter):
            await bot.send_message(1, "x")
        with pytest.raises(NetworkError):
            await bot.send_message(1, "x")
        with pytest.raises(BadRequest, match="parse entities"):
            await bot.send_message(1, "<p>x</p>", parse_mode="HTML")
        with pytest.raises(BadRequest, match="too long"):
            await bot.send_message(1, "x" * 4097)
        await bot.send_message(1, "x" * 4096)
    statuses = [c.status for c in api.calls_to("sendMessage")]
    assert statuses == [429, 500, 400, 400, 200]
    assert api.calls_to("sendMessage")[0].result == "Too Many Requests: retry after 3"


async def test_unknown_method_is_ok_and_wrong_token_unauthorized(api):
    async with _bot(api) as bot:
        assert await bot.do_api_request("someFutureMethod", api_kwargs={"chat_id": 1}) is True
    from telegram.error import InvalidToken

    with pytest.raises(InvalidToken):
        async with Bot("1:wrong", base_url=f"{api.root}/bot"):
            pass


def test_html_checker_is_strict():
    assert parse_telegram_html("<i>a</i> &lt;3 “q”") == "a <3 “q”"
    for bad in ("<b>x", "a < b", "fish & chips", "<br>", "<i>x</b>"):
        with pytest.raises(HTMLEntityError):
            parse_telegram_html(bad)
