"""The bot's bytecode, written before a benchmark times whole processes.

`make install` compiles `bot/` (Makefile): an editable install ships no
bytecode, and where PYTHONDONTWRITEBYTECODE is set (this machine sets it)
Python never writes any, so every process of a fresh checkout compiles each
module it imports, ~15-30 ms of a cold `bot ask`.  A benchmark run in a
fresh checkout or worktree measured that too, and compared trees unevenly
(fortieth round, docs/quality.md).  `compile_bot()` writes what `make`
writes, so cold runs read bytecode as an installed bot does.
"""
from __future__ import annotations

import compileall
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def compile_bot() -> None:
    """Compile `bot/` to bytecode (quietly; what is current is left alone)."""
    compileall.compile_dir(str(ROOT / "bot"), quiet=1)
