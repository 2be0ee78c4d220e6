"""The contracts of ../shared/DESIGN.md, through a real subprocess."""

from __future__ import annotations

import json
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
