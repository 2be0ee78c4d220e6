"""A small fake Telegram Bot API server for tests, on 127.0.0.1 over real HTTP.

Why our own: the npm `telegram-test-api` emulator does not work with
python-telegram-bot v22 (no `is_bot` in getMe, dates in milliseconds, no long
polling).  This server speaks enough of the Bot API for a real PTB
`Application` (in-process or a `python -m bot telegram` child process pointed
at it with `TELEGRAM_API_URL=api.root`) to run unchanged.

Stable API (other branches reuse it; extend, do not break):

    with FakeBotAPI(token) as api:          # or api.start() ... api.stop()
        api.root                            # "http://127.0.0.1:PORT" (TELEGRAM_API_URL)
        api.bot_user                        # the getMe user dict (username api.username)
        mark = api.mark()                   # index into api.calls, for "calls since"
        upd = api.push_update(update_dict)  # queue an update (update_id assigned if absent)
        api.private_message("texte", user_id=7, language_code="fr")  # builders that push
        api.group_message("hi @bot", user_id=8, chat_id=-100123)
        api.reply_to(bot_message, "more?", user_id=8)   # reply to a message the bot sent
        api.inline_query("question", user_id=9)
        api.callback_query(bot_message, "lang:fr", user_id=7)
        api.bot_membership(chat_id, "left", "member", user_id=8)   # my_chat_member: the bot added/removed
        api.migrate_group(old_chat_id, new_chat_id)   # group -> supergroup: the two service messages
        api.fail("sendMessage", 429, retry_after=1, times=2)  # inject errors (also 500, 502 ...)
        api.fail("sendMessage", 502, page="<html>Bad Gateway</html>")  # ... answered by a proxy, not JSON
        api.disconnect("sendMessage", times=1)  # close the connection without an answer
        api.drop_after("sendMessage", times=1)  # process the call, then close without an answer
        api.go_down(); api.come_back()          # unreachable: connections refused, open ones closed
        api.delay("sendMessage", 0.5, times=1)  # answer late
        api.delay("sendMessage", 0.5, times=3, where=lambda p: p.get("chat_id") == 7)  # only matching calls
        call = api.wait_for("sendMessage", lambda c: c.params["chat_id"] == 7, timeout=10, since=mark)
        api.calls                            # every request: Call(method, params, status, time, result, received)
        api.calls_to("sendMessage", since=mark, ok_only=True)
        api.commands                         # {(scope_json, language_code): [commands]} from setMyCommands
        api.sent_messages                    # {(chat_id, message_id): message dict} the bot sent
        api.member_status[(chat_id, user_id)] = "member"   # getChatMember (default "creator")

Behaviour, as the real Bot API:
- URLs are `{root}/bot{token}/{method}` (method names case-insensitive); a
  wrong token gets 401.  Parameters are decoded from form data (as PTB sends:
  JSON-encoded values), JSON bodies or the query string.
- `getUpdates` long-polls: it waits up to `timeout` seconds for an update with
  `update_id >= offset`; an `offset` confirms (drops) all earlier updates; a
  negative offset returns the last updates.
- Messages sent with `parse_mode=HTML` are parsed like Telegram does: unknown
  tags, unbalanced tags or bad entities give 400 "can't parse entities"; a
  text longer than 4096 characters after parsing gives 400 "message is too long".
- `getUpdates` with a non-empty `allowed_updates` list never delivers (and drops)
  updates of other types, like Telegram.
- `setMyCommands` checks the scope type and the two-letter `language_code`;
  `editMessageText` with the same text and buttons answers 400 "message is not modified".
- Any other method answers `{"ok": true, "result": true}` and is recorded.
- Dates are Unix seconds; users carry `is_bot`; chats carry `type`.
"""

from __future__ import annotations

import html
import itertools
import json
import re
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

