"""Every WebSocket route of the project, gathered from the apps that own them."""
from peersupport.notifications.routing import websocket_urlpatterns as notification_routes

websocket_urlpatterns: list = [
    *notification_routes,
]
