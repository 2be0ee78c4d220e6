"""Texts people read, one YAML file per language under `config/messages/`.

English is the fallback: a key missing in another language, or a language
with no file, falls back to English.  English itself must define every key
that the code asks for, which `Messages.load` checks up front.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.core.config import read_yaml
from bot.core.errors import ConfigError

FALLBACK = "en"

# Keys every adapter may ask for; English must define them all.
REQUIRED_KEYS = (
    "language_name",
    "intro",
    "from_article",
    "also_available",
    "decline",
    "empty_question",
)


@dataclass
class Messages:
    """All per-language texts, loaded once."""

    texts: dict[str, dict[str, str]]
    directory: Path

    @classmethod
    def load(cls, config_dir: Path) -> "Messages":
        directory = config_dir / "messages"
        texts: dict[str, dict[str, str]] = {}
        if not directory.is_dir():
            raise ConfigError(directory, "missing directory of per-language messages")
        for path in sorted(directory.glob("*.yaml")):
            raw = read_yaml(path)
            if not isinstance(raw, dict):
                raise ConfigError(path, "top level must be a mapping of message keys to texts")
            for key, value in raw.items():
                if not isinstance(value, str):
                    raise ConfigError(path, f"expected text, got {type(value).__name__}", str(key))
            texts[path.stem] = raw
        if FALLBACK not in texts:
            raise ConfigError(directory / f"{FALLBACK}.yaml", "file not found (English is the fallback language)")
        for key in REQUIRED_KEYS:
            if key not in texts[FALLBACK]:
                raise ConfigError(directory / f"{FALLBACK}.yaml", "missing required message", key)
        return cls(texts=texts, directory=directory)

    @property
    def languages(self) -> list[str]:
        return sorted(self.texts)

    def get(self, lang: str, key: str, **params: object) -> str:
        """The text `key` in `lang` (English fallback), formatted with params."""
        template = self.texts.get(lang, {}).get(key)
        if template is None:
            template = self.texts[FALLBACK].get(key)
        if template is None:
            raise KeyError(f"message '{key}' is defined in no language file")
        return template.format(**params) if params else template

    def language_name(self, lang: str) -> str:
        return self.texts.get(lang, {}).get("language_name", lang)
