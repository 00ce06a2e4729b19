"""`cogov serve` with several workers: accepted connections have Nagle's algorithm off."""

from __future__ import annotations

import asyncio
import socket

import uvicorn

from cogov.interfaces.cli.serving import APP, TcpConfig
from tests.support import free_port


async def nodelay_of_accepted(listener: socket.socket) -> int:
    """TCP_NODELAY on the server's side of a connection accepted the way uvicorn's workers
    accept them (asyncio's create_server on the shared socket)."""
    seen: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    class Report(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            sock = transport.get_extra_info("socket")
            seen.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            transport.close()

    server = await asyncio.get_running_loop().create_server(Report, sock=listener)
    try:
        host, port = listener.getsockname()[:2]
        _, writer = await asyncio.open_connection(host, port)
        result = await asyncio.wait_for(seen, 5)
        writer.close()
        return result
    finally:
        server.close()


def test_the_socket_shared_by_workers_gives_connections_without_nagle() -> None:
    config = TcpConfig(APP, factory=True, host="127.0.0.1", port=free_port(), workers=2)
    listener = config.bind_socket()
    assert listener.proto == socket.IPPROTO_TCP
    assert asyncio.run(nodelay_of_accepted(listener)) == 1


def test_uvicorns_own_socket_would_leave_nagle_on() -> None:
    """The reason for TcpConfig: drop this test and the class when uvicorn marks it TCP."""
    config = uvicorn.Config(APP, factory=True, host="127.0.0.1", port=free_port(), workers=2)
    assert asyncio.run(nodelay_of_accepted(config.bind_socket())) == 0
