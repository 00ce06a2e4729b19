"""`cogov serve`: uvicorn, one process or several sharing one listening socket."""

from __future__ import annotations

import socket

import uvicorn
from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors import Multiprocess

APP = "cogov.interfaces.http.app:app_from_env"


class TcpConfig(uvicorn.Config):
    """uvicorn's settings, with a listening socket that says it is TCP.

    For several workers uvicorn binds the socket itself and leaves its protocol number at 0;
    accepted connections inherit it, and asyncio turns Nagle's algorithm off (TCP_NODELAY)
    only on sockets that say they are TCP. Every keep-alive request after a connection's
    first then waited about 40 ms for the client's delayed ACK: 23 requests/s a connection
    instead of 1,800 (uvicorn 0.54.0, Linux)."""

    def bind_socket(self) -> socket.socket:
        sock = super().bind_socket()
        if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.proto == 0:
            return socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, sock.detach())
        return sock


def serve(
    *, host: str, port: int, workers: int, log_level: str, app: str = APP, factory: bool = True
) -> None:
    """Serve `app` (an import string; by default cogov's `app_from_env`) until interrupted."""
    config = TcpConfig(
        app, factory=factory, host=host, port=port, workers=workers, log_level=log_level
    )
    server = uvicorn.Server(config)
    try:
        if config.workers > 1:
            Multiprocess(config, sockets=[config.bind_socket()]).run()
        else:
            server.run()
    except KeyboardInterrupt:
        pass
    if config.workers == 1 and not server.started:
        raise SystemExit(STARTUP_FAILURE)  # as uvicorn.run does: the app could not start
