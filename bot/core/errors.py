"""Errors a person can act on: each names the file (and key) at fault."""

from __future__ import annotations

from pathlib import Path


class ConfigError(Exception):
    """A configuration file is missing, malformed, or has a wrong value.

    The message always names the file and, when known, the key, so that the
    person running the bot can fix it without reading a traceback.
    """

    def __init__(self, path: Path | str, message: str, key: str | None = None) -> None:
        self.path = Path(path)
        self.key = key
        self.reason = message
        where = f"{self.path}" + (f": key '{key}'" if key else "")
        super().__init__(f"{where}: {message}")


class KnowledgeFolderError(ConfigError):
    """The knowledge folder is gone, not a folder or unreadable (named with why).

    A ConfigError because the folder is configured (--knowledge, BOT_KNOWLEDGE_DIR)
    and the person fixes it the same way: adapters that keep serving on a failed
    /reload show its message, "knowledge folder PATH does not exist" as the CLI says it."""

    def __init__(self, path: Path | str, problem: str) -> None:
        super().__init__(path, problem)
        self.args = (f"knowledge folder {self.path} {problem}",)
