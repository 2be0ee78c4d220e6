"""A real PostgreSQL server for tests: initdb + pg_ctl in a temporary folder, on a free
127.0.0.1 port, run by an unprivileged user (PostgreSQL refuses to run as root; CI runs
as root, so the `postgres` or `nobody` account is used through runuser).

    server = PgServer.start()     # pytest.skip(...) with the reason if impossible here
    server.url                    # postgresql://USER@127.0.0.1:PORT/postgres (trust auth, loopback only)
    server.stop()
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

BIN_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _account() -> str | None:
    """The user to run the server as: ourselves unless root, else postgres or nobody."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    pytest.skip("running as root and no unprivileged account (postgres, nobody) to run PostgreSQL")


class PgServer:
    def __init__(self, bin_dir: Path, folder: Path, port: int, account: str | None) -> None:
        self.bin_dir = bin_dir
        self.folder = folder
        self.port = port
        self.account = account
        self.user = account or pwd.getpwuid(os.geteuid()).pw_name

    @property
    def url(self) -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
        cmd = [str(self.bin_dir / args[0]), *args[1:]]
        if self.account:
            cmd = ["runuser", "-u", self.account, "--", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL,
                              cwd=str(self.folder))

    @classmethod
    def start(cls) -> "PgServer":
        bins = [b for b in BIN_DIRS if (b / "initdb").exists() and (b / "pg_ctl").exists()]
        if not bins:
            pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl) under /usr/lib/postgresql")
        account = _account()
        folder = Path(tempfile.mkdtemp(prefix="bot-pg-"))
        if account:
            entry = pwd.getpwnam(account)
            os.chown(folder, entry.pw_uid, entry.pw_gid)
        os.chmod(folder, 0o700)
        server = cls(bins[0], folder, _free_port(), account)
        done = server._run("initdb", "-D", str(folder / "data"), "-A", "trust", "-U", server.user,
                           "--no-sync", "-E", "UTF8", "--locale=C")
        if done.returncode != 0:
            shutil.rmtree(folder, ignore_errors=True)
            pytest.skip(f"initdb failed: {done.stderr.strip()[-300:]}")
        options = (f"-p {server.port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c max_connections=50 -c shared_buffers=16MB")
        done = server._run("pg_ctl", "-D", str(folder / "data"), "-l", str(folder / "log"), "-o", options,
                           "-w", "-t", "60", "start")
        if done.returncode != 0:
            log = (folder / "log").read_text(errors="replace")[-500:] if (folder / "log").exists() else ""
            shutil.rmtree(folder, ignore_errors=True)
            raise RuntimeError(f"PostgreSQL did not start: {done.stderr.strip()} {log}")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", server.port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        return server

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)

    def fresh_database(self, name: str) -> str:
        """A new empty database on this server; its URL."""
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS " + _ident(name))
            conn.execute("CREATE DATABASE " + _ident(name))
        return self.url.rsplit("/", 1)[0] + "/" + name


def _ident(name: str) -> str:
    if not name.replace("_", "").isalnum():
        raise ValueError(name)
    return name
