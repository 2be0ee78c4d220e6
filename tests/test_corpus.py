"""Loading knowledge: exact texts, translation groups, broken files reported."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from conftest import CONFIG, KNOWLEDGE, ROOT, load_articles


def detect(_text: str) -> str:
    return "fr"


def test_shipped_articles_keep_their_text_exactly():
    corpus = load_articles(KNOWLEDGE, detect)
    assert corpus.problems == []
    assert len(corpus.articles) == 5
    # sha256 of the original articles (../shared/articles/*.txt), recorded in the repository
    expected = dict(line.split()[::-1] for line in
                    (ROOT / "tests" / "fixtures" / "shipped_articles.sha256").read_text().splitlines())
    for article in corpus.articles:
        assert hashlib.sha256(article.text.encode("utf-8")).hexdigest() == expected[f"{article.id}.txt"]


def test_translation_group_links_french_and_swahili():
    corpus = load_articles(KNOWLEDGE, detect)
    fr = corpus.by_id["000_c6f3ce9778271a3b"]
    sw = corpus.by_id["001_dac37e652831d0fa"]
    assert fr.lang == "fr" and sw.lang == "sw"
    assert fr.group == sw.group
    assert {a.id for a in corpus.versions(fr.id)} == {fr.id, sw.id}


def test_plain_text_file_gets_title_from_first_line_and_detected_language(tmp_path):
    (tmp_path / "note.txt").write_text("Un titre\n\nDu texte en français.\n", encoding="utf-8")
    corpus = load_articles(tmp_path, lambda text: "fr")
    [article] = corpus.articles
    assert article.title == "Un titre" and article.lang == "fr" and article.id == "note"


def test_plain_text_file_with_a_header_uses_it(tmp_path):
    """A .txt exported with a front matter: its title and language, not "---"."""
    (tmp_path / "course.txt").write_text('---\ntitle: "Free evening course"\nlang: en\n---\nFree evening course\n\n'
                                         "The course starts in May.\n", encoding="utf-8")
    (tmp_path / "rule.txt").write_text("---\nA text that opens with a rule\n\nEt du français ensuite.\n",
                                       encoding="utf-8")
    corpus = load_articles(tmp_path, lambda text: "fr")
    course, rule = corpus.by_id["course"], corpus.by_id["rule"]
    assert (course.title, course.lang) == ("Free evening course", "en")
    assert course.text.startswith("Free evening course") and "lang:" not in course.text
    assert rule.title == "---" and rule.lang == "fr" and rule.text.startswith("---\nA text")  # plain, as before


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("bad-utf8.md", b"---\ntitle: x\nlang: fr\n---\ncaf\xe9\n", "not valid UTF-8"),
        ("binary.txt", b"\x00\x01\x02junk", "binary"),
        # Windows Notepad's "Unicode": text, not binary; the reason must say how to fix it
        ("notepad.txt", "Un titre\n\nDu texte.\n".encode("utf-16"), "UTF-16 text, not UTF-8"),
        ("notepad-be.md", "\ufeff---\ntitle: t\n---\ntext\n".encode("utf-16-be"), "UTF-16 text, not UTF-8"),
        ("empty.md", b"   \n\n", "empty"),
        # a page saved from a browser: its tags were quoted and "<!DOCTYPE html>" was its title
        ("saved.md", b"\xef\xbb\xbf<!DOCTYPE html>\n<html><body><p>Bread needs a starter.</p></body></html>\n",
         "HTML page"),
        ("saved.txt", b"  <html lang=\"en\"><head><title>T</title></head><p>Bread.</p></html>", "HTML page"),
        ("bad-front.md", b"---\ntitle: [unclosed\nlang: fr\n---\ntext\n", "front matter"),
        ("unclosed.md", b"---\ntitle: x\nlang: fr\ntext without end\n", "no closing"),
        ("wrong-type.md", b"---\ntitle: 12\nlang: fr\n---\ntext\n", "key 'title'"),
        ("bad-lang.md", b"---\ntitle: t\nlang: French!\n---\ntext\n", "key 'lang'"),
        ("only-front.md", b"---\ntitle: t\nlang: fr\n---\n\n", "no text"),
        # a .txt header without text was an article titled "---" that quoted its own header
        ("only-front.txt", b"---\ntitle: t\nlang: fr\n---\n\n", "no text"),
    ],
)
def test_broken_file_is_reported_with_path_and_reason_and_others_still_load(knowledge_copy, name, content, reason):
    bad = knowledge_copy / name
    bad.write_bytes(content)
    corpus = load_articles(knowledge_copy, detect)
    assert len(corpus.articles) == 5
    [problem] = corpus.problems
    assert problem.path == str(bad)
    assert reason in problem.reason


def test_oversized_file_and_symlink_loop_and_directory_are_reported(knowledge_copy):
    big = knowledge_copy / "huge.txt"
    with open(big, "wb") as f:
        f.truncate(50 * 1024 * 1024)  # 50 MB (sparse): refused by size before reading
    loop = knowledge_copy / "loop.md"
    os.symlink(loop, loop)
    (knowledge_copy / "folder.md").mkdir()
    corpus = load_articles(knowledge_copy, detect)
    assert len(corpus.articles) == 5
    reasons = {Path(p.path).name: p.reason for p in corpus.problems}
    assert "too large" in reasons["huge.txt"]
    assert "cannot read" in reasons["loop.md"]
    assert "not a regular file" in reasons["folder.md"]


def test_missing_knowledge_folder_is_a_problem_not_a_crash(tmp_path):
    corpus = load_articles(tmp_path / "nope", detect)
    assert corpus.articles == [] and "not found" in corpus.problems[0].reason


def test_file_vanishing_during_loading_is_reported(knowledge_copy, monkeypatch):
    import bot.knowledge.store as corpus_module  # where indexing reads files

    doomed = knowledge_copy / "002_a55ebf1b465a3a9e.md"
    real_read_text = corpus_module.read_text

    def read_then_vanish(path: Path) -> str:
        if path == doomed:
            doomed.unlink()
        return real_read_text(path)

    monkeypatch.setattr(corpus_module, "read_text", read_then_vanish)
    corpus = load_articles(knowledge_copy, detect)
    assert len(corpus.articles) == 4
    assert corpus.problems[0].path == str(doomed)


def test_a_file_reached_under_two_names_is_one_article_logged_once(knowledge_copy, tmp_path, monkeypatch, caplog):
    """A hard link (or a link to a listed file) is the same file: indexed once, under
    its first name, and said once, naming both paths; a rebuild from the fresh index
    says nothing again."""
    from bot.core.config import load_settings
    from bot.knowledge.store import open_knowledge

    original = knowledge_copy / "002_a55ebf1b465a3a9e.md"
    os.link(original, knowledge_copy / "hard.md")
    os.symlink(original.name, knowledge_copy / "soft.md")
    monkeypatch.setenv("BOT_CACHE_DIR", str(tmp_path / "cache"))
    settings = load_settings(CONFIG)
    with caplog.at_level("WARNING", logger="bot.knowledge.store"):
        kb, rebuilt = open_knowledge(knowledge_copy, settings)
        again, rebuilt_again = open_knowledge(knowledge_copy, settings)
    assert rebuilt and not rebuilt_again
    for corpus in (kb, again):
        assert sorted(a.id for a in corpus.articles) == sorted(p.stem for p in KNOWLEDGE.glob("*.md"))
        assert corpus.problems == []
        assert len(corpus.sentences) == len(load_articles(KNOWLEDGE).sentences)
    said = [r.getMessage() for r in caplog.records if "same file" in r.getMessage()]
    assert len(said) == 2
    for name in ("hard.md", "soft.md"):
        [line] = [m for m in said if str(knowledge_copy / name) in m]
        assert str(original) in line


def test_a_link_named_before_its_target_does_not_take_the_article_id(tmp_path):
    """A symbolic link to a listed file is an alias: the article keeps its real
    file's id even when the link's name sorts first, so `translation_of: <real id>`
    still links the versions and answers name the real article."""
    (tmp_path / "b_compost.md").write_text(
        "---\ntitle: Composting\nlang: en\n---\nThe pile should be turned every two weeks.\n", encoding="utf-8")
    (tmp_path / "c_compost_fr.md").write_text(
        "---\ntitle: Compostage\nlang: fr\ntranslation_of: b_compost\n---\n"
        "Le tas doit être retourné toutes les deux semaines.\n", encoding="utf-8")
    os.symlink("b_compost.md", tmp_path / "a_alias.md")
    corpus = load_articles(tmp_path)
    assert corpus.problems == []
    assert sorted(a.id for a in corpus.articles) == ["b_compost", "c_compost_fr"]
    assert {a.id for a in corpus.versions("b_compost")} == {"b_compost", "c_compost_fr"}


def test_a_text_file_that_opens_with_a_sentence_keeps_it_quotable(tmp_path, monkeypatch):
    """A .txt without a title line (its first line is a paragraph, or the whole
    text) used that line as the title, and a title line is never quoted: the
    article's opening sentences, or all of a one-line file, could never answer."""
    from bot.answering.service import QAService

    (tmp_path / "giraffes.txt").write_text(
        "Giraffes sleep only about thirty minutes a day, in short naps of a few minutes.\n", encoding="utf-8")
    (tmp_path / "otters.txt").write_text(
        "Sea otters hold hands while they sleep so they do not drift apart. They use rocks as tools.\n"
        "Otters have the densest fur of any animal.\n", encoding="utf-8")
    (tmp_path / "camels.txt").write_text("Camels\n\nCamels store fat, not water, in their humps.\n", encoding="utf-8")
    corpus = load_articles(tmp_path, lambda text: "en")
    assert corpus.problems == []
    assert {a.id: a.title for a in corpus.articles} == {
        "giraffes": "giraffes", "otters": "otters", "camels": "Camels"}  # a title line is still the title
    monkeypatch.setenv("BOT_CACHE_DIR", str(tmp_path / "cache"))
    service = QAService.open(tmp_path, CONFIG)
    for question, article, words in [("How long do giraffes sleep a day?", "giraffes", "thirty minutes"),
                                     ("Why do sea otters hold hands while they sleep?", "otters", "drift apart")]:
        answer = service.ask(question)
        assert answer.passages and answer.passages[0].article == article
        assert words in answer.passages[0].text


