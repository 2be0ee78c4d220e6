"""Keep the bot token out of every log line and every printed error.

The token is part of every Bot API URL (`{root}/bot{token}/{method}`), and
both httpx (request lines at INFO) and PTB (the API URL at DEBUG, URLs inside
some exception texts) log URLs.  Lowering their log levels is not enough: a
later `--verbose` or a traceback would leak it again.  So a formatter wraps
every handler of the root logger and replaces the token (and its secret half)
in the final text, tracebacks included, whatever the level.
"""

from __future__ import annotations

import logging

MASK = "[REDACTED]"


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