MAX_MESSAGE_CHARS = 4096
# Keys whose form values are plain strings even when they look like JSON.
_TEXT_KEYS = {
    "text", "query", "caption", "parse_mode", "inline_query_id", "callback_query_id", "action",
    "language_code", "next_offset", "url", "description", "short_description", "name",
    "switch_pm_text", "switch_pm_parameter", "inline_message_id", "secret_token",
}
# BotCommandScope types setMyCommands accepts.
_SCOPES = {"default", "all_private_chats", "all_group_chats", "all_chat_administrators", "chat",
           "chat_administrators", "chat_member"}
# Tags Telegram accepts in HTML parse mode (attributes checked loosely).
_ALLOWED_TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler",
    "a", "code", "pre", "blockquote", "tg-emoji", "tg-time",
}


class HTMLEntityError(ValueError):
    """Text Telegram would refuse with "can't parse entities"."""


_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s[^<>]*)?)>")
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")


def parse_telegram_html(text: str) -> str:
    """The plain text Telegram shows for `text` in HTML mode, or HTMLEntityError.

    Strict like Telegram: only the supported tags, properly nested; every
    `<`, `>` and `&` outside a tag must be escaped (`&lt;`, `&gt;`, `&amp;`).
    """
    stack: list[str] = []
    parts: list[str] = []
    for i, piece in enumerate(re.split(r"(<[^<>]*>)", text)):
        if i % 2 == 1:
            m = _TAG.fullmatch(piece)
            if not m:
                raise HTMLEntityError(f"malformed tag {piece[:30]!r}")
            closing, tag, attrs = m.group(1), m.group(2).lower(), m.group(3)
            if tag not in _ALLOWED_TAGS:
                raise HTMLEntityError(f"Unsupported tag \"{tag}\"")
            if closing:
                if not stack or stack[-1] != tag:
                    raise HTMLEntityError(f"Unmatched end tag \"{tag}\"")
                stack.pop()
            else:
                if attrs.rstrip().endswith("/"):
                    raise HTMLEntityError(f"self-closing tag \"{tag}\"")
                if tag == "a" and "href=" not in attrs:
                    raise HTMLEntityError("a tag without href")
                stack.append(tag)
            continue
        if "<" in piece or ">" in piece:
            raise HTMLEntityError("unescaped '<' or '>' (use &lt; &gt;)")
        for amp in re.finditer("&", piece):
            if not _ENTITY.match(piece, amp.start()):
                raise HTMLEntityError("unescaped '&' (use &amp;)")
        parts.append(html.unescape(piece))
    if stack:
        raise HTMLEntityError(f"unclosed tag \"{stack[-1]}\"")
    return "".join(parts)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def entities_for(text: str) -> list[dict]:
    """bot_command at offset 0 and @mentions, with UTF-16 offsets like Telegram."""
    out: list[dict] = []
    m = re.match(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?", text)
    if m:
        out.append({"type": "bot_command", "offset": 0, "length": utf16_len(m.group(0))})
    for m in re.finditer(r"(?<![\w/])@[A-Za-z0-9_]{5,32}", text):
        if m.start() == 0 or not text[:m.start()].endswith("/"):
            out.append({"type": "mention", "offset": utf16_len(text[:m.start()]),
                        "length": utf16_len(m.group(0))})
    return out


@dataclass
class Call:
    """One request the bot made."""

    method: str
    params: dict[str, Any]
    status: int
    time: float  # when answered (time.time())
    result: Any = None
    received: float = 0.0  # when the request arrived (a long poll is answered later)

    @property
    def ok(self) -> bool:
        return self.status == 200


@dataclass
class _Fault:
    kind: str  # "status", "disconnect", "drop_after", "delay"
    status: int = 0
    retry_after: int | None = None
    description: str | None = None
    page: str | None = None  # an HTML body instead of the Bot API's JSON (a proxy's error page)
    seconds: float = 0.0
    times: int = 1
    where: Callable[[dict], bool] | None = None  # applies only to calls whose params match


@dataclass
class _State:
    updates: list[dict] = field(default_factory=list)
    confirmed: int = 0  # updates with id < confirmed are dropped


def _decode_value(key: str, value: str) -> Any:
    if key in _TEXT_KEYS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


class FakeBotAPI:
    """The fake server; see the module docstring for the API."""

    def __init__(self, token: str = "123456789:TEST-fake-token-abcdefghijklmnop",
                 username: str = "article_test_bot", first_name: str = "Article Bot",
                 host: str = "127.0.0.1") -> None:
        self.token = token
        self.username = username
        self.bot_id = int(token.split(":", 1)[0]) if token.split(":", 1)[0].isdigit() else 424242
        self.bot_user = {
            "id": self.bot_id, "is_bot": True, "first_name": first_name, "username": username,
            "can_join_groups": True, "can_read_all_group_messages": False,
            "supports_inline_queries": True, "can_connect_to_business": False,
            "has_main_web_app": False,
        }
        self.host = host
        self.calls: list[Call] = []
        self.commands: dict[tuple[str, str], list[dict]] = {}
        self.sent_messages: dict[tuple[int, int], dict] = {}
        self.chats: dict[int, dict] = {}
        # getChatMember status per (chat_id, user_id); anyone else is "creator".
        self.member_status: dict[tuple[Any, Any], str] = {}
        self._faults: dict[str, list[_Fault]] = {}
        self._cond = threading.Condition()
        self._state = _State()
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._query_ids = itertools.count(1)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._stopping = False
        self._down = False
        self._port = 0
        self._connections: set[socket.socket] = set()

    # -- lifecycle --------------------------------------------------------------
    def start(self) -> "FakeBotAPI":
        self._listen(0)
        return self

    def _listen(self, port: int) -> None:
        """Serve on `port` (0: a free one, remembered for `come_back`) in a daemon thread."""
        api = self

        class Handler(_Handler):
            fake = api

        self._server = ThreadingHTTPServer((self.host, port), Handler)
        self._port = self._server.server_address[1]
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="fake-bot-api", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        self._close_server()

    def _close_server(self) -> None:
        """Stop listening (connections already open are left alone)."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> "FakeBotAPI":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._port, "server not started"
        return self._port

    @property
    def root(self) -> str:
        return f"http://{self.host}:{self.port}"

    # -- fault injection -------------------------------------------------------
    def fail(self, method: str, status: int = 429, retry_after: int | None = None, times: int = 1,
             description: str | None = None, where: Callable[[dict], bool] | None = None,
             page: str | None = None) -> None:
        """The next `times` calls of `method` answer `status` (429 carries retry_after); with
        `page`, as a reverse proxy would: that HTML as the body, no JSON."""
        if status == 429 and retry_after is None:
            retry_after = 1
        self._add_fault(method, _Fault("status", status=status, retry_after=retry_after,
                                       description=description, page=page, times=times, where=where))

    def disconnect(self, method: str, times: int = 1, where: Callable[[dict], bool] | None = None) -> None:
        """The next `times` calls of `method` get the connection closed, no answer."""
        self._add_fault(method, _Fault("disconnect", times=times, where=where))

    def drop_after(self, method: str, times: int = 1, where: Callable[[dict], bool] | None = None) -> None:
        """The next `times` calls of `method` are carried out (the message is sent), then the
        connection is closed without an answer: the client cannot know it arrived."""
        self._add_fault(method, _Fault("drop_after", times=times, where=where))

    def go_down(self) -> None:
        """The server becomes unreachable: the listening socket is closed (new connections are
        refused) and every open connection is shut down, as in a network outage."""
        with self._cond:
            self._down = True
            conns = list(self._connections)
        self._close_server()
        for conn in conns:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def come_back(self) -> None:
        """The server listens again on the same port."""
        for _ in range(100):
            try:
                self._listen(self._port)
                break
            except OSError:
                time.sleep(0.05)
        else:
            raise RuntimeError(f"could not listen on port {self._port} again")
        with self._cond:
            self._down = False

    def delay(self, method: str, seconds: float, times: int = 1,
              where: Callable[[dict], bool] | None = None) -> None:
        """The next `times` calls of `method` are answered after `seconds`."""
        self._add_fault(method, _Fault("delay", seconds=seconds, times=times, where=where))

    def pending_faults(self) -> int:
        """Injected faults not yet triggered (times left, summed)."""
        with self._cond:
            return sum(f.times for queue in self._faults.values() for f in queue)

    def _add_fault(self, method: str, fault: _Fault) -> None:
        with self._cond:
            self._faults.setdefault(method.lower(), []).append(fault)

    def _take_faults(self, method: str, params: dict | None = None) -> list[_Fault]:
        """The delay (if any) then the failure (if any) that apply to this call."""
        out = []
        with self._cond:
            queue = self._faults.get(method.lower(), [])
            for wanted_delay in (True, False):
                for fault in queue:
                    if fault.where is not None and not fault.where(params or {}):
                        continue
                    if (fault.kind == "delay") == wanted_delay:
                        out.append(fault)
                        fault.times -= 1
                        if fault.times <= 0:
                            queue.remove(fault)
                        break
        return out

    # -- calls -----------------------------------------------------------------
    def mark(self) -> int:
        with self._cond:
            return len(self.calls)

    def calls_to(self, method: str | None = None, since: int = 0, ok_only: bool = False) -> list[Call]:
        with self._cond:
            calls = self.calls[since:]
        return [c for c in calls if (method is None or c.method.lower() == method.lower())
                and (c.ok or not ok_only)]

    def wait_for(self, method: str, predicate: Callable[[Call], bool] | None = None,
                 timeout: float = 15.0, since: int = 0, ok_only: bool = True, count: int = 1) -> Call:
        """The first (or `count`-th) matching call, waiting for it; AssertionError on timeout."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = [c for c in self.calls[since:]
                         if c.method.lower() == method.lower() and (c.ok or not ok_only)
                         and (predicate is None or predicate(c))]
                if len(found) >= count:
                    return found[count - 1]
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [(c.method, c.status) for c in self.calls[since:]][-20:]
                    raise AssertionError(f"no {method} call matched within {timeout}s; last calls: {seen}")
                self._cond.wait(min(left, 0.2))

    def _record(self, call: Call) -> None:
        with self._cond:
            self.calls.append(call)
            self._cond.notify_all()

    # -- updates ---------------------------------------------------------------
    def push_update(self, update: dict) -> dict:
        """Queue one update for getUpdates (assigns update_id when absent)."""
        with self._cond:
            update = dict(update)
            update.setdefault("update_id", next(self._update_ids))
            for key in ("message", "edited_message", "channel_post", "my_chat_member"):
                chat = update[key].get("chat") if isinstance(update.get(key), dict) else None
                if isinstance(chat, dict) and "id" in chat:  # malformed updates are pushed as they are
                    self.chats[chat["id"]] = chat
            self._state.updates.append(update)
            self._cond.notify_all()
        return update

    def user(self, user_id: int = 1001, first_name: str = "Ana", language_code: str | None = "en",
             username: str | None = None) -> dict:
        user = {"id": user_id, "is_bot": False, "first_name": first_name}
        if username:
            user["username"] = username
        if language_code:
            user["language_code"] = language_code
        return user

    def message(self, chat: dict, from_user: dict, text: str, reply_to: dict | None = None,
                entities: list[dict] | None = None) -> dict:
        msg = {"message_id": next(self._message_ids), "from": from_user, "chat": chat,
               "date": int(time.time()), "text": text}
        ents = entities if entities is not None else entities_for(text)
        if ents:
            msg["entities"] = ents
        if reply_to is not None:
            msg["reply_to_message"] = reply_to
        return msg

    def private_message(self, text: str, user_id: int = 1001, language_code: str | None = "en",
                        first_name: str = "Ana") -> dict:
        user = self.user(user_id, first_name, language_code)
        chat = {"id": user_id, "type": "private", "first_name": first_name}
        return self.push_update({"message": self.message(chat, user, text)})

    def group_chat(self, chat_id: int = -1001234567890, title: str = "Test group",
                   type: str = "supergroup") -> dict:
        return {"id": chat_id, "type": type, "title": title}

    def group_message(self, text: str, user_id: int = 2002, chat_id: int = -1001234567890,
                      language_code: str | None = "en", reply_to: dict | None = None,
                      chat_type: str = "supergroup") -> dict:
        user = self.user(user_id, "Grace", language_code)
        chat = self.chats.get(chat_id) or self.group_chat(chat_id, type=chat_type)
        return self.push_update({"message": self.message(chat, user, text, reply_to=reply_to)})

    def reply_to(self, replied: dict, text: str, user_id: int = 2002,
                 language_code: str | None = "en") -> dict:
        """A user's reply (in the replied message's chat) to `replied`."""
        chat = replied["chat"]
        user = self.user(user_id, "Grace", language_code)
        return self.push_update({"message": self.message(chat, user, text, reply_to=replied)})

    def inline_query(self, query: str, user_id: int = 3003, language_code: str | None = "en",
                     offset: str = "") -> dict:
        return self.push_update({"inline_query": {
            "id": str(next(self._query_ids) + 9_000_000), "from": self.user(user_id, "Ivo", language_code),
            "query": query, "offset": offset, "chat_type": "sender"}})

    def callback_query(self, message: dict, data: str, user_id: int = 1001,
                       language_code: str | None = "en") -> dict:
        return self.push_update({"callback_query": {
            "id": str(next(self._query_ids) + 8_000_000), "from": self.user(user_id, "Ana", language_code),
            "message": message, "chat_instance": f"ci{message['chat']['id']}", "data": data}})

    def chat_member(self, status: str, user: dict) -> dict:
        """A ChatMember object of `status` with the fields Telegram sends for it."""
        member: dict[str, Any] = {"status": status, "user": user}
        if status == "creator":
            member["is_anonymous"] = False
        elif status == "administrator":
            member.update({k: False for k in (
                "can_be_edited", "is_anonymous", "can_manage_chat", "can_delete_messages",
                "can_manage_video_chats", "can_restrict_members", "can_promote_members", "can_change_info",
                "can_invite_users", "can_post_stories", "can_edit_stories", "can_delete_stories")})
        elif status == "restricted":
            member.update({k: False for k in (
                "can_send_messages", "can_send_audios", "can_send_documents", "can_send_photos",
                "can_send_videos", "can_send_video_notes", "can_send_voice_notes", "can_send_polls",
                "can_send_other_messages", "can_add_web_page_previews", "can_change_info",
                "can_invite_users", "can_pin_messages", "can_manage_topics", "can_edit_tag",
                "can_react_to_messages")})
            member.update({"is_member": True, "until_date": 0})
        elif status == "kicked":
            member["until_date"] = 0
        return member

    def bot_membership(self, chat_id: int, old: str, new: str, user_id: int = 2002,
                       language_code: str | None = "en", chat_type: str | None = None) -> dict:
        """A `my_chat_member` update: user `user_id` changed the bot's status in the chat."""
        chat = self.chats.get(chat_id) or (
            {"id": chat_id, "type": "private", "first_name": "Ana"} if chat_id > 0 or chat_type == "private"
            else self.group_chat(chat_id, type=chat_type or "supergroup"))
        return self.push_update({"my_chat_member": {
            "chat": chat, "from": self.user(user_id, "Grace", language_code), "date": int(time.time()),
            "old_chat_member": self.chat_member(old, self.bot_user),
            "new_chat_member": self.chat_member(new, self.bot_user)}})

    def migrate_group(self, old_chat_id: int, new_chat_id: int, user_id: int = 2002) -> tuple[dict, dict]:
        """A group upgraded to a supergroup: the service message in the old chat
        (`migrate_to_chat_id`), then the one in the new chat (`migrate_from_chat_id`)."""
        old_chat = self.group_chat(old_chat_id, type="group")
        new_chat = self.group_chat(new_chat_id, type="supergroup")
        user = self.user(user_id, "Grace")
        first = self.push_update({"message": {"message_id": next(self._message_ids), "from": user,
                                              "chat": old_chat, "date": int(time.time()),
                                              "migrate_to_chat_id": new_chat_id}})
        second = self.push_update({"message": {"message_id": next(self._message_ids),
                                               "from": {"id": 1087968824, "is_bot": True,
                                                        "first_name": "Group", "username": "GroupAnonymousBot"},
                                               "sender_chat": old_chat, "chat": new_chat,
                                               "date": int(time.time()), "migrate_from_chat_id": old_chat_id}})
        return first, second

    def _get_updates(self, params: dict) -> list[dict]:
        offset = params.get("offset")
        limit = int(params.get("limit") or 100)
        timeout = float(params.get("timeout") or 0)
        deadline = time.monotonic() + timeout
        allowed = params.get("allowed_updates")
        with self._cond:
            if isinstance(offset, int) and offset > 0:
                self._state.confirmed = max(self._state.confirmed, offset)
                self._state.updates = [u for u in self._state.updates if u["update_id"] >= offset]
            while True:
                if isinstance(allowed, list) and allowed:  # Telegram does not keep the other types
                    self._state.updates = [u for u in self._state.updates
                                           if not set(u) - {"update_id"} or set(u) & set(allowed)]
                if isinstance(offset, int) and offset < 0:
                    ready = self._state.updates[offset:]
                else:
                    ready = self._state.updates
                if ready or self._stopping:
                    return [dict(u) for u in ready[:limit]]
                left = deadline - time.monotonic()
                if left <= 0:
                    return []
                self._cond.wait(min(left, 0.5))

    # -- methods ---------------------------------------------------------------
    def _chat(self, chat_id: Any) -> dict:
        if isinstance(chat_id, int) and chat_id in self.chats:
            return self.chats[chat_id]
        if isinstance(chat_id, int):
            return {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup", "title": "chat"}
        return {"id": -1009999999999, "type": "channel", "title": str(chat_id), "username": str(chat_id)[1:]}

    def _check_text(self, text: Any, parse_mode: Any) -> str:
        if not isinstance(text, str) or not text.strip():
            raise _ApiError(400, "Bad Request: message text is empty")
        plain = text
        if isinstance(parse_mode, str) and parse_mode.lower() == "html":
            try:
                plain = parse_telegram_html(text)
            except HTMLEntityError as exc:
                raise _ApiError(400, f"Bad Request: can't parse entities: {exc}") from None
        if utf16_len(plain) > MAX_MESSAGE_CHARS:
            raise _ApiError(400, "Bad Request: message is too long")
        return plain

    def handle(self, method: str, params: dict) -> Any:
        m = method.lower()
        if m == "getme":
            return self.bot_user
        if m == "getupdates":
            return self._get_updates(params)
        if m in ("deletewebhook", "setwebhook", "close", "logout", "setmydescription",
                 "setmyshortdescription", "setmyname"):
            return True
        if m == "getwebhookinfo":
            return {"url": "", "has_custom_certificate": False, "pending_update_count": 0}
        if m == "sendchataction":
            if not params.get("chat_id") or not params.get("action"):
                raise _ApiError(400, "Bad Request: chat_id and action are required")
            return True
        if m == "sendmessage":
            plain = self._check_text(params.get("text"), params.get("parse_mode"))
            chat = self._chat(params.get("chat_id"))
            msg = {"message_id": next(self._message_ids), "from": self.bot_user, "chat": chat,
                   "date": int(time.time()), "text": plain}
            if isinstance(params.get("reply_markup"), dict):
                msg["reply_markup"] = params["reply_markup"]
            with self._cond:
                self.sent_messages[(chat["id"], msg["message_id"])] = msg
            return msg
        if m == "editmessagetext":
            plain = self._check_text(params.get("text"), params.get("parse_mode"))
            key = (params.get("chat_id"), params.get("message_id"))
            with self._cond:
                old = self.sent_messages.get(key)
                if old is None:
                    raise _ApiError(400, "Bad Request: message to edit not found")
                markup = params.get("reply_markup") if isinstance(params.get("reply_markup"), dict) else None
                if old.get("text") == plain and old.get("reply_markup") == markup:
                    raise _ApiError(400, "Bad Request: message is not modified: specified new message content "
                                         "and reply markup are exactly the same as a current content and reply "
                                         "markup of the message")
                new = dict(old, text=plain, edit_date=int(time.time()))
                new.pop("reply_markup", None)
                if isinstance(params.get("reply_markup"), dict):
                    new["reply_markup"] = params["reply_markup"]
                self.sent_messages[key] = new
            return new
        if m == "answerinlinequery":
            results = params.get("results")
            if not isinstance(results, list) or len(results) > 50:
                raise _ApiError(400, "Bad Request: results must be a list of at most 50")
            ids = set()
            for r in results:
                if not isinstance(r, dict) or not r.get("id") or r["id"] in ids:
                    raise _ApiError(400, "Bad Request: RESULT_ID_DUPLICATE or missing id")
                ids.add(r["id"])
                content = r.get("input_message_content") or {}
                if r.get("type") == "article":
                    if not r.get("title"):
                        raise _ApiError(400, "Bad Request: RESULT_TITLE_EMPTY")
                    self._check_text(content.get("message_text"), content.get("parse_mode"))
            return True
        if m == "answercallbackquery":
            if not params.get("callback_query_id"):
                raise _ApiError(400, "Bad Request: query id is required")
            return True
        if m == "setmycommands":
            cmds = params.get("commands")
            if not isinstance(cmds, list) or len(cmds) > 100:
                raise _ApiError(400, "Bad Request: commands must be a list")
            for c in cmds:
                if not re.fullmatch(r"[a-z0-9_]{1,32}", str(c.get("command", ""))):
                    raise _ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
                if not 1 <= len(str(c.get("description", ""))) <= 256:
                    raise _ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
            scope = params.get("scope") or {"type": "default"}
            if not isinstance(scope, dict) or scope.get("type") not in _SCOPES:
                raise _ApiError(400, "Bad Request: BOT_COMMAND_SCOPE_INVALID")
            if scope["type"] in ("chat", "chat_administrators", "chat_member") and "chat_id" not in scope:
                raise _ApiError(400, "Bad Request: chat_id is required in the scope")
            code = params.get("language_code") or ""
            if code and not re.fullmatch(r"[a-z]{2}", code):
                raise _ApiError(400, "Bad Request: LANG_CODE_INVALID")
            with self._cond:
                self.commands[(json.dumps(params.get("scope") or {"type": "default"}, sort_keys=True),
                               params.get("language_code") or "")] = cmds
            return True
        if m == "getchatmember":
            user_id = params.get("user_id")
            status = self.member_status.get((params.get("chat_id"), user_id), "creator")
            member = {"status": status, "user": {"id": user_id, "is_bot": False, "first_name": "Member"}}
            if status == "creator":
                member["is_anonymous"] = False
            return member
        if m == "getmycommands":
            key = (json.dumps(params.get("scope") or {"type": "default"}, sort_keys=True),
                   params.get("language_code") or "")
            return self.commands.get(key, [])
        if m == "deletemycommands":
            key = (json.dumps(params.get("scope") or {"type": "default"}, sort_keys=True),
                   params.get("language_code") or "")
            self.commands.pop(key, None)
            return True
        return True


class _ApiError(Exception):
    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after


class _Handler(BaseHTTPRequestHandler):
    fake: FakeBotAPI
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes: without TCP_NODELAY, Nagle's
    # algorithm and delayed ACKs add ~40 ms to every keep-alive request.
    disable_nagle_algorithm = True

    def log_message(self, format, *args):  # noqa: A002 - keep test output quiet
        pass

    def setup(self) -> None:
        super().setup()
        with self.fake._cond:
            self.fake._connections.add(self.connection)

    def finish(self) -> None:
        with self.fake._cond:
            self.fake._connections.discard(self.connection)
        try:
            super().finish()
        except OSError:
            pass

    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _params(self, query: str, body: bytes) -> dict:
        params: dict[str, Any] = {k: _decode_value(k, v) for k, v in parse_qsl(query)}
        ctype = self.headers.get("Content-Type", "")
        if body:
            if ctype.startswith("application/json"):
                params.update(json.loads(body.decode("utf-8")))
            elif ctype.startswith("application/x-www-form-urlencoded"):
                params.update({k: _decode_value(k, v)
                               for k, v in parse_qsl(body.decode("utf-8"), keep_blank_values=True)})
            elif ctype.startswith("multipart/form-data"):
                from email.parser import BytesParser
                from email.policy import HTTP

                msg = BytesParser(policy=HTTP).parsebytes(
                    f"Content-Type: {ctype}\r\n\r\n".encode() + body)
                for part in msg.iter_parts():
                    name = part.get_param("name", header="content-disposition")
                    if name and part.get_filename() is None:
                        params[name] = _decode_value(name, part.get_content())
        return params

    def _send(self, status: int, payload: dict) -> None:
        self._send_body(status, "application/json", json.dumps(payload, ensure_ascii=False).encode("utf-8"))

    def _send_page(self, status: int, page: str) -> None:
        self._send_body(status, "text/html", page.encode("utf-8"))

    def _send_body(self, status: int, content_type: str, data: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _hang_up(self) -> None:
        """Close the connection without an answer (the client sees it dropped)."""
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.close_connection = True

    def do_GET(self) -> None:  # noqa: N802
        self._serve()

    def do_POST(self) -> None:  # noqa: N802
        self._serve()

    def _serve(self) -> None:
        fake = self.fake
        received = time.time()
        url = urlsplit(self.path)
        body = self._body()
        prefix = f"/bot{fake.token}/"
        if not url.path.startswith("/bot") or "/" not in url.path[4:]:
            self._send(404, {"ok": False, "error_code": 404, "description": "Not Found"})
            return
        if not url.path.startswith(prefix):
            self._send(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
            return
        method = url.path[len(prefix):]
        try:
            params = self._params(url.query, body)
        except (ValueError, UnicodeDecodeError) as exc:
            self._send(400, {"ok": False, "error_code": 400, "description": f"Bad Request: {exc}"})
            return
        status, result = 200, None
        if fake._down:  # a request that slipped in while going down: no answer
            self.close_connection = True
            return
        drop_after = False
        for fault in fake._take_faults(method, params):
            if fault.kind == "delay":
                time.sleep(fault.seconds)
            elif fault.kind == "drop_after":
                drop_after = True
            elif fault.kind == "disconnect":
                fake._record(Call(method, params, 0, time.time(), None, received))
                self._hang_up()
                return
            else:
                payload: dict[str, Any] = {"ok": False, "error_code": fault.status,
                                           "description": fault.description or (
                                               f"Too Many Requests: retry after {fault.retry_after}"
                                               if fault.status == 429 else "Internal Server Error")}
                if fault.retry_after is not None:
                    payload["parameters"] = {"retry_after": fault.retry_after}
                fake._record(Call(method, params, fault.status, time.time(), payload["description"], received))
                if fault.page is not None:
                    self._send_page(fault.status, fault.page)
                else:
                    self._send(fault.status, payload)
                return
        try:
            result = fake.handle(method, params)
        except _ApiError as exc:
            fake._record(Call(method, params, exc.status, time.time(), exc.description, received))
            self._send(exc.status, {"ok": False, "error_code": exc.status, "description": exc.description})
            return
        # getUpdates is recorded after the wait, so wait_for() sees when it returned.
        fake._record(Call(method, params, status, time.time(), result, received))
        if drop_after:
            self._hang_up()
            return
        try:
            self._send(200, {"ok": True, "result": result})
        except OSError:
            pass


def html_text(text: str) -> str:
    """Plain text of an HTML-mode message (tags dropped, entities unescaped)."""
    return parse_telegram_html(text)


__all__ = ["FakeBotAPI", "Call", "HTMLEntityError", "parse_telegram_html", "html_text", "entities_for",
           "MAX_MESSAGE_CHARS", "utf16_len", "html"]