def test_a_markdown_heading_as_the_title_loses_its_hash_marks(tmp_path):
    """A Markdown file without a front matter title is titled by its first line;
    when that line is a heading ("# Growing tomatoes") the title shown to people
    ("from the article …", /articles, /sources) is its text, not the markup."""
    (tmp_path / "tomatoes.md").write_text("# Growing tomatoes\n\nTomatoes need six hours of sun a day.\n",
                                          encoding="utf-8")
    (tmp_path / "chickens.md").write_text("---\nlang: en\n---\n## Keeping chickens ##\n\nA hen lays one egg a day.\n",
                                          encoding="utf-8")
    (tmp_path / "hashtag.txt").write_text("#1 tip for gardeners\n\nMulch keeps the soil moist.\n", encoding="utf-8")
    corpus = load_articles(tmp_path, lambda text: "en")
    assert {a.id: a.title for a in corpus.articles} == {
        "tomatoes": "Growing tomatoes", "chickens": "Keeping chickens", "hashtag": "#1 tip for gardeners"}
    assert corpus.by_id["tomatoes"].text.startswith("# Growing tomatoes\n")  # the text itself is untouched


def test_translations_naming_each_other_form_one_group(tmp_path):
    """Two versions that each say `translation_of` the other (a loop) were split
    into two groups, so the French reply quoted the English text and "also
    available in" forgot a version: every article of a loop shares one group."""
    front = "---\ntitle: {title}\nlang: {lang}\ntranslation_of: {of}\n---\n{text}\n"
    for name, title, lang, of, text in [
            ("compost_en", "Composting", "en", "compost_fr", "The pile should be turned every two weeks."),
            ("compost_fr", "Compostage", "fr", "compost_en", "Le tas doit être retourné toutes les deux semaines."),
            ("compost_sw", "Mbolea", "sw", "compost_fr", "Lundo linapaswa kugeuzwa kila wiki mbili.")]:
        (tmp_path / f"{name}.md").write_text(front.format(title=title, lang=lang, of=of, text=text), encoding="utf-8")
    corpus = load_articles(tmp_path)
    assert corpus.problems == []
    assert len({a.group for a in corpus.articles}) == 1
    assert {a.id for a in corpus.versions("compost_en")} == {"compost_en", "compost_fr", "compost_sw"}


