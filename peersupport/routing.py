"""Every WebSocket route of the project, gathered from the apps that own them."""

from django.urls import re_path

from groups.chat.routing import websocket_urlpatterns as chat_routes
from peersupport.notifications.routing import websocket_urlpatterns as notification_routes

CLOSE_NOT_FOUND = 4404


async def refuse_unknown_socket(scope: dict, receive, send) -> None:
    """Any other path: refuse the handshake (HTTP 403) quietly instead of a 500 and a traceback."""
    message = await receive()
    if message["type"] == "websocket.connect":
        await send({"type": "websocket.close", "code": CLOSE_NOT_FOUND})


websocket_urlpatterns: list = [
    *chat_routes,
    *notification_routes,
    # Last: a path nothing above owns.
    re_path(r"", refuse_unknown_socket, name="ws-unknown"),
]
