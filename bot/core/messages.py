"""Texts people read, one YAML file per language under `config/messages/`.

English is the fallback: a key missing in another language, or a language
with no file, falls back to English.  English itself must define every key
that the code asks for, which `Messages.load` checks up front.

Translations are checked too, at start and on every reload: a text must use
exactly the {placeholders} of its English version (a translated `{titre}`
would raise KeyError when the text is shown, silencing that reply), and a
placeholder is a plain name (`{title.__class__}` would let a text file read
Python internals).  A bad file is refused with its path and key.
"""

from __future__ import annotations

import logging
import string
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bot.core.config import read_yaml
from bot.core.errors import ConfigError

log = logging.getLogger(__name__)

FALLBACK = "en"
# A text's singular, used for count=1 where the file has one: `topics_one` beside `topics`.
SINGULAR = "_one"

# Keys every adapter may ask for; English must define them all.
REQUIRED_KEYS = (
    "language_name",
    "intro",
    "intro_unsure",
    "from_article",
    "also_available",
    "decline",
    "decline_because",
    "answer_failed",  # answering raised (reason `error`, logged)
    "empty_question",
    "greeting",
    "thanks",
    "farewell",
    "ok",
    "topics",
    "topics_title",
    "topics_more",
    "topics_also",
    "reason_unknown",  # the last resort of every decline's reason (`reason()`)
)


def placeholders(template: str) -> set[str]:
    """The {names} a text uses; ValueError when one is malformed or not a plain name."""
    found = set()
    for _literal, name, spec, _conversion in string.Formatter().parse(template):
        if name is None:
            continue
        if not name.isidentifier():
            raise ValueError(f"placeholder {{{name}}} is not a plain name like {{title}}")
        if spec and "{" in spec:
            raise ValueError(f"placeholder {{{name}}} has a nested placeholder in its format")
        found.add(name)
    return found


def check_placeholders(texts: dict[str, dict[str, str]], directory: Path) -> None:
    """Every text well-formed, and every translation with the same placeholders as English."""
    english = texts[FALLBACK]
    for lang, table in texts.items():
        for key, template in table.items():
            try:
                names = placeholders(template)
            except ValueError as exc:
                raise ConfigError(directory / f"{lang}.yaml", f"malformed text: {exc}", str(key)) from None
            base = str(key).removesuffix(SINGULAR)
            if base != key and base in english:
                # a singular may leave out {count} ("one article"), never add a placeholder
                extra = names - placeholders(english[base])
                if extra:
                    got = ", ".join(f"{{{n}}}" for n in sorted(extra))
                    raise ConfigError(directory / f"{lang}.yaml",
                                      f"placeholders {got} are not in the text '{base}'", str(key))
                continue
            if lang == FALLBACK or key not in english:
                continue
            expected = placeholders(english[key])
            if names != expected:
                show = ", ".join(f"{{{n}}}" for n in sorted(expected)) or "none"
                got = ", ".join(f"{{{n}}}" for n in sorted(names)) or "none"
                raise ConfigError(directory / f"{lang}.yaml",
                                  f"placeholders {got} differ from the English text's ({show})", str(key))


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
        check_placeholders(texts, directory)
        return cls(texts=texts, directory=directory)

    def require(self, keys: tuple[str, ...] | list[str]) -> None:
        """ConfigError unless English defines each of `keys` (an adapter's own texts)."""
        english = self.texts[FALLBACK]
        for key in keys:
            if key not in english:
                raise ConfigError(self.directory / f"{FALLBACK}.yaml", "missing required message", key)

    @property
    def languages(self) -> list[str]:
        return sorted(self.texts)

    def get(self, lang: str, key: str, **params: object) -> str:
        """The text `key` in `lang` (English fallback), formatted with params.

        With `count=1`, the text's singular `<key>_one` when the file the text
        comes from has one ("1 article loaded", not "1 articles"): a language
        whose nouns do not change (Swahili "makala", Thai) needs none, and a
        translation without its own singular keeps its own text rather than
        borrowing English's."""
        table = self.texts.get(lang, {})
        if key not in table:
            table = self.texts[FALLBACK]
        if params.get("count") == 1 and f"{key}{SINGULAR}" in table:
            key = f"{key}{SINGULAR}"
        template = table.get(key)
        if template is None:
            raise KeyError(f"message '{key}' is defined in no language file")
        if not params:
            return template
        try:
            return template.format(**params)
        except (KeyError, IndexError, ValueError, AttributeError):
            # Checked at load; kept as a last line so that a reply is never lost to a text.
            log.error("message %r in %r does not fit its parameters; using English", key, lang)
            english = self.texts[FALLBACK]
            return english.get(key, english[key.removesuffix(SINGULAR)]).format(**params)

    def has(self, lang: str, key: str) -> bool:
        """Whether `key` exists in `lang` or in the English fallback."""
        return key in self.texts.get(lang, {}) or key in self.texts[FALLBACK]

    def first(self, lang: str, keys: list[str], **params: object) -> str:
        """The first of `keys` that exists (in `lang` or English): a key per reason
        word with a generic last key lets a new reason degrade to a sensible text."""
        for key in keys:
            if self.has(lang, key):
                return self.get(lang, key, **params)
        raise KeyError(f"none of the messages {keys} is defined")

    def reason(self, lang: str, word: str, **params: object) -> str:
        """Why a question was declined, in one sentence (`reason_<word>`, else the
        generic `reason_unknown`): the REPL's /why and the reply itself say it alike.
        `params`: what a reason names (`name`: the name of `unknown_name` and
        `name_elsewhere`, the item asked for of `needs_item`)."""
        return self.first(lang, [f"reason_{word}", "reason_unknown"], **params)

    def language_name(self, lang: str) -> str:
        return self.texts.get(lang, {}).get("language_name", lang)

    def language_names(self, langs: Iterable[str]) -> str:
        """The languages `langs`, each named in its own words, comma-separated
        ("français, English, Kiswahili"): for {languages} in the texts."""
        return ", ".join(self.language_name(x) for x in langs)
