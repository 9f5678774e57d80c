"""Every WebSocket route of the project, gathered from the apps that own them."""

from groups.chat.routing import websocket_urlpatterns as chat_routes
from peersupport.notifications.routing import websocket_urlpatterns as notification_routes

websocket_urlpatterns: list = [*chat_routes, *notification_routes]
