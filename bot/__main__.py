"""`python -m bot …` entry point (the `bot` script's too: bot.cli.run)."""

from bot.cli import run

if __name__ == "__main__":
    run()
