"""Every WebSocket route of the project, gathered from the apps that own them."""
websocket_urlpatterns: list = []
