"""Loaded by child processes that tests start: refuse any non-loopback socket.

A subprocess started by the tests gets this folder on PYTHONPATH, so the bot
runs exactly as in production, except that reaching the internet raises.
"""

import socket

_LOOPBACK = ("127.", "::1", "localhost", "0:0:0:0:0:0:0:1")
_connect = socket.socket.connect
_getaddrinfo = socket.getaddrinfo


def _ok(host) -> bool:
    return host is None or str(host).startswith(_LOOPBACK) or str(host) == ""


def connect(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _ok(address[0]):
        raise OSError(f"network access to {address!r} is forbidden (offline test)")
    return _connect(self, address)


def getaddrinfo(host, *args, **kwargs):
    if not _ok(host):
        raise OSError(f"name resolution of {host!r} is forbidden (offline test)")
    return _getaddrinfo(host, *args, **kwargs)


socket.socket.connect = connect
socket.getaddrinfo = getaddrinfo
