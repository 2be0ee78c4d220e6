"""Reading `knowledge/`: which files are articles, and one `Article` per file.

The loop over the folder (problems reported, never fatal; duplicate ids;
translation groups) is `bot/knowledge/store.update`, the one loading path.

Markdown files carry YAML front matter (`title`, `lang`, optional
`translation_of` or `group`, optional `source`); plain `.txt` files work too
(title = first line, language detected), or with the same front matter.  The article text is kept exactly as
in the file so that every quote is a substring of it.  A broken file is
reported once with its path and reason, and every other article still serves.

The folder is not trusted: a link that resolves outside it (to a file
holding the bot token, /etc/passwd ...) is refused before it is read, so
nothing outside the folder can be quoted or land in the index cache; front
matter nested deeper than MAX_YAML_DEPTH is one reported problem, never a
RecursionError.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from bot.core.config import safe_yaml_load, yaml_depth

SUFFIXES = (".md", ".markdown", ".txt")
MAX_FILE_BYTES = 5 * 1024 * 1024
_ID_RE = re.compile(r"^[\w.-]+$")
_LANG_RE = re.compile(r"^[a-z]{2,3}$")
# A BCP 47 tag with a region or script ("en-US", "fr_FR", "zh-Hant"), as CMS exports
# write it: the language is its first part (the whole tag used to skip the file).
_LANG_TAG_RE = re.compile(r"^([a-z]{2,3})[-_][a-z0-9]{2,8}(?:[-_][a-z0-9]{1,8})*$")
# Front matter is a flat mapping; anything much deeper is a mistake or an attack
# (PyYAML recurses per level: ~1,000 levels raise RecursionError).
MAX_YAML_DEPTH = 20
# A whole web page (saved from a browser), not Markdown that holds some HTML.
_HTML_PAGE = re.compile(r"\s*<(?:!doctype\s+html|html[\s>])", re.IGNORECASE)


@dataclass(frozen=True)
class Article:
    """One article: its metadata and its exact text (front matter removed)."""

    id: str
    title: str
    lang: str
    text: str
    path: str
    group: str
    source: str | None = None

    # An article loaded from a persisted index gets its text from the index's
    # memory-mapped text file when first read (`Article.stored`): parsing every
    # article's text at each start grew with the knowledge (212 MB of JSON at
    # 15,000 articles).
    @classmethod
    def stored(cls, fields: dict, texts: "TextSource", number: int) -> "Article":
        obj = object.__new__(cls)
        object.__setattr__(obj, "__dict__", {**fields, "_texts": texts, "_number": number})
        return obj

    def __getattr__(self, name: str):  # only for attributes missing from __dict__
        if name == "text" and "_texts" in self.__dict__:
            text = self.__dict__["_texts"].text(self.__dict__["_number"])
            object.__setattr__(self, "text", text)
            return text
        raise AttributeError(name)

    def fields(self) -> dict:
        """The dataclass fields as a dict (text included: read when stored)."""
        return {f: getattr(self, f) for f in ARTICLE_FIELDS}


ARTICLE_FIELDS = ("id", "title", "lang", "text", "path", "group", "source")


class TextSource:
    """Article texts in one UTF-8 byte array (memory-mapped) with offsets."""

    def __init__(self, data, offsets) -> None:
        self._data = data
        self._offsets = offsets

    def text(self, number: int) -> str:
        a, b = int(self._offsets[number]), int(self._offsets[number + 1])
        return bytes(self._data[a:b]).decode("utf-8")


@dataclass(frozen=True)
class Problem:
    """A knowledge file that could not be served, and why."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


class ArticleError(ValueError):
    """Why one file cannot become an article."""


def knowledge_entries(directory: Path) -> list[os.DirEntry]:
    """Directory entries of the candidate article files, sorted by name."""
    if not directory.is_dir():
        return []
    return [entry for entry in sorted(os.scandir(directory), key=lambda e: e.name)
            if not entry.name.startswith((".", "_")) and entry.name.lower().endswith(SUFFIXES)]


def knowledge_files(directory: Path) -> list[Path]:
    """Candidate article files, sorted, hidden files and sub-folders skipped."""
    return [Path(entry.path) for entry in knowledge_entries(directory)]


def check_inside(path: Path, root: Path) -> None:
    """Refuse a file (or link) whose real location is outside the knowledge folder.

    `os.path.realpath` follows every link in the chain and never raises (a
    loop resolves to itself and is then reported by `read_text` as unreadable).
    """
    real = os.path.realpath(path)
    base = os.path.realpath(root)
    try:
        inside = os.path.commonpath([real, base]) == base
    except ValueError:  # different drives
        inside = False
    if not inside:
        raise ArticleError("refused: a link to a file outside the knowledge folder")


