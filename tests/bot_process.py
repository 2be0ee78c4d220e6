"""Run the real `python -m bot telegram` in a child process against a FakeBotAPI.

    bot = BotProcess(api, state_path, log_dir)   # api: a started FakeBotAPI
    BotProcess(api, state, logs, knowledge=dir, config=dir)  # other folders than the repo's
    bot.start()          # returns once the bot long-polls (first getUpdates)
    bot.restart()        # stop (SIGTERM, clean shutdown) and start on the same state
    out, err = bot.stop()
    bot.all_output()     # stdout + stderr of every run so far

The child gets the loopback-only guard (tests/offline/sitecustomize.py) and a
short long-polling timeout, and runs with `-v` by default so that the token
redaction is tested against the most talkative logging.

Every run's stdout and stderr are scanned for the token when it stops (as
is, URL-encoded, or its secret part alone); `LEAKS` collects what was found
and conftest.py fails the whole test session if it is not empty, so the
scan covers all output of every Telegram test run.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path
from urllib.parse import quote

from conftest import CONFIG, KNOWLEDGE, PYTHON, ROOT, subprocess_env
from fake_bot_api import FakeBotAPI

# (log file, form of the token found) for every leak seen in this session.
LEAKS: list[tuple[str, str]] = []


def token_forms(token: str) -> dict[str, str]:
    secret = token.split(":", 1)[-1]
    return {"token": token, "url-encoded token": quote(token, safe=""), "secret part": secret,
            "secret part url-encoded": quote(secret, safe="")}


class BotProcess:
    def __init__(self, api: FakeBotAPI, state_path: Path, log_dir: Path, verbose: bool = True,
                 extra_env: dict[str, str] | None = None, args: list[str] | None = None,
                 knowledge: Path | None = None, config: Path | None = None,
                 ready_method: str = "getUpdates") -> None:
        self.api = api
        self.knowledge = Path(knowledge or KNOWLEDGE)
        self.config = Path(config or CONFIG)
        self.state_path = Path(state_path)
        self.log_dir = Path(log_dir)
        self.verbose = verbose
        self.extra_env = extra_env or {}
        self.args = args or []
        self.proc: subprocess.Popen | None = None
        self.runs = 0
        self.outputs: list[tuple[str, str]] = []
        self.startup_seconds: float | None = None
        self.ready_method = ready_method  # the first call that shows it is serving (webhook: setWebhook)

    def command(self) -> list[str]:
        cmd = [PYTHON, "-m", "bot", "--knowledge", str(self.knowledge), "--config", str(self.config)]
        if self.verbose:
            cmd.append("-v")
        return cmd + ["telegram", "--state", str(self.state_path), *self.args]

    def start(self, timeout: float = 90.0) -> "BotProcess":
        self.runs += 1
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self._out = open(self.log_dir / f"stdout-{self.runs}.txt", "w+", encoding="utf-8")
        self._err = open(self.log_dir / f"stderr-{self.runs}.txt", "w+", encoding="utf-8")
        env = subprocess_env(**{"TELEGRAM_BOT_TOKEN": self.api.token, "TELEGRAM_API_URL": self.api.root,
                                "TELEGRAM_POLL_TIMEOUT": "1", **self.extra_env})
        mark = self.api.mark()
        started = time.time()
        self.proc = subprocess.Popen(self.command(), cwd=ROOT, env=env, stdout=self._out, stderr=self._err,
                                     stdin=subprocess.DEVNULL)
        try:
            # A call received after this process started: the last long poll of a process
            # stopped just before (same server, same token) is recorded when it returns,
            # after `mark`, and made a test talk to a bot still starting up.
            first_poll = self.api.wait_for(self.ready_method, lambda c: c.received >= started, since=mark,
                                           timeout=timeout, ok_only=False)
        except AssertionError:
            out, err = self.stop()
            raise AssertionError(f"the bot did not start polling; stderr:\n{err[-3000:]}") from None
        self.startup_seconds = first_poll.received - started
        return self

    def stop(self, timeout: float = 30.0) -> tuple[str, str]:
        if self.proc is None:
            return self.outputs[-1] if self.outputs else ("", "")
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self.returncode = self.proc.returncode
        self.proc = None
        self._out.seek(0)
        self._err.seek(0)
        result = (self._out.read(), self._err.read())
        self._out.close()
        self._err.close()
        for name, text in zip(("stdout", "stderr"), result):
            for form, needle in token_forms(self.api.token).items():
                if needle in text:
                    LEAKS.append((str(self.log_dir / f"{name}-{self.runs}.txt"), form))
        self.outputs.append(result)
        return result

    def restart(self) -> "BotProcess":
        self.stop()
        return self.start()

    def kill(self) -> None:
        """kill -9: no clean shutdown (crash-safety tests)."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
        self.stop()

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc is not None else None

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def all_output(self) -> str:
        live = ""
        if self.proc is not None:
            self._out.flush()
            self._err.flush()
            live = (self.log_dir / f"stdout-{self.runs}.txt").read_text(encoding="utf-8") + \
                (self.log_dir / f"stderr-{self.runs}.txt").read_text(encoding="utf-8")
        return "".join(o + e for o, e in self.outputs) + live
