"""Keep the bot token out of every log line and every printed error.

The token is part of every Bot API URL (`{root}/bot{token}/{method}`), and
both httpx (request lines at INFO) and PTB (the API URL at DEBUG, URLs inside
some exception texts) log URLs.  Lowering their log levels is not enough: a
later `--verbose` or a traceback would leak it again.  So a formatter wraps
every handler of the root logger and replaces the token (and its secret half)
in the final text, tracebacks included, whatever the level.

Outgoing messages are redacted too (`RedactingRequest`): the knowledge
folder is not trusted, so an article (or a reload error quoting a file)
that contains the token must not put it into a chat or an inline result.
The redaction sits in the HTTP layer, below every Bot method, so no
handler can forget it; only the request parameters are touched, never
the URL (which must carry the token).
"""

from __future__ import annotations

import logging
from typing import Any

from telegram.request import HTTPXRequest, RequestData
from telegram.request._requestparameter import RequestParameter

from bot.core.urls import MASK


class Redactor:
    """Replaces the given secrets in text."""

    def __init__(self, secrets: list[str]) -> None:
        found = set()
        for secret in secrets:
            if secret:
                found.add(secret)
                found.add(secret.replace(":", "%3A"))  # as it looks URL-encoded
                # "123:ABC" - the part after the colon is the real secret.
                if ":" in secret and len(secret.split(":", 1)[1]) >= 8:
                    found.add(secret.split(":", 1)[1])
        self.secrets = sorted(found, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            if secret in text:
                text = text.replace(secret, MASK)
        return text


class RedactingFormatter(logging.Formatter):
    """Formats with the handler's own formatter, then redacts the result."""

    def __init__(self, inner: logging.Formatter | None, redact: Redactor) -> None:
        super().__init__()
        self.inner = inner or logging.Formatter(logging.BASIC_FORMAT)
        self.redact = redact

    def format(self, record: logging.LogRecord) -> str:
        return self.redact(self.inner.format(record))


def install(secrets: list[str], logger: logging.Logger | None = None) -> Redactor:
    """Redact `secrets` in everything the handlers of `logger` (root) write.

    Warnings are routed through logging too, so they are redacted as well.
    """
    redact = Redactor(secrets)
    logger = logger or logging.getLogger()
    if not logger.handlers:
        logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    for handler in logger.handlers:
        current = handler.formatter
        if isinstance(current, RedactingFormatter):
            current = current.inner
        handler.setFormatter(RedactingFormatter(current, redact))
    logging.captureWarnings(True)
    return redact


def redact_value(value: Any, redact: Redactor) -> Any:
    """`value` (a JSON-able request parameter) with every string redacted."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, list):
        return [redact_value(v, redact) for v in value]
    if isinstance(value, dict):
        return {k: redact_value(v, redact) for k, v in value.items()}
    return value


class RedactingRequest(HTTPXRequest):
    """PTB's HTTP client, with the secrets removed from every parameter it sends."""

    def __init__(self, secrets: list[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.secrets = list(secrets)
        self.redact = Redactor(self.secrets)

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        if request_data is not None and not request_data.contains_files:
            request_data = RequestData([
                RequestParameter(p.name, redact_value(p.value, self.redact), p.input_files)
                for p in request_data._parameters  # noqa: SLF001 - PTB has no public accessor
            ])
        return await super().do_request(url, method, request_data, *args, **kwargs)