def test_which_files_of_a_folder_are_read_as_the_readme_says(tmp_path):
    """README "Knowledge": only the folder's own .md, .markdown and .txt files (any
    case); sub-folders, names starting with "." or "_" and editor backups are not
    read, and not reported either."""
    article = "---\ntitle: T\nlang: en\n---\nOwls hunt at night.\n"
    (tmp_path / "sub").mkdir()
    for name in ("a.md", "b.markdown", "C.MD", "d.txt", "sub/e.md", "_draft.md", ".hidden.md", ".#a.md",
                 "a.md~", "f.html", "g.rst"):
        (tmp_path / name).write_text(article, encoding="utf-8")
    corpus = load_articles(tmp_path, lambda text: "en")
    assert sorted(a.id for a in corpus.articles) == ["C", "a", "b", "d"]
    assert corpus.problems == []


def test_a_one_line_file_is_its_text_not_only_a_title(tmp_path):
    """A file of one line without a front matter title (a note in a script without
    full stops, or one ending in "?") was all title, and a title is never quoted:
    the article could not answer anything.  Its line is its text."""
    (tmp_path / "market.txt").write_text("ตลาดน้ำดำเนินสะดวกเปิดทุกวันตั้งแต่เจ็ดโมงเช้าถึงเที่ยงวัน\n", encoding="utf-8")
    (tmp_path / "jj.txt").write_text("ตลาดนัดจตุจักร\n\nตลาดนัดจตุจักรเปิดเฉพาะวันเสาร์และอาทิตย์\n", encoding="utf-8")
    corpus = load_articles(tmp_path, lambda text: "th")
    assert {a.id: a.title for a in corpus.articles} == {"market": "market", "jj": "ตลาดนัดจตุจักร"}
    from bot.knowledge.quotability import Quotability

    quotable = Quotability(corpus)
    market = [n for n, s in enumerate(corpus.sentences) if s.article_id == "market"]
    assert market and all(quotable.quotable(n) for n in market)


@pytest.mark.parametrize("tag, lang", [("en-US", "en"), ("fr_FR", "fr"), ("sw-KE", "sw"), ("th-TH", "th"),
                                       ("EN", "en")])
def test_a_language_tag_with_a_region_is_its_language(tmp_path, tag, lang):
    """CMS exports write `lang: en-US` (a BCP 47 tag): every such article was skipped
    as "not a language code"; the region is dropped, the language kept."""
    (tmp_path / "a.md").write_text(f"---\ntitle: T\nlang: {tag}\n---\nSome text here.\n", encoding="utf-8")
    corpus = load_articles(tmp_path)
    assert corpus.problems == []
    assert [a.lang for a in corpus.articles] == [lang]
