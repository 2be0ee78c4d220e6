"""Article bot: answers questions by quoting articles verbatim.

Data flows one way: knowledge -> chunks -> analysis -> index -> retrieval ->
composer -> adapters (CLI, REPL, Telegram, scheduled FAQ).  The core modules
never import Telegram.
"""

__version__ = "0.1.0"
