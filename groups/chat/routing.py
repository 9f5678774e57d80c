"""WebSocket routes of the groups app."""

from django.urls import path

from .consumers import ChatConsumer

websocket_urlpatterns = [
    path("ws/groups/<slug:slug>/chat/", ChatConsumer.as_asgi(), name="chat-socket"),
]
