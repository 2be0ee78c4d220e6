"""The progress line of long index builds: silent at first, then counts."""

from __future__ import annotations

import io

from bot.core.progress import Progress


def test_silent_while_quick_then_reports():
    out = io.StringIO()
    p = Progress(10, "indexing", stream=out, quiet_s=3600)
    for _ in range(10):
        p.update()
    p.close()
    assert out.getvalue() == ""
    out = io.StringIO()
    p = Progress(4, "indexing", stream=out, quiet_s=0, every_s=0)
    for _ in range(4):
        p.update()
    p.close()
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("indexing: 1/4 files") and lines[-1].startswith("indexing: 4 files in")
