"""Refuse request bodies over a size limit with 413, before they reach a route."""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cogov.interfaces.http.problems import MEDIA_TYPE, problem_body

# A body over the limit is still read, and thrown away, up to this many bytes (or four times
# the limit, if that is more) before the 413 is sent. Most clients send the whole body before
# they read any answer; a server that answers and closes while the body is still arriving
# resets the connection, and such a client sees the reset, never the 413. Past the bound the
# connection is cut all the same: reading on would let one request hold the server for as
# long as its sender likes.
DISCARD_BYTES = 16 * 1024 * 1024


class BodySizeLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.discard_bytes = max(DISCARD_BYTES, 4 * max_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit():
            if int(declared) > self.max_bytes:
                if headers.get(b"expect", b"").lower() != b"100-continue":
                    await self._discard(receive)
                # else the client waits for a go-ahead before it sends the body: reading
                # would give it one, and the 413 alone tells it not to send.
                await self._refuse(send)
                return
            await self.app(scope, receive, send)  # the server holds it to the declared length
            return
        # No declared length (chunked): read up to the limit before the app sees any of it.
        messages: list[Message] = []
        seen = 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                if message.get("more_body", False):
                    await self._discard(receive, seen)
                await self._refuse(send)
                return
            if not message.get("more_body", False):
                break

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)

    async def _discard(self, receive: Receive, seen: int = 0) -> None:
        """Read what is left of the body, up to the bound, and drop it."""
        while seen <= self.discard_bytes:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            seen += len(message.get("body", b""))
            if not message.get("more_body", False):
                return

    async def _refuse(self, send: Send) -> None:
        """413, and the connection closed after it: the rest of an over-long body, if any is
        still coming, is not read, so the connection cannot carry another request."""
        body = json.dumps(
            problem_body(
                413,
                "Request body too large",
                f"request bodies are limited to {self.max_bytes} bytes",
                "body_too_large",
            )
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", MEDIA_TYPE.encode()),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
