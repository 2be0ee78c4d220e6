"""URLs as they may be printed: the one masker of credentials in a URL.

The Bot API root (`TELEGRAM_API_URL`, e.g. behind an authenticating proxy) and the
PostgreSQL state URL (`BOT_STATE_URL`) may carry `user:password@`.  Both are shown in
log lines and error messages through `public_url`, and both hand `url_credentials` to
the log redaction (bot/telegram/redaction.py), which masks them wherever else they show.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit, urlunsplit

MASK = "[REDACTED]"  # what a secret is replaced with, in URLs and in log lines alike


def public_url(url: str) -> str:
    """`url` with its user:password part replaced by the mask (a URL that cannot be parsed:
    the mask alone)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return MASK
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"{MASK}@{host}"))


def url_credentials(url: str) -> list[str]:
    """The user:password part of `url`, whole and piece by piece, as written and decoded."""
    try:
        netloc = urlsplit(url).netloc
    except ValueError:
        return []
    if "@" not in netloc:
        return []
    userinfo = netloc.rsplit("@", 1)[0]
    pieces = {userinfo, *userinfo.split(":", 1)}
    pieces |= {unquote(p) for p in pieces}
    return [p for p in pieces if len(p) >= 3]  # a one-letter user name would mask half the log
