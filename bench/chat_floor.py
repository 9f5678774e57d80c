"""The chat bench's floor: a bare ASGI WebSocket broadcast server, no Django, no Channels.

It speaks just enough of the room's protocol for `bench.chat`'s client harness: a socket is
told `{"type": "ready"}` on connect, and every `{"type": "message", ...}` frame is echoed to
every open socket as `{"type": "message", "message": {...}}`, in process, in arrival order.
Served by the same uvicorn and WebSocket implementation as the app, it is what the stack can do
with no application work at all: `python -m uvicorn bench.chat_floor:app`.
"""

import json

_sockets: dict[int, object] = {}
_next_id = 0


async def app(scope: dict, receive, send) -> None:
    global _next_id
    if scope["type"] == "lifespan":  # pragma: no cover - served with --lifespan off
        return
    if scope["type"] == "http":
        # A health probe for the bench's start-up wait.
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})
        return
    if scope["type"] != "websocket":
        return
    event = await receive()
    if event["type"] != "websocket.connect":
        return
    await send({"type": "websocket.accept"})
    await send({"type": "websocket.send", "text": '{"type": "ready"}'})
    _next_id += 1
    me = _next_id
    _sockets[me] = send
    seq = 0
    try:
        while True:
            event = await receive()
            if event["type"] == "websocket.disconnect":
                break
            text = event.get("text")
            if not text:
                continue
            frame = json.loads(text)
            if frame.get("type") != "message":
                continue
            seq += 1
            out = json.dumps(
                {
                    "type": "message",
                    "message": {
                        "id": seq,
                        "client_id": frame.get("client_id"),
                        "body": frame.get("body", ""),
                    },
                }
            )
            for other in list(_sockets.values()):
                try:
                    await other({"type": "websocket.send", "text": out})
                except Exception:  # noqa: BLE001, S112 - a socket closing mid-broadcast
                    continue
    finally:
        _sockets.pop(me, None)
