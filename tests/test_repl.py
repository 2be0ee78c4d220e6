"""The REPL through a real subprocess (stdin not a terminal) and in-process."""

from __future__ import annotations

import io
import subprocess

from bot.repl import Repl

from conftest import CONFIG, KNOWLEDGE, PYTHON, ROOT, subprocess_env


def test_repl_session_answers_explains_lists_and_quits():
    script = "\n".join([
        "Quelle transformation les médias sociaux ont-ils apportée, selon l'auteur ?",
        "/why",
        "/articles",
        "/lang sw",
        "/reload",
        "/nonsense",
        "/quit",
    ]) + "\n"
    p = subprocess.run(
        [PYTHON, "-m", "bot", "--knowledge", str(KNOWLEDGE), "--config", str(CONFIG), "repl"],
        input=script, capture_output=True, text=True, cwd=ROOT, env=subprocess_env(LANG="fr_FR.UTF-8"),
        timeout=120,
    )
    assert p.returncode == 0, p.stderr
    out = p.stdout
    assert out.splitlines()[0].startswith("Posez une question")  # welcome in the user's language
    assert "est la destruction du parfait marque" in out
    assert "matched:" in out and "coverage" in out  # /why shows terms and scores
    assert "000_c6f3ce9778271a3b" in out and "004_9296fd62860316ae" in out  # /articles
    assert "Kiswahili" in out  # /lang sw confirmation
    assert "Imepakiwa upya: makala 5" in out  # /reload, now in Swahili
    assert "Amri haijulikani" in out
    assert "Traceback" not in p.stderr


def test_repl_why_before_any_question(service):
    out = io.StringIO()
    repl = Repl(service, lang="en", out=out)
    assert repl.handle("/why") is True
    assert "Ask a question first" in out.getvalue()
    assert repl.handle("/lang auto") is True
    assert repl.handle("/exit") is False
