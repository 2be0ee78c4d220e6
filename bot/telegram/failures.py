"""What a failed Bot API request means for sending it again: the one rule for every sender.

Chat replies (the outbox, bot/telegram/outbox.py), FAQ posts (bot/faq/poster.py) and
the rate limiter's own retries (bot/telegram/resilience.py) all ask `classify`, so the
same error gets the same treatment wherever the message came from.  Delivery is *at most
once*: Telegram cannot be asked whether a message arrived, and a person reading the same
post twice is a fault, while a lost one can be asked for again.  Hence three verdicts:

* ``RETRY``: the message certainly did not arrive and may go through later.  A 429
  (`wait` = its retry_after), a connection that could not be opened or written (the
  request never left complete: httpcore writes the whole request before reading, and
  the server cannot act on a request it did not receive whole), a pool timeout, and
  an HTTP error answer of the Bot API other than the refusals below: 5xx, with a JSON
  body or not (a proxy's HTML "502 Bad Gateway" page too);
* ``UNCERTAIN``: it may have arrived: the request was written and then the connection
  dropped, or timed out waiting for the answer, or the answer could not be read, or the
  outbox already closed the request as uncertain.  Never sent again automatically;
* ``FAILED``: it did not arrive and will not by itself: 400, 403, an invalid token, a
  request the HTTP client refuses to send (local protocol error, unsupported URL scheme),
  a group that became a supergroup (senders re-address it, see `ChatMigrated`), and
  anything unexpected.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import httpx
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)


class Verdict(Enum):
    RETRY = "retry"
    UNCERTAIN = "uncertain"
    FAILED = "failed"


RETRY, UNCERTAIN, FAILED = Verdict.RETRY, Verdict.UNCERTAIN, Verdict.FAILED

# The connection was never opened, or the request never left whole: nothing reached Telegram.
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.WriteError, httpx.WriteTimeout)
# The HTTP client refused to send it at all, and would refuse again.
UNSENDABLE = (httpx.UnsupportedProtocol, httpx.LocalProtocolError)


class DeliveryUncertain(NetworkError):
    """The request may or may not have reached Telegram; it is not sent again."""


@dataclass(frozen=True)
class Failure:
    """What to do about one failed request, and why (for the log and the ledger)."""

    verdict: Verdict
    detail: str  # what happened, for the log and the ledger (the caller says what it does about it)
    wait: float | None = None  # seconds Telegram asked to wait (429); None: the caller's backoff

    @property
    def retryable(self) -> bool:
        return self.verdict is RETRY


def retry_seconds(exc: RetryAfter) -> float:
    """RetryAfter's wait in seconds (PTB 22 is moving it from int to timedelta)."""
    value = getattr(exc, "_retry_after", None)
    if value is None:
        value = exc.retry_after
    return value.total_seconds() if hasattr(value, "total_seconds") else float(value)


def classify(exc: BaseException) -> Failure:
    """The verdict on an error raised by a Bot API call (see the module docstring)."""
    if isinstance(exc, DeliveryUncertain):
        return Failure(UNCERTAIN, exc.message)
    if isinstance(exc, RetryAfter):
        wait = retry_seconds(exc)
        return Failure(RETRY, f"flood control (429): retry after {wait:g}s", wait)
    if isinstance(exc, ChatMigrated):
        return Failure(FAILED, f"the group became a supergroup with id {exc.new_chat_id}")
    if isinstance(exc, Forbidden):
        return Failure(FAILED, f"forbidden (bot not a member or not an admin of the channel?): {exc.message}")
    if isinstance(exc, InvalidToken):
        return Failure(FAILED, f"the Bot API refused the token: {exc.message}")
    if isinstance(exc, BadRequest):
        return Failure(FAILED, f"bad request: {exc.message}")
    if isinstance(exc, NetworkError):  # TimedOut included
        return _network(exc)
    if isinstance(exc, TelegramError):
        if type(exc) is TelegramError and isinstance(exc.__cause__, ValueError):
            # A 2xx answer that is not JSON: the Bot API took the request.
            return Failure(UNCERTAIN, f"unreadable answer after the request was sent ({exc.message})")
        return Failure(FAILED, f"Telegram error: {exc.message}")
    return Failure(FAILED, f"unexpected error: {type(exc).__name__}: {exc}")


def _network(exc: NetworkError) -> Failure:
    cause = exc.__cause__
    if not isinstance(exc, TimedOut) and (cause is None or isinstance(cause, TelegramError)):
        # PTB raises NetworkError for an HTTP error status it has no better class for,
        # chained to the parsing error when the body was not JSON (a proxy's HTML page).
        return Failure(RETRY, f"Bot API server error: {exc.message}")
    if isinstance(cause, NOT_SENT):
        return Failure(RETRY, f"network error before the request was sent: {type(cause).__name__}")
    if isinstance(cause, UNSENDABLE):
        return Failure(FAILED, f"the request cannot be sent: {type(cause).__name__}: {cause}")
    what = type(cause).__name__ if cause is not None else "timeout"
    return Failure(UNCERTAIN, f"no answer after the request was sent ({what})")