def read_text(path: Path) -> str:
    """Read a knowledge file as UTF-8 text, refusing what is not text."""
    try:
        st = path.stat()  # follows symlinks; a loop raises OSError (ELOOP)
    except OSError as exc:
        raise ArticleError(f"cannot read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(st.st_mode):
        raise ArticleError("not a regular file")
    if st.st_size > MAX_FILE_BYTES:
        raise ArticleError(f"too large ({st.st_size} bytes; the limit is {MAX_FILE_BYTES})")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ArticleError(f"cannot read: {exc.strerror or exc}") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Notepad's "Unicode" and Excel's "Unicode text" save UTF-16 with this byte
        # order mark; its NUL bytes made it "binary", which sent people hunting for
        # a corrupt file instead of re-saving a text file in the right encoding.
        raise ArticleError("UTF-16 text, not UTF-8: save the file as UTF-8")
    if b"\x00" in data:
        raise ArticleError("binary file (contains NUL bytes), not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ArticleError(f"not valid UTF-8 (byte {exc.start}: {exc.reason})") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise ArticleError("empty file")
    if _HTML_PAGE.match(text):
        # A page saved from a browser under a .md name: its markup was quoted
        # ("<p>Bread needs …</p>") and its first line, "<!DOCTYPE html>", was the title.
        raise ArticleError("an HTML page, not Markdown or text: save its text (or Markdown) instead")
    return text



def split_front_matter(text: str) -> tuple[dict, str]:
    """Separate YAML front matter (between `---` lines) from the body."""
    if not text.startswith("---"):
        return {}, text
    match = re.match(r"^---[ \t]*\r?\n(.*?)^---[ \t]*(?:\r?\n|$)", text, flags=re.S | re.M)
    if not match:
        raise ArticleError("front matter: opening '---' has no closing '---'")
    try:
        meta = safe_yaml_load(match.group(1))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark else ""
        raise ArticleError(f"front matter: malformed YAML{where}: {getattr(exc, 'problem', exc)}") from None
    except RecursionError:
        raise ArticleError("front matter: malformed YAML: nested too deeply") from None
    except (ValueError, TypeError, OverflowError) as exc:  # e.g. `date: 2024-13-45`
        raise ArticleError(f"front matter: malformed YAML: {exc}") from None
    if yaml_depth(meta, MAX_YAML_DEPTH) > MAX_YAML_DEPTH:
        raise ArticleError(f"front matter: nested more than {MAX_YAML_DEPTH} levels deep")
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise ArticleError("front matter: must be a mapping of keys to values")
    return meta, text[match.end():]


def _txt_front_matter(text: str) -> tuple[dict, str]:
    """A `.txt` file is plain text (its first line is the title), unless it opens
    with a well-formed front matter naming a title or a language: a team that
    exports its articles as .txt with a header should not see "---" as the title
    and the header's lines as the article.  A text that merely starts with a
    "---" rule stays plain text, as before."""
    try:
        meta, body = split_front_matter(text)
    except ArticleError:
        return {}, text
    if meta and ("title" in meta or "lang" in meta):
        if not body.strip():  # served before as an article titled "---" quoting its own header
            raise ArticleError("no text after the front matter")
        return meta, body
    return {}, text


_SENTENCE_END = re.compile(r"(?<!\.)\.$")
# A Markdown ATX heading's marks: "# " opening (a space after, so "#1 tip" is text)
# and an optional closing run of "#".
_HEADING_MARKS = re.compile(r"^#{1,6}[ \t]+|[ \t]+#+$")


def _title_from_text(body: str, article_id: str) -> str:
    """The title of a file whose front matter names none: its first non-blank line,
    unless that line ends with a full stop.  Then the file has no title line: it
    opens with its text (a plain export with a paragraph a line, a one-line note),
    and a line taken as the title is never quoted, so those sentences, or all of
    a one-line file, could never answer.  Such a file is titled by its id.  A line
    ending in "?", "!" or "..." stays a title ("Pourquoi … ?", "Et après...").
    A file of one line is titled by its id too, whatever its last character (Thai
    has no full stop): all title, it could not answer anything.
    A Markdown heading ("# Growing tomatoes") is titled by its words: the marks
    were shown to people ("from the article “# Growing tomatoes”")."""
    lines = (line.strip() for line in body.splitlines() if line.strip())
    first = next(lines)
    if next(lines, None) is None or _SENTENCE_END.search(first):
        return article_id
    return _HEADING_MARKS.sub("", first).strip() or article_id


def parse_article(path: Path, text: str, detect_language: Callable[[str], str]) -> Article:
    """Turn one file's text into an Article, validating its front matter."""
    article_id = path.stem
    if not _ID_RE.match(article_id):
        raise ArticleError(f"file name '{path.name}' is not a usable article id ([A-Za-z0-9_.-])")
    if path.suffix.lower() != ".txt":
        meta, body = split_front_matter(text)
    else:
        meta, body = _txt_front_matter(text)
    if not body.strip():
        raise ArticleError("no text after the front matter")
    for key in ("title", "lang", "translation_of", "group", "source"):
        if key in meta and not isinstance(meta[key], str):
            raise ArticleError(f"front matter: key '{key}' must be text, got {type(meta[key]).__name__}")
    title = (meta.get("title") or "").strip() or _title_from_text(body, article_id)
    lang = (meta.get("lang") or "").strip().lower() or detect_language(body)
    tagged = _LANG_TAG_RE.match(lang)
    if tagged:
        lang = tagged.group(1)
    if not _LANG_RE.match(lang):
        raise ArticleError(f"front matter: key 'lang' must be a language code like 'fr', got {lang!r}")
    group = meta.get("group") or meta.get("translation_of") or article_id
    return Article(id=article_id, title=title[:200], lang=lang, text=body, path=str(path),
                   group=group, source=meta.get("source"))


def resolve_groups(articles: list[Article]) -> list[Article]:
    """Follow `translation_of` chains so every version shares one group id."""
    by_id = {a.id: a for a in articles}

    def root(a: Article) -> str:
        seen: list[str] = []
        group = a.group
        while group in by_id and by_id[group].group != group and group not in seen:
            seen.append(group)
            group = by_id[group].group
        if group in seen:
            # A loop (two versions each naming the other): where the walk stopped
            # depended on where it started, which split one article into two
            # groups.  Every member of the loop roots at its smallest id.
            return min(seen[seen.index(group):])
        return group

    return [a if root(a) == a.group else replace(a, group=root(a)) for a in articles]
