"""What every request gets before it reaches a route: HEAD wherever GET is (RFC 9110), and
ids that do not depend on the case they are written in."""

from __future__ import annotations

import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

UUID_SEGMENT = re.compile(
    r"(?<=/)[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}(?=/|$)"
)


class HeadAsGet:
    """Answer HEAD as the GET of the same URL would, headers only.

    The headers are sent as soon as the GET starts its answer, and the request then reads
    as disconnected, so an answer that streams for long (the event stream) ends at once
    rather than holding a HEAD open until it would finish."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return
        answered = False

        async def headers_only(message: Message) -> None:
            nonlocal answered
            if answered:
                return
            await send(message)
            if message["type"] == "http.response.start":
                await send({"type": "http.response.body", "body": b"", "more_body": False})
                answered = True

        async def gone_once_answered() -> Message:
            if answered:
                return {"type": "http.disconnect"}
            return await receive()

        await self.app({**scope, "method": "GET"}, gone_once_answered, headers_only)


class CanonicalIds:
    """Ids are UUIDs written in lower case; a path may write them in any case."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path = UUID_SEGMENT.sub(lambda m: m.group(0).lower(), scope["path"])
            if path != scope["path"]:
                scope = {**scope, "path": path, "raw_path": path.encode()}
        await self.app(scope, receive, send)
