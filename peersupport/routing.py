"""Every WebSocket route of the project, gathered from the apps that own them."""

from groups.chat.routing import websocket_urlpatterns as groups_websocket_urlpatterns
from peersupport.notifications.routing import websocket_urlpatterns as notification_routes

websocket_urlpatterns: list = [*groups_websocket_urlpatterns, *notification_routes]
