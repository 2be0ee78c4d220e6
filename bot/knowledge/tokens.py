"""Token counting with tiktoken, fully offline.

tiktoken downloads its BPE files on first use, which fails behind a firewall.
We ship cl100k_base (gzipped, MIT-licensed data from OpenAI's tiktoken) inside
the package and build the `tiktoken.Encoding` from it, checking the same
SHA-256 that tiktoken itself expects.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
from functools import lru_cache
from importlib import resources

ENCODING_NAME = "cl100k_base"
_EXPECTED_SHA256 = "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7"
_PAT_STR = (
    r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|"""  # noqa: E501
    r"""\s*[\r\n]|\s+(?!\S)|\s"""
)
_SPECIAL = {
    "<|endoftext|>": 100257,
    "<|fim_prefix|>": 100258,
    "<|fim_middle|>": 100259,
    "<|fim_suffix|>": 100260,
    "<|endofprompt|>": 100276,
}


@lru_cache(maxsize=1)
def encoding():
    """The cl100k_base encoding, built from the bundled file (never the network)."""
    import tiktoken

    raw = gzip.decompress(resources.files("bot.data").joinpath("cl100k_base.tiktoken.gz").read_bytes())
    digest = hashlib.sha256(raw).hexdigest()
    if digest != _EXPECTED_SHA256:
        raise RuntimeError(f"bundled {ENCODING_NAME} file is corrupt (sha256 {digest})")
    ranks = {}
    for line in raw.splitlines():
        if line:
            token, rank = line.split()
            ranks[base64.b64decode(token)] = int(rank)
    return tiktoken.Encoding(
        name=ENCODING_NAME, pat_str=_PAT_STR, mergeable_ranks=ranks, special_tokens=_SPECIAL
    )


def count_tokens(text: str) -> int:
    """Number of cl100k tokens in `text` (special-token text counts as plain text)."""
    return len(encoding().encode_ordinary(text))
