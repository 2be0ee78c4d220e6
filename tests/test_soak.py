"""The soak (bench/soak.py) in its short form: 240 updates, every fault kind.

The full run (10,000 updates) is `.venv/bin/python bench/soak.py`; this one
proves the same properties on every `make test`: each update that deserves
an answer gets exactly one, none twice, group chatter and edits get none,
the process survives 429/5xx/slow/dropped connections, its memory does not
grow, and the token never appears in its (verbose) output.
"""

from __future__ import annotations

import importlib.util
import sys

from conftest import ROOT


def load_soak():
    spec = importlib.util.spec_from_file_location("soak", ROOT / "bench" / "soak.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["soak"] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def test_short_soak_through_telegram_with_faults(tmp_path):
    soak = load_soak()
    result = soak.run(updates=240, window=16, seed=3, workdir=tmp_path, settle=2.0, give_up=60.0)
    assert result["problems"] == []
    assert result["alive"] is True
    assert result["lost"] == 0 and result["duplicates"] == 0
    assert result["answers"] == result["deserving_answer"] > 150
    kinds = result["kinds"]
    for kind in ("private_question", "private_command", "group_addressed", "group_chatter", "inline", "edited"):
        assert kinds.get(kind, 0) > 0, kind
    assert result["hostile"] > 10
    # every kind of fault was injected at least once, and (nearly) all of them fired
    assert len(result["faults_injected"]) == len(soak.FAULTS)
    assert result["faults_triggered"] >= len(soak.FAULTS) - 2
    assert result["tracebacks_in_log"] == 0
    assert result["rss_end_mb"] <= result["rss_after_warmup_mb"] * 1.25 + 30
